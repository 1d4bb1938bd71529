"""Alarms ↔ runbooks both ways (every shipped stack, both data planes, the global layer), severity routing to
the two topics, the egress and region alarms' metrics and dimensions, and the saved Logs Insights queries."""
from __future__ import annotations

import json
import re

import botocore.session
import pytest

from components.alarms import KINDS, AlarmRouting
from components.config import ConfigError, DEFAULT_RUNBOOK_BASE_URL
from components.edge import parse_edge_config
from tests.conftest import ROOT, dev_raw_config, parse, preview, raw_config, with_value
from tests.test_multiregion import _edge_raw
from tools.mockrun import fake_arn
from tools.mockrun import struct_to_plain

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
RULE, TARGET = "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget"
RUNBOOKS = ROOT / "docs" / "runbooks"
LINK = re.compile(r"Severity: (page|ticket)\. Runbook: (\S+)$")


def _topics(result) -> dict[str, str]:
    """Severity -> the topic's ARN, as the program computed it (the topic's state after the mocked step)."""
    return {t.inputs["name"].rsplit("-", 1)[1]: struct_to_plain(t.state_struct)["arn"]
            for t in result.find("aws:sns/topic:Topic")}


@pytest.fixture(scope="module")
def regional(dev_preview, prod_preview, prod_eu_preview, iot_preview, dev_appmesh_preview, prod_appmesh_preview):
    """Every shipped regional stack, on its own data plane (Service Connect) and on App Mesh (not iot: config
    refuses its httpApi on App Mesh)."""
    return {"dev": dev_preview, "prod": prod_preview, "prod-eu": prod_eu_preview, "iot": iot_preview,
            "dev/appmesh": dev_appmesh_preview, "prod/appmesh": prod_appmesh_preview,
            "prod-eu/appmesh": preview("prod-eu", config_overrides=["mesh.dataPlane=appmesh"])}


@pytest.fixture(scope="module")
def alarms(regional, edge_preview):
    """Every metric alarm and every EventBridge rule (rules notify like alarms) of every stack."""
    return [(r, a) for r in (*regional.values(), edge_preview) for a in r.find(ALARM) + r.find(RULE)]


def _description(alarm) -> str:
    return alarm.inputs["alarmDescription" if alarm.type == ALARM else "description"]


def test_every_alarm_links_an_existing_runbook_of_its_kind(alarms, regional, edge_preview):
    assert all(r.find(ALARM) for r in (*regional.values(), edge_preview))
    for _, alarm in alarms:
        kind = alarm.inputs["tags"]["AlarmKind"]
        match = LINK.search(_description(alarm))
        assert match, _description(alarm)
        assert match.group(2) == f"{DEFAULT_RUNBOOK_BASE_URL}/docs/runbooks/{kind}.md"
        assert (RUNBOOKS / f"{kind}.md").is_file(), kind


# A placeholder in the runbook index's alarm names: the environment (letters and digits), a counter, or any name.
PLACEHOLDERS = {"<env>": "[a-z][a-z0-9]*", "<i>": "[0-9]+"}


def index_name_patterns(index: str) -> dict[str, list[str]]:
    """Kind -> the alarm names its row of the runbook index gives (`<env>-<workload>-cpu-high`), as regexes."""
    rows = re.findall(r"^\| \[([a-z0-9-]+)\]\([a-z0-9-]+\.md\) \| (?:page|ticket) \| (.*) \|$", index, re.MULTILINE)
    return {kind: ["".join(PLACEHOLDERS.get(part, "[a-z0-9-]+") if part.startswith("<") else re.escape(part)
                           for part in re.split(r"(<[a-z-]+>)", name))
                   for name in re.findall(r"`(<[a-z-]+>-[^`]*)`", cell)]
            for kind, cell in rows}


def test_the_runbook_index_names_every_alarm_as_the_stacks_name_it(alarms):
    """The index tells on-call which alarm names each runbook covers: every alarm and rule of a kind has a name its
    row gives, and each name there is one some stack (either plane, or the global layer) makes."""
    patterns = index_name_patterns((RUNBOOKS / "README.md").read_text())
    assert set(patterns) == set(KINDS) and all(patterns.values())
    names = {(a.inputs["tags"]["AlarmKind"], a.inputs["name"]) for _, a in alarms}
    assert [(kind, name) for kind, name in sorted(names)
            if not any(re.fullmatch(p, name) for p in patterns[kind])] == []
    assert [(kind, p) for kind in patterns for p in patterns[kind]
            if not any(k == kind and re.fullmatch(p, name) for k, name in names)] == []


def test_a_renamed_alarm_would_not_match_the_index():
    row = ("| [service-cpu-high](service-cpu-high.md) | ticket | `<env>-<workload>-cpu-high` |\n"
           "| [nat-gateway-packets-dropped](x.md) | ticket | `<env>-nat-<i>-packets-dropped` |\n")
    patterns = index_name_patterns(row)
    assert re.fullmatch(patterns["service-cpu-high"][0], "prod-user-service-v2-cpu-high")
    assert not re.fullmatch(patterns["service-cpu-high"][0], "prod-user-service-cpu-utilization-high")
    assert not re.fullmatch(patterns["nat-gateway-packets-dropped"][0], "prod-nat-a-packets-dropped")


