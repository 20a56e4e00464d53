"""The small DDPM: schedule and forward noising against hand-computed formulas, shapes,
determinism under a seed, and a conditioning-accuracy floor on a model trained here."""
import math

import numpy as np
import pytest
import torch

import course_utils as cu
from course_utils.generators import diffusion
from course_utils.data import digits


def test_linear_schedule_ends_in_almost_pure_noise():
    s = diffusion.linear_schedule(200)
    assert s.T == 200 and s.betas.shape == (200,)
    assert torch.all(s.betas[1:] > s.betas[:-1])                    # increasing
    assert s.alpha_bars[0] > 0.99 and s.alpha_bars[-1] < 1e-3       # clean at t=0, noise at T
    with pytest.raises(cu.BadInputError, match="T"):
        diffusion.linear_schedule(1)


def test_forward_noising_matches_the_closed_form_computed_by_hand():
    s = diffusion.linear_schedule(100)
    betas = [float(b) for b in s.betas]
    x0 = torch.tensor([[0.5, -1.0, 2.0]])
    for t in (0, 10, 57, 99):
        abar = 1.0
        for b in betas[: t + 1]:          # product of (1 - beta) up to and including step t
            abar *= 1.0 - b
        mean, std = diffusion.q_mean_std(x0, torch.tensor([t]), s)
        assert torch.allclose(mean, torch.tensor(math.sqrt(abar)) * x0, atol=1e-5)
        assert torch.allclose(std, torch.full_like(x0, math.sqrt(1.0 - abar)), atol=1e-5)
        # and the sampled x_t really has that mean and variance (200k draws)
        gen = torch.Generator().manual_seed(t)
        n = 200_000
        noise = torch.randn(n, 3, generator=gen)
        xt = diffusion.q_sample(x0.expand(n, -1), torch.full((n,), t), noise, s)
        assert np.allclose(xt.mean(0).numpy(), math.sqrt(abar) * x0[0].numpy(), atol=0.01)
        assert np.allclose(xt.var(0).numpy(), 1.0 - abar, atol=0.01)
    with pytest.raises(cu.BadInputError, match="0..99"):
        diffusion.q_mean_std(x0, torch.tensor([100]), s)


@pytest.mark.parametrize("data_dim,cond_dim", [(2, 0), (64, 10), (5, 384)])
def test_shapes_for_any_data_size(data_dim, cond_dim):
    s = diffusion.linear_schedule(20)
    torch.manual_seed(0)
    m = diffusion.Denoiser(data_dim, cond_dim, width=32, depth=1, T=20)
    x = torch.randn(7, data_dim)
    t = torch.randint(0, 20, (7,))
    c = torch.randn(7, cond_dim) if cond_dim else None
    assert m(x, t, c).shape == (7, data_dim)
    res = diffusion.sample(m, s, 7, cond=c, guidance=1.0 if cond_dim else 0.0, record=4)
    assert res.x.shape == (7, data_dim)
    levels = [lvl for lvl, _ in res.steps]
    assert levels[0] == 20 and levels[-1] == 0 and len(levels) == 4
    assert all(x.shape == (7, data_dim) for _, x in res.steps)


def test_guidance_zero_is_the_plain_conditional_model_and_strided_steps():
    torch.manual_seed(0)
    m = diffusion.Denoiser(4, 3, width=16, depth=1, T=30).eval()
    x, t, c = torch.randn(5, 4), torch.randint(0, 30, (5,)), torch.randn(5, 3)
    with torch.no_grad():
        assert torch.allclose(diffusion._guided_eps(m, x, t, c, 0.0), m(x, t, c))
        e_c, e_u = m(x, t, c), m(x, t, None)
        assert torch.allclose(diffusion._guided_eps(m, x, t, c, 2.0), 3 * e_c - 2 * e_u, atol=1e-5)
    ts = diffusion.sampling_timesteps(30, 10)
    assert ts[0] == 29 and ts[-1] == 0 and len(ts) == 10 and ts == sorted(ts, reverse=True)
    assert diffusion.sampling_timesteps(30, None) == list(range(29, -1, -1))
    with pytest.raises(cu.BadInputError, match="guidance"):
        diffusion.sample(m, diffusion.linear_schedule(30), 2, cond=c[0], guidance=-1)


def test_training_and_sampling_repeat_exactly_under_a_seed():
    data = torch.randn(64, 2) * 0.3 + 1.0
    s = diffusion.linear_schedule(20)

    def run(seed):
        torch.manual_seed(0)
        m = diffusion.Denoiser(2, 0, width=32, depth=1, T=20)
        log = diffusion.train_diffusion(m, data, s, steps=30, batch_size=16, seed=seed)
        return log.losses, diffusion.sample(m, s, 8, seed=seed).x

    a, b, c = run(1), run(1), run(2)
    assert a[0] == b[0] and torch.equal(a[1], b[1])
    assert a[0] != c[0] and not torch.equal(a[1], c[1])


