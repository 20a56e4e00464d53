"""Inside a transformer: self-attention by hand, checked against real models, their parts and attention maps.

    from course_utils.models import anatomy
    out, probs = anatomy.self_attention(x, w_q, w_k, w_v, n_heads)     # the lesson's code
    hand, real, tokens = anatomy.compare_attention(model, tok, text, layer=2)
    anatomy.anatomy_table(model); anatomy.config_summary(model)
    fig, summary = anatomy.attention_view(model, tok, text, layer, head, token_index)

`compare_attention` and `attention_map` need the model's attention probabilities, which only the
"eager" attention returns: load with `cu.load_model(role, attn_implementation="eager")`.
Two families are read: BERT (MiniLM: encoder, learned positions) and Llama (SmolLM2: decoder,
rotary positions, grouped-query attention).
"""
from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F

from course_utils.kernel.checks import check_text
from course_utils.kernel.errors import BadInputError
from course_utils.plots.attention import attention_heatmap
from course_utils.plots.bars import token_label

# ----------------------------------------------------------------------------- the lesson's code


def causal_mask(T: int) -> torch.Tensor:
    """(T, T) booleans, True where query i may look at key j: j <= i (itself and the past)."""
    return torch.ones(T, T, dtype=torch.bool).tril()


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    """Split the last dimension in halves (a, b) and return (-b, a): a 90° turn of each pair."""
    a, b = x.chunk(2, dim=-1)
    return torch.cat([-b, a], dim=-1)


