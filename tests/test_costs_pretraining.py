"""course_utils.training.costs pretraining estimates: checked against the arithmetic done by hand."""
import pytest

from course_utils.training.costs import H100_PEAK_BF16_FLOPS, human_time, pretraining_estimate
from course_utils.kernel.errors import BadInputError


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
    assert sustained == pytest.approx(0.4 * H100_PEAK_BF16_FLOPS)   # the default utilisation is 40 %
    # ... of NVIDIA's datasheet figure for the H100 SXM, 989.4 TFLOPS dense bf16 (not the 2x "sparse" one)
    assert H100_PEAK_BF16_FLOPS == pytest.approx(989.4e12, rel=1e-3)


def test_estimates_print_in_readable_units():
    e = pretraining_estimate(135e6, 2e12, 1e9)
    assert human_time(e["cpu_hours"]).endswith("years") and "e+" not in human_time(e["cpu_hours"])
    assert human_time(e["gpu_hours"]).endswith(("hours", "days"))


def test_bad_input():
    with pytest.raises(BadInputError):
        pretraining_estimate(0, 1e9, 1e9)
    with pytest.raises(BadInputError):
        pretraining_estimate(1e6, 1e9, -1)
