"""Melody extraction from ABC text: pitches, rhythm, ties, mode, and the cached corpus."""
import numpy as np
import pytest

from course_utils.data import melodies as M
from course_utils.kernel.errors import BadInputError

# C major scale up and back, written by hand: the expected values below come from music theory,
# not from running the code.
C_MAJOR = """X:1
T:test scale
M:4/4
L:1/8
K:C
CDEF GABc | c2 B2 A2 G2 | F E D C- C3 |]
"""
# A natural minor tune in the key signature of C major (relative minor), ending on A.
A_MINOR = """X:2
T:test minor
M:3/4
L:1/4
K:C
A B c | e2 c | B A G | A3 |]
"""


def test_pitches_relative_to_final_note_and_rhythm():
    mel = M.melody_from_abc(C_MAJOR)
    assert mel.pitches[:8] == [0, 2, 4, 5, 7, 9, 11, 12]
    # L:1/8 with a median eighth note: rescaled so the typical note is one beat
    assert mel.durations[:8] == [1.0] * 8 and mel.durations[8:12] == [2.0] * 4
    # the tie C- C3 is merged into one note of 1 + 3 eighths = a half note = 4 beats here
    assert mel.pitches[-1] == 0 and mel.durations[-1] == 4.0 and len(mel) == 16
    assert mel.tonic_midi == 60 and mel.mode == "major"


def test_minor_mode_from_the_thirds():
    mel = M.melody_from_abc(A_MINOR)
    assert mel.tonic_midi == 69                       # in ABC, C is middle C, so A is A4 = 69
    assert mel.pitches[:3] == [0, 2, 3]
    assert mel.mode == "minor" and M.screen_mode(A_MINOR) == "minor"


# G major in 3/4 with a one-beat pickup (upbeat): the first bar line comes after one beat.
PICKUP_3_4 = """X:3
T:test pickup
M:3/4
L:1/4
K:G
D | G A B | c2 B | A G F | G3 |]
"""


def test_metre_from_the_time_signature_and_the_bar_lines():
    # 4/4 written in eighths, rescaled so an eighth is one unit: a bar is 8 units, no pickup
    mel = M.melody_from_abc(C_MAJOR)
    assert (mel.metre, mel.bar, mel.start) == ("4/4", 8.0, 0.0)
    # 3/4 in quarters (one unit each): a bar is 3 units; the pickup D is the 3rd beat of its bar
    up = M.melody_from_abc(PICKUP_3_4)
    assert up.durations[:4] == [1.0] * 4
    assert (up.metre, up.bar, up.start) == ("3/4", 3.0, 2.0)
    assert list(M.onset_positions(up.durations[:5], up.bar, up.start)) == [2.0, 0.0, 1.0, 2.0, 0.0]
    # a bar of two beats in a 3/4 tune, or no time signature: the metre is unknown, the tune is kept
    odd = M.melody_from_abc(PICKUP_3_4.replace("c2 B |", "c2 |"))
    none = M.melody_from_abc(PICKUP_3_4.replace("M:3/4", "M: none"))
    for m in (odd, none):
        assert m is not None and (m.metre, m.bar, m.start) == ("", 0.0, 0.0)
    assert M.abc_metre("X:1\nM:6/8\nK:C\nabc") == ("6/8", 3.0)
    assert M.abc_metre("X:1\nM:C\nK:C\nabc") == ("4/4", 4.0)
    # an opening keeps its tune's metre
    head = M.opening(up, 4)
    assert (head.metre, head.bar, head.start) == ("3/4", 3.0, 2.0)


