"""Lesson 01 · pipelines: quiz and checked exercise (macro-F1 of the three sentiment classes)."""
from __future__ import annotations

import math

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("You call the text-generation pipeline twice on the same prompt with do_sample=False, then twice with "
           "do_sample=True and cu.set_seed(0) before each call. How many different texts do you get?", (
        Option("4: a language model is random", "Greedy decoding (탐욕적 디코딩) has no randomness at all, and a "
               "seed replays the same random draws."),
        Option("2: one greedy text and one sampled text",
               "Greedy always takes the most probable token, so it repeats; sampling (샘플링) draws at random, "
               "but the same seed replays the same draws (section 2's self-check).", correct=True),
        Option("3: the greedy text twice, and two different samples",
               "The two samples started from the same seed, so they are the same draws: set a different seed to "
               "get a different text."),
        Option("1: the seed makes sampling greedy", "A seed fixes which random draws happen, it does not remove "
               "them: the sample differs from the greedy text."),
    )),
    Choice("A new classification head (3 labels) is put on a pretrained (사전 학습) encoder and run before any "
           "fine-tuning. What scores does it give a clearly positive sentence?", (
        Option("Mostly positive: the pretrained encoder already understands the sentence",
               "The encoder's vectors carry meaning, but the random head has never learnt which direction means "
               "'positive'."),
        Option("A confident but random label, e.g. 0.9 for neutral",
               "Freshly initialised weights are small, so the three logits are almost equal: no label gets a "
               "large score."),
        Option("Close to 1/3 for each label", "The new head's weights are small random numbers: the logits are "
               "nearly equal, so softmax gives about 1/3 each (section 4 checks it stays within 0.1). "
               "Fine-tuning (파인 튜닝) teaches the head what each label means.", correct=True),
    )),
    Choice("MiniLM's WordPiece tokenizer (토크나이저) and a byte-level BPE tokenizer both read \"café 😀\". "
           "Which statement is true?", (
        Option("Byte-level BPE can write any text with its 256 byte symbols, so it decodes back to the exact "
               "text; WordPiece turns the emoji into [UNK]",
               "Section 5a shows it: WordPiece's vocabulary has no emoji and its uncased version drops accents, "
               "while bytes cover every string.", correct=True),
        Option("Both give back the exact text, only the number of tokens differs",
               "WordPiece decoded the lesson's sentence to 'naive cafe owners [UNK] ...': the accent and the emoji "
               "were lost."),
        Option("WordPiece needs more tokens because it splits every word into bytes",
               "It is the other way round: byte-level BPE splits what it has not merged into bytes (é is two, the "
               "emoji four), WordPiece keeps known words whole."),
        Option("Both turn the emoji into [UNK]", "Byte-level BPE never needs [UNK]: any character is a sequence "
               "of bytes it knows."),
    )),
    Number("A sentence of 40 tokens (special tokens not counted) goes through DataCollatorForLanguageModeling "
           "with mlm_probability=0.15. On average, how many of its tokens are chosen for prediction per call?",
           answer=6, tolerance=0.05,
           why="0.15 × 40 = 6 tokens chosen per call on average, a new random set each call: dynamic masking "
               "(동적 마스킹). Of those, about 80 % become [MASK], 10 % a random token, 10 % stay unchanged.",
           typical={0.15: "That is the fraction chosen; the question asks for the number of tokens (× 40).",
                    4.8: "That is the 80 % of the chosen tokens that become [MASK]; the random and unchanged "
                         "ones are chosen for prediction too.",
                    40: "Only about 15 % are chosen: the model must see most of the sentence to guess the rest."},
           otherwise="Multiply the sentence length by the masking probability."),
    Choice("Which of these is NOT something RoBERTa changed compared with BERT?", (
        Option("It drops next-sentence prediction (다음 문장 예측)",
               "RoBERTa did drop it: RobertaForMaskedLM has no seq_relationship head and no next_sentence_label "
               "argument (section 5c)."),
        Option("It masks dynamically, new positions each time a sentence is used",
               "That is one of RoBERTa's changes (section 5b); original BERT masked once, when preparing the data."),
        Option("It uses a byte-level BPE tokenizer instead of WordPiece",
               "That is one of RoBERTa's changes (section 5a), the tokenizer GPT-2 uses too."),
        Option("It has a new architecture", "RoBERTa kept BERT's architecture (an encoder) and changed how "
               "it is pretrained: more data, longer training, bigger batches, and the three changes above.",
               correct=True),
    )),
    Choice("The offline sentiment model (감성 분석) labels \"Great, another Monday morning traffic jam.\" positive. "
           "What is the most likely reason?", (
        Option("The pipeline only returns positive or negative", "It returns all three labels, neutral too "
               "(top_k=None shows the three scores, which sum to 1)."),
        Option("It leans on a strong word ('Great') and misses the sarcasm",
               "A small model trained on a few thousand tweets learns word cues; sarcasm says the opposite of its "
               "words, which needs more context than the cues give.", correct=True),
        Option("The sentence is too long for the model", "It has six words; the model reads up to 512 tokens."),
        Option("The scores are random", "The same sentence gets the same scores every time: the model is fixed "
               "after training, and classifying draws nothing at random."),
    )),
    Number("On a test set a sentiment model has F1 0.9 for positive, 0.6 for negative, and 0.0 for neutral (it never "
           "predicts neutral). What is its macro-F1 (매크로 F1)?",
           answer=0.5, tolerance=0.005,
           why="Macro-F1 is the plain mean over the classes, each counting equally: (0.9 + 0.6 + 0.0) / 3 = 0.5. "
               "The class it never predicts pulls it down, as it should.",
           typical={0.75: "That leaves neutral out of the mean. A class the model never predicts has F1 0 and still "
                          "counts: that is the point of the macro average.",
                    1.5: "That is the sum; macro-F1 is the mean over the three classes."},
           otherwise="Add the three per-class F1 scores and divide by the number of classes."),
]


