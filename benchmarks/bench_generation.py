"""Week 3 generation benchmarks, on the lesson model (SmolLM2 offline), written to results/generation.md.

    COURSE_MODE=offline python benchmarks/bench_generation.py [--threads N]

Measures:
1. re-render time of the sampling playground when a distribution slider moves (cached logits +
   transformations + the bar chart rendered to PNG); goal < 100 ms;
2. tokens/s of the hand-written loop with and without the KV cache (short and long prompt);
3. tokens/s of the hand-written loop versus `model.generate` (greedy).
Each timing is the best of a few runs, so other load on the machine inflates it less.
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("COURSE_MODE", "offline")
os.environ.setdefault("TQDM_DISABLE", "1")

import torch  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils.sampling import generation as G  # noqa: E402
from course_utils.sampling.playground import sampling_view  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "generation.md"


def best(fn, repeats=3):
    return min(_timed(fn) for _ in range(repeats))


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    import matplotlib
    matplotlib.use("Agg")
    lm = cu.load_model("text-generation")
    model, tok = lm
    rows = []

    # 1. slider move: cached logits -> transformations -> figure -> PNG
    prompt = "The best thing about summer is"
    G.next_token_distribution(model, tok, prompt)  # fill the cache, as the widget does when it opens
    misses = G.cache_stats["misses"]
    times, cpu = [], []
    for t in (0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9, 0.8):
        t0, c0 = time.perf_counter(), time.process_time()
        fig, _ = sampling_view(model, tok, prompt, t, 40, 0.9)
        fig.savefig(io.BytesIO(), format="png")
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)   # CPU time: less inflated than wall time by other jobs
    assert G.cache_stats["misses"] == misses, "a slider move called the model"
    t0 = time.perf_counter()
    G.clear_distribution_cache()
    G.next_token_distribution(model, tok, prompt)
    forward = time.perf_counter() - t0
    rows.append(("slider move: re-render (median of 10, no model call)", f"{statistics.median(times) * 1000:.0f} ms",
                 f"goal < 100 ms; max {max(times) * 1000:.0f} ms; CPU time median {statistics.median(cpu) * 1000:.0f} ms"))
    rows.append(("new prompt: one forward pass (for comparison)", f"{forward * 1000:.0f} ms", ""))

    # 2. KV cache on / off
    for name, p, n in [("short prompt (5 tokens)", "Once upon a time", 24),
                       ("long prompt (145 tokens)", "The history of the printing press begins in the fifteenth century. " * 12, 24)]:
        on = best(lambda: G.generate_by_hand(model, tok, p, n, use_cache=True), 2)
        off = best(lambda: G.generate_by_hand(model, tok, p, n, use_cache=False), 2)
        rows.append((f"hand loop, KV cache on, {name}", f"{n / on:.1f} tokens/s", f"{n} new tokens"))
        rows.append((f"hand loop, KV cache off, {name}", f"{n / off:.1f} tokens/s", f"speed-up from the cache {off / on:.1f}x"))

    # 3. hand loop vs generate, greedy, KV cache on
    p, n = "Once upon a time", 32
    ids = tok(p, return_tensors="pt")["input_ids"]
    hand = best(lambda: G.generate_by_hand(model, tok, p, n), 3)
    lib = best(lambda: model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=n,
                                      min_new_tokens=n, pad_token_id=tok.pad_token_id), 3)
    rows.append(("hand loop, greedy, 32 tokens", f"{n / hand:.1f} tokens/s", ""))
    rows.append(("model.generate, greedy, 32 tokens", f"{n / lib:.1f} tokens/s", f"hand / generate = {lib / hand:.2f}"))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = ["# Generation benchmarks (Week 3)", "",
             f"Model: {lm.name} ({lm.source}), float32, torch {torch.__version__}, "
             f"{torch.get_num_threads()} CPU thread(s), {os.cpu_count()} cores, {platform.machine()}; "
             f"1-minute load average at the end: {load:.1f} (other jobs were running when > cores).", "",
             f"Command: `COURSE_MODE=offline python benchmarks/bench_generation.py"
             f"{' --threads ' + str(args.threads) if args.threads else ''}`", "",
             "| measurement | result | note |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {OUT}")


if __name__ == "__main__":
    sys.exit(main())
