"""Client VPN endpoints: client connection logging (Security Hub EC2.51, Config
ec2-client-vpn-connection-log-enabled: NON_COMPLIANT if "Configuration.ConnectionLogOptions.Enabled" is false).

botocore's ec2 model: CreateClientVpnEndpoint requires ConnectionLogOptions, whose Enabled says "whether connection
logging is enabled" and whose CloudwatchLogGroup is "Required if connection logging is enabled"; pulumi-aws 7
`aws.ec2clientvpn.Endpoint` requires `connectionLogOptions` and its `enabled`."""
from __future__ import annotations

from pulumi_policy import Severity

from ..core.switches import switch_policy
from . import CLIENT_VPN_ENDPOINT


switch_policy(
    "ec2-client-vpn-endpoint-connection-logging", CLIENT_VPN_ENDPOINT, "connectionLogOptions.enabled",
    "the endpoint records no client connection requests, their results or their terminations, so who reached the VPC "
    "through it is not on record; set connectionLogOptions.enabled true with a cloudwatchLogGroup",
    block=True,
    description="Client VPN endpoints must log client connections, so who connected to the VPC from where, and when, "
                "is on record for audits and investigations.",
    severity=Severity.LOW,
    anchors=("Security Hub EC2.51", "Config ec2-client-vpn-connection-log-enabled"),
    checks="""
    `connectionLogOptions.enabled` is true (the provider requires the block and the flag, and sends them as
    written); an unknown value is not judged""",
)
