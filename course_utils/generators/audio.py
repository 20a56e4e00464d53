"""Turn notes into sound: oscillators, timbres, an ADSR envelope, seeded micro-variation, and plots.

    wave = render_melody(melody, tempo=100, timbre="clarinet", sample_rate=16_000)
    Audio(wave, rate=16_000)                          # IPython.display.Audio plays it
    freqs, times, db = spectrogram(wave, 16_000)      # a numpy STFT

Everything is plain numpy and returns float32 in [-1, 1]. Randomness is explicit: the plucked
string's noise burst and the expressive micro-variation draw from np.random.default_rng(seed).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.kernel.errors import BadInputError

SAMPLE_RATE = 22_050
A4_MIDI, A4_HZ = 69, 440.0

# Relative amplitudes of harmonics 1, 2, 3, ...: the mix of harmonics is most of what makes a
# timbre. A clarinet-like tone has mostly odd harmonics; an organ-like one a few of each.
HARMONICS = {
    "sine": (1.0,),
    "organ": (1.0, 0.6, 0.4, 0.3, 0.0, 0.2, 0.0, 0.15),
    "clarinet": (1.0, 0.0, 0.55, 0.0, 0.35, 0.0, 0.2, 0.0, 0.1),
}
TIMBRES = tuple(HARMONICS) + ("pluck",)


@dataclass(frozen=True)
class ADSR:
    """Attack, decay and release in seconds; sustain as a level 0..1 of the peak."""
    attack: float = 0.01
    decay: float = 0.08
    sustain: float = 0.7
    release: float = 0.05


ENVELOPES = {  # a sensible default envelope per timbre
    "sine": ADSR(0.01, 0.05, 0.8, 0.05),
    "organ": ADSR(0.02, 0.05, 0.9, 0.05),
    "clarinet": ADSR(0.04, 0.1, 0.75, 0.06),
    "pluck": ADSR(0.002, 0.0, 1.0, 0.02),  # Karplus-Strong decays by itself
}


def midi_to_hz(midi) -> np.ndarray | float:
    """Equal temperament: 12 semitones double the frequency, A4 (MIDI 69) = 440 Hz."""
    return A4_HZ * 2.0 ** ((np.asarray(midi, dtype=float) - A4_MIDI) / 12)


def _check_rate(sample_rate) -> int:
    if not isinstance(sample_rate, (int, np.integer)) or not 4_000 <= sample_rate <= 96_000:
        raise BadInputError(f"sample_rate must be a whole number of Hz between 4000 and 96000, got {sample_rate!r}.")
    return int(sample_rate)


def _n_samples(seconds: float, sample_rate: int) -> int:
    if not seconds > 0:
        raise BadInputError(f"duration must be above 0 seconds, got {seconds!r}.")
    return max(1, int(round(seconds * sample_rate)))


def sine(freq: float, seconds: float, sample_rate: int = SAMPLE_RATE, amplitude: float = 0.5) -> np.ndarray:
    """A pure tone: amplitude * sin(2 pi f t)."""
    sr = _check_rate(sample_rate)
    if not 0 < freq < sr / 2:
        raise BadInputError(f"frequency {freq} Hz must be between 0 and half the sample rate ({sr / 2:g} Hz).")
    t = np.arange(_n_samples(seconds, sr)) / sr
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def adsr_envelope(n: int, sample_rate: int, env: ADSR = ADSR()) -> np.ndarray:
    """Loudness over one note of n samples: rise, fall to the sustain level, fade out at the end.
    Phases are shortened proportionally when the note is too short to hold them all."""
    a, d, r = (int(round(x * sample_rate)) for x in (env.attack, env.decay, env.release))
    if a + d + r > n:
        scale = n / max(a + d + r, 1)
        a, d, r = int(a * scale), int(d * scale), int(r * scale)
    s = n - a - d - r
    return np.concatenate([
        np.linspace(0, 1, a, endpoint=False),
        np.linspace(1, env.sustain, d, endpoint=False),
        np.full(s, env.sustain),
        np.linspace(env.sustain, 0, r),
    ]).astype(np.float32)


def additive_tone(freq: float, n: int, sample_rate: int, harmonics=(1.0,), phase: float = 0.0) -> np.ndarray:
    """Sum of harmonics k*freq with the given amplitudes (those above Nyquist are left out)."""
    t = np.arange(n) / sample_rate
    wave = np.zeros(n)
    for k, amp in enumerate(harmonics, start=1):
        if amp and k * freq < sample_rate / 2:
            wave += amp * np.sin(2 * np.pi * k * freq * t + phase)
    peak = sum(a for k, a in enumerate(harmonics, start=1) if k * freq < sample_rate / 2) or 1.0
    return wave / peak


def karplus_strong(freq: float, n: int, sample_rate: int, rng: np.random.Generator, decay: float = 0.996) -> np.ndarray:
    """A plucked string: a burst of noise circulates in a delay line one period long and is
    averaged a little on every pass, so high harmonics die first, as on a real string."""
    period = max(2, int(round(sample_rate / freq)))
    buf = rng.uniform(-1, 1, period)
    buf -= buf.mean()
    out = np.empty(n)
    for start in range(0, n, period):  # one period at a time (vectorised within a period)
        stop = min(start + period, n)
        out[start:stop] = buf[:stop - start]
        buf = decay * 0.5 * (buf + np.roll(buf, -1))
    return out / (np.abs(out).max() or 1.0)


def note_wave(midi: float, seconds: float, timbre: str = "sine", sample_rate: int = SAMPLE_RATE,
              envelope: ADSR | None = None, rng: np.random.Generator | None = None) -> np.ndarray:
    """One note (MIDI number, fractional allowed for pitch bends) with a timbre and envelope."""
    if timbre not in TIMBRES:
        raise BadInputError(f"timbre must be one of {TIMBRES}, got {timbre!r}.")
    sr = _check_rate(sample_rate)
    n = _n_samples(seconds, sr)
    freq = float(midi_to_hz(midi))
    if timbre == "pluck":
        wave = karplus_strong(freq, n, sr, rng if rng is not None else np.random.default_rng(0))
    else:
        wave = additive_tone(freq, n, sr, HARMONICS[timbre])
    return (wave * adsr_envelope(n, sr, envelope or ENVELOPES[timbre])).astype(np.float32)


@dataclass(frozen=True)
class Variation:
    """Expressive micro-variation, like a human player: each note a little early or late,
    a few cents sharp or flat, a little louder or softer. Standard deviations."""
    timing_ms: float = 15.0
    pitch_cents: float = 8.0
    loudness_db: float = 1.5


def _check_tempo(tempo) -> None:
    if not (isinstance(tempo, (int, float)) and 20 <= tempo <= 400):
        raise BadInputError(f"tempo must be 20..400 beats per minute, got {tempo!r}.")


def render_notes(midis, beats, *, tempo: float = 100.0, timbre: str = "sine", sample_rate: int = SAMPLE_RATE,
                 envelope: ADSR | None = None, variation: Variation | None = None, seed: int = 0,
                 volume: float = 0.8, tail_s: float = 0.1) -> np.ndarray:
    """Notes (MIDI numbers, None = rest) with lengths in beats, at `tempo` beats per minute.
    `variation=None` is exactly mechanical (same input -> same samples); with a Variation the
    deviations come from np.random.default_rng(seed). Peak-normalised to `volume` (<= 1)."""
    sr = _check_rate(sample_rate)
    midis, beats = list(midis), list(beats)
    if len(midis) != len(beats) or not midis:
        raise BadInputError(f"need one length per note and at least one note (got {len(midis)} notes, {len(beats)} lengths).")
    _check_tempo(tempo)
    if not 0 < volume <= 1:
        raise BadInputError(f"volume must be in (0, 1], got {volume!r}.")
    if any(b <= 0 for b in beats):
        raise BadInputError("every note length must be above 0 beats.")
    sec_per_beat = 60.0 / tempo
    rng = np.random.default_rng(seed)
    starts = np.concatenate([[0.0], np.cumsum(beats)[:-1]]) * sec_per_beat
    total = sum(beats) * sec_per_beat + tail_s + (0.1 if variation else 0.0)
    out = np.zeros(int(round(total * sr)) + 1)
    for midi, b, start in zip(midis, beats, starts):
        if midi is None:
            continue
        length, pitch, gain = b * sec_per_beat, float(midi), 1.0
        if variation is not None:
            start = max(0.0, start + rng.normal(0, variation.timing_ms / 1000))
            pitch += rng.normal(0, variation.pitch_cents / 100)
            gain = 10 ** (rng.normal(0, variation.loudness_db) / 20)
        wave = gain * note_wave(pitch, length, timbre, sr, envelope, rng)
        i = int(round(start * sr))
        stop = min(i + len(wave), len(out))
        out[i:stop] += wave[:stop - i]
    peak = np.abs(out).max()
    if peak > 0:
        out *= volume / peak
    return np.clip(out, -1.0, 1.0).astype(np.float32)


def render_melody(melody, *, tempo: float = 100.0, timbre: str = "sine", sample_rate: int = SAMPLE_RATE,
                  tonic_midi: int | None = None, variation: Variation | bool | None = None, seed: int = 0,
                  max_seconds: float | None = None, **kwargs) -> np.ndarray:
    """A course_utils.data.melodies.Melody as a waveform; `max_seconds` keeps only the notes that
    start before it (handy for short clips). `variation=True` uses the default Variation()."""
    _check_tempo(tempo)   # before max_seconds divides by it
    if variation is True:
        variation = Variation()
    elif variation is False:
        variation = None
    midis, beats = melody.midi(tonic_midi), list(melody.durations)
    if max_seconds is not None:
        starts = np.concatenate([[0.0], np.cumsum(beats)[:-1]]) * 60.0 / tempo
        keep = max(1, int((starts < max_seconds).sum()))
        midis, beats = midis[:keep], beats[:keep]
        # trim the last note so the clip ends at max_seconds
        over = (sum(beats) * 60.0 / tempo) - max_seconds
        if over > 0:
            beats[-1] = max(beats[-1] - over * tempo / 60.0, 0.05)
    return render_notes(midis, beats, tempo=tempo, timbre=timbre, sample_rate=sample_rate,
                        variation=variation, seed=seed, **kwargs)


# ---------------------------------------------------------------- looking at sound
def spectrogram(wave, sample_rate: int, n_fft: int = 1024, hop: int = 256):
    """Short-time Fourier transform with a Hann window: (freqs in Hz, times in s, power in dB)."""
    sr = _check_rate(sample_rate)
    x = np.asarray(wave, dtype=np.float64)
    if x.ndim != 1 or len(x) < n_fft:
        raise BadInputError(f"need a 1-D waveform of at least n_fft={n_fft} samples, got shape {x.shape}.")
    window = np.hanning(n_fft)
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop] * window
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    db = 10 * np.log10(power + 1e-10)
    freqs = np.fft.rfftfreq(n_fft, 1 / sr)
    times = (np.arange(len(frames)) * hop + n_fft / 2) / sr
    return freqs, times, db.T


def peak_frequency(wave, sample_rate: int) -> float:
    """The strongest frequency of a whole clip (one FFT, Hann window)."""
    x = np.asarray(wave, dtype=np.float64)
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / sample_rate)[int(np.argmax(spec))])


def plot_wave(ax, wave, sample_rate: int, seconds: float | None = None, title: str = ""):
    n = len(wave) if seconds is None else min(len(wave), int(seconds * sample_rate))
    ax.plot(np.arange(n) / sample_rate * 1000, wave[:n], lw=0.8)
    ax.set(xlabel="time (ms)", ylabel="amplitude", title=title)


def plot_spectrogram(ax, wave, sample_rate: int, max_hz: float = 4000, title: str = ""):
    freqs, times, db = spectrogram(wave, sample_rate)
    keep = freqs <= max_hz
    ax.pcolormesh(times, freqs[keep], db[keep], shading="auto", vmin=db.max() - 80, vmax=db.max(), cmap="magma")
    ax.set(xlabel="time (s)", ylabel="frequency (Hz)", title=title)


def piano_roll(melody, *, tempo: float | None = None, tonic_midi: int | None = None, title: str = "",
               figsize=(8, 3), prompt_notes: int = 0):
    """A matplotlib Figure (not pyplot): one bar per note, height = pitch, length = duration.
    Notes in the melody's mode scale are blue, others orange; a dotted grey line marks the tonic.
    `prompt_notes` > 0 shades the first that many notes (the opening given to the model) in grey.
    A legend beside the plot (not over the notes) says so."""
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator
    from course_utils.data.melodies import REST, SCALES

    fig = Figure(figsize=figsize)
    ax = fig.add_subplot()
    base = melody.tonic_midi if tonic_midi is None else tonic_midi
    scale = SCALES.get(melody.mode, SCALES["major"])
    unit = 60.0 / tempo if tempo else 1.0
    if not 0 <= prompt_notes <= len(melody):
        raise BadInputError(f"prompt_notes must be 0..{len(melody)} (the melody's notes), got {prompt_notes!r}.")
    handles = []
    if prompt_notes:
        end = sum(melody.durations[:prompt_notes]) * unit
        ax.axvspan(0, end, color="0.85", zorder=0)
        handles.append(Patch(color="0.85", label=f"the opening ({prompt_notes} notes)"))
    bars, colours, t = [], [], 0.0
    for p, d in zip(melody.pitches, melody.durations):
        if p != REST:
            x0, x1, y0, y1 = t * unit, (t + d * 0.95) * unit, base + p - 0.4, base + p + 0.4
            bars.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            colours.append("tab:blue" if p % 12 in scale else "tab:orange")
        t += d
    # every note in one artist, and fixed margins instead of tight_layout: a widget redraws this
    # figure on each new setting, and both halve the time to draw it (benchmarks/bench_widgets.py)
    ax.add_collection(PolyCollection(bars, facecolors=colours, edgecolors="none"))
    ax.autoscale_view()
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))      # MIDI pitches are whole numbers
    ax.axhline(base, color="grey", lw=0.5, ls=":")
    ax.set(xlabel="time (s)" if tempo else "time (beats)", ylabel="MIDI pitch")
    ax.set_title(title or f"{melody.mode} melody, {len(melody)} notes", loc="left", fontsize=10)
    ax.legend(handles=handles + [Patch(color="tab:blue", label=f"in the {melody.mode} scale"),
                                 Patch(color="tab:orange", label=f"outside the {melody.mode} scale"),
                                 Line2D([], [], color="grey", lw=0.8, ls=":", label=f"tonic (MIDI {base})")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    fig.subplots_adjust(left=0.08, right=0.73, top=0.88, bottom=0.17)   # the legend sits right of the axes
    return fig
