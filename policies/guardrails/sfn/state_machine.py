"""Step Functions state machines, judged by what pulumi-aws sends (terraform-provider-aws `aws_sfn_state_machine`)
and what CreateStateMachine does with what it leaves out: without `loggingConfiguration`, level OFF."""
from __future__ import annotations

import re
from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import resource_policy
from . import STATE_MACHINE

# LogLevel values that write execution history to CloudWatch Logs (botocore's states model: ALL, ERROR, FATAL, OFF).
_LOGGING = ("ALL", "ERROR", "FATAL")
# What CreateStateMachine takes as a destination: a log group's ARN with the `:*` qualifier ("Log Group ARN must be
# provided with '*' qualifier"; pulumi-aws's LogGroup.arn has none).
_LOG_GROUP_ARN = re.compile(r"arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+:\*")


@resource_policy(
    "sfn-state-machine-logging", STATE_MACHINE,
    description="Step Functions state machines must log their executions to CloudWatch Logs, so a failed or "
                "tampered workflow (an ECS task it ran, a payment it made) leaves a record: an EXPRESS one keeps no "
                "history otherwise, a STANDARD one 90 days.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub StepFunctions.1", "Config step-functions-state-machine-logging-enabled"),
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`loggingConfiguration.level` is ALL, ERROR or FATAL (left out, the level is OFF) and `logDestination` is a log
    group's ARN with the `:*` qualifier CreateStateMachine asks for; unknown values are not judged"""
    level = peek(args.props, "loggingConfiguration", "level")
    if level is UNKNOWN:
        return
    if level not in _LOGGING:
        yield (f"loggingConfiguration.level is {level if has_text(level) else 'unset (OFF)'}: no execution of the "
               "state machine is logged; set level ERROR (or ALL) and logDestination to a log group's ARN ending in :*")
        return
    destination = peek(args.props, "loggingConfiguration", "logDestination")
    if destination is not UNKNOWN and not (isinstance(destination, str) and _LOG_GROUP_ARN.fullmatch(destination)):
        named = f"logDestination {destination}" if has_text(destination) else "no logDestination"
        yield (f"loggingConfiguration.level is {level} with {named}: CreateStateMachine refuses a logging level "
               "without a log group's ARN ending in :* (pulumi-aws's LogGroup arn has no :*; add it)")
