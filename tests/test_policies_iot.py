"""AWS IoT Core guardrails against tests/programs/policy_iot (raw IoT policies, logging options and topic rules)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze,
                                         findings, policies_found, program_fixtures)

PROGRAM = "policy_iot"
PERMISSIVE = "iot-policy-not-overly-permissive"
LOGGING = "iot-logging-enabled"
ERROR_ACTION = "iot-topic-rule-error-action"
PREFIX = "arn:aws:iot:us-east-1:123456789012"

FAILING = [
    Finding(PERMISSIVE, "device-anything", "mandatory", "IoT policy device-anything statement Everything allows "
                                                        "iot:Connect, iot:Publish, iot:Receive and 12 more device "
                                                        "actions on every client id, topic, topic filter and thing"),
    Finding(PERMISSIVE, "device-any-client", "mandatory", "IoT policy device-any-client statement AnyClient allows "
                                                          "iot:Connect on every client id: a device holding any "
                                                          "certificate it is attached to may act as every other"),
    # A condition every device whose certificate is attached to a thing meets: the whole fleet.
    Finding(PERMISSIVE, "device-registered-only", "mandatory",
            "IoT policy device-registered-only statement Attached allows iot:Connect on every client id under a "
            "Condition (iot:Connection.Thing.IsAttached) that ties them to no one device"),
    # A Deny of one client id leaves every other.
    Finding(PERMISSIVE, "device-deny-admin", "mandatory", "IoT policy device-deny-admin statement AnyClient allows "
                                                          "iot:Connect on every client id: a device holding any "
                                                          "certificate it is attached to may act as every other"),
    # Every client id but another region's: in its own region it leaves out none.
    Finding(PERMISSIVE, "device-allow-ireland-only", "mandatory",
            "IoT policy device-allow-ireland-only statement AllButIreland allows iot:Connect on every client id but "
            "those it lists (NotResource): a device holding any certificate it is attached to may act as every other"),
    # Its document comes from another resource: a first preview does not judge it (below).
    Finding(PERMISSIVE, "device-later", "mandatory", "allows iot:Connect on every client id"),
    Finding(LOGGING, "logging-default-off", "mandatory",
            "defaultLogLevel is DISABLED: AWS IoT logs nothing for devices without a level of their own, so their "
            "authentication failures and unexpected connects and disconnects leave no record; set ERROR (or WARN, "
            "INFO, DEBUG)"),
    Finding(LOGGING, "logging-all-off", "mandatory",
            "disableAllLogs is true: AWS IoT writes no log to CloudWatch, whatever the log levels say, so "
            "authentication failures and unexpected connects and disconnects leave no record; leave it out (false)"),
    Finding(ERROR_ACTION, "rule-lost", "advisory",
            "errorAction is left out: when one of the rule's actions fails (a missing permission, a throttled table, "
            "a missing bucket), the rules engine passes the message nowhere else and it is lost; add an errorAction "
            "(an SQS queue, an S3 bucket or a CloudWatch Logs group) to keep it for a retry"),
]
# Each device its own client id and topics; any client id, under a condition tying it to the device's thing name,
# or an explicit Deny of every other.
PASSING = [(PERMISSIVE, "device-own-topics"), (PERMISSIVE, "device-own-client"), (PERMISSIVE, "device-deny-others"),
           (PERMISSIVE, "device-deny-condition"), (LOGGING, "logging-on"),
           (ERROR_ACTION, "rule-kept"), (ERROR_ACTION, "rule-disabled")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("statement, reported", [
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/*"}, True),
    ({"Action": "iot:Subscribe", "Resource": f"{PREFIX}:topicfilter/*"}, True),
    ({"Action": "iot:*", "Resource": "arn:aws:iot:*:*:*"}, True), ({"Action": "*", "Resource": "*"}, True),
    ({"Action": "iot:publish", "Resource": [f"{PREFIX}:topic/fleet-a/*", "*"]}, True),
    ({"NotAction": "iot:Connect", "Resource": f"{PREFIX}:topic/*"}, True),
    # Patterns that take every name, however written; `#` in a policy is a literal filter, every topic.
    ({"Action": "iot:Connect", "Resource": f"{PREFIX}:client*"}, True),
    ({"Action": "iot:Connect", "Resource": "arn:*"}, True),
    ({"Action": "iot:Subscribe", "Resource": f"{PREFIX}:topicfilter/#"}, True),
    # The client id a device sends is any it likes; a variable in the region narrows nothing.
    ({"Action": "iot:Connect", "Resource": f"{PREFIX}:client/${{iot:ClientId}}"}, True),
    ({"Action": "iot:Connect", "Resource": "arn:aws:iot:${iot:Connection.Thing.Attributes[r]}:123456789012:client/*"},
     True),
    # Every thing's shadow and jobs; retained messages of every topic.
    ({"Action": "iot:UpdateThingShadow", "Resource": f"{PREFIX}:thing/*"}, True),
    ({"Action": "iot:RetainPublish", "Resource": f"{PREFIX}:topic/*"}, True),
    # Disconnecting, or messaging directly, every other client (AWS IoT Core's policy actions on a client's
    # connection), the client id a device connects as left out or not.
    ({"Action": "iot:DeleteConnection", "Resource": f"{PREFIX}:client/*"}, True),
    ({"Action": "iot:SendDirectMessage", "Resource": "*"}, True),
    ({"Action": "iot:SendDirectMessage", "NotResource": f"{PREFIX}:client/${{iot:ClientId}}"}, True),
    # Every thing's shadow and jobs through their reserved topics, as the shadow actions on `thing/*`; in a topic
    # filter, `+` and `#` are literal (a subscription to every thing's).
    ({"Action": ["iot:Publish", "iot:Receive"], "Resource": f"{PREFIX}:topic/$aws/things/*/shadow/*"}, True),
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/$aws/things/*"}, True),
    ({"Action": "iot:Receive", "Resource": f"{PREFIX}:topic/$aws/things/${{iot:ClientId}}/jobs/*"}, True),
    ({"Action": "iot:Subscribe", "Resource": f"{PREFIX}:topicfilter/$aws/things/+/shadow/update/delta"}, True),
    ({"Action": "iot:Subscribe", "Resource": f"{PREFIX}:topicfilter/$aws/things/#"}, True),
    # Any other of the reserved topics, probed by its own tail: every thing's full shadow documents, a named shadow.
    ({"Action": "iot:Receive", "Resource": [f"{PREFIX}:topic/$aws/things/*/shadow/update/accepted",
                                            f"{PREFIX}:topic/$aws/things/*/shadow/update/documents"]}, True),
    ({"Action": "iot:Subscribe", "Resource": f"{PREFIX}:topicfilter/$aws/things/+/shadow/get/accepted"}, True),
    ({"Action": "iot:Receive", "Resource": f"{PREFIX}:topic/$aws/things/*/shadow/name/config/update/accepted"},
     True),
    ({"Action": "iot:Receive", "Resource": f"{PREFIX}:topic/$aws/things/sensor-*/shadow/update/accepted"}, False),
    # Every tunnel's access token, delivered on its thing's reserved topic.
    ({"Action": "iot:Receive", "Resource": f"{PREFIX}:topic/$aws/things/*/tunnels/notify"}, True),
    # The device's own thing's, or a fleet's by its name prefix.
    ({"Action": ["iot:Publish", "iot:Receive"],
      "Resource": f"{PREFIX}:topic/$aws/things/${{iot:Connection.Thing.ThingName}}/shadow/*"}, False),
    ({"Action": "iot:Subscribe",
      "Resource": f"{PREFIX}:topicfilter/$aws/things/${{iot:Connection.Thing.ThingName}}/jobs/#"}, False),
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/$aws/things/sensor-*/shadow/update"}, False),
    # One gateway's connection; a device's own, by policy variable.
    ({"Action": "iot:SendDirectMessage", "Resource": f"{PREFIX}:client/gateway-1",
      "Condition": {"StringEquals": {"iot:Topic": "commands/reboot"}}}, False),
    ({"Action": "iot:DeleteConnection", "Resource": f"{PREFIX}:client/${{iot:Connection.Thing.ThingName}}"}, False),
    # One device's own, by policy variable; a fleet's prefix; another kind of resource; the control plane.
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/${{iot:Connection.Thing.ThingName}}/*"}, False),
    ({"Action": "iot:UpdateThingShadow", "Resource": f"{PREFIX}:thing/${{iot:Connection.Thing.ThingName}}"}, False),
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:topic/fleet-a/*"}, False),
    ({"Action": "iot:Publish", "Resource": f"{PREFIX}:client/*"}, False),
    ({"Action": "iot:DescribeThing", "Resource": "*"}, False),
    # A Deny is not judged; a condition that reads no resource narrows nothing.
    ({"Action": "iot:Connect", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, True),
    ({"Action": "iot:Connect", "Resource": "*", "Effect": "Deny"}, False),
    # NotResource grants every resource but those listed: broad unless the list leaves out every one of the kind.
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/admin"}, True),
    ({"Action": "iot:Publish", "NotResource": [f"{PREFIX}:client/*", f"{PREFIX}:topic/admin/*"]}, True),
    # Leaving out all but one prefix still leaves the `#` filter, every topic.
    ({"Action": "iot:Subscribe", "NotResource": f"{PREFIX}:topicfilter/zq9*"}, True),
    # A variable excludes only the device's own value: its own topic, or a region that need not be the policy's.
    ({"Action": "iot:Publish", "NotResource": f"{PREFIX}:topic/${{iot:ClientId}}"}, True),
    ({"Action": "iot:Connect",
      "NotResource": "arn:aws:iot:${iot:Connection.Thing.Attributes[r]}:123456789012:client/*"}, True),
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/admin",
      "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, True),
    # Leaving out one prefix, or a few, leaves nearly every other name, whichever probe it happens to take.
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/zq9*"}, True),
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/other-*"}, True),
    ({"Action": "iot:Connect", "NotResource": [f"{PREFIX}:client/z*", f"{PREFIX}:client/o*"]}, True),
    ({"Action": "iot:Publish", "NotResource": f"{PREFIX}:topic/other-fleet/*"}, True),
    # The client id a device connects as, whichever: no client is left to connect as.
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/${{iot:ClientId}}"}, False),
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/fleet-${{iot:ClientId}}"}, True),
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/${{iot:ClientId}}*"}, False),
    ({"Action": "iot:Publish", "NotResource": f"{PREFIX}:topic/${{iot:ClientId}}*"}, True),
    # Patterns both long probe names happen to match still leave short names (`dev1`, `7`).
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/*-*"}, True),
    ({"Action": "iot:Publish", "NotResource": f"{PREFIX}:topic/*e*"}, True),
    # Every client, topic, filter or thing left out, however written; a condition; the control plane.
    ({"Action": "iot:Connect", "NotResource": "arn:aws:iot:*:*:client/*"}, False),
    ({"Action": "iot:Connect", "NotResource": "*"}, False),
    ({"Action": "iot:*", "NotResource": [f"{PREFIX}:client/*", f"{PREFIX}:topic*", f"{PREFIX}:thing/*"]}, False),
    ({"Action": "iot:Connect", "NotResource": f"{PREFIX}:client/admin",
      "Condition": {"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.ThingName}"}}}, False),
    ({"Action": "iot:DescribeThing", "NotResource": f"{PREFIX}:client/admin"}, False)])
def test_a_device_policy_names_its_own_clients_and_topics(statement, reported):
    document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]})
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "policy": document, "tags": DEFAULT_TAGS})
    assert (PERMISSIVE in policies_found([policy])) == reported


def test_a_broad_document_known_only_after_the_update_is_found_then_and_not_before(result, first_preview):
    assert ("device-later" in {v.name for v in result.violations if v.policy == PERMISSIVE},
            "device-later" in {v.name for v in first_preview.violations if v.policy == PERMISSIVE}) == (True, False)


def test_a_not_resource_statement_is_said_to_allow_every_resource_but_those_it_lists():
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "AllButAdmin", "Effect": "Allow", "Action": ["iot:Connect", "iot:Publish"],
         "NotResource": f"{PREFIX}:client/admin"}]})
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "policy": document, "tags": DEFAULT_TAGS})
    [(_, _, message)] = findings(analyze([policy], {"all": "mandatory"}))
    assert message.startswith("IoT policy device statement AllButAdmin allows iot:Connect, iot:Publish on every "
                              "client id and topic but those it lists (NotResource): a device holding any "
                              "certificate it is attached to may act as every other; scope the resources")


@pytest.mark.parametrize("excluded", [[f"{PREFIX}:client/admin", UNKNOWN], [UNKNOWN]])
def test_an_unknown_not_resource_cannot_run_the_check_unless_another_statement_is_broad(excluded):
    statement = {"Effect": "Allow", "Action": "iot:Connect", "NotResource": excluded}
    broad = {"Effect": "Allow", "Action": "iot:Publish", "Resource": "*"}

    def report(*statements):
        document = {"Version": "2012-10-17", "Statement": list(statements)}
        return analyze([Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS,
                                                                 "policy": document})], {"all": "mandatory"})
    alone, beside = report(statement), report(statement, broad)
    assert ([p for p, _, _ in findings(alone)], [(r.policy, r.name) for r in alone.not_run]) == (
        [], [(PERMISSIVE, "device")])
    assert ([p for p, _, _ in findings(beside)], beside.not_run) == ([PERMISSIVE], [])


@pytest.mark.parametrize("first", [True, False])
def test_a_not_resource_unknown_as_a_whole_waits_beside_a_broad_statement_in_either_order(first):
    unknown = {"Effect": "Allow", "Action": "iot:Connect", "NotResource": UNKNOWN}
    broad = {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}
    report = analyze([Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS, "policy": {
        "Version": "2012-10-17", "Statement": [unknown, broad] if first else [broad, unknown]}})], {"all": "mandatory"})
    assert ([p for p, _, _ in findings(report)], report.not_run) == ([PERMISSIVE], [])


@pytest.mark.parametrize("statement", [
    # Known entries that already leave out every client; a statement of no device action.
    {"Action": "iot:Connect", "NotResource": [f"{PREFIX}:client/*", UNKNOWN]},
    {"Action": "iot:DescribeThing", "NotResource": [UNKNOWN]}])
def test_an_unknown_not_resource_entry_waits_only_where_the_known_ones_leave_something(statement):
    report = analyze([Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS, "policy": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]}})], {"all": "mandatory"})
    assert (findings(report), report.not_run) == (set(), [])


DEVICE_ACTIONS = ["iot:Connect", "iot:Publish", "iot:Subscribe", "iot:Receive"]
THING = "${iot:Connection.Thing.ThingName}"


@pytest.mark.parametrize("condition, reported", [
    # Conditions every device of a fleet meets: one stolen certificate still acts as every device.
    ({"Bool": {"iot:Connection.Thing.IsAttached": "true"}}, True),
    ({"StringEquals": {"iot:Certificate.IsCA": "false"}}, True),
    ({"StringEquals": {"iot:Connection.Thing.ThingTypeName": "sensor"}}, True),
    ({"StringEquals": {"iot:Connection.Thing.Attributes[fleet]": "a"}}, True),
    ({"StringEquals": {"iot:Certificate.Issuer.CommonName": "Devices CA"}}, True),
    # A device key named by a pattern, a negation, IfExists, ForAllValues: or Null names no one device.
    ({"StringLike": {"iot:Connection.Thing.ThingName": "sensor-*"}}, True),
    ({"StringLike": {"iot:Connection.Thing.ThingName": ["sensor-1", "sensor-?"]}}, True),
    ({"StringNotEquals": {"iot:Connection.Thing.ThingName": "sensor-1"}}, True),
    ({"StringEqualsIfExists": {"iot:Connection.Thing.ThingName": "sensor-1"}}, True),
    ({"ForAllValues:StringEquals": {"iot:Connection.Thing.ThingName": "sensor-1"}}, True),
    ({"Null": {"iot:Connection.Thing.ThingName": "false"}}, True),
    # The device compared with itself, or its client id with what it sends: true for every device.
    ({"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:Certificate.Subject.CommonName}"}}, True),
    ({"StringEquals": {"iot:ClientId": "${iot:ClientId}"}}, True),
    # The client id tied to the thing's name: the connection is its own, but every topic is still open.
    ({"StringEquals": {"iot:ClientId": THING}}, True),
    # A device key with fixed names: one device (or a few), for every kind.
    ({"StringEquals": {"iot:Connection.Thing.ThingName": "sensor-1"}}, False),
    ({"StringEqualsIgnoreCase": {"iot:Connection.Thing.ThingName": ["sensor-1", "sensor-2"]}}, False),
    ({"ForAnyValue:StringLike": {"iot:Certificate.Subject.CommonName": "sensor-1.example.com"}}, False),
    ({"StringEquals": {"iot:Certificate.Subject.SerialNumber": "123"}}, False),
    # StringEquals reads `*` as itself (no thing name holds one).
    ({"StringEquals": {"iot:Connection.Thing.ThingName": "sensor-*"}}, False),
    ({"StringEquals": {"iot:Certificate.SerialNumber": "92:12:85:cb:b7:a5:e0:86"}}, False),
    ({"StringEquals": {"iot:Certificate.Subject.AlternativeName.DNSName": "sensor-1.example.com"}}, False),
    ({"StringEquals": {"iot:Connection.Thing.ThingName": "sensor-1"},
      "Bool": {"iot:Connection.Thing.IsAttached": "true"}}, False),
    # Unknown until the update: the Condition, or a value of an entry that could name one device, may narrow.
    ({"StringEquals": UNKNOWN}, False),
    ({"StringEquals": {"iot:Connection.Thing.ThingName": UNKNOWN}}, False),
    ({"StringEquals": {"iot:Connection.Thing.ThingName": ["sensor-1", UNKNOWN]}}, False),
    # A client id entry with a value unknown until the update may tie the connection: what a finding would list waits.
    ({"StringEquals": {"iot:ClientId": [THING, UNKNOWN]}}, False), ({"StringLike": {"iot:ClientId": UNKNOWN}}, False),
    # An unknown value of a key a fleet shares still narrows nothing.
    ({"StringEquals": {"iot:Connection.Thing.ThingTypeName": UNKNOWN}}, True)])
def test_a_condition_narrows_a_device_policy_only_where_it_names_one_device(condition, reported):
    statement = {"Effect": "Allow", "Action": DEVICE_ACTIONS, "Resource": "*", "Condition": condition}
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS, "policy": {
        "Version": "2012-10-17", "Statement": [statement]}})
    report = analyze([policy], {"all": "mandatory"})
    assert ([p for p, _, _ in findings(report)], report.not_run) == ([PERMISSIVE] if reported else [], [])


# The topics and topic filters stay open whatever the client id; the client ids where the condition leaves them to
# the device.
TOPICS = "iot:Publish, iot:Receive, iot:Subscribe on every topic and topic filter"
EVERYTHING = "iot:Connect, iot:Publish, iot:Receive, iot:Subscribe on every client id, topic and topic filter"


@pytest.mark.parametrize("condition, reported", [
    # The client id tied to the device's thing name, certificate or fixed names: no other client id.
    ({"StringEquals": {"iot:ClientId": THING}}, TOPICS),
    ({"StringEquals": {"iot:ClientId": "${iot:Certificate.Subject.CommonName}"}}, TOPICS),
    ({"StringEquals": {"iot:ClientId": ["gateway-1", "gateway-2"]}}, TOPICS),
    # The same tie written the other way: the thing's name (or certificate's) equal to the client id it sends.
    ({"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}, TOPICS),
    ({"StringEquals": {"iot:Certificate.Subject.CommonName": "${iot:ClientId}.example.com"}}, TOPICS),
    # Any client id, or one the device picks by a pattern (its own name and more: thing s1 connects as s10), or a
    # name a fleet shares (its type's, an attribute's, the issuer's).
    ({"StringLike": {"iot:ClientId": "sensor-*"}}, EVERYTHING),
    ({"StringLike": {"iot:ClientId": f"{THING}-*"}}, EVERYTHING),
    ({"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.ThingTypeName}"}}, EVERYTHING),
    ({"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.Attributes[site]}"}}, EVERYTHING),
    ({"StringEquals": {"iot:ClientId": "${iot:Certificate.Issuer.CommonName}"}}, EVERYTHING),
    ({"StringEquals": {"iot:ClientId": "${iot:ClientId}"}}, EVERYTHING),
    ({"StringLike": {"iot:Connection.Thing.ThingName": "*${iot:ClientId}"}}, EVERYTHING)])
def test_a_client_id_condition_ties_the_connection_and_leaves_the_topics(condition, reported):
    statement = {"Sid": "Fleet", "Effect": "Allow", "Action": DEVICE_ACTIONS, "Resource": "*", "Condition": condition}
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS, "policy": {
        "Version": "2012-10-17", "Statement": [statement]}})
    [(_, _, message)] = findings(analyze([policy], {"all": "mandatory"}))
    [key] = next(iter(condition.values()))
    assert message.startswith(f"IoT policy device statement Fleet allows {reported} under a Condition ({key}) "
                              "that ties them to no one device: a device holding any certificate it is attached to")


def test_every_things_reserved_topics_are_named_as_such():
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Shadows", "Effect": "Allow", "Action": ["iot:Publish", "iot:Subscribe"],
         "Resource": [f"{PREFIX}:topic/$aws/things/*/shadow/*", f"{PREFIX}:topicfilter/$aws/things/+/shadow/#"]}]})
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "policy": document, "tags": DEFAULT_TAGS})
    [(_, _, message)] = findings(analyze([policy], {"all": "mandatory"}))
    assert message.startswith("IoT policy device statement Shadows allows iot:Publish, iot:Subscribe on every thing's "
                              "reserved topic and thing's reserved topic filter: a device holding any certificate")


@pytest.mark.parametrize("condition, reported", [
    # The client id it connects as tied to its thing's name: every other client's connection is still open.
    ({"StringEquals": {"iot:ClientId": THING}}, True),
    ({"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}, True),
    # One named device (a fleet's controller) may disconnect or message every other.
    ({"StringEquals": {"iot:Connection.Thing.ThingName": "controller-1"}}, False)])
def test_a_client_id_condition_leaves_other_clients_connections_open(condition, reported):
    statement = {"Sid": "Peers", "Effect": "Allow", "Action": ["iot:DeleteConnection", "iot:SendDirectMessage"],
                 "Resource": f"{PREFIX}:client/*", "Condition": condition}
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS, "policy": {
        "Version": "2012-10-17", "Statement": [statement]}})
    found = [message for _, _, message in findings(analyze([policy], {"all": "mandatory"}))]
    assert [m.split(" under a Condition")[0] for m in found] == (
        ["IoT policy device statement Peers allows iot:DeleteConnection, iot:SendDirectMessage on every client id"]
        if reported else [])
    # What they allow is to disconnect or message the others, not to act as them.
    assert all("it is attached to may disconnect or message every other;" in m for m in found)


@pytest.mark.parametrize("beside", [False, True])
def test_a_condition_unknown_as_a_whole_waits_unless_another_statement_is_broad(beside):
    unknown = {"Effect": "Allow", "Action": DEVICE_ACTIONS, "Resource": "*", "Condition": UNKNOWN}
    broad = {"Effect": "Allow", "Action": "iot:UpdateThingShadow", "Resource": f"{PREFIX}:thing/*"}
    report = analyze([Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS, "policy": {
        "Version": "2012-10-17", "Statement": [unknown, broad] if beside else [unknown]}})], {"all": "mandatory"})
    assert ([p for p, _, _ in findings(report)], [(r.policy, r.name) for r in report.not_run]) == (
        ([PERMISSIVE], []) if beside else ([], [(PERMISSIVE, "device")]))


OWN_CLIENT = f"{PREFIX}:client/{THING}"


ANY_CLIENT = {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{PREFIX}:client/*"}


def _placed(document, arn=f"{PREFIX}:policy/device"):
    """The findings on a policy of `document` in us-east-1, its ARN (and so its account) `arn`."""
    return analyze([Res("pulumi:providers:aws", "east", {"region": "us-east-1"}),
                    Res("aws:iot/policy:Policy", "device", {"name": "device", "tags": DEFAULT_TAGS, "policy": document,
                                                            "arn": arn}, provider="east")], {"all": "mandatory"})


def _with_deny(deny: dict, *allows: dict):
    """Allow statements (iot:Connect on every client id unless given) beside a Deny of iot:Connect with `deny`'s
    parts."""
    document = {"Version": "2012-10-17", "Statement": [*(allows or [ANY_CLIENT]),
                                                       {"Effect": "Deny", "Action": "iot:Connect", **deny}]}
    return _placed(document if UNKNOWN in _leaves(deny) else json.dumps(document))


def _leaves(value) -> list:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [leaf for v in value for leaf in _leaves(v)] if isinstance(value, list) else [value]


@pytest.mark.parametrize("deny, reported", [
    # Every client id but the device's own denied: by what the Deny spares, or by a negated condition on the
    # client id (IfExists too), or the thing's name tied to the client id, or one named device.
    ({"NotResource": OWN_CLIENT}, False),
    ({"NotResource": [OWN_CLIENT, f"{PREFIX}:topic/*"]}, False),
    ({"Resource": "*", "Condition": {"StringNotEquals": {"iot:ClientId": THING}}}, False),
    ({"Resource": f"{PREFIX}:client/*", "Condition": {"StringNotEqualsIfExists": {"iot:ClientId": THING}}}, False),
    ({"Resource": "*", "Condition": {"StringNotLike": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}},
     False),
    ({"Resource": "*", "Condition": {"StringNotEquals": {"iot:Connection.Thing.ThingName": "gateway-1"}}}, False),
    # Every client id denied, whichever the device connects as.
    ({"Resource": "*"}, False), ({"Resource": f"{PREFIX}:client/${{iot:ClientId}}"}, False),
    # Denies that leave other client ids: of one, sparing every one (the client id the device sends is any), under a
    # condition a fleet shares, a pattern, a second entry the Deny also needs, or no negation.
    ({"Resource": f"{PREFIX}:client/admin"}, True),
    ({"NotResource": f"{PREFIX}:client/*"}, True),
    ({"NotResource": f"{PREFIX}:client/${{iot:ClientId}}"}, True),
    ({"Resource": "*", "Condition": {"StringNotEquals": {"iot:Connection.Thing.ThingTypeName": "sensor"}}}, True),
    ({"Resource": "*", "Condition": {"StringNotLike": {"iot:ClientId": "sensor-*"}}}, True),
    ({"Resource": "*", "Condition": {"StringNotEquals": {"iot:ClientId": THING},
                                     "Bool": {"aws:SecureTransport": "false"}}}, True),
    ({"Resource": "*", "Condition": {"StringEquals": {"iot:ClientId": "admin"}}}, True),
    # Another region's or account's client ids: the policy's devices connect in its own (any, where a wildcard says).
    ({"Resource": "arn:aws:iot:eu-west-1:123456789012:client/*"}, True),
    ({"Resource": "arn:aws:iot:us-east-1:999999999999:client/*"}, True),
    ({"Resource": "arn:aws:iot:*:*:client/*"}, False),
    # Sparing only another region's or account's client ids spares none of the policy's devices: all are denied.
    ({"NotResource": "arn:aws:iot:eu-west-1:123456789012:client/*"}, False),
    ({"NotResource": "arn:aws:iot:us-east-1:999999999999:client/*"}, False),
    ({"NotResource": "arn:aws:iot:*:*:client/*"}, True),
    ({"Resource": "*", "Action": "iot:Publish"}, True),
    # A Deny AWS refuses (CreatePolicy: MalformedPolicyException) takes nothing away; written as IAM's grammar has
    # it, the same Deny narrows.
    ({"NotResource": []}, True), ({"NotResource": {}}, True), ({"Resource": ["*", 5]}, True),
    ({"Resource": "*", "Condition": [{"StringNotEquals": {"iot:ClientId": THING}}]}, True),
    ({"Resource": ["*"], "Condition": {"StringNotEquals": {"iot:ClientId": [THING]}}}, False),
    # An unknown value that cannot make the Deny narrow changes nothing.
    ({"Resource": f"{PREFIX}:client/admin", "Condition": {"StringNotEquals": {"iot:ClientId": UNKNOWN}}}, True),
    ({"Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": UNKNOWN}}}, True)])
def test_an_explicit_deny_of_every_other_client_id_narrows_a_broad_allow(deny, reported):
    """An explicit Deny overrides any Allow: AWS IoT Core policies follow IAM's policy evaluation logic."""
    report = _with_deny(deny)
    assert ([p for p, _, _ in findings(report)], report.not_run) == ([PERMISSIVE] if reported else [], [])


