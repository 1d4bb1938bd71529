"""MSK Replicators, judged by what pulumi-aws sends and what MSK does with what it leaves out (botocore's kafka model:
CreateReplicator takes LogDelivery.ReplicatorLogDelivery to CloudWatch Logs, Firehose or S3, each with a required
Enabled; MSK's developer guide, "MSK Replicator logs": log delivery is disabled by default)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.registry import resource_policy
from . import REPLICATOR, undelivered_logs


@resource_policy(
    "msk-replicator-logging", REPLICATOR,
    description="MSK Replicators must deliver their logs to CloudWatch Logs, S3 or Firehose, the record of the "
                "authorization failures, connection errors and records a replicator could not copy.",
    severity=Severity.MEDIUM,
    anchor_note="MSK's developer guide, MSK Replicator logs; Security Hub MSK.5 asks the same of connectors",
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`logDelivery.replicatorLogDelivery` turns on one of `cloudwatchLogs`, `firehose` or `s3` (`enabled` true;
    left out, MSK delivers no replicator log); an unknown destination is not judged"""
    state = undelivered_logs(args.props, "logDelivery", "replicatorLogDelivery")
    if state:
        yield (f"logDelivery.replicatorLogDelivery is {state}: nothing records the replicator's authorization "
               "failures, connection errors or records it could not copy; enable cloudwatchLogs (with a logGroup), "
               "firehose or s3")
