"""Lesson 08's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import numpy as np

from course_utils.learn.exercise import check_exercise


def sine_note(midi, seconds, sample_rate):    # the worked solution, as in the solutions edition
    freq = 440.0 * 2 ** ((midi - 69) / 12)
    t = np.arange(round(seconds * sample_rate)) / sample_rate
    return 0.5 * np.sin(2 * np.pi * freq * t)


def _variant(freq=lambda m: 440.0 * 2 ** ((m - 69) / 12), cycle=2 * np.pi, amplitude=0.5):
    def fn(midi, seconds, sample_rate):
        t = np.arange(round(seconds * sample_rate)) / sample_rate
        return amplitude * np.sin(cycle * freq(midi) * t)
    return fn


def test_the_worked_solution_passes():
    assert check_exercise("08.sine_note", sine_note).passed
    assert check_exercise("08.sine_note", lambda m, s, r: list(sine_note(m, s, r))).passed   # a list is fine too


def test_an_octave_off_is_diagnosed():
    r = check_exercise("08.sine_note", _variant(freq=lambda m: 440.0 * 2 ** ((m - 57) / 12)))
    assert not r.passed and "an octave too high" in r.message
    r = check_exercise("08.sine_note", _variant(freq=lambda m: 220.0 * 2 ** ((m - 69) / 12)))
    assert not r.passed and "an octave too low" in r.message


def test_missing_two_pi_is_diagnosed():
    r = check_exercise("08.sine_note", _variant(cycle=1.0))
    assert not r.passed and "np.sin takes radians" in r.message


def test_degrees_instead_of_radians_is_diagnosed():
    r = check_exercise("08.sine_note", _variant(cycle=360.0))
    assert not r.passed and "that is degrees" in r.message


def test_the_wrong_number_of_samples_is_diagnosed():
    def wrong(midi, seconds, sample_rate):
        t = np.linspace(0, seconds, int(seconds * sample_rate) + 1)      # includes the end point
        return 0.5 * np.sin(2 * np.pi * 440.0 * 2 ** ((midi - 69) / 12) * t)
    r = check_exercise("08.sine_note", wrong)
    assert not r.passed and "includes the end point" in r.message
    r = check_exercise("08.sine_note", lambda m, s, r: sine_note(m, s, 1000))
    assert not r.passed and "round(seconds × sample_rate)" in r.message


def test_the_midi_number_as_hz_and_a_missing_division_are_diagnosed():
    r = check_exercise("08.sine_note", _variant(freq=lambda m: float(m)))
    assert not r.passed and "used the MIDI number" in r.message
    r = check_exercise("08.sine_note", _variant(freq=lambda m: 440.0 * 2 ** (m - 69)))
    assert not r.passed and "12 semitones per octave" in r.message


def test_the_wrong_amplitude_is_diagnosed():
    r = check_exercise("08.sine_note", _variant(amplitude=1.0))
    assert not r.passed and "not the asked amplitude" in r.message


def test_a_stub_gets_one_line():
    def stub(midi, seconds, sample_rate):
        raise NotImplementedError
    assert "not written yet" in check_exercise("08.sine_note", stub).message
