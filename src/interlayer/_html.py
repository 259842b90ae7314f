"""One small HTML table renderer for notebooks' ``_repr_html_`` (materials, analysis results).

Every cell is text, escaped here (``html.escape`` with quotes), so names, units and sources that
contain ``<``, ``&`` or quotes show as written and cannot inject markup.

>>> print(table([("sigma<ion>", 0.029, "S/m", "A & B")], caption="x"))  # doctest: +NORMALIZE_WHITESPACE
<table class="interlayer"><caption>x</caption><thead><tr><th>name</th><th>value</th><th>unit</th><th>source</th></tr></thead><tbody><tr><td>sigma&lt;ion&gt;</td><td>0.029</td><td>S/m</td><td>A &amp; B</td></tr></tbody></table>
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Iterable, Sequence

#: The columns of a quantity table: what it is, its value, its unit, where the value comes from.
COLUMNS = ("name", "value", "unit", "source")


def text(value) -> str:
    """A cell's text: numbers to 6 significant digits, None and NaN as an em dash, booleans as yes/no."""
    if value is None:
        return "\u2014"
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b":  # numpy bool too
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        return "\u2014" if math.isnan(x) else f"{x:.6g}"
    return str(value)


def table(rows: Iterable[Sequence], columns: Sequence[str] = COLUMNS, caption: str | None = None,
          notes: Iterable[str] = ()) -> str:
    """An HTML ``<table>`` of ``rows`` (each as long as ``columns``), with an optional caption and notes."""
    out = ['<table class="interlayer">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns) + "</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{html.escape(text(v))}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    notes = [html.escape(str(n)) for n in notes]
    if notes:
        out.append("<ul>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>")
    return "".join(out)


__all__ = ["COLUMNS", "table", "text"]
