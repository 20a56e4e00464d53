"""How the next token is chosen: pure functions on a logits tensor.

Every function takes logits of shape (vocab,) or (batch, vocab), returns a new tensor (never
changes its input) and follows the same rules as the logits processors inside
`transformers.generate`, so what a learner computes by hand is what `generate` does:

    logits -> repetition_penalty -> apply_temperature -> top_k_filter -> top_p_filter
           -> to_probs -> sample_next (or greedy)

Filtered tokens get the logit -inf, so their probability is exactly 0 after softmax.
"""
from __future__ import annotations


import torch

from course_utils.kernel.checks import check_number, check_positive, check_seed, check_temperature
from course_utils.kernel.errors import BadInputError

NEG_INF = float("-inf")


def _check_logits(logits) -> torch.Tensor:
    if not isinstance(logits, torch.Tensor):
        raise BadInputError(f"logits must be a torch.Tensor, got {type(logits).__name__}.")
    if logits.dim() not in (1, 2) or logits.shape[-1] == 0:
        raise BadInputError(f"logits must have shape (vocab,) or (batch, vocab), got {tuple(logits.shape)}.")
    if not torch.is_floating_point(logits):
        raise BadInputError(f"logits must be floating point, got {logits.dtype}.")
    return logits


def check_top_k(top_k) -> int:
    if isinstance(top_k, bool) or not isinstance(top_k, int):
        raise BadInputError(f"top_k must be a whole number, got {top_k!r}.")
    if top_k < 0:
        raise BadInputError(f"top_k must be 0 (no limit) or a positive number of tokens to keep, got {top_k}.")
    return top_k


def check_top_p(top_p) -> float:
    p = check_number(top_p, "top_p")
    if not (0 < p <= 1):
        raise BadInputError(
            f"top_p must be in (0, 1], got {top_p!r}: it is the share of probability mass to keep "
            "(1 keeps every token; 0.9 keeps the most likely tokens that together make up 90 %).")
    return p


def check_repetition_penalty(penalty) -> float:
    return check_positive(penalty, "repetition_penalty",
                          "1.0 changes nothing, values above 1 (e.g. 1.2) make tokens already in the text less likely.")


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Divide logits by the temperature: < 1 sharpens the distribution, > 1 flattens it."""
    return _check_logits(logits) / check_temperature(temperature)


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the k largest logits (and any tied with the k-th, like transformers); k=0 keeps all."""
    logits = _check_logits(logits)
    k = check_top_k(k)
    if k == 0 or k >= logits.shape[-1]:
        return logits.clone()
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, NEG_INF)


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Nucleus filter: keep the smallest set of most likely tokens whose probability reaches p.

    Same rule as transformers' TopPLogitsWarper: walking from the least likely token up,
    drop tokens while the mass dropped so far stays <= 1 - p; the top token always stays.
    """
    logits = _check_logits(logits)
    p = check_top_p(p)
    if p == 1:
        return logits.clone()
    squeeze = logits.dim() == 1
    x = logits.unsqueeze(0) if squeeze else logits
    sorted_logits, order = torch.sort(x, descending=False, dim=-1)
    cum = sorted_logits.float().softmax(dim=-1).cumsum(dim=-1)
    remove_sorted = cum <= (1 - p)
    remove_sorted[..., -1:] = False                       # keep at least the most likely token
    remove = remove_sorted.scatter(-1, order, remove_sorted)
    out = x.masked_fill(remove, NEG_INF)
    return out.squeeze(0) if squeeze else out


def repetition_penalty(logits: torch.Tensor, previous_ids, penalty: float) -> torch.Tensor:
    """Make tokens that already appeared less likely (CTRL paper, as in transformers).

    A positive logit is divided by `penalty`, a negative one multiplied by it, so the token
    always becomes less likely when penalty > 1, whatever the sign. Each token counts once.
    """
    logits = _check_logits(logits)
    penalty = check_repetition_penalty(penalty)
    ids = torch.as_tensor(previous_ids, dtype=torch.long, device=logits.device)
    squeeze = logits.dim() == 1
    x = logits.unsqueeze(0) if squeeze else logits
    if ids.dim() == 1:
        ids = ids.unsqueeze(0).expand(x.shape[0], -1)
    if ids.numel() == 0:
        return logits.clone()
    if ids.shape[0] != x.shape[0]:
        raise BadInputError(f"previous_ids has {ids.shape[0]} rows but logits have {x.shape[0]}.")
    if int(ids.min()) < 0 or int(ids.max()) >= x.shape[-1]:
        raise BadInputError(f"previous_ids must be token ids in [0, {x.shape[-1]}).")
    seen = torch.gather(x, -1, ids)
    seen = torch.where(seen < 0, seen * penalty, seen / penalty)
    out = x.scatter(-1, ids, seen)
    return out.squeeze(0) if squeeze else out


def to_probs(logits: torch.Tensor) -> torch.Tensor:
    """Softmax in float32 (bf16 probabilities would not sum to 1 well enough to sample from)."""
    logits = _check_logits(logits)
    if bool(torch.isneginf(logits).all(dim=-1).any()):
        raise BadInputError("every token was filtered out (all logits are -inf); loosen top_k / top_p.")
    return torch.softmax(logits.float(), dim=-1)


def process_logits(logits: torch.Tensor, *, temperature: float | None = None, top_k: int | None = None,
                   top_p: float | None = None, repetition_penalty_value: float | None = None,
                   previous_ids=None) -> torch.Tensor:
    """Apply the chosen transformations in the order `generate` uses (None = leave out)."""
    out = _check_logits(logits)
    if repetition_penalty_value is not None and previous_ids is not None:
        out = repetition_penalty(out, previous_ids, repetition_penalty_value)
    if temperature is not None:
        out = apply_temperature(out, temperature)
    if top_k is not None:
        out = top_k_filter(out, top_k)
    if top_p is not None:
        out = top_p_filter(out, top_p)
    return out


def guided(cond: torch.Tensor, uncond: torch.Tensor, w: float) -> torch.Tensor:
    """Classifier-free guidance in lessons 07/08's convention: (1 + w)·cond − w·uncond, so w = 0 is
    the plain conditional model (transformers' guidance_scale γ = 1 + w, lesson 06). The one place
    the course combines a conditional and an unconditional prediction (noise or logits)."""
    return (1 + w) * cond - w * uncond


def greedy(logits: torch.Tensor) -> torch.Tensor:
    """The most likely token id (shape () for (vocab,) logits, (batch,) for (batch, vocab))."""
    return torch.argmax(_check_logits(logits), dim=-1)


def sample_next(logits: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Draw one token id from softmax(logits); pass a seeded torch.Generator to repeat a draw."""
    probs = to_probs(logits)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise BadInputError(f"generator must be a torch.Generator, got {type(generator).__name__}.")
    # draw where the generator lives (make_generator: the CPU), so a seeded draw is the same on a
    # CPU and a GPU and never mixes devices; the token goes back to the logits' device
    draw_on = probs.to(generator.device) if generator is not None else probs
    token = torch.multinomial(draw_on, 1, generator=generator)
    return (token.squeeze(0) if probs.dim() == 1 else token.squeeze(-1)).to(probs.device)


def make_generator(seed: int | None, device="cpu") -> torch.Generator | None:
    """A torch.Generator seeded with `seed` (None: use torch's global random state)."""
    if seed is None:
        return None
    return torch.Generator(device=device).manual_seed(check_seed(seed))
