"""Benchmark of the phase-field solver: 256 x 256 grid, 10^4 steps, against FiPy and memory bandwidth.

Run: ``python benchmarks/phasefield.py [--grid 256] [--steps 10000] [--fipy-steps 100]``.

What it measures, all in this run on this machine:

1. Our solver on the paper-like problem (packed particles, lithiophobic 120 deg, eta = 50 mV,
   uniform potential: the Allen-Cahn core the benchmark is about), 10^4 steps, SBDF2 and IMEX Euler.
2. The same Allen-Cahn problem in FiPy (Grid2D, implicit DiffusionTerm + explicit source: exactly our
   IMEX-Euler split, FiPy's default linear solver), same grid, same dt, same initial state. FiPy is
   run for ``--fipy-steps`` steps (10^4 would take many minutes), our IMEX Euler for the same steps;
   the "same error" check is the max difference of the two zeta fields after those steps (the two
   discretisations are identical, so it should be at the linear-solver tolerance). The speed ratio
   compares time per step.
3. The memory-bandwidth bound: a large numpy copy (bytes read + written per second), and the bytes
   our step must at least move (compulsory traffic: each of the arrays read and written once per
   step, each transform reading and writing one array), divided by the time per step. One 256 x 256
   array is 0.5 MiB, so the step works in cache: the copy bound of a grid-sized array is printed too.
   Timings on this shared 2-core machine vary by 2x between runs (other processes).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from interlayer import phasefield as pf


def measure_bandwidth(n_bytes: int = 256 * 2**20, repeats: int = 10) -> float:
    """Best bytes/s of ``b[:] = a`` for arrays of n_bytes (read + write counted)."""
    a = np.ones(n_bytes // 8)
    b = np.empty_like(a)
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t0)
    return 2 * a.nbytes / best


def fipy_run(solver: pf.SemiImplicitDCT, zeta0: np.ndarray, steps: int) -> tuple[np.ndarray, float]:
    """The same IMEX-Euler Allen-Cahn steps in FiPy; returns zeta and seconds per step."""
    from fipy import CellVariable, DiffusionTerm, Grid2D, TransientTerm

    ny, nx = zeta0.shape
    dxs = solver.model.dx_scaled
    mesh = Grid2D(dx=dxs, dy=dxs, nx=nx, ny=ny)  # FiPy cell order: x fastest, like our ravel()
    zeta = CellVariable(mesh=mesh, value=zeta0.ravel())
    source = CellVariable(mesh=mesh, value=0.0)
    eq = TransientTerm() == DiffusionTerm(coeff=2.0) + source  # no-flux walls are FiPy's default
    eta = solver.model.overpotential
    dts = solver.dt_scaled
    t0 = time.perf_counter()
    for _ in range(steps):
        n, _bv = solver.nonlinear(np.asarray(zeta.value).reshape(ny, nx), eta)
        source.setValue(n.ravel())
        eq.solve(var=zeta, dt=dts)
    per_step = (time.perf_counter() - t0) / steps
    return np.asarray(zeta.value).reshape(ny, nx), per_step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", type=int, default=256)
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--fipy-steps", type=int, default=100)
    args = ap.parse_args()
    n = args.grid
    ms = pf.packed_particles(n, n, 16e-6 / n, diameter=2e-6, porosity=0.5, seed=1)
    theta = math.radians(120)
    print(f"grid {n} x {n}, {args.steps} steps, particles (porosity {ms.porosity:.2f}), theta 120 deg, eta 50 mV")

    results = {}
    for order in (2, 1):
        model = pf.PhaseFieldModel(ms, theta, 0.05, potential="uniform")
        solver = pf.SemiImplicitDCT(model, order=order)
        state = solver.initial_state()
        t0 = time.perf_counter()
        solver.run(state, args.steps)
        wall = time.perf_counter() - t0
        results[order] = (solver, state, wall)
        name = "SBDF2" if order == 2 else "IMEX Euler"
        print(f"ours ({name}): {wall:.2f} s for {args.steps} steps = {wall / args.steps * 1e3:.3f} ms/step "
              f"(dt = {solver.dt:.3g} s, t_end = {state.time:.3g} s, Li error {solver.li_inventory(state) - state.charge:.2e} C/m2)")

    # FiPy against our IMEX Euler, same grid, dt, initial state and number of steps.
    model = pf.PhaseFieldModel(ms, theta, 0.05, potential="uniform")
    ours = pf.SemiImplicitDCT(model, order=1)
    state = ours.initial_state()
    zeta0 = state.zeta.copy()
    t0 = time.perf_counter()
    ours.run(state, args.fipy_steps)
    ours_per_step = (time.perf_counter() - t0) / args.fipy_steps
    try:
        zeta_fipy, fipy_per_step = fipy_run(ours, zeta0, args.fipy_steps)
    except ImportError:
        print("FiPy not installed: skipped the comparison")
        zeta_fipy = None
    if zeta_fipy is not None:
        diff = float(np.max(np.abs(zeta_fipy - state.zeta)))
        print(f"FiPy ({args.fipy_steps} steps, same grid/dt/initial state): {fipy_per_step * 1e3:.2f} ms/step; "
              f"ours {ours_per_step * 1e3:.3f} ms/step; max |zeta_FiPy - zeta_ours| = {diff:.2e}")
        print(f"speed ratio FiPy/ours (IMEX Euler, per step): {fipy_per_step / ours_per_step:.1f}x")
        wall_sbdf2 = results[2][2] / args.steps
        print(f"speed ratio FiPy/ours (SBDF2 default, per step): {fipy_per_step / wall_sbdf2:.1f}x")
        print(f"FiPy extrapolated to {args.steps} steps: {fipy_per_step * args.steps:.0f} s")

    bandwidth = measure_bandwidth()
    cells = n * n
    cache_bandwidth = measure_bandwidth(8 * cells, repeats=200)
    # Compulsory traffic per SBDF2 step (float64): nonlinear reads zeta, b phi^2, forcing and writes N
    # (4 arrays); two forward/one inverse transform read+write one array each (6); the update reads
    # zhat, zhat_old, nhat, nhat_old, denominator and writes the new zhat (6). 16 arrays.
    bytes_per_step = 16 * 8 * cells
    per_step = results[2][2] / args.steps
    achieved = bytes_per_step / per_step
    print(f"memory bandwidth (numpy copy of 256 MiB, read+write): {bandwidth / 1e9:.2f} GB/s")
    print(f"cache-resident bandwidth (copy of one {8 * cells / 2**20:.2f} MiB grid array): {cache_bandwidth / 1e9:.2f} GB/s")
    print(f"achieved (compulsory {bytes_per_step / 1e6:.2f} MB/step): {achieved / 1e9:.2f} GB/s; "
          f"ratio achieved/memory bound = {achieved / bandwidth:.2f}; "
          f"ratio achieved/cache bound = {achieved / cache_bandwidth:.2f}")


if __name__ == "__main__":
    main()
