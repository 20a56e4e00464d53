"""Lesson 03: quiz and checked exercises."""
from __future__ import annotations

from course_utils.learn.exercise import Exercise, Mistake  # noqa: F401
from course_utils.learn.quiz import Choice, Number, Option  # noqa: F401

QUIZ = []

EXERCISES = {}
