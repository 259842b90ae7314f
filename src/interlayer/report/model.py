"""The content of a report: what is shown, independent of how it is rendered.

A :class:`Report` holds sections; a section holds paragraphs, key/value facts, tables and figures.
Every number is a :class:`Value` (a number with its unit), so the template prints the unit next to
it; tables put the unit of a column in its header. Nothing here computes physics.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
import math
from dataclasses import dataclass, field
from typing import Any

#: Verdicts a claims table may carry (the template colours them; the browser test checks them).
VERDICTS = ("agrees", "partial", "disagrees")


@dataclass(frozen=True)
class Value:
    """A number with its unit, formatted for people.

    Parameters
    ----------
    value : float, int, str or None
        The number (None: shown as an em dash; a string is shown as it is).
    unit : str
        Display unit, e.g. ``"mA/cm2"``; empty for a dimensionless number or a word.
    fmt : str
        Python format spec for numbers (default ``.4g``).

    Examples
    --------
    >>> Value(5.567, "mA/cm2").text()
    '5.567 mA/cm2'
    >>> Value(None, "um").text()
    '—'
    """

    value: Any
    unit: str = ""
    fmt: str = ".4g"

    def text(self) -> str:
        v = self.value
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "—"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float) and math.isinf(v):
            number = "∞" if v > 0 else "-∞"
        elif isinstance(v, int | float):
            number = format(v, self.fmt)
        else:
            number = str(v)
        return f"{number} {self.unit}".strip()

    def __str__(self) -> str:
        return self.text()


def cell_text(cell: Any) -> str:
    """What a table cell shows: a :class:`Value`'s text, a number formatted ``.4g``, or ``str``."""
    if isinstance(cell, Value):
        return cell.text()
    if cell is None:
        return "—"
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        return Value(cell).text()
    return str(cell)


@dataclass
class Table:
    """A table; ``columns`` carry their units, e.g. ``"l_n (um)"``.

    ``kind="claims"`` marks a claims table: its ``verdict`` column is styled and checked (each row
    must hold one of :data:`VERDICTS`).
    """

    columns: list[str]
    rows: list[list[Any]]
    title: str = ""
    note: str = ""
    kind: str = ""

    @property
    def verdict_column(self) -> int | None:
        return self.columns.index("verdict") if "verdict" in self.columns else None


@dataclass
class FigureBlock:
    """A figure embedded in the page as a base64 PNG (self-contained: no file next to the page)."""

    title: str
    png_base64: str
    caption: str = ""
    alt: str = ""

    @classmethod
    def from_figure(cls, fig, title: str, caption: str = "", dpi: int = 110) -> FigureBlock:
        """Render a Matplotlib figure to PNG bytes in memory."""
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        return cls(title=title, png_base64=base64.b64encode(buf.getvalue()).decode("ascii"), caption=caption,
                   alt=title)

    @classmethod
    def from_png(cls, data: bytes, title: str, caption: str = "") -> FigureBlock:
        return cls(title=title, png_base64=base64.b64encode(data).decode("ascii"), caption=caption, alt=title)


@dataclass
class Section:
    """One heading with its content, shown in this order: paragraphs, facts, figures, tables."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, Value]] = field(default_factory=list)
    figures: list[FigureBlock] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    anchor: str = ""
    #: 2: figures side by side on a wide screen (stacked on a phone), e.g. two evaluations to compare.
    figure_columns: int = 1


@dataclass
class Report:
    """A whole page.

    Parameters
    ----------
    title : str
    command : str
        What produced it (e.g. ``interlayer design --material lni-5cnt``), shown verbatim.
    inputs : list of (str, str)
        Every input with its unit as the user gave it or as defaulted.
    sections : list of Section
    summary : str
        One paragraph at the top.
    """

    title: str
    command: str = ""
    inputs: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    summary: str = ""
    version: str = ""
    created_utc: str = ""

    def __post_init__(self) -> None:
        if not self.version:
            from interlayer import __version__

            self.version = __version__
        if not self.created_utc:
            self.created_utc = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
