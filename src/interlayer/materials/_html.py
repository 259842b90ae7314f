"""The notebook view of a :class:`~interlayer.materials.Material`: one row per property."""

from __future__ import annotations

from interlayer._html import table


def material_html(material) -> str:
    """Name, value and unit as given in the library, the SI value, source and note of every property."""
    rows = [(key, p.given_value, "" if p.given_unit == "dimensionless" else p.given_unit,
             f"{p.value:.6g} {p.si_unit}", p.source, p.note)
            for key, p in material.properties.items()]
    pr = material.profile
    if pr is not None:
        rows.append((f"profile of {pr.quantity} ({pr.kind})", f"{pr.anode_value:.6g} -> {pr.sse_value:.6g}",
                     "", "anode -> SSE, SI", pr.source, pr.note))
    caption = f"{material.name} ({material.kind}): {material.description}"
    notes = [f"aliases: {', '.join(material.aliases)}"] if material.aliases else []
    return table(rows, ("name", "value", "unit", "SI", "source", "note"), caption=caption, notes=notes)


__all__ = ["material_html"]
