"""A virtual symmetric cell: the failure physics run through a cycling protocol, recorded like a cycler.

>>> from interlayer.cell import Cell, Interlayer, Layer
>>> cell = Cell(Interlayer((Layer.from_material("lni-50cnt", 90e-6),), 0.0))
>>> ds = simulate(cell, ["Step from 0.5 to 1.0 mA/cm2 by 0.1 mA/cm2 for 1 hour"])
>>> ds.failure_mode.item(), round(float(ds.critical_current) * 0.1, 2)
('sse-nucleation', 0.7)
"""

from interlayer.virtualcell.model import SHORT_RESISTANCE, VOLTAGE_LIMIT, simulate, summary, write_csv
from interlayer.virtualcell.protocol import HalfCycle, Rest, paper_step_test, parse

__all__ = ["simulate", "summary", "write_csv", "parse", "paper_step_test", "HalfCycle", "Rest",
           "SHORT_RESISTANCE", "VOLTAGE_LIMIT"]
