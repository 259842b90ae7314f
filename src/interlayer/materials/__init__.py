"""The materials library: every value with its unit, source and note.

Data live in ``materials/data/*.toml``, one file per material. A file may name a ``base`` material
whose properties it inherits and overrides (LNI-5% CNT inherits LNI's contact angle, say). Values are
converted to SI on load; the original unit string is kept for display.

>>> from interlayer import materials
>>> m = materials.get("lni-5cnt")
>>> m["sigma_ion"]  # S/m
0.029
>>> round(m["contact_angle"], 4)  # rad
2.0944
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from interlayer.errors import InputError
from interlayer.materials._html import material_html
from interlayer.units import parse

# The SI unit every property is stored in (the API takes and returns these).
SI_UNITS: dict[str, str] = {
    "sigma_ion": "S/m",
    "sigma_e": "S/m",
    "conductivity": "S/m",
    "contact_angle": "rad",
    "porosity": "dimensionless",
    "density": "kg/m^3",
    "molar_mass": "kg/mol",
    "molar_volume": "m^3/mol",
    "electron_concentration": "1/m^3",
    "li_concentration": "mol/m^3",
    "surface_energy": "J/m^2",
    "effective_interfacial_energy": "J/m^2",
    "nucleation_interfacial_energy": "J/m^2",
    "exchange_current_density": "A/m^2",
    "charge_transfer_coefficient": "dimensionless",
    "nucleation_prefactor": "1/(m^3*s)",
    "nucleation_rate_threshold": "1/(m^3*s)",
    "relative_permittivity": "dimensionless",
    "interface_resistance": "ohm*m^2",
    "cnt_fraction": "dimensionless",
    "mg_fraction": "dimensionless",
    # failure physics (docs/theory.md, "Failure physics")
    "pore_radius": "m",
    "activation_energy_ion": "J/mol",
    "activation_energy_e": "J/mol",
    "activation_energy_contact": "J/mol",
    "temperature_min": "K",
    "temperature_max": "K",
    "planar_contact_resistance": "ohm*m^2",
    "wall_contact_resistance": "ohm*m^2",
    "penetration_current_density": "A/m^2",
    "activation_residual_fraction": "dimensionless",
    "creep_rate_1MPa": "1/s",
    "creep_stress_exponent": "dimensionless",
    "creep_activation_energy": "J/mol",
}


@dataclass(frozen=True)
class Property:
    """One material property: SI value plus where it came from."""

    value: float
    si_unit: str
    given_value: float
    given_unit: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Profile:
    """An assumed spatial profile of a property across the layer (x = 0 at the Li anode)."""

    kind: str
    quantity: str
    anode_value: float  # SI
    sse_value: float  # SI
    source: str
    note: str = ""

    def evaluate(self, xi):
        """Value at the fractional depth ``xi`` = x / l_i in [0, 1] (SI)."""
        import numpy as np

        xi = np.asarray(xi, dtype=float)
        if self.kind == "log-linear":
            return self.anode_value * (self.sse_value / self.anode_value) ** xi
        if self.kind == "linear":
            return self.anode_value + (self.sse_value - self.anode_value) * xi
        raise InputError("profile.kind", f"unknown profile kind {self.kind!r}; known: log-linear, linear")


@dataclass(frozen=True)
class Material:
    """A named material: properties in SI with provenance, and optionally a profile."""

    name: str
    kind: str
    description: str
    aliases: tuple[str, ...] = ()
    properties: dict[str, Property] = field(default_factory=dict)
    profile: Profile | None = None

    def __getitem__(self, key: str) -> float:
        return self.value(key)

    def has(self, key: str) -> bool:
        return key in self.properties

    def value(self, key: str) -> float:
        """SI value of property ``key``; InputError listing the known keys if absent."""
        try:
            return self.properties[key].value
        except KeyError:
            known = ", ".join(sorted(self.properties))
            raise InputError(f"{self.name}.{key}", f"material {self.name!r} has no property {key!r}; known: {known}") from None

    def _repr_html_(self) -> str:  # notebooks: a table of name, value, unit, source (materials/_html.py)
        return material_html(self)

    def to_dict(self) -> dict:
        """Plain-data view (SI values, units, sources) for JSON output."""
        record = {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "aliases": list(self.aliases),
            "properties": {
                key: {
                    "value": p.value,
                    "unit": p.si_unit,
                    "given": f"{p.given_value:g} {p.given_unit}",
                    "source": p.source,
                    "note": p.note,
                }
                for key, p in self.properties.items()
            },
        }
        if self.profile is not None:
            pr = self.profile
            record["profile"] = {
                "kind": pr.kind,
                "quantity": pr.quantity,
                "anode_value": pr.anode_value,
                "sse_value": pr.sse_value,
                "unit": SI_UNITS.get(pr.quantity, ""),
                "source": pr.source,
                "note": pr.note,
            }
        return record


def _read_raw() -> dict[str, dict]:
    raw = {}
    for entry in resources.files("interlayer.materials").joinpath("data").iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            raw[data["name"]] = data
    return raw


def _parse_property(material: str, key: str, table: dict) -> Property:
    for required in ("value", "unit", "source"):
        if required not in table:
            raise InputError(f"{material}.{key}", f"materials library entry lacks {required!r}")
    si_unit = SI_UNITS.get(key)
    if si_unit is None:
        raise InputError(f"{material}.{key}", f"unknown property; known: {', '.join(sorted(SI_UNITS))}")
    given_unit = table["unit"]
    if given_unit == "dimensionless":
        value = float(table["value"])
    else:
        value = parse(f"{table['value']} {given_unit}", si_unit, field=f"{material}.{key}")
    return Property(value, si_unit, float(table["value"]), given_unit, table["source"], table.get("note", ""))


_META_KEYS = {"name", "aliases", "kind", "description", "base", "profile"}


@lru_cache(maxsize=1)
def _library() -> dict[str, Material]:
    raw = _read_raw()

    def build(name: str, seen: tuple[str, ...] = ()) -> Material:
        if name in seen:
            raise InputError("materials", f"circular base chain {' -> '.join(seen + (name,))}")
        data = raw[name]
        props: dict[str, Property] = {}
        profile = None
        if "base" in data:
            base = build(data["base"], seen + (name,))
            props.update(base.properties)
            profile = base.profile
        for key, table in data.items():
            if key not in _META_KEYS:
                props[key] = _parse_property(name, key, table)
        if "profile" in data:
            p = data["profile"]
            si = SI_UNITS[p["quantity"]]
            profile = Profile(
                kind=p["kind"],
                quantity=p["quantity"],
                anode_value=parse(f"{p['anode_value']} {p['unit']}", si, field=f"{name}.profile"),
                sse_value=parse(f"{p['sse_value']} {p['unit']}", si, field=f"{name}.profile"),
                source=p["source"],
                note=p.get("note", ""),
            )
        return Material(
            name=name,
            kind=data.get("kind", "interlayer"),
            description=data.get("description", ""),
            aliases=tuple(data.get("aliases", ())),
            properties=props,
            profile=profile,
        )

    return {name: build(name) for name in sorted(raw)}


def names(kind: str | None = None) -> list[str]:
    """Names of the materials in the library (optionally only those of one ``kind``)."""
    return [n for n, m in _library().items() if kind is None or m.kind == kind]


def _lookup_key(text: str) -> str:
    return text.strip().lower().replace("_", "-").replace("%", "").replace(" ", "")


def get(name: str | Material) -> Material:
    """The material called ``name`` (aliases and case are accepted).

    Raises
    ------
    InputError
        For an unknown name, listing the known ones.
    """
    if isinstance(name, Material):
        return name
    lib = _library()
    wanted = _lookup_key(str(name))
    for material in lib.values():
        if wanted == _lookup_key(material.name) or wanted in {_lookup_key(a) for a in material.aliases}:
            return material
    raise InputError("material", f"unknown material {name!r}. Known: {', '.join(lib)}")
