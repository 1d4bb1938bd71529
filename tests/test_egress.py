"""The egress layer: VPC endpoints, the API-clients group, DNS Firewall and (prod) Network Firewall.

Asserted on the real program's resources under the offline preview, for both stacks, plus the
config errors and the check of task definitions against the endpoints.
"""
from __future__ import annotations

import json
import re
import sys

import pytest

from components.config import MAX_FIREWALL_EXTERNALS
from components.egress import BASE_AWS_APIS, CACHE_UNPULLED_DAYS, cache_lifecycle_policy, public_aws_hosts
from tests.conftest import (DELETE, ROOT, Registered, config_error, dev_raw_config, parse, preview, program_with_stack,
                            raw_config, with_value)
from tools.preview import run_preview

sys.path.insert(0, str(ROOT / "policies"))  # the pack's import root, as policies/__main__.py sees it
from guardrails.ecs.endpoints import api_calls  # noqa: E402

ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ROUTE = "aws:ec2/route:Route"
SUBNET = "aws:ec2/subnet:Subnet"
TD = "aws:ecs/taskDefinition:TaskDefinition"
ECS_SERVICE = "aws:ecs/service:Service"
DOMAIN_LIST = "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList"
DNS_RULE = "aws:route53/resolverFirewallRule:ResolverFirewallRule"
DNS_ASSOCIATION = "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation"
QUERY_LOG = "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig"
QUERY_LOG_ASSOCIATION = "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation"
FIREWALL = "aws:networkfirewall/firewall:Firewall"
FIREWALL_POLICY = "aws:networkfirewall/firewallPolicy:FirewallPolicy"
RULE_GROUP = "aws:networkfirewall/ruleGroup:RuleGroup"
FIREWALL_LOGGING = "aws:networkfirewall/loggingConfiguration:LoggingConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate"

STACKS = ("dev", "prod")


@pytest.fixture(scope="module", params=[(env, plane) for env in STACKS for plane in ("serviceconnect", "appmesh")],
                ids=lambda p: "-".join(p))
def stack(request):
    env, plane = request.param
    result = request.getfixturevalue(f"{env}_{'sc' if plane == 'serviceconnect' else 'appmesh'}_preview")
    return env, result, parse(with_value(raw_config(env), "mesh.dataPlane", plane), env)


def _workload_groups(env: str, config, service) -> list[str]:
    """The security group names of a service's tasks: one per version (App Mesh) or one (Service Connect)."""
    if config.mesh.data_plane == "appmesh":
        return [f"{service.name}-{v.name}" for v in service.versions]
    return [f"{env}-{service.name}-sc"]


def _id(resource) -> str:
    return f"{resource.name}-id"


def _endpoint_services(result, region="us-east-1") -> dict:
    prefix = f"com.amazonaws.{region}."
    return {e.inputs["serviceName"][len(prefix):]: e for e in result.find(ENDPOINT)}


# --------------------------------------------------------------------------------------------------
# VPC endpoints and the two security groups
# --------------------------------------------------------------------------------------------------


def test_interface_endpoints_with_private_dns_in_every_private_subnet(stack):
    env, result, config = stack
    endpoints = _endpoint_services(result)
    plane_apis = ["appmesh-envoy-management"] if config.mesh.data_plane == "appmesh" else []
    expected = {*BASE_AWS_APIS, *plane_apis, *(["ssmmessages"] if config.enable_execute_command else [])}
    assert {k for k, e in endpoints.items() if e.inputs["vpcEndpointType"] == "Interface"} == expected
    private = sorted(_id(s) for s in result.find(SUBNET) if "-private-" in s.name)
    endpoints_sg = _id(result.get(SG, f"{env}-egress-endpoints"))
    for service in expected:
        inputs = endpoints[service].inputs
        assert inputs["privateDnsEnabled"] is True
        assert inputs["vpcId"] == f"{env}-network-vpc-id"
        assert sorted(inputs["subnetIds"]) == private
        assert inputs["securityGroupIds"] == [endpoints_sg]
    # ECS Exec's channel is only there where ECS Exec is on (dev).
    assert ("ssmmessages" in endpoints) == (env == "dev")


# README's "What egress control costs": interface endpoints at $0.01 an endpoint-hour in each AZ, 730 hours a month.
ENDPOINT_AZ_MONTH = 0.01 * 730


def readme_endpoint_costs() -> dict[tuple[str, str], tuple[int, int, float]]:
    """(stack, plane) -> (interface endpoints, AZs, dollars a month) as README's costs table states them: a cell
    `8 endpoints (...) × 2 AZs = **$116.80** ...; on App Mesh 9 (...) = $131.40` per stack."""
    text = (ROOT / "README.md").read_text().split("## What egress control costs", 1)[1]
    header, row = [line for line in text.splitlines() if line.startswith(("| piece |", "| Interface endpoints |"))]
    stated = {}
    for column, cell in zip(header.split(" | ")[2:], row.split(" | ")[2:]):
        stack = column.split()[0]
        count, azs, dollars = re.search(r"(\d+) endpoints .*?× (\d+) AZs = \*\*\$(\d+\.\d\d)\*\*", cell).groups()
        stated[stack, "serviceconnect"] = (int(count), int(azs), float(dollars))
        count, dollars = re.search(r"on App Mesh (\d+) .*?= \$(\d+\.\d\d)", cell).groups()
        stated[stack, "appmesh"] = (int(count), int(azs), float(dollars))
    return stated


def test_the_readme_costs_the_interface_endpoints_each_stack_makes(stack):
    env, result, config = stack
    count, azs, dollars = readme_endpoint_costs()[env, config.mesh.data_plane]
    made = [e for e in result.find(ENDPOINT) if e.inputs["vpcEndpointType"] == "Interface"]
    assert (count, azs) == (len(made), config.network.create.az_count)
    assert dollars == round(count * azs * ENDPOINT_AZ_MONTH, 2)


