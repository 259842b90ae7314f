import json

import numpy as np
import pytest

from interlayer import materials
from interlayer.cli import main
from interlayer.design import Design, build_interlayer, evaluate, max_stable_capacity, regime_labels
from interlayer.design.calibration import fit_interfacial_energy
from interlayer.design.criterion import (
    critical_overpotential,
    nucleation_length_profile,
    nucleation_length_uniform,
)
from interlayer.transport import miec
from interlayer.units import FARADAY


def run_json(capsys, *args):
    assert main(["design", "--json", "--criterion", "legacy", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_default_design_matches_the_paper(capsys):
    out = run_json(capsys)
    pts = out["points"]
    i = np.array([p["current_density_mA_cm2"] for p in pts])
    ln = np.array([p["l_n_um"] for p in pts])
    lg = np.array([p["l_g_um"] for p in pts])
    li = np.array([p["l_i_um"] for p in pts])
    nucleating = ln > 0
    threshold = i[nucleating].min()
    assert 0.3 < threshold <= 0.5 and not nucleating[i < threshold].any()
    above = i >= threshold
    assert np.all((ln[above] > 0) & (ln[above] < lg[above]) & (lg[above] < li[above]))
    # l_g linear in current (fixed time)
    assert np.corrcoef(i, lg)[0, 1] ** 2 > 0.999
    # l_n linear in 1/i above the threshold
    assert np.corrcoef(1 / i[above], ln[above])[0, 1] ** 2 > 0.99
    assert all(p["regime"] == "stable" for p in pts)
    assert out["max_stable_current_mA_cm2"] > 4.0


def test_regression_of_the_default_curve():
    ds = evaluate(criterion="legacy")
    # Values from this model (docs/theory.md), pinned to catch unintended changes:
    # l_g = Q Vm/(F eps) exactly; l_n from the closed form.
    assert ds.l_g.sel(current_density=40.0) == pytest.approx(40 * 3600 * 1.2998e-5 / (FARADAY * 0.3), rel=1e-12)
    assert ds.l_n.sel(current_density=10.0) * 1e6 == pytest.approx(13.16, abs=0.02)
    assert ds.l_n.sel(current_density=40.0) * 1e6 == pytest.approx(20.79, abs=0.02)


def test_electronic_layer_nucleates_at_the_sse(capsys):
    out = run_json(capsys, "--material", "lni-50cnt")
    for p in out["points"]:
        if p["current_density_mA_cm2"] >= 0.2:
            assert p["regime"] == "sse-nucleation"


def test_ionic_layer_nucleates_only_at_the_contact(capsys):
    out = run_json(capsys, "--material", "lni-0p5cnt")
    assert max(p["l_n_um"] for p in out["points"]) < 1.0


def test_li_mass_conservation():
    # plated volume = integral(i dt) Vm / F, all of it in the pores behind the growth front
    ds = evaluate(criterion="legacy", current_density=[5.0, 20.0], half_cycle_time=1800.0)
    vm = materials.get("li")["molar_volume"]
    plated_volume = ds.current_density.values * 1800.0 * vm / FARADAY
    assert ds.l_g.values * ds.attrs["porosity"] == pytest.approx(plated_volume, rel=1e-12)


def test_profile_path_agrees_with_closed_form():
    il = build_interlayer("lni-5cnt", 90e-6)
    design = Design(il)
    cells, shape, eta_c = design.profile(cells_per_layer=4000)
    i = np.linspace(1, 60, 40)
    l_profile = nucleation_length_profile(i, cells["faces"], shape, eta_c, il.interface_resistance)
    layer = il.layers[0]
    f = (1 - layer.porosity) ** 1.5
    ec = critical_overpotential(layer.contact_angle, 298.15, *reversed(layer.nucleation_factors()))
    l_closed = nucleation_length_uniform(i, 90e-6, layer.sigma_ion * f, layer.sigma_e * f, il.interface_resistance, ec)
    assert np.max(np.abs(l_profile - l_closed)) <= 2 * 90e-6 / 4000  # within one cell


def test_calibration_reproduces_the_library_value():
    assert fit_interfacial_energy() == pytest.approx(materials.get("li")["effective_interfacial_energy"], rel=1e-3)
    # and it is physically plausible for a metal/solid interfacial energy
    assert 0.02 < fit_interfacial_energy() < 0.5


def test_nucleation_onset_is_where_eta_c_meets_the_contact_overpotential():
    ds = evaluate(criterion="legacy", current_density=np.array([3.9, 4.1]))
    assert ds.l_n.values[0] == 0.0 and ds.l_n.values[1] > 0


def test_raising_the_contact_angle_delays_nucleation():
    low = evaluate(criterion="legacy", contact_angle=np.radians(100))
    high = evaluate(criterion="legacy", contact_angle=np.radians(150))
    assert np.all(high.l_n.values <= low.l_n.values)
    assert (high.l_n.values > 0).sum() < (low.l_n.values > 0).sum()


def test_capacity_mode_and_max_capacity():
    ds = evaluate(criterion="legacy", capacity=4 * 36000.0, current_density=[40.0])
    assert regime_labels(ds) == ["stable"]
    q = max_stable_capacity(Design(build_interlayer()), 40.0)
    assert q / 36000 == pytest.approx(90e-6 * 0.3 * FARADAY / 1.2998e-5 / 36000, rel=1e-9)


def test_miec_sign_physics_for_three_classes():
    # the blocking profile peaks at the anode for sigma_e < sigma_ion and at the SSE otherwise
    x = np.linspace(0, 90e-6, 101)
    for s_e, side in [(2.8e-3, 0), (5.0, -1)]:
        eta = miec.uniform_blocking_profile(x, 90e-6, 10.0, 0.029, s_e)
        assert np.argmax(eta) == (0 if side == 0 else 100)


@pytest.mark.parametrize(
    "args, field",
    [
        (["--thickness", "-5um"], "thickness"),
        (["--porosity", "1.5"], "porosity"),
        (["--porosity", "0"], "porosity"),
        (["--contact-angle", "190deg"], "contact-angle"),
        (["--material", "unobtainium"], "material"),
        (["--thickness", "90 parsnips"], "thickness"),
        (["--current", "4:0.1:0.1"], "current"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args, field):
    assert main(["design", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and field in err


def test_plot_is_written(tmp_path):
    out = tmp_path / "d.png"
    assert main(["design", "--plot", str(out), "--json", "--criterion", "legacy"]) == 0
    assert out.stat().st_size > 10000


def test_spike_and_eq1_consistency():
    # the paper's eq. 1, l_n = C V_sp / i with C = sigma_e,eff, holds in the small-l_n limit of our model
    ds = evaluate(criterion="legacy", current_density=np.array([4.5, 5.0, 6.0]))
    c = ds.attrs["spike_coefficient_S_m"]
    predicted = c * ds.spike.values / ds.current_density.values
    assert np.allclose(predicted, ds.l_n.values, rtol=0.05)
    assert float(ds.critical_overpotential) == pytest.approx(4.0 * ds.attrs["interface_resistance_ohm_m2"], rel=2e-3)


def test_design_and_pnp_share_the_critical_overpotential():
    # one eq.-10 composition (interlayer.carriers) for both models: at the PNP's initial (equilibrium)
    # concentrations its nucleation threshold is the design's eta_c, for every library layer
    from interlayer import kinetics
    from interlayer.transport.pnp.params import from_material

    for name in ("lni-0p5cnt", "lni-5cnt", "lni-50cnt", "lni-25mg"):
        design = Design(build_interlayer(name, 90e-6))
        p = from_material(name)
        eta_c_pnp = kinetics.critical_overpotential(
            p.contact_angle, p.temperature, p.interfacial_energy, p.molar_volume, p.nucleation_prefactor,
            p.nucleation_threshold, c_ratio=p.c_li / (1 - p.porosity) / kinetics.REFERENCE_CONCENTRATION,
            ce_ratio=p.c_e / (1 - p.porosity) / p.c_e_li)
        assert design.anode_critical_overpotential() == pytest.approx(float(eta_c_pnp), rel=1e-9)
        # and the same porous layer: Bruggeman effective conductivities in both
        layer = design.interlayer.layers[0]
        assert (p.sigma_ion, p.sigma_e) == pytest.approx((layer.effective_sigma_ion(), layer.effective_sigma_e()), rel=1e-12)


def _without(ds, keys):
    out = ds.copy()
    out.attrs = {k: v for k, v in ds.attrs.items() if k not in keys}
    return out


@pytest.mark.parametrize("criterion", ["failure", "legacy"])
def test_assess_a_cell_and_protocol_is_evaluate_of_the_keywords(criterion):
    """design.md's architecture: the design criterion takes a Cell and a Protocol; evaluate() only
    builds them from its keywords."""
    import xarray as xr

    from interlayer.cell import Cell, Protocol
    from interlayer.design import assess
    from interlayer.errors import InputError

    kw = {"thickness": 40e-6, "current_density": [5.0, 10.0, 20.0], "capacity": 2 * 36000.0}
    by_keywords = evaluate("lni-0p5cnt", temperature=310.0, stack_pressure=2e6, criterion=criterion, **kw)
    cell = Cell(build_interlayer("lni-0p5cnt", 40e-6), stack_pressure=2e6, temperature=310.0)
    whole = assess(cell, Protocol((5.0, 10.0, 20.0), capacity=2 * 36000.0), criterion)
    recorded = {k for k in by_keywords.attrs if k.startswith("input_")}
    assert by_keywords.attrs["input_thickness"] == 40e-6 and by_keywords.attrs["input_model"] == "design"
    xr.testing.assert_identical(_without(by_keywords, recorded), whole)
    with pytest.raises(InputError, match="criterion"):
        assess(cell, Protocol((5.0,)), "nope")
