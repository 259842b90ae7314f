"""Verification ladder of the PNP solver: analytic profiles, convergence order, invariants."""

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

from interlayer import units
from interlayer.errors import SolverError
from interlayer.transport.pnp.assemble import make_residual
from interlayer.transport.pnp.mesh1d import graded_nodes, graph_1d
from interlayer.transport.pnp.model import InterlayerPNP
from interlayer.transport.pnp.newton import newton
from interlayer.transport.pnp.params import from_material
from interlayer.transport.pnp.stepping import evolve, positive_mask
from interlayer.transport.pnp.system import (
    PotentialDirichlet,
    Species,
    SpeciesDirichlet,
    System,
)

T = 298.15
VT = units.thermal_voltage(T)


def _gouy_chapman(h_min):
    """1:1 carriers (c = 1 mol/m^3, eps_r = 10) against a blocking electrode at 50 mV."""
    eps = 10 * units.VACUUM_PERMITTIVITY
    c = 1.0
    lam = np.sqrt(eps * units.GAS_CONSTANT * T / (2 * units.FARADAY**2 * c))  # 1:1 Debye length
    length = 40 * lam  # exp(-40): the far field is the bulk to double precision
    x = graded_nodes(1.0, h_min, 1.05, h_max=20 * h_min, h_min_right=20 * h_min)
    eps_hat = eps * units.GAS_CONSTANT * T / (units.FARADAY**2 * c * length**2)
    system = System(
        graph_1d(x),
        (Species("+", 1, 1.0, 1.0), Species("-", -1, 1.0, 1.0)),
        eps_hat,
        np.zeros(x.size),
        (PotentialDirichlet("left", 0.05 / VT), PotentialDirichlet("right", 0.0),
         SpeciesDirichlet("right", 0, 1.0), SpeciesDirichlet("right", 1, 1.0)),
    )
    u = newton(make_residual(system), np.zeros(system.size), positive_mask(system)).u
    return system, u, x * length, lam, eps


def test_gouy_chapman_profile_and_grahame_charge():
    system, u, x, lam, eps = _gouy_chapman(2.5e-3)
    psi, (dp, dn) = system.split(u)
    exact = 4 * VT * np.arctanh(np.tanh(0.05 / (4 * VT)) * np.exp(-x / lam))
    # rel. error < 1e-3 of the applied potential (issue 3 acceptance); SG + graded mesh gives ~1e-4
    assert np.max(np.abs(VT * psi - exact)) / 0.05 < 1e-3
    # docs/equations.md (E20): phi(lambda_D)/phi_0 = 0.3446
    # (cubic interpolation between nodes: linear interpolation alone errs by ~1e-3 there)
    at_lambda = float(CubicSpline(x, VT * psi)(lam)) / 0.05
    assert at_lambda == pytest.approx(0.3446, abs=1e-4)
    # Grahame: diffuse charge = sqrt(8 eps R T c) sinh(phi0 / 2 V_T) = 1.503e-3 C/m^2
    # (spline quadrature of the nodal charge: the lumped box volumes are the trapezoid rule, whose
    # h^2 error is 3e-3 at h = 0.1 lambda)
    charge = units.FARADAY * 1.0 * float(CubicSpline(x, dp - dn).integrate(0.0, x[-1]))
    assert -charge == pytest.approx(1.503e-3, rel=2e-3)  # 4 digits quoted in docs/equations.md section 9


