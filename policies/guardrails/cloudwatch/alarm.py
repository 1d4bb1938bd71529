"""Alarms: one that goes into ALARM runs an action, and its actions are not switched off, so its state change reaches
someone."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_false, peek, peek_items
from ..core.registry import ADVISORY, knob_names, resource_policy, string_list
from . import COMPOSITE_ALARM, METRIC_ALARM
from .names import UPSERTED_BY_NAME

ALARMS = (METRIC_ALARM, COMPOSITE_ALARM)
EXEMPT_ALARMS = {"exemptAlarms": string_list(
    "Alarms (alarm names or resource names, shell wildcards) whose state another resource acts on: a composite "
    "alarm's rule, an ECS service's or CodeDeploy group's deployment alarms, a Route 53 health check.")}


def _exempt(args: ResourceValidationArgs) -> bool:
    """Whether knob `exemptAlarms` names the alarm (by `name`, a composite's `alarmName`, or its resource name)."""
    return knob_names(args, "exemptAlarms", peek(args.props, UPSERTED_BY_NAME[args.resource_type].prop))


@resource_policy(
    "cloudwatch-alarm-actions", ALARMS,
    description="CloudWatch metric and composite alarms should have an action for the ALARM state (alarmActions), "
                "or the alarm changes state and tells no one.",
    severity=Severity.HIGH, level=ADVISORY, config=EXEMPT_ALARMS,
    anchors=("Security Hub CloudWatch.15", "Config cloudwatch-alarm-action-check"),
)
def alarm_actions(args: ResourceValidationArgs) -> Iterator[str]:
    """`alarmActions` names at least one action (PutMetricAlarm and PutCompositeAlarm take up to 5 ARNs: an SNS
    topic, a Lambda function, a Systems Manager OpsItem or incident response plan, and for a metric alarm EC2 and Auto
    Scaling actions; none by default). A list or action unknown until the update counts as one (knob
    `exemptAlarms`, read only for an alarm that has none: AWS's composite alarms guide has the alarms a composite
    watches take no actions of their own, and an ECS service's deployment alarms or a Route 53 health check act on
    an alarm's state too, none of which a resource policy sees; hence advisory by default)"""
    actions = peek_items(args.props, "alarmActions")  # [UNKNOWN] for a list unknown until the update
    if actions:
        return
    if _exempt(args):
        args.not_applicable("exempted by the policy config")
    state = "empty" if peek(args.props, "alarmActions") is not None else "unset"
    yield (f"alarmActions is {state}: the alarm goes into ALARM and no action runs, so no one is told; add an SNS "
           f"topic (or a Lambda function, an OpsItem or incident action) ARN, or list the alarm in exemptAlarms if "
           f"another resource acts on its state (a composite alarm that watches it, an ECS service's deployment "
           f"alarms, a Route 53 health check)")


@resource_policy(
    "cloudwatch-alarm-actions-enabled", ALARMS,
    description="CloudWatch metric and composite alarms should not switch their actions off (actionsEnabled false), "
                "or none of them runs when the alarm changes state.",
    severity=Severity.HIGH, level=ADVISORY,
    anchors=("Security Hub CloudWatch.17", "Config cloudwatch-alarm-action-enabled-check"),
)
def actions_enabled(args: ResourceValidationArgs) -> Iterator[str]:
    """`actionsEnabled` is not false (PutMetricAlarm's and PutCompositeAlarm's default, and pulumi-aws's, is true);
    an unknown one is not judged. Advisory by default: a stack may keep its alarms and page no one on purpose (a
    disposable dev stack); a stack config makes it mandatory"""
    if is_false(peek(args.props, "actionsEnabled")):
        yield ("actionsEnabled is false: CloudWatch runs none of the alarm's actions (alarmActions, okActions, "
               "insufficientDataActions) when its state changes, so no one is told; leave it out (true by default) or "
               "set it true")
