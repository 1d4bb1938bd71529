"""The dashboards and saved Logs Insights queries stay within what CloudWatch accepts (components/cloudwatch_limits.py)
on a generated 200-service stack, show every service somewhere, and keep the shipped stacks' names."""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from bench.preview_bench import program_with
from components import dashboards, observability
from components.cloudwatch_limits import (ALARMS_PER_WIDGET, METRICS_PER_DASHBOARD, METRICS_PER_WIDGET,
                                          WIDGETS_PER_DASHBOARD)
from components.dashboards import Section
from tests.conftest import once_across_workers
from tools.mockrun import struct_to_plain
from tools.preview import PreviewResult, run_preview

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
QUERY = "aws:cloudwatch/queryDefinition:QueryDefinition"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SERVICES = 200
# StartQuery's logGroupNames and logGroupIdentifiers: "You can include up to 50 log groups" (botocore's
# logs/2014-03-28 service-2.json). PutQueryDefinition's model states no maximum, so a saved query is held to what
# running it takes. Written out, not read from components/cloudwatch_limits.py, so that a wrong limit there fails.
STARTQUERY_LOG_GROUPS = 50


@pytest.fixture(scope="module")
def large() -> PreviewResult:
    """bench's generated stack with 200 services (one in five public) on Service Connect, without the policy pack
    (the program's inputs are what is checked here)."""
    def run() -> PreviewResult:
        with tempfile.TemporaryDirectory() as tmp:
            return run_preview("bench", program_with(SERVICES, Path(tmp)),
                               config_overrides=["mesh.dataPlane=serviceconnect"])

    result = once_across_workers(("generated", SERVICES, "serviceconnect"), run)
    assert result.error is None, result.error
    return result


def _bodies(result: PreviewResult) -> dict[str, list[dict]]:
    """dashboardName -> its widgets."""
    return {d.inputs["dashboardName"]: json.loads(d.inputs["dashboardBody"])["widgets"]
            for d in result.find(DASHBOARD)}


def _metrics(widget: dict) -> list:
    return widget["properties"].get("metrics", []) if widget["type"] == "metric" else []


@pytest.mark.slow
def test_every_dashboard_of_a_200_service_stack_is_one_cloudwatch_accepts(large):
    bodies = _bodies(large)
    assert len(bodies) > 1
    for name, widgets in bodies.items():
        assert len(widgets) <= WIDGETS_PER_DASHBOARD, name
        assert sum(len(_metrics(w)) for w in widgets) <= METRICS_PER_DASHBOARD, name
        assert all(len(_metrics(w)) <= METRICS_PER_WIDGET for w in widgets), name
        assert all(1 <= len(w["properties"]["alarms"]) <= ALARMS_PER_WIDGET
                   for w in widgets if w["type"] == "alarm"), name
        assert all(0 <= w["x"] and w["x"] + w["width"] <= dashboards.GRID_COLUMNS for w in widgets), name


@pytest.mark.slow
def test_the_dashboards_of_a_200_service_stack_are_the_overview_then_numbered(large):
    names = {d.name: d.inputs["dashboardName"] for d in large.find(DASHBOARD)}
    count = len(names)
    # The first keeps the name (and resource name) a one-dashboard stack has, so a stack that grows updates it.
    assert names == {"dev-observability-dashboard": "dev-us-east-1-mesh",
                     **{f"dev-observability-dashboard-{i}": f"dev-us-east-1-mesh-{i}" for i in range(2, count + 1)}}
    assert large.outputs["dashboardName"] == "dev-us-east-1-mesh"
    assert large.outputs["dashboardNames"] == ["dev-us-east-1-mesh", *(f"dev-us-east-1-mesh-{i}"
                                                                       for i in range(2, count + 1))]
    overview = _bodies(large)["dev-us-east-1-mesh"]
    assert {w["properties"].get("title") for w in overview} >= {"API requests and errors", "API latency p99 (ms)"}
    assert all(f"`dev-us-east-1-mesh-{i}`" in overview[0]["properties"]["markdown"] for i in range(2, count + 1))


