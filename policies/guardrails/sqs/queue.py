"""SQS queues: messages at rest encrypted. Since October 2022 SQS encrypts a new queue with SQS-owned keys (SSE-SQS)
unless it is told not to, and the provider leaves `sqsManagedSseEnabled` to SQS where the program does not set it
(Optional and Computed, and it conflicts with `kmsMasterKeyId`): only a queue that sets it false without a KMS key
stores its messages unencrypted.

A queue without a policy admits only its own account's principals (with IAM permissions). A QueuePolicy replaces the
queue's policy (SetQueueAttributes Policy)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import is_false, is_set, peek
from ..core.registry import resource_policy, stack_policy
from ..iam.documents import public_grant, public_resource_policies
from . import QUEUE, QUEUE_POLICY


@resource_policy(
    "sqs-queue-encrypted", QUEUE,
    description="SQS queues must encrypt messages at rest, with SQS-owned keys (SSE-SQS, what SQS gives a new queue) "
                "or a KMS key.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SQS.1", "CKV_AWS_27"),
    anchor_note="CKV_AWS_27 also flags a queue that leaves SSE-SQS to SQS's default; SQS encrypts it",
)
def encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`sqsManagedSseEnabled` is not false, or `kmsMasterKeyId` is set (SQS encrypts a queue that sets neither with
    SSE-SQS)"""
    if is_false(peek(args.props, "sqsManagedSseEnabled")) and not is_set(args.props, "kmsMasterKeyId"):
        yield ("sqsManagedSseEnabled is false and kmsMasterKeyId is not set; messages wait on the queue unencrypted: "
               "leave sqsManagedSseEnabled out (or true), or set kmsMasterKeyId")


@stack_policy(
    "sqs-queue-policy-not-public", (QUEUE, QUEUE_POLICY),
    description="No SQS queue policy may let every AWS account send, receive, delete or manage the queue's messages.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub SQS.3", "Config sqs-queue-no-public-access", "CKV_AWS_168"),
)
def queue_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a queue's policy (its `policy`, or a QueuePolicy's, which replaces it; a QueuePolicy for a
    queue outside the stack too) has Principal `*` (or `{"AWS": "*"}`) or a NotPrincipal unless its condition names the
    callers by fixed values of `aws:SourceArn` (a fixed ARN, a topic's or a bucket's, or one of a fixed account),
    `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce`, ... under an equality or like
    operator (not Null, IfExists, ForAllValues or a negation; no policy variable, no wildcard in an account or
    organization id or in an ARN without an account), lets in only AWS services (a fixed `aws:PrincipalServiceName` or
    `aws:PrincipalServiceNamesList`, or `aws:PrincipalIsAWSService` true (Bool or a string equality), as Principal
    `{"Service": ...}` does: not public by AWS's rule for DynamoDB's block public access, which the pack extends to
    other resource policies), or limits them to addresses (IpAddress on `aws:SourceIp`, CIDRs that do not add up to
    every public address, as the security group policies count them: S3's meaning of public); unknown documents or
    conditions are not judged"""
    for owner, statement in public_resource_policies(args.resources, (QUEUE,), QUEUE_POLICY, "queueUrl", ("id", "url"),
                                                   "queue"):
        yield public_grant(statement, "use the queue", "name the principals, or add a condition such as ArnEquals "
                           "aws:SourceArn <the sending topic's ARN> or StringEquals aws:SourceAccount <account>",
                           naming="an account, organization or source"), owner.urn
