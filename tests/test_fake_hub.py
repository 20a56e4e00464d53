"""The fake Hub cache (tests/fake_hub.py): file sets as declared, and loadable by repo id offline.

The loading runs in one subprocess with HF_HUB_OFFLINE=1 and only the fake caches, so
nothing from this process's Hub settings (or a real cache in ~/.cache) can leak in.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_hub  # noqa: E402
from fake_hub import DATASET, DATASET_CONFIG, DATASET_ROWS, REPOS, build_fake_hub, commit_for, snapshot_dir  # noqa: E402

CARDIFF = "cardiffnlp/twitter-roberta-base-sentiment-latest"


@pytest.fixture(scope="session")
def fake_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fake_hub") / "root"
    build_fake_hub(root)
    return root


@pytest.fixture(scope="session")
def offline_env(fake_root) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "HUGGING_FACE_", "TRANSFORMERS_", "SENTENCE_TRANSFORMERS_"))}
    env.update(build_fake_hub(fake_root))      # reuses the built cache
    env.update(HF_HUB_OFFLINE="1", HF_HOME=str(fake_root.parent / "hf_home"),
               HF_HUB_DISABLE_TELEMETRY="1", TOKENIZERS_PARALLELISM="false")
    return env


_SCRIPT = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import transformers
from transformers import AutoConfig, AutoTokenizer
transformers.utils.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()
specs = json.loads(sys.argv[1])
MUSICGEN = "facebook/musicgen-small"
MMS_KOR = "facebook/mms-tts-kor"
results = {}
for repo_id, (auto_class, use_safetensors) in specs.items():
    r = results[repo_id] = {}
    if repo_id == MMS_KOR:    # VITS: a tokenizer of single letters, a waveform out of one forward pass
        import torch, uroman
        tok = AutoTokenizer.from_pretrained(repo_id)
        r["tokenizer"] = [type(tok).__name__, tok.is_uroman, tok.language, tok.pad_token, tok.pad_token_id]
        model = getattr(transformers, auto_class).from_pretrained(repo_id, use_safetensors=use_safetensors)
        r["model_class"] = type(model).__name__
        r["sampling_rate"] = model.config.sampling_rate
        romanised = uroman.Uroman().romanize_string("안녕하세요")
        batch = tok(romanised, return_tensors="pt")
        r["romanised"], r["decoded"] = romanised, tok.decode(batch["input_ids"][0])
        r["hangul_same_ids"] = tok("안녕하세요", return_tensors="pt")["input_ids"].tolist() == batch["input_ids"].tolist()
        torch.manual_seed(0)
        with torch.no_grad():
            out = model(**batch)
        r["output_shape"] = list(out.waveform.shape)
        r["sequence_length"] = int(out.sequence_lengths[0])
        continue
    if repo_id == MUSICGEN:   # a processor, and generate() instead of a plain forward pass
        import torch
        from transformers import AutoProcessor
        processor = AutoProcessor.from_pretrained(repo_id)
        r["processor"] = [type(processor).__name__, type(processor.tokenizer).__name__,
                          type(processor.feature_extractor).__name__]
        model = getattr(transformers, auto_class).from_pretrained(repo_id, use_safetensors=use_safetensors)
        r["model_class"] = type(model).__name__
        r["sampling_rate"] = model.config.audio_encoder.sampling_rate
        inputs = processor(text=["a calm folk melody"], padding=True, return_tensors="pt")
        torch.manual_seed(0)
        audio = model.generate(**inputs, do_sample=True, guidance_scale=3.0, max_new_tokens=8)
        r["output_shape"] = list(audio.shape)
        continue
    tok = AutoTokenizer.from_pretrained(repo_id)
    r["model_max_length"] = float(tok.model_max_length)
    r["chat_template"] = bool(getattr(tok, "chat_template", None))
    if r["chat_template"]:
        r["chat_text"] = tok.apply_chat_template([{"role": "user", "content": "Hi"}], tokenize=False,
                                                 add_generation_prompt=True)
    r["eos_token"] = tok.eos_token
    model = getattr(transformers, auto_class).from_pretrained(repo_id, use_safetensors=use_safetensors)
    r["model_class"] = type(model).__name__
    r["dtype"] = str(model.dtype)
    r["problem_type"] = model.config.problem_type
    r["id2label"] = {str(k): v for k, v in model.config.id2label.items()}
    batch = tok(["Hello world, what a lovely day!"], return_tensors="pt")
    r["output_shape"] = list(model(**batch)[0].shape)
    if model.can_generate():
        out = model.generate(**batch, max_new_tokens=3, do_sample=False, pad_token_id=tok.eos_token_id)
        r["generated"] = out.shape[1] - batch["input_ids"].shape[1]
    if not use_safetensors:   # the repo has no safetensors: asking for them must fail
        try:
            getattr(transformers, auto_class).from_pretrained(repo_id, use_safetensors=True)
            r["safetensors_refused"] = False
        except OSError:
            r["safetensors_refused"] = True

import datasets
datasets.disable_progress_bars()
ds = datasets.load_dataset("cardiffnlp/tweet_eval", "sentiment")
results["dataset"] = {
    "splits": {name: split.num_rows for name, split in ds.items()},
    "columns": ds["train"].column_names,
    "label_names": ds["train"].features["label"].names,
    "sample": ds["train"].shuffle(seed=0).select(range(5)).to_pandas().to_dict("list"),
}
print("RESULTS=" + json.dumps(results))
"""


