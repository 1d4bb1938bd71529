"""How ECS resources in a stack refer to each other, for the stack policies of several families."""
from __future__ import annotations

from typing import Any, Optional

from ..core.props import UNKNOWN, number, peek
from ..core.stack import in_place_of, of_type, prop, referenced
from . import TASK_DEFINITION


def task_definition_of(holder: Any, resources: list,
                       path: tuple[str, ...] = ("taskDefinition",)) -> tuple[Optional[Any], bool]:
    """The task definition resource a service runs (or another holder names at `path`: an EventBridge target's
    `ecsTarget.taskDefinitionArn`), and whether it might be another one (unknown value). A known value made from one
    task definition of the stack (a property dependency on it) names that one, whatever another's unknown ARN; an
    unknown one may be made from another's name too. ECS looks a family up in the holder's account and region, so
    none of another account's or region's is it, and `family:revision` names that revision, the stack's only where its
    `revision` is that one. A value that may be any of several (an unknown choice among their ARNs) names none
    yet."""
    value = peek(holder.props, *path)
    found, maybe = referenced(holder, path[0], [value], of_type(resources, TASK_DEFINITION),
                              keys=("arn", "family"), regional=True)
    if not found and isinstance(value, str):  # "family", "family:rev" or an ARN ending in "/family:rev"
        family, _, revision = value.rsplit("/", 1)[-1].partition(":")
        found, unsure = in_place_of(holder, [t for t in of_type(resources, TASK_DEFINITION)
                                             if prop(t, "family") == family])
        # A revision names one: the stack's registration is it only where its revision is that one (known after the
        # update: an older revision of the family may differ in every setting).
        if revision:
            revisions = {t.urn: number(prop(t, "revision")) for t in found}
            unsure = unsure or any(r is None or r is UNKNOWN for r in revisions.values())
            wanted = number(revision)
            found = [t for t in found if wanted is not None and revisions[t.urn] == wanted]
        maybe = maybe or unsure
    if len(found) > 1:  # a service runs one: which waits for the update
        return None, True
    return (found[0] if found else None), maybe


def task_definition_run_by(service: Any, resources: list) -> Optional[Any]:
    """The stack's task definition a service (or task set) surely runs: None when it is not in the stack, or when the
    service may run another (`task_definition_of`), where a verdict on the one found could be on the wrong one."""
    task, maybe = task_definition_of(service, resources)
    return None if maybe else task
