r"""Synthetic galvanostatic traces of symmetric cells with known overpotentials, spikes and shorts.

For tests, and for users to check the detectors on data whose answer is known. Every trace is a
canonical :class:`interlayer.io.Record`; the planted truth is in ``record.metadata["planted"]``.

Model of one half-cycle of current density ``j`` (A/m^2) with polarisation ``u = V sign(I)``::

    u(t) = u_p(j) + V_sp s(t) + noise,      u_p(j) = ASR j + 2 (R T / F) asinh(j / (2 j0))

* ``u_p``: ohmic (area-specific resistance ASR) plus symmetric Butler-Volmer charge transfer at
  two electrodes (alpha = 1/2, exchange current density j0);
* spike ``s(t) = (1 - exp(-t/tau_r)) exp(-t/tau_d)`` scaled to a maximum of 1 (capacitive rise,
  relaxation once nuclei grow), only in plating half-cycles (current < 0) and only where planted;
* noise (defaults: 0.2 mV white, 0.2% of u_p electrochemical, 0.05 mV steps, typical of a
  potentiostat on its 1-10 V range): white instrument noise (``noise``), electrochemical noise proportional to ``u_p`` as an
  AR(1) process (``ec_noise`` relative amplitude, correlation 0.9 per sample), and the
  instrument's voltage quantisation (``resolution``);
* rests (no current, polarisation relaxing to 0 with ``tau_rest``), sampling jitter and gaps
  (samples removed);
* a short at ``short_time``: from that sample on, ``u`` is ``short_residual`` times ``u_p``
  (0.02 hard: an ohmic filament; 0.3 soft) and the electrochemical noise scales with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from interlayer.errors import InputError
from interlayer.io import Record, from_arrays
from interlayer.kinetics import symmetric_overpotential


def plateau_polarisation(j, asr: float = 0.2, j0: float = 10.0, temperature: float = 298.15):
    """``u_p = ASR j + 2 (RT/F) asinh(j / (2 j0))`` [V] for ``j`` [A/m^2], ASR [ohm m^2], j0 [A/m^2]."""
    j = np.abs(np.asarray(j, dtype=float))
    return asr * j + symmetric_overpotential(j, j0, temperature)


def symmetric_trace(
    n_cycles: int = 10,
    current_density=1.0,
    half_cycle_time: float = 3600.0,
    dt: float = 10.0,
    area: float = 0.503e-4,
    asr: float = 0.2,
    j0: float = 10.0,
    spike: float | np.ndarray = 0.0,
    tau_rise: float | None = None,
    tau_decay: float | None = None,
    noise: float = 2e-4,
    ec_noise: float = 0.002,
    resolution: float = 5e-5,
    rest_time: float = 0.0,
    tau_rest: float = 60.0,
    jitter: float = 0.01,
    gaps: list[tuple[float, float]] | None = None,
    short_time: float | None = None,
    short_residual: float = 0.02,
    seed: int | None = 0,
    source: str = "synthetic",
) -> Record:
    """A galvanostatic symmetric-cell record with planted features (see the module docstring).

    Parameters
    ----------
    n_cycles : int
        Cycles; each is a stripping (current > 0) then a plating (current < 0) half-cycle.
    current_density : float or array of n_cycles
        |j| per cycle [A/m^2] (an increasing array gives a step-increase CCD protocol).
    half_cycle_time, dt : float
        Half-cycle duration and sampling interval [s].
    spike : float or array of n_cycles
        Planted V_sp [V] of each plating half-cycle.
    tau_rise, tau_decay : float, optional
        Spike rise and relaxation times [s] (defaults min(dt/2, 5 s) and max(30 s, 3 dt)).
    noise, ec_noise, resolution : float
        White noise [V], relative electrochemical noise [1], voltage quantisation [V].
    rest_time : float
        Rest after every half-cycle [s].
    jitter : float
        Standard deviation of the sampling times, as a fraction of dt.
    gaps : list of (start, duration)
        Time windows [s] with no samples.
    short_time : float, optional
        Time [s] of a short circuit (the first sample at or after it is the planted one).
    short_residual : float
        Polarisation left after the short as a fraction of u_p (0.02 hard, 0.3 soft).

    Returns
    -------
    Record
        ``metadata["planted"]`` holds ``spike`` (per cycle), ``plateau`` (per half-cycle),
        ``short_row`` and ``short_time`` (the planted sample), ``current_density``.
    """
    if n_cycles < 1:
        raise InputError("n_cycles", "must be >= 1")
    if not (dt > 0 and half_cycle_time >= 3 * dt):
        raise InputError("dt", "need dt > 0 and at least three samples per half-cycle")
    rng = np.random.default_rng(seed)
    j_cyc = np.broadcast_to(np.asarray(current_density, dtype=float), (n_cycles,)).copy()
    v_sp = np.broadcast_to(np.asarray(spike, dtype=float), (n_cycles,)).copy()
    # spikes relax within about a minute in the paper's traces (Fig. 4, 1-h half-cycles)
    tau_r = min(dt / 2, 5.0) if tau_rise is None else tau_rise
    tau_d = max(30.0, 3 * dt) if tau_decay is None else tau_decay
    n_h = int(round(half_cycle_time / dt))
    n_r = int(round(rest_time / dt))
    n_half = 2 * n_cycles
    block = n_h + n_r
    k = np.arange(block)
    # sample times inside a block: the first sample sits exactly on the current switch
    local = k * dt + np.where(k > 0, rng.normal(0.0, jitter * dt, size=(n_half, block)), 0.0)
    local = np.maximum.accumulate(np.clip(local, 0, None), axis=1)
    t = local + (np.arange(n_half) * block * dt)[:, None]
    direction = np.tile([1.0, -1.0], n_cycles)  # stripping first, then plating
    j_half = np.repeat(j_cyc, 2)
    up = plateau_polarisation(j_half, asr, j0)
    flowing = k < n_h
    tl = np.where(flowing, local, 0.0)
    # spike shape normalised to a maximum of one
    t_star = tau_r * np.log1p(tau_d / tau_r)
    s_max = (1 - np.exp(-t_star / tau_r)) * np.exp(-t_star / tau_d)
    shape = (1 - np.exp(-tl / tau_r)) * np.exp(-tl / tau_d) / s_max
    spike_half = np.where(direction < 0, np.repeat(v_sp, 2), 0.0)
    u = up[:, None] + spike_half[:, None] * shape
    # rest: polarisation relaxes from its end value towards zero
    t_rest = np.where(flowing, 0.0, local - n_h * dt)
    u = np.where(flowing, u, up[:, None] * np.exp(-t_rest / tau_rest))
    current = np.where(flowing, (direction * j_half * area)[:, None], 0.0)
    t, u, current = t.ravel(), u.ravel(), current.ravel()
    u_ec_scale = np.repeat(up, block)
    short_row = None
    if short_time is not None:
        after = t >= short_time
        if not after.any():
            raise InputError("short_time", f"{short_time} s is after the end of the trace ({t[-1]:.0f} s)")
        u = np.where(after & (current != 0), short_residual * u_ec_scale, u)
        u_ec_scale = np.where(after, short_residual * u_ec_scale, u_ec_scale)
    # electrochemical noise: AR(1) with correlation 0.9, stationary standard deviation 1
    white = rng.normal(size=t.size)
    from scipy.signal import lfilter

    ar = lfilter([np.sqrt(1 - 0.81)], [1, -0.9], white)
    u = u + ec_noise * u_ec_scale * ar * (current != 0) + rng.normal(0.0, noise, size=t.size)
    sign = np.sign(current)
    sign[sign == 0] = np.repeat(direction, block)[sign == 0]
    v = u * sign
    if resolution > 0:
        v = np.round(v / resolution) * resolution
    keep = np.ones(t.size, dtype=bool)
    for start, length in gaps or []:
        keep &= ~((t >= start) & (t < start + length))
    planted = {
        "spike": v_sp.tolist(),
        "plateau": up.tolist(),
        "current_density": j_cyc.tolist(),
    }
    if short_time is not None:
        rows = np.flatnonzero(t[keep] >= short_time)
        short_row = int(rows[0])
        planted.update(short_row=short_row, short_time=float(t[keep][short_row]))
    rec = from_arrays(t[keep], v[keep], current[keep], source=source, area=area, planted=planted)
    rec.format = "synthetic"
    return rec


def impedance_spectrum(frequency, r0: float, r1: float, c1: float, inductance: float = 0.0,
                       noise: float = 0.0, rng=None) -> np.ndarray:
    """``Z = R0 + R1 / (1 + j w R1 C1) + j w L`` [ohm] with relative complex noise ``noise``."""
    w = 2 * np.pi * np.asarray(frequency, dtype=float)
    z = r0 + r1 / (1 + 1j * w * r1 * c1) + 1j * w * inductance
    if noise > 0:
        rng = rng or np.random.default_rng()
        z = z * (1 + noise * (rng.normal(size=w.size) + 1j * rng.normal(size=w.size)))
    return z


def mixed_record(
    n_cycles: int = 6,
    current_density=1.0,
    half_cycle_time: float = 3600.0,
    dt: float = 10.0,
    area: float = 0.503e-4,
    asr: float = 0.2,
    rest_time: float = 600.0,
    points_per_decade: int = 6,
    f_range: tuple[float, float] = (1e6, 0.1),
    eis_noise: float = 0.005,
    short_time: float | None = None,
    short_residual: float = 0.02,
    runaway_time: float | None = None,
    climb_rate: float = 2e-4,
    voltage_limit: float = 2.0,
    noise: float = 2e-4,
    seed: int | None = 0,
    source: str = "synthetic-mixed",
) -> Record:
    """A cycler program as labs run it: rest, PEIS, CC strip, CC plate, loop; known answers.

    The time-domain part is :func:`symmetric_trace` (rests of ``rest_time`` after every
    half-cycle); a potentiostatic impedance sweep (``f_range`` [Hz], ``points_per_decade``) sits
    in the middle of the rest after each cycle and one before the first, with the cell's
    ``R0 = 0.2 ASR / area``, ``R1 = 0.8 ASR / area`` (ASR [ohm m^2]), ``C1 = 1 uF``, a 0.1 uH
    cable inductance and ``eis_noise`` relative noise. After ``short_time`` [s] the spectra's
    resistances are ``short_residual`` of themselves (the filament in parallel).

    ``runaway_time`` [s]: from then on, each stripping half-cycle's polarisation climbs at
    ``climb_rate`` [V/s] of stripping time (contact loss: voids at the stripped electrode) until
    it reaches ``voltage_limit`` [V], where the cycler stops the test (the record ends).

    Returns
    -------
    Record
        Cycling record with technique segments and ``record.impedance``; the truth is in
        ``metadata["planted"]`` (``short_row``, ``short_time``, ``runaway_time``,
        ``limit_time``, ``spectrum_times``, ``r_total`` per spectrum).
    """
    from interlayer.io._record import finish_cycling, finish_impedance

    base = symmetric_trace(n_cycles=n_cycles, current_density=current_density, half_cycle_time=half_cycle_time,
                           dt=dt, area=area, asr=asr, rest_time=rest_time, short_time=short_time,
                           short_residual=short_residual, noise=noise, seed=seed, source=source)
    rng = np.random.default_rng(None if seed is None else seed + 7919)
    d = base.data
    t = d["time"].to_numpy().copy()
    v = d["voltage"].to_numpy().copy()
    i = d["current"].to_numpy().copy()
    planted = dict(base.metadata["planted"])
    n_h = int(round(half_cycle_time / dt))
    n_r = int(round(rest_time / dt))
    block = (n_h + n_r) * dt
    if runaway_time is not None:
        strip = i > 0
        since = np.where(strip & (t >= runaway_time), dt, 0.0)
        climb = np.cumsum(since) * climb_rate
        u = v * np.sign(np.where(i != 0, i, 1.0))
        u = np.where(strip, u + climb, u)
        hit = np.flatnonzero(strip & (u >= voltage_limit))
        if hit.size:
            end = int(hit[0])
            u[end] = voltage_limit
            t, i, u = t[: end + 1], i[: end + 1], u[: end + 1]
            planted["limit_time"] = float(t[end])
        v = u * np.sign(np.where(i != 0, i, 1.0))
        on = np.flatnonzero((t >= runaway_time) & (i > 0))
        planted["runaway_time"] = float(t[on[0]]) if on.size else None
    # spectra: before the first cycle and in the rest after each cycle (after its plating half)
    lo, hi = min(f_range), max(f_range)
    freq = np.logspace(np.log10(hi), np.log10(lo), int(round(np.log10(hi / lo) * points_per_decade)) + 1)
    r_cell = asr / area
    sweep_time = np.cumsum(np.r_[0.0, np.maximum(1.0 / freq[:-1], 0.05)])
    starts = [-0.5 * rest_time] + [(2 * c + 2) * block - 0.5 * rest_time for c in range(n_cycles)]
    rows, times, r_tot = [], [], []
    for s0 in starts:
        if s0 > t[-1]:
            break
        shorted = short_time is not None and s0 > short_time
        scale = short_residual if shorted else 1.0
        z = impedance_spectrum(freq, 0.2 * r_cell * scale, 0.8 * r_cell * scale, 1e-6, 1e-7, eis_noise, rng)
        tt = s0 + sweep_time
        rows.append(pd.DataFrame({"frequency": freq, "z_real": z.real, "z_imag": z.imag, "time": tt,
                                  "dc_voltage": 0.0, "dc_current": 0.0, "technique": "PEIS"}))
        times.append(float(tt[0]))
        r_tot.append(r_cell * scale)
    imp_df = pd.concat(rows, ignore_index=True)
    # a cycler records no time-domain sample while it sweeps: drop the rest samples under each sweep
    busy = np.zeros(t.size, dtype=bool)
    for part in rows:
        busy |= (t >= part["time"].iloc[0]) & (t <= part["time"].iloc[-1])
    t, v, i = t[~busy], v[~busy], i[~busy]
    if planted.get("short_time") is not None:
        planted["short_row"] = int(np.searchsorted(t, planted["short_time"]))
    # the first sweep sits before the cycling starts: shift everything so that time starts at 0
    shift = -min(imp_df["time"].min(), 0.0)
    imp_df["time"] += shift
    spectrum = np.repeat(np.arange(len(rows)), freq.size)
    imp = finish_impedance(imp_df, source, "synthetic", area=area, spectrum=spectrum)
    planted.update(spectrum_times=[x + shift for x in times], r_total=r_tot)
    for key in ("short_time", "runaway_time", "limit_time"):
        if planted.get(key) is not None:
            planted[key] = float(planted[key]) + shift
    rec = finish_cycling({"time": t + shift, "voltage": v, "current": i}, source, "synthetic", area=area,
                         metadata={"planted": planted}, impedance=imp)
    return rec
