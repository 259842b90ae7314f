"""Small helpers shared by the CLI command modules."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from rich.console import Console

from interlayer.errors import InputError
from interlayer.units import parse

# Human-facing output goes to stderr so that --json keeps stdout clean. Redirected to a file or a pipe,
# Rich would assume 80 columns and wrap wide tables cell by cell; 120 keeps them readable in logs.
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)


def quantity(text: str | None, unit: str, field: str, default_unit: str | None = None) -> float | None:
    """Parse an option value with units into SI, or None when the option was not given."""
    if text is None:
        return None
    return parse(text, unit, field, default_unit=default_unit)


def interval(text: str, unit: str, field: str, default_unit: str | None = None) -> tuple[float, float]:
    """Parse ``LOW:HIGH`` (each with or without units; bare numbers in ``default_unit``) into SI."""
    lo_text, sep, hi_text = str(text).partition(":")
    if not sep or not lo_text.strip() or not hi_text.strip():
        raise InputError(field, f"expected LOW:HIGH, got {text!r}")
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
