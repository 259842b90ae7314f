"""Physical parameters of the Li phase-field model (SI), with sources, and the scales derived from them.

Every value here is SI. The defaults are documented in ``docs/phasefield.md`` (parameter table);
in short:

* ``surface_energy`` gamma = 0.5 J/m^2: Li surface energy, 0.40 (liquid) - 0.55 J/m^2 (Tyson & Miller,
  Surf. Sci. 62, 267 (1977)); the package's ``materials.get("li")`` value. Chen-type models use 0.556.
* ``interface_width`` l: the half-width of the diffuse interface, zeta = 1/(1 + exp(x/l)) (10-90 % width
  4.394 l). A numerical parameter (the real Li surface is atomically sharp): it must be small against
  the pores. ``None`` ties it to the grid (l = dx), the finest width the grid resolves.
* ``mobility`` L_sigma = 2.5e-6 m^3/(J s): interface kinetic coefficient of Chen et al., J. Power Sources
  300, 376 (2015), reused by Hong & Viswanathan, ACS Energy Lett. 3, 1737 (2018) (value recalled from
  those papers' parameter tables; not re-checked against the originals in this session).
* ``exchange_current_density`` i0 = 10 A/m^2 (1 mA/cm^2): middle of 0.5-30 mA/cm^2 for Li|sulfide/
  halide interfaces (docs/equations.md section 10). It sets L_eta = i0 / (6 l n F c_s) so that a flat front
  carries exactly the Butler-Volmer current i0 * Delta(eta) (docs/equations.md (E18)).
* ``alpha`` = 0.5, ``temperature`` = 298.15 K, ``molar_volume`` = 1.2998e-5 m^3/mol (c_s = 1/V_m).
* ``li_ion_ratio`` c_Li+/c0 = 1: the host is a single-ion solid conductor (transference number 1), so
  Li+ does not deplete and the Nernst-Planck equation of Chen's model is dropped.
* ``sigma_li`` = 1.08e7 S/m (CRC), ``sigma_host`` = 3.1e-2 S/m (LNI, 3.1e-4 S/cm, the paper), the pore
  conductivity ``sigma_void_ratio`` * sigma_host (pores are empty: a floor of 1e-6 keeps the Poisson
  matrix regular), Li conductivity capped at ``max_conductivity_contrast`` * sigma_host (1e6: the Li
  is then equipotential to 1e-6 relative accuracy, and the matrix stays well conditioned).
* ``grain_penalty`` b = B/A = 4 (dimensionless): Li inside a grain is unstable for b > 1/4; b = 4
  keeps the Li-grain overlap within about one l while the explicit stiffness stays small.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

from interlayer.errors import InputError
from interlayer.units import FARADAY, GAS_CONSTANT, ROOM_TEMPERATURE

#: Default contact angles for ``--wetting`` (rad): LNI as lithiophobic (materials library, 120 deg, the
#: middle of the 100-140 deg calibration range); Mg-like lithiophilic 30 deg (Mg: 0-30 deg, docs/equations.md section 10).
DEFAULT_CONTACT_ANGLES = {"lithiophobic": math.radians(120.0), "lithiophilic": math.radians(30.0)}


def _li(key: str) -> float:
    from interlayer import materials

    return float(materials.get("li")[key])


@dataclass(frozen=True)
class PhaseFieldParameters:
    """Material and kinetic parameters of the model, SI. See the module docstring for sources.

    Examples
    --------
    >>> p = PhaseFieldParameters()
    >>> p.with_(temperature=333.15).temperature
    333.15
    """

    # Li's values come from the materials library (li.toml), not copies of it
    surface_energy: float = field(default_factory=lambda: _li("surface_energy"))  # J/m^2
    interface_width: float | None = None  # m; None -> grid spacing
    mobility: float = 2.5e-6  # m^3/(J s), L_sigma
    exchange_current_density: float = field(default_factory=lambda: _li("exchange_current_density"))  # A/m^2
    alpha: float = field(default_factory=lambda: _li("charge_transfer_coefficient"))
    temperature: float = ROOM_TEMPERATURE  # K
    molar_volume: float = field(default_factory=lambda: _li("molar_volume"))  # m^3/mol
    n: int = 1
    li_ion_ratio: float = 1.0
    sigma_li: float = field(default_factory=lambda: _li("conductivity"))  # S/m
    sigma_host: float = 3.1e-2  # S/m
    sigma_void_ratio: float = 1e-6
    max_conductivity_contrast: float = 1e6
    grain_penalty: float = 4.0  # b = B/A

    def __post_init__(self):
        positive = (
            "surface_energy",
            "mobility",
            "exchange_current_density",
            "temperature",
            "molar_volume",
            "sigma_li",
            "sigma_host",
            "sigma_void_ratio",
            "max_conductivity_contrast",
        )
        for name in positive:
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise InputError(name, f"must be a finite number > 0, got {value!r}")
        if self.interface_width is not None and not (self.interface_width > 0):
            raise InputError("interface_width", f"must be > 0 m, got {self.interface_width!r}")
        if not 0 < self.alpha < 1:
            raise InputError("alpha", f"must be in (0, 1), got {self.alpha!r}")
        if not self.grain_penalty > 0.25:
            raise InputError("grain_penalty", f"must be > 1/4 (Li unstable in grains), got {self.grain_penalty!r}")

    def with_(self, **changes) -> PhaseFieldParameters:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def li_concentration(self) -> float:
        """c_s = 1 / V_m, mol/m^3."""
        return 1.0 / self.molar_volume

    @property
    def thermal_voltage(self) -> float:
        """RT/F in V."""
        return GAS_CONSTANT * self.temperature / FARADAY


def bv_factor(eta, params: PhaseFieldParameters):
    """Butler-Volmer bracket Delta(eta) of eq. 16 in the package sign convention (eta > 0 plates).

    ``Delta = (c_Li+/c0) exp(alpha n F eta / RT) - exp(-(1 - alpha) n F eta / RT)``; the plating
    current density of a flat front is ``i0 * Delta``. The paper's eq. 16 writes the same with
    ``eta_paper = -eta`` (docs/equations.md (E1)).
    """
    from interlayer.kinetics import butler_volmer_bracket

    return butler_volmer_bracket(eta, params.temperature, params.alpha, params.li_ion_ratio, n=params.n)