SERVICE_KINDS = ("service-cpu-high", "service-memory-high", "service-tasks-below-desired", "service-5xx-rate",
                 "service-p99-latency")


def test_a_services_alarms_name_the_ecs_service_the_runbooks_commands_take(regional):
    """The runbooks' `<service-name>` is the ECS service's, which the alarm's own name does not spell
    (`dev-user-service-cpu-high` watches `dev-user-service-sc`): each service alarm's description gives it."""
    for stack, result in regional.items():
        services = {s.inputs["name"] for s in result.find("aws:ecs/service:Service")}
        named = {}
        for alarm in result.find(ALARM):
            if alarm.inputs["tags"]["AlarmKind"] not in SERVICE_KINDS or "-alb-" in alarm.inputs["name"]:
                continue
            match = re.match(r"^[a-z0-9-]+ \(ECS service ([a-z0-9-]+)\): ", alarm.inputs["alarmDescription"])
            assert match and match.group(1) in services, (stack, alarm.inputs["alarmDescription"])
            named.setdefault(match.group(1), set()).add(alarm.inputs["tags"]["AlarmKind"])
            watched = json.dumps(alarm.inputs.get("dimensions") or alarm.inputs.get("metricQueries"))
            assert f'"ServiceName": "{match.group(1)}"' in watched or "ServiceName" not in watched, alarm.name
        # Every ECS service is watched (cpu, memory and tasks at least), under its own name.
        assert set(named) == services and all(
            {"service-cpu-high", "service-memory-high", "service-tasks-below-desired"} <= kinds
            for kinds in named.values()), stack


def test_the_dashboards_list_exactly_the_stacks_alarms_those_made_after_them_too(regional):
    """The dashboards come before the API layers, so Platform names the API alarms they will list from the config
    (`later_alarms`) where the layers make them: an alarm listed that nothing makes would be an empty widget row, one
    made and not listed missing from the overview."""
    for stack, result in regional.items():
        made = {a.inputs["name"] for a in result.find(ALARM)}
        listed = {arn.split(":alarm:", 1)[1] for d in result.find("aws:cloudwatch/dashboard:Dashboard")
                  for w in json.loads(d.inputs["dashboardBody"])["widgets"] if w["type"] == "alarm"
                  for arn in w["properties"]["alarms"]}
        api_alarms = {name for name in made if re.search(r"-(api|http-api|ws-api)-(5xx-rate|4xx-rate|p99-latency)$",
                                                         name)}
        assert listed == made, stack
        assert api_alarms, stack  # every shipped stack has a public API


def test_an_alarm_on_metric_queries_alarms_on_exactly_one_and_a_rate_on_its_rate(alarms):
    """PutMetricAlarm takes metric queries only where exactly one returns data (the one alarmed on): a query set
    returning none, or every metric beside the expression, is refused, which no other test looked at."""
    with_queries = [a for _, a in alarms if a.type == ALARM and a.inputs.get("metricQueries")]
    assert len(with_queries) > 20
    for alarm in with_queries:
        returned = [q["id"] for q in alarm.inputs["metricQueries"] if q.get("returnData")]
        assert len(returned) == 1, (alarm.name, returned)
        if "rate" in {q["id"] for q in alarm.inputs["metricQueries"]}:
            assert returned == ["rate"], alarm.name


def test_every_runbook_has_an_alarm(alarms):
    runbooks = {p.stem for p in RUNBOOKS.glob("*.md")} - {"README"}
    used = {a.inputs["tags"]["AlarmKind"] for _, a in alarms}
    assert runbooks == used == set(KINDS)
    index = (RUNBOOKS / "README.md").read_text()
    assert all(f"[{kind}]({kind}.md)" in index for kind in KINDS)


def test_each_kinds_default_severity_is_the_one_the_runbook_index_promises():
    """The on-call contract is the index's table (who is woken for what); KINDS must say the same, so a kind moved
    from page to ticket in code alone fails here."""
    index = (RUNBOOKS / "README.md").read_text()
    table = dict(re.findall(r"^\| \[([a-z0-9-]+)\]\([a-z0-9-]+\.md\) \| (page|ticket) \|", index, re.MULTILINE))
    assert table == dict(KINDS)
    assert {"page", "ticket"} == set(table.values())


def test_alarms_go_to_the_topic_of_their_severity(regional):
    alarms = [(r, a) for r in regional.values() for a in r.find(ALARM)]
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
    # SNS's ARN ends in the topic's name: what an operator subscribes to.
    assert pager.inputs["topic"] == "arn:aws:sns:us-east-1:123456789012:prod-alarms-page"
    assert prod_preview.outputs["pagingTopicArn"] == pager.inputs["topic"]


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
    ("alarms.runbookBaseUrl", "https://wiki.example.com/" + "r" * 276,
     "alarms.runbookBaseUrl: 'https://wiki.example.com/rrr"),
])
def test_malformed_alarm_routing_is_one_line(path, value, message):
    raw = dev_raw_config()
    raw.setdefault("alarms", {})
    with pytest.raises(ConfigError) as err:
        parse(with_value(raw, path, value))
    assert str(err.value).startswith(f"Pulumi.dev.yaml: {message}")


