"""Sampling and conditioning playgrounds: drive the controls, read the Output widgets."""
import pytest

from course_utils.sampling import generation as G
from course_utils.sampling import logits as S
from course_utils.kernel.errors import BadInputError
from course_utils.sampling import playground as P
from course_utils.widgets import text as WT
from course_utils.widgets.output import output_text
from tiny_text_model import tiny_lm


@pytest.fixture(scope="module")
def lm():
    return tiny_lm(context=40)


def test_sampling_view_matches_the_sampling_functions(lm):
    model, tok = lm
    fig, summary = P.sampling_view(model, tok, "once upon a", 0.7, 5, 0.9)
    raw = model(G.encode_prompt(tok, "once upon a")).logits[0, -1].detach()
    p = S.to_probs(S.top_p_filter(S.top_k_filter(raw / 0.7, 5), 0.9))
    assert f"{int((p > 0).sum())} tokens can be chosen" in summary
    assert f"p={float(p.max()):.3f}" in summary
    assert len(fig.axes) == 1


def test_slider_moves_redraw_without_a_model_call(lm):
    model, tok = lm
    G.clear_distribution_cache()
    w = WT.sampling_playground(model, tok, "once upon a")
    first = output_text(w.dist_out)
    assert "tokens can be chosen" in first and len(w.dist_out.outputs) == 2   # summary + figure
    misses = G.cache_stats["misses"]
    w.controls["top_k"].value = 3
    assert "3 tokens can be chosen" in output_text(w.dist_out)
    w.controls["temperature"].value = 0.3
    w.controls["top_p"].value = 0.5
    assert output_text(w.dist_out) != first
    assert G.cache_stats["misses"] == misses                                  # logits came from the cache
    w.controls["prompt"].value = "the king"
    assert G.cache_stats["misses"] == misses + 1                              # a new prompt needs one forward


@pytest.mark.parametrize("control, value, words", [
    ("temperature", 0.0, "greedy"), ("prompt", "  ", "empty"),
])
def test_bad_settings_show_a_message_not_a_traceback(lm, control, value, words):
    model, tok = lm
    w = WT.sampling_playground(model, tok, "once upon a")
    w.controls[control].value = value
    text = output_text(w.dist_out)
    assert text.startswith("⚠") and words in text and "Traceback" not in text


def test_generate_button_prints_text_and_reproducible_code(lm):
    model, tok = lm
    w = WT.sampling_playground(model, tok, "once upon a", max_new_tokens_limit=60)
    c = w.controls
    c["temperature"].value, c["top_k"].value, c["seed"].value, c["max_new_tokens"].value = 0.8, 20, 4, 6
    w.button.click()
    text = output_text(w.text_out)
    expected = G.generate_by_hand(model, tok, "once upon a", 6, temperature=0.8, top_k=20, seed=4)
    assert expected.text in text
    code = P.settings_code("once upon a", 6, 0.8, 20, 1.0, 4)
    assert code in text
    cu_gen = G  # the printed code runs as is and gives the same text
    assert eval(code, {"cu_gen": cu_gen, "model": model, "tok": tok}) == expected.text
    c["max_new_tokens"].value = 60                                            # prompt + 60 > context 40
    w.button.click()
    assert "max_position_embeddings" in output_text(w.text_out)


def test_conditioning_changes_the_prompt_and_keeps_the_seed(lm):
    model, tok = lm
    res = P.conditioned_outputs(model, tok, "i love this film", "system message", "one word", seed=2,
                                 max_new_tokens=6)
    assert list(res) == ["no condition", "system message: one word"]
    plain = G.generate_by_hand(model, tok, P.condition_messages("i love this film", "none", None), 6,
                               temperature=0.7, seed=2).text
    assert res["no condition"] == plain
    msgs = P.condition_messages("i love this film", "system message", "one word")
    assert msgs[0]["role"] == "system"
    with pytest.raises(BadInputError, match="unknown condition"):
        P.condition_messages("hi", "mood", "x")


def test_conditioning_playground_side_by_side(lm):
    model, tok = lm
    w = WT.conditioning_playground(model, tok, "i love this film", max_new_tokens=5)
    w.controls["kind"].value = "style"
    assert list(w.controls["value"].options) == list(P.CONDITIONS["style"])
    w.button.click()
    assert "no condition" in output_text(w.left) and "style: pirate" in output_text(w.right)
    w.controls["temperature"].value = 0.0
    w.button.click()
    assert "greedy" in output_text(w.left) and output_text(w.right) == ""
