"""Checked claims (course_utils.kernel.claims) and the ledger built from them (tools/claims_ledger.py)."""
import json
import re
import sys
from pathlib import Path

import pytest

import course_utils as cu
from course_utils.kernel.claims import LINE, ClaimFailedError
from course_utils.kernel.errors import CourseError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import claims_ledger  # noqa: E402


def sanitise(text: str) -> str:
    """Apply tests/nbval_sanitize.cfg as nbval does."""
    cfg = (ROOT / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8")
    pairs = re.findall(r"^regex: (.*)\nreplace: (.*)$", cfg, re.M)
    for pattern, repl in pairs:
        text = re.sub(pattern, repl, text)
    return text


def test_claim_in_band_prints_one_parseable_line(capsys):
    assert cu.claim("pretrained beats scratch", 0.31, at_least=0.15) == pytest.approx(0.31)
    line = capsys.readouterr().out.strip()
    m = LINE.match(line)
    assert m and m["mark"] == "✓" and m["band"] == "≥ 0.15" and m["value"] == "0.310"


@pytest.mark.parametrize("value,kw,band", [
    (0.05, dict(at_least=0.15), "≥ 0.15"),
    (9.0, dict(at_most=5), "≤ 5"),
    (0.5, dict(at_least=0.6, at_most=0.9), "0.6 to 0.9"),
    (float("nan"), dict(at_least=0.0), "≥ 0"),
])
def test_claim_out_of_band_raises_a_clear_error(capsys, monkeypatch, value, kw, band):
    monkeypatch.delenv("COURSE_CLAIMS", raising=False)
    with pytest.raises(ClaimFailedError) as err:
        cu.claim("a measured thing", value, **kw)
    msg = str(err.value)
    assert "a measured thing" in msg and band in msg and "Run the notebook again" in msg
    assert capsys.readouterr().out.startswith("✗ claim: a measured thing")
    assert isinstance(err.value, AssertionError)   # what pytest and nbval report as a failed check


def test_skip_mode_prints_the_claim_as_not_checked_and_never_raises(capsys, monkeypatch):
    # for runs on the tests' copy of the Hub (tiny random weights), where no quality can hold
    monkeypatch.setenv("COURSE_CLAIMS", "skip")
    assert cu.claim("pretrained beats scratch", -0.2, at_least=0.15) == -0.2
    out = capsys.readouterr().out.strip()
    assert out.startswith("– claim not checked (COURSE_CLAIMS=skip): pretrained beats scratch — band ≥ 0.15")
    with pytest.raises(cu.CourseError, match="no band"):   # a malformed claim is still an error
        cu.claim("no band", 1.0)


def test_expect_says_what_held_and_is_a_clear_error_when_not(capsys, monkeypatch):
    monkeypatch.delenv("COURSE_CLAIMS", raising=False)
    cu.expect("the answer names Paris", "Paris" in "The capital of France is Paris.")
    assert capsys.readouterr().out == "✓ the answer names Paris\n"
    with pytest.raises(ClaimFailedError, match="Expected: the answer names Paris") as err:
        cu.expect("the answer names Paris", "Paris" in "I like trains.")
    assert isinstance(err.value, AssertionError) and "Run the notebook again" in str(err.value)
    monkeypatch.setenv("COURSE_CLAIMS", "skip")
    capsys.readouterr()
    cu.expect("the answer names Paris", False)
    assert capsys.readouterr().out.strip() == "– not checked (COURSE_CLAIMS=skip): the answer names Paris"


def test_the_sanitised_line_keeps_the_band_and_drops_the_decimals(capsys):
    cu.claim("loss falls", 1.4871, at_most=2.0)
    cu.claim("loss falls", 1.5402, at_most=2.0)
    a, b = capsys.readouterr().out.splitlines()
    assert a != b and sanitise(a) == sanitise(b) == "✓ claim: loss falls — band ≤ 2 — measured VALUE"
    cu.claim("loss falls", 1.54, at_most=3.0)
    assert sanitise(capsys.readouterr().out.strip()) != sanitise(a)   # a changed band is a changed output


def test_record_mode_and_the_evidence_log(tmp_path, monkeypatch, capsys):
    log = tmp_path / "ev.jsonl"
    monkeypatch.setenv("COURSE_CLAIMS", "record")
    monkeypatch.setenv("COURSE_CLAIMS_LOG", str(log))
    monkeypatch.setenv("COURSE_SEED", "2")
    cu.setup_lesson("04")
    assert cu.lesson_seed() == 2
    cu.claim("gap", 0.01, at_least=0.15)          # outside, but recorded instead of raised
    cu.claim("gap", 0.30, at_least=0.15)
    rows = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(r["lesson"], r["seed"], r["ok"]) for r in rows] == [("04", 2, False), ("04", 2, True)]
    assert rows[0]["band"] == "≥ 0.15" and rows[0]["torch"]


