"""Lesson 08 · audio generation with a small conditional melody model: quiz and checked exercise."""
from __future__ import annotations

import numpy as np

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Number("At a sample rate (샘플링 레이트) of 16,000 Hz, how many samples does one period of a 440 Hz tone last? "
           "(1 decimal)",
           answer=36.4, tolerance=0.05,
           why="One period lasts 1 / 440 s; 16,000 samples a second × 1/440 s = 16,000 / 440 = 36.4 samples.",
           typical={2.3: "That is the period in milliseconds (1000 / 440 = 2.27 ms); multiply seconds by the sample "
                         "rate to count samples.",
                    7040000.0: "That is 16,000 × 440; samples per period = samples per second ÷ periods per second."},
           otherwise="Samples per period = samples per second ÷ periods per second."),
    Number("MIDI note 64 (E4): what is its frequency in Hz, with A4 = MIDI 69 = 440 Hz? (1 decimal)",
           answer=329.6, tolerance=0.1,
           why="Five semitones below A4: 440 × 2^(−5/12) = 329.6 Hz (12 semitones double the frequency).",
           typical={659.3: "That is an octave too high (E5): 64 − 69 = −5 semitones, so the exponent is −5/12.",
                    164.8: "That is an octave too low (E3): 440 × 2^((64 − 69)/12) = 329.6 Hz.",
                    64.0: "That is the MIDI number itself; the frequency is 440 × 2^((n − 69)/12)."},
           otherwise="Count the semitones from A4 (n − 69), divide by 12, raise 2 to that power, multiply by 440."),
    Choice("The lesson's \"clarinet\" plays A3 (220 Hz). Where does its spectrum show peaks?", (
        Option("220, 440, 660, 880 Hz …", "Every harmonic: that is the \"organ\"; the clarinet-like tone leaves out the "
               "even ones (440, 880 …)."),
        Option("Only at 220 Hz", "That is the pure sine; the clarinet has harmonics above the fundamental."),
        Option("220, 660, 1100 Hz …: odd harmonics only (1, 3, 5 …)",
               "The self-check of section 2 measured the even harmonics at almost 0 and the third one clearly present: "
               "the mix of harmonics is part of timbre (음색).", correct=True),
        Option("440, 880, 1320 Hz …", "Those are even multiples; 220 Hz itself, the fundamental, is the strongest peak."),
    )),
    Choice("How does the melody model know that it should write a minor melody?", (
        Option("The sequence starts with a condition token <minor>; every next-token prediction can attend to it",
               "Conditional generation (조건부 생성) as in the text lessons: the condition is the start of the input.",
               correct=True),
        Option("Two models were trained, one on minor songs and one on major songs",
               "One model learned both: the condition token tells it which."),
        Option("The sampler transposes the melody into minor after it is written",
               "Nothing is changed after sampling; the notes come out minor because the model read <minor>."),
        Option("A low temperature makes melodies minor",
               "Temperature trades safety for variety; it does not choose the mode."),
    )),
    Choice("Why did 20 % of the training songs get the condition <any> instead of their mode?", (
        Option("To have fewer tokens to learn", "<any> adds a token; it does not remove any."),
        Option("Because their mode could not be decided",
               "Every song in the data set has a mode, decided from its thirds; <any> replaces it for a random fifth "
               "of the songs, on purpose."),
        Option("So that the same model also writes melodies without a condition: the baseline that shows what asking "
               "for a mode changed", "Section 6 compared <minor>, <major> and <any>; the unconditioned model sat in "
               "between.", correct=True),
    )),
    Choice("Asked for minor, one sampled melody sounds major. What should you conclude?", (
        Option("The condition does not work", "One draw is one draw: the condition shifts the distribution, it does not "
               "fix every sample."),
        Option("The seed was bad; another seed will fix the model",
               "A seed picks a draw; it does not change the model."),
        Option("Nothing yet: count over many draws (64 per condition in section 6) and compare the shares",
               "Randomness (랜덤성) makes single samples stray; the measurement over many is what shows the condition's "
               "effect.", correct=True),
    )),
    Choice("Text in (텍스트 입력): the description \"a slow, sad tune\" reaches the melody model how?", (
        Option("MiniLM turns it into 384 numbers; a learned linear map turns those into a vector added to every "
               "token's embedding, and the transformer reads it with its input",
               "The text is encoded and fed to the model: the same sentence encoder as lesson 07, one new linear map, "
               "and the unchanged transformer (section 9).", correct=True),
        Option("Its words become new tokens in the melody vocabulary",
               "The melody vocabulary did not change: only a vector from the sentence encoder is added to one "
               "embeddings. That is also why paraphrases with new words can work at all."),
        Option("A rule picks <minor> for \"sad\" and <major> for \"happy\"",
               "No rule reads the words: the model only sees MiniLM's vector. The word lists are used to label the "
               "training songs and to score the results, never by the model."),
        Option("Guidance rewrites the notes after sampling until they match",
               "Guidance changes each next-token distribution while sampling (cond + w · (cond − uncond)); nothing is "
               "rewritten afterwards."),
    )),
    Choice("Micro-variation (미세한 변화) on, rendered with seeds 1 and 2; and off, with seeds 1 and 2. Which renders "
           "are identical?", (
        Option("None: every render is random", "With variation off nothing is random: the render is exact and "
               "mechanical, whatever the seed."),
        Option("Only the two renders with variation off",
               "Off, there is no randomness: the render is exact whatever the seed. On, the seed fixes the random "
               "timing, pitch and loudness deviations, so seeds 1 and 2 differ (one seed twice repeats exactly).",
               correct=True),
        Option("All four: the seed only matters for sampling notes, not for rendering",
               "The performance has its own randomness, seeded separately from the notes (section 7)."),
    )),
]