def _mms_errors(n):
    """Steady manufactured solution on a smoothly graded mesh; max-norm nodal errors."""
    xi = np.linspace(0, 1, n + 1)
    x = 0.5 * (1 - np.cos(np.pi * xi)) * 0.8 + 0.2 * xi  # smooth clustering at both ends
    eps_hat, amp, b = 0.05, 0.8, (0.3, -0.4)
    sp = (Species("+", 1, 1.0, 1.0), Species("-", -1, 3.0, 0.5))
    psi = amp * np.sin(np.pi * x)
    dpsi = amp * np.pi * np.cos(np.pi * x)
    d2psi = -amp * np.pi**2 * np.sin(np.pi * x)
    src = np.zeros((x.size, 3))
    rho = np.zeros(x.size)
    exact = [psi]
    for k, s in enumerate(sp):
        uk = 1 + b[k] * np.cos(np.pi * x)
        du = -b[k] * np.pi * np.sin(np.pi * x)
        d2u = -b[k] * np.pi**2 * np.cos(np.pi * x)
        src[:, k + 1] = -s.d * (d2u + s.z * (du * dpsi + uk * d2psi))  # div J
        rho += s.z * s.r * (uk - 1)
        exact.append(uk - 1)
    src[:, 0] = -eps_hat * d2psi - rho
    g = graph_1d(x)
    bcs = [PotentialDirichlet("left", psi[0]), PotentialDirichlet("right", psi[-1])]
    for k in range(2):
        bcs += [SpeciesDirichlet("left", k, 1 + exact[k + 1][0]), SpeciesDirichlet("right", k, 1 + exact[k + 1][-1])]
    system = System(g, sp, eps_hat, np.zeros(x.size), tuple(bcs), src)
    u = newton(make_residual(system), np.zeros(system.size), positive_mask(system), tol=1e-12).u
    ex = system.join(exact[0], exact[1:])
    return np.max(np.abs(u - ex)), 1.0 / n


def test_manufactured_solution_second_order():
    errs, hs = zip(*[_mms_errors(n) for n in (20, 40, 80, 160)], strict=True)
    order = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    assert order >= 1.9  # box method + SG on a smooth mesh: second order (issue 3 acceptance)


@pytest.fixture(scope="module")
def miec_layer():
    params = from_material("lni-5cnt", porosity=0.0)  # dense pellet: the numbers of docs/equations.md section 11
    x = graded_nodes(1.0, 0.25 * 1.7e-11 / params.thickness, 1.1, h_max=0.01)
    return params, graph_1d(x, names=("anode", "sse"))


def test_electroneutral_limit_matches_miec(miec_layer):
    from interlayer.transport import miec

    params, graph = miec_layer
    i = 10.0  # 1 mA/cm2
    model = InterlayerPNP.build(params, graph, current_density=i)
    f = model.fields(model.solve_steady())
    x = graph.coords[:, 0] * params.thickness
    reference = miec.uniform_steady(x, i, params.sigma_ion, contact_resistance=f["eta"][0] / i)
    # 1% of the profile's own span (issue 3 acceptance). The residual (0.53% with the library carrier
    # density, 4e-8 on the mobility route) is electrons: c_e follows exp(eta/V_T), 70x at the SSE, and
    # Li+ follows it to stay neutral (+0.9% of c_Li), raising sigma_ion there
    assert np.max(np.abs(f["eta"] - reference)) < 0.01 * (reference[-1] - reference[0])
    # docs/equations.md section 11: 31.0 mV across 90 um of LNI-5% CNT at 1 mA/cm2 (ours 30.87 mV)
    assert f["eta"][-1] - f["eta"][0] == pytest.approx(0.0310, abs=5e-4)


def test_lithium_and_charge_conservation(miec_layer):
    params, graph = miec_layer
    i = 10.0
    model = InterlayerPNP.build(params, graph, current_density=i)
    sc = model.scales
    records = []

    def track(t, u):
        _, growth = model.anode_growth(u)
        records.append((t * sc.diffusion_time, model.inventories(u)["li"], float(growth[0]), u.copy()))

    u0 = model.initial_state()
    evolve(model.system, model.residual(), u0, 1e-3 / sc.diffusion_time, dt0=1e-8 / sc.diffusion_time,
           scheme="euler", callback=track)
    li_prev, t_prev = model.inventories(u0)["li"], 0.0
    for t, li, growth, u in records:
        # backward Euler is exactly conservative: change = dt (supplied - deposited) / F
        expected = (t - t_prev) * (i - growth) / units.FARADAY
        assert li - li_prev == pytest.approx(expected, rel=1e-6, abs=1e-12 * abs(li))
        li_prev, t_prev = li, t
        # Gauss: the layer's space charge is balanced by the metal's compact-layer charge
        psi, _ = model.system.split(u)
        stern = params.permittivity * sc.thermal_voltage * psi[0] / params.stern_thickness
        q = model.inventories(u)["charge"]
        assert q == pytest.approx(stern, rel=1e-6, abs=1e-9 * abs(stern) + 1e-15)
    assert len(records) > 3


