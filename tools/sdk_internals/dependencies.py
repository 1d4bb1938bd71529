"""pulumi's cycle check under mocks: the SDK refuses a dependency that would close a cycle
(`declare_dependency`) by walking everything the new dependency reaches, for every dependency of every
resource: quadratic in a large mesh, where the callers' security groups chain most of the graph together.
`_declare_dependency` keeps a topological order of the same graph and answers the same question by Pearce
and Kelly's incremental algorithm, which walks only the part of the graph between the two resources' places
in that order.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, Optional

from pulumi.runtime import resource_cycle_breaker as cycle_module

# The SDK keeps each resource's direct dependencies in an attribute (`cycle_module._DEPENDENCIES_PROPERTY`);
# these two sit beside it: the resource's place in a topological order of that graph (a dependency is always
# placed before its dependents), and the reverse edges.
_PLACE = "_preview_topological_place"
_DEPENDENTS = "_preview_dependents"
_places = itertools.count()


def _place(resource: Any) -> int:
    place = getattr(resource, _PLACE, None)
    if place is None:
        place = next(_places)  # a resource first seen goes last: it has no edges yet
        setattr(resource, _PLACE, place)
    return place


def _declare_dependency(from_resource: Any, to_resource: Any) -> bool:
    """pulumi 3.272.0's `declare_dependency` (record that `from_resource` depends on `to_resource` unless that
    closes a cycle; say whether it was recorded), with the same answers and the same recorded graph.

    With every dependency placed before its dependents, `to_resource` can reach `from_resource` only if it is
    placed after it. Then the search is bounded: forward from `to_resource` through what lies after
    `from_resource`, backward from `from_resource` through what lies before `to_resource`; with no cycle, the
    two regions swap places (Pearce and Kelly, "A dynamic topological sort algorithm for directed acyclic
    graphs", JEA 2007)."""
    if from_resource is to_resource:
        return False
    low, high = _place(from_resource), _place(to_resource)
    if high > low:
        forward = _region(to_resource, cycle_module._deps, lambda place: place > low, stop=from_resource)
        if forward is None:
            return False
        backward = _region(from_resource, lambda r: getattr(r, _DEPENDENTS, ()), lambda place: place < high)
        moved = sorted(forward, key=_place) + sorted(backward, key=_place)
        for resource, place in zip(moved, sorted(_place(r) for r in moved)):
            setattr(resource, _PLACE, place)
    cycle_module._add_dep(from_resource, to_resource)
    dependents = getattr(to_resource, _DEPENDENTS, None)
    if dependents is None:
        dependents = set()
        setattr(to_resource, _DEPENDENTS, dependents)
    dependents.add(from_resource)
    return True


def _region(start: Any, edges: Callable[[Any], Any], within: Callable[[int], bool],
            stop: Any = None) -> Optional[list]:
    """Everything reachable from `start` along `edges` through resources whose place is `within`; None if
    `stop` is reached (a cycle)."""
    found, seen, pending = [], {id(start)}, [start]
    while pending:
        resource = pending.pop()
        found.append(resource)
        for neighbour in edges(resource):
            if neighbour is stop:
                return None
            if id(neighbour) not in seen and within(_place(neighbour)):
                seen.add(id(neighbour))
                pending.append(neighbour)
    return found
