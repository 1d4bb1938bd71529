"""Compute and observability layers, asserted on the real program's resources under the offline preview.

Every task definition's containerDefinitions JSON is parsed and checked against the mesh resources it
must agree with (virtual node ARN, listener port, TLS file paths, Cloud Map attributes), and every IAM
document against the exact ARNs of the resources it names.
"""
from __future__ import annotations

import json
import re

import pytest

from components import envoy, naming
from components.compute import APP_UID
from components.naming import ecr_repository_arn
from components.iam import secret_resource_arn
from components.config import FARGATE_MEMORY
from components.envoy import EnvoyMetrics, LogTarget, cert_init_container, resource_name_from_arn
from components.workload import ENVOY_UID, TlsFiles
from tests.conftest import assert_three_of_five_over, preview, program_with_stack, raw_config
from tools.preview import run_preview
from components.config import parse_config
from tools.mockrun import struct_to_plain

TD = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
NODE = "aws:appmesh/virtualNode:VirtualNode"
GATEWAY = "aws:appmesh/virtualGateway:VirtualGateway"
CLOUD_MAP = "aws:servicediscovery/service:Service"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SUBNET = "aws:ec2/subnet:Subnet"
VPC = "aws:ec2/vpc:Vpc"

# Actions with no resource-level permissions: the only ones allowed "*".
STAR_ACTIONS = {"ecr:GetAuthorizationToken", "logs:DescribeLogGroups", "cloudwatch:PutMetricData",
                "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
                "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"}


@pytest.fixture(scope="module", params=["dev", "prod"])
def stack(request, dev_appmesh_preview, prod_appmesh_preview):
    """(preview, config) for each stack."""
    result = dev_appmesh_preview if request.param == "dev" else prod_appmesh_preview
    config = parse_config(raw_config(request.param), f"Pulumi.{request.param}.yaml", "us-east-1")
    return Stack(result, config)


class Stack:
    def __init__(self, result, config):
        self.r = result
        self.config = config
        self.env = config.environment

    def state(self, resource) -> dict:
        return struct_to_plain(resource.state_struct)

    def arn(self, resource) -> str:
        return self.state(resource)["arn"]

    def id(self, resource) -> str:
        return self.state(resource)["id"] if "id" in self.state(resource) else f"{resource.name}-id"

    def by_urn(self, urn):
        return next(x for x in self.r.resources if x.urn == urn)

    def task_definitions(self) -> dict:
        """family -> (resource, containers by name)."""
        out = {}
        for td in self.r.find(TD):
            containers = json.loads(td.inputs["containerDefinitions"])
            out[td.inputs["family"]] = (td, {c["name"]: c for c in containers})
        return out

    def versions(self):
        for service in self.config.services:
            for version in service.versions:
                yield service, version, naming.task_family(self.env, service.name, version.name)

    def node_for_family(self, family):
        nodes = [n for n in self.r.find(NODE)
                 if n.inputs["spec"].get("serviceDiscovery", {}).get("awsCloudMap", {})
                 .get("attributes", {}).get("ECS_TASK_DEFINITION_FAMILY") == family]
        assert len(nodes) == 1, f"{len(nodes)} virtual nodes select family {family}"
        return nodes[0]

    def service_for_family(self, family):
        services = [s for s in self.r.find(SERVICE) if s.inputs.get("name") == family]
        assert len(services) == 1, f"{len(services)} ECS services named {family}"
        return services[0]

    def policy(self, role_resource_name: str) -> dict:
        return json.loads(self.r.get(ROLE_POLICY, role_resource_name).inputs["policy"])

    def sg_rules(self, kind, sg):
        sg_id = self.id(sg)
        return [x for x in self.r.find(kind) if x.inputs["securityGroupId"] == sg_id]

    def mesh_sg(self):
        return next(s for s in self.r.find(SG) if s.name.endswith("-mesh-members"))

    def api_clients_sg(self):
        return self.r.get(SG, f"{self.env}-egress-api-clients")

    def gateway_td(self):
        families = self.task_definitions()
        return families[f"{self.env}-ingress-gateway"]


def statements(policy: dict) -> list[dict]:
    return policy["Statement"]


def resources_of(policy: dict, action: str) -> list[str]:
    return [r for s in statements(policy) if action in s["Action"] for r in s["Resource"]]


# --------------------------------------------------------------------------------------------------
# Task definitions
# --------------------------------------------------------------------------------------------------


def test_every_version_runs_as_its_own_task_family_and_service(stack):
    families = stack.task_definitions()
    for service, version, family in stack.versions():
        td, containers = families[family]
        ecs_service = stack.service_for_family(family)
        assert ecs_service.inputs["taskDefinition"] == stack.arn(td)
        assert containers[envoy.APP]["image"] == version.image
    # The canary has its own task definition and service, distinct from v1's.
    v1, v2 = (naming.task_family(stack.env, "user-service", v) for v in ("v1", "v2"))
    assert families[v1][0].urn != families[v2][0].urn
    assert families[v2][1][envoy.APP]["image"].endswith("1.5.0-rc1")
    assert stack.service_for_family(v1).urn != stack.service_for_family(v2).urn


def test_task_definitions_are_fargate_awsvpc_sized_from_config(stack):
    families = stack.task_definitions()
    for service, _, family in stack.versions():
        td, containers = families[family]
        assert td.inputs["requiresCompatibilities"] == ["FARGATE"]
        assert td.inputs["networkMode"] == "awsvpc"
        # A replaced revision stays ACTIVE: it is what a failed deployment rolls back to.
        assert td.inputs["skipDestroy"] is True
        assert td.inputs["cpu"] == str(service.sizing.cpu)
        assert td.inputs["memory"] == str(service.sizing.memory)
        app = containers[envoy.APP]
        # Reservations of all containers fit the task (Fargate rejects the task definition otherwise).
        reserved = sum(c.get("memoryReservation") or c["memory"] for c in containers.values())
        assert reserved == service.sizing.memory
        assert app["memory"] == service.sizing.memory - envoy.SIDECAR_MEMORY_RESERVATION > 0


def test_proxy_configuration_matches_envoy_user_and_node_listener(stack):
    families = stack.task_definitions()
    for _, _, family in stack.versions():
        td, containers = families[family]
        proxy = td.inputs["proxyConfiguration"]
        node = stack.node_for_family(family)
        listener_port = node.inputs["spec"]["listeners"][0]["portMapping"]["port"]
        assert proxy["type"] == "APPMESH"
        assert proxy["containerName"] == envoy.ENVOY
        props = proxy["properties"]
        assert props["IgnoredUID"] == containers[envoy.ENVOY]["user"] == str(ENVOY_UID)
        assert props["ProxyIngressPort"] == "15000"
        assert props["ProxyEgressPort"] == "15001"
        assert props["AppPorts"] == str(listener_port)
        assert set(props["EgressIgnoredIPs"].split(",")) == {"169.254.170.2", "169.254.169.254"}
        assert containers[envoy.APP]["portMappings"] == [{"containerPort": listener_port, "protocol": "tcp"}]


