"""Lesson 02b's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import math

import torch

from course_utils.learn.exercise import check_exercise


def causal_attention(q, k, v):              # the worked solution, as in the solutions edition
    T, d = q.shape
    scores = q @ k.T / d ** 0.5
    future = torch.ones(T, T, dtype=torch.bool).triu(diagonal=1)
    scores = scores.masked_fill(future, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def _past(T):
    return torch.ones(T, T, dtype=torch.bool).tril()


def test_the_worked_solution_passes():
    r = check_exercise("02b.causal_attention", causal_attention)
    assert r.passed, r.message


def test_a_large_negative_number_instead_of_minus_infinity_also_passes():
    def alt(q, k, v):
        s = (q @ k.T) / math.sqrt(q.shape[-1])
        s = torch.where(_past(q.shape[0]), s, torch.tensor(-1e9))
        return s.softmax(-1) @ v
    assert check_exercise("02b.causal_attention", alt).passed


def test_no_mask_is_diagnosed_and_says_which_token_sees_the_future():
    def wrong(q, k, v):
        return torch.softmax(q @ k.T / q.shape[-1] ** 0.5, dim=-1) @ v
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "does not mask the future" in r.message and "which comes after it" in r.message


def test_mask_after_softmax_is_diagnosed():
    def wrong(q, k, v):
        w = torch.softmax(q @ k.T / q.shape[-1] ** 0.5, dim=-1)
        return (w * _past(q.shape[0])) @ v
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "rows no longer sum to 1" in r.message


def test_mask_filled_with_zero_is_diagnosed():
    def wrong(q, k, v):
        s = torch.tril(q @ k.T / q.shape[-1] ** 0.5)      # zeros above the diagonal, not -inf
        return s.softmax(-1) @ v
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "exp(0) = 1" in r.message


def test_missing_scale_is_diagnosed():
    def wrong(q, k, v):
        s = (q @ k.T).masked_fill(~_past(q.shape[0]), float("-inf"))
        return s.softmax(-1) @ v
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "were not scaled" in r.message


def test_mask_on_the_wrong_side_is_diagnosed():
    def wrong(q, k, v):
        s = (q @ k.T / q.shape[-1] ** 0.5).masked_fill(~_past(q.shape[0]).T, float("-inf"))
        return s.softmax(-1) @ v
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "wrong side" in r.message


def test_scaling_by_the_number_of_tokens_is_diagnosed():
    def wrong(q, k, v):
        s = (q @ k.T / q.shape[0] ** 0.5).masked_fill(~_past(q.shape[0]), float("-inf"))
        return s.softmax(-1) @ v
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "√T" in r.message


def test_masking_the_diagonal_too_gets_a_nan_diagnosis():
    def wrong(q, k, v):
        T = q.shape[0]
        s = (q @ k.T / q.shape[-1] ** 0.5).masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(-1), float("-inf"))
        return s.softmax(-1) @ v
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "NaN" in r.message and "see itself" in r.message


def test_returning_the_weights_is_diagnosed():
    def wrong(q, k, v):
        s = (q @ k.T / q.shape[-1] ** 0.5).masked_fill(~_past(q.shape[0]), float("-inf"))
        return s.softmax(-1)
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "multiply them by v" in r.message


def test_changing_the_inputs_is_diagnosed():
    def wrong(q, k, v):
        out = causal_attention(q, k, v)
        q.mul_(2)
        return out
    r = check_exercise("02b.causal_attention", wrong)
    assert not r.passed and "in place" in r.message


def test_the_checker_leaves_the_global_random_state_alone():
    before = torch.random.get_rng_state()
    check_exercise("02b.causal_attention", causal_attention)
    assert torch.equal(before, torch.random.get_rng_state())


def test_a_stub_and_a_crash_get_one_line_not_a_traceback():
    def stub(q, k, v):
        raise NotImplementedError
    assert "not written yet" in check_exercise("02b.causal_attention", stub).message
    r = check_exercise("02b.causal_attention", lambda q, k, v: q.nonexistent())
    assert not r.passed and "raised AttributeError" in r.message and "line" in r.message
