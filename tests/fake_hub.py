"""A fake Hugging Face cache: the real Hub repos' file sets and configs, with tiny random weights.

It lets CI run each notebook's *online* code path offline (``COURSE_MODE=cached``): lessons
use the real Hub repo ids, and with ``HF_HUB_OFFLINE=1`` huggingface_hub / transformers /
datasets read only this cache.

    env = build_fake_hub(Path("/tmp/fake-hub"))   # {"HF_HUB_CACHE": ..., "HF_DATASETS_CACHE": ...}
    python tests/fake_hub.py /tmp/fake-hub        # same, from a shell; prints KEY=VALUE lines

What is copied faithfully is what trips code up: which files a repo has (e.g. cardiffnlp's
sentiment model ships only ``pytorch_model.bin`` and no ``tokenizer_config.json``, so its
tokenizer's ``model_max_length`` is "unlimited"), model classes, label maps, special-token
ids, chat templates and tokenizers (real ones where the course has them offline). The
weights are random and tiny, so outputs are nonsense: tests may check shapes and plumbing,
never quality.

The real repos are not reachable from where this was written; each entry of ``REPOS`` says
which of its facts matter, and ``ASSUMED`` lists the ones that are best knowledge, not
checked against the Hub.

Layout written (huggingface_hub's cache format, files placed directly in the snapshot):
    ROOT/hub/models--ORG--NAME/refs/main                  -> the fake commit (no newline; PINNED: the real one)
    ROOT/hub/models--ORG--NAME/snapshots/<commit>/<files>
    ROOT/datasets/cardiffnlp___tweet_eval/sentiment/0.0.0/<commit>/{dataset_info.json, *.arrow}
    ROOT/COMPLETE                                          -> written last (build facts, JSON)
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

FORMAT = 2            # bump when the contents change: an older ROOT is then rebuilt
MARKER = "COMPLETE"
BPE_VOCAB = 2000      # size of the vocabularies trained here (GPT-2, RoBERTa BPEs; MusicGen T5 Unigram)
ENGLISH_VERSES = 4000  # King James verses those tokenizers are trained on


@dataclass(frozen=True)
class FakeRepo:
    repo_id: str
    files: frozenset        # exactly the files in the snapshot (paths relative to it)
    auto_class: str         # the transformers class that loads the weights (an Auto class where one fits)
    use_safetensors: bool   # False: the repo has only pytorch_model.bin
    builder: str            # name of the function below that writes the snapshot
    note: str               # what in the real repo's file set matters


def _repo(repo_id, files, auto_class, builder, note, use_safetensors=True):
    return FakeRepo(repo_id, frozenset(files), auto_class, use_safetensors, builder, note)


REPOS: dict[str, FakeRepo] = {r.repo_id: r for r in (
    # GPT-2: tokenizer_config.json holds only model_max_length=1024 and NO chat_template (so
    # apply_chat_template fails); <|endoftext|> is bos=eos=unk and the last id; no pad token.
    _repo("openai-community/gpt2",
          ["config.json", "generation_config.json", "model.safetensors", "vocab.json", "merges.txt",
           "tokenizer.json", "tokenizer_config.json"],
          "AutoModelForCausalLM", "_build_gpt2",
          "model_max_length 1024, no chat_template, no pad token; eos=bos=unk=<|endoftext|>"),
    # SmolLM2-Instruct: the chat template lives in tokenizer_config.json; bos=<|im_start|>(1),
    # eos=pad=<|im_end|>(2); tied embeddings; weights stored in bfloat16.
    _repo("HuggingFaceTB/SmolLM2-135M-Instruct",
          ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
           "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt"],
          "AutoModelForCausalLM", "_build_smollm2",
          "real tokenizer + chat template in tokenizer_config.json; eos=pad=2; bf16 weights"),
    # cardiffnlp sentiment: ONLY pytorch_model.bin (no safetensors), NO tokenizer_config.json and
    # NO tokenizer.json, so the tokenizer is built from vocab.json+merges.txt and its
    # model_max_length is "unlimited" (1e30): texts longer than 512 tokens crash the model.
    _repo("cardiffnlp/twitter-roberta-base-sentiment-latest",
          ["config.json", "pytorch_model.bin", "vocab.json", "merges.txt", "special_tokens_map.json"],
          "AutoModelForSequenceClassification", "_build_cardiff",
          "pytorch_model.bin only; no tokenizer_config.json/tokenizer.json; id2label negative/neutral/positive",
          use_safetensors=False),
    # roberta-base: safetensors + tokenizer.json, but no tokenizer_config.json either.
    _repo("FacebookAI/roberta-base",
          ["config.json", "model.safetensors", "vocab.json", "merges.txt", "tokenizer.json"],
          "AutoModelForMaskedLM", "_build_roberta_base",
          "masked LM; <mask> is the last id; no tokenizer_config.json"),
    # all-MiniLM-L6-v2: a sentence-transformers repo (modules.json, 1_Pooling: mean pooling) whose
    # weights are a bare BertModel; real uncased WordPiece tokenizer, model_max_length 512.
    _repo("sentence-transformers/all-MiniLM-L6-v2",
          ["config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "tokenizer_config.json",
           "special_tokens_map.json", "modules.json", "1_Pooling/config.json",
           "sentence_bert_config.json", "config_sentence_transformers.json"],
          "AutoModel", "_build_minilm",
          "BertModel (no head) + sentence-transformers modules.json / 1_Pooling (mean)"),
    # toxic-bert: multi-label head (sigmoid per label, not softmax), 6 Jigsaw labels;
    # slow-tokenizer files only (vocab.txt, no tokenizer.json).
    _repo("unitary/toxic-bert",
          ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"],
          "AutoModelForSequenceClassification", "_build_toxic_bert",
          "problem_type multi_label_classification; 6 labels; no tokenizer.json"),
    # MusicGen: a composite model (T5 text encoder + EnCodec 32 kHz audio codec + decoder over 4
    # codebooks of 2048 codes) loaded with AutoProcessor (MusicgenProcessor = T5 tokenizer +
    # EncodecFeatureExtractor, named in preprocessor_config.json); generation_config.json turns on
    # sampling with guidance_scale 3. No spiece.model here (see ASSUMED).
    _repo("facebook/musicgen-small",
          ["config.json", "generation_config.json", "model.safetensors", "preprocessor_config.json",
           "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"],
          "MusicgenForConditionalGeneration", "_build_musicgen",
          "composite config; AutoProcessor via preprocessor_config.json; 32 kHz; 4 codebooks x 2048"),
    # MMS-TTS Korean: a VITS model (VitsModel, loaded with AutoModelForTextToWaveform) whose
    # VitsTokenizer reads single Latin letters (vocab.json, 25 symbols; pad "u" = id 0, put between
    # letters by add_blank) and is told is_uroman=true: Korean must be romanised (uroman) first.
    # The repo also has pytorch_model.bin and README.md (omitted: the course reads the safetensors).
    _repo("facebook/mms-tts-kor",
          ["config.json", "model.safetensors", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"],
          "AutoModelForTextToWaveform", "_build_mms_tts_kor",
          "VitsTokenizer: is_uroman true, language kor, normalize, add_blank, pad 'u'; 16 kHz; stochastic durations"),
)}

# Repos the course pins to a Hub commit (catalog.py, hub_revision): their snapshot sits under that
# real commit, as a download of the pinned revision leaves it, and refs/main points at it too (it is
# the repo's main branch head).
PINNED = {"facebook/mms-tts-kor": "1b6491366d2ed6ea8e4e735607155d9f0110df29"}

# The dataset: cardiffnlp/tweet_eval, config "sentiment", as datasets leaves it in its
# processed cache after a real download (read back offline by datasets' Cache builder).
DATASET = "cardiffnlp/tweet_eval"
DATASET_CONFIG = "sentiment"
DATASET_ROWS = {"train": 600, "validation": 100, "test": 300}

# File-set facts that are best knowledge, not checked against the Hub (it is unreachable here).
ASSUMED = {
    "cardiffnlp/twitter-roberta-base-sentiment-latest":
        "file set from a maintainer's reading of the repo (bin only, no tokenizer_config/tokenizer.json)",
    "openai-community/gpt2": "tokenizer_config.json = {model_max_length: 1024}; task_specific_params in config",
    "HuggingFaceTB/SmolLM2-135M-Instruct":
        "chat template inside tokenizer_config.json (not chat_template.jinja); pad_token_id 2; tokenizer.json "
        "is the course's GGUF-converted copy, not byte-identical to the Hub's",
    "FacebookAI/roberta-base": "no tokenizer_config.json (the real repo also has dict.txt and other formats, omitted)",
    "sentence-transformers/all-MiniLM-L6-v2": "file set copied from the course's offline package (omits onnx/ etc.)",
    "unitary/toxic-bert": "model.safetensors present; tokenizer_config {do_lower_case, model_max_length 512}",
    "facebook/musicgen-small":
        "the real repo also has spiece.model (sentencepiece is not installed here, so only tokenizer.json, "
        "a Unigram trained on English, T5-style ids: <pad>=0 </s>=1 <unk>=2, <extra_id_*> last); "
        "configs follow the published musicgen-small / encodec_32khz values at tiny sizes",
    DATASET: "processed-cache layout of datasets 5.2 (Parquet builder, hash = fake commit); rows are the "
             "course's labelled tweets, not the real TweetEval rows; far fewer rows than the real splits",
    "facebook/mms-tts-kor":
        "tokenizer_config.json and special_tokens_map.json are the Hub's (their published text); vocab.json's "
        "25 symbols and their order are a guess (the Hub shows its size, 268 bytes, which this one has; "
        "'u' = 0 as the pad token says); config.json follows the published MMS-TTS configs at tiny sizes "
        "(the real one: hidden 192, 6 layers, about 36 M parameters). Random weights make random durations: "
        "the duration predictor's output projections are scaled down so a sentence lasts seconds, not minutes",
}


def commit_for(repo_id: str) -> str:
    """The fixed commit hash (40 hex) of a repo: the real one the course pins, else a fake one."""
    return PINNED.get(repo_id) or hashlib.sha1(repo_id.encode()).hexdigest()


def env_for(root: Path) -> dict[str, str]:
    root = Path(root)
    return {"HF_HUB_CACHE": str(root / "hub"), "HF_DATASETS_CACHE": str(root / "datasets")}


def snapshot_dir(root: Path, repo_id: str) -> Path:
    """Where a repo's files are, under a built ROOT."""
    return Path(root) / "hub" / ("models--" + repo_id.replace("/", "--")) / "snapshots" / commit_for(repo_id)


