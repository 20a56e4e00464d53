"""The melody widget: controls drive compose_melody, outputs land in out.outputs (7.7 and 8.x)."""
import numpy as np
import pytest

from course_utils.generators import melody_model as MM
from course_utils.kernel.errors import BadInputError
from course_utils.data.melodies import scale_share
from course_utils.widgets import audio as WA


@pytest.fixture(scope="module")
def model_and_tok():
    tok = MM.MelodyTokenizer()
    model = MM.new_melody_model(tok, n_layer=1, n_embd=32, seed=0)  # untrained is enough here
    return model, tok


def test_compose_melody_is_seeded_and_cached(model_and_tok):
    model, tok = model_and_tok
    a = MM.compose_melody(model, tok, condition="minor", seed=5, tempo=120, timbre="sine", max_seconds=2.0)
    hits = MM._SAMPLERS[id(model)].cache_info().hits
    b = MM.compose_melody(model, tok, condition="minor", seed=5, tempo=60, timbre="organ", max_seconds=2.0)
    assert a.melody.pitches == b.melody.pitches          # tempo/timbre change only the sound
    assert MM._SAMPLERS[id(model)].cache_info().hits == hits + 1   # ... and the melody is not sampled again
    MM.compose_melody(model, tok, condition="minor", seed=6, max_seconds=2.0)
    assert MM._SAMPLERS[id(model)].cache_info().hits == hits + 1   # a new seed is a new draw
    assert a.sample_rate == MM.WIDGET_RATE and a.wave.dtype == np.float32
    assert len(a.wave) / a.sample_rate <= 2.2 and np.abs(a.wave).max() <= 1.0
    assert f"{scale_share(a.melody.pitches, 'minor'):.2f}" in a.summary
    from matplotlib.figure import Figure
    assert isinstance(a.figure, Figure)


def test_compose_melody_bad_input(model_and_tok):
    model, tok = model_and_tok
    with pytest.raises(BadInputError):
        MM.compose_melody(model, tok, timbre="theremin")
    with pytest.raises(BadInputError):
        MM.compose_melody(model, tok, condition="blues")
    for bad in (0, -1, "hot"):
        with pytest.raises(BadInputError, match="temperature"):
            MM.compose_melody(model, tok, temperature=bad)


def test_widget_outputs_and_controls(model_and_tok):
    model, tok = model_and_tok
    box = WA.melody_widget(model, tok)
    out = box.output
    box.update()
    kinds = [o["output_type"] for o in out.outputs]
    assert kinds == ["stream", "display_data", "display_data"]
    assert "asked: minor" in out.outputs[0]["text"]
    assert "text/html" in out.outputs[2]["data"] and "audio" in out.outputs[2]["data"]["text/html"]
    first = out.outputs[0]["text"]
    box.controls["condition"].value = "major"              # setting a value re-renders at once
    assert "asked: major" in out.outputs[0]["text"] and len(out.outputs) == 3
    box.controls["seed"].value = 11
    assert out.outputs[0]["text"] != first
    box.controls["timbre"].value = "pluck"
    box.controls["variation"].value = True
    assert len(out.outputs) == 3


def test_compose_melody_continues_an_opening_and_caches_it(model_and_tok):
    model, tok = model_and_tok
    a = MM.compose_melody(model, tok, condition="major", seed=2, opening="D4 E4 F#4 G4 A4:2", max_seconds=2.0)
    assert (a.melody.pitches[:5], a.melody.durations[:5]) == ([0, 2, 4, 5, 7], [1.0, 1.0, 1.0, 1.0, 2.0])
    assert a.melody.tonic_midi == 62 and a.summary.startswith("opening: 5 notes (major, tonic D4)")
    assert len(a.figure.axes[0].patches) >= 1 and "opening" in a.figure.axes[0].get_title("left")
    hits = MM._SAMPLERS[id(model)].cache_info().hits
    b = MM.compose_melody(model, tok, condition="major", seed=2, opening=" D4 E4 F#4 G4 A4:2 ", timbre="pluck",
                          max_seconds=2.0)
    assert b.melody.pitches == a.melody.pitches and MM._SAMPLERS[id(model)].cache_info().hits == hits + 1
    c = MM.compose_melody(model, tok, condition="major", seed=2, opening="A3 C4 E4", max_seconds=2.0)
    assert c.melody.pitches[:3] == [0, 3, 7] and c.melody.tonic_midi == 57
    plain = MM.compose_melody(model, tok, condition="major", seed=2, opening="", max_seconds=2.0)
    assert plain.summary.startswith("asked: major")                    # empty: no opening, as before
    for bad, message in (("D4 H4", "not a note"), ("C4 " * 25, "at most 24")):
        with pytest.raises(BadInputError, match=message):
            MM.compose_melody(model, tok, opening=bad)


