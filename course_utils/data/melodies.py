"""Real folk melodies from music21's installed corpus, as (pitch, duration) sequences with a mode.

    from course_utils.data.melodies import load_melodies
    data = load_melodies()          # ~1,200 Essen folk songs, built once (~10-20 s), then 0.02 s
    data[0]                          # Melody(pitches=[0, 4, 7, ...], durations=[1.0, 0.5, ...], mode='major', ...)

Every pitch is in semitones relative to the tonic (the tune's final note, as in almost every folk
song), so all tunes share one key and a model can learn scale degrees. A rest is REST.
Durations are in quarter notes, snapped to a small grid (DURATIONS). The mode is decided from
the notes themselves: a minor third above the tonic more often than a major third means minor.

Where the tune's time signature (its `M:` field) agrees with every bar line, the melody also
keeps its metre: the bar length in the same units as the durations and where in its bar the
first note starts (a pickup); onset_positions and downbeat_share measure rhythms against it.

Parsing with music21 is slow (~10 ms a tune), so only a screened subset is parsed and the result
is cached once as a small .npz (course_utils.kernel.cache.build_once). The Essen collection is ~88 %
major; a cheap text screen picks enough likely-minor tunes for both modes to be learnable.
Nothing is downloaded: the .abc files ship inside the music21 package.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_utils.kernel.errors import BadInputError

REST = 99                      # pitch code of a rest
PITCH_MIN, PITCH_MAX = -15, 27  # semitones relative to the tonic; tunes outside are dropped
DURATIONS = (0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)  # quarter notes
MODES = ("major", "minor")
MAJOR_SCALE = frozenset({0, 2, 4, 5, 7, 9, 11})
MINOR_SCALE = frozenset({0, 2, 3, 5, 7, 8, 10})  # natural minor
SCALES = {"major": MAJOR_SCALE, "minor": MINOR_SCALE}
CACHE_NAME = "melodies-essen-v2"   # v2: with each tune's metre (bar length, pickup)
# Chinese songs (han*) use other scales; test*.abc are music21's own test files.
SKIP_FILES = ("han", "test")


@dataclass
class Melody:
    pitches: list[int]       # semitones above the tonic, REST for a rest
    durations: list[float]   # quarter notes, values from DURATIONS
    mode: str                # "major" or "minor"
    tonic_midi: int = 60     # MIDI number of the tonic in the original tune (for rendering)
    source: str = ""         # e.g. "essenFolksong/erk10.abc#12"
    metre: str = ""          # time signature, e.g. "3/4"; "" when unknown (typed, sampled, irregular)
    bar: float = 0.0         # bar length in the units of `durations` (0: unknown)
    start: float = 0.0       # where in its bar the first note starts (0: on the downbeat; >0: a pickup)

    def __len__(self):
        return len(self.pitches)

    def midi(self, tonic_midi: int | None = None) -> list[int | None]:
        """Absolute MIDI pitches (None for rests), around `tonic_midi` (default: the original)."""
        base = self.tonic_midi if tonic_midi is None else tonic_midi
        return [None if p == REST else base + p for p in self.pitches]


# ---------------------------------------------------------------- openings typed as note names
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_LETTER = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_TYPED = re.compile(r"^([A-Ga-g])([#b]?)(-?\d)?(?::(.+))?$")
_TYPED_REST = re.compile(r"^(?:R|REST)(?::(.+))?$", re.IGNORECASE)
OPENING_SYNTAX = ("notes separated by spaces, each a letter A-G, an optional # or b and an octave "
                  "(default 4), optionally ':beats' for its length (default 1), e.g. "
                  "'D4 E4 F#4:0.5 G4:0.5 A4:2'; 'R:1' is a rest")


def note_name(midi: int) -> str:
    """MIDI number -> name with sharps and octave (60 -> 'C4', 66 -> 'F#4')."""
    return f"{NOTE_NAMES[int(midi) % 12]}{int(midi) // 12 - 1}"


def _typed_beats(text: str, item: str) -> float:
    from fractions import Fraction
    try:
        beats = float(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError):
        raise BadInputError(f"{item!r}: {text!r} is not a number of beats; write e.g. A4:2, A4:0.5 or A4:1/3.") from None
    for d in DURATIONS:
        if abs(beats - d) < 1e-6:
            return d
    grid = ", ".join({1 / 3: "1/3", 2 / 3: "2/3"}.get(d, f"{d:g}") for d in DURATIONS)
    raise BadInputError(f"{item!r}: {beats:g} beats is not a length the model knows; use one of {grid}.")


def _typed_midi(item: str) -> tuple[int, float]:
    m = _TYPED.match(item)
    if not m:
        raise BadInputError(f"{item!r} is not a note; type {OPENING_SYNTAX}.")
    letter, accidental, octave, beats = m.groups()
    midi = 12 * (int(octave if octave is not None else 4) + 1) + _LETTER[letter.upper()]
    midi += {"#": 1, "b": -1}.get(accidental, 0)
    if not 21 <= midi <= 108:
        raise BadInputError(f"{item!r} is outside the piano's range A0..C8.")
    return midi, (_typed_beats(beats, item) if beats is not None else 1.0)


def parse_opening(text: str, tonic: str | None = None) -> Melody:
    """An opening typed as note names -> a Melody relative to its tonic (the home note).

        parse_opening("D4 E4 F#4:0.5 G4:0.5 A4:2")   # Melody([0, 2, 4, 5, 7], [1, 1, 0.5, 0.5, 2], 'major', 62)

    Syntax: OPENING_SYNTAX. The tonic is the first note unless `tonic` names another one (e.g.
    "A3"); the mode comes from the notes' thirds (mode_of), 'major' when they do not tell.
    Every note must lie PITCH_MIN..PITCH_MAX semitones from the tonic, as in the training songs."""
    if not isinstance(text, str) or not text.replace(",", " ").split():
        raise BadInputError(f"The opening is empty; type {OPENING_SYNTAX}.")
    events = []
    for item in text.replace(",", " ").split():
        rest = _TYPED_REST.match(item)
        if rest:
            events.append((None, _typed_beats(rest.group(1), item) if rest.group(1) else 1.0, item))
        else:
            events.append((*_typed_midi(item), item))
    notes = [e for e in events if e[0] is not None]
    if not notes:
        raise BadInputError("The opening has only rests: type at least one note, e.g. 'D4 E4 F#4'.")
    if tonic is None:
        base = notes[0][0]
    else:
        base, _ = _typed_midi(tonic)
    pitches = []
    for midi, _, item in events:
        if midi is None:
            pitches.append(REST)
        elif not PITCH_MIN <= midi - base <= PITCH_MAX:
            raise BadInputError(f"{item!r} is {midi - base:+d} semitones from the tonic {note_name(base)}; the model "
                                f"knows {PITCH_MIN}..{PITCH_MAX} (type it an octave higher or lower).")
        else:
            pitches.append(midi - base)
    return Melody(pitches, [e[1] for e in events], mode_of(pitches) or "major", int(base), "typed opening")


def format_opening(melody: Melody, n_notes: int | None = None) -> str:
    """The first `n_notes` notes of a melody as note names, the inverse of parse_opening (whose
    tonic is the first note: pass tonic=note_name(melody.tonic_midi) to read it back exactly)."""
    items = []
    for p, d in list(zip(melody.pitches, melody.durations))[:n_notes]:
        name = "R" if p == REST else note_name(melody.tonic_midi + p)
        items.append(name if d == 1.0 else f"{name}:{ {1 / 3: '1/3', 2 / 3: '2/3'}.get(d, f'{d:g}') }")
    return " ".join(items)


def opening(melody: Melody, n_notes: int) -> Melody:
    """The first `n_notes` notes of a melody (same tonic and mode): an opening taken from the corpus."""
    if n_notes < 1:
        raise BadInputError(f"an opening needs at least 1 note, got n_notes={n_notes}.")
    return Melody(melody.pitches[:n_notes], melody.durations[:n_notes], melody.mode, melody.tonic_midi,
                  f"opening of {melody.source}" if melody.source else "opening", melody.metre, melody.bar,
                  melody.start)


# ---------------------------------------------------------------- where the corpus lives
def essen_folder() -> Path:
    """The Essen folk song folder inside the installed music21 (no network)."""
    from music21 import common
    folder = Path(common.getCorpusFilePath()) / "essenFolksong"
    if not folder.is_dir():
        raise FileNotFoundError(f"music21's Essen folk songs are missing at {folder}; reinstall music21.")
    return folder


def split_abc_tunes(text: str) -> list[str]:
    """One .abc file holds many tunes, each starting with an `X:` line."""
    return [t for t in re.split(r"(?m)^(?=X:)", text) if t.startswith("X:")]


def essen_tunes() -> list[tuple[str, str]]:
    """(source, abc text) for every usable Essen tune, in a fixed order."""
    out = []
    for path in sorted(essen_folder().glob("*.abc")):
        if path.name.startswith(SKIP_FILES):
            continue
        for i, tune in enumerate(split_abc_tunes(path.read_text(encoding="latin-1"))):
            out.append((f"essenFolksong/{path.name}#{i + 1}", tune))
    return out


# ---------------------------------------------------------------- mode
def mode_of(pitches) -> str | None:
    """'minor' if the minor third above the tonic (3 semitones) is used more than the major third
    (4), 'major' if less, None when it cannot tell (neither third, or a tie)."""
    pcs = [p % 12 for p in pitches if p != REST]
    minor, major = pcs.count(3), pcs.count(4)
    if minor == major:
        return None
    return "minor" if minor > major else "major"


def scale_share(pitches, mode: str) -> float:
    """Share of notes (rests ignored) whose pitch class is in `mode`'s scale on the tonic."""
    if mode not in SCALES:
        raise BadInputError(f"mode must be one of {MODES}, got {mode!r}.")
    pcs = [p % 12 for p in pitches if p != REST]
    return sum(pc in SCALES[mode] for pc in pcs) / len(pcs) if pcs else float("nan")


