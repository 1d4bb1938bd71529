"""Alarms and the environment dashboard, on metrics that exist.

What we watch, for every data plane:

    AWS/ECS                 CPUUtilization, MemoryUtilization       {ClusterName, ServiceName}
    ECS/ContainerInsights   RunningTaskCount, DesiredTaskCount      {ClusterName, ServiceName}
    AWS/NetworkELB          UnHealthyHostCount, HealthyHostCount    {LoadBalancer, TargetGroup}  (App Mesh NLB)
    AWS/ApplicationELB      the same, plus HTTPCode_Target_5XX_Count, TargetConnectionErrorCount,
                            TargetTLSNegotiationErrorCount, RequestCount  {LoadBalancer, TargetGroup}  (Service
                            Connect ALB)
    AWS/ApiGateway          Count, 4XXError, 5XXError, Latency      {ApiName, Stage}  (dashboard; the API
                                                                      layer adds its own alarms)
    the device APIs (iot)   AWS/ApiGateway by SEARCH on {ApiId, Stage} (the APIs come later: their ids are not
                            known here); AWS/Lambda Errors, Throttles {FunctionName}; AWS/DynamoDB
                            WriteThrottleEvents {TableName}  (dashboard; the device API layers add their alarms)

and each workload's traffic where its data plane publishes it (`TrafficSignals`):

    App Mesh         <env>/Envoy   Envoy's StatsD via the CloudWatch agent (App Mesh publishes no metrics)
    Service Connect  AWS/ECS       HTTPCode_Target_{2,3,4,5}XX_Count, TargetResponseTime {TargetDiscoveryName}

Every alarm is made by `alarms.AlarmRouting` (its kind's runbook in the description) and notifies the paging
or the ticket topic (both KMS-encrypted) by severity; the API layer gets the same routing (`routing`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, Protocol, Sequence, Union

import pulumi
import pulumi_aws as aws

from . import dashboards
from .account_activity import ActivityMetric
from .alarms import PAGE, SEVERITIES, TICKET, AlarmRouting, Metric, rate_queries, three_of_five_minutes
from .cloudwatch_limits import LOG_GROUPS_PER_QUERY, chunked
from .config import AlarmsConfig
from .dashboards import Section
from .envoy import EnvoyMetrics
from .iam import key_policy, policy_json
from .kms import customer_key
from . import naming
from .naming import alarm_name, dashboard_name, five_xx_rate_key, numbered, p99_latency_key

Alarm = aws.cloudwatch.MetricAlarm

# ECS pressure worth a human: autoscaling targets 60-70 % CPU, so sustained 90 % means it cannot keep up.
CPU_HIGH_PERCENT = 90
MEMORY_HIGH_PERCENT = 85
PERIOD = 60
NAT_NAMESPACE = "AWS/NATGateway"
# S3 request metrics per hour; the alarm wants this many silent hours in a row (see _trail_delivery_alarm).
TRAIL_DELIVERY_PERIOD = 3600
TRAIL_SILENT_HOURS = 6
# CloudTrail API calls that stop a trail or change what it records, by the request parameter that names the
# trail (an event records its request under the API's member names: `Name`, but `TrailName` for selectors).
TRAIL_TAMPERING = {"name": ("StopLogging", "DeleteTrail", "UpdateTrail"),
                   "trailName": ("PutEventSelectors", "PutInsightSelectors")}
# The calls that make the trail's key unusable or hand it to someone else; each takes the key's id or ARN only (no
# alias), in requestParameters.keyId.
TRAIL_KEY_TAMPERING = ("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy")
# AWS's recommended NAT gateway alarm: drops above 0.01 % of the packets it handles.
NAT_DROP_RATE_PERCENT = 0.01

# Logs Insights queries for the questions the runbooks ask. The API access log is JSON (api.ACCESS_LOG_FORMAT);
# a "tenant" of the REST API is its consumer, identified by the API key.
ERRORS_BY_SERVICE = ("fields @timestamp, @log, @message\n"
                     "| filter @message like /(?i)(error|exception|fatal|panic)/\n"
                     "| stats count(*) as errors by @log\n| sort errors desc")
SLOWEST_ROUTES = ("filter ispresent(resourcePath)\n"
                  "| stats count(*) as requests, pct(responseLatency, 99) as p99Ms, avg(integrationLatency) as "
                  "avgIntegrationMs by httpMethod, resourcePath, status\n| sort p99Ms desc\n| limit 25")
REJECTED_CALLERS = ("filter status >= 400 and status < 500\n"
                    "| stats count(*) as rejected by status, errorType, apiKeyId, sourceIp\n"
                    "| sort rejected desc\n| limit 50")
PER_TENANT_TRAFFIC = ("stats count(*) as requests, avg(responseLatency) as avgMs by apiKeyId, bin(5m)\n"
                      "| sort requests desc")


def saved_query(resource_name: str, name: str, log_groups: Sequence[pulumi.Input[str]], query: str,
                opts: pulumi.ResourceOptions) -> aws.cloudwatch.QueryDefinition:
    """A saved Logs Insights query over `log_groups`, sent in name order: the provider keeps `logGroupNames`
    as the ordered list AWS returns and no AWS document says that order is the one sent, so sorted, a
    read-back in either order shows no change."""
    if len(log_groups) > LOG_GROUPS_PER_QUERY:
        raise ValueError(f"saved query {name} names {len(log_groups)} log groups; a query runs on at most "
                         f"{LOG_GROUPS_PER_QUERY} (saved_queries splits them)")
    return aws.cloudwatch.QueryDefinition(resource_name, name=name,
                                          log_group_names=pulumi.Output.all(*log_groups).apply(sorted),
                                          query_string=query, opts=opts)


def saved_queries(resource_name: str, name: str, log_groups: Sequence[pulumi.Input[str]], query: str,
                  opts: pulumi.ResourceOptions) -> tuple[aws.cloudwatch.QueryDefinition, ...]:
    """The same query saved once per LOG_GROUPS_PER_QUERY of `log_groups`, in their order: `name` over the first,
    `name-2` over the next, ... (naming.numbered)."""
    return tuple(saved_query(numbered(resource_name, i), numbered(name, i), groups, query, opts)
                 for i, groups in enumerate(chunked(log_groups, LOG_GROUPS_PER_QUERY)))


# What an ALB counts against a target group when a request fails at its target.
ALB_TARGET_FAILURES = ("HTTPCode_Target_5XX_Count", "TargetConnectionErrorCount", "TargetTLSNegotiationErrorCount")


class TrafficSignals(Protocol):
    """A workload's inbound traffic where its data plane publishes it: each plane gives its own."""

    source: str  # the publisher, as graphs name it ("Envoy", "Service Connect")
    alarm_prefix: str  # before the alarm kinds of this source ("envoy-" keeps Envoy's apart)

    def errors_and_requests(self) -> tuple[Metric, tuple[Metric, ...]]: ...

    def latency(self) -> Metric: ...


