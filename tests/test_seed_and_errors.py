import random

import numpy as np
import pytest
import torch

import course_utils as cu


def test_set_seed_makes_all_generators_repeat():
    def draw():
        return random.random(), np.random.rand(), torch.rand(1).item()
    cu.set_seed(123)
    first = draw()
    cu.set_seed(123)
    assert draw() == first
    cu.set_seed(124)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 1.5, "7", True])
def test_bad_seed(bad):
    with pytest.raises(ValueError, match="seed"):
        cu.set_seed(bad)


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_text_is_rejected_with_a_message(bad):
    with pytest.raises(ValueError, match="empty|string"):
        cu.check_text(bad, "prompt")


def test_unknown_role_lists_the_known_ones():
    with pytest.raises(cu.UnknownRoleError) as e:
        cu.get_role("translation-to-klingon")
    assert "text-generation" in str(e.value) and "sentiment" in str(e.value)


def test_roles_are_normalised():
    assert cu.get_role("Text_Generation").role == "text-generation"


def test_online_only_role_offline_says_what_to_do():
    with pytest.raises(cu.OnlineOnlyError, match="Colab"):
        cu.resolve("image-generation", mode="offline")


def test_seeded_draws_repeat_and_leave_the_lessons_stream_alone():
    from course_utils.kernel.seed import seeded
    torch.manual_seed(123)
    expected_next = torch.rand(3)
    torch.manual_seed(123)
    with seeded(7):
        a = torch.rand(3)
    with seeded(7):
        b = torch.rand(3)
    assert torch.equal(a, b)
    assert torch.equal(torch.rand(3), expected_next)     # as if the two blocks never ran
    with pytest.raises(cu.BadInputError, match="seed"):
        with seeded(-1):
            pass
