"""Every fitted parameter, reproducibly from the paper's calibration data.

Failure physics (the default criterion): :func:`failure_fits` (planar contact resistances, the wetted
contact resistance, the nucleus/host interfacial energy and the pellet's penetration threshold; the
data are listed below and in docs/theory.md section 0.6). Legacy criterion: the effective Li/host
interfacial energy of :func:`fit_interfacial_energy`, as follows.

Observation (Wang et al. 2024): a 90 um LNI-5% CNT layer shows no nucleation spike below about
0.4 mA/cm^2 at 25 degC. In our model nucleation starts at i_n = eta_c / R_int, so
eta_c(LNI-5% CNT) = i_n R_int, and eta_c = sqrt(B(gamma) kappa_het / Lambda) with B ~ gamma^3 gives
gamma in closed form.
"""

from __future__ import annotations

import math

import numpy as np

from interlayer import materials
from interlayer.cell import Layer
from interlayer.design import criterion
from interlayer.units import MAH_CM2, ROOM_TEMPERATURE

#: The observation the fit uses: onset of nucleation in LNI-5% CNT, A/m^2 (0.4 mA/cm^2).
OBSERVED_ONSET_CURRENT = 4.0


def fit_interfacial_energy(material="lni-5cnt", onset_current=OBSERVED_ONSET_CURRENT, temperature=ROOM_TEMPERATURE):
    """Effective interfacial energy (J/m^2) that makes nucleation start at ``onset_current``."""
    m = materials.get(material)
    eta_c_target = onset_current * m["interface_resistance"]
    li_factor, electron_factor = Layer.from_material(material, 90e-6).nucleation_factors()
    eta_c_at_unit_gamma = criterion.critical_overpotential(m["contact_angle"], temperature, electron_factor,
                                                           li_factor, surface_energy=1.0)
    # eta_c ~ gamma^(3/2)
    return float((eta_c_target / eta_c_at_unit_gamma) ** (2.0 / 3.0))


def _main():  # pragma: no cover
    print(f"legacy criterion, effective interfacial energy: {fit_interfacial_energy():.4g} J/m^2 "
          f"(library {materials.get('li')['effective_interfacial_energy']:.4g})")
    for name, value in failure_fits().items():
        print(f"failure physics, {name}: {value:.6g} (SI)")


# ----------------------------------------------------------------------------------------------
# Failure physics: the calibration data of the paper's 90 um cells and the fits made to them.
# Everything here is reproducible with `python -m interlayer.design.calibration` and checked by
# tests/design/test_failure_calibration.py against the library values.

#: Cell-resistance data (ohm m^2 per electrode area, whole symmetric cell) that fix the planar contact
#: of each measured layer, and where each comes from (Wang et al. 2024).
CELL_RESISTANCE_DATA = {
    "lni-0p5cnt": (2600e-4, "impedance before the short, ~2,600 ohm cm2"),
    "lni-5cnt": (800.0 * 0.503e-4, "~800 ohm cell resistance before Li grows into the layer"),
    "lni-50cnt": (0.25 / 1.0, "first activation cycle, ~0.25 V at 0.1 mA/cm2 (no resistance measured before Li enters)"),
}
#: LNI-5% CNT: ~150 ohm with 4 mAh/cm2 of Li grown into the pores.
FILLED_CELL_RESISTANCE = 150.0  # ohm
FILLED_CAPACITY = 4.0 / MAH_CM2  # C/m^2 (4 mAh/cm2)
#: Measured shorts in the step test (A/m^2): 0.16 and 0.62 mA/cm2 at 90 um, 1 h half cycles assumed.
SHORT_DATA = {"lni-0p5cnt": (1.6, "contact-focusing"), "lni-50cnt": (6.2, "sse-nucleation")}
STEP_HALF_CYCLE = 3600.0  # s
CALIBRATION_THICKNESS = 90e-6  # m


def _paper_cell(material, **layer_overrides):
    from interlayer.cell import Cell, Interlayer

    layer = Layer.from_material(material, CALIBRATION_THICKNESS, **layer_overrides)
    return Cell(Interlayer((layer,), 0.0))


