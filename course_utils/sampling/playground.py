"""The plain functions behind the Week 3 playgrounds: what a knob does to the next-token
distribution, the line of code that repeats a run, and a prompt with and without a condition.

`widgets.text` wires controls to these; notebooks and tests call them directly (no ipywidgets).
"""
from __future__ import annotations

from course_utils.sampling import logits as S
from course_utils.kernel.checks import check_temperature, check_text
from course_utils.kernel.errors import BadInputError
from course_utils.sampling.generation import chat_messages, generate_by_hand, next_token_distribution
from course_utils.plots.bars import plot_before_after


def sampling_view(model, tok, prompt: str, temperature: float, top_k: int, top_p: float, *, top: int = 10):
    """(Figure, summary text) of the next-token distribution before/after the knobs.

    top_k=0 and top_p=1 mean 'no filter', as in `generate`. Raises BadInputError on bad values.
    """
    check_text(prompt, "prompt")
    check_temperature(temperature)
    S.check_top_k(top_k)
    S.check_top_p(top_p)
    raw = next_token_distribution(model, tok, prompt)          # cached: a slider move costs no forward pass
    after = S.process_logits(raw, temperature=temperature, top_k=top_k or None, top_p=top_p)
    p = S.to_probs(after)
    fig = plot_before_after(tok, raw, p, top=top, labels=("model (T = 1)", "after your settings"),
                            title=f"after {prompt[-40:]!r}")
    best = int(p.argmax())
    summary = (f"temperature={temperature:g}, top_k={top_k}, top_p={top_p:g}: {int((p > 0).sum())} tokens can "
               f"be chosen; most likely {tok.decode([best])!r} with p={float(p[best]):.3f}")
    return fig, summary


def settings_code(prompt: str, max_new_tokens: int, temperature: float, top_k: int, top_p: float,
                  seed: int) -> str:
    """The line of code that reproduces the playground's Generate button."""
    knobs = [f"temperature={temperature:g}"]
    if top_k:
        knobs.append(f"top_k={top_k}")
    if top_p < 1:
        knobs.append(f"top_p={top_p:g}")
    return (f"cu_gen.generate_by_hand(model, tok, {prompt!r}, {max_new_tokens}, "
            f"{', '.join(knobs)}, seed={seed}).text")


def playground_generate(model, tok, prompt, max_new_tokens, temperature, top_k, top_p, seed):
    """Run the hand-written sampler with the playground settings; returns the GenerationResult."""
    return generate_by_hand(model, tok, prompt, max_new_tokens, temperature=temperature,
                            top_k=top_k or None, top_p=top_p if top_p < 1 else None, seed=seed)


CONDITIONS = {
    "sentiment": {"positive": "Answer in a very positive, happy tone.",
                  "negative": "Answer in a very negative, gloomy tone."},
    "style": {"pirate": "Answer like a pirate.", "poem": "Answer as a short rhyming poem.",
              "formal": "Answer in formal, academic English."},
    "system message": {"one word": "You answer with exactly one word.",
                       "grumpy chef": "You are a grumpy French chef who talks only about food.",
                       "teacher": "You are a patient teacher who explains things to a ten-year-old."},
}


def condition_messages(prompt: str, kind: str, value: str | None) -> list[dict]:
    """Chat messages for a condition: sentiment/style as an instruction, or a system message."""
    check_text(prompt, "prompt")
    if kind == "none":
        return chat_messages(prompt)
    if kind not in CONDITIONS or value not in CONDITIONS[kind]:
        choices = "; ".join(f"{k}: {', '.join(v)}" for k, v in CONDITIONS.items())
        raise BadInputError(f"unknown condition {kind!r} / {value!r}. Choose 'none' or one of {choices}.")
    text = CONDITIONS[kind][value]
    if kind == "system message":
        return chat_messages(prompt, system=text)
    return chat_messages(f"{prompt} {text}")


def conditioned_outputs(model, tok, prompt: str, kind: str, value: str | None, *, seed: int = 0,
                        max_new_tokens: int = 30, temperature: float = 0.7) -> dict[str, str]:
    """The same prompt and seed, without and with the condition: {label: generated text}."""
    out = {}
    for label, (k, v) in {"no condition": ("none", None), f"{kind}: {value}": (kind, value)}.items():
        msgs = condition_messages(prompt, k, v)
        out[label] = generate_by_hand(model, tok, msgs, max_new_tokens, temperature=temperature, seed=seed).text
    return out
