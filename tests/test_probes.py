"""Bias probes on a tiny random model: valid probabilities, order kept, and the skewed corpus."""
import math

import pytest
import torch

from course_utils.safety import probes
from course_utils.kernel.errors import BadInputError
from tiny_text_model import tiny_lm


@pytest.fixture(scope="module")
def lm():
    return tiny_lm(context=32)


def test_single_token_probabilities_match_a_softmax_by_hand(lm):
    model, tok = lm
    groups = {"king": " king", "sea": " sea", "he": " he"}
    rows = probes.group_probe(model, tok, ["castle", "storm"], "by the {} there was", groups)
    assert [r["subject"] for r in rows] == ["castle", "storm"]
    for r in rows:
        assert list(r["p"]) == ["king", "sea", "he"]
        ids = tok(r["prompt"], add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            p = torch.softmax(model(input_ids=torch.tensor([ids])).logits[0, -1], -1)
        for name, word in groups.items():
            assert r["p"][name] == pytest.approx(float(p[tok.convert_tokens_to_ids(word.strip())]), rel=1e-5)
        assert r["mass"] == pytest.approx(sum(r["p"].values()))
        assert sum(r["share"].values()) == pytest.approx(1.0)
        assert all(0 < v < 1 for v in r["p"].values())


def test_multi_token_continuation_is_the_product_of_its_tokens(lm):
    model, tok = lm
    lp = probes.continuation_logprobs(model, tok, "once upon a", [" time there", " time"])
    ids = tok("once upon a time there", add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        logp = torch.log_softmax(model(input_ids=torch.tensor([ids])).logits[0], -1)
    by_hand = float(logp[2, ids[3]] + logp[3, ids[4]])
    assert lp[0] == pytest.approx(by_hand, abs=1e-5)
    assert lp[1] == pytest.approx(float(logp[2, ids[3]]), abs=1e-5)


def test_format_probe_table(lm):
    model, tok = lm
    rows = probes.group_probe(model, tok, ["castle"], "the {} said", {"he": " he", "king": " king"})
    table = probes.format_probe(rows, group="king")
    assert table.splitlines()[0].split() == ["subject", "p(he)", "p(king)", "share", "king", "mass"]
    assert f"{rows[0]['share']['king']:.2f}" in table
    with pytest.raises(BadInputError):
        probes.format_probe(rows, group="she")


def test_skewed_corpus_has_the_requested_rates():
    skew = {"nurse": 0.9, "engineer": 0.1, "teacher": 0.5}
    text = probes.skewed_corpus(skew, n_sentences=3000, seed=0)
    lines = text.splitlines()
    assert len(lines) == 3000 and text == probes.skewed_corpus(skew, n_sentences=3000, seed=0)
    for occ, p in skew.items():
        mine = [ln for ln in lines if ln.startswith(f"the {occ} said that ")]
        assert len(mine) == 1000
        share = sum(" that she " in ln for ln in mine) / len(mine)
        assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / 1000) + 1e-9


def test_bad_input(lm):
    model, tok = lm
    with pytest.raises(BadInputError, match="template"):
        probes.group_probe(model, tok, ["king"], "no slot here")
    with pytest.raises(BadInputError):
        probes.group_probe(model, tok, [], "the {} said")
    with pytest.raises(BadInputError):
        probes.continuation_logprobs(model, tok, "", [" he"])
    with pytest.raises(BadInputError):
        probes.skewed_corpus({"nurse": 1.5})
