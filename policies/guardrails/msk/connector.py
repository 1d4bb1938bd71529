"""MSK Connect connectors, judged by what pulumi-aws sends and what MSK Connect does with it (terraform-provider-aws
`aws_mskconnect_connector`: `kafkaClusterEncryptionInTransit` is required, its `encryptionType` defaulting to
PLAINTEXT; `logDelivery` is optional, and without it the workers deliver no log; botocore's kafkaconnect model:
CreateConnector requires kafkaClusterEncryptionInTransit, PLAINTEXT or TLS, and takes logDelivery.workerLogDelivery
to CloudWatch Logs, Firehose or S3)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import resource_policy
from . import CONNECTOR, undelivered_logs

@resource_policy(
    "msk-connector-encrypted-in-transit", CONNECTOR,
    description="MSK Connect connectors must reach their Kafka cluster over TLS, so the records they copy in and out "
                "never cross the network in plain text.",
    severity=Severity.HIGH,
    anchors=("Security Hub MSK.3",),
)
def encrypted_in_transit(args: ResourceValidationArgs) -> Iterator[str]:
    """`kafkaClusterEncryptionInTransit.encryptionType` is TLS (left out, the provider's default PLAINTEXT); an
    unknown value is not judged"""
    kind = peek(args.props, "kafkaClusterEncryptionInTransit", "encryptionType")
    if kind is UNKNOWN or kind == "TLS":
        return
    state = kind if has_text(kind) else "unset (PLAINTEXT)"
    yield (f"kafkaClusterEncryptionInTransit.encryptionType is {state}: the connector copies records to and from the "
           "cluster in plain text; set TLS (MSK Connect cannot change it on an existing connector: the provider "
           "replaces it)")


@resource_policy(
    "msk-connector-logging", CONNECTOR,
    description="MSK Connect connectors must deliver their workers' logs to CloudWatch Logs, S3 or Firehose, the "
                "record of what a connector did and why it failed.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub MSK.5", "Config msk-connect-connector-logging-enabled"),
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`logDelivery.workerLogDelivery` turns on one of `cloudwatchLogs`, `firehose` or `s3` (`enabled` true; left out,
    the workers deliver no log); an unknown destination is not judged"""
    state = undelivered_logs(args.props, "logDelivery", "workerLogDelivery")
    if state:
        yield (f"logDelivery.workerLogDelivery is {state}: nothing records what the connector did or why it "
               "failed; enable cloudwatchLogs (with a logGroup), firehose or s3 (MSK Connect cannot add logging to an "
               "existing connector: the provider replaces it)")
