"""Lambda layers: who may use a layer version's code (AddLayerVersionPermission)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, named_by, peek
from ..core.registry import config_list, resource_policy, string_list
from . import LAYER_PERMISSION


@resource_policy(
    "lambda-layer-permission-not-public", LAYER_PERMISSION,
    description="No Lambda layer version may be shared with every AWS account (principal * without an "
                "organization): any account could download its code, and whatever the code holds.",
    severity=Severity.HIGH,
    anchor_note='AddLayerVersionPermission\'s Principal: "make sure that you really do want all Amazon Web Services '
                'accounts to have usage permission to this layer"',
    config={"exemptLayers": string_list(
        "Layer names (or resource names; shell wildcards) published to every account on purpose.")},
    remediation="Grant lambda:GetLayerVersion to named accounts, or set organizationId with principal *.",
)
def layer_permission_not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """a `LayerVersionPermission` with `principal` `*` sets `organizationId` (then only that organization's accounts
    may use the layer); a principal or organization unknown during preview is not judged (knob `exemptLayers`, matching
    the layer's name (in its ARN, a version's too) or the resource's name; a layer unknown during preview that a
    pattern may match is not judged either)"""
    principal, organization = peek(args.props, "principal"), peek(args.props, "organizationId")
    if principal != "*" or organization is UNKNOWN or has_text(organization):
        return
    exempt, layer = config_list(args, "exemptLayers"), peek(args.props, "layerName")
    # `arn:aws:lambda:<region>:<account>:layer:<name>`, a version's with `:<version>` after it, or the name.
    names = [args.name, *([layer.split(":")[6] if layer.startswith("arn:") and layer.count(":") >= 6 else layer]
                          if isinstance(layer, str) else [])]
    if named_by(names, exempt):
        args.not_applicable("exempted by the policy config")
    if layer is UNKNOWN and exempt:
        return  # its name, unknown until the update, may be exempt
    yield ("principal is * with no organizationId: every AWS account may download this layer version and read its "
           "code; grant named accounts, set organizationId, or list the layer in exemptLayers if it is published "
           "on purpose")