@pytest.mark.parametrize("spared, reported", [(f"{PREFIX}:client/*", True), (OWN_CLIENT, False)])
def test_a_deny_sparing_clients_of_an_account_a_first_preview_does_not_know_adds_no_finding(spared, reported):
    """The policy's ARN, and so its account, is unknown until the update: what a NotResource entry of one account
    spares may be none of its devices', so a first preview reports nothing a full one does not."""
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        ANY_CLIENT, {"Effect": "Deny", "Action": "iot:Connect", "NotResource": spared}]})
    found = {}
    for arn in (f"{PREFIX}:policy/device", UNKNOWN):
        report = _placed(document, arn)
        found[arn is UNKNOWN] = ([p for p, _, _ in findings(report)], report.not_run)
    assert found == {False: ([PERMISSIVE] if reported else [], []), True: ([], [])}


@pytest.mark.parametrize("excluded, reported, reported_first", [
    # Another region's or account's client ids: IoT evaluates the policy in its own, where every client id is left.
    ("arn:aws:iot:eu-west-1:123456789012:client/*", True, True),
    # A first preview does not know the policy's account: the entry may leave out its client ids.
    ("arn:aws:iot:us-east-1:999999999999:client/*", True, False),
    # Its own region's and account's, or any region's and account's: no client id is left.
    (f"{PREFIX}:client/*", False, False), ("arn:aws:iot:*:*:client/*", False, False)])