def test_a_long_summary_gives_way_to_the_runbook_link_never_the_reverse():
    """Descriptions were cut at AWS's limit from the end, which took the runbook link first."""
    base = "https://wiki.example.com/" + "r" * 275  # the longest base URL config takes (300 characters)
    routing = AlarmRouting(paging_topic_arn="p", ticket_topic_arn="t", runbook_base_url=base)
    link = f"Runbook: {base}/docs/runbooks/service-tasks-below-desired.md"
    for limit in (1024, 512):
        text = routing.description("service-tasks-below-desired", "s" * 2000, limit)
        severity = routing.severity("service-tasks-below-desired")
        assert len(text) == limit and text.endswith(f". Severity: {severity}. {link}")
    assert routing.description("api-4xx-rate", "short") == f"short. Severity: ticket. Runbook: {base}/docs/runbooks/api-4xx-rate.md"


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
            # In name order, so a read-back in AWS's order (unspecified) or the one sent shows no change.
            assert query["logGroupNames"] == sorted(query["logGroupNames"])
        assert len(queries[f"{env}/errors-by-service"]["logGroupNames"]) == 4
        assert f"/{env}/ecs/payment-service-sc/app" in queries[f"{env}/errors-by-service"]["logGroupNames"]
        assert queries[f"{env}/rejected-callers"]["logGroupNames"] == [f"/{env}/apigateway/{env}-ecommerce-api/access"]
        assert "status >= 400 and status < 500" in queries[f"{env}/rejected-callers"]["queryString"]
        assert "by apiKeyId" in queries[f"{env}/per-tenant-traffic"]["queryString"]
        assert "pct(responseLatency, 99)" in queries[f"{env}/slowest-routes"]["queryString"]


def _by_kind(result, kind: str) -> list:
    return [a.inputs for a in result.find(ALARM) if a.inputs["tags"]["AlarmKind"] == kind]


@pytest.mark.parametrize("stack", ["dev", "prod", "prod-eu", "iot", "prod/appmesh"])
def test_egress_alarms_watch_the_stacks_own_nat_gateways_endpoints_and_dns_firewall(regional, stack):
    result = regional[stack]
    env = result.find("aws:ec2/vpc:Vpc")[0].name.split("-network")[0]
    nats = sorted(n.name for n in result.find("aws:ec2/natGateway:NatGateway"))
    network = raw_config(stack.split("/")[0])["network"]
    assert len(nats) == network["create"]["natGateways"]
    for kind in ("nat-gateway-port-allocation-errors", "nat-gateway-packets-dropped"):
        alarms = _by_kind(result, kind)
        watched = sorted(a.get("dimensions", {}).get("NatGatewayId")
                         or a["metricQueries"][0]["metric"]["dimensions"]["NatGatewayId"] for a in alarms)
        assert watched == [f"{n}-id" for n in nats], kind
    (port,) = [a for a in _by_kind(result, "nat-gateway-port-allocation-errors") if a["name"] == f"{env}-nat-0-port-allocation-errors"]
    assert (port["namespace"], port["metricName"], port["statistic"]) == ("AWS/NATGateway", "ErrorPortAllocation", "Sum")
    drop = next(a for a in _by_kind(result, "nat-gateway-packets-dropped") if a["name"] == f"{env}-nat-0-packets-dropped")
    assert [q["metric"]["metricName"] for q in drop["metricQueries"] if "metric" in q] == [
        "PacketsDropCount", "PacketsInFromSource", "PacketsInFromDestination"]
    assert drop["threshold"] == 0.01

    interface = {e.inputs["serviceName"]: e.name for e in result.find("aws:ec2/vpcEndpoint:VpcEndpoint")
                 if e.inputs["vpcEndpointType"] == "Interface"}
    endpoint_alarms = _by_kind(result, "vpc-endpoint-packets-dropped")
    assert {a["dimensions"]["Service Name"]: a["dimensions"]["VPC Endpoint Id"] for a in endpoint_alarms} == {
        service: f"{name}-id" for service, name in interface.items()}
    vpc_id = f"{result.find('aws:ec2/vpc:Vpc')[0].name}-id"
    assert all(a["namespace"] == "AWS/PrivateLinkEndpoints" and a["metricName"] == "PacketsDropped"
               and a["dimensions"]["VPC Id"] == vpc_id and a["dimensions"]["Endpoint Type"] == "Interface"
               for a in endpoint_alarms)
    # Drops in each of five minutes (a single dropped packet is a client's retry, not a broken endpoint).
    assert {_evaluation(a) for a in endpoint_alarms} == {("Sum", 60, 5, 5, 0, "GreaterThanThreshold", "notBreaching")}

    (dns,) = _by_kind(result, "dns-firewall-blocked-queries")
    (block,) = [r for r in result.find("aws:route53/resolverFirewallRule:ResolverFirewallRule")
                if r.inputs["action"] == "BLOCK"]
    assert dns["dimensions"] == {"FirewallRuleGroupId": block.inputs["firewallRuleGroupId"],
                                 "FirewallDomainListId": block.inputs["firewallDomainListId"]}
    assert (dns["namespace"], dns["metricName"], dns["period"]) == ("AWS/Route53Resolver", "FirewallRuleQueryVolume", 300)
    # DNS Firewall publishes every five minutes: blocked names in two of the last three.
    assert _evaluation(dns) == ("Sum", 300, 3, 2, 0, "GreaterThanThreshold", "notBreaching")


