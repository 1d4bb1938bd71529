"""Every CloudWatch alarm the platform creates goes through `AlarmRouting.alarm`, so every alarm:

- is of a known kind (`KINDS`), and each kind has its runbook `docs/runbooks/<kind>.md`;
- names that runbook in its description (`alarms.runbookBaseUrl` + the file path), so the notification
  tells the person paged what to open;
- notifies the paging or the non-paging topic by its kind's severity (`alarms.severity` overrides the
  defaults below), for both ALARM and OK (and INSUFFICIENT_DATA where its data stopping is the outage).

Events that are not metrics (CloudTrail API calls) go through `AlarmRouting.event_rule` the same way: an
EventBridge rule with the kind's tags and runbook, whose target is the severity's topic.

`tests/test_runbooks.py` fails if an alarm has no runbook or a runbook has no alarm kind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import json

import pulumi
import pulumi_aws as aws

if TYPE_CHECKING:  # config imports this module's alarm kinds
    from .config import AlarmsConfig

PAGE, TICKET = "page", "ticket"
SEVERITIES = (PAGE, TICKET)
RUNBOOK_DIR = "docs/runbooks"
# AlarmDescription and an EventBridge rule's Description (botocore's cloudwatch and events models).
ALARM_DESCRIPTION_MAX, RULE_DESCRIPTION_MAX = 1024, 512

# Each kind of alarm and who hears about it by default: customer-facing failure pages, pressure tickets.
KINDS: Mapping[str, str] = {
    "service-tasks-below-desired": PAGE,
    "service-5xx-rate": PAGE,
    "service-p99-latency": PAGE,
    "service-cpu-high": TICKET,
    "service-memory-high": TICKET,
    "load-balancer-no-healthy-hosts": PAGE,
    "load-balancer-unhealthy-hosts": TICKET,
    "api-5xx-rate": PAGE,
    "api-p99-latency": PAGE,
    "api-4xx-rate": TICKET,
    # Egress (components/egress.py, components/network.py): external calls fail on port exhaustion; the rest
    # is a ticket (a dropped packet or blocked name is usually a caller nobody declared).
    "nat-gateway-port-allocation-errors": PAGE,
    "nat-gateway-packets-dropped": TICKET,
    "vpc-endpoint-packets-dropped": TICKET,
    "dns-firewall-blocked-queries": TICKET,
    "network-firewall-dropped-packets": TICKET,
    # The global layer (components/edge.py): a region's Route 53 health check is failing it out of DNS.
    "region-health-check-failed": PAGE,
    # The iot stack's device APIs: the WebSocket API's functions (devices cannot connect), and the HTTP and
    # WebSocket APIs' own server-side errors (telemetry or commands are failing).
    "device-function-errors": PAGE,
    "device-api-error-rate": PAGE,
    # An EventBridge rule, not a metric: someone stopped, deleted or reconfigured the audit trail.
    "audit-trail-changed": PAGE,
    # The trail logs but cannot write (its key or bucket policy changed): the audit record has a gap.
    "audit-trail-not-delivering": PAGE,
    # The account activity CIS asks to be alerted to (root use, refused calls, IAM, network and key changes), seen
    # in the trail's CloudWatch Logs copy: a deploy makes some of it, so a ticket for whoever reviews security.
    "audit-account-activity": TICKET,
}


def rate_expression(errors: Sequence[str], requests: Sequence[str]) -> str:
    """Percent of requests that failed. Several metrics on a side are added point by point, each gap filled with
    0 (a sum with a missing point has no point, and one quiet metric would hide the others)."""
    def total(ids: Sequence[str]) -> str:
        return ids[0] if len(ids) == 1 else "(" + " + ".join(f"FILL({i}, 0)" for i in ids) + ")"
    return f"IF({total(requests)} > 0, 100 * {total(errors)} / {total(requests)}, 0)"


@dataclass(frozen=True)
class Metric:
    """A CloudWatch metric as an alarm or a graph reads it."""

    namespace: str
    name: str
    dimensions: Mapping[str, pulumi.Input[str]]
    stat: str


def rate_queries(errors: Sequence[Metric], requests: Sequence[Metric],
                 label: str) -> list[aws.cloudwatch.MetricAlarmMetricQueryArgs]:
    """The metric queries of an error-rate alarm: each side's metrics, their per-minute `stat` (`errors`, or
    `errors0`, `errors1`, ...; the same for `requests`), and the percent of requests that failed (`rate`). A
    request metric that is also an error metric (one answer class among all of them) is read once."""
    def ids(prefix: str, metrics: Sequence[Metric]) -> list[str]:
        return [prefix] if len(metrics) == 1 else [f"{prefix}{i}" for i in range(len(metrics))]

    error_ids = ids("errors", errors)
    request_ids = [error_ids[errors.index(m)] if m in errors else query_id
                   for query_id, m in zip(ids("requests", requests), requests)]
    reads = dict(zip(error_ids, errors)) | dict(zip(request_ids, requests))
    return [*(aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id=query_id, return_data=False, metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                    namespace=m.namespace, metric_name=m.name, dimensions=dict(m.dimensions), period=60, stat=m.stat))
              for query_id, m in reads.items()),
            aws.cloudwatch.MetricAlarmMetricQueryArgs(id="rate", label=label, return_data=True,
                                                      expression=rate_expression(error_ids, request_ids))]


def three_of_five_minutes() -> dict:
    """Over the threshold in 3 of 5 minutes; a minute without data is no breach (an error rate's quiet minute is 0 %,
    a latency's or a drop count's has nothing to judge)."""
    return dict(evaluation_periods=5, datapoints_to_alarm=3, treat_missing_data="notBreaching")


def runbook_path(kind: str) -> str:
    return f"{RUNBOOK_DIR}/{kind}.md"


@dataclass(frozen=True)
class AlarmRouting:
    """Where alarms go and where their runbooks live; the one way components create alarms."""

    paging_topic_arn: pulumi.Input[str]
    ticket_topic_arn: pulumi.Input[str]
    runbook_base_url: str
    # Kind -> severity, after the stack's overrides.
    severities: Mapping[str, str] = field(default_factory=lambda: dict(KINDS))

    @classmethod
    def from_config(cls, alarms: "AlarmsConfig", paging_topic_arn: pulumi.Input[str],
                    ticket_topic_arn: pulumi.Input[str]) -> "AlarmRouting":
        """From the stack's `alarms` settings (components.config.AlarmsConfig)."""
        return cls(paging_topic_arn=paging_topic_arn, ticket_topic_arn=ticket_topic_arn,
                   runbook_base_url=alarms.runbook_base_url, severities=dict(alarms.severities))

    def severity(self, kind: str) -> str:
        if kind not in KINDS:
            raise ValueError(f"alarm kind {kind!r} has no runbook (add it to components/alarms.KINDS and "
                             f"{runbook_path(kind)})")
        return self.severities.get(kind, KINDS[kind])

    def topic(self, kind: str) -> pulumi.Input[str]:
        return self.paging_topic_arn if self.severity(kind) == PAGE else self.ticket_topic_arn

    def runbook_url(self, kind: str) -> str:
        return f"{self.runbook_base_url.rstrip('/')}/{runbook_path(kind)}"

    def description(self, kind: str, summary: str, limit: int = ALARM_DESCRIPTION_MAX) -> str:
        """The summary (one line), then the severity and the runbook's link, which a long summary never cuts off
        (config holds the link short enough: RUNBOOK_URL_MAX)."""
        tail = f". Severity: {self.severity(kind)}. Runbook: {self.runbook_url(kind)}"
        return summary[:max(limit - len(tail), 0)] + tail

    def alarm(self, resource_name: str, *, kind: str, name: pulumi.Input[str], summary: pulumi.Input[str],
              opts: Optional[pulumi.ResourceOptions] = None, notify_no_data: bool = False,
              **metric: Any) -> aws.cloudwatch.MetricAlarm:
        """An alarm that notifies its kind's topic when it fires and clears; `notify_no_data`: also when its data
        stops (OK to INSUFFICIENT_DATA; a new alarm starts there, which notifies no one)."""
        topic = [self.topic(kind)]
        description = (self.description(kind, summary) if isinstance(summary, str)
                       else pulumi.Output.from_input(summary).apply(lambda text: self.description(kind, text)))
        return aws.cloudwatch.MetricAlarm(
            resource_name, name=name, alarm_description=description,
            alarm_actions=topic, ok_actions=topic, insufficient_data_actions=topic if notify_no_data else None,
            tags={"AlarmKind": kind, "Severity": self.severity(kind)}, **metric, opts=opts)

    def average_rate(self, resource_name: str, *, kind: str, name: pulumi.Input[str], summary: str, namespace: str,
                     metric_name: str, dimensions: Mapping[str, pulumi.Input[str]], threshold_percent: float,
                     opts: Optional[pulumi.ResourceOptions] = None) -> aws.cloudwatch.MetricAlarm:
        """Alarm on a metric that is 0 or 1 per request (API Gateway's REST 5XXError, 4XXError), whose per-minute
        Average is therefore the error rate: one metric and no math, which a Route 53 health check can follow
        (it takes only single-metric alarms). Same window as `error_rate`."""
        return self.alarm(
            resource_name, kind=kind, name=name, summary=summary, namespace=namespace, metric_name=metric_name,
            dimensions=dimensions, statistic="Average", period=60, threshold=threshold_percent / 100,
            comparison_operator="GreaterThanThreshold", **three_of_five_minutes(), opts=opts)

    def error_rate(self, resource_name: str, *, kind: str, name: pulumi.Input[str], summary: str, namespace: str,
                   dimensions: Union[Mapping[str, pulumi.Input[str]], Sequence[Mapping[str, pulumi.Input[str]]]],
                   errors: Sequence[str], requests: Sequence[str], threshold: float, label: str,
                   opts: Optional[pulumi.ResourceOptions] = None) -> aws.cloudwatch.MetricAlarm:
        """Alarm when the per-minute sums of `errors` exceed `threshold` % of those of `requests`, in 3 of 5 minutes
        (a quiet minute counts as 0 %, never as missing data). `dimensions` is one set, or several whose metrics
        are added (a load balancer's target groups)."""
        dimension_sets = [dimensions] if isinstance(dimensions, Mapping) else list(dimensions)

        def series(names: Sequence[str]) -> list[Metric]:
            return [Metric(namespace, metric_name, dict(dims), "Sum")
                    for metric_name in names for dims in dimension_sets]

        return self.alarm(
            resource_name, kind=kind, name=name, summary=summary,
            comparison_operator="GreaterThanThreshold", threshold=threshold, **three_of_five_minutes(),
            metric_queries=rate_queries(series(errors), series(requests), label), opts=opts)

    def event_rule(self, resource_name: str, *, kind: str, name: str, summary: str, event_pattern: pulumi.Input[str],
                   message_paths: Mapping[str, str], opts: Optional[pulumi.ResourceOptions] = None
                   ) -> aws.cloudwatch.EventRule:
        """An EventBridge rule that notifies like an alarm: its description and message carry the runbook.

        `message_paths` name event fields (`$.detail.eventName`, ...) quoted in the message as `<key>`."""
        rule = aws.cloudwatch.EventRule(
            resource_name, name=name, description=self.description(kind, summary, RULE_DESCRIPTION_MAX),
            event_pattern=event_pattern,
            tags={"AlarmKind": kind, "Severity": self.severity(kind)}, opts=opts)
        fields = ", ".join(f"{key} <{key}>" for key in message_paths)
        aws.cloudwatch.EventTarget(
            resource_name, rule=rule.name, arn=self.topic(kind),
            input_transformer=aws.cloudwatch.EventTargetInputTransformerArgs(
                input_paths=dict(message_paths),
                input_template=json.dumps(f"{self.description(kind, summary)} ({fields})")),
            opts=opts)
        return rule
