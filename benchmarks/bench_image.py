"""Benchmark the notebook-07 text-to-digit diffusion model on this machine.

    COURSE_MODE=offline python benchmarks/bench_image.py [--max-steps 3000] [--target 0.9]

Measures (1) training time until the conditional accuracy reaches each target: the model is
trained in chunks of --chunk steps and, after each chunk, 10 digits x 2 prompts x 20 samples at
guidance w=2 are scored by the independent SVM judge; (2) sampling time per image for 200 and
50 denoising steps, with and without guidance. Both as wall-clock time and as CPU time of this
process: the work runs on one thread, so CPU time is what an idle machine's wall clock shows
even when other jobs share the CPU. Writes benchmarks/results/image.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import torch

from course_utils.generators import diffusion
from course_utils.data.digits import DIGIT_WORDS, PIXELS, load_digit_data
from course_utils.generators.text_condition import PhrasingBank, encode_prompts
from course_utils.generators.text_to_digits import TextToDigits, measure_prompts

OUT = Path(__file__).resolve().parent / "results" / "image.md"
PROMPTS = [p for d in range(10) for p in (f"a handwritten {DIGIT_WORDS[d]}", f"please sketch a {DIGIT_WORDS[d]}")]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=float, nargs="+", default=[0.9, 0.95],
                    help="conditional accuracies to reach at w=2")
    ap.add_argument("--chunk", type=int, default=100)
    ap.add_argument("--max-steps", type=int, default=3000)
    args = ap.parse_args(argv)

    data = load_digit_data()
    t0 = time.perf_counter()
    bank = PhrasingBank.build()
    encode_prompts(PROMPTS)
    encode_s = time.perf_counter() - t0
    schedule = diffusion.linear_schedule(200)
    torch.manual_seed(0)
    model = diffusion.Denoiser(PIXELS, bank.vectors.shape[1], T=200)
    gen = TextToDigits(model, schedule, bank)
    sampler, g = bank.sampler(data.y), torch.Generator().manual_seed(0)
    # one optimizer across chunks (constant lr here, so chunks add up to one plain run)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    abar = schedule.alpha_bars
    curve, train_s, train_cpu, steps, reached = [], 0.0, 0.0, 0, {}
    while steps < args.max_steps and len(reached) < len(args.targets):
        t1, c1 = time.perf_counter(), time.process_time()
        model.train()
        with diffusion.one_cpu_thread("cpu"):
            for _ in range(args.chunk):
                idx = torch.randint(0, len(data.x), (128,), generator=g)
                t = torch.randint(0, 200, (128,), generator=g)
                noise = torch.randn(128, PIXELS, generator=g)
                a = abar[t][:, None]
                xt = a.sqrt() * data.x[idx] + (1 - a).sqrt() * noise
                drop = torch.rand(128, generator=g) < 0.1
                loss = torch.nn.functional.mse_loss(model(xt, t, sampler(idx, g), drop), noise)
                opt.zero_grad()
                loss.backward()
                opt.step()
        model.eval()
        train_s += time.perf_counter() - t1
        train_cpu += time.process_time() - c1
        steps += args.chunk
        acc = measure_prompts(gen, PROMPTS, guidances=(2.0,), n=20, seed=0)["agreement"].mean()
        curve.append((steps, train_s, train_cpu, float(acc)))
        print(f"{steps:5d} steps  {train_s:6.1f} s wall  {train_cpu:6.1f} s CPU  accuracy at w=2: {acc:.3f}", flush=True)
        for target in args.targets:
            if target not in reached and acc >= target:
                reached[target] = (steps, train_s, train_cpu, float(acc))

    cond = encode_prompts("a handwritten seven")[0]
    timing = []
    for n_steps in (200, 50):
        for w in (0.0, 2.0):
            diffusion.sample(model, schedule, 10, cond=cond, guidance=w, n_steps=n_steps)  # warm-up
            t1, c1 = time.perf_counter(), time.process_time()
            diffusion.sample(model, schedule, 200, cond=cond, guidance=w, n_steps=n_steps, seed=1)
            timing.append((n_steps, w, (time.perf_counter() - t1) / 200, (time.process_time() - c1) / 200))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Image generation benchmark (notebook 07: text-conditioned diffusion on 8x8 digits)",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
        f"1 torch thread (the library runs these small matrices on one thread), load average at the end {load:.1f}.",
        f"Model: {model.num_parameters():,}-parameter MLP denoiser, T=200, MiniLM prompt vectors (384), batch 128, "
        f"AdamW lr 2e-3. Encoding {len(bank.texts) + len(PROMPTS)} phrasings with MiniLM (model load included): {encode_s:.1f} s.",
        "",
        "## Training time to a conditional accuracy",
        "",
        "Accuracy = share of samples that the independent SVM judge reads as the asked digit, at guidance w=2, "
        "over 10 digits x 2 prompts (one seen in training, one held out) x 20 samples.",
        "",
        "| steps | training s (wall) | training s (CPU) | accuracy |",
        "|---:|---:|---:|---:|",
        *[f"| {s} | {sec:.1f} | {cpu:.1f} | {a:.3f} |" for s, sec, cpu, a in curve],
        "",
        *[(f"- **accuracy >= {t:.2f}: reached {reached[t][3]:.3f} after {reached[t][0]} steps, "
           f"{reached[t][2]:.1f} s CPU ({reached[t][1]:.1f} s wall).**" if t in reached
           else f"- **accuracy >= {t:.2f}: not reached within {args.max_steps} steps.**") for t in args.targets],
        "",
        "## Sampling time per image (batch of 200)",
        "",
        "| denoising steps | guidance w | ms per image (wall) | ms per image (CPU) |",
        "|---:|---:|---:|---:|",
        *[f"| {n} | {w:g} | {s * 1000:.2f} | {c * 1000:.2f} |" for n, w, s, c in timing],
        "",
        "Guidance w>0 runs the network twice per step (with and without the prompt), hence about twice the time.",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
