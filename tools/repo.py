"""The workbook's GitHub repository, read from the one place that names it (pyproject.toml)."""
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
