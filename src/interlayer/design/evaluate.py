"""One-call facade: :func:`evaluate` an interlayer over currents, and its stability limits."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
import xarray as xr

from interlayer import materials
from interlayer.cell import PAPER_STACK_PRESSURE, PAPER_THICKNESS, Cell, Interlayer, Protocol, check_range
from interlayer.defaults import DEFAULT_HALF_CYCLE
from interlayer.design import criterion as legacy
from interlayer.design import failure
from interlayer.errors import InputError
from interlayer.numerics import bisect
from interlayer.transport import miec
from interlayer.units import ROOM_TEMPERATURE, UM

DEFAULT_CURRENTS = np.round(np.arange(1.0, 40.0 + 1e-9, 1.0), 10)  # 0.1-4.0 mA/cm2 in A/m^2
#: The criteria :func:`evaluate` offers; the first is the default (docs/theory.md says why).
CRITERIA = ("failure", "legacy")


@dataclass(frozen=True)
class Design:
    """A resolved, validated design problem: the interlayer plus operating conditions (SI)."""

    interlayer: Interlayer
    temperature: float = ROOM_TEMPERATURE
    fill_fraction: float = 1.0

    def profile(self, cells_per_layer: int = 400):
        """Faces, effective properties, eta/i shape (ohm m^2) and eta_c per cell (V)."""
        cells = self.interlayer.discretise(cells_per_layer)
        shape = miec.blocking_profile(cells["faces"], cells["sigma_ion"], cells["sigma_e"], current_density=1.0)
        eta_c = legacy.critical_overpotential(cells["contact_angle"], self.temperature, cells["electron_factor"],
                                                 cells["li_factor"])
        return cells, shape, eta_c

    def anode_critical_overpotential(self) -> float:
        """eta_c (V) at the anode side of the layer."""
        layer = self.interlayer.layers[0]
        li_factor, electron_factor = layer.nucleation_factors()
        return float(legacy.critical_overpotential(layer.contact_angle, self.temperature, electron_factor, li_factor))

    def spike(self, current_density):
        """Predicted nucleation spike V_sp = max(0, i R_int - eta_c(0)), V (docs/theory.md section 4)."""
        i = np.asarray(current_density, dtype=float)
        return np.maximum(0.0, i * self.interlayer.interface_resistance - self.anode_critical_overpotential())

    def spike_coefficient(self) -> float:
        """C of the paper's eq. 1, l_n = C V_sp / i, in S/m: the anode-side effective sigma_e."""
        return float(self.interlayer.layers[0].effective_sigma_e(0.0))

    def lengths(self, current_density, capacity):
        """(l_n, l_g) in m for arrays of current density (A/m^2) and capacity (C/m^2)."""
        il = self.interlayer
        l_g = legacy.growth_length(capacity, il.mean_porosity(), fill_fraction=self.fill_fraction)
        if il.is_uniform:
            layer = il.layers[0]
            s_i, s_e = layer.effective_sigma_ion(), layer.effective_sigma_e()
            li_factor, electron_factor = layer.nucleation_factors()
            eta_c = legacy.critical_overpotential(layer.contact_angle, self.temperature, electron_factor, li_factor)
            l_n = legacy.nucleation_length_uniform(current_density, il.thickness, s_i, s_e, il.interface_resistance, eta_c)
        else:
            cells, shape, eta_c = self.profile()
            l_n = legacy.nucleation_length_profile(current_density, cells["faces"], shape, eta_c, il.interface_resistance)
        return np.broadcast_arrays(l_n, l_g)


def build_interlayer(
    material: str = "lni-5cnt",
    thickness: float | None = None,
    porosity: float | None = None,
    contact_angle: float | None = None,
    sigma_ion: float | None = None,
    sigma_e: float | None = None,
    interface_resistance: float | None = None,
    layers=None,
    electron_density: float | None = None,
    planar_contact_resistance: float | None = None,
) -> Interlayer:
    """An :class:`Interlayer` from a library material (or ``layers``: [(material, thickness), ...])."""
    overrides = {"porosity": porosity, "contact_angle": contact_angle, "sigma_ion": sigma_ion, "sigma_e": sigma_e,
                 "electron_density": electron_density, "planar_contact_resistance": planar_contact_resistance}
    if layers is not None:
        return Interlayer.stack(layers, interface_resistance=interface_resistance, **overrides)
    if thickness is None:
        thickness = PAPER_THICKNESS
    check_range("thickness", thickness, 0.0, 1e-2, low_open=True, unit="m")
    m = materials.get(material)
    if m.kind != "interlayer":
        raise InputError("material", f"{m.name!r} is not an interlayer material (it is {m.kind!r}); "
                         f"choose one of {', '.join(materials.names('interlayer'))}")
    return Interlayer.single(m.name, thickness, interface_resistance=interface_resistance, **overrides)


