"""Every lesson notebook follows the skeleton and stores one clean top-to-bottom run."""
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tools" / "notebook_sources"
sys.path.insert(0, str(ROOT / "tools"))
from build_notebook import is_solution  # noqa: E402
from repo import notebooks  # noqa: E402

NOTEBOOKS = notebooks()


def cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def text(cell):
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_skeleton(nb_path):
    cs = cells(nb_path)
    md = [text(c) for c in cs if c["cell_type"] == "markdown"]
    code = [text(c) for c in cs if c["cell_type"] == "code"]
    assert md and md[0].lstrip().startswith("# "), "first cell: a title"
    assert re.search(r"what you will learn", md[0], re.I), "objectives in the first cell"
    assert re.search(r"[\uac00-\ud7a3]", md[0]), "Korean key terms beside the English"
    assert "colab.research.google.com" in md[0], "an Open in Colab badge"
    assert any("setup_lesson(" in c for c in code[:2]), "a setup cell near the top"
    assert any(c.lstrip().startswith("# Self-check") for c in code), "at least one self-check cell"
    assert any(re.search(r"^#+ .*Exercises", m, re.M) for m in md), "an Exercises section"
    assert any(is_solution(c) for c in code), "worked solutions"
    assert any(re.search(r"^#+ .*Summary", m, re.M) for m in md), "a Summary section"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_come_from_one_clean_run(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c is not None for c in counts), "every code cell was run"
    assert counts == list(range(1, len(counts) + 1)), "execution counts 1, 2, 3, ... (one top-to-bottom run)"
    for c in nb["cells"]:
        for out in c.get("outputs", []):
            assert out["output_type"] != "error", f"stored error output: {out.get('ename')}"
    assert "widgets" not in nb.get("metadata", {}), "no stale widget state"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_has_its_source(nb_path):
    assert (SOURCES / f"{nb_path.stem}.py").is_file(), "built from tools/notebook_sources (see docs/authoring.md)"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_matches_its_source(nb_path):
    """Nobody edited the .ipynb by hand: its cells are exactly those of its source file."""
    pytest.importorskip("jupytext")
    src = SOURCES / f"{nb_path.stem}.py"
    if not src.is_file():
        pytest.fail(f"{src} is missing")
    import build_notebook                         # the source as the build reads it ({{REPO}} filled in)
    expected = [(c.cell_type, c.source) for c in build_notebook.read_source(src).cells]
    stored = [(c["cell_type"], text(c)) for c in cells(nb_path)]
    assert stored == expected, "rebuild with: python tools/build_notebook.py " + str(src.relative_to(ROOT))


NBVAL_MARKERS = {"NBVAL_IGNORE_OUTPUT", "NBVAL_CHECK_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION"}


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbval_markers_are_exact(nb_path):
    """nbval honours a marker only when it is the whole comment: '# NBVAL_IGNORE_OUTPUT (why)' is ignored."""
    for c in cells(nb_path):
        if c["cell_type"] != "code":
            continue
        for line in text(c).splitlines():
            if "NBVAL_" in line and line.strip().startswith("#"):
                assert line.strip().lstrip("#").strip() in NBVAL_MARKERS, f"not a marker nbval reads: {line!r}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_ignored_output_says_why(nb_path):
    """A cell nbval does not compare must say why on the next line (measured, widget, ...)."""
    for i, c in enumerate(cells(nb_path)):
        lines = [line.strip() for line in text(c).splitlines()]
        if c["cell_type"] == "code" and "# NBVAL_IGNORE_OUTPUT" in lines:
            after = lines[lines.index("# NBVAL_IGNORE_OUTPUT") + 1:][:1]
            assert after and after[0].startswith("#") and len(after[0]) > 12, (
                f"cell {i}: say on the line after # NBVAL_IGNORE_OUTPUT why its output is not compared")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_are_collapsed(nb_path):
    for c in cells(nb_path):
        if c["cell_type"] == "code" and is_solution(text(c)):
            assert c["metadata"].get("jupyter", {}).get("source_hidden") is True


COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/main/([^)\s]+\.ipynb)")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_badge_opens_this_notebook(nb_path):
    md0 = text(cells(nb_path)[0])
    links = COLAB_LINK.findall(md0)
    assert links == [str(nb_path.relative_to(ROOT))], f"the badge opens {links}"


def test_readme_badges_open_existing_notebooks():
    links = COLAB_LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert sorted(set(links)) == sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS)
