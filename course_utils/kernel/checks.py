"""Input checks shared by every part: one place for each message a learner may read.

Each check returns the cleaned value or raises BadInputError saying what was wrong and what
to do; the rest of the package (loading, sampling, generation, widgets, ...) calls these
instead of writing its own.
"""
from __future__ import annotations

import math

import numpy as np

from course_utils.kernel.errors import BadInputError


def check_text(text, what: str = "text") -> str:
    """Reject non-strings and empty text with a message instead of a deep traceback."""
    if not isinstance(text, str):
        raise BadInputError(f"{what} must be a string, got {type(text).__name__}.")
    if not text.strip():
        raise BadInputError(f"{what} is empty: type at least one word.")
    return text


def check_seed(seed) -> int:
    """A seed is a whole number >= 0 (bool is not)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise BadInputError(f"seed must be a non-negative whole number, got {seed!r}.")
    return int(seed)


def check_number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or math.isnan(float(value)):
        raise BadInputError(f"{name} must be a number, got {value!r}.")
    return float(value)


def check_positive(value, name: str, why: str) -> float:
    """A finite number > 0; the error adds `why` (what the setting does, what to use instead)."""
    v = check_number(value, name)
    if v <= 0 or math.isinf(v):
        raise BadInputError(f"{name} must be a positive number, got {value!r}. {why}")
    return v


def check_temperature(temperature) -> float:
    return check_positive(temperature, "temperature",
                          "Dividing by 0 (or a negative number) is undefined: temperature -> 0 means 'always "
                          "take the most likely token', so for that use greedy decoding instead "
                          "(temperature=None, or do_sample=False in generate).")
