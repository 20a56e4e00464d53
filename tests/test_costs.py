"""Memory, FLOPs, time and cost estimates, checked against numbers worked out by hand."""
import pytest

from course_utils.training import costs
from course_utils.kernel.errors import BadInputError

GPT2 = costs.MODELS["GPT-2 small"]


def test_weights_memory_per_dtype_gpt2_small():
    # 124 M parameters × 4 / 2 / 1 / 0.5 bytes
    assert costs.weights_memory_bytes(124e6, "fp32") == 496e6
    assert costs.weights_memory_bytes(124e6, "fp16") == 248e6
    assert costs.weights_memory_bytes(124e6, "bf16") == 248e6
    assert costs.weights_memory_bytes(124e6, "int8") == 124e6
    assert costs.weights_memory_bytes(124e6, "int4") == 62e6


def test_adam_training_state_is_16_bytes_per_param_in_both_precisions():
    for precision in ("fp32", "mixed"):
        m = costs.training_memory(GPT2, batch_size=1, seq_len=1024, precision=precision)
        assert m["weights"] + m["gradients"] + m["optimizer"] == 16 * 124e6   # 1.984 GB
    fp32 = costs.training_memory(GPT2, 1, 1024, "fp32")
    assert (fp32["weights"], fp32["gradients"], fp32["optimizer"]) == (496e6, 496e6, 992e6)
    mixed = costs.training_memory(GPT2, 1, 1024, "mixed")
    assert (mixed["weights"], mixed["gradients"], mixed["optimizer"]) == (248e6, 248e6, 1488e6)
    sgd = costs.training_memory(GPT2, 1, 1024, "fp32", optimizer="sgd")
    assert sgd["weights"] + sgd["gradients"] + sgd["optimizer"] == 8 * 124e6


def test_activation_memory_gpt2_small_by_hand():
    # per layer: s·b·h·(34 + 5·a·s/h) = 1024·768·(34 + 5·12·1024/768) = 786,432 · 114 bytes (fp16)
    per_layer = 1024 * 768 * 114
    logits = 2 * 1024 * 50257 * 4
    assert costs.activation_memory_bytes(GPT2, 1, 1024, "fp16") == pytest.approx(12 * per_layer + logits)
    assert costs.activation_memory_bytes(GPT2, 1, 1024, "fp16") == pytest.approx(1_487_544_320)
    # fp32 doubles the per-layer part; batch 8 multiplies everything by 8
    assert costs.activation_memory_bytes(GPT2, 1, 1024, "fp32") == pytest.approx(24 * per_layer + logits)
    assert costs.activation_memory_bytes(GPT2, 8, 1024, "fp16") == pytest.approx(8 * (12 * per_layer + logits))
    total = costs.training_memory(GPT2, 1, 1024, "mixed")["total"]
    assert total == pytest.approx(16 * 124e6 + 12 * per_layer + logits)


def test_parameter_estimate_matches_published_counts():
    assert GPT2.approx_params == 12 * 12 * 768 ** 2 + 50257 * 768 == 123_532_032
    for name in ("GPT-2 small", "GPT-2 medium", "GPT-2 large", "GPT-2 XL"):
        m = costs.MODELS[name]
        assert m.approx_params == pytest.approx(m.n_params, rel=0.03)
    assert costs.MODELS["Llama-2-7B"].approx_params == pytest.approx(6.74e9, rel=0.05)


def test_flops_time_and_cost_for_gpt2_small_on_an_a100():
    tokens = costs.chinchilla_tokens(124e6)
    assert tokens == 2.48e9
    est = costs.training_estimate(GPT2, tokens, costs.A100, batch_size=1, seq_len=1024)
    flops = 6 * 124e6 * 2.48e9                               # 1.845e18
    hours = flops / (312e12 * 0.40) / 3600                   # 4.107 h
    assert est["flops"] == pytest.approx(flops)
    assert est["hours"] == pytest.approx(hours) and est["hours"] == pytest.approx(4.107, abs=1e-3)
    assert est["usd"] == pytest.approx(hours * 2.0)
    assert est["fits"] and est["devices_for_memory"] == 1


def test_big_model_does_not_fit_one_gpu():
    est = costs.training_estimate(costs.MODELS["Llama-2-7B"], 1e9, costs.H100, batch_size=1, seq_len=4096)
    need = costs.training_memory(costs.MODELS["Llama-2-7B"], 1, 4096)["total"] / costs.GiB
    assert need > 16 * 6.74e9 / costs.GiB > 80
    assert not est["fits"] and est["devices_for_memory"] == -(-need // 80)


def test_measured_hardware_and_model_spec(tmp_path):
    hw = costs.hardware_from_measurement("cpu", 1e6, 1e4, memory_gib=24)
    assert hw.flops_per_second == 6e10 and hw.usd_per_hour == 0.0
    from course_utils.training.lm import make_tiny_gpt
    model = make_tiny_gpt(500, n_layer=2, n_embd=64, n_head=4, n_ctx=64)
    spec = costs.spec_from_model(model, "tiny")
    assert (spec.n_layers, spec.d_model, spec.n_heads, spec.vocab, spec.context) == (2, 64, 4, 500, 64)
    # GPT-2 by hand: token + position embeddings, 12 d^2 + 13 d per block, the final layer norm;
    # the output layer shares the token embedding
    d = 64
    assert spec.n_params == 500 * d + 64 * d + 2 * (12 * d * d + 13 * d) + 2 * d


def test_human_time_and_table():
    assert costs.human_time(0.5) == "30 min"
    assert costs.human_time(48) == "2 days"
    assert costs.human_time(2 * 365 * 24) == "2 years"
    assert costs.human_time(1 / 3600) == "1 sec"
    assert costs.human_time(3) == "3 hours"
    assert costs.human_time(24 * 365 * 2000) == "2,000 years"     # no '2e+03' for a learner to decode
    table = costs.format_estimates([costs.training_estimate(GPT2, 1e9, h) for h in costs.CLOUD_HARDWARE])
    assert table.count("\n") == 1 + len(costs.CLOUD_HARDWARE)
    assert "Colab T4 GPU" in table and "cloud H100 80GB" in table
    big = costs.format_estimates([costs.training_estimate(costs.MODELS["Llama-2-7B"], 1e12, h) for h in costs.CLOUD_HARDWARE])
    assert "needed" in big, "a model that does not fit says how many devices it needs"
    assert max(len(line) for line in big.splitlines()) <= 100, "fits a notebook output without wrapping"


def test_bad_input():
    with pytest.raises(BadInputError, match="dtype"):
        costs.weights_memory_bytes(1e6, "fp8")
    with pytest.raises(BadInputError, match="positive"):
        costs.weights_memory_bytes(-1)
    with pytest.raises(BadInputError, match="precision"):
        costs.training_memory(GPT2, precision="half")
    with pytest.raises(BadInputError, match="batch_size"):
        costs.activation_memory_bytes(GPT2, 0)
    with pytest.raises(BadInputError):
        costs.training_flops(0, 1)
