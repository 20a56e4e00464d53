"""Widget: pick a model size, an amount of training data and hardware -> memory, time and cost.

The callback calls `cost_report`, a plain function the tests call directly; it is pure
arithmetic, so moving a slider is instant.
"""
from __future__ import annotations

from ..costs import (CLOUD_HARDWARE, DTYPE_BYTES, GiB, MODELS, Hardware, ModelSpec, format_estimates,
                     training_estimate, weights_memory_bytes)
from ..errors import BadInputError


def cost_report(spec: ModelSpec, n_tokens: float, hardware: list[Hardware], *, batch_size: int = 8,
                precision: str = "mixed") -> str:
    """Text: weight memory per dtype, then one training_estimate row per hardware."""
    if not hardware:
        raise BadInputError("Pick at least one hardware option.")
    mem = ", ".join(f"{d} {weights_memory_bytes(spec.n_params, d) / GiB:.3g} GiB" for d in ("fp32", "fp16", "int8"))
    rows = [training_estimate(spec, n_tokens, h, batch_size=batch_size, precision=precision) for h in hardware]
    return (f"{spec.name}: {spec.n_params / 1e6:,.1f} M parameters, {n_tokens:.3g} training tokens, "
            f"batch {batch_size} × {spec.context} tokens, {precision} precision\n"
            f"weights alone: {mem}\n" + format_estimates(rows))


def cost_widget(extra_models: list[ModelSpec] = (), extra_hardware: list[Hardware] = ()):
    """Dropdowns for model, hardware and precision; log sliders for tokens and batch size."""
    import ipywidgets as W

    models = {m.name: m for m in [*extra_models, *MODELS.values()]}
    hardware = {h.name: h for h in [*extra_hardware, *CLOUD_HARDWARE]}
    model_dd = W.Dropdown(options=list(models), value="GPT-2 small" if "GPT-2 small" in models else list(models)[0],
                          description="model")
    hw_dd = W.Dropdown(options=["all"] + list(hardware), value="all", description="hardware")
    prec_dd = W.Dropdown(options=["mixed", "fp32"], value="mixed", description="precision")
    tokens = W.FloatLogSlider(value=2.5e9, base=10, min=6, max=13, step=0.1, description="tokens",
                              continuous_update=False, readout_format=".2g")
    batch = W.IntSlider(value=8, min=1, max=256, description="batch", continuous_update=False)
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
    box = W.VBox([W.HBox([model_dd, hw_dd, prec_dd]), W.HBox([tokens, batch]), out])
    box.controls = {"model": model_dd, "hardware": hw_dd, "precision": prec_dd, "tokens": tokens,
                    "batch": batch}
    box.out = out
    return box


__all__ = ["cost_report", "cost_widget", "DTYPE_BYTES"]
