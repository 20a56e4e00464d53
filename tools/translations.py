"""The Korean edition's text: one file per notebook, one block per English markdown cell.

    tools/notebook_sources/ko/05_generation_loop_and_randomness.md

    <!-- en 3f2a9c1b7d -->
    # 05 · 생성 루프와 랜덤성 ...

Each block starts with the hash of the English markdown cell it translates (the cell's text in the
source, before {{REPO}} is filled in). When an English cell changes, its hash changes: the block
no longer matches and the drift test (tests/test_korean_edition.py) names the cell until the block
is translated again and its tag updated. A block still identical to its English cell counts as
untranslated (the English already carries Korean key terms, so "has Hangul" would not tell).

    python tools/translations.py status            # missing / stale blocks, every notebook
    python tools/translations.py skeleton SRC...   # add blocks for missing cells (English text, to translate)
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tools" / "notebook_sources"
KO_DIR = SOURCES / "ko"
TAG = re.compile(r"^<!-- en ([0-9a-f]{10}) -->$", re.M)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def cell_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]


def english_cells(src: Path) -> list[tuple[str, str]]:
    """(hash, text) of every markdown cell of the English source, in order ({{REPO}} not filled)."""
    nb = jupytext.read(src, fmt="py:percent")
    return [(cell_hash(c.source), c.source) for c in nb.cells if c.cell_type == "markdown"]


def korean_file(src: Path) -> Path:
    return KO_DIR / f"{Path(src).stem}.md"


def parse(path: Path) -> dict[str, str]:
    """hash -> Korean text of every block of a translation file (an absent file: no blocks)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    parts = TAG.split(text)     # [preamble, hash, body, hash, body, ...]
    return {h: body.strip() for h, body in zip(parts[1::2], parts[2::2])}


def status(src: Path) -> dict[str, list]:
    """What the drift test checks: English cells without a Korean block, blocks whose English cell
    is gone or changed, and blocks with no Korean in them (still the English text)."""
    english = english_cells(src)
    korean = parse(korean_file(src))
    texts = dict(english)
    return {
        "missing": [(i, text.splitlines()[0][:70]) for i, (h, text) in enumerate(english) if h not in korean],
        "stale": [h for h in korean if h not in texts],
        "untranslated": [h for h, body in korean.items() if h in texts and body == texts[h].strip()],
    }


def skeleton(src: Path) -> Path:
    """Rewrite the file in the English cells' order: kept blocks stay, missing ones get the English
    text to translate, stale blocks are kept at the end under a marker (to reuse, then delete)."""
    english, korean = english_cells(src), parse(korean_file(src))
    out = [f"<!-- Korean edition of {src.name}: one block per markdown cell, tagged with the hash of the "
           "English cell it translates (tools/translations.py) -->", ""]
    for h, text in english:
        out += [f"<!-- en {h} -->", korean.get(h, text).strip(), ""]
    stale = [h for h in korean if h not in {h for h, _ in english}]
    for h in stale:
        out += [f"<!-- stale: the English cell changed; reuse this text above, then delete it -->",
                f"<!-- en {h} -->", korean[h], ""]
    path = korean_file(src)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["status", "skeleton"])
    ap.add_argument("sources", nargs="*", type=Path)
    args = ap.parse_args(argv)
    sources = args.sources or sorted(SOURCES.glob("[0-9][0-9]*.py"))
    bad = 0
    for src in sources:
        if args.command == "skeleton":
            print(skeleton(src).relative_to(ROOT))
            continue
        s = status(src)
        n = sum(map(len, s.values()))
        bad += n
        print(f"{src.stem}: " + ("ok" if not n else ", ".join(f"{len(v)} {k}" for k, v in s.items() if v)))
        for i, first in s["missing"]:
            print(f"    missing: markdown cell {i}: {first}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
