"""Names CloudWatch and EventBridge create *or update* by: alarms, dashboards, metric streams, rules and their targets,
metric and subscription filters, and CloudWatch Logs' destinations, delivery sources and destinations, account resource
policies and account policies; a log group's own resource policy by the group's ARN. Two resources given one name do
not fail: the second write overwrites the first, and each later update of either undoes the other (the provider makes
each with the Put call itself, asking first whether the name is taken for none of these)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator, NamedTuple, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, arn_account, arn_region, is_present, peek
from ..core.registry import stack_policy
from ..core.stack import account_key, account_of, of_type, region_of
from ..eventbridge import EVENT_BUS
from . import COMPOSITE_ALARM, LOG_DELIVERY_SOURCE, METRIC_ALARM


class _Upserted(NamedTuple):
    prop: str  # the prop naming it
    call: str  # AWS's call that creates or updates by that name
    noun: str  # what the name is: metric and composite alarms share their names
    scope: str  # where the name is one: "region", "account" (dashboards), or in a region within `container`
    # (a "bus", a "log group", a "rule", which is itself on a bus, or a "policy type")
    container: Optional[str] = None  # the prop naming what holds it (a rule's event bus, a filter's log group)
    by: str = "name"  # what the call creates or updates by
    fix: Optional[str] = None  # what to do instead, where not to give each its own `by`


_LOG_RESOURCE_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
UPSERTED_BY_NAME = {
    METRIC_ALARM: _Upserted("name", "PutMetricAlarm", "alarm", "region"),
    COMPOSITE_ALARM: _Upserted("alarmName", "PutCompositeAlarm", "alarm", "region"),
    # "All dashboards in your account are global" (PutDashboard).
    "aws:cloudwatch/dashboard:Dashboard": _Upserted("dashboardName", "PutDashboard", "dashboard", "account"),
    "aws:cloudwatch/metricStream:MetricStream": _Upserted("name", "PutMetricStream", "metric stream", "region"),
    "aws:cloudwatch/eventRule:EventRule": _Upserted("name", "PutRule", "rule", "bus", "eventBusName"),
    # A target's id is one per rule (on its bus); left out, the provider makes one up.
    "aws:cloudwatch/eventTarget:EventTarget": _Upserted("targetId", "PutTargets", "target", "rule", "rule", "id"),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": _Upserted("name", "PutMetricFilter", "metric filter",
                                                                "log group", "logGroupName"),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": _Upserted("name", "PutSubscriptionFilter",
                                                                            "subscription filter", "log group",
                                                                            "logGroup"),
    # CloudWatch Logs' "Creates or updates" calls, each a name per account and region.
    "aws:cloudwatch/logDestination:LogDestination": _Upserted("name", "PutDestination", "log destination", "region"),
    LOG_DELIVERY_SOURCE: _Upserted("name", "PutDeliverySource", "delivery source", "region"),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": _Upserted("name", "PutDeliveryDestination",
                                                                              "delivery destination", "region"),
    # An account-level policy has a `policyName`; a log group's own (`resourceArn`, exactly one of the two) has none:
    # it is put by its log group's ARN (`_LOG_GROUP_POLICY`).
    _LOG_RESOURCE_POLICY: _Upserted("policyName", "PutResourcePolicy", "account resource policy", "region"),
    # An account-level data protection, subscription filter, transformer, ... policy: by name within its type.
    "aws:cloudwatch/logAccountPolicy:LogAccountPolicy": _Upserted("policyName", "PutAccountPolicy", "account policy",
                                                                  "policy type", "policyType"),
}
# A log group has one resource policy ("one per LogGroup resourceARN", PutResourcePolicy): a second replaces it.
# The key is the ARN in its own account and region (`_namespace`).
_LOG_GROUP_POLICY = _Upserted("resourceArn", "PutResourcePolicy", "log group resource policy", "region",
                              by="resourceArn", fix="merge their statements into one policy")
_IN_SCOPE = {"region": "in its region", "account": "in the account", "bus": "on its event bus",
             "log group": "on its log group", "rule": "on its rule", "policy type": "of its type in its region"}


def _bus_accounts(resources: list) -> dict:
    """The account id each provider (an `account_of` answer) writes in, where the known ARNs of its stack event buses
    name one: a rule on a bus given by name then shares it with one given by the bus's ARN."""
    seen: dict = defaultdict(set)
    for bus in of_type(resources, EVENT_BUS):
        account, written = arn_account(peek(bus.props, "arn")), account_of(bus)
        if account and written is not UNKNOWN:
            seen[written].add(account)
    return {written: account_key(ids.pop()) for written, ids in seen.items() if len(ids) == 1}


def _arn_place(arn: Any) -> tuple[Any, Any]:
    """The account and region an ARN names, each UNKNOWN where it names none (what waits is not judged)."""
    account = arn_account(arn)
    return (account_key(account) if account else UNKNOWN), arn_region(arn) or UNKNOWN


