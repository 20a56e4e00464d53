"""Every lesson notebook follows the skeleton and stores one clean top-to-bottom run, in two
editions: the learner's (notebooks/, worked solutions hidden) and the solutions edition
(solutions/, the same run with every solution; nbval runs this one)."""
import ast
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tools" / "notebook_sources"
sys.path.insert(0, str(ROOT / "tools"))
from build_notebook import is_solution  # noqa: E402
from repo import lesson_id, notebooks, solutions_edition  # noqa: E402

NOTEBOOKS = notebooks()
FULL = notebooks("solutions")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def text(cell):
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3
    assert [solutions_edition(p) for p in NOTEBOOKS] == FULL, "each lesson in both editions"


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
    assert not any(is_solution(c) for c in code), "no worked solution in the learner edition"
    assert any("**Worked solution (풀이)**" in m for m in md), "pointers to the worked solutions"
    full_code = [text(c) for c in cells(solutions_edition(nb_path)) if c["cell_type"] == "code"]
    assert any(is_solution(c) for c in full_code), "worked solutions in the solutions edition"
    assert any(re.search(r"^#+ .*Summary", m, re.M) for m in md), "a Summary section"
    assert "docs/glossary.md" in md[0], "a link to the glossary in the first cell"
    predictions = [m for m in md if "**Predict first" in m]
    assert len(predictions) >= 2, "at least two 'Predict first' prompts before the cells that answer them"
    lesson = lesson_id(nb_path)
    assert any(f'show_quiz("{lesson}")' in c for c in code), "the lesson's quiz near the end"
    if lesson != "00":
        assert any(f'check_exercise("{lesson}.' in c for c in code), "a checked exercise (from week 1 on)"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_checked_exercises_answer_in_both_editions(nb_path):
    """The learner's empty function is 'not written yet'; the worked solution passes its checker."""
    def results(path, solution):
        return ["".join(o.get("text", "")) for c in cells(path) if c["cell_type"] == "code"
                and "check_exercise(" in text(c) and is_solution(text(c)) == solution
                for o in c["outputs"] if o["output_type"] == "stream"] + [
                "".join(o["data"]["text/plain"]) for c in cells(path) if c["cell_type"] == "code"
                and "check_exercise(" in text(c) and is_solution(text(c)) == solution
                for o in c["outputs"] if o["output_type"] == "execute_result"]
    learner, full = results(nb_path, False), results(solutions_edition(nb_path), True)
    assert len(learner) == len(full)
    assert all(r.startswith("… ") and "not written yet" in r for r in learner), learner
    assert all(r.startswith("✓ ") for r in full), full


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_learner_edition_is_the_run_without_solutions(nb_path):
    """Same cells, outputs and execution counts as the solutions edition, minus the solutions."""
    full = [c for c in cells(solutions_edition(nb_path)) if not (c["cell_type"] == "code" and is_solution(text(c)))]
    mine = [c for c in cells(nb_path) if "**Worked solution (풀이)**" not in text(c)]
    key = lambda c: (c["cell_type"], text(c), c.get("outputs"), c.get("execution_count"))
    assert [key(c) for c in mine[1:]] == [key(c) for c in full[1:]]


def _names(tree, ctx):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ctx):
            found.add(node.id)
        elif ctx is ast.Store and isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif ctx is ast.Store and isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return found


@pytest.mark.parametrize("nb_path", FULL, ids=lambda p: p.stem)
def test_the_learner_edition_needs_no_solution(nb_path):
    """nbval runs the solutions edition; the learner edition, the same without solutions, must not
    read a name that only a worked solution defines."""
    code = [(is_solution(text(c)), ast.parse(text(c))) for c in cells(nb_path) if c["cell_type"] == "code"]
    lesson_names = set().union(*(_names(t, ast.Store) for sol, t in code if not sol))
    solution_only = set().union(*(_names(t, ast.Store) for sol, t in code if sol)) - lesson_names
    for sol, tree in code:
        if not sol:
            assert not (_names(tree, ast.Load) & solution_only), "a lesson cell uses what only a solution defines"


