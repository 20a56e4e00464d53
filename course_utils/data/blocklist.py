"""A small list of profanity and slur stems, used to drop offensive rows from data sets.

Deliberately short and stem-based: it is a data-cleaning filter for teaching material, not
a moderation system (Week 4 discusses what such word lists miss and over-block).
"""
from __future__ import annotations

import re

# stems matched at the start of a word: "fuck" also catches "fucking", "fucker"
PROFANITY_STEMS = (
    "fuck", "fuk", "shit", "bitch", "cunt", "dick", "pussy", "bastard", "asshole", "slut",
    "whore", "motherf", "wank", "twat", "bollock", "douche", "nigg", "fag", "retard",
    "tranny", "spic", "chink", "kike", "dyke", "cock", "piss",
)

_PATTERN = re.compile(r"\b(?:" + "|".join(map(re.escape, PROFANITY_STEMS)) + r")", re.IGNORECASE)


def find_profanity(text: str) -> list[str]:
    """Words of `text` that start with a listed stem (empty list: none found)."""
    return [m.group(0) for m in _PATTERN.finditer(text or "")]


def has_profanity(text: str) -> bool:
    return _PATTERN.search(text or "") is not None
