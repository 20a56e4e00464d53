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


def run_script():
    import importlib.util
    spec = importlib.util.spec_from_file_location("course_run_script", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def imports_reachable_from(start: str) -> dict[str, str]:
    """Third-party top-level modules imported anywhere (module level or inside a function) in the
    course_utils modules that `start` reaches: {module: the course_utils module importing it}."""
    import ast
    import sys

    def source(name):
        path = ROOT.joinpath(*name.split("."))
        return next((p for p in (path / "__init__.py", path.with_suffix(".py")) if p.exists()), None)

    seen, found, todo = set(), {}, [start]
    while todo:
        name = todo.pop()
        if name in seen or source(name) is None:
            continue
        seen.add(name)
        todo += [".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)]   # parent packages run too
        for node in ast.walk(ast.parse(source(name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                top = target.split(".")[0]
                if top == "course_utils":
                    todo.append(target)
                elif top not in sys.stdlib_module_names and top != "__future__":
                    found.setdefault(top, name)
    return found


def dependency_closure(names) -> set[str]:
    """These distributions and everything they require (as installed here, extras aside)."""
    from importlib.metadata import PackageNotFoundError, requires
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    closure, todo = set(), [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in closure:
            continue
        closure.add(name)
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in needs:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return closure


def test_the_test_command_installs_what_the_preparation_imports_before_starting_it():
    """run.py starts `python -m course_utils.prepare` when torch, requirements-offline.txt and the
    PREPARE_NEEDS lines of requirements.txt are in: every library the preparation's code imports must be
    among those or their dependencies (else the early start fails and run.py prepares again, later)."""
    from importlib.metadata import packages_distributions
    from packaging.utils import canonicalize_name

    script = run_script()
    bounds = specs("requirements.txt", ">=")
    early = script.PREPARE_NEEDS + script.RESOLVED_WITH_PREPARE     # what run.py installs before preparing
    lines = script.requirement_lines(early)
    assert sorted(line.split(">=")[0].lower() for line in lines) == sorted(early)   # requirements.txt's order
    assert all(line.split(">=")[0].lower() in bounds for line in lines)
    offline = [line.split("==")[0] for line in (ROOT / "requirements-offline.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    # the offline packages install with --no-deps: themselves, not what they declare
    installed_first = dependency_closure(["torch", *script.PREPARE_NEEDS]) | {canonicalize_name(n) for n in offline}
    owners = packages_distributions()
    missing = {module: where for module, where in imports_reachable_from("course_utils.prepare").items()
               if not {canonicalize_name(d) for d in owners.get(module, [module])} & installed_first}
    assert missing == {}, f"imported by the preparation but installed after it starts: {missing}"


def test_the_reachability_check_sees_a_library_imported_inside_a_function():
    """The check above must not pass by missing imports: the sentiment model's training imports
    sklearn inside a function, peft is imported by lesson 04's helpers and not by the preparation."""
    found = imports_reachable_from("course_utils.prepare")
    assert {"sklearn", "music21", "transformers", "safetensors"} <= found.keys()
    assert "peft" not in found and "peft" in imports_reachable_from("course_utils.finetuning.finetune")
