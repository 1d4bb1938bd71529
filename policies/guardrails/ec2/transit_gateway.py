"""Transit gateways: an attachment from an account the gateway is shared with waits for the owner's acceptance.

botocore's ec2 model: CreateTransitGateway's `AutoAcceptSharedAttachments` is `enable` or `disable`, "Disabled by
default"; terraform-provider-aws `aws_ec2_transit_gateway` sends `auto_accept_shared_attachments` with the same
default, `disable`, and takes only those two values as written."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek
from ..core.registry import resource_policy
from . import TRANSIT_GATEWAY


@resource_policy(
    "ec2-transit-gateway-auto-accept-off", TRANSIT_GATEWAY,
    description="Transit gateways must not accept shared attachments automatically: any account the gateway is "
                "shared with could attach a VPC to it, and route into the networks behind it, unasked.",
    severity=Severity.HIGH,
    anchors=("Security Hub EC2.23", "Config ec2-transit-gateway-auto-vpc-attach-disabled", "CT.EC2.PR.6",
             "Prowler ec2_transitgateway_auto_accept_vpc_attachments"),
)
def auto_accept_off(args: ResourceValidationArgs) -> Iterator[str]:
    """`autoAcceptSharedAttachments` is not `enable` (left out, the provider's and EC2's default `disable`); an
    unknown value is not judged"""
    if peek(args.props, "autoAcceptSharedAttachments") == "enable":
        yield ("autoAcceptSharedAttachments is enable: an attachment request from any account the transit gateway "
               "is shared with is accepted without review; set disable (the default) and accept each attachment "
               "(aws.ec2transitgateway.VpcAttachmentAccepter)")
