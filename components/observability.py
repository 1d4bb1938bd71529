"""Alarms and the environment dashboard, on metrics that exist.

App Mesh publishes no CloudWatch metrics of its own (there is no `AWS/AppMesh` namespace). What we watch:

    AWS/ECS                 CPUUtilization, MemoryUtilization       {ClusterName, ServiceName}
    ECS/ContainerInsights   RunningTaskCount, DesiredTaskCount      {ClusterName, ServiceName}
    AWS/NetworkELB          UnHealthyHostCount, HealthyHostCount    {LoadBalancer, TargetGroup}
    <env>/Envoy             Envoy's StatsD via the CloudWatch agent (see envoy.EnvoyMetrics)
    AWS/ApiGateway          Count, 4XXError, 5XXError, Latency      {ApiName, Stage}  (dashboard; the API
                                                                      layer adds its own alarms)

Every alarm notifies one KMS-encrypted SNS topic, which the API layer reuses (`alarm_topic_arn`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .config import PlatformConfig
from .envoy import EnvoyMetrics
from .iam import policy_json
from .naming import api_name, dashboard_name

# ECS pressure worth a human: autoscaling targets 60-70 % CPU, so sustained 90 % means it cannot keep up.
CPU_HIGH_PERCENT = 90
MEMORY_HIGH_PERCENT = 85
PERIOD = 60


@dataclass(frozen=True)
class WatchedWorkload:
    """One ECS service running an Envoy: a service version (a virtual node) or the gateway."""

    label: str
    ecs_service_name: pulumi.Output[str]
    # The App Mesh resource name Envoy tags its stats with (a virtual node's, or the virtual gateway's).
    mesh_resource_name: pulumi.Output[str]
    is_gateway: bool = False

    @property
    def mesh_resource_key(self) -> str:
        return EnvoyMetrics.GATEWAY if self.is_gateway else EnvoyMetrics.NODE


@dataclass(frozen=True)
class WatchedLoadBalancer:
    label: str
    arn_suffix: pulumi.Output[str]
    target_group_arn_suffix: pulumi.Output[str]


@dataclass(frozen=True)
class ObservabilityArgs:
    config: PlatformConfig
    cluster_name: pulumi.Output[str]
    workloads: Sequence[WatchedWorkload]
    load_balancers: Sequence[WatchedLoadBalancer] = field(default_factory=tuple)
    log_queries: Sequence["LogQuery"] = field(default_factory=tuple)


@dataclass(frozen=True)
class LogQuery:
    """A Logs Insights table on the dashboard (e.g. requests per tenant over the device APIs' access logs)."""

    title: str
    log_group_names: tuple[str, ...]
    query: str


class Observability(pulumi.ComponentResource):
    alarm_topic_arn: pulumi.Output[str]
    dashboard_name: pulumi.Output[str]

    def __init__(self, name: str, args: ObservabilityArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:observability:Observability", name, None, opts)
        config = args.config
        env = config.environment
        self._name = name
        self._child = pulumi.ResourceOptions(parent=self)
        self._metrics = EnvoyMetrics(env)
        self._config = config
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.topic_key = aws.kms.Key(
            f"{name}-alarms", description=f"{env}: the alarm topic", enable_key_rotation=True,
            deletion_window_in_days=30, policy=_topic_key_policy(account_id),
            opts=pulumi.ResourceOptions(parent=self, protect=config.protect))
        aws.kms.Alias(f"{name}-alarms", name=f"alias/{env}/alarms", target_key_id=self.topic_key.key_id,
                      opts=self._child)
        self.topic = aws.sns.Topic(f"{name}-alarms", name=f"{env}-mesh-alarms", kms_master_key_id=self.topic_key.arn,
                                   opts=self._child)
        if config.alarms.email:
            # Pending until the address confirms the subscription.
            aws.sns.TopicSubscription(f"{name}-alarms-email", topic=self.topic.arn, protocol="email",
                                      endpoint=config.alarms.email, opts=self._child)
        if config.alarms.pager_endpoint is not None:
            # The endpoint is a secret Output: it stays secret in state and never becomes a plain output.
            aws.sns.TopicSubscription(f"{name}-alarms-pager", topic=self.topic.arn, protocol="https",
                                      endpoint=config.alarms.pager_endpoint, endpoint_auto_confirms=True,
                                      opts=self._child)
        self.alarm_topic_arn = self.topic.arn

        self.alarms: dict[str, aws.cloudwatch.MetricAlarm] = {}
        for workload in args.workloads:
            self._workload_alarms(workload, args.cluster_name)
        for lb in args.load_balancers:
            self._load_balancer_alarms(lb)

        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard", dashboard_name=dashboard_name(env, config.region),
            dashboard_body=self._dashboard_body(args), opts=self._child)
        self.dashboard_name = self.dashboard.dashboard_name
        self.register_outputs({"alarmTopicArn": self.alarm_topic_arn, "dashboardName": self.dashboard_name})

    # -- alarms -------------------------------------------------------------------------------------

    def _alarm(self, key: str, description: str, **kwargs: Any) -> aws.cloudwatch.MetricAlarm:
        alarm = aws.cloudwatch.MetricAlarm(
            f"{self._name}-{key}", name=f"{self._config.environment}-{key}", alarm_description=description,
            alarm_actions=[self.topic.arn], ok_actions=[self.topic.arn], **kwargs, opts=self._child)
        self.alarms[key] = alarm
        return alarm

    def _workload_alarms(self, w: WatchedWorkload, cluster_name: pulumi.Output[str]) -> None:
        ecs = {"ClusterName": cluster_name, "ServiceName": w.ecs_service_name}
        self._alarm(f"{w.label}-cpu-high", f"{w.label}: ECS CPU above {CPU_HIGH_PERCENT}% for 5 minutes",
                    namespace="AWS/ECS", metric_name="CPUUtilization", dimensions=ecs, statistic="Average",
                    period=PERIOD, evaluation_periods=5, threshold=CPU_HIGH_PERCENT,
                    comparison_operator="GreaterThanThreshold", treat_missing_data="missing")
        self._alarm(f"{w.label}-memory-high", f"{w.label}: ECS memory above {MEMORY_HIGH_PERCENT}% for 5 minutes",
                    namespace="AWS/ECS", metric_name="MemoryUtilization", dimensions=ecs, statistic="Average",
                    period=PERIOD, evaluation_periods=5, threshold=MEMORY_HIGH_PERCENT,
                    comparison_operator="GreaterThanThreshold", treat_missing_data="missing")
        self._alarm(f"{w.label}-tasks-below-desired", f"{w.label}: fewer running tasks than desired for 5 minutes",
                    metric_queries=[
                        _metric("running", "ECS/ContainerInsights", "RunningTaskCount", ecs, "Average"),
                        _metric("desired", "ECS/ContainerInsights", "DesiredTaskCount", ecs, "Average"),
                        _expression("missing", "desired - running", "Tasks missing"),
                    ],
                    evaluation_periods=5, threshold=1, comparison_operator="GreaterThanOrEqualToThreshold",
                    treat_missing_data="missing")

        m = self._metrics
        ingress = m.ingress(w.mesh_resource_key, w.mesh_resource_name)
        five_xx = m.ingress(w.mesh_resource_key, w.mesh_resource_name, **{m.CODE_CLASS: "5"})
        rate = self._config.alarms.five_xx_rate_percent
        self._alarm(f"{w.label}-envoy-5xx-rate", f"{w.label}: over {rate}% of inbound requests answered 5xx (Envoy)",
                    metric_queries=[
                        _metric("errors", m.namespace, m.REQUESTS_BY_CLASS, five_xx, "Sum"),
                        _metric("requests", m.namespace, m.REQUESTS, ingress, "Sum"),
                        _expression("rate", "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", "5xx %"),
                    ],
                    evaluation_periods=5, datapoints_to_alarm=3, threshold=rate,
                    comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching")
        p99 = self._config.alarms.p99_latency_ms
        self._alarm(f"{w.label}-envoy-p99-latency", f"{w.label}: inbound p99 latency above {p99} ms (Envoy)",
                    namespace=m.namespace, metric_name=m.REQUEST_TIME, dimensions=ingress, extended_statistic="p99",
                    period=PERIOD, evaluation_periods=5, datapoints_to_alarm=3, threshold=p99,
                    comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching")

    def _load_balancer_alarms(self, lb: WatchedLoadBalancer) -> None:
        dims = {"LoadBalancer": lb.arn_suffix, "TargetGroup": lb.target_group_arn_suffix}
        self._alarm(f"{lb.label}-unhealthy-hosts", f"{lb.label}: NLB targets failing health checks",
                    namespace="AWS/NetworkELB", metric_name="UnHealthyHostCount", dimensions=dims,
                    statistic="Maximum", period=PERIOD, evaluation_periods=3, threshold=0,
                    comparison_operator="GreaterThanThreshold", treat_missing_data="missing")
        self._alarm(f"{lb.label}-no-healthy-hosts", f"{lb.label}: the NLB has no healthy gateway target",
                    namespace="AWS/NetworkELB", metric_name="HealthyHostCount", dimensions=dims,
                    statistic="Minimum", period=PERIOD, evaluation_periods=2, threshold=1,
                    comparison_operator="LessThanThreshold", treat_missing_data="breaching")

    # -- dashboard ----------------------------------------------------------------------------------

    def _dashboard_body(self, args: ObservabilityArgs) -> pulumi.Output[str]:
        config, m = self._config, self._metrics
        region = config.region
        api, stage = api_name(config.environment), config.api.stage_name
        values = pulumi.Output.all(
            cluster=args.cluster_name,
            alarms=[a.arn for a in self.alarms.values()],
            workloads=[pulumi.Output.all(w.label, w.ecs_service_name, w.mesh_resource_key, w.mesh_resource_name)
                       for w in args.workloads],
            lbs=[pulumi.Output.all(lb.label, lb.arn_suffix, lb.target_group_arn_suffix) for lb in args.load_balancers],
        )

        def render(v: dict) -> str:
            widgets = [
                _text(f"# {config.environment} mesh\nAPI Gateway ▶ internal NLB ▶ ingress gateway (Envoy) ▶ "
                      f"services. Envoy metrics: `{m.namespace}` (CloudWatch agent StatsD)."),
                {"type": "alarm", "width": 24, "height": 4,
                 "properties": {"title": "Alarms", "alarms": sorted(v["alarms"])}},
                _graph("API requests and errors", region, [
                    ["AWS/ApiGateway", "Count", "ApiName", api, "Stage", stage, {"stat": "Sum"}],
                    ["AWS/ApiGateway", "4XXError", "ApiName", api, "Stage", stage, {"stat": "Sum"}],
                    ["AWS/ApiGateway", "5XXError", "ApiName", api, "Stage", stage, {"stat": "Sum"}],
                ]),
                _graph("API latency p99 (ms)", region, [
                    ["AWS/ApiGateway", "Latency", "ApiName", api, "Stage", stage, {"stat": "p99"}],
                    ["AWS/ApiGateway", "IntegrationLatency", "ApiName", api, "Stage", stage, {"stat": "p99"}],
                ]),
            ]
            for label, lb, tg in v["lbs"]:
                widgets.append(_graph(f"{label}: NLB targets", region, [
                    ["AWS/NetworkELB", "HealthyHostCount", "LoadBalancer", lb, "TargetGroup", tg, {"stat": "Minimum"}],
                    ["AWS/NetworkELB", "UnHealthyHostCount", "LoadBalancer", lb, "TargetGroup", tg, {"stat": "Maximum"}],
                ]))
            for label, service, key, resource in v["workloads"]:
                inbound = [key, resource, m.DIRECTION, m.INGRESS]
                widgets += [
                    _graph(f"{label}: inbound requests and 5xx (Envoy)", region, [
                        [m.namespace, m.REQUESTS, *inbound, {"stat": "Sum"}],
                        [m.namespace, m.REQUESTS_BY_CLASS, *inbound, m.CODE_CLASS, "5", {"stat": "Sum"}],
                    ], width=8),
                    _graph(f"{label}: inbound p99 (ms, Envoy)", region, [
                        [m.namespace, m.REQUEST_TIME, *inbound, {"stat": "p99"}],
                    ], width=8),
                    _graph(f"{label}: ECS CPU / memory % and tasks", region, [
                        ["AWS/ECS", "CPUUtilization", "ClusterName", v["cluster"], "ServiceName", service],
                        ["AWS/ECS", "MemoryUtilization", "ClusterName", v["cluster"], "ServiceName", service],
                        ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", v["cluster"], "ServiceName",
                         service, {"yAxis": "right"}],
                        ["ECS/ContainerInsights", "DesiredTaskCount", "ClusterName", v["cluster"], "ServiceName",
                         service, {"yAxis": "right"}],
                    ], width=8),
                ]
            for log_query in args.log_queries:
                sources = " | ".join(f"SOURCE '{group}'" for group in log_query.log_group_names)
                widgets.append({"type": "log", "width": 24, "height": 6,
                                "properties": {"title": log_query.title, "region": region, "view": "table",
                                               "query": f"{sources} | {log_query.query}"}})
            return json.dumps({"widgets": _layout(widgets)})

        return values.apply(render)


# --------------------------------------------------------------------------------------------------
# Small builders
# --------------------------------------------------------------------------------------------------


def _metric(query_id: str, namespace: str, name: str, dimensions: dict, stat: str):
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id=query_id, return_data=False,
        metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
            namespace=namespace, metric_name=name, dimensions=dimensions, stat=stat, period=PERIOD))


