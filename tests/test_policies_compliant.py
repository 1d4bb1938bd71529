"""Compliant raw programs: the App Mesh one gets no finding but the legacy VPC link's advisory, the Service Connect
one none at any level; and the real stacks stay clean."""
from __future__ import annotations

import json
import re
from typing import Optional

import pytest

from tests.conftest import ROOT
from tests.test_policies_support import (
    ADVISORY_EVERYWHERE,
    ALL_POLICIES,
    CONFIG,
    assert_passes,
    assert_unknowns_add_nothing,
    program,
    stack_level,
)

PROGRAM = "policy_compliant"
SC_PROGRAM = "policy_sc_compliant"

# Every policy, on one resource of a type it evaluates (tags: any taggable resource).
EXAMPLES = {
    "aws:appmesh/mesh:Mesh": "mesh",
    "aws:appmesh/virtualNode:VirtualNode": "orders-v1",
    "aws:appmesh/virtualGateway:VirtualGateway": "ingress",
    "aws:appmesh/route:Route": "orders-route",
    "aws:ecs/taskDefinition:TaskDefinition": "orders-task",
    "aws:ecs/service:Service": "orders",
    "aws:ecs/cluster:Cluster": "cluster",
    "aws:ecs/capacityProvider:CapacityProvider": "capacity",
    "aws:apigateway/stage:Stage": "stage",
    "aws:apigatewayv2/stage:Stage": "http-stage",
    "aws:apigatewayv2/route:Route": "http-orders",
    "aws:lambda/function:Function": "orders-fn",
    "aws:lambda/functionUrl:FunctionUrl": "orders-fn-url",
    "aws:lambda/permission:Permission": "orders-fn-org-invoke",
    "aws:apigatewayv2/api:Api": "openapi-http",
    "aws:apigateway/restApi:RestApi": "api",
    "aws:apigateway/methodSettings:MethodSettings": "all-methods",
    "aws:apigateway/method:Method": "get-orders",
    "aws:apigateway/usagePlan:UsagePlan": "standard",
    "aws:apigateway/domainName:DomainName": "domain",
    "aws:apigateway/integration:Integration": "get-orders-integration",
    "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace": "public-namespace",
    "aws:servicediscovery/service:Service": "orders-registry",
    "aws:cloudtrail/trail:Trail": "trail",
    "aws:cloudtrail/eventDataStore:EventDataStore": "activity-lake",
    "aws:s3/bucket:Bucket": "archive",
    "aws:alb/loadBalancer:LoadBalancer": "alb",
    "aws:elb/loadBalancer:LoadBalancer": "classic",
    "aws:cloudwatch/logGroup:LogGroup": "api-access-logs",
    "aws:kms/key:Key": "logs-key",
    "aws:sns/topic:Topic": "alerts",
    "aws:sns/topicSubscription:TopicSubscription": "alerts-pager",
    "aws:sqs/queue:Queue": "jobs",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "orders-5xx-alarm",
    "aws:cognito/userPool:UserPool": "users",
    "aws:cognito/userPoolClient:UserPoolClient": "storefront",
    "aws:cognito/identityPool:IdentityPool": "shop-identities",
    "aws:wafv2/webAcl:WebAcl": "acl",
    "aws:dynamodb/table:Table": "orders-table",
    "aws:cloudwatch/eventTarget:EventTarget": "nightly-orders",
    "aws:scheduler/schedule:Schedule": "hourly-orders",
    "aws:pipes/pipe:Pipe": "orders-pipe",
    "aws:batch/jobDefinition:JobDefinition": "orders-report",
    "aws:apprunner/service:Service": "orders-web",
    "aws:route53/zone:Zone": "shop-zone",
    "aws:rds/instance:Instance": "orders-db",
    "aws:rds/cluster:Cluster": "accounts-db",
    "aws:rds/clusterInstance:ClusterInstance": "accounts-db-1",
    "aws:rds/snapshot:Snapshot": "orders-db-snapshot",
    "aws:rds/proxy:Proxy": "accounts-db-proxy",
    "aws:ecr/repository:Repository": "orders-images",
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": "ecr-public-cache",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": "ecr-public-cache-template",
    "aws:ec2/instance:Instance": "orders-worker",
    "aws:autoscaling/group:Group": "orders-workers",
    "aws:elasticache/replicationGroup:ReplicationGroup": "sessions-cache",
    "aws:elasticache/cluster:Cluster": "rates-cache",
    "aws:elasticache/serverlessCache:ServerlessCache": "carts-cache",
    "aws:lambda/layerVersionPermission:LayerVersionPermission": "orders-layer-org",
    "aws:cloudfront/distribution:Distribution": "shop-edge",
    "aws:opensearch/domain:Domain": "catalogue-search",
    "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy": "catalogue-search-network",
    "aws:efs/fileSystem:FileSystem": "order-files",
    "aws:efs/accessPoint:AccessPoint": "order-files-orders",
    "aws:efs/mountTarget:MountTarget": "order-files-target",
    "aws:eks/cluster:Cluster": "orders-eks",
    "aws:eks/nodeGroup:NodeGroup": "orders-nodes",
    "aws:msk/cluster:Cluster": "telemetry-kafka",
    "aws:mskconnect/connector:Connector": "telemetry-sink",
    "aws:msk/replicator:Replicator": "telemetry-replicator",
    "aws:kinesis/stream:Stream": "device-telemetry",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "telemetry-archive",
    "aws:secretsmanager/secret:Secret": "partner-api-token",
    "aws:cloudwatch/eventBus:EventBus": "orders-bus",
    "aws:cloudwatch/eventEndpoint:EventEndpoint": "orders-endpoint",
    "aws:sfn/stateMachine:StateMachine": "orders-workflow",
    "aws:codebuild/project:Project": "orders-image-build",
    "aws:iot/policy:Policy": "device-policy",
    "aws:iot/loggingOptions:LoggingOptions": "iot-logging",
    "aws:iot/topicRule:TopicRule": "telemetry-rule",
    "aws:secretsmanager/secretRotation:SecretRotation": "partner-api-token-rotation",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "core-tgw",
    "aws:ec2clientvpn/endpoint:Endpoint": "support-vpn",
    "aws:ec2/vpnConnection:VpnConnection": "warehouse-office-vpn",
    "aws:ec2/amiLaunchPermission:AmiLaunchPermission": "orders-worker-ami-org",
    "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess": "image-sharing-blocked",
    "aws:ssm/document:Document": "restart-agent",
    "aws:appsync/graphQLApi:GraphQLApi": "orders-graphql",
    "aws:appsync/api:Api": "orders-events",
    "aws:appsync/channelNamespace:ChannelNamespace": "orders-events-ns",
    "aws:athena/workgroup:Workgroup": "telemetry-queries",
    "aws:dax/cluster:Cluster": "orders-cache",
    "aws:dms/replicationInstance:ReplicationInstance": "orders-migration",
    "aws:dms/endpoint:Endpoint": "orders-source",
    "aws:dms/replicationTask:ReplicationTask": "orders-copy",
    "aws:mq/broker:Broker": "orders-broker",
    "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration": "emr-public-access-blocked",
    "aws:emr/securityConfiguration:SecurityConfiguration": "emr-encrypted",
    "aws:emr/cluster:Cluster": "analytics",
    "aws:transfer/server:Server": "partner-sftp",
    "aws:transfer/connector:Connector": "partner-outbound",
    "aws:elasticbeanstalk/environment:Environment": "storefront-web",
    "aws:redshiftserverless/workgroup:Workgroup": "orders-analytics",
    "aws:redshiftserverless/namespace:Namespace": "orders-warehouse",
    "aws:sagemaker/notebookInstance:NotebookInstance": "churn-notebook",
    "aws:sagemaker/model:Model": "churn-model",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": "churn-endpoint",
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition": "churn-quality",
    "aws:sagemaker/featureGroup:FeatureGroup": "churn-features",
    "aws:docdb/cluster:Cluster": "orders-docdb",
    "aws:neptune/cluster:Cluster": "orders-graph",
    "aws:redshift/cluster:Cluster": "sales-warehouse",
    "aws:redshift/subnetGroup:SubnetGroup": "sales-warehouse-subnets",
    "aws:glue/job:Job": "orders-etl",
    "aws:datasync/task:Task": "orders-archive-sync",
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": "orders-files",
    "aws:workspaces/workspace:Workspace": "support-desk",
    "aws:iam/policyAttachment:PolicyAttachment": "support-read-only",
    "aws:guardduty/detector:Detector": "threat-detection",
    "aws:inspector2/enabler:Enabler": "vulnerability-scanning",
    "aws:macie2/account:Account": "data-discovery",
}
# The same for tests/programs/policy_sc_compliant (Service Connect, security groups, ALB ingress, egress).
SC_EXAMPLES = {
    "aws:ecs/service:Service": "orders",
    "aws:ecs/taskDefinition:TaskDefinition": "orders-task",
    "aws:ecs/cluster:Cluster": "cluster",
    "aws:acmpca/certificateAuthority:CertificateAuthority": "sc-ca",
    "aws:iam/role:Role": "orders-task-role",
    "aws:ec2/securityGroup:SecurityGroup": "orders-sg",
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "private-subnet",
    "aws:ec2/networkAcl:NetworkAcl": "private-acl",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "endpoint-logs",
    "aws:lb/loadBalancer:LoadBalancer": "alb",
    "aws:lb/listener:Listener": "https",
    "aws:lb/listenerRule:ListenerRule": "http-moved",
    "aws:networkfirewall/ruleGroup:RuleGroup": "externals",
    "aws:networkfirewall/firewallPolicy:FirewallPolicy": "egress-policy",
    "aws:networkfirewall/firewall:Firewall": "egress-firewall",
    "aws:route53/resolverFirewallConfig:ResolverFirewallConfig": "dns-fail-closed",
    "aws:apigateway/method:Method": "get-orders",
    "aws:apigateway/integration:Integration": "get-orders-integration",
}
SC_OVERRIDES = {"elb-listener-http-redirects": "http", "ec2-securitygroup-egress-restricted": "payments-to-internet"}


