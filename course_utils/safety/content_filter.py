"""A small, explainable content filter for generated text: word lists, patterns, optional classifier.

    from course_utils.safety import content_filter as cf
    cf.check("Mail me at kim@example.com")          # FilterResult(allowed=False, categories=['personal-data'], ...)
    cf.apply("You little shit", mode="mask")          # 'You little [profanity]', and why

A lesson passes generated text through `apply` before showing it (Week 4). It is a teaching
filter, not a moderation system: lists miss paraphrases and misspellings and over-block
innocent words ("spicy", "Dickens"); Week 4 measures both. Where a classifier is configured
(online, e.g. a toxicity model from the Hub), its verdict is added to the lists' verdict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from course_utils.data.blocklist import PROFANITY_STEMS
from course_utils.kernel.errors import BadInputError

# category -> regular expressions. Word lists are matched at the start of a word (`\b`), so
# "kill" also catches "killed"; that is why "Scunthorpe" passes but "killer app" does not.
VIOLENCE_STEMS = ("kill", "murder", "stab", "shoot", "bomb", "explosive", "massacre", "behead",
                  "rape", "strangle", "torture")
THREAT_PATTERNS = (
    r"\b(?:i|we)(?:'ll| will| am going to|'m going to| are going to|'re going to| gonna)\s+"
    r"(?:kill|hurt|shoot|stab|murder|beat|find)\b",
    r"\byou(?:'re| are) (?:dead|going to die)\b",
    r"\bhow to (?:make|build) (?:a |an )?(?:bomb|explosive|weapon|gun)\b",
)
SELF_HARM_PATTERNS = (
    r"\b(?:kill|hurt|harm|cut) (?:myself|yourself)\b",
    r"\bsuicid\w*", r"\bself[- ]harm\w*",
    r"\bend (?:my|your) (?:own )?life\b",
    r"\b(?:i|you) (?:want|wants) to die\b",
)
PERSONAL_DATA_PATTERNS = (
    r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",                                  # e-mail address
    r"(?<![\w-])(?<!\d )(?:\+\d{1,3}[ -]?)?(?:\(\d{2,4}\)[ -]?|\d{2,4}[ -])\d{3,4}[ -]\d{4}"
    r"(?![\w-])(?! \d)",                                                    # phone number
    r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)",                                     # US social security no.
    r"(?<!\d)\d{6}-[1-4]\d{6}(?!\d)",                                      # Korean resident reg. no.
    r"(?<![\d-])(?:\d{4}[ -]){3}\d{4}(?![\d-])",                          # card number 4×4 digits
)


def _stems(stems, word_boundaries: bool) -> str:
    start = r"\b" if word_boundaries else ""
    return start + "(?:" + "|".join(map(re.escape, stems)) + r")\w*"


def default_rules(word_boundaries: bool = True) -> dict[str, list[str]]:
    """The category -> patterns table. word_boundaries=False matches stems anywhere inside a
    word (the naive filter that blocks "Scunthorpe"), kept to show why boundaries matter."""
    return {
        "profanity": [_stems(PROFANITY_STEMS, word_boundaries)],
        "violence": [_stems(VIOLENCE_STEMS, word_boundaries), *THREAT_PATTERNS],
        "self-harm": list(SELF_HARM_PATTERNS),
        "personal-data": list(PERSONAL_DATA_PATTERNS),
    }


@dataclass(frozen=True)
class Match:
    category: str
    text: str
    start: int
    end: int


@dataclass
class FilterResult:
    allowed: bool
    categories: list[str] = field(default_factory=list)   # sorted, unique
    matches: list[Match] = field(default_factory=list)    # what triggered, with positions
    reason: str = "nothing flagged"
    scores: dict[str, float] = field(default_factory=dict)  # classifier scores, if one ran


@dataclass
class Filtered:
    """What `apply` returns: the text to show, and the check behind it."""
    text: str
    result: FilterResult
    mode: str

    @property
    def allowed(self) -> bool:
        return self.result.allowed

    def __str__(self) -> str:
        return self.text


class ContentFilter:
    """Word/pattern rules per category, plus an optional classifier `fn(text) -> {label: score}`."""

    def __init__(self, rules: dict[str, list[str]] | None = None, *,
                 classifier: Callable[[str], dict] | None = None, threshold: float = 0.5,
                 word_boundaries: bool = True):
        rules = default_rules(word_boundaries) if rules is None else rules
        if not isinstance(rules, dict) or not rules:
            raise BadInputError("rules must be a non-empty dict: category -> list of regex patterns.")
        self.rules = {cat: [re.compile(p, re.IGNORECASE) for p in pats] for cat, pats in rules.items()}
        if not (0 < threshold <= 1):
            raise BadInputError(f"threshold must be in (0, 1], got {threshold!r}.")
        self.classifier, self.threshold = classifier, threshold

    def check(self, text: str) -> FilterResult:
        if not isinstance(text, str):
            raise BadInputError(f"The filter checks a string, got {type(text).__name__}.")
        matches = [Match(cat, m.group(0), m.start(), m.end())
                   for cat, pats in self.rules.items() for pat in pats for m in pat.finditer(text)]
        matches.sort(key=lambda m: (m.start, -m.end))
        cats = {m.category for m in matches}
        scores: dict[str, float] = {}
        if self.classifier is not None and text.strip():
            scores = {str(k): float(v) for k, v in self.classifier(text).items()}
            cats |= {f"classifier:{k}" for k, v in scores.items() if v >= self.threshold}
        categories = sorted(cats)
        if not categories:
            return FilterResult(True, [], [], "nothing flagged", scores)
        parts = []
        for cat in categories:
            found = sorted({m.text for m in matches if m.category == cat})
            if found:
                parts.append(f"{cat}: " + ", ".join(repr(f) for f in found))
            else:
                parts.append(f"{cat} (score {scores[cat.split(':', 1)[1]]:.2f} ≥ {self.threshold})")
        return FilterResult(False, categories, matches, "flagged " + "; ".join(parts), scores)

    def apply(self, text: str, mode: str = "block") -> Filtered:
        """block: replace flagged text by a notice; mask: replace each match by [category]."""
        if mode not in ("block", "mask"):
            raise BadInputError(f"mode must be 'block' or 'mask', got {mode!r}.")
        res = self.check(text)
        if res.allowed:
            return Filtered(text, res, mode)
        only_classifier = all(c.startswith("classifier:") for c in res.categories)
        if mode == "block" or only_classifier:  # a classifier gives no span to mask
            return Filtered(f"[blocked by the content filter: {res.reason}]", res, mode)
        out, pos = [], 0
        for m in res.matches:           # sorted by start; skip matches inside one already masked
            if m.start < pos:
                continue
            out.append(text[pos:m.start])
            out.append(f"[{m.category}]")
            pos = m.end
        out.append(text[pos:])
        return Filtered("".join(out), res, mode)


# ---- the module-level default filter, used by check() and apply() --------------------------
_default = ContentFilter()


def configure_classifier(classifier: Callable[[str], dict] | None, threshold: float = 0.5) -> None:
    """Add (or, with None, remove) a classifier to the default filter."""
    if classifier is not None and not callable(classifier):
        raise BadInputError("classifier must be a function text -> {label: score}, or None.")
    global _default
    _default = ContentFilter(classifier=classifier, threshold=threshold)


def classifier_from_pipeline(pipe, labels: tuple[str, ...] | None = None) -> Callable[[str], dict]:
    """Wrap a transformers text-classification pipeline as a classifier for the filter.

    `labels` keeps only those labels (e.g. ("toxic", "threat")); the pipeline is called with
    top_k=None so every label gets a score.
    """
    def classify(text: str) -> dict:
        out = pipe(text, top_k=None, truncation=True)
        out = out[0] if out and isinstance(out[0], list) else out
        return {d["label"]: d["score"] for d in out if labels is None or d["label"] in labels}
    return classify


ONLINE_TOXICITY_MODEL = "unitary/toxic-bert"  # a public Hub toxicity classifier (online only)


def load_online_classifier(model_id: str = ONLINE_TOXICITY_MODEL) -> Callable[[str], dict]:
    """A toxicity classifier from the Hub; raises OnlineOnlyError offline (no packaged one exists)."""
    from course_utils.kernel.errors import OnlineOnlyError
    from course_utils.models.hub import decide_mode
    hub = decide_mode()
    if not hub.online:
        raise OnlineOnlyError(f"The toxicity classifier {model_id} comes from the Hugging Face Hub and "
                              f"this session is {hub}; the filter uses its word and pattern lists only.")
    from transformers import pipeline
    return classifier_from_pipeline(pipeline("text-classification", model=model_id))


def check(text: str) -> FilterResult:
    return _default.check(text)


def apply(text: str, mode: str = "block") -> Filtered:
    return _default.apply(text, mode)