@pytest.mark.slow
def test_every_service_and_alarm_of_a_200_service_stack_is_on_exactly_one_dashboard(large):
    bodies = _bodies(large)
    titles = Counter(w["properties"].get("title") for widgets in bodies.values() for w in widgets)
    services = [f"svc-{i:03d}" for i in range(SERVICES)]
    for i, service in enumerate(services):
        # Each calls the next two, so svc-000 has no caller to report its Service Connect traffic.
        traffic = 0 if i == 0 else 1
        assert titles[f"{service}: inbound requests and 5xx (Service Connect)"] == traffic, service
        assert titles[f"{service}: inbound p99 (ms, Service Connect)"] == traffic, service
        assert titles[f"{service}: ECS CPU / memory % and tasks"] == 1, service
    public = [s for i, s in enumerate(services) if i % 5 == 0]
    assert sum(t.endswith(": load balancer targets") for t in titles if t) == len(public)
    assert sum(t.endswith(": target response time p99 (s)") for t in titles if t) == len(public)

    # Each alarm of the stack on one dashboard: the one that graphs its service, the overview for the rest (the
    # API's, which its layer creates after the dashboards).
    arns = {struct_to_plain(a.state_struct)["arn"]: a for a in large.find(ALARM)}
    listed = {name: [arn for w in widgets if w["type"] == "alarm" for arn in w["properties"]["alarms"]]
              for name, widgets in bodies.items()}
    assert sorted(arn for arns_on in listed.values() for arn in arns_on) == sorted(arns)
    graphed = {name: {w["properties"]["title"].split(":")[0] for w in widgets if w["type"] == "metric"}
               for name, widgets in bodies.items()}
    labels = set().union(*graphed.values())
    for name, on_it in listed.items():
        for arn in on_it:
            key = arns[arn].inputs["name"].removeprefix("dev-")
            # Its workload's or load balancer's label (`svc-005`, `svc-005-alb`); none for the egress path's.
            owner = max((label for label in labels if key.startswith(f"{label}-")), key=len, default=None)
            assert owner in graphed[name] if owner else name == "dev-us-east-1-mesh", (name, key)


@pytest.mark.slow
def test_every_saved_query_of_a_200_service_stack_runs_on_at_most_50_log_groups(large):
    queries = {q.inputs["name"]: q.inputs["logGroupNames"] for q in large.find(QUERY)}
    assert all(len(groups) <= STARTQUERY_LOG_GROUPS for groups in queries.values())
    errors = {name: groups for name, groups in queries.items() if name.startswith("dev/errors-by-service")}
    # Stable names: the first keeps the unsplit query's, the rest are numbered in the services' order.
    assert list(errors) == ["dev/errors-by-service", *(f"dev/errors-by-service-{i}" for i in range(2, 5))]
    every = [group for groups in errors.values() for group in groups]
    assert sorted(every) == sorted(f"/dev/ecs/svc-{i:03d}-sc/app" for i in range(SERVICES))
    assert errors["dev/errors-by-service"][0] == "/dev/ecs/svc-000-sc/app"


@pytest.mark.parametrize("stack,env,region", [("dev", "dev", "us-east-1"), ("prod", "prod", "us-east-1"),
                                              ("prod-eu", "prod", "eu-west-1"), ("iot", "iot", "us-east-1")])
def test_the_shipped_stacks_keep_one_dashboard_and_one_errors_query_by_their_names(
        stack, env, region, dev_preview, prod_preview, prod_eu_preview, iot_preview):
    result = {"dev": dev_preview, "prod": prod_preview, "prod-eu": prod_eu_preview, "iot": iot_preview}[stack]
    (dashboard,) = result.find(DASHBOARD)
    assert (dashboard.name, dashboard.inputs["dashboardName"]) == (f"{env}-observability-dashboard",
                                                                   f"{env}-{region}-mesh")
    assert result.outputs["dashboardNames"] == [f"{env}-{region}-mesh"]
    widgets = json.loads(dashboard.inputs["dashboardBody"])["widgets"]
    (alarms,) = [w for w in widgets if w["type"] == "alarm"]
    assert alarms["properties"]["title"] == "Alarms"
    # Every alarm of the stack, by its ARN: the API layers' too, which are made after the dashboard.
    arns = sorted(struct_to_plain(a.state_struct)["arn"] for a in result.find(ALARM))
    assert alarms["properties"]["alarms"] == arns and len(arns) > 40
    assert arns[0].startswith(f"arn:aws:cloudwatch:{region}:123456789012:alarm:{env}-")
    errors = [q for q in result.find(QUERY) if "errors-by-service" in q.inputs["name"]]
    assert [(q.name, q.inputs["name"]) for q in errors] == [(f"{env}-observability-query-errors-by-service",
                                                             f"{env}/errors-by-service")]


# -- the layout on its own ---------------------------------------------------------------------------------


def _service(widgets: int, metrics_each: int = 1, alarms: int = 0) -> Section:
    graph = {"type": "metric", "width": 8, "height": 6, "properties": {"metrics": [["N", "M"]] * metrics_each}}
    return Section(tuple(dict(graph) for _ in range(widgets)), tuple(f"arn-{i}" for i in range(alarms)))


def test_a_service_added_at_the_end_moves_no_other_service():
    before = dashboards.paginate(Section(), [_service(4, alarms=8) for _ in range(300)], Section())
    after = dashboards.paginate(Section(), [_service(4, alarms=8) for _ in range(301)], Section())
    assert [len(p.sections) for p in after[:-1]] == [len(p.sections) for p in before[:-1]]
    assert len(after[-1].sections) == len(before[-1].sections) + 1


