"""The Service Connect data plane, asserted on the real program's resources under the offline preview.

Every ECS service's Service Connect block, every task definition, the TLS trio (Private CA, ECS
infrastructure role, KMS key), the call-graph security groups and the alarms are checked against the
stack config they come from, for dev and prod.
"""
from __future__ import annotations

import json
import re
from collections import Counter

import pulumi
import pytest

from components import envoy, naming
from components.config import ConfigError, ServiceTimeouts
from components.dataplane.restarts import restart_role_chars
from components.dataplane.serviceconnect import TLS_ROLE_POLICY, deployment_order, late_callees
from tests.conftest import (DELETE, ROOT, assert_three_of_five_over, dev_raw_config, lambda_handler, parse, preview,
                            program_with_stack, raw_config, with_value)
from tools.preview import run_preview
from components.config import parse_config

TD = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
CLUSTER = "aws:ecs/cluster:Cluster"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
CA = "aws:acmpca/certificateAuthority:CertificateAuthority"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace"
TG = "aws:lb/targetGroup:TargetGroup"
LB = "aws:lb/loadBalancer:LoadBalancer"


class Stack:
    def __init__(self, name, result):
        self.name = name
        self.r = result
        self.config = parse_config(with_value(raw_config(name), "mesh.dataPlane", "serviceconnect"),
                                   f"Pulumi.{name}.yaml", "us-east-1")
        self.env = self.config.environment

    def one(self, type_, name):
        return self.r.get(type_, name)

    def service(self, name):
        return self.one(SERVICE, f"{self.env}-{name}-sc")

    def target_group(self, service, alternate=False, key="arn"):
        """The mocks' ARN (or `arnSuffix`, CloudWatch's TargetGroup dimension) of a public service's target
        group, or of its canary's second one."""
        return self.one(TG, f"{self.env}-ingress-{service}{'-alt' if alternate else ''}").state_struct[key]

    def containers(self, name):
        return json.loads(self.one(TD, f"{self.env}-{name}-sc").inputs["containerDefinitions"])

    def group_owner(self):
        """Security group id → service name (mock ids are `<logical name>-id`)."""
        return {f"{r.name}-id": r.name[len(self.env) + 1:-len("-sc")] for r in self.r.find(SG)
                if r.name.endswith("-sc")}


@pytest.fixture(scope="module", params=["dev", "prod"])
def stack(request, dev_sc_preview, prod_sc_preview):
    return Stack(request.param, dev_sc_preview if request.param == "dev" else prod_sc_preview)


def test_no_app_mesh_and_one_service_connect_service_per_service(stack):
    assert not [r for r in stack.r.resources if r.type.startswith("aws:appmesh/")]
    services = stack.r.find(SERVICE)
    assert sorted(s.inputs["name"] for s in services) == sorted(
        naming.service_connect_family(stack.env, s.name) for s in stack.config.services)
    for s in services:
        assert s.inputs["serviceConnectConfiguration"]["enabled"] is True
        assert "serviceRegistries" not in s.inputs  # Service Connect registers the service itself


def test_namespace_is_an_http_namespace_and_the_clusters_default(stack):
    namespace = stack.one(NAMESPACE, f"{stack.env}-namespace")
    assert namespace.inputs["name"] == f"sc.{stack.env}.ecommerce.local"
    cluster = stack.r.find(CLUSTER)[0]
    # Cloud Map's ARN names the namespace's id (`ns-...`; the mocks' `<name>-id`).
    namespace_arn = f"arn:aws:servicediscovery:us-east-1:123456789012:namespace/{stack.env}-namespace-id"
    assert cluster.inputs["serviceConnectDefaults"] == {"namespace": namespace_arn}
    for s in stack.r.find(SERVICE):
        assert s.inputs["serviceConnectConfiguration"]["namespace"] == namespace_arn


