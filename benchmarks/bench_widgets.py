"""Slider to redrawn plot: how long a widget takes to show its new figure (issue 15: goal < 100 ms).

    python benchmarks/bench_widgets.py

For the two widgets whose sliders redraw a plot from cached model outputs (the Week 3 sampling
playground, the attention explorer of 02b) it times, median of 15 moves after a warm-up:
the plain function the widget calls (new Figure) plus the PNG the notebook receives, both the way
Jupyter renders a Figure by itself (IPython's print_figure: a tight bounding box, so it draws
twice) and the way `course_utils.widgets.output.show_view` renders it (one savefig at a fixed size).
Offline models, CPU. Prints a Markdown table for the README.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import course_utils as cu  # noqa: E402
from course_utils.models import anatomy  # noqa: E402
from course_utils.sampling.playground import sampling_view  # noqa: E402
from course_utils.widgets.output import figure_png  # noqa: E402


def jupyter_png(fig) -> bytes:
    from IPython.core.pylabtools import print_figure
    return print_figure(fig, "png")


def timed(make_figure, render, moves) -> float:
    make_figure(moves[0]), render(make_figure(moves[0]))          # warm-up: caches, fonts
    times = []
    for m in moves:
        t0 = time.perf_counter()
        render(make_figure(m))
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    cu.setup_lesson(mode="offline")
    chat = cu.load_model("chat", attn_implementation="eager", verbose=False)
    text = "The cat sat on the mat because it was tired."
    widgets = {
        "sampling playground (temperature slider)":
            (lambda t: sampling_view(chat.model, chat.tokenizer, "Once upon a time", t, 0, 1.0)[0],
             [0.2 + 0.1 * i for i in range(15)]),
        "attention explorer (layer slider)":
            (lambda layer: anatomy.attention_view(chat.model, chat.tokenizer, text, layer, 3, 7)[0],
             list(range(15))),
    }
    print("| widget | Jupyter's own PNG (tight box) | show_view's PNG |")
    print("|---|---|---|")
    for name, (make, moves) in widgets.items():
        jup = timed(make, jupyter_png, moves)
        ours = timed(make, figure_png, moves)
        print(f"| {name} | {jup:.0f} ms | {ours:.0f} ms |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