def test_an_allow_leaving_out_another_region_or_accounts_client_ids_leaves_out_none_of_its_own(
        excluded, reported, reported_first):
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect", "NotResource": excluded}]})
    found = {}
    for arn in (f"{PREFIX}:policy/device", UNKNOWN):
        report = _placed(document, arn)
        found[arn is UNKNOWN] = ([p for p, _, _ in findings(report)], report.not_run)
    assert found == {False: ([PERMISSIVE] if reported else [], []), True: ([PERMISSIVE] if reported_first else [], [])}


def test_a_deny_narrows_only_the_actions_it_covers():
    report = _with_deny({"Resource": "*", "Condition": {"StringNotEquals": {"iot:ClientId": THING}}},
                        {"Sid": "Device", "Effect": "Allow", "Action": ["iot:Connect", "iot:Publish"], "Resource": "*"})
    [(_, _, message)] = findings(report)
    assert message.startswith("IoT policy device statement Device allows iot:Publish on every topic: a device")


@pytest.mark.parametrize("deny", [
    {"Resource": "*", "Condition": UNKNOWN}, {"Resource": "*", "Condition": {"StringNotEquals": UNKNOWN}},
    {"Resource": "*", "Condition": {"StringNotEquals": {"iot:ClientId": UNKNOWN}}},
    {"NotResource": [OWN_CLIENT, UNKNOWN]}, {"NotResource": UNKNOWN}, {"Resource": UNKNOWN},
    {"Resource": [f"{PREFIX}:client/admin", UNKNOWN]}, {"Resource": "*", "Action": UNKNOWN}],
    ids=["condition", "condition block", "condition value", "spared entry", "spared", "resource", "resource entry",
         "action"])