def test_downbeat_share_scores_a_rhythm_against_a_metre():
    # a 3/4 opening (3 beats), then two continuations, from note 3 (at 3) on: bar lines 6, 9, 12 (end 15)
    opening = [1.0, 1.0, 1.0]
    keeps = opening + [2.0, 1.0, 2.0, 1.0, 3.0, 3.0]      # half + quarter, ... : every bar starts a note
    breaks = opening + [2.0] * 6                         # half notes in 3/4: bar lines at 6 and 12 fall mid-note
    assert M.downbeat_share(keeps, 3.0, 0.0, from_note=3) == 1.0
    assert M.downbeat_share(breaks, 3.0, 0.0, from_note=3) == pytest.approx(1 / 3)
    # the same continuation heard in 2/4 (bars of 2) keeps that metre
    assert M.downbeat_share([1.0, 1.0] + [2.0] * 6, 2.0, 0.0, from_note=2) == 1.0
    # with a one-beat pickup (start 2 of a bar of 3) the bar lines move: 1, 4, 7 (not 0: the start itself)
    pickup = [1.0, 1.0, 1.0, 1.0, 3.0, 2.0, 1.0]         # onsets 0 1 2 3 4 7 9, end 10
    assert M.downbeat_share(pickup, 3.0, 2.0) == 1.0
    assert M.downbeat_share(pickup, 3.0, 0.0) == pytest.approx(2 / 3)   # read without the pickup: 3 6 9, 6 mid-note
    # a dotted note that is not made up for puts every later bar line inside a note
    drift = opening + [1.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.5]   # onsets 3 4 5.5 6.5 ... 12.5
    assert M.downbeat_share(drift, 3.0, 0.0, from_note=3) == 0.0           # lines 6 9 12 all mid-note
    assert np.isnan(M.downbeat_share([1.0, 1.0], 3.0, 0.0))    # no bar line inside: cannot tell
    assert np.isnan(M.downbeat_share(opening, 3.0, 0.0, from_note=3))
    with pytest.raises(BadInputError):
        M.downbeat_share(opening, 0.0)


def test_chords_are_rejected():
    assert M.melody_from_abc(C_MAJOR.replace("CDEF", "[CE]DEF")) is None


def test_mode_of_and_scale_share():
    assert M.mode_of([0, 4, 7, 4, 0]) == "major"
    assert M.mode_of([0, 3, 7, 3, 0]) == "minor"
    assert M.mode_of([0, 7, 0]) is None
    assert M.scale_share([0, 2, 4, M.REST, 6], "major") == pytest.approx(3 / 4)
    assert M.scale_share([0, 3, 8, 10], "minor") == 1.0
    with pytest.raises(BadInputError):
        M.scale_share([0], "dorian")


def test_snap_duration():
    assert M.snap_duration(1.0) == (1.0, True)
    assert M.snap_duration(0.34) == (pytest.approx(1 / 3), True)
    d, ok = M.snap_duration(1.25)
    assert not ok


def test_split_abc_file():
    tunes = M.split_abc_tunes("% header\n" + C_MAJOR + "\n" + A_MINOR)
    assert len(tunes) == 2 and tunes[1].startswith("X:2")


def test_npz_round_trip(tmp_path):
    mels = [M.melody_from_abc(C_MAJOR, "a"), M.melody_from_abc(A_MINOR, "b")]
    M.save_npz(mels, tmp_path / "m.npz")
    back = M.load_npz(tmp_path / "m.npz")
    assert [(m.pitches, m.durations, m.mode, m.tonic_midi, m.source, m.metre, m.bar, m.start) for m in back] == \
           [(m.pitches, m.durations, m.mode, m.tonic_midi, m.source, m.metre, m.bar, m.start) for m in mels]


def test_cached_corpus_has_both_modes():
    mels = M.load_melodies()      # builds once (~10-20 s), then loads from the cache
    modes = [m.mode for m in mels]
    assert len(mels) > 1000 and 0.25 < modes.count("minor") / len(mels) < 0.6
    # every stored melody agrees with the rules it was built with
    for m in mels[::50]:
        assert M.mode_of(m.pitches) == m.mode
        assert all(d in M.DURATIONS for d in m.durations)
        assert all(p == M.REST or M.PITCH_MIN <= p <= M.PITCH_MAX for p in m.pitches)
    # real minor songs use the minor scale more than major songs do
    minor = np.mean([M.scale_share(m.pitches, "minor") for m in mels if m.mode == "minor"])
    major = np.mean([M.scale_share(m.pitches, "minor") for m in mels if m.mode == "major"])
    assert minor > major + 0.1