def _evaluation(alarm: dict) -> tuple:
    """When an alarm fires: its statistic, period, M of N and threshold, and what missing data counts as."""
    return tuple(alarm[k] for k in ("statistic", "period", "evaluationPeriods", "datapointsToAlarm", "threshold",
                                    "comparisonOperator", "treatMissingData"))


@pytest.mark.parametrize("stack,firewall", [("prod", True), ("prod-eu", True), ("dev", False), ("iot", False)])
def test_a_firewall_alarm_per_firewall_endpoint_by_its_reported_zone(regional, stack, firewall):
    result = regional[stack]
    alarms = _by_kind(result, "network-firewall-dropped-packets")
    if not firewall:
        assert alarms == [] and result.find("aws:networkfirewall/firewall:Firewall") == []
        return
    (fw,) = result.find("aws:networkfirewall/firewall:Firewall")
    subnets = [m["subnetId"] for m in fw.inputs["subnetMappings"]]
    assert [a["dimensions"] for a in sorted(alarms, key=lambda a: a["name"])] == [
        {"FirewallName": fw.inputs["name"], "AvailabilityZone": f"az-of-{s}", "Engine": "Stateful"} for s in subnets]
    assert all((a["namespace"], a["metricName"]) == ("AWS/NetworkFirewall", "DroppedPackets") for a in alarms)
    # The stateful engine drops what the allow-list does not pass: drops in three of five minutes.
    assert {_evaluation(a) for a in alarms} == {("Sum", 60, 5, 3, 0, "GreaterThanThreshold", "notBreaching")}


def test_region_health_alarms_live_in_us_east_1_on_each_check(edge_preview):
    checks = {c.inputs["cloudwatchAlarmRegion"]: c.name for c in edge_preview.find("aws:route53/healthCheck:HealthCheck")}
    alarms = _by_kind(edge_preview, "region-health-check-failed")
    assert {a["dimensions"]["HealthCheckId"] for a in alarms} == {f"{name}-id" for name in checks.values()}
    assert {a["name"] for a in alarms} == {"prod-api-region-health", "prod-eu-api-region-health"}
    topic = _edge_raw()["alarmTopicArn"]
    for alarm in alarms:
        assert alarm["region"] == "us-east-1"  # Route 53 health check metrics exist only there
        assert (alarm["namespace"], alarm["metricName"], alarm["comparisonOperator"], alarm["threshold"]) == (
            "AWS/Route53", "HealthCheckStatus", "LessThanThreshold", 1)
        assert alarm["alarmActions"] == alarm["okActions"] == [topic] and topic.startswith("arn:aws:sns:us-east-1:")
        assert alarm["alarmDescription"].endswith("Severity: page. Runbook: "
                                                  f"{DEFAULT_RUNBOOK_BASE_URL}/docs/runbooks/region-health-check-failed.md")


@pytest.mark.parametrize("edit,message", [
    (lambda raw: raw.pop("alarmTopicArn"), "alarmTopicArn: is required once a region has a health check"),
    (lambda raw: raw.update(alarmTopicArn="arn:aws:sns:eu-west-1:123456789012:prod-alarms-page"),
     "alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:prod-alarms-page' is not an SNS topic ARN in us-east-1"),
])
def test_the_global_alarm_topic_must_be_in_us_east_1(edit, message):
    raw = _edge_raw()
    edit(raw)
    with pytest.raises(ConfigError) as err:
        parse_edge_config(raw, "Pulumi.prod.yaml")
    assert str(err.value).startswith(f"Pulumi.prod.yaml: {message}")


def test_no_deployed_region_needs_no_alarm_topic():
    raw = _edge_raw()
    raw.pop("alarmTopicArn")
    for region in raw["regions"]:
        region.pop("apiTarget"), region.pop("apiZoneId"), region.pop("apiHealthAlarm")
    assert parse_edge_config(raw, "Pulumi.prod.yaml").alarm_topic_arn is None


