"""Reproducible lessons: one call seeds Python, NumPy and torch (CPU and CUDA)."""
from __future__ import annotations

import os
import random
from contextlib import contextmanager

import numpy as np
import torch

from course_utils.kernel.checks import check_seed
from course_utils.kernel.errors import BadInputError


_lesson_seed = 0


def lesson_seed_from_env() -> int:
    """COURSE_SEED if set (a whole number >= 0), else 0."""
    raw = os.environ.get("COURSE_SEED", "0").strip() or "0"
    if not raw.isdigit():
        raise BadInputError(f"COURSE_SEED must be a whole number >= 0, got {raw!r}: unset it or set e.g. COURSE_SEED=1.")
    return int(raw)


def lesson_seed() -> int:
    """The seed the lesson's setup cell chose: experiments derive their seeds from it."""
    return _lesson_seed


def set_seed(seed: int = 0) -> int:
    """Seed every random generator a lesson uses; returns the seed so it can be printed."""
    seed = check_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    return seed


def set_lesson_seed(seed: int | None = None) -> int:
    """The setup cell's seeding: `seed`, else COURSE_SEED, else 0; remembered for lesson_seed()."""
    global _lesson_seed
    _lesson_seed = set_seed(lesson_seed_from_env() if seed is None else seed)
    return _lesson_seed


@contextmanager
def seeded(seed: int, device="cpu"):
    """Run a block with torch's random state set from `seed`, then restore the previous state.

    How a library function draws reproducibly without touching the lesson's own random stream:
    the CPU's generator is always forked; a CUDA device's too when the work runs there.
    """
    seed, dev = check_seed(seed), torch.device(device)
    devices = [dev] if dev.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.default_generator.manual_seed(seed)
        if devices:
            with torch.cuda.device(dev):
                torch.cuda.manual_seed(seed)
        yield
