"""A tiny text-to-image system: prompt -> MiniLM vector -> denoiser -> 8x8 digit.

`train_text_to_digits` trains the conditional denoiser of `diffusion.py` on the real digits,
each example paired with a random phrasing of its label ("draw the number 7", "seven", ...).
`TextToDigits.generate` turns any prompt into images and says honestly how well the prompt
matched what the model knows: the nearest training phrasings and what an independent
classifier reads in the samples.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import torch

from course_utils.generators.diffusion import Denoiser, NoiseSchedule, linear_schedule, sample, train_diffusion
from course_utils.kernel.checks import check_seed
from course_utils.data.digits import PIXELS, DigitJudge, agreement, digit_judge, label_entropy, load_digit_data, to_pixels
from course_utils.kernel.errors import BadInputError
from course_utils.kernel.seed import seeded
from course_utils.training.log import TrainLog
from course_utils.generators.text_condition import PhrasingBank, encode_prompts, named_digit

# below this cosine similarity to every training phrasing, a prompt is "unlike anything trained on"
WEAK_MATCH = 0.6


@dataclass
class PromptResult:
    prompt: str
    images: torch.Tensor                  # (n, 64) in [-1, 1]
    steps: list                           # [(level, x)] snapshots of the denoising
    nearest: list                         # [(phrasing, digit, cosine)]
    asked_digit: int | None               # the digit the prompt names, if any
    judged: np.ndarray                    # the independent classifier's reading of each image
    agreement: float | None               # share judged as asked_digit (None: no digit named)
    entropy_bits: float                   # spread of the judged labels (0 = all one digit)
    seconds: float = 0.0

    @property
    def weak_match(self) -> bool:
        return self.nearest[0][2] < WEAK_MATCH

    def report(self) -> str:
        """A few honest lines: what was asked, what the model knows nearby, what came out."""
        lines = [f"prompt: {self.prompt!r}"]
        lines += [f"  nearest training phrasing: {t!r} (digit {d}, cosine {s:.2f})" for t, d, s in self.nearest]
        counts = np.bincount(self.judged, minlength=10)
        top = ", ".join(f"{d}: {c}" for d, c in sorted(enumerate(counts), key=lambda p: -p[1]) if c)
        lines.append(f"  classifier reads the {len(self.judged)} samples as -> {top}  (label entropy {self.entropy_bits:.2f} bits)")
        if self.asked_digit is None:
            lines.append("  the prompt names no digit: nothing to score against; the model was conditioned on "
                         "whatever its vector is closest to" + (" (a weak match: the images are not a reliable answer)"
                                                                   if self.weak_match else ""))
        else:
            lines.append(f"  asked for {self.asked_digit}: classifier agreement {self.agreement:.2f}")
        return "\n".join(lines)


@dataclass
class TextToDigits:
    model: Denoiser
    schedule: NoiseSchedule
    bank: PhrasingBank
    judge: DigitJudge = field(default_factory=digit_judge)
    device: torch.device = torch.device("cpu")

    def generate(self, prompt: str, n: int = 16, *, guidance: float = 2.0, seed: int = 0,
                 n_steps: int | None = None, record: int = 6) -> PromptResult:
        cond = encode_prompts([prompt])[0]          # raises BadInputError on an empty prompt
        res = sample(self.model, self.schedule, n, cond=cond, guidance=guidance, n_steps=n_steps,
                     seed=seed, device=self.device, clip=(-1.0, 1.0), record=record)
        judged = self.judge.predict(res.x)
        asked = named_digit(prompt)
        return PromptResult(prompt, res.x, res.steps, self.bank.nearest(prompt), asked, judged,
                            agreement(res.x, asked, self.judge) if asked is not None else None,
                            label_entropy(judged), res.seconds)


def train_text_to_digits(*, steps: int = 1500, batch_size: int = 128, width: int = 256, depth: int = 3,
                         T: int = 200, p_uncond: float = 0.1, lr: float = 2e-3, seed: int = 0,
                         device=None, progress: bool = False) -> tuple[TextToDigits, TrainLog]:
    """Train the prompt-conditioned digit denoiser from scratch (deterministic for a seed)."""
    if steps < 1:
        raise BadInputError("steps must be a positive number of training steps.")
    device = torch.device(device or "cpu")
    data = load_digit_data()
    bank = PhrasingBank.build()
    schedule = linear_schedule(T)
    with seeded(seed):  # the initial weights, without reseeding the lesson's stream
        model = Denoiser(PIXELS, bank.vectors.shape[1], width=width, depth=depth, T=T).to(device)
    log = train_diffusion(model, data.x, schedule, cond=bank.sampler(data.y), steps=steps,
                          batch_size=batch_size, lr=lr, p_uncond=p_uncond, seed=seed,
                          device=device, progress=progress)
    return TextToDigits(model, schedule, bank, device=device), log


def measure_prompts(generator: TextToDigits, prompts, guidances=(0.0, 1.0, 2.0, 4.0), *, n: int = 20,
                    seed: int = 0, n_steps: int | None = None):
    """Score many prompts at several guidance weights; one table row per (prompt, guidance).

    All prompts of one guidance weight are sampled in one batch, from the same starting noise
    for every weight, so the weights are compared on equal terms. Columns: prompt, digit
    (the one it names), guidance, agreement (share the judge reads as that digit), entropy_bits
    (spread of the judged labels) and distance (mean pairwise pixel distance: diversity).
    """
    import pandas as pd

    from course_utils.data.digits import mean_pairwise_distance
    prompts = list(prompts)
    asked = [named_digit(p) for p in prompts]
    if any(a is None for a in asked):
        raise BadInputError("Every prompt to score must name exactly one digit (e.g. 'a handwritten 3').")
    cond = encode_prompts(prompts).repeat_interleave(n, dim=0)
    rows = []
    for w in guidances:
        x = sample(generator.model, generator.schedule, len(cond), cond=cond, guidance=float(w),
                   n_steps=n_steps, seed=seed, device=generator.device, clip=(-1.0, 1.0)).x
        judged = generator.judge.predict(x)
        for i, (p, d) in enumerate(zip(prompts, asked)):
            part = slice(i * n, (i + 1) * n)
            rows.append({"prompt": p, "digit": d, "guidance": float(w),
                         "agreement": float((judged[part] == d).mean()),
                         "entropy_bits": label_entropy(judged[part]),
                         "distance": mean_pairwise_distance(x[part])})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- one prompt, seen (the widget's plain functions)
MAX_CACHED = 64
# Holds the generator itself, not its id(): a retrained model must never get the old one's images.
_cache: dict = {"generator": None, "results": OrderedDict()}


def _mosaic(images: np.ndarray, ncols: int, gap: int = 2) -> np.ndarray:
    """(N, 8, 8) images in [0, 1] -> one array with the images on a grid, `gap` blank pixels apart."""
    n, side = len(images), images.shape[-1]
    rows = (n + ncols - 1) // ncols
    step = side + gap
    canvas = np.zeros((rows * step - gap, ncols * step - gap))
    for i, img in enumerate(images):
        r, c = divmod(i, ncols)
        canvas[r * step:r * step + side, c * step:c * step + side] = img
    return canvas


def prompt_figure(result: PromptResult, *, strip_rows: int = 3):
    """One Figure: the samples (each labelled with the classifier's reading) and a few denoising
    strips. Each block is one image on one axes (not one axes per digit): a redraw stays fast."""
    from matplotlib.figure import Figure
    n, levels = len(result.images), result.steps
    ncols = min(8, n)
    grid_rows = (n + ncols - 1) // ncols
    strip_rows = min(strip_rows, n) if levels else 0
    width = max(ncols, len(levels))
    fig = Figure(figsize=(0.85 * width, 0.95 * (grid_rows + strip_rows) + 0.9))
    heights = [grid_rows] + ([strip_rows] if strip_rows else [])
    axes = fig.subplots(len(heights), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.45 / fig.get_figheight(), bottom=0.02, hspace=0.2)
    step = 8 + 2
    axes[0].imshow(_mosaic(to_pixels(result.images), ncols), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    for i in range(n):
        r, c = divmod(i, ncols)
        axes[0].text(c * step + 3.5, r * step - 0.7, f"reads {result.judged[i]}", ha="center", va="bottom", fontsize=7)
    if strip_rows:
        snaps = np.stack([to_pixels(x)[:strip_rows] for _, x in levels], axis=1)   # (rows, levels, 8, 8)
        axes[1].imshow(_mosaic(snaps.reshape(-1, 8, 8), len(levels)), cmap="gray_r", vmin=0, vmax=1,
                       interpolation="nearest")
        for j, (level, _) in enumerate(levels):
            axes[1].text(j * step + 3.5, -0.7, f"t={level}", ha="center", va="bottom", fontsize=7)
    for ax in axes:
        ax.set_axis_off()
    score = ("no digit named" if result.agreement is None
             else f"agreement with {result.asked_digit}: {result.agreement:.2f}")
    fig.suptitle(f"{result.prompt!r} — {score}; bottom rows: denoising, noise (left) to image (right)", fontsize=9)
    return fig


def render_prompt(generator: TextToDigits, prompt: str, guidance: float = 2.0, seed: int = 0,
                  n_steps: int = 200, n: int = 16) -> PromptResult:
    """Samples for one setting of the widget (cached)."""
    seed = check_seed(seed)
    if _cache["generator"] is not generator:      # a new (e.g. retrained) generator: start afresh
        _cache["generator"], _cache["results"] = generator, OrderedDict()
    results = _cache["results"]
    key = (prompt, float(guidance), seed, int(n_steps), n)
    if key in results:
        results.move_to_end(key)
    else:
        results[key] = generator.generate(prompt, n=n, guidance=guidance, seed=seed,
                                          n_steps=int(n_steps), record=6)
        if len(results) > MAX_CACHED:
            results.popitem(last=False)
    return results[key]
