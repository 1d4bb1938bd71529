"""Transit gateway guardrails against tests/programs/policy_transit_gateway (raw transit gateways)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_transit_gateway"
AUTO_ACCEPT = "ec2-transit-gateway-auto-accept-off"

FAILING = [
    Finding(AUTO_ACCEPT, "open-tgw", "mandatory",
            "autoAcceptSharedAttachments is enable: an attachment request from any account the transit gateway is "
            "shared with is accepted without review; set disable (the default) and accept each attachment "
            "(aws.ec2transitgateway.VpcAttachmentAccepter)"),
]
# Left to the default (disable), disable, and a setting known only after the update.
PASSING = [(AUTO_ACCEPT, "core-tgw"), (AUTO_ACCEPT, "reviewed-tgw"), (AUTO_ACCEPT, "later-tgw")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("setting, reported", [
    ("enable", True), ("disable", False), (None, False), (UNKNOWN, False)])
def test_a_transit_gateway_waits_for_shared_attachments_to_be_accepted(setting, reported):
    gateway = Res("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw", {
        "tags": DEFAULT_TAGS, **({} if setting is None else {"autoAcceptSharedAttachments": setting})})
    assert (AUTO_ACCEPT in policies_found([gateway])) == reported
