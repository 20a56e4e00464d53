"""Lesson 09 · generative AI in practice: quiz and checked exercises."""
from __future__ import annotations

import math
import random

import numpy as np
import torch

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("Section 1 trains the same tiny GPT for the same 120 steps on only 5 % of the text. How do its training "
           "loss and its held-out loss compare at the end?", (
        Option("About equal: the model is the same, only the data is smaller",
               "The model sees the same few thousand tokens again and again; it fits them much better than text "
               "it has never seen."),
        Option("The held-out loss is far above the training loss: the model memorises instead of generalising "
               "(과적합, overfitting)",
               "The claim checks a gap of at least 1.5 nats: 120 steps of 16 × 64 tokens read the 5 % slice "
               "(about 5,700 tokens) more than 20 times over.", correct=True),
        Option("The training loss is above the held-out loss, because little data is hard to learn",
               "Little data is *easy* to fit: the training loss drops fast. What suffers is the held-out loss."),
    )),
    Choice("Shuffled words keep every word of the text; 20 % letter noise keeps every word position. Why do both end "
           "above the clean run on clean held-out text (데이터 품질, data quality)?", (
        Option("They are smaller datasets, so the model saw fewer tokens",
               "Both have the same amount of text as the clean run, and every run made the same 120 steps of "
               "16 × 64 tokens: the difference is the quality, not the size."),
        Option("The tokenizer was trained on them, so their tokens are wrong",
               "The tokenizer was trained once, on the clean text, and is the same for every run."),
        Option("They teach the wrong patterns: shuffled words teach no word order, noisy letters teach wrong "
               "spellings; the held-out text has neither",
               "A model learns whatever regularities its data has. Bad data of the same size still costs loss "
               "(the claims check at least 0.5 above clean for shuffled words and 0.6 for letter noise).", correct=True),
    )),
    Number("Training takes about 6 × N × D FLOPs. How many FLOPs to train GPT-2 small (N = 124 M parameters) on "
           "D = 2.48 billion tokens (20 tokens per parameter)? Answer in units of 10¹⁸ (2 decimals).",
           answer=1.85, tolerance=0.01,
           why="6 × 124 × 10⁶ × 2.48 × 10⁹ = 1.845 × 10¹⁸ FLOPs: 2 per parameter per token for the forward pass, "
               "4 for the backward pass (연산량, compute).",
           typical={0.62: "That is 2 × N × D, the forward pass only; training also runs the backward pass (about "
                          "twice the forward), so 6 × N × D.",
                    0.31: "That is N × D, one operation per parameter per token; a multiply-add is 2 FLOPs, and the "
                          "backward pass doubles the work twice over: 6 × N × D.",
                    1.23: "That is 4 × N × D, the backward pass alone; add the forward pass's 2 × N × D."},
           otherwise="Multiply 6 × 1.24e8 × 2.48e9 and divide by 1e18."),
    Number("How many GB (10⁹ bytes) do the weights of a 7-billion-parameter model take at fp16 (16 bits per "
           "weight)? (the weights alone, as for running the model)",
           answer=14, tolerance=0.1,
           why="16 bits = 2 bytes per weight: 7 × 10⁹ × 2 = 14 × 10⁹ bytes = 14 GB (about 13 GiB).",
           typical={112: "That is 16 bytes per weight: either 16 *bits* counted as bytes (divide bits by 8), or the "
                         "16 bytes per parameter of Adam training. The weights alone at fp16 take 2 bytes each.",
                    28: "That is fp32 (4 bytes per weight); fp16 halves it.",
                    7: "That is int8 (1 byte per weight); fp16 takes 2."},
           otherwise="Bytes per weight = bits / 8; multiply by the number of weights."),
    Choice("The content filter flags \"Charles Dickens wrote Great Expectations\" although it matches only at the "
           "start of words. Why?", (
        Option("A profanity stem stands at the start of the word 'Dickens', so start-of-word matching still fires",
               "Matching at word starts fixes 'Scunthorpe' (the bad word sits inside), not a stem that begins a "
               "longer word. A false positive (오탐) of a word list.", correct=True),
        Option("A toxicity classifier misread the sentence",
               "The default filter has no classifier: it is word lists and patterns, and the reason it prints "
               "names the word that matched."),
        Option("The filter matches anywhere inside words",
               "That is the naive substring filter shown next to it, which also flags 'Scunthorpe'; the default "
               "one matches only at word starts."),
    )),
    Choice("The learning-rate sweep (학습률) used 1e-4, 3e-3, 3e-2 and 0.3 for 80 steps. What happened at 0.3?", (
        Option("It learnt fastest and ended lowest: bigger steps, more progress",
               "Bigger steps help only up to a point; 3e-3 ended lowest."),
        Option("The loss barely moved, as at 1e-4",
               "That is the too-small learning rate. At 0.3 the loss moved a lot, in the wrong direction first."),
        Option("The first updates threw the training loss above the uniform guess ln(vocab): it diverged (발산), "
               "and it never caught up",
               "Clipping and the decaying schedule pulled it back, but it ended worse than 3e-3 (both checked).",
               correct=True),
    )),
    Choice("Batch 4 for 320 steps and batch 16 for 80 steps read exactly the same tokens. Which ended with the lower "
           "held-out loss?", (
        Option("Batch 16: bigger batches always learn better",
               "At the same 80 steps batch 16 wins, because it reads four times as many tokens; at equal tokens "
               "the order flips."),
        Option("Batch 4 for 320 steps: four times as many updates, each noisier but each a step forward",
               "The claim checks batch 16 × 80 ends at least 0.2 above. A bigger batch buys less noise per step "
               "and, on a GPU, speed, not more learning per token.", correct=True),
        Option("They tie: the same tokens give the same model",
               "The same tokens in fewer, larger steps is a different optimisation path; here the difference is "
               "large."),
    )),
    Choice("Why does the diffusion model cover all 8 modes while a GAN often does not (모드 붕괴, mode collapse)?", (
        Option("The diffusion model is bigger",
               "Both are small MLPs; the difference is what they are trained to do."),
        Option("The GAN was not trained long enough; with more steps it always covers every mode",
               "More steps do not fix it: the snapshots show a GAN can lose modes it had."),
        Option("The GAN's generator is rewarded only for fooling the discriminator, so a few convincing modes are "
               "enough; a diffusion model learns to denoise every training point",
               "Nothing in the GAN's game rewards variety; the denoising loss covers every training point, so no "
               "mode is dropped (checked over three seeds).", correct=True),
        Option("The GAN's random noise input is two-dimensional, which is too small for eight modes",
               "Two numbers can map to any of eight places; the lower learning rate helped with the same noise "
               "input, so the size of the noise is not the cause."),
    )),
]


