"""Back-of-the-envelope compute for training: FLOPs ≈ 6 × parameters × tokens.

(2 FLOPs per parameter per token for the forward pass, 4 for the backward pass; Kaplan et
al. 2020.) Extended in Week 4 with memory estimates and a widget.
"""
from __future__ import annotations

from course_utils.kernel.errors import BadInputError


def training_flops(n_params: float, n_tokens: float) -> float:
    if n_params <= 0 or n_tokens <= 0:
        raise BadInputError("n_params and n_tokens must be positive.")
    return 6.0 * float(n_params) * float(n_tokens)


def training_hours(flops: float, flops_per_second: float, utilisation: float = 1.0) -> float:
    """Wall-clock hours to spend `flops` on hardware sustaining flops_per_second × utilisation."""
    if flops_per_second <= 0 or not (0 < utilisation <= 1):
        raise BadInputError("flops_per_second must be positive and utilisation in (0, 1].")
    return flops / (flops_per_second * utilisation) / 3600.0


# ---- Week 4: memory, time and money ------------------------------------------------------
# Conventions (checked by hand in tests/test_costs.py):
# * weights: parameters × bytes per value (fp32 4, fp16/bf16 2, int8 1, int4 0.5).
# * training with Adam keeps, per parameter: weights, gradients and two moment estimates.
#   - "fp32": 4 + 4 + 4 + 4 = 16 bytes/param.
#   - "mixed" (fp16/bf16 compute, the usual GPU recipe; ZeRO paper, Rajbhandari et al. 2020):
#     fp16 weights 2 + fp16 gradients 2 + fp32 master weights 4 + Adam moments 4 + 4 = 16 bytes.
#   So both are 16 bytes/param: mixed precision saves activation memory and time, not
#   optimizer memory. Plain SGD without momentum in fp32: 8 bytes/param.
# * activations of one transformer layer, no recomputation (Korthikanti et al. 2022, eq. 2):
#   seq × batch × d_model × (34 + 5 × heads × seq / d_model) bytes at 2 bytes per value;
#   scaled by bytes/2 for fp32. Plus logits and their gradient: 2 × seq × batch × vocab × 4.
import math
from dataclasses import dataclass

DTYPE_BYTES = {"fp32": 4.0, "fp16": 2.0, "bf16": 2.0, "int8": 1.0, "int4": 0.5}
GiB = 1024 ** 3


def _positive(**values) -> None:
    for name, v in values.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0 or not math.isfinite(v):
            raise BadInputError(f"{name} must be a positive number, got {v!r}.")


def dtype_bytes(dtype: str) -> float:
    if dtype not in DTYPE_BYTES:
        raise BadInputError(f"Unknown dtype {dtype!r}: use one of {', '.join(DTYPE_BYTES)}.")
    return DTYPE_BYTES[dtype]


def weights_memory_bytes(n_params: float, dtype: str = "fp32") -> float:
    """Bytes to hold the weights alone (enough for inference, plus a little for activations)."""
    _positive(n_params=n_params)
    return float(n_params) * dtype_bytes(dtype)


@dataclass(frozen=True)
class ModelSpec:
    """Shape of a decoder-only transformer; n_params is the published count where there is one."""
    name: str
    n_params: float
    n_layers: int
    d_model: int
    n_heads: int
    vocab: int
    context: int

    @property
    def approx_params(self) -> float:
        """12·L·d² (attention 4d², MLP 8d²) + vocab·d embeddings: the usual estimate."""
        return 12 * self.n_layers * self.d_model ** 2 + self.vocab * self.d_model


# Published sizes (model cards / papers). Context is the training context length.
MODELS = {m.name: m for m in [
    ModelSpec("GPT-2 small", 124e6, 12, 768, 12, 50257, 1024),
    ModelSpec("SmolLM2-135M", 134.5e6, 30, 576, 9, 49152, 2048),
    ModelSpec("GPT-2 medium", 355e6, 24, 1024, 16, 50257, 1024),
    ModelSpec("GPT-2 large", 774e6, 36, 1280, 20, 50257, 1024),
    ModelSpec("GPT-2 XL", 1.558e9, 48, 1600, 25, 50257, 1024),
    ModelSpec("Llama-2-7B", 6.74e9, 32, 4096, 32, 32000, 4096),
    ModelSpec("Llama-3-70B", 70.6e9, 80, 8192, 64, 128256, 8192),
]}


