"""Single words rated for sentiment by people: the VADER lexicon (the `vaderSentiment` package, MIT).

Each of its ~7,500 entries was rated by ten people from -4 (most negative) to +4; the file holds the
mean. We keep plain lowercase words (no emoticons or slang abbreviations), drop profanity, and call a
word negative at a mean of -1.5 or lower and positive at +1.5 or higher. The offline sentiment model
learns from these beside tweets: tweets rarely look like "I hate it.", and these words teach it what
"hate", "awful" or "wonderful" mean on their own. Read at run time from the installed package.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from course_utils.data.blocklist import has_profanity
from course_utils.kernel.packages import package_dir

THRESHOLD = 1.5


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    path = package_dir("vaderSentiment", "The sentiment lexicon") / "vader_lexicon.txt"
    df = pd.read_csv(path, sep="\t", header=None, usecols=[0, 1], names=["text", "valence"], quoting=3,
                     keep_default_na=False, encoding="utf-8")
    return df[df["text"].str.fullmatch(r"[a-z]+") & ~df["text"].map(has_profanity)].reset_index(drop=True)


def rated_words(per_label: int, seed: int = 0) -> pd.DataFrame:
    """`per_label` negative and `per_label` positive words: columns text, label, valence."""
    df = _load()
    df = df[(df["valence"] <= -THRESHOLD) | (df["valence"] >= THRESHOLD)].copy()
    df["label"] = ["positive" if v > 0 else "negative" for v in df["valence"]]
    df = df.sample(frac=1.0, random_state=seed)
    return df.groupby("label", group_keys=False).head(per_label).reset_index(drop=True)
