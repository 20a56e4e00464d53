"""Every notebook, run as a learner runs it: JupyterLab in headless Chromium, Run All Cells.

nbval (the README's test command) checks that a headless kernel reproduces the stored outputs;
this checks what a person sees in the browser: no error output, every plot decodes as an image,
every widget renders, and moving a slider or pressing a button changes what the widget shows.
Screenshots of each widget, before and after, are saved under artifacts/browser/
(COURSE_ARTIFACTS_DIR to change it).

Needs Playwright for Python and Debian's `chromium` (.ci/run installs both). Without them these
tests are skipped with the reason, unless COURSE_REQUIRE_BROWSER=1 (as in CI), where they fail.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from jupyterlab_browser import CHROMIUM_ARGS, JupyterLabServer, NotebookPage, browser_missing, find_chromium

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RUN_ALL_TIMEOUT_S = 600
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@dataclass
class Interaction:
    """One thing a learner does with a widget: ('slide', label) | ('click', text) | ('choose', label, option)
    | ('type', label, text) | ('pick', quiz option, then Check). `widget`: which of the notebook's widgets
    (0 = the first shown); `expect`: text the widget must show afterwards."""
    action: str
    target: str
    option: str = ""
    widget: int = 0
    expect: str = ""
    button: str = "Check"      # the quiz's Check button ("확인" in the Korean edition)

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", f"{self.action}-{self.target}-{self.option}".lower()).strip("-")


@dataclass
class Lesson:
    relpath: str
    interactions: list[Interaction] = field(default_factory=list)   # on the notebook's widgets
    audio: bool = False                                             # the widget plays a sound
    draws_at_start: bool = True     # shows a result before any interaction (06 waits for "Compare")
    exercise: str = ""              # a checked exercise id: the worked solution is typed in and run


LESSONS = [
    Lesson("00_setup.ipynb"),
    Lesson("week1/01_pipelines.ipynb"),
    Lesson("week1/02_inside_the_pipeline.ipynb"),
    Lesson("week1/02b_inside_a_transformer.ipynb",
           [Interaction("slide", "layer"), Interaction("slide", "head"), Interaction("choose", "token", "1: ␣cat"),
            Interaction("type", "text", "고양이가 매트 위에 앉았다.", widget=1)]),
    Lesson("week2/03_pretraining.ipynb"),
    Lesson("week2/04_fine_tuning.ipynb"),
    Lesson("week3/05_generation_loop_and_randomness.ipynb",
           [Interaction("slide", "temperature"), Interaction("click", "Generate"),
            Interaction("pick", "a) It gets flatter", widget=1, expect="✗ Not this one."),
            Interaction("pick", "c) It gets sharper", widget=1, expect="✓ Right.")],
           exercise="05.top_p"),
    Lesson("week3/06_conditioning.ipynb", [Interaction("click", "Compare")], draws_at_start=False),
    Lesson("week4/07_image_generation.ipynb", [Interaction("slide", "guidance")]),
    Lesson("week4/08_audio_generation.ipynb", [Interaction("slide", "temperature"),
                                              Interaction("type", "opening", "D4 E4 F#4 G4 A4"),
                                              Interaction("type", "description", "a slow sad tune")], audio=True),
    Lesson("week4/09_genai_in_practice.ipynb",
           [Interaction("slide", "tokens"), Interaction("choose", "precision", "fp32")]),
    # the Korean edition: one notebook, run as a Korean learner runs it; its quiz speaks Korean
    Lesson("ko/00_setup.ipynb",
           [Interaction("pick", "a) 레슨이 모델 없이", button="확인", expect="✗ 정답이 아닙니다."),
            Interaction("pick", "b) 오프라인 모델이 있는 역할", button="확인", expect="✓ 맞습니다.")],
           draws_at_start=False),
]
KOREAN = [lesson for lesson in LESSONS if lesson.relpath.startswith("ko/")]


def test_every_notebook_is_listed():
    """Every English notebook, and at least one Korean one (the Korean edition's code and outputs are
    the English run's: tests/test_korean_edition.py)."""
    on_disk = sorted(str(p.relative_to(NOTEBOOKS)) for p in NOTEBOOKS.rglob("*.ipynb")
                     if ".ipynb_checkpoints" not in p.parts and "ko" not in p.relative_to(NOTEBOOKS).parts)
    assert sorted(lesson.relpath for lesson in LESSONS if lesson not in KOREAN) == on_disk
    assert KOREAN and all((NOTEBOOKS / lesson.relpath).exists() for lesson in KOREAN)


def test_lessons_with_widgets_are_exercised():
    """A notebook that displays a widget must have interactions listed here, and vice versa."""
    for lesson in LESSONS:
        if lesson in KOREAN:
            continue
        nb = json.loads((NOTEBOOKS / lesson.relpath).read_text())
        shows_widget = any(re.search(r"^\s*\w+_(widget|playground|explorer)\(", "".join(c["source"]), re.M)
                           for c in nb["cells"] if c["cell_type"] == "code")
        assert shows_widget == bool(lesson.interactions), lesson.relpath


def stored_images(relpath: str, live: bool) -> int:
    """How many images the stored run shows outside widgets. Run live, a widget draws its picture
    inside itself; opened as stored, the widget's static picture (PNG) is shown instead."""
    nb = json.loads((NOTEBOOKS / relpath).read_text())
    return sum(1 for c in nb["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})
               and not (live and WIDGET_VIEW in o["data"]))


def solution_source(exercise_id: str, relpath: str) -> str:
    """The worked solution of a checked exercise, from the solutions edition."""
    nb = json.loads((ROOT / "solutions" / relpath).read_text())
    return next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
                and f'check_exercise("{exercise_id}"' in "".join(c["source"]) and "".join(c["source"]).startswith("# Solution"))


@pytest.fixture(scope="module")
def artifacts() -> Path:
    path = Path(os.environ.get("COURSE_ARTIFACTS_DIR", ROOT / "artifacts")) / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    why = browser_missing()
    if why:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (COURSE_REQUIRE_BROWSER=1) but {why}")
        pytest.skip(why)
    server = JupyterLabServer(NOTEBOOKS, tmp_path_factory.mktemp("lab"),
                              env={"COURSE_MODE": "offline", "TOKENIZERS_PARALLELISM": "false"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.browser
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: Path(lesson.relpath).stem)
def test_notebook_in_jupyterlab(lab, browser, artifacts, lesson):
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    messages = []
    page.on("pageerror", lambda err: messages.append(str(err)))
    stem = Path(lesson.relpath).stem
    nb = None
    try:
        nb = NotebookPage(page, lab, lesson.relpath)
        if lesson.interactions:
            # a widget needs a live kernel: Run All, as a learner does, then use the widget
            result = nb.run_all(RUN_ALL_TIMEOUT_S)
            cells = nb.cell_summary()
            errors = [e for c in cells for e in c["errors"]]
            assert result["ok"] and not errors, f"{lesson.relpath}: Run All stopped: {result} {errors}"
            counts = [c["count"] for c in cells]
            assert counts == list(range(1, len(cells) + 1)), f"not every cell ran once, in order: {counts}"
        else:
            # no widget: nbval has already run every cell; here the stored run must render as a
            # learner (or a reader on GitHub) first sees it, without a second kernel run
            nb.wait_images_decoded()

        shown = nb.rendered()
        assert shown["errors"] == [], shown["errors"]
        assert shown["undecoded_images"] == 0, "an image output did not decode in the browser"
        assert shown["images"] == stored_images(lesson.relpath, live=bool(lesson.interactions)), \
            "the browser shows a different number of plots than the stored run"
        assert shown["broken_widgets"] == [], shown["broken_widgets"]
        page.screenshot(path=str(artifacts / f"{stem}.png"))

        if lesson.interactions:
            assert shown["widget_views"] >= 1, "the lesson's widget did not render"
            cell = nb.widget_cell()
            cell.scroll_into_view_if_needed()
            before = nb.snapshot(cell)
            shown_text = json.loads(before)["text"]
            assert shown_text, "the widget has no Output area"
            if lesson.draws_at_start:
                assert any(t.strip() for t in shown_text), "the widget shows nothing before any interaction"
            cell.screenshot(path=str(artifacts / f"{stem}-widget.png"))
            current = 0
            for step in lesson.interactions:
                if step.widget != current:           # another widget of the notebook: its own cell
                    current, cell = step.widget, nb.widget_cell(step.widget)
                    cell.scroll_into_view_if_needed()
                    before = nb.snapshot(cell)
                if step.action == "slide":
                    was, now = nb.drag_slider(cell, step.target)
                    assert was != now, f"the {step.target} slider did not move ({was})"
                elif step.action == "click":
                    nb.click_button(cell, step.target)
                elif step.action == "type":
                    nb.type_text(cell, step.target, step.option)
                elif step.action == "pick":
                    nb.pick(cell, step.target, step.button)
                else:
                    nb.choose(cell, step.target, step.option)
                after = nb.wait_for_change(cell, before)
                cell.screenshot(path=str(artifacts / f"{stem}-widget-{step.slug}.png"))
                if step.expect:
                    assert any(step.expect in t for t in json.loads(after)["text"]), (step, after)
                before = after
            assert nb.rendered()["errors"] == []
            if lesson.audio:
                assert nb.rendered()["audio"] >= 1, "no playable audio element in the widget"
        if lesson.exercise:
            # the learner writes the function over the stub and runs the cell: the checker answers
            marker = f'check_exercise("{lesson.exercise}"'
            printed = nb.submit_exercise(marker, solution_source(lesson.exercise, lesson.relpath))
            assert printed.startswith("✓"), f"the checker did not accept the worked solution: {printed!r}"
        assert messages == [], f"JavaScript errors in the page: {messages}"
    finally:
        if nb is not None:
            try:
                nb.shutdown_kernel()
            except Exception:   # the page may be gone after a failure; the server stops anyway
                pass
        page.close()
