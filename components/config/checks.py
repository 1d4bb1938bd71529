"""Checks across sections: tags, capacity, role names and what the chosen data plane cannot express."""
from __future__ import annotations

import json
import unicodedata
from typing import Any, Collection, Mapping, Optional

from .. import naming
from ..iam import ROLE_INLINE_POLICY_CHARS
from ..tagging import BUSIEST_OWN_TAG_KEYS, OWN_TAG_KEYS
from .model import CHOSEN_PLANE, VPC_LINK_V2_REGIONS, PlaneTraits, PlatformConfig, ServiceConfig
from .node import ConfigNode, _key, _matches
from .values import (API_METHODS, PROXY_PART, REGION_RE, certificate_name_problem, partition_problem,
                     route_resource_paths)


# AWS's tag restrictions, the same for every service these stacks tag (botocore's ECS `Tag` shape, the AWS Batch
# and Personalize guides): 50 tags per resource, keys up to 128 and values up to 256 characters, and `aws:` (in any
# case) reserved as the prefix of keys and values.
AWS_MAX_TAGS_PER_RESOURCE = 50
AWS_MAX_TAG_KEY_CHARS = 128
AWS_MAX_TAG_VALUE_CHARS = 256
# Elastic Load Balancing: each path pattern of a listener rule is at most 128 characters.
ALB_MAX_PATH_PATTERN = 128
_RESERVED_TAG_PREFIX = "aws:"
# What AWS allows in tag keys and values besides letters, digits and spaces of any script (the same Tag shapes).
_TAG_PUNCTUATION = "_.:/=+-@"


def _tag_text_ok(text: str) -> bool:
    return all(c.isalnum() or unicodedata.category(c).startswith("Z") or c in _TAG_PUNCTUATION for c in text)


def check_region(region: Any, fail) -> str:
    """The stack's `aws:region`: a region AWS lists, in the partition the program writes ARNs for."""
    if not region:
        raise fail("aws:region", "is required")
    if not isinstance(region, str) or not _matches(REGION_RE, region):
        raise fail("aws:region", f"{region!r} is not an AWS region name (like us-east-1)")
    if (problem := partition_problem(region)) is not None:
        raise fail("aws:region", problem)
    return region


