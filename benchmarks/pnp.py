"""Benchmarks of the PNP solver (``interlayer.transport.pnp``); plain script, prints numbers and ratios.

1. 1D steady state of the LNI-5% CNT interlayer on a 10^4-node graded mesh (target <= 0.2 s).
2. 2D steady state with the Li protrusion, about 10^5 unknowns (target <= 30 s).
3. The same 1D verification problem (Gouy-Chapman: 1:1 carriers against a blocking electrode at 50 mV,
   where the exact answer is known, so "equal error" is measurable) solved by FiPy and by us, each on
   the coarsest mesh of a common sequence that reaches a max error of 2e-4 of the applied potential;
   the wall-time ratio is printed (target >= 10).

Run: ``python benchmarks/pnp.py`` (about a minute). FiPy is the ``bench`` extra.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from interlayer import units
from interlayer.transport import pnp
from interlayer.transport.pnp.assemble import make_residual
from interlayer.transport.pnp.mesh1d import graded_nodes, graph_1d
from interlayer.transport.pnp.newton import newton
from interlayer.transport.pnp.stepping import positive_mask
from interlayer.transport.pnp.system import PotentialDirichlet, Species, SpeciesDirichlet, System

T = 298.15
VT = units.thermal_voltage(T)
PHI0 = 0.05  # V
EPS = 10 * units.VACUUM_PERMITTIVITY
C = 1.0  # mol/m^3
LAMBDA = np.sqrt(EPS * units.GAS_CONSTANT * T / (2 * units.FARADAY**2 * C))
LENGTH = 40 * LAMBDA
EPS_HAT = EPS * units.GAS_CONSTANT * T / (units.FARADAY**2 * C * LENGTH**2)
TARGET_ERROR = 2e-4
FIPY_SWEEPS: list[int] = []


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def gc_exact(x):
    return 4 * VT * np.arctanh(np.tanh(PHI0 / (4 * VT)) * np.exp(-x * LENGTH / LAMBDA))


def gc_mesh(h_min):
    return graded_nodes(1.0, h_min, 1.05, h_max=20 * h_min, h_min_right=20 * h_min)


def ours_gc(h_min):
    x = gc_mesh(h_min)
    system = System(graph_1d(x), (Species("+", 1, 1.0, 1.0), Species("-", -1, 1.0, 1.0)), EPS_HAT, np.zeros(x.size),
                    (PotentialDirichlet("left", PHI0 / VT), PotentialDirichlet("right", 0.0),
                     SpeciesDirichlet("right", 0, 1.0), SpeciesDirichlet("right", 1, 1.0)))
    u = newton(make_residual(system), np.zeros(system.size), positive_mask(system)).u
    psi, _ = system.split(u)
    return float(np.max(np.abs(VT * psi - gc_exact(x))) / PHI0), x.size


def fipy_gc(h_min):
    import fipy as fp

    nodes = gc_mesh(h_min)
    mesh = fp.Grid1D(dx=np.diff(nodes))
    psi = fp.CellVariable(mesh=mesh, value=0.0, name="psi")
    cp = fp.CellVariable(mesh=mesh, value=1.0, name="c+")
    cn = fp.CellVariable(mesh=mesh, value=1.0, name="c-")
    psi.constrain(PHI0 / VT, mesh.facesLeft)
    psi.constrain(0.0, mesh.facesRight)
    cp.constrain(1.0, mesh.facesRight)
    cn.constrain(1.0, mesh.facesRight)
    # J = -(grad c + z c grad psi), migration as a diffusion term in psi with coefficient z c (FiPy's
    # documented coupled form; an ExponentialConvectionTerm version gives a singular coupled matrix)
    eq_psi = fp.DiffusionTerm(coeff=EPS_HAT, var=psi) + fp.ImplicitSourceTerm(1.0, var=cp) - fp.ImplicitSourceTerm(1.0, var=cn) == 0
    # The blocking electrode: psi is constrained on the left face, which would let a migration flux
    # through it; zero the migration coefficient there (FiPy's "linear potential" PNP pitfall).
    interior = 1.0 - mesh.facesLeft
    eq_p = fp.DiffusionTerm(coeff=1.0, var=cp) + fp.DiffusionTerm(coeff=cp.harmonicFaceValue * interior, var=psi) == 0
    eq_n = fp.DiffusionTerm(coeff=1.0, var=cn) - fp.DiffusionTerm(coeff=cn.harmonicFaceValue * interior, var=psi) == 0
    eq = eq_psi & eq_p & eq_n
    for _sweep in range(500):  # Picard: the migration coefficients lag one sweep
        old = np.array(psi.value)
        eq.sweep()
        # 1e-8 thermal voltages: far below the 2e-4 * 1.95 V_T error being compared
        if np.max(np.abs(psi.value - old)) < 1e-8:
            break
    FIPY_SWEEPS.append(_sweep + 1)
    x = mesh.cellCenters[0].value
    return float(np.max(np.abs(VT * psi.value - gc_exact(x))) / PHI0), mesh.numberOfCells


def equal_error(solver, label):
    for h_min in (1e-2, 5e-3, 2.5e-3, 1.25e-3, 6.25e-4, 3.125e-4, 1.5625e-4):
        err, n = solver(h_min)
        if err <= TARGET_ERROR:
            best, median = best_of(lambda h=h_min: solver(h), repeat=3)
            print(f"  {label:6s}: h_min = {h_min:.3g} L, {n} points, max error {err:.2e}, {best * 1e3:.1f} ms (best of 3)")
            return best
    raise RuntimeError(f"{label} did not reach {TARGET_ERROR}")


def main():
    print("1. 1D steady, LNI-5% CNT, 1 mA/cm2, 10^4-node graded mesh (Debye length resolved)")
    model = pnp.build_model("lni-5cnt", dim=1, n_nodes=10_000)
    best, median = best_of(model.solve_steady)
    print(f"   {model.graph.n_nodes} nodes, {model.system.size} unknowns: best {best:.3f} s, median {median:.3f} s "
          f"(target <= 0.2 s: {'met' if best <= 0.2 else 'NOT met'})")

    print("2. 2D steady, LNI-5% CNT with the Li protrusion, ~10^5 unknowns")
    model = pnp.build_model("lni-5cnt", dim=2, n_nodes=33_000)
    best, median = best_of(model.solve_steady, repeat=2)
    print(f"   {model.graph.n_nodes} nodes, {model.system.size} unknowns: best {best:.2f} s "
          f"(target <= 30 s: {'met' if best <= 30 else 'NOT met'})")

    print(f"3. Gouy-Chapman 1D at equal error (max |psi - exact| <= {TARGET_ERROR:g} of 50 mV)")
    ours = equal_error(ours_gc, "ours")
    try:
        theirs = equal_error(fipy_gc, "FiPy")
    except ImportError:
        print("   FiPy not installed (pip install interlayer[bench])")
        return
    print(f"   FiPy Picard sweeps per solve: {FIPY_SWEEPS[-1]}")
    print(f"   speed-up over FiPy: {theirs / ours:.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
