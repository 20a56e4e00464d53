"""models.anatomy: self-attention by hand equals the real models' own, the parts add up, the explorer redraws.

MiniLM (BERT encoder: learned positions, bidirectional) and SmolLM2 (Llama decoder: RoPE,
grouped-query attention, causal) are loaded once each, with eager attention so they return
their probabilities. Measured on CPU float32: max |hand - model| is ~2e-7 for MiniLM and 0 for
SmolLM2 at every layer; the tolerance below is 1e-5.
"""
import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils.kernel.errors import BadInputError  # noqa: E402
from course_utils.models import anatomy  # noqa: E402
from course_utils.plots.attention import attention_heatmap  # noqa: E402
from course_utils.widgets.attention import attention_explorer  # noqa: E402
from course_utils.widgets.output import output_text  # noqa: E402

TEXT = "The cat sat on the mat because it was tired."
ATOL = 1e-5


@pytest.fixture(scope="module")
def minilm():
    return tuple(cu.load_model("sentence-encoder", attn_implementation="eager", verbose=False))


@pytest.fixture(scope="module")
def smollm2():
    return tuple(cu.load_model("chat", attn_implementation="eager", verbose=False))


# ----------------------------------------------------------------------------- the hand-written attention


@pytest.mark.parametrize("layer", [0, 4])
def test_hand_attention_is_minilms_own(minilm, layer):
    hand, real, tokens = anatomy.compare_attention(*minilm, TEXT, layer)
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]" and hand.shape == (12, len(tokens), len(tokens))
    assert (hand - real).abs().max().item() < ATOL
    assert (real.triu(1) > 0.01).any()              # an encoder looks ahead too


@pytest.mark.parametrize("layer", [0, 17])
def test_hand_attention_is_smollm2s_own_with_rope_and_gqa(smollm2, layer):
    hand, real, tokens = anatomy.compare_attention(*smollm2, TEXT, layer)
    assert hand.shape == (9, len(tokens), len(tokens))
    assert (hand - real).abs().max().item() < ATOL
    assert torch.allclose(hand.sum(-1), torch.ones(9, len(tokens)))
    above = ~anatomy.causal_mask(len(tokens))
    assert hand[:, above].abs().max() == 0 and real[:, above].abs().max() == 0   # the future gets exactly 0


@pytest.mark.parametrize("drop", ["rotary", "causal"])
def test_the_comparison_fails_without_rope_or_the_mask(smollm2, monkeypatch, drop):
    """The equality above is not a tautology: leave out one ingredient and the hand version is wrong."""
    real_fn = anatomy.self_attention

    def without(*args, **kwargs):
        kwargs[drop] = None if drop == "rotary" else False
        return real_fn(*args, **kwargs)

    monkeypatch.setattr(anatomy, "self_attention", without)
    hand, real, _ = anatomy.compare_attention(*smollm2, TEXT, 3)
    assert (hand - real).abs().max().item() > 0.05


def test_causal_mask_is_lower_triangular():
    m = anatomy.causal_mask(5)
    assert m.dtype == torch.bool
    assert m.tolist() == [[j <= i for j in range(5)] for i in range(5)]


