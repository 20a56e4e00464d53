"""Scaling laws in miniature: fit loss ≈ a · N^(−b) to a few small runs, predict a bigger one.

    fit = fit_power_law([20_000, 45_000, 80_000], [4.9, 4.6, 4.4])   # parameters, held-out losses
    fit.b                     # how fast loss falls as the model grows
    fit.predict(300_000)      # the loss the fit expects from a bigger model, same data and steps

Why practitioners do this: a big training run costs too much to try several sizes, so they train
a ladder of small models with the same recipe, fit a power law to (size, loss), and read off what
the big one should reach (and whether it is worth its cost) before paying for it. Kaplan et al.
(2020) and Hoffmann et al. (2022, "Chinchilla") planned their models this way.

A straight line in log–log space, log L = log a − b · log N, is fitted by least squares
(`numpy.polyfit`, degree 1). The form has no floor: real curves flatten towards the loss the data
itself cannot go below, so a pure power law extrapolated far out is too optimistic. A fit on three
points is a rough guide, not a measurement: with so few points one noisy run moves the slope a lot,
and the prediction is only as good as the recipe staying the same (data, steps, learning rate).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.kernel.checks import check_positive
from course_utils.kernel.errors import BadInputError


@dataclass(frozen=True)
class PowerLaw:
    """loss ≈ a · N^(−b), fitted on `points` (n_params, loss) pairs."""
    a: float
    b: float
    points: int

    def predict(self, n_params):
        """The fitted loss at `n_params` (a number or an array of them)."""
        n = _positive(n_params, "n_params")
        out = self.a * n ** (-self.b)
        return float(out) if out.ndim == 0 else out

    def __str__(self) -> str:
        return f"loss ≈ {self.a:.3g} · N^(−{self.b:.3f})  (fitted on {self.points} runs)"


def _positive(values, what: str) -> np.ndarray:
    """An array of finite numbers > 0, each checked by `kernel.checks.check_positive`."""
    flat = np.ravel(np.asarray(values, dtype=object))
    for i, v in enumerate(flat):
        check_positive(v, f"{what}[{i}]" if np.ndim(values) else what,
                       "A power law lives in log space: sizes and losses must be above 0.")
    return np.asarray(values, dtype=float)


def fit_power_law(n_params, losses) -> PowerLaw:
    """Least-squares fit of log(loss) = log(a) − b · log(n_params); returns a `PowerLaw`.

    Needs at least 2 runs with different sizes; every size and loss must be positive.
    """
    n = _positive(n_params, "n_params").ravel()
    loss = _positive(losses, "losses").ravel()
    if n.size != loss.size:
        raise BadInputError(f"{n.size} model sizes but {loss.size} losses: give one loss per run.")
    if n.size < 2:
        raise BadInputError(f"a power law needs at least 2 runs of different sizes, got {n.size}.")
    if np.unique(n).size < 2:
        raise BadInputError("all runs have the same number of parameters: the slope cannot be fitted.")
    slope, intercept = np.polyfit(np.log(n), np.log(loss), 1)
    return PowerLaw(a=float(np.exp(intercept)), b=float(-slope), points=int(n.size))