def test_a_stopped_or_changed_trail_pages_through_an_eventbridge_rule(prod_preview, regional):
    rule = prod_preview.get(RULE, "prod-observability-trail-changed")
    pattern = json.loads(rule.inputs["eventPattern"])
    assert pattern["source"] == ["aws.cloudtrail", "aws.kms"]
    assert pattern["detail-type"] == ["AWS API Call via CloudTrail"]
    (trail,) = prod_preview.find("aws:cloudtrail/trail:Trail")
    key = prod_preview.get("aws:kms/key:Key", "prod-audit-trail")
    key_names = [f"{key.name}-id", fake_arn(key.type, key.name, "us-east-1")]  # the mocks' key id and ARN
    # Each call as CloudTrail records it: the trail (or key) under the API's own member name (botocore's model), so
    # the selector calls (TrailName) match as well as StopLogging (Name).
    calls = {}
    for alternative in pattern["detail"]["$or"]:
        (source,) = alternative["eventSource"]
        for call in alternative["eventName"]:
            for parameter, names in alternative["requestParameters"].items():
                if trail.inputs["name"] in names or names == key_names:
                    calls[call] = (source, parameter)
    assert calls == {**{call: ("cloudtrail.amazonaws.com", "name") for call in ("StopLogging", "DeleteTrail",
                                                                               "UpdateTrail")},
                     **{call: ("cloudtrail.amazonaws.com", "trailName") for call in ("PutEventSelectors",
                                                                                   "PutInsightSelectors")},
                     # The archive outlives any change to it, but only this key reads it.
                     **{call: ("kms.amazonaws.com", "keyId") for call in ("DisableKey", "ScheduleKeyDeletion",
                                                                          "PutKeyPolicy")}}
    for call, (source, parameter) in calls.items():
        model = botocore.session.get_session().get_service_model(source.split(".")[0])
        assert parameter in {m[0].lower() + m[1:] for m in model.operation_model(call).input_shape.members}, call
    assert rule.inputs["name"] == "prod-audit-trail-changed" and rule.inputs["tags"]["Severity"] == "page"
    target = prod_preview.get(TARGET, "prod-observability-trail-changed")
    topics = _topics(prod_preview)
    assert target.inputs["arn"] == topics["page"]
    assert target.inputs["inputTransformer"]["inputPaths"]["event"] == "$.detail.eventName"
    assert "Runbook: " + f"{DEFAULT_RUNBOOK_BASE_URL}/docs/runbooks/audit-trail-changed.md" in json.loads(
        target.inputs["inputTransformer"]["inputTemplate"])
    # EventBridge may publish to the paging topic for this stack's rules only, and use the topics' key.
    assert _event_rules_granted(prod_preview) == {
        "page": {_arn(rule), _arn(prod_preview.get(RULE, "prod-observability-tasks-not-starting"))}}
    key = next(k for k in prod_preview.find("aws:kms/key:Key") if k.name == "prod-observability-alarms")
    [events] = [st for st in json.loads(key.inputs["policy"])["Statement"]
                if st["Principal"] == {"Service": "events.amazonaws.com"}]
    # No aws:SourceAccount/SourceArn condition: SNS does not support them for EventBridge-to-encrypted topics,
    # and with one every event would be dropped.
    assert "kms:GenerateDataKey*" in events["Action"] and "Condition" not in events
    # Stacks that own no trail (prod-eu relies on prod's multi-region trail) have no rule for it.
    assert [[r.name for r in s.find(RULE)] for s in (regional["dev"], regional["prod-eu"], regional["iot"])] == [
        [f"{env}-observability-tasks-not-starting"] for env in ("dev", "prod", "iot")]  # prod-eu's environment: prod


def _arn(resource) -> str:
    return struct_to_plain(resource.state_struct)["arn"]


def _event_rules_granted(result) -> dict[str, set[str]]:
    """By severity: the rule ARNs EventBridge may publish for, from each topic's policy. Replacing the default
    policy must not silence the alarms (this stack's and the global layer's): every policy grants them too."""
    topics = {arn: severity for severity, arn in _topics(result).items()}
    granted = {}
    for policy in result.find("aws:sns/topicPolicy:TopicPolicy"):
        statements = json.loads(policy.inputs["policy"])["Statement"]
        assert any(st["Principal"] == {"Service": "cloudwatch.amazonaws.com"} and st["Action"] == "sns:Publish"
                   for st in statements)
        (grant,) = [st for st in statements if st["Principal"] == {"Service": "events.amazonaws.com"}]
        assert grant["Sid"] == "EventRulesPublish" and grant["Action"] == "sns:Publish"
        assert grant["Resource"] == policy.inputs["arn"]
        arns = grant["Condition"]["ArnEquals"]["aws:SourceArn"]
        assert isinstance(arns, list) and len(set(arns)) == len(arns)
        granted[topics[policy.inputs["arn"]]] = set(arns)
    return granted


