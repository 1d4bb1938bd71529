"""CloudWatch dashboards that stay within CloudWatch's limits (cloudwatch_limits.py) at any service count.

What a dashboard shows comes in sections (a service's graphs, the API's, ...), laid out in order: the overview
holds its fixed sections and as many services as fit, and the rest continue, in order, on as few further
dashboards as fit. So a section added at the end (a service without a public path) lands on the last
dashboard, and no dashboard is renamed.
Each dashboard lists the alarms of its own sections, at most ALARMS_PER_WIDGET to an alarm widget.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any, Iterator, Sequence

import pulumi

from .cloudwatch_limits import (ALARMS_PER_WIDGET, METRICS_PER_DASHBOARD, METRICS_PER_WIDGET, WIDGETS_PER_DASHBOARD,
                                chunked)

GRID_COLUMNS = 24
TITLE_WIDGETS = 1  # every dashboard opens with a text widget saying what it holds


@dataclass(frozen=True)
class Section:
    """Widgets that stay together on one dashboard, and the alarms that go with them. A widget is its dashboard
    JSON, except that any value in it may be an Output."""

    widgets: tuple[dict, ...] = ()
    alarms: tuple[pulumi.Output[str], ...] = ()

    def __post_init__(self) -> None:
        for widget in self.widgets:
            if len(_metrics(widget)) > METRICS_PER_WIDGET:
                raise ValueError(f"widget {widget['properties'].get('title')!r} graphs {len(_metrics(widget))} "
                                 f"metrics; CloudWatch allows {METRICS_PER_WIDGET} per widget")

    @property
    def metrics(self) -> int:
        """The widgets' metric entries. A SEARCH counts once, though CloudWatch counts each series it finds: exact
        while a device API's stage search finds one API (the stack's)."""
        return sum(len(_metrics(w)) for w in self.widgets)


@dataclass(frozen=True)
class Page:
    """One dashboard: its sections in order, then `tail` (the overview's sections that close it)."""

    sections: tuple[Section, ...]
    tail: tuple[Section, ...] = ()

    @property
    def all_sections(self) -> tuple[Section, ...]:
        return self.sections + self.tail

    @property
    def alarms(self) -> tuple[pulumi.Output[str], ...]:
        return tuple(a for s in self.all_sections for a in s.alarms)

    @property
    def widget_count(self) -> int:
        return (TITLE_WIDGETS + math.ceil(len(self.alarms) / ALARMS_PER_WIDGET)
                + sum(len(s.widgets) for s in self.all_sections))

    @property
    def metric_count(self) -> int:
        return sum(s.metrics for s in self.all_sections)

    def fits(self) -> bool:
        return self.widget_count <= WIDGETS_PER_DASHBOARD and self.metric_count <= METRICS_PER_DASHBOARD


def paginate(first: Section, services: Sequence[Section], last: Section) -> list[Page]:
    """The overview (`first`, the services that fit, `last`), then the other services in order on as few
    dashboards as hold them."""
    pages = [Page((first,), tail=(last,))]
    for section in services:
        grown = replace(pages[-1], sections=pages[-1].sections + (section,))
        if grown.fits():
            pages[-1] = grown
        else:
            pages.append(Page((section,)))
    for page in pages:
        if not page.fits():  # one section alone, or the overview's own, more than a dashboard holds
            raise ValueError(f"a dashboard would need {page.widget_count} widgets and {page.metric_count} metrics; "
                             f"CloudWatch allows {WIDGETS_PER_DASHBOARD} and {METRICS_PER_DASHBOARD}")
    return pages


def body(page: Page, title: str) -> pulumi.Output[str]:
    """The page's DashboardBody: `title` (markdown), its alarms in ARN order, then its sections' widgets."""
    widgets = [w for s in page.all_sections for w in s.widgets]

    def render(values: list) -> str:
        arns, resolved = values
        return json.dumps({"widgets": _layout([text(title), *alarm_widgets(sorted(arns)), *resolved])})

    return pulumi.Output.all(pulumi.Output.all(*page.alarms), resolved(widgets)).apply(render)


def alarm_widgets(arns: Sequence[str]) -> list[dict]:
    """Alarm status widgets listing `arns` in order, at most ALARMS_PER_WIDGET each."""
    groups = chunked(arns, ALARMS_PER_WIDGET)
    return [{"type": "alarm", "width": GRID_COLUMNS, "height": 4,
             "properties": {"title": "Alarms" if len(groups) == 1 else f"Alarms ({i} of {len(groups)})",
                            "alarms": list(group)}}
            for i, group in enumerate(groups, 1)]


def text(markdown: str) -> dict:
    return {"type": "text", "width": GRID_COLUMNS, "height": 2, "properties": {"markdown": markdown}}


def resolved(tree: Any) -> pulumi.Output[Any]:
    """`tree` (dicts and lists whose values may be Outputs) with every Output's value in its place, all awaited in
    one Output.all: Output.from_input would make an Output of every dict and list on the way, thousands on a large
    stack's dashboards."""
    leaves: list[pulumi.Output] = []
    _outputs(tree, leaves)
    return pulumi.Output.all(*leaves).apply(lambda values: _filled(tree, iter(values)))


def _outputs(node: Any, found: list[pulumi.Output]) -> None:
    """The Outputs in `node`, depth first, into `found`."""
    if isinstance(node, pulumi.Output):
        found.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            _outputs(value, found)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _outputs(value, found)


def _filled(node: Any, values: Iterator[Any]) -> Any:
    """`node` with its Outputs replaced by `values`, taken in _outputs' order."""
    if isinstance(node, pulumi.Output):
        return next(values)
    if isinstance(node, dict):
        return {k: _filled(v, values) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_filled(v, values) for v in node]
    return node


def _metrics(widget: dict) -> list:
    return widget["properties"].get("metrics", []) if widget["type"] == "metric" else []


def _layout(widgets: list[dict]) -> list[dict]:
    """Place widgets left to right, top to bottom, on the dashboard's 24-column grid."""
    x = y = row_height = 0
    for widget in widgets:
        if x + widget["width"] > GRID_COLUMNS:
            x, y, row_height = 0, y + row_height, 0
        widget["x"], widget["y"] = x, y
        x += widget["width"]
        row_height = max(row_height, widget["height"])
    return widgets
