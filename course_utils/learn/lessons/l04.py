"""Lesson 04 · fine-tuning: quiz and checked exercise."""
from __future__ import annotations

import torch

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("Section 2 trains the same MiniLM architecture twice on the same 120 tweets (40 per class), once from "
           "pretrained weights (사전 학습된 가중치) and once from random weights (무작위 초기화). What do you expect "
           "on the balanced 3-class test set?", (
        Option("Both end near the same accuracy: same architecture, same data, same number of steps",
               "Architecture, data and steps are the same, but the pretrained weights already encode a lot about "
               "language; 30 steps on 120 tweets cannot teach that to random weights."),
        Option("The random-weight model does better, because it has no prior habits to unlearn",
               "Unlearning is not the problem here: with 120 tweets the random network has almost nothing to learn "
               "from, and it ends near chance."),
        Option("The pretrained model is far above chance (1/3); the random-weight model stays near chance",
               "Fine-tuning (파인 튜닝) reuses what pretraining learnt; the claims of sections 2 and 3 check a gap "
               "of at least 0.18 at 40 tweets per class, and random weights never above 0.42.", correct=True),
        Option("Both reach nearly 100 %, since 120 examples are plenty for three classes",
               "Sentiment of tweets is hard even for people (debatable labels, sarcasm); even the pretrained model "
               "stays far from 100 % here."),
    )),
    Number("LoRA (저랭크 적응) at rank r = 8 on one 384 × 384 query matrix: how many trainable weights does it add "
           "(A is r × in, B is out × r)?",
           answer=6144, tolerance=0.5,
           why="A has 8 × 384 = 3,072 weights and B has 384 × 8 = 3,072: r × (in + out) = 6,144, about 4 % of the "
               "147,456 weights of the frozen matrix (exercise 1 counts them in the model).",
           typical={147456: "That is the full matrix, in × out = 384 × 384: the weights LoRA keeps frozen.",
                    3072: "That is only one of the two matrices (A or B); LoRA trains both.",
                    64: "That is r × r; A and B each have one side of length 384."},
           otherwise="Count A (r × in) and B (out × r) and add them."),
    Choice("Right after `add_lora`, before any training step, what does an adapted query layer compute compared "
           "with the frozen original?", (
        Option("Something random: A and B are new random matrices, so the output is noisy until training fixes it",
               "Only A starts random; B starts at zero, and B·A is then zero whatever A is."),
        Option("Exactly the same output: B starts at zero, so the correction (alpha / r) · x Aᵀ Bᵀ is zero",
               "LoRA starts from the pretrained behaviour and only moves away as B learns: training begins where "
               "pretraining ended.", correct=True),
        Option("The output scaled by alpha / r",
               "The scale alpha / r multiplies only the LoRA correction, never the frozen x Wᵀ."),
    )),
    Choice("Section 4 compares head only (0.7 % of the weights), LoRA (1.0 %), the last 2 blocks (16.3 %) and full "
           "fine-tuning on 40 tweets per class over three seeds. What holds across the seeds?", (
        Option("Full fine-tuning is clearly best: it changes the most weights",
               "More trainable weights do not help much with 120 tweets; the claims check that full fine-tuning stays "
               "within 0.08 of head only and of LoRA, in either direction."),
        Option("Head only is clearly worst: a frozen encoder cannot adapt to tweets",
               "The frozen pretrained features are already good for sentiment; with a suitable learning rate the "
               "head alone is level with the others within the seed spread."),
        Option("LoRA is always best: it is the modern method",
               "The order of the four changes from seed to seed; no winner holds."),
        Option("All four are far above random weights and within a few test tweets of one another; the real "
               "difference is memory and the size of what you save",
               "Every method gained at least 0.15 over random weights (checked); their differences are smaller than "
               "the spread between seeds. Cheaper methods need gradients and optimiser state for fewer weights.",
               correct=True),
    )),
    Number("A broken classifier predicts 'positive' for all 180 test tweets (60 per class). Its accuracy is 1/3. "
           "What is its macro-F1 (매크로 F1)? (3 decimals)",
           answer=0.167, tolerance=0.002,
           why="Positive: precision 60/180 = 1/3, recall 1, F1 = 2 · (1/3 · 1) / (1/3 + 1) = 0.5. Negative and "
               "neutral are never predicted: F1 = 0. Macro-F1 averages the three classes equally: 0.5 / 3 = 0.167.",
           typical={0.333: "That is the accuracy. Macro-F1 averages one F1 per class, and two classes get F1 = 0.",
                    0.5: "That is the F1 of the positive class alone; macro-F1 also counts the two classes it never "
                         "predicts, each with F1 = 0.",
                    0.0: "The positive class does get an F1 above 0: every positive tweet is found (recall 1)."},
           otherwise="Compute precision, recall and F1 for each class, then take the plain mean of the three F1s."),
    Choice("Your training split lost all its neutral tweets through a careless filter, but the head still has "
           "num_labels = 3. What happens when you train?", (
        Option("An error at once: the head has an output nobody trains",
               "Nothing checks that each output gets training data: PyTorch trains happily. That is why "
               "`check_class_coverage` exists."),
        Option("Training runs without complaint, but the model learns to avoid 'neutral', so the neutral column of "
               "the confusion matrix (혼동 행렬) stays (almost) empty",
               "Every training step pushes 'neutral' down, since it is never the right answer; a per-class "
               "(stratified) split prevents it, `check_class_coverage` makes it an error.", correct=True),
        Option("The model infers the neutral class from the other two, since neutral lies between them",
               "The model has no notion that neutral lies between: it only learns the classes its labels show."),
    )),
    Choice("A label 3 reaches a head with num_labels = 3 (labels numbered 1..3 instead of 0..2). What happens?", (
        Option("The model silently adds a fourth output",
               "The head's size is fixed when the model is built; nothing adds outputs during training."),
        Option("Label 3 is treated as label 2, the closest one",
               "Nothing rounds labels: the loss looks up output number 3, which does not exist."),
        Option("The loss fails (IndexError: target 3 is out of bounds), deep inside the library",
               "Outputs are numbered 0, 1, 2; `check_labels` catches the mistake before training, with the fix "
               "(map the names to 0..2) in its message.", correct=True),
    )),
]