def test_failed_solve_raises_solver_error_with_history(miec_layer):
    params, graph = miec_layer
    model = InterlayerPNP.build(params, graph, current_density=100.0)
    residual = model.residual()
    with pytest.raises(SolverError) as info:  # two iterations cannot reach 1e-9 from equilibrium
        newton(residual, model.initial_state(), positive_mask(model.system), max_iter=2)
    assert len(info.value.residuals) == 2 and info.value.hint

    def poisoned(u, *args):
        r, j = residual(u, *args)
        r[5] = np.nan
        return r, j

    with pytest.raises(SolverError, match="non-finite"):
        newton(poisoned, model.initial_state(), positive_mask(model.system))


def test_unresolved_debye_layer_shifts_eta_uniformly(miec_layer):
    # What the 2D meshes (first cell ~3e-3 L, 1e7 Debye lengths) cost, measured in 1D
    params, graph = miec_layer
    resolved = InterlayerPNP.build(params, graph, current_density=10.0)
    eta_ref = resolved.fields(resolved.solve_steady())["eta"]
    x = graded_nodes(1.0, 3e-3, 1.15, h_max=1 / 40)
    coarse = InterlayerPNP.build(params, graph_1d(x, names=("anode", "sse")), current_density=10.0)
    eta = coarse.fields(coarse.solve_steady())["eta"]
    shift = eta - np.interp(x, graph.coords[:, 0], eta_ref)
    assert np.ptp(shift) < 1e-4  # the shape is unaffected (0.1 mV of a 31 mV span)
    assert 0 < shift.mean() < 5e-3  # +3.7 mV: the compact-layer share of the interfacial drop


def test_potentiostatic_steady_current_balance(miec_layer):
    params, graph = miec_layer
    model = InterlayerPNP.build(params, graph, mode="potentiostatic", voltage=0.05)
    u = model.solve_steady()
    _, growth = model.anode_growth(u)
    eta = model.fields(u)["eta"]
    # electrons carry no current, so phi_e = 0 and eta(l_i) = V_app; the layer takes i l_i / sigma_ion
    assert eta[-1] == pytest.approx(0.05, rel=1e-6)
    ohmic = (0.05 - eta[0]) * params.sigma_ion / params.thickness
    assert float(growth[0]) == pytest.approx(ohmic, rel=1e-3)  # sigma_ion varies by c_e/c_Li ~ 1e-4
    # steady: the Li+ flux through every face equals the deposition current
    from interlayer.transport.pnp.assemble import edge_fluxes

    flux_li = edge_fluxes(model.system, u)[0]
    scale = units.FARADAY * params.d_li * params.c_li / params.thickness
    assert np.allclose(-flux_li * scale, growth[0], rtol=1e-6)


def _decay(scheme, dt):
    """A neutral species diffusing from delta = 0.5 sin(pi x), fixed steps, to t = 0.1."""
    x = np.linspace(0.0, 1.0, 41)
    system = System(graph_1d(x), (Species("a", 0, 1.0, 1.0),), 1.0, np.zeros(x.size),
                    (PotentialDirichlet("left", 0.0), PotentialDirichlet("right", 0.0),
                     SpeciesDirichlet("left", 0, 1.0), SpeciesDirichlet("right", 0, 1.0)))
    u0 = system.join(np.zeros(x.size), [0.5 * np.sin(np.pi * x)])
    traj = evolve(system, make_residual(system), u0, 0.1, dt0=dt, scheme=scheme, fixed_dt=True)
    return system.split(traj.final)[1][0]


@pytest.fixture(scope="module")
def decay_reference():
    return _decay("bdf2", 0.1 / 256)


