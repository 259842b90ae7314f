r"""Archimedes density of a pellet weighed in air and in mineral spirits (paper eq. 2).

The paper writes ``rho = m_air / (m_air + m_ms) (rho_ms - rho_air) + rho_air``. For that to give a
density above the liquid's (a pellet that sinks), ``m_air + m_ms`` must be the mass of liquid the
sample displaces, ``m_air - m_immersed``; so the paper's ``m_ms`` is the apparent immersed mass
counted negative, ``m_ms = -m_immersed``.

Our sign convention: the input is the *apparent mass of the immersed sample*, ``m_immersed > 0``
(what a density kit's balance shows with the sample hanging in the liquid), so

    rho = m_air / (m_air - m_immersed) (rho_liquid - rho_air) + rho_air

which is eq. 2 with ``m_ms = -m_immersed`` (derivation in docs/analysis.md).
Defaults: mineral spirits 0.752 g/mL and air 0.0012 g/mL (the paper's values); LNI crystal
density 2.38 g/cm3 for the relative density.
"""

from __future__ import annotations

from interlayer.errors import InputError

RHO_MINERAL_SPIRITS = 752.0  # kg/m^3 (paper, methods)
RHO_AIR = 1.2  # kg/m^3 (paper, methods: 0.0012 g/mL)
RHO_LNI = 2380.0  # kg/m^3, Li7N2I crystal density (paper)


def archimedes_density(
    m_air: float, m_immersed: float, rho_liquid: float = RHO_MINERAL_SPIRITS, rho_air: float = RHO_AIR
) -> float:
    """Density [kg/m^3] from the mass in air and the apparent mass immersed (any one mass unit).

    >>> round(archimedes_density(1.000, 0.684), 1)   # a pellet of about 2.38 g/cm3
    2377.1
    """
    if not m_air > 0:
        raise InputError("m_air", "must be > 0")
    if not 0 <= m_immersed < m_air:
        raise InputError("m_immersed", f"apparent immersed mass must be in [0, m_air) = [0, {m_air})")
    if not rho_liquid > rho_air >= 0:
        raise InputError("rho_liquid", "must exceed the air density")
    return m_air / (m_air - m_immersed) * (rho_liquid - rho_air) + rho_air


def relative_density(rho: float, rho_theoretical: float = RHO_LNI) -> float:
    """rho / rho_theoretical (default the LNI crystal density, 2380 kg/m^3)."""
    if not rho_theoretical > 0:
        raise InputError("rho_theoretical", "must be > 0")
    return rho / rho_theoretical
