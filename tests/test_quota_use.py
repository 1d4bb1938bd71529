"""The quotas config checks against (dataplane.quota_use, config.checks.check_tags) count what the program really builds:
the rules on each security group, the ALB's target groups, REST resources, a resource's tags, a task's groups."""
from __future__ import annotations

from collections import Counter

import pytest

from components import naming
from components.dataplane import quota_use
from components.tagging import BUSIEST_OWN_TAG_KEYS
from tests.conftest import parse, preview, raw_config, with_value

SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ECS_SERVICE = "aws:ecs/service:Service"


def _rules_by_group_name(result) -> dict[str, tuple[int, int]]:
    """(inbound, outbound) rules of every security group, by its Name tag."""
    names = {f"{g.name}-id": g.inputs["tags"]["Name"] for g in result.find(SG)}
    inbound = Counter(names[r.inputs["securityGroupId"]] for r in result.find(INGRESS))
    outbound = Counter(names[r.inputs["securityGroupId"]] for r in result.find(EGRESS))
    return {name: (inbound[name], outbound[name]) for name in names.values()}


def _tallies(config) -> dict[str, tuple[int, int]]:
    """quota_use's (inbound, outbound) per group, by the group it names."""
    counts: dict[str, dict[str, int]] = {}
    for tally in quota_use(config).rules:
        counts.setdefault(tally.group, {})[tally.direction] = tally.count
    return {group: (c["inbound"], c["outbound"]) for group, c in counts.items()}


def test_service_connect_counts_the_rules_it_builds(dev_sc_preview):
    config = parse(raw_config("dev"))
    built = _rules_by_group_name(dev_sc_preview)
    tallies = _tallies(config)
    for service in config.services:
        assert tallies[f"{service.name}'s security group"] == built[f"dev-{service.name}-sc"], service.name
    assert tallies["the ingress ALB's security group"] == built["dev-ingress-alb"] == (1, 3)
    groups = dev_sc_preview.find("aws:lb/targetGroup:TargetGroup")
    assert quota_use(config).alb_target_groups == (len(groups), "3 public services + 1 canary version")


# App Mesh opens one outbound rule per distinct port: with dev's services all on 8000 every count would be 1.
DISTINCT_PORTS = {"mesh.dataPlane": "appmesh", "services[3].port": 8080, "services[0].port": 8081}


def test_app_mesh_counts_the_rules_it_builds():
    result = preview("dev", config_overrides=[f"{path}={value}" for path, value in DISTINCT_PORTS.items()])
    raw = raw_config("dev")
    for path, value in DISTINCT_PORTS.items():
        with_value(raw, path, value)
    config = parse(raw)
    built = _rules_by_group_name(result)
    tallies = _tallies(config)
    for service in config.services:
        # One group per version, each with the service's rules.
        versions = [counts for name, counts in built.items() if name.startswith(f"dev-{service.name}-")]
        assert versions and set(versions) == {tallies[f"{service.name}'s security group"]}, service.name
    assert tallies["order-service's security group"][1] == 2  # payment-service on 8080, user-service on 8000
    assert tallies["the ingress gateway's security group"] == built["dev-ingress-gateway"]
    assert built["dev-ingress-gateway"][1] == 2  # user-service on 8081, order-service on 8000
    assert quota_use(config).alb_target_groups is None


@pytest.mark.parametrize("fixture", ["dev_sc_preview", "dev_appmesh_preview"])
def test_a_task_joins_as_many_groups_as_the_plane_says(fixture, request):
    result = request.getfixturevalue(fixture)
    plane = "appmesh" if "appmesh" in fixture else "serviceconnect"
    expected = quota_use(parse(with_value(raw_config("dev"), "mesh.dataPlane", plane))).task_security_groups
    joined = {len(s.inputs["networkConfiguration"]["securityGroups"]) for s in result.find(ECS_SERVICE)}
    assert joined == {expected}


def test_rest_resources_are_the_root_s_children_config_counts(dev_preview):
    from components.config import route_resource_paths

    config = parse(raw_config("dev"))
    built = dev_preview.find("aws:apigateway/resource:Resource")
    paths = [p for s in config.public_services for p in route_resource_paths(s.public_path)]
    assert len(built) == len(paths) == 6  # the root is AWS's, not a resource the program declares


def test_no_resource_carries_more_of_the_program_s_own_tags_than_config_counts(dev_preview):
    stack_tags = set(raw_config("dev")["tags"])
    own = [set(r.inputs.get("tags") or {}) - stack_tags for r in dev_preview.resources]
    assert max(own, key=len) == set(BUSIEST_OWN_TAG_KEYS)


def _registered_in(service, result) -> str:
    """The Cloud Map service an ECS service registers its tasks in: its Service Connect discovery name, or the name of
    its App Mesh registry (the Cloud Map service whose ARN it names)."""
    connect = service.inputs.get("serviceConnectConfiguration")
    if connect:
        return connect["services"][0]["discoveryName"]
    arn = service.inputs["serviceRegistries"]["registryArn"]
    [registry] = [r for r in result.find("aws:servicediscovery/service:Service") if r.state_struct["arn"] == arn]
    return registry.inputs["name"]


@pytest.mark.parametrize("fixture", ["dev_sc_preview", "dev_appmesh_preview"])
def test_cloud_map_instances_are_the_tasks_the_ecs_services_register(fixture, request):
    """Each service's tally is every ECS service registering in its Cloud Map service, at its autoscaling maximum and
    its deployment's maximum percent."""
    result = request.getfixturevalue(fixture)
    plane = "appmesh" if "appmesh" in fixture else "serviceconnect"
    config = parse(with_value(raw_config("dev"), "mesh.dataPlane", plane))
    most = {t.inputs["resourceId"].rsplit("/", 1)[1]: t.inputs["maxCapacity"]
            for t in result.find("aws:appautoscaling/target:Target")}
    registered: Counter = Counter()
    for service in result.find(ECS_SERVICE):
        if service.inputs.get("serviceConnectConfiguration") or service.inputs.get("serviceRegistries"):
            registered[_registered_in(service, result)] += (most[service.inputs["name"]]
                                                    * service.inputs["deploymentMaximumPercent"] // 100)
    # Keyed by the Cloud Map service's name: a Service Connect discovery name carries the environment.
    def cloud_map_name(service: str) -> str:
        return naming.service_connect_discovery_name(config.environment, service) if plane == "serviceconnect" \
            else service
    counted = {cloud_map_name(t.service.name): t.count for t in quota_use(config).cloud_map_instances}
    assert len(registered) == len(config.services)
    assert counted == dict(registered)


@pytest.mark.parametrize("fixture", ["dev_sc_preview", "dev_appmesh_preview"])
def test_iam_roles_are_the_roles_the_plane_always_makes(fixture, request):
    """The tally is each workload's task and execution roles and the plane's own (Service Connect's TLS role); the
    stack's optional roles (flow logs, canary shifts, late-caller restarts) are left out of it, a lower bound."""
    result = request.getfixturevalue(fixture)
    plane = "appmesh" if "appmesh" in fixture else "serviceconnect"
    config = parse(with_value(raw_config("dev"), "mesh.dataPlane", plane))
    always = [r for r in result.find("aws:iam/role:Role")
              if r.name.endswith(("-task", "-execution", "-service-connect-tls-infrastructure"))]
    assert quota_use(config).iam_roles[0] == len(always) == (9 if plane == "serviceconnect" else 12)
