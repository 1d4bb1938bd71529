"""Alarms ↔ runbooks both ways, severity routing to the two topics, and the saved Logs Insights queries."""
from __future__ import annotations

import re

import pytest

from components.alarms import KINDS, AlarmRouting
from components.config import ConfigError, DEFAULT_RUNBOOK_BASE_URL
from tests.conftest import ROOT, dev_raw_config, parse, preview, with_value

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
RUNBOOKS = ROOT / "docs" / "runbooks"
LINK = re.compile(r"Severity: (page|ticket)\. Runbook: (\S+)$")


def _topics(result) -> dict[str, str]:
    return {t.inputs["name"].rsplit("-", 1)[1]: f"arn:aws:sns:{t.inputs.get('region') or 'us-east-1'}:123456789012:"
                                                 f"topic/{t.name}" for t in result.find("aws:sns/topic:Topic")}


@pytest.fixture(scope="module")
def alarms(dev_preview, prod_preview):
    return [(r, a) for r in (dev_preview, prod_preview) for a in r.find(ALARM)]


def test_every_alarm_links_an_existing_runbook_of_its_kind(alarms):
    assert len(alarms) > 40
    for _, alarm in alarms:
        kind = alarm.inputs["tags"]["AlarmKind"]
        match = LINK.search(alarm.inputs["alarmDescription"])
        assert match, alarm.inputs["alarmDescription"]
        assert match.group(2) == f"{DEFAULT_RUNBOOK_BASE_URL}/docs/runbooks/{kind}.md"
        assert (RUNBOOKS / f"{kind}.md").is_file(), kind


def test_every_runbook_has_an_alarm(alarms):
    runbooks = {p.stem for p in RUNBOOKS.glob("*.md")} - {"README"}
    used = {a.inputs["tags"]["AlarmKind"] for _, a in alarms}
    assert runbooks == used == set(KINDS)
    index = (RUNBOOKS / "README.md").read_text()
    assert all(f"[{kind}]({kind}.md)" in index for kind in KINDS)


def test_alarms_go_to_the_topic_of_their_severity(alarms):
    for result, alarm in alarms:
        topics = _topics(result)
        severity = alarm.inputs["tags"]["Severity"]
        assert severity == KINDS[alarm.inputs["tags"]["AlarmKind"]]
        assert alarm.inputs["alarmActions"] == alarm.inputs["okActions"] == [topics[severity]]
        assert LINK.search(alarm.inputs["alarmDescription"]).group(1) == severity


def test_both_topics_are_encrypted_and_only_paging_reaches_the_pager(prod_preview):
    topics = {t.inputs["name"]: t for t in prod_preview.find("aws:sns/topic:Topic")}
    assert set(topics) == {"prod-alarms-page", "prod-alarms-ticket"}
    assert all(t.inputs["kmsMasterKeyId"].startswith("arn:aws:kms:") for t in topics.values())
    (pager,) = [s for s in prod_preview.find("aws:sns/topicSubscription:TopicSubscription")
                if s.inputs["protocol"] == "https"]
    assert pager.inputs["topic"].endswith("/prod-observability-alarms-page")
    assert prod_preview.outputs["pagingTopicArn"].endswith("/prod-observability-alarms-page")


def test_config_moves_a_kind_to_the_other_topic_and_the_runbook_host():
    result = preview("dev", config_overrides=["alarms.severity.service-cpu-high=page",
                                              "alarms.severity.api-5xx-rate=ticket",
                                              "alarms.runbookBaseUrl=https://wiki.example.com/ops"])
    topics = _topics(result)
    by_name = {a.inputs["name"]: a.inputs for a in result.find(ALARM)}
    cpu = by_name["dev-user-service-cpu-high"]
    assert cpu["alarmActions"] == [topics["page"]] and cpu["tags"]["Severity"] == "page"
    api = by_name["dev-ecommerce-api-5xx-rate"]
    assert api["alarmActions"] == [topics["ticket"]]
    assert api["alarmDescription"].endswith("Severity: ticket. Runbook: https://wiki.example.com/ops/docs/runbooks/api-5xx-rate.md")
    # Kinds nobody overrode keep their default.
    assert by_name["dev-user-service-memory-high"]["alarmActions"] == [topics["ticket"]]


@pytest.mark.parametrize("path,value,message", [
    ("alarms.severity", {"cpu-high": "page"}, "alarms.severity.cpu-high: is not an alarm kind (one of "),
    ("alarms.severity", {"api-5xx-rate": "sev1"}, "alarms.severity.api-5xx-rate: 'sev1' is not one of page, ticket"),
    ("alarms.runbookBaseUrl", "http://wiki", "alarms.runbookBaseUrl: 'http://wiki' is not an https:// URL"),
])
def test_malformed_alarm_routing_is_one_line(path, value, message):
    raw = dev_raw_config()
    raw.setdefault("alarms", {})
    with pytest.raises(ConfigError) as err:
        parse(with_value(raw, path, value))
    assert str(err.value).startswith(f"Pulumi.dev.yaml: {message}")


def test_an_alarm_of_an_unknown_kind_cannot_be_made():
    routing = AlarmRouting(paging_topic_arn="p", ticket_topic_arn="t", runbook_base_url="https://x")
    with pytest.raises(ValueError, match="has no runbook"):
        routing.description("queue-depth", "something")
    assert routing.topic("api-4xx-rate") == "t" and routing.topic("api-5xx-rate") == "p"


def test_saved_queries_read_the_logs_the_runbooks_name(prod_preview, dev_preview):
    for result, env in ((prod_preview, "prod"), (dev_preview, "dev")):
        queries = {q.inputs["name"]: q.inputs for q in result.find("aws:cloudwatch/queryDefinition:QueryDefinition")}
        assert set(queries) == {f"{env}/{k}" for k in ("errors-by-service", "slowest-routes", "rejected-callers",
                                                       "per-tenant-traffic")}
        groups = {g.inputs["name"] for g in result.find("aws:cloudwatch/logGroup:LogGroup")}
        for query in queries.values():
            assert query["logGroupNames"] and set(query["logGroupNames"]) <= groups
        assert f"/{env}/ecs/payment-service-sc/app" in queries[f"{env}/errors-by-service"]["logGroupNames"]
        assert queries[f"{env}/rejected-callers"]["logGroupNames"] == [f"/{env}/apigateway/{env}-ecommerce-api/access"]
        assert "status >= 400 and status < 500" in queries[f"{env}/rejected-callers"]["queryString"]
        assert "by apiKeyId" in queries[f"{env}/per-tenant-traffic"]["queryString"]
        assert "pct(responseLatency, 99)" in queries[f"{env}/slowest-routes"]["queryString"]
