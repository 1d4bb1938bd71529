"""The global layer (project `global/`): one API domain served from several regional stacks.

    Route 53 (hosted zone) ─ latency (or failover) alias records, one per region, each with a health check
        └─▶ the region's API Gateway custom domain (regional endpoint) ─▶ that region's stack
    ACM: the API domain's certificate in every region (a regional custom domain needs one in its own region)

Health: a Route 53 health check per region follows that region's API 5xx-rate alarm (a CLOUDWATCH_METRIC
check). The API needs a key and a token on every method, so an HTTP(S) probe would only ever see 403.
Route 53 reads the alarm's metric itself, and without data (no requests, or the region's CloudWatch down)
the check keeps its last status: a new region enters, a failed-out one stays out until an operator brings
it back, and a region that publishes nothing is failed out by hand (docs/failover.md). If every region is
unhealthy, Route 53 answers as if all were healthy.

Alarm: Route 53 publishes `HealthCheckStatus` only in us-east-1, whatever the checked region, so each
check's alarm (kind `region-health-check-failed`, through `alarms.AlarmRouting`) is created in us-east-1
and notifies `alarmTopicArn`, an SNS topic in us-east-1 (the us-east-1 stack's `pagingTopicArn` output).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .alarms import AlarmRouting
from .config import (APIGATEWAY_REGIONAL_ZONE_IDS, API_NAME_RE, DEFAULT_RUNBOOK_BASE_URL, ENV_RE, HOST_RE,
                     HOST_WHAT, HOSTED_ZONE_ID_RE, REGION_RE, RUNBOOK_URL_RE, RUNBOOK_URL_WHAT, ConfigError, ConfigNode,
                     certificate_name_problem, check_region, check_tags, fail_in, partition_problem,
                     provider_default_tags, read_project_config, refuse_plain_credentials, route53_region_enum,
                     shown_stack_file, stack_file_path)
from .dns import VALIDATION_TTL  # the regional DnsZone writes the same record
from .naming import API_5XX_RATE, api_alarm_name, api_name, region_health_alarm_name
from .tagging import EDGE_OWN_TAG_KEYS

PROJECT = "service-mesh-platform-global"
_STACK_RE = re.compile(r"^[a-zA-Z0-9_.-]{1,100}$")
ROUTING = ("latency", "failover")
# Where Route 53 publishes health check metrics, whichever region a check watches.
HEALTH_METRICS_REGION = "us-east-1"
_TOPIC_RE = re.compile(rf"^arn:aws:sns:{HEALTH_METRICS_REGION}:[0-9]{{12}}:[A-Za-z0-9_-]{{1,256}}$")
# Tags Route 53 keeps on a health check (ChangeTagsForResource), far fewer than the 50 elsewhere.
ROUTE53_MAX_TAGS = 10
# The regional stack's apiHealthAlarm output (components/api.py, route53_alarm_view).
_HEALTH_ALARM_RE = re.compile(r"^AWS/\S+ \S+ \S+ [0-9]+s x[0-9]+ [A-Za-z]+ \S+ \S+$")


@dataclass(frozen=True)
class RegionalApi:
    region: str
    stack: str
    environment: str
    # The regional stack's apiDomainTarget / apiDomainZoneId outputs; unset until that stack is deployed.
    api_target: Optional[str] = None
    api_zone_id: Optional[str] = None
    failover: Optional[str] = None  # PRIMARY | SECONDARY when routing is failover
    api_name: Optional[str] = None  # the regional stack's `api.name`, when it sets one
    # The regional stack's apiHealthAlarm output: its 5xx-rate alarm as Route 53 copies it (set with api_target).
    api_health_alarm: Optional[str] = None
    # Failed out by an operator: its record is removed, so Route 53 answers with the other regions whatever its
    # health check says (an inverted check would turn healthy again on a breaching metric, mid-incident).
    failed_out: bool = False

    @property
    def health_alarm(self) -> str:
        return api_alarm_name(api_name(self.environment, self.api_name), API_5XX_RATE)


def _check_alarm_names_the_api(node: ConfigNode, region: RegionalApi) -> None:
    """The alarm settings copied from the regional stack name the API whose 5xx rate the health check follows: an
    `apiName` or `environment` that no longer matches them would have the check follow an alarm the region does not
    have (its name is made from them) while Route 53 copies another API's settings."""
    if region.api_health_alarm is None:
        return
    dimensions = dict(pair.split("=", 1) for pair in region.api_health_alarm.rsplit(" ", 1)[-1].split(",")
                      if "=" in pair)
    expected = api_name(region.environment, region.api_name)
    if dimensions.get("ApiName", expected) != expected:
        raise node.error("apiHealthAlarm", f"names ApiName={dimensions['ApiName']}, but this region's API is "
                                           f"{expected} (from environment and apiName): copy the regional stack's "
                                           f"apiHealthAlarm output again, or correct them")


