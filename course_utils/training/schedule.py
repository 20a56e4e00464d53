"""Learning-rate multipliers shared by every training loop here: a linear warm-up and a cosine decay.

Each loop states its own recipe from these two pieces (the tiny GPT warms up, then decays to a
tenth; the melody model multiplies both; the denoiser only decays), so there is one cosine.
`lm.lr_at` is checked against transformers' cosine-with-min-lr scheduler in tests/test_lm.py.
"""
from __future__ import annotations

import math


def linear_warmup(step: int, warmup: int) -> float:
    """1/warmup, 2/warmup, ... up to 1 at step warmup-1 (0-based steps), then 1; 1 when warmup is 0."""
    return min(1.0, (step + 1) / warmup) if warmup else 1.0


def cosine_decay(step: int, steps: int, floor: float = 0.0) -> float:
    """From 1 at step 0 down to `floor` at step `steps` (and after) along half a cosine."""
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, step / max(1, steps))))