# --- checked exercise (a): a data-corruption function -------------------------------------------

TEXTS = ["the cat sat on the mat", "a dog ran in the park", "the bird sang a song", "rain fell all day long"]


def _changed(before: list[str], after: list[str]) -> list[tuple[int, int]]:
    return [(i, j) for i, (b, a) in enumerate(zip(before, after))
            for j, (wb, wa) in enumerate(zip(b.split(), a.split())) if wb != wa]


def _global_states():
    return random.getstate(), np.random.get_state(), torch.random.get_rng_state()


def _same_states(a, b) -> bool:
    np_same = np.array_equal(a[1][1], b[1][1]) and a[1][2:] == b[1][2:]
    return a[0] == b[0] and np_same and torch.equal(a[2], b[2])


def _check_corrupt(fn) -> None:
    saved = _global_states()
    try:
        _check_corrupt_calls(fn, saved)
    finally:                                     # leave the lesson's random streams as they were
        random.setstate(saved[0])
        np.random.set_state(saved[1])
        torch.random.set_rng_state(saved[2])


def _call(fn, fraction, seed):
    given = list(TEXTS)
    out = fn(given, fraction, seed)
    if given != TEXTS:
        raise Mistake("it changed the list passed in. Build a new list of texts and return it; the clean data "
                      "must stay as it was (you will want to compare with it).")
    if not isinstance(out, list) or len(out) != len(TEXTS) or not all(isinstance(text, str) for text in out):
        raise Mistake("it should return a list of {count} strings (one per text), got {kind} of length {length}."
                      if hasattr(out, "__len__") else
                      "it should return a list of {count} strings (one per text), got {kind}.",
                      count=len(TEXTS), kind=type(out).__name__, length=len(out) if hasattr(out, "__len__") else 0)
    return out


