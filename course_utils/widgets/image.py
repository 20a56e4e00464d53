"""Widget: prompt, guidance scale, seed, number of steps -> digit samples and their denoising.

The callback calls `render_prompt`, a plain function the tests call directly. Results are
cached per setting (the last 64, for one generator), so going back to a setting is instant.
"""
from __future__ import annotations

from collections import OrderedDict

from ..checks import check_seed
from ..digits import to_pixels
from ..errors import BadInputError
from ..text_to_digits import PromptResult, TextToDigits

MAX_CACHED = 64
# Holds the generator itself, not its id(): a retrained model must never get the old one's images.
_cache: dict = {"generator": None, "results": OrderedDict()}


def prompt_figure(result: PromptResult, *, strip_rows: int = 3):
    """One Figure: the samples (titled with the classifier's reading) and a few denoising strips."""
    from matplotlib.figure import Figure
    n, levels = len(result.images), result.steps
    ncols = min(8, n)
    grid_rows = (n + ncols - 1) // ncols
    strip_rows = min(strip_rows, n) if levels else 0
    width = max(ncols, len(levels))
    fig = Figure(figsize=(0.85 * width, 0.95 * (grid_rows + strip_rows) + 0.9))
    axes = fig.subplots(grid_rows + strip_rows, width, squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    imgs = to_pixels(result.images)
    for i in range(n):
        ax = axes[i // ncols, i % ncols]
        ax.imshow(imgs[i], cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"reads {result.judged[i]}", fontsize=7)
    for j, (level, x) in enumerate(levels):
        snaps = to_pixels(x)
        for i in range(strip_rows):
            ax = axes[grid_rows + i, j]
            ax.imshow(snaps[i], cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
            if i == 0:
                ax.set_title(f"t={level}", fontsize=7)
    score = ("no digit named" if result.agreement is None
             else f"agreement with {result.asked_digit}: {result.agreement:.2f}")
    fig.suptitle(f"{result.prompt!r} — {score}; bottom rows: denoising, noise (left) to image (right)", fontsize=9)
    fig.tight_layout()
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


def image_widget(generator: TextToDigits, prompt: str = "a handwritten seven", n: int = 16):
    """Text box, guidance slider, seed and steps -> the samples, denoising strips and a report."""
    import ipywidgets as W

    text = W.Text(value=prompt, description="prompt", continuous_update=False)
    guidance = W.FloatSlider(value=2.0, min=0.0, max=6.0, step=0.5, description="guidance",
                             continuous_update=False)
    seed = W.IntText(value=0, description="seed")
    steps = W.IntSlider(value=generator.schedule.T, min=5, max=generator.schedule.T, step=5,
                        description="steps", continuous_update=False)
    out = W.Output()

    def update(*_):
        out.outputs = ()          # replace, do not append (works on ipywidgets 7.7 and 8.x)
        try:
            res = render_prompt(generator, text.value, guidance.value, int(seed.value), steps.value, n)
        except BadInputError as err:   # e.g. an empty prompt: say what to do, keep the widget alive
            out.append_stdout(f"{err}\n")
            return
        out.append_stdout(res.report() + f"\n  ({steps.value} denoising steps)\n")
        out.append_display_data(prompt_figure(res))

    for w in (text, guidance, seed, steps):
        w.observe(update, names="value")
    update()
    box = W.VBox([W.HBox([text, guidance]), W.HBox([seed, steps]), out])
    box.controls = {"prompt": text, "guidance": guidance, "seed": seed, "steps": steps}
    box.out = out
    return box


__all__ = ["image_widget", "prompt_figure", "render_prompt"]