# ---------------------------------------------------------------- metre
ONSET_TOL = 1e-3   # durations are multiples of 1/12: closer than this is the same time


def onset_times(durations) -> np.ndarray:
    """When each note (or rest) starts, in the units of `durations`: 0, d0, d0 + d1, ..."""
    d = np.asarray(durations, dtype=float)
    return np.concatenate([[0.0], np.cumsum(d)[:-1]]) if len(d) else d


def onset_positions(durations, bar: float, start: float = 0.0) -> np.ndarray:
    """Where in its bar each note starts (0 = on the downbeat), for bars `bar` long and a first
    note `start` into its bar (a melody's `bar` and `start`)."""
    if not bar > 0:
        raise BadInputError(f"bar must be a positive length, got {bar}.")
    pos = (onset_times(durations) + start) % bar
    return np.where(bar - pos <= ONSET_TOL, 0.0, pos)


def downbeat_share(durations, bar: float, start: float = 0.0, from_note: int = 0) -> float:
    """Does a rhythm keep a metre? Continue the bar lines of bars `bar` long, the first note `start`
    into its bar (a melody's `bar` and `start`), through the notes from `from_note` on (after that
    note's start, before the end of the last note), and count the share of bar lines that fall where
    a note or rest starts, not in the middle of one. Real folk songs score close to 1 against their
    own metre (a bar almost always begins with a new note); a rhythm that lost the bar (a beat too
    many, a dotted note not made up for) puts bar lines inside notes. NaN when no bar line falls
    in that span (too few notes)."""
    if not bar > 0:
        raise BadInputError(f"bar must be a positive length, got {bar}.")
    d = np.asarray(durations, dtype=float)
    if from_note >= len(d):
        return float("nan")
    on = onset_times(d)
    lo, end = on[from_note], float(d.sum())
    first = (-start) % bar                       # the first bar line after the first note's start
    if bar - first <= ONSET_TOL:
        first = 0.0
    j = np.arange(max(0, math.ceil((lo - first - ONSET_TOL) / bar)), math.floor((end - first) / bar) + 1)
    lines = first + bar * j
    lines = lines[(lines > lo + ONSET_TOL) & (lines < end - ONSET_TOL)]
    if not len(lines):
        return float("nan")
    return float(np.mean(np.abs(lines[:, None] - on[None, :]).min(axis=1) <= ONSET_TOL))


