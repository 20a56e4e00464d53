"""Why the test suite sets OMP_WAIT_POLICY=PASSIVE: two torch jobs sharing the cores.

    python benchmarks/bench_parallel_torch.py

scripts/run.sh test runs two pytest workers (a notebook under nbval beside a notebook in the
browser). Each kernel's torch uses every core; with OpenMP's default (active) waiting, threads
of one job spin while the other job holds the core. This times one small MLP training job
(forward + backward, 300 steps) alone and as a pair, with the default and the passive policy,
and with one thread per job. Writes benchmarks/results/parallel_torch.md.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "results" / "parallel_torch.md"
JOB = """
import time, torch
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(384, 1536), torch.nn.GELU(), torch.nn.Linear(1536, 384))
x = torch.randn(64, 384)
t = time.perf_counter()
for _ in range(300):
    m(x).sum().backward()
print(f"{time.perf_counter() - t:.3f} {torch.get_num_threads()}")
"""


def run(n_jobs: int, env: dict) -> list[tuple[float, int]]:
    procs = [subprocess.Popen([sys.executable, "-c", JOB], env={**os.environ, **env}, stdout=subprocess.PIPE,
                              text=True) for _ in range(n_jobs)]
    results = []
    for p in procs:
        seconds, threads = p.communicate()[0].split()
        results.append((float(seconds), int(threads)))
    return results


def main():
    cases = [("one job alone, default", 1, {}),
             ("one job alone, OMP_WAIT_POLICY=PASSIVE", 1, {"OMP_WAIT_POLICY": "PASSIVE"}),
             ("two jobs at once, default (active waiting)", 2, {}),
             ("two jobs at once, OMP_WAIT_POLICY=PASSIVE", 2, {"OMP_WAIT_POLICY": "PASSIVE"}),
             ("two jobs at once, OMP_NUM_THREADS=1", 2, {"OMP_NUM_THREADS": "1"})]
    rows = ["| case | torch threads per job | seconds per job |", "|---|---|---|"]
    for label, n, env in cases:
        res = run(n, env)
        rows.append(f"| {label} | {res[0][1]} | {' / '.join(f'{s:.2f}' for s, _ in res)} |")
        print(rows[-1], flush=True)
    text = (f"# Two torch jobs sharing the CPU\n\n{os.cpu_count()} cores, {platform.machine()}, "
            f"Python {platform.python_version()}. `python benchmarks/bench_parallel_torch.py`\n\n"
            + "\n".join(rows) + "\n")
    OUT.write_text(text)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
