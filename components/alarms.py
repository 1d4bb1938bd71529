"""Every CloudWatch alarm the platform creates goes through `AlarmRouting.alarm`, so every alarm:

- is of a known kind (`KINDS`), and each kind has its runbook `docs/runbooks/<kind>.md`;
- names that runbook in its description (`alarms.runbookBaseUrl` + the file path), so the notification
  tells the person paged what to open;
- notifies the paging or the non-paging topic by its kind's severity (`alarms.severity` overrides the
  defaults below), for both ALARM and OK.

Events that are not metrics (CloudTrail API calls) go through `AlarmRouting.event_rule` the same way: an
EventBridge rule with the kind's tags and runbook, whose target is the severity's topic.

`tests/test_runbooks.py` fails if an alarm has no runbook or a runbook has no alarm kind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

import json

import pulumi
import pulumi_aws as aws

PAGE, TICKET = "page", "ticket"
SEVERITIES = (PAGE, TICKET)
RUNBOOK_DIR = "docs/runbooks"

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
    # The iot stack's WebSocket API functions (components/websocket_api.py): devices cannot connect.
    "device-function-errors": PAGE,
    # An EventBridge rule, not a metric: someone stopped, deleted or reconfigured the audit trail.
    "audit-trail-changed": PAGE,
}


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
    def from_config(cls, alarms: Any, paging_topic_arn: pulumi.Input[str],
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

    def description(self, kind: str, summary: str) -> str:
        # AlarmDescription allows 1024 characters; summaries are one line.
        text = f"{summary}. Severity: {self.severity(kind)}. Runbook: {self.runbook_url(kind)}"
        return text[:1024]

    def alarm(self, resource_name: str, *, kind: str, name: pulumi.Input[str], summary: str,
              opts: Optional[pulumi.ResourceOptions] = None, **metric: Any) -> aws.cloudwatch.MetricAlarm:
        topic = [self.topic(kind)]
        return aws.cloudwatch.MetricAlarm(
            resource_name, name=name, alarm_description=self.description(kind, summary),
            alarm_actions=topic, ok_actions=topic, tags={"AlarmKind": kind, "Severity": self.severity(kind)},
            **metric, opts=opts)

    def event_rule(self, resource_name: str, *, kind: str, name: str, summary: str, event_pattern: pulumi.Input[str],
                   message_paths: Mapping[str, str], opts: Optional[pulumi.ResourceOptions] = None
                   ) -> aws.cloudwatch.EventRule:
        """An EventBridge rule that notifies like an alarm: its description and message carry the runbook.

        `message_paths` name event fields (`$.detail.eventName`, ...) quoted in the message as `<key>`."""
        rule = aws.cloudwatch.EventRule(
            resource_name, name=name, description=self.description(kind, summary)[:512], event_pattern=event_pattern,
            tags={"AlarmKind": kind, "Severity": self.severity(kind)}, opts=opts)
        fields = ", ".join(f"{key} <{key}>" for key in message_paths)
        aws.cloudwatch.EventTarget(
            resource_name, rule=rule.name, arn=self.topic(kind),
            input_transformer=aws.cloudwatch.EventTargetInputTransformerArgs(
                input_paths=dict(message_paths),
                input_template=json.dumps(f"{self.description(kind, summary)} ({fields})")),
            opts=opts)
        return rule
