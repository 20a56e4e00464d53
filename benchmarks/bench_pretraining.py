"""Pretraining speed and quality in a fixed time budget (Week 2, notebook 03).

    python benchmarks/bench_pretraining.py                 # 60 s per model, KJV
    python benchmarks/bench_pretraining.py --seconds 120 --corpus shakespeare --sizes 2x64 4x128 6x192

Prints a markdown table: tokens/s, steps done, training and validation loss reached. Timings
depend on the machine and on its load: note both (`uptime`) next to the numbers you record.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("COURSE_MODE", "offline")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402

from course_utils.training import lm  # noqa: E402
from course_utils.data.corpora import load_corpus, train_val_split  # noqa: E402
from course_utils.kernel.quiet import quiet_libraries  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="training budget per model")
    ap.add_argument("--corpus", default="kjv", choices=["kjv", "shakespeare"])
    ap.add_argument("--sizes", nargs="+", default=["4x128"], help="LAYERSxWIDTH, e.g. 2x64 4x128 6x192")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--block-size", type=int, default=128)
    args = ap.parse_args(argv)
    quiet_libraries()

    t0 = time.perf_counter()
    train_text, val_text = train_val_split(load_corpus(args.corpus), 0.05)
    tok = lm.train_bpe_tokenizer(train_text, vocab_size=2000)
    train_ids, val_ids = lm.encode(tok, train_text), lm.encode(tok, val_text)
    prep = time.perf_counter() - t0

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"corpus {args.corpus}: {train_ids.numel():,} training tokens; tokenizer + encoding {prep:.1f} s")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch threads "
          f"{torch.get_num_threads()}, load average at start {load:.1f}; budget {args.seconds:.0f} s per model, "
          f"batch {args.batch_size} x {args.block_size} tokens\n")
    print("| model | params | steps | tokens/s | steps/s | train loss | val loss | val perplexity |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        layers, width = (int(v) for v in size.lower().split("x"))
        model = lm.make_tiny_gpt(len(tok), n_layer=layers, n_embd=width, n_head=max(1, width // 32),
                                 n_ctx=args.block_size)
        # steps is only an upper bound here: the time budget stops the run (so the warm-up is
        # set explicitly, and the cosine decay over 100k steps leaves the rate ~constant)
        log = lm.train_lm(model, train_ids, val_ids, steps=100_000, warmup=20, batch_size=args.batch_size,
                          block_size=args.block_size, eval_every=100_000, progress=False,
                          max_seconds=args.seconds)
        n = log.steps
        train_loss = log.smoothed(20)[-1]
        print(f"| GPT-2 {layers}x{width} | {model.num_parameters()/1e6:.2f} M | {n} | "
              f"{log.tokens_per_second:,.0f} | {n / log.seconds:.2f} | {train_loss:.2f} | "
              f"{log.final_val_loss:.2f} | {2.718281828 ** log.final_val_loss:.0f} |")


if __name__ == "__main__":
    main()
