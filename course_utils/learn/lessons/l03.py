"""Lesson 03 · pretraining: quiz and checked exercise."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("What is the purpose of pretraining (사전 학습의 목적)?", (
        Option("To teach the model one task, such as sentiment analysis, from labelled examples",
               "That is fine-tuning (파인 튜닝), the next notebook. Pretraining has no task in mind and needs no labels."),
        Option("To learn general patterns of language (spelling, grammar, facts, style) from a large amount of "
               "unlabelled text, so that later tasks can start from them",
               "The text is its own teacher: every next token is a free label. What the model picks up is reused "
               "by every task fine-tuned on top of it, which then needs far less data.", correct=True),
        Option("To memorise the training text so that it can be quoted back",
               "A model that only memorised would do well on its training text and badly on held-out text; the "
               "lesson measures held-out loss precisely to check that it learned patterns that carry over."),
        Option("To build the tokenizer's vocabulary",
               "The tokenizer is trained before, in seconds, by counting pairs; pretraining trains the model's weights."),
    )),
    Number("A batch holds 4 real tokens with negative log-likelihoods 1.0, 2.0, 3.0 and 2.0 nats, and 2 padding "
           "positions (mask 0). What is the perplexity (퍼플렉서티)? (2 decimals)",
           answer=7.39, tolerance=0.01,
           why="Average over the real tokens only: (1 + 2 + 3 + 2) / 4 = 2.0 nats; perplexity = e^2.0 = 7.39.",
           typical={2980.96: "That is e^8, the exp of the sum: divide by the number of real tokens first.",
                    9.40: "That is the mean of e^1, e^2, e^3, e^2: perplexity is exp of the mean, not the mean of exps.",
                    4.0: "That is 2^2: the negative log-likelihoods are in nats (natural log), so use e, not 2.",
                    3.79: "That divides by 6 positions: the 2 padding positions are not predictions and must not count.",
                    2.0: "That is the mean loss itself; perplexity is its exponential."},
           otherwise="Average the four real tokens' values, then take e to that power."),
    Choice("In a padded batch for next-token prediction (다음 토큰 예측), what label do the padding positions get, "
           "and why?", (
        Option("-100, which the loss skips: padding is not text to predict",
               "PyTorch's cross-entropy (and so every transformers model) ignores label -100, so padding changes "
               "neither the loss nor the perplexity.", correct=True),
        Option("The pad token's id, so the model learns where sentences end",
               "Then the loss would reward predicting padding after padding, an easy guess that lowers the loss "
               "without teaching anything, and the perplexity would depend on how much padding a batch has."),
        Option("0, the first token of the vocabulary",
               "Token 0 is a real token (in our tokenizer the end-of-text marker): the model would be trained to "
               "predict it at every padding position."),
    )),
    Number("Masked language modelling (마스크 언어 모델링) as in BERT chooses 15 % of the tokens; of those, 80 % become "
           "<mask>, 10 % a random token, 10 % stay as they are. In a text of 1,000 tokens, how many become <mask>?",
           answer=120, tolerance=0.5,
           why="1,000 × 0.15 = 150 chosen; 150 × 0.8 = 120 replaced by <mask> (15 random, 15 unchanged, all 150 "
               "are prediction targets).",
           typical={150: "150 are chosen as targets, but only 80 % of them are replaced by <mask>.",
                    135: "That counts the random replacements too (80 % + 10 %); only 80 % become <mask>.",
                    800: "80 % applies to the 15 % chosen tokens, not to the whole text."},
           otherwise="First take 15 % of 1,000, then 80 % of that."),
    Choice("Why does section 5 compare the tiny GPT and SmolLM2 in bits per character rather than in perplexity "
           "per token?", (
        Option("Bits per character is always a smaller number, so it is easier to read",
               "Readability is not the reason: perplexity per token is only unfair here, not hard to read."),
        Option("SmolLM2 has more parameters, and bits per character divides that out",
               "No measure divides out the model's size: the comparison is meant to show what size and data buy."),
        Option("Each model cuts the text into its own tokens: per character, both are scored on the same units",
               "In the offline run our tokenizer needs 823 tokens for the 3,000 characters, SmolLM2's 711: a per-token "
               "average compares different numbers of differently hard predictions.", correct=True),
    )),
    Number("Training compute is about 6 × N × D FLOPs (연산량). How many FLOPs does a 100 M-parameter model trained "
           "on 2 billion tokens need? Answer in units of 10^18.",
           answer=1.2, tolerance=0.01,
           why="6 × 1e8 × 2e9 = 1.2e18 FLOPs: 2 per parameter per token forward, 4 backward.",
           typical={0.2: "That is N × D without the factor 6 (2 forward + 4 backward per parameter per token).",
                    0.4: "That is 2 × N × D, the forward pass only; training also runs the backward pass (4 × N × D).",
                    12.0: "One power of ten too many: 1e8 × 2e9 = 2e17, times 6 is 1.2e18."},
           otherwise="Multiply 6 × 1e8 × 2e9 and divide by 1e18."),
    Choice("A hyperparameter (하이퍼파라미터), the learning rate, is set to 1.0 instead of 3e-3 for the tiny GPT. "
           "What happens in the first few dozen steps?", (
        Option("It learns the same things about 300 times faster",
               "Each step's change is about 300 times larger, which overshoots: the loss does not follow a bigger "
               "step downhill, it jumps past the valley."),
        Option("Nothing: AdamW adapts the step size, so the learning rate does not matter",
               "AdamW scales each step per weight, but the learning rate still sets how far every step goes."),
        Option("The held-out loss ends around the uniform guess or above it: the steps are far too large to settle",
               "Exercise 7 runs it: at 1.0 the loss ends near ln(vocabulary) or far above it, at 1e-5 it barely "
               "moves, and only the moderate rate learns.", correct=True),
        Option("The model overfits: the training loss falls and the held-out loss rises",
               "Overfitting needs learning first; with steps this large the training loss does not fall either."),
    )),
    Choice("Dynamic masking (동적 마스킹), RoBERTa's change over BERT: what does it change?", (
        Option("The masks are drawn anew each time a batch is built, so a verse is masked differently every epoch",
               "Section 6 followed one verse through three epochs: its masked positions changed each time, so the "
               "model gets new prediction targets from the same text.", correct=True),
        Option("The share of masked tokens grows during training",
               "The share stays 15 %; only which tokens are chosen changes."),
        Option("Only the words the model gets wrong are masked again",
               "The collator draws masks at random; it does not look at the model's errors."),
    )),
]


# --- checked exercise: perplexity from per-token losses and a padding mask --------------------

def _case(name: str, seed: int, lengths: list[int], width: int, vocab: int = 7):
    """Per-token NLLs of random logits (padding positions get real, nonzero NLLs of the pad label, as a
    model would give them), the 0/1 mask, and the reference perplexity: exp of PyTorch's own
    cross-entropy with label -100 on padding, the rule every transformers model uses."""
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(len(lengths), width, vocab, generator=g) * 2
    labels = torch.randint(0, vocab, (len(lengths), width), generator=g)
    mask = (torch.arange(width)[None] < torch.tensor(lengths)[:, None]).long()
    flat = logits.reshape(-1, vocab)
    nlls = F.cross_entropy(flat, labels.reshape(-1), reduction="none").view(len(lengths), width)
    reference = math.exp(F.cross_entropy(flat, labels.masked_fill(mask == 0, -100).reshape(-1)).item())
    return name, nlls, mask, reference


def _cases():
    """The case names are shown in the diagnoses, so they are translated when the checker runs."""
    return [_case(t("one sentence of 5 tokens, no padding"), 0, [5], 5),
            _case(t("two sentences of 6 and 3 tokens, the second padded"), 1, [6, 3], 6),
            _case(t("three sentences of 5, 2 and 4 tokens"), 2, [5, 2, 4], 5)]


def _mistakes(nlls: torch.Tensor, mask: torch.Tensor) -> dict[str, float]:
    real = mask.bool()
    mean = nlls[real].mean().item()
    row_means = [nlls[b][real[b]].mean().item() for b in range(nlls.shape[0])]
    return {
        "exp of the sum": math.exp(nlls[real].sum().item()),
        "mean of exp": nlls[real].exp().mean().item(),
        "base 2": 2 ** mean,
        "base 10": 10 ** mean,
        "no exp": mean,
        "padding counted": math.exp(nlls.mean().item()),
        "divided by all positions": math.exp((nlls * mask).sum().item() / nlls.numel()),
        "mean of row means": math.exp(sum(row_means) / len(row_means)),
        "mean of row perplexities": sum(math.exp(m) for m in row_means) / len(row_means),
    }


# each kind of mistake -> its diagnosis on the case `name` (one template each, translated in the catalogs)
_DIAGNOSIS = {
    "exp of the sum": lambda name: Mistake(
        "on {name}: it took exp of the sum of the negative log-likelihoods, not of their mean: that is "
        "1 / p(the whole text), which grows with the text's length. Divide the sum by the number of "
        "real tokens first: exp(mean).", name=name),
    "mean of exp": lambda name: Mistake(
        "on {name}: it averaged exp(nll) over the tokens: the mean of exps is not the exp of the mean, and one very "
        "surprising token dominates it. Average the NLLs first, then take exp once.", name=name),
    "base 2": lambda name: Mistake(
        "on {name}: it computed 2 ** mean: the NLLs are in nats (natural log, what cross-entropy returns), so "
        "perplexity is e ** mean (math.exp or torch.exp). 2 ** mean is right only for NLLs in bits.", name=name),
    "base 10": lambda name: Mistake(
        "on {name}: it computed 10 ** mean: the NLLs are in nats (natural log), so perplexity is e ** mean "
        "(torch.exp).", name=name),
    "no exp": lambda name: Mistake(
        "on {name}: it returned the mean NLL itself, the loss. Perplexity is its exponential: exp(mean).", name=name),
    "padding counted": lambda name: Mistake(
        "on {name}: it counted the padding positions (mask 0) in the average: they are not predictions of real "
        "text. Keep only the positions where mask is 1, e.g. nlls[mask.bool()].", name=name),
    "divided by all positions": lambda name: Mistake(
        "on {name}: it zeroed the padding but still divided by every position, padding included. Divide "
        "by the number of real tokens, mask.sum().", name=name),
    "mean of row means": lambda name: Mistake(
        "on {name}: it averaged each sentence's mean and then the sentences, so a 2-token sentence weighs as much "
        "as a 5-token one. Average over all real tokens of the batch together.", name=name),
    "mean of row perplexities": lambda name: Mistake(
        "on {name}: it averaged the sentences' perplexities. Perplexity of a batch is exp of the mean NLL "
        "over all its real tokens together.", name=name),
}


def _as_number(out, name: str) -> float:
    if isinstance(out, torch.Tensor):
        if out.numel() != 1:
            raise Mistake("on {name} it returned a tensor of shape {shape}; return one number "
                          "for the whole batch.", name=name, shape=tuple(out.shape))
        out = out.item()
    try:
        return float(out)
    except (TypeError, ValueError):
        raise Mistake("it should return one number, got {type}.", type=type(out).__name__) from None


def _check_perplexity(fn) -> None:
    for name, nlls, mask, reference in _cases():
        given_nlls, given_mask = nlls.clone(), mask.clone()
        value = _as_number(fn(given_nlls, given_mask), name)
        if not (torch.equal(given_nlls, nlls) and torch.equal(given_mask, mask)):
            raise Mistake("it changed token_nlls or mask in place. Work on new tensors (e.g. nlls * mask, not nlls.mul_).")
        if math.isclose(value, reference, rel_tol=1e-4):
            continue
        for kind, wrong in _mistakes(nlls, mask).items():
            if math.isclose(value, wrong, rel_tol=1e-4):
                raise _DIAGNOSIS[kind](name)
        raise Mistake("on {name} it returned {value:.4g}; the perplexity is {reference:.4g}. Keep the real tokens "
                      "(mask 1; index with mask.bool(), not the 0/1 numbers), average their NLLs, take exp.",
                      name=name, value=value, reference=reference)


EXERCISES = {
    "perplexity": Exercise(
        "perplexity", _check_perplexity,
        "the same perplexity as exp(PyTorch's cross-entropy with padding labelled -100) on all 3 cases."),
}
