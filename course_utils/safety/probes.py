"""Bias probes: how likely a model finds each continuation of a template, group by group.

    rows = pronoun_probe(model, tok, ["nurse", "engineer"], template="The {} said that")
    # [{'subject': 'nurse', 'p': {'he': 0.03, 'she': 0.11}, 'share': {'he': 0.21, 'she': 0.79}, ...}]

A probe reads the model's next-token probabilities, so it measures what the model *would
say*, not what it believes or how it is used. Results depend on the template wording and on
which continuations you compare; `skewed_corpus` builds text with a known skew so a model
trained on it can be probed against the truth.
"""
from __future__ import annotations

import math
import random

from course_utils.kernel.errors import BadInputError
from course_utils.training.scoring import continuation_nll

PRONOUNS = {"he": " he", "she": " she"}
OCCUPATIONS = ("nurse", "secretary", "teacher", "librarian", "doctor", "engineer", "pilot",
               "programmer", "mechanic", "scientist", "cook", "lawyer")


def continuation_logprobs(model, tokenizer, prompt: str, continuations: list[str]) -> list[float]:
    """log p(continuation | prompt) for each continuation (summed over its tokens), in order."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise BadInputError("The prompt is empty: give a template sentence such as 'The nurse said that'.")
    if not continuations or not all(isinstance(c, str) and c for c in continuations):
        raise BadInputError("continuations must be a non-empty list of non-empty strings, e.g. [' he', ' she'].")
    p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    model.eval()
    conts = []
    for cont in continuations:
        together = tokenizer(prompt + cont, add_special_tokens=False)["input_ids"]
        # tokenizers that merge across the boundary would break this; fall back to encoding apart
        ok = together[:len(p_ids)] == p_ids and len(together) > len(p_ids)
        conts.append(together[len(p_ids):] if ok else tokenizer(cont, add_special_tokens=False)["input_ids"])
    return [-float(nll.sum()) for nll in continuation_nll(model, p_ids, conts)]


def group_probe(model, tokenizer, subjects, template: str = "The {} said that",
                groups: dict[str, str] = PRONOUNS) -> list[dict]:
    """For each subject: p of each group's continuation after the filled-in template, and each
    group's share of the total over groups (the share is what we compare: it ignores the
    probability mass that went to other words). Order of subjects and groups is kept."""
    if "{}" not in template:
        raise BadInputError(f"template must contain '{{}}' where the subject goes, got {template!r}.")
    if not groups:
        raise BadInputError("groups must map a name to its continuation, e.g. {'he': ' he', 'she': ' she'}.")
    subjects = list(subjects)
    if not subjects:
        raise BadInputError("Give at least one subject, e.g. ['nurse', 'engineer'].")
    rows = []
    for subject in subjects:
        prompt = template.format(subject)
        probs = [math.exp(lp) for lp in continuation_logprobs(model, tokenizer, prompt, list(groups.values()))]
        total = sum(probs)
        rows.append({"subject": subject, "prompt": prompt,
                     "p": dict(zip(groups, probs)),
                     "share": {g: (p / total if total > 0 else float("nan")) for g, p in zip(groups, probs)},
                     "mass": total})
    return rows


def pronoun_probe(model, tokenizer, occupations=OCCUPATIONS, template: str = "The {} said that") -> list[dict]:
    """group_probe with he/she as the groups and occupations as the subjects."""
    return group_probe(model, tokenizer, occupations, template, PRONOUNS)


def format_probe(rows: list[dict], group: str = "she") -> str:
    """A table: subject, p per group, share of `group`, and the mass the groups together get."""
    groups = list(rows[0]["p"]) if rows else []
    if rows and group not in groups:
        raise BadInputError(f"group {group!r} is not one of {groups}.")
    head = f"{'subject':<12}" + "".join(f"{'p(' + g + ')':>10}" for g in groups) + f"{'share ' + group:>12}{'mass':>8}"
    lines = [head]
    for r in rows:
        lines.append(f"{r['subject']:<12}" + "".join(f"{r['p'][g]:>10.3f}" for g in groups)
                     + f"{r['share'][group]:>12.2f}{r['mass']:>8.2f}")
    return "\n".join(lines)


# ---------------------------------------------------------------- a corpus with a known skew
SKEW_VERBS = ("was late", "had finished the work", "would call back", "was tired", "liked the plan",
              "needed a break", "read the report", "was right", "had left early", "wanted more time")


def skewed_corpus(skew: dict[str, float], n_sentences: int = 4000, seed: int = 0,
                  template: str = "the {} said that {} {}.") -> str:
    """Sentences like 'the nurse said that she was tired.' where `skew[occupation]` is the
    probability of 'she' (1 - it: 'he'). A model trained on it should repeat these rates."""
    if not skew or not all(0.0 <= p <= 1.0 for p in skew.values()):
        raise BadInputError("skew must map occupations to a probability of 'she' in [0, 1].")
    rng = random.Random(seed)
    occs = list(skew)
    lines = []
    for i in range(n_sentences):
        occ = occs[i % len(occs)]
        pron = "she" if rng.random() < skew[occ] else "he"
        lines.append(template.format(occ, pron, rng.choice(SKEW_VERBS)))
    return "\n".join(lines) + "\n"
