"""All-or-nothing output folders: build in a hidden sibling folder, rename into place at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from interlayer.errors import InputError


def check_out(out: str | os.PathLike, force: bool = False) -> Path:
    """Validate an output folder before any work; InputError (field ``out``) if it cannot be used.

    The folder may be absent (its parent must exist and be writable), or an existing empty folder; an
    existing non-empty folder needs ``force`` (its contents are then replaced at the end, as a whole).
    """
    p = Path(out).expanduser()
    if p.exists() and not p.is_dir():
        raise InputError("out", f"{str(out)!r} exists and is not a folder")
    if p.is_dir() and any(p.iterdir()) and not force:
        raise InputError("out", f"{str(out)!r} exists and is not empty; give --force to replace it")
    parent = p.resolve().parent
    if parent.exists() and not parent.is_dir():
        raise InputError("out", f"cannot write {str(out)!r}: {str(parent)!r} is a file, not a folder")
    if not parent.is_dir():
        raise InputError("out", f"cannot write {str(out)!r}: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("out", f"cannot write {str(out)!r}: folder {str(parent)!r} is not writable")
    try:  # permission bits do not tell the whole story (root, read-only mounts, /proc): try it
        os.rmdir(tempfile.mkdtemp(prefix=f".{p.name}.probe-", dir=parent))
    except OSError as exc:
        raise InputError("out", f"cannot write {str(out)!r}: {exc.strerror or exc}") from None
    if p.is_dir() and not os.access(p, os.W_OK | os.X_OK):
        raise InputError("out", f"cannot write {str(out)!r}: it is not writable")
    return p


@contextmanager
def staged_folder(out: str | os.PathLike, force: bool = False):
    """Yield a temporary folder next to ``out``; on success it replaces ``out``, on error it is removed.

    Nothing appears at ``out`` unless the whole body succeeds. With ``force`` an existing ``out`` is
    moved aside, the new folder renamed into place, and only then the old one deleted.
    """
    target = check_out(out, force)
    parent = target.resolve().parent
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=parent))
    except OSError as exc:
        raise InputError("out", f"cannot write {str(out)!r}: {exc.strerror or exc}") from None
    try:
        yield stage
        os.chmod(stage, 0o755)
        old = None
        if target.is_dir():
            if any(target.iterdir()):
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
                os.rmdir(old)
                os.replace(target, old)
            else:
                os.rmdir(target)
        os.replace(stage, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
