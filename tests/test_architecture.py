"""The import contract of course_utils: its parts, their layers, and the arrows allowed between them.

Each part is a folder of course_utils (kernel/, data/, training/, ...); the top-level modules
(`__init__`, `lesson`, `prepare`) are the lesson layer. docs/architecture.md draws the same map.
A module may import its own part and any part in a lower layer, never one above; only widgets
import ipywidgets; plots import nothing but the kernel and take data, not models; and no two
modules import each other, directly or round a loop.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course_utils"

# part: layer. Lower layers know nothing of higher ones.
LAYERS = {"kernel": 0, "plots": 1, "data": 1, "training": 2, "sampling": 3, "models": 4,
          "finetuning": 5, "generators": 5, "safety": 5, "lesson": 6, "learn": 6, "widgets": 7}
LESSON_MODULES = {"__init__", "lesson", "prepare"}     # `import course_utils as cu`: the lesson's namespace


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part_of(module: str) -> str:
    return module.split(".")[0] if "." in module else "lesson"


def resolve(dotted: str) -> str:
    """A course_utils-relative dotted name -> the module it loads ('kernel' -> 'kernel.__init__')."""
    dotted = dotted or "__init__"
    return dotted if dotted in MODULES else f"{dotted}.__init__"


def imports_in(name: str, source: str) -> tuple[set[str], set[str]]:
    """(course_utils modules imported, third-party top-level packages imported) by module `name`,
    anywhere in its source (imports inside functions count: they are arrows too)."""
    package = name.split(".")[:-1]
    ours, theirs = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + (node.module or "").split("."))
            elif (node.module or "").split(".")[0] == "course_utils":
                base = node.module.removeprefix("course_utils").lstrip(".")
            else:
                theirs.add(node.module.split(".")[0])
                continue
            base = base.strip(".")
            for alias in node.names:             # `from course_utils.kernel import cache` imports a module
                sub = f"{base}.{alias.name}".strip(".")
                ours.add(sub if sub in MODULES or f"{sub}.__init__" in MODULES else resolve(base))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "course_utils":
                    ours.add(resolve(a.name.removeprefix("course_utils").lstrip(".")))
                else:
                    theirs.add(a.name.split(".")[0])
    ours = {resolve(m) if m not in MODULES else m for m in ours}
    return ours - {name}, theirs


GRAPH = {m: imports_in(m, p.read_text(encoding="utf-8")) for m, p in MODULES.items()}


def test_every_module_sits_in_a_part_with_a_map_line():
    for m in MODULES:
        part = part_of(m)
        assert part in LAYERS, f"course_utils/{m.replace('.', '/')}.py is in no part: put it in one of {sorted(LAYERS)}"
        if part == "lesson":
            assert m in LESSON_MODULES, f"{m}: top-level modules are only {sorted(LESSON_MODULES)}; put it in a part folder"
    for part in set(LAYERS) - {"lesson"}:
        init = PACKAGE / part / "__init__.py"
        assert init.exists(), f"part {part} has no folder course_utils/{part}/"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"course_utils/{part}/__init__.py needs a docstring: its line in the package map"


def test_the_map_names_every_module():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [m for m in MODULES if not m.endswith("__init__") and f"`{m.split('.')[-1]}`" not in text]
    assert not missing, f"docs/architecture.md does not mention {missing}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_or_within_the_part(module):
    part = part_of(module)
    for target in sorted(GRAPH[module][0]):
        assert target in MODULES, f"{module} imports {target}, which is not a course_utils module"
        t_part = part_of(target)
        assert t_part == part or LAYERS[t_part] < LAYERS[part], (
            f"{module} ({part}, layer {LAYERS[part]}) imports {target} ({t_part}, layer {LAYERS[t_part]}): "
            "arrows must point to a lower layer (see docs/architecture.md); move the shared piece down instead")


def test_only_widgets_import_ipywidgets_and_plots_stay_plain():
    for module, (ours, theirs) in GRAPH.items():
        if part_of(module) != "widgets":
            assert "ipywidgets" not in theirs, f"{module} imports ipywidgets: only widgets may"
        if part_of(module) == "plots":
            assert all(part_of(t) in ("kernel", "plots") for t in ours), f"{module}: plots import only the kernel"
            assert not {"transformers", "peft"} & theirs, f"{module}: plots take data, not models"


def test_no_import_cycles():
    seen, done = [], set()

    def visit(m):
        if m in done:
            return
        assert m not in seen, "import cycle: " + " -> ".join(seen[seen.index(m):] + [m])
        seen.append(m)
        for t in GRAPH[m][0]:
            if t in GRAPH:
                visit(t)
        seen.pop()
        done.add(m)

    for m in GRAPH:
        visit(m)


def test_the_checker_reads_every_import_form():
    """The contract is only as good as its reading of imports: each form a module can use."""
    forms = {"from course_utils.models import loading": {"models.loading"},
             "from course_utils.models.loading import load_model": {"models.loading"},
             "from ..models import loading as L": {"models.loading"},
             "from . import errors": {"kernel.errors"},
             "import course_utils.models.hub": {"models.hub"},
             "def f():\n    from course_utils import claim": {"__init__"}}
    for source, want in forms.items():
        assert imports_in("kernel.probe", source)[0] == want, source
    assert imports_in("kernel.probe", "import ipywidgets as W")[1] == {"ipywidgets"}


def test_a_module_has_one_name_in_every_notebook_and_test():
    """`from course_utils.sampling import generation as G` everywhere, never G here and gen there."""
    import re
    names: dict[str, set[str]] = {}
    for folder in ("tools/notebook_sources", "tests", "benchmarks"):
        for path in (ROOT / folder).glob("*.py"):
            for part, mod, alias in re.findall(r"^\s*from course_utils\.(\w+) import (\w+)(?: as (\w+))?\s*(?:#.*)?$",
                                               path.read_text(encoding="utf-8"), flags=re.M):
                if f"{part}.{mod}" in MODULES:
                    names.setdefault(f"{part}.{mod}", set()).add(alias or mod)
    assert names, "no part module imports found: the pattern is out of date"
    several = {m: sorted(n) for m, n in names.items() if len(n) > 1}
    assert not several, f"modules imported under several names: {several} (docs/architecture.md lists one each)"


def test_nothing_is_posix_only():
    """Learners run Windows and macOS laptops too: no module may need a POSIX-only library."""
    posix_only = {"fcntl", "termios", "pwd", "grp", "resource", "posix"}
    used = {m: sorted(theirs & posix_only) for m, (_, theirs) in GRAPH.items() if theirs & posix_only}
    assert not used, f"POSIX-only imports (use a portable library, e.g. filelock): {used}"