def test_a_service_whose_tasks_cannot_start_pages_even_during_a_canary(dev_preview, prod_preview, regional):
    """ECS's own event: during a canary the old revision keeps its count, so no task-count alarm can see new
    tasks that never start."""
    for result in (dev_preview, prod_preview, regional["iot"]):
        env = result.stack
        rule = result.get(RULE, f"{env}-observability-tasks-not-starting")
        (cluster,) = result.find("aws:ecs/cluster:Cluster")
        assert json.loads(rule.inputs["eventPattern"]) == {
            "source": ["aws.ecs"], "detail-type": ["ECS Service Action"],
            "detail": {"clusterArn": [_arn(cluster)], "eventName": ["SERVICE_TASK_START_IMPAIRED"]}}
        assert rule.inputs["name"] == f"{env}-tasks-not-starting"
        assert rule.inputs["tags"]["AlarmKind"] == "service-tasks-below-desired"
        assert rule.inputs["tags"]["Severity"] == "page"
        target = result.get(TARGET, f"{env}-observability-tasks-not-starting")
        assert target.inputs["arn"] == _topics(result)["page"]
        assert target.inputs["inputTransformer"]["inputPaths"]["service"] == "$.resources[0]"
        assert "Runbook: " + f"{DEFAULT_RUNBOOK_BASE_URL}/docs/runbooks/service-tasks-below-desired.md" in \
            json.loads(target.inputs["inputTransformer"]["inputTemplate"])
        assert _arn(rule) in _event_rules_granted(result)["page"]


def test_refused_and_throttled_devices_open_a_ticket(iot_preview):
    """429 is a tenant over its tier's route limit (HTTP) or a reconnect storm over the connect throttle
    (WebSocket), 401/403 devices with a bad token: the REST API's 4xx kind, on both device APIs."""
    apis = {a.inputs["protocolType"]: a for a in iot_preview.find("aws:apigatewayv2/api:Api")}
    stages = {s.inputs["apiId"]: s.inputs["name"] for s in iot_preview.find("aws:apigatewayv2/stage:Stage")}
    alarms = {a["name"]: a for a in _by_kind(iot_preview, "api-4xx-rate")}
    assert sorted(alarms) == ["iot-device-management-api-4xx-rate", "iot-http-api-4xx-rate", "iot-ws-api-4xx-rate"]
    dashboard = iot_preview.get("aws:cloudwatch/dashboard:Dashboard", "iot-observability-dashboard")
    listed = [a for w in json.loads(dashboard.inputs["dashboardBody"])["widgets"] if w["type"] == "alarm"
              for a in w["properties"]["alarms"]]
    # WebSocket: ClientError is what API Gateway answered 4xx before any integration ran (the authorizer's
    # denials, throttled connects and messages), over every connect and message, the refused connects included
    # (ConnectCount counts those that reached the integration).
    for name, protocol, metrics in (("iot-http-api-4xx-rate", "HTTP", ["4xx", "Count"]),
                                    ("iot-ws-api-4xx-rate", "WEBSOCKET", ["ClientError", "ConnectCount",
                                                                          "MessageCount"])):
        alarm, api_id = alarms[name], f"{apis[protocol].name}-id"
        queried = [q["metric"] for q in alarm["metricQueries"] if "metric" in q]
        assert [m["metricName"] for m in queried] == metrics
        assert all(m["dimensions"] == {"ApiId": api_id, "Stage": stages[api_id]} for m in queried)
        assert alarm["threshold"] == 10 and alarm["alarmActions"] == [_topics(iot_preview)["ticket"]]
        assert alarm["alarmDescription"].endswith("/docs/runbooks/api-4xx-rate.md")
        if protocol == "WEBSOCKET":  # ClientError read once, on both sides
            assert [q["expression"] for q in alarm["metricQueries"] if "expression" in q] == [
                "IF((FILL(errors, 0) + FILL(requests1, 0) + FILL(requests2, 0)) > 0, 100 * errors / "
                "(FILL(errors, 0) + FILL(requests1, 0) + FILL(requests2, 0)), 0)"]
        # The overview dashboard lists it with the stack's other alarms.
        assert any(a.endswith(f":alarm:{name}") for a in listed)


def test_a_trail_that_delivers_nothing_for_six_hours_pages(prod_preview, regional):
    """The archive counts the trail's own log files (S3 request metrics under its prefix); six hours without a
    delivery page: as ALARM while the range still has a point (hours without one filled as 0), as the data stopping
    once it has none (a new alarm, which has no point yet, starts there and pages no one)."""
    (trail,) = prod_preview.find("aws:cloudtrail/trail:Trail")
    (metric,) = prod_preview.find("aws:s3/bucketMetric:BucketMetric")
    bucket = next(b for b in prod_preview.find("aws:s3/bucket:Bucket") if b.name == "prod-audit-archive")
    assert metric.inputs["bucket"] == trail.inputs["s3BucketName"] == bucket.inputs["bucket"]  # the archive's id
    assert metric.inputs["filter"] == {"prefix": "AWSLogs/123456789012/CloudTrail/"}  # log files, not digests
    (alarm,) = [a for a in prod_preview.find(ALARM) if a.inputs["tags"]["AlarmKind"] == "audit-trail-not-delivering"]
    assert alarm.inputs["name"] == "prod-audit-trail-not-delivering"
    deliveries, hourly = alarm.inputs["metricQueries"]
    assert (deliveries["metric"]["namespace"], deliveries["metric"]["metricName"], deliveries["metric"]["stat"]) == (
        "AWS/S3", "PutRequests", "Sum")
    assert (hourly["expression"], hourly["returnData"]) == (f"FILL({deliveries['id']}, 0)", True)
    # The bucket's name is its auto-name, which the provider's Check gives; the dependency shows it is the archive's.
    assert deliveries["metric"]["dimensions"] == {"BucketName": bucket.inputs["bucket"],
                                                  "FilterId": metric.inputs["name"]}
    assert bucket.urn in alarm.property_dependencies["metricQueries"]
    assert (deliveries["metric"]["period"], alarm.inputs["evaluationPeriods"], alarm.inputs["datapointsToAlarm"]) == (
        3600, 6, 6)
    assert (alarm.inputs["comparisonOperator"], alarm.inputs["threshold"], alarm.inputs["treatMissingData"]) == (
        "LessThanThreshold", 1, "missing")
    page = [_topics(prod_preview)["page"]]
    assert (alarm.inputs["alarmActions"], alarm.inputs["insufficientDataActions"], alarm.inputs["okActions"]) == (
        page, page, page)
    # Stacks that own no trail have neither.
    for stack in ("dev", "prod-eu", "iot"):
        assert regional[stack].find("aws:s3/bucketMetric:BucketMetric") == []
        assert not [a for a in regional[stack].find(ALARM) if a.inputs["tags"]["AlarmKind"].startswith("audit")]


