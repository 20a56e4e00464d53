"""Tokenizer playground: type a text, see how each tokenizer cuts it (core ipywidgets only).

    from course_utils.widgets.tokens import tokenizer_playground
    tokenizer_playground({"SmolLM2 (byte-level BPE)": tok, "MiniLM (WordPiece)": wp, "KJV BPE": kjv_tok})

The widget only wires a Text box to `course_utils.plots.tokens.compare_tokenizers`, the plain
function that notebooks and tests call directly. Bad input is shown as a message, never a traceback.
"""
from __future__ import annotations

from course_utils.kernel.i18n import t
from course_utils.kernel.errors import CourseError
from course_utils.plots.tokens import compare_tokenizers
from course_utils.widgets.output import Previewed, show_error, show_view


def comparison_text(table) -> str:
    """What the playground prints for one `compare_tokenizers` table: per tokenizer a header line
    (name, kind, token count, characters per token, unknown tokens) and its pieces, separated by |."""
    lines = []
    for row in table.to_dict("records"):
        lines.append(t("{name} — {kind}: {tokens} tokens, {chars:.2f} characters per token, {unknown} unknown"
                       if row["unknown"] else
                       "{name} — {kind}: {tokens} tokens, {chars:.2f} characters per token",
                       name=row["tokenizer"], kind=row["kind"], tokens=row["tokens"],
                       chars=row["chars per token"], unknown=row["unknown"]))
        lines.append("  " + " | ".join(row["pieces"]))
    return "\n".join(lines)


def tokenizer_playground(tokenizers: dict, text: str = "The cat sat on the mat. 고양이가 매트 위에 앉았다."):
    """A Text box (applied on Enter) and an Output listing how each tokenizer in `tokenizers`
    ({name: tokenizer}) cuts the text: pieces and counts."""
    import ipywidgets as W

    box_text = W.Text(value=text, description=t("text"), continuous_update=False,
                      layout=W.Layout(width="95%"))
    out = W.Output()

    def refresh(_change=None):
        out.outputs = ()
        try:
            table = compare_tokenizers(box_text.value, tokenizers)
        except CourseError as err:
            show_error(out, err)
            return
        show_view(out, comparison_text(table))

    box_text.observe(refresh, names="value")
    refresh()                     # draw once now: ipywidgets 7.7 and 8 then behave the same
    box = Previewed([box_text, out], hint=t("Try: type a Korean sentence, a long English word, or an emoji."))
    box.controls, box.out, box.refresh = {"text": box_text}, out, refresh
    return box


__all__ = ["compare_tokenizers", "comparison_text", "tokenizer_playground"]
