"""Every notebook's online path, run without the Hub, and the text lessons in a GPU's number types.

1. **Online path**: COURSE_MODE=cached on a copy of the real Hub repos' file sets and configs with
   tiny random weights (tests/fake_hub.py): the same Hub ids, files and configs a learner's notebook
   meets on Colab (cardiff's .bin and missing tokenizer settings, GPT-2 without a chat template,
   toxic-bert's multi-label head, tweet_eval from datasets' cache). The weights are random, so
   quality checks print as not checked (COURSE_CLAIMS=skip); every exact check still runs. The
   text lessons 01, 02, 05, 06 also run this way in bfloat16 and float16 (the online models in
   16-bit, as on a GPU).
2. **Dtype pass on real weights**: the text lessons offline (SmolLM2, the course's MiniLM sentiment
   model) with COURSE_DTYPE=bfloat16 / float16 on the CPU, claims and expectations checked: a
   comparison that only holds in float32, or a conclusion that does not survive 16-bit, fails here
   instead of on Colab.

Slow (about 5 minutes on two workers): selected with `-m online_cache` (CI's third run).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fake_hub import build_fake_hub

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import run_notebook  # noqa: E402

import repo  # noqa: E402

NOTEBOOKS = repo.notebooks("solutions")   # the full run, worked solutions included
TEXT_LESSONS = ("01", "02", "02b", "05", "06", "09")   # the lessons that run language models in the device's dtype
HALF = ("bfloat16", "float16")

pytestmark = pytest.mark.online_cache


def lesson_of(path: Path) -> str:
    return repo.lesson_id(path)


TEXT = [nb for nb in NOTEBOOKS if lesson_of(nb) in TEXT_LESSONS]
# 02b and 09 spend their time training the course's own small models, the same in every dtype: their
# 16-bit runs on the copied Hub would add minutes and test nothing the two others do not
CACHED_HALF = [nb for nb in TEXT if lesson_of(nb) not in ("02b", "09")]
CASES = ([pytest.param(nb, "cached", "", id=f"{lesson_of(nb)}-cached") for nb in NOTEBOOKS]
         + [pytest.param(nb, "cached", d, id=f"{lesson_of(nb)}-cached-{d}") for d in HALF for nb in CACHED_HALF]
         + [pytest.param(nb, "offline", d, id=f"{lesson_of(nb)}-offline-{d}") for d in HALF for nb in TEXT])


@pytest.fixture(scope="session")
def fake_hub_env():
    from course_utils.kernel.cache import cache_root
    return build_fake_hub(cache_root() / "fake-hub-for-tests")


@pytest.mark.parametrize("path,mode,dtype", CASES)
def test_notebook_runs_top_to_bottom(fake_hub_env, path, mode, dtype):
    from course_utils.lesson import models_for_lesson
    env = {"COURSE_MODE": mode, "COURSE_DTYPE": dtype}
    if mode == "cached":
        env.update(fake_hub_env, COURSE_CLAIMS="skip")
    nb, _ = run_notebook.run(path, env)          # a cell that raises fails the test with its traceback
    out = run_notebook.text_outputs(nb)
    lesson = lesson_of(path)
    assert f"mode:   {mode} (" in out, f"the setup cell must report the {mode} mode"
    for role, name in models_for_lesson(lesson, mode == "cached").items():
        assert f"model for {role}: {name}" in out, f"{lesson} should report {name} for {role}"
    if dtype:
        assert f"number type {dtype} from COURSE_DTYPE" in out, "the setup cell must report the forced dtype"
    if mode == "cached":
        assert "✓ claim" not in out and "✗ claim" not in out, "claims are not checked on tiny random weights"
    if mode == "cached" and lesson == "08":     # the speech cell took its Hub path (it is skipped only offline)
        assert "[text-to-speech] facebook/mms-tts-kor — Hugging Face Hub" in out
