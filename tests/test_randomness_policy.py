"""Library functions never reseed or consume torch's global random stream (docs/architecture.md):
a lesson's own draws come out the same whatever course_utils did in between."""
import pytest
import torch

from course_utils.data.melodies import load_melodies
from course_utils.generators import diffusion, gan
from course_utils.generators import melody_model as MM
from course_utils.training import lm


def _melody():
    tok = MM.MelodyTokenizer()
    model = MM.new_melody_model(tok, seed=1)
    MM.train_melody_model(model, tok, load_melodies()[:40], steps=3, batch_size=4, seed=1)
    MM.sample_melodies(model, tok, "minor", n=2, seed=1, max_notes=8)


def _melody_text():
    tok = MM.MelodyTokenizer()
    base = MM.new_melody_model(tok, n_layer=1, n_embd=16, seed=1)
    model, _ = MM.train_text_melody_model(base, tok, load_melodies()[:40], steps=2, batch_size=4, seed=1)
    MM.sample_described(model, tok, ["a slow sad tune", None], n=2, guidance=2.0, seed=1, max_notes=8)


def _diffusion():
    data = torch.randn(64, 2, generator=torch.Generator().manual_seed(0))
    with torch.random.fork_rng():              # the model's init is the caller's draw: keep it out of the check
        model = diffusion.Denoiser(2, width=16, depth=1, T=20)
    sched = diffusion.linear_schedule(20)
    diffusion.train_diffusion(model, data, sched, steps=3, batch_size=8, seed=1)
    diffusion.sample(model, sched, 4, seed=1)


def _tiny_gpt():
    ids = torch.arange(400) % 50
    model = lm.make_tiny_gpt(50, n_layer=1, n_embd=16, n_head=2, n_ctx=16, seed=1)
    lm.train_lm(model, ids, ids, steps=2, batch_size=2, block_size=16, progress=False)


def _gan():
    gan.train_gan(gan.ring_data(64, seed=0), steps=3, batch_size=8, n_snapshots=1, n_eval=16, seed=1)


@pytest.mark.parametrize("work", [_melody, _melody_text, _diffusion, _tiny_gpt, _gan], ids=lambda f: f.__name__.strip("_"))
def test_the_lessons_random_stream_is_left_alone(work):
    torch.manual_seed(1234)
    expected = torch.rand(4)
    torch.manual_seed(1234)
    work()
    assert torch.equal(torch.rand(4), expected), f"{work.__name__} reseeded or drew from torch's global generator"
