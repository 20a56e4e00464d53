"""Make worse training data on purpose, to measure what quantity and quality do to a model.

    take_fraction(ids, 0.05)                 # the first 5 % of the training tokens
    shuffle_words(text, seed=0)              # same words, same counts, no word order
    inject_noise(text, rate=0.2, seed=0)     # 20 % of the letters replaced by random ones

Each keeps the amount of text the same (except take_fraction), so a difference in held-out
loss comes from the quality of the text, not from its size.
"""
from __future__ import annotations

import random
import string

import torch

from course_utils.kernel.checks import check_text
from course_utils.kernel.errors import BadInputError


def take_fraction(ids, fraction: float) -> torch.Tensor:
    """The first `fraction` of a 1-D token tensor (a prefix: the same text, just less of it)."""
    if not (0 < fraction <= 1):
        raise BadInputError(f"fraction must be in (0, 1], e.g. 0.05 for 5 %, got {fraction!r}.")
    ids = torch.as_tensor(ids).flatten()
    return ids[: max(1, int(round(len(ids) * fraction)))]


def shuffle_words(text: str, seed: int = 0) -> str:
    """Shuffle the words inside each line: the vocabulary and word counts stay, grammar goes."""
    check_text(text)
    rng = random.Random(seed)
    out = []
    for line in text.split("\n"):
        words = line.split()
        rng.shuffle(words)
        out.append(" ".join(words))
    return "\n".join(out)


def inject_noise(text: str, rate: float = 0.2, seed: int = 0) -> str:
    """Replace each letter, with probability `rate`, by a random lower-case letter (typos, OCR
    errors, scraped junk). Spaces, digits, punctuation and line breaks are kept."""
    check_text(text)
    if not (0 <= rate <= 1):
        raise BadInputError(f"rate must be in [0, 1], got {rate!r}.")
    rng = random.Random(seed)
    letters = string.ascii_lowercase
    return "".join(rng.choice(letters) if c.isalpha() and rng.random() < rate else c for c in text)
