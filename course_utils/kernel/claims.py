"""Checked claims: what a lesson concludes from a measured number, tested on every run.

A measured number (a loss, an accuracy, a rate over samples) differs from machine to machine,
torch to torch and seed to seed, so a lesson never relies on its decimals. It relies on a
*claim*: a statement with a band the number must fall in, e.g.

    cu.claim("pretrained minus scratch accuracy with 25 tweets per class", gap, at_least=0.15)

prints one stable line,

    ✓ claim: pretrained minus scratch accuracy with 25 tweets per class — band ≥ 0.15 — measured 0.31

and raises `ClaimFailedError` when the number falls outside the band. nbval compares the line
with the measured part sanitised (tests/nbval_sanitize.cfg), so a notebook fails exactly when a
lesson's point stops being true. Bands come from evidence: `tools/claim_evidence.py` runs every
notebook over several seeds and torch versions and records each claim's value
(COURSE_CLAIMS_LOG); `docs/claims.md` lists every claim, its band and what was measured.
"""
from __future__ import annotations

import json
import math
import os
import platform
import re

from course_utils.kernel.errors import CourseError

MARK_OK, MARK_FAIL, MARK_SKIP = "✓", "✗", "–"
# The line a claim prints; tools/build_notebook.py reads it back from stored outputs.
LINE = re.compile(r"^(?P<mark>[✓✗]) claim: (?P<statement>.+) — band (?P<band>.+) — measured (?P<value>\S+)$")

_context = {"lesson": None, "seed": None}


class ClaimFailedError(CourseError, AssertionError):
    """A lesson's conclusion did not hold on this run: the measured value left its band."""


def set_context(lesson: str | None, seed: int | None) -> None:
    """Called by setup_lesson, so recorded claims say which lesson and seed they came from."""
    _context.update(lesson=lesson, seed=seed)


def band_text(at_least: float | None, at_most: float | None) -> str:
    if at_least is not None and at_most is not None:
        return f"{at_least:g} to {at_most:g}"
    return f"≥ {at_least:g}" if at_least is not None else f"≤ {at_most:g}"


def claim(statement: str, value, *, at_least: float | None = None, at_most: float | None = None,
          digits: int = 3) -> float:
    """Check that a measured `value` lies in [at_least, at_most]; print one line; return the value.

    Raise ClaimFailedError when it does not (unless COURSE_CLAIMS=record, used when collecting
    evidence for bands). Every claim run is appended to the JSON-lines file in COURSE_CLAIMS_LOG.
    COURSE_CLAIMS=skip prints the claim as not checked: for runs whose weights are not the real
    ones (the tests' copy of the Hub repos has tiny random models), where no quality can hold.
    """
    if not isinstance(statement, str) or not statement.strip() or "—" in statement:
        raise CourseError("a claim needs a statement: a short sentence without '—', e.g. "
                          "'pretrained beats scratch by at least this much accuracy'.")
    if at_least is None and at_most is None:
        raise CourseError(f"claim {statement!r} has no band: give at_least=, at_most= or both.")
    if at_least is not None and at_most is not None and at_least > at_most:
        raise CourseError(f"claim {statement!r}: at_least={at_least} is above at_most={at_most}.")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise CourseError(f"claim {statement!r} needs a number to check, got {value!r}.") from None
    ok = (not math.isnan(value)
          and (at_least is None or value >= at_least)
          and (at_most is None or value <= at_most))
    band = band_text(at_least, at_most)
    shown = f"{value:.{digits}f}"
    if os.environ.get("COURSE_CLAIMS") == "skip":
        print(f"{MARK_SKIP} claim not checked (COURSE_CLAIMS=skip): {statement} — band {band} — measured {shown}")
        return value
    _record(statement, band, at_least, at_most, value, ok)
    print(f"{MARK_OK if ok else MARK_FAIL} claim: {statement} — band {band} — measured {shown}")
    if not ok and os.environ.get("COURSE_CLAIMS", "check") != "record":
        raise ClaimFailedError(
            f"{statement}: measured {shown}, outside the band {band}. This lesson's conclusion did not "
            f"hold on this run ({_where()}). Run the notebook again from the top (Kernel → Restart and "
            "run all); if the claim fails again, report this line and the setup cell's output as an issue.")
    return value


def expect(statement: str, holds: bool) -> None:
    """A check of what a *real* model does, with no number to band (e.g. "the chat model's answer
    names Paris"): prints "✓ <statement>" when it holds, ClaimFailedError when not. Checks that hold for
    any weights (shapes, sums, hand path == library) stay plain asserts. COURSE_CLAIMS=skip prints
    it as not checked, like `claim`; COURSE_CLAIMS=record prints a failure instead of raising.
    """
    if not isinstance(statement, str) or not statement.strip():
        raise CourseError("expect needs a statement saying what the model should do.")
    mode = os.environ.get("COURSE_CLAIMS", "check")
    if mode == "skip":
        print(f"{MARK_SKIP} not checked (COURSE_CLAIMS=skip): {statement}")
        return
    print(f"{MARK_OK if holds else MARK_FAIL} {statement}")
    if bool(holds):
        return
    if mode != "record":
        raise ClaimFailedError(
            f"Expected: {statement}; this run did not show it ({_where()}). Run the notebook again from "
            "the top (Kernel → Restart and run all); if it fails again, report this line and the setup "
            "cell's output as an issue.")


def _where() -> str:
    import torch
    seed = _context["seed"]
    return f"torch {torch.__version__}" + (f", seed {seed}" if seed is not None else "")


def _record(statement, band, at_least, at_most, value, ok) -> None:
    path = os.environ.get("COURSE_CLAIMS_LOG")
    if not path:
        return
    import torch
    row = {"lesson": _context["lesson"], "seed": _context["seed"], "statement": statement,
           "band": band, "at_least": at_least, "at_most": at_most, "value": value, "ok": ok,
           "torch": torch.__version__, "cpu": platform.processor() or platform.machine()}
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