def test_a_deny_with_a_part_unknown_until_the_update_waits_unless_another_statement_is_broad(deny):
    alone = _with_deny(deny)
    assert (findings(alone), [(r.policy, r.name) for r in alone.not_run]) == (set(), [(PERMISSIVE, "device")])
    # A broad statement of another action is found, unless the Deny's unknown actions may cover it too.
    beside = _with_deny(deny, ANY_CLIENT, {"Effect": "Allow", "Action": "iot:Subscribe",
                                           "Resource": f"{PREFIX}:topicfilter/#"})
    assert ([p for p, _, _ in findings(beside)], [(r.policy, r.name) for r in beside.not_run]) == (
        ([], [(PERMISSIVE, "device")]) if deny.get("Action") == UNKNOWN else ([PERMISSIVE], []))


@pytest.mark.parametrize("options, reported", [
    ({"defaultLogLevel": "INFO", "disableAllLogs": False}, []),
    ({"defaultLogLevel": "DISABLED", "disableAllLogs": True},
     ["disableAllLogs is true", "defaultLogLevel is DISABLED"]),
    # Values unknown until the update are not judged, nor do they stop the check on what is known.
    ({"defaultLogLevel": UNKNOWN, "disableAllLogs": UNKNOWN}, []),
    ({"defaultLogLevel": UNKNOWN, "disableAllLogs": True}, ["disableAllLogs is true"]),
    ({"defaultLogLevel": "DISABLED", "disableAllLogs": UNKNOWN}, ["defaultLogLevel is DISABLED"])])
