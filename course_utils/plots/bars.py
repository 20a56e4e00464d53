"""Plots of next-token distributions, drawn on matplotlib Figures (not pyplot).

Each function draws on `ax` if given (a notebook: `fig, ax = plt.subplots()`, then
`plt.show()`), or on a new `matplotlib.figure.Figure` that it returns (a widget:
`out.append_display_data(fig)`; nothing is left open in pyplot's global list).
"""
from __future__ import annotations

import torch
from matplotlib.figure import Figure

from course_utils.kernel.errors import BadInputError


def figure_axes(ax, size=(6.4, 3.2), ncols=1):
    """(figure, axes): the given `ax` and its figure, or a new pyplot-free Figure of `size`."""
    if ax is not None:
        return ax.figure, ax
    # fixed margins instead of layout="constrained": the layout solver nearly doubles the
    # time to render a PNG, and a widget redraws on every slider move
    fig = Figure(figsize=size)
    fig.subplots_adjust(left=0.2, right=0.97, bottom=0.15, top=0.9, wspace=0.5)
    return fig, fig.subplots(1, ncols)


def _probs(values) -> torch.Tensor:
    """Accept probabilities or logits (anything outside [0, 1] or not summing to 1 is logits)."""
    t = torch.as_tensor(values).float().flatten()
    if t.numel() == 0:
        raise BadInputError("nothing to plot: the distribution is empty.")
    is_probs = bool(((t >= 0) & (t <= 1)).all()) and abs(float(t.sum()) - 1) < 1e-3
    return t if is_probs else torch.softmax(t, -1)


def token_label(tok, token_id: int) -> str:
    """Show spaces and newlines so ' the' and 'the' look different on an axis."""
    text = tok.decode([int(token_id)])
    return repr(text)[1:-1].replace(" ", "␣") or "∅"


def plot_before_after(tok, before, after, *, top: int = 10, labels=("before", "after"),
                      title: str = "next-token distribution", ax=None):
    """Grouped bars: the same tokens (the `top` most likely *before*) under both distributions.

    Tokens that the transformation filtered out show an empty 'after' bar at probability 0.
    """
    pb, pa = _probs(before), _probs(after)
    if pb.shape != pa.shape:
        raise BadInputError(f"the two distributions differ in size: {pb.numel()} vs {pa.numel()} tokens.")
    fig, ax = figure_axes(ax, size=(7.0, 3.4))
    idx = torch.topk(pb, min(top, pb.numel())).indices
    y = torch.arange(len(idx)).flip(0).float()
    ax.barh((y + 0.2).tolist(), pb[idx].tolist(), height=0.4, label=labels[0], color="C7")
    ax.barh((y - 0.2).tolist(), pa[idx].tolist(), height=0.4, label=labels[1], color="C1")
    ax.set_yticks(y.tolist(), [token_label(tok, i) for i in idx.tolist()])
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def grouped_bars(series: dict, categories, *, ax=None, colours: dict | None = None, ylabel: str = "",
                 title: str = "", legend_title: str = "", legend: bool = True):
    """Bars grouped by category, one bar per series ({name: values, one per category}).

    The legend goes beside the axes, never over the bars. Returns the Figure.
    """
    categories = list(categories)
    if not series or not categories:
        raise BadInputError("grouped_bars needs at least one series and one category.")
    for name, values in series.items():
        if len(values) != len(categories):
            raise BadInputError(f"series {name!r} has {len(values)} values for {len(categories)} categories.")
    fig, ax = figure_axes(ax, size=(7.5, 3.4))
    width = 0.8 / len(series)
    for i, (name, values) in enumerate(series.items()):
        offset = (i - (len(series) - 1) / 2) * width
        ax.bar([j + offset for j in range(len(categories))], [float(v) for v in values], width,
               label=name, color=(colours or {}).get(name))
    ax.set_xticks(range(len(categories)), [str(c) for c in categories],
                  rotation=30 if len(categories) > 3 else 0, ha="right" if len(categories) > 3 else "center")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if legend:
        ax.legend(title=legend_title or None, loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    return fig
