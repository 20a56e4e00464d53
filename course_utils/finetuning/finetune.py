"""Fine-tuning helpers for week 2: a classifier from a pretrained or a random encoder,
freezing, LoRA, and a short style fine-tune of a causal language model.

The pretrained-versus-scratch comparison is only fair when both models have exactly the
same architecture, tokenizer, data and training budget, so both come from `make_classifier`
and differ only in where the weights come from.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import torch

from course_utils.kernel.device import get_device
from course_utils.kernel.errors import BadInputError
from course_utils.kernel.quiet import quiet_libraries, silenced
from course_utils.training.scoring import next_token_nll
from course_utils.kernel.seed import seeded
from course_utils.data.tweets import LABELS, tweet_splits

_LAYER = re.compile(r"\.layer\.(\d+)\.")  # BERT/RoBERTa encoder blocks: encoder.layer.<i>.


@dataclass
class Classifier:
    model: object
    tokenizer: object
    name: str          # what ran, e.g. "all-MiniLM-L6-v2 (pretrained)"
    path: str          # Hub id or local folder the weights/config came from

    def __iter__(self):  # allows: model, tok = make_classifier(...)
        return iter((self.model, self.tokenizer))


# A full fine-tune needs a learning rate that suits the encoder: the small MiniLM (offline) learns
# from a hundred tweets at 2e-4; RoBERTa-base (online) at that rate, without warm-up, often
# collapses to predicting one class, and its authors fine-tune at 1e-5 to 3e-5.
SUITED_LR = {"offline": 2e-4, "hub": 3e-5}


def suited_lr(mode: str | None = None) -> float:
    """The learning rate for fully fine-tuning this session's classification encoder."""
    from course_utils.models.loading import resolve
    return SUITED_LR["hub" if resolve("classification-encoder", mode)[1].online else "offline"]


def make_classifier(pretrained: bool = True, num_labels: int = len(LABELS), *, labels=LABELS,
                    seed: int = 0, mode: str | None = None, device: str | None = None) -> Classifier:
    """The "classification-encoder" role with a new `num_labels`-way head, on `device`
    (default: the GPU when there is one; float32, as training needs).

    pretrained=True loads the encoder's trained weights (RoBERTa online, MiniLM offline);
    pretrained=False builds the *same* config with random weights (seeded), same tokenizer.
    """
    from course_utils.models.loading import resolve, tokenizer_kwargs, weights_kwargs
    quiet_libraries()
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    if not isinstance(num_labels, int) or num_labels < 2:
        raise BadInputError(f"num_labels must be a whole number >= 2, got {num_labels!r}.")
    names = list(labels) if labels is not None and len(labels) == num_labels else [f"LABEL_{i}" for i in range(num_labels)]
    ids = dict(id2label=dict(enumerate(names)), label2id={n: i for i, n in enumerate(names)})
    _, _, name, path = resolve("classification-encoder", mode)
    tok = AutoTokenizer.from_pretrained(path, **tokenizer_kwargs("classification-encoder", mode))
    # seeded in a forked RNG: the new head (and, for scratch, every weight) is the same on
    # every run, and the lesson's own random stream is left untouched
    with silenced(), seeded(seed):  # silenced: "Some weights were not initialized" = the new head
        if pretrained:
            model = AutoModelForSequenceClassification.from_pretrained(
                path, num_labels=num_labels, **weights_kwargs("classification-encoder", mode), **ids)
        else:
            config = AutoConfig.from_pretrained(path, num_labels=num_labels, **ids)
            model = AutoModelForSequenceClassification.from_config(config)
    model = model.to(get_device(device).device).eval()
    return Classifier(model, tok, f"{name} ({'pretrained' if pretrained else 'random weights'})", path)


def _pooler(model):
    return getattr(getattr(model, model.base_model_prefix, None), "pooler", None)


def _is_head(name: str, prefix: str) -> bool:
    # the head = what sits on top of the encoder: the classifier, plus BERT's pooler that
    # feeds it (RoBERTa's classifier has its own dense layer and no pooler)
    return not name.startswith(prefix + ".") or name.startswith(prefix + ".pooler.")


def num_layers(model) -> int:
    found = {int(m.group(1)) for n, _ in model.named_parameters() if (m := _LAYER.search(n))}
    return max(found) + 1 if found else 0


def freeze_all_but(model, trainable: str = "head", k: int = 1):
    """Set requires_grad so only part of the model trains; returns the model.

    trainable="head": classifier head only (the encoder is a frozen feature extractor);
    "last_k": the head plus the last `k` encoder blocks; "all": everything (full fine-tuning).
    """
    if trainable not in ("head", "last_k", "all"):
        raise BadInputError(f"trainable must be 'head', 'last_k' or 'all', not {trainable!r}.")
    n = num_layers(model)
    if trainable == "last_k" and not (isinstance(k, int) and 1 <= k <= n):
        raise BadInputError(f"k must be between 1 and {n} (the model has {n} encoder blocks), got {k!r}.")
    prefix = model.base_model_prefix
    for name, p in model.named_parameters():
        if trainable == "all":
            p.requires_grad = True
            continue
        layer = _LAYER.search(name)
        in_last_k = trainable == "last_k" and layer is not None and int(layer.group(1)) >= n - k
        p.requires_grad = _is_head(name, prefix) or in_last_k
    return model


