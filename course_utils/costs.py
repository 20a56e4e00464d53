"""Back-of-the-envelope compute for training: FLOPs ≈ 6 × parameters × tokens.

(2 FLOPs per parameter per token for the forward pass, 4 for the backward pass; Kaplan et
al. 2020.) Extended in Week 4 with memory estimates and a widget.
"""
from __future__ import annotations

from .errors import BadInputError


def training_flops(n_params: float, n_tokens: float) -> float:
    if n_params <= 0 or n_tokens <= 0:
        raise BadInputError("n_params and n_tokens must be positive.")
    return 6.0 * float(n_params) * float(n_tokens)


def training_hours(flops: float, flops_per_second: float, utilisation: float = 1.0) -> float:
    """Wall-clock hours to spend `flops` on hardware sustaining flops_per_second × utilisation."""
    if flops_per_second <= 0 or not (0 < utilisation <= 1):
        raise BadInputError("flops_per_second must be positive and utilisation in (0, 1].")
    return flops / (flops_per_second * utilisation) / 3600.0
