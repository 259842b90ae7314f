"""Benchmark: the virtual cell (issue 12 target: 20 activation cycles + a step test of ~80 half cycles
in <= 2 s on this machine).

Reference measured in the same run: the same protocol's half cycles evaluated one by one by the
failure physics' design criterion (`failure.half_cycle`, 32 increments each), i.e. the cost of the
physics without the state bookkeeping and sampling.

    python benchmarks/virtualcell.py
"""

from __future__ import annotations

import time

from interlayer.cell import Cell, Interlayer, Layer
from interlayer.design import failure
from interlayer.virtualcell import paper_step_test, parse, simulate


def main():
    cell = Cell(Interlayer((Layer.from_material("lni-5cnt", 90e-6),), 0.0))
    protocol = paper_step_test()  # 20 activation cycles, then 0.1-4.0 mA/cm2 (80 half cycles)
    steps = parse(protocol)
    simulate(cell, protocol)  # warm-up
    t0 = time.perf_counter()
    ds = simulate(cell, protocol)
    wall = time.perf_counter() - t0
    print(f"{len(steps)} half cycles, {ds.time.size} samples: {wall:.2f} s (target <= 2 s); "
          f"failure: {ds.failure_mode.item()}")
    props = failure.cell_properties(cell)
    t0 = time.perf_counter()
    for s in steps:
        failure.half_cycle(s.current_density, s.current_density * s.time(), props)
    ref = time.perf_counter() - t0
    print(f"reference, the design criterion per half cycle: {ref:.2f} s -> virtual cell / reference = {wall / ref:.2f}")


if __name__ == "__main__":
    main()
