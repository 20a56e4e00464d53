"""The Colab setup cell: the same in every notebook, safe to run twice, keeps Colab's torch and ipywidgets."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import repo  # noqa: E402

NOTEBOOKS = repo.notebooks()
REPO_URL = f"https://github.com/{repo.repo_slug()}"


def test_the_repository_is_named_in_one_place():
    """pyproject.toml names it; sources carry the placeholder; every built notebook the same name."""
    slug = repo.repo_slug()
    for src in sorted((ROOT / "tools" / "notebook_sources").glob("*.py")):
        text = src.read_text(encoding="utf-8")
        assert repo.PLACEHOLDER in text and slug not in text, f"{src.name}: write {repo.PLACEHOLDER}, not the name"
    for nb in NOTEBOOKS:
        text = nb.read_text(encoding="utf-8")
        assert repo.PLACEHOLDER not in text and f"colab.research.google.com/github/{slug}/blob/main/" in text, nb.name


def colab_command(nb_path: Path) -> str:
    """The shell command the setup cell runs on Colab (the string given to subprocess.run)."""
    nb = json.loads(nb_path.read_text())
    code = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "subprocess.run":
            return ast.literal_eval(node.args[0])
    raise AssertionError(f"{nb_path.name}: no subprocess.run(...) in the setup cell")


def test_every_notebook_runs_the_same_colab_setup():
    commands = {colab_command(p) for p in NOTEBOOKS}
    assert len(commands) == 1, commands
    assert REPO_URL in commands.pop()


def test_setup_command_can_run_twice(tmp_path):
    """Learners re-run the first cell; the second run must reuse the clone, not fail on it."""
    target = tmp_path / "workbook"
    cmd = (colab_command(NOTEBOOKS[0]).replace(REPO_URL, str(ROOT)).replace("/content/workbook", str(target))
           .replace("bash ", "echo would run "))
    for _ in range(2):
        done = subprocess.run(cmd, shell=True, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "would run" in done.stdout
    assert (target / "scripts" / "colab_setup.sh").is_file()


def test_colab_install_keeps_colabs_torch_and_ipywidgets():
    script = (ROOT / "scripts" / "colab_setup.sh").read_text()
    installs = [line for line in script.splitlines() if re.match(r"\s*pip install", line)]
    assert installs, "the script installs the workbook's packages"
    for line in installs:
        assert not re.search(r"\b(torch|ipywidgets|jupyterlab)\b", line), line
        if "-r " in line or "-e " in line:
            assert "--no-deps" in line, f"would let pip replace Colab's packages: {line}"


def test_colab_install_brings_every_package_the_lessons_need_at_its_tested_bound():
    """datasets (04 online), diffusers (07 online) and peft/transformers at the bounds CI tests."""
    import subprocess
    script = ROOT / "scripts" / "colab_setup.sh"
    line = next(l for l in script.read_text().splitlines() if l.startswith("specs="))
    specs = subprocess.run(["bash", "-c", line[len("specs="):].strip("$()")], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    names = {s.split(">=")[0] for s in specs}
    assert {"transformers", "peft", "datasets", "gguf", "music21", "accelerate", "nbval"} <= names, names
    assert all(">=" in s for s in specs)
    assert "diffusers" in script.read_text()
