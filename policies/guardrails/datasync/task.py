"""DataSync tasks, judged by what pulumi-aws sends: terraform-provider-aws `aws_datasync_task` sends
CloudWatchLogGroupArn and TaskMode to CreateTask only when set (TaskMode BASIC is the API's default), and an
`options` block with every member filled in (`logLevel` OFF when left out); without the block it sends no Options."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, is_map, is_set, peek
from ..core.registry import ADVISORY, resource_policy
from . import TASK


@resource_policy(
    "datasync-task-logging", TASK,
    description="DataSync tasks should publish logs of their transfers to CloudWatch Logs, so a transfer's errors, "
                "and what it copied, are on record.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub DataSync.1", "Config datasync-task-logging-enabled"),
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """a Basic mode task (`taskMode` BASIC, the default) sets `cloudwatchLogGroupArn` (an Enhanced mode task logs to
    `/aws/datasync` without one), and an `options` block's `logLevel` is not OFF (left out in the block, the provider
    sends OFF; without the block it sends no Options, whose API default is not documented: not judged); unknown
    values are not judged"""
    mode = peek(args.props, "taskMode")
    if mode is not UNKNOWN and mode != "ENHANCED" and not is_set(args.props, "cloudwatchLogGroupArn"):
        yield ("cloudwatchLogGroupArn is unset: a Basic mode task publishes its logs nowhere, and no record shows a "
               "transfer's errors or what it copied; set the ARN of a log group whose resource policy lets "
               "datasync.amazonaws.com write to it (an Enhanced mode task logs to /aws/datasync by itself)")
    options = peek(args.props, "options")
    if not is_map(options):
        return  # left out (no Options sent), or unknown until the update
    level = peek(options, "logLevel")
    if level is None or level == "OFF":
        state = "OFF" if level else "unset (OFF)"
        yield (f"options.logLevel is {state}: DataSync publishes no logs of the task's transfers; set BASIC (errors "
               "for individual files) or TRANSFER (every file or object transferred and checked)")
