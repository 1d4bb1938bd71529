"""VPN guardrails against tests/programs/policy_vpn (raw Client VPN endpoints)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_vpn"
CLIENT_LOGS = "ec2-client-vpn-endpoint-connection-logging"

FAILING = [
    Finding(CLIENT_LOGS, "unlogged-clients", "mandatory",
            "connectionLogOptions.enabled is false: the endpoint records no client connection requests, their results "
            "or their terminations, so who reached the VPC through it is not on record; set "
            "connectionLogOptions.enabled true with a cloudwatchLogGroup"),
]
# Logging to a log group of the stack; a setting known only after the update.
PASSING = [(CLIENT_LOGS, "logged-clients"), (CLIENT_LOGS, "later-logged-clients")]


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
