"""The Service Connect plane's front door: API Gateway's VPC link V2 into an internal ALB.

    REST API ─ VPC link V2 (its own group) ─443─▶ internal ALB (one HTTPS listener, TLS 1.3 policy,
        a public ACM certificate API Gateway verifies) ─ path rule per public prefix ─▶ target group per
        public service (ip targets, HTTPS to the Service Connect port, where the proxy terminates TLS)

API Gateway puts the stage in front of the path it sends over a VPC link V2 ("/dev/users/42" for
"/users/42" on stage `dev`). Each rule matches the prefix with and without the stage and rewrites
"/<stage>/..." to "/..." before forwarding, so the services see the paths they saw behind App Mesh.

Security groups: the ALB's admits 443 only from the VPC link's group and reaches only the public services'
groups on their ports (which also carries the health checks); the link's reaches only the ALB on 443.
Every rule is its own resource, so the services' groups (owned by the data plane) can reference the ALB's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, NamedTuple, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .compute import LoadBalancerTarget, TargetHealthCheck, TrafficShift
from .config import ALB_IDLE_TIMEOUT_SECONDS, PlatformConfig
from .iam import assume_role_policy
from .network import HTTPS, subnets_outside
from .observability import WatchedLoadBalancer

# TLS 1.3 and 1.2 (API Gateway's integrations negotiate 1.2), forward-secret ciphers only. A TLS 1.3 policy is also
# what lets the ALB reach the Service Connect proxies, which accept only TLS 1.3: behind any other, ELB connects to
# targets with ELBSecurityPolicy-2016-08, TLS 1.2 at most (the pack's elb-service-connect-targets-tls13).
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
NOT_FOUND_BODY = '{"message":"Not Found"}'
# Every route's target group checks on this timing; its ECS service's grace period follows from it.
TARGET_HEALTH = TargetHealthCheck(interval_seconds=15, healthy_threshold=3, unhealthy_threshold=3)
# The AWS managed policy ECS needs to move traffic between target groups in blue/green, linear and canary
# deployments (no service-role/ path, unlike the Service Connect TLS one).
LOAD_BALANCER_ROLE_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"
# The part of a canary route's rule that ECS rewrites during a deployment: its actions, whole. Ignoring only
# `actions[*].forward.targetGroups[*].weight` does not hold: the provider keeps the target groups as a set,
# whose order follows the weights, and the engine restores ignored values by index, so after a canary an
# update could pair the drained group with all the traffic (terraform-provider-aws#43905, pulumi-aws#5798).
CANARY_ACTIONS = "actions"
# The AZ IDs where API Gateway has no VPC links V2: the "Availability by Region" table of "Set up VPC links V2 in API
# Gateway" lists the supported ones, these are their regions' other zones (Seoul's fourth, apne2-az4, among them).
# CreateVpcLink refuses a subnet in one, and which zone name maps to one is the account's: us-east-1a is use1-az3 in
# many accounts.
VPC_LINK_UNSUPPORTED_ZONE_IDS = frozenset({"use1-az3", "usw1-az2", "ape1-az1", "apne1-az3", "apne2-az4", "cac1-az4",
                                           "euw3-az2"})


@dataclass(frozen=True)
class IngressRoute:
    """One public service behind the ALB."""

    service: str
    path_prefix: str  # "/users"
    # The Service Connect port: the container port, where the proxy terminates TLS (no ingressPortOverride).
    port: int
    health_check_path: str
    # The service's own security group (the data plane creates it before the ingress).
    security_group_id: pulumi.Input[str]
    # Its deployments are canaries: ECS shifts the route's traffic between two target groups.
    canary: bool = False


@dataclass(frozen=True)
class AlbIngressArgs:
    environment: str
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    routes: Sequence[IngressRoute]
    # A public ACM certificate for the ingress host name: API Gateway verifies the chain.
    certificate_arn: pulumi.Input[str]
    # The REST API's stage, which API Gateway prefixes to every backend path.
    stage_name: str
    protect: bool
    # Where the ALB writes its access logs (the audit layer's bucket, when it is on).
    access_logs: Optional[aws.lb.LoadBalancerAccessLogsArgs] = None
    # The browser origin the REST API admits (api.cors). API Gateway answers the preflight, but an HTTP proxy
    # integration returns the service's response as it is, so the ALB adds the origin to every response.
    cors_allow_origin: Optional[str] = None
    # Each subnet's AZ ID, in the same order, where the stack knows them (a created VPC): the VPC link leaves out the
    # subnets in zones it is not offered in. None: every subnet (a brought VPC's owner chose them).
    subnet_zone_ids: Optional[pulumi.Input[Sequence[str]]] = None


def ingress_routes(config: PlatformConfig, security_group_ids: Mapping[str, pulumi.Input[str]]) -> list[IngressRoute]:
    """One route per public service, given each service's own security group (by service name)."""
    return [IngressRoute(service=s.name, path_prefix=s.public_path, port=s.port,
                         health_check_path=s.health_check_path, security_group_id=security_group_ids[s.name],
                         canary=s.canary_version is not None)
            for s in config.public_services]


