"""The lower bounds in requirements.txt are the versions CI really tests (requirements-min.txt)."""
import re
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def specs(name: str, op: str) -> dict[str, Version]:
    out = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*" + re.escape(op) + r"\s*([0-9][0-9.]*)", line)
            assert m, f"{name}: {line!r} is not 'package{op}version'"
            out[m[1].lower()] = Version(m[2])
    return out


def test_every_lower_bound_is_the_tested_minimum():
    bounds, tested = specs("requirements.txt", ">="), specs("requirements-min.txt", "==")
    assert bounds.keys() == tested.keys(), "the same packages in both files"
    differ = {k: (str(bounds[k]), str(tested[k])) for k in bounds if bounds[k] != tested[k]}
    assert differ == {}, f"bound vs tested minimum: {differ}"


def test_pyproject_bounds_agree():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = text[text.index("dependencies = ["):]      # the project's dependencies, not the build system's
    text = text[:text.index("]")]
    bounds = specs("requirements.txt", ">=")
    for name, version in re.findall(r'"([A-Za-z0-9_.-]+)>=([0-9.]+)"', text):
        assert Version(version) == bounds[name.lower()], f"pyproject {name}>={version} vs requirements.txt"


def test_run_py_default_torch_is_the_bound():
    run = (ROOT / "scripts" / "run.py").read_text(encoding="utf-8")
    torch_bound = specs("requirements.txt", ">=")["torch"]
    assert set(re.findall(r"torch>=([0-9.]+)", run)) == {str(torch_bound)}


def test_the_entry_point_works_without_bash():
    """run.sh only hands over to run.py, the entry point Windows learners call directly; run.py
    reaches nothing POSIX-only (no bin/ paths, no uid) unguarded."""
    sh = [line for line in (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.startswith("#")]
    assert sh[-1] == 'exec "${PYTHON:-python3}" scripts/run.py "$@"'
    py = (ROOT / "scripts" / "run.py").read_text(encoding="utf-8")
    assert 'Scripts/python.exe' in py and "os.pathsep" in py
    assert "os.getuid" not in py.replace('hasattr(os, "getuid") and os.getuid()', "")


def test_the_entry_point_refuses_an_unknown_command():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "run.py"), "tset"], capture_output=True, text=True)
    assert done.returncode == 2 and "usage: python scripts/run.py [lab|test|setup]" in done.stderr
