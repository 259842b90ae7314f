"""How much memory a phase-field run needs, estimated before anything is allocated.

Measured with ``tracemalloc`` on 64^2 to 256^2 grids (this module's tests repeat it): a run holds
about 460 bytes per grid cell of working arrays (fields, cosine-transform buffers, trackers), and
each stored snapshot adds 32 bytes per cell (zeta and the potential, kept while running and copied
once into the Dataset). :func:`check_memory` refuses a run whose estimate exceeds the ``memory``
limit (:mod:`interlayer.limits`).
"""

from __future__ import annotations

import math

from interlayer.errors import InputError
from interlayer.limits import describe, format_bytes, limit

#: Working arrays of a run, bytes per cell (measured 453-455 B, rounded up).
WORKING_BYTES_PER_CELL = 512
#: Each stored snapshot, bytes per cell (zeta + potential, float64, held twice).
SNAPSHOT_BYTES_PER_CELL = 32
#: What building a microstructure needs, bytes per cell (signed distances, the host field).
BUILD_BYTES_PER_CELL = 64


def snapshots(steps: int, storage_every: int | None) -> int:
    """Stored snapshots of a run of ``steps`` steps (the initial state, every ``storage_every``-th step,
    the last); ``storage_every`` None: the default of :func:`interlayer.phasefield.simulate` (steps/20)."""
    every = storage_every or max(1, int(steps) // 20)
    return int(steps) // max(1, int(every)) + 2


def run_memory(nx: int, ny: int, steps: int, storage_every: int | None = None) -> float:
    """Estimated peak memory of a phase-field run, bytes."""
    cells = float(nx) * float(ny)
    return cells * (WORKING_BYTES_PER_CELL + SNAPSHOT_BYTES_PER_CELL * snapshots(steps, storage_every))


def check_memory(nx: int, ny: int, steps: int, storage_every: int | None = None, field: str = "grid") -> float:
    """Raise InputError (naming ``field``) if the run would need more than the ``memory`` limit.

    Returns the estimate in bytes. The message gives the estimate, the limit and the largest square
    grid that fits.
    """
    need = run_memory(nx, ny, steps, storage_every)
    cap = limit("memory")
    if need > cap:
        n_snap = snapshots(steps, storage_every)
        per_cell = WORKING_BYTES_PER_CELL + SNAPSHOT_BYTES_PER_CELL * n_snap
        side = int(math.sqrt(cap / per_cell))
        raise InputError(field, f"{int(nx)} x {int(ny)} cells with {n_snap} stored snapshots need about "
                                f"{format_bytes(need)}, above {describe('memory')}; at most about {side} x {side} "
                                "cells fit (or store fewer snapshots)")
    return need


def check_build_memory(nx: int, ny: int, field: str = "grid") -> None:
    """Raise InputError if merely building an ``nx`` x ``ny`` microstructure exceeds the ``memory`` limit."""
    need = float(nx) * float(ny) * BUILD_BYTES_PER_CELL
    if need > limit("memory"):
        raise InputError(field, f"{int(nx)} x {int(ny)} cells need about {format_bytes(need)} to build, above "
                                f"{describe('memory')}")
