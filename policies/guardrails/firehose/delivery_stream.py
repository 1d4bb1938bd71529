"""Firehose streams, judged by what pulumi-aws sends and what Firehose does with what it leaves out
(terraform-provider-aws `aws_kinesis_firehose_delivery_stream`: `serverSideEncryption.enabled` defaults to false and
`keyType` to AWS_OWNED_CMK; botocore's firehose model: CreateDeliveryStream encrypts only when sent a
DeliveryStreamEncryptionConfigurationInput). A stream reading a Kinesis data stream takes no server-side encryption
(the provider's documentation: it should not be enabled then): its records rest in the data stream, which
`kinesis-stream-encrypted` judges."""
from __future__ import annotations

from pulumi_policy import Severity

from ..core.props import peek
from ..core.switches import switch_policy
from . import DELIVERY_STREAM, SOURCES


switch_policy(
    "firehose-delivery-stream-encrypted", DELIVERY_STREAM, "serverSideEncryption.enabled",
    "Firehose buffers the records producers put without server-side encryption; set serverSideEncryption.enabled true "
    "(keyType CUSTOMER_MANAGED_CMK with keyArn for a key of your own)",
    block=True, unless=lambda props: any(peek(props, source) is not None for source in SOURCES),
    description="Firehose streams that producers write to directly must encrypt the records they buffer with a KMS "
                "key (server-side encryption).",
    severity=Severity.HIGH,
    anchors=("Security Hub DataFirehose.1", "Config kinesis-firehose-delivery-stream-encrypted", "cdk-nag KDF1"),
    anchor_note="Security Hub may still report a stream reading a Kinesis data stream, which takes no server-side "
                "encryption; the policy leaves it to kinesis-stream-encrypted",
    checks="""
    for a Direct PUT stream (no `kinesisSourceConfiguration`, `mskSourceConfiguration` or
    `databaseSourceConfiguration`, which are not judged), `serverSideEncryption.enabled` is true (left out, the
    provider's default false); an AWS owned key passes, as DataFirehose.1 passes it; unknown values are not judged""",
)
