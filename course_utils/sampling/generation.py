"""Text generation written out by hand, plus the measurements Week 3 makes on it.

    res = generate_by_hand(model, tok, "Once upon a time", 20)              # greedy
    res = generate_by_hand(model, tok, "Once upon a time", 20, temperature=0.7, seed=1)
    res.text, res.token_ids, res.step_probs, res.stopped_by

The loop is the one `model.generate` runs: tokens -> model -> logits of the next token ->
(penalty, temperature, top-k, top-p) -> probabilities -> choose -> append -> repeat.
With `use_cache=True` the model keeps the keys and values of earlier tokens (the KV cache),
so each step feeds only the one new token instead of the whole text again.
"""
from __future__ import annotations

import inspect
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import torch

from course_utils.sampling import logits as S
from course_utils.kernel.seed import seeded
from course_utils.kernel.errors import BadInputError
from course_utils.kernel.checks import check_temperature, check_text
from course_utils.training.scoring import continuation_nll

# ----------------------------------------------------------------------------- prompts


def _check_messages(messages) -> list[dict]:
    if not isinstance(messages, (list, tuple)) or not messages:
        raise BadInputError("messages must be a non-empty list of {'role': ..., 'content': ...} dicts.")
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant") or "content" not in m:
            raise BadInputError(f"each message needs a role (system/user/assistant) and content, got {m!r}.")
        check_text(m["content"], f"the {m['role']} message")
    return list(messages)


def chat_messages(user: str, system: str | None = None, examples=()) -> list[dict]:
    """Build a chat: optional system message, few-shot (user, assistant) pairs, then the user turn."""
    msgs = [{"role": "system", "content": check_text(system, "system message")}] if system is not None else []
    for q, a in examples:
        msgs += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
    msgs.append({"role": "user", "content": check_text(user, "user message")})
    return msgs


def chat_prompt(tok, user_or_messages, system: str | None = None) -> str:
    """The exact text the model sees for a chat (its chat template, ready for the reply)."""
    if getattr(tok, "chat_template", None) is None:
        raise BadInputError(f"{type(tok).__name__} has no chat template (e.g. GPT-2): use a plain text prompt, "
                            "or a chat model such as SmolLM2-Instruct.")
    msgs = (chat_messages(user_or_messages, system) if isinstance(user_or_messages, str)
            else _check_messages(user_or_messages))
    return tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)


def prompt_text(tok, prompt_or_messages) -> str:
    """A plain prompt is used as is; a list of chat messages goes through the chat template."""
    if isinstance(prompt_or_messages, str):
        return check_text(prompt_or_messages, "prompt")
    return chat_prompt(tok, prompt_or_messages)


def encode_prompt(tok, prompt_or_messages) -> torch.Tensor:
    """Token ids, shape (1, length). Chat text already holds its special tokens: add none."""
    text = prompt_text(tok, prompt_or_messages)
    special = isinstance(prompt_or_messages, str)
    return tok(text, return_tensors="pt", add_special_tokens=special)["input_ids"]


def context_length(model) -> int | None:
    """The most tokens the model attends to (transformers maps GPT-2's n_positions to this name)."""
    return getattr(model.config, "max_position_embeddings", None)


def check_fits_context(model, prompt_len: int, max_new_tokens) -> int:
    """The prompt plus the new tokens must fit the model's context window."""
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or max_new_tokens < 1:
        raise BadInputError(f"max_new_tokens must be a whole number >= 1, got {max_new_tokens!r}.")
    ctx = context_length(model)
    if ctx is not None and prompt_len + max_new_tokens > ctx:
        raise BadInputError(
            f"The prompt has {prompt_len} tokens and you asked for {max_new_tokens} new ones, but this model "
            f"sees at most {ctx} tokens (max_position_embeddings). Use at most {max(ctx - prompt_len, 0)} "
            "new tokens or a shorter prompt.")
    return max_new_tokens


def eos_ids(model, tok) -> set[int]:
    ids = set()
    for v in (getattr(model.generation_config, "eos_token_id", None), tok.eos_token_id):
        if isinstance(v, int):
            ids.add(v)
        elif v is not None:
            ids.update(int(x) for x in v)
    return ids


# ----------------------------------------------------------------------------- the loop


@dataclass
class GenerationResult:
    prompt: str
    prompt_ids: list[int]
    token_ids: list[int]              # the new tokens only
    text: str                         # the new text only (cut at a stop string if one appeared)
    step_probs: list[float]           # probability of each chosen token, in the distribution it was drawn from
    step_logprobs: list[float]        # log p of each chosen token under the unmodified model (temperature 1)
    stopped_by: str                   # "max_new_tokens", "eos" or "stop string"
    seconds: float
    settings: dict = field(default_factory=dict)

    @property
    def mean_logprob(self) -> float:
        """Quality proxy: the model's own mean per-token log-likelihood of what was generated."""
        return sum(self.step_logprobs) / max(len(self.step_logprobs), 1)

    @property
    def tokens_per_second(self) -> float:
        return len(self.token_ids) / self.seconds if self.seconds > 0 else float("inf")