# --------------------------------------------------------------------------- build, once
def _is_complete(root: Path) -> bool:
    try:
        return json.loads((root / MARKER).read_text()).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def build_fake_hub(root: Path) -> dict[str, str]:
    """Build (once; reuse if root/COMPLETE marker exists) and return env vars to point the libraries at it:
    {"HF_HUB_CACHE": str(root/'hub'), "HF_DATASETS_CACHE": str(root/'datasets')}

    Safe for concurrent callers: a file lock next to ROOT serialises builders, and the build
    goes into a temporary sibling folder that is renamed into place only when whole.
    """
    root = Path(root).absolute()
    if _is_complete(root):
        return env_for(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    from filelock import FileLock
    with FileLock(str(root.parent / f".{root.name}.lock")):
        if _is_complete(root):          # another process built it while we waited
            return env_for(root)
        if root.exists():
            shutil.rmtree(root)         # half-written or an older FORMAT
        tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
        try:
            facts = _build_all(tmp)
            (tmp / MARKER).write_text(json.dumps({"format": FORMAT, **facts}, indent=1))
            os.rename(tmp, root)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return env_for(root)


def _build_all(out: Path) -> dict:
    import torch
    from transformers.utils import logging as hf_logging
    started = time.perf_counter()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    torch.manual_seed(0)
    facts = {"repos": {}}
    for spec in REPOS.values():
        t0 = time.perf_counter()
        snap = snapshot_dir(out, spec.repo_id)
        snap.mkdir(parents=True)
        torch.manual_seed(int(commit_for(spec.repo_id)[:8], 16))
        globals()[spec.builder](snap)
        on_disk = {p.relative_to(snap).as_posix() for p in snap.rglob("*") if p.is_file()}
        if on_disk != spec.files:
            raise RuntimeError(f"{spec.repo_id}: wrote {sorted(on_disk)}, declared {sorted(spec.files)}")
        repo_dir = snap.parent.parent
        (repo_dir / "refs").mkdir()
        (repo_dir / "refs" / "main").write_text(commit_for(spec.repo_id))  # no trailing newline
        (repo_dir / "blobs").mkdir()
        facts["repos"][spec.repo_id] = {"commit": commit_for(spec.repo_id),
                                        "seconds": round(time.perf_counter() - t0, 2)}
    t0 = time.perf_counter()
    _build_tweet_eval(out / "datasets")
    facts["dataset_seconds"] = round(time.perf_counter() - t0, 2)
    facts["seconds"] = round(time.perf_counter() - started, 2)
    return facts


# --------------------------------------------------------------------------- helpers
def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _save_model(model, snap: Path, *, safetensors: bool = True) -> None:
    """config.json + weights; nothing else (save_pretrained may add generation_config.json)."""
    import torch
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp, safe_serialization=True)
        shutil.copy(Path(tmp) / "config.json", snap / "config.json")
        if safetensors:
            shutil.copy(Path(tmp) / "model.safetensors", snap / "model.safetensors")
    if not safetensors:
        state = {k: v.contiguous().clone() for k, v in model.state_dict().items()}
        torch.save(state, snap / "pytorch_model.bin")


