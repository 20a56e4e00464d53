"""Every checked exercise: registered under its lesson, tested (its worked solution passes and at
least two typical mistakes get their diagnosis) in tests/test_exercises_lNN.py, and named in a
notebook source; every lesson from week 1 on has at least one."""
import pkgutil
import re
from pathlib import Path

import pytest

import course_utils.learn.lessons as lessons_pkg
from course_utils.kernel.errors import BadInputError
from course_utils.learn import exercise

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(m.name[1:] for m in pkgutil.iter_modules(lessons_pkg.__path__))
IDS = [f"{lesson}.{key}" for lesson in LESSONS
       for key in __import__(f"course_utils.learn.lessons.l{lesson}", fromlist=["EXERCISES"]).EXERCISES]


def test_every_lesson_from_week_1_has_a_checked_exercise():
    assert {i.split(".")[0] for i in IDS} >= set(LESSONS) - {"00"}


@pytest.mark.parametrize("exercise_id", IDS)
def test_each_exercise_is_tested_and_used(exercise_id):
    lesson = exercise_id.split(".")[0]
    tests = (ROOT / "tests" / f"test_exercises_l{lesson}.py")
    assert tests.is_file(), f"write {tests.name}: the worked solution passes, two typical mistakes are diagnosed"
    body = tests.read_text(encoding="utf-8")
    assert body.count(f'"{exercise_id}"') >= 3, "the solution and at least two wrong implementations"
    sources = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "tools" / "notebook_sources").glob(f"{lesson}_*.py"))
    assert re.search(rf'check_exercise\("{re.escape(exercise_id)}"', sources), "no notebook asks for it"


def test_unknown_ids_and_non_functions_are_refused_clearly():
    with pytest.raises(BadInputError, match="no checked exercise"):
        exercise.check_exercise("05.nope", print)
    with pytest.raises(BadInputError, match="pass your function itself"):
        exercise.check_exercise("05.top_p", 3)