def target_group_count(routes: Sequence[IngressRoute]) -> int:
    """The ALB's target groups: one per route, and a canary route's second, between which ECS shifts traffic."""
    return sum(2 if route.canary else 1 for route in routes)


def alb_rule_counts(routes: Sequence[IngressRoute]) -> tuple[int, int]:
    """(inbound, outbound) rules on the ALB's security group (`_security_rules`): 443 from the VPC link, and each
    route's port to its service's group."""
    return 1, len(routes)


def vpc_link_subnets(subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
                     zone_ids: Optional[pulumi.Input[Sequence[str]]]) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
    """The subnets a VPC link V2 may take: those not in a zone API Gateway leaves out (VPC_LINK_UNSUPPORTED_ZONE_IDS).
    In the supported zones of every deployed stack, the same list in the same order (a VPC link's subnets are
    ForceNew)."""
    return subnets_outside(subnet_ids, zone_ids, VPC_LINK_UNSUPPORTED_ZONE_IDS)


def stage_rewrite(stage_name: str) -> tuple[str, str]:
    """(regex, replacement) that drops the leading "/<stage>" from the URL; no match leaves it unchanged."""
    return f"^/{stage_name}(/.*)$", "$1"


class AlbIngress(pulumi.ComponentResource):
    """Outputs for the data plane (`security_group_id`, and per public service the `targets` its ECS service
    registers in and the `watched` load balancer its alarms read), the API (`vpc_link_id`, `load_balancer_arn`),
    DNS (`dns_name`, `zone_id`) and the dashboard (`arn_suffix`)."""

    security_group_id: pulumi.Output[str]
    load_balancer_arn: pulumi.Output[str]
    arn_suffix: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    zone_id: pulumi.Output[str]
    listener_arn: pulumi.Output[str]
    vpc_link_id: pulumi.Output[str]
    # By service name, in path-prefix order.
    targets: dict[str, LoadBalancerTarget]
    watched: dict[str, WatchedLoadBalancer]

    def __init__(self, name: str, args: AlbIngressArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:ingress:AlbIngress", name, None, opts)
        env = args.environment
        child = pulumi.ResourceOptions(parent=self)

        alb_group, link_group = _security_groups(name, self, env, args.vpc_id, args.routes)
        self.load_balancer = aws.lb.LoadBalancer(
            f"{name}-alb", name=naming.alb_ingress_name(env), load_balancer_type="application",
            internal=True, subnets=args.subnet_ids, security_groups=[alb_group.id], ip_address_type="ipv4",
            drop_invalid_header_fields=True, enable_deletion_protection=args.protect, access_logs=args.access_logs,
            idle_timeout=ALB_IDLE_TIMEOUT_SECONDS,
            # An AZ is evacuated with an ARC zonal shift (docs/failover.md), which ELB refuses unless it is on.
            enable_zonal_shift=True, opts=child)
        self.listener = _listener(name, self, self.load_balancer.arn, args.certificate_arn, args.cors_allow_origin)
        self.targets, self.watched = _service_targets(
            name, self, args.routes, environment=env, vpc_id=args.vpc_id, stage_name=args.stage_name,
            listener_arn=self.listener.arn, arn_suffix=self.load_balancer.arn_suffix)

        # The link's network interfaces reach the ALB in every AZ; the ALB itself may sit in any zone.
        self.vpc_link = aws.apigatewayv2.VpcLink(
            f"{name}-link", name=f"{env}-ingress-alb",
            subnet_ids=vpc_link_subnets(args.subnet_ids, args.subnet_zone_ids),
            security_group_ids=[link_group.id], opts=child)

        self.security_group_id = alb_group.id
        self.load_balancer_arn = self.load_balancer.arn
        self.arn_suffix = self.load_balancer.arn_suffix
        self.dns_name = self.load_balancer.dns_name
        self.zone_id = self.load_balancer.zone_id
        self.listener_arn = self.listener.arn
        self.vpc_link_id = self.vpc_link.id
        self.register_outputs({
            "securityGroupId": self.security_group_id,
            "loadBalancerArn": self.load_balancer_arn,
            "dnsName": self.dns_name,
            "listenerArn": self.listener_arn,
            "vpcLinkId": self.vpc_link_id,
            "targetGroupArns": {service: target.target_group_arn for service, target in self.targets.items()},
        })


def _security_groups(name: str, owner: pulumi.Resource, env: str, vpc_id: pulumi.Input[str],
                     routes: Sequence[IngressRoute]) -> tuple[aws.ec2.SecurityGroup, aws.ec2.SecurityGroup]:
    """(the ALB's group, the VPC link's group), with their rules."""
    child = pulumi.ResourceOptions(parent=owner)
    alb_group = aws.ec2.SecurityGroup(
        f"{name}-alb", vpc_id=vpc_id, description=f"{env} ingress ALB: 443 from the API Gateway VPC link only",
        tags={"Name": f"{env}-ingress-alb"}, opts=child)
    link_group = aws.ec2.SecurityGroup(
        f"{name}-link", vpc_id=vpc_id, description=f"{env} API Gateway VPC link: to the ingress ALB only",
        tags={"Name": f"{env}-ingress-vpc-link"}, opts=child)
    _security_rules(name, owner, alb_group, link_group, routes)
    return alb_group, link_group


def _security_rules(name: str, owner: pulumi.Resource, alb_group: aws.ec2.SecurityGroup,
                    link_group: aws.ec2.SecurityGroup, routes: Sequence[IngressRoute]) -> None:
    child = pulumi.ResourceOptions(parent=owner)
    aws.vpc.SecurityGroupIngressRule(
        f"{name}-alb-in-link", security_group_id=alb_group.id, ip_protocol="tcp",
        from_port=HTTPS, to_port=HTTPS, referenced_security_group_id=link_group.id,
        description="HTTPS from the API Gateway VPC link", opts=child)
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-link-out-alb", security_group_id=link_group.id, ip_protocol="tcp",
        from_port=HTTPS, to_port=HTTPS, referenced_security_group_id=alb_group.id,
        description="HTTPS to the ingress ALB", opts=child)
    for route in routes:
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-alb-out-{route.service}", security_group_id=alb_group.id, ip_protocol="tcp",
            from_port=route.port, to_port=route.port, referenced_security_group_id=route.security_group_id,
            description=f"requests and health checks to {route.service} on {route.port}", opts=child)


