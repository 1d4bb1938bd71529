"""Amazon MQ guardrails against tests/programs/policy_mq (raw brokers)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_mq"
BROKER = "aws:mq/broker:Broker"
NOT_PUBLIC = "mq-broker-not-public"

FAILING = [
    Finding(NOT_PUBLIC, "public-broker", "mandatory",
            "publiclyAccessible is true: the broker gets a public endpoint that takes connections from outside its "
            "VPC; leave it out or set false"),
]
# Private said outright; left out (the provider sends false); known only after the update.
PASSING = [(NOT_PUBLIC, "private-broker"), (NOT_PUBLIC, "default-broker"), (NOT_PUBLIC, "later-broker")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def broker(**props):
    return Res(BROKER, "broker", {"brokerName": "broker", "engineType": "ActiveMQ", "engineVersion": "5.18",
                                  "hostInstanceType": "mq.m5.large", "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), (None, False), (UNKNOWN, False)])
def test_a_broker_has_no_public_endpoint(accessible, reported):
    """terraform-provider-aws sends PubliclyAccessible in every CreateBroker, false when left out (CreateBroker's own
    default is false too)."""
    props = {} if accessible is None else {"publiclyAccessible": accessible}
    assert (NOT_PUBLIC in policies_found([broker(**props)])) == reported
