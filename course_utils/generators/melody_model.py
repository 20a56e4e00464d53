"""A tiny conditional melody transformer: tokens, training, seeded sampling, and a measurement.

    tok = MelodyTokenizer()
    model = new_melody_model(tok)                       # GPT-2 shape, 2 layers x 64 wide
    result = train_melody_model(model, tok, train_melodies, steps=300)
    mel = sample_melodies(model, tok, "minor", n=1, temperature=1.0, seed=0)[0]
    conditioning_report(model, tok)                     # does asking for minor give minor?
    continue_melodies(model, tok, [parse_opening("D4 E4 F#4 G4 A4")], "any", seed=0)   # melody in
    prompt_key_report(model, tok, openings)             # do continuations keep the opening's key and metre?
    text_model, log = train_text_melody_model(model, tok, train_melodies)   # text in (MiniLM vector)
    sample_described(text_model, tok, ["a slow, sad tune with a narrow range"], n=4, guidance=2.0)
    description_report(text_model, tok, description_bank())   # measured labels match the words?

A melody becomes  <bos> <minor> P+0 D1 P+3 D0.5 ... <eos>: the condition token comes first, so
every later prediction can depend on it. Each note is two tokens, its pitch relative to the
tonic (or a rest) and its duration in quarter notes. During training the condition is replaced
by <any> for a share of the tunes, so the same model can also sample without a condition: that
is the baseline the conditioning is measured against. Text in: a copy of the trained model whose
token embeddings get a description's MiniLM vector added (TextMelodyModel), trained on phrasings of
each tune's measured mode, pace and range, sampled with classifier-free guidance.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from tqdm.auto import tqdm

from course_utils.generators.audio import TIMBRES, piano_roll, render_melody
from course_utils.kernel.checks import check_temperature
from course_utils.kernel.device import one_cpu_thread
from course_utils.kernel.errors import BadInputError
from course_utils.kernel.seed import seeded
from course_utils.training.schedule import cosine_decay, linear_warmup
from course_utils.sampling.logits import guided, sample_next
from course_utils.training.scoring import next_token_nll
from course_utils.training.log import TrainLog
from course_utils.data.melodies import (DURATIONS, MODES, PITCH_MAX, PITCH_MIN, PROPERTIES, REST, Melody,
                                        description_bank, downbeat_share, labels_of_description, melody_labels,
                                        mode_of, note_name, parse_opening, scale_share, training_labels)

CONDITIONS = ("major", "minor", "any")  # "any" = unconditioned


def _duration_name(d: float) -> str:
    return {1 / 3: "1/3", 2 / 3: "2/3"}.get(d, f"{d:g}")


class MelodyTokenizer:
    """Maps melodies to token ids and back. Vocabulary: specials, conditions, pitches, durations."""

    specials = ("<pad>", "<bos>", "<eos>")

    def __init__(self):
        self.conditions = [f"<{c}>" for c in CONDITIONS]
        self.pitch_tokens = [f"P{p:+d}" for p in range(PITCH_MIN, PITCH_MAX + 1)] + ["REST"]
        self.duration_tokens = [f"D{_duration_name(d)}" for d in DURATIONS]
        self.vocab = list(self.specials) + self.conditions + self.pitch_tokens + self.duration_tokens
        self.token_to_id = {t: i for i, t in enumerate(self.vocab)}
        self.pad_id, self.bos_id, self.eos_id = (self.token_to_id[t] for t in self.specials)
        self.pitch_ids = [self.token_to_id[t] for t in self.pitch_tokens]
        self.duration_ids = [self.token_to_id[t] for t in self.duration_tokens]

    def __len__(self):
        return len(self.vocab)

    def condition_id(self, condition: str) -> int:
        if condition not in CONDITIONS:
            raise BadInputError(f"condition must be one of {CONDITIONS}, got {condition!r}.")
        return self.token_to_id[f"<{condition}>"]

    def encode(self, melody: Melody, condition: str | None = None, max_notes: int | None = None) -> list[int]:
        """<bos> <condition> (pitch duration)* <eos>; a melody cut at max_notes gets no <eos>."""
        cond = melody.mode if condition is None else condition
        ids = [self.bos_id, self.condition_id(cond)]
        n = len(melody) if max_notes is None else min(len(melody), max_notes)
        for p, d in zip(melody.pitches[:n], melody.durations[:n]):
            if p != REST and not PITCH_MIN <= p <= PITCH_MAX:
                raise BadInputError(f"pitch {p} is outside {PITCH_MIN}..{PITCH_MAX} semitones from the tonic.")
            if d not in DURATIONS:
                raise BadInputError(f"duration {d} is not on the grid {DURATIONS}; snap it first.")
            ids.append(self.pitch_ids[-1] if p == REST else self.pitch_ids[p - PITCH_MIN])
            ids.append(self.duration_ids[DURATIONS.index(d)])
        if n == len(melody):
            ids.append(self.eos_id)
        return ids

    def decode(self, ids, tonic_midi: int = 60) -> Melody:
        """Token ids -> Melody (stops at <eos>; a pitch without its duration is dropped)."""
        ids = [int(i) for i in ids]
        cond = "any"
        pitches, durations, pending = [], [], None
        for i in ids:
            tok = self.vocab[i]
            if tok == "<eos>":
                break
            if tok in self.conditions:
                cond = tok[1:-1]
            elif i in self.pitch_ids:
                k = self.pitch_ids.index(i)
                pending = REST if tok == "REST" else PITCH_MIN + k
            elif i in self.duration_ids and pending is not None:
                pitches.append(pending)
                durations.append(DURATIONS[self.duration_ids.index(i)])
                pending = None
        mode = cond if cond in MODES else (mode_of(pitches) or "major")
        return Melody(pitches, durations, mode, tonic_midi, f"sampled ({cond})")

    def tokens(self, ids) -> list[str]:
        return [self.vocab[int(i)] for i in ids]


def new_melody_model(tokenizer: MelodyTokenizer, n_layer: int = 2, n_embd: int = 64, n_head: int = 4,
                     max_tokens: int = 160, seed: int = 0):
    """A small GPT-2 (decoder-only transformer) with the melody vocabulary, from random weights."""
    from transformers import GPT2Config, GPT2LMHeadModel

    from course_utils.kernel.quiet import quiet_libraries
    quiet_libraries()  # transformers' one-time notices would land in the notebook's stderr
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=max_tokens, n_embd=n_embd, n_layer=n_layer,
                        n_head=n_head, bos_token_id=tokenizer.bos_id, eos_token_id=tokenizer.eos_id,
                        pad_token_id=tokenizer.pad_id, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    with seeded(seed):   # the initial weights, without reseeding the lesson's stream
        return GPT2LMHeadModel(config).eval()


def _batch(tokenizer, seqs: list[list[int]]):
    width = max(map(len, seqs))
    ids = torch.full((len(seqs), width), tokenizer.pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
    mask = ids != tokenizer.pad_id
    labels = ids.masked_fill(~mask, -100)
    labels[:, :2] = -100      # <bos> and the condition are given, not predicted
    return ids, mask.long(), labels


def _encode_all(tokenizer, melodies, condition_dropout, rng, max_notes):
    return [tokenizer.encode(m, "any" if rng.random() < condition_dropout else m.mode, max_notes)
            for m in melodies]


@one_cpu_thread()   # tiny model: one thread is faster and gives the same numbers anywhere
def melody_loss(model, tokenizer, melodies: list[Melody], max_notes: int = 64, batch_size: int = 64) -> float:
    """Mean next-token cross-entropy on melodies (each with its true mode as condition)."""
    model.eval()
    total, count = 0.0, 0
    seqs = [tokenizer.encode(m, None, max_notes) for m in melodies]
    for s in range(0, len(seqs), batch_size):
        ids, mask, labels = _batch(tokenizer, seqs[s:s + batch_size])
        total += next_token_nll(model, ids, mask, labels).sum().item()
        count += int((labels[:, 1:] != -100).sum())
    return total / max(count, 1)


@one_cpu_thread()   # tiny model: one thread is faster and gives the same numbers anywhere
def train_melody_model(model, tokenizer, melodies: list[Melody], *, steps: int = 300, batch_size: int = 32,
                       lr: float = 3e-3, condition_dropout: float = 0.2, max_notes: int = 64,
                       minor_weight: float | None = None, seed: int = 0, val_melodies=None,
                       eval_every: int = 100, progress: bool = False,
                       time_budget_s: float | None = None, callback=None, texts=None) -> TrainLog:
    """Next-token training with AdamW and a cosine learning rate. Tunes are drawn with weights
    so both modes are seen about equally often (minor tunes are rarer in folk collections).
    Stops after `steps`, or earlier when `time_budget_s` runs out or `callback(step, model)`
    (called every `eval_every` steps) returns True. `texts` (a TextMelodyModel's training): a
    function (melodies, rng) -> (B, 384) vectors, zero rows for dropped descriptions; every tune
    then gets the <any> token and its description vector is added to its token embeddings."""
    if not melodies:
        raise BadInputError("No melodies to train on.")
    if steps < 1 or batch_size < 1:
        raise BadInputError(f"steps and batch_size must be at least 1 (got {steps}, {batch_size}).")
    rng = np.random.default_rng(seed)   # batches and condition dropout (no dropout layers: torch draws nothing)
    is_minor = np.array([m.mode == "minor" for m in melodies])
    if minor_weight is None and 0 < is_minor.sum() < len(melodies):
        minor_weight = (len(melodies) - is_minor.sum()) / is_minor.sum()  # balance the modes
    weights = np.where(is_minor, minor_weight or 1.0, 1.0)
    weights = weights / weights.sum()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: linear_warmup(s, 20) * cosine_decay(s, steps))
    result = TrainLog()
    bar = tqdm(total=steps, desc="training", unit="step", disable=not progress)
    t0 = time.perf_counter()
    model.train()
    for step in range(steps):
        idx = rng.choice(len(melodies), size=batch_size, p=weights)
        batch = [melodies[i] for i in idx]
        if texts is None:
            ids, mask, labels = _batch(tokenizer, _encode_all(tokenizer, batch, condition_dropout, rng, max_notes))
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        else:
            ids, mask, labels = _batch(tokenizer, _encode_all(tokenizer, batch, 1.0, rng, max_notes))
            loss = model(input_ids=ids, attention_mask=mask, labels=labels, text=texts(batch, rng)).loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        result.losses.append(loss.item())
        bar.update(1)
        bar.set_postfix(loss=f"{result.losses[-1]:.2f}")
        if val_melodies and (step + 1) % eval_every == 0:
            result.record_eval(step + 1, melody_loss(model, tokenizer, val_melodies, max_notes))
            model.train()
        if callback is not None and (step + 1) % eval_every == 0:
            stop = callback(step + 1, model)
            model.train()
            if stop:
                result.stopped_early = step + 1 < steps
                break
        if time_budget_s is not None and time.perf_counter() - t0 > time_budget_s:
            result.stopped_early = step + 1 < steps
            break
    model.eval()
    bar.close()
    result.seconds = time.perf_counter() - t0
    return result


def _check_lengths(model, n, max_notes, min_notes):
    if n < 1 or max_notes < 1 or min_notes > max_notes:
        raise BadInputError(f"need n >= 1 and 1 <= min_notes <= max_notes (got n={n}, "
                            f"min_notes={min_notes}, max_notes={max_notes}).")
    limit = model.config.n_positions
    if 2 + 2 * max_notes + 1 > limit:
        raise BadInputError(f"max_notes={max_notes} needs {2 * max_notes + 3} tokens; this model "
                            f"holds {limit}: use max_notes <= {(limit - 3) // 2}.")


def _next_logits(model, ids, text=None, guidance=0.0):
    """The last position's logits; with a description vector (a TextMelodyModel), classifier-free
    guidance as in lesson 07 (`sampling.logits.guided`), w = 0 the plain conditional model."""
    if text is None:
        return model(input_ids=ids, use_cache=False).logits[:, -1, :].float()
    if guidance == 0:
        return model(input_ids=ids, text=text).logits[:, -1, :].float()
    both = model(input_ids=torch.cat([ids, ids]), text=torch.cat([text, torch.zeros_like(text)]))
    cond, uncond = both.logits[:, -1, :].float().chunk(2)
    return guided(cond, uncond, guidance)


def _draw(model, tokenizer, ids, *, temperature, seed, max_notes, min_notes, given_notes=0, text=None,
          guidance=0.0):
    """The sampling loop shared by sample_melodies and continue_melodies: `ids` (n x L) ends just
    before a pitch token, after `given_notes` notes; notes are drawn until <eos> or max_notes."""
    model.eval()
    gen = torch.Generator().manual_seed(int(seed))
    vocab = len(tokenizer)
    pitch_mask = torch.full((vocab,), -math.inf, device=model.device)
    pitch_mask[tokenizer.pitch_ids] = 0.0
    pitch_or_eos = pitch_mask.clone()
    pitch_or_eos[tokenizer.eos_id] = 0.0
    dur_mask = torch.full((vocab,), -math.inf, device=model.device)
    dur_mask[tokenizer.duration_ids] = 0.0
    n = ids.shape[0]
    done = torch.zeros(n, dtype=torch.bool, device=model.device)
    out = ids
    for t in range(2 * given_notes, 2 * max_notes):
        # The whole prefix again each step (no KV cache): for ~100 tokens on a 2-layer model this
        # costs little and works the same on every transformers version.
        logits = _next_logits(model, out, text, guidance) / temperature
        if t % 2 == 1:
            logits = logits + dur_mask
        else:
            logits = logits + (pitch_or_eos if t // 2 >= min_notes else pitch_mask)
        nxt = sample_next(logits, gen)[:, None]   # drawn on the generator's device (the CPU)
        nxt[done] = tokenizer.pad_id
        done |= nxt[:, 0] == tokenizer.eos_id
        out = torch.cat([out, nxt], dim=1)
        if bool(done.all()):
            break
    return out


@one_cpu_thread()   # tiny model: one thread is faster and gives the same numbers anywhere
@torch.inference_mode()   # a little faster than no_grad (the widget samples on each new setting)
def sample_melodies(model, tokenizer: MelodyTokenizer, condition: str = "major", *, n: int = 1,
                    temperature: float = 1.0, seed: int = 0, max_notes: int = 48, min_notes: int = 8,
                    tonic_midi: int = 60) -> list[Melody]:
    """Sample `n` melodies token by token. Each step draws from softmax(logits / temperature)
    with a seeded torch.Generator (same seed -> same melodies). The grammar is enforced by
    masking: a pitch (or <eos>) is always followed by a duration."""
    cond_id = tokenizer.condition_id(condition)
    check_temperature(temperature)
    _check_lengths(model, n, max_notes, min_notes)
    ids = torch.tensor([[tokenizer.bos_id, cond_id]] * n, device=model.device)
    out = _draw(model, tokenizer, ids, temperature=temperature, seed=seed, max_notes=max_notes,
                min_notes=min_notes)
    return [tokenizer.decode(row.tolist(), tonic_midi) for row in out]


@one_cpu_thread()   # tiny model: one thread is faster and gives the same numbers anywhere
@torch.inference_mode()
def continue_melodies(model, tokenizer: MelodyTokenizer, openings: list[Melody], condition: str = "any", *,
                      n: int = 1, temperature: float = 1.0, seed: int = 0, max_notes: int = 32,
                      min_new_notes: int = 4) -> list[Melody]:
    """Melody in: each opening is encoded as <bos> <condition> (pitch duration)* without <eos>, and
    the model draws the rest (the same seeded, grammar-masked loop as sample_melodies), `n` times
    per opening, up to `max_notes` notes in all. Returns opening + continuation as Melodies
    (opening 0's n draws first, then opening 1's ...), each at its opening's tonic. All openings of
    one call have the same number of notes (they are sampled as one batch)."""
    cond_id = tokenizer.condition_id(condition)
    check_temperature(temperature)
    if not openings:
        raise BadInputError("continue_melodies needs at least one opening.")
    k = len(openings[0])
    if any(len(o) != k for o in openings):
        raise BadInputError(f"all openings of one call need the same number of notes (got "
                            f"{sorted({len(o) for o in openings})}); call once per length.")
    if k < 1 or k + min_new_notes > max_notes:
        raise BadInputError(f"an opening of {k} notes leaves no room for {min_new_notes} new notes "
                            f"within max_notes={max_notes}: shorten it or raise max_notes.")
    _check_lengths(model, n, max_notes, k + min_new_notes)
    rows = []
    for o in openings:
        rows += [tokenizer.encode(o, condition, max_notes=k)[:2 + 2 * k]] * n   # no <eos>: the tune goes on
    ids = torch.tensor(rows, device=model.device)
    out = _draw(model, tokenizer, ids, temperature=temperature, seed=seed, max_notes=max_notes,
                min_notes=k + min_new_notes, given_notes=k)
    result = []
    for i, row in enumerate(out):
        o = openings[i // n]
        mel = tokenizer.decode(row.tolist(), o.tonic_midi)
        mode = mode_of(mel.pitches) or o.mode
        result.append(Melody(mel.pitches, mel.durations, mode, o.tonic_midi, f"continued ({condition})"))
    return result


def prompt_key_report(model, tokenizer, openings: list[Melody], condition: str = "any", *, n: int = 2,
                      temperature: float = 1.0, seed: int = 0, max_notes: int = 32) -> dict[str, float]:
    """Does a continuation keep its opening's key? For each opening (all of one length k), the share
    of the new notes (after note k) in the opening's scale (its `mode` on its tonic): continued
    from the opening, and in unprompted samples of the same condition (notes after note k too).
    Two batched sampling runs; the mean over openings and draws. And its metre, from the same
    draws: "downbeats, ..." is downbeats_kept (openings of a known metre only; NaN if none)."""
    k = len(openings[0]) if openings else 0
    cont = continue_melodies(model, tokenizer, openings, condition, n=n, temperature=temperature, seed=seed,
                             max_notes=max_notes)
    free = sample_melodies(model, tokenizer, condition, n=n * len(openings), temperature=temperature, seed=seed,
                           max_notes=max_notes, min_notes=k + 4)
    modes = [o.mode for o in openings for _ in range(n)]
    prompted = [scale_share(m.pitches[k:], mode) for m, mode in zip(cont, modes)]
    unprompted = [scale_share(m.pitches[k:], mode) for m, mode in zip(free, modes)]
    return {"continued from the opening": float(np.nanmean(prompted)),
            "unprompted": float(np.nanmean(unprompted)),
            "same mode, continued": float(np.mean([mode_of(m.pitches[k:]) == md for m, md in zip(cont, modes)])),
            "same mode, unprompted": float(np.mean([mode_of(m.pitches[k:]) == md for m, md in zip(free, modes)])),
            "openings": len(openings), "draws each": n,
            "kept the opening": float(np.mean([(m.pitches[:k], m.durations[:k]) == (o.pitches, o.durations)
                                               for m, o in zip(cont, [o for o in openings for _ in range(n)])])),
            "downbeats, continued": downbeats_kept(openings, cont, n=n),
            "downbeats, unprompted": downbeats_kept(openings, free, n=n),
            "openings with a metre": sum(o.bar > 0 for o in openings)}


def downbeats_kept(openings: list[Melody], melodies: list[Melody], *, n: int = 1) -> float:
    """Does a melody keep its opening's metre? `melodies` holds n per opening, in order (as
    continue_melodies returns them). For each opening whose metre is known (bar > 0, a corpus
    opening), the opening's bar lines are continued through the melody's notes after the opening's
    length k, and data.melodies.downbeat_share counts the share that fall on a note's start; the
    mean over those melodies. The tokens carry durations only, never a bar line: a model keeps the
    metre only by adding up the lengths itself. NaN when no opening has a known metre."""
    if len(melodies) != n * len(openings):
        raise BadInputError(f"need n={n} melodies per opening: {len(openings)} openings, {len(melodies)} melodies.")
    k = len(openings[0]) if openings else 0
    shares = [downbeat_share(m.durations, o.bar, o.start, from_note=k)
              for m, o in zip(melodies, [o for o in openings for _ in range(n)]) if o.bar > 0]
    shares = [x for x in shares if not math.isnan(x)]
    return float(np.mean(shares)) if shares else float("nan")


def conditioning_report(model, tokenizer, *, n: int = 64, temperature: float = 1.0, seed: int = 0,
                        max_notes: int = 48) -> dict[str, dict[str, float]]:
    """For each condition (major, minor, any): share of sampled notes in the major scale and in
    the minor scale, and the share of melodies whose thirds say minor. A working condition
    moves these numbers in the asked direction compared with 'any' (unconditioned)."""
    report = {}
    for cond in CONDITIONS:
        mels = sample_melodies(model, tokenizer, cond, n=n, temperature=temperature, seed=seed,
                               max_notes=max_notes)
        report[cond] = mode_measures(mels)
    return report


def mode_measures(melodies: list[Melody]) -> dict[str, float]:
    """Share of notes in the major and in the minor scale, and share of tunes judged minor."""
    return {"in major scale": float(np.mean([scale_share(m.pitches, "major") for m in melodies])),
            "in minor scale": float(np.mean([scale_share(m.pitches, "minor") for m in melodies])),
            "judged minor": float(np.mean([mode_of(m.pitches) == "minor" for m in melodies]))}


def typical_melody(melodies: list[Melody]) -> Melody:
    """The melody closest to its group's average (share of notes in the major scale, share in the
    minor scale): an honest single example of what a condition gives. A random single draw may be
    an outlier that sounds like the other condition."""
    if not melodies:
        raise BadInputError("typical_melody needs at least one melody.")
    shares = np.array([[scale_share(m.pitches, "major"), scale_share(m.pitches, "minor")] for m in melodies])
    distance = ((shares - np.nanmean(shares, axis=0)) ** 2).sum(axis=1)
    return melodies[int(np.argmin(np.nan_to_num(distance, nan=np.inf)))]   # only rests: never typical


def data_report(melodies: list[Melody]) -> dict[str, dict[str, float]]:
    """The same numbers as conditioning_report, measured on real melodies of each mode."""
    report = {}
    for mode in MODES:
        report[mode] = mode_measures([m for m in melodies if m.mode == mode])
    return report


def print_report(report: dict[str, dict[str, float]], title: str = "condition") -> None:
    cols = list(next(iter(report.values())))
    width = max(10, len(title), *(len(row) for row in report))
    print(f"{title:<{width}}" + "".join(f"{c:>16}" for c in cols))
    for row, vals in report.items():
        print(f"{row:<{width}}" + "".join(f"{vals[c]:>16.2f}" for c in cols))


# ----------------------------------------------------------------------------- text in
class TextMelodyModel(torch.nn.Module):
    """Text in: a melody GPT-2 (its sequences start <bos> <any>) whose every token embedding gets a
    description's MiniLM vector added, through one linear map (384 -> width, no bias: a zero vector
    adds nothing, which is the unconditional model classifier-free guidance needs). Everything else
    is the melody model. (Added at the <any> token only, the model learned the mode but not the pace.)"""

    def __init__(self, lm, text_dim: int = 384):
        super().__init__()
        self.lm = lm
        with seeded(0):   # nn.Linear draws initial weights: not from the lesson's stream
            self.project = torch.nn.Linear(text_dim, lm.config.n_embd, bias=False)
        torch.nn.init.zeros_(self.project.weight)   # starts as exactly the melody model it was copied from

    @property
    def config(self):
        return self.lm.config

    @property
    def device(self):
        return self.lm.device

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def forward(self, input_ids, attention_mask=None, labels=None, text=None, use_cache=False):
        embeds = self.lm.transformer.wte(input_ids)
        if text is not None:
            embeds = embeds + self.project(text.to(embeds.device, embeds.dtype))[:, None, :]
        return self.lm(inputs_embeds=embeds, attention_mask=attention_mask, labels=labels, use_cache=False)


def description_sampler(texts: list[str], labels: list[dict], vectors: torch.Tensor, drop: float = 0.2):
    """For training: fn(melodies, rng) -> one random phrasing vector of each tune's measured labels
    (data.melodies.training_labels), or a zero vector for a share `drop` (condition dropout)."""
    by_key: dict[tuple, list[int]] = {}
    for i, lab in enumerate(labels):
        by_key.setdefault(tuple(lab[p] for p in PROPERTIES), []).append(i)

    def pick(melodies, rng) -> torch.Tensor:
        rows = []
        for m in melodies:
            options = by_key[tuple(training_labels(m)[p] for p in PROPERTIES)]
            j = options[int(rng.integers(len(options)))]
            rows.append(torch.zeros_like(vectors[j]) if rng.random() < drop else vectors[j])
        return torch.stack(rows)
    return pick


def train_text_melody_model(base, tokenizer, melodies: list[Melody], *, steps: int = 300, lr: float = 3e-3,
                            drop: float = 0.2, seed: int = 0, max_notes: int = 32, batch_size: int = 32):
    """Copy a trained melody model, add the description projection, and train both on the tunes,
    each with a random training phrasing of its measured labels (data.melodies.description_bank).
    Returns (text model, TrainLog). The copy leaves `base` untouched."""
    import copy

    from course_utils.generators.text_condition import encode_prompts
    bank = description_bank()
    vectors = encode_prompts([t for t, _ in bank])
    model = TextMelodyModel(copy.deepcopy(base), vectors.shape[1]).train()
    log = train_melody_model(model, tokenizer, melodies, steps=steps, batch_size=batch_size, lr=lr, seed=seed,
                             max_notes=max_notes, texts=description_sampler([t for t, _ in bank],
                                                                            [lab for _, lab in bank], vectors, drop))
    return model.eval(), log


def _description_vectors(descriptions, dim: int = 384) -> torch.Tensor:
    """MiniLM vectors of the descriptions; None (or "") gives a zero vector of `dim`: no description."""
    from course_utils.generators.text_condition import encode_prompts
    texts = [d for d in descriptions if d]
    enc = encode_prompts(texts) if texts else None
    rows, k = [], 0
    for d in descriptions:
        if d:
            rows.append(enc[k])
            k += 1
        else:
            rows.append(torch.zeros(dim))
    return torch.stack(rows)


@one_cpu_thread()   # tiny model: one thread is faster and gives the same numbers anywhere
@torch.no_grad()
def sample_described(model: TextMelodyModel, tokenizer: MelodyTokenizer, descriptions, *, n: int = 1,
                     guidance: float = 0.0, temperature: float = 1.0, seed: int = 0, max_notes: int = 32,
                     min_notes: int = 8, tonic_midi: int = 60, opening: Melody | None = None) -> list[Melody]:
    """Text in: `n` melodies per description (description 0's n first, ...; None = unconditional),
    sampled with classifier-free guidance `guidance` (0 = the plain conditional model). With an
    `opening`, each melody continues it (as continue_melodies)."""
    if isinstance(descriptions, str) or descriptions is None:
        descriptions = [descriptions]
    if not descriptions:
        raise BadInputError("sample_described needs at least one description.")
    if guidance < 0:
        raise BadInputError(f"guidance must be >= 0 (0 = no extra push), got {guidance}.")
    check_temperature(temperature)
    k = 0 if opening is None else len(opening)
    _check_lengths(model, n, max_notes, max(min_notes, k + 4 if k else min_notes))
    text = _description_vectors(descriptions, model.project.in_features).repeat_interleave(n, dim=0).to(model.device)
    row = ([tokenizer.bos_id, tokenizer.condition_id("any")] if opening is None
           else tokenizer.encode(opening, "any", max_notes=k)[:2 + 2 * k])
    ids = torch.tensor([row] * len(text), device=model.device)
    out = _draw(model, tokenizer, ids, temperature=temperature, seed=seed, max_notes=max_notes,
                min_notes=max(min_notes, k + 4) if k else min_notes, given_notes=k, text=text,
                guidance=float(guidance))
    tonic = tonic_midi if opening is None else opening.tonic_midi
    mels = []
    for r, d in zip(out, [d for d in descriptions for _ in range(n)]):
        m = tokenizer.decode(r.tolist(), tonic)
        mels.append(Melody(m.pitches, m.durations, mode_of(m.pitches) or "major", tonic, f"described: {d}"))
    return mels


def match_shares(melodies: list[Melody], wanted: list[dict]) -> dict[str, float]:
    """Share of melodies whose measured labels (data.melodies.melody_labels) match the wanted ones,
    per property and for all three at once."""
    got = [melody_labels(m) for m in melodies]
    out = {p: float(np.mean([g[p] == w[p] for g, w in zip(got, wanted)])) for p in PROPERTIES}
    out["all three"] = float(np.mean([all(g[p] == w[p] for p in PROPERTIES) for g, w in zip(got, wanted)]))
    return out


def description_report(model: TextMelodyModel, tokenizer, described: list[tuple[str, dict]], *,
                       guidances=(0.0, 2.0), n: int = 8, temperature: float = 1.0, seed: int = 0,
                       max_notes: int = 32) -> dict[str, dict[str, float]]:
    """For each guidance weight, and unconditionally: the match shares (match_shares) of `n`
    melodies per (description, labels) pair. The unconditional row scores the same number of
    unconditional melodies against the same wanted labels: the baseline."""
    wanted = [lab for _, lab in described for _ in range(n)]
    report = {}
    for w in guidances:
        mels = sample_described(model, tokenizer, [t for t, _ in described], n=n, guidance=w,
                                temperature=temperature, seed=seed, max_notes=max_notes)
        report[f"guidance {w:g}"] = match_shares(mels, wanted)
    free = sample_described(model, tokenizer, [None] * len(described), n=n, temperature=temperature,
                            seed=seed, max_notes=max_notes)
    report["no description"] = match_shares(free, wanted)
    return report


# ----------------------------------------------------------------------------- one melody, heard
WIDGET_RATE = 16_000  # Hz: enough for melodies, keeps the player's data small


@dataclass
class Composition:
    melody: Melody
    wave: np.ndarray
    sample_rate: int
    summary: str
    figure: object  # matplotlib.figure.Figure


def _sampler(model, tokenizer, text_model=None):
    @lru_cache(maxsize=64)
    def sample(condition: str, temperature: float, seed: int, opening=None, description: str = "",
               guidance: float = 0.0) -> Melody:
        prompt = None
        if opening is not None:
            pitches, durations, mode, tonic = opening
            prompt = Melody(list(pitches), list(durations), mode, tonic, "typed opening")
        if description:
            return sample_described(text_model, tokenizer, [description], n=1, guidance=guidance,
                                    temperature=temperature, seed=seed, max_notes=32, opening=prompt)[0]
        if prompt is None:
            return sample_melodies(model, tokenizer, condition, n=1, temperature=temperature, seed=seed,
                                   max_notes=32)[0]
        return continue_melodies(model, tokenizer, [prompt], condition, n=1, temperature=temperature,
                                 seed=seed, max_notes=32)[0]
    return sample


_SAMPLERS: dict[int, object] = {}
MAX_OPENING_NOTES = 24   # the widget continues to 32 notes: at least 8 of them new


def compose_melody(model, tokenizer, *, condition: str = "major", temperature: float = 1.0, seed: int = 0,
                   tempo: float = 120.0, timbre: str = "clarinet", variation: bool = False,
                   tonic_midi: int = 62, max_seconds: float = 8.0, sample_rate: int = WIDGET_RATE,
                   opening: str = "", text_model=None, description: str = "",
                   guidance: float = 2.0) -> Composition:
    """Sample one melody (cached), render it, and describe it: the plain function behind the widget.
    `opening`: notes typed as names (data.melodies.parse_opening, e.g. "D4 E4 F#4 G4 A4"); the model
    continues them, and the melody plays at the opening's own pitch. Empty: no opening.
    `description` (with `text_model`, a TextMelodyModel): text in, sampled with classifier-free
    `guidance`; it replaces the condition. Empty: the condition token as before."""
    if timbre not in TIMBRES:
        raise BadInputError(f"timbre must be one of {TIMBRES}, got {timbre!r}.")
    if condition not in CONDITIONS:
        raise BadInputError(f"condition must be one of {CONDITIONS}, got {condition!r}.")
    prompt = None
    if opening is not None and str(opening).strip():
        prompt = parse_opening(str(opening))
        if len(prompt) > MAX_OPENING_NOTES:
            raise BadInputError(f"the opening has {len(prompt)} notes; type at most {MAX_OPENING_NOTES} "
                                f"(the model continues it to 32 notes).")
        tonic_midi = prompt.tonic_midi
    description = str(description or "").strip()
    if description and text_model is None:
        raise BadInputError("a description needs a text model: compose_melody(..., text_model=text_model).")
    if float(guidance) < 0:
        raise BadInputError(f"guidance must be >= 0 (0 = no extra push), got {guidance}.")
    key = id(model) if text_model is None else (id(model), id(text_model))
    if key not in _SAMPLERS:
        _SAMPLERS.clear()  # one model at a time: don't keep old models alive
        _SAMPLERS[key] = _sampler(model, tokenizer, text_model)
    temperature = check_temperature(temperature)   # a clear message for 0, -1 or "hot"
    cache_key = None if prompt is None else (tuple(prompt.pitches), tuple(prompt.durations), prompt.mode,
                                             prompt.tonic_midi)
    mel = _SAMPLERS[key](condition, round(temperature, 3), int(seed), cache_key, description,
                         round(float(guidance), 2) if description else 0.0)
    mel = Melody(mel.pitches, mel.durations, mel.mode, tonic_midi, mel.source)
    wave = render_melody(mel, tempo=tempo, timbre=timbre, sample_rate=sample_rate, variation=variation,
                         seed=seed, max_seconds=max_seconds)
    judged = mode_of(mel.pitches) or "undecided"
    k = 0 if prompt is None else len(prompt)
    start = "" if prompt is None else (f"opening: {k} notes ({prompt.mode}, tonic {note_name(tonic_midi)}) + "
                                       f"{len(mel) - k} new, new notes in the opening's scale "
                                       f"{scale_share(mel.pitches[k:], prompt.mode):.2f} | ")
    if description:
        named, got = labels_of_description(description), melody_labels(mel)
        heard = ", ".join(f"{got[p] or 'undecided'}" + (" ✓" if named.get(p) == got[p] else " ✗" if p in named else "")
                          for p in PROPERTIES)
        start += f"described: {description!r}, guidance {float(guidance):g} | measured: {heard} | "
        condition = "(the description)"
    summary = (f"{start}asked: {condition} | {len(mel)} notes | in major scale {scale_share(mel.pitches, 'major'):.2f}, "
               f"in minor scale {scale_share(mel.pitches, 'minor'):.2f} | thirds say: {judged} | "
               f"{len(wave) / sample_rate:.1f} s of audio at {sample_rate} Hz")
    title = (f"{description!r}, guidance {float(guidance):g}" if description else f"asked for {condition}") + \
        f", temperature {temperature:g}, seed {seed}"
    fig = piano_roll(mel, tempo=tempo, prompt_notes=k,
                     title=title if prompt is None else f"your opening, continued: {title}")
    return Composition(mel, wave, sample_rate, summary, fig)