# --- checked exercise: the LoRA forward pass ----------------------------------------------------

def _reference(x, W, A, B, alpha, r):
    """peft's own LoRA Linear layer around an nn.Linear holding W, with A and B copied in."""
    from peft import LoraConfig
    from peft.tuners.lora.layer import Linear as LoraLinear

    with torch.random.fork_rng(devices=[]):   # building the layers draws initial weights: leave the global stream alone
        base = torch.nn.Linear(W.shape[1], W.shape[0], bias=False)
        layer = LoraLinear(base, "default", config=LoraConfig(r=r, lora_alpha=alpha, lora_dropout=0.0),
                           r=r, lora_alpha=alpha)
    with torch.no_grad():
        base.weight.copy_(W)
        layer.lora_A["default"].weight.copy_(A)
        layer.lora_B["default"].weight.copy_(B)
        return layer(x)


def _cases():
    g = torch.Generator().manual_seed(4)
    rand = lambda *shape: torch.randn(*shape, generator=g)
    return [
        # name (shown in the diagnoses, so translated when the checker runs), x, W (out x in), A (r x in),
        # B (out x r), alpha, r
        (t("B = 0, as LoRA starts"), rand(2, 5), rand(3, 5), rand(2, 5), torch.zeros(3, 2), 4, 2),
        (t("a 3 x 6 matrix W, r = 2, alpha = 8"), rand(4, 6), rand(3, 6), rand(2, 6), rand(3, 2), 8, 2),
        (t("a square 4 x 4 W like the query matrix, x of shape (batch 2, sequence 3, 4), r = 2, alpha = 16"),
         rand(2, 3, 4), rand(4, 4), rand(2, 4), rand(4, 2), 16, 2),
    ]


# The diagnoses about shapes end with the same reminder, written out in each template (one message each to
# translate): "x is (..., in), W is (out, in), A is (r, in), B is (out, r): x @ W.T and x @ A.T @ B.T both have
# shape (..., out). x goes through A first (down to r numbers), then through B (back up to out)."


