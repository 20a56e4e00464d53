"""Small display helpers for looking inside a model: token tables and top-k probability bars.

    from course_utils.plots.tokens import token_table, top_k_probs, plot_top_k
    token_table(tok, "I love this!")            # one row per token: token, id, the text it covers
    top_k_probs(logits, tok, k=10)              # [(token, probability), ...] best first
    plot_top_k(top_k_probs(...), title="...")   # horizontal bar chart

They only format what the lesson computed; the lesson code itself (tokenize, run the model,
softmax) stays in the notebook where the learner can read it.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from course_utils.kernel.errors import BadInputError
from course_utils.kernel.checks import check_text
from course_utils.plots.bars import figure_axes, grouped_bars


def token_table(tokenizer, text: str, *, add_special_tokens: bool = True):
    """A DataFrame with one row per token: `token`, `id` and `text` (the characters it covers).

    `text` comes from the tokenizer's offsets, so it shows what each piece means in the
    original string ("" for special tokens such as [CLS], which cover no characters).
    """
    import pandas as pd

    check_text(text, "text")
    if not getattr(tokenizer, "is_fast", False):
        raise BadInputError("token_table needs a fast tokenizer (one with offsets); "
                            "load it with AutoTokenizer.from_pretrained(..., use_fast=True).")
    enc = tokenizer(text, add_special_tokens=add_special_tokens, return_offsets_mapping=True)
    ids = list(enc["input_ids"])
    return pd.DataFrame({
        "token": tokenizer.convert_ids_to_tokens(ids),
        "id": ids,
        "text": [text[a:b] for a, b in enc["offset_mapping"]],
    })


def _label_of(labels, i: int) -> str:
    if labels is None:
        return str(i)
    if hasattr(labels, "convert_ids_to_tokens"):   # a tokenizer: show the decoded piece
        return labels.decode([i])
    return str(labels[i])                           # a list or an id2label dict


def top_k_probs(logits, labels: Any = None, k: int = 10) -> list[tuple[str, float]]:
    """The k most probable entries of softmax(logits), best first, as (label, probability).

    `logits` is one score vector (a 1-D tensor, or a batch of one). `labels` names the
    entries: a tokenizer (next-token logits), a list or an id2label dict (classifier logits),
    or None (the index is used).
    """
    import torch

    scores = torch.as_tensor(logits, dtype=torch.float32).detach().cpu()
    if scores.dim() == 2 and scores.shape[0] == 1:
        scores = scores[0]
    if scores.dim() != 1:
        raise BadInputError(f"top_k_probs wants one vector of logits, got shape {tuple(scores.shape)}; "
                            "for next-token prediction take logits[0, -1].")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= scores.numel():
        raise BadInputError(f"k must be a whole number from 1 to {scores.numel()}, got {k!r}.")
    probs = torch.softmax(scores, dim=-1)
    top = torch.topk(probs, k)
    return [(_label_of(labels, int(i)), float(p)) for p, i in zip(top.values, top.indices)]


def plot_top_k(pairs: Sequence[tuple[str, float]], *, title: str = "", ax=None):
    """Horizontal bars of (label, probability) pairs, the most probable on top; returns the Figure."""
    if not pairs:
        raise BadInputError("plot_top_k got no (label, probability) pairs to draw.")
    _, ax = figure_axes(ax, size=(6, 0.35 * len(pairs) + 1))
    names = [repr(label) if label.strip() != label or not label else label for label, _ in pairs]
    ax.barh(range(len(pairs)), [p for _, p in pairs], color="tab:blue")
    ax.set_yticks(range(len(pairs)), names)
    ax.invert_yaxis()                       # best at the top, like a ranking
    ax.set_xlabel("probability")
    ax.set_xlim(0, 1)
    for y, (_, p) in enumerate(pairs):
        ax.text(min(p + 0.01, 0.9), y, f"{p:.3f}", va="center")
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure


def label_scores(texts: Sequence[str], results: Sequence[Sequence[Mapping]], labels: Sequence[str] | None = None,
                 digits: int = 3):
    """Turn a classifier pipeline's `top_k=None` output into a table: one row per text,
    one column per label (fixed order, rounded), plus the winning `label`."""
    import pandas as pd

    if len(texts) != len(results):
        raise BadInputError(f"{len(texts)} texts but {len(results)} results: pass the same list "
                            "you gave the pipeline, with top_k=None.")
    rows = []
    for text, res in zip(texts, results):
        if isinstance(res, Mapping):   # top_k=1 gives one dict per text, not a list of all labels
            raise BadInputError("Each result must hold every label's score: call the pipeline with top_k=None.")
        scores = {r["label"]: round(float(r["score"]), digits) for r in res}
        rows.append({"text": text, **scores, "label": max(res, key=lambda r: r["score"])["label"]})
    table = pd.DataFrame(rows)
    order = list(labels) if labels is not None else sorted(set(table.columns) - {"text", "label"})
    return table[["text", *order, "label"]]


def plot_label_scores(table, *, labels: Sequence[str] | None = None, ax=None, title: str = ""):
    """Grouped bars of a `label_scores` table: one group per text, one bar per label."""
    labels = list(labels) if labels is not None else [c for c in table.columns if c not in ("text", "label")]
    _, ax = figure_axes(ax, size=(9, 4))
    colours = {"negative": "tab:red", "neutral": "tab:gray", "positive": "tab:green"}
    short = [t if len(t) <= 22 else t[:20] + "…" for t in table["text"]]
    grouped_bars({lab: table[lab].tolist() for lab in labels}, short, ax=ax, colours=colours,
                 ylabel="probability", title=title)
    ax.set_ylim(0, 1)
    ax.figure.tight_layout()
    return ax.figure
