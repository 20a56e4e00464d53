"""Lesson 03's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import math

import torch

from course_utils.learn.exercise import check_exercise
from course_utils.training import lm
from course_utils.training.scoring import next_token_nll


def perplexity(token_nlls, mask):           # the worked solution, as in the solutions edition
    real = mask.bool()
    return math.exp(token_nlls[real].mean().item())


def test_the_worked_solution_passes():
    r = check_exercise("03.perplexity", perplexity)
    assert r.passed, r.message


def test_a_tensor_result_and_a_masked_sum_also_pass():
    def alt(token_nlls, mask):
        return torch.exp((token_nlls * mask).sum() / mask.sum())
    assert check_exercise("03.perplexity", alt).passed


def test_exp_of_the_sum_is_diagnosed():
    r = check_exercise("03.perplexity", lambda nlls, mask: math.exp(nlls[mask.bool()].sum().item()))
    assert not r.passed and "exp of the sum of the negative log-likelihoods, not of their mean" in r.message


def test_mean_of_exp_is_diagnosed():
    r = check_exercise("03.perplexity", lambda nlls, mask: nlls[mask.bool()].exp().mean().item())
    assert not r.passed and "mean of exps is not the exp of the mean" in r.message


def test_counting_the_padding_is_diagnosed():
    r = check_exercise("03.perplexity", lambda nlls, mask: math.exp(nlls.mean().item()))
    assert not r.passed and "counted the padding" in r.message


def test_dividing_by_every_position_is_diagnosed():
    r = check_exercise("03.perplexity", lambda nlls, mask: math.exp((nlls * mask).sum().item() / nlls.numel()))
    assert not r.passed and "divided by every position" in r.message


def test_log_base_2_is_diagnosed():
    r = check_exercise("03.perplexity", lambda nlls, mask: 2 ** nlls[mask.bool()].mean().item())
    assert not r.passed and "in nats" in r.message and "2 ** mean" in r.message


def test_forgetting_the_exp_is_diagnosed():
    r = check_exercise("03.perplexity", lambda nlls, mask: nlls[mask.bool()].mean().item())
    assert not r.passed and "mean NLL itself" in r.message


def test_averaging_per_sentence_is_diagnosed():
    def wrong(nlls, mask):
        rows = [nlls[b][mask[b].bool()].mean() for b in range(len(nlls))]
        return math.exp(sum(rows).item() / len(rows))
    r = check_exercise("03.perplexity", wrong)
    assert not r.passed and "each sentence's mean" in r.message


def test_a_vector_result_and_input_changes_are_diagnosed():
    r = check_exercise("03.perplexity", lambda nlls, mask: (nlls * mask).exp())
    assert not r.passed and "return one number" in r.message

    def in_place(nlls, mask):
        nlls.mul_(mask)
        return perplexity(nlls, mask)
    r = check_exercise("03.perplexity", in_place)
    assert not r.passed and "in place" in r.message


def test_the_checker_leaves_the_global_random_state_alone():
    before = torch.random.get_rng_state()
    check_exercise("03.perplexity", perplexity)
    assert torch.equal(before, torch.random.get_rng_state())


def test_the_solution_agrees_with_the_courses_scoring_on_a_padded_batch():
    """What the notebook's solution check does: per-token NLLs of a real (tiny, random) GPT-2 on a
    right-padded batch, against lm.token_nll on each text alone."""
    tok = lm.train_bpe_tokenizer("In the beginning God created the heaven and the earth.\n" * 50, vocab_size=300)
    model = lm.make_tiny_gpt(len(tok), n_layer=1, n_embd=32, n_head=2, n_ctx=32, seed=0)
    texts = ["And God said, Let there be light.", "In the beginning God created the heaven."]
    padded = tok(texts, padding=True, return_tensors="pt")
    nlls = next_token_nll(model, padded["input_ids"], padded["attention_mask"])
    real = padded["attention_mask"][:, 1:]
    total, count = map(sum, zip(*(lm.token_nll(model, tok, t) for t in texts)))
    assert count == int(real.sum())
    assert math.isclose(perplexity(nlls, real), math.exp(total / count), rel_tol=1e-4)


def test_a_stub_and_a_crash_get_one_line_not_a_traceback():
    def stub(token_nlls, mask):
        raise NotImplementedError
    assert "not written yet" in check_exercise("03.perplexity", stub).message
    r = check_exercise("03.perplexity", lambda nlls, mask: nlls.nonexistent())
    assert not r.passed and "raised AttributeError" in r.message and "line" in r.message
