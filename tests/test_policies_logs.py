"""Encryption at rest: CloudWatch Logs, KMS, SNS and SQS guardrails against tests/programs/policy_logs (raw log groups,
KMS keys, SNS topics and SQS queues)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings, messages,
                                         pairs, policies_found, program_fixtures)

PROGRAM = "policy_logs"
M = "mandatory"
ENCRYPTED, KEY_ALLOWS = "cloudwatch-log-group-kms-encrypted", "cloudwatch-log-group-key-allows-logs"
ROTATION, NOT_PUBLIC = "kms-key-rotation", "kms-key-policy-not-public"
TOPIC_KMS, TOPIC_PUBLIC = "sns-topic-kms-encrypted", "sns-topic-policy-not-public"
SUBSCRIPTION_HTTPS = "sns-subscription-https"
QUEUE_SSE, QUEUE_PUBLIC = "sqs-queue-encrypted", "sqs-queue-policy-not-public"
NAMES_UNIQUE = "cloudwatch-names-unique"
ALARM_ACTIONS, ACTIONS_ENABLED = "cloudwatch-alarm-actions", "cloudwatch-alarm-actions-enabled"
RETENTION = "cloudwatch-log-group-retention"


def named(name: str, noun: str, scope: str, call: str) -> str:
    return (f"{name!r} names another {noun} {scope} too: {call} creates or updates by name, so they overwrite each "
            "other at every update; give each its own name")


CONFIG = {"all": "mandatory", ALARM_ACTIONS: {"exemptAlarms": ["elsewhere-*"]},
          RETENTION: {"exemptLogGroups": ["/app/scratch/*"]}}
ORDERS_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/app/orders"
ORDERS_GROUP_POLICIES = (f"{ORDERS_GROUP!r} names another log group resource policy in its region too: "
                         "PutResourcePolicy creates or updates by resourceArn, so they overwrite each other at every "
                         "update; merge their statements into one policy")

FAILING = [
    Finding(ENCRYPTED, "bare-logs", M, "kmsKeyId is not set; the group is encrypted only with CloudWatch Logs' own key"),
    Finding(KEY_ALLOWS, "admin-only-logs", M,
            "key admin-only-key: its policy does not allow the logs.<region>.amazonaws.com service principal"),
    Finding(KEY_ALLOWS, "no-context-logs", M,
            "key no-context-key: its CloudWatch Logs grant has no kms:EncryptionContext:aws:logs:arn condition, so "
            "the key is not limited to this account's log groups (best practice"),
    Finding(KEY_ALLOWS, "narrow-logs", M,
            "key narrow-key: its kms:EncryptionContext:aws:logs:arn patterns do not cover the ARN of log group /app/narrow"),
    Finding(KEY_ALLOWS, "default-policy-logs", M,
            "key default-policy-key has no policy (neither its own nor an aws.kms.KeyPolicy), so KMS gives it the "
            "default key policy, which grants logs.<region>.amazonaws.com nothing and CreateLogGroup or "
            "AssociateKmsKey fails"),
    Finding(KEY_ALLOWS, "separate-admin-only-logs", M,
            "key separate-admin-only-key (policy in KeyPolicy separate-admin-only-policy): its policy does not allow "
            "the logs.<region>.amazonaws.com service principal"),
    # An explicit Deny of what CloudWatch Logs needs overrides the grant.
    Finding(KEY_ALLOWS, "denied-logs", M,
            "key denied-key: its policy statement NoLogs denies CloudWatch Logs kms:GenerateDataKey, kms:Decrypt, "
            "kms:Encrypt, and an explicit Deny overrides its grant, so CreateLogGroup or AssociateKmsKey fails"),
    Finding(KEY_ALLOWS, "ireland-logs", M,
            "key ireland-key: its policy allows CloudWatch Logs of us-east-1 only (logs.<region>.amazonaws.com), and "
            "the group is in eu-west-1"),
    Finding(KEY_ALLOWS, "asymmetric-logs", M,
            "key asymmetric-key has spec RSA_2048 and usage ENCRYPT_DECRYPT, and CloudWatch Logs supports only "
            "symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), so CreateLogGroup or AssociateKmsKey "
            "fails"),
    Finding(KEY_ALLOWS, "hmac-logs", M,
            "key hmac-key has spec HMAC_256 and usage GENERATE_VERIFY_MAC, and CloudWatch Logs supports only symmetric "
            "encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), so CreateLogGroup or AssociateKmsKey fails"),
    Finding(KEY_ALLOWS, "disabled-logs", M,
            "key disabled-key is disabled (isEnabled is false), and CreateLogGroup or AssociateKmsKey refuses a "
            "disabled key; enable it"),
    *(Finding(RETENTION, resource, M,
              f"retentionInDays is {days}: CloudWatch Logs deletes each event after {days} days, fewer than the 365 "
              "days knob minRetentionTime asks; set at least 365 (or 0, never expire), or list the group in "
              "exemptLogGroups") for resource, days in (("short-logs", 14), ("later-short-logs", 30))),
    Finding(TOPIC_KMS, "plain-topic", M, "kmsMasterKeyId is not set; messages wait on the topic unencrypted"),
    Finding(SUBSCRIPTION_HTTPS, "pager-http", M, "protocol is http: SNS posts every message, and the subscription's "
                                                 "confirmation, to its endpoint in plain text"),
    Finding(QUEUE_SSE, "plain-queue", M, "sqsManagedSseEnabled is false and kmsMasterKeyId is not set; messages wait "
                                         "on the queue unencrypted"),
    Finding(ROTATION, "stale-key", M, "enableKeyRotation is not true; the key's material never changes"),
    Finding(NOT_PUBLIC, "public-key", M, "key public-key statement EveryoneDecrypts allows Principal * with no "
                                         "condition naming an account or organization"),
    Finding(TOPIC_PUBLIC, "public-topic", M, "topic public-topic statement AnyonePublishes allows Principal * with "
                                             "no condition naming an account, organization or source"),
    Finding(TOPIC_PUBLIC, "open-policy-topic", M, "topic open-policy-topic (policy in TopicPolicy open-topic-policy) "
                                                  "statement AnyonePublishes allows Principal *"),
    Finding(QUEUE_PUBLIC, "public-queue", M, "queue public-queue (policy in QueuePolicy public-queue-policy) statement "
                                             "AnyoneSends allows Principal * with no condition"),
    Finding(QUEUE_PUBLIC, "maybe-service-queue", M,
            "queue maybe-service-queue (policy in QueuePolicy maybe-service-queue-policy) statement AnyoneSends allows "
            "Principal * with no condition naming an account, organization or source: any AWS account's principals "
            "may use the queue"),
    Finding(TOPIC_PUBLIC, "service-pattern-topic", M,
            "topic service-pattern-topic statement AnyonePublishes allows Principal * with no condition naming an "
            "account, organization or source: any AWS account's principals may use the topic"),
    *(Finding(NAMES_UNIQUE, resource, M, named(name, noun, scope, call)) for resource, name, noun, scope, call in (
        ("orders-alarm", "orders-5xx", "alarm", "in its region", "PutMetricAlarm"),
        ("orders-alarm-again", "orders-5xx", "alarm", "in its region", "PutMetricAlarm"),
        ("orders-composite", "orders-5xx", "alarm", "in its region", "PutCompositeAlarm"),
        ("west-alarm", "latency", "alarm", "in its region", "PutMetricAlarm"),
        ("west-alarm-again", "latency", "alarm", "in its region", "PutMetricAlarm"),
        ("ops-dashboard", "ops", "dashboard", "in the account", "PutDashboard"),
        ("ops-dashboard-again", "ops", "dashboard", "in the account", "PutDashboard"),
        ("billing-rule", "billing", "rule", "on its event bus", "PutRule"),
        ("billing-rule-again", "billing", "rule", "on its event bus", "PutRule"),
        # One by the ARN of the default bus of the account and region of the other's pinned provider.
        ("pinned-forward-rule", "forward", "rule", "on its event bus", "PutRule"),
        ("pinned-forward-rule-by-arn", "forward", "rule", "on its event bus", "PutRule"),
        ("orders-errors-filter", "errors", "metric filter", "on its log group", "PutMetricFilter"),
        ("orders-errors-filter-again", "errors", "metric filter", "on its log group", "PutMetricFilter"),
        ("audit-account-alarm", "latency", "alarm", "in its region", "PutMetricAlarm"),
        ("audit-account-alarm-again", "latency", "alarm", "in its region", "PutMetricAlarm"),
        ("audit-pinned-alarm", "latency", "alarm", "in its region", "PutMetricAlarm"),
        # One profile (one of them known only after the update), and two profiles pinned to one account by
        # allowedAccountIds: one account.
        ("production-errors-alarm", "errors", "alarm", "in its region", "PutMetricAlarm"),
        ("later-profile-errors-alarm", "errors", "alarm", "in its region", "PutMetricAlarm"),
        ("production-errors-alarm-again", "errors", "alarm", "in its region", "PutMetricAlarm"),
        ("pinned-errors-alarm", "errors", "alarm", "in its region", "PutMetricAlarm"),
        ("pinned-errors-alarm-again", "errors", "alarm", "in its region", "PutMetricAlarm"),
        ("central-destination", "central", "log destination", "in its region", "PutDestination"),
        ("central-destination-again", "central", "log destination", "in its region", "PutDestination"),
        ("api-source", "api", "delivery source", "in its region", "PutDeliverySource"),
        ("api-source-again", "api", "delivery source", "in its region", "PutDeliverySource"),
        ("archive-destination", "archive", "delivery destination", "in its region", "PutDeliveryDestination"),
        ("archive-destination-again", "archive", "delivery destination", "in its region", "PutDeliveryDestination"),
        ("delivery-policy", "log-delivery", "account resource policy", "in its region", "PutResourcePolicy"),
        ("delivery-policy-again", "log-delivery", "account resource policy", "in its region", "PutResourcePolicy"),
        ("ship-policy", "ship", "account policy", "of its type in its region", "PutAccountPolicy"),
        ("ship-policy-again", "ship", "account policy", "of its type in its region", "PutAccountPolicy"))),
    *(Finding(ALARM_ACTIONS, resource, M,
              f"alarmActions is {state} and nothing in the stack acts on the alarm's state: it goes into ALARM and no "
              "action runs, so no one is told; add an SNS topic (or a Lambda function, an OpsItem or another action) "
              "ARN, or list the alarm in exemptAlarms if a resource of another stack watches it (a composite alarm, "
              "a deployment that rolls back on it, a Route 53 health check)")
      for resource, state in (("silent-alarm", "unset"), ("empty-actions-alarm", "empty"),
                              ("silent-composite", "unset"))),
    *(Finding(ACTIONS_ENABLED, resource, M,
              "actionsEnabled is false: CloudWatch runs none of the alarm's actions (alarmActions, okActions, "
              "insufficientDataActions) when its state changes, so no one is told; leave it out (true by default) or "
              "set it true") for resource in ("muted-alarm", "muted-composite")),
    # Two policies of one log group: PutResourcePolicy keeps one per group's ARN.
    *(Finding(NAMES_UNIQUE, resource, M, ORDERS_GROUP_POLICIES) for resource in ("orders-group-policy",
                                                                                  "orders-group-policy-again")),
]
PASSING = [(ENCRYPTED, "good-logs"), (KEY_ALLOWS, "good-logs"), (ENCRYPTED, "narrow-logs"),
           (KEY_ALLOWS, "separate-good-logs"), (ROTATION, "good-key"), (ROTATION, "mac-key"),
           # A Deny of actions CloudWatch Logs does not need; a conditional one (it may not hold: not judged); a
           # grant to the region the group's provider is in.
           (KEY_ALLOWS, "kept-logs"), (KEY_ALLOWS, "conditional-deny-logs"), (KEY_ALLOWS, "ireland-good-logs"),
           (KEY_ALLOWS, "symmetric-logs"),
           (NOT_PUBLIC, "organization-key"), (NOT_PUBLIC, "good-key"), (TOPIC_KMS, "sealed-topic"),
           (SUBSCRIPTION_HTTPS, "pager-https"),
           (QUEUE_SSE, "default-queue"), (QUEUE_SSE, "sealed-queue"),
           (TOPIC_PUBLIC, "plain-topic"), (TOPIC_PUBLIC, "replaced-policy-topic"), (QUEUE_PUBLIC, "default-queue"),
           (QUEUE_PUBLIC, "topic-fed-queue"), (QUEUE_PUBLIC, "replaced-policy-queue"),
           # Everyone narrowed to AWS services: one named, or any.
           (QUEUE_PUBLIC, "service-named-queue"), (QUEUE_PUBLIC, "any-service-queue"),
           (TOPIC_PUBLIC, "service-list-topic"),
           (QUEUE_SSE, "replaced-policy-queue"),
           (NAMES_UNIQUE, "eu-orders-alarm"), (NAMES_UNIQUE, "audit-account-dashboard"), (NAMES_UNIQUE, "audit-rule"),
           (NAMES_UNIQUE, "audit-rule-partner-bus"), (NAMES_UNIQUE, "billing-errors-filter"),
           # On another account's bus, by its ARN: not the default account's rule or target of that name.
           (NAMES_UNIQUE, "orders-rule"), (NAMES_UNIQUE, "central-orders-rule"), (NAMES_UNIQUE, "orders-target"),
           (NAMES_UNIQUE, "central-orders-target"),
           # In another region; the one resource policy of another log group.
           (NAMES_UNIQUE, "ireland-central-destination"), (NAMES_UNIQUE, "billing-group-policy"),
           # An account policy of another type, or in another region.
           (NAMES_UNIQUE, "ship-index-policy"), (NAMES_UNIQUE, "ireland-ship-policy"),
           # Another profile, and static keys of its own: other accounts than production's and the pinned one.
           (NAMES_UNIQUE, "staging-errors-alarm"), (NAMES_UNIQUE, "static-keys-errors-alarm"),
           # The on-call topic (its ARN unknown in a first preview), a Lambda function's ARN; a composite's child (the
           # rule made from its name, unknown in a first preview); one named in exemptAlarms.
           (ALARM_ACTIONS, "orders-alarm"), (ALARM_ACTIONS, "orders-composite"), (ALARM_ACTIONS, "lambda-action-alarm"),
           (ALARM_ACTIONS, "cpu-child-alarm"), (ALARM_ACTIONS, "watched-elsewhere-alarm"),
           # Left out (true by default), or true.
           (ACTIONS_ENABLED, "orders-alarm"), (ACTIONS_ENABLED, "orders-composite"), (ACTIONS_ENABLED, "enabled-alarm"),
           # A year; never expire (0, or left out); a DELIVERY class group (the provider ignores its period); exempted.
           *((RETENTION, r) for r in ("good-logs", "never-expire-logs", "unset-retention-logs", "delivery-logs",
                                      "scratch-logs"))]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("stack", ["dev", "prod", "iot", "prod-eu"])
def test_every_log_group_of_the_shipped_stacks_is_encrypted_with_a_key_that_allows_it(request, stack):
    fixture = {"dev": "dev_preview", "prod": "prod_preview", "iot": "iot_preview", "prod-eu": "prod_eu_preview"}
    preview = request.getfixturevalue(fixture[stack])
    groups = preview.find("aws:cloudwatch/logGroup:LogGroup")
    assert groups and all(g.inputs.get("kmsKeyId") for g in groups)
    assert not [v for v in preview.violations if v.policy in (ENCRYPTED, KEY_ALLOWS)]


def test_a_log_key_that_does_not_cover_a_group_fails_the_real_stack(monkeypatch):
    """The stack policy reads the real LogKey's policy: scope it away from the VPC's groups and they fail."""
    from components import naming
    from tests.conftest import ROOT
    from tools.preview import run_preview

    real = naming.log_group_patterns
    monkeypatch.setattr(naming, "log_group_patterns", lambda env: tuple(p for p in real(env) if p != f"/{env}/*"))
    # Its own run: the session's shared dev preview was built from the unpatched names.
    result = run_preview("dev", ROOT, ROOT / "policies", ROOT / "policies" / "config" / "dev.json")
    assert result.error is None, result.error
    failing = {v.name for v in result.violations if v.policy == KEY_ALLOWS}
    assert {"dev-network-flow-logs", "dev-egress-dns-queries", "dev-api-access-logs"} <= failing
    assert "dev-api-execution-logs" not in failing  # still covered by API-Gateway-Execution-Logs_*


def test_a_first_preview_takes_a_log_groups_region_from_its_provider(result, first_preview):
    """The group's ARN is unknown until it exists; its provider says where it is all the same, so a key granting
    another region's CloudWatch Logs fails a first preview as it fails a full one."""
    reported = (KEY_ALLOWS, "ireland-logs")
    assert reported in pairs(first_preview)
    assert messages(first_preview, *reported) == messages(result, *reported)