def _capacities(current_density, half_cycle_time, capacity):
    if capacity is not None:
        check_range("capacity", capacity, 0.0, math.inf, low_open=True, unit="C/m^2")
        return np.full_like(current_density, capacity, dtype=float)
    check_range("half_cycle_time", half_cycle_time, 0.0, math.inf, low_open=True, unit="s")
    return current_density * half_cycle_time


def _check_temperature(temperature) -> None:
    """The one temperature bound of :data:`interlayer.limits.BOUNDS` (K), as every command checks it."""
    from interlayer.limits import check_bound

    try:
        kelvin = float(temperature)
    except (TypeError, ValueError):
        raise InputError("temperature", f"must be a number in K, got {temperature!r}") from None
    check_bound("temperature", kelvin, "temperature")


def evaluate(
    material: str = "lni-5cnt",
    thickness: float | None = None,
    porosity: float | None = None,
    contact_angle: float | None = None,
    temperature: float = ROOM_TEMPERATURE,
    current_density=None,
    half_cycle_time: float | None = DEFAULT_HALF_CYCLE,
    capacity: float | None = None,
    sigma_ion: float | None = None,
    sigma_e: float | None = None,
    interface_resistance: float | None = None,
    layers=None,
    interlayer: Interlayer | None = None,
    electron_density: float | None = None,
    criterion: str = "failure",
    stack_pressure: float = PAPER_STACK_PRESSURE,
    electrolyte: str = "lni",
    cycles: int | None = None,
    extrapolate: bool = False,
    cell: Cell | None = None,
    protocol: Protocol | None = None,
) -> xr.Dataset:
    """Evaluate the stability criterion of an interlayer over a range of plating currents.

    Parameters
    ----------
    material : str
        Library material (``interlayer materials`` lists them); default the paper's LNI-5% CNT.
    thickness : float, optional
        l_i, m (default 90e-6).
    porosity, contact_angle, sigma_ion, sigma_e, interface_resistance : float, optional
        Override the library values (dimensionless, rad, S/m, S/m, ohm m^2). Conductivities are
        dense-pellet values; the porous layer uses them times (1 - porosity)^1.5.
    electron_density : float, optional
        Free-electron density of the layer's solid, 1/m^3 (eq. 10's c_e; default: the library's, or
        the mobility route from sigma_e, :mod:`interlayer.carriers`).
    temperature : float
        K (default 298.15). Enters the nucleation kinetics; conductivities are the 25 degC values.
    current_density : array, optional
        Plating current densities, A/m^2 (default 1 to 40 A/m^2 = 0.1 to 4.0 mA/cm^2).
    half_cycle_time : float
        Plating time per half cycle, s (default 3600). Ignored when ``capacity`` is given.
    capacity : float, optional
        Plated capacity per half cycle, C/m^2 (1 mAh/cm^2 = 36000 C/m^2).
    layers : list of (str, float), optional
        A stack ``[(material, thickness_m), ...]`` from the anode side instead of ``material``.
    interlayer : Interlayer, optional
        A ready-made :class:`~interlayer.cell.Interlayer` (overrides the above).
    criterion : {"failure", "legacy"}
        ``"failure"`` (default): the failure physics of :mod:`interlayer.design.failure` (consistent
        contact, where plated Li goes, named failure modes, Arrhenius temperature, conductivities as
        measured on the composite). ``"legacy"``: the blocking-contact l_n/l_g criterion of the first
        release (docs/theory.md explains why it is no longer the default).
    stack_pressure : float
        Pa (failure criterion; default 1 MPa, the paper's).
    electrolyte : str
        Separator material (failure criterion; default the paper's LNI pellet).
    cycles : int, optional
        Cycles the cell must survive (failure criterion: dead Li then counts as a failure).
    extrapolate : bool
        Allow temperatures outside the materials' data range (failure criterion).
    cell, protocol : Cell, Protocol, optional
        Ready-made :class:`~interlayer.cell.Cell` / :class:`~interlayer.cell.Protocol` (override the
        corresponding keywords). With both, this is :func:`assess` (cell, protocol), which the
        keywords only build.

    Returns
    -------
    xarray.Dataset
        Along ``current_density`` (A/m^2): ``l_n``, ``l_g`` (m), ``regime`` (int8: the limiting
        failure mode, labels in ``flag_meanings``), ``margin`` (m), ``capacity`` (C/m^2), ``spike``
        (V) and, for the failure criterion, the per-mode diagnostics; 0-d results
        ``max_stable_current`` (A/m^2, the critical current of a step test), ``critical_overpotential``
        (V), ``stable_windows`` (A/m^2) and, for the failure criterion, ``limiting_mode``,
        ``contact_fraction``, ``wired_fraction``; the inputs in ``attrs``.

    Examples
    --------
    >>> ds = evaluate()
    >>> bool((ds.regime == 0).all())
    True
    >>> ds.limiting_mode.item()
    'growth-through'
    """
    if criterion not in CRITERIA:
        raise InputError("criterion", f"unknown criterion {criterion!r}; known: {', '.join(CRITERIA)}")
    if protocol is not None:
        current_density, half_cycle_time, capacity = protocol.currents, protocol.half_cycle_time, protocol.capacity
        cycles = protocol.cycles if cycles is None else cycles
    if cell is None:
        _check_temperature(temperature)  # first: its message names K (a text such as "hot" is no number)
    declared = None
    if cell is None and interlayer is None and layers is None:
        declared = _check_as_declared(material=material if isinstance(material, str) else None, thickness=thickness,
                           porosity=porosity, contact_angle=contact_angle, temperature=temperature,
                           sigma_ion=sigma_ion, sigma_e=sigma_e, interface_resistance=interface_resistance,
                           electron_density=electron_density, current_density=current_density,
                           half_cycle_time=half_cycle_time if capacity is None else None, capacity=capacity,
                           stack_pressure=stack_pressure, electrolyte=electrolyte, cycles=cycles,
                           criterion=criterion, extrapolate=extrapolate)
    if cell is None:
        if interlayer is None:
            interlayer = build_interlayer(material, thickness, porosity, contact_angle, sigma_ion, sigma_e,
                                          interface_resistance if criterion == "legacy" else None, layers,
                                          electron_density, planar_contact_resistance=(
                                              interface_resistance if criterion == "failure" else None))
    currents = DEFAULT_CURRENTS if current_density is None else np.atleast_1d(np.asarray(current_density, dtype=float))
    if currents.size == 0 or np.any(~np.isfinite(currents)) or np.any(currents <= 0):
        raise InputError("current_density", "needs one or more finite values > 0 A/m^2")
    if cell is None:
        cell = Cell(cast(Interlayer, interlayer), electrolyte=electrolyte, stack_pressure=stack_pressure,
                    temperature=temperature, extrapolate=extrapolate)
    protocol = Protocol(tuple(currents), half_cycle_time=None if capacity is not None else half_cycle_time,
                        capacity=capacity, cycles=cycles)
    ds = assess(cell, protocol, criterion)
    return ds if declared is None else declared.record(ds)


