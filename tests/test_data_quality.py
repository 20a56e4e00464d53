"""Corrupting training data on purpose: amounts and contents are what the lesson says."""
from collections import Counter

import pytest
import torch

from course_utils.data import quality as DQ
from course_utils.kernel.errors import BadInputError

TEXT = "In the beginning God created the heaven and the earth.\nAnd the earth was without form, and void.\n"


def test_take_fraction_is_a_prefix_of_the_right_length():
    ids = torch.arange(1000)
    assert torch.equal(DQ.take_fraction(ids, 0.05), torch.arange(50))
    assert len(DQ.take_fraction(ids, 0.25)) == 250 and len(DQ.take_fraction(ids, 1.0)) == 1000
    with pytest.raises(BadInputError):
        DQ.take_fraction(ids, 0)


def test_shuffle_words_keeps_each_lines_words():
    out = DQ.shuffle_words(TEXT, seed=1)
    assert out.count("\n") == TEXT.count("\n")
    for a, b in zip(TEXT.split("\n"), out.split("\n")):
        assert Counter(a.split()) == Counter(b.split())
    assert out != TEXT
    assert out == DQ.shuffle_words(TEXT, seed=1) != DQ.shuffle_words(TEXT, seed=2)


def test_inject_noise_changes_about_rate_of_letters_only():
    text = TEXT * 50
    out = DQ.inject_noise(text, rate=0.2, seed=0)
    assert len(out) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, out)) if a != b]
    assert all(text[i].isalpha() for i in changed)
    letters = sum(c.isalpha() for c in text)
    # a replaced letter equals the original 1 time in 26 (or more, for capitals never): ~19-20 %
    assert 0.16 < len(changed) / letters < 0.22
    assert DQ.inject_noise(text, 0.0) == text
    with pytest.raises(BadInputError):
        DQ.inject_noise(text, 1.5)
    with pytest.raises(BadInputError):
        DQ.shuffle_words("   ")