# ---------------------------------------------------------------- a cheap text screen
_SIG = {"C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5, "H": 5, "F#": 6,
        "F": -1, "Bb": -2, "Eb": -3, "Es": -3, "Ab": -4, "Db": -5}
_STEP = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_NOTE = re.compile(r"([\^_=]*)([A-Ga-g])")


def screen_mode(abc: str) -> str | None:
    """A rough mode guess straight from the ABC text (key signature + accidentals, last note as
    tonic), 1,000x faster than parsing. Used only to choose which tunes to parse."""
    key = re.search(r"(?m)^K:\s*([A-H][b#s]?)", abc)
    sig = _SIG.get(key.group(1) if key else "C", 0)
    altered = {L: (1 if sig > 0 else -1) for L in ("FCGDAEB"[:sig] if sig > 0 else "BEADGCF"[:-sig])}
    body = "\n".join(line for line in abc.splitlines()
                     if not re.match(r"^[A-Za-z]:", line) and not line.startswith("%"))
    pcs = []
    for acc, letter in _NOTE.findall(body):
        step = _STEP[letter.upper()]
        shift = acc.count("^") - acc.count("_") if acc else altered.get(letter.upper(), 0)
        pcs.append((step + shift) % 12)
    if not pcs:
        return None
    return mode_of([pc - pcs[-1] for pc in pcs])


