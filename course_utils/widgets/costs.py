"""Widget: pick a model size, an amount of training data and hardware -> memory, time and cost.

The callback calls `costs.cost_report`, a plain function the tests call directly; it is pure
arithmetic, so moving a slider is instant.
"""
from __future__ import annotations

from course_utils.kernel.i18n import t
from course_utils.widgets.output import Previewed
from course_utils.training.costs import CLOUD_HARDWARE, DTYPE_BYTES, MODELS, Hardware, ModelSpec, cost_report  # noqa: F401


def cost_widget(extra_models: list[ModelSpec] = (), extra_hardware: list[Hardware] = ()):
    """Dropdowns for model, hardware and precision; log sliders for tokens and batch size."""
    import ipywidgets as W

    models = {m.name: m for m in [*extra_models, *MODELS.values()]}
    hardware = {h.name: h for h in [*extra_hardware, *CLOUD_HARDWARE]}
    model_dd = W.Dropdown(options=list(models), value="GPT-2 small" if "GPT-2 small" in models else list(models)[0],
                          description=t("model"))
    hw_dd = W.Dropdown(options=[(t("all"), "all")] + [(name, name) for name in hardware], value="all",
                       description=t("hardware"))
    prec_dd = W.Dropdown(options=["mixed", "fp32"], value="mixed", description=t("precision"))
    tokens = W.FloatLogSlider(value=2.5e9, base=10, min=6, max=13, step=0.1, description=t("tokens"),
                              continuous_update=False, readout_format=".2g")
    batch = W.IntSlider(value=8, min=1, max=256, description=t("batch"), continuous_update=False)
    out = W.Output()

    def update(*_):
        chosen = list(hardware.values()) if hw_dd.value == "all" else [hardware[hw_dd.value]]
        text = cost_report(models[model_dd.value], tokens.value, chosen,
                           batch_size=batch.value, precision=prec_dd.value)
        out.outputs = ()          # replace, do not append (works on ipywidgets 7.7 and 8.x)
        out.append_stdout(text + "\n")

    for w in (model_dd, hw_dd, prec_dd, tokens, batch):
        w.observe(update, names="value")
    update()
    box = Previewed([W.HBox([model_dd, hw_dd, prec_dd]), W.HBox([tokens, batch]), out],
                   hint=t("Try: a bigger model, fp32 vs mixed precision, more tokens, another GPU."))
    box.controls = {"model": model_dd, "hardware": hw_dd, "precision": prec_dd, "tokens": tokens,
                    "batch": batch}
    box.out = out
    return box


__all__ = ["cost_report", "cost_widget", "DTYPE_BYTES"]
