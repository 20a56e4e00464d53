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


# ---------------------------------------------------------------- melody in: an opening, continued
from course_utils.data import melodies as M  # noqa: E402


def test_typed_opening_round_trips_through_the_tokenizer(tok):
    prompt = M.parse_opening("D4 E4 F#4:0.5 G4:0.5 A4:2 R:1/3 C#5:1.5")
    assert prompt.pitches == [0, 2, 4, 5, 7, REST, 11] and prompt.tonic_midi == 62
    assert prompt.durations == [1.0, 1.0, 0.5, 0.5, 2.0, 1 / 3, 1.5] and prompt.mode == "major"
    back = tok.decode(tok.encode(prompt, "any"), prompt.tonic_midi)         # encode -> decode
    assert (back.pitches, back.durations, back.tonic_midi) == (prompt.pitches, prompt.durations, 62)
    assert M.format_opening(prompt) == "D4 E4 F#4:0.5 G4:0.5 A4:2 R:1/3 C#5:1.5"
    assert M.parse_opening(M.format_opening(prompt)) == prompt             # typed -> Melody -> typed
    assert M.parse_opening("d e f# g a") .pitches == [0, 2, 4, 5, 7]       # octave 4 by default
    assert M.parse_opening("A3, C4, E4", tonic="A3").mode == "minor"
    assert M.parse_opening("C4 Eb4 G4", tonic="C4").pitches == [0, 3, 7]


def test_corpus_opening_round_trips(tok):
    song = load_melodies()[5]
    head = M.opening(song, 8)
    assert (head.pitches, head.durations, head.tonic_midi) == (song.pitches[:8], song.durations[:8], song.tonic_midi)
    typed = M.parse_opening(M.format_opening(song, 8), tonic=M.note_name(song.tonic_midi))
    assert (typed.pitches, typed.durations) == (head.pitches, head.durations)
    back = tok.decode(tok.encode(head, max_notes=8), head.tonic_midi)
    assert (back.pitches, back.durations) == (head.pitches, head.durations)


@pytest.mark.parametrize("text, message", [
    ("", "empty"), ("   ", "empty"), ("H4 A4", "'H4' is not a note"), ("D4 E##4", "not a note"),
    ("D4 A4:1.25", "not a length the model knows"), ("D4 A4:x", "not a number of beats"),
    ("C4 C7", "semitones from the tonic"), ("C9", "piano's range"), ("R R:2", "only rests")])
def test_opening_parse_errors_say_what_to_type(text, message):
    with pytest.raises(BadInputError, match=message):
        M.parse_opening(text)


def test_continuation_starts_with_the_opening_and_repeats_with_its_seed(tok, trained):
    model, _ = trained
    prompt = M.parse_opening("D4 E4 F#4 G4 A4")
    a = MM.continue_melodies(model, tok, [prompt, prompt], "major", n=2, seed=3, max_notes=20)
    b = MM.continue_melodies(model, tok, [prompt, prompt], "major", n=2, seed=3, max_notes=20)
    c = MM.continue_melodies(model, tok, [prompt, prompt], "major", n=2, seed=4, max_notes=20)
    assert len(a) == 4
    for m in a:
        assert (m.pitches[:5], m.durations[:5]) == (prompt.pitches, prompt.durations)   # exactly the opening
        assert 5 + 4 <= len(m) <= 20 and m.tonic_midi == 62 and all(d in DURATIONS for d in m.durations)
    assert [(m.pitches, m.durations) for m in a] == [(m.pitches, m.durations) for m in b]
    assert [(m.pitches, m.durations) for m in a] != [(m.pitches, m.durations) for m in c]


def test_continuation_rejects_bad_openings(tok, trained):
    model, _ = trained
    short, long = M.parse_opening("C4 D4"), M.parse_opening("C4 D4 E4")
    with pytest.raises(BadInputError, match="same number of notes"):
        MM.continue_melodies(model, tok, [short, long])
    with pytest.raises(BadInputError, match="no room"):
        MM.continue_melodies(model, tok, [long], max_notes=5)
    with pytest.raises(BadInputError):
        MM.continue_melodies(model, tok, [])


def test_prompt_key_report_counts_only_new_notes(tok, trained):
    model, _ = trained
    heads = [M.opening(m, 6) for m in load_melodies()[:6]]
    rep = MM.prompt_key_report(model, tok, heads, "any", n=1, seed=0, max_notes=16)
    assert rep["kept the opening"] == 1.0 and rep["openings"] == 6
    assert 0 <= rep["continued from the opening"] <= 1 and 0 <= rep["unprompted"] <= 1
    assert rep["openings with a metre"] == sum(h.bar > 0 for h in heads) > 0
    assert 0 <= rep["downbeats, continued"] <= 1 and 0 <= rep["downbeats, unprompted"] <= 1


def test_downbeats_kept_scores_the_new_notes_against_the_openings_metre():
    # a 3/4 opening with a one-beat pickup (its first note on beat 3): bar lines after it at 1, 4, 7, ...
    head = Melody([0, 2, 4, 5], [1.0] * 4, "major", metre="3/4", bar=3.0, start=2.0)   # onsets 0 1 2 3
    keeps = Melody(head.pitches + [7, 5, 4, 2, 0], head.durations + [2.0, 1.0, 2.0, 1.0, 3.0], "major")
    breaks = Melody(head.pitches + [7, 5, 4, 2, 4, 2, 0], head.durations + [1.5] + [1.0] * 6, "major")
    assert MM.downbeats_kept([head], [keeps]) == 1.0       # new notes at 4 6 7 9 10, end 13: lines 7 and 10 hit
    assert MM.downbeats_kept([head], [breaks]) == 0.0      # a dotted note not made up for: 4 5.5 6.5 ... 10.5
    # n melodies per opening, in order; an opening of unknown metre (a typed one) is skipped
    typed = Melody([0, 2, 4, 5], [1.0] * 4, "major")
    assert MM.downbeats_kept([head, typed], [keeps, breaks, breaks, breaks], n=2) == 0.5
    assert np.isnan(MM.downbeats_kept([typed], [keeps]))
    with pytest.raises(BadInputError, match="per opening"):
        MM.downbeats_kept([head], [keeps, breaks])