@dataclass(frozen=True)
class EdgeConfig:
    stack_file: str
    domain: str
    hosted_zone_id: str
    routing: str
    regions: tuple[RegionalApi, ...]
    tags: Mapping[str, str]
    # Where the health checks' alarms go (an SNS topic in us-east-1); required once a region has a check.
    alarm_topic_arn: Optional[str] = None
    runbook_base_url: str = DEFAULT_RUNBOOK_BASE_URL


def _certified_domain(root: ConfigNode) -> str:
    """The API's domain, which the layer requests a certificate for in every region."""
    domain = root.str("domain", required=True, pattern=HOST_RE, what=HOST_WHAT)
    problem = certificate_name_problem(domain)
    if problem:
        raise root.error("domain", problem)
    return domain


def parse_edge_config(raw: Mapping[str, Any], stack_file: str, region: Optional[str] = HEALTH_METRICS_REGION,
                      default_tags: Optional[str] = None) -> EdgeConfig:
    """The global layer's config; `region` and `default_tags` are the aws provider's, as for a regional stack."""
    fail = fail_in(stack_file)
    root = ConfigNode(fail, "", raw)
    check_region(region, fail)
    defaults = provider_default_tags(default_tags, fail, EDGE_OWN_TAG_KEYS)
    with root.misspellings_first():
        return _parse_edge_config(root, fail, stack_file, defaults)


def _parse_edge_config(root: ConfigNode, fail: Callable[[str, str], ConfigError],
                       stack_file: str, default_tags: Mapping[str, str]) -> EdgeConfig:
    routing = root.str("routing", "latency", choices=ROUTING)
    own_zone = root.str("hostedZoneId")  # checked below, with the rest of the layer's own settings
    regions: list[RegionalApi] = []
    for node in root.nodes("regions", required=True):
        regions.append(_regional_api(node, routing, own_zone, listed=regions))
    _check_regions(fail, routing, regions)
    topic = root.str("alarmTopicArn", pattern=_TOPIC_RE, what=f"an SNS topic ARN in {HEALTH_METRICS_REGION} "
                                                                 f"(Route 53 health check metrics live only there)")
    if topic is None and any(r.api_target for r in regions):
        raise fail("alarmTopicArn", f"is required once a region has a health check: an SNS topic in "
                                    f"{HEALTH_METRICS_REGION} for its alarm (the us-east-1 stack's pagingTopicArn)")
    tags = _health_check_tags(root, fail, default_tags, regions)
    config = EdgeConfig(
        stack_file=stack_file, alarm_topic_arn=topic,
        runbook_base_url=root.str("runbookBaseUrl", DEFAULT_RUNBOOK_BASE_URL, pattern=RUNBOOK_URL_RE,
                                  what=RUNBOOK_URL_WHAT),
        domain=_certified_domain(root),
        hosted_zone_id=root.str("hostedZoneId", required=True, pattern=HOSTED_ZONE_ID_RE,
                                what="a Route 53 hosted zone id"),
        routing=routing, regions=tuple(regions), tags=tags,
    )
    root.done()
    return config