def _listener(name: str, owner: pulumi.Resource, load_balancer_arn: pulumi.Output[str],
              certificate_arn: pulumi.Input[str], cors_allow_origin: Optional[str]) -> aws.lb.Listener:
    return aws.lb.Listener(
        f"{name}-https", load_balancer_arn=load_balancer_arn, port=HTTPS, protocol="HTTPS",
        ssl_policy=TLS_POLICY, certificate_arn=certificate_arn,
        routing_http_response_access_control_allow_origin_header_value=cors_allow_origin,
        # Only the public prefixes reach a service; anything else ends here.
        default_actions=[aws.lb.ListenerDefaultActionArgs(
            type="fixed-response", fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
                content_type="application/json", message_body=NOT_FOUND_BODY, status_code="404"))],
        opts=pulumi.ResourceOptions(parent=owner))


class _ServiceTargets(NamedTuple):
    """By service name, in path-prefix order: where its ECS service registers, and what its alarms read."""

    targets: dict[str, LoadBalancerTarget]
    watched: dict[str, WatchedLoadBalancer]


def _service_targets(name: str, owner: pulumi.Resource, routes: Sequence[IngressRoute], *, environment: str,
                     vpc_id: pulumi.Input[str], stage_name: str, listener_arn: pulumi.Output[str],
                     arn_suffix: pulumi.Output[str]) -> _ServiceTargets:
    """Each route's target group (a canary's two, and the role ECS shifts traffic between them with) and its
    listener rule."""
    targets: dict[str, LoadBalancerTarget] = {}
    watched: dict[str, WatchedLoadBalancer] = {}
    shift_role = _shift_role(name, owner, environment) if any(route.canary for route in routes) else None
    for route in sorted(routes, key=lambda r: r.path_prefix):
        group = _target_group(name, owner, route, environment, vpc_id)
        alternate = _target_group(name, owner, route, environment, vpc_id, alternate=True) if route.canary else None
        rule = _rule(name, owner, listener_arn, route, group, alternate, stage_name)
        shift = None
        if alternate is not None:
            role, attached = shift_role
            shift = TrafficShift(alternate_target_group_arn=alternate.arn, production_listener_rule_arn=rule.arn,
                                 role_arn=role.arn, ready=(attached,))
        # ECS attaches targets only to a group a listener rule uses.
        targets[route.service] = LoadBalancerTarget(target_group_arn=group.arn, port=route.port,
                                                    health_check=TARGET_HEALTH, ready=(rule,), traffic_shift=shift)
        watched[route.service] = WatchedLoadBalancer(
            label=naming.alb_label(route.service), kind="application", arn_suffix=arn_suffix,
            target_group_arn_suffix=group.arn_suffix,
            alternate_target_group_arn_suffix=None if alternate is None else alternate.arn_suffix)
    return _ServiceTargets(targets, watched)