def _cache_arg(model) -> str:
    """transformers >= 5.2x names the KV cache argument `cache`; earlier ones `past_key_values`."""
    params = inspect.signature(model.forward).parameters
    return "cache" if "cache" in params else "past_key_values"


def _returned_cache(out):
    return out["cache"] if "cache" in out else out["past_key_values"]


def _is_sampling(temperature, top_k, top_p) -> bool:
    return any(v is not None for v in (temperature, top_k, top_p))


@torch.no_grad()
def generate_by_hand(model, tok, prompt, max_new_tokens: int, *, temperature: float | None = None,
                     top_k: int | None = None, top_p: float | None = None,
                     repetition_penalty: float | None = None, seed: int | None = None,
                     use_cache: bool = True, stop_strings=None) -> GenerationResult:
    """Generate one continuation, one token at a time, in plain PyTorch.

    Greedy when temperature, top_k and top_p are all None; otherwise sampling (temperature
    None then means 1.0). `seed` makes sampling repeatable without touching torch's global
    random state. `prompt` is a string or a list of chat messages.
    """
    # validate every knob before any model call, so bad settings fail fast with a clear message
    if temperature is not None:
        check_temperature(temperature)
    if top_k is not None:
        S.check_top_k(top_k)
    if top_p is not None:
        S.check_top_p(top_p)
    if repetition_penalty is not None:
        S.check_repetition_penalty(repetition_penalty)
    stops = [stop_strings] if isinstance(stop_strings, str) else list(stop_strings or [])
    if any(not isinstance(s, str) or not s for s in stops):
        raise BadInputError(f"stop_strings must be non-empty strings, got {stop_strings!r}.")
    ids = encode_prompt(tok, prompt)
    check_fits_context(model, ids.shape[1], max_new_tokens)
    sampling = _is_sampling(temperature, top_k, top_p)
    gen = S.make_generator(seed)
    device = next(model.parameters()).device
    ids = ids.to(device)
    prompt_ids = ids[0].tolist()
    stop_ids = eos_ids(model, tok)

    new, probs, logps = [], [], []
    past, stopped_by, text = None, "max_new_tokens", ""
    t0 = time.perf_counter()
    for _ in range(max_new_tokens):
        if use_cache and past is not None:
            out = model(input_ids=ids[:, -1:], use_cache=True, **{_cache_arg(model): past})  # only the new token
        else:
            out = model(input_ids=ids, use_cache=use_cache)                                    # the whole text again
        past = _returned_cache(out) if use_cache else None
        logits = out.logits[0, -1].float()
        scores = S.process_logits(logits, temperature=temperature, top_k=top_k, top_p=top_p,
                                  repetition_penalty_value=repetition_penalty, previous_ids=ids[0])
        nxt = S.sample_next(scores, gen) if sampling else S.greedy(scores)
        nxt_id = int(nxt)
        if nxt_id in stop_ids:
            stopped_by = "eos"
            break
        new.append(nxt_id)
        probs.append(float(S.to_probs(scores)[nxt_id]))
        logps.append(float(torch.log_softmax(logits, -1)[nxt_id]))
        ids = torch.cat([ids, nxt.view(1, 1).to(device)], dim=1)
        if stops:
            text = tok.decode(new, skip_special_tokens=True)
            hit = [text.find(s) for s in stops if s in text]
            if hit:
                text, stopped_by = text[:min(hit)], "stop string"
                break
    seconds = time.perf_counter() - t0
    if stopped_by != "stop string":
        text = tok.decode(new, skip_special_tokens=True)
    settings = dict(max_new_tokens=max_new_tokens, temperature=temperature, top_k=top_k, top_p=top_p,
                    repetition_penalty=repetition_penalty, seed=seed, use_cache=use_cache, stop_strings=stops or None)
    return GenerationResult(prompt_text(tok, prompt), prompt_ids, new, text, probs, logps, stopped_by, seconds, settings)


