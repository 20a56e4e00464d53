"""Writing to a widget's Output area: a view (a summary line and a figure), an error, and reading its text back."""
from __future__ import annotations

import ipywidgets as W


def show_error(out: W.Output, err: Exception) -> None:
    """A bad setting is shown as one line in the widget, never as a traceback."""
    out.append_stdout(f"⚠ {err}\n")


def show_view(out: W.Output, summary: str, figure=None) -> None:
    """Replace what `out` shows by `summary` (and `figure`). Assigning `outputs` works on ipywidgets 7.7 and 8."""
    out.outputs = ()
    out.append_stdout(summary + "\n")
    if figure is not None:
        out.append_display_data(figure)


def output_text(out: W.Output) -> str:
    """All text an Output widget holds (what tests and learners read)."""
    parts = []
    for o in out.outputs:
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        else:
            parts.append(o.get("data", {}).get("text/plain", ""))
    return "".join(parts)
