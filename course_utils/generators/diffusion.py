"""A small denoising diffusion model (DDPM, Ho et al. 2020) for vectors of any size.

The data are flat vectors (an 8x8 digit is a vector of 64 numbers; a 2-D point is a vector
of 2), so the same code trains on images and on toy 2-D data. Pieces, in lesson order:

- `NoiseSchedule` / `linear_schedule`: how much noise is added at each of T steps;
- `q_sample`: jump straight to step t, x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) noise;
- `Denoiser`: an MLP that looks at (x_t, t, condition) and predicts the noise that was added;
- `train_diffusion`: the training loop (pick t, add noise, regress the noise; condition dropped
  now and then so one network learns both the conditional and the unconditional model);
- `sample`: start from pure noise and remove it step by step, with classifier-free guidance
  (Ho & Salimans 2022): eps = (1 + w) * eps(x, cond) - w * eps(x, no cond).

Randomness always comes from a `torch.Generator` seeded by the caller. Noise is drawn on the
CPU and moved to the device, so a seed gives the same images on a laptop and on a GPU.
"""
from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass, field
from typing import Callable, NamedTuple, Sequence

import torch
from torch import nn
from tqdm.auto import tqdm

from course_utils.kernel.device import one_cpu_thread
from course_utils.kernel.errors import BadInputError
from course_utils.sampling.logits import guided
from course_utils.training.schedule import cosine_decay
from course_utils.training.log import TrainLog


# ---------------------------------------------------------------- noise schedule
@dataclass(frozen=True)
class NoiseSchedule:
    betas: torch.Tensor        # (T,) variance of the noise added at step t (t = 0..T-1)

    @property
    def T(self) -> int:
        return int(self.betas.shape[0])

    @property
    def alphas(self) -> torch.Tensor:
        return 1.0 - self.betas

    @property
    def alpha_bars(self) -> torch.Tensor:
        """abar_t = prod_{s<=t} (1 - beta_s): the share of the signal's variance left at step t."""
        return torch.cumprod(self.alphas, dim=0)


def linear_schedule(T: int = 200, beta_start: float | None = None, beta_end: float | None = None) -> NoiseSchedule:
    """Linearly increasing betas, as in DDPM.

    DDPM used 1e-4..0.02 over 1000 steps; with fewer steps the betas are scaled by 1000/T so
    the last step is still (almost) pure noise.
    """
    if not isinstance(T, int) or T < 2:
        raise BadInputError(f"T (the number of diffusion steps) must be a whole number >= 2, got {T!r}.")
    scale = 1000.0 / T
    b0 = beta_start if beta_start is not None else 1e-4 * scale
    b1 = beta_end if beta_end is not None else min(0.02 * scale, 0.999)
    if not (0 < b0 <= b1 < 1):
        raise BadInputError(f"Need 0 < beta_start <= beta_end < 1, got {b0} and {b1}.")
    return NoiseSchedule(torch.linspace(b0, b1, T, dtype=torch.float64).float())


def _check_t(t: torch.Tensor, schedule: NoiseSchedule) -> torch.Tensor:
    t = torch.as_tensor(t, dtype=torch.long)
    if t.numel() and (int(t.min()) < 0 or int(t.max()) >= schedule.T):
        raise BadInputError(f"Time steps must lie in 0..{schedule.T - 1}, got {t.min().item()}..{t.max().item()}.")
    return t


def q_mean_std(x0: torch.Tensor, t, schedule: NoiseSchedule) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and standard deviation of q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I)."""
    t = _check_t(t, schedule).to(x0.device)
    abar = schedule.alpha_bars.to(x0.device)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0, (1.0 - abar).sqrt().expand_as(x0)


def q_sample(x0: torch.Tensor, t, noise: torch.Tensor, schedule: NoiseSchedule) -> torch.Tensor:
    """Forward noising in one jump: x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) * noise."""
    mean, std = q_mean_std(x0, t, schedule)
    return mean + std * noise


def randn(shape, generator: torch.Generator, device=None) -> torch.Tensor:
    """Gaussian noise from a CPU generator, moved to `device` (same numbers on every device)."""
    return torch.randn(shape, generator=generator).to(device or "cpu")


# ---------------------------------------------------------------- the denoiser
def timestep_embedding(t: torch.Tensor, dim: int, T: int) -> torch.Tensor:
    """Sinusoidal features of t/T (as in transformers' positions): nearby steps look alike."""
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half, device=t.device) / max(half - 1, 1))
    angles = (t.float() / T * 1000.0)[:, None] * freqs[None, :]
    return torch.cat([angles.sin(), angles.cos()], dim=1)