def test_start_up_order(stack):
    for _, (_, containers) in stack.task_definitions().items():
        envoy_c, init = containers[envoy.ENVOY], containers[envoy.CERT_INIT]
        assert envoy_c["dependsOn"] == [{"containerName": envoy.CERT_INIT, "condition": "SUCCESS"}]
        assert init["essential"] is False and envoy_c["essential"] is True
        if envoy.APP in containers:
            assert containers[envoy.APP]["dependsOn"] == [{"containerName": envoy.ENVOY, "condition": "HEALTHY"}]
        # Nothing waits on itself or on a container that is not there.
        for c in containers.values():
            for d in c.get("dependsOn", []):
                assert d["containerName"] in containers and d["containerName"] != c["name"]


def test_envoy_serves_exactly_its_virtual_node(stack):
    families = stack.task_definitions()
    for _, _, family in stack.versions():
        _, containers = families[family]
        env = {e["name"]: e["value"] for e in containers[envoy.ENVOY]["environment"]}
        assert env["APPMESH_RESOURCE_ARN"] == stack.arn(stack.node_for_family(family))
        assert "APPMESH_VIRTUAL_NODE_NAME" not in env


def test_envoy_container(stack):
    for _, (_, containers) in stack.task_definitions().items():
        c = containers[envoy.ENVOY]
        # ECR Public has no VPC endpoint: the configured image is pulled through the account's cache rule.
        assert re.fullmatch(r"public\.ecr\.aws/appmesh/aws-appmesh-envoy:v[\d.]+-prod", stack.config.mesh.envoy_image)
        assert c["image"] == stack.config.mesh.envoy_image.replace(
            "public.ecr.aws/", f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{naming.ecr_public_cache_prefix(stack.env)}/")
        assert c["user"] == "1337"
        assert c["ulimits"] == [{"name": "nofile", "softLimit": 15000, "hardLimit": 15000}]
        assert c["healthCheck"]["command"] == [
            "CMD-SHELL", "curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"]
        assert c["healthCheck"]["startPeriod"] > 0
        env = {e["name"]: e["value"] for e in c["environment"]}
        assert env["ENABLE_ENVOY_XRAY_TRACING"] == env["ENABLE_ENVOY_STATS_TAGS"] == env["ENABLE_ENVOY_DOG_STATSD"] == "1"


def test_every_version_s_app_container_runs_its_service_s_health_check(stack):
    for service, _, family in stack.versions():
        app = stack.task_definitions()[family][1][envoy.APP]
        assert app["healthCheck"]["command"] == [
            "CMD-SHELL", f"curl -fsS http://localhost:{service.port}{service.health_check_path} || exit 1"]
        assert (app["healthCheck"]["interval"], app["healthCheck"]["startPeriod"]) == (30, 30)
    gateway = stack.gateway_td()[1]
    assert "healthCheck" in gateway[envoy.ENVOY] and envoy.APP not in gateway


def test_every_container_is_hardened_and_logs_to_its_own_group(stack):
    for family, (td, containers) in stack.task_definitions().items():
        volumes = {v["name"] for v in td.inputs["volumes"]}
        for c in containers.values():
            assert c["readonlyRootFilesystem"] is True, (family, c["name"])
            assert c["logConfiguration"]["logDriver"] == "awslogs"
            assert c["logConfiguration"]["options"]["awslogs-group"].endswith(f"/{c['name']}")
            assert "memory" in c
            for mount in c.get("mountPoints", []):
                assert mount["sourceVolume"] in volumes
            if c["name"] != envoy.CERT_INIT:
                assert c["user"] not in ("0", "root")
        # Sidecars that must bypass Envoy run as its uid; the app must not (its traffic would skip Envoy).
        for name in (envoy.XRAY_DAEMON, envoy.CLOUDWATCH_AGENT):
            assert containers[name]["user"] == str(ENVOY_UID)
        if envoy.APP in containers:
            assert containers[envoy.APP]["user"] == str(APP_UID) != str(ENVOY_UID)


def test_tls_files_the_node_names_are_the_files_cert_init_writes(stack):
    families = stack.task_definitions()
    for _, _, family in stack.versions():
        _, containers = families[family]
        tls = stack.node_for_family(family).inputs["spec"]["listeners"][0]["tls"]
        named = {tls["certificate"]["file"]["certificateChain"], tls["certificate"]["file"]["privateKey"],
                 tls["validation"]["trust"]["file"]["certificateChain"]}
        script = containers[envoy.CERT_INIT]["command"][-1]
        written = set(re.findall(r"> (\S+)", script))
        assert named == written
        # Envoy sees them read-only on the same volume, at the same directory.
        envoy_mounts = {m["containerPath"]: m for m in containers[envoy.ENVOY]["mountPoints"]}
        init_mounts = {m["sourceVolume"]: m for m in containers[envoy.CERT_INIT]["mountPoints"]}
        for path in named:
            directory = path.rsplit("/", 1)[0]
            assert envoy_mounts[directory]["readOnly"] is True
            assert init_mounts[envoy_mounts[directory]["sourceVolume"]]["containerPath"] == directory


def test_cert_init_reads_the_workload_secret_through_secrets(stack):
    families = stack.task_definitions()
    for service, _, family in stack.versions():
        _, containers = families[family]
        secret = stack.arn(stack.r.get("aws:secretsmanager/secret:Secret",
                                       f"{stack.env}-certificates-{service.name}"))
        # Pinned to the secret's current version where the mesh layer hands one over (rotation rolls tasks).
        version = stack.state(stack.r.get("aws:secretsmanager/secretVersion:SecretVersion",
                                          f"{stack.env}-certificates-{service.name}")).get("versionId", "")
        init = containers[envoy.CERT_INIT]
        assert {s["valueFrom"] for s in init["secrets"]} == {f"{secret}:{k}::{version}"
                                                             for k in ("cert_chain", "key", "ca_bundle")}
        assert "environment" not in init
        assert init["user"] == "0"  # the one root step: Fargate volumes start root-owned (see envoy.py)


def test_app_secrets_come_from_secrets_never_environment(stack):
    families = stack.task_definitions()
    for service, _, family in stack.versions():
        app = families[family][1][envoy.APP]
        assert {s["name"]: s["valueFrom"] for s in app["secrets"]} == dict(service.secrets)
        assert not set(service.secrets) & {e["name"] for e in app["environment"]}
    payment = families[naming.task_family(stack.env, "payment-service", "v1")][1][envoy.APP]
    assert [s["name"] for s in payment["secrets"]] == ["PAYMENT_PROVIDER_API_KEY"]


# --------------------------------------------------------------------------------------------------
# IAM
# --------------------------------------------------------------------------------------------------


def test_star_only_where_no_arn_exists(stack):
    ours = [p for p in stack.r.find(ROLE_POLICY)
            if p.parent and any(t in p.parent for t in ("compute:MeshedService", "gateway:IngressGateway"))]
    # A task and an execution role policy per service version and for the gateway.
    assert len(ours) == 2 * (len(list(stack.versions())) + 1)
    for policy in ours:
        for s in statements(json.loads(policy.inputs["policy"])):
            if "*" in s["Resource"]:
                assert s["Resource"] == ["*"] and set(s["Action"]) <= STAR_ACTIONS, (policy.name, s)
            assert not any(a.endswith(":*") for a in s["Action"]), (policy.name, s)


def test_task_roles_are_scoped_to_their_node(stack):
    families = stack.task_definitions()
    for service, version, family in stack.versions():
        name = f"{service.name}-{version.name}"
        td, _ = families[family]
        policy = stack.policy(f"{name}-task")
        assert resources_of(policy, "appmesh:StreamAggregatedResources") == [stack.arn(stack.node_for_family(family))]
        metrics = next(s for s in statements(policy) if "cloudwatch:PutMetricData" in s["Action"])
        assert metrics["Condition"] == {"StringEquals": {"cloudwatch:namespace": f"{stack.env}/Envoy"}}
        assert "xray:PutTraceSegments" in {a for s in statements(policy) for a in s["Action"]}
        assert td.inputs["taskRoleArn"] == stack.arn(stack.r.get(ROLE, f"{name}-task"))
        assert td.inputs["executionRoleArn"] == stack.arn(stack.r.get(ROLE, f"{name}-execution"))
        exec_actions = resources_of(policy, "ssmmessages:OpenDataChannel")
        assert bool(exec_actions) == stack.config.enable_execute_command
        if stack.config.enable_execute_command:
            # Session transcripts: streams are written in the exec group; DescribeLogStreams is authorized on the
            # group itself, so its grant names the group (`:*`), not a stream.
            [group] = [stack.arn(g) for g in stack.r.find(LOG_GROUP) if g.inputs["name"] == f"/{stack.env}/ecs/exec"]
            assert resources_of(policy, "logs:PutLogEvents") == [f"{group}:log-stream:*"]
            assert resources_of(policy, "logs:DescribeLogStreams") == [f"{group}:*"]


def test_execution_roles_are_scoped_to_their_task(stack):
    families = stack.task_definitions()
    groups = {g.inputs["name"]: g for g in stack.r.find(LOG_GROUP)}
    for service, version, family in stack.versions():
        _, containers = families[family]
        policy = stack.policy(f"{service.name}-{version.name}-execution")
        task_groups = {c["logConfiguration"]["options"]["awslogs-group"] for c in containers.values()}
        assert sorted(resources_of(policy, "logs:PutLogEvents")) == sorted(
            f"{stack.arn(groups[g])}:log-stream:*" for g in task_groups)
        secret = stack.arn(stack.r.get("aws:secretsmanager/secret:Secret", f"{stack.env}-certificates-{service.name}"))
        assert sorted(resources_of(policy, "secretsmanager:GetSecretValue")) == sorted(
            [secret, *(secret_resource_arn(v) for v in service.secrets.values())])
        mirror = f"arn:aws:ecr:us-east-1:123456789012:repository/{naming.ecr_public_cache_prefix(stack.env)}/*"
        assert sorted(resources_of(policy, "ecr:BatchGetImage")) == sorted([mirror, ecr_repository_arn(version.image)])
        assert resources_of(policy, "ecr:BatchImportUpstreamImage") == resources_of(policy, "ecr:CreateRepository") \
            == [mirror]
        # Every image the task pulls is in the app's repository or under the mirror's prefix.
        for c in containers.values():
            repository = ecr_repository_arn(c["image"])
            assert repository == ecr_repository_arn(version.image) or repository.startswith(mirror[:-1]), c["image"]


# --------------------------------------------------------------------------------------------------
# Network
# --------------------------------------------------------------------------------------------------


def test_service_security_groups(stack):
    mesh_sg = stack.id(stack.mesh_sg())
    assert not stack.sg_rules(INGRESS, stack.mesh_sg()) and not stack.sg_rules(EGRESS, stack.mesh_sg())
    ports = {s.name: s.port for s in stack.config.services}
    private = sorted(stack.id(s) for s in stack.r.find(SUBNET) if "private" in s.name)
    for service, version, family in stack.versions():
        ecs_service = stack.service_for_family(family)
        sg = stack.r.get(SG, f"{service.name}-{version.name}")
        assert "ingress" not in sg.inputs and "egress" not in sg.inputs
        network = ecs_service.inputs["networkConfiguration"]
        assert network["securityGroups"] == [stack.id(sg), mesh_sg, stack.id(stack.api_clients_sg())]
        assert network["assignPublicIp"] is False
        assert sorted(network["subnets"]) == private
        ingress = stack.sg_rules(INGRESS, sg)
        assert [(r.inputs.get("referencedSecurityGroupId"), r.inputs["fromPort"], r.inputs["toPort"],
                 r.inputs.get("cidrIpv4")) for r in ingress] == [(mesh_sg, service.port, service.port, None)]
        egress = stack.sg_rules(EGRESS, sg)
        to_mesh = sorted(r.inputs["fromPort"] for r in egress if r.inputs.get("referencedSecurityGroupId") == mesh_sg)
        assert to_mesh == sorted({ports[c] for c in service.calls})
        # AWS APIs go through the shared API-clients group: only declared externals reach the internet.
        to_world = sorted(r.inputs["fromPort"] for r in egress if r.inputs.get("cidrIpv4") == "0.0.0.0/0")
        assert to_world == sorted({stack.config.external(e).port for e in service.externals})
        assert len(egress) == len(to_mesh) + len(to_world)
        for rule in ingress + egress:
            assert rule.inputs["ipProtocol"] == "tcp" and rule.inputs["fromPort"] == rule.inputs["toPort"]


def test_cloud_map_registration_selects_only_its_version(stack):
    cloud_map = {c.inputs["name"]: c for c in stack.r.find(CLOUD_MAP)}
    families = dict(stack.task_definitions())
    for service, _, family in stack.versions():
        registry = stack.service_for_family(family).inputs["serviceRegistries"]
        assert registry == {"registryArn": stack.arn(cloud_map[service.name])}
        node = stack.node_for_family(family)
        assert node.inputs["spec"]["serviceDiscovery"]["awsCloudMap"]["serviceName"] == service.name
        # ECS tags each instance with the task family; exactly one task definition has that family.
        assert families[family][0].inputs["family"] == family
    # v1 and the canary share the Cloud Map service but not the family the nodes select.
    v1, v2 = (stack.service_for_family(naming.task_family(stack.env, "user-service", v)) for v in ("v1", "v2"))
    assert v1.inputs["serviceRegistries"] == v2.inputs["serviceRegistries"]
    assert stack.node_for_family(naming.task_family(stack.env, "user-service", "v1")).urn != \
        stack.node_for_family(naming.task_family(stack.env, "user-service", "v2")).urn


def test_deployment_settings(stack):
    for service, _, family in stack.versions():
        s = stack.service_for_family(family)
        assert s.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
        assert s.inputs["deploymentMinimumHealthyPercent"] == 100
        assert s.inputs["deploymentMaximumPercent"] == 200
        assert s.inputs["desiredCount"] == service.sizing.desired_count
        assert s.inputs["launchType"] == "FARGATE" and s.inputs["platformVersion"] == "LATEST"
        assert s.inputs["propagateTags"] == "SERVICE"
        assert s.inputs["enableExecuteCommand"] is stack.config.enable_execute_command
        assert s.ignore_changes == ["desiredCount"]
        # Tasks start only once their roles can act: Envoy's config stream needs the task role policy.
        role_policies = {p.urn for p in stack.r.find("aws:iam/rolePolicy:RolePolicy") if p.parent == s.parent}
        assert len(role_policies) == 2 and role_policies <= set(s.dependencies), family


def test_autoscaling(stack):
    cluster = stack.r.find("aws:ecs/cluster:Cluster")[0]
    targets = {t.inputs["resourceId"]: t for t in stack.r.find("aws:appautoscaling/target:Target")}
    policies = {p.inputs["resourceId"]: p for p in stack.r.find("aws:appautoscaling/policy:Policy")}
    for service, _, family in stack.versions():
        resource_id = f"service/{cluster.inputs['name']}/{family}"
        target = targets[resource_id]
        scaling = service.sizing.autoscaling
        assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (scaling.min_capacity, scaling.max_capacity)
        assert target.inputs["scalableDimension"] == "ecs:service:DesiredCount"
        policy = policies[resource_id]
        tracking = policy.inputs["targetTrackingScalingPolicyConfiguration"]
        assert policy.inputs["policyType"] == "TargetTrackingScaling"
        assert tracking["predefinedMetricSpecification"]["predefinedMetricType"] == "ECSServiceAverageCPUUtilization"
        assert tracking["targetValue"] == scaling.cpu_target_percent
        # Out within a minute of a breach; in only after five, so a burst does not make the count flap.
        assert (tracking["scaleOutCooldown"], tracking["scaleInCooldown"]) == (60, 300)
    gateway_target = targets[f"service/{cluster.inputs['name']}/{stack.env}-ingress-gateway"]
    assert gateway_target.inputs["maxCapacity"] == stack.config.sizing.autoscaling.max_capacity


def test_cluster_and_log_groups(stack):
    cluster = stack.r.find("aws:ecs/cluster:Cluster")[0]
    assert {"name": "containerInsights", "value": "enabled"} in cluster.inputs["settings"]
    exec_config = cluster.inputs.get("configuration", {}).get("executeCommandConfiguration")
    if stack.config.enable_execute_command:
        assert exec_config["logging"] == "OVERRIDE"
        assert exec_config["logConfiguration"] == {"cloudWatchLogGroupName": f"/{stack.env}/ecs/exec",
                                                   "cloudWatchEncryptionEnabled": True}
    else:
        assert cluster.inputs["configuration"] == {"executeCommandConfiguration": {"logging": "DEFAULT"}}
    key = stack.r.get("aws:kms/key:Key", f"{stack.env}-compute-logs")
    assert key.protect is stack.config.protect and key.inputs["enableKeyRotation"] is True
    # Kept wherever the service groups below are: a kept group whose key is deleted cannot be read.
    assert key.retain_on_delete is stack.config.protect
    key_policy = json.loads(key.inputs["policy"])
    # CloudWatch Logs may use the key for this environment's ECS groups only, not every group in the region.
    (logs,) = [s for s in key_policy["Statement"] if s["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}]
    assert logs["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                             f"arn:aws:logs:us-east-1:123456789012:log-group:/{stack.env}/ecs/*"}}
    used = {c["logConfiguration"]["options"]["awslogs-group"]
            for _, containers in stack.task_definitions().values() for c in containers.values()}
    groups = {g.inputs["name"]: g for g in stack.r.find(LOG_GROUP)}
    for name in used | ({f"/{stack.env}/ecs/exec"} if stack.config.enable_execute_command else set()):
        group = groups[name]
        assert group.inputs["kmsKeyId"] == stack.arn(key)
        assert group.inputs["retentionInDays"] == stack.config.sizing.log_retention_days
        assert group.inputs["deletionProtectionEnabled"] is stack.config.protect
        # Named after a service (or ECS Exec): protect would refuse the update that removes it; its logs stay.
        assert (group.protect, group.retain_on_delete) == (False, stack.config.protect)


def test_turning_ecs_exec_off_says_so_to_ecs_and_keeps_a_protected_stacks_session_logs(prod_preview):
    """The provider leaves the cluster's `configuration` out of UpdateCluster once the block is gone, so ECS kept
    logging sessions to a group the same update deleted, and every later preview showed the block removed."""
    on = preview("prod", config_overrides=["enableExecuteCommand=true"])
    (off_cluster,), (on_cluster,) = (result.find("aws:ecs/cluster:Cluster") for result in (prod_preview, on))
    assert off_cluster.inputs["configuration"] == {"executeCommandConfiguration": {"logging": "DEFAULT"}}
    assert on_cluster.inputs["configuration"]["executeCommandConfiguration"]["logging"] == "OVERRIDE"
    # Prod is protected: the update turning exec off keeps the group rather than being refused by protect.
    (group,) = [g for g in on.find(LOG_GROUP) if g.inputs["name"] == "/prod/ecs/exec"]
    assert (group.protect, group.retain_on_delete, group.inputs["deletionProtectionEnabled"]) == (False, True, True)
    assert not [g for g in prod_preview.find(LOG_GROUP) if g.inputs["name"] == "/prod/ecs/exec"]


# --------------------------------------------------------------------------------------------------
# Ingress gateway
# --------------------------------------------------------------------------------------------------


def test_gateway_runs_envoy_alone_as_the_virtual_gateway(stack):
    td, containers = stack.gateway_td()
    assert "proxyConfiguration" not in td.inputs
    assert envoy.APP not in containers
    gateway = stack.r.find(GATEWAY)[0]
    port = gateway.inputs["spec"]["listeners"][0]["portMapping"]["port"]
    assert port == stack.config.mesh.gateway_port
    env = {e["name"]: e["value"] for e in containers[envoy.ENVOY]["environment"]}
    assert env["APPMESH_RESOURCE_ARN"] == stack.arn(gateway)
    assert containers[envoy.ENVOY]["portMappings"] == [{"containerPort": port, "protocol": "tcp"}]
    tls = gateway.inputs["spec"]["listeners"][0]["tls"]
    assert {tls["certificate"]["file"]["certificateChain"], tls["certificate"]["file"]["privateKey"]} <= \
        set(re.findall(r"> (\S+)", containers[envoy.CERT_INIT]["command"][-1]))
    policy = stack.policy(f"{stack.env}-ingress-gateway-task")
    assert resources_of(policy, "appmesh:StreamAggregatedResources") == [stack.arn(gateway)]


def test_gateway_behind_an_internal_nlb(stack):
    lb = stack.r.find("aws:lb/loadBalancer:LoadBalancer")[0]
    tg = stack.r.find("aws:lb/targetGroup:TargetGroup")[0]
    listener = stack.r.find("aws:lb/listener:Listener")[0]
    port = stack.config.mesh.gateway_port
    private = sorted(stack.id(s) for s in stack.r.find(SUBNET) if "private" in s.name)
    assert lb.inputs["loadBalancerType"] == "network" and lb.inputs["internal"] is True
    assert lb.inputs["enableCrossZoneLoadBalancing"] is True
    assert sorted(lb.inputs["subnets"]) == private
    # Explicit short names: auto-names (`<resource name>-<7 chars>`) of these logical names pass the 32
    # characters Elastic Load Balancing allows, and the provider refuses them before the first `up`.
    assert (lb.inputs["name"], tg.inputs["name"]) == (f"{stack.env}-ingress", f"{stack.env}-ingress-envoy")
    assert len(f"{tg.name}-1234567") > 32
    assert (tg.inputs["targetType"], tg.inputs["protocol"], tg.inputs["port"]) == ("ip", "TCP", port)
    # The NLB's own addresses reach the tasks, which is what the gateway's rule admitting the VPC CIDR lets in
    # (client addresses kept, it would have to admit every caller of the API's VPC link).
    assert tg.inputs["preserveClientIp"] == "false"
    assert tg.inputs["healthCheck"]["protocol"] == "TCP" and tg.inputs["healthCheck"]["port"] == "traffic-port"
    assert (listener.inputs["protocol"], listener.inputs["port"]) == ("TCP", port)
    assert listener.inputs["loadBalancerArn"] == stack.arn(lb)
    assert listener.inputs["defaultActions"] == [{"type": "forward", "targetGroupArn": stack.arn(tg)}]
    service = stack.service_for_family(f"{stack.env}-ingress-gateway")
    assert service.inputs["loadBalancers"] == [{"targetGroupArn": stack.arn(tg), "containerName": envoy.ENVOY,
                                                "containerPort": port}]
    assert "serviceRegistries" not in service.inputs
    assert listener.urn in service.dependencies
    # NLB health checks must not kill tasks while Envoy is still fetching its config.
    assert service.inputs["healthCheckGracePeriodSeconds"] == 60


def test_gateway_security_group_admits_the_nlb_and_reaches_public_services(stack):
    sg = stack.r.get(SG, f"{stack.env}-ingress-gateway")
    vpc_cidr = stack.r.find(VPC)[0].inputs["cidrBlock"]
    port = stack.config.mesh.gateway_port
    ingress = stack.sg_rules(INGRESS, sg)
    assert [(r.inputs.get("cidrIpv4"), r.inputs["fromPort"]) for r in ingress] == [(vpc_cidr, port)]
    mesh_sg = stack.id(stack.mesh_sg())
    to_mesh = {r.inputs["fromPort"] for r in stack.sg_rules(EGRESS, sg)
               if r.inputs.get("referencedSecurityGroupId") == mesh_sg}
    assert to_mesh == {s.port for s in stack.config.public_services}
    # Envoy reaches the App Mesh control plane, ECR, Logs and X-Ray through the API-clients group (VPC
    # endpoints); the gateway itself has no route to the internet.
    assert [r.inputs for r in stack.sg_rules(EGRESS, sg) if "referencedSecurityGroupId" not in r.inputs] == []
    network = stack.service_for_family(f"{stack.env}-ingress-gateway").inputs["networkConfiguration"]
    assert network["securityGroups"] == [stack.id(sg), mesh_sg, stack.id(stack.api_clients_sg())]


# --------------------------------------------------------------------------------------------------
# Observability
# --------------------------------------------------------------------------------------------------


def _alarms(stack) -> dict:
    return {a.inputs["name"]: a for a in stack.r.find(ALARM)}


def test_no_invented_app_mesh_namespace_anywhere(stack):
    for resource in stack.r.resources:
        assert "AWS/AppMesh" not in json.dumps(resource.inputs), resource.name


def test_ecs_alarms_per_service_version(stack):
    alarms = _alarms(stack)
    topics = {t.inputs["name"]: stack.arn(t) for t in stack.r.find("aws:sns/topic:Topic")}
    cluster = stack.r.find("aws:ecs/cluster:Cluster")[0].inputs["name"]
    for service, version, family in stack.versions():
        label = f"{stack.env}-{service.name}-{version.name}"
        dims = {"ClusterName": cluster, "ServiceName": family}
        cpu, memory = alarms[f"{label}-cpu-high"], alarms[f"{label}-memory-high"]
        assert (cpu.inputs["namespace"], cpu.inputs["metricName"], cpu.inputs["dimensions"]) == \
            ("AWS/ECS", "CPUUtilization", dims)
        assert (memory.inputs["namespace"], memory.inputs["metricName"]) == ("AWS/ECS", "MemoryUtilization")
        # Averages over 90 % (CPU) and 85 % (memory) for 5 minutes; a service with no task reports nothing, which
        # is no pressure (missing data that were breaching would open a ticket for every scaled-in service).
        for alarm, threshold in ((cpu, 90), (memory, 85)):
            assert (alarm.inputs["statistic"], alarm.inputs["period"], alarm.inputs["threshold"],
                    alarm.inputs["comparisonOperator"], alarm.inputs["evaluationPeriods"],
                    alarm.inputs["treatMissingData"]) == (
                "Average", 60, threshold, "GreaterThanThreshold", 5, "missing")
        tasks = alarms[f"{label}-tasks-below-desired"]
        queries = {q["id"]: q for q in tasks.inputs["metricQueries"]}
        assert queries["running"]["metric"]["namespace"] == "ECS/ContainerInsights"
        assert queries["running"]["metric"]["metricName"] == "RunningTaskCount"
        assert queries["desired"]["metric"]["metricName"] == "DesiredTaskCount"
        assert queries["running"]["metric"]["dimensions"] == dims
        # A service with no running task publishes no count: none is read as 0 running.
        assert queries["missing"]["expression"] == "desired - FILL(running, 0)" and queries["missing"]["returnData"]
        # Pressure is a ticket; missing tasks page, and so do counts that stop (none at all for a service with no
        # task, perhaps); a new alarm's first INSUFFICIENT_DATA notifies no one.
        for alarm, severity in ((cpu, "ticket"), (memory, "ticket"), (tasks, "page")):
            assert alarm.inputs["alarmActions"] == [topics[f"{stack.env}-alarms-{severity}"]]
        assert tasks.inputs["treatMissingData"] == "missing"
        assert tasks.inputs["insufficientDataActions"] == [topics[f"{stack.env}-alarms-page"]]
        assert "insufficientDataActions" not in cpu.inputs and "insufficientDataActions" not in memory.inputs


def test_envoy_alarms_per_virtual_node(stack):
    alarms = _alarms(stack)
    m = EnvoyMetrics(stack.env)
    for service, version, family in stack.versions():
        label = f"{stack.env}-{service.name}-{version.name}"
        # Envoy tags stats with the node name it reads from APPMESH_RESOURCE_ARN.
        node = resource_name_from_arn(stack.arn(stack.node_for_family(family)))
        rate = alarms[f"{label}-envoy-5xx-rate"]
        queries = {q["id"]: q for q in rate.inputs["metricQueries"]}
        assert queries["errors"]["metric"]["namespace"] == f"{stack.env}/Envoy"
        assert queries["errors"]["metric"]["dimensions"] == {m.NODE: node, m.DIRECTION: "ingress", m.CODE_CLASS: "5"}
        assert queries["requests"]["metric"]["dimensions"] == {m.NODE: node, m.DIRECTION: "ingress"}
        # alarms.rate_expression, one metric a side: a quiet minute (no requests) is 0 %.
        assert queries["rate"]["expression"] == "IF(requests > 0, 100 * errors / requests, 0)"
        assert set(queries) == {"errors", "requests", "rate"}
        p99 = alarms[f"{label}-envoy-p99-latency"]
        assert (p99.inputs["namespace"], p99.inputs["metricName"], p99.inputs["extendedStatistic"]) == \
            (f"{stack.env}/Envoy", m.REQUEST_TIME, "p99")
        assert p99.inputs["dimensions"] == {m.NODE: node, m.DIRECTION: "ingress"}
        assert_three_of_five_over(rate.inputs, stack.config.alarms.five_xx_rate_percent)
        assert_three_of_five_over(p99.inputs, stack.config.alarms.p99_latency_ms)


def test_the_agent_publishes_the_dimension_sets_the_alarms_read(stack):
    m = EnvoyMetrics(stack.env)
    agent_rollups = []
    for _, (_, containers) in stack.task_definitions().items():
        env = {e["name"]: e["value"] for e in containers[envoy.CLOUDWATCH_AGENT]["environment"]}
        agent = json.loads(env["CW_CONFIG_CONTENT"])
        assert agent["metrics"]["namespace"] == f"{stack.env}/Envoy"
        assert agent["agent"]["omit_hostname"] is True
        statsd = agent["metrics"]["metrics_collected"]["statsd"]
        # Envoy's names as the alarms read them (envoy.http...): the agent joins a name's parts with "_" unless told.
        assert statsd["metric_separator"] == "." and m.REQUESTS == "envoy.http.downstream_rq_total"
        agent_rollups.append({tuple(sorted(r)) for r in agent["metrics"]["aggregation_dimensions"]})
    assert agent_rollups
    # Every task's agent must publish each dimension set an alarm reads, not just one of them.
    rollups = set.intersection(*agent_rollups)
    for alarm in _alarms(stack).values():
        dims = [alarm.inputs.get("dimensions")] + [q.get("metric", {}).get("dimensions")
                                                  for q in alarm.inputs.get("metricQueries", [])]
        namespaces = [alarm.inputs.get("namespace")] + [q.get("metric", {}).get("namespace")
                                                       for q in alarm.inputs.get("metricQueries", [])]
        for ns, d in zip(namespaces, dims):
            if ns == m.namespace:
                assert tuple(sorted(d)) in rollups, alarm.name


def test_nlb_alarms(stack):
    alarms = _alarms(stack)
    lb = stack.state(stack.r.find("aws:lb/loadBalancer:LoadBalancer")[0])
    tg = stack.state(stack.r.find("aws:lb/targetGroup:TargetGroup")[0])
    unhealthy = alarms[f"{stack.env}-ingress-gateway-nlb-unhealthy-hosts"]
    assert (unhealthy.inputs["namespace"], unhealthy.inputs["metricName"]) == ("AWS/NetworkELB", "UnHealthyHostCount")
    assert unhealthy.inputs["dimensions"] == {"LoadBalancer": lb["arnSuffix"], "TargetGroup": tg["arnSuffix"]}
    assert unhealthy.inputs["comparisonOperator"] == "GreaterThanThreshold" and unhealthy.inputs["threshold"] == 0
    assert "insufficientDataActions" not in unhealthy.inputs
    # No healthy target pages, and so does the metric stopping: a target group with no target publishes nothing.
    none = alarms[f"{stack.env}-ingress-gateway-nlb-no-healthy-hosts"]
    assert (none.inputs["namespace"], none.inputs["metricName"], none.inputs["dimensions"]) == (
        "AWS/NetworkELB", "HealthyHostCount", unhealthy.inputs["dimensions"])
    assert (none.inputs["comparisonOperator"], none.inputs["threshold"], none.inputs["treatMissingData"]) == (
        "LessThanThreshold", 1, "missing")
    assert none.inputs["insufficientDataActions"] == none.inputs["alarmActions"]


def test_alarm_topics(stack):
    topics = {t.inputs["name"]: t for t in stack.r.find("aws:sns/topic:Topic")}
    assert set(topics) == {f"{stack.env}-alarms-page", f"{stack.env}-alarms-ticket"}
    key = stack.r.get("aws:kms/key:Key", f"{stack.env}-observability-alarms")
    assert all(t.inputs["kmsMasterKeyId"] == stack.arn(key) for t in topics.values())
    assert key.protect is stack.config.protect
    # CloudWatch may use the key to publish this account's alarms only (confused deputy).
    (alarms,) = [s for s in json.loads(key.inputs["policy"])["Statement"]
                 if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert alarms == {"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow",
                      "Principal": {"Service": "cloudwatch.amazonaws.com"},
                      "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
                      "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}
    subscriptions = stack.r.find("aws:sns/topicSubscription:TopicSubscription")
    emails = [s for s in subscriptions if s.inputs["protocol"] == "email"]
    # The on-call email hears both; only the paging topic reaches the pager.
    assert sorted(s.inputs["topic"] for s in emails) == sorted(stack.arn(t) for t in topics.values())
    assert all(s.inputs["endpoint"] == stack.config.alarms.email for s in emails)
    pagers = [s for s in subscriptions if s.inputs["protocol"] == "https"]
    if stack.config.alarms.pager_endpoint is not None:
        (pager,) = pagers
        assert pager.inputs["topic"] == stack.arn(topics[f"{stack.env}-alarms-page"])
        # The pager URL stays a secret all the way into the resource inputs.
        assert set(pager.inputs["endpoint"]) == {"secret"}
    else:
        assert pagers == []


def test_dashboard(stack):
    body = json.loads(stack.r.find("aws:cloudwatch/dashboard:Dashboard")[0].inputs["dashboardBody"])
    metrics = [m for w in body["widgets"] if w["type"] == "metric" for m in w["properties"]["metrics"]]
    api = [m for m in metrics if m[0] == "AWS/ApiGateway"]
    assert api and all(m[2:6] == ["ApiName", naming.api_name(stack.env), "Stage", stack.config.api.stage_name]
                       for m in api)
    assert {m[1] for m in api} >= {"Count", "4XXError", "5XXError", "Latency"}
    services = {m[5] for m in metrics if m[0] == "AWS/ECS"}
    assert services == {f for _, _, f in stack.versions()} | {f"{stack.env}-ingress-gateway"}
    alarm_widget = next(w for w in body["widgets"] if w["type"] == "alarm")
    # Every alarm of the stack: the API's too, which its layer makes after the dashboard.
    assert sorted(alarm_widget["properties"]["alarms"]) == sorted(stack.arn(a) for a in stack.r.find(ALARM))
    assert any(a.inputs["name"] == f"{naming.api_name(stack.env)}-5xx-rate" for a in stack.r.find(ALARM))
    for w in body["widgets"]:
        assert 0 <= w["x"] and w["x"] + w["width"] <= 24


def test_a_stack_without_a_public_service_has_no_api_on_its_dashboard_or_in_its_queries(tmp_path):
    """No service is public, so there is no REST API: no empty API graphs, no queries over a log that never exists."""
    import yaml

    def private(text: str) -> str:
        doc = yaml.safe_load(text)
        config = doc["config"]
        for service in config["service-mesh-platform:services"]:
            service.pop("publicPath", None)
            service.pop("queryParameters", None)
        api = config["service-mesh-platform:api"]
        api.pop("consumers")
        api["usagePlans"][2].pop("methodThrottles")
        return yaml.safe_dump(doc)

    result = run_preview("dev", program_with_stack(tmp_path, "dev", private))
    assert result.error is None
    assert result.find("aws:apigateway/restApi:RestApi") == []
    body = json.loads(result.find("aws:cloudwatch/dashboard:Dashboard")[0].inputs["dashboardBody"])
    namespaces = {m[0] for w in body["widgets"] if w["type"] == "metric" for m in w["properties"]["metrics"]}
    assert "AWS/ECS" in namespaces and "AWS/ApiGateway" not in namespaces
    title = next(w for w in body["widgets"] if w["type"] == "text")["properties"]["markdown"]
    assert "API Gateway" not in title and "No public API: services." in title
    queries = {q.inputs["name"] for q in result.find("aws:cloudwatch/queryDefinition:QueryDefinition")}
    assert queries == {"dev/errors-by-service"}


# --------------------------------------------------------------------------------------------------
# Builders on their own
# --------------------------------------------------------------------------------------------------


def test_resource_name_from_a_real_app_mesh_arn():
    assert resource_name_from_arn("arn:aws:appmesh:us-east-1:111122223333:mesh/dev-mesh/virtualNode/user-service-v2") \
        == "user-service-v2"
    assert resource_name_from_arn("arn:aws:appmesh:us-east-1:111122223333:mesh/dev-mesh/virtualGateway/ingress-gateway") \
        == "ingress-gateway"


def test_cert_init_refuses_files_outside_the_certificate_volume():
    files = TlsFiles(private_key="/etc/other/key.pem")
    with pytest.raises(ValueError, match="/etc/other/key.pem is not inside the certificate volume"):
        cert_init_container(secret_arn="arn:aws:secretsmanager:us-east-1:111122223333:secret:x", files=files,
                            logs=LogTarget("g", "us-east-1", "p"), scratch=())


def test_arn_helpers():
    assert ecr_repository_arn("111122223333.dkr.ecr.us-east-1.amazonaws.com/ecommerce/user-service:1.4.2") == \
        "arn:aws:ecr:us-east-1:111122223333:repository/ecommerce/user-service"
    assert ecr_repository_arn("public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod") is None
    assert secret_resource_arn("arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf:key::") == \
        "arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf"
    assert secret_resource_arn("arn:aws:ssm:us-east-1:1:parameter/x") == "arn:aws:ssm:us-east-1:1:parameter/x"
    # A partial ARN (no random suffix) matches no secret in IAM as written: the suffix's wildcard is added.
    assert secret_resource_arn("arn:aws:secretsmanager:us-east-1:1:secret:prod/db") == \
        "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????"
    assert secret_resource_arn("arn:aws:secretsmanager:us-east-1:1:secret:prod/db:password::") == \
        "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????"


def test_every_fargate_size_leaves_the_app_memory():
    smallest = min(min(memory) for memory in FARGATE_MEMORY.values())
    assert smallest - envoy.SIDECAR_MEMORY_RESERVATION >= 256


@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_task_memory_must_hold_the_data_planes_share_and_the_app(plane, monkeypatch):
    """A sidecar or proxy that grows past what the task can give is a one-line config error, not a task
    definition whose app gets too little memory (or that ECS cannot place)."""
    from components.config import ConfigError
    from components.dataplane.appmesh import AppMeshWiring
    from components.dataplane.serviceconnect import ServiceConnectWiring
    from tests.conftest import parse, raw_config, with_value

    raw = with_value(raw_config("dev"), "mesh.dataPlane", plane)
    parse(raw)  # today's sizes fit
    wiring = {"serviceconnect": ServiceConnectWiring, "appmesh": AppMeshWiring}[plane]
    monkeypatch.setattr(wiring, "reserved_memory", 800)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == (f"Pulumi.dev.yaml: sizing.memory: 1024 MiB leaves the app 224 MiB after the {plane} "
                                 f"data plane's 800 MiB (sidecars and proxy headroom); it needs at least 256")
    raw = with_value(with_value(raw_config("dev"), "mesh.dataPlane", plane), "services[2].sizing",
                     {"cpu": 256, "memory": 512})
    monkeypatch.setattr(wiring, "reserved_memory", 300)
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: services\[2\].sizing.memory: 512 MiB leaves the app "
                                          r"212 MiB"):
        parse(raw)


def test_the_smallest_fargate_task_holds_either_planes_share_and_the_app():
    from components.dataplane import APP_MIN_MEMORY
    from components.dataplane.appmesh import AppMeshWiring
    from components.dataplane.serviceconnect import ServiceConnectWiring

    smallest = min(min(memory) for memory in FARGATE_MEMORY.values())
    for wiring in (AppMeshWiring, ServiceConnectWiring):
        assert smallest - wiring.reserved_memory >= APP_MIN_MEMORY


def test_a_services_own_log_retention_applies_to_its_log_groups():
    result = preview("dev", config_overrides=["services[1].sizing.logRetentionDays=30"])
    assert result.error is None, result.error
    retention = {g.inputs["name"]: g.inputs["retentionInDays"] for g in result.find(LOG_GROUP)
                 if g.inputs["name"].startswith("/dev/ecs/")}
    assert {name: days for name, days in retention.items() if "/product-service-sc/" in name} == {
        f"/dev/ecs/product-service-sc/{kind}": 30 for kind in ("app", "proxy", "volume-init", "xray-daemon")}
    assert {days for name, days in retention.items() if "/product-service-sc/" not in name} == {14}


@pytest.mark.parametrize("fixture", ["dev_sc_preview", "prod_sc_preview", "dev_appmesh_preview",
                                     "prod_appmesh_preview"])
def test_ecs_assumes_a_workloads_roles_only_for_this_accounts_tasks(fixture, request):
    """Confused deputy: the task role carries the conditions AWS documents for it; the execution role, for which
    AWS documents none, the same ones checked only when ECS sends them (so no task fails to start)."""
    result = request.getfixturevalue(fixture)
    account, source = "123456789012", "arn:aws:ecs:us-east-1:123456789012:*"
    arns = {struct_to_plain(r.state_struct)["arn"]: r for r in result.find(ROLE)}
    seen = []
    for td in result.find(TD):
        for key, suffix in (("taskRoleArn", ""), ("executionRoleArn", "IfExists")):
            role = arns[td.inputs[key]]
            [trust] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
            assert trust == {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                             "Action": "sts:AssumeRole",
                             "Condition": {f"StringEquals{suffix}": {"aws:SourceAccount": account},
                                           f"ArnLike{suffix}": {"aws:SourceArn": source}}}, (td.name, key)
            seen.append(role.name)
    # Every role ECS tasks may assume is one of a task definition's two, each used once.
    assert sorted(seen) == sorted(r.name for r in result.find(ROLE)
                                  if "ecs-tasks.amazonaws.com" in r.inputs["assumeRolePolicy"])


KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_secrets_under_a_customer_key_are_decrypted_through_their_services_only(plane, tmp_path):
    """A secret under a customer managed key needs kms:Decrypt on the execution role (AWS managed keys need no
    grant): only on the listed keys, and only as Secrets Manager or SSM in the secrets' regions."""
    parameter = "arn:aws:ssm:eu-west-1:111122223333:parameter/dev/payment-provider-region"

    def edit(text: str) -> str:
        text = text.replace("      secrets:\n        PAYMENT_PROVIDER_API_KEY:",
                            f"      secretsKmsKeys: [{KEY_ARN}]\n      secrets:\n"
                            f"        PAYMENT_PROVIDER_REGION: {parameter}\n        PAYMENT_PROVIDER_API_KEY:")
        # A parameter in another region is reachable through NAT only, without the endpoints.
        text = text.replace("    endpoints: true\n", "    endpoints: false\n")
        return text.replace("dataPlane: serviceconnect", f"dataPlane: {plane}")

    result = run_preview("dev", program_with_stack(tmp_path, "dev", edit))
    assert result.error is None, result.error
    policies = {r.name: json.loads(r.inputs["policy"]) for r in result.find(ROLE_POLICY)
                if r.name.endswith("-execution")}
    granted = {name: [s for s in p["Statement"] if "kms:Decrypt" in s["Action"]] for name, p in policies.items()}
    payment = {name: grants for name, grants in granted.items() if "payment" in name}
    assert payment and all(grants == [{
        "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [KEY_ARN], "Sid": "InjectedSecretsKeys",
        "Condition": {"StringEquals": {"kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com",
                                                          "ssm.eu-west-1.amazonaws.com"]}}}]
        for grants in payment.values()), payment
    # No other workload's execution role may decrypt with it.
    assert not any(grants for name, grants in granted.items() if "payment" not in name)


def test_a_partial_secret_arn_is_granted_with_the_suffix_wildcard(tmp_path):
    """ECS reads a secret by a partial ARN (the name without Secrets Manager's random suffix), but IAM would match
    that ARN to no secret and the task would fail to start: the execution role names it with `-??????`."""
    full = "arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payment-provider-key-AbCdEf"
    partial = full.removesuffix("-AbCdEf")
    result = run_preview("dev", program_with_stack(tmp_path, "dev", lambda text: text.replace(full, partial)))
    assert result.error is None, result.error
    [td] = [t for t in result.find(TD) if "payment" in t.name]
    app = next(c for c in json.loads(td.inputs["containerDefinitions"]) if c.get("secrets"))
    assert app["secrets"] == [{"name": "PAYMENT_PROVIDER_API_KEY", "valueFrom": partial}]
    [policy] = [json.loads(r.inputs["policy"]) for r in result.find(ROLE_POLICY)
                if r.name.endswith("-execution") and "payment" in r.name]
    [grant] = [s for s in policy["Statement"] if s.get("Sid") == "InjectedSecrets"]
    assert f"{partial}-??????" in grant["Resource"] and partial not in grant["Resource"]