def test_a_cost_table_naming_another_count_would_be_caught(monkeypatch, tmp_path):
    (tmp_path / "README.md").write_text(
        "## What egress control costs\n\n| piece | unit price | dev (2 AZs) | prod (3 AZs) |\n|---|---|---|---|\n"
        "| Interface endpoints | $0.01 | 7 endpoints × 2 AZs = **$102.20**; on App Mesh 8 = $116.80 | "
        "7 endpoints × 3 AZs = **$153.30**; on App Mesh 8 = $175.20 |\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert readme_endpoint_costs()["dev", "serviceconnect"] == (7, 2, 102.20)  # dev makes 8 (ssmmessages)
    assert readme_endpoint_costs()["prod", "appmesh"] == (8, 3, 175.20)


ENDPOINT_SERVICE = "aws:ec2/getVpcEndpointService:getVpcEndpointService"


def _offered_in(monkeypatch, zones_by_service: dict) -> list:
    """The endpoint service invoke answering `zones_by_service[service]` (else every zone); the names asked for."""
    from tools import invokes

    answer, asked = invokes.ANSWERS[ENDPOINT_SERVICE], []

    def restricted(args, ctx):
        found = answer(args, ctx)
        asked.append((args["serviceName"], args.get("serviceType")))
        service = args["serviceName"].removeprefix(f"com.amazonaws.{found['region']}.")
        return {**found, "availabilityZones": zones_by_service.get(service, found["availabilityZones"])}

    monkeypatch.setitem(invokes.ANSWERS, ENDPOINT_SERVICE, restricted)
    return asked


def test_an_endpoint_takes_only_the_subnets_in_zones_its_service_is_offered_in(monkeypatch, dev_preview):
    """CreateVpcEndpoint refuses a subnet in a zone the service is not offered in (services reach constrained
    zones such as use1-az3 late), so each endpoint asks EC2 where its service is; tasks in the other zone reach it
    through its private DNS name."""
    asked = _offered_in(monkeypatch, {"logs": ["us-east-1b", "us-east-1c"]})
    result = run_preview("dev", ROOT)
    assert result.error is None, result.error
    endpoints = _endpoint_services(result)
    private = {s.inputs["availabilityZone"]: _id(s) for s in result.find(SUBNET) if "-private-" in s.name}
    assert endpoints["logs"].inputs["subnetIds"] == [private["us-east-1b"]]
    assert sorted(endpoints["secretsmanager"].inputs["subnetIds"]) == sorted(private.values())
    # Asked once per interface endpoint, as the interface service of this region.
    interface = sorted(k for k, e in endpoints.items() if e.inputs["vpcEndpointType"] == "Interface")
    assert sorted(asked) == [(f"com.amazonaws.us-east-1.{k}", "Interface") for k in interface]
    assert _endpoint_services(dev_preview)["logs"].inputs["subnetIds"] == [private["us-east-1a"],
                                                                           private["us-east-1b"]]


@pytest.mark.parametrize("unknown_outputs", [False, True])
def test_an_endpoint_service_offered_in_none_of_the_stacks_zones_is_one_line_naming_az_count(monkeypatch,
                                                                                             unknown_outputs):
    """Also in a new stack's first preview, whose subnets' ids are not known yet: the zones are."""
    _offered_in(monkeypatch, {"logs": ["us-east-1c"]})
    assert run_preview("dev", ROOT, unknown_outputs=unknown_outputs).error == (
        "Pulumi.dev.yaml: network.create.azCount: the logs endpoint service is offered in none of the private "
        "subnets' Availability Zones (us-east-1a, us-east-1b), only in us-east-1c")


def test_an_endpoint_service_offered_in_none_of_the_stacks_zones_stops_the_program_before_any_resource(monkeypatch):
    """Where a service is offered is asked before anything is declared: checked in the endpoint's subnets, the
    program stopped after the VPC, its subnets and about 200 other resources were declared, which `pulumi up` would
    have created before the error (a half-built stack)."""
    asked = _offered_in(monkeypatch, {"logs": ["us-east-1c"]})
    registered = Registered()
    result = run_preview("dev", ROOT, progress=registered)  # type: ignore[arg-type]
    assert result.error == (
        "Pulumi.dev.yaml: network.create.azCount: the logs endpoint service is offered in none of the private "
        "subnets' Availability Zones (us-east-1a, us-east-1b), only in us-east-1c")
    assert registered.types == ["pulumi:pulumi:Stack", "service-mesh-platform:index:Platform"]  # no AWS resource
    # In order, up to the one offered nowhere: each asked once.
    assert asked[-1] == ("com.amazonaws.us-east-1.logs", "Interface") and len(set(asked)) == len(asked)


def test_a_parameter_store_secret_brings_the_ssm_endpoint_and_its_name(dev_preview):
    """ECS fetches a parameter from SSM over the task's own network: with endpoints on, the DNS Firewall and the
    AWS-API group would otherwise stop every task of the service before it starts."""
    parameter = "arn:aws:ssm:us-east-1:111122223333:parameter/dev/payments/api-key"
    result = preview("dev", config_overrides=[f"services[3].secrets.PAYMENT_PROVIDER_API_KEY={parameter}"])
    ssm = _endpoint_services(result)["ssm"].inputs
    assert (ssm["vpcEndpointType"], ssm["privateDnsEnabled"]) == ("Interface", True)
    assert ssm["subnetIds"] == _endpoint_services(result)["secretsmanager"].inputs["subnetIds"]
    assert json.loads(ssm["policy"]) == ACCOUNT_ONLY  # this account's principals only, as the other endpoints
    assert "ssm.us-east-1.amazonaws.com." in result.get(DOMAIN_LIST, "dev-egress-dns-allowed").inputs["domains"]
    assert result.mandatory == []
    assert "ssm" not in _endpoint_services(dev_preview)


# The preview's account (tools/invokes.py) and AWS's data-perimeter endpoint policy.
ACCOUNT_ONLY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ThisAccountsPrincipals", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}},
    {"Sid": "AwsServicePrincipals", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
     "Condition": {"Bool": {"aws:PrincipalIsAWSService": "true"}}}]}


def test_interface_endpoints_serve_only_this_accounts_principals_where_aws_allows_a_policy(stack):
    # Another account's keys on a compromised task would otherwise reach that account's logs or secrets through
    # the endpoints, past both firewalls. ECS Exec's channel and App Mesh's take only AWS's full access.
    _, result, _ = stack
    policies = {service: e.inputs.get("policy") for service, e in _endpoint_services(result).items()
                if e.inputs["vpcEndpointType"] == "Interface"}
    scoped = {"ecr.api", "ecr.dkr", "logs", "secretsmanager", "monitoring", "kms", "xray"}
    assert scoped <= set(policies)
    for service, policy in policies.items():
        assert (json.loads(policy) if policy else None) == (ACCOUNT_ONLY if service in scoped else None), service