class _Block(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.lin = nn.Linear(width, width)

    def forward(self, h):
        return h + self.lin(nn.functional.silu(self.norm(h)))  # residual: easy to train deep-ish


class Denoiser(nn.Module):
    """MLP that predicts the noise in x_t, given t and (optionally) a condition vector.

    data_dim: length of one data vector (64 for an 8x8 image, 2 for a point).
    cond_dim: length of the condition vector (384 for a MiniLM text embedding, 10 for a
              one-hot class, 0 for an unconditional model).
    The "no condition" input is a learned vector (`null_cond`), used when the condition is
    dropped in training and for the unconditional half of classifier-free guidance.
    """

    def __init__(self, data_dim: int, cond_dim: int = 0, *, width: int = 256, depth: int = 3,
                 time_dim: int = 64, T: int = 200):
        super().__init__()
        if data_dim < 1 or cond_dim < 0 or width < 1 or depth < 0:
            raise BadInputError("data_dim and width must be positive, cond_dim and depth non-negative.")
        self.data_dim, self.cond_dim, self.T, self.time_dim = data_dim, cond_dim, T, time_dim
        self.inp = nn.Linear(data_dim, width)
        self.time = nn.Sequential(nn.Linear(time_dim, width), nn.SiLU(), nn.Linear(width, width))
        if cond_dim:
            self.cond = nn.Sequential(nn.Linear(cond_dim, width), nn.SiLU(), nn.Linear(width, width))
            self.null_cond = nn.Parameter(torch.zeros(cond_dim))
        self.blocks = nn.Sequential(*[_Block(width) for _ in range(depth)])
        self.out = nn.Sequential(nn.LayerNorm(width), nn.SiLU(), nn.Linear(width, data_dim))

    def forward(self, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor | None = None,
                drop: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, data_dim), t: (B,) ints, cond: (B, cond_dim) or None (= no condition);
        drop: (B,) bools, True where the condition is replaced by the null condition."""
        h = self.inp(x) + self.time_features(t)
        if self.cond_dim:
            h = h + self.cond_features(cond, drop, x.shape[0])
        return self.head(h)

    # the three parts of forward, which `sample` also calls one by one: while sampling, the
    # condition's features stay the same at every step and a step's time features the same at every
    # call, so it computes each only once (the same numbers: the same operations on the same inputs)
    def time_features(self, t: torch.Tensor) -> torch.Tensor:
        return self.time(timestep_embedding(t, self.time_dim, self.T))

    def cond_features(self, cond: torch.Tensor | None, drop: torch.Tensor | None, n: int) -> torch.Tensor:
        if cond is None:
            cond = self.null_cond.expand(n, -1)
        elif drop is not None:
            cond = torch.where(drop[:, None], self.null_cond.expand_as(cond), cond)
        return self.cond(cond)

    def head(self, h: torch.Tensor) -> torch.Tensor:
        return self.out(self.blocks(h))

    def num_parameters(self) -> int:
        """As transformers models have it: every parameter counted once."""
        return sum(p.numel() for p in self.parameters())


# ---------------------------------------------------------------- training
def train_diffusion(model: Denoiser, data: torch.Tensor, schedule: NoiseSchedule, *,
                    cond: torch.Tensor | Callable | None = None, steps: int = 2000,
                    batch_size: int = 128, lr: float = 2e-3, p_uncond: float = 0.1,
                    seed: int = 0, device=None, progress: bool = False,
                    callback: Callable[[int, float], None] | None = None) -> TrainLog:
    """Train `model` to predict the noise, for a fixed number of steps (deterministic per seed).

    data: (N, data_dim). cond: None, a (N, cond_dim) tensor (one condition per example), or a
    function (indices, generator) -> (B, cond_dim) that picks a condition for each example of a
    batch (e.g. one of several phrasings of its digit). p_uncond: share of examples trained with
    the condition dropped, which is what classifier-free guidance needs.
    """
    data = torch.as_tensor(data, dtype=torch.float32)
    if data.dim() != 2 or data.shape[1] != model.data_dim:
        raise BadInputError(f"data must have shape (N, {model.data_dim}), got {tuple(data.shape)}.")
    if steps < 1 or batch_size < 1 or not (0.0 <= p_uncond <= 1.0):
        raise BadInputError("steps and batch_size must be positive and p_uncond in [0, 1].")
    if model.cond_dim and cond is None:
        raise BadInputError("This model expects a condition (cond_dim > 0): pass cond=.")
    if isinstance(cond, torch.Tensor) and cond.shape != (data.shape[0], model.cond_dim):
        raise BadInputError(f"cond must have shape ({data.shape[0]}, {model.cond_dim}), got {tuple(cond.shape)}.")
    device = torch.device(device or next(model.parameters()).device)
    model.to(device).train()
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    # cosine decay: big steps first, fine steps at the end (a clearly better final model)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: cosine_decay(s, steps))
    data_dev = data.to(device)
    abar = schedule.alpha_bars.to(device)
    bar = tqdm(total=steps, desc="training the denoiser", disable=not progress)
    log, t0 = TrainLog(), time.perf_counter()
    with one_cpu_thread(device):
        _train_loop(model, schedule, data, data_dev, abar, cond, gen, opt, sched, steps, batch_size,
                    p_uncond, device, bar, log, callback)
    bar.close()
    model.eval()
    log.seconds = time.perf_counter() - t0
    return log


def _train_loop(model, schedule, data, data_dev, abar, cond, gen, opt, sched, steps, batch_size,
                p_uncond, device, bar, log, callback):
    for step in range(steps):
        idx = torch.randint(0, data.shape[0], (batch_size,), generator=gen)
        t = torch.randint(0, schedule.T, (batch_size,), generator=gen)
        noise = randn((batch_size, model.data_dim), gen, device)
        x0 = data_dev[idx.to(device)]
        a = abar[t.to(device)][:, None]
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        c = drop = None
        if model.cond_dim:
            c = cond[idx] if isinstance(cond, torch.Tensor) else cond(idx, gen)
            c = c.to(device)
            drop = (torch.rand(batch_size, generator=gen) < p_uncond).to(device)
        loss = nn.functional.mse_loss(model(xt, t.to(device), c, drop), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        log.losses.append(loss.item())
        if not bar.disable and (step % 50 == 0 or step == steps - 1):
            bar.update(step + 1 - bar.n)
            bar.set_postfix(loss=f"{log.smoothed()[-1]:.3f}")
        if callback is not None:
            callback(step, log.losses[-1])


# ---------------------------------------------------------------- sampling
@dataclass
class SampleResult:
    x: torch.Tensor                                      # (n, data_dim) the final samples (CPU)
    steps: list[tuple[int, torch.Tensor]] = field(default_factory=list)  # (t, x_t) along the way
    seconds: float = 0.0


def sampling_timesteps(T: int, n_steps: int | None) -> list[int]:
    """Which of the T steps to visit, from T-1 down to 0 (all of them when n_steps is None/T)."""
    if n_steps is None or n_steps >= T:
        return list(range(T - 1, -1, -1))
    if n_steps < 1:
        raise BadInputError(f"The number of sampling steps must be at least 1, got {n_steps}.")
    ts = torch.linspace(T - 1, 0, n_steps).round().long().tolist()
    return sorted(set(ts), reverse=True)


def sample(model: Denoiser, schedule: NoiseSchedule, n: int, *, cond: torch.Tensor | None = None,
           guidance: float = 0.0, n_steps: int | None = None, seed: int = 0, device=None,
           clip: tuple[float, float] | None = None, record: int | Sequence[int] = 0,
           x_T: torch.Tensor | None = None) -> SampleResult:
    """Draw n samples by denoising pure noise, step by step (ancestral DDPM sampling).

    cond: one condition (cond_dim,) for all samples, or (n, cond_dim); None = unconditional.
    guidance: classifier-free guidance weight w; 0 = the plain conditional model, larger w
              pushes samples harder towards the condition (diffusers' guidance_scale = 1 + w).
    n_steps: visit fewer than T steps (a strided schedule, faster, rougher); None = all T.
    clip: (low, high) range of the data (e.g. (-1, 1) for images): the model's guess of the
          clean data is clipped to it at every step, which keeps samples in range.
    record: how many snapshots to keep (evenly spaced, the start and the end included), or an
            explicit list of step indices t (0..T-1). `steps` holds (level, x) pairs, level
            counted as in the DDPM paper: T = pure noise, 0 = the finished sample.
    """
    if n < 1:
        raise BadInputError(f"n (number of samples) must be at least 1, got {n}.")
    if guidance < 0:
        raise BadInputError(f"guidance must be >= 0 (0 = no extra push), got {guidance}.")
    device = torch.device(device or next(model.parameters()).device)
    model.to(device).eval()
    if cond is not None:
        if not model.cond_dim:
            raise BadInputError("This model is unconditional (cond_dim=0): call sample() without cond.")
        cond = torch.as_tensor(cond, dtype=torch.float32)
        cond = cond.expand(n, -1) if cond.dim() == 1 else cond
        if cond.shape != (n, model.cond_dim):
            raise BadInputError(f"cond must have shape ({model.cond_dim},) or ({n}, {model.cond_dim}), got {tuple(cond.shape)}.")
        cond = cond.to(device)
    with one_cpu_thread(device), torch.no_grad():
        return _sample_loop(model, schedule, n, cond, guidance, n_steps, seed, device, clip, record, x_T)


def _sample_loop(model, schedule, n, cond, guidance, n_steps, seed, device, clip, record, x_T):
    gen = torch.Generator().manual_seed(seed)
    t0 = time.perf_counter()
    x = randn((n, model.data_dim), gen, device) if x_T is None else x_T.to(device).clone()
    ts = sampling_timesteps(schedule.T, n_steps)
    keep = _record_set(ts, record)
    predict_noise = _noise_predictor(model, n, cond, guidance, device)
    out = SampleResult(x)
    for i, (t, k) in enumerate(zip(ts, _step_numbers(schedule.alpha_bars.to(device), ts))):
        if t in keep:  # x is x_t here: noise level t + 1 in the paper's 1..T numbering
            out.steps.append((t + 1, x.cpu().clone()))
        eps = predict_noise(x, t)
        # k: this step's numbers, from a_t = abar_t and a_prev = abar of the next step visited (1 after the last)
        x0_hat = (x - k.sqrt_1m_a_t * eps) / k.sqrt_a_t        # (x - sqrt(1 - a_t) eps) / sqrt(a_t)
        if clip is not None:
            x0_hat = x0_hat.clamp(*clip)
        # posterior q(x_prev | x_t, x0_hat) of the forward process, for a jump t -> t_prev, a_step = a_t / a_prev:
        # mean = (sqrt(a_prev) (1 - a_step) x0_hat + sqrt(a_step) (1 - a_prev) x) / (1 - a_t)
        mean = (k.c_x0 * x0_hat + k.c_x * x) / k.one_m_a_t
        if i + 1 < len(ts):
            # variance (1 - a_prev) / (1 - a_t) * (1 - a_step)
            x = mean + k.sigma * randn(x.shape, gen, device)
        else:
            x = mean
    if keep:
        out.steps.append((0, x.cpu().clone()))  # level 0: the finished sample
    out.x, out.seconds = x.cpu(), time.perf_counter() - t0
    return out


class _Step(NamedTuple):
    sqrt_1m_a_t: float
    sqrt_a_t: float
    c_x0: float
    c_x: float
    one_m_a_t: float
    sigma: float


def _step_numbers(abar: torch.Tensor, ts: list[int]) -> list[_Step]:
    """The schedule's numbers in each sampling step's update, for all visited steps at once. Each
    is an elementwise float operation on the same float32 inputs, so it is, bit for bit, the
    number the formula gives when computed at its own step; as Python floats (float32 values held
    exactly) they enter each step's tensor arithmetic as the 0-d tensors did, without a tensor per
    number (tests/test_diffusion_exact_speedups.py)."""
    a_t = abar[torch.tensor(ts, dtype=torch.long, device=abar.device)]
    a_prev = torch.cat([a_t[1:], torch.ones(1, dtype=abar.dtype, device=abar.device)])
    a_step = a_t / a_prev
    cols = ((1 - a_t).sqrt(), a_t.sqrt(), a_prev.sqrt() * (1 - a_step), a_step.sqrt() * (1 - a_prev), 1 - a_t,
            ((1 - a_prev) / (1 - a_t) * (1 - a_step)).sqrt())
    return [_Step(*row) for row in zip(*(c.tolist() for c in cols))]


def _noise_predictor(model, n: int, cond, w: float, device):
    """(x, t) -> the guided noise guess of `_guided_eps`, with the same numbers. For a Denoiser, with
    less work per step: the condition's features (the same at every step) are computed once, and
    each step's time features are kept between calls (`_time_features`). Any other model (or a
    Denoiser with its own forward or a hook on it): `_guided_eps`, step by step."""
    if not (isinstance(model, Denoiser) and type(model).forward is Denoiser.forward
            and not model._forward_hooks and not model._forward_pre_hooks):
        return lambda x, t: _guided_eps(model, x, torch.full((n,), t, device=device, dtype=torch.long), cond, w)
    paired = cond is not None and w != 0      # one batched pass: with the condition, then without
    rows = 2 * n if paired else n
    features = None
    if model.cond_dim:
        if paired:
            drop = torch.cat([torch.zeros(n, dtype=torch.bool, device=device),
                              torch.ones(n, dtype=torch.bool, device=device)])
            features = model.cond_features(torch.cat([cond, cond]), drop, rows)
        else:
            features = model.cond_features(cond, None, n)
    time_features = _time_features(model, rows, device)

    def predict(x, t):
        h = model.inp(torch.cat([x, x]) if paired else x) + time_features(t)
        if features is not None:
            h = h + features
        eps = model.head(h)
        if not paired:
            return eps
        eps_c, eps_u = eps.chunk(2)
        return guided(eps_c, eps_u, w)
    return predict


_TIME_MEMO: dict = {}          # the last sampled model's time features, per step (one model at a time)
TIME_MEMO_BYTES = 16 * 2**20   # at most this much (the widget's 16 digits: 6.6 MB); larger: per step


def _time_features(model: Denoiser, rows: int, device):
    """t -> model.time_features(t for each of `rows` rows), kept between calls while the model's time
    network is unchanged (its parameters compared bit for bit each call): a guidance or seed that
    the widget has not drawn yet skips that part of every step."""
    param = next(model.parameters())
    size = rows * model.T * model.inp.out_features * param.element_size()

    def compute(t):
        return model.time_features(torch.full((rows,), t, device=device, dtype=torch.long))
    if size > TIME_MEMO_BYTES:
        return compute
    key = (rows, str(device), param.dtype, model.T, model.time_dim)
    weights = [p.detach() for p in model.time.parameters()]
    memo = _TIME_MEMO.get("last")
    if (memo is None or memo["model"]() is not model or memo["key"] != key
            or not all(torch.equal(a, b) for a, b in zip(memo["weights"], weights))):
        memo = {"model": weakref.ref(model), "key": key, "weights": [w.clone() for w in weights], "steps": {}}
        _TIME_MEMO["last"] = memo
    steps = memo["steps"]

    def features(t):
        if t not in steps:
            steps[t] = compute(t)
        return steps[t]
    return features


def _guided_eps(model, x, t, cond, w):
    if cond is None:
        return model(x, t, None)
    if w == 0:
        return model(x, t, cond)
    # one batched pass for both: first half with the condition, second half without
    drop = torch.cat([torch.zeros(len(x), dtype=torch.bool, device=x.device),
                      torch.ones(len(x), dtype=torch.bool, device=x.device)])
    eps = model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([cond, cond]), drop)
    eps_c, eps_u = eps.chunk(2)
    return guided(eps_c, eps_u, w)


def _record_set(ts: list[int], record) -> set[int]:
    """Step indices whose input x_t is kept (the finished sample is always added)."""
    if isinstance(record, int):
        if record <= 1:
            return set() if record <= 0 else {-1}
        picks = torch.linspace(0, len(ts), min(record, len(ts) + 1)).round().long().tolist()
        return {ts[i] if i < len(ts) else -1 for i in picks}
    return set(int(t) for t in record) | {-1}