def examples(table: dict, overrides: dict = {}) -> list[tuple[str, str]]:
    """(policy, resource) for each policy with an example of a type it evaluates in `table` (tags: the API)."""
    found = []
    for p in ALL_POLICIES:
        names = [table[t] for t in p.resource_types if t in table] if p.resource_types else ["api"]
        if p.name in overrides or names:
            found.append((p.name, overrides.get(p.name) or names[0]))
    return found


# A WebSocket stage for the WebSocket-only policy (an HTTP stage is not judged by it).
OVERRIDES = {"apigatewayv2-websocket-stage-execution-logging": "ws-stage",
             "opensearch-serverless-encryption-cmk": "catalogue-search-encryption"}
PASSING = [pair for pair in examples(EXAMPLES, OVERRIDES) if pair[0] != "apigateway-integration-vpc-link-v2"]
# The egress node is only acceptable because the stack config approves api.stripe.com.
PASSING.append(("appmesh-virtualnode-external-hostname-allowed", "payment-provider"))
# A schedule's own job definition, beside the data quality job definition each policy's example is (its type comes
# first, and one instance passes traffic encryption without it being read).
PASSING += [(policy, "churn-inline-monitor") for policy in ("sagemaker-monitoring-network-isolation",
                                                              "sagemaker-monitoring-traffic-encryption")]
