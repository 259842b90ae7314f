"""Trackers: everything that watches a run from outside the time loop (after py-pde's trackers).

A tracker has an ``interval`` (steps) and three hooks: ``initialize(solver, state)``,
``handle(solver, state)`` (every ``interval`` steps) and ``finalize(solver, state)``. A tracker stops
the run by setting ``state.stop_reason``.
"""

from __future__ import annotations

import numpy as np

from interlayer.phasefield.microstructure import Microstructure


def penetration_depth(zeta: np.ndarray, ms: Microstructure, level: float = 0.5, connected: bool = True) -> float:
    """Height of the highest Li surface (zeta = level crossing) above ``ms.y_anode``, m.

    Li is the set zeta > level; with ``connected`` only the Li connected (4-neighbour) to the bottom
    row, i.e. grown from the anode, counts. Per column, the topmost Li cell is found and the crossing
    interpolated linearly to the next cell up; the result is the maximum over columns minus
    ``y_anode``.

    This is a front *height*, not yet the reported penetration depth: the initial Li is
    zeta_0 (1 - phi) (kept out of the grains), so where the host's smooth edge reaches down to
    ``y_anode`` (narrow pores, particles touching the anode) the zeta = 0.5 crossing starts up to about
    one interface width below ``y_anode`` and this height is slightly negative at t = 0 (-0.12 um in
    1 um slits on a 250 nm grid). :class:`StorageTracker` reports ``penetration_depth`` as this height
    minus its value at t = 0, so the initial state gives exactly 0 and a negative depth means the Li
    surface has receded below where it started.
    """
    above = zeta > level
    if connected:
        from scipy.ndimage import label

        labels, _ = label(above)
        anode = np.unique(labels[0][labels[0] > 0])
        above = np.isin(labels, anode)
    ny = zeta.shape[0]
    has = above.any(axis=0)
    if not has.any():
        return -ms.y_anode
    top = ny - 1 - np.argmax(above[::-1, :], axis=0)  # topmost index with zeta > level
    cols = np.nonzero(has)[0]
    j = top[cols]
    z0 = zeta[j, cols]
    j1 = np.minimum(j + 1, ny - 1)
    z1 = zeta[j1, cols]
    frac = np.where((j1 > j) & (z0 != z1), (z0 - level) / np.where(z0 != z1, z0 - z1, 1.0), 0.0)
    y = (j + 0.5 + np.clip(frac, 0.0, 1.0)) * ms.dx
    return float(y.max() - ms.y_anode)


class Tracker:
    """Base class: override the hooks you need."""

    interval: int = 1

    def initialize(self, solver, state) -> None:  # noqa: B027 - optional hook
        pass

    def handle(self, solver, state) -> None:  # noqa: B027 - optional hook
        pass

    def finalize(self, solver, state) -> None:  # noqa: B027 - optional hook
        pass


class ProgressTracker(Tracker):
    """Reports the steps done to an :class:`interlayer.progress.Progress` (by default a Rich bar on stderr).

    The one progress protocol of the package, driven from the trackers' hooks: ``start(total_steps,
    description)`` at initialize, ``advance(steps since the last call)`` every ``interval`` steps and
    at finalize, then ``close()``.

    Parameters
    ----------
    total_steps : int
        Steps of the run (the bar's 100 %).
    interval : int
        Update interval, steps.
    description : str
        Label of the bar.
    console : rich.console.Console, optional
        Where the default bar draws (default: a new stderr console; never stdout, so ``--json``
        output stays clean). Not drawn when it is not a terminal (logs and pipes get no control
        sequences).
    progress : interlayer.progress.Progress, optional
        Report to this instead of the default bar.
    """

    def __init__(self, total_steps: int, interval: int = 50, description: str = "phase field", console=None,
                 progress=None):
        from interlayer.progress import RichProgress, as_progress

        self.total = int(total_steps)
        self.interval = max(1, int(interval))
        self.description = description
        self.console = console
        self.progress = RichProgress(console, unit="steps") if progress is None else as_progress(progress)
        self._done = 0

    def initialize(self, solver, state) -> None:
        self._done = int(state.step)
        self.progress.start(self.total, self.description, completed=self._done)

    def handle(self, solver, state) -> None:
        self.progress.advance(int(state.step) - self._done)
        self._done = int(state.step)

    def finalize(self, solver, state) -> None:
        try:
            if int(state.step) > self._done:  # the steps since the last interval
                self.handle(solver, state)
        finally:
            self.progress.close()