def _regional_api(node: ConfigNode, routing: str, own_zone: Optional[str], *,
                  listed: Sequence[RegionalApi]) -> RegionalApi:
    """One `regions` entry; `listed` are the entries before it."""
    region = _region(node, routing, listed)
    target, zone, health_alarm = _regional_endpoint(node, region, own_zone)
    stack = node.str("stack", required=True, pattern=_STACK_RE, what="a stack name")
    if any(r.stack == stack for r in listed):  # its health check's alarm is named after it
        raise node.error("stack", f"{stack} is listed twice")
    api = RegionalApi(
        region=region,
        stack=stack,
        environment=node.str("environment", required=True, pattern=ENV_RE, what="an environment name"),
        api_target=target, api_zone_id=zone, api_health_alarm=health_alarm,
        failover=node.str("failover", choices=("PRIMARY", "SECONDARY")),
        api_name=node.str("apiName", pattern=API_NAME_RE, what="the regional stack's api.name"),
        failed_out=node.bool("failedOut", False),
    )
    if api.failover and routing != "failover":
        raise node.error("failover", f"only applies when routing is failover (it is {routing})")
    if api.failed_out and target is None:
        raise node.error("failedOut", "only applies to a region with a health check (apiTarget set)")
    _check_alarm_names_the_api(node, api)
    node.done()
    return api


def _region(node: ConfigNode, routing: str, listed: Sequence[RegionalApi]) -> str:
    """The entry's region: one Route 53 takes for its records and alarms, listed once."""
    region = node.str("region", required=True, pattern=REGION_RE, what="an AWS region")
    if (problem := partition_problem(region)) is not None:
        raise node.error("region", problem)
    for shape, what in (("CloudWatchRegion", "its health check's alarm region"),
                        *((("ResourceRecordSetRegion", "a latency record's region"),) if routing == "latency"
                          else ())):
        if region not in route53_region_enum(shape):
            raise node.error("region", f"{region} is not a region Route 53 takes as {what} (botocore's route53 "
                                       f"{shape}, as requirements.txt pins it): Route 53 does not serve it yet, "
                                       f"or a newer pin would list it")
    if any(r.region == region for r in listed):
        raise node.error("region", f"{region} is listed twice")
    return region


def _regional_endpoint(node: ConfigNode, region: str,
                       own_zone: Optional[str]) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(apiTarget, apiZoneId, apiHealthAlarm): the regional stack's outputs, all three or none."""
    target = node.str("apiTarget", pattern=HOST_RE, what=HOST_WHAT)
    # A target from another region would send this region's latency record to the wrong place, and Route 53
    # refuses an alias to a name outside API Gateway's zone (d-<id>.execute-api.<region>.amazonaws.com).
    if target is not None and not re.fullmatch(rf"d-[a-z0-9]+\.execute-api\.{re.escape(region)}\.amazonaws\.com",
                                               target):
        raise node.error("apiTarget", f"{target} is not an API Gateway regional domain in {region}, "
                                      f"d-<id>.execute-api.{region}.amazonaws.com (the regional stack's "
                                      f"apiDomainTarget output)")
    zone = node.str("apiZoneId", pattern=HOSTED_ZONE_ID_RE, what="a Route 53 hosted zone id")
    if zone is not None and zone == own_zone:
        raise node.error("apiZoneId", f"{zone} is the API domain's own zone (hostedZoneId); apiZoneId is API "
                                      f"Gateway's zone for {region} (the regional stack's apiDomainZoneId output)")
    expected = APIGATEWAY_REGIONAL_ZONE_IDS.get(region)
    if zone is not None and expected is not None and zone != expected:
        raise node.error("apiZoneId", f"{zone} is not API Gateway's zone for {region} ({expected}); Route 53 "
                                      f"refuses an alias to {region}'s domain in another zone: copy this "
                                      f"region's apiDomainZoneId output")
    if (target is None) != (zone is None):
        raise node.error("apiZoneId" if zone is None else "apiTarget",
                         "apiTarget and apiZoneId are set together (the regional stack's outputs)")
    # Route 53 copies the alarm's settings into the health check once: the check is updated when they change.
    health_alarm = node.str("apiHealthAlarm", pattern=_HEALTH_ALARM_RE,
                            what="the regional stack's apiHealthAlarm output")
    if (target is None) != (health_alarm is None):
        raise node.error("apiHealthAlarm" if health_alarm is None else "apiTarget",
                         "apiTarget and apiHealthAlarm are set together (the regional stack's outputs)")
    return target, zone, health_alarm