# Named here, not in EXAMPLES, so that elb-service-connect-targets-tls13 keeps its Service Connect example.
PASSING.append(("elb-targetgroup-health-check-https", "orders-targets"))
SC_PASSING = examples(SC_EXAMPLES, SC_OVERRIDES)
# The App Mesh program reaches its Envoy gateway through an NLB, which needs the legacy VPC link V1.
LEGACY_LINK = ("apigateway-integration-vpc-link-v2", "get-orders-integration", "advisory")


def sc_config(stack: str) -> dict:
    """The stack's policy config with the knobs the Service Connect program's own names need."""
    config = json.loads((CONFIG / f"{stack}.json").read_text())
    knobs = {"ec2-securitygroup-egress-restricted": {"httpsEgressGroups": ["payments"]},
             "ec2-vpc-interface-endpoints": {"required": True}, "ecs-task-vpc-endpoints": {"required": True},
             "route53-vpc-dns-firewall": {"required": True},
             "networkfirewall-domain-allowlist": {"allowedDomains": ["api.stripe.com"]}}
    for name, values in knobs.items():
        entry = config.get(name)
        config[name] = {**({"enforcementLevel": entry} if isinstance(entry, str) else entry or {}), **values}
    return config


def test_every_policy_has_a_compliant_example():
    assert sorted({p.name for p in ALL_POLICIES} - {name for name, _ in PASSING + SC_PASSING}) == []


