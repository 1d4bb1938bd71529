"""Subnets: nothing launched into one gets a public address unless it asks for one."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true, peek
from ..core.registry import resource_policy
from . import DEFAULT_SUBNET, SUBNET, gives_public_ips


@resource_policy(
    "ec2-subnet-no-public-ip-on-launch", (SUBNET, DEFAULT_SUBNET),
    description="Subnets must not give every instance, task or interface launched into them a public IPv4 address: "
                "what needs one (an internet-facing instance) asks for it, and a NAT gateway or load balancer never "
                "takes it from the subnet.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EC2.15", "Config subnet-auto-assign-public-ip-disabled", "CKV_AWS_130"),
    anchor_note="IPv4 only: the Config rule also flags IPv6 auto-assignment, which an egress-only gateway keeps "
                "unreachable from the internet",
)
def no_public_ip_on_launch(args: ResourceValidationArgs) -> Iterator[str]:
    """`mapPublicIpOnLaunch` is not true on a `Subnet` (default false), and is false on an adopted `DefaultSubnet`
    (whose default is true, as AWS made it); an unknown value is not judged"""
    if not gives_public_ips(args):
        return
    if is_true(peek(args.props, "mapPublicIpOnLaunch")):
        yield ("mapPublicIpOnLaunch is true: everything launched into the subnet gets a public IPv4 address; set it "
               "false and give a public address only to what must have one (an EIP, associatePublicIpAddress)")
    else:
        yield ("mapPublicIpOnLaunch is not set on a default subnet, whose AWS default is true: everything launched "
               "into it gets a public IPv4 address; set it false")