def test_the_program_scopes_only_endpoints_the_pack_knows_take_a_policy():
    # Two readers of which endpoint services take a policy (AWS refuses one elsewhere): the program's may not
    # name a service the pack's list, which its policy judges by, leaves out.
    from components.egress import ACCOUNT_SCOPED_ENDPOINTS
    from guardrails.ec2.vpc_endpoint import POLICY_SCOPABLE

    assert ACCOUNT_SCOPED_ENDPOINTS <= set(POLICY_SCOPABLE)


def test_endpoint_accounts_admit_the_principals_of_the_accounts_a_stack_names(tmp_path):
    # A service that assumes a role in another account calls that account's APIs through the same endpoints.
    def name_account(text: str) -> str:
        anchor = "  service-mesh-platform:network:\n"
        return text.replace(anchor, anchor + "    endpointAccounts: ['210987654321']\n", 1)

    program = program_with_stack(tmp_path, "dev", name_account)
    result = run_preview("dev", program, ROOT / "policies", ROOT / "policies" / "config" / "dev.json")
    assert result.error is None, result.error
    logs = json.loads(_endpoint_services(result)["logs"].inputs["policy"])
    assert logs["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:PrincipalAccount": ["123456789012", "210987654321"]}}
    assert logs["Statement"][1] == ACCOUNT_ONLY["Statement"][1]
    # To be the other account's principal a task calls AssumeRole: STS's regional name resolves, to its endpoint,
    # which admits the same principals (the task's own account's, calling), and a role of those accounts only (the
    # session's name, source identity and tags would reach another account's trail).
    sts = _endpoint_services(result)["sts"].inputs
    assert (sts["vpcEndpointType"], sts["privateDnsEnabled"]) == ("Interface", True)
    accounts = ["123456789012", "210987654321"]
    assume, other, federated, services = json.loads(sts["policy"])["Statement"]
    assert assume["Action"] == ["sts:AssumeRole", "sts:AssumeRoot", "sts:SetSourceIdentity", "sts:TagSession"]
    assert assume["Condition"] == {"StringEquals": {"aws:PrincipalAccount": accounts, "aws:ResourceAccount": accounts}}
    # A web identity's or SAML call has no principal account: AWS's STS endpoint policy admits it by the role's.
    assert federated["Action"] == ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]
    assert federated["Principal"] == "*"  # everyone, as AWS's own endpoint policy: no AWS principal calls these
    assert federated["Condition"] == {"StringEquals": {"aws:ResourceAccount": accounts}}
    assert other["NotAction"] == assume["Action"] + federated["Action"] and "Action" not in other
    assert other["Condition"] == logs["Statement"][0]["Condition"] and services == logs["Statement"][1]
    assert not [v for v in result.violations if "endpoint" in v.policy]
    assert "sts.us-east-1.amazonaws.com." in result.get(DOMAIN_LIST, "dev-egress-dns-allowed").inputs["domains"]
    assert "sts" not in _endpoint_services(preview("dev"))


def test_s3_gateway_endpoint_serves_only_the_regions_ecr_layer_bucket(stack):
    env, result, _ = stack
    s3 = _endpoint_services(result)["s3"].inputs
    assert s3["vpcEndpointType"] == "Gateway"
    assert sorted(s3["routeTableIds"]) == sorted(f"{env}-network-private-{i}-id" for i in range(3 if env == "prod" else 2))
    policy = json.loads(s3["policy"])
    assert policy["Statement"] == [{"Sid": "EcrImageLayers", "Effect": "Allow", "Principal": "*",
                                    "Action": ["s3:GetObject"],
                                    "Resource": ["arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"]}]


def test_endpoints_admit_only_the_api_clients_and_clients_reach_only_endpoints(stack):
    env, result, _ = stack
    endpoints_sg = _id(result.get(SG, f"{env}-egress-endpoints"))
    clients_sg = _id(result.get(SG, f"{env}-egress-api-clients"))
    ingress = [r.inputs for r in result.find(INGRESS) if r.inputs["securityGroupId"] == endpoints_sg]
    assert [(r["fromPort"], r["toPort"], r["ipProtocol"], r.get("referencedSecurityGroupId"), r.get("cidrIpv4"))
            for r in ingress] == [(443, 443, "tcp", clients_sg, None)]
    assert not [r for r in result.find(EGRESS) if r.inputs["securityGroupId"] == endpoints_sg]
    egress = [r.inputs for r in result.find(EGRESS) if r.inputs["securityGroupId"] == clients_sg]
    assert len(egress) == 2
    assert {(r["fromPort"], r["toPort"], r.get("referencedSecurityGroupId"), r.get("prefixListId"), r.get("cidrIpv4"))
            for r in egress} == {(443, 443, endpoints_sg, None, None), (443, 443, None, "pl-63a5400a", None)}
    # The prefix list is the S3 gateway endpoint's own (the mock's value stands for it).
    assert _endpoint_services(result)["s3"].state_struct["prefixListId"] == "pl-63a5400a"


def test_every_ecs_task_joins_the_api_clients_group(stack):
    env, result, _ = stack
    clients_sg = _id(result.get(SG, f"{env}-egress-api-clients"))
    services = result.find(ECS_SERVICE)
    assert services
    for service in services:
        assert clients_sg in service.inputs["networkConfiguration"]["securityGroups"], service.name


def test_only_services_that_declare_externals_reach_the_internet(stack):
    """No workload group has egress to 0.0.0.0/0, except 443 for a service that declares externals."""
    env, result, config = stack
    groups = {_id(g): g.name for g in result.find(SG)}
    external_callers = {g for s in config.services if s.externals for g in _workload_groups(env, config, s)}
    assert external_callers == ({"payment-service-v1"} if config.mesh.data_plane == "appmesh"
                                else {f"{env}-payment-service-sc"})
    open_rules = [(groups[r.inputs["securityGroupId"]], r.inputs["fromPort"], r.inputs["toPort"])
                  for r in result.find(EGRESS) if r.inputs.get("cidrIpv4") == "0.0.0.0/0"
                  or r.inputs.get("cidrIpv6") == "::/0" or r.inputs.get("ipProtocol") == "-1"]
    assert sorted(open_rules) == [(group, 443, 443) for group in sorted(external_callers)]
    # No group carries inline rules that this scan could miss.
    for group in result.find(SG):
        assert "egress" not in group.inputs and "ingress" not in group.inputs, group.name