@pytest.fixture(scope="session")
def offline_results(offline_env, fake_root) -> dict:
    specs = {r.repo_id: (r.auto_class, r.use_safetensors) for r in REPOS.values()}
    proc = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(specs)], env=offline_env,
                          cwd=str(fake_root.parent), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULTS=")][-1]
    return json.loads(line[len("RESULTS="):])


# ------------------------------------------------------------------ on disk
@pytest.mark.parametrize("repo_id", list(REPOS))
def test_file_set_is_the_declared_one(fake_root, repo_id):
    snap = snapshot_dir(fake_root, repo_id)
    on_disk = {p.relative_to(snap).as_posix() for p in snap.rglob("*") if p.is_file()}
    assert on_disk == set(REPOS[repo_id].files)
    refs = snap.parent.parent / "refs" / "main"
    assert refs.read_text() == commit_for(repo_id) == snap.name   # no trailing newline


def test_cardiff_has_the_real_repos_awkward_file_set(fake_root):
    files = set(REPOS[CARDIFF].files)
    assert "pytorch_model.bin" in files
    assert not {f for f in files if f.endswith(".safetensors")}
    assert "tokenizer_config.json" not in files and "tokenizer.json" not in files
    assert not (snapshot_dir(fake_root, CARDIFF) / "tokenizer_config.json").exists()


def test_second_build_reuses_the_cache(fake_root):
    marker = fake_root / fake_hub.MARKER
    before = marker.stat().st_mtime_ns
    assert build_fake_hub(fake_root) == {"HF_HUB_CACHE": str(fake_root / "hub"),
                                         "HF_DATASETS_CACHE": str(fake_root / "datasets")}
    assert marker.stat().st_mtime_ns == before
    assert not [p for p in fake_root.parent.glob(".root.*") if p.is_dir()]   # no temporary build folder left


def test_dataset_cache_layout(fake_root):
    folder = fake_root / "datasets" / DATASET.replace("/", "___") / DATASET_CONFIG / "0.0.0" / commit_for(DATASET)
    names = {p.name for p in folder.iterdir()}
    assert names == {"dataset_info.json"} | {f"tweet_eval-{s}.arrow" for s in DATASET_ROWS}
    assert json.loads((folder / "dataset_info.json").read_text())["config_name"] == DATASET_CONFIG


# ------------------------------------------------------------------ loaded by repo id, offline
@pytest.mark.parametrize("repo_id", list(REPOS))
def test_loads_by_repo_id_offline(offline_results, repo_id):
    r = offline_results[repo_id]
    spec = REPOS[repo_id]
    assert r["model_class"] == {
        "openai-community/gpt2": "GPT2LMHeadModel",
        "HuggingFaceTB/SmolLM2-135M-Instruct": "LlamaForCausalLM",
        CARDIFF: "RobertaForSequenceClassification",
        "FacebookAI/roberta-base": "RobertaForMaskedLM",
        "sentence-transformers/all-MiniLM-L6-v2": "BertModel",
        "unitary/toxic-bert": "BertForSequenceClassification",
        "facebook/musicgen-small": "MusicgenForConditionalGeneration",
        "facebook/mms-tts-kor": "VitsModel",
    }[repo_id]
    assert r["output_shape"][0] == 1
    if spec.auto_class == "AutoModelForCausalLM":
        assert r["generated"] == 3


def test_gpt2_has_no_chat_template_and_1024_context(offline_results):
    r = offline_results["openai-community/gpt2"]
    assert not r["chat_template"]
    assert r["model_max_length"] == 1024
    assert r["eos_token"] == "<|endoftext|>"


def test_smollm2_has_a_chat_template(offline_results):
    r = offline_results["HuggingFaceTB/SmolLM2-135M-Instruct"]
    assert r["chat_template"]
    assert r["chat_text"].endswith("<|im_start|>assistant\n")
    assert r["eos_token"] == "<|im_end|>"
    assert r["output_shape"][-1] == 49152