# --- checked exercise: a sine note from a MIDI number ---------------------------------------------

def _hz(midi: int) -> float:
    """music21's own pitch frequency, independent of course_utils."""
    from music21 import pitch

    return float(pitch.Pitch(midi=midi).frequency)


def _wave(freq, n, rate, amplitude=0.5, cycle=2 * np.pi):
    return amplitude * np.sin(cycle * freq * np.arange(n) / rate)


def _close(a, b) -> bool:
    return a.shape == b.shape and np.allclose(a, b, atol=1e-4)


def _check_sine_note(fn) -> None:
    from course_utils.generators import audio as A

    for midi, seconds, rate in [(69, 0.01, 16_000), (60, 0.05, 8_000), (81, 0.02, 22_050)]:
        where = f"sine_note({midi}, {seconds}, {rate})"
        out = fn(midi, seconds, rate)
        if not hasattr(out, "shape") and not isinstance(out, (list, tuple)):
            raise Mistake("{where} should return the samples (a NumPy array), got {kind}.",
                          where=where, kind=type(out).__name__)
        out = np.asarray(out, dtype=float)
        n = int(round(seconds * rate))
        freq = _hz(midi)
        want = A.sine(freq, seconds, rate)
        if out.ndim != 1 or len(out) != n:
            raise Mistake(("{where} returned {got} samples; {seconds} s at {rate} samples a second is {n} samples "
                           "(one value per sample, round(seconds × sample_rate)). np.linspace(0, seconds, n) "
                           "includes the end point; use the times np.arange(n) / sample_rate.")
                          if len(out) == n + 1 else
                          ("{where} returned {got} samples; {seconds} s at {rate} samples a second is {n} samples "
                           "(one value per sample, round(seconds × sample_rate))."),
                          where=where, got=out.shape[0] if out.ndim else 0, seconds=seconds, rate=rate, n=n)
        if _close(out, want):
            continue
        if _close(out, _wave(freq, n, rate, cycle=1.0)):
            raise Mistake("{where} is too low by a factor 2π: np.sin takes radians, and one cycle is 2π radians. "
                          "Use np.sin(2 * np.pi * f * t).", where=where)
        if _close(out, _wave(freq, n, rate, cycle=360.0)):
            raise Mistake("{where} counts a cycle as 360: that is degrees, but np.sin takes radians, so one cycle is "
                          "2π. Use np.sin(2 * np.pi * f * t).", where=where)
        for factor, what in [(2.0, t("an octave too high")), (0.5, t("an octave too low")),
                             (4.0, t("two octaves too high")), (0.25, t("two octaves too low"))]:
            if _close(out, _wave(freq * factor, n, rate)):
                raise Mistake("{where} is {what} ({got:.1f} Hz instead of {freq:.1f} Hz). MIDI 69 is A4 = 440 Hz and "
                              "12 semitones make one octave: f = 440 · 2 ** ((midi − 69) / 12).",
                              where=where, what=what, got=freq * factor, freq=freq)
        if _close(out, _wave(float(midi), n, rate)):
            raise Mistake("{where} used the MIDI number {midi} as the frequency in Hz. Convert it first: "
                          "f = 440 · 2 ** ((midi − 69) / 12).", where=where, midi=midi)
        if _close(out, _wave(440 * 2 ** (midi - 69), n, rate)) and midi != 69:
            raise Mistake("{where}: the exponent must be (midi − 69) / 12 (12 semitones per octave); without the "
                          "division every semitone doubles the frequency.", where=where)
        if _close(out, _wave(freq, n, rate, amplitude=1.0)) or _close(out, _wave(freq, n, rate, amplitude=-0.5)):
            raise Mistake("{where} has the right frequency but not the asked amplitude: multiply sin(...) by 0.5 "
                          "(peaks at ±0.5, and the first sample is 0).", where=where)
        if _close(out, 0.5 * np.cos(2 * np.pi * freq * np.arange(n) / rate)):
            raise Mistake("{where} is a cosine (it starts at 0.5): the note must start at 0, so use np.sin.",
                          where=where)
        peak = A.peak_frequency(out, rate) if np.abs(out).max() > 0 else 0.0
        raise Mistake("{where} is not 0.5 · sin(2π · f · n / sample_rate) with f = {freq:.2f} Hz; its strongest "
                      "frequency is about {peak:.0f} Hz. Sample k is at time k / sample_rate.",
                      where=where, freq=freq, peak=peak)


EXERCISES = {
    "sine_note": Exercise("sine_note", _check_sine_note,
                          "the right number of samples, and the frequency of music21's pitch table, for A4, C4 and A5."),
}
