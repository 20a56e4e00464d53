"""Week 3 widgets: a sampling playground and a conditioning playground (core ipywidgets only).

    from course_utils.widgets.text import sampling_playground, conditioning_playground
    sampling_playground(model, tok)          # display it as the last expression of a cell

The widgets only wire controls to plain functions of `course_utils.sampling.playground` (`sampling_view`,
`settings_code`, `conditioned_outputs`) that tests and notebooks call directly. Moving a distribution
knob (temperature, top-k, top-p) re-uses cached logits: no model call, so it redraws at once.
Bad settings are shown as a message in the widget, never as a traceback.
"""
from __future__ import annotations

import ipywidgets as W

from course_utils.kernel.i18n import t
from course_utils.kernel.errors import CourseError
from course_utils.widgets.output import Previewed, show_error, show_view
from course_utils.sampling.playground import (CONDITIONS, conditioned_outputs, playground_generate,
                                              sampling_view, settings_code)

# ----------------------------------------------------------------------------- widget plumbing


def sampling_playground(model, tok, prompt: str = "Once upon a time", *, max_new_tokens_limit: int = 80):
    """Prompt, temperature, top-k, top-p, seed, max new tokens; live bar chart; Generate button."""
    style = {"description_width": "110px"}
    c = {
        "prompt": W.Text(value=prompt, description=t("prompt"), continuous_update=False, style=style,
                         layout=W.Layout(width="95%")),
        "temperature": W.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.05, description=t("temperature"),
                                     style=style),
        "top_k": W.IntSlider(value=0, min=0, max=100, description=t("top-k (0 = off)"), style=style),
        "top_p": W.FloatSlider(value=1.0, min=0.05, max=1.0, step=0.05, description="top-p", style=style),
        "seed": W.IntText(value=0, description=t("seed"), style=style),
        "max_new_tokens": W.IntSlider(value=30, min=1, max=max_new_tokens_limit, description=t("max new tokens"),
                                      style=style),
    }
    button = W.Button(description=t("Generate"), button_style="primary")
    dist_out, text_out = W.Output(), W.Output()

    def refresh(_change=None):
        dist_out.outputs = ()
        try:
            fig, summary = sampling_view(model, tok, c["prompt"].value, c["temperature"].value,
                                         c["top_k"].value, c["top_p"].value)
        except CourseError as err:
            show_error(dist_out, err)
            return
        show_view(dist_out, summary, fig)

    def generate(_button=None):
        text_out.outputs = ()
        v = {k: w.value for k, w in c.items()}
        try:
            res = playground_generate(model, tok, v["prompt"], v["max_new_tokens"], v["temperature"],
                                      v["top_k"], v["top_p"], v["seed"])
        except CourseError as err:
            show_error(text_out, err)
            return
        code = settings_code(v["prompt"], v["max_new_tokens"], v["temperature"], v["top_k"], v["top_p"], v["seed"])
        text_out.append_stdout(f"{v['prompt']}{res.text}\n\n"
                               + t("[{n} tokens, stopped by {reason}]", n=len(res.token_ids), reason=res.stopped_by)
                               + "\n" + t("reproduce in code:") + f"\n  {code}\n")

    for name in ("prompt", "temperature", "top_k", "top_p"):
        c[name].observe(refresh, names="value")
    button.on_click(generate)
    refresh()  # draw once now: ipywidgets 7.7 and 8 then behave the same
    box = Previewed([c["prompt"], W.HBox([W.VBox([c["temperature"], c["top_k"], c["top_p"]]),
                                        W.VBox([c["seed"], c["max_new_tokens"], button])]),
                  dist_out, text_out],
                 hint=t("Try: temperature 0.2, then 2.0; top-p 0.5; another seed; press Generate."))
    box.controls, box.button, box.dist_out, box.text_out = c, button, dist_out, text_out
    box.generate = generate
    return box


def conditioning_playground(model, tok, prompt: str = "Describe your weekend.", *, max_new_tokens: int = 30):
    """Pick a condition (sentiment / style / system message); outputs without and with it, same seed."""
    style = {"description_width": "90px"}
    kinds = list(CONDITIONS)
    c = {
        "prompt": W.Text(value=prompt, description=t("prompt"), continuous_update=False, style=style,
                         layout=W.Layout(width="95%")),
        "kind": W.Dropdown(options=kinds, value=kinds[0], description=t("condition"), style=style),
        "value": W.Dropdown(options=list(CONDITIONS[kinds[0]]), description=t("which"), style=style),
        "seed": W.IntText(value=0, description=t("seed"), style=style),
        "temperature": W.FloatSlider(value=0.7, min=0.0, max=1.5, step=0.05, description=t("temperature"),
                                     style=style),
    }
    button = W.Button(description=t("Compare"), button_style="primary")
    left, right = W.Output(layout=W.Layout(width="50%")), W.Output(layout=W.Layout(width="50%"))

    def new_kind(change):
        c["value"].options = list(CONDITIONS[change["new"]])
        c["value"].value = c["value"].options[0]

    def compare(_button=None):
        left.outputs, right.outputs = (), ()
        v = {k: w.value for k, w in c.items()}
        try:
            res = conditioned_outputs(model, tok, v["prompt"], v["kind"], v["value"], seed=v["seed"],
                                      max_new_tokens=max_new_tokens, temperature=v["temperature"])
        except CourseError as err:
            show_error(left, err)
            return
        for out, (label, text) in zip((left, right), res.items()):
            out.append_stdout(t("── {label} (seed {seed}) ──", label=label, seed=v["seed"]) + f"\n{text}\n")

    c["kind"].observe(new_kind, names="value")
    button.on_click(compare)
    box = Previewed([c["prompt"], W.HBox([c["kind"], c["value"]]), W.HBox([c["seed"], c["temperature"], button]),
                  W.HBox([left, right])],
                 hint=t("Try: pick a kind of conditioning and a value, then press Compare."))
    box.controls, box.button, box.left, box.right, box.compare = c, button, left, right, compare
    return box
