"""Lesson 02 · inside the pipeline: quiz and checked exercise (softmax by hand)."""
from __future__ import annotations

import torch

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Number("A sentiment model returns the logits (로짓) [3, 1, 1] for negative, neutral, positive. What probability "
           "does softmax (소프트맥스) give to negative? (3 decimals)",
           answer=0.787, tolerance=0.002,
           why="softmax: e³ / (e³ + e¹ + e¹) = 20.09 / (20.09 + 2.72 + 2.72) = 0.787.",
           typical={0.6: "That is 3 / (3 + 1 + 1): the logits divided by their sum. Softmax exponentiates first "
                         "(e^z), which also makes negative logits work.",
                    0.333: "That is the uniform 1/3: the logits differ, so the probabilities do too.",
                    1.0: "That is the label the pipeline picks, not its probability: softmax leaves the other "
                         "labels some probability."},
           otherwise="Exponentiate each logit (e³, e¹, e¹), then divide e³ by their sum."),
    Choice("You add 5 to each of the three logits before the softmax. What happens to the probabilities (확률)?", (
        Option("They all grow, since every score is higher",
               "They cannot all grow: probabilities always sum to 1. The bigger scores cancel out in the division."),
        Option("Nothing changes",
               "e^(z+5) = e^5 · e^z, and the common factor e^5 cancels between each term and the sum: softmax only "
               "sees the differences between logits. This is why a stable softmax may subtract the largest logit "
               "first: same result, and no number too large for the computer.", correct=True),
        Option("The largest one gets closer to 1, as with a low temperature",
               "A low temperature multiplies the gaps between logits; adding a constant leaves the gaps as they are."),
        Option("The result overflows to inf", "e^8 is about 3,000, no problem for a float. Overflow starts near "
               "logits of 89 in float32; subtracting the maximum avoids it."),
    )),
    Choice("The causal language model returns logits of shape (1, 4, 49152) for the prompt \"Once upon a time\". "
           "Which slice gives the next-token prediction (다음 토큰 예측) after \"time\"?", (
        Option("logits[0, 0]", "Position 0 predicts what follows \"Once\": each position scores the token after it."),
        Option("logits[0, :, -1]", "That is the score of the last vocabulary entry at every position, not a "
               "distribution over the vocabulary."),
        Option("logits.sum(dim=1)[0]", "Summing over positions mixes the predictions made after each prompt token."),
        Option("logits[0, -1]", "Batch 0, the last position (after \"time\"), all 49,152 vocabulary scores: "
               "softmax of this row is the next-token distribution.", correct=True),
    )),
    Choice("A batch of three sentences is padded (패딩) to the longest, and the model is run WITHOUT the attention "
           "mask (어텐션 마스크). Whose logits differ from running each sentence alone?", (
        Option("All three sentences", "The longest sentence has no [PAD] tokens, so its input is exactly what it "
               "is alone: its logits do not change."),
        Option("Only the shorter, padded sentences", "Without the mask their real tokens also attend to the [PAD] "
               "tokens, which changes every position's vectors; the longest sentence has no padding.", correct=True),
        Option("None: padding tokens carry no information",
               "[PAD] has an embedding like any token; only the attention mask tells the model to ignore it "
               "(section 5's claim shows the change)."),
        Option("Only the longest sentence", "It is the one sentence with no padding: nothing in its input changes."),
    )),
    Number("An encoder with 512 positions reads a 752-token text with truncation (잘라내기) on. The kept tokens "
           "include [CLS] at the start and [SEP] at the end. How many tokens of the text itself remain?",
           answer=510, tolerance=0.5,
           why="512 positions minus the two special tokens [CLS] and [SEP]: 510 tokens of the text, the first ones.",
           typical={512: "The 512 positions include the special tokens: [CLS] and [SEP] take two of them.",
                    240: "That is how many tokens are cut off (752 − 512), not how many remain.",
                    752: "Without truncation the model fails: it has no position embedding beyond 512."},
           otherwise="Start from the 512 positions and subtract the special tokens that truncation keeps."),
    Choice("For \"I absolutely love this new phone, it is amazing!\" the pipeline says positive with a score. "
           "What is that score?", (
        Option("The largest logit", "Logits are unbounded scores; the pipeline turns them into probabilities first."),
        Option("The share of positive words in the sentence",
               "The model reads the whole sentence; no word list is counted."),
        Option("The softmax probability of the winning label",
               "Section 3 computes it by hand: softmax of the logits, then the largest probability, equal to the "
               "pipeline's score.", correct=True),
    )),
    Choice("What do the Auto classes (오토 클래스) such as AutoModelForSequenceClassification do?", (
        Option("They read the checkpoint's configuration and build the model class it names, with the head for the "
               "task", "Offline they built BertForSequenceClassification and LlamaForCausalLM from the same code "
               "that builds RoBERTa or GPT-2 online.", correct=True),
        Option("They search the Hub for the best model for a task",
               "They load the checkpoint you name (a Hub id or a folder); choosing it is your job, or the catalog's."),
        Option("They convert any model into a BERT model",
               "The architecture stays the checkpoint's own: a Llama checkpoint gives LlamaForCausalLM."),
    )),
]


