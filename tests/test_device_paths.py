"""Static checks that the notebooks and course_utils never mix devices on a GPU.

On Colab every lesson runs on CUDA; two mistakes crash there and never on a CPU: a tokenizer's
output (CPU tensors) fed to a model on the GPU, and a seeded CPU generator passed to
torch.multinomial on GPU logits. These checks read the sources, so they fail here.
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "tools" / "notebook_sources").glob("*.py"))
PACKAGE = sorted((ROOT / "course_utils").rglob("*.py"))
CPU_ON_PURPOSE = "stays on the CPU"


def code_lines(path: Path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.lstrip().startswith("#"):
            yield number, line


def test_notebook_sources_are_found():
    assert len(SOURCES) >= 10 and len(PACKAGE) >= 20


def test_every_tokenizer_output_goes_to_a_device_or_says_why_not():
    bad = [f"{p.name}:{n}: {line.strip()}" for p in SOURCES for n, line in code_lines(p)
           if 'return_tensors="pt")' in line and ".to(" not in line and CPU_ON_PURPOSE not in line]
    assert not bad, ("tokenizer outputs must be moved where the model is (`.to(model.device)` or "
                     f"`.to(device.device)`), or say '# {CPU_ON_PURPOSE}: why':\n" + "\n".join(bad))


def test_only_the_sampling_module_draws_tokens():
    # sampling.sample_next draws on the generator's device and returns the token to the logits'
    # device; a direct torch.multinomial(..., generator=cpu_generator) on CUDA logits crashes
    draws = re.compile(r"torch\.multinomial\(")
    where = sorted({p.relative_to(ROOT).as_posix() for p in PACKAGE + SOURCES
                    for _, line in code_lines(p) if draws.search(line)})
    assert where == ["course_utils/sampling/logits.py"], f"torch.multinomial outside sampling.py: {where}"
