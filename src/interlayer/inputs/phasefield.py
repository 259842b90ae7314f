"""The phase-field model's inputs, declared once: ``interlayer phasefield``, the ``phasefield`` sweep
model and :func:`interlayer.phasefield.simulate` take these (``tests/test_model_declarations.py``).

The run is built in two steps, both from the declaration: :meth:`PhaseFieldInputs.build_microstructure`
(particles, slits or an image) and :meth:`PhaseFieldInputs.simulate_kwargs`.

>>> p = PhaseFieldInputs.from_text({"microstructure": "pores", "grid": 32, "grid_height": 48, "size": "4 um"})
>>> ms = p.build_microstructure()
>>> ms.kind, ms.phi.shape, round(ms.dx * 1e9, 6)
('pores', (48, 32), 125.0)
>>> round(p.contact_angle_and_source()[0], 6), p.contact_angle_and_source()[1]
(2.094395, '--wetting lithiophobic (default angle)')
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any, ClassVar

from interlayer.errors import InputError
from interlayer.inputs import Inputs, fields, flag, integer, quantity, text
from interlayer.units import UM

MICROSTRUCTURE_CHOICES = ("particles", "pores")
#: Defaults of the inputs that apply to one kind of microstructure only (None in the declaration, so
#: that an option given for the wrong kind is refused rather than silently ignored).
DEFAULTS = {"grid": 256, "size": 16e-6, "pore_width": 1e-6, "pore_count": 2, "particle_diameter": 2e-6,
            "porosity": 0.5, "seed": 0, "overpotential": 0.05}
#: Inputs that only apply to some kinds of microstructure -> those kinds.
GEOMETRY = {"pore_width": ("pores",), "pore_count": ("pores",), "particle_diameter": ("particles",),
            "porosity": ("particles",), "seed": ("particles",), "grid": ("particles", "pores"),
            "grid_height": ("particles", "pores"), "pixel_size": ("image",)}


@dataclasses.dataclass(frozen=True)
class PhaseFieldInputs(Inputs):
    """One 2D phase-field run (SI; ``None``: the default in :data:`DEFAULTS` or the model's)."""

    model: ClassVar[str] = "phasefield"

    wetting: str | None = text(
        None, "lithiophobic (120 deg, the default) or lithiophilic (30 deg)", choices=("lithiophobic", "lithiophilic"),
        help="lithiophobic (120 deg, the default) or lithiophilic (30 deg). Exclusive with --contact-angle and "
             "--material.")
    # open at both ends (the wetting term needs 0 < theta < 180 deg): that range, not the closed bound
    # contact_angle, so that one message gives the range that holds
    contact_angle: float | None = fields.contact_angle(description="Li contact angle on the host", bound=None,
                                                       minimum=0.0, maximum=math.pi, open_low=True, open_high=True)
    material: str | None = fields.material(None, description="take the contact angle from the materials library")
    microstructure: str = text("particles", "particles, pores, or the path of an image/.npy mask")
    pore_width: float | None = quantity(None, "m", "slit width (pores) [default: 1 um]", display="um",
                                        minimum=0.0, open_low=True)
    pore_count: int | None = integer(None, "number of slits (pores) [default: 2]", minimum=1, maximum=10_000)
    particle_diameter: float | None = quantity(None, "m", "mean particle diameter (particles) [default: 2 um]",
                                               display="um", minimum=0.0, open_low=True)
    porosity: float | None = fields.porosity(description="target porosity of the particle packing [default: 0.5]",
                                             minimum=0.45, maximum=0.95, open_low=False, open_high=False)
    seed: int | None = integer(None, "random seed of the particle packing [default: 0]", bound="seed")
    size: float | None = quantity(
        None, "m", "domain width (height too, unless grid_height is set) [default: 16 um]; for an image its width",
        display="um", bound="pf_size",
        help="Domain width and height (square domain) [default: 16 um]; for an image, its width (exclusive "
             "with --pixel-size).")
    pixel_size: float | None = quantity(None, "m", "pixel size of an image microstructure (default size/width)",
                                        display="um", minimum=0.0, open_low=True)
    grid: int | None = integer(None, "cells across, 8-4096 (particles and pores; an image sets its own grid) "
                                     "[default: 256]", minimum=8, maximum=4096)
    grid_height: int | None = integer(None, "cells in height (default: as across; the domain then is "
                                            "size x size * grid_height / grid)", minimum=8, maximum=4096)
    steps: int = integer(2000, "number of time steps (fewer at breakthrough)", minimum=1, maximum=10**9)
    dt: float | None = quantity(None, "s", "time step; at most the explicit stability bound (default: 0.8 of it)",
                                display="s", minimum=0.0, open_low=True)
    overpotential: float | None = quantity(
        None, "V", "applied deposition overpotential (> 0 plates) [default: 50 mV]", display="mV",
        bound="overpotential",
        help="Applied deposition overpotential (> 0 plates) [default: 50 mV]; exclusive with --current-density.")
    # signed: a negative current strips
    current_density: float | None = fields.current_density(
        bound="pf_current_density", description="galvanostatic control (uniform potential)", aliases=("current",),
        help="Galvanostatic control, mA/cm2 unless a unit follows (uniform potential).")
    pressure: float = fields.stack_pressure(0.0, cli_default="0 MPa", description="stack pressure on the Li",
                                            aliases=("stack-pressure",))
    potential: str | None = text(None, "poisson (conductivity-weighted solve, the default) or uniform; "
                                       "galvanostatic runs are always uniform", choices=("poisson", "uniform"))
    wetting_form: str = text("h", "wetting term: h (default) or digest (eq. 11 as printed)", choices=("h", "digest"))
    storage_every: int | None = integer(None, "snapshot interval in steps (default steps/20)", minimum=1,
                                        maximum=10**9)
    keep_going: bool = flag(False, "do not stop at breakthrough")

    # ------------------------------------------------------------------------------------- checks
    def check(self, names: dict[str, str]) -> None:
        def name(key: str) -> str:
            return names.get(key, key)

        _exclusive({name(k): getattr(self, k) for k in ("wetting", "contact_angle", "material")})
        _exclusive({name(k): getattr(self, k) for k in ("overpotential", "current_density")})
        kind = self.kind
        for key, kinds in GEOMETRY.items():
            if getattr(self, key) is not None and kind not in kinds:
                where = "an image microstructure" if kinds == ("image",) else (
                    f"{name('microstructure')} " + " or ".join(kinds))
                extra = " (an image sets its own grid: one pixel is one cell)" if key.startswith("grid") else ""
                raise InputError(name(key), f"applies only to {where}, not to {name('microstructure')} "
                                            f"{self.microstructure!r}{extra}")
        if kind == "image":
            _exclusive({name("size"): self.size, name("pixel_size"): self.pixel_size})
        if self.current_density is not None:
            if self.current_density == 0:
                raise InputError(name("current_density"), f"must not be 0 (give {name('overpotential')} 0 for no drive)")
            if self.potential not in (None, "uniform"):
                raise InputError(name("potential"), f"{self.potential!r} conflicts with {name('current_density')} "
                                                     "(galvanostatic control uses a uniform potential)")
        if kind != "image":  # the memory a run needs, before anything is built (an image: once it is read)
            from interlayer.phasefield.memory import check_memory

            nx = self.value("grid")
            check_memory(nx, self.grid_height or nx, self.steps, self.storage_every, field=name("grid"))

    @property
    def kind(self) -> str:
        """'particles', 'pores' or 'image' (InputError if the named file does not exist)."""
        if self.microstructure in MICROSTRUCTURE_CHOICES:
            return self.microstructure
        path = Path(self.microstructure)
        if not path.exists():
            raise InputError("microstructure", f"file {self.microstructure!r} does not exist; give one of "
                             f"{', '.join(MICROSTRUCTURE_CHOICES)} or an image (.png, ...) or .npy mask")
        if not path.is_file():
            raise InputError("microstructure", f"{self.microstructure!r} is not a file; give one of "
                             f"{', '.join(MICROSTRUCTURE_CHOICES)} or an image/.npy mask")
        return "image"

    def value(self, key: str) -> Any:
        """The input, or its default from :data:`DEFAULTS` when unset."""
        value = getattr(self, key)
        return DEFAULTS.get(key) if value is None else value

    # ---------------------------------------------------------------------------------- the run
    def contact_angle_and_source(self) -> tuple[float, str]:
        """theta (rad) and where it came from (the angle, the material's, or the wetting's default)."""
        from interlayer.phasefield.parameters import DEFAULT_CONTACT_ANGLES

        if self.contact_angle is not None:
            return self.contact_angle, "--contact-angle"
        if self.material is not None:
            from interlayer import materials

            record = materials.get(self.material)
            try:
                theta = float(record["contact_angle"])
            except KeyError:
                raise InputError("material", f"{self.material!r} has no contact_angle; use --contact-angle") from None
            if not 0 < theta < math.pi:
                raise InputError("material", f"{self.material!r} contact angle {math.degrees(theta):.1f} deg is "
                                             "out of (0, 180)")
            return theta, f"material {self.material}"
        wetting = self.wetting or "lithiophobic"
        return DEFAULT_CONTACT_ANGLES[wetting], f"--wetting {wetting} (default angle)"

    def build_microstructure(self, names: dict[str, str] | None = None):
        """The :class:`~interlayer.phasefield.Microstructure` (builder errors name the input)."""
        from interlayer import phasefield as pf

        names = names or {}
        kind, side = self.kind, self.value("size")
        if kind == "image":
            mask = pf.microstructure.read_mask(Path(self.microstructure))
            if mask.ndim != 2:
                raise InputError("image", f"must be a 2D mask, got an array of shape {mask.shape}")
            if self.pixel_size is not None:
                from interlayer.limits import check_bound

                check_bound("pf_size", self.pixel_size * mask.shape[1], names.get("pixel_size", "pixel_size"))
                px = self.pixel_size
            else:
                px = side / mask.shape[1]
            ms = pf.from_image(mask, px)
            ms.info["image"] = str(self.microstructure)
            return ms
        nx = self.value("grid")
        ny = self.grid_height or nx
        dx = side / nx
        with _builder_names(side, nx, names):
            if kind == "particles":
                return pf.packed_particles(nx, ny, dx, diameter=self.value("particle_diameter"),
                                           porosity=self.value("porosity"), seed=self.value("seed"))
            return pf.straight_pores(nx, ny, dx, width=self.value("pore_width"), count=self.value("pore_count"))

    def simulate_kwargs(self) -> dict[str, Any]:
        """Keywords of :func:`interlayer.phasefield.simulate` after the microstructure."""
        potential = self.potential or ("uniform" if self.current_density is not None else "poisson")
        return {"contact_angle": self.contact_angle_and_source()[0], "overpotential": self.value("overpotential"),
                "pressure": self.pressure, "steps": self.steps, "dt": self.dt, "potential": potential,
                "storage_every": self.storage_every, "stop_at_breakthrough": not self.keep_going,
                "current_density": self.current_density, "wetting_form": self.wetting_form}

    def kwargs(self) -> dict[str, Any]:
        return {"microstructure": self.build_microstructure(), **self.simulate_kwargs()}


def _exclusive(given: dict[str, object]) -> None:
    """InputError naming the inputs if more than one of ``given`` (name -> value or None) is set."""
    set_names = [name for name, value in given.items() if value is not None]
    if len(set_names) > 1:
        raise InputError(set_names[0], f"conflicts with {', '.join(set_names[1:])}: give only one of "
                                       f"{', '.join(given)}")


#: Builder argument names -> the inputs that set them.
_BUILDER_FIELDS = {"diameter": "particle_diameter", "pore_width": "pore_width", "count": "pore_count",
                   "porosity": "porosity", "grid": "grid", "dx": "size"}


class _builder_names:
    """Re-raise a microstructure builder's InputError under the input's name, with the grid spacing.

    ``packed_particles(..., diameter=...)`` names its own argument; the user set the particle diameter
    (and the size limit it hits depends on the grid and the size), so say that.
    """

    def __init__(self, side: float, grid: int, names: dict[str, str]):
        self.side, self.grid, self.names = side, grid, names

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is InputError and exc.field in _BUILDER_FIELDS:
            n = self.names.get
            option = n(_BUILDER_FIELDS[exc.field], _BUILDER_FIELDS[exc.field])
            spacing = (f" (cell {self.side / self.grid * UM:.3g} um = {n('size', 'size')} {self.side * UM:.4g} um / "
                       f"{n('grid', 'grid')} {self.grid}; a finer {n('grid', 'grid')} or a larger {option} may help)")
            raise InputError(option, exc.message + spacing) from None
        return False
