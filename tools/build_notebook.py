"""Build a lesson notebook from its percent-format source and store one clean run's outputs.

    python tools/build_notebook.py tools/notebook_sources/05_generation_loop_and_randomness.py

The source (`# %%` code cells, `# %% [markdown]` cells) is the file we edit and review. It is
executed once, top to bottom, in a fresh kernel with COURSE_MODE=offline, and that one run is
written as two editions:
- `solutions/weekK/NN_x.ipynb`, the **solutions edition**: every cell, worked solutions included
  (nbval runs this one in the test command, so a solution can never rot);
- `notebooks/weekK/NN_x.ipynb`, the **learner edition**: the same cells and outputs without the
  worked solutions (cells whose opening comment is `# Solution...`), each replaced by a line that
  points to the solutions edition. Solutions stay hidden on JupyterLab, Colab and GitHub alike.
Widget state is saved with the run (JupyterLab restores the widgets from it), and every widget
view carries a static picture of its first state (course_utils.widgets.output.Previewed).
The claims ledger docs/claims.md is rewritten afterwards (tools/claims_ledger.py).
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import claims_ledger  # noqa: E402
import repo  # noqa: E402


def target_for(src: Path, edition: str = "notebooks") -> Path:
    """00_setup -> notebooks/00_setup.ipynb; 05_x -> notebooks/week3/05_x.ipynb
    (edition "solutions": the same path under solutions/)."""
    num = int(src.stem[:2])
    week = {0: None, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}.get(num)
    folder = ROOT / edition / (f"week{week}" if week else "")
    return folder / f"{src.stem}.ipynb"


def colab_url(path: Path) -> str:
    return f"https://colab.research.google.com/github/{repo.repo_slug()}/blob/main/{path.relative_to(ROOT).as_posix()}"


def solutions_pointer(src: Path) -> str:
    """The line that stands in the learner edition where a worked solution was."""
    learner, full = target_for(src), target_for(src, "solutions")
    rel = os.path.relpath(full, learner.parent).replace(os.sep, "/")
    return ("> **Worked solution (풀이)**: try it yourself first. Then open the "
            f"[solutions edition]({rel}) ([on Colab]({colab_url(full)})), where it runs.")


def editions(nb, src: Path):
    """(learner, full): the learner edition drops every solution cell and puts one pointer line
    where each run of solution cells was; the full (solutions) edition keeps everything and says
    which edition it is in its first cell. Outputs, ids and execution counts are the run's own."""
    full = copy.deepcopy(nb)
    learner_path, full_path = target_for(src), target_for(src, "solutions")
    first = full.cells[0]
    first.source = first.source.replace(colab_url(learner_path), colab_url(full_path))
    rel = os.path.relpath(learner_path, full_path.parent).replace(os.sep, "/")
    first.source += ("\n\n> **Solutions edition (풀이 포함)**: this copy runs every worked solution. "
                     f"Learners start with the [learner edition]({rel}), where the solutions are hidden.")
    learner = copy.deepcopy(nb)
    cells, in_solution = [], False
    for cell in nb.cells:
        if cell.cell_type == "code" and is_solution(cell.source):
            if not in_solution:
                pointer = nbformat.v4.new_markdown_cell(solutions_pointer(src))
                pointer.id = f"{cell.id}-solution"
                cells.append(pointer)
            in_solution = True
            continue
        in_solution = False
        cells.append(copy.deepcopy(cell))
    learner.cells = cells
    return learner, full


def is_solution(source: str) -> bool:
    """A worked solution: '# Solution' among the cell's opening comment lines (markers may come first)."""
    for line in source.lstrip().splitlines():
        if not line.startswith("#"):
            return False
        if line.startswith("# Solution"):
            return True
    return False


def stable_cell_ids(nb) -> None:
    """Ids by position, not random: a rebuild then changes only what really changed."""
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"


def read_source(src: Path):
    """The source as a notebook, with the repository's name filled in (see tools/repo.py)."""
    nb = jupytext.read(src, fmt="py:percent")
    for cell in nb.cells:
        cell.source = repo.fill(cell.source)
    return nb


def build(src: Path, execute: bool = True, timeout: int = 900) -> Path:
    nb = read_source(src)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.pop("jupytext", None)
    stable_cell_ids(nb)
    out = target_for(src)
    out.parent.mkdir(parents=True, exist_ok=True)
    if execute:
        os.environ.setdefault("COURSE_MODE", "offline")
        for var in ("COURSE_SEED", "COURSE_CLAIMS", "COURSE_CLAIMS_LOG"):   # stored runs: seed 0, claims enforced
            os.environ.pop(var, None)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                       resources={"metadata": {"path": str(out.parent)}}).execute()
        print(f"{out.relative_to(ROOT)}: executed in {time.perf_counter() - t0:.0f} s")
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and is_solution(cell.source):
            cell.metadata["jupyter"] = {"source_hidden": True}  # collapsed in the solutions edition too
    write_editions(nb, src)
    return out


def write_editions(nb, src: Path) -> None:
    learner, full = editions(nb, src)
    for edition, path in ((learner, target_for(src)), (full, target_for(src, "solutions"))):
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(edition, path)


def sync_markdown(src: Path) -> Path:
    """Copy changed markdown cells into the stored notebook, keeping the stored run's outputs.

    Only when every code cell is unchanged (markdown has no outputs, so the stored run stays the
    run of this source); otherwise the notebook must be rebuilt.
    """
    out = target_for(src, "solutions")
    new, stored = read_source(src), nbformat.read(out, as_version=4)
    stored.cells[0].source = new.cells[0].source    # the edition line is added again below
    shape = lambda nb: [(c.cell_type, c.source if c.cell_type == "code" else None) for c in nb.cells]
    if shape(new) != shape(stored):
        raise SystemExit(f"{src.name}: code cells changed, run: python tools/build_notebook.py {src}")
    for old_cell, new_cell in zip(stored.cells, new.cells):
        if old_cell.cell_type == "markdown":
            old_cell.source = new_cell.source
    write_editions(stored, src)
    return target_for(src)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="+", type=Path)
    ap.add_argument("--no-execute", action="store_true")
    ap.add_argument("--markdown-only", action="store_true",
                    help="only copy changed markdown cells in (code cells must be unchanged)")
    args = ap.parse_args(argv)
    for src in args.sources:
        if args.markdown_only:
            print(f"{sync_markdown(src).relative_to(ROOT)}: markdown cells updated, outputs kept")
        else:
            build(src, execute=not args.no_execute)
    claims_ledger.main([])   # docs/claims.md follows the stored claims


if __name__ == "__main__":
    sys.exit(main())