@dataclass(frozen=True)
class EnvoySignals:
    """A workload's inbound traffic as its Envoy reports it (App Mesh)."""

    metrics: EnvoyMetrics
    # EnvoyMetrics.NODE or GATEWAY, and the App Mesh resource name Envoy tags its stats with.
    resource_key: str
    resource_name: pulumi.Output[str]

    source = "Envoy"
    alarm_prefix = naming.ENVOY_ALARM_PREFIX

    def errors_and_requests(self) -> tuple[Metric, tuple[Metric, ...]]:
        m = self.metrics
        return (Metric(m.namespace, m.REQUESTS_BY_CLASS,
                       m.ingress(self.resource_key, self.resource_name, **{m.CODE_CLASS: "5"}), "Sum"),
                (Metric(m.namespace, m.REQUESTS, m.ingress(self.resource_key, self.resource_name), "Sum"),))

    def latency(self) -> Metric:
        m = self.metrics
        return Metric(m.namespace, m.REQUEST_TIME, m.ingress(self.resource_key, self.resource_name), "p99")


@dataclass(frozen=True)
class ServiceConnectSignals:
    """A service's traffic as its clients' Service Connect proxies report it, in AWS/ECS.

    Target metrics keyed by `TargetDiscoveryName` alone aggregate every caller of the service (with
    `ServiceName` added, `ServiceName` is the caller). HTTP metrics need the port's appProtocol.
    """

    discovery_name: str

    source = "Service Connect"
    alarm_prefix = ""
    NAMESPACE = "AWS/ECS"

    @property
    def dimensions(self) -> dict:
        return {"TargetDiscoveryName": self.discovery_name}

    def errors_and_requests(self) -> tuple[Metric, tuple[Metric, ...]]:
        # 5xx over every answer, both as the callers' proxies saw them. (RequestCount is the service's own
        # proxy's, keyed by DiscoveryName: it also counts the ingress ALB's requests and health checks, which
        # no caller reports, and would dilute a failure only mesh callers see.)
        answers = tuple(Metric(self.NAMESPACE, f"HTTPCode_Target_{code}XX_Count", self.dimensions, "Sum")
                        for code in "2345")
        return answers[-1], answers

    def latency(self) -> Metric:
        return Metric(self.NAMESPACE, "TargetResponseTime", self.dimensions, "p99")


@dataclass(frozen=True)
class WatchedWorkload:
    """One ECS service: ECS health for all, traffic from whatever its data plane publishes."""

    label: str
    ecs_service_name: pulumi.Output[str]
    # None where the plane can publish none: on Service Connect, a service no other service calls (its callers'
    # proxies report its traffic), whose alarms would wait for data forever and page nobody.
    traffic: Optional[TrafficSignals]


@dataclass(frozen=True)
class WatchedLoadBalancer:
    label: str
    # "network" (AWS/NetworkELB) or "application" (AWS/ApplicationELB)
    kind: str
    arn_suffix: pulumi.Output[str]
    target_group_arn_suffix: pulumi.Output[str]
    # A canary service's second group: ECS moves the targets between the two, so its alarms watch both.
    alternate_target_group_arn_suffix: Optional[pulumi.Output[str]] = None

    def dimensions(self, group: pulumi.Output[str]) -> dict:
        return {"LoadBalancer": self.arn_suffix, "TargetGroup": group}

    @property
    def target_groups(self) -> tuple[pulumi.Output[str], ...]:
        """The groups its targets may be in (ARN suffixes)."""
        alternate = self.alternate_target_group_arn_suffix
        return (self.target_group_arn_suffix, *((alternate,) if alternate is not None else ()))

    @property
    def namespace(self) -> str:
        return "AWS/NetworkELB" if self.kind == "network" else "AWS/ApplicationELB"


@dataclass(frozen=True)
class WatchedEndpoint:
    """An interface VPC endpoint, with the four dimensions AWS/PrivateLinkEndpoints publishes it under."""

    service: str  # the endpoint service suffix: ecr.api, logs, ...
    service_name: str  # com.amazonaws.<region>.<service>
    endpoint_id: pulumi.Output[str]


@dataclass(frozen=True)
class WatchedFirewall:
    """The Network Firewall and the AZ of each of its endpoints (its metrics are per AZ)."""

    name: str
    zones: Sequence[pulumi.Output[str]]


@dataclass(frozen=True)
class WatchedEgress:
    """The egress path's parts that AWS publishes metrics for (components/network.py, components/egress.py)."""

    vpc_id: pulumi.Output[str]
    # The NAT gateways the stack created (none in a brought VPC: its owner watches them).
    nat_gateway_ids: Sequence[pulumi.Output[str]] = ()
    interface_endpoints: Sequence[WatchedEndpoint] = ()
    # The DNS Firewall rule group and the domain list its blocking rule matches.
    dns_rule_group_id: Optional[pulumi.Output[str]] = None
    dns_blocked_list_id: Optional[pulumi.Output[str]] = None
    firewall: Optional[WatchedFirewall] = None


