"""AWS IoT Core guardrails against tests/programs/policy_iot (raw IoT policies)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_iot"
PERMISSIVE = "iot-policy-not-overly-permissive"
PREFIX = "arn:aws:iot:us-east-1:123456789012"

FAILING = [
    Finding(PERMISSIVE, "device-anything", "mandatory", "IoT policy device-anything statement Everything allows "
                                                        "iot:Connect, iot:Publish, iot:Receive, iot:Subscribe on every "
                                                        "client id, topic and topic filter"),
    Finding(PERMISSIVE, "device-any-client", "mandatory", "IoT policy device-any-client statement AnyClient allows "
                                                          "iot:Connect on every client id: a device holding any "
                                                          "certificate it is attached to may act as every other"),
]
# Each device its own client id and topics; broad only under a condition; a document known only after the update.
PASSING = [(PERMISSIVE, "device-own-topics"), (PERMISSIVE, "device-registered-only"), (PERMISSIVE, "device-later")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("statement, reported", [
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/*"}, True),
    ({"Action": "iot:Subscribe", "Resource": f"{PREFIX}:topicfilter/*"}, True),
    ({"Action": "iot:*", "Resource": "arn:aws:iot:*:*:*"}, True), ({"Action": "*", "Resource": "*"}, True),
    # One device's own, by policy variable; a fleet's prefix; another kind of resource; the control plane.
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/${{iot:Connection.Thing.ThingName}}/*"}, False),
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/fleet-a/*"}, False),
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:client/*"}, False),
    ({"Action": "iot:DescribeThing", "Resource": "*"}, False),
    # Under a condition, or a Deny, or with NotResource: not judged; nor an unknown resource.
    ({"Action": "iot:Connect", "Resource": "*", "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
     False),
    ({"Action": "iot:Connect", "Resource": "*", "Effect": "Deny"}, False),
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/admin"}, False)])
def test_a_device_policy_names_its_own_clients_and_topics(statement, reported):
    document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]})
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "policy": document, "tags": DEFAULT_TAGS})
    assert (PERMISSIVE in policies_found([policy])) == reported


def test_an_unknown_document_is_not_judged():
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "policy": UNKNOWN, "tags": DEFAULT_TAGS})
    assert PERMISSIVE not in policies_found([policy])
