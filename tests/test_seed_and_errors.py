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