def _shift_role(name: str, owner: pulumi.Resource, env: str) -> tuple[aws.iam.Role, aws.iam.RolePolicyAttachment]:
    """The role ECS assumes to move a canary's traffic between a service's two target groups (AWS's
    managed policy for it, attached before any service names the role)."""
    role = aws.iam.Role(
        f"{name}-traffic-shifts", assume_role_policy=assume_role_policy("ecs.amazonaws.com"),
        description=f"{env}: ECS shifts canary deployments' traffic between ingress target groups",
        opts=pulumi.ResourceOptions(parent=owner))
    return role, aws.iam.RolePolicyAttachment(
        f"{name}-traffic-shifts", role=role.name, policy_arn=LOAD_BALANCER_ROLE_POLICY,
        opts=pulumi.ResourceOptions(parent=owner))


def _target_group(name: str, owner: pulumi.Resource, route: IngressRoute, environment: str, vpc_id: pulumi.Input[str],
                  alternate: bool = False) -> aws.lb.TargetGroup:
    return aws.lb.TargetGroup(
        f"{name}-{naming.ingress_target_group_label(route.service, alternate)}",
        name=naming.alb_target_group_name(environment, route.service, route.port, alternate),
        target_type="ip", protocol="HTTPS", protocol_version="HTTP1", port=route.port, vpc_id=vpc_id,
        deregistration_delay=30,
        # The Service Connect proxy serves TLS on the container port and forwards to the app, so a
        # healthy check means both are up.
        health_check=TARGET_HEALTH.args(protocol="HTTPS", port=str(route.port), path=route.health_check_path,
                                        matcher="200-399", timeout=5),
        opts=pulumi.ResourceOptions(parent=owner))


def _rule(name: str, owner: pulumi.Resource, listener_arn: pulumi.Output[str], route: IngressRoute,
          group: aws.lb.TargetGroup, alternate: Optional[aws.lb.TargetGroup], stage_name: str) -> aws.lb.ListenerRule:
    regex, replace = stage_rewrite(stage_name)
    # No priority: prefixes are single segments and never overlap (config refuses a stage named like one,
    # which the bare patterns would make overlap), so the order of rules does not matter, and the provider
    # gives a new rule the one after the highest (retrying while another takes it). Priorities derived
    # from the list would shift when a service is added or removed, and a create at a priority still
    # held by a rule not yet moved is refused (PriorityInUse).
    # A canary route's rule is its own resource (`-shift`), not the plain rule updated: the engine refuses to
    # ignore a path its old inputs lack (a plain rule has no actions[*].forward), so a canary added to a
    # deployed service would stop every preview. A new rule is made and the old one deleted (rules carry no
    # priority, and the paths match the same group meanwhile).
    return aws.lb.ListenerRule(
        f"{name}-{naming.ingress_rule_label(route.service, shifting=alternate is not None)}",
        listener_arn=listener_arn,
        conditions=[aws.lb.ListenerRuleConditionArgs(path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(
            values=naming.path_patterns(stage_name, route.path_prefix)))],
        actions=[_forward(group, alternate)],
        transforms=[aws.lb.ListenerRuleTransformArgs(
            type="url-rewrite", url_rewrite_config=aws.lb.ListenerRuleTransformUrlRewriteConfigArgs(
                rewrite=aws.lb.ListenerRuleTransformUrlRewriteConfigRewriteArgs(regex=regex, replace=replace)))],
        # A canary's weights are ECS's to move while it deploys: an update must not move them back. The
        # actions are ignored whole, so new target groups (a new port names new ones) reach the rule by
        # replacing it with them.
        opts=pulumi.ResourceOptions(parent=owner, ignore_changes=[CANARY_ACTIONS] if alternate is not None else None,
                                    replace_with=[group, alternate] if alternate is not None else None))


def _forward(group: aws.lb.TargetGroup, alternate: Optional[aws.lb.TargetGroup]) -> aws.lb.ListenerRuleActionArgs:
    """To the service's target group; with an alternate, to both, all of the traffic on the first until a canary
    deployment moves it."""
    if alternate is None:
        return aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=group.arn)
    return aws.lb.ListenerRuleActionArgs(type="forward", forward=aws.lb.ListenerRuleActionForwardArgs(
        target_groups=[aws.lb.ListenerRuleActionForwardTargetGroupArgs(arn=group.arn, weight=100),
                       aws.lb.ListenerRuleActionForwardTargetGroupArgs(arn=alternate.arn, weight=0)]))
