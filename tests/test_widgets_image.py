"""The image widget: its plain function, and the widget driven by setting its controls."""
import pytest
import torch
from matplotlib.figure import Figure

import course_utils as cu
from course_utils.generators.text_to_digits import prompt_figure, render_prompt, train_text_to_digits
from course_utils.widgets.image import image_widget


@pytest.fixture(scope="module")
def generator():
    # a barely trained model: these tests check the plumbing, test_diffusion checks quality
    gen, log = train_text_to_digits(steps=20, width=32, depth=1, T=40, seed=0)
    assert len(log.losses) == 20
    return gen


def test_render_prompt_returns_images_steps_and_an_honest_report(generator):
    res = render_prompt(generator, "draw the number 7", guidance=1.0, seed=3, n_steps=10, n=6)
    assert res.images.shape == (6, 64) and res.images.abs().max() <= 1.0 + 1e-6
    assert [lvl for lvl, _ in res.steps][0] == 40 and res.steps[-1][0] == 0
    assert res.asked_digit == 7 and 0.0 <= res.agreement <= 1.0
    assert res.agreement == float((res.judged == 7).mean())
    assert "draw the number 7" in res.report()
    assert render_prompt(generator, "draw the number 7", 1.0, 3, 10, 6) is res      # cached
    assert isinstance(prompt_figure(res), Figure)


def test_cache_is_per_generator_and_bounded(generator):
    from course_utils.generators import text_to_digits as TT  # the cache lives with render_prompt
    first = render_prompt(generator, "seven", 2.0, 0, 10, 4)
    retrained, _ = train_text_to_digits(steps=20, width=32, depth=1, T=40, seed=1)
    other = render_prompt(retrained, "seven", 2.0, 0, 10, 4)
    assert other is not first and not torch.equal(other.images, first.images)
    for seed in range(TT.MAX_CACHED + 3):
        render_prompt(retrained, "seven", 2.0, seed, 5, 1)
    assert len(TT._cache["results"]) == TT.MAX_CACHED


def test_a_prompt_naming_no_digit_is_answered_not_crashed(generator):
    res = render_prompt(generator, "a cat", guidance=2.0, seed=0, n_steps=10, n=6)
    assert res.asked_digit is None and res.agreement is None
    assert res.nearest[0][2] < 0.6 and res.weak_match          # nothing trained on is close
    assert "names no digit" in res.report()


def test_seed_changes_the_images_and_repeats_them(generator):
    a = render_prompt(generator, "seven", 2.0, 0, 10, 4).images
    b = generator.generate("seven", n=4, guidance=2.0, seed=0, n_steps=10).images
    c = render_prompt(generator, "seven", 2.0, 1, 10, 4).images
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_widget_redraws_when_controls_change(generator):
    box = image_widget(generator, prompt="a handwritten two", n=4)
    kinds = [o["output_type"] for o in box.out.outputs]
    assert kinds == ["stream", "display_data"]
    box.controls["steps"].value = 10
    box.controls["seed"].value = 5
    text = box.out.outputs[0]["text"]
    assert "a handwritten two" in text and "10 denoising steps" in text
    box.controls["prompt"].value = ""
    assert [o["output_type"] for o in box.out.outputs] == ["stream"]
    assert "empty" in box.out.outputs[0]["text"]


def test_bad_seed_is_rejected(generator):
    with pytest.raises(cu.BadInputError, match="seed"):
        render_prompt(generator, "seven", seed=-1)