# --- checked exercise: macro-F1 -----------------------------------------------------------------

LABELS = ("negative", "neutral", "positive")
_P, _N, _U = "positive", "negative", "neutral"
# Each case's description is a t() call, made when a diagnosis is written: the learner's language.
_CASES = [
    (lambda: t("a perfect prediction"), [_P, _N, _U, _N, _P, _U], [_P, _N, _U, _N, _P, _U]),
    (lambda: t("eight sentences, every class predicted"),
     [_N, _U, _U, _U, _P, _U, _P, _P], [_N, _P, _P, _P, _P, _U, _P, _P]),
    (lambda: t("seven sentences, 'neutral' never predicted"),
     [_P, _P, _P, _N, _N, _U, _U], [_P, _P, _N, _N, _N, _P, _P]),
]


def _reference(true, pred) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(true, pred, labels=list(LABELS), average="macro", zero_division=0))


def _per_class(true, pred):
    """(precision, recall, F1) per label; 0 where a ratio is 0/0 (scikit-learn's zero_division=0)."""
    rows = {}
    for label in LABELS:
        tp = sum(t == label and p == label for t, p in zip(true, pred))
        fp = sum(t != label and p == label for t, p in zip(true, pred))
        fn = sum(t == label and p != label for t, p in zip(true, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        rows[label] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return rows


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def _check_macro_f1(fn) -> None:
    for describe, true, pred in _CASES:
        args = (list(true), list(pred))
        shown = dict(true=true, pred=pred, name=describe())     # "with true = {true} and predicted = {pred} ({name})"
        never = [label for label in LABELS if label not in pred]
        try:
            out = fn(*args)
        except ZeroDivisionError as err:
            if never:
                raise Mistake("with true = {true} and predicted = {pred} ({name}) it divided by zero ({err}). A class "
                              "that is never predicted has precision 0/0: count its precision and F1 as 0 "
                              "(scikit-learn's zero_division=0), and keep it in the mean.", err=err, **shown) from None
            raise
        if args != (list(true), list(pred)):
            raise Mistake("it changed the label lists passed in. Read them, do not sort or edit them.")
        try:
            value = float(out)
        except (TypeError, ValueError):
            raise Mistake("it should return one number, the macro-F1; got {type} {out!r}.",
                          type=type(out).__name__, out=out) from None
        want = _reference(true, pred)
        if math.isnan(value):
            raise Mistake("with true = {true} and predicted = {pred} ({name}) it returned nan: a 0/0 somewhere. A class "
                          "that is never predicted has precision 0/0: count it as 0 (scikit-learn's zero_division=0).",
                          **shown)
        if abs(value - want) < 1e-6:
            continue
        if abs(value - 100 * want) < 1e-4:
            raise Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.2f}, a percentage: "
                          "return the fraction ({want:.3f}).", value=value, want=want, **shown)
        rows = _per_class(true, pred)
        accuracy = _mean(t == p for t, p in zip(true, pred))
        diagnoses = [
            (accuracy, Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.3f}: that is the "
                               "accuracy, the share of correct labels (= micro-F1, which pools every prediction). "
                               "Macro-F1 computes F1 for each class, then the plain mean of the three, so a rare class "
                               "counts as much as a common one.", value=value, **shown)),
            (_mean((r[0] + r[1]) / 2 for r in rows.values()),
             Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.3f}: it averaged precision "
                     "and recall per class with (P + R) / 2. F1 is their harmonic mean, 2·P·R / (P + R): it is low "
                     "when either one is low.", value=value, **shown)),
            (_mean(r[0] for r in rows.values()),
             Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.3f}: that is the mean "
                     "precision: F1 combines precision and recall per class, 2·P·R / (P + R).", value=value, **shown)),
            (_mean(r[1] for r in rows.values()),
             Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.3f}: that is the mean "
                     "recall: F1 combines precision and recall per class, 2·P·R / (P + R).", value=value, **shown)),
        ]
        if never:
            diagnoses.append((_mean(rows[label][2] for label in LABELS if label not in never),
                              Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.3f}: it "
                                      "left {label!r}, which is never predicted, out of the mean. Its F1 is 0 and it "
                                      "still counts: divide by 3, the number of classes.",
                                      value=value, label=never[0], **shown)))
        from sklearn.metrics import f1_score
        diagnoses.append((float(f1_score(true, pred, labels=list(LABELS), average="weighted", zero_division=0)),
                          Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.3f}: that is "
                                  "the weighted F1 (each class weighted by how often it is true). Macro-F1 is the "
                                  "plain mean over the three classes.", value=value, **shown)))
        for wrong, mistake in diagnoses:
            if abs(value - wrong) < 1e-6:
                raise mistake
        raise Mistake("with true = {true} and predicted = {pred} ({name}) it returned {value:.3f}; scikit-learn's "
                      "f1_score(average='macro') gives {want:.3f}. Per class: TP, FP, FN → precision TP/(TP+FP), "
                      "recall TP/(TP+FN), F1 = 2·P·R/(P+R); then the mean of the three F1s.",
                      value=value, want=want, **shown)


EXERCISES = {
    "macro_f1": Exercise("macro_f1", _check_macro_f1,
                         "same value as scikit-learn's f1_score(average='macro') on all 3 cases, including a class "
                         "that is never predicted."),
}
