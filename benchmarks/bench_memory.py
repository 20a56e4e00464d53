"""Peak memory of each notebook's kernel, one top-to-bottom run each, offline (issue 15: goal ≤ 3 GB).

    python benchmarks/bench_memory.py                      # every notebook
    python benchmarks/bench_memory.py notebooks/week2/04_fine_tuning.ipynb

Each notebook runs in a fresh kernel started by a fresh Python process; after the kernel has shut
down, that process reads the largest resident set of its finished children (`ru_maxrss` of
RUSAGE_CHILDREN), which is the kernel's peak. Linux only (ru_maxrss in kilobytes). The offline
models must already be cached (`python -m course_utils.prepare`), as for the lessons themselves.
Prints a Markdown table; the README's course map quotes it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import repo  # noqa: E402

CHILD = """
import json, resource, sys
sys.path.insert(0, {tools!r})
import run_notebook
_, seconds = run_notebook.run({path!r}, {{"COURSE_MODE": "offline"}})
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"seconds": seconds, "peak_gib": peak_kb / 2**20}}))
"""


def measure(path: Path) -> dict:
    code = CHILD.format(tools=str(ROOT / "tools"), path=str(path))
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", TOKENIZERS_PARALLELISM="false")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or repo.notebooks("solutions")
    print("| notebook | peak memory of the kernel | run time |")
    print("|---|---|---|")
    for path in paths:
        m = measure(path)
        print(f"| {repo.lesson_id(path)} | {m['peak_gib']:.2f} GiB | {m['seconds']:.0f} s |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