def _check_corrupt_calls(fn, saved) -> None:
    vocab = {w for text in TEXTS for w in text.split()}
    n = sum(len(text.split()) for text in TEXTS)
    fraction = 0.3
    k = round(fraction * n)
    out = _call(fn, fraction, 0)
    for text, o in zip(TEXTS, out):
        if len(o.split()) != len(text.split()):
            raise Mistake("it changed the number of words: {before!r} ({words} words) became {after!r} "
                          "({count}). Replace words one for one, and join them with single spaces.",
                          before=text, words=len(text.split()), after=o, count=len(o.split()))
    strange = sorted({w for o in out for w in o.split()} - vocab)
    if strange:
        raise Mistake("the word {word!r} is not in the texts' vocabulary. Draw each replacement from the words "
                      "that occur in the texts, e.g. vocab = sorted({{w for t in texts for w in t.split()}}).",
                      word=strange[0])
    counts = [len(_changed(TEXTS, _call(fn, fraction, s))) for s in range(5)]
    wrong = next((c for c in counts if c != k), None)
    if wrong is not None:
        per_text = sum(round(fraction * len(text.split())) for text in TEXTS)
        full = len(_changed(TEXTS, _call(fn, 1.0, 0)))
        if 0 < full < n:
            raise Mistake("with fraction = 1 every word must change, but {kept} of the {n} kept their word: a "
                          "replacement drawn from the vocabulary can be the word itself. Draw again until it differs "
                          "(or draw from the vocabulary without that word).", kept=n - full, n=n)
        if wrong == n - k:
            raise Mistake("with fraction = {fraction} it replaced {wrong} of the {n} words: that is 1 - fraction. "
                          "Replace round(fraction × N) = {k} words and keep the rest.",
                          fraction=fraction, wrong=wrong, n=n, k=k)
        if wrong == int(fraction * n) and len(set(counts)) == 1:
            raise Mistake("it replaced {wrong} of the {n} words, int({fraction} × {n}); round it instead: "
                          "round({fraction} × {n}) = {k}.", wrong=wrong, n=n, fraction=fraction, k=k)
        if wrong == per_text and len(set(counts)) == 1:
            raise Mistake("it replaced {wrong} words: it rounds fraction × words text by text. Count the N = {n} "
                          "words of all texts together and replace round(fraction × N) = {k} of them.",
                          wrong=wrong, n=n, k=k)
        if len(set(counts)) > 1:
            raise Mistake("with fraction = {fraction} and seeds 0 to 4 it changed {counts} of the {n} words; exactly "
                          "round(fraction × N) = {k} must change every time. A coin flip per word "
                          "(rng.random() < fraction) only gives about that many, and rng.choices can pick a position "
                          "twice: choose {k} distinct positions with rng.sample(positions, k).",
                          fraction=fraction, counts=counts, n=n, k=k)
        raise Mistake("with fraction = {fraction} it changed {wrong} of the {n} words; exactly "
                      "round(fraction × N) = round({fraction} × {n}) = {k} must change.",
                      fraction=fraction, wrong=wrong, n=n, k=k)
    if _changed(TEXTS, _call(fn, 0.0, 0)):
        raise Mistake("with fraction = 0 it still changed some words; it should return the texts as they are.")
    if _call(fn, fraction, 0) != out:
        raise Mistake("two calls with seed 0 gave different results: it is not reproducible. Make every random choice "
                      "with a generator of your own, rng = random.Random(seed).")
    if not _same_states(saved, _global_states()):
        raise Mistake("it changed the global random state (random.seed / random.choice / np.random / torch.manual_seed): "
                      "every other random draw of the lesson shifts with it. Use a generator of your own, "
                      "rng = random.Random(seed), and call rng.sample / rng.choice.")
    others = [_call(fn, fraction, s) for s in (1, 2)]
    if all(o == out for o in others):
        raise Mistake("seeds 0, 1 and 2 gave the same corruption: the seed must drive the random choices "
                      "(rng = random.Random(seed)).")
    where = [{p for p in _changed(TEXTS, o)} for o in [out, *others]]
    if where[0] == where[1] == where[2]:
        raise Mistake("seeds 0, 1 and 2 changed the same {k} positions ({positions}...): choose the "
                      "positions at random too, not only the new words.", k=k, positions=sorted(where[0])[:4])


# --- checked exercise (b): compute and memory -----------------------------------------------------

