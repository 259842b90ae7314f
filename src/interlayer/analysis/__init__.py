"""Analysis of cell records: half-cycles, overpotential, nucleation spikes, shorts, CCD, capacity, EIS.

The one-call facade is :func:`analyze`; each step is also public:

* :func:`interlayer.analysis.segments.half_cycle_table` - segmentation and per-half-cycle
  plateau/end polarisation, noise and spike V_sp;
* :mod:`interlayer.analysis.spikes` - V_sp definition, ``l_n = C V_sp / i``;
* :func:`interlayer.analysis.shorts.detect_shorts` - hard and soft short circuits;
* :func:`interlayer.analysis.ccd.critical_current_density` - CCD with its protocol;
* :func:`interlayer.analysis.capacity.cycle_capacity` - capacity, CE, retention;
* :mod:`interlayer.analysis.eis` - equivalent-circuit fits, ``sigma = L / (R A)``;
* :mod:`interlayer.analysis.density` - Archimedes density;
* :mod:`interlayer.analysis.synthetic` - traces with known answers to check all of the above.

>>> from interlayer.analysis.synthetic import symmetric_trace
>>> rec = symmetric_trace(n_cycles=4, seed=1)
>>> result = analyze(rec, area=0.503e-4)
>>> len(result.shorts)
0
"""

from __future__ import annotations

from interlayer.analysis.ccd import CCDResult
from interlayer.analysis.dc_trace import DC_CURRENT_FLOOR as DC_CURRENT_FLOOR  # used by the CLI
from interlayer.analysis.dc_trace import dc_current_flows as dc_current_flows
from interlayer.analysis.failures import FailureEvent
from interlayer.analysis.pipeline import analyze
from interlayer.analysis.result import CellAnalysis
from interlayer.analysis.shorts import ShortEvent, confirm_with_impedance

__all__ = ["CellAnalysis", "analyze", "ShortEvent", "FailureEvent", "CCDResult", "confirm_with_impedance"]
