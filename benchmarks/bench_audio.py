"""Benchmarks for lesson 08 (audio generation), written to benchmarks/results/audio.md.

    COURSE_MODE=offline python benchmarks/bench_audio.py

1. Melody extraction from music21's corpus (cold, into a temporary cache) and cached load.
2. Melody model training time until the condition works: every 25 steps, 32 melodies are
   sampled per condition, and training stops once (share judged minor when asked for minor)
   minus (share judged minor when asked for major) reaches TARGET_GAP. Sampling time for these
   checks is excluded from the training time.
3. Sampling + rendering time per second of audio (16 kHz, clarinet timbre, one melody at a time).
"""
from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

from course_utils.generators import audio as A
from course_utils.generators import melody_model as MM
from course_utils.data.melodies import extract_melodies, load_melodies, mode_of

TARGET_GAP = 0.5
RESULTS = Path(__file__).resolve().parent / "results" / "audio.md"


def judged_minor(model, tok, cond, n=32, seed=123):
    mels = MM.sample_melodies(model, tok, cond, n=n, seed=seed, max_notes=32)
    return float(np.mean([mode_of(m.pitches) == "minor" for m in mels]))


def main():
    lines = []
    t0 = time.perf_counter()
    mels_cold = extract_melodies(1200, 0.4)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    mels = load_melodies()
    warm = time.perf_counter() - t0
    lines.append(f"| melody extraction, 1,200 Essen tunes parsed (cold, no cache) | {cold:.1f} s ({len(mels_cold)} kept) |")
    lines.append(f"| melody load from the .npz cache | {warm:.2f} s |")

    tok = MM.MelodyTokenizer()
    model = MM.new_melody_model(tok, n_layer=2, n_embd=64, seed=0)
    eval_time, reached = [0.0], [None]

    def check(step, m):
        t = time.perf_counter()
        gap = judged_minor(m, tok, "minor") - judged_minor(m, tok, "major")
        eval_time[0] += time.perf_counter() - t
        if gap >= TARGET_GAP and reached[0] is None:
            reached[0] = (step, gap)
            return True
        return False

    res = MM.train_melody_model(model, tok, mels, steps=600, lr=5e-3, max_notes=32, seed=0,
                                eval_every=25, callback=check)
    train_s = res.seconds - eval_time[0]
    if reached[0]:
        step, gap = reached[0]
        lines.append(f"| melody model (2 layers x 64, 114k params, batch 32) training until the minor-vs-major "
                     f"'judged minor' gap >= {TARGET_GAP} | {train_s:.1f} s, {step} steps (gap {gap:.2f}) |")
    else:
        lines.append(f"| melody model training: gap {TARGET_GAP} NOT reached in {res.steps} steps | {train_s:.1f} s |")
    lines.append(f"| training speed | {res.steps / train_s:.1f} steps/s |")

    audio_s, work_s = 0.0, 0.0
    for seed in range(8):
        t = time.perf_counter()
        mel = MM.sample_melodies(model, tok, "minor", n=1, seed=seed, max_notes=32)[0]
        wave = A.render_melody(mel, tempo=120, timbre="clarinet", sample_rate=16_000)
        work_s += time.perf_counter() - t
        audio_s += len(wave) / 16_000
    lines.append(f"| sampling + rendering (32-note melodies, clarinet, 16 kHz) | {work_s / audio_s * 1000:.0f} ms per second of audio |")

    load = os.getloadavg()[0]
    header = [
        "# Audio generation benchmarks (lesson 08)", "",
        f"Measured by `benchmarks/bench_audio.py` on {platform.machine()} with {os.cpu_count()} CPU cores, "
        f"torch {torch.__version__}, Python {platform.python_version()}; 1-minute load average at the end: {load:.1f} "
        "(above ~2 means other jobs shared the CPU and the times are inflated).", "",
        "| what | result |", "|---|---|",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(header + lines) + "\n")
    print(RESULTS.read_text())


if __name__ == "__main__":
    sys.exit(main())
