"""Stack-wide resource settings, applied in one place: default tags, the roles' permissions boundary, and retiring
App Mesh.

A stack transformation (the legacy kind, which the SDK runs itself; the offline preview runs new-style
transforms too, as the engine does) adds the stack's tags to every resource that takes a `tags` map, so the
required-tags guardrail sees them in the resource inputs both offline and in a real preview.
"""
from __future__ import annotations

from typing import Mapping, Optional

import pulumi

# The most tags the program itself puts on one resource: an alarm's kind and severity (components/alarms.py; other
# resources carry at most a Name or AmazonECSManaged). The stack's tags join them on every taggable resource.
BUSIEST_OWN_TAG_KEYS = ("AlarmKind", "Severity")
# Every key the program tags some resources with itself (a VPC's Name, a subnet's Tier, an alarm's kind and severity,
# the Service Connect CA's AmazonECSManaged). Its value wins there over the stack's and the provider's default tags.
OWN_TAG_KEYS = ("Name", "Tier", "AmazonECSManaged", *BUSIEST_OWN_TAG_KEYS)
# The global layer's (global/): its health checks' Name, its alarms' kind and severity.
EDGE_OWN_TAG_KEYS = ("Name", *BUSIEST_OWN_TAG_KEYS)


def register_default_tags(tags: Mapping[str, str]) -> None:
    if not tags:
        return
    defaults = dict(tags)

    def add_tags(args: pulumi.ResourceTransformationArgs) -> Optional[pulumi.ResourceTransformationResult]:
        # pulumi_aws resources keep a `tags` key in their props exactly when they are taggable.
        if "tags" not in args.props:
            return None
        current = args.props["tags"]
        if current is not None and not isinstance(current, Mapping):
            return None
        props = dict(args.props)
        props["tags"] = {**defaults, **(current or {})}
        return pulumi.ResourceTransformationResult(props=props, opts=args.opts)

    pulumi.runtime.register_stack_transformation(add_tags)


ROLE_TYPE = "aws:iam/role:Role"


def register_permissions_boundary(policy_arn: str) -> None:
    """Bound every IAM role the stack creates by `policy_arn` (config `permissionsBoundary`), as CDK's
    PermissionsBoundary aspect does: the roles are made in nine places, and a role left out is the one an
    organization's SCP refuses to create. A boundary changes in place (PutRolePermissionsBoundary)."""

    def bound(args: pulumi.ResourceTransformationArgs) -> Optional[pulumi.ResourceTransformationResult]:
        if args.type_ != ROLE_TYPE:
            return None
        return pulumi.ResourceTransformationResult(props={**args.props, "permissions_boundary": policy_arn},
                                                   opts=args.opts)

    pulumi.runtime.register_stack_transformation(bound)


APP_MESH_TYPES = "aws:appmesh/"


def retain_app_mesh_on_delete() -> None:
    """Mark every App Mesh resource `retainOnDelete` (the `mesh.retireAppMesh` switch).

    App Mesh's API stopped answering on 2026-09-30, so deleting its resources fails. With this flag in the
    state, the update that moves the stack off App Mesh drops them from the state without calling AWS.
    """

    def retain(args: pulumi.ResourceTransformationArgs) -> Optional[pulumi.ResourceTransformationResult]:
        if not args.type_.startswith(APP_MESH_TYPES):
            return None
        return pulumi.ResourceTransformationResult(
            props=args.props, opts=pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(retain_on_delete=True)))

    pulumi.runtime.register_stack_transformation(retain)
