"""Tiny language models trained here: a byte-level BPE tokenizer, a small GPT-2, a training
loop, and the measurements a lesson needs (loss, perplexity, bits per character, samples).

    tok = train_bpe_tokenizer(train_text, vocab_size=2000)
    model = make_tiny_gpt(len(tok))
    log = train_lm(model, encode(tok, train_text), encode(tok, val_text), steps=200)
    perplexity(model, tok, held_out_text)          # also works for SmolLM2 / GPT-2 and their tokenizers
    sample(model, tok, "In the beginning", max_new_tokens=40, temperature=0.8, seed=0)

Everything is seeded, so a lesson that trains for a fixed number of *steps* reproduces its
numbers; a time budget (`max_seconds`) is only for benchmarks.
"""
from __future__ import annotations

import math
import time
from typing import Callable, Iterator

import torch
from tqdm.auto import tqdm

from course_utils.kernel.checks import check_temperature, check_text
from course_utils.kernel.seed import seeded
from course_utils.kernel.errors import BadInputError
from course_utils.training.schedule import cosine_decay, linear_warmup
from course_utils.training.scoring import next_token_nll
from course_utils.training.log import TrainLog

EOT = "<|endoftext|>"                                      # GPT-2's document separator
MLM_SPECIAL = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]  # RoBERTa's special tokens


