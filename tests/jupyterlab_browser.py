"""Drive a real JupyterLab in headless Chromium, as a learner would use it (tests only).

A JupyterLab server is started on 127.0.0.1 with an empty token, on a temporary copy of the
notebooks (so nothing under notebooks/ is ever rewritten); Playwright for Python drives Debian's
`chromium` (set COURSE_CHROMIUM to use another binary). The page exposes `window.jupyterapp`
(LabApp.expose_app_in_browser) so that the tests use Lab's own commands, the same ones the
Run menu calls, instead of guessing at keyboard shortcuts.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Without the networking flags Chromium keeps dialling Google's services, which this machine's
# closed network refuses (REFERENCE.md); --no-sandbox because CI runs as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]

# Lab settings for a test: every cell in the DOM (no virtual scrolling, so outputs far down a
# notebook can be checked) and no news or update checks (no network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
}


def find_chromium() -> str | None:
    """The Chromium binary to drive: $COURSE_CHROMIUM, else `chromium` on PATH."""
    return os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here (None when they can), and how to fix it."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if not find_chromium():
        return "Chromium is not installed (Debian: apt-get install chromium; or set COURSE_CHROMIUM)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLabServer:
    """`jupyter lab` on a copy of `notebooks`, in the current Python environment."""

    def __init__(self, notebooks: Path, workdir: Path, env: dict | None = None):
        self.root = workdir / "notebooks"
        shutil.copytree(notebooks, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = workdir / "lab-settings"
        for name, value in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(value))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "jupyterlab.log"
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--IdentityProvider.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={self.root}", "--LabApp.expose_app_in_browser=True",
               f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={workdir / 'workspaces'}"]
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        try:
            self._wait_until_up()
        except BaseException:   # the fixture never gets this object: stop the server here
            self.stop()
            raise

    def _wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                urllib.request.urlopen(self.url + "/api/status", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


# JavaScript run in the page. `panel` is the notebook panel Lab shows (undefined while the page
# is still loading: the app object appears only once Lab has started).
_NB = "const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;"

_SNAPSHOT_JS = """(cell) => {
  // What the kernel drew in the widget's Output areas: their text and a fingerprint of each
  // image (not the controls: a slider's readout changes in the browser before the kernel answers).
  const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i += 7) h = (h * 31 + s.charCodeAt(i)) | 0; return h; };
  const outs = Array.from(cell.querySelectorAll('.widget-output'));
  const imgs = Array.from(cell.querySelectorAll('.widget-output img')).map(i => hash(i.src) + ':' + i.naturalWidth);
  return JSON.stringify({text: outs.map(o => o.innerText), imgs});
}"""


class NotebookPage:
    """One notebook open in JupyterLab, with the checks the browser tests make."""

    def __init__(self, page, server: JupyterLabServer, relpath: str):
        self.page, self.relpath = page, relpath
        # ?reset: a fresh workspace, so notebooks opened by earlier tests do not reopen (and start kernels)
        page.goto(f"{server.url}/lab/tree/{relpath}?reset")
        page.wait_for_function(
            f"() => {{ {_NB} return panel && panel.sessionContext && panel.sessionContext.session"
            " && panel.sessionContext.session.kernel"
            " && panel.sessionContext.session.kernel.status === 'idle'; }", timeout=120_000)

    def run_all(self, timeout_s: float) -> dict:
        """Clear every output, then Run > Run All Cells; wait until the kernel is done."""
        self.page.evaluate(f"""async () => {{ {_NB}
            await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
            window.__runAll = {{done: false}};
            const t0 = Date.now();
            window.jupyterapp.commands.execute('notebook:run-all-cells').then(
                ok => window.__runAll = {{done: true, ok: ok, ms: Date.now() - t0}},
                err => window.__runAll = {{done: true, ok: false, error: String(err), ms: Date.now() - t0}});
        }}""")
        self.page.wait_for_function("() => window.__runAll.done", timeout=timeout_s * 1000, polling=1000)
        self.wait_idle()
        return self.page.evaluate("() => window.__runAll")

    def wait_images_decoded(self, timeout_s: float = 60) -> None:
        """Wait until every output image on the page has loaded (stored outputs render lazily)."""
        self.page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.jp-Cell-outputArea img'))"
            ".every(i => i.complete && i.naturalWidth > 0)", timeout=timeout_s * 1000, polling=250)

    def wait_idle(self, timeout_s: float = 120) -> None:
        self.page.wait_for_function(
            f"() => {{ {_NB} return panel.sessionContext.session.kernel.status === 'idle'; }}",
            timeout=timeout_s * 1000, polling=250)

    def cell_summary(self) -> list[dict]:
        """Per code cell: execution count, output types, and error names (from Lab's own model)."""
        return self.page.evaluate(f"""() => {{ {_NB}
            return panel.content.widgets.filter(c => c.model.type === 'code').map(c => {{
              const outs = c.model.outputs.toJSON();
              return {{count: c.model.executionCount, types: outs.map(o => o.output_type),
                       errors: outs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)}};
            }}); }}""")

    def rendered(self) -> dict:
        """What the page shows: error outputs, images (and whether they decoded), widget views."""
        return self.page.evaluate("""() => {
          const inWidget = (el) => el.closest('.jupyter-widgets') !== null;
          const imgs = Array.from(document.querySelectorAll('.jp-Cell-outputArea img'));
          const views = Array.from(document.querySelectorAll('.jp-Cell-outputArea > * > .jp-OutputArea-output'))
                             .filter(o => o.querySelector(':scope > .jupyter-widgets'));
          const outputs = Array.from(document.querySelectorAll('.jp-Cell-outputArea .jp-OutputArea-output'));
          return {
            errors: Array.from(document.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]'))
                      .map(e => e.innerText.slice(0, 400)),
            images: imgs.filter(i => !inWidget(i)).length,
            undecoded_images: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length,
            widget_views: views.length,
            broken_widgets: outputs.filter(o => /^(Loading widget|Error displaying widget)/
                                             .test(o.innerText.trim())).map(o => o.innerText.slice(0, 200)),
            audio: Array.from(document.querySelectorAll('.jp-Cell-outputArea audio'))
                     .filter(a => (a.src || (a.querySelector('source') || {}).src || '').length > 100).length,
          }; }""")

    def widget_cell(self, nth: int = 0):
        """The nth code cell showing a lesson widget: controls and an Output (a training loop's
        progress bar is a widget too, but has no Output)."""
        return self.page.locator(".jp-CodeCell").filter(
            has=self.page.locator(".jupyter-widgets .widget-output")).nth(nth)

    def snapshot(self, cell) -> str:
        return cell.evaluate(_SNAPSHOT_JS)

    def wait_for_change(self, cell, before: str, timeout_s: float = 120) -> str:
        """Wait until the widget shows something else than `before`, and the kernel is idle."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(400)
            now = self.snapshot(cell)
            if now != before:
                self.wait_idle()
                self.page.wait_for_timeout(300)   # let the last redraw land
                return self.snapshot(cell)
        raise AssertionError(f"{self.relpath}: the widget output did not change within {timeout_s:.0f} s")

    def drag_slider(self, cell, label: str, fraction: float = 0.25) -> tuple[str, str]:
        """Drag the slider labelled `label` right by `fraction` of its track, with the mouse;
        returns its readout before and after."""
        slider = cell.locator(".widget-slider").filter(has=self.page.locator(".widget-label", has_text=label))
        readout = slider.locator(".widget-readout").first
        was = readout.inner_text()
        handle = slider.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        track = slider.locator(".noUi-target").first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        mouse = self.page.mouse
        mouse.move(x, y)
        mouse.down()
        mouse.move(x + fraction * track["width"], y, steps=8)
        mouse.up()
        return was, readout.inner_text()

    def click_button(self, cell, text: str) -> None:
        cell.locator("button.widget-button", has_text=text).first.click()

    def type_text(self, cell, label: str, text: str) -> None:
        """Replace the text in the box labelled `label` and press Enter (a Text with
        continuous_update=False applies its value then)."""
        box = cell.locator(".widget-text").filter(has=self.page.locator(".widget-label", has_text=label))
        field = box.locator("input").first
        field.fill(text)
        field.press("Enter")

    def pick(self, cell, option: str, button: str = "Check") -> None:
        """Click the radio button whose label starts with `option` (a quiz answer), then the Check
        button (labelled `button`) of the same question."""
        label = self.page.locator(".widget-radio-box label", has_text=option)   # relative, for filter(has=)
        cell.locator(".widget-radio-box label", has_text=option).first.click()
        question = cell.locator(".widget-vbox").filter(has=label).last
        question.locator("button.widget-button", has_text=button).first.click()

    def submit_exercise(self, marker: str, source: str, timeout_s: float = 60) -> str:
        """Put `source` into the code cell that contains `marker` (as a learner typing their answer
        over the stub), run that cell, and return the text it printed."""
        index = self.page.evaluate(f"""async ([marker, source]) => {{ {_NB}
            const nb = panel.content;
            const i = nb.widgets.findIndex(c => c.model.type === 'code' && c.model.sharedModel.getSource().includes(marker));
            if (i < 0) return -1;
            nb.widgets[i].model.sharedModel.setSource(source);
            nb.activeCellIndex = i;
            await window.jupyterapp.commands.execute('notebook:run-cell');
            return i; }}""", [marker, source])
        assert index >= 0, f"{self.relpath}: no cell contains {marker!r}"
        self.page.wait_for_timeout(500)
        self.wait_idle(timeout_s)
        return self.page.evaluate(f"""(i) => {{ {_NB}
            return panel.content.widgets[i].model.outputs.toJSON().map(o =>
              o.text ? [].concat(o.text).join('') : (o.data && o.data['text/plain'] ? [].concat(o.data['text/plain']).join('') : '')
            ).join(''); }}""", index)

    def choose(self, cell, label: str, option: str) -> None:
        """Pick `option` in the dropdown labelled `label`."""
        dd = cell.locator(".widget-dropdown").filter(has=self.page.locator(".widget-label", has_text=label))
        dd.locator("select").select_option(label=option)

    def shutdown_kernel(self) -> None:
        self.page.evaluate(f"async () => {{ {_NB} await panel.sessionContext.shutdown(); }}")