@dataclass(frozen=True)
class WatchedApi:
    """The public REST API, named before it exists (Observability's alarm routing is what it alarms through)."""

    name: str
    stage_name: str


@dataclass(frozen=True)
class ObservabilityArgs:
    environment: str
    region: str
    protect: bool
    alarms: AlarmsConfig
    # The data plane, as the dashboards name it.
    data_plane: str
    # None when no service is public (there is no REST API then).
    api: Optional[WatchedApi]
    cluster_name: pulumi.Output[str]
    cluster_arn: pulumi.Output[str]
    workloads: Sequence[WatchedWorkload]
    load_balancers: Sequence[WatchedLoadBalancer] = field(default_factory=tuple)
    log_queries: Sequence["LogQuery"] = field(default_factory=tuple)
    # Each service's application log group, from the data plane (saved queries read them).
    app_log_groups: Sequence[pulumi.Output[str]] = field(default_factory=tuple)
    egress: Optional[WatchedEgress] = None
    metric_graphs: Sequence["MetricGraph"] = field(default_factory=tuple)
    # The CloudTrail trail this stack owns (audit.trail), watched for being stopped or changed.
    trail: Optional["WatchedTrail"] = None
    # The alarms the API layers create after the dashboards (they alarm through this routing), by name: the
    # overview's alarm widget lists them too.
    later_alarms: Sequence[str] = ()


@dataclass(frozen=True)
class WatchedTrail:
    name: str
    arn: pulumi.Output[str]
    # The key its log files are encrypted with: disabled, deleted or re-policied, the archive cannot be read.
    key_id: pulumi.Output[str]
    key_arn: pulumi.Output[str]
    # Where it delivers, and the S3 request-metrics filter that counts its log files there.
    bucket_name: pulumi.Output[str]
    delivery_filter_id: pulumi.Output[str]
    # The account activity counted in its CloudWatch Logs copy (audit.py); none when it has no copy.
    activity: tuple[ActivityMetric, ...] = ()


@dataclass(frozen=True)
class Search:
    """A SEARCH expression, graphed as a line per metric it finds: for metrics keyed on a value known only once the
    resource exists (an HTTP or WebSocket API's ApiId), found by the dimensions the stack does know (its stage)."""

    label: str
    expression: str


def stage_search(stage: str, metric: str, stat: str = "Sum") -> Search:
    """An HTTP or WebSocket API's stage metric found by its stage's name: the dashboards are made before the API,
    whose metrics are keyed on its ApiId. Each series is labelled with its API: the search finds any API with a
    stage of that name in the region (and a replaced API's old series for two weeks)."""
    return Search(label=f"{metric} ${{PROP('Dim.ApiId')}}",
                  expression=f"SEARCH('{{AWS/ApiGateway,ApiId,Stage}} MetricName=\"{metric}\" Stage=\"{stage}\"', "
                             f"'{stat}', 60)")


@dataclass(frozen=True)
class MetricGraph:
    """A graph: dimensionless metrics summed per 5 minutes (e.g. the tenants' request counts), or `lines` each
    with its dimensions and statistic, or found by a SEARCH, per minute."""

    title: str
    metrics: tuple[tuple[str, str], ...] = ()  # (namespace, metric name)
    lines: tuple[Union[Metric, Search], ...] = ()


@dataclass(frozen=True)
class LogQuery:
    """A Logs Insights table on the dashboard (e.g. requests per tenant over the device APIs' access logs)."""

    title: str
    log_group_names: tuple[str, ...]
    query: str

    def __post_init__(self) -> None:
        if len(self.log_group_names) > LOG_GROUPS_PER_QUERY:
            raise ValueError(f"dashboard query {self.title!r} names {len(self.log_group_names)} log groups; a query "
                             f"runs on at most {LOG_GROUPS_PER_QUERY}")


