"""EMR clusters: the primary node is launched into a subnet the cluster names, and takes a public IPv4 address where
that subnet gives one to what launches into it.

Security Hub EMR.1 (Config emr-master-no-public-ip) fails a cluster whose primary (master) node instances have a
public IP address; its remediation: default subnets assign one by default, it cannot be taken away after launch, so
"launch a new cluster in a VPC with a private subnet that has the IPv4 public addressing attribute set to false".
botocore's emr JobFlowInstancesConfig: `Ec2SubnetId` (instance groups: "the identifier of the Amazon VPC subnet where
you want the cluster to launch") and `Ec2SubnetIds` (instance fleets: "Amazon EMR evaluates them and launches
instances in the optimal subnet"), which pulumi-aws 7 names `ec2Attributes.subnetId` and `ec2Attributes.subnetIds`.
A cluster that names no subnet is not judged: where EMR puts it is the account's (EC2-Classic, or a default VPC)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import peek_path_items
from ..core.registry import stack_policy
from ..core.stack import of_type
from ..ec2 import public_subnets
from . import CLUSTER


@stack_policy(
    "emr-cluster-primary-node-private-subnet", CLUSTER,
    description="EMR clusters must launch in private subnets, not ones that give what launches into them a public "
                "IPv4 address: the primary node, which runs the cluster's web interfaces and takes SSH, should be "
                "reached from inside the network only.",
    severity=Severity.HIGH,
    anchors=("Security Hub EMR.1", "Config emr-master-no-public-ip"),
)
def primary_node_private_subnet(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a cluster's `ec2Attributes.subnetId` (instance groups) or any of its `ec2Attributes.subnetIds` (instance
    fleets: EMR picks one of them) names no stack `Subnet` with `mapPublicIpOnLaunch` true, nor an adopted
    `DefaultSubnet` that leaves it out (AWS makes default subnets with it on) or sets it true
    (`ec2-subnet-no-public-ip-on-launch` judges the subnet itself); a cluster that names no subnet, a subnet from
    outside the stack, an id that may name any of several, and an unknown setting are not judged"""
    for cluster in of_type(args.resources, CLUSTER):
        ids = [*peek_path_items(cluster.props, "ec2Attributes", "subnetId"),
               *peek_path_items(cluster.props, "ec2Attributes", "subnetIds")]
        for subnet in public_subnets(cluster, "ec2Attributes", ids, args.resources):
            yield (f"ec2Attributes puts the cluster in subnet {subnet.name}, which gives what launches into it a "
                   "public IPv4 address (mapPublicIpOnLaunch): the primary node gets one, which cannot be taken "
                   "away after launch; launch the cluster in a private subnet"), cluster.urn