def fit_planar_contact_resistance(material) -> float:
    """R_p (ohm m^2, 25 degC) of one measured layer from its cell resistance: what is left of the
    cell's area-specific resistance after the pellet and the two layers' ionic resistance, per contact."""
    from interlayer.cell import PAPER_ELECTRODE_AREA

    asr, _ = CELL_RESISTANCE_DATA[material]
    cell = _paper_cell(material)
    layer = cell.interlayer.layers[0]
    pellet = cell.electrolyte_resistance() * PAPER_ELECTRODE_AREA
    return float((asr - pellet) / 2.0 - layer.thickness / layer.sigma_ion)


def fit_wall_contact_resistance() -> float:
    """r_w (ohm m^2) of a wetted Li | LNI contact: the LNI-5% CNT cell falls to 150 ohm with
    4 mAh/cm2 of Li in its pores (transmission line through the pore walls, :mod:`interlayer.contact`)."""
    from scipy.optimize import brentq

    from interlayer import contact
    from interlayer.cell import PAPER_ELECTRODE_AREA
    from interlayer.units import FARADAY

    cell = _paper_cell("lni-5cnt")
    layer = cell.interlayer.layers[0]
    m = materials.get("lni-5cnt")
    r_p = fit_planar_contact_resistance("lni-5cnt")
    depth = FILLED_CAPACITY * materials.get("li")["molar_volume"] / (FARADAY * layer.porosity)
    pellet = cell.electrolyte_resistance()

    def resistance(r_w):
        front = contact.contact_resistance(depth, r_p, r_w, layer.sigma_ion, layer.porosity, m["pore_radius"])
        side = front + (layer.thickness - depth) / layer.sigma_ion
        return pellet + 2 * side / PAPER_ELECTRODE_AREA - FILLED_CELL_RESISTANCE

    return float(brentq(resistance, 1e-8, 1.0, xtol=1e-14, rtol=1e-12))


def fit_penetration_current_density() -> float:
    """i_pen (A/m^2) of Li into a dense LNI pellet: the mean current density into the Li at the
    electrolyte face of the LNI-50% CNT cell at its measured short (0.62 mA/cm2, 1 h half cycles).

    The LNI-0.5% CNT short is not fitted: the model predicts it (contact focusing)."""
    from interlayer.design import failure

    i_short, _ = SHORT_DATA["lni-50cnt"]
    r = failure.evaluate_cell(_paper_cell("lni-50cnt"), i_short, i_short * STEP_HALF_CYCLE)
    return float(np.asarray(r["sse_current_density"]).ravel()[0])


def fit_failure_interfacial_energy(onset_current=OBSERVED_ONSET_CURRENT) -> float:
    """gamma_eff (J/m^2) that puts the LNI-5% CNT spike onset (front nucleation within one 1 h half
    cycle, pores emptied by the previous strip) at ``onset_current``."""
    from scipy.optimize import brentq

    from interlayer import kinetics

    layer = _paper_cell("lni-5cnt").interlayer.layers[0]
    li = materials.get("li")
    r_p = materials.get("lni-5cnt")["planar_contact_resistance"]
    pore = materials.get("lni-5cnt")["pore_radius"]
    threshold = 1.0 / (STEP_HALF_CYCLE * math.pi * pore**3)
    li_f, e_f = layer.nucleation_factors()

    def gap(gamma):
        eta_c = kinetics.critical_overpotential(layer.contact_angle, ROOM_TEMPERATURE, gamma, li["molar_volume"],
                                                li["nucleation_prefactor"], threshold, c_ratio=li_f, ce_ratio=e_f)
        return float(eta_c) - onset_current * r_p

    return float(brentq(gap, 1e-3, 2.0, xtol=1e-12))


def failure_fits() -> dict[str, float]:
    """Every fitted failure-physics parameter, recomputed from the calibration data (SI)."""
    fits = {f"planar_contact_resistance[{m}]": fit_planar_contact_resistance(m) for m in CELL_RESISTANCE_DATA}
    fits["wall_contact_resistance"] = fit_wall_contact_resistance()
    fits["penetration_current_density"] = fit_penetration_current_density()
    fits["effective_interfacial_energy"] = fit_failure_interfacial_energy()
    return fits


if __name__ == "__main__":  # pragma: no cover
    _main()
