"""Lesson 02b · inside a Transformer: quiz and checked exercise."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("A decoder (디코더) reads 8 tokens, numbered 0 to 7. With the causal mask (인과 마스크), which tokens "
           "can token 3 attend to?", (
        Option("All 8 tokens: attention always compares every token with every token",
               "That is an encoder's bidirectional (양방향) attention. A decoder sets the scores of later tokens to "
               "−∞ before the softmax, so they get probability exactly 0."),
        Option("Tokens 0, 1, 2 and 3: itself and the tokens to its left",
               "The causal mask keeps the lower triangle, diagonal included: row 3 of the decoder's heat map in "
               "section 4 has exact zeros to the right of the diagonal.", correct=True),
        Option("Only tokens 4 to 7, the ones it has to predict",
               "That is the mask on the wrong side: seeing what it must predict would let the model copy the answer "
               "during training, and at generation time those tokens do not exist yet."),
        Option("Only token 3 itself",
               "The mask removes only the future; the past stays visible. Attention to earlier tokens is how a "
               "decoder uses its context."),
    )),
    Number("A query meets two keys; the dot products q·k are 4 and 0, and the head size is d = 4. What attention "
           "probability does the first key get after scaling and softmax? (3 decimals)",
           answer=0.881, tolerance=0.002,
           why="Divide by √d = 2: scores 2 and 0. Softmax: e² / (e² + e⁰) = 7.389 / 8.389 = 0.881.",
           typical={0.982: "That is softmax of the unscaled scores 4 and 0: divide q·k by √d = 2 first.",
                    0.731: "That divides by d = 4 instead of √d = 2 (scores 1 and 0).",
                    1.0: "That is 4 / (4 + 0), a plain share of the scores: softmax exponentiates them first, "
                         "so the second key keeps some probability.",
                    0.5: "That ignores the scores: the first key matches the query better, so it gets more."},
           otherwise="Divide both dot products by √4 = 2, exponentiate, then divide e² by the sum."),
    Choice("Why is q·k divided by √(head size) before the softmax?", (
        Option("So that each row of attention weights sums to 1",
               "The softmax already makes every row sum to 1, whatever the scale of the scores."),
        Option("So that a token cannot see the future",
               "That is the causal mask's job (−∞ above the diagonal); the scaling is applied in encoders too."),
        Option("To save memory in long texts",
               "Dividing by a number costs the same memory; it changes how peaked the softmax is."),
        Option("Dot products of longer vectors grow larger; unscaled, the softmax saturates on one key",
               "A dot product of d numbers grows like √d. Dividing by √d keeps the scores in a range where the "
               "softmax still spreads weight and passes useful gradients.", correct=True),
    )),
    Choice("Section 5 shuffled MiniLM's tokens *without* position embeddings and ran its real attention layer. "
           "What came out?", (
        Option("Completely different vectors, because the sentence no longer makes sense",
               "Nothing in q·k, the softmax or the weighted sum knows where a token stands: shuffling the tokens "
               "can only move the outputs around, not change them."),
        Option("The same output vectors, shuffled the same way",
               "Self-attention is permutation-equivariant: shuffle in, same shuffle out. That is why positional "
               "information (위치 정보) has to be added.", correct=True),
        Option("An error: attention needs positions to run",
               "It runs fine; it just cannot tell \"dog bites man\" from \"man bites dog\"."),
    )),
    Choice("Removing the position embeddings from the tiny *causal* GPT of section 8 did not hurt its loss. How can "
           "a causal model still use word order?", (
        Option("Byte-level BPE tokens carry their position inside them",
               "A token id is the same wherever it stands; the tokenizer adds no position."),
        Option("Attention is not really blind to order; section 5 was wrong",
               "Section 5 checked it exactly: without positions, a shuffle in gives the same shuffle out."),
        Option("The causal mask makes each position see a different number of tokens, which the model can use "
               "to work out where it is",
               "Counting from 0, token 5 sees 6 tokens (0 to 5) and token 50 sees 51: the mask itself breaks the "
               "symmetry. An encoder (no mask) has no such clue.", correct=True),
        Option("The residual connections store the position",
               "A residual connection adds a block's input to its output; it carries no information about where "
               "the token stands."),
    )),
    Choice("SmolLM2-135M has tied weights, 30 blocks and a 49,152-token vocabulary. Where do most of its "
           "135 M parameters sit?", (
        Option("In the token embeddings: 49,152 × 576 is a large table",
               "It is large (about 28 M) but the 30 blocks' MLPs together hold far more; only in a small model "
               "such as MiniLM do the embeddings come first."),
        Option("In the MLPs of the 30 blocks",
               "Each gated MLP has three 576 × 1,536 matrices, about 2.7 M parameters, times 30 blocks: about 80 M, "
               "well over half (the anatomy table of section 2).", correct=True),
        Option("In attention, since attention is what makes it a Transformer",
               "SmolLM2's attention is lean (grouped-query: 3 key/value heads for 9 query heads): about a third of "
               "the MLPs' share."),
        Option("In the head that turns vectors into next-token logits",
               "With tied weights the head reuses the token-embedding matrix: it adds no parameters of its own."),
    )),
    Number("Start small, then scale (작게 시작해서 키우기): three small runs fit loss ≈ a · N^(−0.1). By what factor does "
           "the fit say the loss is multiplied when the parameter count N doubles? (3 decimals)",
           answer=0.933, tolerance=0.002,
           why="a · (2N)^(−0.1) / (a · N^(−0.1)) = 2^(−0.1) = 0.933: every doubling cuts the loss by the same "
               "6.7 %, whatever the size you start from (a straight line in log–log space).",
           typical={0.5: "That is loss ∝ 1/N (exponent −1). With an exponent of −0.1 the loss falls far more slowly.",
                    0.9: "That subtracts the exponent (1 − 0.1). A power law multiplies: the factor is 2^(−0.1).",
                    1.072: "That is 2^(+0.1): the loss would grow with size. The exponent is negative."},
           otherwise="Divide the fitted loss at 2N by the loss at N: a cancels, 2^(−0.1) remains."),
    Choice("SmolLM2's byte-level BPE writes most Korean syllables as three byte-tokens each. What does that cost a "
           "Korean user compared with the same text in English?", (
        Option("Nothing, as long as the text decodes back correctly",
               "It does decode back exactly, but every token costs context length, time and money."),
        Option("Unknown characters: Korean comes back as [UNK]",
               "That is MiniLM's WordPiece. Byte-level BPE can write any text as bytes and never needs [UNK]."),
        Option("Fewer characters fit into the context, generation is slower and a per-token API bill is higher",
               "Less than one Korean character per token against about four English ones (section 7's table): "
               "the same 8,192-token context holds several times less Korean text.", correct=True),
    )),
]


# --- checked exercise: single-head causal attention ------------------------------------------

def _reference(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """PyTorch's own fused attention with its causal mask."""
    return F.scaled_dot_product_attention(q[None], k[None], v[None], is_causal=True)[0]


