"""Permissions boundaries: where an organization bounds the roles its teams create.

A boundary is a managed policy that caps what a role's own policies can grant: IAM allows a call only where both
allow it. Organizations that let application teams create roles commonly require one (an SCP that allows
iam:CreateRole only with `iam:PermissionsBoundary` set to theirs), so a role without it either fails to deploy or,
where nothing enforces it, holds whatever its policies say. Which boundary is the organization's is not knowable
from a program: the pack config names it, and with no name the rule asks nothing.
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, iam_like, peek
from ..core.registry import config_list, resource_policy, string_list
from . import ROLE

ALLOWED_BOUNDARIES = {"allowedBoundaries": string_list(
    "Managed policy ARNs a role's permissionsBoundary may be: the organization's. IAM's wildcards (* and ?), "
    "matched with case, as the SCP's ArnLike that requires it matches. Empty, the default: no role is asked for one.")}


@resource_policy(
    "iam-role-permissions-boundary", ROLE,
    description="IAM roles must be bounded by one of the organization's permissions boundaries, where the pack "
                "config names them: without one a role holds whatever its own policies grant.",
    severity=Severity.HIGH, config=ALLOWED_BOUNDARIES,
)
def permissions_boundary(args: ResourceValidationArgs) -> Iterator[str]:
    """`permissionsBoundary` is one of knob `allowedBoundaries` (none named: nothing is asked); an unknown
    boundary is not judged"""
    allowed = config_list(args, "allowedBoundaries")
    if not allowed:
        return
    boundary = peek(args.props, "permissionsBoundary")
    if boundary is UNKNOWN:
        return
    if not isinstance(boundary, str) or not boundary:
        yield f"permissionsBoundary is unset; set it to one of allowedBoundaries ({', '.join(allowed)})"
    elif not any(iam_like(boundary, pattern) for pattern in allowed):
        yield f"permissionsBoundary {boundary} is not one of allowedBoundaries ({', '.join(allowed)})"
