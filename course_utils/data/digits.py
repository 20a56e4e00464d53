"""The 8x8 handwritten digits of scikit-learn, a judge for generated digits, and pictures.

- `load_digit_data()`: 1,797 real digits as vectors of 64 pixels scaled to [-1, 1].
- `digit_judge()`: an independent classifier (an SVM trained on real digits only, never used
  to train a generator) that scores generated images: does the sample look like the digit
  that was asked for?
- Figures (matplotlib `Figure` objects, so widgets and tests can use them without pyplot).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from course_utils.kernel.errors import BadInputError

SIDE = 8                       # images are SIDE x SIDE
PIXELS = SIDE * SIDE
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class DigitData:
    x: torch.Tensor      # (N, 64) float32 in [-1, 1] (white = -1, ink = +1)
    y: torch.Tensor      # (N,) int64 labels 0..9


@lru_cache(maxsize=1)
def load_digit_data() -> DigitData:
    from sklearn.datasets import load_digits
    d = load_digits()
    x = torch.tensor(d.data, dtype=torch.float32) / 16.0 * 2.0 - 1.0  # pixel values are 0..16
    return DigitData(x, torch.tensor(d.target, dtype=torch.long))


def to_pixels(x) -> np.ndarray:
    """(N, 64) or (64,) vectors in [-1, 1] -> (N, 8, 8) numpy images in [0, 1]."""
    a = torch.as_tensor(x, dtype=torch.float32).detach().cpu().reshape(-1, SIDE, SIDE).numpy()
    return np.clip((a + 1.0) / 2.0, 0.0, 1.0)


# ---------------------------------------------------------------- the independent judge
@dataclass
class DigitJudge:
    model: object               # a fitted sklearn classifier on [-1, 1] pixel vectors
    test_accuracy: float        # on real digits it never saw

    def predict(self, x) -> np.ndarray:
        """The digit (0..9) the judge reads in each image."""
        x = np.asarray(torch.as_tensor(x, dtype=torch.float32).reshape(-1, PIXELS).clamp(-1, 1).cpu())
        return self.model.predict(x)


@lru_cache(maxsize=1)
def digit_judge(seed: int = 0) -> DigitJudge:
    """An RBF SVM trained on 75 % of the real digits (a fraction of a second); accuracy on the other 25 %."""
    from sklearn.model_selection import train_test_split
    from sklearn.svm import SVC
    d = load_digit_data()
    xtr, xte, ytr, yte = train_test_split(d.x.numpy(), d.y.numpy(), test_size=0.25,
                                          random_state=seed, stratify=d.y.numpy())
    svc = SVC(C=10.0, gamma="scale").fit(xtr, ytr)
    return DigitJudge(svc, float((svc.predict(xte) == yte).mean()))


def agreement(x, digit: int, judge: DigitJudge | None = None) -> float:
    """Share of images that the judge reads as `digit`."""
    judge = judge or digit_judge()
    return float((judge.predict(x) == int(digit)).mean())


def label_entropy(labels, n_classes: int = 10) -> float:
    """Entropy (bits) of the judged labels: 0 = all the same digit, log2(10) = 3.32 = all digits equally."""
    from scipy.stats import entropy    # scipy comes with scikit-learn

    counts = np.bincount(np.asarray(labels, dtype=int), minlength=n_classes)
    return float(abs(entropy(counts, base=2)))  # abs: a single label gives 0.0, not -0.0


def mean_pairwise_distance(x) -> float:
    """Average Euclidean distance between two different samples: 0 = all identical (no diversity)."""
    x = torch.as_tensor(x, dtype=torch.float32).reshape(len(x), -1)
    if len(x) < 2:
        raise BadInputError("Need at least two samples to measure how different they are.")
    d = torch.cdist(x, x)
    return float(d.sum() / (len(x) * (len(x) - 1)))


# ---------------------------------------------------------------- figures
def _show(ax, img, title: str | None) -> None:
    ax.imshow(img, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")   # ink dark on white
    if title is not None:
        ax.set_title(title, fontsize=8)


def image_grid_figure(x, *, ncols: int = 10, titles=None, title: str | None = None, scale: float = 0.9):
    """A grid of 8x8 images (a matplotlib Figure); `titles` one short string per image."""
    from matplotlib.figure import Figure
    imgs = to_pixels(x)
    n = len(imgs)
    if n == 0:
        raise BadInputError("No images to show.")
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    fig = Figure(figsize=(scale * ncols, scale * nrows + (0.4 if title else 0) + (0.15 * nrows if titles else 0)))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < n:
            _show(ax, imgs[i], None if titles is None else str(titles[i]))
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def denoising_strip_figure(steps, *, rows: int | None = None, title: str | None = None, scale: float = 0.9):
    """Snapshots of sampling: `steps` = [(level, x)], x of shape (n, 64); one column per level,
    one row per sample (at most `rows`), noise on the left and the finished image on the right."""
    from matplotlib.figure import Figure
    if not steps:
        raise BadInputError("No intermediate steps were recorded: sample with record=... first.")
    n = len(steps[0][1]) if rows is None else min(rows, len(steps[0][1]))
    fig = Figure(figsize=(scale * len(steps), scale * n + 0.35 + (0.4 if title else 0)))
    axes = fig.subplots(n, len(steps), squeeze=False)
    for j, (level, x) in enumerate(steps):
        imgs = to_pixels(x)
        for i in range(n):
            ax = axes[i, j]
            _show(ax, imgs[i], f"t={level}" if i == 0 else None)
            ax.set_xticks([]), ax.set_yticks([])
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
