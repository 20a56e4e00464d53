"""Lesson 05's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import torch

from course_utils.learn.exercise import check_exercise


def top_p_filter(probs, p):                 # the worked solution, as in the solutions edition
    sorted_probs, order = torch.sort(probs, descending=True)
    before = torch.cumsum(sorted_probs, dim=0) - sorted_probs   # mass of the tokens ranked above
    keep = before < p                                           # the token that crosses p stays
    out = torch.zeros_like(probs)
    out[order[keep]] = sorted_probs[keep]
    return out / out.sum()


def test_the_worked_solution_passes():
    assert check_exercise("05.top_p", top_p_filter).passed


def test_stopping_before_p_is_diagnosed():
    def wrong(probs, p):
        s, order = torch.sort(probs, descending=True)
        keep = torch.cumsum(s, 0) <= p                 # drops the token that crosses p
        out = torch.zeros_like(probs)
        out[order[keep]] = s[keep]
        return out / out.sum().clamp_min(1e-12)
    r = check_exercise("05.top_p", wrong)
    assert not r.passed and "the token that crosses p stays in" in r.message


def test_forgetting_to_sort_is_diagnosed():
    def wrong(probs, p):
        keep = (torch.cumsum(probs, 0) - probs) < p    # vocabulary order, not probability order
        out = probs * keep
        return out / out.sum()
    r = check_exercise("05.top_p", wrong)
    assert not r.passed and "Sort by probability first" in r.message


def test_forgetting_to_renormalise_is_diagnosed():
    def wrong(probs, p):
        return top_p_filter(probs, p) * probs[top_p_filter(probs, p) > 0].sum()
    r = check_exercise("05.top_p", wrong)
    assert not r.passed and "Divide the kept ones by their sum" in r.message


def test_removing_every_token_is_diagnosed():
    r = check_exercise("05.top_p", lambda probs, p: torch.zeros_like(probs))
    assert not r.passed and "The most likely token must always stay" in r.message


def test_changing_the_input_is_diagnosed():
    def wrong(probs, p):
        out = top_p_filter(probs, p)
        probs.mul_(0)
        return out
    r = check_exercise("05.top_p", wrong)
    assert not r.passed and "changed the probabilities passed in" in r.message


def test_a_stub_and_a_crash_get_one_line_not_a_traceback():
    def stub(probs, p):
        raise NotImplementedError
    assert "not written yet" in check_exercise("05.top_p", stub).message
    r = check_exercise("05.top_p", lambda probs, p: probs.nonexistent())
    assert not r.passed and "raised AttributeError" in r.message and "line" in r.message
