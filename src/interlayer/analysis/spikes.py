r"""The nucleation spike V_sp and the nucleation length l_n = C V_sp / i (paper eq. 1).

Definition (measured on the polarisation ``u = V sign(I)`` of one plating half-cycle)::

      u
      ^        peak (3-point median extreme in the spike window)
      |        .
      |       / \            V_sp = peak - following plateau
      |      /   '-.______________________________   <- following plateau (median of the
      |     |      ^                                     window right after the spike window)
      |     |      | V_sp
      |     |  ohmic step i*R: present in both the peak and the plateau, so it cancels
      |_____|_____________________________________> t
            ^ current switched on
            |<-- spike window -->|<-- following -->|
               (fraction f_s T)     (next f_s T)

* The ohmic step is excluded because V_sp is taken relative to the plateau that follows, not to
  the voltage before the current switched: both peak and plateau carry the same i*R drop.
* The extreme is the raw sampled maximum (smoothing would clip spikes one or two samples wide);
  with noise of standard deviation ``noise_V`` it reads high by about 2-3 ``noise_V``.
* A spike is *detected* (else V_sp is reported but flagged not significant) when all hold:
  ``V_sp > 5 noise_V`` (noise: robust spread in the following window); ``V_sp > 2 V_null``, where
  ``V_null`` is the same statistic, of either sign (window maximum minus next window's median, or
  that median minus the window minimum), over the later
  windows of the same half-cycle, so correlated noise and drifts set their own bar; the peak
  relaxes to within ``V_sp / 2`` of the plateau within half a spike window (nucleation spikes
  relax in seconds to minutes, drifts over hours); and the half-cycle is not shorted.

The nucleation length follows from the linear fall of the local overpotential across a
mixed-conducting layer near the boundary where Li nucleates (docs/equations.md (E7), paper eq. 1):
``l_n = C V_sp / i`` with ``C`` a conductivity [S/m]: sigma_e for Li-side nucleation, sigma_i for
SSE-side nucleation, or fitted to known lengths with :func:`fit_coefficient`.
"""

from __future__ import annotations

import numpy as np

from interlayer.errors import InputError

# five robust standard deviations: a spike has to stand clear of the noise of the plateau
SPIKE_SIGNIFICANCE = 5.0
# a spike must be twice the largest look-alike excursion in the rest of its own half-cycle
SPIKE_NULL_FACTOR = 2.0


def nucleation_length(spike_voltage, current_density, coefficient):
    """Nucleation length ``l_n = C V_sp / i`` [m] (paper eq. 1).

    Parameters
    ----------
    spike_voltage : float or array
        V_sp [V], >= 0.
    current_density : float or array
        Plating current density magnitude i [A/m^2], > 0.
    coefficient : float
        C [S/m]: the conductivity that sets the slope of the overpotential near the nucleation side.

    >>> round(nucleation_length(0.030, 10.0, 2.8e-3) * 1e6, 2)   # 30 mV, 1 mA/cm2, LNI-5% CNT sigma_e
    8.4
    """
    v = np.asarray(spike_voltage, dtype=float)
    i = np.asarray(current_density, dtype=float)
    if np.any(i <= 0):
        raise InputError("current_density", "must be > 0 A/m^2")
    if np.any(v < 0):
        raise InputError("spike_voltage", "must be >= 0 V")
    if not coefficient > 0:
        raise InputError("coefficient", "C must be > 0 S/m")
    out = coefficient * v / i
    return float(out) if out.ndim == 0 else out


def fit_coefficient(spike_voltage, current_density, length) -> float:
    """Least-squares C [S/m] in ``l_n = C V_sp / i`` through the origin, from known lengths [m]."""
    x = np.asarray(spike_voltage, dtype=float) / np.asarray(current_density, dtype=float)
    y = np.asarray(length, dtype=float)
    if x.size == 0 or not np.any(x > 0):
        raise InputError("spike_voltage", "need at least one positive V_sp / i to fit C")
    return float(np.dot(x, y) / np.dot(x, x))