def _check_lora_forward(fn) -> None:
    for k, (name, x, W, A, B, alpha, r) in enumerate(_cases()):
        given = [v.clone() for v in (x, W, A, B)]
        try:
            out = fn(*given, alpha, r)
        except RuntimeError as e:
            first = (str(e).splitlines() or [""])[0]
            if isinstance(e, NotImplementedError) or not any(w in first for w in ("shape", "size", "matri", "dim")):
                raise                                 # the stub, or a crash that is not about shapes: said as is
            if k == 2 and x.dim() == 3:
                raise Mistake("it works on 2-D x but failed on x of shape (2, 3, 4) (batch, sequence, features). "
                              "Use @ (torch.matmul), which multiplies along the last dimension; torch.mm takes only "
                              "2-D. ({error}) x is (..., in), W is (out, in), A is (r, in), B is (out, r): x @ W.T and "
                              "x @ A.T @ B.T both have shape (..., out). x goes through A first (down to r numbers), "
                              "then through B (back up to out).", error=first[:90]) from None
            raise Mistake("a matrix product failed on the case '{name}'. ({error}) x is (..., in), W is (out, in), "
                          "A is (r, in), B is (out, r): x @ W.T and x @ A.T @ B.T both have shape (..., out). x goes "
                          "through A first (down to r numbers), then through B (back up to out).",
                          name=name, error=first[:90]) from None
        if not all(torch.equal(a, b) for a, b in zip(given, (x, W, A, B))):
            raise Mistake("it changed one of the tensors passed in (x, W, A or B). Compute a new tensor instead "
                          "of updating W in place (no +=, no .add_ on the inputs): the frozen weight must stay frozen.")
        want = _reference(x, W, A, B, alpha, r)
        if not isinstance(out, torch.Tensor) or out.shape != want.shape:
            raise Mistake("on the case '{name}' it should return a tensor of shape {shape}, got {type} {got}. "
                          "x is (..., in), W is (out, in), A is (r, in), B is (out, r): x @ W.T and x @ A.T @ B.T "
                          "both have shape (..., out). x goes through A first (down to r numbers), then through B "
                          "(back up to out).", name=name, shape=tuple(want.shape), type=type(out).__name__,
                          got=tuple(getattr(out, 'shape', ())))
        out = out.detach().float()
        if torch.allclose(out, want, rtol=1e-4, atol=1e-4):
            continue
        s, lora = alpha / r, x @ A.T @ B.T
        base = x @ W.T
        close = lambda y: torch.allclose(out, y, rtol=1e-4, atol=1e-4)
        if close(s * lora):
            raise Mistake("on the case '{name}' it returned only the LoRA correction. The frozen layer still runs: "
                          "y = x Wᵀ + (alpha / r) · x Aᵀ Bᵀ. With B = 0, as at the start of training, y must equal "
                          "x Wᵀ exactly.", name=name)
        if close(base + lora):
            raise Mistake("on the case '{name}' (alpha = {alpha}, r = {r}) the correction is not scaled. Multiply "
                          "x Aᵀ Bᵀ by alpha / r (here {s:g}) before adding it.", name=name, alpha=alpha, r=r, s=s)
        if close(base + lora * r / alpha):
            raise Mistake("on the case '{name}' the scale is r / alpha = {inverse:g}, upside down: LoRA uses "
                          "alpha / r = {s:g}.", name=name, inverse=r / alpha, s=s)
        if close(base + alpha * lora):
            raise Mistake("on the case '{name}' the correction is multiplied by alpha = {alpha}; the scale is "
                          "alpha / r = {s:g}.", name=name, alpha=alpha, s=s)
        if close(base):
            raise Mistake("on the case '{name}' it returned the frozen layer x Wᵀ alone. Add the LoRA correction "
                          "(alpha / r) · x Aᵀ Bᵀ: that is the part that learns.", name=name)
        c = float(((out - base) * lora).sum() / (lora * lora).sum())   # the scale it used, if it used one
        if close(base + c * lora):
            raise Mistake("on the case '{name}' it scales the correction by {c:.3g}, but alpha / r = {alpha} / {r} = "
                          "{s:g}. Compute the scale from alpha and r (add_lora's default alpha = 2r gives 2, "
                          "not every layer does).", name=name, c=c, alpha=alpha, r=r, s=s)
        if W.shape[0] == W.shape[1] and close(x @ W + s * lora):
            raise Mistake("on the square W it computed x W, not x Wᵀ. A Linear layer's weight is stored as "
                          "(out, in) and applied as x @ W.T.")
        if W.shape[0] == W.shape[1] and close(base + s * x @ (B @ A)):
            raise Mistake("on the square W the LoRA update is transposed: it computed x (B A), but the update "
                          "ΔW = B A is stored like W, as (out, in), so the layer adds x (B A)ᵀ = x Aᵀ Bᵀ.")
        raise Mistake("on the case '{name}' it differs from peft's LoRA layer by up to "
                      "{diff:.3g}. The layer computes y = x Wᵀ + (alpha / r) · x Aᵀ Bᵀ.",
                      name=name, diff=(out - want).abs().max())


EXERCISES = {
    "lora": Exercise("lora_forward", _check_lora_forward,
                     "the same output as peft's own LoRA Linear layer on all 3 cases "
                     "(B = 0, a rectangular W, a square W on a batch of sequences)."),
}
