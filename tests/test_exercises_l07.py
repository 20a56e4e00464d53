"""Lesson 07's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import torch

from course_utils.learn.exercise import check_exercise


def add_noise(x0, noise, t, betas):           # the worked solution, as in the solutions edition
    alpha_bar = torch.cumprod(1 - betas, dim=0)[t][:, None]      # one ᾱ_t per row, shape (B, 1)
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise


def _weights(signal, noise_weight):
    def fn(x0, noise, t, betas):
        return signal(betas)[t][:, None] * x0 + noise_weight(betas)[t][:, None] * noise
    return fn


def test_the_worked_solution_passes():
    assert check_exercise("07.add_noise", add_noise).passed


def test_beta_instead_of_alpha_bar_is_diagnosed():
    r = check_exercise("07.add_noise", _weights(lambda b: b.sqrt(), lambda b: (1 - b).sqrt()))
    assert not r.passed and "it used β_t where ᾱ_t belongs" in r.message


def test_alpha_t_instead_of_the_cumulative_product_is_diagnosed():
    r = check_exercise("07.add_noise", _weights(lambda b: (1 - b).sqrt(), lambda b: b.sqrt()))
    assert not r.passed and "the product over all steps" in r.message


def test_missing_square_roots_are_diagnosed():
    abar = lambda b: torch.cumprod(1 - b, 0)
    r = check_exercise("07.add_noise", _weights(abar, lambda b: 1 - abar(b)))
    assert not r.passed and "the weights are the square roots" in r.message


def test_swapped_weights_are_diagnosed():
    abar = lambda b: torch.cumprod(1 - b, 0)
    r = check_exercise("07.add_noise", _weights(lambda b: (1 - abar(b)).sqrt(), lambda b: abar(b).sqrt()))
    assert not r.passed and "weights are swapped" in r.message


def test_an_off_by_one_step_is_diagnosed():
    def wrong(x0, noise, t, betas):
        abar = torch.cumprod(torch.cat([torch.ones(1), 1 - betas[:-1]]), 0)[t][:, None]   # excludes step t
        return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
    r = check_exercise("07.add_noise", wrong)
    assert not r.passed and "one step behind" in r.message


def test_forgetting_one_level_per_row_is_diagnosed():
    def wrong(x0, noise, t, betas):
        abar = torch.cumprod(1 - betas, 0)[t]            # shape (B,): does not combine with (B, D)
        return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
    r = check_exercise("07.add_noise", wrong)
    assert not r.passed and "reshape it to (3, 1)" in r.message
    r = check_exercise("07.add_noise", lambda x0, noise, t, betas: add_noise(x0, noise, t[:1].expand(len(t)), betas))
    assert not r.passed and "the noise level of the first t" in r.message


def test_a_stub_gets_one_line():
    def stub(x0, noise, t, betas):
        raise NotImplementedError
    assert "not written yet" in check_exercise("07.add_noise", stub).message
