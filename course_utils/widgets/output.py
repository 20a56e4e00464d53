"""Writing to a widget's Output area: a view (a summary line and a figure), an error, and reading its text back."""
from __future__ import annotations

import io

import ipywidgets as W

from course_utils.kernel.i18n import t

PNG_DPI = 90   # a widget's figure is redrawn on every slider move: fewer pixels render faster


def show_error(out: W.Output, err: Exception) -> None:
    """A bad setting is shown as one line in the widget, never as a traceback."""
    out.append_stdout(f"⚠ {err}\n")


def figure_png(figure, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG, drawn once at its own size. (Jupyter's own rendering of a Figure draws it
    twice, to find a tight bounding box; the course's figures have fixed margins and need none.)"""
    buffer = io.BytesIO()
    # the fastest zlib level: a few ms less per redraw for ~6 % more bytes
    figure.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
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


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def first_state(widget) -> dict:
    """What the widget's Output areas show now: their text, the first picture and the first HTML."""
    import base64

    texts, png, html = [], None, None
    stack = [widget]
    while stack:
        w = stack.pop(0)
        if isinstance(w, W.Output):
            for o in w.outputs:
                data = o.get("data", {})
                if o.get("output_type") == "stream":
                    texts.append(o.get("text", ""))
                elif "image/png" in data and png is None:
                    png = data["image/png"]
                    png = png if isinstance(png, str) else base64.b64encode(png).decode()
                elif "text/html" in data and html is None:
                    html = data["text/html"]
        stack.extend(getattr(w, "children", ()))
    return {"text": "".join(texts).strip(), "png": png, "html": html}


def settings_html(widget, hint: str) -> str:
    """The controls of a widget that has drawn nothing yet, as a small HTML table, and what to try."""
    import html

    rows, stack = [], [widget]
    while stack:
        w = stack.pop(0)
        if getattr(w, "description", "") and hasattr(w, "value") and not isinstance(w, W.Output):
            rows.append(f"<tr><td>{html.escape(str(w.description))}</td><td>{html.escape(str(w.value))}</td></tr>")
        elif isinstance(w, W.Button):
            rows.append(f"<tr><td colspan='2'><b>[{html.escape(w.description)}]</b></td></tr>")
        stack.extend(getattr(w, "children", ()))
    return (f"<table>{''.join(rows)}</table><p><i>" + html.escape(t("An interactive widget: run the notebook to use it."))
            + f" {html.escape(hint)}</i></p>")


class Previewed(W.VBox):
    """A widget box whose display also carries a static picture of its first state.

    JupyterLab with a live kernel shows the widget; GitHub, nbviewer, Colab's preview and an
    unrun (untrusted) notebook, which cannot show a widget, fall back to the picture (PNG), or to
    HTML, and to a text line saying what the widget does and what to try."""

    def __init__(self, children, *, hint: str, html: str | None = None, **kwargs):
        super().__init__(children, **kwargs)
        self.hint, self.static_html = hint, html

    def preview_bundle(self) -> dict:
        state = first_state(self)
        note = "(" + t("An interactive widget: run the notebook to use it.") + f" {self.hint})"
        text = "\n".join(line for line in (state["text"], note) if line)
        bundle = {"text/plain": text, WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": self.model_id}}
        if self.static_html is not None:
            bundle["text/html"] = self.static_html
        elif state["png"] is not None:
            bundle["image/png"] = state["png"]
        elif state["html"] is not None:
            bundle["text/html"] = state["html"]
        else:                                   # nothing drawn yet (it waits for a button): its settings
            bundle["text/html"] = settings_html(self, self.hint)
        return bundle

    def _repr_mimebundle_(self, **kwargs):        # ipywidgets 8
        return self.preview_bundle()

    def _ipython_display_(self, **kwargs):        # ipywidgets 7.7 displays through this hook
        from IPython.display import display
        display(self.preview_bundle(), raw=True)