def provider_default_tags(text: Optional[str], fail, own_keys: Collection[str] = OWN_TAG_KEYS) -> dict[str, str]:
    """`aws:defaultTags`' tags: the provider puts them on every taggable resource, beside the stack's (which
    `check_tags` then counts with them). The block has no setting but `tags`, and the provider refuses others.
    `own_keys` as for `check_tags`."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise fail("aws:defaultTags", "is not an object ({tags: {<key>: <value>}})")
    node = ConfigNode(fail, "aws:defaultTags", value)
    tags = node.string_map("tags")
    node.done()
    check_tags(tags, fail, "aws:defaultTags.tags", own_keys=own_keys)
    return tags


def check_tags(tags: Mapping[str, str], fail, where: str = "tags",
               provider_defaults: Optional[Mapping[str, str]] = None, own_keys: Collection[str] = OWN_TAG_KEYS) -> None:
    """The stack's tags go on every taggable resource, with the program's own (`own_keys`: the keys it sets on some
    resources, whose values win there) and the provider's default tags (`provider_defaults`, which these win over):
    together they must fit each."""
    beside = provider_defaults or {}
    for key, value in tags.items():
        path = f"{where}.{_key(key)}"
        if not key:
            raise fail(path, "a tag key may not be empty")
        for what, text in (("key", key), ("value", value)):
            if not _tag_text_ok(text):
                raise fail(path, f"the {what} {text!r} has a character AWS does not allow in tags (letters, digits, "
                                 f"spaces and {' '.join(_TAG_PUNCTUATION)})")
        if key.lower().startswith(_RESERVED_TAG_PREFIX) or value.lower().startswith(_RESERVED_TAG_PREFIX):
            raise fail(path, f"AWS reserves the {_RESERVED_TAG_PREFIX} prefix of tag keys and values for its own tags")
        if key in own_keys:
            raise fail(path, f"the program puts its own {key} tag on some resources, which keep theirs, so this one "
                             f"would reach only the others: use another key")
        if len(key) > AWS_MAX_TAG_KEY_CHARS:
            raise fail(path, f"the key is {len(key)} characters; AWS allows {AWS_MAX_TAG_KEY_CHARS}")
        if len(value) > AWS_MAX_TAG_VALUE_CHARS:
            raise fail(path, f"the value is {len(value)} characters; AWS allows {AWS_MAX_TAG_VALUE_CHARS}")
    seen: dict[str, str] = {}
    for key in [*(k for k in beside if k not in tags), *tags]:
        if key.lower() in seen:
            other = seen[key.lower()] if seen[key.lower()] in tags else f"aws:defaultTags.tags.{seen[key.lower()]}"
            raise fail(f"{where}.{_key(key)}", f"differs from {other} only in case; IAM takes tag keys "
                                               f"case-insensitively and refuses a role that carries both",
                       [f"{where}.{_key(other)}" if other in tags else other])
        seen[key.lower()] = key
    merged = {**beside, **tags}
    own = list(BUSIEST_OWN_TAG_KEYS)  # never among `merged`: refused above
    if len(merged) + len(own) > AWS_MAX_TAGS_PER_RESOURCE:
        also = f" with the provider's {len(merged) - len(tags)} default tags" if len(merged) > len(tags) else ""
        raise fail(where, f"{len(tags)} tags{also} and the program's own {' and '.join(own)} (on every alarm) make "
                          f"{len(merged) + len(own)} on one resource; AWS allows {AWS_MAX_TAGS_PER_RESOURCE}",
                   ["aws:defaultTags"] if also else [])


def check_trail_tags(config: PlatformConfig, fail) -> None:
    """The stack's tags go on the trail too, and CloudTrail takes no empty tag value (botocore's TagValue: at least
    1 character), where the other services here take one."""
    empty = next((key for key, value in config.tags.items() if value == ""), None) if config.audit.trail else None
    if empty is not None:
        raise fail(f"tags.{_key(empty)}", "an empty value: CloudTrail refuses one on the trail (audit.trail is on)",
                   ["audit.trail"])


# EC2 (the VPC guide's security group quotas): rules per security group times security groups per network
# interface may not exceed 1,000, so a task's groups cap how far the rules quota can be raised.
AWS_MAX_RULES_TIMES_GROUPS = 1000
# ELB (the ALB guide's quotas): target groups per Application Load Balancer, not raisable. Its rules per ALB (100,
# raisable) never bind first: each public service has one listener rule and at least one target group.
AWS_MAX_ALB_TARGET_GROUPS = 100
# Cloud Map (its service quotas): instances registered in one service, not raisable.
AWS_MAX_CLOUD_MAP_INSTANCES_PER_SERVICE = 1000


def _check_capacity(config: PlatformConfig, fail) -> None:
    """What the stack builds must fit the per-resource quotas it meets at `up`, which the offline preview's mocks
    never refuse. The data plane states its own security group rules and target groups (dataplane.quota_use)."""
    from ..dataplane import check_task_definition_size, check_task_memory, quota_use  # late: planes import config

    check_task_memory(config, fail)
    check_task_definition_size(config, fail)
    quotas, use = config.quotas, quota_use(config)
    # Each quota's key is related to what exceeds it, and the plane, which states what the stack uses.
    rules = quotas.security_group_rules
    ceiling = AWS_MAX_RULES_TIMES_GROUPS // use.task_security_groups
    if rules > ceiling:
        raise fail("quotas.securityGroupRules",
                   f"{rules} is not possible: AWS keeps rules per security group x security groups per network "
                   f"interface within {AWS_MAX_RULES_TIMES_GROUPS}, and each task joins {use.task_security_groups} "
                   f"groups (at most {ceiling})", CHOSEN_PLANE)
    for tally in use.rules:
        if tally.count > rules:
            raise fail(tally.key, f"{tally.made_of} need {tally.count} {tally.direction} rules on {tally.group}, more "
                                  f"than quotas.securityGroupRules ({rules})",
                       ["quotas.securityGroupRules", *CHOSEN_PLANE])
    if use.alb_target_groups is not None:
        count, made_of = use.alb_target_groups
        if count > AWS_MAX_ALB_TARGET_GROUPS:
            raise fail("services", f"{made_of} need {count} target groups on the ingress ALB; an ALB holds at most "
                                   f"{AWS_MAX_ALB_TARGET_GROUPS} (AWS does not raise it)", CHOSEN_PLANE)
    if use.alb_targets is not None:
        count, made_of = use.alb_targets
        if count > quotas.alb_targets:
            busiest = max(config.public_services, key=lambda s: s.sizing.autoscaling.max_capacity)
            raise fail(busiest.sizing.autoscaling.max_capacity_key,
                       f"{made_of} at their maxCapacity, twice over while they deploy, are up to {count:,} targets of "
                       f"the ingress ALB, more than quotas.albTargets ({quotas.alb_targets:,}): registering the tasks "
                       f"past it fails, stalling scale-outs and deployments", ["quotas.albTargets", *CHOSEN_PLANE])
    _check_cloud_map_instances(config, use.cloud_map_instances, fail)
    for policy in use.inline_policies:
        if policy.chars > ROLE_INLINE_POLICY_CHARS:
            raise fail(policy.key, f"{policy.made_of} make the inline policy of {policy.role} {policy.chars:,} "
                                   f"characters, more than the {ROLE_INLINE_POLICY_CHARS:,} IAM allows a role's inline "
                                   f"policies together", CHOSEN_PLANE)
    if use.iam_roles is not None:
        count, made_of = use.iam_roles
        if count > quotas.iam_roles:
            raise fail("services", f"{made_of} are {count:,} IAM roles, more than quotas.iamRoles "
                                   f"({quotas.iam_roles:,}): IAM refuses the roles past it and the `up` stops part-way",
                       ["quotas.iamRoles", *CHOSEN_PLANE])
    created = config.network.create
    if created is not None and created.nat_gateways > quotas.elastic_ips:
        raise fail("network.create.natGateways",
                   f"{created.nat_gateways} NAT gateways take {created.nat_gateways} Elastic IP addresses, more than "
                   f"quotas.elasticIps ({quotas.elastic_ips}): EC2 refuses the addresses past it "
                   f"(AddressLimitExceeded) and the `up` stops part-way", ["quotas.elasticIps"])
    for index, plan in enumerate(config.api.usage_plans):
        throttled = sum(len(t.verbs) for t in plan.method_throttles)
        if throttled > quotas.method_throttles_per_plan:
            raise fail(f"api.usagePlans[{index}].methodThrottles",
                       f"throttle {throttled} methods (\"*\" is each of the {len(API_METHODS)} proxied verbs), more "
                       f"than quotas.methodThrottlesPerPlan ({quotas.method_throttles_per_plan}): API Gateway refuses "
                       f"the usage plan", ["quotas.methodThrottlesPerPlan"])
    # The root counts too: GetResources lists it as a resource (whether AWS counts it is not documented).
    paths = [p for s in config.public_services for p in route_resource_paths(s.public_path)]
    if paths and 1 + len(paths) > quotas.rest_resources_per_api:
        raise fail("services", f"{len(config.public_services)} public paths need {1 + len(paths)} REST API resources "
                               f"(the root, each path and its {PROXY_PART} child), more than "
                               f"quotas.restResourcesPerApi ({quotas.rest_resources_per_api})",
                   ["quotas.restResourcesPerApi"])


def _check_role_names(nodes: list[ConfigNode], services: list[ServiceConfig], environment: str,
                      plane: PlaneTraits) -> None:
    """Each workload's roles get pulumi-aws's auto-name, which must fit IAM's limit: refuse a service or version
    name that would make `up` fail (the environment and the plane, which name a workload, are related)."""
    room = naming.IAM_ROLE_NAME_MAX - naming.AUTO_NAME_SUFFIX
    for node, service in zip(nodes, services):
        if not plane.workload_per_version:
            workloads = [("name", "the service name", naming.service_connect_family(environment, service.name))]
        else:  # without `versions`, one named by the service's default version
            workloads = [(f"versions[{i}].name" if node.has("versions") else "name",
                          "the service or version name" if node.has("versions") else "the service name",
                          naming.mesh_workload(service.name, version.name))
                         for i, version in enumerate(service.versions)]
        for key, what, workload in workloads:
            role = max(naming.workload_role_names(workload), key=len)
            if len(role) > room:
                raise node.error(key, f"gives the IAM role {role!r}, which with pulumi-aws's "
                                      f"{naming.AUTO_NAME_SUFFIX}-character suffix is "
                                      f"{len(role) + naming.AUTO_NAME_SUFFIX} characters, more than IAM's "
                                      f"{naming.IAM_ROLE_NAME_MAX}: shorten {what} by {len(role) - room}",
                                 related=["environment", *CHOSEN_PLANE])


def _check_plane_limits(config: PlatformConfig, plane: PlaneTraits, fail) -> None:
    """What the chosen plane makes of the names in the whole config must fit what AWS takes at `up`."""
    # The plane's own workloads (App Mesh's ingress gateway) are named in the mesh as services are.
    longest = max((*(s.name for s in config.services), *plane.own_workloads),
                  key=lambda n: len(config.virtual_service_name(n)))
    name = config.virtual_service_name(longest)
    most, what = plane.max_service_dns_name
    if len(name) > most:
        named = [f"services[{i}].name" for i, s in enumerate(config.services) if s.name == longest]
        raise fail("mesh.domain", f"makes {longest}'s name {name} ({len(name)} characters), more than {what} "
                                  f"takes ({most})", [*named, "environment", *CHOSEN_PLANE])
    if plane.max_backends is not None:
        most, why = plane.max_backends
        for index, service in enumerate(config.services):
            if len(service.calls) + len(service.externals) > most:
                raise fail(f"services[{index}].calls", f"{service.name} calls {len(service.calls)} services and "
                                                       f"{len(service.externals)} externals; {why}", CHOSEN_PLANE)
    if plane.alb_ingress and config.public_services:  # the ingress ALB, its VPC link, certificate and alias exist
        _check_vpc_link_region(config, fail)
        _check_ingress(config, fail)


def _public_path_keys(config: PlatformConfig) -> list[str]:
    return [f"services[{i}].publicPath" for i, s in enumerate(config.services) if s.public_path]


def _check_vpc_link_region(config: PlatformConfig, fail) -> None:
    """The APIs reach the ingress ALB through a VPC link V2, which API Gateway offers in some regions only."""
    if config.region not in VPC_LINK_V2_REGIONS:
        raise fail("aws:region", f"{config.region} has no API Gateway VPC links V2, which the ingress ALB in front of "
                                 f"the public services needs (AWS's VPC links V2 Region table)",
                   [*CHOSEN_PLANE, *_public_path_keys(config)])


def _check_cloud_map_instances(config: PlatformConfig, tallies, fail) -> None:
    """ECS registers every task of a service in its Cloud Map service (App Mesh's service registries, Service
    Connect's services); past Cloud Map's instances per service (never raised) or per namespace, registering a task
    fails and the scale-out or deployment stalls."""
    for tally in tallies:
        if tally.count > AWS_MAX_CLOUD_MAP_INSTANCES_PER_SERVICE:
            runs = f"{tally.ecs_services} versions, each" if tally.ecs_services > 1 else "its tasks"
            raise fail(tally.service.sizing.autoscaling.max_capacity_key,
                       f"{tally.service.sizing.autoscaling.max_capacity} lets {tally.service.name} register up to "
                       f"{tally.count:,} tasks in its Cloud Map service ({runs} at maxCapacity, twice over while "
                       f"deploying), more than the {AWS_MAX_CLOUD_MAP_INSTANCES_PER_SERVICE:,} Cloud Map holds (AWS "
                       f"does not raise it)", CHOSEN_PLANE)
    total, most = sum(t.count for t in tallies), config.quotas.cloud_map_instances_per_namespace
    if total > most:
        raise fail("services", f"{len(tallies)} services at their maxCapacity, twice over while they deploy, register "
                               f"up to {total:,} tasks in the Cloud Map namespace, more than "
                               f"quotas.cloudMapInstancesPerNamespace ({most:,}): registering the tasks past it fails, "
                               f"stalling scale-outs and deployments",
                   ["quotas.cloudMapInstancesPerNamespace", "sizing.autoscaling.maxCapacity", *CHOSEN_PLANE])


def _check_ingress(config: PlatformConfig, fail) -> None:
    """The ingress ALB in front of the public services: its host name and certificate, and its rules' paths."""
    ingress, domain = config.ingress, config.api.domain
    if ingress is None:
        raise fail("ingress", "is required: Service Connect's public services sit behind an internal ALB whose "
                              "certificate API Gateway verifies (set ingress.hostName and a certificate, or dns)",
                   [*CHOSEN_PLANE, *_public_path_keys(config)])
    problem = certificate_name_problem(ingress.host_name, ingress.certificate_arn)
    if problem:
        raise fail("ingress.hostName", f"{problem} (or give a certificateArn)", ["ingress.certificateArn"])
    websocket = config.websocket_api.domain if config.websocket_api else None
    for other, key in ((domain, "api.domain.name"), (websocket, "websocketApi.domain.name")):
        if other and other.name == ingress.host_name:
            raise fail("ingress.hostName", f"{ingress.host_name} is also {key}: the custom domain and the ingress ALB "
                                           f"each need a DNS name of their own", [key])
    for index, service in enumerate(config.services):
        if service.public_path is not None:
            pattern = max(naming.path_patterns(config.api.stage_name, service.public_path), key=len)
            if len(pattern) > ALB_MAX_PATH_PATTERN:
                # Blame the longer of the two, the one to shorten (and the one an override set, likely).
                path_key = f"services[{index}].publicPath"
                key, other = ((path_key, "api.stageName") if len(service.public_path) >= len(config.api.stage_name)
                              else ("api.stageName", path_key))
                # The stage's name is the environment's unless the file names it.
                stage_from = ["environment"] if config.api.stage_name_key == "environment" else []
                raise fail(key, f"with {other} makes the ingress ALB's path pattern {pattern} ({len(pattern)} "
                                f"characters), more than a listener rule takes ({ALB_MAX_PATH_PATTERN})",
                           [other, *stage_from])