def _check_regions(fail: Callable[[str, str], ConfigError], routing: str, regions: Sequence[RegionalApi]) -> None:
    """The regions together: at least one, one left in, and a PRIMARY and a SECONDARY for failover routing."""
    if not regions:
        raise fail("regions", "needs at least one region")
    checked = [r for r in regions if r.api_target]
    if checked and all(r.failed_out for r in checked):
        raise fail("regions", "every region with a health check is failedOut, which would leave the domain no "
                              "record to answer with: leave at least one in")
    if routing == "failover":
        roles = sorted(r.failover or "" for r in regions)
        if roles != ["PRIMARY", "SECONDARY"]:
            raise fail("regions", "failover routing needs exactly two regions, one PRIMARY and one SECONDARY")


def _health_check_tags(root: ConfigNode, fail: Callable[[str, str], ConfigError], default_tags: Mapping[str, str],
                       regions: Sequence[RegionalApi]) -> Mapping[str, str]:
    """The layer's `tags`, which with the provider's and the Name must fit on a health check where there is one."""
    tags = root.string_map("tags")
    check_tags(tags, fail, provider_defaults=default_tags, own_keys=EDGE_OWN_TAG_KEYS)
    with_name = len({**default_tags, **tags, "Name": ""})
    if any(r.api_target for r in regions) and with_name > ROUTE53_MAX_TAGS:
        also = f", the provider's {len(default_tags)} default tags" if default_tags else ""
        raise fail("tags", f"{len(tags)} tags{also} and the health checks' Name are {with_name}; Route 53 allows "
                           f"{ROUTE53_MAX_TAGS} on a health check")
    return tags


def load_edge_config() -> EdgeConfig:
    name = f"Pulumi.{pulumi.get_stack()}.yaml"
    stack_file = shown_stack_file(name)
    refuse_plain_credentials(stack_file_path(Path(pulumi.get_root_directory() or "."), name), stack_file, PROJECT)
    provider = pulumi.Config("aws")
    return parse_edge_config(read_project_config(PROJECT, stack_file), stack_file, provider.get("region"),
                             provider.get("defaultTags"))


