import pytest

from course_utils.data.blocklist import find_profanity, has_profanity
from course_utils.kernel.errors import BadInputError
from course_utils.data.tweets import LABELS, clean_tweet, load_tweets, tweet_splits


@pytest.mark.parametrize("raw, clean", [
    ("Look http://t.co/abc123 now", "Look http now"),
    ("@united why   so\tlate?", "@user why so late?"),
    ("I don\x8aä\x8ct like delays", "I don't like delays"),
    ("flight _\x99\x85ä_\x99\x85ä was fine", "flight was fine"),
    ("fish &amp; chips", "fish & chips"),
])
def test_clean_tweet(raw, clean):
    assert clean_tweet(raw) == clean


def test_profanity_stems_match_word_starts_only():
    assert has_profanity("what the fucking hell")
    assert find_profanity("Shit happens") == ["Shit"]
    assert not has_profanity("a classic assessment in Scunthorpe")  # stems only at word starts


def test_cleaned_corpus_properties():
    df = load_tweets()
    assert set(df["label"]) == set(LABELS)
    assert len(df) > 30000
    assert df["text"].map(str.isascii).all()
    assert not df["text"].str.contains(r"https?://\S|\bwww\.\w", regex=True).any()  # URLs became "http"
    assert set(df["text"].str.findall(r"@\w+").explode().dropna()) == {"@user"}
    assert not df["text"].map(has_profanity).any()
    assert df["text"].is_unique
    assert df["text"].str.split().map(len).min() >= 3 and df["text"].str.len().max() <= 280
    assert (df["label_id"] == df["label"].map(LABELS.index)).all()


def test_splits_are_balanced_disjoint_and_the_test_set_is_fixed():
    train_a, test_a = tweet_splits(per_class_train=50, per_class_test=20)
    train_b, test_b = tweet_splits(per_class_train=200, per_class_test=20)
    assert test_a.equals(test_b)
    assert test_a["label"].value_counts().to_dict() == {l: 20 for l in LABELS}
    assert train_a["label"].value_counts().to_dict() == {l: 50 for l in LABELS}
    assert not set(train_b["text"]) & set(test_b["text"])


def test_split_asks_for_too_much():
    with pytest.raises(BadInputError, match="rarest class"):
        tweet_splits(per_class_train=10**6)


def test_train_seed_draws_other_training_tweets_with_the_same_test_set():
    train_a, test_a = tweet_splits(per_class_train=20, per_class_test=20, seed=0)
    assert tweet_splits(per_class_train=20, per_class_test=20, seed=0, train_seed=0)[0].equals(train_a)
    train_b, test_b = tweet_splits(per_class_train=20, per_class_test=20, seed=0, train_seed=1)
    small_b, _ = tweet_splits(per_class_train=10, per_class_test=20, seed=0, train_seed=1)
    assert test_a.equals(test_b)
    assert set(train_a["text"]) != set(train_b["text"])
    assert train_b["label"].value_counts().to_dict() == {l: 20 for l in LABELS}
    assert not set(train_b["text"]) & set(test_b["text"])
    assert set(small_b["text"]) <= set(train_b["text"])
