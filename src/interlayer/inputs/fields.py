"""The inputs several models share, declared once: unit, bare-number unit, bound, description and help.

A model's declaration (:mod:`interlayer.inputs.design`, ``transport``, ``phasefield``, ``cell``) takes
its common inputs from these factories instead of writing them out again::

    thickness: float = fields.thickness()
    porosity: float | None = fields.porosity(note="0: dense pellet", open_low=False)

Each factory fixes what makes the input the same physical field everywhere: the SI unit, the unit a
bare number is read in (``display``) and, for temperatures and times, that a bare number is refused
(``needs_unit``); none of those can be overridden. Everything else has one canonical value
(:data:`SHARED`) and may be changed per model with keywords, for what truly differs there:

* ``default``, the first argument (with ``cli_default`` where the CLI shows it as text);
* ``note``: a remark appended to the description and the help in parentheses, e.g. ``"failure
  criterion"`` (the design command uses the stack pressure only in that criterion);
* any other :class:`~interlayer.inputs.Input` field (``description``, ``help``, ``bound``,
  ``minimum``, ``open_low``, ``option``, ``cli``, ``kind``...), where the model means or allows
  something else (a signed phase-field current, a packing's target porosity).

Each use records its factory, its overrides and its note (:func:`shared_of`), and
``tests/test_shared_fields.py`` checks that every other attribute is the canonical one, so a field
cannot drift from one declaration to the next without saying so.

>>> import dataclasses
>>> from interlayer.inputs import Inputs
>>> @dataclasses.dataclass(frozen=True)
... class Demo(Inputs):
...     thickness: float = thickness()
...     pressure: float = stack_pressure(0.0, cli_default="0 MPa", note="on the Li")
>>> spec, default = Demo.declared()["pressure"]
>>> spec.unit, spec.display, spec.bound, spec.description, default
('Pa', 'MPa', 'pressure', 'stack pressure (on the Li)', 0.0)
>>> shared_of(Demo)["pressure"]
Shared(factory='stack_pressure', overrides=('cli_default',), note='on the Li')
"""

from __future__ import annotations

import dataclasses
from typing import Any

from interlayer.defaults import PAPER_STACK_PRESSURE, PAPER_THICKNESS
from interlayer.inputs import TEMPERATURE_EXAMPLE, TIME_EXAMPLE, Input, quantity
from interlayer.units import ROOM_TEMPERATURE

#: What a field is, whatever model uses it: never overridden.
FIXED = ("unit", "display", "needs_unit")


@dataclasses.dataclass(frozen=True)
class Shared:
    """How one declaration field uses a shared factory (kept in the field's metadata)."""

    factory: str
    overrides: tuple[str, ...] = ()
    note: str | None = None