# --- checked exercise: softmax by hand ---------------------------------------------------------

# Each case's description is a t() call, made when a diagnosis is written: the learner's language.
_CASES = [
    (lambda: t("three logits"), torch.tensor([2.0, 1.0, 0.5])),
    (lambda: t("negative logits"), torch.tensor([-1.0, 0.5, -2.0])),
    (lambda: t("a batch of 2 rows, shape (2, 3)"), torch.tensor([[2.0, 1.0, 0.5], [-1.0, 3.0, 0.5]])),
    (lambda: t("(batch, positions, vocabulary), shape (2, 2, 4)"),
     torch.tensor([[[0.5, -1.0, 2.0, 0.0], [1.5, 1.0, -0.5, 0.2]],
                   [[-2.0, 0.3, 0.1, 1.0], [0.0, 2.5, -1.5, 0.7]]])),
    (lambda: t("large logits [1000, 999, 998]"), torch.tensor([1000.0, 999.0, 998.0])),
    (lambda: t("very negative logits [-1000, -1001, -1002]"), torch.tensor([-1000.0, -1001.0, -1002.0])),
]


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), atol=1e-5, rtol=1e-4))


def _rounded(x: torch.Tensor, digits: int) -> list[float]:
    return [round(v, digits) for v in x.flatten().tolist()]


def _check_softmax(fn) -> None:
    for describe, logits in _CASES:
        name = describe()
        given = logits.clone()
        try:
            out = fn(given)
        except RuntimeError as err:
            if logits.dim() > 1 and "size of tensor" in str(err):
                raise Mistake("on {name} it crashed ({err}). x.max(dim=-1) and x.sum(dim=-1) drop the last "
                              "dimension; keep it so it lines up with the rows: keepdim=True.",
                              name=name, err=err) from None
            raise
        if not torch.equal(given, logits):
            raise Mistake("it changed the logits passed in (an in-place operation such as -= or .sub_). "
                          "Compute on a new tensor: z = logits - logits.max(...).")
        if not isinstance(out, torch.Tensor) or out.shape != logits.shape:
            raise Mistake("on {name} it should return a tensor of shape {want}, one probability per logit; got "
                          "{type} {shape}.", name=name, want=tuple(logits.shape), type=type(out).__name__,
                          shape=tuple(getattr(out, "shape", ())))
        want = torch.softmax(logits, dim=-1)
        out = out.detach().double()
        if not torch.isfinite(out).all():
            raise Mistake("on {name} it returned {out}: e^1000 overflows to inf (and e^-1000 underflows to 0, so "
                          "0/0 = nan). Subtract the largest logit first (softmax(z) = softmax(z − max z)): the "
                          "largest becomes e^0 = 1, nothing overflows.", name=name, out=_rounded(out, 3))
        if _close(out, want):
            continue
        if _close(out, logits / logits.sum(dim=-1, keepdim=True)):
            raise Mistake("on {name} it returned the logits divided by their sum. Softmax exponentiates first, "
                          "p_i = e^(z_i) / Σ_j e^(z_j): that makes every probability positive, even for a "
                          "negative logit.", name=name)
        if (out < 0).any():
            raise Mistake("on {name} it returned a negative probability ({out}). Exponentiate the logits before "
                          "dividing: e^z is positive for every z.", name=name, out=_rounded(out, 3))
        for dim in range(logits.dim() - 1):
            if _close(out, torch.softmax(logits, dim=dim)):
                raise Mistake("on {name} it normalised along dimension {dim}, across the rows (down each column). "
                              "Each row of the last dimension holds one prediction's logits: use dim=-1 (it works "
                              "for any number of dimensions)." if logits.dim() == 2 else
                              "on {name} it normalised along dimension {dim}, across positions or sentences. Each "
                              "row of the last dimension holds one prediction's logits: use dim=-1 (it works for "
                              "any number of dimensions).", name=name, dim=dim)
        if logits.dim() > 1 and _close(out, torch.softmax(logits.flatten(), dim=0).view_as(logits)):
            raise Mistake("on {name} it normalised the whole tensor at once (it all sums to 1). Sum along the "
                          "last dimension only, with keepdim=True, so that each row sums to 1.", name=name)
        sums = out.sum(dim=-1)
        if not torch.allclose(sums, torch.ones_like(sums), atol=1e-4):
            raise Mistake("on {name} the probabilities of a row sum to {sums}, not 1. Divide e^z by its sum along "
                          "the last dimension.", name=name, sums=_rounded(sums, 3))
        raise Mistake("on {name} it returned {out}; torch.softmax gives {want}.",
                      name=name, out=_rounded(out, 4), want=_rounded(want, 4))


EXERCISES = {
    "softmax": Exercise("softmax", _check_softmax,
                        "same probabilities as torch.softmax(dim=-1) on all 6 cases, including a batch, a 3-D "
                        "tensor and logits of ±1000."),
}
