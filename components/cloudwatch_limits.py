"""What CloudWatch accepts in one dashboard, one widget and one Logs Insights query, from AWS's documents, and the
one way this program splits what would exceed it.

The mocks accept anything, so these are the program's own guard; the tests build a 200-service stack against them.
"""
from __future__ import annotations

from typing import Sequence, TypeVar

T = TypeVar("T")

# "A DashboardBody ... can include an array of between 0 and 500 widget objects" (CloudWatch API reference, Dashboard
# Body Structure and Syntax; the user guide's service quotas: "Up to 500 widgets per dashboard"). PutDashboard
# validates the body and refuses more ("Should NOT have more than 500 items", gchq/sleeper#2160).
WIDGETS_PER_DASHBOARD = 500
# "Up to 500 metrics per dashboard widget. Up to 2500 metrics per dashboard, across all widgets", metric math's
# inputs included; not adjustable (user guide, CloudWatch service quotas, Dashboards). The body structure says the
# same of a widget: "One metrics array can include 0-500 metrics and expressions".
METRICS_PER_WIDGET = 500
METRICS_PER_DASHBOARD = 2500
# An alarm status widget's `alarms`: "An array of alarm ARNs to include in the widget. The array can have 1-100
# ARNs" (body structure, Properties of an Alarm Status Widget Object).
ALARMS_PER_WIDGET = 100
# The body's size has no documented maximum: PutDashboard's reference states none and botocore's model has
# DashboardBody as an unbounded string. The counts above bound it (about 350 KB at 500 widgets here).

# StartQuery's `logGroupNames` / `logGroupIdentifiers`: "You can include up to 50 log groups" (botocore
# logs/2014-03-28 StartQueryRequest). PutQueryDefinition states no maximum, so a saved query naming more saves and
# then fails when someone runs it. A dashboard's log widget is held to the same number: its SOURCE groups are
# queried the same way (an inference: the body reference states no count).
LOG_GROUPS_PER_QUERY = 50


def chunked(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    """`items` in order, in runs of at most `size` (none for no items)."""
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)]
