"""Benchmark: the design criterion over a 10^6-point parameter grid, vectorised.

Prints points per second, peak memory (traced NumPy allocations), and the speed-up over a naive
reference: one `interlayer.design.evaluate` call per point, timed on a sample in the same run.
Target (issue 2/7): 10^6 points in under 2 s on a 2-core machine, peak memory under 1 GB.

    python benchmarks/design_map.py
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from interlayer.design import evaluate
from interlayer.design.maps import design_map


def grid():
    return {
        "sigma_e": np.geomspace(1e-6, 10.0, 25),  # S/m
        "sigma_ion": np.geomspace(1e-3, 1e-1, 10),  # S/m
        "contact_angle": np.radians(np.linspace(60, 160, 10)),
        "thickness": np.linspace(10e-6, 150e-6, 20),
        "current_density": np.linspace(1.0, 60.0, 20),  # A/m^2
    }


def main():
    axes = grid()
    n = int(np.prod([v.size for v in axes.values()]))
    design_map(**{k: v[:2] for k, v in axes.items()})  # warm-up (imports, library load)
    tracemalloc.start()
    t0 = time.perf_counter()
    ds = design_map(**axes)
    wall = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"design map: {n:,} points in {wall:.3f} s -> {n / wall:,.0f} points/s "
          f"(target: 1e6 points < 2 s: {'met' if n >= 1e6 and wall < 2 else 'NOT met'})")
    print(f"peak traced memory: {peak / 2**20:.1f} MiB (target < 1024 MiB)")
    print("regime counts:", {lab: int((ds.regime == k).sum()) for k, lab in enumerate(ds.regime.attrs['flag_meanings'].split())})

    rng = np.random.default_rng(0)
    sample = 200
    t0 = time.perf_counter()
    for _ in range(sample):
        evaluate(sigma_e=float(rng.choice(axes["sigma_e"])), sigma_ion=float(rng.choice(axes["sigma_ion"])),
                 contact_angle=float(rng.choice(axes["contact_angle"])), thickness=float(rng.choice(axes["thickness"])),
                 current_density=[float(rng.choice(axes["current_density"]))])
    naive_per_point = (time.perf_counter() - t0) / sample
    print(f"naive reference (one evaluate() call per point, {sample} sampled): {naive_per_point * 1e3:.2f} ms/point "
          f"-> {n * naive_per_point:.0f} s for the grid; vectorised map is {n * naive_per_point / wall:,.0f}x faster")


if __name__ == "__main__":
    main()
