"""SQS queues: messages at rest encrypted. Since October 2022 SQS encrypts a new queue with SQS-owned keys (SSE-SQS)
unless it is told not to, and the provider leaves `sqsManagedSseEnabled` to SQS where the program does not set it
(Optional and Computed, and it conflicts with `kmsMasterKeyId`): only a queue that sets it false without a KMS key
stores its messages unencrypted."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_false, is_set, peek
from ..core.registry import resource_policy
from . import QUEUE


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
