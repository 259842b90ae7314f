"""Render a :class:`~interlayer.report.model.Report` to one self-contained HTML page (Jinja2).

The page has no script, no external style sheet, font or image: figures are base64 PNGs inside the
file and the CSS is inline, so it opens offline, from a mail attachment, on a laptop or a phone.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from interlayer.errors import InputError
from interlayer.report.model import VERDICTS, Report, cell_text

#: File types ``--report`` writes.
REPORT_SUFFIXES = (".html", ".htm")


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("interlayer.report", "templates"),
        autoescape=jinja2.select_autoescape(("html", "j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell_text
    return env


def render_html(report: Report) -> str:
    """The page as a string (UTF-8 HTML5)."""
    return _environment().get_template("report.html.j2").render(report=report, verdicts=VERDICTS)


def write_html(report: Report, path: str | os.PathLike) -> Path:
    """Write the page to ``path`` atomically (a temporary file renamed into place).

    Raises
    ------
    InputError
        ``report``: the folder does not exist or is not writable.
    """
    target = Path(path).expanduser()
    text = render_html(report)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputError("report", f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
