"""widgets.output: what every widget writes into its Output area."""
import base64

from matplotlib.figure import Figure

import course_utils as cu
from course_utils.widgets.output import figure_png, output_text, show_error, show_view


def _figure():
    fig = Figure(figsize=(3, 2))
    fig.subplots().plot([0, 1], [1, 0])
    return fig


def test_show_view_replaces_the_output_with_a_summary_and_one_png():
    import ipywidgets as W
    out = W.Output()
    show_error(out, cu.BadInputError("temperature must be positive"))
    assert output_text(out).startswith("⚠ temperature must be positive")
    show_view(out, "layer 3, head 2", _figure())
    assert output_text(out).startswith("layer 3, head 2\n") and "⚠" not in output_text(out)   # replaced
    images = [o["data"]["image/png"] for o in out.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1
    png = images[0] if isinstance(images[0], bytes) else base64.b64decode(images[0])
    assert png.startswith(b"\x89PNG")


def test_figure_png_draws_at_the_figures_size():
    png = figure_png(_figure(), dpi=50)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (150, 100)          # 3 x 2 inches at 50 dpi: no tight box cropping


def test_a_previewed_widget_carries_a_picture_of_its_first_state():
    """Readers without a kernel (GitHub, nbviewer, an unrun notebook) get the first drawn picture,
    else the first HTML, else the settings; a live JupyterLab gets the widget itself."""
    import ipywidgets as W
    from IPython.display import HTML

    from course_utils.widgets.output import WIDGET_VIEW, Previewed

    drawn = W.Output()
    show_view(drawn, "summary line", _figure())
    box = Previewed([W.IntSlider(description="seed"), drawn], hint="Try another seed.")
    bundle = box.preview_bundle()
    assert bundle[WIDGET_VIEW] == {"version_major": 2, "version_minor": 0, "model_id": box.model_id}
    assert isinstance(bundle["image/png"], str) and len(bundle["image/png"]) > 100     # base64, as Jupyter stores it
    assert "summary line" in bundle["text/plain"] and "Try another seed." in bundle["text/plain"]

    table = W.Output()
    table.append_display_data(HTML("<table><tr><td>x</td></tr></table>"))
    assert Previewed([table], hint="h").preview_bundle()["text/html"].startswith("<table><tr><td>x")

    waiting = Previewed([W.Text(value="Describe your weekend.", description="prompt"), W.Button(description="Compare"),
                         W.Output()], hint="Press Compare.")
    page = waiting.preview_bundle()["text/html"]
    assert "Describe your weekend." in page and "[Compare]" in page and "Press Compare." in page