# --------------------------------------------------------------------------- tokenizer
def train_bpe_tokenizer(text: str, vocab_size: int = 2000, *, mlm: bool = False):
    """Train a byte-level BPE tokenizer (GPT-2's scheme) on `text`; returns a
    `PreTrainedTokenizerFast`. Byte-level means any string can be encoded (no unknown
    token): the 256 byte values are the starting alphabet, merges are learned on top.

    mlm=True adds RoBERTa's special tokens (<s> <pad> </s> <unk> <mask>) for a masked LM.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    check_text(text, "the tokenizer's training text")
    if not isinstance(vocab_size, int) or vocab_size < 300:
        raise BadInputError(f"vocab_size must be a whole number >= 300 (256 bytes + merges), got {vocab_size!r}.")
    special = MLM_SPECIAL if mlm else [EOT]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=special, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    # Feed lines rather than one huge string: same merges, far less memory.
    tok.train_from_iterator(text.splitlines(keepends=True), trainer=trainer)
    if mlm:
        from tokenizers import AddedToken
        from tokenizers.processors import RobertaProcessing
        # like RoBERTa: "be <mask>." lets the mask absorb the space, so " light" can fill it
        tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
        tok.post_processor = RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")))
        return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                       unk_token="<unk>", pad_token="<pad>", mask_token="<mask>",
                                       cls_token="<s>", sep_token="</s>")
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=EOT, eos_token=EOT,
                                   unk_token=EOT, pad_token=EOT)


def encode(tokenizer, text: str) -> torch.Tensor:
    """The whole text as one 1-D LongTensor of token ids (no special tokens added)."""
    check_text(text, "text to encode")
    # Encode line by line in one batch call (fast, parallel-safe); byte-level BPE keeps the
    # newline characters, so decoding the concatenation gives the text back.
    lines = text.splitlines(keepends=True)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:  # the Rust tokenizer directly: ~2x faster than tokenizer(lines)
        ids = [enc.ids for enc in backend.encode_batch(lines, add_special_tokens=False)]
    else:
        ids = tokenizer(lines, add_special_tokens=False)["input_ids"]
    return torch.tensor([i for line in ids for i in line], dtype=torch.long)


def make_tiny_gpt(vocab_size: int, n_layer: int = 4, n_embd: int = 128, n_head: int = 4,
                  n_ctx: int = 128, *, dropout: float = 0.0, seed: int = 0, positions: bool = True,
                  residual: bool = True):
    """A GPT-2-architecture model (`GPT2LMHeadModel`) with random weights.

    Dropout defaults to 0: in a few minutes of training the model underfits, so dropout
    would only slow learning down.

    Two switches take one piece out of the architecture, to see what it is for (the defaults
    build the usual GPT-2, with the same weights as before these switches existed):

    - `positions=False`: the learned position-embedding table (`transformer.wpe`) is set to zero
      and frozen (`requires_grad=False`, so the optimiser never changes it). Each token's input is
      then its token embedding alone: the model gets no positional information. Causal attention
      still only looks back, but "3 tokens back" and "30 tokens back" look the same to it. (With
      two or more layers a causal model can still infer some order, e.g. by counting how many
      tokens it can see, so on next-token loss the cost of removing positions can be small.)
    - `residual=False`: both skip connections of every block are removed. GPT-2's block computes
      h = x + attn(ln_1(x)) and returns h + mlp(ln_2(h)); without skips it returns
      mlp(ln_2(attn(ln_1(x)))): the same LayerNorms, attention and MLP with the same weights, but a
      block's input no longer reaches its output except through attention and the MLP. The
      embeddings, the final LayerNorm and the LM head are unchanged. This is done with forward
      hooks on each block's own submodules (see `_remove_skip_connections`), so it does not depend
      on `GPT2Block.forward`'s argument list, which changes between transformers versions.
      Neither switch is saved in the config: `save_pretrained` / `from_pretrained` give back a
      normal GPT-2, so build these variants with this function.
    """
    from transformers import GPT2Config, GPT2LMHeadModel

    if n_embd % n_head:
        raise BadInputError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head}).")
    if min(vocab_size, n_layer, n_embd, n_head, n_ctx) <= 0:
        raise BadInputError("vocab_size, n_layer, n_embd, n_head and n_ctx must all be positive.")
    config = GPT2Config(vocab_size=vocab_size, n_positions=n_ctx, n_embd=n_embd, n_layer=n_layer,
                        n_head=n_head, resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout,
                        bos_token_id=0, eos_token_id=0, pad_token_id=0)
    with seeded(seed):  # same weights for the same seed, global RNG untouched
        model = GPT2LMHeadModel(config)
    model.loss_type = "ForCausalLM"  # GPT-2's class name doesn't say it; avoids a one-time warning
    if not positions:
        with torch.no_grad():
            model.transformer.wpe.weight.zero_()
        model.transformer.wpe.weight.requires_grad_(False)
    if not residual:
        for block in model.transformer.h:
            _remove_skip_connections(block)
    return model


class _SkipRemover:
    """Forward hooks that make a GPT2Block return mlp(ln_2(attn(ln_1(x)))) instead of
    h + mlp(ln_2(h)) with h = x + attn(ln_1(x)).

    The block runs its own forward unchanged; the hooks (1) keep attention's output a,
    (2) give ln_2 the input a instead of x + a, (3) keep the MLP's output m, and (4) make the
    block return m instead of (x + a) + m. So the result is exactly the block's own submodules
    composed without the two additions, and gradients flow only through that path.
    Kept as an object (not closures) so that `copy.deepcopy(model)` copies the hooks' state too.
    """

    def __init__(self):
        self.attn_out = self.mlp_out = None

    def keep_attn(self, _module, _args, output):
        self.attn_out = output[0] if isinstance(output, tuple) else output

    def feed_ln_2(self, _module, args):
        return (self.attn_out, *args[1:])

    def keep_mlp(self, _module, _args, output):
        self.mlp_out = output

    def block_output(self, _module, _args, output):
        out, self.attn_out, self.mlp_out = self.mlp_out, None, None
        return (out, *output[1:]) if isinstance(output, tuple) else out


def _remove_skip_connections(block) -> None:
    if getattr(block, "crossattention", None) is not None:
        raise BadInputError("residual=False is only built for GPT-2 blocks without cross-attention.")
    hooks = _SkipRemover()
    block.skip_remover = hooks
    block.attn.register_forward_hook(hooks.keep_attn)
    block.ln_2.register_forward_pre_hook(hooks.feed_ln_2)
    block.mlp.register_forward_hook(hooks.keep_mlp)
    block.register_forward_hook(hooks.block_output)


def make_tiny_roberta(tokenizer, n_layer: int = 4, n_embd: int = 128, n_head: int = 4,
                      max_len: int = 64, *, seed: int = 0):
    """A RoBERTa-architecture masked LM (`RobertaForMaskedLM`) with random weights, sized
    like `make_tiny_gpt`. `tokenizer` must come from `train_bpe_tokenizer(..., mlm=True)`."""
    from transformers import RobertaConfig, RobertaForMaskedLM

    if tokenizer.mask_token_id is None or tokenizer.pad_token_id is None:
        raise BadInputError("A masked LM needs <mask> and <pad> tokens: train the tokenizer with mlm=True.")
    if n_embd % n_head:
        raise BadInputError(f"n_embd ({n_embd}) must be divisible by n_head ({n_head}).")
    config = RobertaConfig(vocab_size=len(tokenizer), hidden_size=n_embd, num_hidden_layers=n_layer,
                           num_attention_heads=n_head, intermediate_size=4 * n_embd,
                           max_position_embeddings=max_len + 2,  # RoBERTa's positions start after the pad index
                           type_vocab_size=1, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                           pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                           eos_token_id=tokenizer.eos_token_id)
    with seeded(seed):
        return RobertaForMaskedLM(config)




# --------------------------------------------------------------------------- data
def _check_ids(token_ids, block_size: int, what: str) -> torch.Tensor:
    ids = torch.as_tensor(token_ids, dtype=torch.long).flatten()
    if block_size < 2:
        raise BadInputError(f"block_size must be at least 2, got {block_size}.")
    if ids.numel() < block_size + 1:
        raise BadInputError(f"{what} has {ids.numel()} tokens, fewer than block_size + 1 = {block_size + 1}: "
                            "use more text or a smaller block_size.")
    return ids


def lm_batches(token_ids, batch_size: int, block_size: int, seed: int = 0) -> Iterator[torch.Tensor]:
    """Endless batches of `batch_size` random windows of `block_size` tokens, shape (B, T).

    For a causal LM the labels are the inputs themselves: the model shifts them by one
    inside (`model(input_ids=x, labels=x)` predicts x[1:] from x[:-1]).
    """
    ids = _check_ids(token_ids, block_size, "the training text")
    if batch_size < 1:
        raise BadInputError(f"batch_size must be at least 1, got {batch_size}.")
    gen = torch.Generator().manual_seed(seed)
    offsets = torch.arange(block_size)
    while True:
        starts = torch.randint(0, ids.numel() - block_size + 1, (batch_size,), generator=gen)
        yield ids[starts[:, None] + offsets]


def eval_blocks(token_ids, block_size: int, max_blocks: int | None = None) -> torch.Tensor:
    """Consecutive, non-overlapping windows (the same every time): a fixed validation set."""
    ids = _check_ids(token_ids, block_size, "the evaluation text")
    n = ids.numel() // block_size
    if max_blocks is not None:
        n = min(n, max_blocks)
    return ids[: n * block_size].view(n, block_size)


@torch.no_grad()
def evaluate_loss(model, ids, block_size: int = 128, batch_size: int = 32, max_blocks: int | None = 64) -> float:
    """Mean next-token cross-entropy (nats per token) over fixed windows of `ids`."""
    blocks = eval_blocks(ids, block_size, max_blocks)
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(blocks), batch_size):
        nll = next_token_nll(model, blocks[start:start + batch_size])
        total += nll.sum().item()
        count += nll.numel()
    model.train(was_training)
    return total / count


# --------------------------------------------------------------------------- training
def lr_at(step: int, steps: int, lr: float, warmup: int) -> float:
    """Linear warm-up to `lr`, then cosine decay to lr/10 (the usual GPT recipe, shortened)."""
    if step < warmup:
        return lr * linear_warmup(step, warmup)
    return lr * cosine_decay(step - warmup, steps - warmup, floor=0.1)


def train_lm(model, train_ids, val_ids, *, steps: int, batch_size: int = 32, block_size: int = 128,
             lr: float = 3e-3, warmup: int | None = None, eval_every: int | None = None, seed: int = 0,
             on_eval: Callable[[int, object], None] | None = None, progress: bool = True,
             max_seconds: float | None = None, eval_blocks_max: int = 32, weight_decay: float = 0.1) -> TrainLog:
    """Pretrain a causal LM with AdamW on random windows of `train_ids`.

    Validation loss is measured before training (step 0), every `eval_every` steps and at the
    end; `on_eval(step, model)` is called at each of those points (e.g. to print a sample).
    """
    if not isinstance(steps, int) or steps < 1:
        raise BadInputError(f"steps must be a whole number >= 1, got {steps!r}.")
    if block_size > model.config.max_position_embeddings:
        raise BadInputError(f"block_size {block_size} is longer than the model's context "
                            f"{model.config.max_position_embeddings}: use block_size <= {model.config.max_position_embeddings}.")
    _check_ids(val_ids, block_size, "the validation text")
    warmup = max(1, steps // 10) if warmup is None else max(1, int(warmup))
    eval_every = max(1, steps // 5) if eval_every is None else int(eval_every)
    device = next(model.parameters()).device
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]      # matrices: decayed
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]    # biases, LayerNorm
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.95))
    batches = lm_batches(train_ids, batch_size, block_size, seed)
    log = TrainLog()

    def evaluate(step):
        log.record_eval(step, evaluate_loss(model, val_ids, block_size, batch_size, eval_blocks_max),
                        evaluate_loss(model, train_ids, block_size, batch_size, eval_blocks_max))
        if on_eval is not None:
            on_eval(step, model)

    bar = tqdm(total=steps, desc="pretraining", disable=not progress)
    evaluate(0)
    model.train()
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        for group in opt.param_groups:
            group["lr"] = lr_at(step - 1, steps, lr, warmup)
        x = next(batches).to(device)
        loss = model(input_ids=x, labels=x).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # keeps early, large steps stable
        opt.step()
        log.seconds += time.perf_counter() - t0
        log.tokens_seen += x.numel()
        log.losses.append(loss.item())
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.2f}")
        out_of_time = max_seconds is not None and log.seconds >= max_seconds
        if step % eval_every == 0 or step == steps or out_of_time:
            evaluate(step)
            model.train()
        if out_of_time:
            log.stopped_early = step < steps
            break
    bar.close()
    model.eval()
    return log


# --------------------------------------------------------------------------- measuring
def _ids_of(tokenizer_or_ids, text) -> torch.Tensor:
    if text is None:  # ids given directly
        return torch.as_tensor(tokenizer_or_ids, dtype=torch.long).flatten()
    check_text(text, "the text to score")
    return torch.tensor(tokenizer_or_ids(text, add_special_tokens=False)["input_ids"], dtype=torch.long)


@torch.no_grad()
def token_nll(model, tokenizer_or_ids, text: str | None = None, *, block_size: int | None = None) -> tuple[float, int]:
    """(total negative log-likelihood in nats, number of tokens scored).

    The text is cut into windows of `block_size` + 1 tokens overlapping by one, so every
    token except the very first is predicted exactly once, from up to `block_size` tokens
    of context. Defaults to the model's full context (capped at 1024 to keep CPU memory low).
    """
    ids = _ids_of(tokenizer_or_ids, text)
    if ids.numel() < 2:
        raise BadInputError("The text to score must be at least 2 tokens long (the first one has no context).")
    block_size = block_size or min(model.config.max_position_embeddings, 1024)
    model.eval()
    total, count = 0.0, 0
    for start in range(0, ids.numel() - 1, block_size):
        nll = next_token_nll(model, ids[start:start + block_size + 1][None])
        total += nll.sum().item()
        count += nll.numel()
    return total, count


def perplexity(model, tokenizer_or_ids, text: str | None = None, *, block_size: int | None = None) -> float:
    """exp(mean next-token NLL): "as unsure as a uniform choice among this many tokens".

    perplexity(model, tokenizer, text) tokenizes with that model's own tokenizer;
    perplexity(model, ids) scores token ids directly.
    """
    total, count = token_nll(model, tokenizer_or_ids, text, block_size=block_size)
    return math.exp(total / count)


def bits_per_character(model, tokenizer, text: str, *, block_size: int | None = None) -> float:
    """Total NLL in bits divided by characters: comparable across different tokenizers,
    unlike perplexity per token (a model with longer tokens has fewer, harder predictions)."""
    total, _ = token_nll(model, tokenizer, text, block_size=block_size)
    return total / math.log(2) / len(text)


@torch.no_grad()
def sample(model, tokenizer, prompt: str, max_new_tokens: int = 40, temperature: float = 0.8,
           seed: int = 0, top_k: int | None = 50) -> str:
    """Continue `prompt` by sampling; the same seed gives the same text. Returns prompt + continuation."""
    check_text(prompt, "prompt")
    check_temperature(temperature)
    if max_new_tokens < 1:
        raise BadInputError(f"max_new_tokens must be at least 1, got {max_new_tokens}.")
    device = next(model.parameters()).device
    ids = tokenizer(prompt, add_special_tokens=False, return_tensors="pt")["input_ids"].to(device)
    room = model.config.max_position_embeddings - max_new_tokens
    if ids.size(1) > room:
        raise BadInputError(f"prompt ({ids.size(1)} tokens) + max_new_tokens ({max_new_tokens}) exceed the "
                            f"model's context of {model.config.max_position_embeddings} tokens: shorten one of them.")
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    model.eval()
    with seeded(seed, model.device):  # the notebook's own random stream is left alone
        out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=True,
                             temperature=float(temperature), top_k=top_k or 0, top_p=1.0,
                             max_new_tokens=max_new_tokens, pad_token_id=pad)
    return tokenizer.decode(out[0], skip_special_tokens=True)