def spec_from_model(model, name: str = "tiny GPT") -> ModelSpec:
    """A ModelSpec read from a transformers GPT-2/Llama-style config and its real parameter count."""
    c = model.config   # transformers maps GPT-2's n_layer, n_embd, n_head, n_positions to these names
    return ModelSpec(name, float(model.num_parameters()), int(c.num_hidden_layers), int(c.hidden_size),
                     int(c.num_attention_heads), int(c.vocab_size), int(c.max_position_embeddings))


def activation_memory_bytes(spec: ModelSpec, batch_size: int, seq_len: int | None = None,
                            dtype: str = "fp16") -> float:
    """Activations kept for the backward pass (Korthikanti et al. 2022, no recomputation)."""
    seq = spec.context if seq_len is None else seq_len
    _positive(batch_size=batch_size, seq_len=seq)
    s, b, h, a = seq, batch_size, spec.d_model, spec.n_heads
    per_layer = s * b * h * (34 + 5 * a * s / h) * dtype_bytes(dtype) / 2
    logits = 2 * s * b * spec.vocab * 4.0
    return spec.n_layers * per_layer + logits


def training_memory(spec: ModelSpec, batch_size: int = 8, seq_len: int | None = None,
                    precision: str = "mixed", optimizer: str = "adam") -> dict[str, float]:
    """Bytes for weights, gradients, optimizer state and activations, and their total."""
    if precision not in ("fp32", "mixed"):
        raise BadInputError(f"precision must be 'fp32' or 'mixed', got {precision!r}.")
    if optimizer not in ("adam", "sgd"):
        raise BadInputError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}.")
    n = spec.n_params
    if precision == "fp32":
        weights, grads = 4 * n, 4 * n
        opt = 8 * n if optimizer == "adam" else 0.0
    else:  # fp16 copy + grads used for compute; fp32 master copy counted with the optimizer
        weights, grads = 2 * n, 2 * n
        opt = (4 + 8) * n if optimizer == "adam" else 4 * n
    acts = activation_memory_bytes(spec, batch_size, seq_len, "fp32" if precision == "fp32" else "fp16")
    parts = {"weights": weights, "gradients": grads, "optimizer": opt, "activations": acts}
    parts["total"] = sum(parts.values())
    return parts


@dataclass(frozen=True)
class Hardware:
    name: str
    flops_per_second: float   # sustained on training, not the datasheet peak
    memory_gib: float
    usd_per_hour: float
    note: str                 # where the numbers come from


# Peak figures from the vendors' datasheets; sustained = peak × an assumed utilisation (MFU)
# of 30-40 %, what well-tuned training reaches. Prices are typical on-demand list prices
# (2024-25) and change often: treat them as assumptions and check today's before you rent.
T4 = Hardware("Colab T4 GPU", 65e12 * 0.30, 15.0, 0.0,
              "NVIDIA T4 datasheet: 65 TFLOP/s fp16 peak; assumed 30 % sustained; 15 GiB usable; "
              "free on Colab within usage limits (Colab Pro ~ $0.2/h)")
A100 = Hardware("cloud A100 80GB", 312e12 * 0.40, 80.0, 2.0,
                "NVIDIA A100 datasheet: 312 TFLOP/s bf16 peak; assumed 40 % sustained; "
                "assumed $2.00 per GPU-hour on demand")
H100_PEAK_BF16_FLOPS = 989e12  # H100 SXM dense bf16 peak (NVIDIA datasheet)
H100_UTILISATION = 0.40        # large training runs sustain roughly 40 % of peak (MFU)
H100_USD_PER_HOUR = 3.0        # typical on-demand cloud price per H100, 2024–2026: roughly $2–4
H100 = Hardware("cloud H100 80GB", H100_PEAK_BF16_FLOPS * H100_UTILISATION, 80.0, H100_USD_PER_HOUR,
                "NVIDIA H100 SXM datasheet: 989 TFLOP/s bf16 dense peak; assumed 40 % sustained; "
                "assumed $3.00 per GPU-hour on demand")
