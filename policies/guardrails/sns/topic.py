"""SNS topics: messages at rest encrypted with a KMS key."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_set
from ..core.registry import resource_policy
from . import TOPIC


@resource_policy(
    "sns-topic-kms-encrypted", TOPIC,
    description="SNS topics must encrypt messages at rest with a KMS key.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SNS.1", "Config sns-encrypted-kms", "CKV_AWS_26"),
)
def kms_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsMasterKeyId` is set (an alias, such as AWS's `alias/aws/sns`, or a customer managed key)"""
    if not is_set(args.props, "kmsMasterKeyId"):
        yield "kmsMasterKeyId is not set; messages wait on the topic unencrypted"
