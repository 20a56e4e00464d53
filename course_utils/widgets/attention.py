"""The attention explorer: pick a model, a layer, a head and a token; see where it looks (core ipywidgets only).

    from course_utils.widgets.attention import attention_explorer
    attention_explorer({"SmolLM2 (decoder)": (lm, lm_tok), "MiniLM (encoder)": (enc, enc_tok)})

Wiring only: every redraw calls `models.anatomy.attention_view`. One forward pass per (model,
text) is cached there, so moving the layer / head / token controls only redraws the figure.
The models must be loaded with `attn_implementation="eager"`; bad input is shown as a message.
"""
from __future__ import annotations

import ipywidgets as W

from course_utils.kernel.i18n import t
from course_utils.kernel.errors import BadInputError, CourseError
from course_utils.models.anatomy import attention_tokens, attention_view, layers_and_heads
from course_utils.widgets.output import Previewed, show_error, show_view


def _token_options(tokens: list[str]) -> list[tuple[str, int]]:
    return [(f"{i}: {piece}", i) for i, piece in enumerate(tokens)]


def attention_explorer(models: dict, text: str = "The cat sat on the mat because it was tired.", *,
                       token: str = "it"):
    """Text, model, layer, head and token controls; the heat map and what the token attends to most.

    `models` maps a display name to (model, tokenizer). The token control starts on the first token
    reading `token` (here "it", whose attention to "cat" some heads show), else the last one.
    """
    if not models:
        raise BadInputError("attention_explorer needs at least one (model, tokenizer) pair.")
    style = {"description_width": "70px"}
    names = list(models)
    c = {
        "text": W.Text(value=text, description=t("text"), continuous_update=False, style=style,
                       layout=W.Layout(width="95%")),
        "model": W.Dropdown(options=names, value=names[0], description=t("model"), style=style),
        "layer": W.IntSlider(value=0, min=0, max=0, description=t("layer"), style=style, continuous_update=True),
        "head": W.IntSlider(value=0, min=0, max=0, description=t("head"), style=style, continuous_update=True),
        "token": W.Dropdown(options=[("0", 0)], value=0, description=t("token"), style=style),
    }
    out = W.Output()
    state = {"quiet": False}       # set while several controls change at once: redraw once, at the end

    def refresh(_change=None):
        if state["quiet"]:
            return
        out.outputs = ()
        model, tok = models[c["model"].value]
        try:
            fig, summary = attention_view(model, tok, c["text"].value, c["layer"].value, c["head"].value,
                                          c["token"].value)
        except CourseError as err:
            show_error(out, err)
            return
        show_view(out, summary, fig)

    def follow_model(_change=None):
        """The layer and head sliders take the chosen model's ranges (values kept when still valid)."""
        n_layers, n_heads = layers_and_heads(models[c["model"].value][0])
        for name, n in (("layer", n_layers), ("head", n_heads)):
            c[name].value = min(c[name].value, n - 1)
            c[name].max = n - 1

    def follow_text(_change=None, first: bool = False):
        """The token choices are the text's tokens for the chosen model's tokenizer."""
        try:
            tokens = attention_tokens(models[c["model"].value][1], c["text"].value)
        except CourseError:
            return                 # refresh shows the message
        keep = c["token"].value
        if first:                  # the named token if the text has it
            wanted = [i for i, piece in enumerate(tokens) if piece.replace("␣", "").strip().lower() == token.lower()]
            keep = wanted[0] if wanted else None
        c["token"].options = _token_options(tokens)
        c["token"].value = keep if keep is not None and keep < len(tokens) else len(tokens) - 1

    def changed(what):
        def handler(change=None):
            state["quiet"] = True
            try:
                if what == "model":
                    follow_model()
                follow_text()
            finally:
                state["quiet"] = False
            refresh()
        return handler

    state["quiet"] = True
    follow_model()
    follow_text(first=True)
    state["quiet"] = False
    c["model"].observe(changed("model"), names="value")
    c["text"].observe(changed("text"), names="value")
    for name in ("layer", "head", "token"):
        c[name].observe(refresh, names="value")
    refresh()                      # draw once now: ipywidgets 7.7 and 8 then behave the same
    box = Previewed([c["text"], W.HBox([c["model"], c["token"]]), W.HBox([c["layer"], c["head"]]), out],
                   hint=t("Try: another layer and head, another token, or your own text."))
    box.controls, box.out, box.refresh = c, out, refresh
    return box
