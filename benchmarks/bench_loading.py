"""Offline model load time (cold = GGUF -> safetensors conversion, cached) and generation speed.

    python benchmarks/bench_loading.py            # prints a markdown table
Writes benchmarks/results/loading.md. Not part of the test suite (timings are not tests).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("COURSE_MODE", "offline")
RESULTS = Path(__file__).parent / "results" / "loading.md"


def timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def main():
    import torch
    import course_utils as cu
    from course_utils.kernel import cache
    cu.quiet_libraries()
    rows = []
    usual_cache = os.environ.get(cache.CACHE_ENV)
    with tempfile.TemporaryDirectory() as tmp:  # a cold cache: forces the one-time conversion
        os.environ[cache.CACHE_ENV] = tmp
        _, cold = timed(lambda: cu.load_model("text-generation", verbose=False))
        _, warm = timed(lambda: cu.load_model("text-generation", verbose=False), repeat=3)
        _, train = timed(lambda: cu.load_model("sentiment", verbose=False))
        _, clf_warm = timed(lambda: cu.load_model("sentiment", verbose=False), repeat=3)
    if usual_cache is None:   # back to the usual cache: the temporary one is gone
        os.environ.pop(cache.CACHE_ENV)
    else:
        os.environ[cache.CACHE_ENV] = usual_cache
    rows += [("SmolLM2-135M load, cold (GGUF → safetensors conversion)", f"{cold:.1f} s"),
             ("SmolLM2-135M load, cached", f"{warm:.2f} s"),
             ("offline sentiment model, first use (fine-tunes MiniLM on tweets)", f"{train:.0f} s"),
             ("offline sentiment model, cached", f"{clf_warm:.2f} s")]
    lm = cu.load_model("text-generation", verbose=False)
    ids = lm.tokenizer("Once upon a time", return_tensors="pt")
    for label, kwargs in [("greedy", dict(do_sample=False)), ("sampled, T=0.7", dict(do_sample=True, temperature=0.7))]:
        torch.manual_seed(0)
        n = 64
        _, t = timed(lambda: lm.model.generate(**ids, max_new_tokens=n, min_new_tokens=n, **kwargs,
                                               pad_token_id=lm.tokenizer.eos_token_id), repeat=3)
        rows.append((f"SmolLM2 generation, batch 1, {label}", f"{n / t:.1f} tokens/s"))
    batch = lm.tokenizer(["Once upon a time"] * 4, return_tensors="pt")
    _, t = timed(lambda: lm.model.generate(**batch, max_new_tokens=64, min_new_tokens=64, do_sample=False,
                                           pad_token_id=lm.tokenizer.eos_token_id), repeat=2)
    rows.append(("SmolLM2 generation, batch 4, greedy (aggregate)", f"{4 * 64 / t:.1f} tokens/s"))
    table = "| what | measured |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)
    header = (f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, "
              f"{time.strftime('%Y-%m-%d')}\n\n")
    print(table)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("# Offline model loading and generation speed\n\n" + header + table + "\n")


if __name__ == "__main__":
    sys.exit(main())
