"""Alarms and the audit trail."""
from __future__ import annotations

import re
from typing import Optional

import pulumi

from ..alarms import SEVERITIES, KINDS as ALARM_KINDS
from .model import DEFAULT_RUNBOOK_BASE_URL, AlarmsConfig, AuditConfig
from .node import ConfigNode, _check_log_retention, _key, _matches
from .values import _HTTPS_URL_RE, RUNBOOK_URL_RE, RUNBOOK_URL_WHAT


# What the stack file's ids, ARNs, names and URLs in this section look like.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _alarms(root: ConfigNode) -> AlarmsConfig:
    # The pager endpoint is its own top-level key so that only it, not all alarm settings, is secret (its URL
    # carries the integration's key): in plain text in the stack file, it is refused.
    pager_endpoint = root.secret_str("alarmPagerEndpoint")
    if pager_endpoint and not _matches(_HTTPS_URL_RE, pager_endpoint):
        # Not echoed: the value is a secret.
        raise root.error("alarmPagerEndpoint", "is not an https:// URL, which SNS's https subscription needs")
    pager = pulumi.Output.secret(pager_endpoint) if pager_endpoint else None
    node = root.node("alarms")
    if node is None:
        return AlarmsConfig(pager_endpoint=pager)
    severities = dict(ALARM_KINDS)
    for kind, severity in node.string_map("severity").items():
        if kind not in ALARM_KINDS:
            raise node.error_at(f"{node.key_path('severity')}.{_key(kind)}",
                             f"is not an alarm kind (one of {', '.join(ALARM_KINDS)})")
        if severity not in SEVERITIES:
            raise node.error_at(f"{node.key_path('severity')}.{_key(kind)}",
                             f"{severity!r} is not one of {', '.join(SEVERITIES)}")
        severities[kind] = severity
    alarms = AlarmsConfig(
        runbook_base_url=node.str("runbookBaseUrl", DEFAULT_RUNBOOK_BASE_URL, pattern=RUNBOOK_URL_RE,
                                  what=RUNBOOK_URL_WHAT),
        severities=severities,
        email=node.str("email", pattern=_EMAIL_RE, what="an email address"),
        pager_endpoint=pager,
        p99_latency_ms=node.int("p99LatencyMs", 1000, minimum=1, maximum=60000),
        five_xx_rate_percent=node.number("fiveXxRatePercent", 5.0, maximum=100),
        four_xx_rate_percent=node.number("fourXxRatePercent", 10.0, maximum=100),
    )
    # The alarms fire when the rate is greater than the threshold, and a rate never passes 100 %.
    for key, rate in (("fiveXxRatePercent", alarms.five_xx_rate_percent),
                      ("fourXxRatePercent", alarms.four_xx_rate_percent)):
        if rate >= 100:
            raise node.error(key, f"{rate:g} % could never fire: the alarms fire above it, and an error rate is at "
                                  "most 100 %; set less than 100")
    node.done()
    return alarms


def _audit(node: Optional[ConfigNode]) -> AuditConfig:
    if node is None:
        return AuditConfig()
    trail = node.bool("trail", False)
    audit = AuditConfig(
        trail=trail,
        archive_retention_days=node.int("archiveRetentionDays", 365, minimum=1, maximum=36500,
                                        what="a number of days (1-36500)"),
        archive_transition_days=node.int("archiveTransitionDays", 90, minimum=1, maximum=36500,
                                         what="a number of days (1-36500)"),
        cloud_watch_logs=node.bool("cloudWatchLogs", trail),
        cloud_watch_logs_retention_days=node.int("cloudWatchLogsRetentionDays", 90),
        load_balancer_access_logs=node.bool("loadBalancerAccessLogs", False),
        access_log_retention_days=node.int("accessLogRetentionDays", 90, minimum=1, maximum=36500,
                                           what="a number of days (1-36500)"),
    )
    # S3 lifecycle needs the transition strictly before the expiration of the same objects.
    if audit.archive_transition_days >= audit.archive_retention_days:
        raise node.refused_by("archiveTransitionDays", f"{audit.archive_transition_days} must be less than "
                                                       f"archiveRetentionDays ({audit.archive_retention_days})",
                              "archiveRetentionDays")
    # CloudTrail sends to CloudWatch Logs what a trail records; without one there is nothing to send.
    if audit.cloud_watch_logs and not trail:
        raise node.refused_by("cloudWatchLogs", "is true but trail is not: only a trail delivers to CloudWatch Logs",
                              "trail")
    if node.has("cloudWatchLogsRetentionDays") and not audit.cloud_watch_logs:
        # Left out, cloudWatchLogs is the trail's.
        raise node.refused_by("cloudWatchLogsRetentionDays", "only applies when cloudWatchLogs is on",
                              "cloudWatchLogs", *(() if node.has("cloudWatchLogs") else ("trail",)))
    if node.has("accessLogRetentionDays") and not audit.load_balancer_access_logs:
        raise node.refused_by("accessLogRetentionDays", "only applies when loadBalancerAccessLogs is on (it empties "
                                                        "the access log bucket)", "loadBalancerAccessLogs")
    # The archive holds the trail's logs: without a trail there is none, and its settings would be ignored.
    for key in ("archiveRetentionDays", "archiveTransitionDays"):
        if node.has(key) and not trail:
            raise node.refused_by(key, "only applies when trail is on (the archive holds the trail's logs)", "trail")
    _check_log_retention(node, "cloudWatchLogsRetentionDays", audit.cloud_watch_logs_retention_days)
    node.done()
    return audit