def _check_as_declared(**given):
    """The keywords checked by :class:`~interlayer.inputs.design.DesignInputs`, as ``interlayer design``
    checks its options (one range per input for the Python API and the command); the declaration
    then records them in the result (``input_*`` attrs)."""
    from interlayer.inputs.design import DesignInputs

    return DesignInputs(**{k: v for k, v in given.items() if v is not None})


def assess(cell: Cell, protocol: Protocol, criterion: str = "failure") -> xr.Dataset:
    """The design criterion of a :class:`~interlayer.cell.Cell` under a :class:`~interlayer.cell.Protocol`.

    What :func:`evaluate` returns (it builds the two from its keywords and calls this); here the
    cell and the protocol are given whole (the objects every model of the package shares).

    Parameters
    ----------
    cell : Cell
        The interlayer stack, separator, stack pressure (Pa) and temperature (K).
    protocol : Protocol
        Plating currents (A/m^2), the half-cycle time (s) or capacity (C/m^2), cycles to survive.
    criterion : {"failure", "legacy"}
        As in :func:`evaluate` (the legacy criterion uses only the interlayer and the temperature).

    Examples
    --------
    >>> from interlayer.cell import Cell, Interlayer, Layer, Protocol
    >>> cell = Cell(Interlayer((Layer.from_material("lni-0p5cnt", 90e-6),), 0.0))
    >>> ds = assess(cell, Protocol((1.0, 2.0, 4.0)))
    >>> round(float(ds.max_stable_current) * 0.1, 2), ds.limiting_mode.item()
    (0.21, 'contact-focusing')
    """
    if criterion not in CRITERIA:
        raise InputError("criterion", f"unknown criterion {criterion!r}; known: {', '.join(CRITERIA)}")
    currents = np.asarray(protocol.currents, dtype=float)  # Cell and Protocol checked their values
    half_cycle_time, capacity = protocol.half_cycle_time, protocol.capacity
    if criterion == "failure":
        return _evaluate_failure(cell, currents, half_cycle_time, capacity, protocol.cycles)
    interlayer, temperature = cell.interlayer, cell.temperature
    if half_cycle_time is None:  # a capacity is given; the time is then not used
        half_cycle_time = DEFAULT_HALF_CYCLE
    design = Design(interlayer, temperature)
    caps = _capacities(currents, half_cycle_time, capacity)
    l_n, l_g = design.lengths(currents, caps)
    l_i = interlayer.thickness
    regime = legacy.classify(l_n, l_g, l_i)
    margin = legacy.stability_margin(l_n, l_g, l_i)
    windows = stable_windows(design, half_cycle_time=half_cycle_time, capacity=capacity)
    i_max = windows[0][1] if windows and windows[0][0] == 0.0 else 0.0
    coords = {"current_density": ("current_density", currents, {"units": "A/m^2", "long_name": "plating current density"})}
    ds = xr.Dataset(
        {
            "l_n": ("current_density", l_n, {"units": "m", "long_name": "nucleation length"}),
            "l_g": ("current_density", l_g, {"units": "m", "long_name": "growth length"}),
            "regime": ("current_density", regime, {
                "long_name": "stability regime", "units": "1",
                "flag_values": np.arange(len(legacy.REGIMES), dtype=np.int8),
                "flag_meanings": " ".join(legacy.REGIMES)}),
            "margin": ("current_density", margin, {"units": "m", "long_name": "stability margin min(l_g - l_n, l_i - l_g)"}),
            "capacity": ("current_density", caps, {"units": "C/m^2", "long_name": "plated capacity per half cycle"}),
            "spike": ("current_density", design.spike(currents), {
                "units": "V", "long_name": "predicted nucleation spike V_sp = i R_int - eta_c (0 below onset)"}),
        },
        coords=coords,
        attrs={
            "layers": ", ".join(f"{la.name} {la.thickness * UM:.4g} um" for la in interlayer.layers),
            "material": interlayer.layers[0].name,  # canonical library name of the anode-side layer
            # anode-side layer: free-electron density behind eta_c (library or mobility route), 1/m^3
            "electron_density_m3": interlayer.layers[0].electron_density_or_default(),
            "thickness_m": l_i,
            "porosity": interlayer.mean_porosity(),
            "contact_angle_rad": interlayer.contact_angle,
            "interface_resistance_ohm_m2": interlayer.interface_resistance,
            # anode-side layer, dense-pellet values (the porous layer uses them times (1 - eps)^1.5)
            "sigma_ion_S_m": interlayer.layers[0].sigma_ion,
            "sigma_e_S_m": interlayer.layers[0].sigma_e,
            "temperature_K": temperature,
            "half_cycle_time_s": float("nan") if capacity is not None else half_cycle_time,
            "capacity_C_m2": float("nan") if capacity is None else capacity,
            "spike_coefficient_S_m": design.spike_coefficient(),
            "model": "electroneutral MIEC, blocking-contact pseudo-steady profile (docs/theory.md)",
        },
    )
    return _with_results(ds, i_max, windows, design.anode_critical_overpotential())


