"""VPN guardrails against tests/programs/policy_vpn (raw Client VPN endpoints and Site-to-Site VPN connections)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_vpn"
VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection"
CLIENT_LOGS, TUNNEL_LOGS = "ec2-client-vpn-endpoint-connection-logging", "ec2-vpn-connection-tunnel-logging"

FAILING = [
    Finding(CLIENT_LOGS, "unlogged-clients", "mandatory",
            "connectionLogOptions.enabled is false: the endpoint records no client connection requests, their results "
            "or their terminations, so who reached the VPC through it is not on record; set "
            "connectionLogOptions.enabled true with a cloudwatchLogGroup"),
    # Left out, the provider sends no log options: EC2's default is off.
    Finding(TUNNEL_LOGS, "unlogged-tunnels", "advisory",
            "tunnel1LogOptions.cloudwatchLogOptions is left out (off) and tunnel2LogOptions.cloudwatchLogOptions is "
            "left out (off): EC2 records no IKE negotiation, tunnel establishment or dead peer detection event of "
            "either tunnel, which leaves a dropped or refused tunnel unexplained; set "
            "cloudwatchLogOptions.logEnabled true, with a logGroupArn, in both tunnels' log options"),
    Finding(TUNNEL_LOGS, "one-logged-tunnel", "advisory",
            "tunnel2LogOptions.cloudwatchLogOptions.logEnabled is false: EC2 records no IKE negotiation, tunnel "
            "establishment or dead peer detection event of that tunnel"),
]
# Logging to a log group of the stack; a setting known only after the update.
PASSING = [(CLIENT_LOGS, "logged-clients"), (CLIENT_LOGS, "later-logged-clients"),
           # Both tunnels log; one tunnel's setting is known only after the update.
           (TUNNEL_LOGS, "logged-tunnels"), (TUNNEL_LOGS, "later-logged-tunnels")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("options, reported", [
    ({"enabled": False}, True), ({"enabled": "false"}, True), ({}, True), (None, True),
    ({"enabled": True, "cloudwatchLogGroup": "/vpn/clients"}, False), ({"enabled": "true"}, False),
    ({"enabled": UNKNOWN}, False), (UNKNOWN, False)])
def test_a_client_vpn_endpoint_logs_client_connections(options, reported):
    """CreateClientVpnEndpoint requires ConnectionLogOptions; its Enabled false logs nothing."""
    endpoint = Res("aws:ec2clientvpn/endpoint:Endpoint", "clients", {
        "tags": DEFAULT_TAGS, **({} if options is None else {"connectionLogOptions": options})})
    assert (CLIENT_LOGS in policies_found([endpoint])) == reported


def logs(enabled):
    return {"cloudwatchLogOptions": {"logEnabled": enabled, "logGroupArn": "arn:aws:logs:us-east-1:1:log-group:vpn"}}


@pytest.mark.parametrize("tunnel1, tunnel2, off", [
    (logs(True), logs(True), []), (logs("true"), logs(True), []),
    (None, None, ["tunnel1LogOptions.cloudwatchLogOptions is left out", "tunnel2LogOptions.cloudwatchLogOptions"]),
    ({}, logs(True), ["tunnel1LogOptions.cloudwatchLogOptions is left out"]),
    (logs(True), {"cloudwatchLogOptions": {}}, ["tunnel2LogOptions.cloudwatchLogOptions.logEnabled is unset (false)"]),
    (logs(False), logs(True), ["tunnel1LogOptions.cloudwatchLogOptions.logEnabled is false"]),
    (logs(UNKNOWN), logs(True), []), (UNKNOWN, logs(True), []), ({"cloudwatchLogOptions": UNKNOWN}, logs(True), []),
    (UNKNOWN, logs(False), ["tunnel2LogOptions.cloudwatchLogOptions.logEnabled is false"])])
def test_a_vpn_connection_logs_both_tunnels(tunnel1, tunnel2, off):
    """A tunnel's CloudWatchLogOptions.LogEnabled defaults to false; a tunnel whose options are unknown is not
    judged, the other still is."""
    props = {"customerGatewayId": "cgw-1", "type": "ipsec.1", "vpnGatewayId": "vgw-1", "tags": DEFAULT_TAGS}
    props.update({key: value for key, value in (("tunnel1LogOptions", tunnel1), ("tunnel2LogOptions", tunnel2))
                  if value is not None})
    config = {"all": "disabled", TUNNEL_LOGS: "mandatory"}
    found = [message for _, _, message in findings(analyze([Res(VPN_CONNECTION, "vpn", props)], config))]
    assert len(found) == (1 if off else 0)
    assert all(part in found[0] for part in off)
