"""End-of-lesson quizzes: questions, answer keys and an explanation for every answer.

Every answer gets an explanation, right or wrong: a wrong option has its own (why a learner might
pick it and what is wrong with it), a number question names typical wrong numbers. The same
questions are answered in the quiz widget (`widgets.quiz.show_quiz`) or by a plain call,

    answer("05", 2, "b")        # question 2 of lesson 05, option b
    answer("03", 4, 7.6)        # a number

which works on any ipywidgets version and without widgets at all.
"""
from __future__ import annotations

import html
import importlib
import math
from dataclasses import dataclass, field

from course_utils.kernel.i18n import t
from course_utils.kernel.errors import BadInputError

MARK_RIGHT, MARK_WRONG = "✓", "✗"


@dataclass(frozen=True)
class Option:
    text: str
    why: str                 # shown after this option is chosen: why it is right, or what is wrong with it
    correct: bool = False


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question: exactly one option is correct."""
    prompt: str
    options: tuple[Option, ...]

    def __post_init__(self):
        if sum(o.correct for o in self.options) != 1 or len(self.options) < 2:
            raise ValueError(f"{self.prompt[:40]!r}: needs at least two options, exactly one correct")

    @property
    def letters(self) -> str:
        return "abcdefgh"[: len(self.options)]


@dataclass(frozen=True)
class Number:
    """A question answered by a number, right within `tolerance` (absolute)."""
    prompt: str
    answer: float
    tolerance: float
    why: str                                   # the worked reasoning, shown once answered right
    typical: dict = field(default_factory=dict)   # a typical wrong number -> what that mistake was
    otherwise: str = "Not quite: redo the calculation step by step."


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str

    def __str__(self) -> str:
        return f"{MARK_RIGHT if self.correct else MARK_WRONG} {self.message}"

    def _repr_pretty_(self, p, cycle):        # the notebook shows the message, not a dataclass repr
        p.text(str(self))


def questions(lesson: str) -> list:
    """The quiz of a lesson ("05", "02b", ...), in order."""
    try:
        module = importlib.import_module(f"course_utils.learn.lessons.l{lesson}")
    except ModuleNotFoundError:
        raise BadInputError(f"no quiz for lesson {lesson!r}: use the lesson number, e.g. \"05\" or \"02b\"") from None
    return list(module.QUIZ)


def _question(lesson: str, number: int):
    qs = questions(lesson)
    if not isinstance(number, int) or not 1 <= number <= len(qs):
        raise BadInputError(f"lesson {lesson}'s quiz has questions 1 to {len(qs)}; got {number!r}")
    return qs[number - 1]


def answer(lesson: str, number: int, reply) -> Feedback:
    """Check `reply` to question `number` (1-based) of `lesson`'s quiz; the feedback explains it."""
    q = _question(lesson, number)
    if isinstance(q, Choice):
        letter = str(reply).strip().lower().rstrip(")") if reply is not None else ""
        if letter not in q.letters or len(letter) != 1:
            raise BadInputError(f"question {number} has options {', '.join(q.letters)}: answer with one of these letters "
                                f"(got {reply!r})")
        option = q.options[q.letters.index(letter)]
        return Feedback(option.correct, t("Right." if option.correct else "Not this one.") + " " + t(option.why))
    try:
        value = float(str(reply).replace(",", "").strip())
    except ValueError:
        raise BadInputError(f"question {number} asks for a number (got {reply!r})") from None
    if not math.isfinite(value):
        raise BadInputError(f"question {number} asks for a finite number (got {reply!r})")
    if abs(value - q.answer) <= q.tolerance:
        return Feedback(True, t("Right.") + " " + t(q.why))
    for typical, what in q.typical.items():
        if abs(value - typical) <= q.tolerance:
            return Feedback(False, t(what))
    return Feedback(False, t(q.otherwise))


def _options_text(q) -> list[str]:
    if isinstance(q, Choice):
        return [f"{letter}) {t(o.text)}" for letter, o in zip(q.letters, q.options)]
    return [t("(a number)")]


def as_text(lesson: str) -> str:
    """The questions as plain text (what a reader without a kernel sees), without the answers."""
    lines = []
    for i, q in enumerate(questions(lesson), 1):
        lines.append(f"{i}. {t(q.prompt)}")
        lines += [f"   {line}" for line in _options_text(q)]
    return "\n".join(lines)


def as_html(lesson: str) -> str:
    """The questions as HTML (GitHub and an unrun notebook show this), without the answers."""
    items = []
    for q in questions(lesson):
        opts = "".join(f"<li>{html.escape(line)}</li>" for line in _options_text(q))
        items.append(f"<li>{html.escape(t(q.prompt))}<ul style='list-style: none'>{opts}</ul></li>")
    return ("<b>" + t("Quiz · 퀴즈 (lesson {lesson})", lesson=html.escape(lesson)) + "</b> — "
            + t("run the notebook to answer here, or call {code}",
                code=f"<code>answer(\"{html.escape(lesson)}\", question, reply)</code>")
            + f"<ol>{''.join(items)}</ol>")
