"""Melody widget (lesson 08): condition, temperature, seed, tempo, timbre -> piano roll + player.

    from course_utils.widgets.audio import melody_widget, compose_melody
    melody_widget(model, tokenizer)              # in a notebook
    result = compose_melody(model, tokenizer, condition="minor", seed=3)   # what it calls

Core ipywidgets only (7.7 and 8.x). The callback clears `out.outputs` and appends a stdout line,
a matplotlib Figure and an IPython Audio player, so tests can read `out.outputs` in any runner.
Sampled melodies are cached by (condition, temperature, seed), so changing tempo, timbre or
variation only re-renders the sound.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..audio import TIMBRES, piano_roll, render_melody
from ..errors import BadInputError
from ..melodies import Melody, mode_of, scale_share
from ..melody_model import CONDITIONS, sample_melodies
from ..checks import check_temperature

WIDGET_RATE = 16_000  # Hz: enough for melodies, keeps the player's data small


@dataclass
class Composition:
    melody: Melody
    wave: np.ndarray
    sample_rate: int
    summary: str
    figure: object  # matplotlib.figure.Figure


def _sampler(model, tokenizer):
    @lru_cache(maxsize=64)
    def sample(condition: str, temperature: float, seed: int) -> Melody:
        return sample_melodies(model, tokenizer, condition, n=1, temperature=temperature, seed=seed,
                               max_notes=32)[0]
    return sample


_SAMPLERS: dict[int, object] = {}


def compose_melody(model, tokenizer, *, condition: str = "major", temperature: float = 1.0, seed: int = 0,
                   tempo: float = 120.0, timbre: str = "clarinet", variation: bool = False,
                   tonic_midi: int = 62, max_seconds: float = 8.0, sample_rate: int = WIDGET_RATE) -> Composition:
    """Sample one melody (cached), render it, and describe it: the plain function behind the widget."""
    if timbre not in TIMBRES:
        raise BadInputError(f"timbre must be one of {TIMBRES}, got {timbre!r}.")
    if condition not in CONDITIONS:
        raise BadInputError(f"condition must be one of {CONDITIONS}, got {condition!r}.")
    key = id(model)
    if key not in _SAMPLERS:
        _SAMPLERS.clear()  # one model at a time: don't keep old models alive
        _SAMPLERS[key] = _sampler(model, tokenizer)
    temperature = check_temperature(temperature)   # a clear message for 0, -1 or "hot"
    mel = _SAMPLERS[key](condition, round(temperature, 3), int(seed))
    mel = Melody(mel.pitches, mel.durations, mel.mode, tonic_midi, mel.source)
    wave = render_melody(mel, tempo=tempo, timbre=timbre, sample_rate=sample_rate, variation=variation,
                         seed=seed, max_seconds=max_seconds)
    judged = mode_of(mel.pitches) or "undecided"
    summary = (f"asked: {condition} | {len(mel)} notes | in major scale {scale_share(mel.pitches, 'major'):.2f}, "
               f"in minor scale {scale_share(mel.pitches, 'minor'):.2f} | thirds say: {judged} | "
               f"{len(wave) / sample_rate:.1f} s of audio at {sample_rate} Hz")
    fig = piano_roll(mel, tempo=tempo, title=f"asked for {condition}, temperature {temperature:g}, seed {seed}")
    return Composition(mel, wave, sample_rate, summary, fig)


def melody_widget(model, tokenizer):
    """Controls + an Output showing the summary, the piano roll and an audio player."""
    import ipywidgets as W
    from IPython.display import Audio

    style = {"description_width": "initial"}
    condition = W.Dropdown(options=list(CONDITIONS), value="minor", description="condition", style=style)
    temperature = W.FloatSlider(value=1.0, min=0.2, max=2.0, step=0.1, description="temperature",
                                continuous_update=False, style=style)
    seed = W.IntText(value=0, description="seed", style=style)
    tempo = W.IntSlider(value=120, min=60, max=200, step=10, description="tempo (bpm)",
                        continuous_update=False, style=style)
    timbre = W.Dropdown(options=list(TIMBRES), value="clarinet", description="timbre", style=style)
    variation = W.Checkbox(value=False, description="expressive micro-variation")
    out = W.Output()

    def update(*_):
        out.outputs = ()
        try:
            comp = compose_melody(model, tokenizer, condition=condition.value, temperature=temperature.value,
                                  seed=seed.value, tempo=tempo.value, timbre=timbre.value,
                                  variation=variation.value)
        except BadInputError as err:
            out.append_stdout(f"{err}\n")
            return
        out.append_stdout(comp.summary + "\n")
        out.append_display_data(comp.figure)
        out.append_display_data(Audio(comp.wave, rate=comp.sample_rate))

    for w in (condition, temperature, seed, tempo, timbre, variation):
        w.observe(update, names="value")
    update()
    box = W.VBox([W.HBox([condition, timbre, variation]), W.HBox([temperature, tempo, seed]), out])
    box.update = update      # tests and notebooks can force a refresh
    box.output = out
    box.controls = dict(condition=condition, temperature=temperature, seed=seed, tempo=tempo,
                        timbre=timbre, variation=variation)
    return box
