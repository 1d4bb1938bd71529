"""EFS mount targets: the network interface through which NFS clients in a subnet reach a file system. Security Hub's
EFS.6 (Config efs-mount-target-public-accessible) fails one in a subnet that assigns public IPv4 addresses on launch:
"Amazon EFS mount targets that are launched into subnets that have this attribute enabled have a public IP address
assigned to their primary network interface"."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import peek
from ..core.registry import stack_policy
from ..core.stack import of_type
from ..ec2 import public_subnets
from . import MOUNT_TARGET


@stack_policy(
    "efs-mount-target-private-subnet", MOUNT_TARGET,
    description="EFS mount targets must sit in private subnets, not ones that give what launches into them a public "
                "IPv4 address: the file system's NFS port should be reached from inside the network only.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EFS.6", "Config efs-mount-target-public-accessible"),
)
def private_subnet(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a mount target's `subnetId` names no stack `Subnet` with `mapPublicIpOnLaunch` true, nor an adopted
    `DefaultSubnet` that leaves it out (AWS makes default subnets with it on) or sets it true
    (`ec2-subnet-no-public-ip-on-launch` judges the subnet itself); a subnet from outside the stack, an id that may
    name any of several, and an unknown setting are not judged"""
    for target in of_type(args.resources, MOUNT_TARGET):
        for subnet in public_subnets(target, "subnetId", [peek(target.props, "subnetId")], args.resources):
            yield (f"subnetId names subnet {subnet.name}, which gives what launches into it a public IPv4 "
                   "address (mapPublicIpOnLaunch), the mount target's network interface too; put the mount "
                   "target in a private subnet"), target.urn
