"""Mode collapse, measured: a tiny GAN on a ring of 2-D Gaussians, and a coverage metric.

    data = ring_data(2000, seed=0)                      # 8 tight clusters on a circle
    run = train_gan(data, steps=1500, seed=0)           # snapshots of samples during training
    mode_coverage(run.samples, ring_centers())          # modes hit, share of good samples

A GAN's generator is rewarded for fooling the discriminator, not for covering the data, so it
can settle on a few clusters (mode collapse). A diffusion model (course_utils.generators.diffusion)
learns to denoise every training point, so it tends to cover all of them; the notebook
measures both with the same metric. Everything is seeded: same seed, same numbers.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch
from torch import nn

from course_utils.kernel.seed import seeded
from course_utils.kernel.errors import BadInputError


# ---------------------------------------------------------------- data and metric
def ring_centers(n_modes: int = 8, radius: float = 2.0) -> torch.Tensor:
    """(n_modes, 2) centres evenly spaced on a circle, the first at angle 0."""
    if not isinstance(n_modes, int) or n_modes < 1 or radius <= 0:
        raise BadInputError("n_modes must be a whole number >= 1 and radius positive.")
    angles = 2 * math.pi * torch.arange(n_modes, dtype=torch.float64) / n_modes
    return torch.stack([angles.cos(), angles.sin()], 1).float() * radius


def ring_data(n: int, n_modes: int = 8, radius: float = 2.0, std: float = 0.05, seed: int = 0) -> torch.Tensor:
    """n points, equally many per mode (n // n_modes each, rest spread), each N(centre, std²)."""
    if n < n_modes:
        raise BadInputError(f"n ({n}) must be at least n_modes ({n_modes}) so every mode gets a point.")
    gen = torch.Generator().manual_seed(seed)
    which = torch.arange(n) % n_modes
    return ring_centers(n_modes, radius)[which] + std * torch.randn(n, 2, generator=gen)


@dataclass
class Coverage:
    modes_covered: int          # modes holding at least min_share of the samples (within `radius`)
    n_modes: int
    share_near_mode: float      # share of all samples within `radius` of some centre ("good" samples)
    counts: list[int]           # samples near each mode

    @property
    def effective_modes(self) -> float:
        """exp(entropy) of how the good samples split over modes: n_modes when perfectly even,
        1 when they all sit in one mode (a collapse that 'modes_covered' alone can hide)."""
        total = sum(self.counts)
        if total == 0:
            return 0.0
        p = [k / total for k in self.counts if k]
        return float(math.exp(-sum(q * math.log(q) for q in p)))

    def __str__(self) -> str:
        return (f"{self.modes_covered}/{self.n_modes} modes covered, "
                f"{self.share_near_mode:.0%} of samples near a mode, {self.effective_modes:.1f} effective modes")


def mode_coverage(samples, centers, radius: float = 0.15, min_share: float = 0.01) -> Coverage:
    """Which modes the samples reach. A sample belongs to its nearest centre if it is within
    `radius` (default 0.15 = 3 × the default data std of 0.05); a mode counts as covered when it holds at least
    `min_share` of all samples (1 %: a stray point or two do not count)."""
    x = torch.as_tensor(samples, dtype=torch.float32)
    c = torch.as_tensor(centers, dtype=torch.float32)
    if x.dim() != 2 or c.dim() != 2 or x.shape[1] != c.shape[1] or len(x) == 0:
        raise BadInputError(f"samples (N, d) and centers (K, d) must be 2-D with the same d, "
                            f"got {tuple(x.shape)} and {tuple(c.shape)}.")
    if radius <= 0 or not (0 <= min_share <= 1):
        raise BadInputError("radius must be positive and min_share in [0, 1].")
    dist = torch.cdist(x, c)
    nearest_d, nearest = dist.min(1)
    good = nearest_d <= radius
    counts = torch.bincount(nearest[good], minlength=len(c)).tolist()
    covered = sum(k >= max(1, min_share * len(x)) for k in counts)
    return Coverage(int(covered), len(c), float(good.float().mean()), counts)


# ---------------------------------------------------------------- the GAN
def _mlp(inp: int, out: int, width: int, depth: int) -> nn.Sequential:
    layers, d = [], inp
    for _ in range(depth):
        layers += [nn.Linear(d, width), nn.LeakyReLU(0.2)]
        d = width
    return nn.Sequential(*layers, nn.Linear(d, out))


@dataclass
class GANRun:
    generator: nn.Module
    discriminator: nn.Module
    snapshots: list[tuple[int, torch.Tensor]] = field(default_factory=list)  # (step, samples)
    d_losses: list[float] = field(default_factory=list)
    g_losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    z_dim: int = 2

    @property
    def samples(self) -> torch.Tensor:
        """Samples of the final generator (the last snapshot)."""
        return self.snapshots[-1][1]


@torch.no_grad()
def gan_sample(generator: nn.Module, n: int, z_dim: int = 2, seed: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    generator.eval()
    out = generator(torch.randn(n, z_dim, generator=gen))
    generator.train()
    return out


def train_gan(data, *, steps: int = 1500, lr: float = 1e-3, batch_size: int = 256, z_dim: int = 2,
              width: int = 128, depth: int = 2, instance_noise: float = 0.0, loss: str = "bce",
              n_snapshots: int = 5, n_eval: int = 1000, seed: int = 0) -> GANRun:
    """Train generator and discriminator in turn (one step each), Adam(β1=0.5) as in DCGAN.

    instance_noise: std of Gaussian noise added to real and fake points before the
    discriminator sees them (blurs the target so the discriminator's gradients stay useful).
    loss: "bce" (the original non-saturating GAN loss) or "hinge".
    Snapshots of n_eval samples (fixed latent vectors) are kept at evenly spaced steps.
    """
    data = torch.as_tensor(data, dtype=torch.float32)
    if data.dim() != 2 or len(data) < 2:
        raise BadInputError(f"data must have shape (N, d) with N >= 2, got {tuple(data.shape)}.")
    if steps < 1 or batch_size < 1 or lr <= 0 or instance_noise < 0:
        raise BadInputError("steps, batch_size and lr must be positive and instance_noise >= 0.")
    if loss not in ("bce", "hinge"):
        raise BadInputError(f"loss must be 'bce' or 'hinge', got {loss!r}.")
    with seeded(seed):   # init from the seed, global RNG left alone
        G, D = _mlp(z_dim, data.shape[1], width, depth), _mlp(data.shape[1], 1, width, depth)
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    gen = torch.Generator().manual_seed(seed + 1)
    z_fixed = torch.randn(n_eval, z_dim, generator=torch.Generator().manual_seed(seed + 2))
    snap_at = {round(s) for s in torch.linspace(0, steps, max(2, n_snapshots)).tolist()}
    run = GANRun(G, D, z_dim=z_dim)
    bce = nn.functional.binary_cross_entropy_with_logits

    def noisy(x):
        return x + instance_noise * torch.randn(x.shape, generator=gen) if instance_noise else x

    def snapshot(step):
        with torch.no_grad():
            run.snapshots.append((step, G(z_fixed).clone()))

    t0 = time.perf_counter()
    for step in range(steps + 1):
        if step in snap_at:
            snapshot(step)
        if step == steps:
            break
        real = data[torch.randint(0, len(data), (batch_size,), generator=gen)]
        fake = G(torch.randn(batch_size, z_dim, generator=gen))
        d_real, d_fake = D(noisy(real)), D(noisy(fake.detach()))
        if loss == "bce":
            d_loss = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
        else:
            d_loss = torch.relu(1 - d_real).mean() + torch.relu(1 + d_fake).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        d_gen = D(noisy(fake))
        g_loss = bce(d_gen, torch.ones_like(d_gen)) if loss == "bce" else -d_gen.mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        run.d_losses.append(d_loss.item())
        run.g_losses.append(g_loss.item())
    run.seconds = time.perf_counter() - t0
    return run
