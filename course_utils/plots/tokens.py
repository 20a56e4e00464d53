"""Small display helpers for looking inside a model: token tables, tokenizer comparisons and
top-k probability bars.

    from course_utils.plots.tokens import token_table, top_k_probs, plot_top_k
    token_table(tok, "I love this!")            # one row per token: token, id, the text it covers
    top_k_probs(logits, tok, k=10)              # [(token, probability), ...] best first
    plot_top_k(top_k_probs(...), title="...")   # horizontal bar chart
    compare_tokenizers("안녕하세요", {"SmolLM2": tok, "MiniLM": wp})   # one row per tokenizer: pieces, counts
    chars_per_token(tok, ["In the beginning ...", "..."])                # characters / tokens

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


# --------------------------------------------------------------------------- comparing tokenizers
def _gpt2_byte_table() -> dict[str, int]:
    """GPT-2's byte-level alphabet, reversed: the printable character that stands for each byte
    in a byte-level token ('Ġ' is the space byte 0x20, 'Ċ' the newline) -> that byte."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars, extra = {}, 0
    for b in range(256):
        if b in printable:
            chars[chr(b)] = b
        else:                            # unprintable bytes are moved to 256, 257, ...
            chars[chr(256 + extra)] = b
            extra += 1
    return chars


_BYTE_OF = _gpt2_byte_table()
_VISIBLE = {" ": "␣", "\n": "↵", "\t": "⇥"}


def _visible(text: str) -> str:
    return "".join(_VISIBLE.get(ch, ch) for ch in text)


def _component_types(state) -> set[str]:
    """Every "type" named in a tokenizers component's JSON state (Sequence parts included)."""
    import json

    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("type"), str):
                found.add(node["type"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    if state is not None:
        walk(json.loads(state.__getstate__()))
    return found


def tokenizer_kind(tokenizer) -> str:
    """What kind of tokenizer this is, read from the object: 'BPE (byte-level)', 'WordPiece', ...

    The model type (BPE, WordPiece, Unigram, WordLevel) comes from the fast tokenizer's backend;
    "byte-level" is added when its pre-tokenizer or decoder works on bytes (GPT-2's scheme).
    """
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise BadInputError("compare_tokenizers needs fast tokenizers (with a `backend_tokenizer`); "
                            "load them with AutoTokenizer.from_pretrained(..., use_fast=True).")
    kind = type(backend.model).__name__
    if "ByteLevel" in _component_types(backend.pre_tokenizer) | _component_types(backend.decoder):
        kind += " (byte-level)"
    return kind


def _byte_level_pieces(tokens: list[str], text: str) -> list[str]:
    """Byte-level tokens as readable text: bytes decoded as UTF-8, spaces shown as ␣.

    A token that holds only some bytes of a character shows the character and which of its bytes
    it holds: '안(1/3)' is the first of the three UTF-8 bytes of 안, '하(1-2/3)' the first two.
    """
    raw = [bytes(_BYTE_OF[ch] for ch in t) if all(ch in _BYTE_OF for ch in t) else t.encode() for t in tokens]
    if b"".join(raw) != text.encode("utf-8"):   # a normaliser changed the text: decode each piece alone
        return [_visible(r.decode("utf-8", errors="backslashreplace")) for r in raw]
    where = [(i, k, len(ch.encode("utf-8"))) for i, ch in enumerate(text) for k in range(len(ch.encode("utf-8")))]
    pieces, pos = [], 0
    for r in raw:
        held: dict[int, list[int]] = {}               # character index -> which of its bytes this token holds
        for i, k, _ in where[pos:pos + len(r)]:
            held.setdefault(i, []).append(k)
        pos += len(r)
        piece = ""
        for i, ks in held.items():
            size = len(text[i].encode("utf-8"))
            if len(ks) == size:
                piece += _visible(text[i])
            else:
                part = f"{ks[0] + 1}" if len(ks) == 1 else f"{ks[0] + 1}-{ks[-1] + 1}"
                piece += f"{_visible(text[i])}({part}/{size})"
        pieces.append(piece)
    return pieces


def _pieces(tokenizer, ids: list[int], text: str, kind: str) -> list[str]:
    tokens = tokenizer.convert_ids_to_tokens(ids)
    if kind.endswith("(byte-level)"):
        return _byte_level_pieces(tokens, text)
    return [_visible(t) for t in tokens]              # WordPiece keeps its '##' (continues a word)


def _unknown_id(tokenizer) -> int | None:
    """The id the tokenizer's model emits for what it cannot represent (WordPiece's [UNK]); None for
    byte-level BPE, which has no unknown token (its `unk_token` attribute is only a label)."""
    unk = getattr(tokenizer.backend_tokenizer.model, "unk_token", None)
    return tokenizer.backend_tokenizer.token_to_id(unk) if unk else None


def _ids(tokenizer, text: str) -> list[int]:
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def compare_tokenizers(text: str, tokenizers: Mapping[str, Any]):
    """One row per tokenizer: how it cuts `text` (no special tokens added).

    Columns: `tokenizer` (the dict's key), `kind` (read from the tokenizer object: 'BPE (byte-level)',
    'WordPiece', ...), `tokens` (how many), `chars per token` (characters of `text` / tokens: higher
    means shorter sequences for the same text), `unknown` (how many tokens are the unknown token,
    e.g. [UNK]: text the tokenizer could not represent) and `pieces` (the tokens as a learner should
    read them: byte-level pieces decoded to text with spaces shown as ␣ and a character split across
    tokens marked as in '안(1/3)'; WordPiece pieces as they are, '##' meaning "continues the word").
    """
    import pandas as pd

    check_text(text, "text")
    if not isinstance(tokenizers, Mapping) or not tokenizers:
        raise BadInputError("tokenizers must be a dict {name: tokenizer} with at least one tokenizer.")
    rows = []
    for name, tok in tokenizers.items():
        kind = tokenizer_kind(tok)
        ids = _ids(tok, text)
        unk = _unknown_id(tok)
        rows.append({"tokenizer": str(name), "kind": kind, "tokens": len(ids),
                     "chars per token": len(text) / len(ids) if ids else float("nan"),
                     "unknown": sum(i == unk for i in ids),
                     "pieces": _pieces(tok, ids, text, kind)})
    return pd.DataFrame(rows, columns=["tokenizer", "kind", "tokens", "chars per token", "unknown", "pieces"])


def chars_per_token(tokenizer, texts) -> float:
    """Characters per token over `texts` (one string or a list of them), without special tokens:
    total characters / total tokens. Higher = the tokenizer packs more text into each token."""
    texts = [texts] if isinstance(texts, str) else list(texts)
    if not texts:
        raise BadInputError("chars_per_token got no texts: pass a string or a list of strings.")
    chars = tokens = 0
    for i, text in enumerate(texts):
        check_text(text, f"text {i}")
        chars += len(text)
        tokens += len(_ids(tokenizer, text))
    if tokens == 0:
        raise BadInputError("the tokenizer produced no tokens for these texts.")
    return chars / tokens
