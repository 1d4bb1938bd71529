"""DynamoDB Accelerator (DAX) clusters: the items a cluster caches are encrypted on its nodes' disks and on their way
to and from its clients."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, is_true, peek
from ..core.registry import resource_policy
from . import DAX_CLUSTER


@resource_policy(
    "dynamodb-dax-encrypted-at-rest", DAX_CLUSTER,
    description="DynamoDB Accelerator (DAX) clusters must encrypt the items they cache at rest: a cluster keeps its "
                "own copy of the tables' hottest items on its nodes, which the tables' encryption does not cover.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DynamoDB.3", "Config dax-encryption-enabled", "CT.DAX.PR.1"),
)
def dax_encrypted_at_rest(args: ResourceValidationArgs) -> Iterator[str]:
    """`serverSideEncryption.enabled` is true (left out, pulumi-aws sends no SSESpecification and DAX encrypts
    nothing; set only at creation, so a change replaces the cluster); an unknown value is not judged"""
    enabled = peek(args.props, "serverSideEncryption", "enabled")
    if enabled is not UNKNOWN and not is_true(enabled):
        yield ("serverSideEncryption.enabled is not true: the cluster's nodes keep the items they cache unencrypted "
               "on disk; set serverSideEncryption={enabled: true} (DAX takes it at creation only: the cluster is "
               "replaced, its cache starts cold)")


@resource_policy(
    "dynamodb-dax-tls-endpoint", DAX_CLUSTER,
    description="DynamoDB Accelerator (DAX) clusters must take TLS connections only, so the items they cache and the "
                "requests for them do not cross the network in plain text.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DynamoDB.7", "Config dax-tls-endpoint-encryption", "CT.DAX.PR.3"),
)
def dax_tls_endpoint(args: ResourceValidationArgs) -> Iterator[str]:
    """`clusterEndpointEncryptionType` is TLS (left out, pulumi-aws sends none and DAX makes the endpoint NONE,
    unencrypted; set only at creation, so a change replaces the cluster); an unknown value is not judged"""
    kind = peek(args.props, "clusterEndpointEncryptionType")
    if kind is not UNKNOWN and kind != "TLS":
        yield (f"clusterEndpointEncryptionType is {kind if has_text(kind) else 'unset, so NONE'}: clients and the "
               "cluster exchange requests and cached items in plain text; set TLS (DAX takes it at creation only: the "
               "cluster is replaced)")