#: factory -> (canonical default, canonical Input attributes).
SHARED: dict[str, tuple[Any, dict[str, Any]]] = {
    "material": ("lni-5cnt", dict(
        kind="text",
        description="interlayer material: a library name (see `interlayer materials`) or a TOML file of your own")),
    "thickness": (PAPER_THICKNESS, dict(
        unit="m", display="um", bound="thickness", description="interlayer thickness", cli_default="90 um")),
    "porosity": (None, dict(
        unit="1", description="porosity (default: the material's)", minimum=0.0, maximum=1.0, open_low=True,
        open_high=True)),
    "pore_radius": (None, dict(
        unit="m", display="um", description="pore radius (default: the material's)", minimum=0.0, maximum=1e-3,
        open_low=True)),
    "contact_angle": (None, dict(
        unit="rad", display="deg", bound="contact_angle", description="Li contact angle (default: the material's)")),
    "temperature": (ROOM_TEMPERATURE, dict(
        unit="K", needs_unit=TEMPERATURE_EXAMPLE, bound="temperature", description="temperature",
        cli_default="25 degC", help=f"Temperature with a unit, e.g. {TEMPERATURE_EXAMPLE}.")),
    # dense-pellet (measured) values at 25 degC, as interlayer.cell.Layer takes them; the models apply
    # the porosity (Bruggeman) and the temperature (Arrhenius) themselves
    "sigma_ion": (None, dict(
        unit="S/m", display="S/cm", minimum=0.0, maximum=100.0, open_low=True,
        description="ionic conductivity of the dense layer material at 25 degC (default: the material's)",
        help="Ionic conductivity of the dense layer material at 25 degC, e.g. '2.9e-4 S/cm' (bare number: S/cm; "
             "default: the material's; no solid Li+ conductor reaches 1 S/cm).")),
    "sigma_e": (None, dict(
        unit="S/m", display="S/cm", minimum=0.0, maximum=1.1e7, open_low=True,
        description="electronic conductivity of the dense layer material at 25 degC (default: the material's)",
        help="Electronic conductivity of the dense layer material at 25 degC, e.g. '2.8e-5 S/cm' (bare number: "
             "S/cm; default: the material's; at most metallic Li's 1.1e5 S/cm).")),
    "interface_resistance": (None, dict(
        unit="ohm*m^2", display="ohm*cm^2", minimum=0.0,
        description="Li|layer area-specific resistance (default: the material's)",
        help="Li|layer area-specific resistance, e.g. '145 ohm*cm^2' (bare number: ohm*cm^2; default: the "
             "material's).")),
    # the library's electron_concentration: the design model's eta_c and the PNP model's c_e = n / N_A
    "electron_density": (None, dict(
        unit="1/m^3", bound="carrier_density",
        description="free-electron density of the layer's solid (default: the material's)",
        help="Free-electron density of the layer's solid, e.g. '6.5e24 1/m^3' (bare number: 1/m^3; default: "
             "the material's).")),
    "current_density": (None, dict(
        unit="A/m^2", display="mA/cm^2", bound="current_density", description="plating current density")),
    "half_cycle_time": (None, dict(
        unit="s", needs_unit=TIME_EXAMPLE, bound="time", description="plating time per half cycle",
        help="Plating time per half cycle with a unit, e.g. '1 h'.")),
    "stack_pressure": (PAPER_STACK_PRESSURE, dict(
        unit="Pa", display="MPa", bound="pressure", description="stack pressure", cli_default="1 MPa")),
    "electrolyte": ("lni", dict(
        kind="text", description="separator pellet material",
        help="Separator pellet material, e.g. 'lni' (the paper's), 'lpsc', 'llzo'.")),
    "extrapolate": (False, dict(
        kind="flag", sweep=False, description="allow temperatures outside the materials' data range")),
}


def canonical(factory: str, note: str | None = None) -> Input:
    """The :class:`Input` a factory makes without overrides (with ``note`` appended)."""
    spec = dict(SHARED[factory][1])
    if note:
        spec["description"] = with_note(spec["description"], note)
        if spec.get("help"):
            spec["help"] = with_note(spec["help"], note)
    return Input(**spec)


def with_note(text: str, note: str) -> str:
    """``text`` with ``note`` in parentheses (joined with ``;`` to a closing parenthesis there)."""
    end = "." if text.endswith(".") else ""
    body = text[:-1] if end else text
    if body.endswith(")"):
        return f"{body[:-1]}; {note}){end}"
    return f"{body} ({note}){end}"


def shared_of(decl: type) -> dict[str, Shared]:
    """``field -> Shared`` for the fields of declaration ``decl`` made by a factory here."""
    return {f.name: f.metadata["shared"] for f in dataclasses.fields(decl) if "shared" in f.metadata}