@torch.no_grad()
def sample_candidates(model, tok, prompt, n: int, max_new_tokens: int, *, temperature: float = 1.0,
                      top_k: int | None = None, top_p: float | None = None, repetition_penalty: float | None = None,
                      seed: int = 0) -> list[list[int]]:
    """n sampled continuations in one batched `model.generate` call (faster than n hand loops).

    The prompt is read once (its keys and values are computed for one copy and repeated for the
    n candidates), so asking for many candidates costs little more than generating their tokens.
    Returns the new token ids of each candidate, cut at end-of-sequence. Seeded: the same seed
    gives the same candidates; torch's global random state is restored afterwards.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise BadInputError(f"n must be a whole number >= 1, got {n!r}.")
    check_temperature(temperature)
    ids = encode_prompt(tok, prompt)
    check_fits_context(model, ids.shape[1], max_new_tokens)
    kwargs = dict(do_sample=True, temperature=float(temperature), top_k=0 if top_k is None else S.check_top_k(top_k),
                  top_p=1.0 if top_p is None else S.check_top_p(top_p),
                  repetition_penalty=1.0 if repetition_penalty is None else S.check_repetition_penalty(repetition_penalty))
    device = next(model.parameters()).device
    ids = ids.to(device)
    batch = ids.repeat(n, 1)
    cache = _shared_prompt_cache(model, ids, n)
    if cache is not None:
        kwargs[_cache_arg(model)] = cache           # generate() then feeds only the prompt's last token
    with seeded(seed, device):                     # generate() draws on the model's device
        out = model.generate(batch, attention_mask=torch.ones_like(batch), max_new_tokens=max_new_tokens,
                             pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
                             **kwargs)
    stop = eos_ids(model, tok)
    result = []
    for row in out[:, ids.shape[1]:].tolist():
        cut = next((i for i, t in enumerate(row) if t in stop), len(row))
        result.append(row[:cut])
    return result


def _shared_prompt_cache(model, ids: torch.Tensor, n: int):
    """Keys and values of all but the prompt's last token, computed once and repeated n times.

    None when there is nothing to share (a one-token prompt, one candidate) or the model's cache
    cannot be repeated: generate() then reads the prompt n times, with the same result.
    """
    if n < 2 or ids.shape[1] < 2:
        return None
    with torch.no_grad():                              # inference only: no autograd graph kept
        cache = _returned_cache(model(input_ids=ids[:, :-1], use_cache=True))
    if not hasattr(cache, "batch_repeat_interleave"):
        return None
    cache.batch_repeat_interleave(n)
    return cache


# ----------------------------------------------------------------------------- distributions (cached)

_DIST_CACHE: OrderedDict = OrderedDict()
_DIST_CACHE_SIZE = 64
cache_stats = {"hits": 0, "misses": 0}


def _model_key(model) -> tuple:
    return (id(model), getattr(model.config, "_name_or_path", ""))


@torch.no_grad()
def next_token_distribution(model, tok, prompt_or_messages) -> torch.Tensor:
    """Raw next-token logits (float32, shape (vocab,)) after the prompt.

    Cached (LRU, keyed by model and prompt text): moving a temperature / top-k / top-p slider
    re-uses these logits, so only the cheap transformations run, not the model.
    """
    text = prompt_text(tok, prompt_or_messages)
    key = (_model_key(model), text, isinstance(prompt_or_messages, str))
    if key in _DIST_CACHE:
        _DIST_CACHE.move_to_end(key)
        cache_stats["hits"] += 1
        return _DIST_CACHE[key].clone()
    cache_stats["misses"] += 1
    ids = encode_prompt(tok, prompt_or_messages)
    check_fits_context(model, ids.shape[1], 1)
    device = next(model.parameters()).device
    logits = model(input_ids=ids.to(device)).logits[0, -1].float().cpu()
    _DIST_CACHE[key] = logits
    while len(_DIST_CACHE) > _DIST_CACHE_SIZE:
        _DIST_CACHE.popitem(last=False)
    return logits.clone()


def clear_distribution_cache() -> None:
    _DIST_CACHE.clear()
    cache_stats.update(hits=0, misses=0)


# ----------------------------------------------------------------------------- measurements


def distinct_n(texts, n: int = 2) -> float:
    """Diversity: distinct n-grams / all n-grams, pooled over the texts (Li et al., 2016).

    Texts are strings (split on whitespace) or lists of token ids (or one of either). 1.0 = no n-gram repeats;
    values near 0 = the same phrases over and over.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise BadInputError(f"n must be a whole number >= 1, got {n!r}.")
    texts = list(texts) if not isinstance(texts, str) else [texts]
    if texts and isinstance(texts[0], int):      # one sequence of token ids
        texts = [texts]
    grams, total = set(), 0
    for t in texts:
        units = t.split() if isinstance(t, str) else list(t)
        for i in range(len(units) - n + 1):
            grams.add(tuple(units[i:i + n]))
            total += 1
    return len(grams) / total if total else 0.0


def mean_log_likelihood(model, tok, prompt, continuations) -> list[float]:
    """Quality proxy: mean log p(token | everything before) of each continuation under the model.

    `continuations` are token-id lists (exact) or strings (tokenised without special tokens).
    One batched forward pass; the prompt tokens themselves are not scored.
    """
    p_ids = encode_prompt(tok, prompt)[0].tolist()
    conts = [tok(c, add_special_tokens=False)["input_ids"] if isinstance(c, str) else list(c) for c in continuations]
    if conts:
        check_fits_context(model, len(p_ids) + max(map(len, conts)) - 1, 1)
    return [-float(nll.mean()) for nll in continuation_nll(model, p_ids, conts)]
