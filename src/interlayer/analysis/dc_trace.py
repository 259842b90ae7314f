"""Impedance sweeps run on a DC current (GEIS on DC) read as a cycling trace, for :func:`analyze`."""

from __future__ import annotations

import numpy as np

from interlayer.errors import InputError

#: A DC current below this [A] under an impedance sweep is the instrument's offset, not a DC bias.
DC_CURRENT_FLOOR = 1e-7


def dc_current_flows(dc_current) -> bool:
    """True when impedance sweeps ran on a DC current: median |I_dc| above :data:`DC_CURRENT_FLOOR`
    and above 5 times the spread of I_dc (GEIS on DC; a zero-bias sweep reads noise only)."""
    i = np.asarray(dc_current, dtype=float)
    i = i[np.isfinite(i)]
    if i.size == 0:
        return False
    med = float(np.median(np.abs(i)))
    return med > DC_CURRENT_FLOOR and med > 5 * float(np.std(i))


def dc_trace(imp):
    """A cycling record from the DC state of impedance sweeps run on a DC current (GEIS on DC)."""
    from interlayer.io._record import finish_cycling

    d = imp.data
    if not {"dc_current", "dc_voltage", "time"} <= set(d.columns):
        raise InputError("record", "analyze needs a cycling record (time, voltage, current); this file holds "
                                   "impedance spectra only (use 'interlayer eis')")
    i = d["dc_current"].to_numpy()
    if not dc_current_flows(i):
        raise InputError("record", "analyze needs a cycling record; this file holds impedance spectra measured "
                                   "without DC current (use 'interlayer eis')")
    order = np.argsort(d["time"].to_numpy(), kind="stable")
    rec = finish_cycling({"time": d["time"].to_numpy()[order], "voltage": d["dc_voltage"].to_numpy()[order],
                          "current": i[order]}, imp.source, imp.format, area=imp.area,
                         metadata={**imp.metadata, "dc_from_impedance": True},
                         technique=np.full(i.size, "CC", dtype=object), impedance=imp)
    return rec


__all__ = ["DC_CURRENT_FLOOR", "dc_current_flows", "dc_trace"]
