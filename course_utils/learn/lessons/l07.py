"""Lesson 07 · image generation with a small diffusion model: quiz and checked exercise."""
from __future__ import annotations

import torch

from course_utils.kernel.i18n import t
from course_utils.learn.exercise import Exercise, Mistake
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Number("Forward noising (순방향 노이즈): at step t, ᾱ_t = 0.64. A pixel of the clean image is 1.0 and the noise drawn "
           "for it is −1.0. What is the pixel of x_t? (2 decimals)",
           answer=0.2, tolerance=0.005,
           why="x_t = √0.64 · 1.0 + √(1 − 0.64) · (−1.0) = 0.8 − 0.6 = 0.2.",
           typical={0.28: "That is 0.64 · 1.0 + 0.36 · (−1.0): the weights are the square roots, √ᾱ_t and √(1 − ᾱ_t), "
                          "so that the variances (not the standard deviations) add up to 1.",
                    -0.2: "That is √0.36 · 1.0 + √0.64 · (−1.0): signal and noise weights swapped. √ᾱ_t multiplies the "
                          "image: ᾱ_t is the share of the signal left.",
                    1.0: "That is the clean pixel: at ᾱ_t = 0.64 a good part of the signal is already replaced by noise."},
           otherwise="Multiply the pixel by √ᾱ_t, the noise by √(1 − ᾱ_t), and add."),
    Choice("In training, what does the denoiser learn to output?", (
        Option("The clean image x_0, directly",
               "A reasonable design, but not this lesson's: the target is the noise, and the clean image follows from it."),
        Option("The noise ε that was added to make x_t (노이즈 예측)",
               "Plain regression on the noise (mean squared error); knowing the noise gives a guess of the clean image, "
               "which is what the sampler steps towards.", correct=True),
        Option("The image one step less noisy, x_(t−1)",
               "The sampler computes that step from the predicted noise; the network itself predicts the noise."),
        Option("The digit's label, 0 to 9",
               "That is the independent judge's job (an SVM on real digits); the denoiser never outputs a label."),
    )),
    Choice("Why is the prompt dropped (replaced by a learned \"no prompt\" vector) for one training example in ten?", (
        Option("To train faster", "It saves nothing: the network runs on every example either way."),
        Option("As a regulariser, so that the model does not overfit the prompts",
               "Its purpose is not regularisation: it gives the unconditional prediction that guidance subtracts."),
        Option("So that the same network also predicts the noise without a prompt (ε_u), which classifier-free guidance "
               "(분류기 없는 가이던스) needs",
               "Guidance combines ε_c and ε_u from one network; without dropped prompts ε_u would be meaningless.",
               correct=True),
    )),
    Choice("Guidance weight w = 0 for \"draw the number 3\": what do the samples show?", (
        Option("Random digits: w = 0 switches the prompt off",
               "w = 0 is the plain conditional model: ε = ε_c, the prompt is still used. Switching it off would be "
               "ε = ε_u."),
        Option("Mostly the asked digit, though less reliably and more varied than at w = 2",
               "The conditional model already follows the prompt; guidance pushes further. Section 8 measured it: "
               "agreement rose by at least 0.15 from w = 0 to w = 2, and diversity fell as w grew.", correct=True),
        Option("Pure noise: without guidance the sampler cannot remove noise",
               "Denoising is the network's noise prediction; guidance only changes which prediction is used."),
        Option("The same images as w = 2, since the seed is the same",
               "The seed fixes the starting noise, but the guided noise prediction differs, so the path differs."),
    )),
    Number("diffusers calls the guidance knob guidance_scale = 1 + w. Stable Diffusion's usual guidance_scale is 7.5: "
           "what is w in this lesson's formula ε = (1 + w)·ε_c − w·ε_u?",
           answer=6.5, tolerance=0.01,
           why="w = guidance_scale − 1 = 6.5: guidance_scale 1 is the plain conditional model, as w = 0 is here.",
           typical={7.5: "That is guidance_scale itself; this lesson's w counts from the conditional model: w = 7.5 − 1.",
                    8.5: "guidance_scale = 1 + w, so w = guidance_scale − 1, not + 1."},
           otherwise="Solve guidance_scale = 1 + w for w."),
    Choice("You sample with 10 steps instead of 200, same prompt and seed. What changes?", (
        Option("Nothing but the speed: the same images, 20 times faster",
               "The sampler visits other noise levels and draws its fresh noise at other moments, so the images differ "
               "in detail."),
        Option("About 20 times fewer network calls, so much faster; the images differ in detail but, for these tiny "
               "digits, still show the asked digit about as often",
               "ᾱ gives any noise level in one formula, so the sampler can jump several levels at once; exercise 1 "
               "measured the agreement at 10 and 200 steps.", correct=True),
        Option("The result stays noisy: 10 steps can remove only a twentieth of the noise",
               "Each step jumps from its level straight to the next visited one; the last step still ends at level 0."),
    )),
    Choice("\"a handwritten seven\" lies closer to \"a handwritten one\" than to \"7\" in the sentence encoder's space "
           "(텍스트 임베딩). What follows for the denoiser?", (
        Option("Text conditioning cannot work with this encoder",
               "Section 8 measured the opposite: the judge agreed with the asked digit far above chance."),
        Option("It must learn which small part of the vector says which digit; many phrasings per digit in training "
               "force that", "So the network cannot memorise one sentence, and held-out wordings work too.",
               correct=True),
        Option("Cosine similarity is the wrong measure; Euclidean distance would put the sevens together",
               "The vectors have length 1, so cosine and Euclidean distance order the pairs the same way."),
    )),
]