def _evaluate_failure(cell: Cell, currents, half_cycle_time, capacity, cycles) -> xr.Dataset:
    """The failure criterion over ``currents``: a Dataset like the legacy one, modes as ``regime``."""
    protocol = Protocol(tuple(currents), half_cycle_time=None if capacity is not None else half_cycle_time,
                        capacity=capacity, cycles=cycles)
    caps = protocol.plated_capacity()
    props = failure.cell_properties(cell)
    r = failure.half_cycle(currents, caps, props)
    modes = failure.judge(r, cycles)
    l_n, l_g = failure.lengths(r, currents, props)
    margin = failure.margin(r, props)
    i_crit, limiting = failure.critical_current(cell, half_cycle_time=protocol.half_cycle_time, capacity=capacity,
                                                cycles=cycles)
    il = cell.interlayer
    first = props["layers"][0]
    dim = "current_density"

    def var(values, units, long_name):
        return (dim, np.asarray(values, dtype=float), {"units": units, "long_name": long_name})

    ds = xr.Dataset(
        {
            "l_n": var(l_n, "m", "nucleation length (eq. 1 from the spike: sigma_e V_sp / i)"),
            "l_g": var(l_g, "m", "growth length: depth of the spread Li in the pores at the end of plating"),
            "regime": (dim, modes, {
                "long_name": "limiting failure mode", "units": "1",
                "flag_values": np.arange(len(failure.MODES), dtype=np.int8),
                "flag_meanings": " ".join(failure.MODES)}),
            "margin": var(margin, "m", "stability margin l_i (1 - worst mode ratio); < 0 fails"),
            "capacity": var(caps, "C/m^2", "plated capacity per half cycle"),
            "spike": var(r["spike"], "V", "predicted nucleation spike: i R_front - eta_c (0 below onset)"),
            "filament_length": var(r["filament_length"], "m", "Li filaments grown from the contact spots"),
            "spot_current_density": var(r["spot_current_density"], "A/m^2", "mean current density through the contact spots"),
            "sse_current_density": var(r["sse_current_density"], "A/m^2", "mean current density into Li at the electrolyte face"),
            "sse_nucleated": (dim, np.asarray(r["sse_nucleated"], dtype=bool), {"units": "1", "long_name": "Li nucleated at the electrolyte face"}),
            "li_in_pores": var(r["q_pores"], "C/m^2", "Li plated into the pores (spread)"),
            "li_at_spots": var(r["q_spots"], "C/m^2", "Li left at the contact spots (filaments)"),
            "li_at_sse": var(r["q_sse"], "C/m^2", "Li plated at the electrolyte face"),
            "cycles_to_dead_li": var(r["cycles_to_dead_li"], "1", "cycles until unwired Li at the electrolyte face fills the pores"),
        },
        coords={dim: (dim, currents, {"units": "A/m^2", "long_name": "plating current density"})},
        attrs={
            "criterion": "failure",
            "layers": ", ".join(f"{la.name} {la.thickness * UM:.4g} um" for la in il.layers),
            "material": il.layers[0].name,
            "electron_density_m3": il.layers[0].electron_density_or_default(),
            "thickness_m": il.thickness,
            "porosity": il.mean_porosity(),
            "contact_angle_rad": il.contact_angle,
            "interface_resistance_ohm_m2": float(props["planar_resistance"]),
            "wall_contact_resistance_ohm_m2": float(props["wall_resistance"]),
            "sigma_ion_S_m": first["sigma_ion"],
            "sigma_e_S_m": first["sigma_e_anode"],
            "temperature_K": cell.temperature,
            "stack_pressure_Pa": cell.stack_pressure,
            "electrolyte": cell.electrolyte,
            "half_cycle_time_s": float("nan") if capacity is not None else float(cast(float, protocol.half_cycle_time)),
            "capacity_C_m2": float("nan") if capacity is None else capacity,
            "spike_coefficient_S_m": first["sigma_e_anode"],
            "relaxation_time_s": np.array(failure.relaxation_times(cell)),
            "model": "failure physics: consistent Li contact, Li partition, named failure modes (docs/theory.md)",
        },
    )
    if cycles is not None:
        ds.attrs["cycles"] = int(cycles)
    windows = [(0.0, i_crit)] if i_crit > failure.LOWEST_CURRENT else []
    ds = _with_results(ds, i_crit, windows, float(np.asarray(r["eta_c_front"]).ravel()[0]))
    ds["limiting_mode"] = ((), limiting, {"units": "1", "long_name": "the failure mode that sets the critical current"})
    ds["contact_fraction"] = ((), float(r["contact_fraction"]),
                              {"units": "1", "long_name": "fraction of the Li | layer contact wetted by Li"})
    ds["wired_fraction"] = ((), float(np.asarray(r["wired_fraction"]).ravel()[0]),
                            {"units": "1", "long_name": "fraction of the Li at the SSE face wired to the anode"})
    return ds


