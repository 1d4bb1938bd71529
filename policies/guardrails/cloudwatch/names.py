"""Names CloudWatch and EventBridge create *or update* by: alarms, dashboards, rules. Two resources given one name
do not fail: the second write overwrites the first, and each later update of either undoes the other."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, peek
from ..core.registry import stack_policy
from ..core.stack import of_type

# Type -> the prop naming it, and AWS's call that creates or updates by that name.
UPSERTED_BY_NAME = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", "PutMetricAlarm"),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": ("alarmName", "PutCompositeAlarm"),
    "aws:cloudwatch/dashboard:Dashboard": ("dashboardName", "PutDashboard"),
    "aws:cloudwatch/eventRule:EventRule": ("name", "PutRule"),
}
# Metric and composite alarms share one namespace of names per account and region; a rule's is its event bus;
# dashboards have one per account ("All dashboards in your account are global", PutDashboard).
_NAMESPACE = {"aws:cloudwatch/compositeAlarm:CompositeAlarm": "aws:cloudwatch/metricAlarm:MetricAlarm"}
_ON_A_BUS = "aws:cloudwatch/eventRule:EventRule"
_ACCOUNT_WIDE = "aws:cloudwatch/dashboard:Dashboard"


def _where(resource: Any) -> Optional[tuple]:
    """Which account-and-region namespace the resource is written in, as far as the stack tells: its own `region`
    (pulumi-aws 7), else its explicit provider's region, else that provider, else the default provider. None
    when a region is unknown."""
    region = peek(resource.props, "region")
    if region is UNKNOWN:
        return None
    if region:
        return ("region", region)
    provider = getattr(resource, "provider", None)
    if provider is None:
        return ("default provider",)
    region = peek(provider.props, "region")
    if region is UNKNOWN:
        return None
    return ("region", region) if region else ("provider", provider.name)


@stack_policy(
    "cloudwatch-names-unique", tuple(UPSERTED_BY_NAME),
    description="Two CloudWatch alarms or EventBridge rules in one region, or two dashboards in one account, must "
                "not have one name: AWS creates or updates them by name, so the second silently overwrites the first.",
    severity=Severity.HIGH,
    anchors=(),
    anchor_note="PutMetricAlarm, PutCompositeAlarm, PutDashboard and PutRule, each of which creates or updates",
)
def names_unique(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no two metric or composite alarms, or EventBridge rules (on one event bus), share a known name in one region
    (a resource's `region`, else its explicit provider's), and no two dashboards share one at all (they are
    account-wide); unknown names and regions are skipped, and auto-named ones never collide"""
    first: dict[tuple, Any] = {}
    for resource in of_type(args.resources, *UPSERTED_BY_NAME):
        prop, call = UPSERTED_BY_NAME[resource.resource_type]
        name = peek(resource.props, prop)
        where = ("account",) if resource.resource_type == _ACCOUNT_WIDE else _where(resource)
        bus = peek(resource.props, "eventBusName") if resource.resource_type == _ON_A_BUS else ""
        if not isinstance(name, str) or not name or where is None or bus is UNKNOWN:
            continue
        key = (_NAMESPACE.get(resource.resource_type, resource.resource_type), where, bus or "default", name)
        if key not in first:
            first[key] = resource
            continue
        yield (f"{name!r} also names {first[key].name} ({first[key].resource_type.rsplit(':', 1)[1]}): {call} "
               "creates or updates by name, so one overwrites the other at every update; give each its own "
               "name"), resource.urn
