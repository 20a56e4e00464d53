"""Melody tokenizer and model: round trips, grammar, seeded sampling, and a conditioning floor
on a model trained inside the test (a few hundred steps, ~10 s on 2 idle cores)."""
import numpy as np
import pytest

from course_utils.generators import melody_model as MM
from course_utils.kernel.errors import BadInputError
from course_utils.data.melodies import DURATIONS, REST, Melody, load_melodies, mode_of, scale_share


@pytest.fixture(scope="module")
def tok():
    return MM.MelodyTokenizer()


def test_tokenizer_round_trip(tok):
    mel = Melody([0, 3, REST, -5, 12], [1.0, 0.5, 0.5, 1 / 3, 4.0], "minor", 62)
    ids = tok.encode(mel)
    assert tok.tokens(ids) == ["<bos>", "<minor>", "P+0", "D1", "P+3", "D0.5", "REST", "D0.5",
                               "P-5", "D1/3", "P+12", "D4", "<eos>"]
    back = tok.decode(ids, 62)
    assert (back.pitches, back.durations, back.mode, back.tonic_midi) == (mel.pitches, mel.durations, "minor", 62)
    assert len(set(tok.vocab)) == len(tok) and tok.pad_id == 0


def test_truncation_and_condition_override(tok):
    mel = Melody([0, 2, 4, 5], [1.0] * 4, "major")
    ids = tok.encode(mel, condition="any", max_notes=2)
    assert tok.tokens(ids) == ["<bos>", "<any>", "P+0", "D1", "P+2", "D1"]  # cut: no <eos>


def test_tokenizer_rejects_bad_input(tok):
    with pytest.raises(BadInputError):
        tok.encode(Melody([0], [1.25], "major"))       # off the duration grid
    with pytest.raises(BadInputError):
        tok.encode(Melody([40], [1.0], "major"))       # beyond the pitch range
    with pytest.raises(BadInputError):
        tok.condition_id("dorian")


@pytest.fixture(scope="module")
def trained(tok):
    mels = load_melodies()
    model = MM.new_melody_model(tok, n_layer=2, n_embd=64, seed=0)
    result = MM.train_melody_model(model, tok, mels, steps=250, batch_size=32, lr=5e-3, max_notes=24,
                                       condition_dropout=0.1, seed=0)
    return model, result


def test_training_lowers_the_loss(trained):
    _, result = trained
    assert np.mean(result.losses[-20:]) < 0.6 * result.losses[0]


def test_samples_follow_the_grammar_and_the_seed(tok, trained):
    model, _ = trained
    a = MM.sample_melodies(model, tok, "minor", n=4, seed=3, max_notes=20)
    b = MM.sample_melodies(model, tok, "minor", n=4, seed=3, max_notes=20)
    c = MM.sample_melodies(model, tok, "minor", n=4, seed=4, max_notes=20)
    assert [(m.pitches, m.durations) for m in a] == [(m.pitches, m.durations) for m in b]
    assert [(m.pitches, m.durations) for m in a] != [(m.pitches, m.durations) for m in c]
    for m in a:
        assert 8 <= len(m) <= 20 and len(m.pitches) == len(m.durations)
        assert all(d in DURATIONS for d in m.durations)


def test_conditioning_accuracy_above_a_floor(tok, trained):
    """Judged by the independent thirds rule and by scale membership, not by the model."""
    model, _ = trained
    res = {}
    for cond in ("major", "minor"):
        mels = MM.sample_melodies(model, tok, cond, n=48, seed=0, max_notes=24)
        res[cond] = (np.mean([mode_of(m.pitches) == "minor" for m in mels]),
                     np.mean([scale_share(m.pitches, "minor") for m in mels]))
    assert res["minor"][0] > res["major"][0] + 0.25, res
    assert res["minor"][1] > res["major"][1] + 0.05, res


def test_sampling_rejects_bad_input(tok, trained):
    model, _ = trained
    for kwargs in (dict(temperature=0), dict(temperature=-1), dict(max_notes=500), dict(n=0)):
        with pytest.raises(BadInputError):
            MM.sample_melodies(model, tok, "major", **kwargs)
    with pytest.raises(BadInputError):
        MM.sample_melodies(model, tok, "lydian")


def test_typical_melody_is_the_one_nearest_the_average():
    def mel(pitches):
        return Melody(pitches, [1.0] * len(pitches), "major", 60)
    major = mel([0, 2, 4, 5, 7])                    # all in the major scale
    minor = mel([0, 2, 3, 5, 7, 8])                 # all in the minor scale
    mixed = mel([0, 4, 3, 7])                       # between the two
    rests = mel([REST, REST])                       # no notes: never the typical one
    assert MM.typical_melody([major, major, mixed, rests]) is major
    assert MM.typical_melody([major, minor, mixed]) is mixed
    assert MM.typical_melody([minor]) is minor
    with pytest.raises(BadInputError):
        MM.typical_melody([])