class StorageTracker(Tracker):
    """Stores zeta and eta snapshots and the scalar series every ``interval`` steps (and at t = 0, end).

    ``depth`` is the penetration depth, m: the height of the highest anode-connected Li surface
    (:func:`penetration_depth`) minus its height at t = 0 (``front_height0``, m above ``y_anode``).
    """

    def __init__(self, interval: int):
        self.interval = max(1, int(interval))
        self.times: list[float] = []
        self.steps: list[int] = []
        self.zeta: list[np.ndarray] = []
        self.eta: list[np.ndarray] = []
        self.depth: list[float] = []
        self.charge: list[float] = []
        self.inventory: list[float] = []
        self.current: list[float] = []
        self.faradaic: list[float] = []
        self.faradaic_charge: list[float] = []
        self.front_height0: float | None = None

    def _store(self, solver, state) -> None:
        if self.steps and self.steps[-1] == state.step:
            return
        self.times.append(state.time)
        self.steps.append(state.step)
        self.zeta.append(state.zeta.copy())
        eta = state.eta
        self.eta.append(np.broadcast_to(np.asarray(eta, dtype=float), state.zeta.shape).copy())
        height = penetration_depth(state.zeta, solver.model.microstructure)
        if self.front_height0 is None:
            self.front_height0 = height  # the first snapshot is t = 0 (``initialize``)
        self.depth.append(height - self.front_height0)
        self.charge.append(state.charge)
        self.inventory.append(solver.li_inventory(state))
        self.current.append(state.current_density)
        self.faradaic.append(state.faradaic_current_density)
        self.faradaic_charge.append(state.faradaic_charge)

    def initialize(self, solver, state) -> None:
        self._store(solver, state)

    def handle(self, solver, state) -> None:
        self._store(solver, state)

    def finalize(self, solver, state) -> None:
        self._store(solver, state)


class InventoryTracker(Tracker):
    """Compares the Li counted in zeta with the integrated plating current.

    ``error`` is |Q_inventory - Q_current| / max(|Q_current|, Q_floor), with Q_floor the charge of one
    grid row of dense Li (so that a run that plates nothing does not divide by zero).
    """

    def __init__(self, interval: int = 100):
        self.interval = max(1, int(interval))
        self.error = 0.0

    def _check(self, solver, state) -> None:
        q_inv = solver.li_inventory(state)
        ms = solver.model.microstructure
        floor = solver._charge_per_area * ms.shape[1] / solver._width
        err = abs(q_inv - state.charge) / max(abs(state.charge), floor)
        self.error = max(self.error, err)

    def handle(self, solver, state) -> None:
        self._check(solver, state)

    def finalize(self, solver, state) -> None:
        self._check(solver, state)
        state.extras["li_inventory_error"] = self.error


class BreakthroughTracker(Tracker):
    """Stops the run when Li reaches the SSE surface (within ``margin`` interface widths)."""

    def __init__(self, interval: int = 20, margin: float = 2.0, stop: bool = True):
        self.interval = max(1, int(interval))
        self.margin = margin
        self.stop = stop
        self.breakthrough = False
        self.time: float | None = None

    def handle(self, solver, state) -> None:
        ms = solver.model.microstructure
        if ms.y_sse >= ms.shape[0] * ms.dx:  # no SSE in this microstructure
            return
        limit = ms.interlayer_thickness - self.margin * solver.model.scales.length
        if not self.breakthrough and penetration_depth(state.zeta, ms) >= limit:
            self.breakthrough = True
            self.time = state.time
            if self.stop:
                state.stop_reason = "breakthrough"

    def finalize(self, solver, state) -> None:
        self.handle(solver, state)
        state.extras["breakthrough"] = self.breakthrough
        state.extras["breakthrough_time_s"] = self.time
