"""Resource policies of one shape: one boolean setting of a resource (a member of a block too, `logs.audit`) must read
as wanted, is reported as '<path> is <how it reads>: <what that means and its fix>' where it is known not to, and is
not judged while unknown until the update. Each family declares its own next to its other checks (`switch_policy`),
with its types and words."""
from __future__ import annotations

import sys
from typing import Any, Callable, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from .props import switch_reading
from .registry import Check, Types, resource_policy


def switch_policy(name: str, resource_types: Types, path: str, consequence: str, *, checks: str, description: str,
                  severity: Severity, wanted: bool = True, left_out: bool = False, block: bool = False,
                  unless: Optional[Callable[[Any], bool]] = None, **options: Any) -> Check:
    """Register the resource policy `name`: the setting at `path` of each resource of `resource_types` reads as
    `wanted` (`switch_reading`, with `left_out` and `block`); one that does not is reported as
    '<switch_reading>: <consequence>'. A resource whose props `unless` holds for is not judged (a restore, which takes
    its source's setting). `checks` is the catalogue's text, and `options` go to `resource_policy` (level, anchors,
    remediation). Returns the check, as `resource_policy` does."""

    def check(args: ResourceValidationArgs) -> Iterator[str]:
        if unless is not None and unless(args.props):
            return
        reading = switch_reading(args.props, path, wanted=wanted, left_out=left_out, block=block)
        if reading is not None:
            yield f"{reading}: {consequence}"

    # The catalogue files the policy under the family module that declares it (the caller).
    check.__module__ = sys._getframe(1).f_globals["__name__"]
    return resource_policy(name, resource_types, checks=checks, description=description, severity=severity,
                           **options)(check)
