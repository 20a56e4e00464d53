"""The language the workbook's own messages speak: English, or Korean (한국어) in the Korean edition.

Quiz questions and explanations, exercise diagnoses and widget labels are written in English in the
code; their Korean twins live in `course_utils/locale/ko/*.json`, keyed by the English text (a
template: `{name}` placeholders are filled after translating, so numbers never break a lookup).

    from course_utils.kernel.i18n import t
    t("with p = {p} it kept no token at all.", p=0.3)     # English, or Korean after set_language("ko")

The Korean notebooks call `cu.setup_lesson("05", language="ko")`; `COURSE_LANGUAGE=ko` in the
environment does the same. An English text with no Korean entry falls back to English (a test,
tests/test_i18n.py, keeps the catalogs complete and free of stale entries).
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from course_utils.kernel.errors import BadInputError

LANGUAGES = ("en", "ko")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
_state = {"language": None}


def language() -> str:
    """The current language: set_language's choice, else COURSE_LANGUAGE, else English."""
    if _state["language"] is None:
        set_language(os.environ.get("COURSE_LANGUAGE", "en"))
    return _state["language"]


def set_language(lang: str) -> str:
    lang = str(lang).strip().lower()
    if lang not in LANGUAGES:
        raise BadInputError(f"unknown language {lang!r}: the workbook speaks {' or '.join(map(repr, LANGUAGES))}")
    _state["language"] = lang
    return lang


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """Every English template -> its translation, from all of locale/<lang>/*.json."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def t(text: str, **params) -> str:
    """`text` in the current language, with `params` filled in ({name} or {name:.2f} placeholders)."""
    lang = language()
    if lang != "en":
        text = catalog(lang).get(text, text)
    return text.format(**params) if params else text