# ---------------------------------------------------------------- parsing one tune
def snap_duration(quarters: float) -> tuple[float, bool]:
    """Nearest grid duration (on a log scale) and whether it was within 10 % of it."""
    best = min(DURATIONS, key=lambda d: abs(math.log(quarters / d)))
    return best, abs(quarters / best - 1) <= 0.1


def abc_events(abc: str) -> list[list] | None:
    """[[midi or None, quarter notes], ...] from one ABC tune, using music21's ABC tokenizer
    (the first stage of `converter.parse`: key signatures, accidentals, note lengths, broken
    rhythms, tuplets, ties). Skipping the Stream building that follows (bars, beams) makes it
    ~20x faster and gives the same pitches and lengths. None for a chord (not monophonic)."""
    found = _abc_events_and_bars(abc)
    return None if found is None else found[0]


def _abc_events_and_bars(abc: str) -> tuple[list[list], list[float]] | None:
    """abc_events, and the times (quarter notes from the start) of the bar lines written in the tune."""
    from music21 import abcFormat, pitch
    handler = abcFormat.ABCHandler()
    try:
        handler.process(abc)
    except Exception:  # a handful of tunes have syntax music21 rejects: skip them
        return None
    events: list[list] = []
    bars: list[float] = []
    now = 0.0
    tie_open = False
    for tok in handler.tokens:
        if isinstance(tok, abcFormat.ABCChord):
            return None
        if isinstance(tok, abcFormat.ABCBar):
            bars.append(now)
            continue
        if not isinstance(tok, abcFormat.ABCNote) or tok.inGrace:  # grace notes have no length
            continue
        q = float(tok.quarterLength)
        if tok.activeTuplet is not None:         # a triplet quaver is 1/3, not 1/2
            q *= float(tok.activeTuplet.tupletMultiplier())
        if q <= 0:
            continue
        now += q
        if tok.isRest:
            if events and events[-1][0] is None:
                events[-1][1] += q
            else:
                events.append([None, q])
            tie_open = False
            continue
        midi = pitch.Pitch(tok.pitchName).midi
        # Merge ties ourselves, only between equal pitches (stripTies() merges G-A wrongly).
        if tie_open and events and events[-1][0] == midi:
            events[-1][1] += q
        else:
            events.append([midi, q])
        tie_open = tok.tie in ("start", "continue")
    return events, bars


def abc_metre(abc: str) -> tuple[str, float] | None:
    """The time signature of the `M:` field and its bar length in quarter notes ("6/8" -> 3.0;
    "C" is 4/4, "C|" 2/2); None when there is none, it is not a plain fraction, or it changes."""
    fields = re.findall(r"(?m)^M:\s*(\S+)\s*$", abc)
    if len(fields) != 1 or re.search(r"\[M:", abc):
        return None
    text = {"C": "4/4", "C|": "2/2"}.get(fields[0], fields[0])
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1:
        return None
    return text, 4 * int(m.group(1)) / int(m.group(2))