def self_attention(x, w_q, w_k, w_v, n_heads, *, n_kv_heads=None, causal=False, rotary=None,
                   bias_q=None, bias_k=None, bias_v=None):
    """Multi-head self-attention on one sequence `x` of shape (T, width).

    Weights are (out, in), as nn.Linear keeps them. `rotary` is (cos, sin), each (T, head_size).
    Returns the heads' output before the output projection (T, width) and the
    attention probabilities (heads, T, T): row = the token that looks, column = the token looked at.
    """
    T = x.shape[0]
    n_kv_heads = n_kv_heads or n_heads
    head_size = w_q.shape[0] // n_heads
    # each token makes a query (what I look for), a key (what I offer) and a value (what I pass on)
    q = F.linear(x, w_q, bias_q).view(T, n_heads, head_size).transpose(0, 1)      # (heads, T, head_size)
    k = F.linear(x, w_k, bias_k).view(T, n_kv_heads, head_size).transpose(0, 1)
    v = F.linear(x, w_v, bias_v).view(T, n_kv_heads, head_size).transpose(0, 1)
    if rotary is not None:       # rotary positions: turn q and k by angles that grow with the position
        cos, sin = rotary
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
    # grouped-query attention: each key/value head serves n_heads // n_kv_heads query heads
    k = k.repeat_interleave(n_heads // n_kv_heads, dim=0)
    v = v.repeat_interleave(n_heads // n_kv_heads, dim=0)
    # how well each query matches each key; / sqrt(head_size) keeps the softmax from saturating
    scores = q @ k.transpose(1, 2) / math.sqrt(head_size)                          # (heads, T, T)
    if causal:                   # a decoder must not see the future: -inf becomes probability 0
        scores = scores.masked_fill(~causal_mask(T).to(scores.device), float("-inf"))
    probs = scores.softmax(dim=-1)
    out = probs @ v                          # each token: a mix of the values it attends to
    out = out.transpose(0, 1).reshape(T, n_heads * head_size)      # merge the heads side by side again
    return out, probs


# ----------------------------------------------------------------------------- reading real models


def _blocks(model) -> torch.nn.ModuleList:
    """The stack of transformer blocks: the ModuleList with one entry per layer."""
    n = model.config.num_hidden_layers
    for module in model.modules():
        if isinstance(module, torch.nn.ModuleList) and len(module) == n:
            return module
    raise BadInputError(f"found no list of {n} blocks in {type(model).__name__}.")


def _rotary_module(model):
    """The module that makes rotary cos/sin (it keeps the inverse frequencies), or None."""
    for module in model.modules():
        if "inv_freq" in dict(module.named_buffers(recurse=False)):
            return module
    return None


def _position_embedding(model):
    """A learned table with one vector per position (its size is the context length), or None."""
    tokens, context = model.get_input_embeddings(), getattr(model.config, "max_position_embeddings", None)
    for module in model.modules():
        if isinstance(module, torch.nn.Embedding) and module is not tokens and module.num_embeddings == context:
            return module
    return None


def layers_and_heads(model) -> tuple[int, int]:
    """(number of layers, attention heads per layer): the ranges a layer / head index can take."""
    return model.config.num_hidden_layers, model.config.num_attention_heads


def _check_index(value, n: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < n:
        raise BadInputError(f"{what} must be a whole number from 0 to {n - 1}, got {value!r}.")
    return int(value)


def _device(model):
    return next(model.parameters()).device


def _encode(model, tok, text: str) -> torch.Tensor:
    check_text(text, "text")
    ids = tok(text, return_tensors="pt")["input_ids"]
    context = getattr(model.config, "max_position_embeddings", None)
    if context is not None and ids.shape[1] > context:
        raise BadInputError(f"the text has {ids.shape[1]} tokens but this model sees at most {context} "
                            "(max_position_embeddings): use a shorter text.")
    return ids.to(_device(model))


@torch.no_grad()
def _forward(model, ids: torch.Tensor):
    out = model(input_ids=ids, output_attentions=True, output_hidden_states=True)
    if not out.attentions:       # sdpa / flash attention never form the probabilities
        raise BadInputError(
            "this model does not return its attention probabilities: load it with eager attention, "
            "e.g. cu.load_model(role, attn_implementation=\"eager\").")
    return out


def attention_tokens(tok, text: str) -> list[str]:
    """The tokens of `text` as the model reads them (special tokens included), spaces shown as ␣."""
    check_text(text, "text")
    return [token_label(tok, i) for i in tok(text)["input_ids"]]


@torch.no_grad()
def compare_attention(model, tok, text: str, layer: int):
    """Run `self_attention` on one layer's real weights and input; also return the model's own probabilities.

    Returns (hand probabilities, model probabilities, tokens); both probabilities (heads, T, T), float32 on CPU.
    """
    n_layers, n_heads = layers_and_heads(model)
    layer = _check_index(layer, n_layers, "layer")
    ids = _encode(model, tok, text)
    out = _forward(model, ids)
    block, cfg = _blocks(model)[layer], model.config
    x = out.hidden_states[layer][0].float()          # the hidden state entering this block
    if hasattr(block, "self_attn"):                  # Llama family: pre-norm, RoPE, grouped-query attention
        att = block.self_attn
        x = block.input_layernorm(x)                 # pre-norm: attention reads the normalised state
        positions = torch.arange(x.shape[0], device=x.device)[None]
        cos, sin = _rotary_module(model)(x[None], positions)
        _, hand = self_attention(x, att.q_proj.weight.float(), att.k_proj.weight.float(),
                                 att.v_proj.weight.float(), n_heads, n_kv_heads=cfg.num_key_value_heads,
                                 causal=True, rotary=(cos[0].float(), sin[0].float()),
                                 bias_q=_float(att.q_proj.bias), bias_k=_float(att.k_proj.bias),
                                 bias_v=_float(att.v_proj.bias))
    elif hasattr(block, "attention") and hasattr(block.attention, "self"):   # BERT family: post-norm, bidirectional
        att = block.attention.self
        _, hand = self_attention(x, att.query.weight.float(), att.key.weight.float(), att.value.weight.float(),
                                 n_heads, bias_q=_float(att.query.bias), bias_k=_float(att.key.bias),
                                 bias_v=_float(att.value.bias))
    else:
        raise BadInputError(f"compare_attention reads BERT-family and Llama-family models, not "
                            f"{type(model).__name__}.")
    tokens = [token_label(tok, i) for i in ids[0].tolist()]
    return hand.cpu(), out.attentions[layer][0].float().cpu(), tokens


def _float(t):
    return None if t is None else t.float()


# ----------------------------------------------------------------------------- parts and settings


def _is_norm(module) -> bool:
    return "norm" in type(module).__name__.lower()


def anatomy_table(model):
    """One row per part of the model with its parameter count and share; the rows sum to num_parameters()."""
    import pandas as pd

    blocks, tokens, positions = _blocks(model), model.get_input_embeddings(), _position_embedding(model)
    in_blocks = {id(p) for p in blocks.parameters()}
    in_attention = {id(p) for m in blocks.modules() if "attention" in type(m).__name__.lower() for p in m.parameters()}
    order = [m for _, m in model.named_modules()]
    blocks_at = next(i for i, m in enumerate(order) if m is blocks)
    counts: dict[str, int] = {}
    for name, p in model.named_parameters():        # each tied tensor appears once, as num_parameters counts
        owner = model.get_submodule(name.rpartition(".")[0])
        if owner is tokens:
            part = "token embeddings"
        elif owner is positions:
            part = "position embeddings"
        elif id(p) in in_blocks:                     # a block's norms sit inside its attention module in BERT
            part = "norms" if _is_norm(owner) else "attention" if id(p) in in_attention else "MLP"
        elif isinstance(owner, torch.nn.Embedding):
            part = "other embeddings"                # BERT's token-type (segment) table
        elif _is_norm(owner):                        # before the blocks (BERT) or after them (Llama)
            part = "embedding norm" if order.index(owner) < blocks_at else "final norm"
        else:
            part = f"head ({name.split('.')[0]})"
        counts[part] = counts.get(part, 0) + p.numel()
    head = model.get_output_embeddings()
    tied = head is not None and head.weight is tokens.weight
    if tied:                                         # shares the token embeddings: no parameters of its own
        counts["head (tied)"] = 0
    total = model.num_parameters()
    n_blocks = len(blocks)
    rows = []
    for part in ("token embeddings", "position embeddings", "other embeddings", "embedding norm",
                 "attention", "MLP", "norms", "final norm", *sorted(k for k in counts if k.startswith("head"))):
        if part not in counts:
            continue
        block = part in ("attention", "MLP", "norms")
        note = (f"{n_blocks} blocks × {counts[part] // n_blocks:,}" if block else
                "tied to the token embeddings (same matrix)" if part == "head (tied)" else "")
        rows.append({"part": part + (" (all blocks)" if block else ""), "blocks": n_blocks if block else "",
                     "parameters": counts[part], "share": round(counts[part] / total, 4), "note": note})
    table = pd.DataFrame(rows)
    table.attrs.update(total=total, tied_head=tied)
    return table


@torch.no_grad()
def _is_causal(model) -> bool:
    """Change the last token and see whether the first position's output moves: a decoder's does not."""
    ids = torch.tensor([[5, 6, 7], [5, 6, 8]], device=_device(model))
    first = model(input_ids=ids)[0][:, 0].float()
    return torch.allclose(first[0], first[1], atol=1e-5)


def config_summary(model) -> dict:
    """The model's settings in plain words; positions and masking detected from the model itself."""
    c = model.config
    heads = c.num_attention_heads
    positions = ("rotary" if _rotary_module(model) is not None else
                 "learned" if _position_embedding(model) is not None else "none found")
    return {"layers": c.num_hidden_layers, "width": c.hidden_size, "heads": heads,
            "kv heads": getattr(c, "num_key_value_heads", None) or heads,
            "head size": getattr(c, "head_dim", None) or c.hidden_size // heads,
            "MLP width": getattr(c, "intermediate_size", None), "vocabulary": c.vocab_size,
            "context": getattr(c, "max_position_embeddings", None), "positions": positions,
            "attention": "causal" if _is_causal(model) else "bidirectional"}


# ----------------------------------------------------------------------------- the attention explorer's functions

_MAP_CACHE: OrderedDict = OrderedDict()
_MAP_CACHE_SIZE = 16
map_cache_stats = {"hits": 0, "misses": 0}


def _all_attention(model, tok, text: str):
    """(tokens, probabilities (layers, heads, T, T)) for `text`, from a small LRU cache of forward passes."""
    key = (id(model), getattr(model.config, "_name_or_path", ""), text)
    if key in _MAP_CACHE:
        _MAP_CACHE.move_to_end(key)
        map_cache_stats["hits"] += 1
        return _MAP_CACHE[key]
    map_cache_stats["misses"] += 1
    ids = _encode(model, tok, text)
    probs = torch.stack(_forward(model, ids).attentions)[:, 0].float().cpu().numpy()
    _MAP_CACHE[key] = ([token_label(tok, i) for i in ids[0].tolist()], probs)
    while len(_MAP_CACHE) > _MAP_CACHE_SIZE:
        _MAP_CACHE.popitem(last=False)
    return _MAP_CACHE[key]


def clear_map_cache() -> None:
    _MAP_CACHE.clear()
    map_cache_stats.update(hits=0, misses=0)


def attention_map(model, tok, text: str, layer: int, head: int):
    """(tokens, probabilities T×T numpy) of one head; one forward pass per text, then cached."""
    n_layers, n_heads = layers_and_heads(model)
    layer = _check_index(layer, n_layers, "layer")
    head = _check_index(head, n_heads, "head")
    tokens, probs = _all_attention(model, tok, check_text(text, "text"))
    return list(tokens), probs[layer, head].copy()


def top_attended(tokens, probs, index: int, k: int = 5) -> list[tuple[str, float]]:
    """The k tokens that token `index` attends to most, as (token, probability), best first."""
    row = np.asarray(probs)[_check_index(index, len(tokens), "token index")]
    best = np.argsort(-row, kind="stable")[:k]
    return [(tokens[j], float(row[j])) for j in best]


def attention_view(model, tok, text: str, layer: int, head: int, token_index: int):
    """(heat map Figure, one line naming what the chosen token attends to most)."""
    tokens, probs = attention_map(model, tok, text, layer, head)
    token_index = _check_index(token_index, len(tokens), "token index")
    top = top_attended(tokens, probs, token_index, k=3)
    summary = (f"layer {layer}, head {head}: {tokens[token_index]!r} (token {token_index}) attends most to "
               + ", ".join(f"{t!r} {p:.2f}" for t, p in top))
    fig = attention_heatmap(tokens, probs, highlight=token_index, title=f"layer {layer}, head {head}")
    return fig, summary
