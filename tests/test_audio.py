"""Audio rendering: shapes, sample rates, range, spectra, envelopes and seeded determinism."""
import numpy as np
import pytest

from course_utils.generators import audio as A
from course_utils.kernel.errors import BadInputError
from course_utils.data.melodies import REST, Melody


def test_midi_to_hz_matches_equal_temperament():
    assert A.midi_to_hz(69) == pytest.approx(440.0)
    assert A.midi_to_hz(81) == pytest.approx(880.0)             # an octave doubles
    assert A.midi_to_hz(60) == pytest.approx(261.6256, rel=1e-5)  # middle C (standard tables)


@pytest.mark.parametrize("sr", [8_000, 16_000, 22_050])
def test_sine_shape_and_spectrum_peak(sr):
    wave = A.sine(440.0, 0.5, sr)
    assert wave.dtype == np.float32 and wave.shape == (sr // 2,)
    # independent reference: numpy's FFT bin spacing is sr / n
    assert abs(A.peak_frequency(wave, sr) - 440.0) <= sr / len(wave)
    freqs, times, db = A.spectrogram(wave, sr, n_fft=1024, hop=256)
    assert db.shape == (513, len(times))
    assert abs(freqs[db.mean(axis=1).argmax()] - 440.0) <= sr / 1024


def test_spectrogram_times_and_frames():
    sr = 16_000
    wave = A.sine(1000.0, 1.0, sr)
    _, times, db = A.spectrogram(wave, sr, n_fft=512, hop=128)
    assert db.shape[1] == 1 + (sr - 512) // 128
    assert times[0] == pytest.approx(256 / sr) and times[-1] < 1.0


def test_clarinet_has_odd_harmonics_only():
    sr, f = 16_000, 220.0
    wave = A.note_wave(57, 1.0, "clarinet", sr)        # MIDI 57 = A3 = 220 Hz
    spec = np.abs(np.fft.rfft(wave * np.hanning(len(wave))))
    freqs = np.fft.rfftfreq(len(wave), 1 / sr)
    level = {k: spec[np.abs(freqs - k * f).argmin()] for k in range(1, 6)}
    assert level[3] > 20 * level[2] and level[5] > 20 * level[4]


def test_adsr_shape():
    sr = 1000
    env = A.adsr_envelope(1000, sr, A.ADSR(attack=0.1, decay=0.1, sustain=0.5, release=0.2))
    assert env.shape == (1000,) and env[0] == 0.0 and env[-1] == 0.0
    assert env.max() <= 1.0 and env[100] == pytest.approx(1.0, abs=0.02)
    assert env[500] == pytest.approx(0.5)
    short = A.adsr_envelope(50, sr, A.ADSR(0.1, 0.1, 0.5, 0.2))  # shorter than the phases
    assert short.shape == (50,)


def _melody():
    return Melody([0, 2, 4, REST, 7, 4, 0], [1.0, 0.5, 0.5, 0.5, 1.0, 0.5, 2.0], "major", 60)


@pytest.mark.parametrize("timbre", A.TIMBRES)
def test_render_range_length_and_dtype(timbre):
    sr, tempo = 16_000, 120
    wave = A.render_melody(_melody(), tempo=tempo, timbre=timbre, sample_rate=sr)
    beats = sum(_melody().durations)
    assert wave.dtype == np.float32 and wave.ndim == 1
    assert len(wave) == pytest.approx((beats * 60 / tempo + 0.1) * sr, abs=2)
    assert np.abs(wave).max() <= 1.0 and np.abs(wave).max() > 0.5


def test_tempo_scales_length():
    slow = A.render_melody(_melody(), tempo=60, sample_rate=8000, tail_s=0.0)
    fast = A.render_melody(_melody(), tempo=120, sample_rate=8000, tail_s=0.0)
    assert len(slow) == pytest.approx(2 * len(fast), abs=2)


def test_rest_is_silent():
    sr, tempo = 8000, 60  # one beat = one second
    wave = A.render_notes([60, None, 60], [1, 1, 1], tempo=tempo, sample_rate=sr)
    assert np.abs(wave[int(1.2 * sr):int(1.8 * sr)]).max() == 0.0


def test_variation_off_is_identical_and_on_is_seeded():
    m = _melody()
    a = A.render_melody(m, timbre="organ", sample_rate=8000, variation=False, seed=1)
    b = A.render_melody(m, timbre="organ", sample_rate=8000, variation=False, seed=2)
    np.testing.assert_array_equal(a, b)                   # no randomness without variation
    c = A.render_melody(m, timbre="organ", sample_rate=8000, variation=True, seed=1)
    d = A.render_melody(m, timbre="organ", sample_rate=8000, variation=True, seed=1)
    e = A.render_melody(m, timbre="organ", sample_rate=8000, variation=True, seed=2)
    np.testing.assert_array_equal(c, d)
    assert not np.array_equal(c, e) and not np.array_equal(a[:len(c)], c[:len(a)])


def test_pluck_is_seeded_and_decays():
    sr = 16_000
    a = A.note_wave(60, 1.0, "pluck", sr, rng=np.random.default_rng(0))
    b = A.note_wave(60, 1.0, "pluck", sr, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(a, b)
    assert np.abs(a[: sr // 10]).mean() > 2 * np.abs(a[-sr // 5:]).mean()
    assert abs(A.peak_frequency(a, sr) - A.midi_to_hz(60)) < 10  # period rounding: a few Hz


def test_max_seconds_clips():
    wave = A.render_melody(_melody(), tempo=60, sample_rate=8000, max_seconds=2.0, tail_s=0.0)
    assert len(wave) == pytest.approx(2.0 * 8000, abs=2)


def test_piano_roll_is_a_figure():
    from matplotlib.figure import Figure
    fig = A.piano_roll(_melody(), tempo=100)
    assert isinstance(fig, Figure)
    (notes,) = fig.axes[0].collections            # every note in one artist (fast to redraw)
    assert len(notes.get_paths()) == 6              # six sounding notes, the rest is not drawn
    tops = [path.vertices[:, 1].max() for path in notes.get_paths()]
    assert tops == pytest.approx([60.4, 62.4, 64.4, 67.4, 64.4, 60.4])    # tonic 60 + each pitch, 0.8 high


def test_piano_roll_colours_notes_outside_the_scale():
    from matplotlib.colors import to_rgba
    mel = Melody([0, 1, 4, 6], [1.0] * 4, "major", 60)        # C, C#, E, F#: two outside C major
    (notes,) = A.piano_roll(mel).axes[0].collections
    blue, orange = to_rgba("tab:blue"), to_rgba("tab:orange")
    assert [tuple(c) for c in notes.get_facecolors()] == [blue, orange, blue, orange]


@pytest.mark.parametrize("kwargs", [dict(sample_rate=100), dict(tempo=0), dict(timbre="kazoo"), dict(volume=2),
                                    dict(tempo=0, max_seconds=2.0)])   # clipping divides by the tempo
def test_bad_input(kwargs):
    with pytest.raises(BadInputError):
        A.render_melody(_melody(), **kwargs)


def test_piano_roll_explains_its_colours_beside_the_notes():
    fig = A.piano_roll(_melody(), tempo=100)
    legend = fig.axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert any("in the" in t for t in labels) and any("outside" in t for t in labels)
    assert any("tonic" in t for t in labels)
    assert legend.get_bbox_to_anchor().x0 >= fig.axes[0].get_window_extent().x1 - 1  # not over the notes


def test_piano_roll_marks_the_opening():
    mel = _melody()
    plain = A.piano_roll(mel, tempo=60)
    marked = A.piano_roll(mel, tempo=60, prompt_notes=2)
    assert len(marked.axes[0].patches) == len(plain.axes[0].patches) + 1      # one shaded region
    span = marked.axes[0].patches[-1].get_window_extent()
    assert span.width > 0
    labels = [t.get_text() for t in marked.axes[0].get_legend().get_texts()]
    assert labels[0] == "the opening (2 notes)" and len(marked.axes[0].collections[0].get_paths()) == 6
    with pytest.raises(BadInputError):
        A.piano_roll(mel, prompt_notes=len(mel) + 1)


def test_spectrogram_is_torch_stft_with_a_symmetric_hann_window():
    """Library twin of the hand-written STFT: torch.stft without centring, same window and hop."""
    import torch
    sr, n_fft, hop = 8000, 256, 64
    rng = np.random.default_rng(0)
    wave = A.sine(440, 0.3, sr) + 0.1 * rng.standard_normal(int(0.3 * sr))
    freqs, times, db = A.spectrogram(wave, sr, n_fft=n_fft, hop=hop)
    spec = torch.stft(torch.tensor(wave, dtype=torch.float64), n_fft, hop_length=hop, center=False,
                      window=torch.hann_window(n_fft, periodic=False, dtype=torch.float64), return_complex=True)
    reference = 10 * np.log10(spec.abs().numpy() ** 2 + 1e-10)
    assert db.shape == reference.shape
    np.testing.assert_allclose(db, reference, atol=1e-6)
    np.testing.assert_allclose(freqs, np.arange(n_fft // 2 + 1) * sr / n_fft)