def _generation_config(snap: Path, **ids) -> None:
    import transformers
    _write_json(snap / "generation_config.json",
                {"_from_model_config": True, **ids, "transformers_version": transformers.__version__})


def _english_text():
    import importlib.util
    folder = importlib.util.find_spec("bible").submodule_search_locations[0]
    with open(Path(folder) / "data" / "kjv.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= ENGLISH_VERSES:
                break
            yield json.loads(line)["text"]


_BPE_CACHE: dict = {}


def _byte_level_bpe(leading: tuple, trailing: tuple, roberta: bool) -> dict:
    """tokenizer.json (as a dict) of a byte-level BPE trained on English, GPT-2/RoBERTa style.

    `leading` special tokens get the first ids, `trailing` ones the last (as in the real
    vocabularies: RoBERTa's <s> <pad> </s> <unk> first and <mask> last, GPT-2's <|endoftext|> last).
    """
    key = (leading, trailing, roberta)
    if key in _BPE_CACHE:
        return json.loads(_BPE_CACHE[key])
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=BPE_VOCAB - len(trailing), special_tokens=list(leading),
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(_english_text(), trainer)
    if roberta:
        tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True,
                                                          add_prefix_space=False)
    else:
        tok.post_processor = processors.ByteLevel(trim_offsets=False)
    data = json.loads(tok.to_str())
    vocab = data["model"]["vocab"]
    for token in trailing:
        vocab[token] = len(vocab)
        data["added_tokens"].append({"id": vocab[token], "content": token, "single_word": False,
                                     "lstrip": token == "<mask>", "rstrip": False,
                                     "normalized": False, "special": True})
    Tokenizer.from_str(json.dumps(data))  # must parse
    _BPE_CACHE[key] = json.dumps(data)
    return data


