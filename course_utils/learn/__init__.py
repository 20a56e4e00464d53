"""Learner checks: end-of-lesson quizzes with their answer keys, and exercise checkers that run a
learner's function on small cases and say what is wrong (a diagnosis, not just pass/fail).

`quiz` and `exercise` are the engines; `lessons/lNN.py` holds one lesson's questions and checkers
(the answer keys live here, never in a notebook's stored outputs)."""