def test_cardiff_tokenizer_has_no_length_limit_and_no_safetensors(offline_results):
    r = offline_results[CARDIFF]
    assert r["model_max_length"] > 1e6          # the real repo's trap: no tokenizer_config.json
    assert r["safetensors_refused"] is True
    assert r["id2label"] == {"0": "negative", "1": "neutral", "2": "positive"}
    assert r["output_shape"] == [1, 3]


def test_toxic_bert_is_multi_label(offline_results):
    r = offline_results["unitary/toxic-bert"]
    assert r["problem_type"] == "multi_label_classification"
    assert list(r["id2label"].values()) == ["toxic", "severe_toxic", "obscene", "threat", "insult",
                                            "identity_hate"]
    assert r["output_shape"] == [1, 6]


def test_minilm_is_a_bare_encoder_with_mean_pooling(offline_results, fake_root):
    assert offline_results["sentence-transformers/all-MiniLM-L6-v2"]["output_shape"][-1] == 64
    snap = snapshot_dir(fake_root, "sentence-transformers/all-MiniLM-L6-v2")
    pooling = json.loads((snap / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and pooling["word_embedding_dimension"] == 64


def test_musicgen_processor_and_sampling_with_guidance(offline_results):
    r = offline_results["facebook/musicgen-small"]
    assert r["processor"] == ["MusicgenProcessor", "T5Tokenizer", "EncodecFeatureExtractor"]
    assert r["sampling_rate"] == 32000
    batch, channels, samples = r["output_shape"]
    assert (batch, channels) == (1, 1) and samples > 0 and samples % 640 == 0   # 640 samples per frame


def test_mms_tts_kor_reads_romanised_letters_and_speaks_at_16_khz(offline_results, fake_root):
    """The real repo's tokenizer settings: VitsTokenizer, is_uroman, Korean; a waveform of whole frames."""
    r = offline_results["facebook/mms-tts-kor"]
    assert r["tokenizer"] == ["VitsTokenizer", True, "kor", "u", 0]
    assert r["sampling_rate"] == 16000
    assert r["romanised"] == "annyeonghaseyo" and r["decoded"] == "annyeonghaseyo"
    assert r["hangul_same_ids"]            # with uroman installed, the tokenizer romanises Hangul itself
    batch, samples = r["output_shape"]
    assert batch == 1 and samples > 0 and samples % 256 == 0 and samples == r["sequence_length"]   # 256 per frame
    assert (snapshot_dir(fake_root, "facebook/mms-tts-kor") / "vocab.json").stat().st_size == 268   # as on the Hub


def test_pinned_repos_sit_under_the_catalogs_revision(fake_root):
    """A pinned role loads `revision=<commit>`: offline, that reads snapshots/<commit>/ of the cache."""
    from course_utils.models.catalog import CATALOG
    pins = {s.hub_id: s.hub_revision for s in CATALOG.values() if s.hub_revision and s.hub_id in REPOS}
    assert pins == fake_hub.PINNED
    for repo_id, commit in pins.items():
        assert snapshot_dir(fake_root, repo_id).name == commit and snapshot_dir(fake_root, repo_id).is_dir()


def test_tweet_eval_loads_offline(offline_results):
    d = offline_results["dataset"]
    assert d["splits"] == DATASET_ROWS
    assert d["columns"] == ["text", "label"]
    assert d["label_names"] == ["negative", "neutral", "positive"]
    assert len(d["sample"]["text"]) == 5 and set(d["sample"]["label"]) <= {0, 1, 2}


_COURSE_LOAD = r"""
import json, os
import course_utils as cu
cu.decide_mode("cached")
out = {}
for role in ("sentiment", "classification-encoder", "text-generation"):
    lm = cu.load_model(role, verbose=False)
    out[role] = {"weights": cu.weights_kwargs(role), "tokenizer": cu.tokenizer_kwargs(role),
                 "max_length": lm.tokenizer.model_max_length, "name": lm.name, "source": lm.source}
out["no_conversion"] = os.environ.get("DISABLE_SAFETENSORS_CONVERSION")
try:
    cu.load_model("chat", verbose=False)          # present, for contrast with a missing repo
    os.environ["HF_HUB_CACHE"] = os.environ["HF_HUB_CACHE"] + "-missing"
    import huggingface_hub.constants as c; c.HF_HUB_CACHE = os.environ["HF_HUB_CACHE"]
    cu.load_model("sentence-encoder", verbose=False)
except cu.OnlineOnlyError as err:
    out["missing"] = str(err)
print(json.dumps(out))
"""


def test_course_loads_the_bin_only_sentiment_repo_safely_with_its_512_token_limit(offline_env):
    """COURSE_MODE=cached on the copied repos: cardiff's .bin is read as tensors only, with the
    conversion request off, and its tokenizer gets the 512-token limit its repo does not state."""
    done = subprocess.run([sys.executable, "-c", _COURSE_LOAD], env=offline_env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    sentiment = out["sentiment"]
    assert sentiment["weights"] == {"use_safetensors": False, "weights_only": True}
    assert sentiment["tokenizer"] == {"model_max_length": 512} and sentiment["max_length"] == 512
    assert sentiment["name"] == CARDIFF and sentiment["source"] == "hub"
    assert out["no_conversion"] == "1"
    assert out["classification-encoder"]["max_length"] == 512        # roberta-base states no limit either
    assert out["text-generation"]["weights"] == {"use_safetensors": True}
    assert out["text-generation"]["max_length"] == 1024               # GPT-2's own tokenizer_config
    assert "not in this machine's Hugging Face cache" in out["missing"]


_MUSICGEN_CELL = r"""
import json, torch
import course_utils as cu
cu.decide_mode("cached")
musicgen, processor = cu.load_model("music-generation", dtype=torch.float32, verbose=False)
inputs = processor(text=["a calm folk melody on a clarinet, in a minor key"], padding=True, return_tensors="pt")
torch.manual_seed(0)
codes = musicgen.generate(**inputs, do_sample=True, guidance_scale=3.0, max_new_tokens=8)
try:
    cu.load_model("image-generation", verbose=False)
except cu.BadInputError as err:
    image_error = str(err)
print(json.dumps({"model": type(musicgen).__name__, "processor": type(processor).__name__,
                  "shape": list(codes.shape), "rate": musicgen.config.audio_encoder.sampling_rate,
                  "image_error": image_error}))
"""


def test_lesson_08s_musicgen_cell_runs_on_the_copied_repo(offline_env):
    """The calls of lesson 08's MusicGen cell (which runs only on a GPU), on the CPU with tiny weights."""
    done = subprocess.run([sys.executable, "-c", _MUSICGEN_CELL], env=offline_env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["model"] == "MusicgenForConditionalGeneration" and out["processor"] == "MusicgenProcessor"
    assert out["shape"][:2] == [1, 1] and out["shape"][2] > 0 and out["rate"] == 32000
    assert "diffusers" in out["image_error"]


_TTS_CELL = r"""
import json, torch, uroman
import course_utils as cu
from course_utils.models import loading
cu.decide_mode("cached")
tts, tok = cu.load_model("text-to-speech", dtype=torch.float32, verbose=False)
romanised = uroman.Uroman().romanize_string("안녕하세요, 트랜스포머로 만든 목소리입니다.")
ids = tok(romanised, return_tensors="pt")
lengths = []
for seed in (0, 1, 0):
    torch.manual_seed(seed)
    with torch.no_grad():
        lengths.append(tts(**ids).waveform.shape[-1])
loading.is_installed = lambda name: name != "uroman"      # as on a machine without the package
try:
    cu.load_model("text-to-speech", verbose=False)
    missing = None
except cu.BadInputError as err:
    missing = str(err)
print(json.dumps({"model": type(tts).__name__, "tokenizer": type(tok).__name__, "romanised": romanised,
                  "n_ids": ids["input_ids"].shape[-1], "lengths": lengths, "rate": tts.config.sampling_rate,
                  "dtype": str(tts.dtype), "revision": cu.get_role("text-to-speech").hub_revision,
                  "missing": missing}))
"""


def test_lesson_08s_speech_cell_runs_on_the_copied_repo(offline_env):
    """The calls of lesson 08's text-to-speech cell, through the catalog (its pinned revision), on the
    copied repo: romanised Korean in, a waveform out, sampled (the seed changes it, the same seed repeats
    it); without uroman the role says what to install."""
    done = subprocess.run([sys.executable, "-c", _TTS_CELL], env=offline_env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["model"] == "VitsModel" and out["tokenizer"] == "VitsTokenizer"
    assert out["romanised"] == "annyeonghaseyo, teuraenseupomeoro mandeun mogsoriibnida."
    assert out["n_ids"] == 2 * len("annyeonghaseyo teuraenseupomeoro mandeun mogsoriibnida") + 1  # blanks between
    first, second, again = out["lengths"]
    assert first > 0 and first % 256 == 0 and first == again != second
    assert out["rate"] == 16000 and out["dtype"] == "torch.float32"
    assert out["revision"] == fake_hub.PINNED["facebook/mms-tts-kor"]
    assert "pip install uroman" in out["missing"]