def _mistakes(q, k, v) -> dict[str, torch.Tensor]:
    """Typical wrong versions, each computed here so a learner's output can be recognised."""
    T, d = q.shape
    raw = q @ k.T
    scores = raw / math.sqrt(d)
    past = torch.ones(T, T, dtype=torch.bool).tril()          # True where key j <= query i
    ninf = float("-inf")
    masked = lambda s, keep=past: s.masked_fill(~keep, ninf)  # noqa: E731
    return {
        "no mask": scores.softmax(-1) @ v,
        "after softmax": (scores.softmax(-1) * past) @ v,
        "zero fill": scores.masked_fill(~past, 0.0).softmax(-1) @ v,
        "no scaling": masked(raw).softmax(-1) @ v,
        "wrong side": masked(scores, past.T).softmax(-1) @ v,
        "divided by d": masked(raw / d).softmax(-1) @ v,
        "divided by sqrt(T)": masked(raw / math.sqrt(T)).softmax(-1) @ v,
        "transposed scores": masked(k @ q.T / math.sqrt(d)).softmax(-1) @ v,
        "softmax over columns": masked(scores).softmax(0).nan_to_num(0.0) @ v,
    }


def _future_link(weights: torch.Tensor) -> tuple[int, int, float]:
    """(i, j, w): the strongest attention of a token i to a later token j > i."""
    T = weights.shape[0]
    future = torch.ones(T, T, dtype=torch.bool).triu(1)
    w = weights.masked_fill(~future, -1.0)
    flat = int(torch.argmax(w))
    i, j = divmod(flat, T)
    return i, j, float(weights[i, j])


