"""Lesson 05 · the generation loop and randomness: quiz and checked exercise."""
from __future__ import annotations

import torch

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("Temperature (온도) 0.2 is applied to the next-token logits. What happens to the distribution?", (
        Option("It gets flatter: unlikely tokens gain probability",
               "That is a temperature above 1: dividing by T > 1 shrinks the gaps between logits."),
        Option("Nothing changes, temperature only matters for beam search",
               "Temperature changes the distribution we sample from; beam search ignores it because it picks by score."),
        Option("It gets sharper: the most likely token takes almost all the probability",
               "Dividing the logits by 0.2 multiplies their gaps by 5; after softmax the top token dominates "
               "(the bar chart of section 4 shows it).", correct=True),
        Option("The order of the tokens changes",
               "Dividing every logit by the same positive number keeps their order; only the gaps change."),
    )),
    Choice("With top-p (nucleus, 뉴클리어스 샘플링) = 0.9, which tokens can be sampled?", (
        Option("The 90 % of the vocabulary with the highest probability",
               "That would keep tens of thousands of tokens; top-p counts probability mass, not tokens."),
        Option("Every token whose probability is at least 0.9",
               "Usually no token reaches 0.9, so nothing could be sampled; top-p adds probabilities up."),
        Option("The smallest set of most likely tokens whose probabilities add up to at least 0.9",
               "Top-p adapts the number of candidates to how sure the model is.", correct=True),
        Option("Always the same number of tokens as top-k = 10",
               "Top-k keeps a fixed count; top-p keeps few tokens when the model is sure and many when it is not."),
    )),
    Choice("You sample twice with the same prompt, the same settings and the same seed (시드). What do you get?", (
        Option("Two different texts, because sampling is random",
               "Sampling is random across seeds, but a fixed seed replays exactly the same draws."),
        Option("The same text both times", "A seed fixes the random draws, so every sampled token repeats "
               "(on the same machine and library versions).", correct=True),
        Option("The greedy text", "A seed does not remove randomness: it fixes it. Greedy decoding needs no seed at all."),
    )),
    Choice("What does the KV cache (KV 캐시) change?", (
        Option("The text: the cache makes the model remember more context",
               "The cache stores what the model would compute anyway; the output does not change."),
        Option("Speed: the keys and values of earlier tokens are kept, so each new token needs one short step",
               "The generated text is the same with and without the cache; only the work per token shrinks.",
               correct=True),
        Option("Randomness: the cache stores the random draws so a text can be replayed",
               "Replaying draws is the seed's job; the cache stores keys and values of the attention layers."),
    )),
    Number("Logits [2, 1, 0] at temperature 1: what is the probability of the first token? (3 decimals)",
           answer=0.665, tolerance=0.002,
           why="softmax: e² / (e² + e¹ + e⁰) = 7.389 / 11.107 = 0.665.",
           typical={0.667: "That is 2 / (2 + 1 + 0): softmax exponentiates the logits before dividing by the sum.",
                    0.333: "That is the uniform guess 1/3; the logits differ, so the probabilities do too.",
                    1.0: "That is greedy decoding's choice, not a probability: softmax gives the other tokens some mass."},
           otherwise="Exponentiate each logit (e², e¹, e⁰), then divide e² by their sum."),
    Choice("A sampled text at temperature 2.0 turns into word salad (단어 샐러드). Which change helps most?", (
        Option("A longer max_new_tokens", "More tokens from the same distribution give more salad, not less."),
        Option("A different seed", "Another seed gives another draw from the same flat distribution: still salad."),
        Option("Repetition penalty 2.0", "A repetition penalty fights loops (the low-temperature problem), "
               "and pushes the distribution further towards unusual tokens."),
        Option("Lower the temperature or add top-p, so the long tail of unlikely tokens is cut",
               "Word salad comes from the tail: thousands of unlikely tokens that together get real probability.",
               correct=True),
    )),
]


# --- checked exercise: top-p on probabilities -------------------------------------------------

def _reference(probs: torch.Tensor, p: float) -> torch.Tensor:
    """transformers' own TopPLogitsWarper on log-probabilities, back to probabilities."""
    from transformers import TopPLogitsWarper

    logits = TopPLogitsWarper(top_p=p)(None, probs.log().unsqueeze(0))[0]
    return torch.softmax(logits, dim=-1)


def _check_top_p(fn) -> None:
    # the case names are shown in the diagnoses, so they are translated when the checker runs
    cases = [(t("sorted"), torch.tensor([0.5, 0.2, 0.15, 0.1, 0.05]), 0.8),
             (t("p below the top token"), torch.tensor([0.5, 0.2, 0.15, 0.1, 0.05]), 0.3),
             (t("unsorted"), torch.tensor([0.05, 0.3, 0.1, 0.45, 0.1]), 0.7),
             ("p = 1", torch.tensor([0.4, 0.3, 0.2, 0.1]), 1.0)]
    for name, probs, p in cases:
        unsorted = bool((probs.diff() > 0).any())
        given = probs.clone()
        out = fn(given, p)
        if not torch.equal(given, probs):
            raise Mistake("it changed the probabilities passed in. Work on a copy (e.g. probs.clone()).")
        if not isinstance(out, torch.Tensor) or out.shape != probs.shape:
            raise Mistake("it should return a tensor of shape {shape} (one probability per token), "
                          "got {type} {got}.", shape=tuple(probs.shape), type=type(out).__name__,
                          got=tuple(getattr(out, 'shape', ())))
        out = out.float()
        want = _reference(probs, p)
        kept, want_kept = out > 0, want > 0
        if not kept.any():
            raise Mistake("with p = {p} ({name}: top probability {top:.2f}) it kept no token at all. "
                          "The most likely token must always stay, whatever p is.", p=p, name=name, top=probs.max())
        if abs(out.sum().item() - 1) > 1e-4:
            raise Mistake("the kept probabilities sum to {total:.3f}, not 1. Divide the kept ones by their sum.",
                          total=out.sum())
        if torch.equal(kept, want_kept):
            if not torch.allclose(out, want, atol=1e-5):
                raise Mistake("it keeps the right tokens but changes their proportions. Keep each kept "
                              "probability as it is, then divide all of them by the same sum.")
            continue
        if unsorted and kept[: int(want_kept.sum())].all():
            raise Mistake("on probabilities that are not sorted it kept the first tokens in vocabulary order. "
                          "Sort by probability first (torch.sort(probs, descending=True)), then map back.")
        if kept.sum() < want_kept.sum():
            raise Mistake("with p = {p} ({name}) the kept tokens add up to only {total:.2f} < p. "
                          "Keep adding tokens until their sum reaches p: the token that crosses p stays in.",
                          p=p, name=name, total=probs[kept].sum())
        raise Mistake("with p = {p} ({name}) it kept {kept} tokens; the smallest set of most likely "
                      "tokens that adds up to at least p has {want}.", p=p, name=name, kept=int(kept.sum()),
                      want=int(want_kept.sum()))


EXERCISES = {
    "top_p": Exercise("top_p_filter", _check_top_p,
                      "same tokens and probabilities as transformers' TopPLogitsWarper on all 4 cases."),
}
