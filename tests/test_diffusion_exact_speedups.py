"""The image widget's faster sampling path gives, bit for bit, what the plain step-by-step loop gave.

`diffusion.sample` computes the condition's features once per call, each step's time features once
per model (kept between calls) and the schedule's numbers for all steps at once. `_reference_sample`
below is the loop as it was before (every step: the whole Denoiser on the condition, the time and x;
the schedule's numbers at that step); both must give the same samples and the same recorded steps,
exactly (torch.equal), for every kind of call. So lesson 07's stored outputs did not change.
"""
import pytest
import torch

from course_utils.generators import diffusion


def _reference_sample(model, schedule, n, *, cond=None, guidance=0.0, n_steps=None, seed=0, clip=None,
                      record=0, x_T=None):
    """diffusion.sample's loop before the speed-ups (CPU), kept as the reference."""
    model.eval()
    if cond is not None:
        cond = torch.as_tensor(cond, dtype=torch.float32)
        cond = cond.expand(n, -1) if cond.dim() == 1 else cond
    with diffusion.one_cpu_thread("cpu"), torch.no_grad():
        gen = torch.Generator().manual_seed(seed)
        x = diffusion.randn((n, model.data_dim), gen) if x_T is None else x_T.clone()
        ts = diffusion.sampling_timesteps(schedule.T, n_steps)
        keep = diffusion._record_set(ts, record)
        abar = schedule.alpha_bars
        out = diffusion.SampleResult(x)
        for i, t in enumerate(ts):
            if t in keep:
                out.steps.append((t + 1, x.clone()))
            t_prev = ts[i + 1] if i + 1 < len(ts) else -1
            tt = torch.full((n,), t, dtype=torch.long)
            eps = diffusion._guided_eps(model, x, tt, cond, guidance)
            a_t = abar[t]
            a_prev = abar[t_prev] if t_prev >= 0 else torch.tensor(1.0)
            x0_hat = (x - (1 - a_t).sqrt() * eps) / a_t.sqrt()
            if clip is not None:
                x0_hat = x0_hat.clamp(*clip)
            a_step = a_t / a_prev
            mean = (a_prev.sqrt() * (1 - a_step) * x0_hat + a_step.sqrt() * (1 - a_prev) * x) / (1 - a_t)
            if t_prev >= 0:
                var = (1 - a_prev) / (1 - a_t) * (1 - a_step)
                x = mean + var.sqrt() * diffusion.randn(x.shape, gen)
            else:
                x = mean
        if keep:
            out.steps.append((0, x.clone()))
        out.x = x
        return out


def _assert_identical(a, b):
    assert torch.equal(a.x, b.x)
    assert [lvl for lvl, _ in a.steps] == [lvl for lvl, _ in b.steps]
    assert all(torch.equal(p, q) for (_, p), (_, q) in zip(a.steps, b.steps))


@pytest.fixture(scope="module")
def widget_sized():
    """The lesson's denoiser shape (64 pixels, a 384-long MiniLM vector, width 256, depth 3, T 200),
    trained a little so its outputs are not those of fresh weights."""
    torch.manual_seed(0)
    model = diffusion.Denoiser(64, 384, width=256, depth=3, T=200)
    data = torch.randn(256, 64, generator=torch.Generator().manual_seed(1)).clamp(-1, 1)
    cond = torch.randn(256, 384, generator=torch.Generator().manual_seed(2))
    schedule = diffusion.linear_schedule(200)
    diffusion.train_diffusion(model, data, schedule, cond=cond, steps=30, batch_size=64, seed=0)
    return model, schedule, cond


