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

import math
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

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


_META_KEYS = {"name", "aliases", "kind", "description", "base", "profile"}
_PROPERTY_KEYS = ("value", "unit", "source", "note")
_PROFILE_KEYS = ("kind", "quantity", "anode_value", "sse_value", "unit", "source", "note")
KINDS = ("interlayer", "electrolyte", "metal")
DIMENSIONLESS = "dimensionless"


def _number(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(field, f"must be a finite number, got {value!r}")
    return float(value)


def _text(value, field: str) -> str:
    if not isinstance(value, str):
        raise InputError(field, f"must be a string, got {value!r}")
    return value


def _in_si(value: float, unit, si_unit: str, field: str) -> float:
    """``value`` given in ``unit``, in ``si_unit``; InputError naming ``field`` for a unit of another kind."""
    unit = _text(unit, field)
    if si_unit == DIMENSIONLESS or unit == DIMENSIONLESS:
        if unit != si_unit:
            want = f"a unit of {si_unit}" if si_unit != DIMENSIONLESS else '"dimensionless"'
            raise InputError(field, f"{unit!r} is not {want}")
        return value
    try:
        return parse(f"{value!r} {unit}", si_unit, field=field)
    except InputError:
        raise InputError(field, f"{unit!r} is not a unit of {si_unit}") from None


def _keys_known(table, allowed, field: str, what: str) -> dict:
    if not isinstance(table, dict):
        raise InputError(field, f"must be a table ([{field.rsplit(' ', 1)[-1]}]) with {', '.join(allowed)}; "
                                f"got {table!r}")
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise InputError(f"{field}.{unknown[0]}", f"unknown key of {what}; known: {', '.join(allowed)}")
    return table


def _parse_property(material: str, key: str, table: dict, field: str | None = None) -> Property:
    """One property table (``value``, ``unit``, ``source``, optional ``note``) in SI.

    ``field`` names the table in messages (default ``MATERIAL.KEY``).
    """
    field = field or f"{material}.{key}"
    si_unit = SI_UNITS.get(key)
    if si_unit is None:
        raise InputError(field, f"unknown property; known: {', '.join(sorted(SI_UNITS))}")
    _keys_known(table, _PROPERTY_KEYS, field, "a property")
    for required in ("value", "unit", "source"):
        if required not in table:
            raise InputError(f"{field}.{required}", "missing (a property needs value, unit and source)")
    given = _number(table["value"], f"{field}.value")
    value = _in_si(given, table["unit"], si_unit, f"{field}.unit")
    return Property(value, si_unit, given, table["unit"], _text(table["source"], f"{field}.source"),
                    _text(table.get("note", ""), f"{field}.note"))


def _parse_profile(table, field: str) -> Profile:
    _keys_known(table, _PROFILE_KEYS, field, "a profile")
    for required in ("kind", "quantity", "anode_value", "sse_value", "unit", "source"):
        if required not in table:
            raise InputError(f"{field}.{required}", f"missing (a profile needs {', '.join(_PROFILE_KEYS[:-1])})")
    kind = _text(table["kind"], f"{field}.kind")
    if kind not in ("log-linear", "linear"):
        raise InputError(f"{field}.kind", f"unknown profile kind {kind!r}; known: log-linear, linear")
    quantity = _text(table["quantity"], f"{field}.quantity")
    if quantity not in SI_UNITS:
        raise InputError(f"{field}.quantity", f"unknown property {quantity!r}; known: {', '.join(sorted(SI_UNITS))}")
    si = SI_UNITS[quantity]
    ends = [_in_si(_number(table[k], f"{field}.{k}"), table["unit"], si, f"{field}.unit")
            for k in ("anode_value", "sse_value")]
    return Profile(kind=kind, quantity=quantity, anode_value=ends[0], sse_value=ends[1],
                   source=_text(table["source"], f"{field}.source"), note=_text(table.get("note", ""), f"{field}.note"))


def _build(name: str, data: dict, base, field) -> Material:
    """A Material from one parsed file (library or user), validated key by key.

    ``base(base_name)`` returns the base material; ``field(key)`` names a key in messages.
    """
    if not isinstance(data, dict):  # pragma: no cover - tomllib always gives a table
        raise InputError(field("name"), "a material file is a TOML table")
    for key in data:
        if key not in _META_KEYS and key not in SI_UNITS:
            raise InputError(field(key), f"unknown key; known: {', '.join(sorted(_META_KEYS))} and the properties "
                                         f"{', '.join(sorted(SI_UNITS))}")
    for key in ("name", "kind", "description", "base"):
        if key in data:
            _text(data[key], field(key))
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise InputError(field("aliases"), f"must be a list of strings, got {aliases!r}")
    kind = data.get("kind", "interlayer")
    if kind not in KINDS:
        raise InputError(field("kind"), f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    props: dict[str, Property] = {}
    profile = None
    if "base" in data:
        parent = base(data["base"])
        props.update(parent.properties)
        profile = parent.profile
    for key, table in data.items():
        if key not in _META_KEYS:
            props[key] = _parse_property(name, key, table, field=field(key))
    if "profile" in data:
        profile = _parse_profile(data["profile"], field("profile"))
    return Material(
        name=name,
        kind=kind,
        description=data.get("description", ""),
        aliases=tuple(aliases),
        properties=props,
        profile=profile,
    )


@lru_cache(maxsize=1)
def _library() -> dict[str, Material]:
    raw = _read_raw()

    def build(name: str, seen: tuple[str, ...] = ()) -> Material:
        if name in seen:
            raise InputError("materials", f"circular base chain {' -> '.join(seen + (name,))}")
        if name not in raw:
            raise InputError(f"{seen[-1]}.base" if seen else "material",
                             f"unknown material {name!r}. Known: {', '.join(sorted(raw))}")
        return _build(name, raw[name], lambda b: build(b, seen + (name,)), lambda key: f"{name}.{key}")

    return {name: build(name) for name in sorted(raw)}


#: Largest user material file read (a material is a few kB).
MAX_FILE_BYTES = 1_048_576
_FILE_CACHE: dict[tuple, Material] = {}


def is_file_name(name: str) -> bool:
    """Whether ``--material NAME`` names a file (ends in ``.toml`` or holds a path separator)."""
    text = str(name).strip()
    return text.lower().endswith(".toml") or "/" in text or os.sep in text


def load_file(path: str | os.PathLike, _seen: tuple[str, ...] = ()) -> Material:
    """A user material file: the library's own TOML schema, validated the same way.

    Parameters
    ----------
    path : str or path-like
        A ``.toml`` file like ``materials/data/*.toml``: property tables (``value``, ``unit``,
        ``source``, optional ``note``; units converted to the SI unit of :data:`SI_UNITS`), optional
        ``name``, ``aliases``, ``kind``, ``description``, ``profile`` and ``base`` (a library material,
        or another file, relative to this one's folder, whose properties this file inherits and overrides).

    Returns
    -------
    Material
        Named by ``path`` as given (so that looking the name up again finds the same file); the file's
        own ``name`` is kept as an alias.

    Raises
    ------
    InputError
        Naming the file and the key: a missing or unreadable file, no TOML, an unknown key, a missing
        ``value``/``unit``/``source``, a unit of another kind than the property's.
    """
    text = str(path).strip()
    where = Path(text).expanduser()
    try:
        st = where.stat()
        if not where.is_file():
            raise InputError("material", f"{text} is not a file")
    except OSError as exc:
        why = "no such file" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        raise InputError("material", f"{text}: {why} (a material name or a .toml material file)") from None
    if st.st_size > MAX_FILE_BYTES:
        raise InputError("material", f"{text} is {st.st_size} bytes, above the {MAX_FILE_BYTES} bytes a material "
                                     "file may have")
    resolved = str(where.resolve())
    if resolved in _seen:
        raise InputError(f"{text} [base]", f"circular base chain {' -> '.join(_seen + (resolved,))}")
    key = (text, resolved, st.st_mtime_ns, st.st_size)
    cached = _FILE_CACHE.get(key)
    if cached is not None:
        return cached
    try:
        raw = where.read_bytes().decode("utf-8")
        data = tomllib.loads(raw)
    except OSError as exc:
        raise InputError("material", f"{text}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError("material", f"{text} is not a UTF-8 text (TOML) file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError("material", f"{text} is not valid TOML: {exc}") from None

    def base(name: str) -> Material:
        if is_file_name(name):
            return load_file(str(where.parent / Path(name).expanduser()), _seen + (resolved,))
        try:
            return get(name)
        except InputError as exc:
            raise InputError(f"{text} [base]", exc.message) from None

    material = _build(text, data, base, lambda k: f"{text} [{k}]")
    own = data.get("name")
    if own and own not in material.aliases:
        material = Material(material.name, material.kind, material.description, material.aliases + (own,),
                            material.properties, material.profile)
    if len(_FILE_CACHE) > 64:
        _FILE_CACHE.clear()
    _FILE_CACHE[key] = material
    return material


def names(kind: str | None = None) -> list[str]:
    """Names of the materials in the library (optionally only those of one ``kind``)."""
    return [n for n, m in _library().items() if kind is None or m.kind == kind]


def _lookup_key(text: str) -> str:
    return text.strip().lower().replace("_", "-").replace("%", "").replace(" ", "")


def get(name: str | os.PathLike | Material, field: str = "material") -> Material:
    """The material called ``name`` (aliases and case are accepted), or a user material file.

    ``field`` names the input in the error for an unknown name (e.g. ``"electrolyte"``).

    A ``name`` that ends in ``.toml`` or holds a path separator (``./my-layer.toml``) is read with
    :func:`load_file`: the library's schema, validated the same way. Every ``--material`` option and
    every ``material`` parameter goes through here.

    Raises
    ------
    InputError
        For an unknown name, listing the known ones; for a bad file, naming the file and the key.
    """
    if isinstance(name, Material):
        return name
    if isinstance(name, os.PathLike) or is_file_name(str(name)):
        return load_file(name)
    lib = _library()
    wanted = _lookup_key(str(name))
    for material in lib.values():
        if wanted == _lookup_key(material.name) or wanted in {_lookup_key(a) for a in material.aliases}:
            return material
    raise InputError(field, f"unknown material {name!r}. Known: {', '.join(lib)}; or a .toml material file "
                                 "(docs/limits.md, 'Your own material')")