# Security Hub's CloudWatch.1-14, as its user guide ("Amazon CloudWatch controls") gives each pattern: its checks
# fail a filter with any other text.
CIS_PATTERNS = {
    "root-usage": '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && '
                  '$.eventType !="AwsServiceEvent"}',
    "unauthorized-calls": '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    "console-sign-in-without-mfa": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") '
                                   '&& ($.userIdentity.type = "IAMUser") && '
                                   '($.responseElements.ConsoleLogin = "Success") }',
    "iam-policy-changes": "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || "
                          "($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || "
                          "($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) "
                          "|| ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
                          "($.eventName=DeletePolicyVersion) || "
                          "($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
                          "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || "
                          "($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}",
    "cloudtrail-changes": "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
                          "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    "console-sign-in-failures": '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    "kms-key-disabled-or-deleted": "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || "
                                   "($.eventName=ScheduleKeyDeletion))}",
    "s3-bucket-policy-changes": "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || "
                                "($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || "
                                "($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || "
                                "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || "
                                "($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}",
    "config-changes": "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
                      "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
                      "($.eventName=PutConfigurationRecorder))}",
    "security-group-changes": "{($.eventName=AuthorizeSecurityGroupIngress) || "
                              "($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) "
                              "|| ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || "
                              "($.eventName=DeleteSecurityGroup)}",
    "network-acl-changes": "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || "
                           "($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || "
                           "($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
    "network-gateway-changes": "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
                               "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
                               "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    "route-table-changes": "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) "
                           "|| ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || "
                           "($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
    "vpc-changes": "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
                   "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
                   "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
                   "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || "
                   "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
}


def test_the_account_activity_cis_names_opens_a_ticket_through_filters_on_the_trails_log_group(prod_preview,
                                                                                               regional):
    """CIS AWS Foundations' monitoring section (Security Hub CloudWatch.1-14): a metric filter on the trail's
    CloudWatch Logs copy for each kind of event, with Security Hub's exact pattern, and an alarm on its metric."""
    filters = {f.name: f for f in prod_preview.find("aws:cloudwatch/logMetricFilter:LogMetricFilter")
               if f.inputs["logGroupName"] == "/prod/cloudtrail"}
    assert {f.inputs["name"]: f.inputs["pattern"] for f in filters.values()} == CIS_PATTERNS
    group = prod_preview.get("aws:cloudwatch/logGroup:LogGroup", "prod-audit-trail")
    alarms = {a.inputs["name"]: a for a in prod_preview.find(ALARM)
              if a.inputs["tags"]["AlarmKind"] == "audit-account-activity"}
    assert sorted(alarms) == sorted(f"prod-audit-{key}" for key in CIS_PATTERNS)
    for f in filters.values():
        key = f.inputs["name"]
        assert group.urn in f.dependencies  # the filter waits for the group, which the trail writes
        assert f.inputs["metricTransformation"] == {"namespace": "prod/AccountActivity", "name": key, "value": "1",
                                                    "unit": "Count"}
        alarm = alarms[f"prod-audit-{key}"]
        assert (alarm.inputs["namespace"], alarm.inputs["metricName"], alarm.inputs["statistic"]) == (
            "prod/AccountActivity", key, "Sum")
        assert f.urn in alarm.property_dependencies["metricName"]  # no alarm on a metric nothing writes yet
        assert (alarm.inputs["period"], alarm.inputs["evaluationPeriods"], alarm.inputs["threshold"],
                alarm.inputs["comparisonOperator"], alarm.inputs["treatMissingData"]) == (
            300, 1, 1, "GreaterThanOrEqualToThreshold", "notBreaching")
        assert alarm.inputs["alarmActions"] == [_topics(prod_preview)["ticket"]]
    assert "Security Hub CloudWatch.1)" in alarms["prod-audit-root-usage"].inputs["alarmDescription"]
    # The runbook's table names each alarm with the control its description gives.
    runbook = (ROOT / "docs" / "runbooks" / "audit-account-activity.md").read_text()
    for name, alarm in alarms.items():
        control = re.search(r"Security Hub (CloudWatch\.\d+)\)", alarm.inputs["alarmDescription"]).group(1)
        assert f"| `{name}` | {control} |" in runbook, name
    # Stacks that own no trail have none; nor does a trail without its CloudWatch Logs copy.
    for stack in ("dev", "prod-eu", "iot"):
        assert not [f for f in regional[stack].find("aws:cloudwatch/logMetricFilter:LogMetricFilter")
                    if f.inputs["metricTransformation"]["namespace"].endswith("/AccountActivity")]
    without_copy = preview("prod", config_overrides=["audit.cloudWatchLogs=false"])
    assert not [a for a in without_copy.find(ALARM) if a.inputs["tags"]["AlarmKind"] == "audit-account-activity"]
    assert not [f for f in without_copy.find("aws:cloudwatch/logMetricFilter:LogMetricFilter")
                if f.inputs["metricTransformation"]["namespace"] == "prod/AccountActivity"]