def _diagnose(kind: str, name: str, weights: torch.Tensor | None, d: int, T: int) -> Mistake:
    """The diagnosis of a recognised mistake; `weights` (the 4-token case's output) lets it point at a token."""
    if weights is not None and kind in ("no mask", "zero fill"):
        i, j, w = _future_link(weights)
        if kind == "no mask":
            return Mistake("on {name}: it does not mask the future: every token attends to the tokens after it "
                           "(token {i} gives weight {w:.2f} to token {j}, which comes after it). Set the scores of "
                           "keys after the query (column j > row i) to float('-inf') before the softmax.",
                           name=name, i=i, j=j, w=w)
        return Mistake("on {name}: the future still gets weight (token {i} gives weight {w:.2f} to token {j}, which "
                       "comes after it): the masked scores were set to 0, and softmax turns 0 into exp(0) = 1, not "
                       "into nothing. Fill them with float('-inf'), which becomes exactly 0.", name=name, i=i, j=j, w=w)
    if kind == "no mask":
        return Mistake("on {name}: it does not mask the future: every token attends to the tokens after it. Set the "
                       "scores of keys after the query (column j > row i) to float('-inf') before the softmax.",
                       name=name)
    if kind == "after softmax":
        if weights is not None:
            return Mistake("on {name}: the mask was applied after the softmax, so the rows no longer sum to 1 "
                           "(token 0's weights sum to {total:.2f}): zeroing the future's weights does not "
                           "renormalise the rest. Put -inf into the scores before the softmax.",
                           name=name, total=float(weights.sum(-1)[0]))
        return Mistake("on {name}: the mask was applied after the softmax, so the rows no longer sum to 1: zeroing "
                       "the future's weights does not renormalise the rest. Put -inf into the scores before the "
                       "softmax.", name=name)
    if kind == "zero fill":
        return Mistake("on {name}: the future still gets weight: the masked scores were set to 0, and softmax turns 0 "
                       "into exp(0) = 1, not into nothing. Fill them with float('-inf'), which becomes exactly 0.",
                       name=name)
    if kind == "no scaling":
        return Mistake("on {name}: the mask is right but the weights are too sharp: the scores were not scaled. "
                       "Divide q @ k.T by √d = √{d} (d = q.shape[-1], the size of each vector) before the softmax.",
                       name=name, d=d)
    if kind == "wrong side":
        return Mistake("on {name}: the mask is on the wrong side: token 0 sees every token and the last token sees "
                       "only itself. A token may look at itself and the past (key j <= query i, the lower triangle, "
                       "torch.tril); mask the upper triangle above the diagonal (torch.triu(..., diagonal=1)).",
                       name=name)
    if kind == "divided by d":
        return Mistake("on {name}: the scores were divided by d = {d}; divide by its square root, √d = {root:.2f}.",
                       name=name, d=d, root=math.sqrt(d))
    if kind == "divided by sqrt(T)":
        return Mistake("on {name}: the scores were divided by √T (T = {T} tokens, q.shape[0]); the scale is √d, the "
                       "size of each vector (d = {d}, q.shape[-1]).", name=name, T=T, d=d)
    if kind == "transposed scores":
        return Mistake("on {name}: the scores are transposed: row i must hold query i against every key, q @ k.T, "
                       "not k @ q.T.", name=name)
    if kind == "softmax over columns":
        return Mistake("on {name}: the softmax runs over the wrong dimension: each row (one query's weights over the "
                       "keys) must sum to 1. Use softmax(dim=-1).", name=name)
    raise AssertionError(kind)


def _cases():
    """The three cases; each description is a t() call, so it is in the learner's language."""
    g = torch.Generator().manual_seed(0)
    q4, k4 = torch.randn(4, 4, generator=g), torch.randn(4, 4, generator=g)
    q5, k5, v5 = (torch.randn(5, 8, generator=g) for _ in range(3))
    q3, k3, v3 = (torch.randn(6, 2, generator=g) * 2 for _ in range(3))
    return [(t("the 4-token case (d = 4; v is the identity, so each output row is that token's attention weights)"),
             q4, k4, torch.eye(4)),
            (t("the 5-token case (d = 8)"), q5, k5, v5),
            (t("the 6-token case (d = 2)"), q3, k3, v3)]


def _check_causal_attention(fn) -> None:
    for case, (name, q, k, v) in enumerate(_cases()):
        T, d = q.shape
        given = [x.clone() for x in (q, k, v)]
        out = fn(*given)
        if any(not torch.equal(a, b) for a, b in zip(given, (q, k, v))):
            raise Mistake("it changed q, k or v in place. Work on new tensors (masked_fill, not masked_fill_).")
        if not isinstance(out, torch.Tensor):
            raise Mistake("it should return a tensor of shape ({T}, {width}), got {type}.",
                          T=T, width=v.shape[1], type=type(out).__name__)
        if tuple(out.shape) != (T, v.shape[1]):
            raise Mistake("on {name} it returned shape {shape}; the output has one row per token and v's width: "
                          "({T}, {width}). Those are the attention weights: multiply them by v."
                          if tuple(out.shape) == (T, T) else
                          "on {name} it returned shape {shape}; the output has one row per token and v's width: "
                          "({T}, {width}).", name=name, shape=tuple(out.shape), T=T, width=v.shape[1])
        out = out.detach().float()
        if torch.isnan(out).any():
            rows = sorted({int(i) for i in torch.isnan(out).any(-1).nonzero().flatten()})
            raise Mistake("on {name} the output has NaN in the rows of tokens {rows}: a row whose scores are all "
                          "-inf has no softmax. Did you mask the diagonal too (a token must see itself), or multiply "
                          "by a -inf mask after the softmax? Mask only keys after the query (j > i), before the "
                          "softmax.", name=name, rows=rows)
        if torch.allclose(out, _reference(q, k, v), atol=1e-5):
            continue
        weights = out if case == 0 else None           # the 4-token case: v is the identity, out is the weights
        for kind, wrong in _mistakes(q, k, v).items():
            if torch.allclose(out, wrong, atol=1e-5):
                raise _diagnose(kind, name, weights, d, T)
        diff = (out - _reference(q, k, v)).abs()
        row = int(diff.max(-1).values.argmax())
        raise Mistake("on {name} it differs from scaled_dot_product_attention(is_causal=True), most at the output of "
                      "token {row} (by {diff:.3f}). Recheck each step: scores q @ k.T / √d, -inf where j > i, softmax "
                      "over the last dimension, then @ v.", name=name, row=row, diff=float(diff.max()))


EXERCISES = {
    "causal_attention": Exercise(
        "causal_attention", _check_causal_attention,
        "the same output as torch's scaled_dot_product_attention(is_causal=True) on all 3 cases."),
}
