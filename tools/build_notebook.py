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

The same run also gives the **Korean edition** (`notebooks/ko/...`, `solutions/ko/...`): the markdown
cells come from tools/notebook_sources/ko/<stem>.md (tools/translations.py), the code cells and
outputs are the English run's, except that the setup cell says `language="ko"` and the cells that
show the workbook's own messages (quizzes, exercise checks, widgets) are run once more in the same
kernel after `set_language("ko")`, so their stored outputs and widgets speak Korean. Nothing else
runs twice.
The claims ledger docs/claims.md is rewritten afterwards (tools/claims_ledger.py).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.util import ensure_async, run_sync

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import claims_ledger  # noqa: E402
import repo  # noqa: E402
import translations  # noqa: E402

LANGUAGES = ("en", "ko")


def target_for(src: Path, edition: str = "notebooks", lang: str = "en") -> Path:
    """00_setup -> notebooks/00_setup.ipynb; 05_x -> notebooks/week3/05_x.ipynb
    (edition "solutions": the same path under solutions/; lang "ko": under notebooks/ko/)."""
    num = int(src.stem[:2])
    week = {0: None, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}.get(num)
    folder = ROOT / edition / ("ko" if lang == "ko" else "") / (f"week{week}" if week else "")
    return folder / f"{src.stem}.ipynb"


def colab_url(path: Path) -> str:
    return f"https://colab.research.google.com/github/{repo.repo_slug()}/blob/main/{path.relative_to(ROOT).as_posix()}"


def solutions_pointer(src: Path, lang: str = "en") -> str:
    """The line that stands in the learner edition where a worked solution was."""
    learner, full = target_for(src, lang=lang), target_for(src, "solutions", lang)
    rel = os.path.relpath(full, learner.parent).replace(os.sep, "/")
    if lang == "ko":
        return ("> **풀이 (Worked solution)**: 먼저 직접 풀어 보세요. 그다음 풀이가 실행되는 "
                f"[풀이판]({rel})([Colab에서 열기]({colab_url(full)}))을 여세요.")
    return ("> **Worked solution (풀이)**: try it yourself first. Then open the "
            f"[solutions edition]({rel}) ([on Colab]({colab_url(full)})), where it runs.")


def solutions_line(src: Path, lang: str = "en") -> str:
    """What the solutions edition's first cell adds: which edition this is, and the way back."""
    learner, full = target_for(src, lang=lang), target_for(src, "solutions", lang)
    rel = os.path.relpath(learner, full.parent).replace(os.sep, "/")
    if lang == "ko":
        return ("> **풀이판 (Solutions edition)**: 이 사본은 모든 풀이를 실행합니다. "
                f"학습은 풀이가 숨겨진 [학습판]({rel})에서 시작하세요.")
    return ("> **Solutions edition (풀이 포함)**: this copy runs every worked solution. "
            f"Learners start with the [learner edition]({rel}), where the solutions are hidden.")


def editions(nb, src: Path, lang: str = "en"):
    """(learner, full): the learner edition drops every solution cell and puts one pointer line
    where each run of solution cells was; the full (solutions) edition keeps everything and says
    which edition it is in its first cell. Outputs, ids and execution counts are the run's own."""
    full = copy.deepcopy(nb)
    learner_path, full_path = target_for(src, lang=lang), target_for(src, "solutions", lang)
    first = full.cells[0]
    first.source = first.source.replace(colab_url(learner_path), colab_url(full_path))
    first.source += "\n\n" + solutions_line(src, lang)
    learner = copy.deepcopy(nb)
    cells, in_solution = [], False
    for cell in nb.cells:
        if cell.cell_type == "code" and is_solution(cell.source):
            if not in_solution:
                pointer = nbformat.v4.new_markdown_cell(solutions_pointer(src, lang))
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


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SETUP_CALL = re.compile(r"""(setup_lesson\((["'])\w+\2)\)""")


def speaks(cell) -> bool:
    """A cell whose output is the workbook's own words (a quiz, an exercise check, a widget): the
    Korean edition runs it again after set_language("ko")."""
    if cell.cell_type != "code":
        return False
    shows_widget = any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))
    return shows_widget or "show_quiz(" in cell.source or "check_exercise(" in cell.source


def korean_setup(source: str) -> str:
    """The setup cell of the Korean edition: the same call with language="ko"."""
    new, n = SETUP_CALL.subn(r'\1, language="ko")', source)
    return new if n == 1 else source


class TwoLanguageClient(NotebookClient):
    """Runs the notebook once; then, in the same kernel, the cells that speak (see `speaks`) again in
    Korean. `korean_outputs[cell id]` and `korean_widgets` hold what that second pass showed."""

    async def async_execute(self, reset_kc: bool = False, **kwargs):
        self.reset_execution_trackers()
        self.korean_outputs, self.korean_widgets = {}, None
        async with self.async_setup_kernel(**kwargs):
            msg_id = await ensure_async(self.kc.kernel_info())
            info = await self.async_wait_for_reply(msg_id)
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(self.nb.cells):
                await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
            self.set_widgets_metadata()
            english_widgets = copy.deepcopy(self.nb.metadata.get("widgets"))
            english_cells = list(self.nb.cells)     # async_execute_cell stores the cell it ran at its index
            switch = nbformat.v4.new_code_cell("from course_utils.kernel.i18n import set_language\nset_language('ko')")
            await self.async_execute_cell(switch, 0)
            for index, cell in enumerate(english_cells):
                if speaks(cell):
                    again = copy.deepcopy(cell)
                    again.outputs = []
                    await self.async_execute_cell(again, index, execution_count=cell.execution_count)
                    self.korean_outputs[cell.id] = again.outputs
            self.nb.cells = english_cells
            self.set_widgets_metadata()
            self.korean_widgets = self.nb.metadata.get("widgets")
            if english_widgets is None:
                self.nb.metadata.pop("widgets", None)
            else:
                self.nb.metadata["widgets"] = english_widgets
        return self.nb

    execute = run_sync(async_execute)   # the base class binds its own async_execute here