def test_sampling_matches_the_step_by_step_loop_exactly(widget_sized):
    model, schedule, conds = widget_sized
    calls = 0
    for n in (16, 3, 1):                         # 16: the widget's; others: the time memo is rebuilt
        for guidance in (0.0, 0.5, 2.0, 6.0):
            for seed in (0, 7):
                for n_steps in (200, 40, 5, 1):
                    kw = dict(cond=conds[seed], guidance=guidance, n_steps=n_steps, seed=seed,
                              clip=(-1.0, 1.0), record=6)
                    _assert_identical(diffusion.sample(model, schedule, n, **kw),
                                      _reference_sample(model, schedule, n, **kw))
                    calls += 1
    # one condition per sample, no condition, no clipping, explicit record steps, a given x_T
    _assert_identical(diffusion.sample(model, schedule, 4, cond=conds[:4], guidance=1.5, seed=3, record=[199, 100, 3]),
                      _reference_sample(model, schedule, 4, cond=conds[:4], guidance=1.5, seed=3, record=[199, 100, 3]))
    _assert_identical(diffusion.sample(model, schedule, 5, seed=2, clip=(-1, 1), record=4),
                      _reference_sample(model, schedule, 5, seed=2, clip=(-1, 1), record=4))
    x_T = torch.randn(6, 64, generator=torch.Generator().manual_seed(9))
    _assert_identical(diffusion.sample(model, schedule, 6, cond=conds[5], guidance=2.0, seed=1, x_T=x_T, n_steps=50),
                      _reference_sample(model, schedule, 6, cond=conds[5], guidance=2.0, seed=1, x_T=x_T, n_steps=50))
    assert calls == 96


def test_time_memo_follows_the_model_weights(widget_sized):
    """The time features kept between calls are dropped when the weights change (training,
    load_state_dict, an in-place edit) or another model samples: never a stale number."""
    _, schedule, conds = widget_sized
    torch.manual_seed(3)
    model = diffusion.Denoiser(64, 384, width=64, depth=1, T=200)
    kw = dict(cond=conds[0], guidance=2.0, n_steps=20, seed=0, clip=(-1.0, 1.0))
    first = diffusion.sample(model, schedule, 16, **kw)
    _assert_identical(first, _reference_sample(model, schedule, 16, **kw))
    data = torch.randn(64, 64, generator=torch.Generator().manual_seed(1))
    diffusion.train_diffusion(model, data, schedule, cond=conds[:64], steps=5, batch_size=16, seed=0)   # trained on
    after = diffusion.sample(model, schedule, 16, **kw)
    _assert_identical(after, _reference_sample(model, schedule, 16, **kw))
    assert not torch.equal(first.x, after.x)
    with torch.no_grad():                                            # an in-place edit of the time network
        model.time[0].weight.data.mul_(1.5)
    _assert_identical(diffusion.sample(model, schedule, 16, **kw), _reference_sample(model, schedule, 16, **kw))
    other = diffusion.Denoiser(64, 384, width=64, depth=1, T=200)            # another model of the same shape
    other.load_state_dict(model.state_dict())
    with torch.no_grad():
        other.time[2].bias.add_(0.1)
    _assert_identical(diffusion.sample(other, schedule, 16, **kw), _reference_sample(other, schedule, 16, **kw))
    _assert_identical(diffusion.sample(model, schedule, 16, **kw), _reference_sample(model, schedule, 16, **kw))


def test_other_models_and_hooks_take_the_plain_path():
    """A model that is not a plain Denoiser (its own forward) or has a forward hook is called as a
    whole at every step, as before."""
    class Shifted(diffusion.Denoiser):
        def forward(self, x, t, cond=None, drop=None):
            return super().forward(x, t, cond, drop) + 0.5

    schedule = diffusion.linear_schedule(20)
    torch.manual_seed(0)
    model = Shifted(4, 3, width=16, depth=1, T=20)
    cond = torch.randn(3)
    _assert_identical(diffusion.sample(model, schedule, 5, cond=cond, guidance=1.0, seed=0),
                      _reference_sample(model, schedule, 5, cond=cond, guidance=1.0, seed=0))
    plain = diffusion.Denoiser(4, 3, width=16, depth=1, T=20)
    seen = []
    handle = plain.register_forward_hook(lambda *_: seen.append(1))
    diffusion.sample(plain, schedule, 2, cond=cond, guidance=1.0, seed=0)
    handle.remove()
    assert len(seen) == 20                                           # one call per step
