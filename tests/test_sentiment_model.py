"""The offline sentiment model (lesson 01's first classifier) and what it learns from.

Issue 15's bar: plain, unambiguous sentences a learner types are labelled right at least 90 % of the
time (course_utils.data.plain_sentences), and held-out tweets whose annotators agreed get macro-F1
>= 0.80 (recorded in the model's info when it is built; benchmarks/bench_sentiment.py reports both).
"""
from __future__ import annotations

import pytest

from course_utils.data.blocklist import has_profanity
from course_utils.data.lexicon import THRESHOLD, rated_words
from course_utils.data.plain_sentences import PLAIN
from course_utils.data.tweets import AGREED, LABELS
from course_utils.models.sentiment import TRAIN_PER_CLASS, WORDS_PER_LABEL, training_set


def test_the_training_set_is_balanced_and_never_sees_a_test_tweet():
    train, test_all, test_agreed = training_set()
    counts = train["label"].value_counts().to_dict()
    assert counts == {label: TRAIN_PER_CLASS + WORDS_PER_LABEL for label in LABELS}
    assert not set(train["text"]) & set(test_all["text"])
    assert not set(train["text"]) & set(test_agreed["text"])
    assert not set(test_all["text"]) & set(test_agreed["text"])
    assert (test_agreed["confidence"] >= AGREED).all() and len(test_agreed) == 900


def test_rated_words_are_plain_words_beyond_the_threshold():
    words = rated_words(50)
    assert words["label"].value_counts().to_dict() == {"negative": 50, "positive": 50}
    assert words["text"].str.fullmatch(r"[a-z]+").all() and not words["text"].map(has_profanity).any()
    neg = words[words["label"] == "negative"]["valence"]
    pos = words[words["label"] == "positive"]["valence"]
    assert (neg <= -THRESHOLD).all() and (pos >= THRESHOLD).all()


def test_plain_sentences_are_balanced():
    labels = [label for _, label in PLAIN]
    assert len(PLAIN) >= 30 and all(labels.count(label) == len(PLAIN) // 3 for label in LABELS)


@pytest.fixture(scope="module")
def offline_sentiment():
    import course_utils as cu
    if cu.current_mode().online:
        pytest.skip("the offline model is tested offline")
    return cu.load_pipeline("sentiment", verbose=False)


def test_plain_sentences_are_labelled_right(offline_sentiment):
    predicted = [r["label"] for r in offline_sentiment([text for text, _ in PLAIN], batch_size=64)]
    wrong = [f"{text!r} -> {p}" for (text, want), p in zip(PLAIN, predicted) if p != want]
    assert len(wrong) <= 0.1 * len(PLAIN), f"{len(wrong)} of {len(PLAIN)} plain sentences wrong: {wrong}"


def test_agreed_tweets_macro_f1_recorded_at_build():
    from course_utils.models.sentiment import offline_sentiment_info
    info = offline_sentiment_info()
    assert info["agreed_test_macro_f1"] >= 0.80, info
