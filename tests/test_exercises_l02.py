"""Lesson 02's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import torch

from course_utils.learn.exercise import check_exercise


def softmax(logits):                        # the worked solution, as in the solutions edition
    z = logits - logits.max(dim=-1, keepdim=True).values   # the largest logit becomes 0: e^z <= 1, no overflow
    e = torch.exp(z)
    return e / e.sum(dim=-1, keepdim=True)


def test_the_worked_solution_passes():
    r = check_exercise("02.softmax", softmax)
    assert r.passed, r.message


def test_no_exp_is_diagnosed():
    r = check_exercise("02.softmax", lambda z: z / z.sum(dim=-1, keepdim=True))
    assert not r.passed and "Softmax exponentiates first" in r.message


def test_wrong_dimension_on_a_batch_is_diagnosed():
    def wrong(z):                            # stable, but normalises down the columns
        e = torch.exp(z - z.max())
        return e / e.sum(dim=0, keepdim=True)
    r = check_exercise("02.softmax", wrong)
    assert not r.passed and "normalised along dimension 0" in r.message and "dim=-1" in r.message


def test_a_hard_coded_dim_1_fails_on_3d_logits():
    def wrong(z):
        if z.dim() == 1:
            return torch.softmax(z, dim=0)
        e = torch.exp(z - z.max())
        return e / e.sum(dim=1, keepdim=True)
    r = check_exercise("02.softmax", wrong)
    assert not r.passed and "normalised along dimension 1" in r.message


def test_overflow_without_subtracting_the_max_is_diagnosed():
    def wrong(z):
        e = torch.exp(z)
        return e / e.sum(dim=-1, keepdim=True)
    r = check_exercise("02.softmax", wrong)
    assert not r.passed and "Subtract the largest logit first" in r.message and "large logits" in r.message


def test_not_dividing_by_the_sum_is_diagnosed():
    r = check_exercise("02.softmax", lambda z: torch.exp(z - z.max(dim=-1, keepdim=True).values))
    assert not r.passed and "not 1" in r.message


def test_normalising_the_whole_batch_is_diagnosed():
    def wrong(z):
        e = torch.exp(z - z.max())
        return e / e.sum()
    r = check_exercise("02.softmax", wrong)
    assert not r.passed and "whole tensor at once" in r.message


def test_forgetting_keepdim_is_diagnosed():
    def wrong(z):
        e = torch.exp(z - z.max(dim=-1).values)
        return e / e.sum(dim=-1)
    r = check_exercise("02.softmax", wrong)
    assert not r.passed and "keepdim=True" in r.message


def test_changing_the_input_is_diagnosed():
    def wrong(z):
        z -= z.max(dim=-1, keepdim=True).values
        return softmax(z)
    r = check_exercise("02.softmax", wrong)
    assert not r.passed and "changed the logits passed in" in r.message


def test_a_stub_is_not_written_yet():
    def stub(logits):
        raise NotImplementedError
    assert "not written yet" in check_exercise("02.softmax", stub).message


def test_the_checker_is_fast_and_leaves_the_global_random_state_alone():
    import time
    state = torch.get_rng_state()
    start = time.perf_counter()
    check_exercise("02.softmax", softmax)
    assert time.perf_counter() - start < 1.0
    assert torch.equal(state, torch.get_rng_state())