def test_widget_opening_box(model_and_tok):
    model, tok = model_and_tok
    box = WA.melody_widget(model, tok)
    out, opening = box.output, box.controls["opening"]
    assert opening.value == "" and opening.continuous_update is False
    assert "asked: minor" in out.outputs[0]["text"]
    opening.value = "D4 E4 F#4 G4 A4"                                  # typing re-renders at once
    assert out.outputs[0]["text"].startswith("opening: 5 notes") and len(out.outputs) == 3
    opening.value = "D4 H4"                                            # a typo: the message, not a crash
    assert "not a note" in str(out.outputs)
    opening.value = ""
    assert out.outputs[0]["text"].startswith("asked: minor") and len(out.outputs) == 3


@pytest.fixture(scope="module")
def text_model(model_and_tok):
    import torch
    model, _ = model_and_tok
    text = MM.TextMelodyModel(model)
    with torch.no_grad():   # untrained is enough: a random projection so the description matters
        text.project.weight.copy_(torch.randn(text.project.weight.shape, generator=torch.Generator().manual_seed(0)))
    return text


def test_compose_melody_from_a_description_is_cached_by_description_and_guidance(model_and_tok, text_model):
    model, tok = model_and_tok
    kw = dict(text_model=text_model, seed=3, max_seconds=2.0)
    a = MM.compose_melody(model, tok, description="a slow sad tune", guidance=2.0, **kw)
    assert a.summary.startswith("described: 'a slow sad tune', guidance 2 | measured: ")
    assert "asked: (the description)" in a.summary and "a slow sad tune" in a.figure.axes[0].get_title("left")
    sampler = MM._SAMPLERS[(id(model), id(text_model))]
    hits = sampler.cache_info().hits
    b = MM.compose_melody(model, tok, description=" a slow sad tune ", guidance=2.0, timbre="pluck", **kw)
    assert b.melody.pitches == a.melody.pitches and sampler.cache_info().hits == hits + 1
    MM.compose_melody(model, tok, description="a slow sad tune", guidance=0.0, **kw)
    MM.compose_melody(model, tok, description="a lively happy tune with big jumps", guidance=2.0, **kw)
    assert sampler.cache_info().hits == hits + 1                      # new guidance, new description: new draws
    same = MM.sample_described(text_model, tok, ["a slow sad tune"], n=1, guidance=2.0, seed=3, max_notes=32)[0]
    assert same.pitches == a.melody.pitches                           # the widget shows sample_described's draw
    plain = MM.compose_melody(model, tok, condition="major", description="", **kw)
    assert plain.summary.startswith("asked: major")                   # empty: the condition token, as before
    with pytest.raises(BadInputError, match="text model"):
        MM.compose_melody(model, tok, description="a slow sad tune")
    with pytest.raises(BadInputError, match="guidance"):
        MM.compose_melody(model, tok, description="a slow sad tune", guidance=-1, text_model=text_model)


def test_widget_with_a_text_model_has_a_description_box_and_a_guidance_slider(model_and_tok, text_model):
    model, tok = model_and_tok
    assert "description" not in WA.melody_widget(model, tok).controls
    box = WA.melody_widget(model, tok, text_model=text_model)
    out = box.output
    assert out.outputs[0]["text"].startswith("asked: minor")
    box.controls["description"].value = "a slow sad tune"
    assert out.outputs[0]["text"].startswith("described: 'a slow sad tune', guidance 2") and len(out.outputs) == 3
    box.controls["guidance"].value = 4.0
    assert out.outputs[0]["text"].startswith("described: 'a slow sad tune', guidance 4")
    box.controls["opening"].value = "A3 C4 E4"                        # a description and an opening together
    assert out.outputs[0]["text"].startswith("opening: 3 notes (minor, tonic A3)")
    box.controls["description"].value = ""
    assert "described" not in out.outputs[0]["text"]
