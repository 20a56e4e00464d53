"""Lesson 06 · conditioning: quiz and checked exercise."""
from __future__ import annotations

import torch

from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("After the prefix \"It was a total waste of money.\" the probability of \" terrible\" as the next token "
           "rises. What changed?", (
        Option("The weights: the model adapted to the negative prefix",
               "Nothing was trained: the same weights ran every time. Changing weights is fine-tuning (파인 튜닝), "
               "lesson 04."),
        Option("Only the input: the condition (조건) is part of the text the model reads, so the same weights compute "
               "another distribution p(next token | condition)",
               "Conditioning changes what the model is given, not what it is; section 2 measured the shift with "
               "one forward pass per prefix.", correct=True),
        Option("The sampler: a negative prefix lowers the temperature",
               "The prefix is text; the temperature is a separate knob applied afterwards, and section 2 did not "
               "sample at all."),
        Option("The tokenizer: \" terrible\" gets a new, more likely token id",
               "The tokenizer gives the same ids whatever comes before; the probabilities come from the model."),
    )),
    Choice("How does a system message (시스템 메시지) reach the chat model?", (
        Option("Through a separate input the model has special weights for",
               "There is only one input, a sequence of tokens; the chat model has no other door."),
        Option("As a setting of generate(), like max_new_tokens",
               "generate() settings change how tokens are chosen; a system message changes what the model reads."),
        Option("As text at the start of the chat template (채팅 템플릿), marked by role tokens, before the user's turn",
               "Section 3 printed it: the template writes the system message as more text; the model learned the "
               "format from conversations.", correct=True),
    )),
    Choice("Four labelled examples (퓨샷 예시) before \"Sentiment:\" made \" positive\" / \" negative\" the likely next "
           "word. What did the examples mainly give the model?", (
        Option("The format of the answer: after \"Sentiment:\" comes one of the two label words",
               "Without examples the label words got a small share of the probability; the model did not know which "
               "kind of word was asked for. No weight changed.", correct=True),
        Option("New knowledge of sentiment, learned from the four examples",
               "Nothing is learned: the weights stay as they are. The examples are part of the condition, read anew "
               "for every prompt."),
        Option("Nothing: a 135M model ignores examples",
               "Section 4 measured the opposite: the label words went from a small share of the mass to most of it."),
    )),
    Number("Sentiment-conditioned generation (감성 조건 생성): of 32 candidates, the judge labels 12 as negative. "
           "What is the acceptance rate (수락률) for \"negative\"? (3 decimals)",
           answer=0.375, tolerance=0.001,
           why="12 kept of 32 generated: 12 / 32 = 0.375.",
           typical={12.0: "That is the number kept; the rate divides it by the number of candidates (32).",
                    0.625: "That is the share rejected (20 / 32); the acceptance rate is the share kept.",
                    0.12: "The rate is kept / generated = 12 / 32, not 12 %."},
           otherwise="Divide the number of candidates kept by the number generated."),
    Choice("max_new_tokens = 40 and stop_strings = [\" is\"]; without them the model would answer \"The capital of "
           "France is Paris.\" and then EOS. What do you get?", (
        Option("The full answer, ending at EOS", "EOS would come later: the stop string \" is\" appears first, and the "
               "first rule that fires ends the text."),
        Option("40 tokens: max_new_tokens always runs to the end",
               "max_new_tokens is an upper limit; a stop string or EOS ends the text earlier."),
        Option("\"The capital of France is Paris.\" without its last token",
               "A stop string is matched in the text, not counted from the end."),
        Option("\"The capital of France\": generation stops at the stop string, and the stop string is cut off",
               "The first rule that fires ends the text; section 6 checked that \" is\" is not in the result.",
               correct=True),
    )),
    Choice("A candidate kept as \"negative\" reads \"Here's a sadder sentence: ...\". What does it show?", (
        Option("The writer has learned to write sad sentences",
               "It wrote about sadness rather than a sad sentence; nothing here shows it learned anything."),
        Option("Filtering is only as good as its judge: a tweet classifier reacts to words such as \"sadder\"",
               "The judge labels words, not intent; a filter keeps whatever the judge says yes to.", correct=True),
        Option("The temperature was too high", "Temperature changes how varied the candidates are; it does not decide "
               "how the judge labels them."),
    )),
    Number("Classifier-free guidance (분류기 없는 가이던스) on next-token logits: uncond + γ·(cond − uncond). A token has "
           "logit 2.0 with the condition and 0.5 without. What is its guided logit at γ = 3?",
           answer=5.0, tolerance=0.01,
           why="0.5 + 3 × (2.0 − 0.5) = 0.5 + 4.5 = 5.0: the gap the condition opens is tripled.",
           typical={6.0: "That is 3 × 2.0: the scale multiplies the difference cond − uncond, not the conditional logit "
                         "(multiplying the logits alone is a temperature of 1/3).",
                    -2.5: "That is 2.0 + 3 × (0.5 − 2.0): cond and uncond swapped, which pushes away from the condition.",
                    6.5: "That is (1 + 3) × 2.0 − 3 × 0.5, lesson 07's form with w = 3; here γ = 3 means w = γ − 1 = 2."},
           otherwise="Take the difference cond − uncond, multiply it by γ, add it to uncond."),
]


