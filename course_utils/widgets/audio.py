"""Melody widget (lesson 08): condition, temperature, seed, tempo, timbre, an opening, a description
-> piano roll + player.

    from course_utils.widgets.audio import melody_widget
    from course_utils.generators.melody_model import compose_melody
    melody_widget(model, tokenizer)              # in a notebook
    melody_widget(model, tokenizer, text_model=text_model)   # + a description box and a guidance slider
    result = compose_melody(model, tokenizer, condition="minor", seed=3)   # what it calls (melody_model)

Core ipywidgets only (7.7 and 8.x). The callback clears `out.outputs` and appends a stdout line,
a matplotlib Figure and an IPython Audio player, so tests can read `out.outputs` in any runner.
Sampled melodies are cached by (condition, temperature, seed, opening), so changing tempo, timbre
or variation only re-renders the sound. The opening box takes notes typed as names
("D4 E4 F#4 G4 A4", see data.melodies.parse_opening); empty = no opening. With a text model, the
description box (text in) replaces the condition while it is not empty, sampled with the guidance
slider's classifier-free guidance; melodies are cached by description and guidance too.
"""
from __future__ import annotations

from course_utils.generators.audio import TIMBRES
from course_utils.kernel.i18n import t
from course_utils.kernel.errors import BadInputError
from course_utils.widgets.output import Previewed, show_error, show_view
from course_utils.generators.melody_model import CONDITIONS, compose_melody


def melody_widget(model, tokenizer, text_model=None):
    """Controls + an Output showing the summary, the piano roll and an audio player. With `text_model`
    (a TextMelodyModel): also a description box and a guidance slider."""
    import ipywidgets as W
    from IPython.display import Audio

    style = {"description_width": "initial"}
    condition = W.Dropdown(options=list(CONDITIONS), value="minor", description=t("condition"), style=style)
    temperature = W.FloatSlider(value=1.0, min=0.2, max=2.0, step=0.1, description=t("temperature"),
                                continuous_update=False, style=style)
    seed = W.IntText(value=0, description=t("seed"), style=style)
    tempo = W.IntSlider(value=120, min=60, max=200, step=10, description=t("tempo (bpm)"),
                        continuous_update=False, style=style)
    timbre = W.Dropdown(options=list(TIMBRES), value="clarinet", description=t("timbre"), style=style)
    variation = W.Checkbox(value=False, description=t("expressive micro-variation"))
    opening = W.Text(value="", description=t("opening"), placeholder=t("e.g. D4 E4 F#4 G4 A4 (empty: none)"),
                     continuous_update=False, style=style, layout=W.Layout(width="420px"))
    description = W.Text(value="", description=t("description"), placeholder=t("e.g. a slow sad tune (empty: none)"),
                         continuous_update=False, style=style, layout=W.Layout(width="420px"))
    guidance = W.FloatSlider(value=2.0, min=0.0, max=5.0, step=0.5, description=t("guidance"),
                             continuous_update=False, style=style)
    text_controls = [] if text_model is None else [W.HBox([description, guidance])]
    out = W.Output()

    def update(*_):
        out.outputs = ()
        try:
            comp = compose_melody(model, tokenizer, condition=condition.value, temperature=temperature.value,
                                  seed=seed.value, tempo=tempo.value, timbre=timbre.value,
                                  variation=variation.value, opening=opening.value, text_model=text_model,
                                  description=description.value if text_model is not None else "",
                                  guidance=guidance.value)
        except BadInputError as err:
            show_error(out, err)
            return
        show_view(out, comp.summary, comp.figure, Audio(comp.wave, rate=comp.sample_rate))

    watched = [condition, temperature, seed, tempo, timbre, variation, opening]
    for w in watched + ([description, guidance] if text_model is not None else []):
        w.observe(update, names="value")
    update()
    hint = t("Try: minor vs major, temperature 0.3 vs 1.5, another timbre, humanised timing, "
             "an opening to continue (D4 E4 F#4 G4 A4).")
    if text_model is not None:
        hint += " " + t("Describe a tune (a slow sad tune), then raise the guidance.")
    box = Previewed([W.HBox([condition, timbre, variation]), W.HBox([temperature, tempo, seed]), opening,
                     *text_controls, out], hint=hint)
    box.update = update      # tests and notebooks can force a refresh
    box.output = out
    box.controls = dict(condition=condition, temperature=temperature, seed=seed, tempo=tempo,
                        timbre=timbre, variation=variation, opening=opening)
    if text_model is not None:
        box.controls.update(description=description, guidance=guidance)
    return box
