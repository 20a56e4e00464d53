"""Facts about the repository, each from one place: its GitHub name (pyproject.toml) and its
lesson notebooks (what is on disk under notebooks/ and, with worked solutions, solutions/)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "{{REPO}}"   # written in tools/notebook_sources, filled in by tools/build_notebook.py


def repo_slug() -> str:
    """'owner/name' from pyproject.toml's [project.urls] Repository."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^Repository\s*=\s*"https://github\.com/([\w.-]+/[\w.-]+)"', text, re.M)
    if not found:
        raise SystemExit("pyproject.toml needs [project.urls] Repository = \"https://github.com/OWNER/NAME\"")
    return found.group(1)


def fill(text: str) -> str:
    return text.replace(PLACEHOLDER, repo_slug())


def lesson_id(path: Path) -> str:
    """'02b' for 02b_inside_a_transformer.ipynb (or its source .py): the part of the name before the first '_'."""
    return Path(path).stem.split("_", 1)[0]


def notebooks(edition: str = "notebooks", language: str = "en") -> list[Path]:
    """Every lesson notebook on disk, in lesson order (checkpoints excluded): the learner edition
    under notebooks/, or with edition="solutions" the solutions edition (the same run, worked
    solutions included: what nbval runs); language="ko": the Korean edition under <edition>/ko/."""
    base = ROOT / edition
    found = (base / "ko" if language == "ko" else base).rglob("*.ipynb")
    keep = lambda p: ".ipynb_checkpoints" not in p.parts and (language == "ko" or "ko" not in p.relative_to(base).parts)
    return sorted((p for p in found if keep(p)), key=lambda p: p.name)


def solutions_edition(learner: Path) -> Path:
    """notebooks/week3/05_x.ipynb -> solutions/week3/05_x.ipynb (notebooks/ko/... -> solutions/ko/...)."""
    return ROOT / "solutions" / Path(learner).resolve().relative_to(ROOT / "notebooks")


def english_twin(korean: Path) -> Path:
    """notebooks/ko/week3/05_x.ipynb -> notebooks/week3/05_x.ipynb (solutions/ko/... likewise)."""
    rel = Path(korean).resolve().relative_to(ROOT)
    return ROOT / rel.parts[0] / Path(*rel.parts[2:])