def test_cached_corpus_keeps_the_metre_of_most_tunes():
    mels = M.load_melodies()
    metred = [m for m in mels if m.bar > 0]
    assert len(metred) > 0.75 * len(mels)
    assert all(0 <= m.start < m.bar and m.metre for m in metred)
    # real songs keep their own bar lines (notes 9..32, what the model writes after an 8-note opening)...
    own = np.nanmean([M.downbeat_share(m.durations[:32], m.bar, m.start, from_note=8) for m in metred])
    # ... far better than another song's bar lines (the same notes, the next tune's bar and pickup)
    other = np.nanmean([M.downbeat_share(m.durations[:32], o.bar, o.start, from_note=8)
                        for m, o in zip(metred, metred[1:] + metred[:1])])
    assert own > 0.97 and other < own - 0.1


# ---------------------------------------------------------------- descriptions (text in)
def test_melody_labels_measure_mode_pace_and_range():
    lively_narrow_minor = M.Melody([0, 3, 2, 3, 5, 3, 0, M.REST], [0.5] * 8, "minor")
    assert M.melody_labels(lively_narrow_minor) == {"mode": "minor", "pace": "lively", "range": "narrow"}
    slow_wide_major = M.Melody([0, 4, 7, 12, 4, 0], [2.0, 1.0, 1.0, 2.0, 1.0, 3.0], "major")
    assert M.melody_labels(slow_wide_major) == {"mode": "major", "pace": "slow", "range": "wide"}
    # the boundaries: mean length LIVELY_BELOW is slow, a span of WIDE_FROM semitones is wide
    edge = M.Melody([0, M.WIDE_FROM - 1], [M.LIVELY_BELOW] * 2, "major")
    assert M.melody_labels(edge)["pace"] == "slow" and M.melody_labels(edge)["range"] == "narrow"
    assert M.melody_labels(M.Melody([0, M.WIDE_FROM], [1.0, 1.0], "major"))["range"] == "wide"
    # only the first LABEL_NOTES notes count (what the model sees and writes)
    long = M.Melody([0, 4] * 16 + [3, 15, 3, 3], [0.5] * 32 + [4.0] * 4, "minor")
    assert M.melody_labels(long) == {"mode": "major", "pace": "lively", "range": "narrow"}
    undecided = M.Melody([0, 2, 5], [1.0] * 3, "minor")
    assert M.melody_labels(undecided)["mode"] is None and M.training_labels(undecided)["mode"] == "minor"
    assert M.melody_labels(M.Melody([M.REST], [1.0], "major")) == {"mode": None, "pace": None, "range": None}


def test_phrasings_map_back_to_their_labels():
    train = M.description_bank()
    held = M.description_bank(M.HELD_OUT_TEMPLATES, M.HELD_OUT_WORDS)
    assert len(train) == 8 * 4 * 3 and len(held) == 8 * 2 * 2
    assert len({t for t, _ in train}) == len(train)                         # every phrasing different
    for text, labels in train + held:
        assert M.labels_of_description(text) == labels, text
    assert not {t for t, _ in train} & {t for t, _ in held}                # paraphrases never trained on
    train_words = {w for prop in M.TRAIN_WORDS.values() for ws in prop.values() for w in ws}
    held_words = {w for prop in M.HELD_OUT_WORDS.values() for ws in prop.values() for w in ws}
    assert not train_words & held_words
    assert M.labels_of_description("a slow sad tune") == {"mode": "minor", "pace": "slow"}
    assert M.labels_of_description("a lively major dance") == {"mode": "major", "pace": "lively"}
    assert M.labels_of_description("a happy sad tune") == {}                 # contradicts itself: no label


def test_real_tunes_cover_every_label_combination():
    counts = {}
    for m in M.load_melodies():
        key = tuple(M.training_labels(m)[p] for p in M.PROPERTIES)
        counts[key] = counts.get(key, 0) + 1
    assert set(counts) == {tuple(c[p] for p in M.PROPERTIES) for c in M.label_combinations()}
    assert min(counts.values()) >= 20, counts