class GlobalEdge(pulumi.ComponentResource):
    """Certificates in every region, then (per deployed region) a health check and an alias record."""

    certificate_arns: pulumi.Output[dict]
    health_check_ids: pulumi.Output[dict]

    def __init__(self, name: str, config: EdgeConfig, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:edge:GlobalEdge", name, None, opts)
        certificates = _validated_certificates(name, self, config.domain, config.hosted_zone_id,
                                               [r.region for r in config.regions])

        health_checks: dict[str, pulumi.Output[str]] = {}
        # One topic for both severities: the only kind here pages.
        alarms = (AlarmRouting(paging_topic_arn=config.alarm_topic_arn, ticket_topic_arn=config.alarm_topic_arn,
                               runbook_base_url=config.runbook_base_url)
                  if config.alarm_topic_arn else None)
        for r in config.regions:
            if r.api_target is None:
                continue  # the regional stack is not deployed yet: no endpoint to route to
            check = _health_check(name, self, config.domain, r, alarms)
            health_checks[r.region] = check.id
            if r.failed_out:
                continue  # its check and alarm stay, ready for its return
            _api_record(name, self, config.hosted_zone_id, config.domain, config.routing, r, check.id)

        self.certificate_arns = pulumi.Output.all(**{r: c.arn for r, c in certificates.items()})
        self.health_check_ids = pulumi.Output.all(**health_checks) if health_checks else pulumi.Output.from_input({})
        self.register_outputs({"certificateArns": self.certificate_arns})


def _validated_certificates(name: str, owner: pulumi.Resource, domain: str, zone_id: str,
                            regions: Sequence[str]) -> dict[str, aws.acm.Certificate]:
    """The domain's certificate in each region (by region), each validated by DNS in the zone."""
    child = pulumi.ResourceOptions(parent=owner)
    certificates = {region: aws.acm.Certificate(
        f"{name}-cert-{region}", region=region, domain_name=domain, validation_method="DNS",
        key_algorithm="RSA_2048", opts=child) for region in regions}

    # ACM asks for the same validation CNAME for a domain in every region of an account, so one
    # record (from the first region's certificate) validates them all; a record per region would collide.
    first = certificates[regions[0]]
    option = first.domain_validation_options[0]
    record = aws.route53.Record(
        f"{name}-cert-validation", zone_id=zone_id, type=option.resource_record_type,
        name=option.resource_record_name, records=[option.resource_record_value], ttl=VALIDATION_TTL,
        # Any certificate this account validated for the domain before (one a regional stack file names,
        # made by hand) left this very record in the zone: without overwrite the provider sends CREATE,
        # which Route 53 refuses for an existing record, and the first `up` stops here.
        allow_overwrite=True, opts=child)
    for region, certificate in certificates.items():
        aws.acm.CertificateValidation(
            f"{name}-cert-{region}", region=region, certificate_arn=certificate.arn,
            validation_record_fqdns=[record.fqdn], opts=child)
    return certificates


def _health_check(name: str, owner: pulumi.Resource, domain: str, r: RegionalApi,
                  alarms: AlarmRouting) -> aws.route53.HealthCheck:
    """The region's health check, following its API's 5xx-rate alarm, and the alarm on the check in us-east-1."""
    child = pulumi.ResourceOptions(parent=owner)
    # Route 53 reads the alarm's metric with the alarm's threshold and periods, not its state, so the
    # alarm's missing-data treatment does not reach it, and API Gateway publishes nothing in a minute
    # without requests. "Unhealthy" on no data would never let a new region (no traffic yet) in; the
    # last known status lets it in (a check without history is healthy) and keeps a failed region out
    # until an operator brings it back, and a region that publishes nothing at all is failed out by
    # hand (docs/failover.md).
    check = aws.route53.HealthCheck(
        f"{name}-health-{r.region}", type="CLOUDWATCH_METRIC", cloudwatch_alarm_name=r.health_alarm,
        cloudwatch_alarm_region=r.region, insufficient_data_health_status="LastKnownStatus",
        # The provider takes at most 27 characters: it appends a 37-character unique id to make the caller
        # reference, which AWS caps at 64 (terraform-provider-aws, route53 health_check.go).
        reference_name=f"{r.stack}-api"[:27], tags={"Name": f"{domain} {r.region}"},
        # Never inverted: an inversion made by hand (a breaching metric turns the check healthy again) is
        # undone by the next refreshing update; the stack file fails a region out with `failedOut`
        # (docs/failover.md).
        invert_healthcheck=False,
        # Route 53 keeps a copy of the alarm's settings made when the check was created (GetHealthCheck's
        # CloudWatchAlarmConfiguration) and never rereads the alarm; a changed trigger makes the provider
        # send the alarm again, so a new threshold or a renamed stage reaches the check.
        triggers={"alarm": r.api_health_alarm}, opts=child)
    alarms.alarm(
        f"{name}-health-{r.region}", kind="region-health-check-failed", region=HEALTH_METRICS_REGION,
        name=region_health_alarm_name(r.stack),
        summary=f"Route 53 health check of {r.region} failing: {domain} stops answering with "
                f"{r.region} (it follows {r.health_alarm} there)",
        namespace="AWS/Route53", metric_name="HealthCheckStatus", dimensions={"HealthCheckId": check.id},
        statistic="Minimum", period=60, evaluation_periods=2, threshold=1,
        comparison_operator="LessThanThreshold", treat_missing_data="missing", opts=child)
    return check


def _api_record(name: str, owner: pulumi.Resource, zone_id: str, domain: str, routing: str, r: RegionalApi,
                health_check_id: pulumi.Output[str]) -> aws.route53.Record:
    """The domain's alias to the region's API, answered while its health check passes (latency or failover)."""
    policy = (
        {"latency_routing_policies": [aws.route53.RecordLatencyRoutingPolicyArgs(region=r.region)]}
        if routing == "latency" else
        {"failover_routing_policies": [aws.route53.RecordFailoverRoutingPolicyArgs(type=r.failover)]})
    return aws.route53.Record(
        f"{name}-api-{r.region}", zone_id=zone_id, name=domain, type="A",
        set_identifier=r.region, health_check_id=health_check_id,
        aliases=[aws.route53.RecordAliasArgs(name=r.api_target, zone_id=r.api_zone_id,
                                             evaluate_target_health=True)],
        **policy, opts=pulumi.ResourceOptions(parent=owner))