# --- checked exercise: the forward noising jump ----------------------------------------------------

def _schedule(betas):
    from course_utils.generators.diffusion import NoiseSchedule
    return NoiseSchedule(betas)


def _reference(x0, noise, t, betas):
    """course_utils.generators.diffusion.q_sample (tested against the closed form computed by hand)."""
    from course_utils.generators.diffusion import q_sample
    return q_sample(x0, t, noise, _schedule(betas))


def _with(x0, noise, t, signal, noise_weight):
    return signal[t][:, None] * x0 + noise_weight[t][:, None] * noise


def _check_add_noise(fn) -> None:
    from course_utils.generators.diffusion import linear_schedule

    betas = linear_schedule(10).betas
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    x0 = torch.tensor([[1.0, -1.0, 0.5, 0.0], [0.2, 0.4, -0.6, 1.0], [-1.0, 1.0, 1.0, -0.5]])
    noise = torch.tensor([[0.3, -1.2, 0.8, 1.5], [-0.7, 0.1, 2.0, -0.4], [1.1, 0.9, -1.3, 0.6]])
    for case, steps in [(t("one step t = 5 for every row"), torch.tensor([5, 5, 5])),
                        (t("steps t = 0, 4 and 9, one per row"), torch.tensor([0, 4, 9]))]:
        args = [x0.clone(), noise.clone(), steps.clone(), betas.clone()]
        try:
            out = fn(*args)
        except RuntimeError as e:
            if "size of tensor" in str(e) or "broadcast" in str(e):
                raise Mistake("with {case} (x0 of shape (3, 4), t of shape (3,)) the shapes do not combine: "
                              "{error}. ᾱ_t has one value per row: pick abar[t] and reshape it to (3, 1) "
                              "(abar[t][:, None]) so that it multiplies each row.", case=case, error=e) from None
            raise
        if not (torch.equal(args[0], x0) and torch.equal(args[1], noise) and torch.equal(args[3], betas)):
            raise Mistake("it changed a tensor passed in (x0, noise or betas). Compute new tensors instead of "
                          "writing into them.")
        if not isinstance(out, torch.Tensor) or out.shape != x0.shape:
            raise Mistake("it should return x_t with the shape of x0, {want}, got {kind} {shape}.",
                          want=tuple(x0.shape), kind=type(out).__name__, shape=tuple(getattr(out, "shape", ())))
        out = out.float()
        want = _reference(x0, noise, steps, betas)
        if torch.allclose(out, want, atol=1e-5):
            continue
        wrong = [
            (_with(x0, noise, steps, betas.sqrt(), (1 - betas).sqrt()),
             Mistake("it used β_t where ᾱ_t belongs. β_t is the noise added in one step; the jump from x_0 needs "
                     "ᾱ_t = (1 − β_1)(1 − β_2)…(1 − β_t): torch.cumprod(1 - betas, 0)[t].")),
            (_with(x0, noise, steps, alphas.sqrt(), (1 - alphas).sqrt()),
             Mistake("it used α_t = 1 − β_t, the signal kept by step t alone. The jump from x_0 needs the product "
                     "over all steps up to t, ᾱ_t = torch.cumprod(1 - betas, 0)[t].")),
            (_with(x0, noise, steps, abar, 1 - abar),
             Mistake("it weighted x0 by ᾱ_t and the noise by 1 − ᾱ_t: the weights are the square roots, √ᾱ_t and "
                     "√(1 − ᾱ_t) (the variances add up to 1, the standard deviations do not).")),
            (_with(x0, noise, steps, (1 - abar).sqrt(), abar.sqrt()),
             Mistake("signal and noise weights are swapped: √ᾱ_t multiplies the image x0 (ᾱ_t is the share of signal "
                     "left, close to 1 at t = 0) and √(1 − ᾱ_t) the noise.")),
            (_with(x0, noise, steps, torch.cat([torch.ones(1), abar[:-1]]).sqrt(),
                   (1 - torch.cat([torch.ones(1), abar[:-1]])).sqrt()),
             Mistake("it is one step behind: ᾱ_t includes step t itself, abar = torch.cumprod(1 - betas, 0) and "
                     "abar[t] (t counts from 0).")),
            (_with(x0, noise, steps, torch.cat([abar[1:], abar[-1:]]).sqrt(),
                   (1 - torch.cat([abar[1:], abar[-1:]])).sqrt()),
             Mistake("it is one step ahead: use abar[t] with abar = torch.cumprod(1 - betas, 0) (t counts from 0).")),
        ]
        for value, mistake in wrong:
            if torch.allclose(out, value, atol=1e-5):
                raise mistake
        if (steps != steps[0]).any() and torch.allclose(out, _reference(x0, noise, steps[:1].expand(3), betas),
                                                        atol=1e-5):
            raise Mistake("every row got the noise level of the first t. Each row has its own step: index "
                          "abar with the whole t (abar[t]) and reshape to (3, 1).")
        row = int((out - want).abs().amax(dim=1).argmax())
        raise Mistake("with {case}, row {row} (t = {t}) should be {want}, got {got}. "
                      "x_t = √ᾱ_t · x0 + √(1 − ᾱ_t) · noise, with ᾱ_t = torch.cumprod(1 - betas, 0)[t].",
                      case=case, row=row, t=int(steps[row]), want=[round(v, 3) for v in want[row].tolist()],
                      got=[round(v, 3) for v in out[row].tolist()])


EXERCISES = {
    "add_noise": Exercise("add_noise", _check_add_noise,
                          "same x_t as the course's q_sample, one noise level per row, at t = 0, 4, 5 and 9."),
}
