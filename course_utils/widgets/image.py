"""Widget: prompt, guidance scale, seed, number of steps -> digit samples and their denoising.

The callback calls `text_to_digits.render_prompt`, a plain function the tests call directly. Results are
cached per setting (the last 64, for one generator), so going back to a setting is instant.
"""
from __future__ import annotations

from course_utils.kernel.i18n import t
from course_utils.kernel.errors import BadInputError
from course_utils.widgets.output import Previewed, show_error, show_view
from course_utils.generators.text_to_digits import TextToDigits, prompt_figure, render_prompt  # noqa: F401 (the plain functions)

def image_widget(generator: TextToDigits, prompt: str = "a handwritten seven", n: int = 16):
    """Text box, guidance slider, seed and steps -> the samples, denoising strips and a report."""
    import ipywidgets as W

    text = W.Text(value=prompt, description=t("prompt"), continuous_update=False)
    guidance = W.FloatSlider(value=2.0, min=0.0, max=6.0, step=0.5, description=t("guidance"),
                             continuous_update=False)
    seed = W.IntText(value=0, description=t("seed"))
    steps = W.IntSlider(value=generator.schedule.T, min=5, max=generator.schedule.T, step=5,
                        description=t("steps"), continuous_update=False)
    out = W.Output()

    def update(*_):
        out.outputs = ()          # replace, do not append (works on ipywidgets 7.7 and 8.x)
        try:
            res = render_prompt(generator, text.value, guidance.value, int(seed.value), steps.value, n)
        except BadInputError as err:   # e.g. an empty prompt: say what to do, keep the widget alive
            show_error(out, err)
            return
        show_view(out, res.report() + "\n  " + t("({steps} denoising steps)", steps=steps.value), prompt_figure(res))

    for w in (text, guidance, seed, steps):
        w.observe(update, names="value")
    update()
    box = Previewed([W.HBox([text, guidance]), W.HBox([seed, steps]), out],
                   hint=t("Try: guidance 0, then 4; another digit in words; another seed."))
    box.controls = {"prompt": text, "guidance": guidance, "seed": seed, "steps": steps}
    box.out = out
    return box


__all__ = ["image_widget", "prompt_figure", "render_prompt"]
