"""The interpolation function h(zeta) of the phase field and its derivatives (one definition).

``h(zeta) = zeta^3 (6 zeta^2 - 15 zeta + 10)`` rises from h(0) = 0 (pore) to h(1) = 1 (Li) with
h' = h'' = 0 at both ends, so terms weighted by h' (the Butler-Volmer drive, the stack pressure,
the "h" wetting form) act only on the Li surface (docs/phasefield.md).

* ``h'(zeta) = 30 zeta^2 (1 - zeta)^2``
* ``h''(zeta) = 60 zeta (1 - zeta)(1 - 2 zeta)``, largest in magnitude at ``zeta = 1/2 -+ sqrt(3)/6``,
  where it is ``10/sqrt(3) = 5.77``. :data:`H2_MAX`, the value the solver's explicit stiffness bound
  uses, is half of that (``10 sqrt(3)/6 = 2.89``: the factor ``1 - 2 zeta = sqrt(3)/3`` was taken as
  ``sqrt(3)/6``); it is kept as it was so that the solver's step limit and stabilisation, and
  with them its results, do not change (raised with issue 14). Measured: with the true maximum the
  default step on the default packing is 21% smaller and the depth after 200 steps 3% smaller; the
  documented Fig. 2k,l runs (fixed step counts) then end earlier, so the change needs those tables
  and step counts re-derived.

The solver's hot loop (:meth:`interlayer.phasefield.solver.SemiImplicitDCT.nonlinear`) evaluates
h' with in-place operations for speed; it is the same polynomial.

>>> float(h(0.0)), float(h(1.0)), float(h(0.5))
(0.0, 1.0, 0.5)
>>> float(dh(0.0)), float(dh(1.0)), float(dh(0.5))
(0.0, 0.0, 1.875)
>>> round(float(d2h(0.5 - 3 ** 0.5 / 6)), 6), round(float(d2h(0.5 - 3 ** 0.5 / 6)) / H2_MAX, 12)
(5.773503, 2.0)
"""

from __future__ import annotations

import math

import numpy as np

#: The bound on |h''(zeta)| in the explicit stability estimate: 10 sqrt(3)/6, half the true maximum
#: 10/sqrt(3) at zeta = 1/2 -+ sqrt(3)/6 (see the module docstring; kept so the results do not change).
H2_MAX = 60.0 * (math.sqrt(3) / 6) * (0.5 - math.sqrt(3) / 6) * (0.5 + math.sqrt(3) / 6)


def h(zeta, clip: bool = True):
    """h(zeta) = zeta^3 (6 zeta^2 - 15 zeta + 10), with zeta clipped to [0, 1] unless ``clip=False``."""
    z = np.clip(zeta, 0.0, 1.0) if clip else zeta
    return z**3 * (6 * z * z - 15 * z + 10)


def dh(zeta):
    """h'(zeta) = 30 zeta^2 (1 - zeta)^2 (eq. 16's weight of the Butler-Volmer term)."""
    return 30.0 * zeta * zeta * (1.0 - zeta) ** 2


def d2h(zeta):
    """h''(zeta) = 60 zeta (1 - zeta)(1 - 2 zeta)."""
    return 60 * zeta * (1 - zeta) * (1 - 2 * zeta)


__all__ = ["H2_MAX", "d2h", "dh", "h"]
