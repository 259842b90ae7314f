"""Notebook views (``_repr_html_``) of the analysis results: tables of name, value, unit, source.

The numbers are those of the results' ``to_dict()`` (the units the CLI prints), so a notebook
shows what ``interlayer analyze --json`` and ``interlayer eis --json`` print.
"""

from __future__ import annotations

from interlayer._html import table


def _finite_max(values):
    values = [v for v in values if v is not None]
    return max(values) if values else None


def cell_analysis_html(result) -> str:
    """One row per headline number of a :class:`~interlayer.analysis.CellAnalysis`."""
    d = result.to_dict()
    cycles, cap = d["cycles"], d["capacity_summary"]
    detected = [c["spike_V"] for c in cycles if c["spike_detected"]]
    rows = [
        ("record", d["source"], "", result.attrs.get("format", "")),
        ("electrode area", d["area_cm2"], "cm2", "the file, or the area given"),
        ("cell", d["settings"].get("cell"), "", "cell='auto': from the sign of the polarisation"),
        ("half-cycles", len(d["half_cycles"]), "", "segments.half_cycle_table"),
        ("cycles", len(cycles), "", "segments.half_cycle_table"),
    ]
    if cycles:
        rows += [
            (f"overpotential, cycle {cycles[0]['cycle']}", cycles[0]["overpotential_V"], "V",
             "mean plateau polarisation of the cycle"),
            (f"overpotential, cycle {cycles[-1]['cycle']}", cycles[-1]["overpotential_V"], "V",
             "mean plateau polarisation of the cycle"),
            ("largest nucleation spike V_sp", _finite_max(detected), "V",
             f"spikes: detected in {len(detected)} of {len(cycles)} cycles"),
        ]
    rows.append(("shorts", len(d["shorts"]), "", "shorts.detect_shorts"))
    for ev in d["shorts"][:1]:
        rows.append((f"first short ({ev['kind']})", ev["time_s"], "s",
                     "confirmed by impedance" if ev["confirmed_by_impedance"] else
                     "not confirmed by impedance" if ev["confirmed_by_impedance"] is False else "no spectra either side"))
    rows.append(("other failures", len(d["failures"]), "", "failures.detect_failures"))
    for ev in d["failures"][:1]:
        rows.append((f"first failure ({ev['kind']})", ev["time"], "s", ev["description"]))
    rows += [
        ("critical current density", d["ccd_mA_cm2"], "mA/cm2", "ccd: the current of the half-cycle that shorted"),
        ("stable up to", d["stable_up_to_mA_cm2"], "mA/cm2", "ccd: the highest current survived, no failure"),
        ("complete cycles", cap.get("complete_cycles"), "", "capacity"),
        ("mean coulombic efficiency", cap.get("mean_coulombic_efficiency"), "1", "capacity: complete cycles after the first"),
        ("retention", cap.get("retention"), "1", f"capacity: at cycle {cap.get('last_complete_cycle')}"),
        ("impedance spectra", len(d["spectra"]), "", "spectra between the cycling steps"),
    ]
    return table(rows, caption=f"analysis of {d['source']}", notes=d["notes"])


def eis_fit_html(fit) -> str:
    """The fitted parameters of an :class:`~interlayer.analysis.eis.EISFit`, with standard errors."""
    rows = [(name, p["value"], p.get("unit", ""),
             "fit" if p.get("stderr") is None else f"fit, standard error {p['stderr']:.3g}")
            for name, p in fit.parameters.items()]
    rows.append(("rms relative residual", fit.rms_relative, "1", f"{fit.frequency.size} points"))
    rows.append(("fit ok", fit.fit_ok, "", "fit_notes"))
    return table(rows, caption=f"equivalent-circuit fit {fit.circuit}", notes=fit.notes)


def ccd_html(result) -> str:
    """A :class:`~interlayer.analysis.ccd.CCDResult`: the CCD (mA/cm^2) and one row per current level."""
    from interlayer.units import HOUR, MA_CM2, MAH_CM2

    def ma(x):
        return None if x is None else x * MA_CM2

    rows = [("critical current density", ma(result.ccd), "mA/cm2", "the half cycle that shorted"),
            ("last stable", ma(result.last_stable), "mA/cm2", "highest current completed before the short"),
            ("lower bound", ma(result.lower_bound), "mA/cm2", "no short: the CCD is above this"),
            ("step increase", result.step_increase, "", "currents rise in at least two steps")]
    rows += [(f"level {k + 1}", ma(lv["current_density"]), "mA/cm2",
              f"{lv['half_cycles']} half cycles, {lv['half_cycle_time'] * HOUR:.3g} h, "
              f"{lv['capacity'] * MAH_CM2:.3g} mAh/cm2 each")
             for k, lv in enumerate(result.levels)]
    return table(rows, caption="critical current density")


def spectrum_fits_html(fits) -> str:
    """One row per spectrum of a :class:`~interlayer.analysis.spectra.SpectrumFits`."""
    columns = ("spectrum", "time (s)", "cycle", "points", "R total (ohm)", "rms relative", "fit ok", "error")
    rows = [(s["spectrum"], s["time_s"], s["cycle"], s["points"], s["r_total_ohm"], s.get("rms_relative"),
             s.get("fit_ok"), s["error"] or "") for s in fits.to_dict()]
    return table(rows, columns, caption=f"{len(rows)} spectra fitted with {fits.circuit}")


__all__ = ["ccd_html", "cell_analysis_html", "eis_fit_html", "spectrum_fits_html"]
