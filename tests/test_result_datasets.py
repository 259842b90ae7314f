"""Every model's Dataset follows one convention (issue 14): scalar results are 0-d variables with
``units``; attrs hold inputs and provenance, never a placeholder string for a missing value."""

from __future__ import annotations

import math

import pytest

PLACEHOLDERS = {"null", "none", "steady", "nan", "n/a", "grid", ""}


def _design():
    from interlayer.design import evaluate

    return evaluate()


def _transport():
    from interlayer.transport import pnp

    return pnp.run()


def _phasefield():
    from interlayer import phasefield as pf

    return pf.simulate(pf.straight_pores(16, 48, 1e-7, width=8e-7), math.radians(30), steps=5)


def _virtualcell():
    from interlayer.cell import Cell, Interlayer, Layer
    from interlayer.virtualcell import simulate

    cell = Cell(Interlayer((Layer.from_material("lni-5cnt", 90e-6),), 0.0))
    return simulate(cell, ["Cycle at 0.1 mA/cm2 until 0.1 mAh/cm2, 2 times"])


# the result tables that name each model's 0-d results
def _tables():
    from interlayer.phasefield.results import RESULTS as PF
    from interlayer.transport.pnp.maps import RESULTS as PNP
    from interlayer.virtualcell.model import RESULTS as CELL

    return {"transport": PNP, "phasefield": PF, "virtualcell": CELL}


@pytest.mark.parametrize("run", [_design, _transport, _phasefield, _virtualcell], ids=lambda f: f.__name__[1:])
def test_results_are_variables_with_units_and_attrs_hold_no_placeholders(run):
    ds = run()
    scalars = [name for name in ds.data_vars if ds[name].ndim == 0]
    assert scalars, "a model returns its scalar results as 0-d variables"
    for name in scalars:
        assert "units" in ds[name].attrs and "long_name" in ds[name].attrs, name
    for key, value in ds.attrs.items():
        if key == "warnings":  # " | "-separated messages; "" when none
            continue
        assert not (isinstance(value, str) and value.strip().lower() in PLACEHOLDERS), (key, value)
    if run is _transport:  # galvanostatic: no voltage was applied (NaN, not a 0.0 that reads as one)
        assert ds.attrs["control_mode"] == "galvanostatic" and math.isnan(ds.attrs["voltage_V"])
    table = _tables().get(run.__name__[1:])
    if table is not None:
        present = [name for name in table if name in ds]
        assert present and not set(table) & set(ds.attrs), "a result is a variable, never an attr"
        for name in present:
            assert ds[name].attrs["units"] == table[name][0], name
