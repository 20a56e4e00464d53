"""The CUDA path, checked and timed on a real GPU (about 3 minutes), when one is lent.

    COURSE_MODE=offline python benchmarks/gpu_check.py [--skip-notebooks]

Needs a CUDA build of torch and the course installed (`bash scripts/run.sh setup`, then
`python -m course_utils.prepare`). Writes benchmarks/results/gpu_check.md. It checks what only a
GPU can break, and measures what a Colab learner waits for:

1. placement and number type: the device, `pick_dtype` (bf16 where the GPU has it natively, fp16
   on a T4), and the text-generation model loaded onto the GPU in that type (load time);
2. generation: greedy `generate` and the hand-written loop (tokens/s, batch 1 and 4);
   a seeded sampled continuation (CPU generator, CUDA logits) that repeats exactly;
   `sample_candidates` (one batched call) on the GPU;
3. the GPU-sensitive lessons 02, 04, 05 and 06 run top to bottom on the GPU in that type, with their
   claims checked (real weights), and how long each took.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("COURSE_MODE", "offline")
os.environ.setdefault("TQDM_DISABLE", "1")

import torch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
OUT = ROOT / "benchmarks" / "results" / "gpu_check.md"
GPU_LESSONS = ("02_inside_the_pipeline", "04_fine_tuning", "05_generation_loop_and_randomness", "06_conditioning")


def timed(fn):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    result = fn()
    torch.cuda.synchronize()
    return result, time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-notebooks", action="store_true", help="only the model checks (about 1 minute)")
    args = parser.parse_args(argv)
    if not torch.cuda.is_available():
        print("gpu_check needs a CUDA GPU (torch.cuda.is_available() is False); nothing to check here.")
        return 2

    import course_utils as cu
    from course_utils.sampling import generation as G
    from course_utils.kernel.device import device_memory_gb

    rows: list[tuple[str, str]] = []
    failures: list[str] = []

    def check(what: str, ok: bool, detail: str = "") -> None:
        rows.append((what, ("ok" if ok else "FAILED") + (f": {detail}" if detail else "")))
        if not ok:
            failures.append(what)

    choice = cu.get_device()
    rows.append(("GPU", f"{torch.cuda.get_device_name(0)}, {device_memory_gb():.0f} GiB"))
    rows.append(("torch / transformers", f"{torch.__version__} / {__import__('transformers').__version__}"))
    rows.append(("number type chosen", str(choice.dtype).replace("torch.", "")))

    lm, load_s = timed(lambda: cu.load_model("text-generation"))
    param = next(lm.model.parameters())
    check("model on the GPU in the chosen type", param.device.type == "cuda" and param.dtype == choice.dtype,
          f"{lm.name}: {param.device}, {param.dtype}; load {load_s:.1f} s")

    tok, model = lm.tokenizer, lm.model
    prompt, n = "Once upon a time", 64
    ids = tok([prompt] * 4, return_tensors="pt").to(model.device)
    for batch in (1, 4):
        _, s = timed(lambda: model.generate(**{k: v[:batch] for k, v in ids.items()}, do_sample=False,
                                            max_new_tokens=n, min_new_tokens=n, pad_token_id=tok.pad_token_id))
        rows.append((f"model.generate, greedy, batch {batch}", f"{batch * n / s:.0f} tokens/s"))
    _, s = timed(lambda: G.generate_by_hand(model, tok, prompt, n))
    rows.append(("hand loop, greedy, batch 1", f"{n / s:.0f} tokens/s"))

    a = G.generate_by_hand(model, tok, prompt, 24, temperature=0.8, seed=3)
    b = G.generate_by_hand(model, tok, prompt, 24, temperature=0.8, seed=3)
    check("seeded sampling on CUDA logits repeats exactly", a.token_ids == b.token_ids, repr(a.text[:60]))
    cands, s = timed(lambda: G.sample_candidates(model, tok, prompt, 8, 24, temperature=0.8, seed=0))
    check("sample_candidates on the GPU", len(cands) == 8 and all(len(c) > 0 for c in cands),
          f"8 x 24 tokens in {s:.2f} s")
    model = lm = None             # free the GPU memory before the lessons load their own models
    torch.cuda.empty_cache()

    if not args.skip_notebooks:
        import run_notebook
        for name in GPU_LESSONS:
            path = next((ROOT / "solutions").rglob(f"{name}.ipynb"))
            try:
                nb, s = run_notebook.run(path, {"COURSE_CLAIMS": "check"})
                out = run_notebook.text_outputs(nb)
                check(f"lesson {name[:2]} on the GPU, claims checked", "device: cuda" in out,
                      f"{s:.0f} s, {out.count('✓ claim')} claims held")
            except Exception as err:   # the cell's traceback, shortened
                check(f"lesson {name[:2]} on the GPU, claims checked", False, str(err).splitlines()[-1][:200])

    lines = ["# GPU check (CUDA path)", "", "Command: `COURSE_MODE=offline python benchmarks/gpu_check.py`", "",
             "| check or measurement | result |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {OUT}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
