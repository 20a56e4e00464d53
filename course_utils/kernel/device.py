"""Pick where tensors live: CUDA, then Apple MPS, then CPU, and say why.

Modelled on d2l's `try_gpu`: one call, a sensible default, and an explanation a learner
can act on when there is no GPU.

`COURSE_DTYPE=bfloat16` (or `float16`, `float32`) overrides the number type the device reports:
the tests run the text lessons in a GPU's 16-bit types on the CPU, so a check that only holds
in float32 fails here instead of on Colab.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass

import torch

from course_utils.kernel.errors import BadInputError, GPUNotAvailableError

COLAB_GPU_HINT = "on Colab use Runtime → Change runtime type → GPU (T4 is free)"


@dataclass(frozen=True)
class DeviceChoice:
    device: torch.device
    dtype: torch.dtype
    reason: str

    def __str__(self) -> str:
        return f"{self.device} ({str(self.dtype).replace('torch.', '')}): {self.reason}"


def in_colab() -> bool:
    return "google.colab" in sys.modules


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def pick_dtype(device: torch.device | str) -> torch.dtype:
    """bf16 on GPUs that support it, else fp16 on GPU; fp32 on CPU (half is slow there)."""
    kind = torch.device(device).type
    if kind == "cuda":
        # including_emulation=False: a T4 "supports" bf16 only by slow emulation; it gets fp16
        return torch.bfloat16 if torch.cuda.is_bf16_supported(including_emulation=False) else torch.float16
    if kind == "mps":
        return torch.float16
    return torch.float32


DTYPE_ENV = "COURSE_DTYPE"
_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def _with_dtype_override(choice: DeviceChoice) -> DeviceChoice:
    want = os.environ.get(DTYPE_ENV, "").strip().lower()
    if not want:
        return choice
    if want not in _DTYPES:
        raise BadInputError(f"{DTYPE_ENV}={want!r} is not a number type. Use one of {', '.join(_DTYPES)}, "
                            f"or unset {DTYPE_ENV} to let the device decide.")
    return DeviceChoice(choice.device, _DTYPES[want], f"{choice.reason}; number type {want} from {DTYPE_ENV}")


def get_device(prefer: str | None = None) -> DeviceChoice:
    """Choose a device (see `_choose`), with the number type COURSE_DTYPE asks for, if set."""
    return _with_dtype_override(_choose(prefer))


def _choose(prefer: str | None) -> DeviceChoice:
    """Choose a device.

    prefer=None or "auto": the best available (CUDA > MPS > CPU).
    prefer="cuda"/"gpu"/"mps": that device, or GPUNotAvailableError saying how to get one.
    prefer="cpu": the CPU even if a GPU is present.
    """
    want = (prefer or "auto").strip().lower()
    if want not in ("auto", "cpu", "cuda", "gpu", "mps"):
        raise BadInputError(f"prefer={prefer!r} is not a device. Use 'auto', 'cpu', 'cuda' (or 'gpu'), or 'mps'.")
    if want == "cpu":
        return DeviceChoice(torch.device("cpu"), torch.float32, "CPU asked for")
    if want in ("auto", "cuda", "gpu") and torch.cuda.is_available():
        dev = torch.device("cuda")
        return DeviceChoice(dev, pick_dtype(dev), f"CUDA GPU found: {torch.cuda.get_device_name(0)}")
    if want in ("auto", "mps") and _mps_available():
        dev = torch.device("mps")
        return DeviceChoice(dev, pick_dtype(dev), "Apple GPU (MPS) found")
    if want != "auto":
        hint = COLAB_GPU_HINT if in_colab() else (
            "install a CUDA build of torch on a machine with an NVIDIA GPU, or run this notebook on Colab"
            if want in ("cuda", "gpu") else "MPS needs an Apple-silicon Mac with a recent torch")
        raise GPUNotAvailableError(f"A {want.upper()} device was asked for but none is available: {hint}. "
                                   "Or call get_device() without arguments to fall back to the CPU.")
    hint = COLAB_GPU_HINT if in_colab() else "every lesson still runs on the CPU, only slower"
    return DeviceChoice(torch.device("cpu"), torch.float32, f"no GPU found: {hint}")


def try_gpu() -> torch.device:
    """The d2l-style shortcut: a GPU if there is one, else the CPU."""
    return get_device().device


def device_memory_gb(device: torch.device | str | None = None) -> float | None:
    """Total memory of a CUDA device in GiB, or None for CPU/MPS (not reported by torch)."""
    dev = torch.device(device) if device is not None else get_device().device
    if dev.type == "cuda":
        return torch.cuda.get_device_properties(dev).total_memory / 2**30
    return None


@contextmanager
def one_cpu_thread(device="cpu"):
    """Run on one CPU thread (a context manager, or a decorator: `@one_cpu_thread()`).

    For the course's tiny models: they gain nothing from more threads (on a busy machine, thread
    hand-offs made them several times slower), and a fixed thread count makes the float
    arithmetic, hence a seeded run, identical on 2-core and 16-core machines. On a GPU it does
    nothing.
    """
    if torch.device(device).type != "cpu":
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)