def metre_fit(bars: list[float], total: float, bar: float, first_onset: float = 0.0,
              tol: float = 1e-3) -> float | None:
    """Where in its bar the note at `first_onset` (quarter notes) starts, if every bar line written
    inside the tune (0 < time < total) lies a whole number of bars (`bar` quarter notes) after the
    first one and the first one comes at most one bar after the start; None otherwise (irregular
    bars, a missing time signature, or no bar line)."""
    inner = [b for b in bars if tol < b < total - tol]
    if not inner or bar <= 0 or inner[0] > bar + tol:
        return None
    for b in inner:
        k = (b - inner[0]) / bar
        if abs(k - round(k)) * bar > tol:
            return None
    pos = (first_onset - inner[0]) % bar
    return 0.0 if min(pos, bar - pos) <= tol else pos


def melody_from_abc(abc: str, source: str = "", max_off_grid: float = 0.05) -> Melody | None:
    """One ABC tune as a Melody; None if it does not fit (chords, odd rhythms, too short, an
    undecidable mode, a pitch range beyond PITCH_MIN..PITCH_MAX)."""
    found = _abc_events_and_bars(abc)
    if found is None:
        return None
    events, bars = found
    total = sum(q for _, q in events)
    lead = 0.0                      # leading rests are dropped: the melody starts at its first note
    while events and events[0][0] is None:
        lead += events[0][1]
        events.pop(0)
    while events and events[-1][0] is None:
        events.pop()
    if len(events) < 8:
        return None
    # Tunes are written with different unit lengths (L:1/16 ... L:1/2): rescale by a power of
    # two so the typical (median) note is a quaver or a crotchet, and rhythms become comparable.
    median = float(np.median([q for _, q in events]))
    scale = 2.0 ** -math.floor(math.log2(median))  # median -> [1, 2)
    scale /= 2 if median * scale >= 1.5 else 1     # ... and then to [0.5, 1.5)
    tonic = events[-1][0]
    pitches, durations, off = [], [], 0
    for midi, q in events:
        d, ok = snap_duration(q * scale)
        off += not ok
        pitches.append(REST if midi is None else midi - tonic)
        durations.append(d)
    if off > max_off_grid * len(events):
        return None
    notes = [p for p in pitches if p != REST]
    if min(notes) < PITCH_MIN or max(notes) > PITCH_MAX:
        return None
    mode = mode_of(pitches)
    if mode is None:
        return None
    # The metre, in the melody's units: kept only where the bar lines agree with the time signature
    # and snapping the durations moved no note onset.
    metre, bar, start = "", 0.0, 0.0
    signature = abc_metre(abc)
    drift = np.abs(np.cumsum(durations) - np.cumsum([q * scale for _, q in events]))
    if signature is not None and float(drift.max()) < 0.01:
        pos = metre_fit(bars, total, signature[1], lead)
        if pos is not None:
            metre, bar, start = signature[0], signature[1] * scale, round(pos * scale, 6)
    return Melody(pitches, durations, mode, int(tonic), source, metre, bar, start)


# ---------------------------------------------------------------- choose, extract, cache
def choose_tunes(n_tunes: int, minor_share: float = 0.4) -> list[tuple[str, str]]:
    """A fixed, spread-out subset: about `minor_share` screened-minor tunes, the rest major."""
    tunes = essen_tunes()
    guesses = [screen_mode(abc) for _, abc in tunes]
    n_minor = int(round(n_tunes * minor_share))
    minor = [t for t, g in zip(tunes, guesses) if g == "minor"]
    major = [t for t, g in zip(tunes, guesses) if g == "major"]

    def spread(items, k):  # every k-th item, so all collections are represented
        if k >= len(items):
            return items
        step = len(items) / k
        return [items[int(i * step)] for i in range(k)]

    n_minor = min(n_minor, len(minor))
    return spread(minor, n_minor) + spread(major, n_tunes - n_minor)


def extract_melodies(n_tunes: int = 1200, minor_share: float = 0.4, progress=None) -> list[Melody]:
    """Parse the chosen tunes (slow: ~10 ms each); returns those that fit, without duplicates."""
    if n_tunes < 1:
        raise BadInputError(f"n_tunes must be at least 1, got {n_tunes}.")
    seen, out = set(), []
    chosen = choose_tunes(n_tunes, minor_share)
    for source, abc in (progress(chosen) if progress else chosen):
        mel = melody_from_abc(abc, source)
        if mel is None:
            continue
        key = (tuple(mel.pitches), tuple(mel.durations))
        if key in seen:                  # Essen has exact duplicates (variants copied twice)
            continue
        seen.add(key)
        out.append(mel)
    return out


