"""Scharfetter-Gummel edge fluxes: the Bernoulli function and its derivative.

For a species of valence ``z`` with flux ``J = -D (dc/dx + z c dpsi/dx)`` (``psi = V F/(R T)``),
the exact flux through an edge of length ``h`` on which ``J`` and ``dpsi/dx`` are constant is

    J = (D / h) [B(z dpsi) c_i - B(-z dpsi) c_j],      dpsi = psi_j - psi_i,
    B(x) = x / (exp(x) - 1)

(D. L. Scharfetter and H. K. Gummel, IEEE Trans. Electron Devices 16, 64 (1969)). It reduces to
central differences for ``dpsi -> 0`` and to upwinding for ``|dpsi| >> 1``, and it is exact for
Boltzmann equilibrium (``c_j / c_i = exp(-z dpsi)`` gives ``J = 0``), which is what lets coarse cells
carry steep Debye layers without oscillations.
"""

from __future__ import annotations

import numpy as np

_SMALL = 1e-4  # below this |x| the series is more accurate than x/expm1(x)
_LARGE = 600.0  # above this exp(x) would overflow; B(x) ~ x exp(-x) there


def bernoulli(x: np.ndarray) -> np.ndarray:
    """Bernoulli function ``B(x) = x / (exp(x) - 1)``, overflow-safe, ``B(0) = 1``.

    >>> float(bernoulli(np.array([0.0]))[0])
    1.0
    >>> round(float(bernoulli(np.array([1.0]))[0]), 6)
    0.581977
    """
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    small = np.abs(x) < _SMALL
    big = x > _LARGE
    mid = ~(small | big)
    xs = x[small]
    out[small] = 1.0 - 0.5 * xs + xs * xs / 12.0
    xb = x[big]
    out[big] = xb * np.exp(-xb)
    xm = x[mid]
    out[mid] = xm / np.expm1(xm)
    return out


def bernoulli_prime(x: np.ndarray) -> np.ndarray:
    """Derivative ``B'(x) = (expm1(x) - x exp(x)) / expm1(x)^2``, overflow-safe, ``B'(0) = -1/2``."""
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    small = np.abs(x) < _SMALL
    big = x > _LARGE
    mid = ~(small | big)
    xs = x[small]
    out[small] = -0.5 + xs / 6.0
    xb = x[big]
    out[big] = (1.0 - xb) * np.exp(-xb)
    xm = x[mid]
    em = np.expm1(xm)
    # B'(x) = B(x)/x * (1 - B(x) - x)  avoids cancellation for moderate |x|
    b = xm / em
    out[mid] = b / xm * (1.0 - b) - b
    return out
