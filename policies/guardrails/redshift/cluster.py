"""Redshift provisioned clusters, judged by what pulumi-aws 7 sends (terraform-provider-aws 6 `aws_redshift_cluster`)
and the Redshift API reference for CreateCluster and ModifyCluster (botocore redshift 2012-12-01)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_false, is_true, peek
from ..core.registry import resource_policy
from . import CLUSTER


@resource_policy(
    "redshift-cluster-not-public", CLUSTER,
    description="Redshift clusters must not be publicly accessible: a public cluster's endpoint resolves to a public "
                "address, and only its security groups stand between the warehouse and the internet.",
    severity=Severity.HIGH,
    anchors=("Security Hub Redshift.1", "Config redshift-cluster-public-access-check"),
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`publiclyAccessible` is not true (left out, pulumi-aws 7 sends false, as CreateCluster's and
    RestoreFromClusterSnapshot's own defaults are); an unknown value is not judged"""
    if is_true(peek(args.props, "publiclyAccessible")):
        yield ("publiclyAccessible is true: the cluster's endpoint resolves to a public address, reachable from the "
               "internet wherever its security groups let anyone in; leave it out or set false, and reach the "
               "cluster from the VPC")


@resource_policy(
    "redshift-cluster-encrypted", CLUSTER,
    description="Redshift clusters must stay encrypted at rest, and with them their snapshots: an update that turns "
                "encryption off decrypts the cluster.",
    severity=Severity.HIGH,
    anchors=("Security Hub Redshift.10", "Config redshift-cluster-kms-enabled", "CT.REDSHIFT.PR.8"),
)
def encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`encrypted` (text in pulumi-aws 7, "true" or "false") is not false (left out, pulumi-aws 7 sends true, as
    CreateCluster's own default is; CreateCluster refuses false, and ModifyCluster with false decrypts a cluster);
    an unknown value is not judged"""
    if is_false(peek(args.props, "encrypted")):
        yield ("encrypted is false: CreateCluster refuses an unencrypted cluster, and on an existing one the update "
               "asks ModifyCluster to decrypt it, leaving its data and snapshots unencrypted at rest; leave it out "
               "or set \"true\", with a customer managed key in kmsKeyId")