@pytest.fixture(scope="module", params=["dev", "prod"])
def result(request):
    return program(PROGRAM, CONFIG / f"{request.param}.json")


@pytest.fixture(scope="module", params=["dev", "prod"])
def sc_result(request):
    return program(SC_PROGRAM, sc_config(request.param))


def test_only_the_legacy_vpc_link_is_reported(result):
    assert [(v.policy, v.name, v.enforcement_level) for v in result.violations] == [LEGACY_LINK]
    assert result.exit_code == 0


def test_the_service_connect_program_has_zero_findings_of_any_level(sc_result):
    assert [(v.policy, v.name, v.message) for v in sc_result.violations] == []
    assert sc_result.not_run == []


@pytest.mark.parametrize("policy,resource", SC_PASSING)
def test_every_policy_evaluates_and_passes_a_compliant_service_connect_resource(sc_result, policy, resource):
    assert_passes(sc_result, policy, resource)


def test_a_first_service_connect_preview_is_clean_too():
    first = program(SC_PROGRAM, sc_config("prod"), unknown=True)
    assert first.violations == []


@pytest.mark.parametrize("policy,resource", PASSING)
def test_every_policy_evaluates_and_passes_a_compliant_resource(result, policy, resource):
    assert_passes(result, policy, resource)


def test_a_first_preview_is_clean_too():
    first = program(PROGRAM, CONFIG / "prod.json", unknown=True)
    assert [(v.policy, v.name, v.enforcement_level) for v in first.violations] == [LEGACY_LINK]
    # The Envoy task embeds the virtual node's ARN: its checks wait for the update, they do not fail.
    assert {v.name for v in first.not_run} == {"orders-task"}
    assert_unknowns_add_nothing(program(PROGRAM, CONFIG / "prod.json"), first)


# --- the real stacks under their own policy config (previews shared with tests/test_preview.py) -------------


def test_prod_has_no_mandatory_findings_and_only_advisory_by_design_ones(prod_preview):
    assert prod_preview.mandatory == []
    assert {v.policy for v in prod_preview.advisory} <= ADVISORY_EVERYWHERE


def _documented_dev_findings(path: str, heading: str) -> set[str]:
    """The policies in the first table under `heading` in `path` (the README's and docs/policies.md's dev tables)."""
    text = (ROOT / path).read_text().split(heading, 1)[1]
    rows = text[text.index("\n|"):].split("\n\n", 1)[0].splitlines()
    return {m.group(1) for m in (re.match(r"\| `([a-z0-9-]+)` \|", row) for row in rows) if m}


def test_dev_findings_are_exactly_the_documented_advisory_ones(dev_preview):
    assert dev_preview.mandatory == []
    found = {v.policy for v in dev_preview.advisory}
    # Each is a policy dev relaxes on purpose, and both tables that explain them name exactly these.
    assert found <= {p.name for p in ALL_POLICIES if stack_level("dev", p.name) == "advisory"}
    assert found == _documented_dev_findings("docs/policies.md", "## Dev findings")
    assert found == _documented_dev_findings("README.md", "advisory ones, on purpose")