def test_a_name_unknown_until_the_update_only_leaves_its_alarm_out():
    """Every member of a group is reported with a message naming none of the others: a rerun where one name is
    unknown reports a subset, never a message the full preview did not have."""
    def alarms(first_name):
        return [Res("aws:cloudwatch/metricAlarm:MetricAlarm", n, {"name": v, "tags": {}})
                for n, v in (("a-alarm", first_name), ("b-alarm", "x"), ("c-alarm", "x"))]

    config = {"all": "disabled", NAMES_UNIQUE: "mandatory"}
    full, rerun = (findings(analyze(alarms(name), config)) for name in ("x", UNKNOWN))
    assert {name for _, name, _ in full} == {"a-alarm", "b-alarm", "c-alarm"}
    assert rerun and rerun <= full and {name for _, name, _ in rerun} == {"b-alarm", "c-alarm"}


def test_an_alarm_whose_providers_profile_is_unknown_until_the_update_is_left_out(result, first_preview):
    """Its account is unknown: no verdict on it, while the two alarms known to share production's account and
    us-west-2 are still reported."""
    later = (NAMES_UNIQUE, "later-profile-errors-alarm")
    assert later in pairs(result) and later not in pairs(first_preview)
    assert {(NAMES_UNIQUE, "production-errors-alarm"), (NAMES_UNIQUE, "production-errors-alarm-again")} <= pairs(
        first_preview)


