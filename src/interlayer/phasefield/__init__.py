"""Phase field of Li growth into lithiophilic and lithiophobic porous interlayers (2D).

Model 2 of Wang et al., Nat. Energy 9, 251 (2024) (paper eqs. 11-16), after L. Chen et al.,
J. Power Sources 300, 376 (2015). Pipeline: microstructure -> model -> solver (+ trackers) -> Dataset.

>>> import math
>>> from interlayer import phasefield as pf
>>> ms = pf.straight_pores(16, 48, 1e-7, width=8e-7)
>>> ds = pf.simulate(ms, math.radians(120), overpotential=0.02, steps=10)
>>> {"zeta", "li_inventory", "penetration_depth"} <= set(ds.data_vars)
True
>>> ds.zeta.dims, ds.sizes["time"]   # 10 steps and the initial state
(('time', 'y', 'x'), 11)
"""

from interlayer.phasefield.microstructure import (
    Microstructure,
    empty,
    from_image,
    packed_particles,
    straight_pores,
)
from interlayer.phasefield.model import PhaseFieldModel, Scales, young_laplace_entry_pressure
from interlayer.phasefield.parameters import DEFAULT_CONTACT_ANGLES, PhaseFieldParameters, bv_factor
from interlayer.phasefield.results import simulate, to_dataset
from interlayer.phasefield.solver import SemiImplicitDCT, State
from interlayer.phasefield.trackers import (
    BreakthroughTracker,
    InventoryTracker,
    ProgressTracker,
    StorageTracker,
    Tracker,
    penetration_depth,
)
from interlayer.phasefield.wetting import contact_angle_range, cos_contact_angle, coupling_from_contact_angle

__all__ = [
    "DEFAULT_CONTACT_ANGLES",
    "BreakthroughTracker",
    "InventoryTracker",
    "Microstructure",
    "PhaseFieldModel",
    "PhaseFieldParameters",
    "ProgressTracker",
    "Scales",
    "SemiImplicitDCT",
    "State",
    "StorageTracker",
    "Tracker",
    "bv_factor",
    "contact_angle_range",
    "cos_contact_angle",
    "coupling_from_contact_angle",
    "empty",
    "from_image",
    "packed_particles",
    "penetration_depth",
    "simulate",
    "straight_pores",
    "to_dataset",
    "young_laplace_entry_pressure",
]
