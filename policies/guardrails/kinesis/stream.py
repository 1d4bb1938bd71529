"""Kinesis data streams, judged by what pulumi-aws sends and what Kinesis does with what it leaves out
(terraform-provider-aws `aws_kinesis_stream`: `encryptionType` defaults to NONE, and the provider calls
StartStreamEncryption after CreateStream, which takes no encryption setting, only for KMS, refusing KMS without a
`kmsKeyId`; botocore's kinesis model: EncryptionType NONE or KMS)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import resource_policy
from . import STREAM


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