def test_without_endpoints_the_api_clients_use_nat_and_nothing_else_opens():
    result = preview("dev", config_overrides=["network.endpoints=false"])
    assert result.find(ENDPOINT) == []
    clients_sg = "dev-egress-api-clients-id"
    open_rules = sorted((r.inputs["securityGroupId"], r.inputs["fromPort"]) for r in result.find(EGRESS)
                        if r.inputs.get("cidrIpv4") == "0.0.0.0/0")
    assert open_rules == [(clients_sg, 443), ("dev-payment-service-sc-id", 443)]
    # The DNS Firewall stays: the same names are resolved, now to public addresses.
    assert result.find(DNS_ASSOCIATION)
    # dev's policy config requires endpoints (every shipped stack's does), so the pack names the VPC, once,
    # with every API the tasks call; the per-task view has no endpoints to compare against and stays quiet.
    found = [(v.policy, v.name, v.enforcement_level) for v in result.violations if "endpoints" in v.policy]
    assert found == [("ec2-vpc-interface-endpoints", "dev-network-vpc", "mandatory")]
    assert "no endpoint for ecr.api, ecr.dkr, logs, s3, secretsmanager, ssmmessages, xray" in next(
        v.message for v in result.violations if v.policy == "ec2-vpc-interface-endpoints")


def test_every_shipped_stack_requires_endpoints_and_a_dns_firewall():
    for path in sorted((ROOT / "policies" / "config").glob("*.json")):
        if path.stem != "global":  # the global layer has no VPC
            config = json.loads(path.read_text())
            assert (config["ec2-vpc-interface-endpoints"] == config["ecs-task-vpc-endpoints"]
                    == config["route53-vpc-dns-firewall"] == {"required": True})


def test_the_websocket_command_service_reaches_dynamodb_and_its_api(iot_preview):
    """iot: the command service reads the connection table (DynamoDB gateway endpoint) and posts to the
    WebSocket API's @connections endpoint (public execute-api host, through NAT and both firewalls)."""
    result = iot_preview
    config = parse(raw_config("iot"), "iot")
    endpoints = _endpoint_services(result)
    assert sorted(k for k, e in endpoints.items() if e.inputs["vpcEndpointType"] == "Gateway") == ["dynamodb", "s3"]
    assert json.loads(endpoints["dynamodb"].inputs["policy"]) == ACCOUNT_ONLY
    assert sorted(endpoints["dynamodb"].inputs["routeTableIds"]) == [f"iot-network-private-{i}-id" for i in range(3)]
    clients = [r.inputs for r in result.find(EGRESS) if r.inputs["securityGroupId"] == "iot-egress-api-clients-id"]
    assert {r.get("prefixListId") for r in clients} == {None, "pl-63a5400a", "pl-02cd2c6b"}
    allowed = set(result.get(DOMAIN_LIST, "iot-egress-dns-allowed").inputs["domains"])
    # Both DynamoDB names: current SDKs call the account-based one (<account>.ddb.<region>) when they know the
    # account, as a task's credentials tell them.
    assert {"dynamodb.us-east-1.amazonaws.com.", "*.ddb.us-east-1.amazonaws.com.",
            "*.execute-api.us-east-1.amazonaws.com."} <= allowed
    groups = {_id(g): g.name for g in result.find(SG)}
    open_rules = {(groups[r.inputs["securityGroupId"]], r.inputs["fromPort"]) for r in result.find(EGRESS)
                  if r.inputs.get("cidrIpv4") == "0.0.0.0/0"}
    command = config.websocket_api.command_service
    expected = {(group, port) for s in config.services for group in _workload_groups("iot", config, s)
                for port in config.internet_ports(s)}
    assert 443 in config.internet_ports(config.service(command)) and not config.service(command).externals
    assert open_rules == expected


# --------------------------------------------------------------------------------------------------
# The endpoint list against what the task definitions use
# --------------------------------------------------------------------------------------------------


def test_every_task_definition_uses_only_apis_the_endpoints_serve(stack):
    """The same check as the pack's ecs-task-vpc-endpoints (tests/test_policies_egress.py), spelled out."""
    env, result, config = stack
    provided = set(_endpoint_services(result))
    appmesh = config.mesh.data_plane == "appmesh"
    # App Mesh: a task per version and the gateway; Service Connect: a task per service.
    assert len(result.find(TD)) == (sum(len(s.versions) for s in config.services) + 1 if appmesh
                                    else len(config.services))
    assert "ecs-task-vpc-endpoints" not in {v.policy for v in result.violations + result.not_run}
    for td in result.find(TD):
        containers = json.loads(td.inputs["containerDefinitions"])
        used = {service for _, service in api_calls(containers, execute_command=config.enable_execute_command)}
        # The sidecars' ECR Public images come through the mirror, so nothing needs ECR Public itself.
        assert "ecr-public" not in used
        plane_apis = {"monitoring", "appmesh-envoy-management"} if appmesh else set()
        assert {"logs", "ecr.api", "ecr.dkr", "s3", "xray", *plane_apis} <= used
        assert used - provided == set(), td.name


def test_sidecar_images_come_through_the_stacks_pull_through_cache_rule(stack):
    """ECR Public has no VPC endpoint: each sidecar image is this account's registry, the cache rule's prefix and its
    ECR Public path. A rule of another prefix or upstream would leave the tasks unable to pull."""
    _, result, _ = stack
    (rule,) = result.find("aws:ecr/pullThroughCacheRule:PullThroughCacheRule")
    assert rule.inputs["upstreamRegistryUrl"] == "public.ecr.aws"
    images = {c["image"] for td in result.find(TD) for c in json.loads(td.inputs["containerDefinitions"])}
    sidecars = {i for i in images if i.startswith("123456789012.dkr.ecr.us-east-1.amazonaws.com/")}
    assert {i.split("/", 2)[2].split(":")[0] for i in sidecars} >= {"xray/aws-xray-daemon", "docker/library/busybox"}
    assert all(i.split("/")[1] == rule.inputs["ecrRepositoryPrefix"] for i in sidecars), sidecars
    assert not {i for i in images if i.startswith("public.ecr.aws/")}