def test_an_account_pinned_unquoted_is_one_and_the_default_providers_pin_is_the_ambient_credentials():
    """An id written unquoted in YAML reaches a provider as a number, which it reads as text; the engine's default
    provider's pin is the ambient credentials' account, which an explicit provider without credentials uses too."""
    from types import SimpleNamespace

    from guardrails.core.stack import account_of

    def with_provider(name: str, ids: str):
        return SimpleNamespace(provider=SimpleNamespace(name=name, props={"allowedAccountIds": ids}))

    assert account_of(with_provider("prod", "[111122223333]")) == ("account", "111122223333")
    assert account_of(with_provider("prod", '["111122223333"]')) == ("account", "111122223333")
    assert account_of(with_provider("default_7_51_1", '["111122223333"]')) == ("default account",)
    assert account_of(SimpleNamespace(provider=SimpleNamespace(name="east", props={"region": "us-east-1"}))) == (
        "default account",)


# Unscoped, so the verdict shows whether a Deny was judged at all: a Deny that surely holds fails the group; one that
# surely does not, or only may, leaves the best-practice finding (the grant is unscoped either way).
GRANT = {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Resource": "*",
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"]}
DENY = {"Sid": "Deny", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}


@pytest.mark.parametrize("deny, region, key_arn, denied", [
    ({**DENY, "Principal": "*"}, "us-east-1", None, True),
    ({**DENY, "Principal": {"Service": "logs.us-east-1.amazonaws.com"}}, "us-east-1", None, True),
    ({**DENY, "Principal": {"Service": "logs.eu-west-1.amazonaws.com"}}, "us-east-1", None, False),
    # A NotPrincipal Deny holds for everyone it does not name.
    ({**DENY, "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}}, "us-east-1", None, True),
    ({**DENY, "NotPrincipal": {"Service": "logs.us-east-1.amazonaws.com"}}, "us-east-1", None, False),
    ({**DENY, "Principal": "*", "Action": "kms:ScheduleKeyDeletion"}, "us-east-1", None, False),
    ({**DENY, "Principal": "*", "NotAction": "kms:Decrypt*"}, "us-east-1", None, True),  # Encrypt, GenerateDataKey
    # Another key's ARN; an ARN pattern while the key's ARN is unknown (can't tell).
    ({**DENY, "Principal": "*", "Resource": "arn:aws:kms:us-east-1:123456789012:key/other"}, "us-east-1",
     "arn:aws:kms:us-east-1:123456789012:key/this", False),
    ({**DENY, "Principal": "*", "Resource": "arn:aws:kms:us-east-1:123456789012:key/*"}, "us-east-1", None, None),
    # A Condition holds for some requests only; a regional principal while the group's region is unknown.
    ({**DENY, "Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, "us-east-1", None, None),
    ({**DENY, "Principal": {"Service": "logs.us-east-1.amazonaws.com"}}, None, None, None),
])
def test_a_deny_in_the_key_policy_fails_the_group_only_where_it_surely_holds(deny, region, key_arn, denied):
    from guardrails.cloudwatch.log_group import _logs_grant_problem

    arn = ["arn", "aws", "logs", region, "123456789012", "log-group:/app/one"]
    problem = _logs_grant_problem({"Statement": [GRANT, deny]}, arn, key_arn)
    # A Deny that only may hold leaves the grant as it is: here unscoped, as without the Deny.
    expected = "an explicit Deny overrides its grant" if denied else "has no kms:EncryptionContext:aws:logs:arn"
    assert expected in problem
    scoped = {**GRANT, "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*:*:*"}}}
    assert (_logs_grant_problem({"Statement": [scoped, deny]}, arn, key_arn) is None) is (denied is not True)


@pytest.mark.parametrize("condition, reported", [
    ({"StringEquals": {"aws:PrincipalServiceName": "sns.amazonaws.com"}}, False),
    ({"StringEquals": {"AWS:PrincipalServiceName": ["sns.amazonaws.com", "events.amazonaws.com"]}}, False),
    ({"ForAnyValue:StringEquals": {"aws:PrincipalServiceNamesList": "sns.amazonaws.com"}}, False),
    ({"StringLike": {"aws:PrincipalServiceName": "sns.amazonaws.com"}}, False),
    ({"Bool": {"aws:PrincipalIsAWSService": "true"}}, False),
    ({"Bool": {"aws:PrincipalIsAWSService": True}}, False),
    # A value unknown until the update may name a service.
    ({"StringEquals": {"aws:PrincipalServiceName": UNKNOWN}}, False),
    ({"Bool": {"aws:PrincipalIsAWSService": UNKNOWN}}, False),
    # A pattern, a negation, ForAllValues (true without the key), a policy variable, or a flag that every user's or
    # role's request meets (false, either value, or IfExists: a request without the key) names no service.
    ({"StringLike": {"aws:PrincipalServiceName": "*.amazonaws.com"}}, True),
    ({"StringNotEquals": {"aws:PrincipalServiceName": "sns.amazonaws.com"}}, True),
    ({"ForAllValues:StringEquals": {"aws:PrincipalServiceNamesList": "sns.amazonaws.com"}}, True),
    ({"StringEquals": {"aws:PrincipalServiceName": "${aws:PrincipalServiceName}"}}, True),
    ({"Bool": {"aws:PrincipalIsAWSService": "false"}}, True),
    ({"Bool": {"aws:PrincipalIsAWSService": ["true", "false"]}}, True),
    ({"BoolIfExists": {"aws:PrincipalIsAWSService": "true"}}, True),
])
def test_everyone_narrowed_to_aws_services_is_what_a_service_principal_is(condition, reported):
    """Principal * under a Condition that only AWS service principals meet (their fixed names, or any service's flag)
    grants what Principal {"Service": ...} grants them: DynamoDB's block public access counts it as not public, AWS's
    rule for DynamoDB that the pack extends to the other resource policies."""
    queue = Res("aws:sqs/queue:Queue", "jobs", {"name": "jobs", "tags": {}, "policy": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
                                                "Resource": "*", "Condition": condition}]}})
    assert (QUEUE_PUBLIC in policies_found([queue])) == reported