def reachable_widget_state(widgets, cells):
    """The part of a widget state that the views in `cells` use (models refer to each other as
    "IPY_MODEL_<id>"), so the Korean edition stores only its own widgets."""
    if not widgets:
        return None
    state = widgets[WIDGET_STATE]["state"]
    todo = [o["data"][WIDGET_VIEW]["model_id"] for c in cells for o in c.get("outputs", [])
            if WIDGET_VIEW in o.get("data", {})]
    seen = set()
    while todo:
        mid = todo.pop()
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        todo += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state[mid]))
    if not seen:
        return None
    kept = copy.deepcopy(widgets)
    kept[WIDGET_STATE]["state"] = {k: v for k, v in state.items() if k in seen}
    return kept


def korean_notebook(nb, src: Path, korean_outputs=None, korean_widgets=None):
    """The Korean twin of a run notebook: translated markdown, the English run's code and outputs,
    the Korean outputs of the cells that speak. A markdown cell with no current translation keeps
    its English text (the drift test, tests/test_korean_edition.py, fails until it is translated)."""
    ko = copy.deepcopy(nb)
    blocks = translations.parse(translations.korean_file(src))
    hashes = iter(h for h, _ in translations.english_cells(src))
    english_url, korean_url = colab_url(target_for(src)), colab_url(target_for(src, lang="ko"))
    missing = 0
    for cell in ko.cells:
        if cell.cell_type == "markdown":
            h = next(hashes)
            if h in blocks:
                cell.source = repo.fill(blocks[h]).replace(english_url, korean_url)
            else:
                missing += 1
        elif "setup_lesson(" in cell.source:
            cell.source = korean_setup(cell.source)
        if korean_outputs is not None and cell.get("id") in korean_outputs:
            cell.outputs = korean_outputs[cell.id]
    if korean_outputs is not None:
        widgets = reachable_widget_state(korean_widgets, ko.cells)
        ko.metadata.pop("widgets", None)
        if widgets:
            ko.metadata["widgets"] = widgets
    if missing:
        print(f"{src.stem}: {missing} markdown cells have no current Korean translation "
              "(python tools/translations.py status)")
    return ko


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
        client = TwoLanguageClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                                   resources={"metadata": {"path": str(out.parent)}})
        client.execute()
        print(f"{out.relative_to(ROOT)}: executed in {time.perf_counter() - t0:.0f} s "
              f"({len(client.korean_outputs)} cells again in Korean)")
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and is_solution(cell.source):
            cell.metadata["jupyter"] = {"source_hidden": True}  # collapsed in the solutions edition too
    write_editions(nb, src)
    if execute:
        write_editions(korean_notebook(nb, src, client.korean_outputs, client.korean_widgets), src, "ko")
    return out


def write_editions(nb, src: Path, lang: str = "en") -> None:
    learner, full = editions(nb, src, lang)
    for edition, path in ((learner, target_for(src, lang=lang)), (full, target_for(src, "solutions", lang))):
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
    sync_korean(src)
    return target_for(src)


def sync_korean(src: Path) -> Path:
    """Rewrite the Korean editions from the stored Korean run with the current translations (the
    Korean outputs of the cells that speak are kept; everything else is the English run's)."""
    english = nbformat.read(target_for(src, "solutions"), as_version=4)
    english.cells[0].source = read_source(src).cells[0].source
    stored_path = target_for(src, "solutions", "ko")
    if not stored_path.exists():
        raise SystemExit(f"{src.name}: no Korean run stored yet, run: python tools/build_notebook.py {src}")
    stored = nbformat.read(stored_path, as_version=4)
    markdown = lambda nb: sum(c.cell_type == "markdown" for c in nb.cells)
    if len(stored.cells) != len(english.cells) or markdown(read_source(src)) != markdown(english):
        raise SystemExit(f"{src.name}: the stored run is not this source's, run: python tools/build_notebook.py {src}")
    outputs = {c.id: c.outputs for c in stored.cells if speaks(c)}
    write_editions(korean_notebook(english, src, outputs, stored.metadata.get("widgets")), src, "ko")
    return target_for(src, lang="ko")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="+", type=Path)
    ap.add_argument("--no-execute", action="store_true")
    ap.add_argument("--markdown-only", action="store_true",
                    help="only copy changed markdown cells in (code cells must be unchanged)")
    ap.add_argument("--korean-only", action="store_true",
                    help="only rewrite the Korean editions from the stored runs and the current translations")
    args = ap.parse_args(argv)
    for src in args.sources:
        if args.korean_only:
            print(f"{sync_korean(src).relative_to(ROOT)}: Korean edition rewritten, outputs kept")
        elif args.markdown_only:
            print(f"{sync_markdown(src).relative_to(ROOT)}: markdown cells updated, outputs kept")
        else:
            build(src, execute=not args.no_execute)
    claims_ledger.main([])   # docs/claims.md follows the stored claims


if __name__ == "__main__":
    sys.exit(main())
