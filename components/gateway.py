"""The mesh's front door: the virtual gateway's Envoy as an ECS service behind an internal NLB.

    API Gateway VPC link ─▶ internal NLB (private subnets, cross-zone) ─TCP─▶ ip targets: gateway Envoy
                                                                              (APPMESH_RESOURCE_ARN = gateway)

The gateway task is Envoy alone (no app, so no APPMESH proxy configuration), with the same sidecars,
certificate delivery and autoscaling as a service version (`compute.deploy_workload` with an App Mesh wiring).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import envoy, naming
from .compute import FargateContext, LoadBalancerTarget, PortRule, TargetHealthCheck, WorkloadLogs, WorkloadSpec, \
    deploy_workload
from .config import Sizing

if TYPE_CHECKING:
    from .dataplane.appmesh import AppMeshWiring

# The NLB's TCP check of the gateway's Envoy; the gateway service's grace period follows from it.
GATEWAY_HEALTH = TargetHealthCheck(interval_seconds=10, healthy_threshold=3, unhealthy_threshold=3)


@dataclass(frozen=True)
class IngressGatewayArgs:
    context: FargateContext
    wiring: "AppMeshWiring"
    sizing: Sizing
    # Listener ports of the services the gateway routes to (reached through the mesh-member group).
    upstream_ports: Sequence[int]
    # Where the NLB writes access logs (None: the stack keeps none). An NLB logs only TLS listeners' traffic.
    access_logs: Optional[aws.lb.LoadBalancerAccessLogsArgs] = None


class IngressGateway(pulumi.ComponentResource):
    """Outputs for the API layer: `nlb_arn` (the VPC link target), `nlb_dns_name`, `listener_port`."""

    nlb_arn: pulumi.Output[str]
    nlb_dns_name: pulumi.Output[str]
    nlb_arn_suffix: pulumi.Output[str]
    target_group_arn_suffix: pulumi.Output[str]
    listener_port: int
    service_name: pulumi.Output[str]
    task_definition_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    gateway_name: pulumi.Output[str]

    def __init__(self, name: str, args: IngressGatewayArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:gateway:IngressGateway", name, None, opts)
        context, workload = args.context, args.wiring.workload
        child = pulumi.ResourceOptions(parent=self)
        port = workload.listener_port
        family = workload.task_family or f"{context.environment}-{workload.name}"

        self.load_balancer = aws.lb.LoadBalancer(
            f"{name}-nlb", name=naming.ingress_load_balancer_name(context.environment), load_balancer_type="network",
            internal=True, subnets=context.private_subnet_ids,
            enable_cross_zone_load_balancing=True, ip_address_type="ipv4",
            enable_deletion_protection=context.protect, access_logs=args.access_logs, opts=child)
        self.target_group = aws.lb.TargetGroup(
            f"{name}-envoy", name=naming.ingress_target_group_name(context.environment), target_type="ip",
            protocol="TCP", port=port, vpc_id=context.vpc_id,
            # Sources are the NLB's own addresses, which the task security group admits by VPC CIDR.
            preserve_client_ip="false",
            deregistration_delay=30,
            health_check=GATEWAY_HEALTH.args(protocol="TCP", port="traffic-port"),
            opts=child)
        self.listener = aws.lb.Listener(
            f"{name}-tcp", load_balancer_arn=self.load_balancer.arn, port=port, protocol="TCP",
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=self.target_group.arn)],
            opts=child)

        logs = WorkloadLogs(f"{name}-logs", context=context, workload=workload.name, kinds=envoy.SIDECAR_KINDS,
                            retention_days=context.log_retention_days, opts=child)
        mesh = args.wiring.mesh_security_group_id
        deployed = deploy_workload(self, WorkloadSpec(
            name=name,
            family=family,
            wiring=args.wiring,
            sizing=args.sizing,
            log_groups=logs.groups,
            # The NLB has no security group; its nodes (and health checks) come from the private subnets.
            ingress=[PortRule("the internal NLB (VPC addresses) to the gateway listener", port, cidr=context.vpc_cidr)],
            # AWS APIs through the egress layer's group, which every task joins.
            egress=[PortRule(f"routes to mesh services on {p}", p, security_group_id=mesh)
                    for p in sorted(set(args.upstream_ports))],
            load_balancer=LoadBalancerTarget(target_group_arn=self.target_group.arn, port=port,
                                             health_check=GATEWAY_HEALTH),
            # ECS attaches targets only to a target group that already belongs to a load balancer.
            depends_on=[self.listener],
        ), context)

        self.deployed = deployed
        self.workload = workload
        self.listener_port = port
        self.nlb_arn = self.load_balancer.arn
        self.nlb_dns_name = self.load_balancer.dns_name
        self.nlb_arn_suffix = self.load_balancer.arn_suffix
        self.target_group_arn_suffix = self.target_group.arn_suffix
        self.service_name = deployed.service.name
        self.task_definition_arn = deployed.task_definition.arn
        self.security_group_id = deployed.security_group.id
        self.gateway_name = workload.resource_arn.apply(envoy.resource_name_from_arn)
        self.register_outputs({
            "nlbArn": self.nlb_arn,
            "nlbDnsName": self.nlb_dns_name,
            "listenerPort": port,
            "serviceName": self.service_name,
            "taskDefinitionArn": self.task_definition_arn,
            "securityGroupId": self.security_group_id,
        })
