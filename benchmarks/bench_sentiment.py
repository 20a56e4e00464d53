"""How good is the offline sentiment model (lesson 01's example)? Issue 15's goal: macro-F1 >= 0.80
on held-out tweets and >= 90 % right on plain, unambiguous English sentences.

    python benchmarks/bench_sentiment.py

Scores the cached model (`course_utils.models.sentiment`, built on first use) on the fixed,
class-balanced held-out tweets (300 per class, never trained on) and on PLAIN below: sentences a
learner might type, written for this benchmark (not tweets), 13 per class. Prints a Markdown table.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PLAIN = [
    ("I love this phone, it is wonderful.", "positive"), ("What a great day, I am so happy!", "positive"),
    ("This is the best movie I have ever seen.", "positive"), ("Thank you so much, you are amazing.", "positive"),
    ("The food was delicious and the staff were friendly.", "positive"),
    ("I really enjoyed the concert last night.", "positive"),
    ("Congratulations on your new job, well deserved!", "positive"),
    ("This book is fantastic, I could not put it down.", "positive"),
    ("Excellent service, I will definitely come back.", "positive"), ("I am excited about the trip next week!", "positive"),
    ("The new update works perfectly, great job.", "positive"), ("She did a brilliant job on the presentation.", "positive"),
    ("Such a lovely surprise, it made my day.", "positive"),
    ("I hate it.", "negative"), ("I don't like this at all.", "negative"),
    ("This is the worst phone I ever bought.", "negative"), ("The service was terrible and the food was cold.", "negative"),
    ("I am so disappointed with this product.", "negative"), ("What a waste of money, it broke after one day.", "negative"),
    ("This movie was boring and far too long.", "negative"), ("My flight was cancelled again, this is awful.", "negative"),
    ("I feel sad and tired today.", "negative"), ("The app keeps crashing, so annoying.", "negative"),
    ("Horrible experience, never going back.", "negative"), ("The customer support was rude and useless.", "negative"),
    ("I am angry that nobody answered my emails.", "negative"),
    ("The meeting is at 3 pm on Tuesday.", "neutral"), ("The store opens at nine in the morning.", "neutral"),
    ("The train leaves from platform four.", "neutral"), ("I am reading the report now.", "neutral"),
    ("The package will arrive on Monday.", "neutral"), ("Paris is the capital of France.", "neutral"),
    ("The weather forecast says it will rain tomorrow.", "neutral"), ("He moved to a new apartment last month.", "neutral"),
    ("The book has twelve chapters.", "neutral"), ("Please send me the file by email.", "neutral"),
    ("The game starts at 8 pm tonight.", "neutral"), ("We are having a meeting about the budget.", "neutral"),
    ("The museum is closed on Mondays.", "neutral"),
]


def main() -> int:
    import course_utils as cu
    from sklearn.metrics import accuracy_score, f1_score

    from course_utils.data.tweets import tweet_splits
    from course_utils.models.sentiment import offline_sentiment_info

    cu.setup_lesson(mode="offline")
    clf = cu.load_pipeline("sentiment", verbose=False)
    _, test = tweet_splits(seed=0)
    pred = [r["label"] for r in clf(list(test["text"]), batch_size=64)]
    plain = [r["label"] for r in clf([t for t, _ in PLAIN], batch_size=64)]
    wrong = [f"{t!r} -> {p}" for (t, _), p in zip(PLAIN, plain) if p != dict(PLAIN)[t]]
    info = offline_sentiment_info()
    print(f"model: {info.get('base')}, {info.get('train_examples')} training tweets, {info.get('epochs')} epochs")
    print("| held-out tweets: macro-F1 | accuracy | plain sentences right | goal |")
    print("|---|---|---|---|")
    print(f"| {f1_score(test['label'], pred, average='macro'):.3f} | {accuracy_score(test['label'], pred):.3f} | "
          f"{len(PLAIN) - len(wrong)}/{len(PLAIN)} | macro-F1 >= 0.80, plain >= 90 % |")
    print("wrong:", "; ".join(wrong) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