def count_trainable(model) -> tuple[int, int]:
    """(trainable parameters, all parameters)."""
    total = trainable = 0
    for p in model.parameters():
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return trainable, total


def add_lora(model, r: int = 8, target_modules=("query", "value"), alpha: int | None = None,
             dropout: float = 0.0, task: str = "SEQ_CLS"):
    """Wrap `model` with LoRA adapters (peft): each target matrix W (out x in) gets a
    trainable B (out x r) @ A (r x in); W stays frozen. For a classifier the head trains too."""
    from peft import LoraConfig, TaskType, get_peft_model

    if not isinstance(r, int) or r < 1:
        raise BadInputError(f"LoRA rank r must be a whole number >= 1, got {r!r}.")
    names = {n.rsplit(".", 1)[-1] for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    missing = [t for t in target_modules if t not in names]
    if missing:
        raise BadInputError(f"No linear layer named {missing} in this model; its linear layers are "
                            f"named {sorted(names)}. Pass some of those as target_modules.")
    extra = {}
    if task == "SEQ_CLS" and _pooler(model) is not None:
        extra["modules_to_save"] = ["pooler"]  # part of the head, as in freeze_all_but
    config = LoraConfig(r=r, lora_alpha=alpha or 2 * r, lora_dropout=dropout, target_modules=list(target_modules),
                        task_type=getattr(TaskType, task), **extra)
    with warnings.catch_warnings():  # peft calls a transformers property deprecated in v5
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        return get_peft_model(model, config)





def finetune_and_score(clf: Classifier, train, test, *, epochs: int = 2, batch_size: int = 16,
                       lr: float = 5e-5, max_len: int = 48, seed: int = 0) -> dict:
    """Train with the plain loop (course_utils.training.classifier) and score on `test`; one result row."""
    from course_utils.training.classifier import accuracy, macro_f1, predict_classifier, train_classifier

    res = train_classifier(clf.model, clf.tokenizer, train["text"], train["label_id"], epochs=epochs,
                           batch_size=batch_size, lr=lr, max_len=max_len, seed=seed)
    pred = predict_classifier(clf.model, clf.tokenizer, test["text"], max_len=max_len)
    gold = test["label_id"].to_numpy()
    return {"model": clf.name, "train_examples": len(train), "steps": res.steps, "seconds": res.seconds,
            "accuracy": accuracy(pred, gold), "macro_f1": macro_f1(pred, gold, clf.model.config.num_labels),
            "pred": pred, "losses": res.losses}


def data_efficiency_run(sizes=(25, 50, 100), *, seeds=None, per_class_test: int = 60, epochs: int = 2,
                        batch_size: int = 8, lr: float | None = None, max_len: int = 48, seed: int = 0,
                        known=None, verbose: bool = True) -> list[dict]:
    """Accuracy against labelled examples per class, pretrained versus random weights, over seeds.

    For each run seed s in `seeds` (default: just `seed`), each size in `sizes`, pretrained and then
    random weights: the training tweets are drawn with tweet_splits(per_class_train=size,
    per_class_test=per_class_test, seed=seed, train_seed=s); the test set depends on `seed` only, so
    it is the same for every row. The classifier is make_classifier(pretrained, seed=s), trained
    and scored by finetune_and_score(..., seed=s) inside `seeded(s)`: the same numbers as
    `torch.manual_seed(s)` before those two calls, while the caller's random state is left alone.
    Within one seed, pretrained and random weights see the same tweets in the same order for the
    same number of steps.

    known: runs already made, {(pretrained, size, s): row or accuracy}; they are reused, not
    trained again (a bare accuracy becomes a row holding only accuracy and the four keys below).
    Returns one row per run, in that order: finetune_and_score's keys (accuracy, macro_f1,
    seconds, steps, ...) plus per_class, pretrained, seed and reused (True for a `known` run).
    verbose: print one line per run as it finishes.
    """
    lr = suited_lr() if lr is None else lr
    seeds = (seed,) if seeds is None else tuple(seeds)
    known = dict(known or {})
    dev = get_device().device   # where make_classifier puts the model: that device's random stream is seeded too
    rows = []
    for s in seeds:
        for size in sizes:
            train, test = tweet_splits(per_class_train=size, per_class_test=per_class_test, seed=seed, train_seed=s)
            for pretrained in (True, False):
                reused = (pretrained, size, s) in known
                if reused:
                    given = known[(pretrained, size, s)]
                    row = dict(given) if isinstance(given, dict) else {"accuracy": float(given)}
                else:
                    with seeded(s, dev):
                        row = finetune_and_score(make_classifier(pretrained, seed=s), train, test,
                                                 epochs=epochs, batch_size=batch_size, lr=lr, max_len=max_len, seed=s)
                row.update(per_class=size, pretrained=pretrained, seed=s, reused=reused)
                rows.append(row)
                if verbose:
                    f1 = f"  macro-F1 {row['macro_f1']:.3f}" if "macro_f1" in row else ""
                    print(f"seed {s}  {size:>4} per class  {'pretrained' if pretrained else 'scratch   '}  "
                          f"accuracy {row['accuracy']:.3f}{f1}{'  (reused)' if reused else ''}")
    return rows


def check_class_coverage(labels, names=LABELS) -> None:
    """Fail when a class has no training example: the model could never learn to predict it
    (and nothing else would complain: training runs, accuracy just quietly suffers)."""
    present = set(int(x) for x in np.asarray(labels).ravel())
    missing = [f"{n!r} (id {i})" for i, n in enumerate(names) if i not in present]
    if missing:
        raise BadInputError(f"No training example of class {', '.join(missing)}: the model can never "
                            "learn to predict it. Sample the training split per class (stratified), "
                            "e.g. tweet_splits(per_class_train=...), or drop that class from num_labels.")


# ----- a causal language model learning a style (LoRA on SmolLM2) -----

def padded_lm_batch(tokenizer, texts, max_len: int = 64):
    """Token ids for causal-LM training: labels = input ids, padding ignored (-100)."""
    # right padding: the real tokens keep positions 0..n-1 whatever the tokenizer's default
    enc = tokenizer(list(texts), truncation=True, max_length=max_len, padding=True, padding_side="right",
                    return_tensors="pt")
    labels = enc["input_ids"].clone()
    labels[enc["attention_mask"] == 0] = -100
    enc["labels"] = labels
    return enc


def mean_token_loss(model, tokenizer, texts, *, max_len: int = 64, batch_size: int = 8) -> float:
    """Average next-token cross-entropy over every predicted token of `texts` (nats/token)."""
    model.eval()
    total, count = 0.0, 0
    texts = list(texts)
    for start in range(0, len(texts), batch_size):
        enc = padded_lm_batch(tokenizer, texts[start:start + batch_size], max_len)
        total += next_token_nll(model, enc["input_ids"], enc["attention_mask"], enc["labels"]).sum().item()
        count += int((enc["labels"][:, 1:] != -100).sum())
    return total / max(count, 1)


def train_causal_lm(model, tokenizer, texts, *, steps: int = 20, batch_size: int = 8, max_len: int = 64,
                    lr: float = 1e-3, seed: int = 0) -> list[float]:
    """A few AdamW steps of next-token training on `texts` (cycled); returns the losses."""
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise BadInputError("Every weight is frozen: add LoRA adapters or unfreeze some layers first.")
    texts = list(texts)
    if len(texts) < batch_size:
        raise BadInputError(f"Need at least batch_size={batch_size} training texts, got {len(texts)}.")
    order = np.random.default_rng(seed).permutation(len(texts))
    opt = torch.optim.AdamW(params, lr=lr)
    device = next(model.parameters()).device
    model.train()
    losses = []
    for step in range(steps):
        idx = [order[(step * batch_size + j) % len(texts)] for j in range(batch_size)]
        enc = {k: v.to(device) for k, v in padded_lm_batch(tokenizer, [texts[i] for i in idx], max_len).items()}
        loss = model(**enc).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        losses.append(loss.item())
    model.eval()
    return losses


def style_snippets(text: str, n: int, *, lines_per_snippet: int = 2, min_chars: int = 25,
                   max_chars: int = 70, seed: int = 0) -> list[str]:
    """`n` short passages of verse-like lines (capitalised, 25-70 characters, not speaker
    names in capitals), each `lines_per_snippet` consecutive lines, drawn at random but fixed by seed."""
    lines = [ln.strip() for ln in text.splitlines()]
    ok = [bool(ln) and min_chars <= len(ln) <= max_chars and ln[0].isupper() and not ln.isupper()
          and not ln.startswith(("ACT", "SCENE", "Enter", "Exit", "Exeunt")) for ln in lines]
    starts = [i for i in range(len(lines) - lines_per_snippet + 1) if all(ok[i:i + lines_per_snippet])]
    if len(starts) < n:
        raise BadInputError(f"Only {len(starts)} passages of {lines_per_snippet} verse lines found; ask for fewer than {n}.")
    pick = np.random.default_rng(seed).choice(len(starts), size=n, replace=False)
    return ["\n".join(lines[starts[j]:starts[j] + lines_per_snippet]) for j in sorted(pick)]
