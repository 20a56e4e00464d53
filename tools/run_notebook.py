"""Run a stored notebook top to bottom in a fresh kernel under a given environment.

Used by the online-path tests (tests/test_notebooks_online.py: COURSE_MODE=cached on the copied
Hub, COURSE_DTYPE for the dtype pass) and by benchmarks/gpu_check.py. Nothing is written back:
the stored outputs stay those of tools/build_notebook.py.

    python tools/run_notebook.py notebooks/week1/02_inside_the_pipeline.ipynb COURSE_DTYPE=bfloat16

A notebook source (tools/notebook_sources/*.py) runs too, before it is built: for trying a change.
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


@contextlib.contextmanager
def environment(env: dict[str, str]):
    """Set env vars for the duration (the kernel inherits this process's environment);
    an empty value removes the variable."""
    saved = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v:
            os.environ[k] = v
        else:
            os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run(path: Path, env: dict[str, str] | None = None, timeout: int = 900):
    """Execute the notebook; a cell that raises raises CellExecutionError with its traceback.
    Returns (the executed notebook, seconds)."""
    path = Path(path)
    if path.suffix == ".py":
        from build_notebook import read_source, target_for
        nb, folder = read_source(path), target_for(path).parent
    else:
        nb, folder = nbformat.read(path, as_version=4), path.parent
    t0 = time.perf_counter()
    with environment(env or {}):
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    return nb, time.perf_counter() - t0


def text_outputs(nb) -> str:
    """Every text output of the run, joined (stdout, stderr, plain-text results, errors)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


if __name__ == "__main__":
    target, *pairs = sys.argv[1:]
    nb, seconds = run(Path(target), dict(p.split("=", 1) for p in pairs))
    print(text_outputs(nb))
    print(f"== {target}: ran in {seconds:.0f} s")
