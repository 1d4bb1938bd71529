"""Alarms: one that goes into ALARM runs an action, and its actions are not switched off, so its state change reaches
someone."""
from __future__ import annotations

import re
from typing import Any, Iterator, NamedTuple

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, is_true, peek, peek_items, peek_path_items
from ..core.registry import ADVISORY, knob_names, stack_policy, string_list
from ..core.stack import of_type
from ..core.switches import switch_policy
from ..ecs import SERVICE as ECS_SERVICE
from ..route53 import HEALTH_CHECK
from . import COMPOSITE_ALARM, METRIC_ALARM
from .names import UPSERTED_BY_NAME

ALARMS = (METRIC_ALARM, COMPOSITE_ALARM)
# Watchers of families the pack has no module for.
CODEDEPLOY_GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup"
APPCONFIG_ENVIRONMENT = "aws:appconfig/environment:Environment"
EXEMPT_ALARMS = {"exemptAlarms": string_list(
    "Alarms (alarm names or resource names, shell wildcards) whose state a resource of another stack acts on: a "
    "composite alarm's rule or actions suppressor, an ECS service's, CodeDeploy group's or AppConfig environment's "
    "deployment alarms, a Route 53 health check.")}


class _Watcher(NamedTuple):
    """A resource type that acts on the alarms `path` names (by name or ARN), while its `switch` flag, where it has
    one, is true and its `disabled` flag, where it has one, is not."""
    kind: str
    path: tuple[str, ...]
    switch: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()

    def off(self, props: Any) -> bool:
        """Whether it is known to act on none of its alarms (a switch left out is off); an unknown flag may be on."""
        switch = peek(props, *self.switch) if self.switch else True
        if switch is not UNKNOWN and not is_true(switch):
            return True
        return bool(self.disabled) and is_true(peek(props, *self.disabled))


# Who else acts on an alarm's state: a composite whose actions it suppresses (PutCompositeAlarm's ActionsSuppressor),
# a deployment that rolls back on it (ECS's `alarms.enable`, required; CodeDeploy's `alarmConfiguration.enabled`,
# which the provider sends false when left out: terraform-provider-aws expandAlarmConfiguration; AppConfig's Monitors
# by ARN), a health check that follows it (Route 53 stops monitoring a disabled one's alarm: its Disabled).
_WATCHERS = (_Watcher(COMPOSITE_ALARM, ("actionsSuppressor", "alarm")),
             _Watcher(ECS_SERVICE, ("alarms", "alarmNames"), ("alarms", "enable")),
             _Watcher(CODEDEPLOY_GROUP, ("alarmConfiguration", "alarms"), ("alarmConfiguration", "enabled")),
             _Watcher(APPCONFIG_ENVIRONMENT, ("monitors", "alarmArn")),
             _Watcher(HEALTH_CHECK, ("cloudwatchAlarmName",), disabled=("disabled",)))
# A composite's rule names each alarm it watches in ALARM(...), OK(...) or INSUFFICIENT_DATA(...), by name or ARN,
# with or without double quotes (PutCompositeAlarm's AlarmRule).
_RULE_REFERENCE = re.compile(r'\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:"([^"]*)"|([^()\s]+))\s*\)')


def _alarm_name(reference: Any) -> Any:
    """The alarm name an alarm name or ARN (`arn:...:alarm:<name>`) gives; anything else as it is."""
    return reference.rsplit(":alarm:", 1)[-1] if isinstance(reference, str) else reference


def _watched(resources: list) -> tuple[set, bool]:
    """The alarm names a composite alarm's rule or another resource of the stack acts on, and whether some such
    reference is unknown until the update (then any alarm may be watched)."""
    names, unsure = set(), False
    for composite in of_type(resources, COMPOSITE_ALARM):
        rule = peek(composite.props, "alarmRule")
        if rule is UNKNOWN:
            unsure = True
        elif isinstance(rule, str):
            names.update(_alarm_name(quoted or bare) for quoted, bare in _RULE_REFERENCE.findall(rule))
    for spec in _WATCHERS:
        for watcher in of_type(resources, spec.kind):
            if spec.off(watcher.props):
                continue
            for name in peek_path_items(watcher.props, *spec.path):
                unsure |= name is UNKNOWN
                if isinstance(name, str):  # a map or list names no alarm (and could not go in a set)
                    names.add(_alarm_name(name))
    return names, unsure


