"""Writing to a widget's Output area: a view (a summary line and a figure), an error, and reading its text back."""
from __future__ import annotations

import io

import ipywidgets as W

PNG_DPI = 90   # a widget's figure is redrawn on every slider move: fewer pixels render faster


def show_error(out: W.Output, err: Exception) -> None:
    """A bad setting is shown as one line in the widget, never as a traceback."""
    out.append_stdout(f"⚠ {err}\n")


def figure_png(figure, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG, drawn once at its own size. (Jupyter's own rendering of a Figure draws it
    twice, to find a tight bounding box; the course's figures have fixed margins and need none.)"""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def show_view(out: W.Output, summary: str, figure=None, *extra) -> None:
    """Replace what `out` shows by `summary`, `figure` (sent as a PNG) and any `extra` displayable
    (e.g. an Audio player). Assigning `outputs` works on ipywidgets 7.7 and 8."""
    from IPython.display import Image

    out.outputs = ()
    out.append_stdout(summary + "\n")
    if figure is not None:
        out.append_display_data(Image(figure_png(figure)))
    for item in extra:
        out.append_display_data(item)


def output_text(out: W.Output) -> str:
    """All text an Output widget holds (what tests and learners read)."""
    parts = []
    for o in out.outputs:
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        else:
            parts.append(o.get("data", {}).get("text/plain", ""))
    return "".join(parts)
