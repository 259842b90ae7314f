"""The inputs several models share are declared once (interlayer.inputs.fields), and do not drift.

For every declaration: a field named like a shared one (or one of its aliases below) is made by that
field's factory, not written out again; every shared field has the canonical unit, bare-number unit,
bound, range, description and help, except what its declaration overrides by name (or extends with a
``note``); the unit, the unit a bare number is read in and ``needs_unit`` are never overridden. So a
help text, a bound or a unit that changes in one declaration and not in the others fails here.
"""

from __future__ import annotations

import dataclasses

import pytest

from interlayer.inputs import Input, Inputs, _help, fields, quantity
from interlayer.inputs.cell import CellInputs, StepTestInputs
from interlayer.inputs.design import DesignInputs
from interlayer.inputs.phasefield import PhaseFieldInputs
from interlayer.inputs.transport import TransportInputs

DECLARATIONS = (DesignInputs, TransportInputs, PhaseFieldInputs, CellInputs, StepTestInputs)
#: The same physical field under another name in some declaration -> its factory.
ALIASES = {
    "electron_concentration": "electron_density",  # the PNP model's c_e = n / N_A, the library's value
    "pressure": "stack_pressure",  # the phase-field model's stack pressure on the Li
    "start_current": "current_density", "stop_current": "current_density", "current_step": "current_density",
}
ATTRIBUTES = tuple(f.name for f in dataclasses.fields(Input))


def problems(decl: type[Inputs]) -> list[str]:
    """Every way ``decl`` departs from the shared fields (empty: it uses them as declared)."""
    out = []
    shared = fields.shared_of(decl)
    for name, (spec, _) in decl.declared().items():
        expected = ALIASES.get(name, name if name in fields.SHARED else None)
        use = shared.get(name)
        if expected is not None and (use is None or use.factory != expected):
            out.append(f"{decl.__name__}.{name}: written out, not fields.{expected}()")
        if use is None:
            continue
        canon = fields.canonical(use.factory, use.note)
        for attr in ATTRIBUTES:
            if attr in fields.FIXED and attr in use.overrides:
                out.append(f"{decl.__name__}.{name}: overrides {attr}, which is what the field is")
            if attr == "cli_default" or attr in use.overrides:
                continue
            if getattr(spec, attr) != getattr(canon, attr):
                out.append(f"{decl.__name__}.{name}: {attr} {getattr(spec, attr)!r} is not the shared "
                           f"{getattr(canon, attr)!r} and no override says so")
    return out


@pytest.mark.parametrize("decl", DECLARATIONS, ids=lambda d: d.__name__)
def test_declarations_use_the_shared_fields(decl):
    assert problems(decl) == []


def test_the_same_field_has_the_same_unit_everywhere():
    """Across declarations, a name means one quantity: one SI unit, one bare-number unit."""
    seen: dict[str, tuple[str, tuple]] = {}
    for decl in DECLARATIONS:
        for name, (spec, _) in decl.declared().items():
            key = ALIASES.get(name, name)
            what = (spec.unit, spec.display, spec.needs_unit)
            first = seen.setdefault(key, (decl.__name__, what))
            assert first[1] == what, f"{decl.__name__}.{name} {what} vs {first[0]} {first[1]}"


def test_a_shared_field_shows_one_help_in_every_command():
    """Uses without a help, description or note of their own print the same --help line."""
    helps: dict[str, set[str]] = {}
    for decl in DECLARATIONS:
        for name, use in fields.shared_of(decl).items():
            spec, default = decl.declared()[name]
            if use.note or {"help", "description"} & set(use.overrides) or not spec.cli:
                continue
            helps.setdefault(use.factory, set()).add(_help(spec, default))
    assert len(helps) >= 10
    for factory, texts in helps.items():
        assert len(texts) == 1, f"{factory}: {texts}"


def test_every_factory_is_used_and_fully_declared():
    used = {use.factory for decl in DECLARATIONS for use in fields.shared_of(decl).values()}
    assert used == set(fields.SHARED)
    for factory in fields.SHARED:
        spec = fields.canonical(factory)
        assert spec.description, factory
        if spec.kind == "quantity" and spec.help and spec.needs_unit is None:
            # a help of its own says what a bare number is read in, as the generated ones do
            assert "bare number" in spec.help.lower(), factory


def test_a_field_written_out_again_is_caught():
    @dataclasses.dataclass(frozen=True)
    class Drifted(Inputs):
        thickness: float = quantity(90e-6, "m", "layer thickness", display="um", bound="thickness")
        temperature: float = fields.temperature()

    assert problems(Drifted) == ["Drifted.thickness: written out, not fields.thickness()"]


def test_a_changed_attribute_is_recorded_as_an_override():
    @dataclasses.dataclass(frozen=True)
    class Own(Inputs):
        porosity: float | None = fields.porosity(open_low=False, note="0: dense pellet")
        contact_angle: float | None = fields.contact_angle(bound="contact_angle")  # the canonical value

    shared = fields.shared_of(Own)
    assert shared["porosity"].overrides == ("open_low",)
    assert shared["contact_angle"].overrides == ()
    assert Own.declared()["porosity"][0].description == "porosity (default: the material's; 0: dense pellet)"
    assert problems(Own) == []


def test_what_a_field_is_cannot_be_overridden():
    with pytest.raises(TypeError, match="display"):
        fields.thickness(display="mm")
    with pytest.raises(TypeError, match="unit"):
        fields.sigma_e(unit="S/cm")
    with pytest.raises(TypeError, match="cli_default"):
        fields.stack_pressure(0.0)  # the CLI would show '1 MPa' for a default of 0
    fields.stack_pressure(0.0, cli=False)  # not on the CLI: nothing shown


@pytest.mark.parametrize(("text", "note", "expected"), [
    ("temperature", "failure criterion", "temperature (failure criterion)"),
    ("porosity (default: the material's)", "0: dense pellet", "porosity (default: the material's; 0: dense pellet)"),
    ("Separator pellet material, e.g. 'lni'.", "failure criterion",
     "Separator pellet material, e.g. 'lni' (failure criterion)."),
    ("Time, e.g. '1 h' (bare number: s).", "default 1 h", "Time, e.g. '1 h' (bare number: s; default 1 h)."),
])
def test_notes_join_the_text(text, note, expected):
    assert fields.with_note(text, note) == expected
