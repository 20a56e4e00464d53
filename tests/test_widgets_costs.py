"""The cost widget: its controls change the table, and the table is cost_report's."""
import pytest

from course_utils.training import costs
from course_utils.kernel.errors import BadInputError
from course_utils.widgets import costs as WC
from course_utils.widgets.output import output_text as text_of


def test_cost_report_lists_each_hardware_and_weight_memory():
    spec = costs.MODELS["GPT-2 small"]
    text = costs.cost_report(spec, 1e9, list(costs.CLOUD_HARDWARE))
    assert text.startswith("GPT-2 small: 124.0 M parameters")
    assert f"fp32 {496e6 / costs.GiB:.3g} GiB" in text and f"int8 {124e6 / costs.GiB:.3g} GiB" in text
    for hw in costs.CLOUD_HARDWARE:
        assert hw.name in text
    with pytest.raises(BadInputError):
        costs.cost_report(spec, 1e9, [])


def test_widget_shows_the_report_and_follows_the_controls():
    cpu = costs.hardware_from_measurement("this CPU", 1e6, 1e4, memory_gib=24)
    w = WC.cost_widget(extra_hardware=[cpu])
    c = w.controls
    first = text_of(w.out)
    assert first == costs.cost_report(costs.MODELS["GPT-2 small"], c["tokens"].value,
                                   [cpu, *costs.CLOUD_HARDWARE], batch_size=8) + "\n"
    c["model"].value = "GPT-2 XL"
    assert text_of(w.out).startswith("GPT-2 XL:")
    c["hardware"].value = "this CPU"
    text = text_of(w.out)
    assert "this CPU" in text and "H100" not in text and len(w.out.outputs) == 1
    c["tokens"].value = 1e7
    c["batch"].value = 32
    c["precision"].value = "fp32"
    assert text_of(w.out) == costs.cost_report(costs.MODELS["GPT-2 XL"], c["tokens"].value, [cpu],
                                            batch_size=32, precision="fp32") + "\n"
