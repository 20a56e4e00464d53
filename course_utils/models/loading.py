"""Load the model for a lesson role, online (Hub) or offline (packaged), and say what ran.

    from course_utils import load_model, load_pipeline
    lm = load_model("text-generation")      # prints: which model, from where, and why
    clf = load_pipeline("sentiment")        # an ordinary transformers pipeline

Safety: weights are read from safetensors (`use_safetensors=True`) and remote code is never
trusted. The one role whose Hub repo has no safetensors (see `catalog`) reads its `.bin` with
`weights_only=True`; `weights_kwargs(role)` says which, so notebooks that call `from_pretrained`
themselves load exactly as `load_model` does.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_utils.models.catalog import RoleSpec, get_role
from course_utils.kernel.device import get_device
from course_utils.kernel.errors import BadInputError, OnlineOnlyError
from course_utils.kernel.packages import is_installed
from course_utils.models.hub import HubMode, decide_mode
from course_utils.kernel.quiet import quiet_libraries, silenced


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
            "feature-extraction": T.AutoModel, "text-to-audio": T.AutoModelForTextToWaveform,
            "text-to-speech": T.AutoModelForTextToWaveform,   # VITS: VitsModel, text -> waveform
            "translation": T.AutoModelForSeq2SeqLM}[spec.task]


def _preprocessor_class(spec: RoleSpec):
    """A tokenizer for text models (VITS too: its tokenizer is the whole preprocessing); the processor
    (tokenizer + audio features) for MusicGen."""
    import transformers as T
    return T.AutoProcessor if spec.task == "text-to-audio" else T.AutoTokenizer


def resolve(role: str, mode: str | None = None) -> tuple[RoleSpec, HubMode, str, str]:
    """Decide (spec, mode, name, path) for a role without loading anything."""
    spec = get_role(role)
    hub = decide_mode(mode)
    if hub.online:
        return spec, hub, spec.hub_id, spec.hub_id
    if spec.offline is None:
        raise OnlineOnlyError(
            f"The role {spec.role!r} ({spec.hub_id}) needs the Hugging Face Hub, and this session is "
            f"{hub}. Offline: {spec.offline_note}. To run the Hub model, use Colab (a GPU for the big "
            "ones), or set COURSE_MODE=online on a connected machine.")
    return spec, hub, spec.offline.name, str(_offline_path(spec.offline.key))


def _offline_path(key: str) -> Path:
    from course_utils.models.offline import minilm_dir, smollm2_dir
    from course_utils.models.sentiment import offline_sentiment_dir
    return {"smollm2": smollm2_dir, "minilm": minilm_dir, "minilm-sentiment": offline_sentiment_dir}[key]()


def weights_kwargs(role: str, mode: str | None = None) -> dict:
    """The `from_pretrained` arguments that read the role's weights safely."""
    spec, hub, _, _ = resolve(role, mode)
    if hub.online and spec.hub_weights == "bin":
        # no safetensors in this Hub repo: tensors only, and no background request asking the
        # Hub to convert the repo (transformers starts one otherwise)
        os.environ["DISABLE_SAFETENSORS_CONVERSION"] = "1"
        return {"use_safetensors": False, "weights_only": True}
    return {"use_safetensors": True}


def tokenizer_kwargs(role: str, mode: str | None = None) -> dict:
    """The `AutoTokenizer.from_pretrained` arguments the role needs (its length limit, when the
    Hub repo does not state it: without it, truncation would never cut)."""
    spec, hub, _, _ = resolve(role, mode)
    return {"model_max_length": spec.hub_max_length} if hub.online and spec.hub_max_length else {}


