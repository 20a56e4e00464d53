"""The Korean edition (notebooks/ko/, solutions/ko/) can never drift from the English one.

- every English markdown cell has a current Korean translation (tools/notebook_sources/ko/*.md,
  each block tagged with the hash of the English cell it translates): a changed English cell fails
  here until its Korean block is updated;
- the Korean notebooks on disk are exactly what the build writes from the stored English run and
  the current translations;
- code cells are the English ones (the setup cell adds language="ko"), outputs and execution counts
  are the English run's, except the cells that show the workbook's own words (quizzes, exercise
  checks, widgets), which the build ran again in Korean.
No notebook runs here: the Korean edition adds only these checks to the test time.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_notebook as B  # noqa: E402
import repo  # noqa: E402
import translations as T  # noqa: E402

SOURCES = sorted(T.SOURCES.glob("[0-9][0-9]*.py"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KOREAN_MARKERS = {"predict": "**먼저 예측하기 (Predict first):**", "check": "**예측 확인하기 (Check your prediction).**",
                  "learn": "**이 노트북에서 배울 내용**"}


def _twins(src: Path, edition: str):
    return (nbformat.read(B.target_for(src, edition), as_version=4),
            nbformat.read(B.target_for(src, edition, "ko"), as_version=4))


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_every_english_cell_has_a_current_translation(src):
    s = T.status(src)
    assert not s["missing"], f"{src.stem}: English markdown cells without a current Korean block " \
                             f"(changed or new; python tools/translations.py skeleton {src.relative_to(ROOT)}): {s['missing']}"
    assert not s["stale"], f"{src.stem}: Korean blocks whose English cell changed or is gone: {s['stale']}"
    assert not s["untranslated"], f"{src.stem}: blocks still in English: {s['untranslated']}"


@pytest.mark.parametrize("edition", ["notebooks", "solutions"])
def test_every_english_notebook_has_a_korean_twin(edition):
    english = [p.relative_to(ROOT / edition) for p in repo.notebooks(edition)]
    korean = [p.relative_to(ROOT / edition / "ko") for p in repo.notebooks(edition, language="ko")]
    assert english == korean and len(english) == len(SOURCES)


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_the_korean_notebooks_are_what_the_build_writes(src, tmp_path, monkeypatch):
    """Regenerate both Korean editions from the stored runs and the translations: same as on disk
    (after a translation changes: python tools/build_notebook.py --korean-only SRC)."""
    monkeypatch.setattr(B, "ROOT", tmp_path)
    for edition in ("notebooks", "solutions"):
        for lang in ("en", "ko"):
            stored = B.target_for(src, edition, lang).relative_to(tmp_path)
            (tmp_path / stored).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / stored, tmp_path / stored)
    B.sync_korean(src)
    for edition in ("notebooks", "solutions"):
        rel = B.target_for(src, edition, "ko").relative_to(tmp_path)
        rebuilt, stored = (nbformat.read(p, as_version=4) for p in (tmp_path / rel, ROOT / rel))
        for a, b in zip(rebuilt.cells, stored.cells):
            assert a == b, f"{rel}: cell {b.get('id')} is not what the build writes: python tools/build_notebook.py --korean-only {src.relative_to(ROOT)}"
        assert len(rebuilt.cells) == len(stored.cells) and rebuilt.metadata == stored.metadata, rel


@pytest.mark.parametrize("edition", ["notebooks", "solutions"])
@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_code_and_outputs_are_the_english_runs(src, edition):
    english, korean = _twins(src, edition)
    assert [c.cell_type for c in english.cells] == [c.cell_type for c in korean.cells]
    spoken = 0
    for en, ko in zip(english.cells, korean.cells):
        assert en.get("id") == ko.get("id")
        if en.cell_type != "code":
            continue
        if "setup_lesson(" in en.source:
            assert ko.source == B.korean_setup(en.source) != en.source, "the setup cell must say language=\"ko\""
        else:
            assert ko.source == en.source, f"{ko.id}: code differs from the English edition"
        assert ko.execution_count == en.execution_count
        if B.speaks(en):
            spoken += 1
            text = json.dumps(ko.outputs, ensure_ascii=False)
            assert HANGUL.search(text.replace("퀴즈", "")), f"{ko.id}: this cell shows the workbook's words, in Korean"
        else:
            assert ko.outputs == en.outputs, f"{ko.id}: outputs differ from the English run's"
    assert spoken >= 1                   # every lesson ends with a quiz


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_korean_notebooks_follow_the_skeleton(src):
    _, korean = _twins(src, "notebooks")
    markdown = "\n".join(c.source for c in korean.cells if c.cell_type == "markdown")
    assert B.colab_url(B.target_for(src, lang="ko")) in korean.cells[0].source, "the Colab badge opens the Korean notebook"
    assert "glossary.md" in korean.cells[0].source
    if src.stem != "00_setup":
        assert KOREAN_MARKERS["learn"] in korean.cells[0].source
        assert markdown.count(KOREAN_MARKERS["predict"]) >= 2
    prose = re.sub(r"`[^`]*`|\([^)]*\)|\[[^\]]*\]|https?://\S+", "", markdown)
    hangul, latin = len(HANGUL.findall(prose)), len(re.findall(r"[A-Za-z]", prose))
    assert hangul > latin, f"{src.stem}: the Korean notebook's prose is mostly not Korean ({hangul} vs {latin})"


def test_a_changed_english_cell_is_caught(tmp_path):
    """The drift test fails on a deliberately changed English cell: its block no longer matches."""
    src = SOURCES[5]
    changed = tmp_path / src.name
    text = src.read_text(encoding="utf-8")
    first_prose = re.search(r"^# [A-Z][a-z].*$", text, re.M).group(0)
    changed.write_text(text.replace(first_prose, first_prose + " (changed)", 1), encoding="utf-8")
    before, after = T.status(src), T.status(changed)
    assert not before["missing"] and not before["stale"]
    assert len(after["missing"]) == 1 and len(after["stale"]) == 1