def test_the_device_functions_page_on_their_error_rate(iot_preview):
    functions = {f.inputs["name"] for f in iot_preview.find("aws:lambda/function:Function")}
    alarms = _by_kind(iot_preview, "device-function-errors")
    watched = {q["metric"]["dimensions"]["FunctionName"] for a in alarms for q in a["metricQueries"] if "metric" in q}
    assert watched == functions == {"iot-iot-ws-authorizer", "iot-iot-ws-connections"}
    topics = _topics(iot_preview)
    for alarm in alarms:
        # Lambda counts a throttled call in Throttles only, not in Invocations: it adds to both sides (read once).
        assert [q["metric"]["metricName"] for q in alarm["metricQueries"] if "metric" in q] == [
            "Errors", "Throttles", "Invocations"]
        assert alarm["metricQueries"][-1]["expression"] == (
            "IF((FILL(requests0, 0) + FILL(errors1, 0)) > 0, 100 * (FILL(errors0, 0) + FILL(errors1, 0)) / "
            "(FILL(requests0, 0) + FILL(errors1, 0)), 0)")
        assert alarm["alarmActions"] == [topics["page"]] and alarm["threshold"] == 5


API_LOG_RUNBOOKS = ("api-5xx-rate", "device-api-error-rate")


def test_the_api_runbooks_name_only_fields_the_access_logs_write(iot_preview):
    """A field a responder is told to read in an API access log is one some API's access log format writes."""
    stages = iot_preview.find("aws:apigateway/stage:Stage") + iot_preview.find("aws:apigatewayv2/stage:Stage")
    written = {field for s in stages for field in re.findall(r'"(\w+)":', s.inputs["accessLogSettings"]["format"])}
    assert {"integrationStatus", "errorMessage", "authorizerError", "routeKey"} <= written
    for runbook in API_LOG_RUNBOOKS:
        text = (RUNBOOKS / f"{runbook}.md").read_text()
        named = set(re.findall(r"`([a-z]+[A-Z][A-Za-z]*|status)`", text))
        assert named and named <= written, (runbook, sorted(named - written))


def test_the_device_apis_page_on_their_own_error_rate(iot_preview):
    apis = {a.inputs["protocolType"]: a for a in iot_preview.find("aws:apigatewayv2/api:Api")}
    stages = {s.inputs["apiId"]: s.inputs["name"] for s in iot_preview.find("aws:apigatewayv2/stage:Stage")}
    alarms = {a["name"]: a for a in _by_kind(iot_preview, "device-api-error-rate")}
    assert sorted(alarms) == ["iot-http-api-5xx-rate", "iot-ws-api-error-rate"]
    topics = _topics(iot_preview)
    expected = {"iot-http-api-5xx-rate": ("HTTP", ["5xx", "Count"], "IF(requests > 0, 100 * errors / requests, 0)"),
                "iot-ws-api-error-rate": ("WEBSOCKET", ["ExecutionError", "IntegrationError", "ConnectCount",
                                                        "MessageCount"],
                                          "IF((FILL(requests0, 0) + FILL(requests1, 0)) > 0, 100 * (FILL(errors0, 0) "
                                          "+ FILL(errors1, 0)) / (FILL(requests0, 0) + FILL(requests1, 0)), 0)")}
    for name, (protocol, metrics, expression) in expected.items():
        alarm, api_id = alarms[name], f"{apis[protocol].name}-id"
        queries = alarm["metricQueries"]
        assert [q["metric"]["metricName"] for q in queries if "metric" in q] == metrics
        # HTTP and WebSocket APIs publish by ApiId and Stage (REST's ApiName does not apply to them).
        assert {json.dumps(q["metric"]["dimensions"], sort_keys=True) for q in queries if "metric" in q} == {
            json.dumps({"ApiId": api_id, "Stage": stages[api_id]}, sort_keys=True)}
        assert [q["expression"] for q in queries if "expression" in q] == [expression]
        assert alarm["threshold"] == 1 and alarm["alarmActions"] == [topics["page"]]  # iot's fiveXxRatePercent