def _upserted(resource: Any) -> _Upserted:
    """How the resource is created or updated: a log group's resource policy by its `resourceArn`, the others by
    `UPSERTED_BY_NAME`."""
    if resource.resource_type == _LOG_RESOURCE_POLICY and is_present(resource.props, "resourceArn"):
        return _LOG_GROUP_POLICY
    return UPSERTED_BY_NAME[resource.resource_type]


def _namespace(resource: Any, upserted: _Upserted, bus_accounts: dict) -> Optional[tuple]:
    """The namespace and name the resource is written under (as `upserted` says it is written), or None where either
    is unknown (or it is auto-named, which the provider makes unique)."""
    name = peek(resource.props, upserted.prop)
    account = account_of(resource)
    account = account if account is UNKNOWN else bus_accounts.get(account, account)
    region = "everywhere" if upserted.scope == "account" else region_of(resource)
    container = peek(resource.props, upserted.container) if upserted.container else None
    bus = peek(resource.props, "eventBusName") if upserted.scope in ("bus", "rule") else None
    if isinstance(bus, str) and bus.startswith("arn:"):
        # PutRule and PutTargets take a bus's ARN, another account's or region's too (EventBridge's "Permissions for
        # event buses"): the rule is on that bus, wherever the provider writes. An ARN without an account id is
        # not judged.
        account, region = _arn_place(bus)
    if upserted is _LOG_GROUP_POLICY:  # the log group's ARN names its account and region
        account, region = _arn_place(name)
    if not isinstance(name, str) or not name or UNKNOWN in (account, region, container, bus):
        return None
    # An event bus (text to events' PutRule and PutTargets: EventBusNameOrArn) or a log group, rule or policy type
    # given as a map, list, number or boolean names none (and would not hash): not judged (region_of answers UNKNOWN
    # for such a region).
    if not all(isinstance(part, (str, type(None))) for part in (container, bus)):
        return None
    if upserted.scope in ("bus", "rule"):  # a bus is named by its name or its ARN (...:event-bus/<name>)
        bus = bus.rsplit("event-bus/", 1)[-1] if bus else "default"
        container = bus if upserted.scope == "bus" else (bus, container)
    return upserted.noun, (account, region), container, name


@stack_policy(
    "cloudwatch-names-unique", tuple(UPSERTED_BY_NAME),
    description="Two CloudWatch alarms, metric streams, Logs destinations, delivery sources, delivery destinations, "
                "account resource policies, account policies of one type or EventBridge rules in one account and "
                "region, two targets of one rule, two metric or subscription filters on one log group, or two "
                "dashboards in one account, must not have one name, and a log group must not have two resource "
                "policies: AWS creates or updates them by name (a log group's policy by the group's ARN), so the "
                "second silently overwrites the first.",
    severity=Severity.HIGH,
    anchors=(),
    anchor_note="PutMetricAlarm, PutCompositeAlarm, PutDashboard, PutMetricStream, PutRule, PutTargets, "
                "PutMetricFilter, PutSubscriptionFilter, PutDestination, PutDeliverySource, PutDeliveryDestination, "
                "PutResourcePolicy and PutAccountPolicy, each of which creates or updates",
)
def names_unique(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no two metric or composite alarms, metric streams, CloudWatch Logs destinations, delivery sources, delivery
    destinations or account-level resource policies (`policyName`), account policies of one `policyType` (`policyName`),
    EventBridge rules (on one event bus), targets (`targetId`, on one rule of one bus) or log metric or subscription
    filters (on one log group) share a known name in one account and region, and no two dashboards in one account (they
    are region-less); nor do two log group resource policies name one known `resourceArn` (PutResourcePolicy keeps one
    per log group, a second replaces it), in the ARN's account and region. The account is an explicit provider's one
    `allowedAccountIds`, else the last role it assumes, else its `profile`, else that provider when it has credentials
    of its own (static keys, shared files, web identity), else the default provider's; the region a resource's `region`,
    else its provider's (explicit, or the engine's default). A rule or target whose `eventBusName` is a bus's ARN is in
    the ARN's account and region instead, so it shares a name only with one there whose account is known (an id its
    provider is pinned to or assumes a role in, or the one a stack event bus's known ARN under that provider names).
    Every member of such a group is reported, so a name unknown until the update only leaves one out; unknown names,
    accounts and regions are skipped, and auto-named resources never collide"""
    groups: dict[tuple, list] = defaultdict(list)
    bus_accounts = _bus_accounts(args.resources)
    for resource in of_type(args.resources, *UPSERTED_BY_NAME):
        upserted = _upserted(resource)
        key = _namespace(resource, upserted, bus_accounts)
        if key is not None:
            groups[key].append((resource, upserted))
    for (noun, _, _, name), members in groups.items():
        if len(members) < 2:
            continue
        for resource, upserted in members:
            fix = upserted.fix or f"give each its own {upserted.by}"
            message = (f"{name!r} names another {noun} {_IN_SCOPE[upserted.scope]} too: {upserted.call} creates or "
                       f"updates by {upserted.by}, so they overwrite each other at every update; {fix}")
            yield message, resource.urn
