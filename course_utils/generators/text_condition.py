"""Text -> vector: prompts encoded by the real pretrained MiniLM sentence encoder.

The vector is what conditions the digit denoiser (the text -> vector -> features -> image
chain of real text-to-image systems, where CLIP or T5 plays MiniLM's part).
Encoding = MiniLM's token vectors, averaged over the real tokens (the attention mask
hides padding), then scaled to length 1, as sentence-transformers does for this model.
Embeddings are cached per text, so asking twice for the same prompt costs nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import torch

from course_utils.data.digits import DIGIT_WORDS
from course_utils.kernel.checks import check_text

# phrasings the generator is trained on: every template x {word, numeral} for every digit
TRAIN_TEMPLATES = ("{w}", "a handwritten {w}", "the digit {w}", "draw the number {w}",
                   "a picture of a {w}", "number {w}", "write a {w}", "the number {w} written by hand")
# phrasings it never sees in training: do new wordings of the same request still work?
HELD_OUT_TEMPLATES = ("please sketch a {w}", "an image of the digit {w}", "{w}, written with a pen")

_cache: dict[str, torch.Tensor] = {}


@lru_cache(maxsize=1)
def sentence_encoder():
    """MiniLM (all-MiniLM-L6-v2), loaded once through the course loader (it prints what ran)."""
    from course_utils.models.loading import load_model
    return load_model("sentence-encoder", device="cpu")


@torch.no_grad()
def encode_prompts(texts, batch_size: int = 64) -> torch.Tensor:
    """(len(texts), 384) float32 tensor of unit-length sentence embeddings, cached per text."""
    if isinstance(texts, str):
        texts = [texts]
    texts = [check_text(t, "prompt") for t in texts]
    todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if todo:
        lm = sentence_encoder()
        for i in range(0, len(todo), batch_size):
            chunk = todo[i:i + batch_size]
            enc = lm.tokenizer(chunk, padding=True, truncation=True, max_length=64, return_tensors="pt")
            tokens = lm.model(**enc).last_hidden_state               # (B, L, 384)
            mask = enc["attention_mask"].unsqueeze(-1).float()       # 1 for real tokens
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            for text, vec in zip(chunk, torch.nn.functional.normalize(mean, dim=-1)):
                _cache[text] = vec.float().clone()
    return torch.stack([_cache[t] for t in texts])


def digit_phrasings(templates=TRAIN_TEMPLATES, digits=range(10)) -> list[tuple[str, int]]:
    """(text, digit) for every template, number form (word and numeral) and digit."""
    out = []
    for d in digits:
        for tpl in templates:
            for form in (DIGIT_WORDS[d], str(d)):
                out.append((tpl.format(w=form), d))
    return out


_NUMBER_WORD = re.compile(r"\b(" + "|".join(DIGIT_WORDS) + r")\b|(?<![\d.])(\d)(?![\d.])", re.IGNORECASE)


def named_digit(text: str) -> int | None:
    """The digit a prompt names in words or as a numeral ('draw a 7' -> 7), or None.

    Used only to *score* results (which digit was asked for?), never by the generator,
    which sees nothing but the MiniLM vector. A prompt naming two different digits -> None.
    """
    found = {DIGIT_WORDS.index(m.group(1).lower()) if m.group(1) else int(m.group(2))
             for m in _NUMBER_WORD.finditer(text or "")}
    return found.pop() if len(found) == 1 else None


@dataclass
class PhrasingBank:
    """The training phrasings, their digits and their embeddings."""
    texts: list[str]
    digits: torch.Tensor       # (P,) int64
    vectors: torch.Tensor      # (P, 384)

    @classmethod
    def build(cls, templates=TRAIN_TEMPLATES) -> "PhrasingBank":
        pairs = digit_phrasings(templates)
        return cls([t for t, _ in pairs], torch.tensor([d for _, d in pairs]), encode_prompts([t for t, _ in pairs]))

    def sampler(self, labels: torch.Tensor):
        """For training: fn(indices, generator) -> one random phrasing vector of each example's digit."""
        labels = torch.as_tensor(labels, dtype=torch.long)
        per_digit = [torch.nonzero(self.digits == d).flatten() for d in range(10)]
        counts = torch.tensor([len(p) for p in per_digit])
        table = torch.nn.utils.rnn.pad_sequence(per_digit, batch_first=True)   # (10, max phrasings)

        def pick(idx: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
            y = labels[idx]
            j = (torch.rand(len(idx), generator=gen) * counts[y]).long()
            return self.vectors[table[y, j]]
        return pick

    def nearest(self, prompt: str, k: int = 3) -> list[tuple[str, int, float]]:
        """The k training phrasings closest to `prompt` (cosine similarity of the embeddings)."""
        sims = self.vectors @ encode_prompts([prompt])[0]
        top = sims.topk(min(k, len(sims)))
        return [(self.texts[i], int(self.digits[i]), round(float(s), 3)) for s, i in zip(top.values, top.indices)]


def cosine_matrix(texts) -> torch.Tensor:
    """Cosine similarity between every pair of prompts (unit vectors: a dot product)."""
    v = encode_prompts(list(texts))
    return v @ v.T
