from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true, peek
from ..core.registry import resource_policy
from . import BROKER


@resource_policy(
    "mq-broker-not-public", BROKER,
    description="Amazon MQ brokers must not be publicly accessible: a public broker gets a public endpoint that takes "
                "connections from outside its VPC, open to scans and denial-of-service attacks from the internet.",
    severity=Severity.HIGH,
    anchors=("Config mq-no-public-access", "mq_broker_not_publicly_accessible"),
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`publiclyAccessible` is not true (left out, pulumi-aws sends false, CreateBroker's default too); an unknown
    value is not judged"""
    if is_true(peek(args.props, "publiclyAccessible")):
        yield ("publiclyAccessible is true: the broker gets a public endpoint that takes connections from outside its "
               "VPC; leave it out or set false, and reach it through the VPC, a VPN or peering (Amazon MQ sets it at "
               "creation only: the broker is replaced)")