def test_lesson_seed_is_the_setup_cells_not_a_later_set_seed(monkeypatch):
    monkeypatch.delenv("COURSE_SEED", raising=False)
    cu.setup_lesson("01")
    cu.set_seed(7)
    assert cu.lesson_seed() == 0
    monkeypatch.setenv("COURSE_SEED", "one")
    with pytest.raises(cu.BadInputError, match="COURSE_SEED"):
        cu.setup_lesson("01")


@pytest.mark.parametrize("args,kw,what", [
    (("", 1.0), dict(at_least=0), "statement"),
    (("x — y", 1.0), dict(at_least=0), "statement"),
    (("x", 1.0), {}, "no band"),
    (("x", 1.0), dict(at_least=2, at_most=1), "above"),
    (("x", "high"), dict(at_least=0), "number"),
])
def test_bad_claims_are_refused(args, kw, what):
    with pytest.raises(CourseError, match=what):
        cu.claim(*args, **kw)


@pytest.mark.parametrize("value,band,inside", [
    (0.2, "≥ 0.15", True), (0.1, "≥ 0.15", False), (3, "≤ 5", True), (6, "≤ 5", False),
    (0.7, "0.6 to 0.9", True), (0.95, "0.6 to 0.9", False), (-1.5, "-2 to -1", True),
])
def test_ledger_reads_bands_as_claims_prints_them(value, band, inside):
    from course_utils.kernel.claims import band_text
    assert claims_ledger.in_band(value, band) is inside
    lo, hi = (float(x) for x in band.split(" to ")) if " to " in band else (None, None)
    if lo is not None:
        assert band_text(lo, hi) == band


# ---- the stored notebooks and the ledger ------------------------------------------------------

STORED = claims_ledger.stored_claims()


def test_every_lesson_states_checked_claims():
    lessons = {c["lesson"] for c in STORED}
    measured = {"03", "04", "05", "06", "07", "08", "09"}   # lessons whose conclusions rest on measurements
    assert measured <= lessons, f"no checked claim in lessons {sorted(measured - lessons)}"


def test_stored_claims_all_passed():
    assert [c for c in STORED if c["mark"] != "✓"] == []


def test_ledger_is_up_to_date():
    assert claims_ledger.main(["--check"]) == 0, "run: python tools/claims_ledger.py"


@pytest.mark.parametrize("c", STORED, ids=lambda c: f"{c['lesson']}:{c['statement'][:40]}")
def test_band_rests_on_evidence(c):
    """≥ 3 seeds under ≥ 2 torch versions were run, and every value seen lies inside the band."""
    rows = claims_ledger.evidence().get((c["lesson"], c["statement"]), [])
    seeds, torches = {r["seed"] for r in rows}, {r["torch"].split("+")[0] for r in rows}
    assert len(seeds) >= 3 and len(torches) >= 2, (
        f"evidence: seeds {sorted(seeds)}, torch {sorted(torches)}; run tools/claim_evidence.py")
    outside = [r["value"] for r in rows if not claims_ledger.in_band(r["value"], c["band"])]
    assert outside == [], f"evidence values outside the band {c['band']}: {outside}"
