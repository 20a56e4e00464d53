"""The Korean catalogs (course_utils/locale/ko/*.json) cover every message the workbook's own code
shows a learner (quiz, exercise diagnoses, widget labels), and nothing stale.

What counts as a message: every string of every lesson's QUIZ and EXERCISES, and the first argument
of every `t(...)` and `Mistake(...)` call in course_utils (found in the source, so a new message
without a translation fails here, and a changed English text leaves its old entry stale).
"""
from __future__ import annotations

import ast
import importlib
import re
import string
from pathlib import Path

import pytest

import course_utils
from course_utils.kernel import i18n
from course_utils.learn import exercise, quiz
from course_utils.learn.quiz import Choice

PACKAGE = Path(course_utils.__file__).parent
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LESSONS = sorted(p.stem[1:] for p in (PACKAGE / "learn" / "lessons").glob("l*.py"))


def _constants(node) -> list[str]:
    """The string(s) an argument can be: a constant, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _calls():
    """(file:line, first argument node) of every t(...) and Mistake(...) call in course_utils."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "Mistake")
                    and node.args):
                yield f"{path.relative_to(PACKAGE)}:{node.lineno}", node.args[0]


def english_messages() -> dict[str, str]:
    """Every English message -> where it comes from."""
    found: dict[str, str] = {}
    for lesson in LESSONS:
        module = importlib.import_module(f"course_utils.learn.lessons.l{lesson}")
        for n, q in enumerate(getattr(module, "QUIZ", []), 1):
            where = f"quiz {lesson}.{n}"
            texts = [q.prompt]
            if isinstance(q, Choice):
                texts += [s for o in q.options for s in (o.text, o.why)]
            else:
                texts += [q.why, q.otherwise, *q.typical.values()]
            found.update({s: where for s in texts})
        for key, ex in getattr(module, "EXERCISES", {}).items():
            found[ex.passed] = f"exercise {lesson}.{key}"
    for where, node in _calls():
        found.update({s: where for s in _constants(node)})
    return found


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_messages_are_templates_not_formatted_strings():
    """An f-string is translated after its numbers are in: no catalog entry could ever match it."""
    formatted = [where for where, node in _calls() if isinstance(node, ast.JoinedStr)]
    assert not formatted, f"use a template with {{name}} placeholders and keyword params: {formatted}"


def test_every_message_has_a_korean_entry():
    ko = i18n.catalog("ko")
    missing = {s[:80]: where for s, where in english_messages().items() if s not in ko}
    assert not missing, f"{len(missing)} messages without Korean (course_utils/locale/ko/*.json): {missing}"


def test_no_stale_korean_entries():
    known = english_messages()
    stale = [k[:80] for k in i18n.catalog("ko") if k not in known]
    assert not stale, f"Korean entries whose English text no longer exists (update or delete them): {stale}"


def test_korean_entries_are_korean_with_the_same_placeholders():
    for en, ko in i18n.catalog("ko").items():
        assert _fields(en) == _fields(ko), f"placeholders differ: {en!r} -> {ko!r}"
        if re.search(r"[A-Za-z]{3}", en):
            assert HANGUL.search(ko), f"not translated: {en!r} -> {ko!r}"


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


def test_quiz_and_exercises_answer_in_korean(korean):
    assert HANGUL.search(str(quiz.answer("05", 1, "a")))
    assert HANGUL.search(quiz.as_text("05").splitlines()[0])

    def top_p_filter(probs, p):
        raise NotImplementedError

    assert HANGUL.search(str(exercise.check_exercise("05.top_p", top_p_filter)))

    def top_p_kept_nothing(probs, p):
        return probs * 0                      # keeps no token: a diagnosed mistake

    result = exercise.check_exercise("05.top_p", top_p_kept_nothing)
    assert not result.passed and HANGUL.search(str(result)), str(result)


def test_english_is_the_default_and_bad_languages_are_refused():
    assert i18n.language() == "en"
    assert not HANGUL.search(str(quiz.answer("05", 1, "a")).replace("온도", ""))
    with pytest.raises(course_utils.kernel.errors.BadInputError, match="unknown language 'fr'"):
        i18n.set_language("fr")
