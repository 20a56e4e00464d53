"""Load the model for a lesson role, online (Hub) or offline (packaged), and say what ran.

    from course_utils import load_model, load_pipeline
    lm = load_model("text-generation")      # prints: which model, from where, and why
    clf = load_pipeline("sentiment")        # an ordinary transformers pipeline

Safety: weights are read from safetensors only (`use_safetensors=True`) and remote code is
never trusted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import RoleSpec, get_role
from .device import get_device
from .errors import BadInputError, OnlineOnlyError
from .hub import HubMode, decide_mode
from .quiet import quiet_libraries, silenced


@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any
    role: str
    name: str          # what ran, e.g. "SmolLM2-135M-Instruct" or "openai-community/gpt2"
    source: str        # "hub" or "offline"
    reason: str        # why this one (the mode decision)
    path: str          # Hub id or local folder

    def __iter__(self):  # allows: model, tokenizer = load_model(...)
        return iter((self.model, self.tokenizer))

    def summary(self) -> str:
        where = "Hugging Face Hub" if self.source == "hub" else "offline default"
        return f"[{self.role}] {self.name} — {where}, because {self.reason}"


def _auto_class(spec: RoleSpec):
    import transformers as T
    return {"text-generation": T.AutoModelForCausalLM, "text-classification": T.AutoModelForSequenceClassification,
            "feature-extraction": T.AutoModel}[spec.task]


def resolve(role: str, mode: str | None = None) -> tuple[RoleSpec, HubMode, str, str]:
    """Decide (spec, mode, name, path) for a role without loading anything."""
    spec = get_role(role)
    hub = decide_mode(mode)
    if hub.online:
        return spec, hub, spec.hub_id, spec.hub_id
    if spec.offline is None:
        raise OnlineOnlyError(
            f"The role {spec.role!r} ({spec.hub_id}) needs the Hugging Face Hub, and this session is "
            f"{hub}. This lesson trains its own small model offline instead; to run the big one, "
            "use Colab with a GPU, or set COURSE_MODE=online on a connected machine.")
    return spec, hub, spec.offline.name, str(_offline_path(spec.offline.key))


def _offline_path(key: str) -> Path:
    from .offline_models import minilm_dir, smollm2_dir
    from .sentiment_model import offline_sentiment_dir
    return {"smollm2": smollm2_dir, "minilm": minilm_dir, "minilm-sentiment": offline_sentiment_dir}[key]()


def load_model(role: str, *, mode: str | None = None, device: str | None = None,
               dtype=None, verbose: bool = True) -> LoadedModel:
    """Load model + tokenizer for `role`; prints one line saying what ran and why."""
    spec, hub, name, path = resolve(role, mode)
    quiet_libraries()
    from transformers import AutoTokenizer

    choice = get_device(device)
    pin = {"revision": spec.hub_revision} if hub.online and spec.hub_revision else {}
    try:
        with silenced():
            tok = AutoTokenizer.from_pretrained(path, **pin)
            model = _auto_class(spec).from_pretrained(path, use_safetensors=True, trust_remote_code=False,
                                                      dtype=dtype or choice.dtype, **pin)
    except OSError as err:
        if hub.online:
            raise OnlineOnlyError(
                f"Could not download {path} from the Hub ({err.__class__.__name__}: {str(err)[:200]}). "
                "Check the connection, or run offline with COURSE_MODE=offline.") from err
        raise
    model = model.to(choice.device).eval()
    if tok.pad_token is None and tok.eos_token is not None:  # GPT-2 has no pad token
        tok.pad_token = tok.eos_token
    loaded = LoadedModel(model, tok, spec.role, name, "hub" if hub.online else "offline", hub.reason, path)
    if verbose:
        print(loaded.summary())
    return loaded


def load_pipeline(role: str, *, mode: str | None = None, device: str | None = None, verbose: bool = True, **kwargs):
    """An ordinary `transformers.pipeline` for the role's task, on the role's model."""
    loaded = load_model(role, mode=mode, device=device, verbose=verbose)
    from transformers import pipeline
    spec = get_role(role)
    return pipeline(spec.task, model=loaded.model, tokenizer=loaded.tokenizer, **kwargs)


def check_text(text, what: str = "text") -> str:
    """Reject empty input with a message instead of a deep traceback."""
    if not isinstance(text, str):
        raise BadInputError(f"{what} must be a string, got {type(text).__name__}.")
    if not text.strip():
        raise BadInputError(f"{what} is empty: type at least one word.")
    return text