def test_the_caches_repositories_are_created_by_a_template_of_the_rules_prefix_that_expires_unpulled_images(stack):
    """ECR gives the repositories a pull-through cache creates the settings of the creation template of the rule's
    prefix, and ECR's defaults without one (no lifecycle policy: every image cached is kept). The template exists
    before the rule, so no pull creates a repository without it; it keeps MUTABLE tags, which the cache refreshes
    from upstream, and AES256, which needs no role of ours."""
    env, result, _ = stack
    (rule,) = result.find("aws:ecr/pullThroughCacheRule:PullThroughCacheRule")
    (template,) = result.find(TEMPLATE)
    assert template.inputs["prefix"] == rule.inputs["ecrRepositoryPrefix"] == f"{env}-ecr-public"
    assert template.inputs["appliedFors"] == ["PULL_THROUGH_CACHE"]
    assert template.urn in rule.dependencies
    # So README's first `up` targets both: `--target-dependents` on the rule would bring every ECS service as well,
    # since each waits on the whole egress layer.
    assert all({rule.urn, template.urn} <= set(service.dependencies) for service in result.find(ECS_SERVICE))
    assert (template.inputs["imageTagMutability"], template.inputs["encryptionConfigurations"]) == (
        "MUTABLE", [{"encryptionType": "AES256"}])
    assert not {"customRoleArn", "resourceTags", "repositoryPolicy"} & set(template.inputs)
    assert json.loads(template.inputs["lifecyclePolicy"]) == json.loads(cache_lifecycle_policy())
    assert f"{CACHE_UNPULLED_DAYS} days" in template.inputs["description"]


def test_the_caches_lifecycle_policy_expires_only_untagged_images_no_task_pulled_for_months():
    """One rule, as ECR's lifecycle policy properties shape it: untagged images, counted in days since their last
    pull. Never a tagged image, which a quiet service's next task would have to wait for a pull from outside the VPC
    to get back; nothing by push age or count, which would expire a digest a service still starts its tasks from."""
    (rule,) = json.loads(cache_lifecycle_policy())["rules"]
    assert rule == {"rulePriority": 1, "description": rule["description"], "action": {"type": "expire"},
                    "selection": {"tagStatus": "untagged", "countType": "sinceImagePulled", "countUnit": "days",
                                  "countNumber": CACHE_UNPULLED_DAYS}}
    assert CACHE_UNPULLED_DAYS >= 90


def test_a_task_that_needs_secrets_manager_without_its_endpoint_is_caught():
    task = [{"name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop/app:1.0",
             "logConfiguration": {"logDriver": "awslogs"},
             "secrets": [{"name": "KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:k-AbC"},
                         {"name": "P", "valueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/p"}]}]
    # Each call in the region it names (the image's registry, the secrets' ARNs), else the task's own (None).
    calls = api_calls(task, execute_command=False)
    assert calls == {("us-east-1", "ecr.api"), ("us-east-1", "ecr.dkr"), ("us-east-1", "s3"), (None, "logs"),
                     ("us-east-1", "secretsmanager"), ("us-east-1", "ssm")}
    used = {service for _, service in calls}
    assert used - {*BASE_AWS_APIS, "s3"} == {"ssm"}
    assert used - {s for s in BASE_AWS_APIS if s != "secretsmanager"} - {"s3"} == {"secretsmanager", "ssm"}
    # ECS Exec needs its channel; an image on ECR Public needs a mirror, which no endpoint replaces.
    assert api_calls([{"image": "public.ecr.aws/x/y:1"}], execute_command=True) == {
        (None, "ssmmessages"), (None, "ecr-public")}


# --------------------------------------------------------------------------------------------------
# DNS Firewall (every environment)
# --------------------------------------------------------------------------------------------------


def test_dns_firewall_allows_the_declared_and_blocks_the_rest(stack):
    env, result, config = stack
    allowed = result.get(DOMAIN_LIST, f"{env}-egress-dns-allowed").inputs["domains"]
    region_apis = {f"{s}.us-east-1.amazonaws.com" for s in _endpoint_services(result)
                   if s not in ("s3", "ecr.api", "ecr.dkr")}
    expected = {e.host for e in config.externals} | region_apis | {
        "api.ecr.us-east-1.amazonaws.com", "*.dkr.ecr.us-east-1.amazonaws.com",
        "prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com",
        "prod-us-east-1-starport-layer-bucket.s3.amazonaws.com",
        config.namespace, f"*.{config.namespace}"}
    # Fully qualified, as AWS stores them: without the dot every later `up` would update the lists again.
    assert set(allowed) == {f"{name}." for name in expected} and "api.stripe.com." in allowed
    assert result.get(DOMAIN_LIST, f"{env}-egress-dns-everything").inputs["domains"] == ["*."]
    rules = {r.inputs["action"]: r.inputs for r in result.find(DNS_RULE)}
    assert rules["ALLOW"]["firewallDomainListId"] == f"{env}-egress-dns-allowed-id"
    assert rules["ALLOW"]["firewallDomainRedirectionAction"] == "TRUST_REDIRECTION_DOMAIN"
    assert rules["BLOCK"]["firewallDomainListId"] == f"{env}-egress-dns-everything-id"
    assert rules["BLOCK"]["blockResponse"] == "NXDOMAIN"
    assert rules["ALLOW"]["priority"] < rules["BLOCK"]["priority"]
    assert {r["firewallRuleGroupId"] for r in rules.values()} == {f"{env}-egress-dns-id"}
    association = result.find(DNS_ASSOCIATION)
    assert len(association) == 1 and association[0].inputs["vpcId"] == f"{env}-network-vpc-id"
    assert 101 <= association[0].inputs["priority"] <= 9899
    # The association waits for the rules, so the VPC never has an empty (allow-all) group.
    rule_urns = {r.urn for r in result.find(DNS_RULE)}
    assert rule_urns <= set(association[0].dependencies)
    # When DNS Firewall cannot answer, the VPC resolves nothing rather than everything unfiltered.
    (fail_closed,) = result.find("aws:route53/resolverFirewallConfig:ResolverFirewallConfig")
    assert fail_closed.inputs == {"resourceId": f"{env}-network-vpc-id", "firewallFailOpen": "DISABLED"}
    # A VPC's priorities are unique, so a replacement deletes first; AWS's mutation protection refuses that
    # delete, so where it is on, Pulumi's protection refuses the replacement before any call.
    assert association[0].delete_before_replace is True
    assert association[0].protect == (association[0].inputs["mutationProtection"] == "ENABLED") == config.protect