@pytest.mark.parametrize("nb_path", NOTEBOOKS + FULL, ids=lambda p: f"{p.relative_to(ROOT).parts[0]}-{p.stem}")
def test_widgets_show_a_picture_without_a_kernel(nb_path):
    """Every widget view also carries a static picture (PNG) or HTML of its first state, and the
    widget state is saved, so GitHub, nbviewer, Colab and an unrun JupyterLab show something."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    views = [o["data"] for c in nb["cells"] for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    assert views, "at least the quiz"
    for data in views:
        assert "image/png" in data or "text/html" in data, "a widget view without a static picture"
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    assert all(v[WIDGET_VIEW]["model_id"] in state for v in views), "the widget state is saved with the run"


@pytest.mark.parametrize("nb_path", FULL, ids=lambda p: p.stem)
def test_outputs_come_from_one_clean_run(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c is not None for c in counts), "every code cell was run"
    assert counts == list(range(1, len(counts) + 1)), "execution counts 1, 2, 3, ... (one top-to-bottom run)"
    for c in nb["cells"]:
        for out in c.get("outputs", []):
            assert out["output_type"] != "error", f"stored error output: {out.get('ename')}"


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
    for edition, path in zip(build_notebook.editions(build_notebook.read_source(src), src),
                             (nb_path, solutions_edition(nb_path))):
        expected = [(c.cell_type, c.source) for c in edition.cells]
        stored = [(c["cell_type"], text(c)) for c in cells(path)]
        assert stored == expected, "rebuild with: python tools/build_notebook.py " + str(src.relative_to(ROOT))


NBVAL_MARKERS = {"NBVAL_IGNORE_OUTPUT", "NBVAL_CHECK_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION"}


@pytest.mark.parametrize("nb_path", FULL, ids=lambda p: p.stem)
def test_nbval_markers_are_exact(nb_path):
    """nbval honours a marker only when it is the whole comment: '# NBVAL_IGNORE_OUTPUT (why)' is ignored."""
    for c in cells(nb_path):
        if c["cell_type"] != "code":
            continue
        for line in text(c).splitlines():
            if "NBVAL_" in line and line.strip().startswith("#"):
                assert line.strip().lstrip("#").strip() in NBVAL_MARKERS, f"not a marker nbval reads: {line!r}"


@pytest.mark.parametrize("nb_path", FULL, ids=lambda p: p.stem)
def test_every_ignored_output_says_why(nb_path):
    """A cell nbval does not compare must say why on the next line (measured, widget, ...)."""
    for i, c in enumerate(cells(nb_path)):
        lines = [line.strip() for line in text(c).splitlines()]
        if c["cell_type"] == "code" and "# NBVAL_IGNORE_OUTPUT" in lines:
            after = lines[lines.index("# NBVAL_IGNORE_OUTPUT") + 1:][:1]
            assert after and after[0].startswith("#") and len(after[0]) > 12, (
                f"cell {i}: say on the line after # NBVAL_IGNORE_OUTPUT why its output is not compared")


@pytest.mark.parametrize("nb_path", FULL, ids=lambda p: p.stem)
def test_solutions_are_collapsed(nb_path):
    for c in cells(nb_path):
        if c["cell_type"] == "code" and is_solution(text(c)):
            assert c["metadata"].get("jupyter", {}).get("source_hidden") is True


COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/main/([^)\s]+\.ipynb)")


@pytest.mark.parametrize("nb_path", NOTEBOOKS + FULL, ids=lambda p: f"{p.relative_to(ROOT).parts[0]}-{p.stem}")
def test_colab_badge_opens_this_notebook(nb_path):
    md0 = text(cells(nb_path)[0])
    links = COLAB_LINK.findall(md0)
    assert links == [str(nb_path.relative_to(ROOT))], f"the badge opens {links}"


def test_readme_badges_open_existing_notebooks():
    links = COLAB_LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert sorted(set(links)) == sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS)
