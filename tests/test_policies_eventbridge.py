"""EventBridge guardrails against tests/programs/policy_eventbridge (raw buses, bus policies and permissions)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_eventbridge"
PUBLIC = "eventbridge-bus-not-public"
ATTACHED = "eventbridge-bus-policy-attached"
REPLICATION = "eventbridge-endpoint-replication"
BUS, BUS_POLICY, PERMISSION = ("aws:cloudwatch/eventBus:EventBus", "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                               "aws:cloudwatch/eventPermission:EventPermission")

FAILING = [
    Finding(PUBLIC, "shared-bus", "mandatory", "event bus shared-bus (policy in EventBusPolicy shared-bus-policy) "
                                               "statement PutEvents allows Principal * with no condition naming an "
                                               "account or organization: any AWS account's principals may put events "
                                               "on the bus"),
    Finding(PUBLIC, "anyone-default", "mandatory", "event permission anyone-default lets principal * put events on "
                                                   "the default event bus with no condition"),
    # Named by the bus's id, unknown in a first preview: the bus it is made from, by the name the program gives it.
    Finding(PUBLIC, "anyone-audit", "mandatory", "event permission anyone-audit lets principal * put events on the "
                                                 "audit event bus with no condition: any AWS account's principals may "
                                                 "start the bus's rules"),
    Finding(ATTACHED, "bare-bus", "advisory", "event bus bare-bus has no resource-based policy (no EventBusPolicy or "
                                              "EventPermission names it); add an aws.cloudwatch.EventBusPolicy saying "
                                              "which accounts may put events on it"),
    Finding(REPLICATION, "unreplicated-endpoint", "advisory",
            "replicationConfig.state is DISABLED: nothing exercises the secondary region's rules before a failover, "
            "and after one, events return to the primary region only once its Route 53 health check is reset to "
            "healthy by hand; set ENABLED with a roleArn EventBridge assumes to replicate them"),
]
PASSING = [
    # Everyone, but only within the organization; one account; a document known only after the update.
    (PUBLIC, "orders-bus"), (PUBLIC, "partner-account"), (PUBLIC, "organization"), (PUBLIC, "later-bus"),
    # A policy by the bus's name (made from it, or known only after the update), a permission by its id; a partner
    # bus, which PutPermission cannot give one.
    (ATTACHED, "orders-bus"), (ATTACHED, "later-bus"), (ATTACHED, "audit-bus"), (ATTACHED, "partner-bus"),
    # Replication ENABLED, written out or EventBridge's default.
    (REPLICATION, "replicated-endpoint"), (REPLICATION, "default-endpoint"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def _policy(principal, condition=None) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "events:PutEvents", "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, **({"Condition": condition} if condition
                                                                                else {})}]})


@pytest.mark.parametrize("document, reported", [
    (_policy("*"), True), (_policy({"AWS": "*"}), True), (_policy({"AWS": "arn:aws:iam::210987654321:root"}), False),
    (_policy("*", {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}), False), (UNKNOWN, False)])
def test_no_bus_policy_lets_every_account_put_events(document, reported):
    bus = Res(BUS, "orders-bus", {"name": "orders-bus", "tags": DEFAULT_TAGS})
    policy = Res(BUS_POLICY, "orders-bus-policy", {"eventBusName": "orders-bus", "policy": document})
    assert (PUBLIC in policies_found([bus, policy])) == reported
    # The default bus, outside the stack, is judged on its policy alone.
    default = Res(BUS_POLICY, "default-policy", {"policy": document})
    assert (PUBLIC in policies_found([default])) == reported


@pytest.mark.parametrize("props, reported", [
    ({"principal": "*"}, True), ({"principal": "210987654321"}, False), ({"principal": UNKNOWN}, False),
    ({"principal": "*", "condition": {"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": "o-abc123def4"}},
     False),
    # PutPermission's condition names an organization whatever its value: unknown until the update is no finding.
    ({"principal": "*", "condition": {"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": UNKNOWN}}, False),
    ({"principal": "*", "condition": UNKNOWN}, False)])
def test_no_event_permission_lets_every_account_in_without_a_condition(props, reported):
    permission = Res(PERMISSION, "permission", {"statementId": "s", **props})
    assert (PUBLIC in policies_found([permission])) == reported


@pytest.mark.parametrize("bus, refs, named", [
    (None, [], "the default event bus"), ("orders", [], "the orders event bus"),
    # Made from the stack's bus (its id or name, known or not): that bus, by the name the program writes it.
    ("orders", ["orders-bus"], "the orders event bus"), (UNKNOWN, ["orders-bus"], "the orders event bus"),
    # Made from something else, or from nothing known: the text must not change once it is known.
    (UNKNOWN, [], "its bus"), (UNKNOWN, ["bus-names"], "its bus"), ("orders", ["bus-names"], "its bus"),
    # Made from two buses (one picked): which one the update tells.
    ("orders", ["orders-bus", "audit-bus"], "its bus")])
def test_an_open_permission_names_its_bus_as_far_as_it_is_known(bus, refs, named):
    """A first preview leaves an eventBusName made from the bus's id unknown: the finding names the bus it is made
    from, as after the update, rather than the id the update gives it."""
    stack = [Res(BUS, "orders-bus", {"name": "orders", "tags": DEFAULT_TAGS}),
             Res(BUS, "audit-bus", {"name": "audit", "tags": DEFAULT_TAGS}),
             Res("aws:ssm/parameter:Parameter", "bus-names", {"name": "buses", "type": "String", "value": "orders",
                                                               "tags": DEFAULT_TAGS}),
             Res(PERMISSION, "permission", {"statementId": "s", "principal": "*",
                                            **({} if bus is None else {"eventBusName": bus})},
                 {"eventBusName": refs} if refs else {})]
    [(_, _, message)] = findings(analyze(stack, {"all": "disabled", PUBLIC: "mandatory"}))
    assert message.startswith(f"event permission permission lets principal * put events on {named} with no condition")


@pytest.mark.parametrize("name, refs, named", [
    ("orders", [], "the orders event bus"),
    # Pulumi's auto-name, whose random part the update draws afresh; one unknown in a first preview, or made from
    # another resource's output: the bus's resource name, worded as such.
    ("orders-bus-4f0c2a1", [], "the event bus of resource orders-bus"),
    (UNKNOWN, [], "the event bus of resource orders-bus"),
    ("orders", ["bus-names"], "the event bus of resource orders-bus")])
def test_an_open_permission_names_a_stack_bus_by_the_name_the_program_writes(name, refs, named):
    stack = [Res(BUS, "orders-bus", {"name": name, "tags": DEFAULT_TAGS}, {"name": refs} if refs else {}),
             Res("aws:ssm/parameter:Parameter", "bus-names", {"name": "buses", "type": "String", "value": "orders",
                                                               "tags": DEFAULT_TAGS}),
             Res(PERMISSION, "permission", {"statementId": "s", "principal": "*", "eventBusName": UNKNOWN},
                 {"eventBusName": ["orders-bus"]})]
    [(_, _, message)] = findings(analyze(stack, {"all": "disabled", PUBLIC: "mandatory"}))
    assert message.startswith(f"event permission permission lets principal * put events on {named} with no condition")


@pytest.mark.parametrize("action, uses, fix", [
    ("events:PutEvents", "put events on the bus", "send events"),
    (["events:PutRule", "events:PutTargets"], "manage the bus's rules and targets", "manage rules"),
    ("events:DescribeRule", "read the bus's rules and targets", "read rules"),
    (["events:ListTargetsByRule", "events:DeleteRule"], "manage and read the bus's rules and targets",
     "manage and read rules"),
    # A wildcard of them, every action, or all but one.
    ("events:Put*", "put events on the bus and manage its rules and targets", "send events or manage rules"),
    ("*", "put events on the bus and manage and read its rules and targets", "send events or manage and read rules"),
    ({"NotAction": "events:PutEvents"}, "manage and read the bus's rules and targets", "manage and read rules"),
    # None of them: still public, said plainly.
    ("events:DescribeEventBus", "use the bus", "use it")])
def test_an_open_bus_policy_says_what_its_actions_let_every_account_do(action, uses, fix):
    actions = action if isinstance(action, dict) else {"Action": action}
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Open", "Effect": "Allow", "Principal": "*", **actions, "Resource": "*"}]})
    [(_, _, message)] = findings(analyze([Res(BUS_POLICY, "default-policy", {"policy": document})],
                                         {"all": "mandatory"}))
    assert message.endswith(f"any AWS account's principals may {uses}; name the accounts that {fix}, or add a "
                            "condition such as StringEquals aws:PrincipalOrgID <your organization>")


def test_the_known_actions_beside_one_unknown_until_the_update_are_said():
    document = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": ["events:PutEvents", UNKNOWN], "Resource": "*"}]}
    [(_, _, message)] = findings(analyze([Res(BUS_POLICY, "partly-known", {"policy": document})], {"all": "mandatory"}))
    assert "any AWS account's principals may put events on the bus;" in message


def test_an_action_unknown_until_the_update_is_worded_plainly_and_stops_no_other_bus():
    unknown = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": UNKNOWN, "Resource": "*"}]}
    policies = [Res(BUS_POLICY, "unknown-policy", {"policy": unknown}),
                Res(BUS_POLICY, "default-policy", {"policy": _policy("*")})]
    messages = {name: message for _, name, message in findings(analyze(policies, {"all": "mandatory"}))}
    assert ("may use the bus;" in messages.get("unknown-policy", ""),
            "may put events on the bus;" in messages.get("default-policy", "")) == (True, True)


@pytest.mark.parametrize("bus, holders, reported", [
    ({"name": "orders"}, [], True),
    # Named by a policy or a permission, by its literal name; a permission on the default bus names another.
    ({"name": "orders"}, [(BUS_POLICY, {"eventBusName": "orders"}, [])], False),
    ({"name": "orders"}, [(PERMISSION, {"eventBusName": "orders", "principal": "210987654321"}, [])], False),
    ({"name": "orders"}, [(PERMISSION, {"principal": "210987654321"}, [])], True),
    ({"name": "orders"}, [(BUS_POLICY, {"eventBusName": "audit"}, [])], True),
    # Made from the bus, unknown until the update; made from another bus, that one's.
    ({"name": "orders"}, [(BUS_POLICY, {"eventBusName": UNKNOWN}, ["bus"])], False),
    ({"name": "orders"}, [(BUS_POLICY, {"eventBusName": UNKNOWN}, ["audit-bus"])], True),
    # The bus's own name unknown: a policy by a name written out may be its.
    ({"name": UNKNOWN}, [(BUS_POLICY, {"eventBusName": "orders"}, [])], False),
    ({"name": UNKNOWN}, [], True),
    # A partner bus (its event source known or not), and the account's default bus, are not asked.
    ({"name": "aws.partner/saas.example.com/1/orders", "eventSourceName": "aws.partner/saas.example.com/1/orders"},
     [], False),
    ({"name": UNKNOWN, "eventSourceName": UNKNOWN}, [], False),
    ({"name": "default"}, [], False),
])
def test_a_custom_bus_has_a_resource_policy(bus, holders, reported):
    stack = [Res(BUS, "bus", {**bus, "tags": DEFAULT_TAGS}),
             Res(BUS, "audit-bus", {"name": "audit", "tags": DEFAULT_TAGS})]
    stack += [Res(kind, f"holder-{index}", {"statementId": "s", **props} if kind == PERMISSION else props,
                  {"eventBusName": refs} if refs else {}) for index, (kind, props, refs) in enumerate(holders)]
    found = findings(analyze(stack, {"all": "disabled", ATTACHED: "mandatory"}))
    assert ("bus" in {name for _, name, _ in found}) == reported


@pytest.mark.parametrize("props, reported", [
    ({"replicationConfig": {"state": "DISABLED"}}, True),
    ({"replicationConfig": {"state": "ENABLED"}}, False),
    # Left out, with or without the block: EventBridge replicates (CreateEndpoint's default, ENABLED).
    ({"replicationConfig": {}}, False), ({}, False),
    ({"replicationConfig": {"state": UNKNOWN}}, False), ({"replicationConfig": UNKNOWN}, False),
])
def test_a_global_endpoint_replicates_its_events(props, reported):
    endpoint = Res("aws:cloudwatch/eventEndpoint:EventEndpoint", "endpoint", {"name": "orders", **props})
    assert (REPLICATION in policies_found([endpoint])) == reported