@pytest.mark.parametrize("services", [
    [_service(4, metrics_each=3, alarms=8)] * 1000,    # widgets bind
    [_service(1, metrics_each=120)] * 100,            # metrics per dashboard bind
    [_service(1, alarms=250)] * 150,                  # alarm widgets add up (three of each service's four)
])
def test_every_page_fits_whatever_binds(services):
    pages = dashboards.paginate(_service(2, alarms=30), services, _service(3))
    assert len(pages) > 1  # the case binds
    assert all(p.widget_count <= WIDGETS_PER_DASHBOARD and p.metric_count <= METRICS_PER_DASHBOARD for p in pages)
    assert sum(len(p.sections) for p in pages) == len(services) + 1
    assert pages[0].tail and not any(p.tail for p in pages[1:])


def test_pages_fill_to_cloudwatchs_limits_exactly():
    """Counted by hand from AWS's numbers, not with the packer's own counts: a title widget opens each page."""
    def one(metrics: int = 1, alarms: int = 0) -> Section:
        return _service(1, metrics_each=metrics, alarms=alarms)

    empty = Section()
    # The title + 499 one-graph sections = 500 widgets; the next section starts a second dashboard.
    assert [len(p.sections) for p in dashboards.paginate(empty, [one()] * 500, empty)] == [1 + 499, 1]
    # 101 alarms take two alarm widgets: title + 2 + 498 graphs = 501.
    assert [len(p.sections) for p in dashboards.paginate(empty, [one(alarms=101)] + [one()] * 497, empty)] == [
        1 + 497, 1]
    assert len(dashboards.paginate(empty, [one(alarms=100)] + [one()] * 497, empty)) == 1
    # 5 graphs of 500 metrics = 2,500, a dashboard's most; one metric more starts a second.
    assert [len(p.sections) for p in dashboards.paginate(empty, [one(500)] * 5 + [one(1)], empty)] == [1 + 5, 1]


def test_alarm_widgets_hold_at_most_100_alarms_in_order():
    widgets = dashboards.alarm_widgets([f"a{i:03d}" for i in range(250)])
    assert [len(w["properties"]["alarms"]) for w in widgets] == [100, 100, 50]
    assert [w["properties"]["title"] for w in widgets] == ["Alarms (1 of 3)", "Alarms (2 of 3)", "Alarms (3 of 3)"]
    assert [a for w in widgets for a in w["properties"]["alarms"]] == [f"a{i:03d}" for i in range(250)]
    assert [w["properties"]["title"] for w in dashboards.alarm_widgets(["a"])] == ["Alarms"]
    assert dashboards.alarm_widgets([]) == []


def test_a_widget_over_500_metrics_is_refused():
    with pytest.raises(ValueError, match="graphs 501 metrics; CloudWatch allows 500 per widget"):
        _service(1, metrics_each=501)


# -- the saved queries on their own --------------------------------------------------------------------------


def test_a_saved_query_over_more_log_groups_than_a_query_runs_on_is_split_in_order(monkeypatch):
    """What saved_queries hands each QueryDefinition, for 121 groups (a query per 50, the last holding the rest):
    no 200-service preview needed."""
    saved = []
    monkeypatch.setattr(observability, "saved_query",
                        lambda resource_name, name, groups, query, opts: saved.append((resource_name, name, groups)))
    groups = [f"/dev/ecs/svc-{i:03d}-sc/app" for i in range(121)]
    observability.saved_queries("dev-observability-query-errors-by-service", "dev/errors-by-service", groups,
                                observability.ERRORS_BY_SERVICE, None)
    assert [(resource, name, len(chunk)) for resource, name, chunk in saved] == [
        ("dev-observability-query-errors-by-service", "dev/errors-by-service", STARTQUERY_LOG_GROUPS),
        ("dev-observability-query-errors-by-service-2", "dev/errors-by-service-2", STARTQUERY_LOG_GROUPS),
        ("dev-observability-query-errors-by-service-3", "dev/errors-by-service-3", 21)]
    assert [group for _, _, chunk in saved for group in chunk] == groups


def test_a_query_over_more_log_groups_than_a_query_runs_on_is_refused_before_it_is_made():
    groups = tuple(f"/dev/ecs/svc-{i:03d}-sc/app" for i in range(STARTQUERY_LOG_GROUPS + 1))
    with pytest.raises(ValueError, match="names 51 log groups; a query runs on at most 50"):
        observability.saved_query("q", "dev/q", groups, observability.ERRORS_BY_SERVICE, None)
    with pytest.raises(ValueError, match="names 51 log groups; a query runs on at most 50"):
        observability.LogQuery("Requests per tenant", groups, observability.PER_TENANT_TRAFFIC)