@pytest.mark.parametrize("protocol, reported", [
    ("https", False), ("email", False), ("sqs", False), ("lambda", False), (UNKNOWN, False), ("http", True),
    ("HTTP", True)])
def test_an_sns_subscription_posts_to_a_web_endpoint_over_https_only(protocol, reported):
    subscription = Res("aws:sns/topicSubscription:TopicSubscription", "pager", {
        "topic": "arn:aws:sns:us-east-1:123456789012:alerts", "protocol": protocol,
        "endpoint": "https://events.pager.example.com/enqueue"})
    assert ("sns-subscription-https" in policies_found([subscription])) == reported


@pytest.mark.parametrize("endpoint", ["http://svc:s3cr3t@hooks.example.com/integration/KEY123/enqueue?token=t0k",
                                      UNKNOWN])
def test_an_http_subscription_is_told_the_same_whatever_its_endpoint_says(endpoint):
    """An endpoint made from another resource's output is unknown on a first preview: the text must not change with
    it, and a known one's user, password, path, query or host may carry a credential."""
    subscription = Res("aws:sns/topicSubscription:TopicSubscription", "pager", {
        "topic": "arn:aws:sns:us-east-1:123456789012:alerts", "protocol": "http", "endpoint": endpoint})
    [(_, _, message)] = findings(analyze([subscription], {"all": "mandatory"}))
    assert message.endswith("protocol is http: SNS posts every message, and the subscription's confirmation, to its "
                            "endpoint in plain text, which anyone on the way can read or change; use https")


@pytest.mark.parametrize("bus_arn, other_bus, reported", [
    ("arn:aws:events:us-east-1:123456789012:event-bus/shop", "123456789012", True),
    # Another account's bus of that name is another bus.
    ("arn:aws:events:us-east-1:123456789012:event-bus/shop", "999999999999", False),
    # The stack's bus not made yet (a first preview): its provider's account is not known, so nothing is grouped.
    (UNKNOWN, "123456789012", False),
])
def test_a_rule_on_a_stack_bus_by_name_shares_it_with_one_by_the_buss_arn(bus_arn, other_bus, reported):
    """A rule on bus `shop` by name is in its provider's account, which the stack's bus's own ARN names: a rule of
    that name on the bus given by its ARN overwrites it (and back) at every update."""
    pattern = '{"source": ["shop"]}'
    resources = [
        Res("pulumi:providers:aws", "east", {"region": "us-east-1"}),
        Res("aws:cloudwatch/eventBus:EventBus", "shop-bus", {"name": "shop", "arn": bus_arn, "tags": {}},
            provider="east"),
        Res("aws:cloudwatch/eventRule:EventRule", "by-name", {"name": "dup", "eventBusName": "shop",
                                                              "eventPattern": pattern, "tags": {}}, provider="east"),
        Res("aws:cloudwatch/eventRule:EventRule", "by-arn", {
            "name": "dup", "eventBusName": f"arn:aws:events:us-east-1:{other_bus}:event-bus/shop",
            "eventPattern": pattern, "tags": {}}),
    ]
    found = {name for policy, name, _ in findings(analyze(resources, {"all": "disabled", NAMES_UNIQUE: "mandatory"}))}
    assert found == ({"by-name", "by-arn"} if reported else set())