def save_npz(melodies: list[Melody], path: Path) -> None:
    lengths = np.array([len(m) for m in melodies], dtype=np.int32)
    np.savez_compressed(
        path,
        pitches=np.concatenate([m.pitches for m in melodies]).astype(np.int16),
        durations=np.concatenate([m.durations for m in melodies]).astype(np.float32),
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        modes=np.array([MODES.index(m.mode) for m in melodies], dtype=np.int8),
        tonics=np.array([m.tonic_midi for m in melodies], dtype=np.int16),
        sources=np.array([m.source for m in melodies]),
        metres=np.array([m.metre for m in melodies]),
        bars=np.array([m.bar for m in melodies], dtype=np.float64),
        starts=np.array([m.start for m in melodies], dtype=np.float64),
    )


def load_npz(path: Path) -> list[Melody]:
    z = np.load(path)
    o = z["offsets"]
    pitches = z["pitches"].tolist()
    # float32 -> the exact grid value (1/3 is not exact in float32), all notes at once
    grid = np.array(DURATIONS, dtype=np.float32)
    durations = [DURATIONS[i] for i in np.abs(z["durations"][:, None] - grid[None, :]).argmin(axis=1)]
    modes, tonics, sources = z["modes"].tolist(), z["tonics"].tolist(), z["sources"].tolist()
    n = len(o) - 1
    metres = z["metres"].tolist() if "metres" in z else [""] * n
    bars = z["bars"].tolist() if "bars" in z else [0.0] * n
    starts = z["starts"].tolist() if "starts" in z else [0.0] * n
    return [Melody(pitches[o[i]:o[i + 1]], durations[o[i]:o[i + 1]], MODES[modes[i]], tonics[i], sources[i],
                   metres[i], bars[i], starts[i]) for i in range(n)]


def melodies_dir(n_tunes: int = 1200, minor_share: float = 0.4) -> Path:
    """Folder of the cached melodies, extracting them on first use (~10-20 s on 2 CPU cores)."""
    from course_utils.kernel.cache import build_once

    name = f"{CACHE_NAME}-{n_tunes}-{int(minor_share * 100)}"

    def build(folder: Path) -> dict:
        import time
        t0 = time.perf_counter()
        mels = extract_melodies(n_tunes, minor_share)
        save_npz(mels, folder / "melodies.npz")
        return {"parsed": n_tunes, "kept": len(mels), "seconds": round(time.perf_counter() - t0, 1),
                "with metre": sum(m.bar > 0 for m in mels),
                "minor": sum(m.mode == "minor" for m in mels), "source": "music21 corpus essenFolksong"}

    return build_once(name, build, validate=lambda f: (f / "melodies.npz").is_file())


def load_melodies(n_tunes: int = 1200, minor_share: float = 0.4, verbose: bool = False) -> list[Melody]:
    """The cached melodies (see `melodies_dir`)."""
    from course_utils.kernel.cache import read_info

    folder = melodies_dir(n_tunes, minor_share)
    mels = load_npz(folder / "melodies.npz")
    if verbose:
        info = read_info(folder)
        print(f"{len(mels)} melodies from music21's Essen folk songs "
              f"({info['minor']} minor, {len(mels) - info['minor']} major; "
              f"{info['parsed']} tunes parsed once in {info['seconds']} s, then cached)")
    return mels


def split_melodies(melodies: list[Melody], val_share: float = 0.1, seed: int = 0):
    """A seeded train/validation split (lists of Melody)."""
    idx = np.random.default_rng(seed).permutation(len(melodies))
    n_val = int(round(len(melodies) * val_share))
    return [melodies[i] for i in idx[n_val:]], [melodies[i] for i in idx[:n_val]]


# ---------------------------------------------------------------- descriptions (text in)
# Each tune's measurable properties, as words: mode, pace and range (not the metre, which is known
# for most tunes but not all: see Melody.bar). All are measured on the first LABEL_NOTES notes:
# what the melody model sees in training and writes when sampling.
LABEL_NOTES = 32
LIVELY_BELOW = 1.15   # mean note length in beats below this: "lively" (many short notes); the corpus median
WIDE_FROM = 12        # semitones from the lowest to the highest note: an octave or more is "wide"
PACES = ("lively", "slow")
RANGES = ("narrow", "wide")
PROPERTIES = ("mode", "pace", "range")

