"""Layered and graded interlayers: a composition rule for LNI-CNT and architecture comparisons.

Composition rule (fitted here, at import, to the library's measured LNI-x% CNT values; nothing is
hard-coded): electronic conductivity as a power law of the CNT mass fraction f,
``sigma_e = sigma_0 f^t`` (the percolation form sigma_0 (f - f_c)^t with f_c free drives f_c to 0:
the 0.5% sample already conducts), and ionic conductivity as LNI diluted by the CNTs,
``sigma_ion = sigma_LNI (1 - f)^n``. :func:`composition_rule` returns both fits with residuals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import least_squares

from interlayer import carriers, materials
from interlayer.cell import Interlayer, Layer
from interlayer.design.evaluate import DEFAULT_HALF_CYCLE, Design, max_stable_current
from interlayer.errors import InputError
from interlayer.units import MA_CM2, MAH_CM2, PERCENT, UM

CNT_MATERIALS = ("lni-0p5cnt", "lni-5cnt", "lni-50cnt")


@dataclass(frozen=True)
class CompositionRule:
    sigma_0: float  # S/m
    exponent_e: float
    sigma_lni: float  # S/m
    exponent_ion: float
    residuals_e_decades: tuple[float, ...]
    residuals_ion_decades: tuple[float, ...]

    def sigma_e(self, cnt_fraction):
        return self.sigma_0 * np.asarray(cnt_fraction, dtype=float) ** self.exponent_e

    def sigma_ion(self, cnt_fraction):
        return self.sigma_lni * (1.0 - np.asarray(cnt_fraction, dtype=float)) ** self.exponent_ion


@lru_cache(maxsize=1)
def composition_rule() -> CompositionRule:
    """Fit the LNI-CNT composition rule to the measured points (log10 least squares)."""
    f = np.array([materials.get(n)["cnt_fraction"] for n in CNT_MATERIALS])
    s_e = np.array([materials.get(n)["sigma_e"] for n in CNT_MATERIALS])
    fi = np.concatenate([[0.0], f])
    s_i = np.concatenate([[materials.get("lni")["sigma_ion"]], [materials.get(n)["sigma_ion"] for n in CNT_MATERIALS]])

    def misfit_e(p: np.ndarray) -> np.ndarray:
        return p[0] + p[1] * np.log10(f) - np.log10(s_e)

    def misfit_i(p: np.ndarray) -> np.ndarray:
        return np.log10(s_i[0]) + p[0] * np.log10(1 - fi) - np.log10(s_i)

    fit_e = least_squares(misfit_e, [0.0, 2.0])
    fit_i = least_squares(misfit_i, [1.0])
    return CompositionRule(
        sigma_0=float(10 ** fit_e.x[0]),
        exponent_e=float(fit_e.x[1]),
        sigma_lni=float(s_i[0]),
        exponent_ion=float(fit_i.x[0]),
        residuals_e_decades=tuple(float(r) for r in fit_e.fun),
        residuals_ion_decades=tuple(float(r) for r in fit_i.fun),
    )


def planar_contact_resistance(cnt_fraction):
    """Planar Li | LNI-CNT contact resistance (ohm m^2, 25 degC) at any CNT mass fraction.

    Log-log interpolation between the three measured layers (derived from their cell resistances,
    :func:`interlayer.design.calibration.fit_planar_contact_resistance`); constant beyond them. The
    measured values are not monotonic in CNT content (145 ohm cm^2 at 5%, ~850-1250 on either side),
    so this is an interpolation of data, not a physical law.
    """
    f = np.array([materials.get(n)["cnt_fraction"] for n in CNT_MATERIALS])
    r = np.array([materials.get(n)["planar_contact_resistance"] for n in CNT_MATERIALS])
    x = np.log(np.clip(np.asarray(cnt_fraction, dtype=float), f[0], f[-1]))
    return np.exp(np.interp(x, np.log(f), np.log(r)))


def lni_cnt_layer(cnt_fraction: float, thickness: float) -> Layer:
    """A homogeneous LNI-CNT layer of any CNT mass fraction, conductivities from the composition rule."""
    if not 0 < cnt_fraction < 1:
        raise InputError("cnt_fraction", f"must be in (0, 1), got {cnt_fraction:g}")
    rule = composition_rule()
    lni = materials.get("lni")
    cnt = materials.get("lni-5cnt")  # the CNT network's activation energy (every composite shares it)
    return Layer(thickness=thickness, sigma_ion=float(rule.sigma_ion(cnt_fraction)), sigma_e=float(rule.sigma_e(cnt_fraction)),
                 porosity=lni["porosity"], contact_angle=lni["contact_angle"], name=f"lni-{cnt_fraction * PERCENT:.3g}cnt",
                 electron_density=float(carriers.cnt_electron_density(cnt_fraction)),
                 li_concentration=lni["li_concentration"],
                 planar_contact_resistance=float(planar_contact_resistance(cnt_fraction)),
                 activation_energy_e=cnt["activation_energy_e"])


def homogeneous(cnt_fraction: float, thickness: float) -> Interlayer:
    return Interlayer((lni_cnt_layer(cnt_fraction, thickness),), materials.get("lni")["interface_resistance"])


def dual(anode_fraction: float, sse_fraction: float, thickness: float, anode_share: float = 0.5) -> Interlayer:
    """Two layers: ``anode_fraction`` CNT on the Li side (``anode_share`` of the thickness), then ``sse_fraction``."""
    t1 = thickness * anode_share
    layers = (lni_cnt_layer(anode_fraction, t1), lni_cnt_layer(sse_fraction, thickness - t1))
    return Interlayer(layers, materials.get("lni")["interface_resistance"])


def gradient(anode_fraction: float, sse_fraction: float, thickness: float, n_sublayers: int = 40) -> Interlayer:
    """CNT fraction falling linearly from the Li side to the SSE side (a stack of thin sublayers)."""
    xi = (np.arange(n_sublayers) + 0.5) / n_sublayers
    fractions = anode_fraction + (sse_fraction - anode_fraction) * xi
    layers = tuple(lni_cnt_layer(float(f), thickness / n_sublayers) for f in fractions)
    return Interlayer(layers, materials.get("lni")["interface_resistance"])


def architectures(thickness=54.5e-6, anode_fraction=0.07, sse_fraction=0.02) -> dict[str, Interlayer]:
    """Homogeneous, dual and gradient LNI-CNT layers of equal thickness and mean composition, and the
    LNI-25% Mg layer as made and activated."""
    mean = 0.5 * (anode_fraction + sse_fraction)
    return {
        "homogeneous": homogeneous(mean, thickness),
        "dual": dual(anode_fraction, sse_fraction, thickness),
        "gradient": gradient(anode_fraction, sse_fraction, thickness),
        "lni-25mg as made": Interlayer((Layer.from_material("lni-25mg", thickness),), 0.0),
        "lni-25mg activated": Interlayer((Layer.from_material("lni-25mg-activated", thickness),), 0.0),
    }


def compare_architectures(thickness=54.5e-6, anode_fraction=0.07, sse_fraction=0.02,
                          half_cycle_time=DEFAULT_HALF_CYCLE, capacity=None, criterion="failure",
                          with_modes=False, **cell_options):
    """Critical current (A/m^2) of homogeneous, dual and gradient LNI-CNT layers of equal
    thickness and equal mean composition, and of the LNI-25% Mg layer as made vs activated.

    ``criterion="failure"`` (default): the step-test critical current of the failure physics
    (:func:`interlayer.design.failure.critical_current`); with ``with_modes`` the values are
    ``(current, limiting mode)``. ``cell_options`` go to :class:`~interlayer.cell.Cell`
    (stack_pressure, temperature, electrolyte, extrapolate). ``"legacy"``: the first release's
    largest stable current.
    """
    if criterion == "failure":
        from interlayer.cell import Cell
        from interlayer.design import failure

        out = {}
        for name, il in architectures(thickness, anode_fraction, sse_fraction).items():
            i_c, mode = failure.critical_current(Cell(il, **cell_options), half_cycle_time=None if capacity else half_cycle_time,
                                                 capacity=capacity)
            out[name] = (i_c, mode) if with_modes else i_c
        return out
    mean = 0.5 * (anode_fraction + sse_fraction)
    kw = {"half_cycle_time": half_cycle_time, "capacity": capacity}
    mg = materials.get("lni-25mg")
    mg_made = Interlayer((Layer.from_material("lni-25mg", thickness),), mg["interface_resistance"])
    mg_active = Interlayer((Layer.from_material("lni-25mg-activated", thickness),), mg["interface_resistance"])
    return {
        "homogeneous": max_stable_current(Design(homogeneous(mean, thickness)), **kw),
        "dual": max_stable_current(Design(dual(anode_fraction, sse_fraction, thickness)), **kw),
        "gradient": max_stable_current(Design(gradient(anode_fraction, sse_fraction, thickness)), **kw),
        "lni-25mg as made": max_stable_current(Design(mg_made), **kw),
        "lni-25mg activated": max_stable_current(Design(mg_active), **kw),
    }


def describe_rule() -> str:
    r = composition_rule()
    return (f"sigma_e = {r.sigma_0:.3g} S/m * f^{r.exponent_e:.3f} (residuals "
            f"{', '.join(f'{x:+.2f}' for x in r.residuals_e_decades)} decades); "
            f"sigma_ion = {r.sigma_lni:.3g} S/m * (1 - f)^{r.exponent_ion:.2f} (residuals "
            f"{', '.join(f'{x:+.3f}' for x in r.residuals_ion_decades)} decades)")


if __name__ == "__main__":  # pragma: no cover
    print(describe_rule())
    for t in (30e-6, 54.5e-6, 90e-6):
        for cap in (None, 1 / MAH_CM2):
            res = compare_architectures(thickness=t, capacity=cap)
            print(f"{t * UM:.1f} um, {'1 h' if cap is None else '1 mAh/cm2'}:",
                  {k: (round(v * MA_CM2, 3) if math.isfinite(v) else v) for k, v in res.items()})