@pytest.mark.parametrize("key, reported", [
    ("arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab", False),
    ("arn:aws:kms:us-east-1:123456789012:alias/logs", False),
    ("0123abcd-0123-4567-89ab-0123456789ab", True),
    ("alias/logs", True),
    (UNKNOWN, False),
])
def test_a_log_groups_key_is_named_by_its_arn(key, reported):
    """CreateLogGroup takes the key's ARN, or its alias's (CloudFormation's schema); a key id fails ("The specified
    KMS Key Id could not be found"). A value unknown until the update is not judged."""
    group = Res("aws:cloudwatch/logGroup:LogGroup", "app-logs", {"name": "/app/api", "kmsKeyId": key, "tags": {}})
    found = findings(analyze([group], {"all": "disabled", ENCRYPTED: "mandatory"}))
    expected = (f"kmsKeyId {key} is not an ARN: CreateLogGroup and AssociateKmsKey take the key's ARN (or its alias's "
                "ARN) and refuse a key id or alias name, so the group is not made; use the key's arn")
    assert found == ({(ENCRYPTED, "app-logs", expected)} if reported else set())


def test_metric_streams_event_targets_and_subscription_filters_are_upserted_by_name_too():
    """PutMetricStream, PutTargets and PutSubscriptionFilter create or update, and the provider makes each with the
    Put call itself: one name (a target's id on one rule of one bus, a filter's on one log group) is one resource.
    A target without a targetId is given one of its own; one on a bus unknown until the update is not judged. A bus
    named by its ARN is the one of that name in the account of a provider pinned to the ARN's account."""
    stream = {"firehoseArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/central", "outputFormat": "json",
              "roleArn": "arn:aws:iam::123456789012:role/streams", "tags": {}}
    queue = "arn:aws:sqs:us-east-1:123456789012:q"
    flt = {"destinationArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/central", "filterPattern": ""}
    resources = [
        Res("pulumi:providers:aws", "pinned", {"region": "us-east-1", "allowedAccountIds": '["123456789012"]'}),
        Res("aws:cloudwatch/metricStream:MetricStream", "central-stream", {"name": "central", **stream}),
        Res("aws:cloudwatch/metricStream:MetricStream", "central-stream-again", {"name": "central", **stream}),
        Res("aws:cloudwatch/metricStream:MetricStream", "other-stream", {"name": "other", **stream}),
        Res("aws:cloudwatch/eventTarget:EventTarget", "fanout-target", {"rule": "orders", "targetId": "fanout",
                                                                         "eventBusName": "shop", "arn": queue},
            provider="pinned"),
        Res("aws:cloudwatch/eventTarget:EventTarget", "fanout-target-again", {
            "rule": "orders", "targetId": "fanout", "arn": queue,
            "eventBusName": "arn:aws:events:us-east-1:123456789012:event-bus/shop"}),
        Res("aws:cloudwatch/eventTarget:EventTarget", "default-bus-target", {"rule": "orders", "targetId": "fanout",
                                                                              "arn": queue}),
        Res("aws:cloudwatch/eventTarget:EventTarget", "later-bus-target", {"rule": "orders", "targetId": "fanout",
                                                                            "eventBusName": UNKNOWN, "arn": queue}),
        Res("aws:cloudwatch/eventTarget:EventTarget", "unnamed-target", {"rule": "orders", "eventBusName": "shop",
                                                                          "arn": queue}),
        Res("aws:cloudwatch/eventTarget:EventTarget", "unnamed-target-again", {"rule": "orders", "arn": queue,
                                                                                "eventBusName": "shop"}),
        Res("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "ship-filter", {
            "name": "ship", "logGroup": "/app/api", **flt}),
        Res("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "ship-filter-again", {
            "name": "ship", "logGroup": "/app/api", **flt}),
        Res("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "ship-worker-filter", {
            "name": "ship", "logGroup": "/app/worker", **flt}),
    ]
    found = findings(analyze(resources, {"all": "disabled", NAMES_UNIQUE: "mandatory"}))
    assert found == {
        (NAMES_UNIQUE, "central-stream", named("central", "metric stream", "in its region", "PutMetricStream")),
        (NAMES_UNIQUE, "central-stream-again", named("central", "metric stream", "in its region", "PutMetricStream")),
        *((NAMES_UNIQUE, name, named("fanout", "target", "on its rule", "PutTargets").replace("by name", "by id")
           .replace("its own name", "its own id")) for name in ("fanout-target", "fanout-target-again")),
        *((NAMES_UNIQUE, name, named("ship", "subscription filter", "on its log group", "PutSubscriptionFilter"))
          for name in ("ship-filter", "ship-filter-again"))}