def _make(factory: str, default: Any, note: str | None, overrides: dict[str, Any]) -> Any:
    fixed = sorted(set(overrides) & set(FIXED))
    if fixed:
        raise TypeError(f"{factory}: {', '.join(fixed)} is what the field is, not a per-model choice; "
                        "declare another field if the model means another quantity")
    canonical_default, base = SHARED[factory]
    spec = dict(base)
    if (default != canonical_default and "cli_default" in spec and "cli_default" not in overrides
            and overrides.get("cli", True)):
        raise TypeError(f"{factory}: a default other than {canonical_default!r} needs its cli_default text")
    spec.update(overrides)
    if note:
        spec["description"] = with_note(spec["description"], note)
        if spec.get("help") and "help" not in overrides:
            spec["help"] = with_note(spec["help"], note)
    plain = Input()
    changed = tuple(k for k, v in overrides.items() if base.get(k, getattr(plain, k)) != v)
    meta = {"input": Input(**spec), "shared": Shared(factory, changed, note)}
    return dataclasses.field(default=default, metadata=meta)


# ------------------------------------------------------------------------------------ the factories
# Each takes the model's default first; ``note=`` and Input keywords as the module docstring says.

def material(default: str | None = "lni-5cnt", *, note: str | None = None, **overrides: Any) -> Any:
    """The interlayer material: a library name or a TOML file (text)."""
    return _make("material", default, note, overrides)


def thickness(default: float | None = PAPER_THICKNESS, *, note: str | None = None, **overrides: Any) -> Any:
    """The interlayer thickness, m (bare number: um; bound ``thickness``)."""
    return _make("thickness", default, note, overrides)


def porosity(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The layer's pore volume fraction, in (0, 1) unless the model allows an end."""
    return _make("porosity", default, note, overrides)


def pore_radius(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The layer's pore radius, m (bare number: um; up to 1 mm)."""
    return _make("pore_radius", default, note, overrides)


def contact_angle(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The Li contact angle on the layer, rad (bare number: deg; bound ``contact_angle``)."""
    return _make("contact_angle", default, note, overrides)


def temperature(default: float | None = ROOM_TEMPERATURE, *, note: str | None = None, **overrides: Any) -> Any:
    """The cell temperature, K (a bare number is refused: degC or K?; bound ``temperature``)."""
    return _make("temperature", default, note, overrides)


def sigma_ion(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The dense layer material's ionic conductivity at 25 degC, S/m (bare number: S/cm)."""
    return _make("sigma_ion", default, note, overrides)


def sigma_e(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The dense layer material's electronic conductivity at 25 degC, S/m (bare number: S/cm)."""
    return _make("sigma_e", default, note, overrides)


def interface_resistance(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The Li|layer area-specific resistance, ohm m^2 (bare number: ohm cm^2)."""
    return _make("interface_resistance", default, note, overrides)


def electron_density(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The free-electron (carrier) density of the layer's solid, 1/m^3 (bound ``carrier_density``)."""
    return _make("electron_density", default, note, overrides)


def current_density(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """A plating current density, A/m^2 (bare number: mA/cm^2; bound ``current_density``)."""
    return _make("current_density", default, note, overrides)


def half_cycle_time(default: float | None = None, *, note: str | None = None, **overrides: Any) -> Any:
    """The plating time per half cycle, s (a bare number is refused: s or h?; bound ``time``)."""
    return _make("half_cycle_time", default, note, overrides)


def stack_pressure(default: float | None = PAPER_STACK_PRESSURE, *, note: str | None = None,
                   **overrides: Any) -> Any:
    """The stack pressure, Pa (bare number: MPa; bound ``pressure``)."""
    return _make("stack_pressure", default, note, overrides)


def electrolyte(default: str | None = "lni", *, note: str | None = None, **overrides: Any) -> Any:
    """The separator pellet's material (text)."""
    return _make("electrolyte", default, note, overrides)


def extrapolate(default: bool = False, *, note: str | None = None, **overrides: Any) -> Any:
    """Allow temperatures outside the materials' data range (a flag, not swept)."""
    return _make("extrapolate", default, note, overrides)


# ------------------------------------------------------------------- kinds, not one shared field
def duration(default: float | None, description: str, **spec: Any) -> Any:
    """A time span in s: a bare number is refused (s or h?); bound ``time``."""
    return quantity(default, "s", description, needs_unit=TIME_EXAMPLE, bound="time", **spec)
