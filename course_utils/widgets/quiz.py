"""The end-of-lesson quiz as a widget: each question with its options, a Check button and the
explanation (right or wrong). The widget only calls `course_utils.learn.quiz.answer`, the plain
function a learner can call instead (and tests do).

    from course_utils.widgets.quiz import show_quiz
    show_quiz("05")
"""
from __future__ import annotations

import html

import ipywidgets as W

from course_utils.kernel.i18n import t
from course_utils.kernel.errors import CourseError
from course_utils.learn.quiz import Choice, answer, as_html, questions
from course_utils.widgets.output import Previewed, show_error


def _row(lesson: str, number: int, q) -> W.VBox:
    prompt = W.HTML(f"<b>{number}.</b> {html.escape(t(q.prompt))}")
    if isinstance(q, Choice):
        pick = W.RadioButtons(options=[(f"{letter}) {t(o.text)}", letter) for letter, o in zip(q.letters, q.options)],
                              value=None, layout=W.Layout(width="95%"))
    else:
        pick = W.Text(placeholder=t("a number"), description=t("answer"))
    button = W.Button(description=t("Check"), tooltip=t("check your answer to question {number}", number=number))
    out = W.Output()

    def on_check(_):
        out.outputs = ()
        if pick.value in (None, ""):
            out.append_stdout(t("Choose an answer first.") + "\n")
            return
        try:
            out.append_stdout(f"{answer(lesson, number, pick.value)}\n")
        except CourseError as err:
            show_error(out, err)

    button.on_click(on_check)
    row = W.VBox([prompt, pick, button, out])
    row.pick, row.button, row.out = pick, button, out
    return row


def show_quiz(lesson: str) -> Previewed:
    """Lesson `lesson`'s quiz: a row per question (`.rows[i].pick`, `.button`, `.out` for tests)."""
    rows = [_row(lesson, i, q) for i, q in enumerate(questions(lesson), 1)]
    header = ("<b>" + t("Quiz · 퀴즈") + "</b> — "
              + t("choose, then press Check; or call {code}", code=f"<code>answer(\"{lesson}\", question, reply)</code>"))
    box = Previewed([W.HTML(header)] + rows, hint=t("Choose an answer and press Check."), html=as_html(lesson))
    box.rows = rows
    return box