def test_logging_options_keep_aws_iot_logging_on(options, reported):
    report = analyze([Res("aws:iot/loggingOptions:LoggingOptions", "logging",
                          {"roleArn": "arn:aws:iam::123456789012:role/iot-logging", **options})], {"all": "mandatory"})
    assert ([m.split(":")[0] for _, _, m in sorted(findings(report), key=lambda f: f[2], reverse=True)],
            report.not_run) == (reported, [])


def test_a_stack_with_iot_resources_but_no_logging_options_is_not_reported():
    """Logging is the account's setting for a region, made in any stack or none: a stack without it says nothing."""
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{PREFIX}:client/{THING}"}]})
    policy = Res("aws:iot/policy:Policy", "device", {"name": "device", "policy": document, "tags": DEFAULT_TAGS})
    assert policies_found([policy]) == set()


@pytest.mark.parametrize("props, found, unjudged", [
    ({"enabled": True, "errorAction": UNKNOWN}, [], []),  # an error action known only after the update counts
    ({"enabled": UNKNOWN, "errorAction": {"sqs": {"queueUrl": UNKNOWN, "roleArn": UNKNOWN, "useBase64": False}}},
     [], []),
    # Without one, whether the rule runs its actions decides: unknown until the update, it waits.
    ({"enabled": UNKNOWN}, [], [ERROR_ACTION]), ({"enabled": False}, [], []), ({"enabled": True}, [ERROR_ACTION], []),
    # A rule with no action (TopicRulePayload's actions may be empty) has none to fail; an action's list known only
    # after the update counts as one.
    ({"enabled": True, "sqs": None}, [], []), ({"enabled": True, "sqs": [], "lambdas": UNKNOWN}, [ERROR_ACTION], [])])
def test_a_topic_rule_keeps_what_its_actions_fail_on(props, found, unjudged):
    rule = {"name": "rule", "sql": "SELECT * FROM 'a'", "sqlVersion": "2016-03-23", "tags": DEFAULT_TAGS,
            "sqs": [{"queueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "roleArn": UNKNOWN}]}
    report = analyze([Res("aws:iot/topicRule:TopicRule", "rule", {**rule, **props})], {"all": "mandatory"})
    assert ([p for p, _, _ in findings(report)], [r.policy for r in report.not_run]) == (found, unjudged)


def test_the_topic_rule_action_blocks_are_every_pulumi_aws_action():
    """Every TopicRule input but the rule's own settings is a kind of action: a new one pulumi-aws adds must be
    listed, or a rule with only that action would pass as having none."""
    import inspect

    import pulumi_aws as aws

    from guardrails.iot.topic_rule import _ACTIONS

    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)

    inputs = {camel(n) for n in inspect.signature(aws.iot.TopicRuleArgs.__init__).parameters if not n.startswith("_")}
    settings = {"description", "enabled", "errorAction", "name", "region", "sql", "sqlVersion", "tags"}
    assert sorted(inputs - settings) == sorted(_ACTIONS)