# ----------------------------------------------------------------------------- text in
@pytest.fixture(scope="module")
def text_model(tok):
    import torch
    base = MM.new_melody_model(tok, n_layer=1, n_embd=32, seed=0)
    before = {k: v.clone() for k, v in base.state_dict().items()}
    model, log = MM.train_text_melody_model(base, tok, load_melodies()[:200], steps=30, batch_size=8, seed=0)
    assert all(torch.equal(v, before[k]) for k, v in base.state_dict().items())   # the copy is trained, not base
    return base, model, log


def test_text_model_starts_as_its_base_and_a_zero_vector_is_unconditional(tok, text_model):
    import torch
    base, model, _ = text_model
    ids = torch.tensor([tok.encode(Melody([0, 3, 7], [1.0] * 3, "minor"), "any")])
    fresh = MM.TextMelodyModel(base)
    text = torch.randn(1, 384, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(fresh(ids, text=text).logits, base(input_ids=ids).logits, atol=1e-6)   # zero-initialised
    assert torch.equal(model(ids, text=torch.zeros(1, 384)).logits, model(ids).logits)
    assert not torch.allclose(model(ids, text=text).logits, model(ids).logits)                  # it learned to listen


def test_guidance_is_cond_plus_w_times_cond_minus_uncond(tok, text_model):
    import torch
    _, model, _ = text_model
    ids = torch.tensor([[tok.bos_id, tok.condition_id("any")]] * 2)
    text = MM._description_vectors(["a slow, sad tune with a narrow range", None])
    cond = model(ids, text=text).logits[:, -1]
    uncond = model(ids, text=torch.zeros_like(text)).logits[:, -1]
    assert torch.allclose(MM._next_logits(model, ids, text, 2.0), cond + 2.0 * (cond - uncond), atol=1e-5)
    assert torch.equal(MM._next_logits(model, ids, text, 0.0), cond)
    assert torch.allclose(cond[1], uncond[1])                  # None: no description, guidance changes nothing


def test_described_samples_are_seeded_and_ordered(tok, text_model):
    _, model, _ = text_model
    ask = ["a slow, sad tune with a narrow range", "a lively, happy tune with a wide range"]
    a = MM.sample_described(model, tok, ask, n=3, guidance=2.0, seed=4, max_notes=16)
    b = MM.sample_described(model, tok, ask, n=3, guidance=2.0, seed=4, max_notes=16)
    assert [m.pitches for m in a] == [m.pitches for m in b] and len(a) == 6
    assert [m.source for m in a] == [f"described: {d}" for d in ask for _ in range(3)]
    assert all(8 <= len(m) <= 16 for m in a)
    start = Melody([0, 3, 7, 3], [1.0] * 4, "minor", 57)
    cont = MM.sample_described(model, tok, ask[0], n=2, guidance=1.0, seed=0, opening=start)
    assert all(m.pitches[:4] == start.pitches and m.tonic_midi == 57 for m in cont)
    with pytest.raises(BadInputError, match="guidance"):
        MM.sample_described(model, tok, ask, guidance=-1)
    with pytest.raises(BadInputError, match="temperature"):
        MM.sample_described(model, tok, ask, temperature=0)


def test_description_sampler_picks_a_phrasing_of_the_tunes_labels_or_drops_it():
    import torch
    from course_utils.data import melodies as M
    bank = M.description_bank()
    vectors = torch.eye(len(bank))[:, :len(bank)]              # one-hot "embeddings": row i = phrasing i
    pick = MM.description_sampler([t for t, _ in bank], [lab for _, lab in bank], vectors, drop=0.25)
    tunes = load_melodies()[:300]
    rows = pick(tunes, np.random.default_rng(0))
    dropped = rows.sum(1) == 0
    assert 0.15 < float(dropped.float().mean()) < 0.35
    for m, r, d in zip(tunes, rows, dropped):
        if not d:
            assert bank[int(r.argmax())][1] == M.training_labels(m)


def test_description_report_has_a_row_per_guidance_and_a_baseline(tok, text_model):
    _, model, _ = text_model
    from course_utils.data import melodies as M
    described = M.description_bank()[::24]
    report = MM.description_report(model, tok, described, guidances=(0.0, 3.0), n=2, seed=0, max_notes=16)
    assert list(report) == ["guidance 0", "guidance 3", "no description"]
    for row in report.values():
        assert set(row) == {"mode", "pace", "range", "all three"} and all(0 <= v <= 1 for v in row.values())
        assert row["all three"] <= min(row["mode"], row["pace"], row["range"])
    mels = [Melody([0, 3, 5], [0.5] * 3, "minor"), Melody([0, 4, 12], [2.0] * 3, "major")]
    wanted = [{"mode": "minor", "pace": "lively", "range": "narrow"}] * 2
    assert MM.match_shares(mels, wanted) == {"mode": 0.5, "pace": 0.5, "range": 0.5, "all three": 0.5}
