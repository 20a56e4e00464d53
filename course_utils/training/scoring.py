"""Scoring text under a language model: how surprised it is by each next token.

Every loss, perplexity, likelihood and probe of the course is built on `next_token_nll`:
nll[b, t] = -log p(token t+1 | tokens 0..t), in nats. Averaged over tokens it is the training
loss; exp of that average is perplexity; summed over a continuation it is -log p(continuation).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from course_utils.kernel.errors import BadInputError

IGNORE = -100   # label of a position that is not scored (padding), as in transformers


@torch.no_grad()
def next_token_nll(model, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                   labels: torch.Tensor | None = None) -> torch.Tensor:
    """(B, T-1) float32: -log p of each next token (of `labels`, default `input_ids`) given all the
    tokens before it; 0 where the label is -100. Inputs go to the model's device; the result stays there."""
    device = next(model.parameters()).device
    input_ids = input_ids.to(device)
    # the last token is only a target: T tokens need T-1 positions of context, not T
    logits = model(input_ids=input_ids[:, :-1],
                   attention_mask=None if attention_mask is None else attention_mask[:, :-1].to(device)).logits
    target = (input_ids if labels is None else labels.to(device))[:, 1:]
    flat = logits.float().reshape(-1, logits.size(-1))
    return F.cross_entropy(flat, target.reshape(-1), ignore_index=IGNORE, reduction="none").view_as(target)


def continuation_nll(model, prompt_ids: list[int], continuations: list[list[int]]) -> list[torch.Tensor]:
    """For each continuation (token ids), -log p of each of its tokens after `prompt_ids`, in one
    batched forward pass (right-padded, so every row keeps positions 0, 1, ...). CPU tensors."""
    if not prompt_ids:
        raise BadInputError("The prompt encodes to no tokens: the first continuation token needs context.")
    if not continuations or any(len(c) == 0 for c in continuations):
        raise BadInputError("each continuation needs at least one token.")
    rows = [list(prompt_ids) + list(c) for c in continuations]
    width = max(map(len, rows))
    ids = torch.tensor([r + [0] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    nll = next_token_nll(model, ids, mask).cpu()
    start = len(prompt_ids) - 1                 # position t predicts token t+1
    return [nll[b, start:start + len(c)] for b, c in enumerate(continuations)]
