"""Kinesis Data Streams guardrails against tests/programs/policy_kinesis (raw data streams)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_kinesis"
M = "mandatory"
ENCRYPTED = "kinesis-stream-encrypted"
ADVICE = "set encryptionType KMS with kmsKeyId (alias/aws/kinesis, or a customer managed key)"
OPEN = "kinesis-stream-policy-not-public"
RESOURCE_POLICY = "aws:kinesis/resourcePolicy:ResourcePolicy"
PUBLIC = "allows Principal * with no condition naming an account or organization: any AWS account's principals may"
SCOPE = "name the accounts that use it, or add a condition such as StringEquals aws:PrincipalOrgID <your organization>"

FAILING = [
    Finding(ENCRYPTED, "plain-telemetry", M, "encryptionType is unset (NONE): Kinesis keeps the stream's records "
                                             f"unencrypted for its whole retention period; {ADVICE}"),
    Finding(ENCRYPTED, "cleartext-telemetry", M, "encryptionType is NONE: Kinesis keeps the stream's records "
                                                 "unencrypted"),
    Finding(OPEN, "device-events", M, "Kinesis data stream device-events (policy in ResourcePolicy "
                                      f"device-events-policy) statement Everyone {PUBLIC} read its records and put "
                                      f"records on it; {SCOPE}"),
    Finding(OPEN, "events-fanout", M, "Kinesis stream consumer events-fanout (policy in ResourcePolicy "
                                      f"events-fanout-policy) statement Everyone {PUBLIC} subscribe to its shards"),
    # Another stack's stream: reported on the policy.
    Finding(OPEN, "shared-telemetry-policy", M, f"ResourcePolicy shared-telemetry-policy statement Everyone {PUBLIC} "
                                                "read its records"),
]
PASSING = [
    (ENCRYPTED, "device-telemetry"),
    # Kinesis's AWS managed key passes, as it does Security Hub's Kinesis.1.
    (ENCRYPTED, "device-events"),
    # An encryption type known only after the update.
    (ENCRYPTED, "later-telemetry"),
    # One partner account's role; every account of one organization; no resource policy at all.
    (OPEN, "device-telemetry"), (OPEN, "telemetry-fanout"), (OPEN, "plain-telemetry"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("settings, reported", [
    ({"encryptionType": "KMS", "kmsKeyId": "alias/aws/kinesis"}, False),
    ({"encryptionType": "KMS", "kmsKeyId": UNKNOWN}, False), ({"encryptionType": UNKNOWN}, False),
    # Left out, the provider sends NONE: CreateStream takes no encryption setting.
    ({}, True), ({"encryptionType": "NONE"}, True), ({"encryptionType": ""}, True),
    ({"kmsKeyId": "alias/aws/kinesis"}, True)])
def test_a_stream_keeps_its_records_encrypted(settings, reported):
    stream = Res("aws:kinesis/stream:Stream", "telemetry", {"name": "telemetry", "tags": DEFAULT_TAGS, **settings})
    assert (policies_found([stream]) == {ENCRYPTED}) == reported


def _resource_policy(statement, resource_arn=UNKNOWN, refs=None) -> Res:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", **statement}]}
    return Res(RESOURCE_POLICY, "stream-policy", {"resourceArn": resource_arn, "policy": document}, refs=refs or {})


EVERYONE = {"Sid": "Everyone", "Principal": {"AWS": "*"}, "Action": ["kinesis:GetRecords", "kinesis:GetShardIterator"]}
SHARED = "arn:aws:kinesis:us-east-1:123456789012:stream/shared"
CONSUMER_ARN = f"{SHARED}/consumer/fanout:1700000000"


@pytest.mark.parametrize("statement, reported", [
    (EVERYONE, True), ({**EVERYONE, "Principal": "*"}, True), ({**EVERYONE, "Principal": {"AWS": ["*"]}}, True),
    ({**EVERYONE, "Principal": {"AWS": "arn:aws:iam::210987654321:role/reader"}}, False),
    ({**EVERYONE, "Effect": "Deny"}, False),
    ({**EVERYONE, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}, False),
    ({**EVERYONE, "Condition": {"StringEquals": {"aws:PrincipalAccount": ["210987654321", "123456789012"]}}}, False),
    # A wildcard names no one; an IfExists condition holds for a caller without the key; unknowns are not judged.
    ({**EVERYONE, "Condition": {"StringLike": {"aws:PrincipalAccount": "*"}}}, True),
    ({**EVERYONE, "Condition": {"StringEqualsIfExists": {"aws:SourceAccount": "210987654321"}}}, True),
    ({**EVERYONE, "Principal": UNKNOWN}, False), ({**EVERYONE, "Condition": UNKNOWN}, False)])
def test_no_stream_policy_lets_every_account_in(statement, reported):
    stream = Res("aws:kinesis/stream:Stream", "telemetry", {
        "name": "telemetry", "arn": "arn:aws:kinesis:us-east-1:123456789012:stream/telemetry", "tags": DEFAULT_TAGS,
        "encryptionType": "KMS", "kmsKeyId": "alias/aws/kinesis"})
    by_reference = _resource_policy(statement, refs={"resourceArn": ["telemetry"]})
    assert [name for policy, name, _ in findings(analyze([stream, by_reference], {"all": "mandatory"}))
            if policy == OPEN] == (["telemetry"] if reported else [])
    # Another stack's stream: judged on the policy itself.
    assert (OPEN in policies_found([_resource_policy(statement, SHARED)])) == reported


# Every Kinesis action on a consumer still lets them only subscribe: SubscribeToShard alone acts on a consumer.
@pytest.mark.parametrize("action", ["kinesis:SubscribeToShard", "kinesis:*"])
def test_a_consumer_policy_is_reported_on_the_consumer(action):
    consumer = Res("aws:kinesis/streamConsumer:StreamConsumer", "fanout", {
        "name": "fanout", "streamArn": SHARED, "arn": CONSUMER_ARN})
    policy = _resource_policy({**EVERYONE, "Action": action}, refs={"resourceArn": ["fanout"]})
    assert findings(analyze([consumer, policy], {"all": "mandatory"})) == {(
        OPEN, "fanout", f"Kinesis stream consumer fanout (policy in ResourcePolicy stream-policy) statement Everyone "
                        f"{PUBLIC} subscribe to its shards; {SCOPE}")}


@pytest.mark.parametrize("action, resource_arn, uses", [
    ("kinesis:GetRecords", SHARED, "read its records"),
    (["kinesis:PutRecord", "kinesis:PutRecords"], SHARED, "put records on it"),
    ("kinesis:SubscribeToShard", CONSUMER_ARN, "subscribe to its shards"),
    # Each action acts on one kind: a stream's policy lets no one subscribe, a consumer's no one read or write.
    ("kinesis:*", SHARED, "read its records and put records on it"),
    ("kinesis:*", CONSUMER_ARN, "subscribe to its shards"), ("kinesis:SubscribeToShard", SHARED, "use it"),
    ("kinesis:Get*", SHARED, "read its records"),
    ("kinesis:DescribeStreamSummary", SHARED, "use it"), ([UNKNOWN, "kinesis:ListShards"], SHARED, "use it")])
def test_a_public_stream_policy_says_what_it_lets_every_account_do(action, resource_arn, uses):
    [(_, _, message)] = findings(analyze([_resource_policy({**EVERYONE, "Action": action}, resource_arn)],
                                         {"all": "mandatory"}))
    assert f"{PUBLIC} {uses}; {SCOPE}" in message
