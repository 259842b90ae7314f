"""Small helpers shared by the CLI command modules."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from rich.console import Console

from interlayer.errors import InputError
from interlayer.units import is_bare_number, parse

#: Examples shown when a bare number is refused (its unit would be ambiguous).
TEMPERATURE_EXAMPLE = "'25 degC' or '298.15 K'"
TIME_EXAMPLE = "'2 s', '30 min' or '1 h'"

# Human-facing output goes to stderr so that --json keeps stdout clean. Redirected to a file or a pipe,
# Rich would assume 80 columns and wrap wide tables cell by cell; 120 keeps them readable in logs.
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)


def quantity(text: str | None, unit: str, field: str, default_unit: str | None = None,
             require_unit: str | None = None) -> float | None:
    """Parse an option value with units into SI, or None when the option was not given.

    ``require_unit``: refuse a bare number (InputError) and show this example instead, for quantities
    whose bare numbers would be ambiguous (temperatures: degC or K; times: s or h).
    """
    if text is None:
        return None
    if require_unit is not None and is_bare_number(text):
        raise InputError(field, f"{text!r} needs a unit, e.g. {require_unit}")
    return parse(text, unit, field, default_unit=default_unit)


def interval(text: str, unit: str, field: str, default_unit: str | None = None,
             require_unit: str | None = None) -> tuple[float, float]:
    """Parse ``LOW:HIGH`` (each with or without units; bare numbers in ``default_unit``) into SI.

    ``require_unit``: refuse bare numbers, as in :func:`quantity`.
    """
    lo_text, sep, hi_text = str(text).partition(":")
    if not sep or not lo_text.strip() or not hi_text.strip():
        raise InputError(field, f"expected LOW:HIGH, got {text!r}")
    if require_unit is not None and (is_bare_number(lo_text) or is_bare_number(hi_text)):
        raise InputError(field, f"{text!r} needs units, e.g. {require_unit}")
    return (parse(lo_text, unit, field, default_unit=default_unit),
            parse(hi_text, unit, field, default_unit=default_unit))


def require(condition: bool, field: str, message: str) -> None:
    """Raise an InputError (exit 2, one line) unless ``condition`` holds."""
    if not condition:
        raise InputError(field, message)


def _jsonable(value: Any) -> Any:
    """NumPy scalars and non-finite floats to plain JSON (NaN/inf -> null)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            value = value.tolist()
            return _jsonable(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit_json(payload: dict) -> None:
    """Print one JSON document on stdout (the only thing --json writes there)."""
    sys.stdout.write(json.dumps(_jsonable(payload), indent=2) + "\n")
    sys.stdout.flush()


#: File types ``--plot`` can write (matplotlib's raster and vector back ends we ship with).
FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg")


def output_path(path: str | None, field: str, suffixes: tuple[str, ...] | None = None,
                directory: bool = False) -> str | None:
    """Check an output path before any work is done; InputError (exit 2, one line) if it cannot be written.

    ``suffixes``: allowed file endings (e.g. :data:`FIGURE_SUFFIXES`); ``directory``: the path is a
    folder that may exist (it must not be a file) or will be created inside an existing parent.
    """
    import os
    from pathlib import Path

    if path is None:
        return None
    p = Path(path).expanduser()
    if not directory and str(path).endswith(("/", os.sep)):
        raise InputError(field, f"{path!r} is a folder path; give a file name")
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise InputError(field, f"{path!r}: unsupported file type {p.suffix or '(none)'!r}; use one of "
                                f"{', '.join(suffixes)}")
    if directory and p.exists() and not p.is_dir():
        raise InputError(field, f"{path!r} exists and is not a folder")
    if not directory and p.is_dir():
        raise InputError(field, f"{path!r} is a folder; give a file name")
    parent = p.parent if not (directory and p.is_dir()) else p
    if not parent.is_dir():
        raise InputError(field, f"cannot write {path!r}: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError(field, f"cannot write {path!r}: folder {str(parent)!r} is not writable")
    return str(p)
