"""Build a lesson notebook from its percent-format source and store one clean run's outputs.

    python tools/build_notebook.py tools/notebook_sources/05_generation_loop_and_randomness.py

The source (`# %%` code cells, `# %% [markdown]` cells) is the file we edit and review; the
`.ipynb` under notebooks/ is what learners open. The notebook is executed top to bottom in
a fresh kernel with COURSE_MODE=offline, so GitHub shows real, reproducible results.
Widget state is dropped (it would be stale), widget views are kept as their text repr.
The claims ledger docs/claims.md is rewritten afterwards (tools/claims_ledger.py).
"""
from __future__ import annotations

import argparse
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
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def target_for(src: Path) -> Path:
    """00_setup -> notebooks/00_setup.ipynb; 05_x -> notebooks/week3/05_x.ipynb."""
    num = int(src.stem[:2])
    week = {0: None, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}.get(num)
    folder = ROOT / "notebooks" / (f"week{week}" if week else "")
    return folder / f"{src.stem}.ipynb"


def is_solution(source: str) -> bool:
    """A worked solution: '# Solution' among the cell's opening comment lines (markers may come first)."""
    for line in source.lstrip().splitlines():
        if not line.startswith("#"):
            return False
        if line.startswith("# Solution"):
            return True
    return False


def strip_widget_state(nb) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)


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
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(out.parent)}}).execute()
        print(f"{out.relative_to(ROOT)}: executed in {time.perf_counter() - t0:.0f} s")
    strip_widget_state(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and is_solution(cell.source):
            cell.metadata["jupyter"] = {"source_hidden": True}  # collapsed until clicked
    nbformat.write(nb, out)
    return out


def sync_markdown(src: Path) -> Path:
    """Copy changed markdown cells into the stored notebook, keeping the stored run's outputs.

    Only when every code cell is unchanged (markdown has no outputs, so the stored run stays the
    run of this source); otherwise the notebook must be rebuilt.
    """
    out = target_for(src)
    new, stored = read_source(src), nbformat.read(out, as_version=4)
    shape = lambda nb: [(c.cell_type, c.source if c.cell_type == "code" else None) for c in nb.cells]
    if shape(new) != shape(stored):
        raise SystemExit(f"{src.name}: code cells changed, run: python tools/build_notebook.py {src}")
    for old_cell, new_cell in zip(stored.cells, new.cells):
        if old_cell.cell_type == "markdown":
            old_cell.source = new_cell.source
    nbformat.write(stored, out)
    return out


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