def _with_results(ds: xr.Dataset, i_max: float, windows, eta_c: float) -> xr.Dataset:
    """The scalar results as 0-d variables (the inputs stay in ``attrs``)."""
    ds["max_stable_current"] = ((), float(i_max), {
        "units": "A/m^2", "long_name": "critical current of a step test (every current below it stable; inf: none)"})
    ds["stable_windows"] = (("window", "bound"), np.asarray(windows, dtype=float).reshape(-1, 2), {
        "units": "A/m^2", "long_name": "current intervals [low, high] in which the layer is stable"})
    ds["critical_overpotential"] = ((), float(eta_c), {
        "units": "V", "long_name": "critical nucleation overpotential eta_c"})
    return ds


def regime_labels(ds: xr.Dataset) -> list[str]:
    """Regime labels of ``ds.regime`` as strings."""
    meanings = ds.regime.attrs["flag_meanings"].split()
    return [meanings[int(code)] for code in np.atleast_1d(ds.regime.values)]


def _stability_test(design: Design, half_cycle_time, capacity):
    il = design.interlayer

    def stable(i):
        i = np.atleast_1d(np.asarray(i, dtype=float))
        caps = i * half_cycle_time if capacity is None else np.full_like(i, capacity)
        l_n, l_g = design.lengths(i, caps)
        return legacy.classify(l_n, l_g, il.thickness) == legacy.STABLE

    return stable


