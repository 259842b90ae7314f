"""How a model stores its scalar results: 0-d variables of its Dataset, with units and a long name
from the model's results table (``phasefield.results.RESULTS``, ``virtualcell.model.RESULTS``,
``transport.pnp.maps.RESULTS``: name -> (units, long_name, ...)).

>>> import xarray as xr
>>> ds = add_results(xr.Dataset(), {"steps_taken": ("1", "time steps taken")}, {"steps_taken": 20})
>>> int(ds.steps_taken), ds.steps_taken.attrs["units"]
(20, '1')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def add_results(ds: Any, table: Mapping[str, tuple], values: Mapping[str, Any]) -> Any:
    """Store ``values`` (name -> value) in ``ds`` as 0-d variables, units and long name from ``table``;
    returns ``ds``. A name missing from ``table`` raises KeyError (every result is declared there)."""
    for name, value in values.items():
        units, long_name = table[name][:2]
        ds[name] = ((), value, {"units": units, "long_name": long_name})
    return ds