_DTYPE = {32: "fp32", 16: "fp16", 8: "int8", 4: "int4"}


def _check_cost(fn) -> None:
    from course_utils.training import costs

    cases = [("Llama-2-7B", 6.74e9, 1e12, 8), ("GPT-2 small", 124e6, 2.48e9, 16),
             ("our tiny GPT", 2.0e5, 1.2e5, 32), ("Llama-3-70B", 70.6e9, 2e12, 4)]
    for name, n, d, bits in cases:
        out = fn(n, d, bits)
        if not (isinstance(out, (tuple, list)) and len(out) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in out)):
            raise Mistake("it should return two numbers, (training FLOPs, bytes of the weights), got {out!r}.",
                          out=out)
        flops, mem = (float(v) for v in out)
        want_flops = costs.training_flops(n, d)
        want_mem = costs.weights_memory_bytes(n, _DTYPE[bits])
        same = lambda got, want: math.isclose(got, want, rel_tol=1e-6)
        case = t("for {name} (N = {n:.3g} parameters, D = {d:.3g} tokens, {bits} bits)", name=name, n=n, d=d,
                 bits=bits)
        if not same(flops, want_flops):
            if same(flops, 2 * n * d):
                raise Mistake("{case} it gives 2 × N × D FLOPs: the forward pass only. Training also runs the "
                              "backward pass, about twice the forward: 6 × N × D in all.", case=case)
            if same(flops, 4 * n * d):
                raise Mistake("{case} it gives 4 × N × D FLOPs: the backward pass only. Add the forward pass "
                              "(2 × N × D): 6 × N × D.", case=case)
            if same(flops, 6 * n):
                raise Mistake("{case} the FLOPs do not depend on the tokens: training cost grows with every token "
                              "read. Multiply by D as well: 6 × N × D.", case=case)
            if same(flops, 6 * d):
                raise Mistake("{case} the FLOPs do not depend on the parameters: each token costs about 6 FLOPs "
                              "per parameter. 6 × N × D.", case=case)
            if same(flops, n * d):
                raise Mistake("{case} it gives N × D, one FLOP per parameter per token. Each parameter costs a "
                              "multiply and an add per token in the forward pass (2 FLOPs) and twice that in the "
                              "backward pass (4): 6 × N × D.", case=case)
            raise Mistake("{case} the training FLOPs should be 6 × N × D = {want_flops:.4g}, got {flops:.4g}.",
                          case=case, want_flops=want_flops, flops=flops)
        if not same(mem, want_mem):
            if same(mem, n * bits):
                raise Mistake("{case} it gives N × bits = {mem:.4g}: that counts bits, not bytes. Divide by 8 "
                              "({bits} bits = {per:g} bytes per weight).", case=case, mem=mem, bits=bits, per=bits / 8)
            if same(mem, 16 * n):
                raise Mistake("{case} it gives 16 bytes per parameter: that is training with Adam (weights, "
                              "gradients, two moments). The weights alone take bits / 8 = {per:g} bytes each.",
                              case=case, per=bits / 8)
            if same(mem, 4 * n) and bits != 32:
                raise Mistake("{case} it gives 4 bytes per weight whatever the precision: use bits / 8 "
                              "({per:g} here).", case=case, per=bits / 8)
            if same(mem, n * 8 / bits):
                raise Mistake("{case} it gives N × 8 / bits: upside down. Bytes per weight = bits / 8.", case=case)
            if same(mem, want_mem / costs.GiB) or same(mem, want_mem / 1e9):
                raise Mistake("{case} it returns GiB or GB ({mem:.4g}); return bytes ({want_mem:.4g}) and convert "
                              "only to print.", case=case, mem=mem, want_mem=want_mem)
            raise Mistake("{case} the weights take N × bits / 8 = {want_mem:.4g} bytes, got {mem:.4g}.",
                          case=case, want_mem=want_mem, mem=mem)


EXERCISES = {
    "corrupt": Exercise("corrupt", _check_corrupt,
                        "exactly round(fraction × N) words replaced by other words of the vocabulary, the same word "
                        "counts, reproducible with a seed, different across seeds; the input list and the global "
                        "random state untouched."),
    "cost": Exercise("cost_estimate", _check_cost,
                     "the same FLOPs and bytes as course_utils.training.costs (training_flops, weights_memory_bytes) "
                     "on all 4 models."),
}
