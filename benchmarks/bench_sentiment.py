"""How good is the offline sentiment model (lesson 01's example)? Issue 15's goal: macro-F1 >= 0.80
on held-out tweets and >= 90 % right on plain, unambiguous English sentences.

    python benchmarks/bench_sentiment.py

Scores the cached model (`course_utils.models.sentiment`, built on first use: run with an empty
COURSE_CACHE_DIR to time the build) on its two fixed, class-balanced held-out sets (300 per class
each, never trained on: tweets of every confidence, and tweets whose annotators all agreed) and on
PLAIN (course_utils.data.plain_sentences): sentences a learner might type, 13 per class.
Prints a Markdown table.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))



def main() -> int:
    import course_utils as cu
    from sklearn.metrics import accuracy_score, f1_score

    from course_utils.data.plain_sentences import PLAIN
    from course_utils.models.sentiment import SEED, offline_sentiment_info, training_set

    cu.setup_lesson(mode="offline")
    t0 = time.perf_counter()
    info = offline_sentiment_info()          # builds the model on first use (time it with an empty cache)
    built = time.perf_counter() - t0
    clf = cu.load_pipeline("sentiment", verbose=False)
    _, test, agreed = training_set(SEED)
    scores = {}
    for name, rows in (("all", test), ("agreed", agreed)):
        pred = [r["label"] for r in clf(list(rows["text"]), batch_size=64)]
        scores[name] = (f1_score(rows["label"], pred, average="macro"), accuracy_score(rows["label"], pred))
    plain = [r["label"] for r in clf([t for t, _ in PLAIN], batch_size=64)]
    wrong = [f"{t!r} -> {p}" for (t, _), p in zip(PLAIN, plain) if p != dict(PLAIN)[t]]
    print(f"model: {info.get('base')}, trained on {info.get('trained_on')}, {info.get('epochs')} epochs; "
          f"{built:.0f} s to build or load, training {info.get('train_seconds')} s; torch {torch.__version__}")
    print("| held-out tweets, every confidence: macro-F1 (accuracy) | held-out tweets annotators agreed on: "
          "macro-F1 (accuracy) | plain sentences right | goal |")
    print("|---|---|---|---|")
    print(f"| {scores['all'][0]:.3f} ({scores['all'][1]:.3f}) | {scores['agreed'][0]:.3f} ({scores['agreed'][1]:.3f}) | "
          f"{len(PLAIN) - len(wrong)}/{len(PLAIN)} | macro-F1 >= 0.80, plain >= 90 % |")
    print("wrong:", "; ".join(wrong) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
