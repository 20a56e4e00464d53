"""Build every offline model and dataset the lessons cache, before any lesson runs.

    python -m course_utils.prepare

Each is otherwise built on first use inside a lesson (with the library's progress bars), which
is fine for a learner but makes a first run look different from later ones. `scripts/run.sh
test` calls this first, so every notebook the tests run meets the same, warm cache whatever
order the tests run in. Already-built entries are only checked (well under a second each).
"""
from __future__ import annotations

import time
from pathlib import Path


def _steps():
    from course_utils.data.melodies import melodies_dir
    from course_utils.models.offline import minilm_dir, smollm2_dir
    from course_utils.models.sentiment import offline_sentiment_dir

    # (label, build, beside): `beside` runs in a thread next to the others (file reading and numpy on one
    # core, while the sentiment model trains on every core)
    return [
        ("SmolLM2-135M-Instruct: GGUF -> bf16 safetensors", smollm2_dir, True),
        ("all-MiniLM-L6-v2 sentence encoder (package files)", minilm_dir, False),
        ("3-class tweet sentiment model (MiniLM fine-tuned)", offline_sentiment_dir, False),
        ("Essen folk-song melodies (music21 corpus)", melodies_dir, False),
    ]


def prepare_offline(verbose: bool = True) -> dict[str, tuple[Path, float]]:
    """Build (or check) each cached entry; returns its folder and the seconds it took. The steps
    marked `beside` run in a thread next to the others: together they finish sooner."""
    from concurrent.futures import ThreadPoolExecutor

    from course_utils.kernel.quiet import quiet_libraries

    quiet_libraries()
    ready = {}

    def run(label, build):
        t0 = time.perf_counter()
        folder = build()
        ready[label] = (folder, time.perf_counter() - t0)
        if verbose:
            # one write per line (newline included): the two threads' lines never run together
            print(f"  {label}: ready in {folder.name} ({ready[label][1]:.1f} s)\n", end="", flush=True)

    steps = _steps()
    with ThreadPoolExecutor(max_workers=1) as thread:
        started = [thread.submit(run, label, build) for label, build, beside in steps if beside]
        for label, build, beside in steps:
            if not beside:
                run(label, build)
        for future in started:
            future.result()          # its error, if any, is raised here
    return {label: ready[label] for label, _, _ in steps}


if __name__ == "__main__":
    from course_utils.kernel.cache import cache_root

    print(f"== preparing offline models and data in {cache_root()}")
    prepare_offline()
