"""Lesson 06's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import torch

from course_utils.learn.exercise import check_exercise


def guided_logits(cond, uncond, scale):      # the worked solution, as in the solutions edition
    return uncond + scale * (cond - uncond)


def test_the_worked_solution_passes():
    assert check_exercise("06.guidance", guided_logits).passed
    assert check_exercise("06.guidance", lambda c, u, s: (1 - s) * u + s * c).passed   # the same formula, rearranged


def test_swapping_cond_and_uncond_is_diagnosed():
    r = check_exercise("06.guidance", lambda cond, uncond, scale: cond + scale * (uncond - cond))
    assert not r.passed and "cond and uncond are swapped" in r.message


def test_lesson_07s_w_form_is_diagnosed():
    r = check_exercise("06.guidance", lambda cond, uncond, scale: (1 + scale) * cond - scale * uncond)
    assert not r.passed and "γ = 1 must give cond exactly" in r.message


def test_scaling_the_conditional_logits_only_is_diagnosed():
    r = check_exercise("06.guidance", lambda cond, uncond, scale: scale * cond)
    assert not r.passed and "multiplied the conditional logits only" in r.message


def test_a_flipped_sign_is_diagnosed():
    r = check_exercise("06.guidance", lambda cond, uncond, scale: uncond - scale * (cond - uncond) if scale != 1 else cond)
    assert not r.passed and "sign is flipped" in r.message


def test_returning_probabilities_is_diagnosed():
    r = check_exercise("06.guidance", lambda cond, uncond, scale: torch.softmax(guided_logits(cond, uncond, scale), -1))
    assert not r.passed and "returned probabilities" in r.message


def test_changing_the_input_is_diagnosed():
    def wrong(cond, uncond, scale):
        cond -= uncond
        return uncond + scale * cond
    r = check_exercise("06.guidance", wrong)
    assert not r.passed and "changed the logits passed in" in r.message


def test_a_loop_over_one_row_is_diagnosed():
    def wrong(cond, uncond, scale):
        return torch.stack([uncond[..., i] + scale * (cond[..., i] - uncond[..., i]) for i in range(5)])
    r = check_exercise("06.guidance", wrong)
    assert not r.passed and "batch of two rows" in r.message


def test_a_stub_and_a_crash_get_one_line_not_a_traceback():
    def stub(cond, uncond, scale):
        raise NotImplementedError
    assert "not written yet" in check_exercise("06.guidance", stub).message
    r = check_exercise("06.guidance", lambda cond, uncond, scale: cond.nonexistent())
    assert not r.passed and "raised AttributeError" in r.message
