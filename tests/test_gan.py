"""Toy data, the mode-coverage metric (on hand-made samples) and a deterministic tiny GAN."""
import math

import pytest
import torch

from course_utils.generators import gan
from course_utils.kernel.errors import BadInputError


def test_ring_centers_and_data():
    c = gan.ring_centers(4, radius=2.0)
    assert torch.allclose(c, torch.tensor([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]]), atol=1e-6)
    x = gan.ring_data(800, n_modes=4, std=0.05, seed=0)
    assert x.shape == (800, 2)
    d = torch.cdist(x, c).min(1).values
    assert d.mean() == pytest.approx(0.05 * math.sqrt(math.pi / 2), rel=0.15)  # mean of a 2-D Gaussian's radius
    assert torch.equal(x, gan.ring_data(800, n_modes=4, std=0.05, seed=0))


def test_mode_coverage_on_hand_made_samples():
    c = gan.ring_centers(8)
    on_four = c[:4].repeat(25, 1)                         # 100 samples, exactly on modes 0-3
    cov = gan.mode_coverage(on_four, c)
    assert (cov.modes_covered, cov.share_near_mode, cov.counts) == (4, 1.0, [25, 25, 25, 25, 0, 0, 0, 0])
    assert cov.effective_modes == pytest.approx(4.0)
    far = torch.zeros(100, 2)                             # the centre of the ring: near no mode
    cov = gan.mode_coverage(torch.cat([on_four, far]), c)
    assert cov.modes_covered == 4 and cov.share_near_mode == 0.5
    # one stray sample in mode 5 is below the 1 % share needed to count as covered
    stray = torch.cat([on_four, c[5:6]])
    assert gan.mode_coverage(stray, c).counts[5] == 1 and gan.mode_coverage(stray, c).modes_covered == 4
    assert gan.mode_coverage(stray, c, min_share=0.0).modes_covered == 5
    # just inside / outside the radius
    assert gan.mode_coverage(c[:1] + torch.tensor([[0.14, 0.0]]), c).share_near_mode == 1.0
    assert gan.mode_coverage(c[:1] + torch.tensor([[0.16, 0.0]]), c).share_near_mode == 0.0
    skewed = torch.cat([c[:1].repeat(90, 1), c[1:2].repeat(10, 1)])
    p = [0.9, 0.1]
    assert gan.mode_coverage(skewed, c).effective_modes == pytest.approx(math.exp(-sum(q * math.log(q) for q in p)))


def test_gan_shapes_and_determinism():
    data = gan.ring_data(256, seed=0)
    a = gan.train_gan(data, steps=30, batch_size=32, width=16, n_snapshots=3, n_eval=50, seed=0)
    b = gan.train_gan(data, steps=30, batch_size=32, width=16, n_snapshots=3, n_eval=50, seed=0)
    c = gan.train_gan(data, steps=30, batch_size=32, width=16, n_snapshots=3, n_eval=50, seed=1)
    assert [s for s, _ in a.snapshots] == [0, 15, 30]
    assert a.samples.shape == (50, 2) and len(a.d_losses) == len(a.g_losses) == 30
    assert torch.equal(a.samples, b.samples) and a.d_losses == b.d_losses
    assert not torch.equal(a.samples, c.samples)
    assert gan.gan_sample(a.generator, 7).shape == (7, 2)
    h = gan.train_gan(data, steps=5, batch_size=16, width=8, loss="hinge", instance_noise=0.1, seed=0)
    assert all(math.isfinite(v) for v in h.d_losses + h.g_losses)


def test_bad_input():
    with pytest.raises(BadInputError):
        gan.mode_coverage(torch.zeros(5, 3), gan.ring_centers())
    with pytest.raises(BadInputError):
        gan.ring_data(3, n_modes=8)
    with pytest.raises(BadInputError, match="loss"):
        gan.train_gan(gan.ring_data(64), steps=1, loss="wasserstein")