NUMBER_WORDS = {"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _documented_list(path: str, start: str, end: str) -> tuple[Optional[int], set[str], list[str]]:
    """How many `start` in `path` says there are (its first word, if a number), the policies named between `start`
    and the next `end`, and those of them named as "the mandatory `x`" (the guarantee an advisory one refines)."""
    text = " ".join((ROOT / path).read_text().split())
    passage = text.split(start, 1)[1].split(end, 1)[0]
    names = {p.name for p in ALL_POLICIES}
    named = [n for n in re.findall(r"`([a-z0-9-]+)`", passage) if n in names]
    mandatory = [n for n in re.findall(r"the mandatory `([a-z0-9-]+)`", passage) if n in names]
    return NUMBER_WORDS.get(start.split()[0].lower()), set(named) - set(mandatory), mandatory


# Where README and docs/policies.md list the advisory-by-design policies and those dev relaxes without a finding.
ADVISORY_LISTS = [("README.md", "seven policies that are advisory in every stack by design", "so a workload group"),
                  ("docs/policies.md", "Seven policies are advisory in every stack config", "## "),
                  ("README.md", "seven more that find nothing in dev today", "(docs/policies.md"),
                  ("docs/policies.md", "Also relaxed to advisory in dev, with no current finding", "## ")]


def test_the_docs_list_the_advisory_by_design_policies_and_dev_relaxed_ones_as_the_configs_say(dev_preview):
    """README and docs/policies.md name the policies advisory in every stack, and those dev relaxes that find
    nothing in dev today, with their count: each list must be what the policy configs and dev's preview say."""
    dev_relaxed = {p.name for p in ALL_POLICIES if stack_level("dev", p.name) == "advisory"}
    quiet = dev_relaxed - ADVISORY_EVERYWHERE - {v.policy for v in dev_preview.advisory}
    for (path, start, end), expected in zip(ADVISORY_LISTS, (ADVISORY_EVERYWHERE, ADVISORY_EVERYWHERE, quiet, quiet)):
        count, named, mandatory = _documented_list(path, start, end)
        assert named == expected and count in (None, len(expected)), (path, start)
        assert all(stack_level(stack, n) == "mandatory" for n in mandatory for stack in ("dev", "prod")), mandatory


def test_a_policy_left_out_of_a_documented_list_would_be_caught(monkeypatch, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("Intro.\n\nSeven policies are advisory in every stack config: `acmpca-ca-short-lived` (the\n"
                   "mandatory `iam-task-role-no-ecs-sc-secrets` catches it) and `not-a-policy`.\n\n## Next\n`a`\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _documented_list("doc.md", "Seven policies are advisory in every stack config", "## ") == (
        7, {"acmpca-ca-short-lived"}, ["iam-task-role-no-ecs-sc-secrets"])


@pytest.mark.parametrize("fixture", ["dev_preview", "prod_preview"])
def test_the_stacks_ecs_task_and_execution_roles_pass_the_trust_policy(fixture, request):
    # components/compute.py pins ECS to this account: StringEquals/ArnLike on the task role, their IfExists forms on
    # the execution role (tests/test_compute.py checks the documents); the policy reads both and reports neither.
    result = request.getfixturevalue(fixture)
    roles = [r.name for r in result.resources if r.type == "aws:iam/role:Role"
             and "ecs-tasks.amazonaws.com" in r.inputs.get("assumeRolePolicy", "")]
    assert {name.rsplit("-", 1)[-1] for name in roles} == {"task", "execution"}, roles
    # (assert_passes wants a unique name: each role shares its name with its RolePolicy.)
    reported = {v.name for v in result.violations + result.not_run if v.policy == "iam-ecs-tasks-trust-scoped"}
    assert reported == set()
