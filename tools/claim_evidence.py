"""Evidence for the claims' bands: run lessons under other seeds and record every claim's value.

    python tools/claim_evidence.py --seeds 0 1 2 tools/notebook_sources/04_fine_tuning.py
    /path/to/other-venv/bin/python tools/claim_evidence.py --seeds 0 1 2 tools/notebook_sources/*.py

Each run executes the lesson top to bottom in a fresh kernel of the Python that runs this tool
(so another venv gives another torch), with COURSE_SEED set and COURSE_CLAIMS=record (a claim
outside its band is recorded, not raised). The claims of all seeds, one JSON line each, replace
docs/claims_evidence/NN-torch<version>.jsonl (one file per lesson and torch version, so reruns
never mix with stale rows). Nothing under notebooks/ is written. Then set each band so that
every run passes with margin, and rebuild the ledger (tools/claims_ledger.py).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import jupytext
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from build_notebook import target_for  # noqa: E402
from claims_ledger import EVIDENCE_DIR  # noqa: E402
from repo import lesson_id  # noqa: E402


def run_once(src: Path, seed: int, log: Path, timeout: int = 1800) -> float:
    nb = jupytext.read(src, fmt="py:percent")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    os.environ.update(COURSE_MODE="offline", COURSE_SEED=str(seed), COURSE_CLAIMS="record",
                      COURSE_CLAIMS_LOG=str(log))
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(target_for(src).parent)}}).execute()
    return time.perf_counter() - t0


def _seeds_first(argv: list[str]) -> list[str]:
    """Let `--seeds 0 1 2 lesson.py` work: end the seed list where the numbers end."""
    if "--seeds" in argv:
        i = j = argv.index("--seeds")
        while j + 1 < len(argv) and argv[j + 1].isdigit():
            j += 1
        argv = argv[:i] + argv[j + 1:] + argv[i:j + 1]
    return argv


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="+", type=Path)
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2], help="whole numbers (default 0 1 2)")
    args = ap.parse_intermixed_args(_seeds_first(sys.argv[1:] if argv is None else list(argv)))
    import torch
    version = torch.__version__.split("+")[0]
    EVIDENCE_DIR.mkdir(parents=True, exist_ok=True)
    for src in args.sources:
        final = EVIDENCE_DIR / f"{lesson_id(src)}-torch{version}.jsonl"
        partial = final.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        for seed in args.seeds:
            secs = run_once(src, seed, partial)
            print(f"{src.stem} seed {seed} torch {torch.__version__}: {secs:.0f} s", flush=True)
        partial.touch()
        partial.replace(final)   # all seeds done: replaces this lesson's evidence for this torch
        print(f"wrote {final.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
