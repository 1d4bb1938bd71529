"""CloudWatch guardrails: log groups encrypted with a KMS key that CloudWatch Logs may use, and kept a year; alarms
that act.

Also what other families ask of CloudWatch: whether a telemetry rule or a vended log delivery may log their resources.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from ..core.props import UNKNOWN, peek, peek_items
from ..core.stack import may_refer, of_type, referring, refers_to, region_of

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
# Vended logs (PutDeliverySource, CreateDelivery): a delivery source names the resource whose logs of one `logType` it
# sends (`resourceArn`); a delivery names the source by `deliverySourceName` and sends them to a destination. A
# source without a delivery sends nothing.
LOG_DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource"
LOG_DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery"
# CloudWatch's telemetry rules (observabilityadmin) turn on a resource type's telemetry for the resources they select.
TELEMETRY_RULES = ("aws:observabilityadmin/telemetryRule:TelemetryRule",
                   "aws:observabilityadmin/telemetryRuleForOrganization:TelemetryRuleForOrganization")


def telemetry_may_log(resources: Iterable[Any], resource_type: str, log_types: tuple[str, ...] = ()) -> bool:
    """Whether a telemetry rule of the stack may turn on logs for resources of `resource_type` (observabilityadmin's
    ResourceType, a CloudFormation type name): its `rule` has that `resourceType` and `telemetryType` Logs, or either
    unknown; with `log_types`, the rule's `destinationConfiguration.logDeliveryParameters.logTypes` (the log types it
    delivers, for a type with several: an ALB's access, connection and health check logs) hold one of them, or are
    unknown or unset. Which resources it selects (its selection criteria, scope and regions) is not read: it may be
    any."""
    for rule in of_type(resources, *TELEMETRY_RULES):
        kind, telemetry = peek(rule.props, "rule", "resourceType"), peek(rule.props, "rule", "telemetryType")
        if kind in (UNKNOWN, resource_type) and telemetry in (UNKNOWN, "Logs") and _delivers(rule, log_types):
            return True
    return False


def _delivers(rule: Any, log_types: tuple[str, ...]) -> bool:
    """Whether a telemetry rule may deliver one of `log_types` (any, where none are asked)."""
    if not log_types:
        return True
    chosen = [kind for destination in peek_items(rule.props, "rule", "destinationConfiguration")
              for parameters in peek_items(destination, "logDeliveryParameters")
              for kind in peek_items(parameters, "logTypes")]
    return not chosen or UNKNOWN in chosen or any(kind in log_types for kind in chosen)


def delivery_may_send(resources: list, target: Any, log_type: Optional[str], region: Optional[str] = None) -> bool:
    """Whether a vended log delivery may send `target`'s logs of `log_type`: a `LogDeliverySource` of that `logType`
    (or one unknown) whose `resourceArn` may name the target, and a `LogDelivery` whose `deliverySourceName` may name
    that source (by name, in its own account and region). With `region`, the only region the target's service takes
    its sources in, a source known to live in another (`region_of`) sends nothing."""
    for source in may_refer(resources, (LOG_DELIVERY_SOURCE,), "resourceArn", target, keys=("arn",)):
        if peek(source.props, "logType") not in (UNKNOWN, log_type):
            continue
        where = region_of(source)
        if region and isinstance(where, str) and where != region:
            continue
        if refers_to(source, "resourceArn", [peek(source.props, "resourceArn")], target, ("arn",)) is False:
            continue
        delivered, maybe = referring(resources, (LOG_DELIVERY,), "deliverySourceName", source, keys=("name",),
                                     regional=True)
        if delivered or maybe:
            return True
    return False