CLOUD_HARDWARE = (T4, A100, H100)


def hardware_from_measurement(name: str, n_params: float, tokens_per_second: float,
                              memory_gib: float, usd_per_hour: float = 0.0) -> Hardware:
    """Sustained FLOP/s of a machine, from a training run you timed: 6 × N × tokens/s."""
    _positive(n_params=n_params, tokens_per_second=tokens_per_second, memory_gib=memory_gib)
    return Hardware(name, 6.0 * n_params * tokens_per_second, memory_gib, usd_per_hour,
                    f"measured: {tokens_per_second:,.0f} tokens/s training a {n_params / 1e6:.2f} M-param model")


def chinchilla_tokens(n_params: float) -> float:
    """~20 training tokens per parameter: the compute-optimal ratio of Hoffmann et al. 2022."""
    _positive(n_params=n_params)
    return 20.0 * n_params


def training_estimate(spec: ModelSpec, n_tokens: float, hardware: Hardware, *, batch_size: int = 8,
                      seq_len: int | None = None, precision: str = "mixed") -> dict:
    """FLOPs, hours, dollars and whether training memory fits one device of `hardware`."""
    flops = training_flops(spec.n_params, n_tokens)
    hours = training_hours(flops, hardware.flops_per_second)
    mem = training_memory(spec, batch_size, seq_len, precision)["total"]
    return {"model": spec.name, "hardware": hardware.name, "params": spec.n_params, "tokens": float(n_tokens),
            "flops": flops, "hours": hours, "usd": hours * hardware.usd_per_hour,
            "train_mem_gib": mem / GiB, "fits": mem / GiB <= hardware.memory_gib,
            "devices_for_memory": max(1, math.ceil(mem / GiB / hardware.memory_gib))}


def human_time(hours: float) -> str:
    """0.004 h -> '14 sec'; 0.5 -> '30 min'; 30 -> '1.25 days'; 2e7 -> '2,283 years': readable at any scale."""
    s = hours * 3600
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("hours", 3600), ("min", 60)):
        if s >= size:
            value = s / size
            return f"{value:,.0f} {unit}" if value >= 1000 else f"{value:.3g} {unit}"
    return f"{s:.2g} sec"


def format_estimates(rows: list[dict]) -> str:
    """A fixed-width table of training_estimate rows (about 90 characters: fits a notebook)."""
    head = (f"{'model':<14} {'hardware':<18} {'tokens':>8} {'PFLOP':>9} {'time':>11} {'cost $':>11} "
            f"{'train GiB':>9} fits?")
    lines = [head, "-" * len(head)]
    for r in rows:
        fits = "yes" if r["fits"] else f"no, {r['devices_for_memory']} needed"
        lines.append(f"{r['model']:<14} {r['hardware']:<18} {r['tokens']:>8.3g} {r['flops'] / 1e15:>9.3g} "
                     f"{human_time(r['hours']):>11} {r['usd']:>11,.2f} {r['train_mem_gib']:>9.3g} {fits}")
    return "\n".join(lines)


# --- Week 2: why pretraining is expensive -------------------------------------------------
# The same H100 assumptions as `H100` above (one set of numbers), stated in 03_pretraining.


def pretraining_estimate(n_params: float, n_tokens: float, cpu_flops_per_second: float, *,
                         gpu_flops: float = H100_PEAK_BF16_FLOPS, gpu_utilisation: float = H100_UTILISATION,
                         usd_per_gpu_hour: float = H100_USD_PER_HOUR) -> dict:
    """Compute, time and money to pretrain a model: FLOPs = 6·N·D, on this CPU (at the FLOP/s
    it was measured to sustain) and on one cloud GPU (hours = GPU-hours, spread over many GPUs)."""
    flops = training_flops(n_params, n_tokens)
    gpu_hours = training_hours(flops, gpu_flops, gpu_utilisation)
    return {
        "params": float(n_params), "tokens": float(n_tokens), "flops": flops,
        "cpu_hours": training_hours(flops, cpu_flops_per_second),
        "gpu_hours": gpu_hours,
        "gpu_cost_usd": gpu_hours * usd_per_gpu_hour,
    }


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
