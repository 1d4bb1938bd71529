"""Stack policies: linking resources without relying on ARNs or IDs (unknown during a first preview).

A stack policy answers "does anything provide X for this resource?" with three values: True, False and
None ("can't tell during preview"). It reports a missing link only when nothing might provide it.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from .props import dig, unless_unknown


def of_type(resources: Iterable[Any], *resource_types: str) -> list:
    return [r for r in resources if r.resource_type in resource_types]


def linked(resource: Any) -> list:
    """Every resource `resource` points at: parent, dependencies and property dependencies."""
    found = [resource.parent] if resource.parent is not None else []
    found += resource.dependencies
    found += [d for deps in resource.property_dependencies.values() for d in deps]
    return found


def linked_of_type(resource: Any, resource_type: str) -> set[str]:
    """URNs of the resources of `resource_type` that `resource` points at."""
    return {r.urn for r in linked(resource) if r.resource_type == resource_type}


def prop(resource: Any, *path: str | int) -> Any:
    """A stack resource's prop, or None when missing or unknown during preview (for matching only)."""
    return unless_unknown(dig, resource.props, *path)


def covering(candidates: Iterable[Any], target: Any, matches: Callable[[Any, Any], Optional[bool]]):
    """The candidates that point at `target`, and whether any other might (it depends on an unknown).

    `matches(candidate, target)` answers True, False or None ("can't tell during preview").
    """
    found, maybe = [], False
    for candidate in candidates:
        answer = matches(candidate, target)
        if answer:
            found.append(candidate)
        elif answer is None:
            maybe = True
    return found, maybe


def links_to(resource: Any, target: Any, prop_name: Optional[str] = None) -> bool:
    """Whether `resource` depends on `target`: through `prop_name`'s property dependencies when given,
    else through any dependency, property dependency or parent link."""
    if prop_name is not None:
        return any(d.urn == target.urn for d in resource.property_dependencies.get(prop_name, []))
    return any(d.urn == target.urn for d in linked(resource))


def same_value(a: Any, b: Any) -> bool:
    """Both known and equal (unknowns never match by value)."""
    return a is not None and b is not None and a == b