def test_dns_queries_are_logged_to_cloudwatch(stack):
    env, result, config = stack
    group = result.get(LOG_GROUP, f"{env}-egress-dns-queries")
    assert group.inputs["name"] == f"/{env}/vpc/dns-queries"
    assert group.inputs["retentionInDays"] == config.sizing.log_retention_days
    log_config = result.find(QUERY_LOG)[0]
    assert log_config.inputs["destinationArn"] == group.state_struct["arn"]
    association = result.find(QUERY_LOG_ASSOCIATION)[0].inputs
    assert association == {"resolverQueryLogConfigId": _id(log_config), "resourceId": f"{env}-network-vpc-id"}


# --------------------------------------------------------------------------------------------------
# Network Firewall (prod)
# --------------------------------------------------------------------------------------------------


def test_network_firewall_only_where_config_turns_it_on(dev_preview, prod_preview):
    assert parse(raw_config("prod"), "prod").network.firewall and not parse(raw_config("dev")).network.firewall
    for type_ in (FIREWALL, FIREWALL_POLICY, RULE_GROUP, FIREWALL_LOGGING):
        assert dev_preview.find(type_) == [] and len(prod_preview.find(type_)) == 1, type_
    assert not [s for s in dev_preview.find(SUBNET) if "-firewall-" in s.name]


def test_firewall_allow_list_is_exactly_the_declared_externals(prod_preview):
    config = parse(raw_config("prod"), "prod")
    group = prod_preview.find(RULE_GROUP)[0].inputs
    assert group["type"] == "STATEFUL" and group["capacity"] == 100  # a new capacity would replace the group
    # A domain list takes a rule per host and target type, plus a drop rule per type: room for as many
    # externals as config admits, and the one AWS host reached through NAT.
    assert group["capacity"] >= 2 * (MAX_FIREWALL_EXTERNALS + len(public_aws_hosts(parse(raw_config("iot"), "iot")))) + 2
    source = group["ruleGroup"]["rulesSource"]["rulesSourceList"]
    assert source == {"generatedRulesType": "ALLOWLIST", "targetTypes": ["TLS_SNI", "HTTP_HOST"],
                      "targets": sorted(e.host for e in config.externals)}
    assert group["ruleGroup"]["statefulRuleOptions"] == {"ruleOrder": "STRICT_ORDER"}
    policy = prod_preview.find(FIREWALL_POLICY)[0].inputs["firewallPolicy"]
    assert policy["statefulEngineOptions"] == {"ruleOrder": "STRICT_ORDER", "streamExceptionPolicy": "DROP"}
    assert policy["statelessDefaultActions"] == policy["statelessFragmentDefaultActions"] == ["aws:forward_to_sfe"]
    assert policy["statefulDefaultActions"] == ["aws:drop_established", "aws:alert_established"]
    assert [r["resourceArn"] for r in policy["statefulRuleGroupReferences"]] == [
        prod_preview.find(RULE_GROUP)[0].state_struct["arn"]]


def test_firewall_has_one_endpoint_per_az_in_dedicated_subnets(prod_preview):
    firewall = prod_preview.find(FIREWALL)[0].inputs
    subnets = {s.name: s.inputs for s in prod_preview.find(SUBNET) if "-firewall-" in s.name}
    assert sorted(subnets) == [f"prod-network-firewall-{i}" for i in range(3)]
    assert sorted(s["availabilityZone"] for s in subnets.values()) == ["us-east-1a", "us-east-1b", "us-east-1c"]
    assert all(s["cidrBlock"].endswith("/28") for s in subnets.values())
    assert firewall["subnetMappings"] == [{"subnetId": f"prod-network-firewall-{i}-id"} for i in range(3)]
    assert firewall["deleteProtection"] is True and firewall["subnetChangeProtection"] is True
    # Its name is fixed, so a replacement deletes first; AWS's delete protection would refuse that delete, so
    # Pulumi's protection refuses the replacement (and the removal) before any call.
    resource = prod_preview.find(FIREWALL)[0]
    assert resource.protect is True and resource.delete_before_replace is True
    assert firewall["firewallPolicyArn"] == prod_preview.find(FIREWALL_POLICY)[0].state_struct["arn"]


def test_an_unprotected_stack_leaves_the_firewall_deletable_and_its_subnets_changeable():
    """AWS's delete and subnet change protection follow `protect` both ways (Security Hub NetworkFirewall.9 and .10):
    with it off, one update may remove the firewall or change its AZs."""
    result = preview("prod", config_overrides=["protect=false"])
    (firewall,) = result.find(FIREWALL)
    assert (firewall.inputs["deleteProtection"], firewall.inputs["subnetChangeProtection"]) == (False, False)
    assert firewall.protect is False


def test_private_traffic_goes_through_the_firewall_in_its_own_az_both_ways(prod_preview):
    routes = [r.inputs for r in prod_preview.find(ROUTE)]
    private_cidrs = {s.name: s.inputs["cidrBlock"] for s in prod_preview.find(SUBNET) if "-private-" in s.name}
    for i in range(3):
        endpoint = f"vpce-prod-egress-firewall-{i}"  # the mock's endpoint in firewall subnet i
        out = [r for r in routes if r["routeTableId"] == f"prod-network-private-{i}-id"]
        assert out == [{"routeTableId": f"prod-network-private-{i}-id", "destinationCidrBlock": "0.0.0.0/0",
                        "vpcEndpointId": endpoint}]
        onward = [r for r in routes if r["routeTableId"] == f"prod-network-firewall-{i}-id"]
        assert onward == [{"routeTableId": f"prod-network-firewall-{i}-id", "destinationCidrBlock": "0.0.0.0/0",
                           "natGatewayId": f"prod-network-nat-{i}-id"}]
        back = [r for r in routes if r["routeTableId"] == "prod-network-public-id"
                and r["destinationCidrBlock"] == private_cidrs[f"prod-network-private-{i}"]]
        assert back == [{"routeTableId": "prod-network-public-id",
                         "destinationCidrBlock": private_cidrs[f"prod-network-private-{i}"], "vpcEndpointId": endpoint}]
    # Nothing in the private tables bypasses the firewall to NAT.
    assert not [r for r in routes if r["routeTableId"].startswith("prod-network-private-") and "natGatewayId" in r]


