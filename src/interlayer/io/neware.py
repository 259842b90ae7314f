"""Neware binary files ``.nda`` (old) and ``.ndax`` (new, a zip archive), through NewareNDA.

NewareNDA returns the *step* time (reset at every step) and ``Current(mA)`` with Neware's sign
(charge > 0), which is the canonical one. Test time is rebuilt by adding, at every step start, the
last step time of the step before (so consecutive steps join without a gap; Neware records the
step change at the first sample of the new step).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from interlayer.errors import InputError
from interlayer.io._columns import UNIT_FACTORS
from interlayer.io._record import Record, finish_cycling
from interlayer.io._text import describe

NDA_MAGIC = b"NEWARE"


def test_time(step_time: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Cumulative time from a step time that restarts at each new step (vectorised)."""
    step_time = np.asarray(step_time, dtype=float)
    new = np.zeros(step_time.size, dtype=bool)
    if step_time.size:
        new[1:] = (np.asarray(step)[1:] != np.asarray(step)[:-1]) | (step_time[1:] < step_time[:-1])
    # offset added from each new step on: the previous sample's step time
    jump = np.zeros(step_time.size)
    jump[1:] = np.where(new[1:], step_time[:-1], 0.0)
    return step_time + np.cumsum(jump)


def read_nda(path: str | Path) -> Record:
    """Read a Neware ``.nda`` or ``.ndax`` file into the canonical table.

    Raises
    ------
    InputError
        When NewareNDA cannot parse it (truncated or corrupt); the message gives the file size.
    """
    from NewareNDA.NewareNDA import read_nda as _nda
    from NewareNDA.NewareNDAx import read_ndax as _ndax

    size = Path(path).stat().st_size
    is_zip = _is_zip(path)
    # NewareNDA logs format details at INFO/WARNING level and its own reading errors at ERROR
    # level; ours (an InputError naming the file) says the same on one line.
    logger = logging.getLogger("newarenda")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # its own error line would precede ours
    try:
        # NewareNDA.read dispatches on the extension; we dispatch on the content (zip = .ndax)
        df = (_ndax if is_zip else _nda)(str(path), True, "chg")
    except Exception as exc:  # NewareNDA raises many types on corrupt input
        raise InputError(
            str(path),
            f"cannot read Neware file (corrupt or truncated; the file has {size} bytes): "
            f"{describe(exc)}",
        ) from None
    finally:
        logger.setLevel(level)
    if len(df) == 0:
        raise InputError(str(path), f"Neware file holds no data rows ({size} bytes)")
    step = df["Step"].to_numpy()
    out = pd.DataFrame(
        {
            "time": test_time(df["Time"].to_numpy(dtype=float), step),
            "voltage": df["Voltage"].to_numpy(dtype=float),
            "current": df["Current(mA)"].to_numpy(dtype=float) * UNIT_FACTORS["ma"][1],
            "step": step.astype(np.int64),
        }
    )
    fmt = "neware-ndax" if is_zip else "neware-nda"
    metadata = {"instrument": "Neware", "start_time": str(df["Timestamp"].iloc[0])}
    technique = None
    if "Status" in df.columns:
        from interlayer.io._record import rest_mask
        from interlayer.io._techniques import neware_techniques

        current = out["current"].to_numpy()
        technique = neware_techniques(df["Status"].to_numpy(), current, rest_mask(current), out["step"].to_numpy())
    return finish_cycling(out, path, fmt, metadata=metadata, technique=technique)


def _is_zip(path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"PK"
