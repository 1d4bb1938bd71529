"""Site-to-Site VPN connections: tunnel logs to CloudWatch Logs on both tunnels (Security Hub EC2.171, Config
ec2-vpn-connection-logging-enabled, which is NON_COMPLIANT "if a Site-to-Site VPN connection does not have CloudWatch
logging enabled for either or both tunnels": one tunnel logging is not enough).

botocore's ec2 model: a tunnel's LogOptions (VpnTunnelLogOptionsSpecification) hold CloudWatchLogOptions, whose
LogEnabled has "Default value is False"; pulumi-aws 7 `aws.ec2.VpnConnection` `tunnel1LogOptions` and
`tunnel2LogOptions`, each a `cloudwatchLogOptions` block with `logEnabled` ("The default is `false`") and
`logGroupArn`."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, peek, switched_off
from ..core.registry import ADVISORY, resource_policy
from . import VPN_CONNECTION


@resource_policy(
    "ec2-vpn-connection-tunnel-logging", VPN_CONNECTION,
    description="Site-to-Site VPN connections should send both tunnels' logs to CloudWatch Logs, so IKE "
                "negotiations, tunnel establishment and dead peer detection events are on record.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub EC2.171", "Config ec2-vpn-connection-logging-enabled"),
)
def tunnel_logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`tunnel1LogOptions.cloudwatchLogOptions.logEnabled` and `tunnel2LogOptions.cloudwatchLogOptions.logEnabled`
    are true (left out, the provider sends none and EC2's default is false); a tunnel whose options are unknown is
    not judged"""
    off = []
    for tunnel in ("tunnel1LogOptions", "tunnel2LogOptions"):
        options = peek(args.props, tunnel, "cloudwatchLogOptions")
        if options is None:
            off.append(f"{tunnel}.cloudwatchLogOptions is left out (off)")
        elif options is not UNKNOWN and (state := switched_off(options, "logEnabled")):
            off.append(f"{tunnel}.cloudwatchLogOptions.logEnabled is {state}")
    if off:
        yield (f"{' and '.join(off)}: EC2 records no IKE negotiation, tunnel establishment or dead peer detection "
               f"event of {'that tunnel' if len(off) == 1 else 'either tunnel'}, which leaves a dropped or refused "
               "tunnel unexplained; set cloudwatchLogOptions.logEnabled true, with a logGroupArn, in both tunnels' "
               "log options")