def _random_attention_inputs(T=6, d=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(T, d, generator=g)
    w = [torch.randn(d, d, generator=g) / d ** 0.5 for _ in range(3)]
    b = [torch.randn(d, generator=g) for _ in range(3)]
    return x, w, b


def test_without_positions_attention_is_permutation_equivariant():
    x, (wq, wk, wv), (bq, bk, bv) = _random_attention_inputs()
    perm = torch.tensor([3, 0, 5, 1, 4, 2])

    def run(inp, **kw):
        return anatomy.self_attention(inp, wq, wk, wv, 4, bias_q=bq, bias_k=bk, bias_v=bv, **kw)

    out, probs = run(x)
    out_p, probs_p = run(x[perm])
    assert torch.allclose(out_p, out[perm], atol=1e-6)
    assert torch.allclose(probs_p, probs[:, perm][:, :, perm], atol=1e-6)
    # order starts to matter as soon as position enters: through the causal mask...
    assert not torch.allclose(run(x[perm], causal=True)[0], run(x, causal=True)[0][perm], atol=1e-3)
    # ...or through rotary angles that grow with the position
    angles = torch.arange(6.0)[:, None] * torch.tensor([1.0, 0.3])
    rotary = (torch.cat([angles.cos()] * 2, -1), torch.cat([angles.sin()] * 2, -1))
    assert not torch.allclose(run(x[perm], rotary=rotary)[0], run(x, rotary=rotary)[0][perm], atol=1e-3)


def test_grouped_query_attention_is_shared_key_value_heads():
    """n_kv_heads=2 for 4 query heads equals full attention with each k/v head's weights written twice."""
    x, (wq, wk, wv), _ = _random_attention_inputs(d=16)
    wk2, wv2 = wk[:8], wv[:8]                       # 2 kv heads of size 4
    full = [w.view(2, 4, 16).repeat_interleave(2, dim=0).reshape(16, 16) for w in (wk2, wv2)]
    gqa = anatomy.self_attention(x, wq, wk2, wv2, 4, n_kv_heads=2)
    mha = anatomy.self_attention(x, wq, *full, 4)
    assert torch.allclose(gqa[0], mha[0], atol=1e-6) and torch.allclose(gqa[1], mha[1], atol=1e-6)


# ----------------------------------------------------------------------------- parts and settings


def test_anatomy_table_adds_up_to_num_parameters(minilm, smollm2):
    for model, _ in (minilm, smollm2):
        table = anatomy.anatomy_table(model)
        assert table["parameters"].sum() == model.num_parameters()
        assert table["share"].sum() == pytest.approx(1.0, abs=1e-3)
    lm = anatomy.anatomy_table(smollm2[0]).set_index("part")
    c = smollm2[0].config
    kv = c.num_key_value_heads * c.head_dim
    assert lm.loc["attention (all blocks)", "parameters"] == c.num_hidden_layers * 2 * (c.hidden_size ** 2 + c.hidden_size * kv)
    assert lm.loc["attention (all blocks)", "blocks"] == 30
    assert lm.loc["head (tied)", "parameters"] == 0 and anatomy.anatomy_table(smollm2[0]).attrs["tied_head"]
    assert "position embeddings" not in lm.index
    enc = anatomy.anatomy_table(minilm[0]).set_index("part")
    assert enc.loc["position embeddings", "parameters"] == 512 * 384
    assert not anatomy.anatomy_table(minilm[0]).attrs["tied_head"]


def test_config_summary_detects_positions_and_masking(minilm, smollm2):
    lm = anatomy.config_summary(smollm2[0])
    assert (lm["positions"], lm["attention"]) == ("rotary", "causal")
    assert (lm["layers"], lm["width"], lm["heads"], lm["kv heads"], lm["head size"]) == (30, 576, 9, 3, 64)
    assert (lm["MLP width"], lm["vocabulary"], lm["context"]) == (1536, 49152, 8192)
    enc = anatomy.config_summary(minilm[0])
    assert (enc["positions"], enc["attention"]) == ("learned", "bidirectional")
    assert (enc["layers"], enc["heads"], enc["kv heads"], enc["head size"], enc["context"]) == (6, 12, 12, 32, 512)


# ----------------------------------------------------------------------------- the explorer's functions


def test_attention_view_follows_layer_and_head_from_one_forward_pass(smollm2):
    model, tok = smollm2
    anatomy.clear_map_cache()
    tokens, p00 = anatomy.attention_map(model, tok, TEXT, 0, 0)
    _, p50 = anatomy.attention_map(model, tok, TEXT, 5, 0)
    _, p03 = anatomy.attention_map(model, tok, TEXT, 0, 3)
    assert anatomy.map_cache_stats == {"hits": 2, "misses": 1}
    assert p00.shape == (11, 11) and tokens[7] == "␣it"
    assert abs(p00 - p50).max() > 0.05 and abs(p00 - p03).max() > 0.05
    hand, _, _ = anatomy.compare_attention(model, tok, TEXT, 5)
    assert abs(p50 - hand[0].numpy()).max() < ATOL
    top = anatomy.top_attended(tokens, p50, 7, k=3)
    assert top[0] == (tokens[int(p50[7].argmax())], pytest.approx(float(p50[7].max())))
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    views = {(l, h): anatomy.attention_view(model, tok, TEXT, l, h, 7) for l, h in [(0, 0), (5, 0), (0, 3)]}
    assert len({summary for _, summary in views.values()}) == 3
    fig, summary = views[(5, 0)]
    assert summary.startswith("layer 5, head 0: '␣it' (token 7) attends most to")
    assert f"'{top[0][0]}' {top[0][1]:.2f}" in summary
    assert len(fig.axes) == 2                        # the map and its colour bar


@pytest.mark.parametrize("args, words", [
    (("  ", 0, 0, 0), "empty"),
    ((TEXT, 30, 0, 0), "layer must be a whole number from 0 to 29"),
    ((TEXT, 0, 9, 0), "head must be a whole number from 0 to 8"),
    ((TEXT, 0, 0, 11), "token index must be a whole number from 0 to 10"),
    ((TEXT, True, 0, 0), "layer must be"),
])
def test_attention_view_says_what_is_wrong(smollm2, args, words):
    with pytest.raises(BadInputError, match=words):
        anatomy.attention_view(*smollm2, *args)


def test_a_model_without_eager_attention_is_told_how_to_load(minilm):
    model, tok = minilm
    anatomy.clear_map_cache()
    model.set_attn_implementation("sdpa")
    try:
        with pytest.raises(BadInputError, match='attn_implementation="eager"'):
            anatomy.attention_map(model, tok, TEXT, 0, 0)
    finally:
        model.set_attn_implementation("eager")


def test_heatmap_checks_its_data():
    with pytest.raises(BadInputError, match="3×3"):
        attention_heatmap(["a", "b", "c"], torch.ones(2, 2))
    with pytest.raises(BadInputError, match="0 to 2"):
        attention_heatmap(["a", "b", "c"], torch.eye(3), highlight=3)


# ----------------------------------------------------------------------------- the widget


def test_explorer_redraws_on_every_control(minilm, smollm2):
    w = attention_explorer({"SmolLM2": smollm2, "MiniLM": minilm}, TEXT)
    c = w.controls
    assert (c["layer"].max, c["head"].max, c["token"].value) == (29, 8, 7)     # starts on "it"
    first = output_text(w.out)
    assert first.startswith("layer 0, head 0: '␣it' (token 7)") and len(w.out.outputs) == 2   # summary + figure
    seen = [first]
    for name, value in (("layer", 12), ("head", 4), ("token", 9)):
        c[name].value = value
        text = output_text(w.out)
        assert text not in seen and "⚠" not in text, name
        seen.append(text)
    assert output_text(w.out).startswith("layer 12, head 4: '␣tired' (token 9)")
    c["model"].value = "MiniLM"                     # the ranges follow the model; values kept when valid
    assert (c["layer"].max, c["head"].max, c["layer"].value, c["head"].value) == (5, 11, 5, 4)
    assert c["token"].options[0] == ("0: [CLS]", 0) and len(c["token"].options) == 13
    assert output_text(w.out).startswith("layer 5, head 4:")
    c["text"].value = " "
    assert output_text(w.out).startswith("⚠") and "empty" in output_text(w.out)
    c["text"].value = "Hello world"
    assert len(c["token"].options) == 4 and "⚠" not in output_text(w.out)
