"""Reproducible lessons: one call seeds Python, NumPy and torch (CPU and CUDA)."""
from __future__ import annotations

import random

import numpy as np
import torch

from .errors import BadInputError


def set_seed(seed: int = 0) -> int:
    """Seed every random generator a lesson uses; returns the seed so it can be printed."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise BadInputError(f"seed must be a non-negative whole number, got {seed!r}.")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    return seed