def test_firewall_alert_and_flow_logs_go_to_cloudwatch(prod_preview):
    logging = prod_preview.find(FIREWALL_LOGGING)[0].inputs
    assert logging["firewallArn"] == prod_preview.find(FIREWALL)[0].state_struct["arn"]
    destinations = logging["loggingConfiguration"]["logDestinationConfigs"]
    assert sorted((d["logType"], d["logDestinationType"], d["logDestination"]["logGroup"]) for d in destinations) == [
        ("ALERT", "CloudWatchLogs", "/prod/network-firewall/alert"),
        ("FLOW", "CloudWatchLogs", "/prod/network-firewall/flow")]
    for kind in ("alert", "flow"):
        group = prod_preview.get(LOG_GROUP, f"prod-egress-firewall-{kind}")
        assert group.inputs["retentionInDays"] == 365 and group.protect


def test_firewall_endpoints_are_exported_per_subnet(dev_preview, prod_preview):
    assert prod_preview.outputs["firewallEndpointIds"] == {
        f"prod-network-firewall-{i}-id": f"vpce-prod-egress-firewall-{i}" for i in range(3)}
    assert "firewallEndpointIds" not in dev_preview.outputs


def test_both_allow_lists_follow_the_one_externals_list(tmp_path):
    """A second external appears in the DNS allow-list and the firewall's, and nowhere needs it twice."""
    def add_external(text: str) -> str:
        anchor = "      host: api.stripe.com\n      port: 443\n"
        text = text.replace(anchor, anchor + "    - name: tax-provider\n      host: api.taxes.example.com\n"
                                             "      port: 443\n", 1)
        return text.replace("externals: [payment-provider]", "externals: [payment-provider, tax-provider]", 1)

    program = program_with_stack(tmp_path, "prod", add_external)
    result = run_preview("prod", program, ROOT / "policies", ROOT / "policies" / "config" / "prod.json")
    assert result.error is None, result.error
    targets = result.find(RULE_GROUP)[0].inputs["ruleGroup"]["rulesSource"]["rulesSourceList"]["targets"]
    assert targets == ["api.stripe.com", "api.taxes.example.com"]
    assert {"api.stripe.com.", "api.taxes.example.com."} <= set(
        result.get(DOMAIN_LIST, "prod-egress-dns-allowed").inputs["domains"])


def test_unknown_outputs_leave_the_egress_wiring_in_place():
    result = preview("prod", unknown_outputs=True)
    assert result.exit_code == 0
    assert sorted(r.name for r in result.find(ROUTE) if r.name.startswith("prod-egress-")) == sorted(
        [f"prod-egress-firewall-{i}-return" for i in range(3)] + [f"prod-egress-private-{i}-out" for i in range(3)])


ANYWHERE = "0.0.0.0/0"
# As the engine writes a URN: the parents' whole type chain (the root stack left out), then the type.
PLATFORM_URN = "urn:pulumi:dev::service-mesh-platform::service-mesh-platform:index:Platform"


def test_turning_the_firewall_on_or_off_changes_the_target_of_the_one_private_default_route(dev_preview):
    """A table holds one route per destination, and Pulumi makes a new resource before deleting the old one:
    the private default route must be the same resource with and without the firewall, its target switched
    in place. Aliases carry it over from where earlier versions made it (Network; egress firewall-<i>-out)."""
    with_firewall = preview("dev", config_overrides=["network.firewall=true"])

    def defaults(result):
        return {r.urn: r for r in result.find(ROUTE)
                if r.inputs["destinationCidrBlock"] == ANYWHERE and "-private-" in r.inputs["routeTableId"]}

    off, on = defaults(dev_preview), defaults(with_firewall)
    assert set(off) == set(on) and len(off) == 2
    for urn, route in off.items():
        i = route.name.removeprefix("dev-egress-private-").removesuffix("-out")
        assert route.inputs == {"routeTableId": f"dev-network-private-{i}-id", "destinationCidrBlock": ANYWHERE,
                                "natGatewayId": "dev-network-nat-0-id"}
        assert on[urn].inputs == {"routeTableId": f"dev-network-private-{i}-id", "destinationCidrBlock": ANYWHERE,
                                  "vpcEndpointId": f"vpce-dev-egress-firewall-{i}"}
        assert route.aliases == on[urn].aliases == [
            f"{PLATFORM_URN}$service-mesh-platform:network:Network$aws:ec2/route:Route::dev-network-private-{i}-default",
            f"{PLATFORM_URN}$service-mesh-platform:egress:Egress$aws:ec2/route:Route::dev-egress-firewall-{i}-out"]


# --------------------------------------------------------------------------------------------------
# Config errors: one line naming the key path and the stack file
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["https://api.stripe.com", "10.1.2.3", "api stripe.com", "*.stripe.com",
                                  "api.Stripe.com"])
def test_an_external_host_that_is_not_a_hostname_is_refused(host):
    message = config_error(with_value(dev_raw_config(), "externals[0].host", host))
    assert message == f"Pulumi.dev.yaml: externals[0].host: {host!r} is not a lower-case DNS host name"


def test_an_external_may_share_a_services_port_on_service_connect_but_not_on_app_mesh():
    # Service Connect's proxy takes only its aliases' traffic; App Mesh's Envoy originates mTLS by port.
    raw = with_value(dev_raw_config(), "externals[0].port", 8000)
    assert parse(raw).externals[0].port == 8000 == parse(raw).service("payment-service").port
    message = config_error(with_value(raw, "mesh.dataPlane", "appmesh"))
    assert message.startswith("Pulumi.dev.yaml: externals[0].port: 8000 is also the port of payment-service "
                              "(services[3].port): Envoy originates mesh mTLS by port")


EXISTING = {"vpcId": "vpc-0abc1234", "vpcCidr": "10.50.0.0/16", "privateSubnetIds": ["subnet-0aaa1111", "subnet-0bbb2222"],
            "publicSubnetIds": ["subnet-0ccc3333", "subnet-0ddd4444"], "privateRouteTableIds": ["rtb-0eee5555"]}


def test_the_firewall_on_an_existing_vpc_without_firewall_subnets_is_refused():
    raw = with_value(raw_config("prod"), "network", {"existing": dict(EXISTING), "firewall": True})
    assert config_error(raw, "prod") == (
        "Pulumi.prod.yaml: network.existing.firewallSubnetIds: network.firewall needs one dedicated firewall subnet "
        "per private subnet, in the same AZ and order (2); got 0")
    # One more than the private subnets would put a second firewall endpoint in a zone, which AWS refuses.
    raw["network"]["existing"]["firewallSubnetIds"] = ["subnet-0f1f1f1f", "subnet-0f2f2f2f", "subnet-0f3f3f3f"]
    assert config_error(raw, "prod").endswith("in the same AZ and order (2); got 3")
    raw["network"]["existing"]["firewallSubnetIds"] = ["subnet-0f1f1f1f", "subnet-0f2f2f2f"]
    assert parse(raw, "prod").network.existing.firewall_subnet_ids == ("subnet-0f1f1f1f", "subnet-0f2f2f2f")


