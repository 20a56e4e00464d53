"""Attention heat maps: who looks (rows, queries) at what (columns, keys), drawn on a pyplot-free Figure.

    from course_utils.plots.attention import attention_heatmap
    attention_heatmap(tokens, probs, highlight=7, title="layer 3, head 2")

Takes data (token strings and a T×T probability matrix), never a model. Redrawn on every slider
move of the attention explorer, so it stays plain: one imshow, fixed margins, no layout solver.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from course_utils.kernel.errors import BadInputError
from course_utils.plots.bars import figure_axes


def attention_heatmap(tokens, probs, *, ax=None, title: str = "", highlight: int | None = None, vmax: float = 1.0):
    """Heat map of attention probabilities: row i = query token i ("who looks"), column j = key token j
    ("looked at"). Each row sums to 1. `highlight` frames one query row. Returns the Figure."""
    tokens = [str(t) for t in tokens]
    p = np.asarray(probs, dtype=float)
    n = len(tokens)
    if n == 0 or p.shape != (n, n):
        raise BadInputError(f"attention_heatmap needs a {n}×{n} matrix for {n} tokens, got shape {p.shape}.")
    if highlight is not None and not (isinstance(highlight, (int, np.integer)) and 0 <= highlight < n):
        raise BadInputError(f"highlight must be a token index from 0 to {n - 1}, got {highlight!r}.")
    # small enough to render fast (pixels and tick labels are most of the time), larger for long texts
    side = min(3.4 + 0.15 * n, 12.0)
    own = ax is None
    fig, ax = figure_axes(ax, size=(side + 0.9, side))
    if own:                                        # room for rotated labels and the colour bar
        fig.subplots_adjust(left=0.22, right=0.92, bottom=0.2, top=0.92)
    # fixed 0..1 scale, so two heads' maps can be compared by colour
    image = ax.imshow(p, cmap="Blues", vmin=0.0, vmax=vmax, interpolation="nearest")
    size = 9 if n <= 20 else 7 if n <= 40 else 5
    ax.set_xticks(range(n), tokens, rotation=90, fontsize=size)
    ax.set_yticks(range(n), tokens, fontsize=size)
    ax.set_xlabel("key: the token looked at")
    ax.set_ylabel("query: the token that looks")
    bar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03, ticks=[0, vmax / 2, vmax])
    bar.set_label("attention probability", fontsize=8)
    bar.ax.tick_params(labelsize=8)
    if highlight is not None:
        ax.add_patch(Rectangle((-0.5, highlight - 0.5), n, 1, fill=False, edgecolor="crimson", linewidth=2))
        label = ax.get_yticklabels()[highlight]
        label.set_color("crimson")
        label.set_fontweight("bold")
    if title:
        ax.set_title(title)
    return fig
