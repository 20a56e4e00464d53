"""The import contract of course_utils: its parts, their layers, and the arrows allowed between them.

docs/architecture.md draws the same map. A module may import its own part and any part in a
lower layer, never one above; only widgets import ipywidgets; plots import nothing but the kernel;
and no two modules import each other, directly or round a loop. Every module belongs to exactly
one part, so a new module must be placed here (and in the map) before it can be used.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "course_utils"

# layer, part: modules (dotted names inside course_utils). Lower layers know nothing of higher ones.
PARTS = {
    (0, "kernel"): {"errors", "checks", "cache", "device", "seed", "quiet", "claims", "packages"},
    (1, "plots"): {"plots", "inspect"},
    (1, "scoring"): {"scoring"},
    (1, "data"): {"corpora", "tweets", "melodies", "digits", "blocklist", "data_quality"},
    (2, "training"): {"training", "lm", "costs", "lr_schedule", "train_log"},
    (2, "sampling"): {"sampling", "generation", "playground"},
    (3, "models"): {"catalog", "hub", "loading", "offline_models", "sentiment_model"},
    (4, "finetuning"): {"finetune"},
    (4, "generators"): {"diffusion", "text_condition", "text_to_digits", "melody_model", "audio", "gan"},
    (4, "safety"): {"content_filter", "probes"},
    (5, "lesson"): {"__init__", "report", "prepare"},   # `import course_utils as cu`: the lesson's namespace
    (6, "widgets"): {"widgets.__init__", "widgets.audio", "widgets.costs", "widgets.image", "widgets.text"},
}
PART_OF = {m: (layer, part) for (layer, part), mods in PARTS.items() for m in mods}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def imports_of(path: Path) -> tuple[set[str], set[str]]:
    """(course_utils modules imported, third-party top-level packages imported), anywhere in the file
    (imports inside functions count: they are arrows too)."""
    name = module_name(path)
    package = name.split(".")[:-1]
    ours, theirs = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            if node.module:
                ours.add(".".join(base + node.module.split(".")))
            else:                                   # from . import sampling as S
                ours.update(".".join(base + [a.name]) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_utils"):
            ours.add(node.module.removeprefix("course_utils").lstrip(".") or "__init__")
        elif isinstance(node, ast.ImportFrom):
            theirs.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            theirs.update(a.name.split(".")[0] for a in node.names)
    ours = {m if m in PART_OF else f"{m}.__init__" if f"{m}.__init__" in PART_OF else m for m in ours}
    return ours - {name}, theirs


GRAPH = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_exactly_one_part():
    placed = [m for mods in PARTS.values() for m in mods]
    assert len(placed) == len(set(placed)), "a module is listed in two parts"
    assert set(GRAPH) == set(placed), (f"not placed: {sorted(set(GRAPH) - set(placed))}; "
                                       f"listed but missing: {sorted(set(placed) - set(GRAPH))}")


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_or_within_the_part(module):
    layer, part = PART_OF[module]
    for target in sorted(GRAPH[module][0]):
        assert target in PART_OF, f"{module} imports {target}, which is not a course_utils module"
        t_layer, t_part = PART_OF[target]
        assert t_part == part or t_layer < layer, (
            f"{module} ({part}, layer {layer}) imports {target} ({t_part}, layer {t_layer}): arrows must "
            "point to a lower layer (see docs/architecture.md); move the shared piece down instead")


def test_only_widgets_import_ipywidgets_and_plots_stay_plain():
    for module, (ours, theirs) in GRAPH.items():
        if PART_OF[module][1] != "widgets":
            assert "ipywidgets" not in theirs, f"{module} imports ipywidgets: only widgets may"
        if PART_OF[module][1] == "plots":
            assert all(PART_OF[t][1] in ("kernel", "plots") for t in ours), f"{module}: plots import only the kernel"
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