@pytest.mark.parametrize("known, linked", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("policy, reported", [
    ({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*",
                     "Resource": "*"}]}, True),
    ({"Statement": [{**GRANT, "Condition": {"ArnLike": {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:/app/*"}}}]}, False),
])
def test_a_log_group_keyed_by_an_alias_arn_is_judged_by_the_aliased_keys_policy(policy, reported, known, linked):
    """CreateLogGroup takes an alias's ARN for the key it points to (CloudFormation's AWS::Logs::LogGroup schema):
    the key policy that decides is that key's, whether the values come from the alias and key or are written out.
    Told the same before the alias and key exist (the group's kmsKeyId and the alias's targetKeyId then known only as
    references)."""
    import json

    key_arn, alias_arn = ("arn:aws:kms:us-east-1:123456789012:key/0123abcd",
                          "arn:aws:kms:us-east-1:123456789012:alias/logs")
    key = Res("aws:kms/key:Key", "logs-key", {"policy": json.dumps(policy), "enableKeyRotation": True, "tags": {},
                                              **({"arn": key_arn, "keyId": "0123abcd"} if known else {})})
    alias = Res("aws:kms/alias:Alias", "logs-alias", {"name": "alias/logs", "targetKeyId": "0123abcd" if known
                                                      else UNKNOWN, **({"arn": alias_arn} if known else {})},
                {"targetKeyId": ["logs-key"]} if linked else {})
    group = Res("aws:cloudwatch/logGroup:LogGroup", "app-logs", {
        "name": "/app/api", "kmsKeyId": alias_arn if known else UNKNOWN, "tags": {}},
                {"kmsKeyId": ["logs-alias"]} if linked else {})
    found = findings(analyze([key, alias, group], {"all": "disabled", KEY_ALLOWS: "mandatory"}))
    expected = "key logs-key: its policy does not allow the logs.<region>.amazonaws.com service principal"
    assert found == ({(KEY_ALLOWS, "app-logs", expected)} if reported else set())


def _logs_key_policy(region: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"},
        {**GRANT, "Principal": {"Service": f"logs.{region}.amazonaws.com"}, "Condition": {"ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:123456789012:log-group:*"}}}]})


OPEN = json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]})


@pytest.mark.parametrize("known", [True, False])
@pytest.mark.parametrize("replica_policy", [None, OPEN])
def test_a_key_policy_naming_a_multi_region_keys_id_in_a_replicas_region_is_the_replicas(known, replica_policy):
    """A multi-Region key's replicas have its key id (mrk-...), and each its own key policy: a KeyPolicy in the
    replica's region whose keyId is made from the primary's sets the replica's. Known, its id names the replica; on a
    first preview, made from the primary, it may: the replica's own policy (or the default one) is not judged then."""
    key_id = "mrk-1234" if known else UNKNOWN
    arn = (lambda region: f"arn:aws:kms:{region}:123456789012:key/mrk-1234" if known else UNKNOWN)
    # The bridged provider's outputs carry the id (a key's is its key id).
    replica = {"primaryKeyArn": arn("us-east-1"), "id": key_id, "keyId": key_id, "arn": arn("us-west-2")}
    report = analyze([
        Res("pulumi:providers:aws", "west", {"region": "us-west-2"}),
        Res("aws:kms/key:Key", "primary", {"multiRegion": True, "enableKeyRotation": True, "id": key_id,
                                           "keyId": key_id, "arn": arn("us-east-1"),
                                           "policy": _logs_key_policy("us-east-1")}),
        Res("aws:kms/replicaKey:ReplicaKey", "replica", {**replica, **({"policy": replica_policy} if replica_policy
                                                                       else {})},
            refs={"primaryKeyArn": ["primary"]}, provider="west"),
        Res("aws:kms/keyPolicy:KeyPolicy", "replica-policy", {"keyId": key_id, "policy": _logs_key_policy("us-west-2")},
            refs={"keyId": ["primary"]}, provider="west"),
        Res("aws:cloudwatch/logGroup:LogGroup", "west-logs", {"name": "/app/west", "kmsKeyId": arn("us-west-2")},
            refs={"kmsKeyId": ["replica"]}, provider="west")], {"all": "disabled", KEY_ALLOWS: M, NOT_PUBLIC: M})
    assert findings(report) == set()


def test_a_key_policy_naming_the_primarys_arn_in_a_replicas_region_is_not_the_replicas():
    """The ARN names its region: its key id is the replica's too, but PutKeyPolicy in the replica's region with the
    primary's ARN sets no policy of the replica's, whose own open one stands."""
    primary_arn, replica_arn = (f"arn:aws:kms:{region}:123456789012:key/mrk-1234" for region in ("us-east-1",
                                                                                                   "us-west-2"))
    report = analyze([
        Res("pulumi:providers:aws", "west", {"region": "us-west-2"}),
        Res("aws:kms/key:Key", "primary", {"multiRegion": True, "enableKeyRotation": True, "id": "mrk-1234",
                                           "keyId": "mrk-1234", "arn": primary_arn,
                                           "policy": _logs_key_policy("us-east-1")}),
        Res("aws:kms/replicaKey:ReplicaKey", "replica", {"primaryKeyArn": primary_arn, "id": "mrk-1234",
                                                         "keyId": "mrk-1234", "arn": replica_arn, "policy": OPEN},
            refs={"primaryKeyArn": ["primary"]}, provider="west"),
        Res("aws:kms/keyPolicy:KeyPolicy", "by-arn", {"keyId": primary_arn, "policy": _logs_key_policy("us-west-2")},
            refs={"keyId": ["primary"]}, provider="west")], {"all": "disabled", NOT_PUBLIC: M})
    assert {name for _, name, _ in findings(report)} == {"replica"}


@pytest.mark.parametrize("key_type, settings, reported", [
    ("aws:kms/externalKey:ExternalKey", {"keySpec": "RSA_4096", "keyUsage": "ENCRYPT_DECRYPT"}, "spec RSA_4096"),
    ("aws:kms/externalKey:ExternalKey", {"keySpec": "SYMMETRIC_DEFAULT", "enabled": False}, "(enabled is false)"),
    ("aws:kms/replicaKey:ReplicaKey", {"enabled": "false"}, "(enabled is false)"),
    ("aws:kms/replicaKey:ReplicaKey", {"enabled": True}, None),
    ("aws:kms/key:Key", {"customerMasterKeySpec": "ECC_NIST_P256", "keyUsage": "SIGN_VERIFY"}, "spec ECC_NIST_P256"),
    # Unknown until the update: no verdict on the key's kind or state.
    ("aws:kms/key:Key", {"customerMasterKeySpec": UNKNOWN, "keyUsage": "ENCRYPT_DECRYPT"}, None),
    ("aws:kms/key:Key", {"keyUsage": UNKNOWN}, None),
    ("aws:kms/key:Key", {"isEnabled": UNKNOWN}, None),
    ("aws:kms/replicaKey:ReplicaKey", {"enabled": UNKNOWN}, None),
])
def test_a_log_groups_key_must_be_an_enabled_symmetric_encryption_key(key_type, settings, reported):
    """CreateLogGroup and AssociateKmsKey take only symmetric encryption keys and refuse a disabled one (botocore
    logs): judged on any key resource, where its spec, usage or state is known, whatever its policy allows."""
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/0123abcd"
    key = Res(key_type, "logs-key", {"arn": key_arn, "policy": _logs_key_policy("us-east-1"), **settings})
    group = Res("aws:cloudwatch/logGroup:LogGroup", "app-logs", {"name": "/app/api", "kmsKeyId": key_arn})
    found = findings(analyze([key, group], {"all": "disabled", KEY_ALLOWS: M}))
    assert [reported in message for _, _, message in found] == ([True] if reported else [])


@pytest.mark.parametrize("other_group, reported", [
    (ORDERS_GROUP, True),
    # Another group, or one of that name in another region or account: each has its own policy.
    ("arn:aws:logs:us-east-1:123456789012:log-group:/app/billing", False),
    ("arn:aws:logs:eu-west-1:123456789012:log-group:/app/orders", False),
    ("arn:aws:logs:us-east-1:999999999999:log-group:/app/orders", False),
    # A group's ARN unknown until the update is not judged.
    (UNKNOWN, False)])
def test_a_log_group_has_one_resource_policy(other_group, reported):
    """PutResourcePolicy keeps one policy per log group ARN ("one per LogGroup resourceARN"; pulumi-aws: "Only one
    policy can be attached per log group resource ARN"), so a second one on the group replaces the first."""
    resources = [Res("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", name, {"policyDocument": "{}",
                                                                                  "resourceArn": group})
                 for name, group in (("orders-policy", ORDERS_GROUP), ("other-policy", other_group))]
    found = findings(analyze(resources, {"all": "disabled", NAMES_UNIQUE: "mandatory"}))
    assert found == ({(NAMES_UNIQUE, name, ORDERS_GROUP_POLICIES) for name in ("orders-policy", "other-policy")}
                     if reported else set())


@pytest.mark.parametrize("actions, exempt, reported", [
    (None, [], True),
    ([], [], True),
    (["arn:aws:sns:us-east-1:123456789012:on-call"], [], False),
    # A list, or an action, unknown until the update (made from another resource's output) is not judged.
    (UNKNOWN, [], False),
    ([UNKNOWN], [], False),
    # Exempted by its alarm name or its resource name.
    (None, ["cpu-*"], False),
    (None, ["child-alarm"], False),
    (None, ["other-*"], True),
])
def test_an_alarm_without_an_alarm_action_tells_no_one(actions, exempt, reported):
    """PutMetricAlarm and PutCompositeAlarm run `AlarmActions` when the alarm goes into ALARM, and there are none by
    default (Security Hub CloudWatch.15)."""
    config = {"all": "disabled", ALARM_ACTIONS: "mandatory"}
    if exempt:
        config[ALARM_ACTIONS] = {"enforcementLevel": "mandatory", "exemptAlarms": exempt}
    for kind, name_prop in (("metricAlarm:MetricAlarm", "name"), ("compositeAlarm:CompositeAlarm", "alarmName")):
        props = {name_prop: "cpu-high", "tags": {}, **({} if actions is None else {"alarmActions": actions})}
        alarm = Res(f"aws:cloudwatch/{kind}", "child-alarm", props)
        assert (ALARM_ACTIONS in policies_found([alarm], config)) == reported


@pytest.mark.parametrize("enabled, reported", [(False, True), ("false", True), (True, False), (None, False),
                                               (UNKNOWN, False)])
def test_an_alarm_whose_actions_are_switched_off_tells_no_one(enabled, reported):
    """PutMetricAlarm and PutCompositeAlarm run no action while ActionsEnabled is false; left out it is true (the
    API's default and pulumi-aws's). A value unknown until the update is not judged."""
    props = {"name": "cpu-high", "alarmActions": ["arn:aws:sns:us-east-1:123456789012:on-call"], "tags": {},
             **({} if enabled is None else {"actionsEnabled": enabled})}
    alarm = Res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu-alarm", props)
    config = {"all": "disabled", ACTIONS_ENABLED: "mandatory"}
    assert (ACTIONS_ENABLED in policies_found([alarm], config)) == reported


WATCHED_ALARM = Res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu-alarm", {"name": "cpu-high", "tags": {}})


def composite(rule) -> Res:
    return Res("aws:cloudwatch/compositeAlarm:CompositeAlarm", "c",
               {"alarmRule": rule, "alarmActions": ["arn:aws:sns:us-east-1:123456789012:on-call"]})


CPU_HIGH_ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high"


def suppressing(alarm) -> Res:
    return Res("aws:cloudwatch/compositeAlarm:CompositeAlarm", "c", {
        "alarmRule": 'ALARM("errors")', "alarmActions": ["arn:aws:sns:us-east-1:123456789012:on-call"],
        "actionsSuppressor": {"alarm": alarm, "extensionPeriod": 60, "waitPeriod": 60}})


def monitoring(monitor) -> Res:
    return Res("aws:appconfig/environment:Environment", "e", {"applicationId": "abc1234", "monitors": [monitor]})


@pytest.mark.parametrize("watcher, reported", [
    # A composite's rule, by name with or without quotes, or by ARN (PutCompositeAlarm's AlarmRule).
    (composite('ALARM("cpu-high") OR OK(disk)'), False),
    (composite("NOT INSUFFICIENT_DATA( cpu-high )"), False),
    (composite("ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high)"), False),
    # Another alarm's name that merely contains this one's is not this one.
    (composite('ALARM("cpu-high-p99")'), True),
    # A rule unknown until the update may name it.
    (composite(UNKNOWN), False),
    # Deployments that roll back on it, a health check that follows it; one of them unknown.
    (Res("aws:ecs/service:Service", "s", {"alarms": {"alarmNames": ["cpu-high"], "enable": True, "rollback": True}}),
     False),
    (Res("aws:ecs/service:Service", "s", {"alarms": {"alarmNames": ["errors"], "enable": True, "rollback": True}}),
     True),
    (Res("aws:ecs/service:Service", "s", {"alarms": {"alarmNames": [UNKNOWN], "enable": True, "rollback": True}}),
     False),
    (Res("aws:codedeploy/deploymentGroup:DeploymentGroup", "g",
         {"alarmConfiguration": {"alarms": ["cpu-high"], "enabled": True}}), False),
    # A deployment whose alarms are switched off (CodeDeploy's `enabled` left out is sent false) acts on none; one
    # whose switch is unknown until the update may.
    (Res("aws:ecs/service:Service", "s", {"alarms": {"alarmNames": ["cpu-high"], "enable": False, "rollback": True}}),
     True),
    (Res("aws:codedeploy/deploymentGroup:DeploymentGroup", "g", {"alarmConfiguration": {"alarms": ["cpu-high"]}}),
     True),
    (Res("aws:ecs/service:Service", "s", {"alarms": {"alarmNames": ["cpu-high"], "enable": UNKNOWN,
                                                     "rollback": True}}), False),
    (Res("aws:route53/healthCheck:HealthCheck", "h", {"type": "CLOUDWATCH_METRIC", "cloudwatchAlarmName": "cpu-high"}),
     False),
    # A disabled health check: Route 53 stops monitoring its alarm (HealthCheckConfig.Disabled); unknown, it may not be.
    *((Res("aws:route53/healthCheck:HealthCheck", "h", {"type": "CLOUDWATCH_METRIC", "cloudwatchAlarmName": "cpu-high",
                                                       "disabled": disabled}), reported)
      for disabled, reported in ((True, True), (False, False), (UNKNOWN, False))),
    # A composite whose actions it suppresses, by name or ARN (PutCompositeAlarm's ActionsSuppressor).
    (suppressing("cpu-high"), False), (suppressing(CPU_HIGH_ARN), False), (suppressing("errors"), True),
    (suppressing(UNKNOWN), False),
    # An AppConfig deployment that rolls back on it (Monitors, by ARN); one of them unknown.
    (monitoring({"alarmArn": CPU_HIGH_ARN}), False),
    (monitoring({"alarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors"}), True),
    (monitoring({"alarmArn": UNKNOWN}), False), (monitoring(UNKNOWN), False),
])
def test_an_alarm_another_resource_acts_on_needs_no_action_of_its_own(watcher, reported):
    """AWS's composite alarms guide has the alarms a composite watches take no actions of their own (the composite
    acts), its actions suppressor's too; an ECS service's, CodeDeploy group's or AppConfig environment's deployment
    rolls back on its alarms, a Route 53 health check follows its alarm (unless it is disabled)."""
    config = {"all": "disabled", ALARM_ACTIONS: "mandatory"}
    assert (ALARM_ACTIONS in policies_found([WATCHED_ALARM, watcher], config)) == reported


def test_an_alarm_whose_name_is_unknown_may_be_the_one_a_watcher_names():
    config = {"all": "disabled", ALARM_ACTIONS: "mandatory"}
    unnamed = Res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu-alarm", {"name": UNKNOWN, "tags": {}})
    route53 = Res("aws:route53/healthCheck:HealthCheck", "h", {"cloudwatchAlarmName": "errors"})
    assert ALARM_ACTIONS not in policies_found([unnamed, route53], config)
    assert ALARM_ACTIONS in policies_found([unnamed], config)


@pytest.mark.parametrize("odd", [{"name": "cpu-high"}, ["cpu-high"], 7])
def test_an_alarm_or_watched_name_of_another_shape_breaks_nothing(odd):
    """A map or list where a name belongs names no alarm: the policy judges the rest instead of failing the stack."""
    config = {"all": "disabled", ALARM_ACTIONS: "mandatory"}
    odd_alarm = Res("aws:cloudwatch/metricAlarm:MetricAlarm", "odd-alarm", {"name": odd, "tags": {}})
    service = Res("aws:ecs/service:Service", "s", {"alarms": {"alarmNames": [odd], "enable": True, "rollback": True}})
    found = findings(analyze([WATCHED_ALARM, odd_alarm, service], config))
    assert {(policy, name) for policy, name, _ in found} == {(ALARM_ACTIONS, "cpu-alarm"), (ALARM_ACTIONS, "odd-alarm")}


@pytest.mark.parametrize("odd", [{"name": "us-east-1"}, ["us-east-1"]])
def test_a_region_or_log_group_of_another_shape_breaks_no_name_check(odd):
    """A map or list where a region or a filter's log group belongs names no place (and could not be a key of the
    groups of names): those resources are not judged, the rest are, instead of the stack policy failing."""
    alarm, fltr = "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/logMetricFilter:LogMetricFilter"
    resources = [Res(alarm, "a1", {"name": "cpu", "region": odd}), Res(alarm, "a2", {"name": "cpu", "region": odd}),
                 Res(fltr, "f1", {"name": "errors", "logGroupName": odd}),
                 Res(fltr, "f2", {"name": "errors", "logGroupName": odd}),
                 Res(alarm, "b1", {"name": "disk"}), Res(alarm, "b2", {"name": "disk"})]
    found = findings(analyze(resources, {"all": "disabled", NAMES_UNIQUE: "mandatory"}))
    assert {name for _, name, _ in found} == {"b1", "b2"}


@pytest.mark.parametrize("odd", [{"name": "audit"}, ["audit"]])
def test_a_provider_profile_of_another_shape_is_an_account_of_its_own(odd):
    """A provider's profile given as a map (the provider takes a string) could not be part of an account's key:
    TypeError. It names no profile, so the provider stands for its own account, as one with other credentials does:
    two alarms of one name under it still collide."""
    alarm = "aws:cloudwatch/metricAlarm:MetricAlarm"
    provider = Res("pulumi:providers:aws", "audit", {"profile": odd, "region": "us-east-1"})
    resources = [provider, Res(alarm, "a1", {"name": "cpu"}, provider="audit"),
                 Res(alarm, "a2", {"name": "cpu"}, provider="audit")]
    found = findings(analyze(resources, {"all": "disabled", NAMES_UNIQUE: "mandatory"}))
    assert {name for _, name, _ in found} == {"a1", "a2"}


@pytest.mark.parametrize("profile", [123456789012, "123456789012"])
def test_a_profile_named_by_digits_is_one_profile_whether_written_as_a_number_or_text(profile):
    """A profile named by digits, written unquoted in YAML (or as a number in code), reaches the provider as a number
    (a float on the wire), which it reads as text: two providers with that profile, one of them written as text, are
    one account, and two alarms of one name under them collide; a profile of another shape is none."""
    alarm = "aws:cloudwatch/metricAlarm:MetricAlarm"
    resources = [Res("pulumi:providers:aws", "by-number", {"profile": 123456789012, "region": "us-east-1"}),
                 Res("pulumi:providers:aws", "by-text", {"profile": profile, "region": "us-east-1"}),
                 Res(alarm, "a1", {"name": "cpu"}, provider="by-number"),
                 Res(alarm, "a2", {"name": "cpu"}, provider="by-text")]
    found = findings(analyze(resources, {"all": "disabled", NAMES_UNIQUE: "mandatory"}))
    assert {name for _, name, _ in found} == {"a1", "a2"}


@pytest.mark.parametrize("odd", [{"name": "b"}, ["b"], 7, True])
def test_an_event_bus_of_another_shape_is_not_judged(odd):
    """A map, list, number or boolean where a rule's or target's `eventBusName` belongs (text, its name or ARN, to
    events' PutRule and PutTargets) names no bus: those rules and targets are not judged, instead of being keyed by
    the value's repr; the rest are."""
    rule, target = "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget"
    resources = [Res(rule, "r1", {"name": "nightly", "eventBusName": odd}),
                 Res(rule, "r2", {"name": "nightly", "eventBusName": odd}),
                 Res(target, "t1", {"targetId": "t", "rule": "nightly", "eventBusName": odd}),
                 Res(target, "t2", {"targetId": "t", "rule": "nightly", "eventBusName": odd}),
                 Res(rule, "b1", {"name": "hourly", "eventBusName": "b"}),
                 Res(rule, "b2", {"name": "hourly", "eventBusName": "b"})]
    found = findings(analyze(resources, {"all": "disabled", NAMES_UNIQUE: "mandatory"}))
    assert {name for _, name, _ in found} == {"b1", "b2"}