def test_the_firewall_without_endpoints_is_refused():
    """The firewall passes only the externals: without endpoints the tasks' AWS API calls would go through it."""
    raw = raw_config("prod")
    raw["network"]["endpoints"] = False
    assert config_error(raw, "prod") == (
        "Pulumi.prod.yaml: network.firewall: needs network.endpoints: without them the AWS API calls tasks make "
        "(ECR, logs, secrets) go through the firewall, which passes only the externals")
    raw["network"]["firewall"] = False
    assert parse(raw, "prod").network.endpoints is False
    # A brought VPC may have endpoints of its own (which is why its stack turns ours off).
    existing = {"existing": dict(EXISTING, firewallSubnetIds=["subnet-0f1f1f1f", "subnet-0f2f2f2f"]), "firewall": True,
                "endpoints": False}
    assert parse(with_value(raw_config("prod"), "network", existing), "prod").network.firewall is True


# AWS refuses 100 ("The priority value you provided is reserved", terraform-provider-aws#43694), and 9900 with it.
@pytest.mark.parametrize("priority", [99, 100, 9900, 9901])
def test_a_dns_firewall_priority_aws_refuses_is_refused(priority):
    raw = with_value(dev_raw_config(), "network", {"existing": {**EXISTING, "dnsFirewallPriority": priority}})
    assert config_error(raw) == (f"Pulumi.dev.yaml: network.existing.dnsFirewallPriority: {priority} is not a DNS "
                                 "Firewall priority (101-9899)")
    assert parse(with_value(dev_raw_config(), "network", {"existing": EXISTING})).network.dns_firewall_priority == 101


def test_endpoints_on_an_existing_vpc_need_its_private_route_tables():
    existing = {k: v for k, v in EXISTING.items() if k != "privateRouteTableIds"}
    assert config_error(with_value(dev_raw_config(), "network", {"existing": existing})).startswith(
        "Pulumi.dev.yaml: network.existing.privateRouteTableIds: is required when network.endpoints is on")
    assert parse(with_value(dev_raw_config(), "network", {"existing": existing, "endpoints": False})).network.endpoints \
        is False


def test_firewall_subnets_without_the_firewall_and_a_vpc_too_small_for_them_are_refused():
    raw = with_value(dev_raw_config(), "network", {"existing": {**EXISTING, "firewallSubnetIds": ["subnet-0f1f1f1f"]}})
    assert config_error(raw) == ("Pulumi.dev.yaml: network.existing.firewallSubnetIds: only applies when "
                                 "network.firewall is true")
    raw = with_value(dev_raw_config(), "network.firewall", True)
    raw = with_value(raw, "network.create.cidr", "10.20.0.0/18")
    assert config_error(raw) == ("Pulumi.dev.yaml: network.create.cidr: 10.20.0.0/18 holds 4 /20 subnets; azSlots 2 "
                                 "with network.firewall needs 5")
    # Exactly enough is enough: without the firewall the same /18 holds the four.
    assert parse(with_value(raw, "network.firewall", False)).network.create.cidr == "10.20.0.0/18"


@pytest.mark.parametrize("cidr,message", [
    ("10.20.0.0/24", "10.20.0.0/24 holds 0 /20 subnets; azSlots 2 with network.firewall needs 5"),
    ("10.0.0.0/8", "10.0.0.0/8 is not a VPC block size (AWS allows /16 to /28)"),
])
def test_vpc_blocks_aws_rejects_or_that_cannot_hold_the_subnets_are_refused(cidr, message):
    raw = with_value(with_value(dev_raw_config(), "network.firewall", True), "network.create.cidr", cidr)
    assert config_error(raw) == f"Pulumi.dev.yaml: network.create.cidr: {message}"


def test_the_switches_are_booleans_and_endpoints_default_on():
    assert config_error(with_value(dev_raw_config(), "network.firewall", "yes")) == \
        "Pulumi.dev.yaml: network.firewall: expected true or false, got a string"
    assert parse(with_value(dev_raw_config(), "network.endpoints", DELETE)).network.endpoints is True


def test_every_ecs_service_waits_for_the_whole_egress_layer(stack):
    """A task's first image pull, log write and secret read go through the egress layer (routes, endpoints, the
    image mirror) and its DNS Firewall filters what the task resolves: no service is created before all of it."""
    env, result, _ = stack
    [layer] = [r for r in result.resources if r.type == "service-mesh-platform:egress:Egress"]
    children: dict = {}
    for r in result.resources:
        children.setdefault(r.parent, []).append(r)
    inside, todo = [], [layer.urn]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child.urn)
            inside.append(child)
    assert {ROUTE, ENDPOINT, DNS_ASSOCIATION} <= {r.type for r in inside if r.custom}
    _every_service_waits_for(result, [r for r in inside if r.custom])


def _every_service_waits_for(result, resources) -> None:
    required = {r.urn for r in resources}
    services = result.find(ECS_SERVICE)
    assert services
    for service in services:
        assert required <= set(service.dependencies), (service.name, sorted(required - set(service.dependencies)))


def test_every_ecs_service_waits_for_the_networks_exits(stack):
    """Until its association exists a subnet routes by the VPC's main table, which leads nowhere; a NAT gateway
    takes a minute or two: a service's first tasks wait for every association, NAT gateway and default route of
    the created VPC's public and firewall subnets (prod's firewall hop leads to its NAT gateways)."""
    env, result, config = stack
    associations = result.find("aws:ec2/routeTableAssociation:RouteTableAssociation")
    nats = result.find("aws:ec2/natGateway:NatGateway")
    defaults = [r for r in result.find(ROUTE) if r.parent == result.get(
        "service-mesh-platform:network:Network", f"{env}-network").urn]
    tiers = 3 if config.network.firewall else 2
    assert len(associations) == tiers * config.network.create.az_count
    assert len(nats) == config.network.create.nat_gateways and nats
    assert len(defaults) == 1 + (config.network.create.az_count if config.network.firewall else 0)
    _every_service_waits_for(result, [*associations, *nats, *defaults])
