"""Self-contained HTML reports (Jinja2 templates, figures embedded as base64 PNG, no network).

Build a :class:`Report` from :class:`Section` s holding paragraphs, :class:`Value` facts (a number and
its unit), :class:`Table` s and :class:`FigureBlock` s, then :func:`write_html`. The command reports
(``--report FILE.html`` of ``design``, ``layers``, ``transport``, ``transport-paper``, ``phasefield``)
are in :mod:`interlayer.report.commands`; ``interlayer reproduce`` writes one too. Any other result,
e.g. a cycler analysis, is reported the same way:

>>> from interlayer.report import Report, Section, Table, Value, render_html
>>> page = Report("cell 7", sections=[Section("Summary", facts=[("CCD", Value(0.62, "mA/cm2"))],
...               tables=[Table(["cycle", "overpotential (V)"], [[1, 0.27]])])])
>>> "0.62 mA/cm2" in render_html(page)
True
"""

from interlayer.report.model import VERDICTS, FigureBlock, Report, Section, Table, Value, cell_text
from interlayer.report.render import REPORT_SUFFIXES, render_html, write_html

__all__ = [
    "REPORT_SUFFIXES",
    "VERDICTS",
    "FigureBlock",
    "Report",
    "Section",
    "Table",
    "Value",
    "cell_text",
    "render_html",
    "write_html",
]
