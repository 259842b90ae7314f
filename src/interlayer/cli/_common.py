"""Small helpers shared by the CLI command modules."""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
from pathlib import Path
from typing import Any, overload

from rich.console import Console

from interlayer.errors import InputError
from interlayer.inputs import TEMPERATURE_EXAMPLE, TIME_EXAMPLE  # noqa: F401 (the CLI's examples too)
from interlayer.units import is_bare_number, parse

# Human-facing output goes to stderr so that --json keeps stdout clean. Redirected to a file or a pipe,
# Rich would assume 80 columns and wrap wide tables cell by cell; 120 keeps them readable in logs.
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)


@overload
def quantity(text: str, unit: str, field: str, default_unit: str | None = None,
             require_unit: str | None = None) -> float: ...
@overload
def quantity(text: None, unit: str, field: str, default_unit: str | None = None,
             require_unit: str | None = None) -> None: ...
@overload
def quantity(text: str | None, unit: str, field: str, default_unit: str | None = None,
             require_unit: str | None = None) -> float | None: ...
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


@overload
def output_path(path: str, field: str, suffixes: tuple[str, ...] | None = None,
                directory: bool = False, size_hint: float | None = None) -> str: ...
@overload
def output_path(path: None, field: str, suffixes: tuple[str, ...] | None = None,
                directory: bool = False, size_hint: float | None = None) -> None: ...
@overload
def output_path(path: str | None, field: str, suffixes: tuple[str, ...] | None = None,
                directory: bool = False, size_hint: float | None = None) -> str | None: ...
def output_path(path: str | None, field: str, suffixes: tuple[str, ...] | None = None,
                directory: bool = False, size_hint: float | None = None) -> str | None:
    """Check an output path before any work is done; InputError (exit 2, one line) if it cannot be written.

    The folder is probed by creating (and removing) a one-byte temporary file in it, so a read-only
    mount (EROFS) or a full disk (ENOSPC) is found before the run, also as root (permission bits
    alone do not stop root).

    Parameters
    ----------
    path : str or None
        The path given on the command line (None: nothing to check).
    field : str
        The option's name, e.g. ``"plot"`` (named in the error).
    suffixes : tuple of str, optional
        Allowed file endings (e.g. :data:`FIGURE_SUFFIXES`).
    directory : bool
        The path is a folder that may exist (it must not be a file) or will be created inside an
        existing parent.
    size_hint : float, optional
        Bytes the output will take, when known: refused if the file system has less free space.

    Returns
    -------
    str or None
        The path (``~`` expanded).
    """
    if path is None:
        return None
    text = str(path)
    if not text.strip():
        raise InputError(field, "empty path; give a file name")
    p = Path(text).expanduser()
    if not directory and text.endswith(("/", os.sep)):
        raise InputError(field, f"{text!r} is a folder path; give a file name")
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise InputError(field, f"{text!r}: unsupported file type {p.suffix or '(none)'!r}; use one of "
                                f"{', '.join(suffixes)}")
    if directory and p.exists() and not p.is_dir():
        raise InputError(field, f"{text!r} exists and is not a folder")
    if not directory and p.is_dir():
        raise InputError(field, f"{text!r} is a folder; give a file name")
    parent = p if (directory and p.is_dir()) else p.parent
    if not parent.is_dir():
        raise InputError(field, f"cannot write {text!r}: folder {str(parent)!r} does not exist")
    probe_folder(parent, field, text)
    if size_hint is not None:
        check_free_space(parent, size_hint, field, text)
    return str(p)


def probe_folder(folder: Path, field: str, shown: str | None = None) -> None:
    """InputError unless a file can be created and written in ``folder`` (EROFS, ENOSPC, EACCES)."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".interlayer-probe-")
    except OSError as exc:
        raise InputError(field, f"cannot write {shown or str(folder)!r}: {_why(exc)} in {str(folder)!r}") from None
    try:
        os.write(fd, b"\0")
        os.fsync(fd)
    except OSError as exc:
        raise InputError(field, f"cannot write {shown or str(folder)!r}: {_why(exc)} in {str(folder)!r}") from None
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)


def check_free_space(folder: Path, nbytes: float, field: str, shown: str | None = None) -> None:
    """InputError if the file system of ``folder`` has less than ``nbytes`` (plus 5 %) free."""
    from interlayer.limits import format_bytes

    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # pragma: no cover - not POSIX: the write itself will tell
        return
    free = st.f_bavail * st.f_frsize
    if free < 1.05 * nbytes:
        raise InputError(field, f"cannot write {shown or str(folder)!r}: it needs about {format_bytes(nbytes)}, "
                                f"{format_bytes(free)} free in {str(folder)!r}")


def _why(exc: OSError) -> str:
    import errno

    names: dict[int | None, str] = {errno.ENOSPC: "no space left on the device", errno.EROFS: "read-only file system",
             errno.EACCES: "permission denied", errno.EDQUOT: "disk quota exceeded"}
    return names.get(exc.errno, exc.strerror or str(exc))


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, field: str):
    """Write an output through a temporary file in the same folder, renamed into place on success.

    Yields the temporary path (same suffix, so matplotlib and xarray pick the right format). An
    OSError while writing (disk full, read-only, permission) removes the temporary file and raises
    InputError naming ``field`` (exit 2, one line); the final path is never left half-written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with atomic_output(f"{d}/a.txt", "out") as tmp:
    ...         _ = pathlib.Path(tmp).write_text("ok")
    ...     sorted(p.name for p in pathlib.Path(d).iterdir())
    ['a.txt']
    """
    import secrets

    final = Path(path)
    tmp = final.with_name(f".{final.stem}.{secrets.token_hex(4)}.partial{final.suffix}")
    try:
        yield str(tmp)
        os.replace(tmp, final)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputError(field, f"cannot write {str(final)!r}: {_why(exc)} (nothing written)") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def save_figure(fig, path: str, field: str = "plot", dpi: int = 150) -> None:
    """``fig.savefig(path)`` through :func:`atomic_output` (no partial figure on a full disk), then close it."""
    import matplotlib.pyplot as plt

    try:
        with atomic_output(path, field) as tmp:
            fig.savefig(tmp, dpi=dpi)
    finally:
        plt.close(fig)


def save_netcdf(ds, path: str, field: str = "out") -> None:
    """``ds.to_netcdf(path)`` through :func:`atomic_output` (no partial file on a full disk)."""
    with atomic_output(path, field) as tmp:
        ds.to_netcdf(tmp)
