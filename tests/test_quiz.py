"""Every quiz's answer key: each correct answer accepted, each wrong one rejected with its own
explanation; the widget and the plain function agree; bad replies get a clear message."""
from __future__ import annotations

import collections
import pkgutil
import sys
from pathlib import Path

import pytest

import course_utils.learn.lessons as lessons_pkg
from course_utils.kernel.errors import BadInputError
from course_utils.learn.quiz import Choice, Number, answer, as_html, as_text, questions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import repo  # noqa: E402

LESSONS = sorted(m.name[1:] for m in pkgutil.iter_modules(lessons_pkg.__path__))
ALL = [(lesson, i, q) for lesson in LESSONS for i, q in enumerate(questions(lesson), 1)]


def test_every_lesson_has_a_quiz_of_five_to_eight_questions():
    assert set(LESSONS) == {repo.lesson_id(p) for p in repo.notebooks()}, "one quiz module per lesson notebook"
    for lesson in LESSONS:
        assert 5 <= len(questions(lesson)) <= 8, f"lesson {lesson}: {len(questions(lesson))} questions"


@pytest.mark.parametrize("lesson,number,q", ALL, ids=lambda v: str(v)[:12] if not isinstance(v, int) else str(v))
def test_each_answer_gets_its_own_explanation(lesson, number, q):
    if isinstance(q, Choice):
        right = [letter for letter, o in zip(q.letters, q.options) if o.correct]
        assert len(right) == 1
        seen = []
        for letter, option in zip(q.letters, q.options):
            fb = answer(lesson, number, letter.upper() if letter == "b" else letter)   # case does not matter
            assert fb.correct == option.correct, (lesson, number, letter)
            assert option.why in fb.message
            seen.append(fb.message)
        assert len(set(seen)) == len(seen), "two options share an explanation"
    else:
        assert answer(lesson, number, q.answer).correct
        assert answer(lesson, number, str(q.answer)).correct
        assert q.why in answer(lesson, number, q.answer).message
        assert q.typical, "name at least one typical wrong number and what that mistake was"
        for value, what in q.typical.items():
            assert abs(value - q.answer) > q.tolerance, "a typical wrong number lies within the tolerance"
            fb = answer(lesson, number, value)
            assert not fb.correct and fb.message == what
        far = answer(lesson, number, q.answer + 1000 * (q.tolerance + 1))
        assert not far.correct and far.message == q.otherwise


@pytest.mark.parametrize("lesson", LESSONS)
def test_questions_read_as_text_without_the_answers(lesson):
    text, page = as_text(lesson), as_html(lesson)
    for q in questions(lesson):
        assert q.prompt in text
        whys = [o.why for o in q.options] if isinstance(q, Choice) else [q.why]
        for why in whys:
            assert why not in text and why not in page, "an explanation leaked into the question text"


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_right_letter_moves(lesson):
    """A learner must not be able to pass by always answering the same letter."""
    letters = [next(letter for letter, o in zip(q.letters, q.options) if o.correct)
               for q in questions(lesson) if isinstance(q, Choice)]
    assert max(collections.Counter(letters).values()) < len(letters)


@pytest.mark.parametrize("lesson", LESSONS)
def test_questions_use_korean_key_terms(lesson):
    assert any(any("\uac00" <= ch <= "\ud7a3" for ch in q.prompt) for q in questions(lesson))


def test_bad_replies_say_what_to_do():
    choice = next(i for i, q in enumerate(questions("05"), 1) if isinstance(q, Choice))
    number = next(i for i, q in enumerate(questions("05"), 1) if isinstance(q, Number))
    with pytest.raises(BadInputError, match="answer with one of these letters"):
        answer("05", choice, "z")
    with pytest.raises(BadInputError, match="asks for a number"):
        answer("05", number, "lots")
    with pytest.raises(BadInputError, match="questions 1 to"):
        answer("05", 99, "a")
    with pytest.raises(BadInputError, match="no quiz for lesson"):
        answer("5", 1, "a")


def test_the_widget_calls_the_plain_function():
    pytest.importorskip("ipywidgets")
    from course_utils.widgets.output import WIDGET_VIEW, output_text
    from course_utils.widgets.quiz import show_quiz

    box = show_quiz("05")
    assert len(box.rows) == len(questions("05"))
    for number, (row, q) in enumerate(zip(box.rows, questions("05")), 1):
        reply = q.letters[-1] if isinstance(q, Choice) else q.answer + 1000 * (q.tolerance + 1)
        row.button.click()
        assert "Choose an answer first" in output_text(row.out)
        row.pick.value = reply if isinstance(q, Choice) else str(reply)
        row.button.click()
        assert output_text(row.out).strip() == str(answer("05", number, reply))
    bundle = box.preview_bundle()
    assert bundle["text/html"] == as_html("05") and bundle[WIDGET_VIEW]["model_id"] == box.model_id
