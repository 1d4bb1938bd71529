"""Stack policies: linking resources without relying on ARNs or IDs (unknown during a first preview).

A stack policy answers "does anything provide X for this resource?" with three values: True, False and
None ("can't tell during preview"). It reports a missing link only when nothing might provide it.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from .props import UNKNOWN, dig, peek, unless_unknown


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


def refers_to(resource: Any, prop_name: str, values: Iterable[Any], target: Any,
              keys: Iterable[str] = ("id", "arn", "name")) -> Optional[bool]:
    """Whether `resource` refers to `target` through its prop `prop_name`: True, False or None (can't tell).

    A property dependency on `target` is a reference. Otherwise `values` (read from the prop with `peek`, so
    they may be UNKNOWN) are compared with the target's `keys`; an ARN also matches by its last path part.
    An unknown value that no property dependency explains (a stack reference, say) leaves it open.
    """
    deps = resource.property_dependencies.get(prop_name, [])
    if any(d.urn == target.urn for d in deps):
        return True
    values = list(values)
    known_names, name_unknown = _names(target, tuple(keys))
    for value in values:
        if isinstance(value, str) and (value in known_names or value.rsplit("/", 1)[-1] in known_names):
            return True
    if any(v is UNKNOWN for v in values) and not deps:
        return None
    if name_unknown and any(isinstance(v, str) for v in values):
        return None
    return False


def _names(target: Any, keys: tuple[str, ...]) -> tuple[set, bool]:
    """The target's known names under `keys`, and whether one is unknown. Kept on the target: stack policies
    ask for every (resource, candidate) pair, and a resource's props do not change during an evaluation."""
    memo = vars(target).setdefault("_guardrails_names", {})
    if keys not in memo:
        names = {peek(target.props, k) for k in keys}
        memo[keys] = ({n for n in names if isinstance(n, str) and n}, UNKNOWN in names)
    return memo[keys]


def referenced(resource: Any, prop_name: str, values: Iterable[Any], candidates: Iterable[Any],
               keys: Iterable[str] = ("id", "arn", "name")) -> tuple[list, bool]:
    """The candidates `resource` refers to through `prop_name`, and whether another one might (see refers_to)."""
    values = list(values)
    return covering(candidates, resource, lambda candidate, _: refers_to(resource, prop_name, values, candidate, keys))
