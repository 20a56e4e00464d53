"""course_utils.costs pretraining estimates: checked against the arithmetic done by hand."""
import pytest

from course_utils.costs import H100_PEAK_BF16_FLOPS, human_hours, pretraining_estimate
from course_utils.errors import BadInputError


def test_estimate_matches_hand_arithmetic():
    n, d, cpu = 124e6, 9e9, 5e10
    e = pretraining_estimate(n, d, cpu, gpu_flops=1e15, gpu_utilisation=0.5, usd_per_gpu_hour=2.0)
    flops = 6 * n * d
    assert e["flops"] == pytest.approx(flops)
    assert e["cpu_hours"] == pytest.approx(flops / cpu / 3600)
    assert e["gpu_hours"] == pytest.approx(flops / 5e14 / 3600)
    assert e["gpu_cost_usd"] == pytest.approx(2.0 * flops / 5e14 / 3600)


def test_default_gpu_assumptions_give_about_400_tflops():
    e = pretraining_estimate(1e9, 1e12, 1e9)
    sustained = e["flops"] / (e["gpu_hours"] * 3600)
    assert sustained == pytest.approx(0.4 * H100_PEAK_BF16_FLOPS)
    assert 380e12 < sustained < 420e12


def test_human_hours_picks_a_readable_unit():
    assert human_hours(0.5) == "30.0 minutes"
    assert human_hours(3) == "3.0 hours"
    assert human_hours(72) == "3.0 days"
    assert human_hours(24 * 365 * 2000) == "2,000 years"
    assert human_hours(1 / 3600) == "1.0 seconds"


def test_bad_input():
    with pytest.raises(BadInputError):
        pretraining_estimate(0, 1e9, 1e9)
    with pytest.raises(BadInputError):
        pretraining_estimate(1e6, 1e9, -1)