# words used in training descriptions (one list per label) and the templates that hold them
TRAIN_WORDS = {
    "mode": {"major": ("happy", "major", "bright"), "minor": ("sad", "minor", "dark")},
    "pace": {"lively": ("lively", "fast", "quick"), "slow": ("slow", "calm", "gentle")},
    "range": {"narrow": ("with a narrow range", "that stays within a few notes", "with small steps"),
              "wide": ("with a wide range", "that leaps across an octave", "with big jumps")},
}
TRAIN_TEMPLATES = ("a {pace}, {mode} tune {range}", "a {mode} melody, {pace}, {range}",
                   "a {pace} {mode} folk song {range}", "{mode} and {pace} music {range}")
# paraphrases never used in training: other words, other sentence shapes
HELD_OUT_WORDS = {
    "mode": {"major": ("cheerful", "joyful"), "minor": ("melancholy", "mournful")},
    "pace": {"lively": ("brisk", "energetic"), "slow": ("unhurried", "leisurely")},
    "range": {"narrow": ("hardly moving up or down", "in a tight span of pitches"),
              "wide": ("climbing high and falling low", "spanning many pitches")},
}
HELD_OUT_TEMPLATES = ("compose something {mode} and {pace}, {range}", "I would like a {pace} {mode} piece, {range}")


def melody_labels(melody: Melody, max_notes: int = LABEL_NOTES) -> dict[str, str | None]:
    """The measured properties of a tune's first `max_notes` notes: mode (its thirds, None when they
    do not tell), pace (mean note length below LIVELY_BELOW beats: lively) and range (lowest to
    highest note WIDE_FROM semitones or more: wide). Used to label real tunes and to judge generated ones."""
    pitches, durations = melody.pitches[:max_notes], melody.durations[:max_notes]
    notes = [p for p in pitches if p != REST]
    if not notes:
        return {"mode": None, "pace": None, "range": None}
    return {"mode": mode_of(pitches),
            "pace": "lively" if float(np.mean(durations)) < LIVELY_BELOW else "slow",
            "range": "wide" if max(notes) - min(notes) >= WIDE_FROM else "narrow"}


def training_labels(melody: Melody, max_notes: int = LABEL_NOTES) -> dict[str, str]:
    """melody_labels, with the tune's own mode where its first notes do not tell."""
    labels = melody_labels(melody, max_notes)
    return {**labels, "mode": labels["mode"] or melody.mode}


def label_combinations() -> list[dict[str, str]]:
    """All 8 combinations of mode x pace x range."""
    return [{"mode": m, "pace": p, "range": r} for m in MODES for p in PACES for r in RANGES]


def describe(labels: dict[str, str], templates=TRAIN_TEMPLATES, words=TRAIN_WORDS) -> list[str]:
    """Every phrasing of one label combination: each template with the i-th word of each property
    (i = 0, 1, ...: as many as the longest word list; shorter lists wrap around)."""
    n = max(len(w) for prop in words.values() for w in prop.values())
    out = []
    for tpl in templates:
        for i in range(n):
            fill = {prop: words[prop][labels[prop]][i % len(words[prop][labels[prop]])] for prop in PROPERTIES}
            out.append(tpl.format(**fill))
    return list(dict.fromkeys(out))


def description_bank(templates=TRAIN_TEMPLATES, words=TRAIN_WORDS) -> list[tuple[str, dict[str, str]]]:
    """(description, labels) for every label combination and phrasing."""
    return [(text, labels) for labels in label_combinations() for text in describe(labels, templates, words)]


def labels_of_description(text: str) -> dict[str, str]:
    """The labels a description names, read back from its words (training and held-out lists).
    Used to check the phrasings and to score typed descriptions, never by the model."""
    text = (text or "").lower()
    found = {}
    for words in (TRAIN_WORDS, HELD_OUT_WORDS):
        for prop, by_label in words.items():
            for label, phrases in by_label.items():
                if any(re.search(r"\b" + re.escape(p.lower()) + r"\b", text) for p in phrases):
                    found.setdefault(prop, set()).add(label)
    return {prop: labels.pop() for prop, labels in found.items() if len(labels) == 1}
