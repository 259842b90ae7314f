"""1D graded meshes that resolve the charge (Debye) layers at both faces of the layer.

Spacing grows geometrically from ``h_min`` at each face by ``growth`` per cell until it reaches
``h_max``; a smooth grading (ratio close to 1) keeps the box method second-order accurate.
"""

from __future__ import annotations

import numpy as np

from interlayer.errors import InputError
from interlayer.transport.pnp.system import Boundary, Graph


def _one_side(length: float, h_min: float, growth: float, h_max: float) -> np.ndarray:
    """Cell sizes from a face inward: geometric until ``h_max``, covering at least ``length``."""
    sizes = []
    h, total = h_min, 0.0
    while total < length:
        sizes.append(h)
        total += h
        h = min(h * growth, h_max)
    return np.array(sizes)


def graded_nodes(
    length: float = 1.0,
    h_min: float = 1e-3,
    growth: float = 1.1,
    h_max: float | None = None,
    h_min_right: float | None = None,
) -> np.ndarray:
    """Node coordinates on ``[0, length]``, fine at both ends, coarse in the middle.

    Parameters
    ----------
    length : float
        Domain length (any unit; the solver passes dimensionless ``1``).
    h_min : float
        Smallest spacing at ``x = 0`` (and at ``x = length`` unless ``h_min_right`` is given).
    growth : float
        Ratio of neighbouring cell sizes, > 1 (1.05-1.2 recommended).
    h_max : float, optional
        Largest spacing (default ``length / 50``).
    h_min_right : float, optional
        Smallest spacing at ``x = length``.

    Returns
    -------
    numpy.ndarray
        Increasing coordinates, first 0 and last ``length``.

    >>> x = graded_nodes(1.0, 1e-4, 1.2)
    >>> bool(x[0] == 0.0 and x[-1] == 1.0 and np.all(np.diff(x) > 0))
    True
    """
    if not (length > 0 and h_min > 0 and growth >= 1.0):
        raise InputError("mesh", f"need length > 0, h_min > 0 and growth >= 1 (got {length}, {h_min}, {growth})")
    h_max = length / 50 if h_max is None else h_max
    h_right = h_min if h_min_right is None else h_min_right
    if growth == 1.0:
        n = max(int(np.ceil(length / min(h_min, h_right))), 2)
        return np.linspace(0.0, length, n + 1)
    left = _one_side(length / 2, h_min, growth, h_max)
    right = _one_side(length / 2, h_right, growth, h_max)
    # Rescale each half to exactly length/2 (only the coarsest cells change noticeably).
    left = left * (length / 2) / left.sum()
    right = right * (length / 2) / right.sum()
    sizes = np.concatenate([left, right[::-1]])
    x = np.concatenate([[0.0], np.cumsum(sizes)])
    x[-1] = length
    return x


def graph_1d(x: np.ndarray, area: float = 1.0, names: tuple[str, str] = ("left", "right")) -> Graph:
    """Box-method graph of a 1D node set: ``w = area/h``, half cells as control volumes.

    Boundaries ``names[0]`` (node 0, default ``"left"``) and ``names[1]`` (last node, ``"right"``).
    """
    x = np.asarray(x, dtype=float)
    h = np.diff(x)
    if np.any(h <= 0):
        raise InputError("mesh", "node coordinates must be strictly increasing")
    vol = np.zeros(x.size)
    vol[:-1] += h / 2
    vol[1:] += h / 2
    idx = np.arange(x.size - 1)
    return Graph(
        coords=x[:, None],
        volume=vol * area,
        ei=idx,
        ej=idx + 1,
        w=area / h,
        boundaries={
            names[0]: Boundary(np.array([0]), np.array([area])),
            names[1]: Boundary(np.array([x.size - 1]), np.array([area])),
        },
    )