def test_unconditional_model_learns_a_2d_distribution():
    """Generic data: points on a circle of radius 2; samples should land near it."""
    gen = torch.Generator().manual_seed(0)
    angle = torch.rand(2000, generator=gen) * 2 * math.pi
    data = torch.stack([2 * angle.cos(), 2 * angle.sin()], 1)
    s = diffusion.linear_schedule(50)
    torch.manual_seed(0)
    m = diffusion.Denoiser(2, 0, width=64, depth=2, T=50)
    diffusion.train_diffusion(m, data, s, steps=600, batch_size=128, seed=0)
    r = diffusion.sample(m, s, 500, seed=1).x.norm(dim=1)
    noise_r = torch.randn(500, 2, generator=gen).norm(dim=1)       # what untrained sampling gives
    assert (r - 2).abs().median() < 0.3 < (noise_r - 2).abs().median()


def test_class_conditional_digits_follow_the_condition():
    """A conditioning-accuracy floor on a model trained in the test (small budget)."""
    data = digits.load_digit_data()
    onehot = torch.nn.functional.one_hot(data.y, 10).float()
    s = diffusion.linear_schedule(100)
    torch.manual_seed(0)
    m = diffusion.Denoiser(64, 10, width=192, depth=2, T=100)
    diffusion.train_diffusion(m, data.x, s, cond=onehot, steps=500, batch_size=128, seed=0)
    judge = digits.digit_judge()
    assert judge.test_accuracy > 0.95                  # the judge itself reads real digits well
    eye = torch.eye(10)
    acc = np.mean([digits.agreement(diffusion.sample(m, s, 20, cond=eye[d], guidance=3.0, seed=d, clip=(-1, 1)).x, d, judge)
                   for d in range(10)])
    assert acc > 0.6, acc
    # with no condition the same model spreads over many digits (it is the condition that selects)
    free = diffusion.sample(m, s, 100, seed=0, clip=(-1, 1)).x
    assert digits.label_entropy(judge.predict(free)) > 2.0


def test_bad_inputs_get_clear_messages():
    m = diffusion.Denoiser(64, 10, width=16, depth=1)
    s = diffusion.linear_schedule(200)
    with pytest.raises(cu.BadInputError, match="shape"):
        diffusion.train_diffusion(m, torch.zeros(10, 3), s, cond=torch.zeros(10, 10), steps=1)
    with pytest.raises(cu.BadInputError, match="condition"):
        diffusion.train_diffusion(m, torch.zeros(10, 64), s, steps=1)
    with pytest.raises(cu.BadInputError, match="at least 1"):
        diffusion.sample(m, s, 0)
    with pytest.raises(cu.BadInputError, match="two samples"):
        digits.mean_pairwise_distance(torch.zeros(1, 64))


def test_diversity_measures_against_hand_values():
    assert digits.label_entropy([3, 3, 3, 3]) == 0.0
    assert abs(digits.label_entropy(list(range(10))) - math.log2(10)) < 1e-9
    x = torch.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]])
    # pairs: 5, 0, 5 (each counted twice) -> mean over 6 ordered pairs = 20 / 6
    assert abs(digits.mean_pairwise_distance(x) - 20 / 6) < 1e-6


class _FixedEps(torch.nn.Module):
    """A stand-in denoiser whose noise guess is a fixed function of x and t."""
    cond_dim, data_dim = 0, 3

    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor(0.3))

    def forward(self, x, t, cond=None, drop=None):
        return self.scale * x + 0.01 * t[:, None].float()


def test_sampling_step_is_ho_et_al_algorithm_2():
    """The twin of the hand-written posterior step: DDPM's Algorithm 2 (Ho et al. 2020) in its
    noise form, x_{t-1} = (x_t - beta_t / sqrt(1 - abar_t) * eps) / sqrt(alpha_t) + sigma_t z with
    sigma_t^2 = beta~_t, on the same noise draws. Ours goes through the predicted x0 instead."""
    sched = diffusion.linear_schedule(T=6)
    model, x_T = _FixedEps(), torch.randn(4, 3, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        ours = diffusion.sample(model, sched, 4, seed=5, x_T=x_T).x
        gen, x = torch.Generator().manual_seed(5), x_T.clone()
        abar, beta = sched.alpha_bars, sched.betas
        for t in range(sched.T - 1, -1, -1):
            eps = model(x, torch.full((4,), t))
            mean = (x - beta[t] / (1 - abar[t]).sqrt() * eps) / (1 - beta[t]).sqrt()
            if t > 0:
                sigma = ((1 - abar[t - 1]) / (1 - abar[t]) * beta[t]).sqrt()
                x = mean + sigma * torch.randn(x.shape, generator=gen)
            else:
                x = mean
    torch.testing.assert_close(ours, x, atol=1e-5, rtol=1e-5)