def _bisect_edge(stable, lo, hi, lo_is_stable):
    """The stable/unstable edge between ``lo`` and ``hi`` to 1e-6 relative (returns the stable side)."""
    lo, hi = bisect(lambda i: bool(stable(i)[0]) != lo_is_stable, lo, hi, rtol=1e-6, scale="log")
    return lo if lo_is_stable else hi


def stable_windows(design: Design, half_cycle_time=DEFAULT_HALF_CYCLE, capacity=None, i_low=1e-3, i_high=1e4):
    """Current-density intervals (A/m^2) in which the design is stable, as ``[(low, high), ...]``.

    Scans 600 log-spaced currents in [i_low, i_high] and bisects every stable/unstable edge to 1e-6
    relative. A window open at the bottom starts at 0.0, one open at the top ends at ``inf``. More than
    one window happens, e.g. at small contact angles: just above the nucleation onset l_n outgrows
    l_g (dead Li), and at higher currents l_g (linear in i) overtakes l_n again.
    """
    stable = _stability_test(design, half_cycle_time, capacity)
    grid = np.geomspace(i_low, i_high, 600)
    ok = stable(grid)
    windows, start = [], (0.0 if ok[0] else None)
    for k in range(1, grid.size):
        if ok[k] and not ok[k - 1]:
            start = _bisect_edge(stable, grid[k - 1], grid[k], lo_is_stable=False)
        elif ok[k - 1] and not ok[k]:
            windows.append((start, _bisect_edge(stable, grid[k - 1], grid[k], lo_is_stable=True)))
            start = None
    if start is not None:
        windows.append((start, math.inf))
    return [(float(cast(float, a)), float(b)) for a, b in windows]  # a window's start is set when it opens


def max_stable_current(design: Design, half_cycle_time=DEFAULT_HALF_CYCLE, capacity=None, i_low=1e-3, i_high=1e4):
    """Largest current density (A/m^2) up to which every current is stable: the design's CCD.

    The upper edge of the first :func:`stable_windows` window when it starts at zero current; 0.0 if
    even ``i_low`` is unstable and ``inf`` if all of the range is stable. Higher-current windows (see
    :func:`stable_windows`) are not counted: a current ramp meets the unstable band first.
    """
    windows = stable_windows(design, half_cycle_time, capacity, i_low, i_high)
    if not windows or windows[0][0] != 0.0:
        return 0.0
    return windows[0][1]


def max_stable_capacity(design: Design, current_density: float) -> float:
    """Largest plated capacity (C/m^2) per half cycle that is stable at ``current_density``.

    l_n does not depend on capacity and l_g grows linearly with it, so the stable window is
    ``l_n <= l_g < l_i``: the answer is the capacity that fills the layer (l_g -> l_i), or 0 when no
    capacity is stable (SSE nucleation).
    """
    l_n, _ = design.lengths(np.array([current_density]), np.array([1.0]))
    l_i = design.interlayer.thickness
    if l_n[0] >= l_i * (1 - 1e-12):
        return 0.0
    per_coulomb = legacy.growth_length(1.0, design.interlayer.mean_porosity(), fill_fraction=design.fill_fraction)
    return float(l_i / per_coulomb)
