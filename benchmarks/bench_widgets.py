"""Slider to redrawn plot: how long a widget takes to show its new figure (issue 15: goal < 100 ms).

    python benchmarks/bench_widgets.py

For the two widgets whose sliders redraw a plot from cached model outputs (the Week 3 sampling
playground, the attention explorer of 02b) it times, median of 15 moves after a warm-up:
the plain function the widget calls (new Figure) plus the PNG the notebook receives, both the way
Jupyter renders a Figure by itself (IPython's print_figure: a tight bounding box, so it draws
twice) and the way `course_utils.widgets.output.show_view` renders it (one savefig at a fixed size).
The image widget (07, guidance slider) and the melody widget (08, temperature slider) generate on a
new setting (16 digits through the denoiser; a melody, its sound and its piano roll): they are timed
on a setting not seen before and on one seen before (their results are cached), with the models
trained as in the lessons. Offline models, CPU. Prints a Markdown table for the README.
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
    print()
    generating()
    return 0


def generating() -> None:
    """The widgets that generate on a new setting: first visit vs a revisit (cached)."""
    from course_utils.data.melodies import load_melodies, split_melodies
    from course_utils.generators import melody_model as MM
    from course_utils.generators import text_to_digits as TT
    from course_utils.generators.text_to_digits import prompt_figure, render_prompt

    t2d, _ = TT.train_text_to_digits(steps=1500, seed=0)                    # as lesson 07
    tok = MM.MelodyTokenizer()
    model = MM.new_melody_model(tok, n_layer=2, n_embd=64, n_head=4, seed=0)  # as lesson 08
    train_mels, _ = split_melodies(load_melodies(), val_share=0.1, seed=0)
    MM.train_melody_model(model, tok, train_mels, steps=300, batch_size=32, lr=5e-3, seed=0)
    widgets = {
        "image widget (guidance slider)":
            lambda g: figure_png(prompt_figure(render_prompt(t2d, "a handwritten seven", g, 0, t2d.schedule.T, 16))),
        "melody widget (temperature slider)": lambda t: melody_view(MM.compose_melody(
            model, tok, condition="minor", temperature=t, seed=0)),
    }
    def melody_view(comp):                 # what the widget sends: the piano roll and the player
        from IPython.display import Audio
        return figure_png(comp.figure), Audio(comp.wave, rate=comp.sample_rate).data

    settings = {"image widget (guidance slider)": [0.5 * i for i in range(13)],
                "melody widget (temperature slider)": [round(0.2 + 0.1 * i, 1) for i in range(19)]}
    print("| widget | a new setting (generates) | a setting seen before (cached) |")
    print("|---|---|---|")
    for name, show in widgets.items():
        show(settings[name][-1])                                        # warm-up
        new, again = [], []
        for value in settings[name][:-1]:
            t0 = time.perf_counter()
            show(value)
            new.append(time.perf_counter() - t0)
        for value in settings[name][:-1]:
            t0 = time.perf_counter()
            show(value)
            again.append(time.perf_counter() - t0)
        print(f"| {name} | {statistics.median(new) * 1000:.0f} ms | {statistics.median(again) * 1000:.0f} ms |",
              flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
