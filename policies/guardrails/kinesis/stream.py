"""Kinesis data streams, judged by what pulumi-aws sends and what Kinesis does with what it leaves out
(terraform-provider-aws `aws_kinesis_stream`: `encryptionType` defaults to NONE, and the provider calls
StartStreamEncryption after CreateStream, which takes no encryption setting, only for KMS, refusing KMS without a
`kmsKeyId`; botocore's kinesis model: EncryptionType NONE or KMS)."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import resource_policy, stack_policy
from ..iam.documents import accounts_that, public_grant, public_resource_policies
from . import CONSUMER, RESOURCE_POLICY, STREAM


@resource_policy(
    "kinesis-stream-encrypted", STREAM,
    description="Kinesis data streams must encrypt the records they keep with a KMS key (server-side encryption), so "
                "the stream's storage holds no device or application data in plain text.",
    severity=Severity.HIGH,
    anchors=("Security Hub Kinesis.1", "Config kinesis-stream-encrypted", "CT.KINESIS.PR.1", "cdk-nag KDS1"),
)
def encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`encryptionType` is KMS (left out, the provider's default NONE: Kinesis keeps the records unencrypted); the
    key may be the account's AWS managed `alias/aws/kinesis` or its own; an unknown value is not judged"""
    kind = peek(args.props, "encryptionType")
    if kind is UNKNOWN or kind == "KMS":
        return
    state = kind if has_text(kind) else "unset (NONE)"
    yield (f"encryptionType is {state}: Kinesis keeps the stream's records unencrypted for its whole retention period; "
           "set encryptionType KMS with kmsKeyId (alias/aws/kinesis, or a customer managed key)")


# What a stream's or consumer's policy may let other accounts do (Kinesis's "Share access using resource-based
# policies": read a stream's records, as a Lambda function or KCL consumer of another account does, write to it, or
# read through an enhanced fan-out consumer). Each acts on one kind (botocore's kinesis: GetRecords and PutRecord name a
# stream, SubscribeToShard only a ConsumerARN), so a consumer's `kinesis:*` lets no one put records, nor a stream's
# subscribe.
_STREAM_USES = (("read its records", "kinesis:GetRecords"), ("put records on it", "kinesis:PutRecord"))
_CONSUMER_USES = (("subscribe to its shards", "kinesis:SubscribeToShard"),)
_USES = {STREAM: _STREAM_USES, CONSUMER: _CONSUMER_USES}
_NOUNS = {STREAM: "Kinesis data stream", CONSUMER: "Kinesis stream consumer"}


def _uses(resource: Any) -> tuple[tuple[str, str], ...]:
    """What a finding on `resource` may say its policy lets every account do: a stream's or consumer's own uses; for a
    ResourcePolicy on one outside the stack, those of what its `resourceArn` names (a consumer's has `/consumer/`),
    both kinds' while it is unknown."""
    if resource.resource_type in _USES:
        return _USES[resource.resource_type]
    arn = peek(resource.props, "resourceArn")
    if isinstance(arn, str):
        return _CONSUMER_USES if "/consumer/" in arn else _STREAM_USES
    return _STREAM_USES + _CONSUMER_USES


@stack_policy(
    "kinesis-stream-policy-not-public", (STREAM, CONSUMER, RESOURCE_POLICY),
    description="No Kinesis data stream or enhanced fan-out consumer may have a resource policy that lets every AWS "
                "account in: any account could then read the stream's records or put records of its own on it.",
    severity=Severity.HIGH,
    anchor_note="Kinesis's resource-based policy guide: the policy names the accounts, users or roles it shares with",
)
def stream_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a data stream's or consumer's resource policy (a ResourcePolicy naming it by
    `resourceArn`; or a ResourcePolicy for a stream or consumer outside the stack) has Principal `*` (or
    `{"AWS": "*"}`) or a NotPrincipal unless its condition names the callers by fixed values of `aws:PrincipalOrgID`,
    `aws:PrincipalAccount`, `aws:SourceAccount`, ... or limits them to addresses (as for SQS and SNS); unknown
    documents or conditions are not judged"""
    for owner, statement in public_resource_policies(args.resources, (STREAM, CONSUMER), RESOURCE_POLICY, "resourceArn",
                                                   ("arn",), _NOUNS, regional=True):
        yield public_grant(statement, statement.granted(_uses(owner), "use it"), accounts_that("use it")), owner.urn
