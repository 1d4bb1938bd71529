"""Redshift cluster subnet groups: subnets in two Availability Zones or more (Security Hub Redshift.16, Config
redshift-cluster-subnet-group-multi-az: NON_COMPLIANT "if an Amazon Redshift subnet group does not contain subnets
from at least two different Availability Zones"; the rule takes no parameter). botocore redshift 2012-12-01
CreateClusterSubnetGroup: SubnetIds required, "An array of VPC subnet IDs"; pulumi-aws 7 `aws.redshift.SubnetGroup`
`subnetIds` (required)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, peek
from ..core.registry import stack_policy
from ..core.stack import of_type
from ..ec2 import DEFAULT_SUBNET, SUBNET, subnet_zones_at_most
from . import SUBNET_GROUP


@stack_policy(
    "redshift-subnet-group-multi-az", SUBNET_GROUP,
    description="Redshift cluster subnet groups must hold subnets in at least two Availability Zones: a cluster is "
                "placed only in its group's subnets, so a group in one zone leaves it no other zone to run in.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Redshift.16", "Config redshift-cluster-subnet-group-multi-az"),
)
def multi_az(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a subnet group's `subnetIds` span two zones or more: each names a `Subnet` of the stack by the id the engine
    gives it, whose `availabilityZone` (else `availabilityZoneId`) is its zone; ids not known yet are in the zones of
    the stack subnets the list is made from, else, as a subnet from outside the stack and a subnet whose zone is not
    set or not known, may be in any zone and count as one more; an unknown or empty list is not judged"""
    subnets = of_type(args.resources, SUBNET, DEFAULT_SUBNET)
    for group in of_type(args.resources, SUBNET_GROUP):
        if peek(group.props, "subnetIds") is UNKNOWN:
            continue
        if len(subnet_zones_at_most(group, ("subnetIds",), subnets)) == 1:
            yield ("subnetIds name subnets in one Availability Zone only: Redshift places a cluster of the group only "
                   "in its subnets, so the group leaves no other zone to relocate a cluster to or to run a Multi-AZ "
                   "cluster in; add a subnet in another zone"), group.urn
