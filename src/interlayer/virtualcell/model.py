"""A virtual symmetric cell: run a cycling protocol on a design, record what a cycler would.

Li | stack | electrolyte | stack | Li. Each half cycle plates on one side and strips on the other;
the state of each side is carried across half cycles: spread Li in the pores (its depth sets the
contact's transmission line), Li left at the contact spots (filaments), Li at the electrolyte face
(wired, and the unwired part as dead Li), the nuclei counts, and voids at the planar contact. The
physics is the failure physics of :mod:`interlayer.design.failure`, followed in time:

* plating: the current splits between the electrolyte face (once nucleated) and the anode side;
  Li spreads into the wired pores only after it has nucleated ahead of the Li front (the count
  ``integral J(eta_front) dt * pi r^3 >= 1``) or where Li is already in the pores. The plating side's
  overpotential is ``i R_side``; with empty pores it starts at ``i R_p`` and falls as the spread Li
  opens the pore walls: the nucleation spike arises from the model, it is not drawn on;
* stripping: Li leaves the pore walls and the planar contact in the transmission line's split
  (pore Li first where the line is deep), the wired Li at the electrolyte face through its own
  path; as the pores empty the contact resistance rises back to R_p (the gradual rise at the end of
  stripping). Planar stripping faster than creep refills it opens voids (``R_p / (1 - v)``), which a
  plating half cycle closes again;
* failure ends the run as a cycler sees it: a short (any of the failure physics' short criteria,
  reached at the time the criterion is met) collapses the voltage to ``i R_short`` for the rest of
  that cycle; contact loss drives the voltage to the limit.

Voltage sign: the instruments' convention (current > 0 strips the working electrode, side A);
``analyze`` reads the CSV like any real record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from interlayer import contact, kinetics, materials, mechanics
from interlayer.cell import Cell
from interlayer.design import failure
from interlayer.errors import InputError, SolverError
from interlayer.progress import Progress, as_progress
from interlayer.results import add_results
from interlayer.units import FARADAY, HOUR, MA, MA_CM2, MV, UM
from interlayer.virtualcell.protocol import HalfCycle, Rest, parse

#: Area-specific resistance of a shorted cell, ohm m^2 (the paper: < 40 and 16 ohm cm^2 after its shorts).
SHORT_RESISTANCE = 16e-4
#: The cycler's voltage limit, V (contact loss drives the voltage to it).
VOLTAGE_LIMIT = 5.0
#: Samples per half cycle (geometric near the start, where the spike is).
SAMPLES = 64


@dataclass
class Side:
    """State of one Li | stack contact (C/m^2 per electrode area unless stated)."""

    spread: float = 0.0  # Li spread in the pores
    spots: float = 0.0  # Li left at the contact spots (filaments) this plating
    sse_wired: float = 0.0  # Li at the electrolyte face, wired back
    dead: float = 0.0  # Li at the electrolyte face, not wired
    bulk: float = 0.0  # change of the Li disc itself
    voids: float = 0.0  # fraction of the planar contact lost to voids
    planar_stripped: float = 0.0  # charge stripped through the planar contact this half cycle
    sse_nuclei: float = 0.0
    front_nuclei: float = 0.0
    plated: float = 0.0  # totals, for the Li balance
    stripped: float = 0.0

    def inventory(self) -> float:
        return self.spread + self.spots + self.sse_wired + self.dead + self.bulk


@dataclass
class Physics:
    """Constants of one cell (SI), from :func:`interlayer.design.failure.cell_properties`."""

    props: dict
    cell: Cell
    r_p: float = field(init=False)
    r_w: float = field(init=False)
    f_c: float = field(init=False)

    def __post_init__(self):
        p = self.props
        self.layers = p["layers"]
        self.first, self.last = self.layers[0], self.layers[-1]
        self.r_p, self.r_w = float(p["planar_resistance"]), float(p["wall_resistance"])
        self.f_c = self.r_w / self.r_p
        self.l_total = sum(la["thickness"] for la in self.layers)
        li = materials.get("li")
        self.vm = li["molar_volume"]
        self.t = float(p["temperature"])
        first = self.first
        self.z0 = float(contact.characteristic_impedance(self.r_w, first["sigma_ion"], first["porosity"], first["pore_radius"]))
        self.lam = float(contact.decay_length(self.r_w, first["sigma_ion"], first["porosity"], first["pore_radius"]))
        self.wired = float(contact.wired_fraction(first["sigma_e_anode"], self.r_p, self.f_c, first["pore_radius"]))
        self.wired_sse = float(contact.wired_fraction(self.last["sigma_e_sse"], self.r_p, self.f_c, self.last["pore_radius"]))
        self.r_e = float(failure._electronic_resistance(self.layers))
        # Li at the electrolyte face touches the pellet on a growing share of the face's pores: first
        # nuclei cover COVERAGE_SEED of them, a pore-radius-deep filling covers them all
        self.q_cover = FARADAY * self.last["porosity"] * self.last["pore_radius"] / self.vm
        self.i_pen = float(p["i_pen_sse"])
        p_cap = float(mechanics.capillary_entry_pressure(p["li_surface_energy"], first["contact_angle"], first["pore_radius"]))
        self.net_pressure = float(p["stack_pressure"]) - p_cap
        self.creep_supply = float(FARADAY / self.vm * first["pore_radius"]
                                  * mechanics.creep_strain_rate(p["stack_pressure"], self.t))
        gamma = p["gamma_eff"]

        def rate(layer):
            b = float(kinetics.barrier_coefficient(gamma, self.vm, self.t))
            kappa = float(kinetics.heterogeneous_factor(layer["contact_angle"]))
            li_f, e_f = layer["factors"]
            return li["nucleation_prefactor"] * float(li_f) * float(e_f), b * kappa, math.pi * layer["pore_radius"] ** 3

        self.front_rate = rate(first)
        self.sse_rate = rate(self.last)
        self.pellet = cell.electrolyte_resistance() * cell.electrode_area if (cell := self.cell) else 0.0

    @staticmethod
    def nuclei(rate, eta, dt):
        j0, b, volume = rate
        if eta <= 0:
            return 0.0
        return j0 * math.exp(-b / (eta * eta)) * dt * volume

    def depth(self, charge):
        """Depth (m) of ``charge`` C/m^2 of Li in the pores (the failure physics' own rule)."""
        return float(failure._depth_of_charge(charge, self.layers, self.vm))

    def ionic_beyond(self, depth):
        """Ionic resistance (ohm m^2) from ``depth`` to the electrolyte (the failure physics' own rule)."""
        return float(failure._ionic_resistance_beyond(depth, self.layers))

    def front(self, depth, r_p):
        """(contact resistance, planar share) with Li ``depth`` m in the pores and planar ASR ``r_p``."""
        s = min(depth, self.l_total) / self.lam
        if s <= 0:
            return r_p, 1.0
        t = math.tanh(s)
        z = self.z0 * (r_p + self.z0 * t) / (self.z0 + r_p * t)
        share = 0.0 if s > 350 else 1.0 / (math.cosh(s) + r_p / self.z0 * math.sinh(s))
        return z, share


#: Share of the electrolyte face's pores the first nuclei touch (stated choice: the SSE-face contact
#: grows from it as Li accumulates there, which sets how fast an electronic layer's voltage falls).
COVERAGE_SEED = 0.01


def _r_b(ph: Physics, side: Side) -> float:
    """Resistance of the path through the Li at the electrolyte face (ohm m^2)."""
    coverage = max(COVERAGE_SEED, min(1.0, side.sse_wired / ph.q_cover))
    return ph.r_w / (ph.last["porosity"] * coverage) + ph.r_e


def _parallel(a, b):
    return a * b / (a + b)


def _plate(ph: Physics, side: Side, i, dt, t_since_start, mean_sse):
    """Advance the plating side by dt; returns (R_side, spike-free parts, short flag, SSE j)."""
    dq = i * dt
    depth = ph.depth(side.spread)
    r_front, _ = ph.front(depth, ph.r_p)
    r_a = r_front + ph.ionic_beyond(depth)
    spreading = side.spread > 0 or side.front_nuclei >= 1.0
    if not spreading:
        side.front_nuclei += ph.nuclei(ph.front_rate, i * r_front, dt)
        spreading = side.front_nuclei >= 1.0
    side.sse_nuclei += ph.nuclei(ph.sse_rate, i * r_a, dt)
    nucleated = side.sse_nuclei >= 1.0 or side.sse_wired > 0
    r_b = _r_b(ph, side)
    share = r_a / (r_a + r_b) if nucleated else 0.0
    w = ph.wired if spreading else 0.0
    to_anode = 1.0 - share
    side.spots += to_anode * (1.0 - w) * dq
    side.spread += to_anode * w * dq
    side.sse_wired += share * dq * ph.wired_sse
    side.dead += share * dq * (1.0 - ph.wired_sse)
    side.plated += dq
    side.voids = max(0.0, side.voids - dq * ph.vm / (FARADAY * ph.first["pore_radius"]))  # plating closes voids
    r_side = _parallel(r_a, r_b) if nucleated else r_a
    return r_side, share * i / ph.last["porosity"]


def _strip(ph: Physics, side: Side, i, dt, duration):
    """Advance the stripping side by dt; returns (R_side, contact lost flag).

    Voids open once the charge stripped through the planar contact in this half cycle exceeds what
    creep refills over the whole half cycle (the failure physics' face-average criterion); from
    then on the excess removes contact (a void of the pore radius's depth per unit of lost area).
    """
    dq = i * dt
    depth = ph.depth(side.spread)
    r_p = ph.r_p / max(1.0 - side.voids, 1e-9)
    r_front, planar = ph.front(depth, r_p)
    r_a = r_front + ph.ionic_beyond(depth)
    r_b = _r_b(ph, side)
    share = r_a / (r_a + r_b) if side.sse_wired > 0 else 0.0
    from_sse = min(share * dq, side.sse_wired)
    side.sse_wired -= from_sse
    rest = dq - from_sse
    from_pores = min((1.0 - planar) * rest, side.spread)
    side.spread -= from_pores
    planar_q = rest - from_pores
    from_spots = min(planar_q, side.spots)
    side.spots -= from_spots
    side.bulk -= planar_q - from_spots
    side.stripped += dq
    side.planar_stripped += planar_q
    excess = side.planar_stripped - ph.creep_supply * duration
    if excess > 0:
        side.voids = min(1.0, excess * ph.vm / (FARADAY * ph.first["pore_radius"]))
    r_side = _parallel(r_a, r_b) if side.sse_wired > 0 else r_a
    return r_side, side.voids >= 0.999


def _sample_times(duration):
    """Dense at the start (the spike), at most 1/32 of the half cycle apart later."""
    frac = np.unique(np.concatenate([[0.0], np.geomspace(1e-4, 1.0, SAMPLES - 32), np.linspace(0.0, 1.0, 33)]))
    return duration * frac


def simulate(cell: Cell, protocol, *, progress: Progress | None = None, max_samples=5_000_000) -> xr.Dataset:
    """Run ``protocol`` (strings, see :mod:`interlayer.virtualcell.protocol`, or parsed steps) on ``cell``.

    ``progress`` (an :class:`interlayer.progress.Progress`) is told the protocol steps done:
    ``start(len(steps), "cycling")``, ``advance()`` as each step begins after the first, ``close()``
    at the end.

    Returns
    -------
    xarray.Dataset
        Over ``time`` (s): ``voltage`` (V, working minus counter), ``current`` (A/m^2, > 0 strips the
        working electrode A), per side ``li_in_pores_A``/``_B``, ``filament_A``/``_B``,
        ``li_at_sse_A``/``_B``, ``dead_li_A``/``_B`` (C/m^2), ``resistance`` (ohm, the cell's
        area-specific resistance over the electrode area), ``half_cycle`` (index); 0-d results
        (:data:`RESULTS`): ``failure_mode`` ("none" if the protocol finished), ``failure_time``
        (s), ``critical_current`` (A/m^2, the current at failure; NaN for both when nothing
        failed), ``cycles_run``, ``li_balance_error``; attrs: the cell's inputs.

    Raises
    ------
    SolverError
        If a state turns non-finite (with the time and the state).
    """
    report = as_progress(progress)
    try:
        return _simulate(cell, protocol, report, max_samples)
    finally:
        report.close()


def _simulate(cell: Cell, protocol, report: Progress, max_samples: int) -> xr.Dataset:
    steps = parse(protocol) if not (isinstance(protocol, list) and protocol and not isinstance(protocol[0], str)) else protocol
    props = failure.cell_properties(cell)
    ph = Physics(props, cell)
    sides = {"A": Side(), "B": Side()}
    n_samples = sum(SAMPLES + 1 for s in steps)
    if n_samples > max_samples:
        raise InputError("protocol", f"{n_samples} samples; at most {max_samples} (shorten the protocol)")
    out: dict[str, list] = {k: [] for k in ("time", "voltage", "current", "resistance", "half_cycle", "pores_A", "pores_B",
                           "filament_A", "filament_B", "sse_A", "sse_B", "dead_A", "dead_B")}
    spikes = []
    clock = 0.0
    failure_mode, failure_time, failure_current = "none", math.nan, math.nan
    shorted_left = 0  # half cycles still recorded after a short
    half_index = 0
    fil_scale = ph.vm / (FARADAY * ph.first["porosity"] * ph.f_c)

    def record(t, v, i_signed, r, k):
        out["time"].append(t)
        out["voltage"].append(v)
        out["current"].append(i_signed)
        out["resistance"].append(r / cell.electrode_area)
        out["half_cycle"].append(k)
        for name in ("A", "B"):
            s = sides[name]
            out[f"pores_{name}"].append(s.spread)
            out[f"filament_{name}"].append(s.spots * fil_scale)
            out[f"sse_{name}"].append(s.sse_wired)
            out[f"dead_{name}"].append(s.dead)

    report.start(len(steps), "cycling")
    for n_step, step in enumerate(steps):
        if n_step:
            report.advance()
        if isinstance(step, Rest):
            for t in (0.0, step.duration):
                record(clock + t, 0.0, 0.0, math.nan, half_index)
            clock += step.duration
            continue
        assert isinstance(step, HalfCycle)
        half_index += 1
        plating, stripping = (sides["A"], sides["B"]) if step.side == "A" else (sides["B"], sides["A"])
        sign = -1.0 if step.side == "A" else 1.0  # plating on the working electrode: current < 0
        i = step.current_density
        duration = step.time()
        times = _sample_times(duration)
        # filaments are counted per plating half cycle: what stripping did not take back joins the disc
        plating.bulk += plating.spots
        plating.spots = 0.0
        stripping.planar_stripped = 0.0
        plating.front_nuclei = 0.0
        plating.sse_nuclei = 0.0 if plating.sse_wired <= 0 else plating.sse_nuclei
        sse_integral = 0.0
        eta_plate = []
        for k in range(len(times)):
            dt = times[k] - times[k - 1] if k else 0.0
            if shorted_left:
                record(clock + times[k], sign * i * SHORT_RESISTANCE, sign * i, SHORT_RESISTANCE, half_index)
                continue
            if dt > 0:
                r_plate, j_sse = _plate(ph, plating, i, dt, times[k], 0.0)
                r_strip, lost = _strip(ph, stripping, i, dt, duration)
                sse_integral += j_sse * dt
            else:
                depth = ph.depth(plating.spread)
                r_plate = ph.front(depth, ph.r_p)[0] + ph.ionic_beyond(depth)
                r_strip = ph.front(ph.depth(stripping.spread), ph.r_p)[0] + ph.ionic_beyond(ph.depth(stripping.spread))
                lost = False
            r_cell = r_plate + r_strip + ph.pellet
            v = sign * i * r_cell
            if not math.isfinite(v):
                raise SolverError(f"non-finite voltage at t = {clock + times[k]:.6g} s", diagnostics={
                    "half_cycle": half_index, "plating": vars(plating), "stripping": vars(stripping)})
            eta_plate.append(i * r_plate)
            # failure criteria, as in the failure physics, met at this time
            mode = None
            if plating.spots * fil_scale >= ph.l_total:
                mode = "contact-focusing"
            elif ph.depth(plating.spread) >= ph.l_total:
                mode = "growth-through"
            elif sse_integral >= ph.i_pen * duration:
                mode = "sse-nucleation"
            if mode is not None:
                failure_mode, failure_time, failure_current = mode, clock + times[k], i
                shorted_left = 2
                record(clock + times[k], v, sign * i, r_cell, half_index)
                continue
            if lost or abs(v) >= VOLTAGE_LIMIT:
                failure_mode, failure_time, failure_current = "contact-loss", clock + times[k], i
                record(clock + times[k], math.copysign(VOLTAGE_LIMIT, v), sign * i, r_cell, half_index)
                break
            record(clock + times[k], v, sign * i, r_cell, half_index)
        spikes.append(_model_spike(times, eta_plate, i, ph) if len(eta_plate) == len(times) else (i, math.nan, math.nan))
        clock += duration
        if failure_mode == "contact-loss":
            break
        if shorted_left:
            shorted_left -= 1
            if shorted_left == 0:
                break
    balance = _li_balance(sides)
    ds = _dataset(out, cell, ph, spikes)
    results = {
        "failure_mode": failure_mode,
        "failure_description": failure.MODE_DESCRIPTIONS.get(failure_mode, "the protocol ran to its end"),
        "failure_time": failure_time, "critical_current": failure_current,
        "cycles_run": half_index // 2, "half_cycles_run": half_index, "li_balance_error": balance,
    }
    return add_results(ds, RESULTS, results)


#: The run's scalar results, 0-d variables of :func:`simulate`'s Dataset: name -> (units, long_name).
#: ``failure_time`` and ``critical_current`` are NaN when nothing failed.
RESULTS: dict[str, tuple[str, str]] = {
    "failure_mode": ("1", "failure mode that ended the run ('none': the protocol ran to its end)"),
    "failure_description": ("1", "what the failure mode means"),
    "failure_time": ("s", "time of the failure (NaN: none)"),
    "critical_current": ("A/m^2", "current density of the half cycle that failed (NaN: none)"),
    "cycles_run": ("1", "full cycles run"),
    "half_cycles_run": ("1", "half cycles run"),
    "li_balance_error": ("1", "largest relative Li balance error (plated - stripped vs inventory), both sides"),
}


def _model_spike(times, eta, i, ph, window=0.1):
    """(i, V_sp, l_n) of the plating side's overpotential with the analysis' definition: the peak in
    the first ``window`` of the half cycle minus the median of the next window; l_n by eq. 1."""
    t = np.asarray(times)
    e = np.asarray(eta)
    frac = t / t[-1]
    first = e[frac <= window]
    nxt = e[(frac > window) & (frac <= 2 * window)]
    if first.size == 0 or nxt.size == 0:
        return i, math.nan, math.nan
    v_sp = max(0.0, float(first.max() - np.median(nxt)))
    return i, v_sp, min(ph.first["sigma_e_anode"] * v_sp / i, ph.l_total)


def _li_balance(sides) -> float:
    """Largest relative mismatch of plated - stripped against the inventory change, over both sides."""
    worst = 0.0
    total = sum(s.plated for s in sides.values()) or 1.0
    for s in sides.values():
        worst = max(worst, abs((s.plated - s.stripped) - s.inventory()) / total)
    moved = abs(sum(s.plated for s in sides.values()) - sum(s.stripped for s in sides.values())) / total
    return max(worst, moved)


def _dataset(out, cell, ph, spikes) -> xr.Dataset:
    t = np.asarray(out["time"])

    def var(key, units, long_name):
        return ("time", np.asarray(out[key], dtype=float), {"units": units, "long_name": long_name})

    sp = np.array(spikes, dtype=float).reshape(-1, 3)
    ds = xr.Dataset(
        {
            "voltage": var("voltage", "V", "cell voltage, working (A) minus counter (B)"),
            "current": var("current", "A/m^2", "current density, > 0 strips the working electrode"),
            "resistance": var("resistance", "ohm", "cell resistance (area-specific resistance / electrode area)"),
            "half_cycle": ("time", np.asarray(out["half_cycle"], dtype=np.int64), {"units": "1", "long_name": "half-cycle index"}),
            "li_in_pores_A": var("pores_A", "C/m^2", "Li spread in the pores, side A"),
            "li_in_pores_B": var("pores_B", "C/m^2", "Li spread in the pores, side B"),
            "filament_A": var("filament_A", "m", "length of the Li filaments at the contact spots, side A"),
            "filament_B": var("filament_B", "m", "length of the Li filaments at the contact spots, side B"),
            "li_at_sse_A": var("sse_A", "C/m^2", "wired Li at the electrolyte face, side A"),
            "li_at_sse_B": var("sse_B", "C/m^2", "wired Li at the electrolyte face, side B"),
            "dead_li_A": var("dead_A", "C/m^2", "dead Li at the electrolyte face, side A"),
            "dead_li_B": var("dead_B", "C/m^2", "dead Li at the electrolyte face, side B"),
            "spike_current": ("plating", sp[:, 0], {"units": "A/m^2", "long_name": "current of each plating half cycle"}),
            "spike_voltage": ("plating", sp[:, 1], {"units": "V", "long_name": "model spike V_sp (peak minus following plateau)"}),
            "nucleation_length": ("plating", sp[:, 2], {"units": "m", "long_name": "model l_n = sigma_e V_sp / i (eq. 1), at most the thickness"}),
        },
        coords={"time": ("time", t, {"units": "s", "long_name": "time"})},
        attrs={"layers": ", ".join(f"{la.name} {la.thickness * UM:.4g} um" for la in cell.interlayer.layers),
               "electrolyte": cell.electrolyte, "temperature_K": cell.temperature,
               "stack_pressure_Pa": cell.stack_pressure, "electrode_area_m2": cell.electrode_area,
               "spike_coefficient_S_m": ph.first["sigma_e_anode"],
               "electrolyte_thickness_m": cell.electrolyte_thickness, "electrolyte_area_m2": cell.electrolyte_area,
               "extrapolate": int(cell.extrapolate),
               # every layer's inputs as given (SI; user overrides such as --sigma-e are here)
               "interlayer_json": _layers_json(cell),
               "model": "virtual symmetric cell on the failure physics (interlayer.virtualcell)"},
    )
    return ds


def _layers_json(cell: Cell) -> str:
    """The interlayer's layers (SI inputs, from the anode side) and its interface resistance, as JSON."""
    import dataclasses
    import json

    layers = [{f.name: getattr(layer, f.name) for f in dataclasses.fields(layer) if f.name != "sigma_e_profile"}
              for layer in cell.interlayer.layers]
    return json.dumps({"layers": layers, "interface_resistance_ohm_m2": cell.interlayer.interface_resistance})


def write_csv(ds: xr.Dataset, path) -> None:
    """A cycler-like CSV (``Time (s),Voltage (V),Current (mA)``) that ``interlayer analyze`` reads."""
    import pandas as pd

    area = ds.attrs["electrode_area_m2"]
    frame = pd.DataFrame({"Time (s)": ds.time.values, "Voltage (V)": ds.voltage.values,
                          "Current (mA)": ds.current.values * area * MA})
    frame.to_csv(path, index=False, float_format="%.9g")


def summary(ds: xr.Dataset) -> dict:
    """What ``interlayer cell --json`` prints."""
    i_c = float(ds.critical_current)
    failure_time = float(ds.failure_time)
    spikes = [{"current_mA_cm2": float(i) * MA_CM2, "spike_mV": float(v) * MV, "l_n_um": float(ln) * UM}
              for i, v, ln in zip(ds.spike_current.values, ds.spike_voltage.values, ds.nucleation_length.values, strict=True)
              if math.isfinite(v)]
    return {
        "layers": ds.attrs["layers"], "electrolyte": ds.attrs["electrolyte"],
        "failure_mode": ds.failure_mode.item(), "failure_description": ds.failure_description.item(),
        "failure_time_h": None if not math.isfinite(failure_time) else failure_time * HOUR,
        "critical_current_mA_cm2": None if not math.isfinite(i_c) else i_c * MA_CM2,
        "cycles_run": int(ds.cycles_run), "li_balance_error": float(ds.li_balance_error),
        "spikes": spikes,
    }