def _expression(query_id: str, expression: str, label: str):
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(id=query_id, expression=expression, label=label,
                                                     return_data=True)


def _text(markdown: str) -> dict:
    return {"type": "text", "width": 24, "height": 2, "properties": {"markdown": markdown}}


def _graph(title: str, region: str, metrics: list, width: int = 12) -> dict:
    return {"type": "metric", "width": width, "height": 6,
            "properties": {"title": title, "region": region, "view": "timeSeries", "stacked": False,
                           "period": PERIOD, "metrics": metrics}}


def _layout(widgets: list[dict]) -> list[dict]:
    """Place widgets left to right, top to bottom, on the dashboard's 24-column grid."""
    x = y = row_height = 0
    for widget in widgets:
        if x + widget["width"] > 24:
            x, y, row_height = 0, y + row_height, 0
        widget["x"], widget["y"] = x, y
        x += widget["width"]
        row_height = max(row_height, widget["height"])
    return widgets


def _topic_key_policy(account_id: pulumi.Output[str]) -> pulumi.Output[str]:
    """The account administers the key; CloudWatch alarms in this account may publish through it."""
    root = account_id.apply(lambda a: f"arn:aws:iam::{a}:root")
    # In a key policy, "*" means this key (the policy is attached to it).
    return policy_json([
        {"Sid": "AccountAdministers", "Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*",
         "Resource": "*"},
        {"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}},
    ])