@pytest.mark.parametrize(("scheme", "expected"), [("euler", 1.0), ("bdf2", 2.0)])
def test_time_stepper_order(scheme, expected, decay_reference):
    reference = decay_reference
    dts = [0.1 / 8, 0.1 / 16, 0.1 / 32]
    errs = [np.max(np.abs(_decay(scheme, dt) - reference)) for dt in dts]
    order = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert order == pytest.approx(expected, abs=0.15)  # asymptotic slope of the named scheme


def _blocking_run(material, **options):
    from interlayer.transport import miec
    from interlayer.transport.pnp import build_model

    # the mobility route (mu_e = 1e-3 m^2/(V s)) by default: these two tests check the dilute- and
    # dense-electron regimes of PNP against the MIEC model, which that route spans across the CNT loadings
    options.setdefault("electron_mobility", 1e-3)
    options.setdefault("porosity", 0.0)  # dense pellet: the numbers of docs/equations.md section 11
    model = build_model(material, dim=1, current_density=0.01, anode_contact="blocking", resolution="coarse",
                        **options)
    p = model.params
    chemical = units.FARADAY**2 * p.c_e / (units.GAS_CONSTANT * p.temperature)  # F/m^3, c_e << c_Li
    tau = miec.relaxation_time(p.thickness, p.sigma_ion, p.sigma_e, capacitance=chemical)
    f = model.fields(model.evolve(10 * tau).final)
    x = model.graph.coords[:, 0] * p.thickness
    reference = miec.uniform_blocking_profile(x, p.thickness, 0.01, p.sigma_ion, p.sigma_e)
    return x, f["eta"] - f["eta"][0], reference, chemical * p.thickness


def test_blocking_contact_pseudo_steady_parabola_matches_miec():
    # LNI-50% CNT, 1 uA/cm2 (eta << V_T, linear regime), t = 10 tau: the MIEC blocking parabola.
    # The residual 1.2% is the anode double layer (0.3 F/m2 compact layer) next to the layer's chemical
    # capacitance (17.6 F/m2), which the MIEC blocking contact leaves out.
    _, eta, reference, layer_capacitance = _blocking_run("lni-50cnt")
    assert layer_capacitance == pytest.approx(17.6, rel=0.01)
    assert np.max(np.abs(eta - reference)) < 0.02 * np.ptp(reference)


def test_blocking_contact_double_layer_dominates_a_dilute_electron_layer():
    # LNI-5% CNT: the layer's chemical capacitance (0.0098 F/m2) is 30x below the anode double layer,
    # which then absorbs the ionic current: no interior minimum (MIEC parabola: minimum at 82 um)
    x, eta, reference, layer_capacitance = _blocking_run("lni-5cnt")
    assert layer_capacitance < 0.05 * 0.3
    assert x[np.argmin(reference)] == pytest.approx(82.0e-6, abs=0.5e-6)  # docs/equations.md (E5): 82.08 um
    assert x[np.argmin(eta)] < 1e-9  # the minimum sits at the anode (inside its 0.02 nm Debye layer)
    bulk = x > 1e-9
    assert np.all(np.diff(eta[bulk]) >= -1e-12)  # rising monotonically toward the SSE


def test_blocking_contact_dense_electrons_of_the_default_route_give_the_miec_parabola():
    # LNI-5% CNT with the library carrier density (6.51e24 m^-3, the default): the layer's chemical
    # capacitance (3.7e3 F/m2) dwarfs the 0.3 F/m2 double layer, so the MIEC parabola returns, with its
    # minimum at x_m = l_i sigma_ion/(sigma_ion + sigma_e) = 82.08 um (docs/equations.md (E5))
    x, eta, reference, layer_capacitance = _blocking_run("lni-5cnt", electron_mobility=None)
    assert layer_capacitance > 1e3 * 0.3
    assert x[np.argmin(reference)] == pytest.approx(82.0e-6, abs=0.5e-6)
    # 1 um: the coarse mesh spacing near mid-layer is ~0.9 um; measured 81.25 um
    assert x[np.argmin(eta)] == pytest.approx(x[np.argmin(reference)], abs=1.0e-6)
    # measured 13% of the span at 10 tau: the slowest transient modes (decay ~ exp(-t/tau)) are not gone
    assert np.max(np.abs(eta - reference)) < 0.2 * np.ptp(reference)