class Observability(pulumi.ComponentResource):
    paging_topic_arn: pulumi.Output[str]
    ticket_topic_arn: pulumi.Output[str]
    routing: AlarmRouting
    dashboard_name: pulumi.Output[str]  # the overview's
    dashboard_names: pulumi.Output[list]  # the overview's, then those services continue on (dashboards.py)

    def __init__(self, name: str, args: ObservabilityArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:observability:Observability", name, None, opts)
        env = args.environment
        self._name = name
        self._child = pulumi.ResourceOptions(parent=self)
        self._args = args
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.topic_key = customer_key(f"{name}-alarms", pulumi.ResourceOptions(parent=self, protect=args.protect),
                                      environment=env, purpose="alarms", description=f"{env}: the alarm topics",
                                      policy=_topic_key_policy(account_id))
        # Two topics: paging (the pager and the on-call email) and tickets (email only); alarms pick by severity.
        self.topics = {severity: aws.sns.Topic(
            f"{name}-alarms-{severity}", name=f"{env}-alarms-{severity}", kms_master_key_id=self.topic_key.arn,
            opts=self._child) for severity in SEVERITIES}
        if args.alarms.email:
            for severity, topic in self.topics.items():
                # Pending until the address confirms the subscription.
                aws.sns.TopicSubscription(f"{name}-alarms-{severity}-email", topic=topic.arn, protocol="email",
                                          endpoint=args.alarms.email, opts=self._child)
        if args.alarms.pager_endpoint is not None:
            # The endpoint is a secret Output: it stays secret in state and never becomes a plain output.
            aws.sns.TopicSubscription(f"{name}-alarms-pager", topic=self.topics[PAGE].arn, protocol="https",
                                      endpoint=args.alarms.pager_endpoint, endpoint_auto_confirms=True,
                                      opts=self._child)
        self.routing = AlarmRouting.from_config(args.alarms, self.topics[PAGE].arn, self.topics[TICKET].arn)
        self.paging_topic_arn = self.topics[PAGE].arn
        self.ticket_topic_arn = self.topics[TICKET].arn

        self.alarms: dict[str, Alarm] = {}
        # A dashboard lists the alarms of the sections it shows: each builder returns its own.
        workload_alarms = [_arns(self._workload_alarms(w, args.cluster_name)) for w in args.workloads]
        load_balancer_alarms = [_arns(self._load_balancer_alarms(lb)) for lb in args.load_balancers]
        stack_alarms = _arns(self._stack_alarms(args, account_id))
        stack_alarms += self._later_alarm_arns(args.later_alarms, args.region, account_id)

        self.queries = self._saved_queries(args.app_log_groups)

        self.dashboards = self._dashboards(args, stack_alarms, workload_alarms, load_balancer_alarms)
        self.dashboard_name = self.dashboards[0].dashboard_name
        self.dashboard_names = pulumi.Output.all(*(d.dashboard_name for d in self.dashboards))
        self.register_outputs({"pagingTopicArn": self.paging_topic_arn, "ticketTopicArn": self.ticket_topic_arn,
                               "dashboardName": self.dashboard_name, "dashboardNames": self.dashboard_names})

    # -- alarms -------------------------------------------------------------------------------------

    def _alarm(self, key: str, kind: str, summary: pulumi.Input[str], **kwargs: Any) -> Alarm:
        return self._record(key, self.routing.alarm(
            f"{self._name}-{key}", kind=kind, name=alarm_name(self._args.environment, key), summary=summary,
            opts=self._child, **kwargs))

    def _record(self, key: str, alarm: Alarm) -> Alarm:
        """An alarm of the stack's: the dashboards' alarm widgets list them."""
        self.alarms[key] = alarm
        return alarm

    def _later_alarm_arns(self, names: Sequence[str], region: str,
                          account_id: pulumi.Output[str]) -> tuple[pulumi.Output[str], ...]:
        """The ARNs of alarms that other layers create after the dashboards, from their names."""
        if not names:
            return ()
        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition
        return tuple(pulumi.Output.concat("arn:", partition, ":cloudwatch:", region, ":", account_id, ":alarm:", name)
                     for name in names)

    def _stack_alarms(self, args: ObservabilityArgs, account_id: pulumi.Output[str]) -> list[Alarm]:
        """What no one service owns: the egress path and the audit trail (the overview lists these); and the
        events that notify like alarms."""
        alarms = list(self._egress_alarms(args.egress)) if args.egress is not None else []
        rules = [self._task_start_rule(args.cluster_arn)]
        if args.trail is not None:
            rules.append(self._trail_rule(args.trail))
            alarms.append(self._trail_delivery_alarm(args.trail))
            alarms += [self._activity_alarm(metric) for metric in args.trail.activity]
        self._event_rules_publish(rules, account_id)
        return alarms

    def _task_start_rule(self, cluster_arn: pulumi.Output[str]) -> tuple[str, aws.cloudwatch.EventRule]:
        """ECS says when a service cannot start its tasks. No task count does during a canary deployment: the
        old revision keeps its full count, so a new one that never starts leaves running equal to desired."""
        kind = "service-tasks-below-desired"
        return kind, self.routing.event_rule(
            f"{self._name}-tasks-not-starting", kind=kind,
            name=alarm_name(self._args.environment, "tasks-not-starting"),
            summary="ECS cannot start a service's tasks (SERVICE_TASK_START_IMPAIRED)",
            event_pattern=cluster_arn.apply(lambda arn: json.dumps({
                "source": ["aws.ecs"], "detail-type": ["ECS Service Action"],
                "detail": {"clusterArn": [arn], "eventName": ["SERVICE_TASK_START_IMPAIRED"]}})),
            message_paths={"service": "$.resources[0]", "event": "$.detail.eventName", "time": "$.time"},
            opts=self._child)

    def _workload_alarms(self, w: WatchedWorkload, cluster_name: pulumi.Output[str]) -> list[Alarm]:
        ecs = {"ClusterName": cluster_name, "ServiceName": w.ecs_service_name}

        def about(text: str) -> pulumi.Output[str]:
            # The runbooks' commands take the ECS service's name, which the alarm's own name does not spell.
            return w.ecs_service_name.apply(lambda service: f"{w.label} (ECS service {service}): {text}")

        return [
            self._alarm(f"{w.label}-cpu-high", "service-cpu-high",
                        about(f"ECS CPU above {CPU_HIGH_PERCENT}% for 5 minutes"),
                        namespace="AWS/ECS", metric_name="CPUUtilization", dimensions=ecs, statistic="Average",
                        period=PERIOD, evaluation_periods=5, threshold=CPU_HIGH_PERCENT,
                        comparison_operator="GreaterThanThreshold", treat_missing_data="missing"),
            self._alarm(f"{w.label}-memory-high", "service-memory-high",
                        about(f"ECS memory above {MEMORY_HIGH_PERCENT}% for 5 minutes"),
                        namespace="AWS/ECS", metric_name="MemoryUtilization", dimensions=ecs, statistic="Average",
                        period=PERIOD, evaluation_periods=5, threshold=MEMORY_HIGH_PERCENT,
                        comparison_operator="GreaterThanThreshold", treat_missing_data="missing"),
            self._alarm(naming.tasks_below_desired_key(w.label), "service-tasks-below-desired",
                        about("fewer running tasks than desired for 5 minutes"),
                        metric_queries=[
                            _metric("running", "ECS/ContainerInsights", "RunningTaskCount", ecs, "Average"),
                            _metric("desired", "ECS/ContainerInsights", "DesiredTaskCount", ecs, "Average"),
                            # "If a cluster, service, or other resource has no running tasks, no metrics will be
                            # reported" (ECS's metrics guide, of AWS/ECS; undocumented for Container Insights'
                            # count): a missing running count is none running, the outage this alarm is for.
                            _expression("missing", "desired - FILL(running, 0)", "Tasks missing"),
                        ],
                        # Container Insights may publish neither count for a service with no task (both come from
                        # one performance event), and FILL fills nothing then: a service whose data stops pages
                        # too. Missing data is not breaching, which would page for every new service at once.
                        evaluation_periods=5, threshold=1, comparison_operator="GreaterThanOrEqualToThreshold",
                        treat_missing_data="missing", notify_no_data=True),
            *(self._traffic_alarms(w.label, w.traffic, about) if w.traffic is not None else ()),
        ]

    def _traffic_alarms(self, label: str, t: TrafficSignals,
                        about: Callable[[str], pulumi.Output[str]]) -> list[Alarm]:
        errors, requests = t.errors_and_requests()
        rate = self._args.alarms.five_xx_rate_percent
        p99 = self._args.alarms.p99_latency_ms
        latency, stem = t.latency(), naming.traffic_alarm_stem(label, t.alarm_prefix)
        return [
            self._alarm(five_xx_rate_key(stem), "service-5xx-rate",
                        about(f"over {rate}% of inbound requests answered 5xx ({t.source})"),
                        metric_queries=rate_queries([errors], requests, "5xx %"), threshold=rate,
                        comparison_operator="GreaterThanThreshold", **three_of_five_minutes()),
            self._alarm(p99_latency_key(stem), "service-p99-latency",
                        about(f"inbound p99 latency above {p99} ms ({t.source})"),
                        namespace=latency.namespace, metric_name=latency.name, dimensions=latency.dimensions,
                        extended_statistic=latency.stat, period=PERIOD, threshold=p99,
                        comparison_operator="GreaterThanThreshold", **three_of_five_minutes()),
        ]

    def _load_balancer_alarms(self, lb: WatchedLoadBalancer) -> list[Alarm]:
        alarms = []
        if lb.kind == "application":
            # What the load balancer's clients saw (the Service Connect alarm sees only the mesh's callers): a
            # public service's deployments roll back on it too.
            rate = self._args.alarms.five_xx_rate_percent
            key = five_xx_rate_key(lb.label)
            alarms.append(self._record(key, self.routing.error_rate(
                f"{self._name}-{key}", kind="service-5xx-rate", name=alarm_name(self._args.environment, key),
                summary=f"{lb.label}: over {rate}% of load-balanced requests answered 5xx by the service or "
                        f"failed to reach it",
                namespace=lb.namespace, dimensions=[lb.dimensions(group) for group in lb.target_groups],
                # The service's own 5xx, and the ALB's 502s and 504s for tasks that refuse a connection, do not
                # accept one in time, or fail TLS (HTTPCode_ELB_5XX_Count has no TargetGroup dimension).
                errors=ALB_TARGET_FAILURES, requests=["RequestCount"], threshold=rate, label="5xx %",
                opts=self._child)))
            # Their latency too: for a service only the load balancer calls, the only measure of it there is.
            p99 = self._args.alarms.p99_latency_ms
            alarms.append(self._alarm(
                p99_latency_key(lb.label), "service-p99-latency",
                f"{lb.label}: p99 target response time of load-balanced requests above {p99} ms",
                **_target_groups_metric(lb, "TargetResponseTime", "p99", "p99 target response time (s)"),
                threshold=p99 / 1000,  # TargetResponseTime is in seconds
                comparison_operator="GreaterThanThreshold", **three_of_five_minutes()))
        return alarms + [
            self._alarm(f"{lb.label}-unhealthy-hosts", "load-balancer-unhealthy-hosts",
                        f"{lb.label}: load balancer targets failing health checks",
                        **_target_groups_metric(lb, "UnHealthyHostCount", "Maximum", "Unhealthy targets"),
                        evaluation_periods=3, threshold=0,
                        comparison_operator="GreaterThanThreshold", treat_missing_data="missing"),
            # The count stopping pages as well (OK to INSUFFICIENT_DATA); missing data is not breaching, which would
            # page as the alarm is made, before the target group's first data point.
            self._alarm(f"{lb.label}-no-healthy-hosts", "load-balancer-no-healthy-hosts",
                        f"{lb.label}: the load balancer has no healthy target",
                        **_target_groups_metric(lb, "HealthyHostCount", "Minimum", "Healthy targets"),
                        evaluation_periods=2, threshold=1,
                        comparison_operator="LessThanThreshold", treat_missing_data="missing", notify_no_data=True),
        ]

    def _egress_alarms(self, e: WatchedEgress) -> Iterator[Alarm]:
        """NAT gateways, interface endpoints, the DNS Firewall and the Network Firewall: the metrics AWS
        publishes for each, with the dimensions it publishes them under."""
        for i, nat in enumerate(e.nat_gateway_ids):
            dims = {"NatGatewayId": nat}
            yield self._alarm(
                f"nat-{i}-port-allocation-errors", "nat-gateway-port-allocation-errors",
                f"NAT gateway {i}: connections to external hosts failed for lack of source ports",
                namespace=NAT_NAMESPACE, metric_name="ErrorPortAllocation", dimensions=dims, statistic="Sum",
                period=PERIOD, threshold=0, comparison_operator="GreaterThanThreshold",
                **three_of_five_minutes())
            yield self._alarm(
                f"nat-{i}-packets-dropped", "nat-gateway-packets-dropped",
                f"NAT gateway {i}: over {NAT_DROP_RATE_PERCENT}% of its packets dropped for 5 minutes",
                metric_queries=[
                    _metric("drops", NAT_NAMESPACE, "PacketsDropCount", dims, "Sum"),
                    _metric("fromsource", NAT_NAMESPACE, "PacketsInFromSource", dims, "Sum"),
                    _metric("fromdest", NAT_NAMESPACE, "PacketsInFromDestination", dims, "Sum"),
                    _expression("rate", "IF(fromsource + fromdest > 0, "
                                        "100 * drops / (fromsource + fromdest), 0)", "Dropped packets (%)")],
                evaluation_periods=5, datapoints_to_alarm=5, threshold=NAT_DROP_RATE_PERCENT,
                comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching")
        for endpoint in e.interface_endpoints:
            yield self._alarm(
                f"endpoint-{endpoint.service.replace('.', '-')}-packets-dropped",
                "vpc-endpoint-packets-dropped",
                f"VPC endpoint {endpoint.service_name}: packets dropped for 5 minutes",
                namespace="AWS/PrivateLinkEndpoints", metric_name="PacketsDropped", statistic="Sum",
                # AWS/PrivateLinkEndpoints spells its dimension names with spaces.
                dimensions={"Endpoint Type": "Interface", "Service Name": endpoint.service_name,
                            "VPC Endpoint Id": endpoint.endpoint_id, "VPC Id": e.vpc_id},
                period=PERIOD, evaluation_periods=5, datapoints_to_alarm=5, threshold=0,
                comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching")
        if e.dns_rule_group_id is not None and e.dns_blocked_list_id is not None:
            # DNS Firewall publishes every 5 minutes; the blocking rule's list is the only list it matches.
            yield self._alarm(
                "dns-firewall-blocked-queries", "dns-firewall-blocked-queries",
                "DNS Firewall answered NXDOMAIN to names outside the egress allow-list",
                namespace="AWS/Route53Resolver", metric_name="FirewallRuleQueryVolume",
                dimensions={"FirewallRuleGroupId": e.dns_rule_group_id,
                            "FirewallDomainListId": e.dns_blocked_list_id},
                statistic="Sum", period=300, evaluation_periods=3, datapoints_to_alarm=2, threshold=0,
                comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching")
        if e.firewall is not None:
            for i, zone in enumerate(e.firewall.zones):
                # The stateful engine drops what the allow-list does not pass (aws:drop_established).
                yield self._alarm(
                    f"firewall-{i}-dropped-packets", "network-firewall-dropped-packets",
                    f"Network Firewall {e.firewall.name}, endpoint {i}: egress to an undeclared host dropped",
                    namespace="AWS/NetworkFirewall", metric_name="DroppedPackets", statistic="Sum",
                    dimensions={"FirewallName": e.firewall.name, "AvailabilityZone": zone, "Engine": "Stateful"},
                    period=PERIOD, threshold=0, comparison_operator="GreaterThanThreshold",
                    **three_of_five_minutes())

    def _trail_rule(self, trail: WatchedTrail) -> tuple[str, aws.cloudwatch.EventRule]:
        """A trail that stops logging records nothing, so no metric can say so: EventBridge sees the API call
        that stopped or changed it (a management event the trail itself delivers) and notifies the topic. The
        object-locked archive keeps every log file, but only its key can read them: the calls that disable,
        delete or re-policy the key are watched too."""
        kind = "audit-trail-changed"

        def pattern(arn: str, key_id: str, key_arn: str) -> str:
            # Callers name the trail by name or by ARN, and the key by id or ARN.
            trail_calls = [{"eventSource": ["cloudtrail.amazonaws.com"], "eventName": list(calls),
                            "requestParameters": {parameter: [trail.name, arn]}}
                           for parameter, calls in TRAIL_TAMPERING.items()]
            key_calls = {"eventSource": ["kms.amazonaws.com"], "eventName": list(TRAIL_KEY_TAMPERING),
                         "requestParameters": {"keyId": [key_id, key_arn]}}
            return json.dumps({"source": ["aws.cloudtrail", "aws.kms"], "detail-type": ["AWS API Call via CloudTrail"],
                               "detail": {"$or": [*trail_calls, key_calls]}})

        return kind, self.routing.event_rule(
            f"{self._name}-trail-changed", kind=kind, name=alarm_name(self._args.environment, "audit-trail-changed"),
            summary=f"CloudTrail trail {trail.name} was stopped, deleted or reconfigured, or its key disabled, "
                    f"scheduled for deletion or given a new policy",
            event_pattern=pulumi.Output.all(trail.arn, trail.key_id, trail.key_arn).apply(lambda v: pattern(*v)),
            message_paths={"event": "$.detail.eventName", "caller": "$.detail.userIdentity.arn", "time": "$.time"},
            opts=self._child)

    def _event_rules_publish(self, rules: Sequence[tuple[str, aws.cloudwatch.EventRule]],
                             account_id: pulumi.Output[str]) -> None:
        """The topics' default policy lets only this account's principals publish; EventBridge needs its own
        grant, for this stack's rules only. The rest restates the default (AWS:SourceOwner) and grants this
        account's CloudWatch alarms explicitly, so replacing the default policy cannot silence them."""
        for severity in SEVERITIES:
            arns = [rule.arn for kind, rule in rules if self.routing.severity(kind) == severity]
            if not arns:
                continue
            topic = self.topics[severity]
            aws.sns.TopicPolicy(f"{self._name}-alarms-{severity}", arn=topic.arn, policy=policy_json([
                {"Sid": "AccountUses", "Effect": "Allow", "Principal": {"AWS": "*"},
                 "Action": ["SNS:Publish", "SNS:Subscribe", "SNS:Receive", "SNS:GetTopicAttributes",
                            "SNS:ListSubscriptionsByTopic"],
                 "Resource": topic.arn, "Condition": {"StringEquals": {"AWS:SourceOwner": account_id}}},
                {"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow",
                 "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": topic.arn,
                 "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}},
                {"Sid": "EventRulesPublish", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                 "Action": "sns:Publish", "Resource": topic.arn, "Condition": {"ArnEquals": {"aws:SourceArn": arns}}},
            ]), opts=self._child)

    def _activity_alarm(self, metric: ActivityMetric) -> Alarm:
        """Any such event in five minutes (CIS's alarm: one or more). The filter writes nothing when nothing matches,
        so a quiet period is missing data, not a breach."""
        return self._alarm(
            f"audit-{metric.event.key}", "audit-account-activity",
            f"{metric.event.summary} (CIS AWS Foundations, Security Hub {metric.event.control})",
            namespace=metric.namespace, metric_name=metric.name, statistic="Sum", period=300, evaluation_periods=1,
            threshold=1, comparison_operator="GreaterThanOrEqualToThreshold", treat_missing_data="notBreaching")

    def _trail_delivery_alarm(self, trail: WatchedTrail) -> Alarm:
        """Hours without a log file mean the trail cannot write (docs/runbooks/audit-trail-not-delivering.md). S3
        publishes request metrics only for hours with requests, so FILL makes a silent hour a 0, and the data
        stopping altogether pages too (INSUFFICIENT_DATA). Missing data is "missing", not "breaching": breaching
        would page the moment the alarm is made, before the metric's first point."""
        deliveries = {"BucketName": trail.bucket_name, "FilterId": trail.delivery_filter_id}
        return self._alarm(
            "audit-trail-not-delivering", "audit-trail-not-delivering",
            f"CloudTrail trail {trail.name} delivered no log file to its archive for {TRAIL_SILENT_HOURS} hours",
            metric_queries=[
                _metric("deliveries", "AWS/S3", "PutRequests", deliveries, "Sum", period=TRAIL_DELIVERY_PERIOD),
                _expression("hourly", "FILL(deliveries, 0)", "Log files delivered")],
            evaluation_periods=TRAIL_SILENT_HOURS, datapoints_to_alarm=TRAIL_SILENT_HOURS, threshold=1,
            comparison_operator="LessThanThreshold", treat_missing_data="missing", notify_no_data=True)

    # -- saved Logs Insights queries (the runbooks name them) ----------------------------------------

    def _saved_queries(self, apps: Sequence[pulumi.Output[str]]) -> dict[str, aws.cloudwatch.QueryDefinition]:
        """By name (`<env>/errors-by-service`, `<env>/errors-by-service-2`, ...: one per 50 services)."""
        api, env = self._args.api, self._args.environment
        queries = {"errors-by-service": (apps, ERRORS_BY_SERVICE)}
        if api is not None:
            access = [naming.api_access_log_group(env, api.name)]
            queries.update({"slowest-routes": (access, SLOWEST_ROUTES), "rejected-callers": (access, REJECTED_CALLERS),
                            "per-tenant-traffic": (access, PER_TENANT_TRAFFIC)})
        return {numbered(key, i): query
                for key, (groups, text) in queries.items()
                for i, query in enumerate(saved_queries(f"{self._name}-query-{key}", f"{env}/{key}", groups, text,
                                                        self._child))}

    # -- dashboards (the runbooks name them) ---------------------------------------------------------

    def _dashboards(self, args: ObservabilityArgs, stack_alarms: Sequence[pulumi.Output[str]],
                    workload_alarms: Sequence[Sequence[pulumi.Output[str]]],
                    load_balancer_alarms: Sequence[Sequence[pulumi.Output[str]]]) -> list[aws.cloudwatch.Dashboard]:
        """The overview (the API, the stack's own alarms, the tenants' graphs) with the services that fit, then
        the rest of the services on `-2`, `-3`, ... (dashboards.py); each lists its sections' alarms."""
        region = args.region
        pages = dashboards.paginate(
            first=Section(_api_widgets(args.api, region) if args.api is not None else (), tuple(stack_alarms)),
            services=[*(Section(_load_balancer_widgets(lb, region), tuple(alarms))
                        for lb, alarms in zip(args.load_balancers, load_balancer_alarms)),
                      *(Section(_workload_widgets(w, args.cluster_name, region), tuple(alarms))
                        for w, alarms in zip(args.workloads, workload_alarms))],
            last=Section((*(_metric_graph_widget(g, region) for g in args.metric_graphs),
                          *(_log_query_widget(q, region) for q in args.log_queries))))
        names = [dashboard_name(args.environment, region, i) for i in range(len(pages))]
        sources = sorted({w.traffic.source for w in args.workloads if w.traffic is not None})
        return [aws.cloudwatch.Dashboard(
            numbered(f"{self._name}-dashboard", i), dashboard_name=names[i],
            dashboard_body=dashboards.body(page, _dashboard_title(args, names, i, sources)), opts=self._child)
            for i, page in enumerate(pages)]

# --------------------------------------------------------------------------------------------------
# Small builders
# --------------------------------------------------------------------------------------------------


def _arns(alarms: Sequence[Alarm]) -> tuple[pulumi.Output[str], ...]:
    return tuple(alarm.arn for alarm in alarms)


def _target_groups_metric(lb: WatchedLoadBalancer, name: str, stat: str, label: str) -> dict:
    """An alarm's metric of a load balancer's target group; for a canary service, the two groups' combined point
    by point: counts added (each gap filled with 0: the group a deployment has moved the targets off reports
    nothing), a percentile the larger (percentiles do not add up)."""
    percentile = stat.startswith("p")
    if len(lb.target_groups) == 1:
        return dict(namespace=lb.namespace, metric_name=name, dimensions=lb.dimensions(lb.target_group_arn_suffix),
                    period=PERIOD, **({"extended_statistic": stat} if percentile else {"statistic": stat}))
    ids = [f"group{i}" for i in range(len(lb.target_groups))]
    combined = f"MAX([{', '.join(ids)}])" if percentile else " + ".join(f"FILL({i}, 0)" for i in ids)
    return dict(metric_queries=[*(_metric(i, lb.namespace, name, lb.dimensions(group), stat)
                                  for i, group in zip(ids, lb.target_groups)),
                                _expression("total", combined, label)])


def _metric(query_id: str, namespace: str, name: str, dimensions: dict, stat: str, period: int = PERIOD):
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id=query_id, return_data=False,
        metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
            namespace=namespace, metric_name=name, dimensions=dimensions, stat=stat, period=period))


def _expression(query_id: str, expression: str, label: str):
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(id=query_id, expression=expression, label=label,
                                                     return_data=True)


# -- dashboard widgets (dashboards.py lays them out; any value may be an Output) ---------------------------


def _dashboard_title(args: ObservabilityArgs, names: Sequence[str], index: int, sources: Sequence[str]) -> str:
    """The markdown atop dashboard `index` of `names`: what it shows and where the rest is."""
    traffic = f"Per-service traffic comes from {', '.join(sources)}."
    heading = f"# {args.environment} services ({args.data_plane})"
    if index > 0:
        first = "The API, the stack's own alarms" if args.api is not None else "The stack's own alarms"
        return f"{heading}, {index + 1} of {len(names)}\n{traffic} {first} and the first services: `{names[0]}`."
    more = f" More services: {', '.join(f'`{n}`' for n in names[1:])}." if len(names) > 1 else ""
    path = "API Gateway ▶ internal load balancer ▶ services" if args.api is not None else "No public API: services"
    return f"{heading}\n{path}. {traffic}{more}"


def _api_widgets(watched: WatchedApi, region: str) -> tuple[dict, ...]:
    api, stage = watched.name, watched.stage_name
    return (
        _graph("API requests and errors", region, [
            ["AWS/ApiGateway", "Count", "ApiName", api, "Stage", stage, {"stat": "Sum"}],
            ["AWS/ApiGateway", "4XXError", "ApiName", api, "Stage", stage, {"stat": "Sum"}],
            ["AWS/ApiGateway", "5XXError", "ApiName", api, "Stage", stage, {"stat": "Sum"}],
        ]),
        _graph("API latency p99 (ms)", region, [
            ["AWS/ApiGateway", "Latency", "ApiName", api, "Stage", stage, {"stat": "p99"}],
            ["AWS/ApiGateway", "IntegrationLatency", "ApiName", api, "Stage", stage, {"stat": "p99"}],
        ]),
    )


def _load_balancer_widgets(lb: WatchedLoadBalancer, region: str) -> tuple[dict, ...]:
    # Every group its targets may be in (a canary service's two: ECS moves them between them).
    graphs = [_graph(f"{lb.label}: load balancer targets", region, [
        _graph_metric(Metric(lb.namespace, metric, lb.dimensions(group), stat))
        for group in lb.target_groups
        for metric, stat in (("HealthyHostCount", "Minimum"), ("UnHealthyHostCount", "Maximum"))])]
    if lb.kind == "application":
        graphs.append(_graph(f"{lb.label}: target response time p99 (s)", region, [
            _graph_metric(Metric(lb.namespace, "TargetResponseTime", lb.dimensions(group), "p99"))
            for group in lb.target_groups]))
    return tuple(graphs)


def _workload_widgets(w: WatchedWorkload, cluster_name: pulumi.Output[str], region: str) -> tuple[dict, ...]:
    ecs = ["ClusterName", cluster_name, "ServiceName", w.ecs_service_name]
    return (
        *(_traffic_widgets(w.label, w.traffic, region) if w.traffic is not None else ()),
        _graph(f"{w.label}: ECS CPU / memory % and tasks", region, [
            ["AWS/ECS", "CPUUtilization", *ecs],
            ["AWS/ECS", "MemoryUtilization", *ecs],
            ["ECS/ContainerInsights", "RunningTaskCount", *ecs, {"yAxis": "right"}],
            ["ECS/ContainerInsights", "DesiredTaskCount", *ecs, {"yAxis": "right"}],
        ], width=8),
    )


def _metric_graph_widget(graph: MetricGraph, region: str) -> dict:
    lines = [_graph_metric(line) if isinstance(line, Metric) else [{"expression": line.expression,
                                                                   "label": line.label, "id": f"search{i}"}]
             for i, line in enumerate(graph.lines)]
    return _graph(graph.title, region, [*([namespace, metric, {"stat": "Sum", "period": 300}]
                                          for namespace, metric in graph.metrics), *lines],
                  width=24 if graph.metrics else 12)


def _log_query_widget(log_query: LogQuery, region: str) -> dict:
    sources = " | ".join(f"SOURCE '{group}'" for group in log_query.log_group_names)
    return {"type": "log", "width": 24, "height": 6,
            "properties": {"title": log_query.title, "region": region, "view": "table",
                           "query": f"{sources} | {log_query.query}"}}


def _traffic_widgets(label: str, traffic: TrafficSignals, region: str) -> tuple[dict, ...]:
    errors, requests = traffic.errors_and_requests()
    return (_graph(f"{label}: inbound requests and 5xx ({traffic.source})", region,
                   [*(_graph_metric(m) for m in requests if m != errors), _graph_metric(errors)], width=8),
            _graph(f"{label}: inbound p99 (ms, {traffic.source})", region, [_graph_metric(traffic.latency())],
                   width=8))


def _graph_metric(metric: Metric) -> list:
    """A dashboard metric line: namespace, name, then dimension name/value pairs, then the stat."""
    return [metric.namespace, metric.name, *[x for k, v in metric.dimensions.items() for x in (k, v)],
            {"stat": metric.stat}]


def _graph(title: str, region: str, metrics: list, width: int = 12) -> dict:
    return {"type": "metric", "width": width, "height": 6,
            "properties": {"title": title, "region": region, "view": "timeSeries", "stacked": False,
                           "period": PERIOD, "metrics": metrics}}


def _topic_key_policy(account_id: pulumi.Output[str]) -> pulumi.Output[str]:
    """The account administers the key; CloudWatch alarms in this account may publish through it."""
    return key_policy(account_id, [
        {"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}},
        # EventBridge rules (on ECS's task-start events, on the audit trail) publish to the encrypted topics too.
        # Without a condition: SNS does not support aws:SourceAccount or aws:SourceArn in the key policy for
        # EventBridge-to-encrypted topics (its developer guide), so such a condition drops every event. The topic
        # policy admits only this stack's rules.
        {"Sid": "EventBridgePublishes", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"},
    ])
