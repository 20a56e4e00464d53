"""Auto-checked exercises: the learner writes a function, a checker runs it on small cases and
answers with a diagnosis of the mistake it found, e.g.

    check_exercise("05.top_p", top_p_filter)
    ✗ top_p_filter: with p = 0.3 (below the top token's probability 0.5) it kept no token at all.
      The most likely token must always stay, whatever p is.

A checker is a function of the learner's function that raises `Mistake(diagnosis)` at the first
problem it finds; it compares with an independent reference (a library's own implementation
where there is one). `lessons/lNN.py` registers each lesson's checkers in `EXERCISES`.
"""
from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass
from typing import Callable

from course_utils.kernel.i18n import t
from course_utils.kernel.errors import BadInputError

MARK_PASS, MARK_FAIL, MARK_TODO = "✓", "✗", "…"


class Mistake(Exception):
    """Raised by a checker: its message is the diagnosis shown to the learner.

    The message is a template with {name} placeholders filled from `params` *after* translation
    (course_utils.kernel.i18n), so the Korean edition diagnoses in Korean: never an f-string here.
    """

    def __init__(self, template: str, **params):
        super().__init__(template)
        self.template, self.params = template, params

    def __str__(self) -> str:
        return t(self.template, **self.params)


@dataclass(frozen=True)
class Exercise:
    name: str                       # the function the learner writes, e.g. "top_p_filter"
    checker: Callable               # checker(fn) -> None, raises Mistake
    passed: str                     # what passing shows (said once it passes)


@dataclass(frozen=True)
class Result:
    passed: bool
    message: str

    def __str__(self) -> str:
        return self.message

    def _repr_pretty_(self, p, cycle):
        p.text(self.message)


def get(exercise_id: str) -> Exercise:
    lesson, _, key = exercise_id.partition(".")
    try:
        module = importlib.import_module(f"course_utils.learn.lessons.l{lesson}")
    except ModuleNotFoundError:
        module = None
    found = getattr(module, "EXERCISES", {}).get(key) if module else None
    if found is None:
        raise BadInputError(f"no checked exercise {exercise_id!r}: use the id written in the exercise cell, "
                            "e.g. \"05.top_p\"")
    return found


def check_exercise(exercise_id: str, fn: Callable) -> Result:
    """Run the checker of `exercise_id` on the learner's `fn`; the result shows as one line (✓, ✗ or …)."""
    ex = get(exercise_id)
    if not callable(fn):
        raise BadInputError(f"pass your function itself, e.g. check_exercise({exercise_id!r}, {ex.name})")
    try:
        ex.checker(fn)
        result = Result(True, f"{MARK_PASS} {ex.name}: {t(ex.passed)}")
    except NotImplementedError:
        result = Result(False, f"{MARK_TODO} " + t("{name} is not written yet: replace `raise NotImplementedError` by "
                                                   "your code and run the cell again.", name=ex.name))
    except Mistake as m:
        result = Result(False, f"{MARK_FAIL} {ex.name}: {m}")
    except Exception as e:  # the learner's code crashed: say where, in one line, not a traceback
        frame = traceback.extract_tb(e.__traceback__)[-1]
        result = Result(False, f"{MARK_FAIL} " + t("{name} raised {error}: {message} (line {line}: {code})",
                                                   name=ex.name, error=type(e).__name__, message=e,
                                                   line=frame.lineno, code=(frame.line or "").strip()))
    return result