def test_each_service_connect_block_matches_the_config(stack):
    prefix = f"arn:aws:{{}}:us-east-1:123456789012:{{}}/{stack.env}-service-connect-tls-"
    ca = stack.one(CA, f"{stack.env}-service-connect-tls-ca")
    tls_role = stack.one(ROLE, f"{stack.env}-service-connect-tls-infrastructure")
    assert ca.state_struct["arn"].startswith("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/")
    for service in stack.config.services:
        connect = stack.service(service.name).inputs["serviceConnectConfiguration"]
        [entry] = connect["services"]
        # The discovery name carries the environment: it is the TargetDiscoveryName the alarms read, which sums
        # every series of that name in the account and region (dev's and prod's share both).
        assert entry["portName"] == service.name and entry["discoveryName"] == f"{stack.env}-{service.name}"
        [alias] = entry["clientAlias"]
        # The name apps already call, on the port they already use: no app change.
        assert alias["dnsName"] == f"{service.name}.{stack.env}.ecommerce.local"
        assert alias["port"] == service.port
        assert entry["timeout"] == {"idleTimeoutSeconds": service.timeouts.idle_ms // 1000,
                                    "perRequestTimeoutSeconds": service.timeouts.per_request_ms // 1000}
        assert entry["tls"] == {
            "issuerCertAuthority": {"awsPcaAuthorityArn": ca.state_struct["arn"]},
            # IAM is global: a role's ARN names no region. The role is left unnamed: pulumi-aws auto-names it.
            "roleArn": "arn:aws:iam::123456789012:role/" + tls_role.inputs["name"],
            "kmsKey": prefix.format("kms", "key") + "key-id",  # key/<key id>
        }
        assert connect["logConfiguration"] == {"logDriver": "awslogs", "options": {
            "awslogs-group": f"/{stack.env}/ecs/{service.name}-sc/proxy", "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": f"{service.name}-proxy"}}
        assert connect["accessLogConfiguration"] == {"format": "JSON", "includeQueryParameters": "DISABLED"}


def test_task_definitions_name_the_port_and_carry_no_proxy_of_their_own(stack):
    for service in stack.config.services:
        td = stack.one(TD, f"{stack.env}-{service.name}-sc")
        assert "proxyConfiguration" not in td.inputs
        assert td.inputs["family"] == f"{stack.env}-{service.name}-sc"
        containers = {c["name"]: c for c in stack.containers(service.name)}
        assert set(containers) == {envoy.APP, envoy.VOLUME_INIT, envoy.XRAY_DAEMON}
        assert not [c for c in containers.values() if "appmesh" in c["image"] or "envoy" in c["image"]]
        assert containers[envoy.APP]["portMappings"] == [
            {"name": service.name, "containerPort": service.port, "protocol": "tcp", "appProtocol": "http"}]
        # Every container's hard limit and the proxy's headroom fit the task.
        total = sum(c["memory"] for c in containers.values())
        assert total + 64 <= service.sizing.memory


def test_every_app_container_runs_its_service_s_health_check_and_only_the_app(stack):
    for service in stack.config.services:
        check = service.container_health_check
        containers = {c["name"]: c for c in stack.containers(service.name)}
        # Interval, timeout and retries always (AWS reads them back); startPeriod only when on (off is AWS's default).
        assert containers[envoy.APP]["healthCheck"] == {
            "command": ["CMD-SHELL", f"curl -fsS http://localhost:{service.port}{service.health_check_path} || exit 1"],
            "interval": check.interval_seconds, "timeout": check.timeout_seconds, "retries": check.retries,
            "startPeriod": 30}
        assert [name for name, c in containers.items() if "healthCheck" in c] == [envoy.APP]


def test_a_start_period_of_zero_is_left_out():
    result = preview("dev", config_overrides=["containerHealthCheck.startPeriodSeconds=0"])
    app = json.loads(result.get(TD, "dev-payment-service-sc").inputs["containerDefinitions"])[0]
    assert app["healthCheck"] == {"command": ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"],
                                  "interval": 30, "timeout": 5, "retries": 3}


def test_without_a_health_check_the_pack_flags_exactly_the_service_no_load_balancer_checks(tmp_path):
    def drop_check(text: str) -> str:
        start = text.index("  service-mesh-platform:containerHealthCheck:")
        end = text.index("  service-mesh-platform:", start + 1)
        return text[:start] + text[end:]

    program = program_with_stack(tmp_path, "prod", drop_check)
    result = run_preview("prod", program, ROOT / "policies", ROOT / "policies" / "config" / "prod.json")
    assert result.error is None, result.error
    assert [(v.policy, v.name, v.enforcement_level) for v in result.violations] == [
        ("ecs-service-container-health-check", "prod-payment-service-sc", "mandatory")]


def test_tls_private_ca_role_and_key(stack):
    [ca] = stack.r.find(CA)
    assert ca.inputs["tags"]["AmazonECSManaged"] == "true"
    assert ca.inputs["usageMode"] == "SHORT_LIVED_CERTIFICATE" and ca.inputs["type"] == "ROOT"
    assert ca.protect is stack.config.protect
    # Deleted, it stays restorable for 7 days, the least AWS allows.
    assert ca.inputs["permanentDeletionTimeInDays"] == 7
    # The root CA signs its own certificate (from its CSR) and installs it: ten years, the root template.
    cert = stack.one("aws:acmpca/certificate:Certificate", f"{stack.env}-service-connect-tls-ca")
    assert {k: cert.inputs[k] for k in ("templateArn", "validity", "signingAlgorithm")} == {
        "templateArn": "arn:aws:acm-pca:::template/RootCACertificate/V1", "validity": {"type": "YEARS", "value": "10"},
        "signingAlgorithm": "SHA256WITHRSA"}
    assert cert.property_dependencies["certificateAuthorityArn"] == cert.property_dependencies[
        "certificateSigningRequest"] == [ca.urn]
    installed = stack.one("aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate",
                          f"{stack.env}-service-connect-tls-ca")
    assert installed.property_dependencies["certificate"] == installed.property_dependencies["certificateChain"] == [
        cert.urn]
    role = stack.one(ROLE, f"{stack.env}-service-connect-tls-infrastructure")
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust == [{"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    attachment = stack.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                           f"{stack.env}-service-connect-tls-infrastructure")
    assert attachment.inputs["policyArn"] == TLS_ROLE_POLICY
    key = stack.one(KEY, f"{stack.env}-service-connect-tls-key")
    statements = {s["Sid"]: s for s in json.loads(key.inputs["policy"])["Statement"]}
    role_arn = f"arn:aws:iam::123456789012:role/{role.inputs['name']}"  # auto-named: the program gives none
    assert re.fullmatch(rf"{re.escape(role.name)}-[0-9a-f]{{7}}", role.inputs["name"])  # pulumi-aws's auto-name
    assert statements["ServiceConnectTlsRole"]["Principal"] == {"AWS": role_arn}
    assert sorted(statements["ServiceConnectTlsRole"]["Action"]) == [
        "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyPair"]
    assert key.inputs["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"


def test_services_wait_for_the_tls_trio_so_it_is_deleted_after_them(stack):
    attachment_urn = stack.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                               f"{stack.env}-service-connect-tls-infrastructure").urn
    activation_urn = stack.one("aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate",
                               f"{stack.env}-service-connect-tls-ca").urn
    for s in stack.r.find(SERVICE):
        assert attachment_urn in s.dependencies and activation_urn in s.dependencies


def test_app_task_roles_may_never_read_service_connect_tls_keys(stack):
    for service in stack.config.services:
        policy = json.loads(stack.one(ROLE_POLICY, f"{stack.env}-{service.name}-sc-task").inputs["policy"])
        denies = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
        assert denies == [{"Sid": "NeverServiceConnectTlsKeys", "Effect": "Deny",
                           "Action": ["secretsmanager:GetSecretValue"],
                           "Resource": ["arn:aws:secretsmanager:*:*:secret:ecs-sc!*"]}]
        assert not any("appmesh:" in a for s in policy["Statement"] for a in s["Action"])


def test_security_groups_encode_the_call_graph_exactly(stack):
    owner = stack.group_owner()
    ports = {s.name: s.port for s in stack.config.services}
    expected_in, expected_out = Counter(), Counter()
    for service in stack.config.services:
        for callee in service.calls:
            expected_in[(callee, service.name, ports[callee])] += 1
            expected_out[(service.name, callee, ports[callee])] += 1
    ingress = Counter((owner[r.inputs["securityGroupId"]], owner[r.inputs["referencedSecurityGroupId"]],
                       r.inputs["fromPort"]) for r in stack.r.find(INGRESS)
                      if r.inputs["securityGroupId"] in owner and "referencedSecurityGroupId" in r.inputs
                      and r.inputs["referencedSecurityGroupId"] in owner)
    egress = Counter((owner[r.inputs["securityGroupId"]], owner[r.inputs["referencedSecurityGroupId"]],
                      r.inputs["fromPort"]) for r in stack.r.find(EGRESS)
                     if r.inputs["securityGroupId"] in owner and r.inputs.get("referencedSecurityGroupId") in owner)
    assert ingress == expected_in
    assert egress == expected_out
    for rule in stack.r.find(INGRESS) + stack.r.find(EGRESS):
        if rule.inputs["securityGroupId"] in owner:
            assert rule.inputs["fromPort"] == rule.inputs["toPort"] and rule.inputs["ipProtocol"] == "tcp"
    # No service admits anything from a CIDR.
    assert not [r for r in stack.r.find(INGRESS) if r.inputs["securityGroupId"] in owner and "cidrIpv4" in r.inputs]


CALLS_USER = "      calls: [payment-service, user-service]\n"
USER_CANARY_HEADER = '          headerMatch:\n            name: x-canary\n            exact: "true"\n'


def without_user_canary_header(text: str) -> str:
    """dev's stack file without user-service's canary header rule, which config refuses once nothing calls it."""
    assert text.count(CALLS_USER) == 0 and text.count(USER_CANARY_HEADER) == 1
    return text.replace(USER_CANARY_HEADER, "")


def test_a_service_nobody_calls_admits_no_service(tmp_path):
    """Every service of dev and prod is someone's callee, so this needs a stack where one is not: without
    order-service's call, nobody calls user-service."""
    def drop_call(text: str) -> str:
        return without_user_canary_header(text.replace(CALLS_USER, "      calls: [payment-service]\n", 1))

    result = run_preview("dev", program_with_stack(tmp_path, "dev", drop_call), None, None)
    assert result.error is None, result.error
    groups = {r.name: f"{r.name}-id" for r in result.find(SG) if r.name.endswith("-sc")}
    sources = {name: sorted(r.inputs["referencedSecurityGroupId"] for r in result.find(INGRESS)
                            if r.inputs["securityGroupId"] == group
                            and r.inputs.get("referencedSecurityGroupId") in groups.values())
               for name, group in groups.items()}
    assert sources["dev-user-service-sc"] == []
    assert sources["dev-product-service-sc"] == ["dev-user-service-sc-id"]  # user-service still calls it


def test_callees_are_deployed_before_their_callers(stack):
    urns = {s.name: stack.service(s.name).urn for s in stack.config.services}
    order = [s.name for s in deployment_order(stack.config)]
    for service in stack.config.services:
        deps = set(stack.service(service.name).dependencies)
        for callee in service.calls:
            if order.index(callee) < order.index(service.name):
                assert urns[callee] in deps
            else:  # a cycle's back edge: no dependency, or Pulumi could never order them
                assert urns[callee] not in deps


def test_a_caller_declared_before_its_callee_is_deployed_again_once_the_callee_exists(stack):
    """user-service and order-service call each other: order-service is declared, and its tasks start, before
    user-service's endpoint exists, which those tasks can never resolve (AWS's Service Connect deployment guide).
    An invocation after both services deploys order-service again, and again whenever user-service's endpoint
    changes."""
    assert late_callees(stack.config) == {"order-service": ("user-service",)}
    (invocation,) = stack.r.find("aws:lambda/invocation:Invocation")
    assert invocation.name == f"{stack.env}-late-callers-order-service"
    assert json.loads(invocation.inputs["input"]) == {"cluster": f"{stack.env}-mesh",
                                                      "service": f"{stack.env}-order-service-sc"}
    assert invocation.inputs["triggers"] == {"lateCallees": _endpoints(stack.config, ["user-service"])}
    assert {stack.service("order-service").urn, stack.service("user-service").urn} <= set(invocation.dependencies)
    function = stack.one("aws:lambda/function:Function", f"{stack.env}-late-callers-function-function")
    assert invocation.inputs["functionName"] == function.inputs["name"] == f"{stack.env}-sc-restart-service"
    assert function.inputs["code"]["assets"]["handler.py"]["path"].endswith("lambdas/restart_service/handler.py")
    assert "reservedConcurrentExecutions" not in function.inputs  # exempted in the stacks' policy configs
    # Past the handler's worst case (20 s of IAM refusals, then a call that hangs on each attempt).
    assert function.inputs["timeout"] > lambda_handler("restart_service").WORST_CASE_SECONDS
    # Ending the cycle deletes the function: its log group is kept where the stack protects, never protected.
    logs = stack.one("aws:cloudwatch/logGroup:LogGroup", f"{stack.env}-late-callers-function-logs")
    assert logs.inputs["name"] == f"/aws/lambda/{stack.env}-sc-restart-service" and not logs.protect
    assert logs.retain_on_delete is stack.config.protect is (stack.env == "prod")
    # Its role may redeploy exactly the late caller.
    policy = json.loads(stack.one(ROLE_POLICY, f"{stack.env}-late-callers-function-role").inputs["policy"])
    (restart,) = [s for s in policy["Statement"] if s.get("Sid") == "RestartLateCallers"]
    assert restart["Action"] == ["ecs:UpdateService"]
    assert restart["Resource"] == [stack.service("order-service").state_struct["arn"]]


def test_a_call_graph_without_cycles_restarts_nothing(tmp_path):
    # order-service no longer calls user-service (user -> product -> order -> user was dev's cycle).
    raw = with_value(dev_raw_config(), "services[2].calls", ["payment-service"])
    with_value(raw, "services[0].versions[1].headerMatch", DELETE)
    config = parse_config(with_value(raw, "mesh.dataPlane", "serviceconnect"), "Pulumi.dev.yaml", "us-east-1")
    assert late_callees(config) == {}

    def acyclic(text: str) -> str:
        assert text.count(CALLS_USER) == 1
        return without_user_canary_header(text.replace(CALLS_USER, "      calls: [payment-service]\n"))

    result = run_preview("dev", program_with_stack(tmp_path, "dev", acyclic), None, None,
                         config_overrides=["mesh.dataPlane=serviceconnect"])
    assert result.error is None, result.error
    assert result.find(SERVICE) and not result.find("aws:lambda/invocation:Invocation")
    assert not result.find("aws:lambda/function:Function")


def _endpoints(config, names) -> str:
    """A caller's trigger: each callee's discovery name, client alias and protocol, as its proxy learned them."""
    return ",".join(f"{config.environment}-{c}={c}.{config.namespace}:{config.service(c).port}/"
                    f"{config.service(c).protocol}" for c in sorted(names))


def test_a_change_of_callees_redeploys_the_caller(stack):
    """Running tasks cannot reach a callee created after they started: the callees are a redeploy trigger."""
    for service in stack.config.services:
        inputs = stack.service(service.name).inputs
        assert inputs["forceNewDeployment"] is True
        assert inputs.get("triggers") == ({"callees": _endpoints(stack.config, service.calls)} if service.calls
                                          else None)


def _triggers(result) -> dict:
    return {r.inputs["name"].removeprefix("dev-").removesuffix("-sc"): r.inputs.get("triggers")
            for r in result.find(SERVICE)}


def test_a_new_callee_changes_its_callers_trigger_and_only_theirs(tmp_path, dev_sc_preview):
    def add_callee(text: str) -> str:
        # product-service calls order-service; it now calls a new service too.
        calls = "      calls: [order-service]\n"
        assert calls in text
        text = text.replace(calls, "      calls: [order-service, review-service]\n", 1)
        anchor = "  service-mesh-platform:services:\n"
        return text.replace(anchor, anchor + "    - name: review-service\n      image: 111122223333.dkr.ecr.us-east-1."
                                             "amazonaws.com/ecommerce/review-service:1.0.0\n      port: 8000\n"
                                             "      calls: []\n", 1)

    result = run_preview("dev", program_with_stack(tmp_path, "dev", add_callee), None, None)
    assert result.error is None, result.error
    before, after = _triggers(dev_sc_preview), _triggers(result)
    assert after["product-service"] == {
        "callees": "dev-order-service=order-service.dev.ecommerce.local:8000/http,"
                   "dev-review-service=review-service.dev.ecommerce.local:8000/http"}
    assert after["review-service"] is None
    assert {k: v for k, v in after.items() if k not in ("product-service", "review-service")} == {
        k: v for k, v in before.items() if k != "product-service"}


def test_a_callees_new_port_redeploys_its_callers_and_only_theirs(dev_sc_preview):
    """A caller's proxy keeps the callee's client alias port it started with; the old port's security group rule
    is deleted at the end of the update. So the callers redeploy, after the callee (whose ECS service they depend
    on), and pick up the new port."""
    # payment-service (services[3], port 8000) is called by order-service only.
    result = preview("dev", config_overrides=["mesh.dataPlane=serviceconnect", "services[3].port=8080"])
    before, after = _triggers(dev_sc_preview), _triggers(result)
    callee = "dev-payment-service=payment-service.dev.ecommerce.local"
    assert before["order-service"]["callees"].startswith(f"{callee}:8000/")
    assert after["order-service"]["callees"].startswith(f"{callee}:8080/")
    assert {k: v for k, v in after.items() if k != "order-service"} == {
        k: v for k, v in before.items() if k != "order-service"}
    order = result.get(SERVICE, "dev-order-service-sc")
    assert result.get(SERVICE, "dev-payment-service-sc").urn in order.dependencies
    # And its security group rules follow: the caller sends to, and the callee admits from it, the new port.
    egress = [r for r in result.find("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
              if r.inputs.get("referencedSecurityGroupId") == "dev-payment-service-sc-id"]
    ingress = [r for r in result.find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
               if r.inputs.get("securityGroupId") == "dev-payment-service-sc-id"
               and r.inputs.get("referencedSecurityGroupId") == "dev-order-service-sc-id"]
    assert [(r.inputs["securityGroupId"], r.inputs["fromPort"], r.inputs["toPort"]) for r in egress] == [
        ("dev-order-service-sc-id", 8080, 8080)]
    assert [(r.inputs["fromPort"], r.inputs["toPort"]) for r in ingress] == [(8080, 8080)]


def test_a_services_new_protocol_replaces_its_ecs_service_deleting_it_first(dev_sc_preview, dev_appmesh_preview):
    """ECS: appProtocol "is immutable in a Service Connect service. Updating this field requires a service deletion
    and redeployment". It is on the task definition, which updates in place, so the service carries it as its
    replacement trigger; a replacement deletes first (the name and discovery name are the service's own)."""
    # payment-service (services[3]) is called by order-service only.
    result = preview("dev", config_overrides=["mesh.dataPlane=serviceconnect", "services[3].protocol=grpc"])
    for preview_, protocol in ((dev_sc_preview, "http"), (result, "grpc")):
        services = {s.name: s for s in preview_.find(SERVICE)}
        assert {s.replacement_trigger for n, s in services.items() if n != "dev-payment-service-sc"} == {
            "appProtocol=http"}
        assert services["dev-payment-service-sc"].replacement_trigger == f"appProtocol={protocol}"
        assert {s.delete_before_replace for s in services.values()} == {True}
        mapping, = json.loads(preview_.get(TD, "dev-payment-service-sc").inputs["containerDefinitions"])[0][
            "portMappings"]
        assert mapping["appProtocol"] == protocol
    assert _triggers(result)["order-service"]["callees"].startswith(
        "dev-payment-service=payment-service.dev.ecommerce.local:8000/grpc")
    # App Mesh sets no appProtocol: nothing to replace on, but its names are fixed too.
    meshed = dev_appmesh_preview.find(SERVICE)
    assert meshed and {(s.replacement_trigger, s.delete_before_replace) for s in meshed} == {(None, True)}


def test_a_second_version_is_a_canary_deployment_with_a_test_traffic_header(stack):
    for service in stack.config.services:
        inputs = stack.service(service.name).inputs
        # A public service also rolls back on what its load balancer's clients saw.
        names = [f"{stack.env}-{service.name}-5xx-rate",
                 *([f"{stack.env}-{service.name}-alb-5xx-rate"] if service.public_path else [])]
        assert inputs["alarms"] == {"alarmNames": names, "enable": True, "rollback": True}
        [alias] = inputs["serviceConnectConfiguration"]["services"][0]["clientAlias"]
        canary = service.canary_version
        if canary is None:
            assert inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
            # Said outright: an omitted block keeps whatever strategy the service had (a removed canary's).
            assert inputs["deploymentConfiguration"] == {"strategy": "ROLLING"} and "testTrafficRules" not in alias
            assert stack.containers(service.name)[0]["image"] == service.image
            continue
        assert inputs["deploymentConfiguration"] == {
            "strategy": "CANARY", "bakeTimeInMinutes": "15",
            "canaryConfiguration": {"canaryPercent": float(canary.weight), "canaryBakeTimeInMinutes": "10"}}
        # Rolling updates only, and turned off outright: the provider would keep a removed block's breaker on.
        assert inputs["deploymentCircuitBreaker"] == {"enable": False, "rollback": False}
        assert alias["testTrafficRules"] == [{"header": {"name": "x-canary", "value": {"exact": "true"}}}]
        assert stack.containers(service.name)[0]["image"] == canary.image


def test_deployment_alarms_exist_under_the_names_services_roll_back_on(stack):
    names = {a.inputs["name"] for a in stack.r.find(ALARM)}
    for s in stack.r.find(SERVICE):
        assert set(s.inputs["alarms"]["alarmNames"]) <= names


def test_alarms_watch_what_service_connect_publishes(stack):
    alarms = {a.name: a.inputs for a in stack.r.find(ALARM)}
    for service in stack.config.services:
        rate = alarms[f"{stack.env}-observability-{service.name}-5xx-rate"]
        queries = {q["id"]: q for q in rate["metricQueries"]}
        assert queries["errors"]["metric"]["namespace"] == "AWS/ECS"
        assert queries["errors"]["metric"]["metricName"] == "HTTPCode_Target_5XX_Count"
        target = {"TargetDiscoveryName": f"{stack.env}-{service.name}"}
        assert queries["errors"]["metric"]["dimensions"] == target
        # Over every answer the same callers saw (RequestCount, keyed by the service's own DiscoveryName, also
        # counts the ALB's requests, which would dilute a failure only mesh callers see).
        # The 5xx count is read once, as the errors and as one of the answers.
        answers = [queries[i]["metric"] for i in ("requests0", "requests1", "requests2", "errors")]
        assert [(a["namespace"], a["metricName"], a["dimensions"]) for a in answers] == [
            ("AWS/ECS", f"HTTPCode_Target_{code}XX_Count", target) for code in "2345"]
        assert set(queries) == {"requests0", "requests1", "requests2", "errors", "rate"}
        total = "(FILL(requests0, 0) + FILL(requests1, 0) + FILL(requests2, 0) + FILL(errors, 0))"
        assert queries["rate"]["expression"] == f"IF({total} > 0, 100 * errors / {total}, 0)"
        p99 = alarms[f"{stack.env}-observability-{service.name}-p99-latency"]
        assert (p99["namespace"], p99["metricName"], p99["extendedStatistic"], p99["dimensions"]) == (
            "AWS/ECS", "TargetResponseTime", "p99", target)
        assert_three_of_five_over(rate, stack.config.alarms.five_xx_rate_percent)
        assert_three_of_five_over(p99, stack.config.alarms.p99_latency_ms)
    assert not [a for a in alarms.values() if "Envoy" in (a.get("namespace") or "")]


# --------------------------------------------------------------------------------------------------
# What Service Connect cannot express is a config error
# --------------------------------------------------------------------------------------------------


def _sc(raw: dict) -> dict:
    return with_value(raw, "mesh.dataPlane", "serviceconnect")


@pytest.mark.parametrize("path, value, message", [
    ("services[1].retry", {"maxRetries": 3},
     "Pulumi.dev.yaml: services[1].retry: Service Connect's retries are fixed by AWS (2 retries, the second on "
     "another host); remove it, or use mesh.dataPlane: appmesh"),
    ("services[1].outlierDetection", {"maxServerErrors": 3},
     "Pulumi.dev.yaml: services[1].outlierDetection: Service Connect's outlier detection is fixed by AWS"),
    ("services[1].connectionPool", {"maxConnections": 10},
     "Pulumi.dev.yaml: services[1].connectionPool: Service Connect has no connection pools"),
    ("services[0].versions[2]", {"name": "v3", "weight": 0, "image": "repo/x:1"},
     "Pulumi.dev.yaml: services[0].versions[2]: Service Connect runs a service and at most one canary version"),
    ("services[0].versions[1].headerMatch", {"name": "x-canary", "prefix": "tr"},
     "Pulumi.dev.yaml: services[0].versions[1].headerMatch.prefix: Service Connect's test traffic rules match a "
     "header exactly"),
    ("services[1].timeouts", {"idleMs": 1500},
     "Pulumi.dev.yaml: services[1].timeouts.idleMs: 1500 is not a whole number of seconds"),
    ("services[1].timeouts", {"idleMs": 60000},
     "Pulumi.dev.yaml: services[1].timeouts.idleMs: 60000 is not longer than the ingress ALB's idle timeout (60 s): "
     "the ALB would reuse connections the service's proxy has closed (502s); use more than 60000"),
])
def test_settings_service_connect_cannot_express_are_one_line_errors(path, value, message):
    raw = _sc(dev_raw_config())
    if path.endswith("versions[2]"):
        raw["services"][0]["versions"].append(value)
    else:
        with_value(raw, path, value)
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_only_a_public_service_on_service_connect_idles_longer_than_the_alb():
    # Boundaries: a second more than the ALB's; a service the ALB does not reach; App Mesh (an NLB, no ALB).
    raw = _sc(dev_raw_config())
    with_value(raw, "services[1].timeouts", {"idleMs": 61000})
    with_value(raw, "services[3].timeouts", {"idleMs": 1000, "perRequestMs": 1000})
    config = parse(raw)
    assert config.service("product-service").timeouts.idle_ms == 61000
    assert config.service("payment-service").public_path is None
    assert config.service("payment-service").timeouts.idle_ms == 1000
    assert config.service("user-service").timeouts.idle_ms == 300000  # AWS's own default, above the ALB's
    with_value(raw, "services[2].timeouts", {"perRequestMs": 20000})  # a public service's, idleMs left out
    assert parse(raw).service("order-service").timeouts == ServiceTimeouts(idle_ms=300000, per_request_ms=20000)
    with_value(raw, "mesh.dataPlane", "appmesh")
    with_value(raw, "services[1].timeouts", {"idleMs": 60000})
    assert parse(raw).service("product-service").timeouts.idle_ms == 60000


def test_app_mesh_still_takes_what_service_connect_refuses():
    raw = with_value(dev_raw_config(), "mesh.dataPlane", "appmesh")
    with_value(raw, "services[1].retry", {"maxRetries": 3})
    with_value(raw, "services[0].versions[1].headerMatch", {"name": "x-canary", "prefix": "tr"})
    config = parse(raw)
    assert config.service("product-service").retry.max_retries == 3
    assert config.service("user-service").versions[1].header_match.match == {"prefix": "tr"}


def test_canary_rollout_is_read_only_by_service_connect():
    raw = _sc(dev_raw_config())
    with_value(raw, "mesh.canary", {"canaryBakeMinutes": 5, "bakeMinutes": 30})
    assert parse(raw).mesh.canary.bake_minutes == 30
    with_value(raw, "mesh.dataPlane", "appmesh")
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: mesh.canary: only the Service Connect data plane"):
        parse(raw)


def test_envoy_image_is_needed_by_app_mesh_only():
    raw = _sc(dev_raw_config())
    del raw["mesh"]["envoyImage"]
    assert parse(raw).mesh.envoy_image is None
    with_value(raw, "mesh.dataPlane", "appmesh")
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: mesh.envoyImage: is required$"):
        parse(raw)


def test_service_connect_stacks_have_no_mandatory_findings(stack):
    # A canary service has no circuit breaker (rolling updates only): its deployment alarms roll it back.
    assert [(v.policy, v.name) for v in stack.r.mandatory] == []
    assert stack.r.exit_code == 0


def test_every_container_definition_and_service_connect_block_passes_aws_api_model(stack):
    """botocore's RegisterTaskDefinition and CreateService shapes (tools/apicheck.py) accept what we send."""
    from tools.apicheck import check_resources

    checked = [r for r in stack.r.resources if r.type in (TD, SERVICE)]
    assert len(checked) == 2 * len(stack.config.services)
    assert check_resources(checked) == []
    # The checker does look inside the Service Connect block: a wrong enum there is caught.
    broken = next(r for r in checked if r.type == SERVICE)
    inputs = json.loads(json.dumps(broken.inputs))
    inputs["serviceConnectConfiguration"]["accessLogConfiguration"]["format"] = "XML"
    from google.protobuf import struct_pb2
    struct = struct_pb2.Struct()
    struct.update(inputs)
    import dataclasses
    errors = check_resources([dataclasses.replace(broken, inputs_struct=struct)])
    assert errors and "accessLogConfiguration" in errors[0].path


# --------------------------------------------------------------------------------------------------
# Ingress: REST API ─ VPC link V2 ─ internal ALB ─ a target group per public service
# --------------------------------------------------------------------------------------------------


def test_public_services_register_with_their_alb_target_group_and_admit_only_the_alb(stack):
    alb_group = f"{stack.env}-ingress-alb-id"
    owner = stack.group_owner()
    for service in stack.config.services:
        inputs = stack.service(service.name).inputs
        from_alb = [r for r in stack.r.find(INGRESS) if r.inputs["securityGroupId"] == f"{stack.env}-{service.name}-sc-id"
                    and r.inputs.get("referencedSecurityGroupId") == alb_group]
        if not service.public_path:
            assert "loadBalancers" not in inputs and from_alb == []
            continue
        [balanced] = inputs["loadBalancers"]
        group = stack.target_group(service.name)
        assert {k: balanced[k] for k in ("targetGroupArn", "containerName", "containerPort")} == {
            "targetGroupArn": group, "containerName": envoy.APP, "containerPort": service.port}
        assert [(r.inputs["fromPort"], r.inputs["toPort"]) for r in from_alb] == [(service.port, service.port)]
        # ECS attaches targets only once the rule that uses the target group exists.
        # A canary's rule is its own resource (naming.SHIFTING_RULE_SUFFIX).
        rule_name = f"{stack.env}-ingress-{service.name}" + ("-shift" if service.canary_version else "")
        rule = stack.one("aws:lb/listenerRule:ListenerRule", rule_name)
        assert rule.urn in stack.service(service.name).dependencies
        if service.canary_version is None:
            assert "advancedConfiguration" not in balanced
            continue
        # A canary shifts the ALB's share too: ECS moves the rule's weights onto the second group, with the
        # ingress's role, once its policy is attached.
        assert balanced["advancedConfiguration"] == {
            "alternateTargetGroupArn": stack.target_group(service.name, alternate=True),
            "productionListenerRule": rule.state_struct["arn"],
            "roleArn": stack.one("aws:iam/role:Role", f"{stack.env}-ingress-traffic-shifts").state_struct["arn"]}
        attachment = stack.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"{stack.env}-ingress-traffic-shifts")
        assert attachment.urn in stack.service(service.name).dependencies
    assert set(owner.values()) == {s.name for s in stack.config.services}


def test_rest_api_integrations_go_through_vpc_link_v2_to_the_alb_with_tls_verified(stack):
    link = stack.one("aws:apigatewayv2/vpcLink:VpcLink", f"{stack.env}-ingress-link")
    proxies = [r for r in stack.r.find("aws:apigateway/integration:Integration") if r.inputs["type"] == "HTTP_PROXY"]
    assert len(proxies) == 2 * 6 * len(stack.config.public_services)  # prefix and {proxy+}, six verbs each
    for integration in proxies:
        assert integration.inputs["connectionType"] == "VPC_LINK"
        assert integration.inputs["connectionId"] == f"{link.name}-id"
        alb = stack.one(LB, f"{stack.env}-ingress-alb")
        assert integration.inputs["integrationTarget"] == alb.state_struct["arn"]
        assert integration.inputs["uri"].startswith(f"https://{stack.config.ingress.host_name}:443/")
        assert integration.inputs["tlsConfig"] == {"insecureSkipVerification": False}
    assert not stack.r.find("aws:apigateway/vpcLink:VpcLink")  # no VPC link V1


def test_alb_alarms_replace_the_nlb_ones(stack):
    alarms = {a.name: a.inputs for a in stack.r.find(ALARM)}
    for service in stack.config.public_services:
        group = stack.target_group(service.name, key="arnSuffix")
        alternate = service.canary_version and stack.target_group(service.name, alternate=True, key="arnSuffix")
        for kind, metric in (("unhealthy-hosts", "UnHealthyHostCount"), ("no-healthy-hosts", "HealthyHostCount")):
            alarm = alarms[f"{stack.env}-observability-{service.name}-alb-{kind}"]
            # Any unhealthy target for 3 minutes opens a ticket; no healthy one for 2 pages, and so does the metric
            # stopping (INSUFFICIENT_DATA): a group with no target at all publishes nothing.
            assert (alarm["comparisonOperator"], alarm["threshold"], alarm["evaluationPeriods"],
                    alarm["treatMissingData"], alarm.get("insufficientDataActions")) == (
                ("GreaterThanThreshold", 0, 3, "missing", None) if kind == "unhealthy-hosts" else
                ("LessThanThreshold", 1, 2, "missing", alarm["alarmActions"]))
            if service.canary_version is None:
                assert (alarm["namespace"], alarm["metricName"]) == ("AWS/ApplicationELB", metric)
                assert alarm["dimensions"]["TargetGroup"] == group
                continue
            # A canary moves the targets between the service's two groups: the alarm adds both, so neither an
            # emptied group nor the other's health goes unseen.
            *groups, total = alarm["metricQueries"]
            assert [(q["metric"]["namespace"], q["metric"]["metricName"], q["metric"]["dimensions"]["TargetGroup"])
                    for q in groups] == [("AWS/ApplicationELB", metric, group),
                                         ("AWS/ApplicationELB", metric, alternate)]
            assert total["expression"] == "FILL(group0, 0) + FILL(group1, 0)" and total["returnData"] is True
            assert "metricName" not in alarm
    assert not [a for a in alarms.values() if a.get("namespace") == "AWS/NetworkELB"]
    # The load balancer's clients' error rate, over every group the targets may be in (the service's deployments
    # roll back on it: the Service Connect alarm sees only the mesh's callers).
    for service in stack.config.public_services:
        alarm = alarms[f"{stack.env}-observability-{service.name}-alb-5xx-rate"]
        queries = {q["id"]: q for q in alarm["metricQueries"]}
        groups = 1 if service.canary_version is None else 2
        tgs = [stack.target_group(service.name, alternate, key="arnSuffix") for alternate in (False, True)[:groups]]
        # The service's 5xx, and the ALB's own 502s and 504s when a task refuses, times out on connect or fails TLS.
        named = ("HTTPCode_Target_5XX_Count", "TargetConnectionErrorCount", "TargetTLSNegotiationErrorCount")
        failures = len(named) * groups
        assert [(queries[f"errors{i}"]["metric"]["metricName"], queries[f"errors{i}"]["metric"]["dimensions"]
                 ["TargetGroup"]) for i in range(failures)] == [(m, tg) for m in named for tg in tgs]
        ids = ([""] if groups == 1 else [str(i) for i in range(groups)])
        assert [queries[f"requests{i}"]["metric"]["dimensions"]["TargetGroup"] for i in ids] == tgs
        assert [queries[f"requests{i}"]["metric"]["metricName"] for i in ids] == ["RequestCount"] * groups
        # AlarmRouting.error_rate's expression: the metrics of a side added, each gap filled with 0.
        errors = "(" + " + ".join(f"FILL(errors{i}, 0)" for i in range(failures)) + ")"
        requests = "requests" if groups == 1 else "(" + " + ".join(f"FILL(requests{i}, 0)" for i in ids) + ")"
        assert queries["rate"]["expression"] == f"IF({requests} > 0, 100 * {errors} / {requests}, 0)"
        assert alarm["threshold"] == stack.config.alarms.five_xx_rate_percent
    # The dashboard graphs every group a service's targets may be in, as the alarms add them.
    [dashboard] = stack.r.find("aws:cloudwatch/dashboard:Dashboard")
    widgets = {w["properties"].get("title"): w for w in json.loads(dashboard.inputs["dashboardBody"])["widgets"]}
    for service in stack.config.public_services:
        lines = widgets[f"{service.name}-alb: load balancer targets"]["properties"]["metrics"]
        groups = {line[5] for line in lines}
        group = stack.target_group(service.name, key="arnSuffix")
        alternate = service.canary_version and stack.target_group(service.name, alternate=True, key="arnSuffix")
        assert groups == ({group} if service.canary_version is None else
                          {group, alternate})
        assert {line[1] for line in lines} == {"HealthyHostCount", "UnHealthyHostCount"}
        latency = widgets[f"{service.name}-alb: target response time p99 (s)"]["properties"]["metrics"]
        assert {(line[1], line[5], line[6]["stat"]) for line in latency} == {
            ("TargetResponseTime", g, "p99") for g in groups}


def test_a_public_services_load_balanced_latency_is_watched_over_every_group_its_targets_may_be_in(stack):
    """The ALB's TargetResponseTime p99, in seconds, against the stack's p99 bound in ms: for a service only the
    load balancer calls, the only latency there is. A canary's two groups: the slower at each point."""
    alarms = {a.name: a.inputs for a in stack.r.find(ALARM)}
    threshold = stack.config.alarms.p99_latency_ms / 1000
    for service in stack.config.public_services:
        alarm = alarms[f"{stack.env}-observability-{service.name}-alb-p99-latency"]
        group = stack.target_group(service.name, key="arnSuffix")
        alternate = service.canary_version and stack.target_group(service.name, alternate=True, key="arnSuffix")
        assert (alarm["threshold"], alarm["comparisonOperator"], alarm["treatMissingData"]) == (
            threshold, "GreaterThanThreshold", "notBreaching")
        if service.canary_version is None:
            assert (alarm["namespace"], alarm["metricName"], alarm["extendedStatistic"]) == (
                "AWS/ApplicationELB", "TargetResponseTime", "p99")
            assert alarm["dimensions"]["TargetGroup"] == group
            continue
        queries = {q["id"]: q for q in alarm["metricQueries"]}
        assert [(queries[g]["metric"]["metricName"], queries[g]["metric"]["stat"],
                 queries[g]["metric"]["dimensions"]["TargetGroup"]) for g in ("group0", "group1")] == [
            ("TargetResponseTime", "p99", group),
            ("TargetResponseTime", "p99", alternate)]
        assert queries["total"]["expression"] == "MAX([group0, group1])" and queries["total"]["returnData"]


def test_a_service_nobody_calls_has_no_service_connect_traffic_to_alarm_on(iot_preview):
    """Callers' proxies report a Service Connect service's traffic (TargetDiscoveryName): in iot only the ALB
    calls ingest-service and command-service, and nothing calls analytics-service, so alarms on that metric would
    wait for data forever and page nobody. They get none; their deployments roll back on what the ALB saw, or,
    with no traffic at all, on nothing (said off: the provider keeps a removed block)."""
    config = parse_config(raw_config("iot"), "Pulumi.iot.yaml", "us-east-1")
    called = {c for s in config.services for c in s.calls}
    alarms = {a.inputs["name"] for a in iot_preview.find(ALARM)}
    widgets = {w["properties"].get("title") for d in iot_preview.find("aws:cloudwatch/dashboard:Dashboard")
               for w in json.loads(d.inputs["dashboardBody"])["widgets"]}
    uncalled = [s for s in config.services if s.name not in called]
    assert {s.name for s in uncalled} == {"analytics-service", "ingest-service", "command-service"}
    for service in config.services:
        traffic = {f"iot-{service.name}-5xx-rate", f"iot-{service.name}-p99-latency"}
        graphs = {f"{service.name}: inbound requests and 5xx (Service Connect)",
                  f"{service.name}: inbound p99 (ms, Service Connect)"}
        watched = service.name in called
        assert (traffic <= alarms, graphs <= widgets) == (watched, watched), service.name
        assert f"iot-{service.name}-tasks-below-desired" in alarms  # ECS's own view, whoever calls
        rollback = [*([f"iot-{service.name}-5xx-rate"] if watched else []),
                    *([f"iot-{service.name}-alb-5xx-rate"] if service.public_path else [])]
        expected = ({"alarmNames": rollback, "enable": True, "rollback": True} if rollback else
                    {"alarmNames": [f"iot-{service.name}-tasks-below-desired"], "enable": False, "rollback": False})
        assert iot_preview.get(SERVICE, f"iot-{service.name}-sc").inputs["alarms"] == expected
        assert set(expected["alarmNames"]) <= alarms


def test_service_connect_with_public_services_needs_an_ingress_certificate():
    raw = _sc(dev_raw_config())
    raw.pop("ingress", None)
    raw.pop("dns", None)
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: ingress: is required: Service Connect's public "):
        parse(raw)


# --------------------------------------------------------------------------------------------------
# Leaving App Mesh after its API is gone
# --------------------------------------------------------------------------------------------------


def test_the_retire_switch_retains_every_app_mesh_resource_and_nothing_else(dev_appmesh_preview):
    result = preview("dev", config_overrides=["mesh.dataPlane=appmesh", "mesh.retireAppMesh=true"])
    app_mesh = [r for r in result.resources if r.type.startswith("aws:appmesh/")]
    assert len(app_mesh) > 10
    assert all(r.retain_on_delete for r in app_mesh)
    # Nothing else: what the stack keeps anyway (log buckets) is kept with or without the switch.
    kept_anyway = {r.urn for r in dev_appmesh_preview.resources if r.retain_on_delete}
    assert [r.name for r in result.resources if r.retain_on_delete and r.urn not in kept_anyway
            and not r.type.startswith("aws:appmesh/")] == []
    # Without the switch no App Mesh resource is retained.
    assert not [r for r in dev_appmesh_preview.resources if r.retain_on_delete and r.type.startswith("aws:appmesh/")]


def test_service_connect_names_never_collide_with_app_mesh_ones(dev_sc_preview, dev_appmesh_preview):
    """One update creates the Service Connect side before it deletes the App Mesh side: no physical name of
    an ECS service, task family, target group or load balancer may be shared."""
    for type_, key in ((SERVICE, "name"), (TD, "family"), ("aws:lb/targetGroup:TargetGroup", "name"),
                       ("aws:lb/loadBalancer:LoadBalancer", "name")):
        sc = {r.inputs.get(key) for r in dev_sc_preview.find(type_)}
        appmesh = {r.inputs.get(key) for r in dev_appmesh_preview.find(type_)}
        assert sc and not (sc & appmesh - {None}), type_


def test_a_public_services_grace_period_outlasts_its_start_period_and_the_target_groups_recovery(dev_preview):
    # The target group may have failed a task that is still starting; once the app is up, the next check comes
    # within 15 s and 3 passing checks 15 s apart bring it back: ECS must not judge it before then.
    from components.compute import LoadBalancerTarget, TargetHealthCheck

    def graces(result):
        return {s.name: s.inputs.get("healthCheckGracePeriodSeconds") for s in result.find(SERVICE)}

    # dev's start period (30 s), then the target group's recovery: (3 passing checks + 1) x 15 s.
    assert graces(dev_preview) == {"dev-user-service-sc": 90, "dev-product-service-sc": 90,
                                   "dev-order-service-sc": 90, "dev-payment-service-sc": None}
    slower = preview("dev", config_overrides=["containerHealthCheck.startPeriodSeconds=150"])
    assert graces(slower)["dev-order-service-sc"] == 210
    # Never below the minute every load-balanced service had before.
    quick = LoadBalancerTarget(target_group_arn=pulumi.Output.from_input("arn:aws:elasticloadbalancing:tg"),
                               port=80, health_check=TargetHealthCheck(interval_seconds=5, healthy_threshold=2,
                                                                       unhealthy_threshold=2))
    assert quick.grace_period_seconds(0) == 60 and quick.grace_period_seconds(46) == 61


def test_a_services_traffic_widget_graphs_each_answer_class_its_callers_saw_once(dev_preview):
    (dashboard,) = dev_preview.find("aws:cloudwatch/dashboard:Dashboard")
    widgets = json.loads(dashboard.inputs["dashboardBody"])["widgets"]
    (traffic,) = [w for w in widgets
                  if w["properties"].get("title") == "product-service: inbound requests and 5xx (Service Connect)"]
    assert traffic["properties"]["metrics"] == [
        ["AWS/ECS", f"HTTPCode_Target_{code}XX_Count", "TargetDiscoveryName", "dev-product-service", {"stat": "Sum"}]
        for code in "2345"]


def _removed_keys(before, after, path=""):
    """The map keys `before` has and `after` lacks, at any depth of nested maps."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return []
    return [found for key, value in before.items()
            for found in ([f"{path}{key}"] if key not in after else _removed_keys(value, after[key], f"{path}{key}."))]


def test_switching_planes_removes_no_input_from_a_resource_both_planes_keep(dev_sc_preview, dev_appmesh_preview):
    """The provider sends no change for an input (or nested block) left out of an update, often keeping its old value
    in AWS (an integration's tlsConfig, a service's circuit breaker): a resource kept across the switch says every
    setting it had."""
    sc = {r.urn: r for r in dev_sc_preview.resources}
    shared = [(r, sc[r.urn]) for r in dev_appmesh_preview.resources if r.urn in sc]
    assert len(shared) > 100
    assert [(r.name, removed) for r, kept in shared
            for removed in [_removed_keys(r.inputs, kept.inputs)] if removed] == []


def test_no_two_stacks_in_one_region_report_traffic_under_one_discovery_name(dev_preview, prod_preview, iot_preview):
    """The alarms read `TargetDiscoveryName` alone, which sums every series of the name in the account and region:
    dev, prod and iot share both (us-east-1, one account), and dev's and prod's services have the same names. So
    errors in dev would page prod and roll back its deployments, unless the names differ."""
    seen: dict[str, str] = {}
    for stack, result in (("dev", dev_preview), ("prod", prod_preview), ("iot", iot_preview)):
        for service in result.find(SERVICE):
            for entry in service.inputs["serviceConnectConfiguration"].get("services", []):
                assert seen.setdefault(entry["discoveryName"], stack) == stack, entry["discoveryName"]
    assert {"dev-order-service", "prod-order-service"} <= set(seen)


def test_config_sizes_the_restart_function_s_role_policy_as_the_program_writes_it(stack):
    """Config holds the restart function's role policy, which names every late caller, to IAM's quota: its count
    from names (12-digit account ids) is the size of the policy the program writes."""
    late = late_callees(stack.config)
    assert late
    written = stack.one(ROLE_POLICY, f"{stack.env}-late-callers-function-role").inputs["policy"]
    assert restart_role_chars(stack.env, stack.config.region, naming.ANY_ACCOUNT, list(late)) == len(
        re.sub(r"\s", "", written))