@stack_policy(
    "cloudwatch-alarm-actions", ALARMS,
    description="CloudWatch metric and composite alarms should have an action for the ALARM state (alarmActions), "
                "or the alarm changes state and tells no one.",
    severity=Severity.HIGH, level=ADVISORY, config=EXEMPT_ALARMS,
    anchors=("Security Hub CloudWatch.15", "Config cloudwatch-alarm-action-check"),
)
def alarm_actions(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`alarmActions` names at least one action (up to 5 ARNs, none by default: an SNS topic, a Lambda function, a
    Systems Manager OpsItem, an Amazon Q Developer investigation group, and for a metric alarm also EC2, Auto Scaling
    and Incident Manager response plan actions: PutMetricAlarm's and PutCompositeAlarm's AlarmActions), unless another
    resource of the stack acts on the alarm's state by its name: a composite alarm's `alarmRule` (AWS's composite
    alarms guide has the alarms a composite watches take no actions of their own) or `actionsSuppressor.alarm`, an ECS
    service's `alarms.alarmNames` (`enable` true), a CodeDeploy deployment group's `alarmConfiguration.alarms`
    (`enabled` true), an AppConfig environment's `monitors[].alarmArn`, a Route 53 health check's
    `cloudwatchAlarmName` (`disabled` not true). A list or action unknown until the update counts as one; an unknown
    rule or watched name may name any alarm, and an alarm's unknown name any watched one (knob `exemptAlarms` for
    watchers in other stacks, read only for an alarm that has no action). Advisory by default: such a watcher may
    live in another stack"""
    watched, unsure = _watched(args.resources)
    for alarm in of_type(args.resources, *ALARMS):
        actions = peek_items(alarm.props, "alarmActions")  # [UNKNOWN] for a list unknown until the update
        name = peek(alarm.props, UPSERTED_BY_NAME[alarm.resource_type].prop)
        if actions or unsure or (isinstance(name, str) and name in watched) or (name is UNKNOWN and watched):
            continue
        if knob_names(args, "exemptAlarms", name, alarm.name):
            continue
        state = "empty" if peek(alarm.props, "alarmActions") is not None else "unset"
        yield (f"alarmActions is {state} and nothing in the stack acts on the alarm's state: it goes into ALARM and "
               f"no action runs, so no one is told; add an SNS topic (or a Lambda function, an OpsItem or another "
               f"action) ARN, or list the alarm in exemptAlarms if a resource of another stack watches it (a "
               f"composite alarm, a deployment that rolls back on it, a Route 53 health check)"), alarm.urn


switch_policy(
    "cloudwatch-alarm-actions-enabled", ALARMS, "actionsEnabled",
    "CloudWatch runs none of the alarm's actions (alarmActions, okActions, insufficientDataActions) when its state "
    "changes, so no one is told; leave it out (true by default) or set it true",
    left_out=True,
    description="CloudWatch metric and composite alarms should not switch their actions off (actionsEnabled false), "
                "or none of them runs when the alarm changes state.",
    severity=Severity.HIGH, level=ADVISORY,
    anchors=("Security Hub CloudWatch.17", "Config cloudwatch-alarm-action-enabled-check"),
    checks="""
    `actionsEnabled` is not false (PutMetricAlarm's and PutCompositeAlarm's default, and pulumi-aws's, is true);
    an unknown one is not judged. Advisory by default: a stack may keep its alarms and page no one on purpose (a
    disposable dev stack); a stack config makes it mandatory""",
)