def load_model(role: str, *, mode: str | None = None, device: str | None = None,
               dtype=None, verbose: bool = True, attn_implementation: str | None = None) -> LoadedModel:
    """Load model + tokenizer for `role`; prints one line saying what ran and why.

    `attn_implementation="eager"` runs attention as plain matrix products, the only kind that
    can return its probabilities (`output_attentions=True`); by default transformers picks a
    fused kernel (sdpa), which is faster but keeps them inside.
    """
    spec, hub, name, path = resolve(role, mode)
    if spec.task == "text-to-image":
        raise BadInputError(f"The role {spec.role!r} is a diffusers pipeline, not a transformers model: load it "
                            "with diffusers' AutoPipelineForText2Image, as lesson 07 shows.")
    missing = [p for p in spec.needs if not is_installed(p)]
    if missing:
        raise BadInputError(f"The role {spec.role!r} ({spec.hub_id}) needs the package(s) {', '.join(missing)}: "
                            f"pip install {' '.join(missing)}, then run the cell again.")
    quiet_libraries()
    choice = get_device(device)
    pin = {"revision": spec.hub_revision} if hub.online and spec.hub_revision else {}
    # passed only when asked for, so the default stays transformers' own choice
    attn = {"attn_implementation": attn_implementation} if attn_implementation is not None else {}
    try:
        with silenced():
            tok = _preprocessor_class(spec).from_pretrained(path, **tokenizer_kwargs(role, mode), **pin)
            model = _auto_class(spec).from_pretrained(path, trust_remote_code=False, dtype=dtype or choice.dtype,
                                                      **weights_kwargs(role, mode), **pin, **attn)
    except OSError as err:
        if hub.online:
            raise hub_load_error(path, hub, err) from err
        raise
    model = model.to(choice.device).eval()
    if getattr(tok, "pad_token", "") is None and tok.eos_token is not None:  # GPT-2 has no pad token
        tok.pad_token = tok.eos_token
    loaded = LoadedModel(model, tok, spec.role, name, "hub" if hub.online else "offline", hub.reason, path)
    if verbose:
        print(loaded.summary())
    return loaded


def load_pipeline(role: str, *, mode: str | None = None, device: str | None = None, verbose: bool = True, **kwargs):
    """An ordinary `transformers.pipeline` for the role's task, on the role's model.

    Classification pipelines cut texts to the model's maximum length by default (truncation=True).
    """
    spec = get_role(role)
    if spec.task == "translation":
        raise BadInputError(f"transformers 5 has no translation pipeline: load the role's model with "
                            f"cu.load_model({spec.role!r}) and call model.generate on the tokenized text.")
    loaded = load_model(role, mode=mode, device=device, verbose=verbose)
    if spec.task == "text-classification" and "truncation" not in kwargs:
        # a text longer than the model's positions would fail deep inside with a tensor-size error
        kwargs["truncation"] = True
        if verbose:
            print(f"[{spec.role}] texts longer than {loaded.tokenizer.model_max_length} tokens are cut to that "
                  "length (truncation=True; pass truncation=False to see the error instead)")
    from transformers import pipeline
    return pipeline(spec.task, model=loaded.model, tokenizer=loaded.tokenizer, **kwargs)


def hub_load_error(path: str, hub: HubMode, err: Exception) -> OnlineOnlyError:
    """Say what failed when a Hub checkpoint does not load, and what to do (not always the network)."""
    detail = f"{err.__class__.__name__}: {str(err)[:300]}"
    if hub.cache_only:
        return OnlineOnlyError(
            f"{path} is not in this machine's Hugging Face cache ({detail}). In COURSE_MODE=cached nothing "
            "downloads: run the lesson once online to fill the cache, or use COURSE_MODE=offline.")
    if "does not appear to have a file named" in str(err):
        return OnlineOnlyError(
            f"The Hub repo {path} does not have the weights file the course reads ({detail}). The repo may "
            "have changed; run offline with COURSE_MODE=offline and tell the course maintainers.")
    return OnlineOnlyError(
        f"Could not load {path} from the Hub ({detail}). Check the connection, or run offline with "
        "COURSE_MODE=offline.")
