"""training.scaling: a power-law fit of loss against model size, and its prediction."""
import numpy as np
import pytest

from course_utils.kernel.errors import BadInputError
from course_utils.training.scaling import PowerLaw, fit_power_law


def test_recovers_a_and_b_exactly_from_a_clean_power_law():
    n = np.array([1e4, 3e4, 1e5, 4e5])
    fit = fit_power_law(n, 7.5 * n ** -0.08)
    assert fit.a == pytest.approx(7.5, rel=1e-9) and fit.b == pytest.approx(0.08, rel=1e-9)
    assert fit.points == 4
    assert fit.predict(1e6) == pytest.approx(7.5 * 1e6 ** -0.08, rel=1e-9)
    assert isinstance(fit.predict(1e6), float)


def test_least_squares_in_log_space_matches_polyfit_on_noisy_runs():
    n, loss = [2e4, 5e4, 9e4], [5.1, 4.6, 4.5]
    slope, intercept = np.polyfit(np.log(n), np.log(loss), 1)
    fit = fit_power_law(n, loss)
    assert fit.b == pytest.approx(-slope) and fit.a == pytest.approx(np.exp(intercept))
    assert 0 < fit.b < 1 and "fitted on 3 runs" in str(fit)


def test_prediction_falls_as_the_model_grows():
    fit = fit_power_law([1e3, 1e4, 1e5], [6.0, 5.0, 4.2])
    sizes = np.logspace(3, 8, 20)
    pred = fit.predict(sizes)
    assert pred.shape == (20,) and np.all(np.diff(pred) < 0)
    assert fit_power_law([1e3, 1e4], [4.0, 5.0]).b < 0          # losses that rise give a negative slope, no clamp


@pytest.mark.parametrize("n, loss, words", [
    ([1e4], [5.0], "at least 2"),
    ([], [], "at least 2"),
    ([1e4, 2e4], [5.0], "one loss per run"),
    ([1e4, 1e4], [5.0, 4.0], "same number of parameters"),
    ([1e4, 0], [5.0, 4.0], "positive"),
    ([1e4, 2e4], [5.0, -1.0], "positive"),
    ([1e4, 2e4], [5.0, float("nan")], "number"),
    ([1e4, "big"], [5.0, 4.0], "number"),
])
def test_bad_runs_are_explained(n, loss, words):
    with pytest.raises(BadInputError, match=words):
        fit_power_law(n, loss)


def test_predict_rejects_non_positive_sizes():
    fit = PowerLaw(a=5.0, b=0.1, points=3)
    with pytest.raises(BadInputError, match="positive"):
        fit.predict(0)
    with pytest.raises(BadInputError, match="positive"):
        fit.predict([1e4, -5])