def _write_vocab_merges(snap: Path, tokenizer_json: dict) -> None:
    """vocab.json + merges.txt, the 'slow' files, from a BPE tokenizer.json."""
    model = tokenizer_json["model"]
    vocab = dict(sorted(model["vocab"].items(), key=lambda kv: kv[1]))
    (snap / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    (snap / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")


def _roberta_tokenizer_json() -> dict:
    return _byte_level_bpe(("<s>", "<pad>", "</s>", "<unk>"), ("<mask>",), roberta=True)


_ROBERTA_SPECIAL_TOKENS_MAP = {
    "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
    "pad_token": "<pad>", "cls_token": "<s>",
    "mask_token": {"content": "<mask>", "single_word": False, "lstrip": True, "rstrip": False,
                   "normalized": False},
}


def _tiny_roberta_config(vocab_size: int, **extra):
    from transformers import RobertaConfig
    return RobertaConfig(vocab_size=vocab_size, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=128, max_position_embeddings=514, type_vocab_size=1,
                         layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0, eos_token_id=2, **extra)


def _tiny_bert_config(**extra):
    from transformers import BertConfig
    return BertConfig(vocab_size=30522, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
                      intermediate_size=128, max_position_embeddings=512, type_vocab_size=2,
                      pad_token_id=0, **extra)


def _importable_course_utils() -> None:
    """Make `course_utils` importable when this file runs as a script from a checkout."""
    repo = str(Path(__file__).resolve().parents[1])
    if repo not in sys.path:
        sys.path.insert(0, repo)


def _minilm_folder() -> Path:
    _importable_course_utils()
    from course_utils.models.offline import minilm_dir
    return minilm_dir()


# --------------------------------------------------------------------------- one builder per repo
def _build_gpt2(snap: Path) -> None:
    from transformers import GPT2Config, GPT2LMHeadModel
    data = _byte_level_bpe((), ("<|endoftext|>",), roberta=False)
    eos = data["model"]["vocab"]["<|endoftext|>"]
    _write_json(snap / "tokenizer.json", data)
    _write_vocab_merges(snap, data)
    _write_json(snap / "tokenizer_config.json", {"model_max_length": 1024})
    config = GPT2Config(vocab_size=len(data["model"]["vocab"]), n_positions=1024, n_embd=64, n_layer=2,
                        n_head=2, bos_token_id=eos, eos_token_id=eos,
                        task_specific_params={"text-generation": {"do_sample": True, "max_length": 50}})
    _save_model(GPT2LMHeadModel(config), snap)
    _generation_config(snap, bos_token_id=eos, eos_token_id=eos)


def _build_smollm2(snap: Path) -> None:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    _importable_course_utils()
    from course_utils.models.offline import smollm2_dir
    src = smollm2_dir()
    data = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    shutil.copy(src / "tokenizer.json", snap / "tokenizer.json")
    _write_vocab_merges(snap, data)
    template = (src / "chat_template.jinja").read_text(encoding="utf-8") if (src / "chat_template.jinja").is_file() \
        else json.loads((src / "tokenizer_config.json").read_text())["chat_template"]
    specials = ["<|im_start|>", "<|im_end|>"]
    _write_json(snap / "tokenizer_config.json", {
        "add_prefix_space": False, "additional_special_tokens": specials,
        "bos_token": "<|im_start|>", "chat_template": template, "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>", "model_max_length": 8192, "pad_token": "<|im_end|>",
        "tokenizer_class": "GPT2Tokenizer", "unk_token": "<|endoftext|>", "vocab_size": 49152})
    _write_json(snap / "special_tokens_map.json", {
        "additional_special_tokens": specials, "bos_token": "<|im_start|>", "eos_token": "<|im_end|>",
        "pad_token": "<|im_end|>", "unk_token": "<|endoftext|>"})
    ids = {t["content"]: t["id"] for t in data["added_tokens"]}
    bos, eos = ids["<|im_start|>"], ids["<|im_end|>"]
    config = LlamaConfig(vocab_size=49152, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                         max_position_embeddings=8192, tie_word_embeddings=True, rms_norm_eps=1e-5,
                         rope_parameters={"rope_type": "default", "rope_theta": 100000.0},
                         bos_token_id=bos, eos_token_id=eos, pad_token_id=eos)
    model = LlamaForCausalLM(config).to(torch.bfloat16)
    _save_model(model, snap)
    _generation_config(snap, bos_token_id=bos, eos_token_id=eos, pad_token_id=eos)


_SENTIMENT_LABELS = {0: "negative", 1: "neutral", 2: "positive"}


def _build_cardiff(snap: Path) -> None:
    from transformers import RobertaForSequenceClassification
    data = _roberta_tokenizer_json()
    _write_vocab_merges(snap, data)
    _write_json(snap / "special_tokens_map.json", _ROBERTA_SPECIAL_TOKENS_MAP)
    config = _tiny_roberta_config(len(data["model"]["vocab"]), id2label=_SENTIMENT_LABELS,
                                  label2id={v: k for k, v in _SENTIMENT_LABELS.items()})
    _save_model(RobertaForSequenceClassification(config), snap, safetensors=False)


def _build_roberta_base(snap: Path) -> None:
    from transformers import RobertaForMaskedLM
    data = _roberta_tokenizer_json()
    _write_json(snap / "tokenizer.json", data)
    _write_vocab_merges(snap, data)
    _save_model(RobertaForMaskedLM(_tiny_roberta_config(len(data["model"]["vocab"]))), snap)


def _build_minilm(snap: Path) -> None:
    from transformers import BertModel
    src = _minilm_folder()
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                 "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json"):
        shutil.copy(src / name, snap / name)
    pooling = json.loads((src / "1_Pooling" / "config.json").read_text())
    pooling["word_embedding_dimension"] = 64
    _write_json(snap / "1_Pooling" / "config.json", pooling)
    _save_model(BertModel(_tiny_bert_config(), add_pooling_layer=True), snap)


_TOXIC_LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")


def _build_toxic_bert(snap: Path) -> None:
    from transformers import BertForSequenceClassification
    src = _minilm_folder()                      # bert-base-uncased's vocabulary
    shutil.copy(src / "vocab.txt", snap / "vocab.txt")
    shutil.copy(src / "special_tokens_map.json", snap / "special_tokens_map.json")
    _write_json(snap / "tokenizer_config.json", {"do_lower_case": True, "model_max_length": 512})
    id2label = dict(enumerate(_TOXIC_LABELS))
    config = _tiny_bert_config(problem_type="multi_label_classification", id2label=id2label,
                               label2id={v: k for k, v in id2label.items()})
    _save_model(BertForSequenceClassification(config), snap)


_T5_EXTRA_IDS = 100


def _t5_tokenizer_json() -> dict:
    """A T5-style SentencePiece-Unigram tokenizer.json trained on English (ids as in t5-base:
    <pad>=0, </s>=1, <unk>=2, pieces, then <extra_id_99> .. <extra_id_0> last; appends </s>)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    trainer = trainers.UnigramTrainer(vocab_size=BPE_VOCAB, special_tokens=["<pad>", "</s>", "<unk>"],
                                      unk_token="<unk>", show_progress=False)
    tok.train_from_iterator(_english_text(), trainer)
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                       special_tokens=[("</s>", 1)])
    data = json.loads(tok.to_str())
    vocab = data["model"]["vocab"]
    for i in reversed(range(_T5_EXTRA_IDS)):
        token = f"<extra_id_{i}>"
        data["added_tokens"].append({"id": len(vocab), "content": token, "single_word": False, "lstrip": False,
                                     "rstrip": False, "normalized": False, "special": True})
        vocab.append([token, 0.0])
    Tokenizer.from_str(json.dumps(data))  # must parse
    return data


def _build_musicgen(snap: Path) -> None:
    from transformers import (EncodecConfig, MusicgenConfig, MusicgenDecoderConfig,
                              MusicgenForConditionalGeneration, T5Config)
    data = _t5_tokenizer_json()
    extra = [f"<extra_id_{i}>" for i in range(_T5_EXTRA_IDS)]
    _write_json(snap / "tokenizer.json", data)
    _write_json(snap / "tokenizer_config.json", {
        "additional_special_tokens": extra, "clean_up_tokenization_spaces": True, "eos_token": "</s>",
        "extra_ids": _T5_EXTRA_IDS, "model_max_length": 512, "pad_token": "<pad>",
        "tokenizer_class": "T5Tokenizer", "unk_token": "<unk>"})
    _write_json(snap / "special_tokens_map.json", {
        "additional_special_tokens": extra, "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"})
    sampling_rate = 32000
    _write_json(snap / "preprocessor_config.json", {
        "chunk_length_s": None, "feature_extractor_type": "EncodecFeatureExtractor", "feature_size": 1,
        "overlap": None, "padding_side": "left", "padding_value": 0.0, "processor_class": "MusicgenProcessor",
        "return_attention_mask": True, "sampling_rate": sampling_rate})
    codes = 2048                           # EnCodec codebook size = decoder vocabulary; 2048 = pad/start
    text = T5Config(vocab_size=len(data["model"]["vocab"]), d_model=32, d_kv=16, d_ff=64, num_layers=2,
                    num_heads=2, relative_attention_num_buckets=32, feed_forward_proj="relu",
                    pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    audio = EncodecConfig(sampling_rate=sampling_rate, target_bandwidths=[2.2], codebook_size=codes,
                          audio_channels=1, num_filters=4, hidden_size=16, codebook_dim=16,
                          upsampling_ratios=[8, 5, 4, 4], num_lstm_layers=1, compress=2, normalize=False,
                          use_causal_conv=False, norm_type="weight_norm", chunk_length_s=None, overlap=None)
    decoder = MusicgenDecoderConfig(vocab_size=codes, hidden_size=32, num_hidden_layers=2,
                                    num_attention_heads=2, ffn_dim=64, num_codebooks=audio.num_quantizers,
                                    max_position_embeddings=2048, pad_token_id=codes, bos_token_id=codes,
                                    decoder_start_token_id=codes, audio_channels=1, tie_word_embeddings=False)
    config = MusicgenConfig(text_encoder=text, audio_encoder=audio, decoder=decoder)
    _save_model(MusicgenForConditionalGeneration(config), snap)
    _write_json(snap / "generation_config.json", {
        "_from_model_config": False, "bos_token_id": codes, "decoder_start_token_id": codes,
        "do_sample": True, "guidance_scale": 3.0, "max_length": 1500, "pad_token_id": codes})


# MMS-TTS Korean: the Hub's tokenizer settings (tokenizer_config.json, special_tokens_map.json);
# vocab.json's symbols are a guess (ASSUMED): the letters uroman writes for Korean, space, ' and -
_MMS_KOR_SYMBOLS = ("u", " ", "'", "-", "a", "b", "c", "d", "e", "g", "h", "i", "j", "k", "l", "m", "n", "o",
                    "p", "r", "s", "t", "w", "y", "z")


def _build_mms_tts_kor(snap: Path) -> None:
    import torch
    from transformers import VitsConfig, VitsModel
    vocab = {symbol: i for i, symbol in enumerate(_MMS_KOR_SYMBOLS)}
    (snap / "vocab.json").write_text(json.dumps(vocab, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _write_json(snap / "tokenizer_config.json", {
        "add_blank": True, "clean_up_tokenization_spaces": True, "is_uroman": True, "language": "kor",
        "model_max_length": 1000000000000000019884624838656, "normalize": True, "pad_token": "u",
        "phonemize": False, "tokenizer_class": "VitsTokenizer", "unk_token": "<unk>"})
    _write_json(snap / "special_tokens_map.json", {"pad_token": "u", "unk_token": "<unk>"})
    # the published MMS-TTS values where they shape the output (16 kHz, 256 samples per frame from
    # upsample rates 8·8·2·2, stochastic duration predictor, noise scales), tiny widths and depths
    config = VitsConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        window_size=4, ffn_dim=32, ffn_kernel_size=3, flow_size=16, spectrogram_bins=33,
                        use_stochastic_duration_prediction=True, upsample_initial_channel=16,
                        upsample_rates=[8, 8, 2, 2], upsample_kernel_sizes=[16, 16, 4, 4],
                        resblock_kernel_sizes=[3, 7, 11], resblock_dilation_sizes=[[1, 3, 5]] * 3,
                        duration_predictor_filter_channels=16, duration_predictor_num_flows=2,
                        prior_encoder_num_flows=2, prior_encoder_num_wavenet_layers=2,
                        posterior_encoder_num_wavenet_layers=2, speaking_rate=1.0, noise_scale=0.667,
                        noise_scale_duration=0.8, sampling_rate=16000, pad_token_id=0)
    model = VitsModel(config)
    with torch.no_grad():   # random durations would run to minutes of audio: keep them near a real sentence's
        for name, param in model.duration_predictor.named_parameters():
            if "conv_proj" in name:
                param.mul_(0.1)
    _save_model(model, snap)


# --------------------------------------------------------------------------- the dataset
def _build_tweet_eval(cache: Path) -> None:
    """Prepare tweet_eval/sentiment with the Parquet builder, configured as a Hub download is.

    A real `load_dataset("cardiffnlp/tweet_eval", "sentiment")` runs datasets' Parquet builder
    with the README's "sentiment" config and dataset_name "tweet_eval", hash = the repo commit,
    and leaves cardiffnlp___tweet_eval/sentiment/0.0.0/<commit>/ with dataset_info.json and
    tweet_eval-{train,validation,test}.arrow, which the offline Cache builder reads back.
    """
    import datasets
    import pandas as pd
    from datasets.data_files import DataFilesDict
    from datasets.load import configure_builder_class
    from datasets.packaged_modules.parquet.parquet import Parquet, ParquetConfig
    _importable_course_utils()
    from course_utils.data.tweets import LABELS, tweet_splits

    n_train, n_val, n_test = (DATASET_ROWS[s] for s in ("train", "validation", "test"))
    rest, test = tweet_splits(per_class_train=(n_train + n_val + 2) // 3, per_class_test=n_test // 3, seed=0)
    frames = {"train": rest.iloc[:n_train], "validation": rest.iloc[n_train:n_train + n_val], "test": test}
    features = datasets.Features({"text": datasets.Value("string"),
                                  "label": datasets.ClassLabel(names=list(LABELS))})
    from datasets.utils import are_progress_bars_disabled
    bars_were_off = are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        with tempfile.TemporaryDirectory() as src:
            files = {}
            for split, df in frames.items():
                path = Path(src) / DATASET_CONFIG / f"{split}-00000-of-00001.parquet"
                path.parent.mkdir(exist_ok=True)
                pd.DataFrame({"text": df["text"].astype(str).to_numpy(),
                              "label": df["label_id"].astype("int64").to_numpy()}).to_parquet(path, index=False)
                files[split] = [str(path)]
            config = ParquetConfig(name=DATASET_CONFIG, data_files=DataFilesDict.from_local_or_remote(files),
                                   features=features)
            builder_cls = configure_builder_class(Parquet, [config], default_config_name=None,
                                                  dataset_name=DATASET.split("/")[-1])
            # Without repo_id (the builder refuses local data files for a Hub repo id), the
            # folder is named tweet_eval/ instead of cardiffnlp___tweet_eval/: renamed below.
            builder = builder_cls(cache_dir=str(cache), dataset_name=DATASET.split("/")[-1],
                                  config_name=DATASET_CONFIG, hash=commit_for(DATASET))
            builder.download_and_prepare()
        os.rename(cache / DATASET.split("/")[-1], cache / DATASET.replace("/", "___"))
        for lock in cache.glob("_tmp*.lock"):   # named after the temporary build folder
            lock.unlink()
    finally:
        if not bars_were_off:
            datasets.enable_progress_bars()
    expected = cache / DATASET.replace("/", "___") / DATASET_CONFIG / "0.0.0" / commit_for(DATASET)
    names = {p.name for p in expected.iterdir()} if expected.is_dir() else set()
    want = {"dataset_info.json"} | {f"tweet_eval-{s}.arrow" for s in DATASET_ROWS}
    if not want <= names:
        raise RuntimeError(f"tweet_eval cache at {expected} has {sorted(names)}, expected {sorted(want)}")
    info = json.loads((expected / "dataset_info.json").read_text())
    if info.get("config_name") != DATASET_CONFIG:
        raise RuntimeError(f"tweet_eval dataset_info.json has config_name {info.get('config_name')!r}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/fake_hub.py ROOT")
    t0 = time.perf_counter()
    env = build_fake_hub(Path(sys.argv[1]))
    for key, value in env.items():
        print(f"{key}={value}")
    print(f"# ready in {time.perf_counter() - t0:.1f} s; also set HF_HUB_OFFLINE=1", file=sys.stderr)
