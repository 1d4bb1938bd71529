"""Step Functions state machines, judged by what pulumi-aws sends (terraform-provider-aws `aws_sfn_state_machine`)
and what CreateStateMachine does with what it leaves out: without `loggingConfiguration`, level OFF."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import resource_policy
from . import STATE_MACHINE

# LogLevel values that write execution history to CloudWatch Logs (botocore's states model: ALL, ERROR, FATAL, OFF).
_LOGGING = ("ALL", "ERROR", "FATAL")


@resource_policy(
    "sfn-state-machine-logging", STATE_MACHINE,
    description="Step Functions state machines must log their executions to CloudWatch Logs, so a failed or "
                "tampered workflow (an ECS task it ran, a payment it made) leaves a record.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub StepFunctions.1", "Config step-functions-state-machine-logging-enabled"),
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`loggingConfiguration.level` is ALL, ERROR or FATAL and `logDestination` names a log group (left out, the
    level is OFF); unknown values are not judged"""
    level = peek(args.props, "loggingConfiguration", "level")
    destination = peek(args.props, "loggingConfiguration", "logDestination")
    if level is UNKNOWN or destination is UNKNOWN:
        return
    if level not in _LOGGING:
        yield (f"loggingConfiguration.level is {level if has_text(level) else 'unset (OFF)'}: no execution of the "
               "state machine is logged; set level ERROR (or ALL) and logDestination to a log group's ARN ending in :*")
    elif not has_text(destination):
        yield f"loggingConfiguration.level is {level} but no logDestination names a log group: nothing is written"
