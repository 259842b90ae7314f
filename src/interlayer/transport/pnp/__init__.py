"""Poisson-Nernst-Planck transport of Li+ and electrons in the interlayer (1D and 2D).

Pipeline (each step public): parameters (:mod:`.params`) -> scales (:mod:`.scales`) -> mesh
(:mod:`.mesh1d`, :mod:`.mesh2d`) -> dimensionless system and boundary conditions (:mod:`.system`,
:mod:`.model`) -> residual/Jacobian factory (:mod:`.assemble`, Scharfetter-Gummel fluxes in :mod:`.sg`)
-> Newton (:mod:`.newton`) and time steppers (:mod:`.stepping`) -> maps (:mod:`.maps`).

The one-call facade is :func:`run` (returns an ``xarray.Dataset``) with :func:`summary` for the scalars.
Equations, scales and parameter choices: ``docs/pnp.md``.
"""

from interlayer.transport.pnp.api import build_model, run, summary, to_dataset, write_netcdf
from interlayer.transport.pnp.model import InterlayerPNP
from interlayer.transport.pnp.params import PNPParameters, from_material
from interlayer.transport.pnp.scales import Scales

__all__ = [
    "InterlayerPNP",
    "PNPParameters",
    "Scales",
    "build_model",
    "from_material",
    "run",
    "summary",
    "to_dataset",
    "write_netcdf",
]