# --- checked exercise: classifier-free guidance on next-token logits ------------------------------

def _reference(cond: torch.Tensor, uncond: torch.Tensor, scale: float) -> torch.Tensor:
    """transformers' own ClassifierFreeGuidanceLogitsProcessor (it accepts scales above 1 only)."""
    from transformers.generation.logits_process import ClassifierFreeGuidanceLogitsProcessor

    scores = torch.cat([cond.reshape(-1, cond.shape[-1]), uncond.reshape(-1, uncond.shape[-1])])
    dummy_ids = torch.zeros(scores.shape[0] // 2, 1, dtype=torch.long)   # it only checks the batch size
    return ClassifierFreeGuidanceLogitsProcessor(scale)(dummy_ids, scores).reshape(cond.shape)


def _close(a, b) -> bool:
    return a.shape == b.shape and torch.allclose(a.float(), b.float(), atol=1e-5)


def _check_guided_logits(fn) -> None:
    cond = torch.tensor([2.0, 1.0, -0.5, 0.0, 3.0])
    uncond = torch.tensor([0.5, 1.5, -1.0, 0.0, 1.0])
    cases = [(1.0, "γ = 1"), (0.0, "γ = 0"), (3.0, "γ = 3"), (1.5, "γ = 1.5")]
    for scale, name in cases:
        c, u = cond.clone(), uncond.clone()
        out = fn(c, u, scale)
        if not (torch.equal(c, cond) and torch.equal(u, uncond)):
            raise Mistake("it changed the logits passed in. Build a new tensor (e.g. uncond + scale * (cond - uncond)) "
                          "instead of writing into cond or uncond.")
        if not isinstance(out, torch.Tensor) or out.shape != cond.shape:
            raise Mistake("it should return a tensor of shape {shape} (one guided logit per token), got "
                          "{type} {got}.", shape=tuple(cond.shape), type=type(out).__name__,
                          got=tuple(getattr(out, 'shape', ())))
        if abs(float(out.sum()) - 1) < 1e-4 and bool((out >= 0).all()):
            raise Mistake("with {name} it returned probabilities (they sum to 1). Return guided logits: no softmax; "
                          "the sampler applies it afterwards.", name=name)
        want = cond if scale == 1 else uncond if scale == 0 else _reference(cond, uncond, scale)
        if _close(out, want):
            continue
        if scale == 1 and _close(out, uncond):
            raise Mistake("with γ = 1 it returned the unconditional logits: cond and uncond are swapped. Start from "
                          "uncond and add γ · (cond − uncond), so that γ = 1 gives the conditional model.")
        if _close(out, (1 + scale) * cond - scale * uncond):
            raise Mistake("with {name} it returned (1 + γ)·cond − γ·uncond, lesson 07's form, where w = 0 is the plain "
                          "conditional model. Here γ counts from the unconditional model, as transformers' guidance_scale "
                          "does: uncond + γ·(cond − uncond), so γ = 1 must give cond exactly.", name=name)
        if _close(out, scale * cond):
            raise Mistake("with {name} it returned γ·cond: the scale multiplied the conditional logits only, which is "
                          "just a temperature of 1/γ. Guidance multiplies the difference the condition makes: "
                          "uncond + γ·(cond − uncond).", name=name)
        if _close(out, cond + scale * (uncond - cond)):
            raise Mistake("with {name} it pushed away from the condition: cond and uncond are swapped. Start from "
                          "uncond and add γ · (cond − uncond).", name=name)
        if _close(out, uncond - scale * (cond - uncond)):
            raise Mistake("with {name} the sign is flipped: it subtracts γ · (cond − uncond). Add it, so larger γ "
                          "follows the condition harder.", name=name)
        if scale == 0:
            raise Mistake("with γ = 0 it should return the unconditional logits exactly (no push from the condition), "
                          "got {got} instead of {want}.", got=[round(v, 3) for v in out.float().tolist()],
                          want=uncond.tolist())
        raise Mistake("with {name}, cond = {cond} and uncond = {uncond} it returned "
                      "{got}; uncond + γ·(cond − uncond) gives {want}.", name=name, cond=cond.tolist(),
                      uncond=uncond.tolist(), got=[round(v, 3) for v in out.float().tolist()],
                      want=[round(v, 3) for v in want.tolist()])
    batch_c, batch_u = torch.stack([cond, uncond]), torch.stack([uncond, cond])
    out = fn(batch_c, batch_u, 2.0)
    if not isinstance(out, torch.Tensor) or not _close(out, _reference(batch_c, batch_u, 2.0)):
        raise Mistake("on a batch of two rows of logits (shape (2, 5)) it does not give uncond + γ·(cond − uncond) "
                      "for each row. Use tensor arithmetic on the whole tensors, with no loop over one row.")


EXERCISES = {
    "guidance": Exercise("guided_logits", _check_guided_logits,
                         "same guided logits as transformers' ClassifierFreeGuidanceLogitsProcessor; γ = 1 gives the "
                         "conditional logits, γ = 0 the unconditional ones."),
}
