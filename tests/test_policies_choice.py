"""A value picked among several resources' outputs (`Output.all(blue.arn, green.arn).apply(pick)`) depends on each but
names one: stack policies judge the one it names, and while it is unknown (a first preview) none of them.

Each case is evaluated through the pack's analyzer (`analyze`) twice: with the value the update gives (the findings
`resolved` lists, exactly), and with it unknown, when no finding may appear that the resolved run does not have."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import UNKNOWN, Res, analyze, findings

ACCOUNT = "arn:aws:{}:us-east-1:123456789012:{}"
PUBLIC, PRIVATE = "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace", \
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
DISCOVERY = "aws:servicediscovery/service:Service"
MESH_DISCOVERY = "cloudmap-namespace-private-for-mesh"


def namespaces() -> list[Res]:
    return [Res(PUBLIC, "pub", {"name": "example.com", "id": "ns-pub", "arn": ACCOUNT.format(
                "servicediscovery", "namespace/ns-pub")}),
            Res(PRIVATE, "priv", {"name": "svc.local", "id": "ns-priv", "vpc": "vpc-1", "arn": ACCOUNT.format(
                "servicediscovery", "namespace/ns-priv")})]


def registries() -> list[Res]:
    """A Cloud Map service with DNS records in each namespace, each named by its namespace's id through that
    namespace's output."""
    records = [{"type": "A", "ttl": 10}]
    return [Res(DISCOVERY, f"s-{ns}", {"name": f"orders-{ns}", "id": f"srv-{ns}",
                                      "dnsConfig": {"namespaceId": f"ns-{ns}", "dnsRecords": records},
                                      "arn": ACCOUNT.format("servicediscovery", f"service/srv-{ns}"),
                                      "healthCheckCustomConfig": {"failureThreshold": 1}}, {"dnsConfig": [ns]})
            for ns in ("pub", "priv")]


def registering(registry_arn: object) -> list[Res]:
    """An ECS service registering into the registry `registry_arn` names, picked among both registries' ARNs."""
    return [*namespaces(), *registries(), Res("aws:ecs/service:Service", "svc", {
        "name": "orders", "serviceRegistries": [{"registryArn": registry_arn}]}, {"serviceRegistries": ["s-pub",
                                                                                                      "s-priv"]})]


def in_namespace(namespace_id: object) -> list[Res]:
    """A Cloud Map service with Route 53 health checks, its namespace id picked among both namespaces' ids."""
    return [*namespaces(), Res(DISCOVERY, "svc", {
        "name": "orders", "namespaceId": namespace_id, "healthCheckConfig": {"type": "HTTP", "resourcePath": "/"},
        "dnsConfig": {"namespaceId": namespace_id, "dnsRecords": [{"type": "A", "ttl": 10}]}},
        {"namespaceId": ["pub", "priv"], "dnsConfig": ["pub", "priv"]})]


STAGE = "aws:apigateway/stage:Stage"


def stages_with_waf(resource_arn: object, names: tuple[str, str] = ("one", "two")) -> list[Res]:
    """Two stages of one REST API, and a WAF association whose resourceArn is picked among their ARNs."""
    stages = [Res(STAGE, name, {"stageName": name, "restApi": "api-1", "arn": f"arn:aws:apigateway:us-east-1::"
                                                                              f"/restapis/api-1/stages/{name}"})
              for name in names]
    return [*stages, Res("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", {
        "webAclArn": ACCOUNT.format("wafv2", "regional/webacl/shop/1"), "resourceArn": resource_arn},
        {"resourceArn": list(names)})]


def canary_stage_with_waf(resource_arn: object) -> list[Res]:
    """As `stages_with_waf`, for stages whose ARNs begin alike: prod's is the start of prod-canary's."""
    return stages_with_waf(resource_arn, ("prod", "prod-canary"))


def open_method(resource_id: object) -> list[Res]:
    """An open GET whose resource id is picked among the API's root resource id and /health's id."""
    return [Res("aws:apigateway/restApi:RestApi", "api", {"name": "shop", "id": "api-1", "rootResourceId": "root-1"}),
            Res("aws:apigateway/resource:Resource", "health", {"restApi": "api-1", "parentId": "root-1",
                                                               "pathPart": "health", "id": "res-health"},
                {"restApi": ["api"], "parentId": ["api"]}),
            Res("aws:apigateway/method:Method", "get", {"restApi": "api-1", "resourceId": resource_id,
                                                        "httpMethod": "GET", "authorization": "NONE"},
                {"restApi": ["api"], "resourceId": ["api", "health"]})]


def scaled_tables(resource_id: object) -> list[Res]:
    """Two provisioned tables, and scaling of both capacities of the one `resource_id` names, made from both names."""
    tables = [Res("aws:dynamodb/table:Table", name, {"name": name, "hashKey": "id", "readCapacity": 5,
                                                     "writeCapacity": 5, "attributes": [{"name": "id", "type": "S"}]})
              for name in ("orders", "invoices")]
    scaling = []
    for capacity in ("Read", "Write"):
        dimension = f"dynamodb:table:{capacity}CapacityUnits"
        scaling += [Res("aws:appautoscaling/target:Target", f"target-{capacity}", {
                        "serviceNamespace": "dynamodb", "scalableDimension": dimension, "resourceId": resource_id,
                        "minCapacity": 5, "maxCapacity": 100}, {"resourceId": ["orders", "invoices"]}),
                    Res("aws:appautoscaling/policy:Policy", f"policy-{capacity}", {
                        "name": capacity, "policyType": "TargetTrackingScaling", "resourceId": resource_id,
                        "scalableDimension": dimension, "serviceNamespace": "dynamodb"},
                        {key: [f"target-{capacity}"] for key in ("resourceId", "scalableDimension")})]
    return [*tables, *scaling]


OPEN_TO_ALL = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*",
     "Resource": "*"},
    {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]})


def key_policy_of(key_id: object) -> list[Res]:
    """Two keys, and a public KeyPolicy whose keyId is picked among their ids."""
    keys = [Res("aws:kms/key:Key", name, {"id": f"{name}-id", "arn": ACCOUNT.format("kms", f"key/{name}-id"),
                                          "enableKeyRotation": True}) for name in ("k1", "k2")]
    return [*keys, Res("aws:kms/keyPolicy:KeyPolicy", "kp", {"keyId": key_id, "policy": OPEN_TO_ALL},
                       {"keyId": ["k1", "k2"]})]


def public_access_block(bucket: object) -> list[Res]:
    """Two buckets, and a public access block whose bucket is made from both names (`Output.concat`)."""
    buckets = [Res("aws:s3/bucketV2:BucketV2", name, {"bucket": name, "id": name, "arn": f"arn:aws:s3:::{name}"})
               for name in ("app", "logs")]
    return [*buckets, Res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", {
        "bucket": bucket, **{flag: True for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                                    "restrictPublicBuckets")}}, {"bucket": ["app", "logs"]})]


UNSCALED = ("table orders has provisioned capacity (billingMode unset, so PROVISIONED) and nothing scales the "
            "table's {} capacity")
CASES = {
    # policy: [(what, build(value), resolved value, findings (resource, message start) with it)]
    MESH_DISCOVERY: [
        ("an ECS service registering in the private namespace's registry", registering,
         ACCOUNT.format("servicediscovery", "service/srv-priv"), set()),
        ("an ECS service registering in the public namespace's registry", registering,
         ACCOUNT.format("servicediscovery", "service/srv-pub"),
         {("pub", "public DNS namespace example.com is used for mesh discovery by svc")})],
    "cloudmap-service-custom-health-check": [
        ("Route 53 health checks in the private namespace", in_namespace, "ns-priv",
         {("svc", "Cloud Map service svc uses healthCheckConfig")}),
        ("Route 53 health checks in the public namespace", in_namespace, "ns-pub", set())],
    "apigateway-stage-waf": [
        ("a WAF association of stage two", stages_with_waf, "arn:aws:apigateway:us-east-1::/restapis/api-1/stages/two",
         {("one", "stage 'one' has no aws:wafv2/webAclAssociation:WebAclAssociation")}),
        # Exactly another's ARN names that one, though it holds this one's whole (a review found prod covered).
        ("a WAF association of prod-canary, not prod", canary_stage_with_waf,
         "arn:aws:apigateway:us-east-1::/restapis/api-1/stages/prod-canary",
         {("prod", "stage 'prod' has no aws:wafv2/webAclAssociation:WebAclAssociation")})],
    "apigateway-method-authorization": [
        ("an open GET on the root resource", open_method, "root-1",
         {("get", "GET / has authorization NONE and apiKeyRequired is not true")}),
        ("an open GET on /health", open_method, "res-health",
         {("get", "GET /health has authorization NONE and apiKeyRequired is not true")})],
    "dynamodb-table-autoscaling": [
        ("scaling of invoices, its id made from both tables' names", scaled_tables, "table/invoices",
         {("orders", UNSCALED.format("read")), ("orders", UNSCALED.format("write"))})],
    "s3-bucket-public-access-blocked": [
        ("a block of a bucket whose name is made from both names", public_access_block, "app-logs-archive",
         {("app", "bucket app declares no public access block"), ("logs", "bucket logs declares no public access "
                                                                           "block")}),
        ("a block of logs, its name picked among both", public_access_block, "logs",
         {("app", "bucket app declares no public access block")})],
    "kms-key-policy-not-public": [
        ("a public KeyPolicy of k2", key_policy_of, "k2-id",
         {("k2", "key k2 (policy in KeyPolicy kp) statement Everyone allows Principal *")})],
}
ALL_CASES = [(policy, *case) for policy, cases in CASES.items() for case in cases]


def _found(policy: str, resources: list[Res]) -> set[tuple[str, str]]:
    return {(name, message) for _, name, message in findings(analyze(resources, {"all": "disabled", policy: "mandatory"}))}


@pytest.mark.parametrize("policy,what,build,value,expected", ALL_CASES, ids=[f"{c[0]}: {c[1]}" for c in ALL_CASES])
def test_a_value_picked_among_several_names_the_one_it_holds(policy, what, build, value, expected):
    found = _found(policy, build(value))
    assert {(name, next((m for _, m in expected if message.startswith(m)), message)) for name, message in found} \
        == expected
    # While the value is unknown it may be any of them: nothing the update would not report.
    assert _found(policy, build(UNKNOWN)) <= found


# --- lists: an unknown list may hold every resource it is made from; each entry of a block is one reference -------

SG, LB_ARN = "aws:ec2/securityGroup:SecurityGroup", ACCOUNT.format("elasticloadbalancing", "loadbalancer/app/alb/1")
LB_SG, EXTRA_SG = "sg-0aaa1111", "sg-0bbb2222"


def _groups_and_balancer(listed: object, refs: list[str]) -> list[Res]:
    """A group open to the internet on tcp 22, another, and an internet-facing ALB (HTTPS on 443) with `listed`."""
    return [Res(SG, "lb-sg", {"name": "lb", "id": LB_SG, "vpcId": "vpc-1", "ingress": [
                {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}]}),
            Res(SG, "extra-sg", {"name": "extra", "id": EXTRA_SG, "vpcId": "vpc-1"}),
            Res("aws:lb/loadBalancer:LoadBalancer", "alb", {"internal": False, "loadBalancerType": "application",
                                                             "securityGroups": listed, "arn": LB_ARN},
                {"securityGroups": refs}),
            Res("aws:lb/listener:Listener", "https", {"loadBalancerArn": LB_ARN, "port": 443, "protocol": "HTTPS"},
                {"loadBalancerArn": ["alb"]})]


def balancer_list(groups: object) -> list[Res]:
    """`security_groups=Output.all(lb_sg.id, extra_sg.id)`: the whole list unknown in a first preview."""
    return _groups_and_balancer(groups, ["lb-sg", "extra-sg"])


def service_list(groups: object) -> list[Res]:
    return [*_groups_and_balancer([LB_SG], ["lb-sg"]), Res("aws:ecs/service:Service", "svc", {
        "name": "svc", "networkConfiguration": {"subnets": ["subnet-1"], "securityGroups": groups}},
        {"networkConfiguration": ["lb-sg", "extra-sg"]})]


def launch_template(groups: object) -> list[Res]:
    """Two interfaces, one group each: the block's dependencies are both entries'."""
    first, second = ([LB_SG], [EXTRA_SG]) if groups != UNKNOWN else ([UNKNOWN], [UNKNOWN])
    return [*_groups_and_balancer([LB_SG], ["lb-sg"]), Res("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
        "imageId": "ami-1", "networkInterfaces": [{"deviceIndex": 0, "securityGroups": first},
                                                  {"deviceIndex": 1, "securityGroups": second}]},
        {"networkInterfaces": ["lb-sg", "extra-sg"]})]


@pytest.mark.parametrize("build", [balancer_list, service_list, launch_template])
def test_a_list_made_from_several_keeps_every_one_while_unknown(build):
    """A review of the rule above found these first previews reporting the open group with another text (its load
    balancer's ports rather than the workload sharing it): an unknown list is not one value picked among several."""
    policy = "ec2-securitygroup-no-public-ingress"
    found = _found(policy, build([LB_SG, EXTRA_SG]))
    assert found and _found(policy, build(UNKNOWN)) <= found


# --- more single references a second review found judged on every dependency while unknown --------------------

def method_settings(stage_name: object) -> list[Res]:
    stages = [Res(STAGE, n, {"stageName": n, "restApi": "api-1", "arn": f"arn:aws:apigateway:us-east-1::/restapis/"
                                                                        f"api-1/stages/{n}"}) for n in ("one", "two")]
    return [*stages, Res("aws:apigateway/methodSettings:MethodSettings", "ms", {
        "restApi": "api-1", "stageName": stage_name, "methodPath": "*/*",
        "settings": {"loggingLevel": "OFF", "metricsEnabled": True}}, {"stageName": ["one", "two"]})]


def cache_template(prefix: object) -> list[Res]:
    rule = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule"
    return [Res(rule, "r1", {"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io"}),
            Res(rule, "r2", {"ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io"}),
            Res("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", "tpl", {
                "prefix": prefix, "appliedFors": ["PULL_THROUGH_CACHE"], "imageTagMutability": "IMMUTABLE"},
                {"prefix": ["r1", "r2"]})]


def index_of(table_name: object) -> list[Res]:
    """A provisioned table scaled itself, an on-demand one, and an index whose table is picked among them."""
    resources = [Res("aws:dynamodb/table:Table", "t1", {"name": "t1", "hashKey": "pk", "readCapacity": 5,
                                                        "writeCapacity": 5, "billingMode": "PROVISIONED"}),
                 Res("aws:dynamodb/table:Table", "t2", {"name": "t2", "hashKey": "pk",
                                                        "billingMode": "PAY_PER_REQUEST"})]
    for capacity in ("Read", "Write"):
        dimension, target = f"dynamodb:table:{capacity}CapacityUnits", f"target-{capacity}"
        resources += [Res("aws:appautoscaling/target:Target", target, {
                          "serviceNamespace": "dynamodb", "resourceId": "table/t1", "scalableDimension": dimension,
                          "minCapacity": 5, "maxCapacity": 50}, {"resourceId": ["t1"]}),
                      Res("aws:appautoscaling/policy:Policy", f"policy-{capacity}", {
                          "policyType": "TargetTrackingScaling", "resourceId": "table/t1",
                          "scalableDimension": dimension, "serviceNamespace": "dynamodb"},
                          {key: [target] for key in ("resourceId", "scalableDimension", "serviceNamespace")})]
    return [*resources, Res("aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex", "gsi", {
        "tableName": table_name, "indexName": "by-x"}, {"tableName": ["t1", "t2"]})]


ROLE_ARN = "arn:aws:iam::123456789012:{}"


def task_role_attachment(policy_arn: object) -> list[Res]:
    """A task role and an attachment whose policy is picked among one reading an object and one every secret."""
    def document(statement: dict) -> str:
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    trust = document({"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                      "Action": "sts:AssumeRole"})
    return [Res("aws:iam/role:Role", "task", {"name": "task", "arn": ROLE_ARN.format("role/task"),
                                              "assumeRolePolicy": trust}),
            Res("aws:iam/policy:Policy", "ok", {"name": "ok", "arn": ROLE_ARN.format("policy/ok"), "policy": document(
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})}),
            Res("aws:iam/policy:Policy", "bad", {"name": "bad", "arn": ROLE_ARN.format("policy/bad"),
                                                 "policy": document({"Effect": "Allow", "Resource": "*",
                                                                     "Action": "secretsmanager:GetSecretValue"})}),
            Res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {"role": "task", "policyArn": policy_arn},
                {"role": ["task"], "policyArn": ["ok", "bad"]}),
            Res("aws:ecs/taskDefinition:TaskDefinition", "td", {
                "family": "td", "arn": ACCOUNT.format("ecs", "task-definition/td:1"),
                "taskRoleArn": ROLE_ARN.format("role/task"), "containerDefinitions": "[]"}, {"taskRoleArn": ["task"]})]


def prefix_listed_rule(prefix_list_id: object) -> list[Res]:
    """An SSH rule whose prefix list is picked among one of every address and one of the corporate range."""
    lists = [Res("aws:ec2/managedPrefixList:ManagedPrefixList", name, {
        "id": f"pl-{name}", "name": name, "addressFamily": "IPv4", "maxEntries": 2, "entries": [{"cidr": cidr}]})
        for name, cidr in (("pub", "0.0.0.0/0"), ("corp", "10.20.0.0/16"))]
    return [*lists, Res(SG, "g", {"name": "g", "id": "sg-g", "vpcId": "vpc-1"}),
            Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "r", {
                "securityGroupId": "sg-g", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                "prefixListId": prefix_list_id}, {"securityGroupId": ["g"], "prefixListId": ["pub", "corp"]})]


def listener_of(balancer_arn: object) -> list[Res]:
    """Two internet-facing ALBs, each group open on 8080, and a 443 listener whose balancer is picked among them."""
    resources = []
    for n in ("a", "b"):
        resources += [Res(SG, f"sg{n}", {"name": f"sg{n}", "id": f"sg-0{n}", "vpcId": "vpc-1", "ingress": [
                          {"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "cidrBlocks": ["0.0.0.0/0"]}]}),
                      Res("aws:lb/loadBalancer:LoadBalancer", f"lb{n}", {
                          "internal": False, "loadBalancerType": "application", "securityGroups": [f"sg-0{n}"],
                          "arn": ACCOUNT.format("elasticloadbalancing", f"loadbalancer/app/lb{n}/1")},
                          {"securityGroups": [f"sg{n}"]})]
    return [*resources, Res("aws:lb/listener:Listener", "l", {"loadBalancerArn": balancer_arn, "port": 443,
                                                              "protocol": "HTTPS"},
                            {"loadBalancerArn": ["lba", "lbb"]})]


def default_group_rule(group_id: object) -> list[Res]:
    """An SSH rule open to the internet, in the default group of one of two VPCs, picked among their ids."""
    vpcs = [Res("aws:ec2/vpc:Vpc", n, {"id": f"vpc-{n}", "cidrBlock": f"10.{i}.0.0/16",
                                       "defaultSecurityGroupId": f"sg-def{n}"}) for i, n in enumerate(("a", "b"))]
    return [*vpcs, Res("aws:ec2/securityGroupRule:SecurityGroupRule", "r", {
        "type": "ingress", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"],
        "securityGroupId": group_id}, {"securityGroupId": ["a", "b"]})]


def open_method_below(resource_id: object) -> list[Res]:
    """An open GET whose resource id is picked among /health's and /orders' ids."""
    api = Res("aws:apigateway/restApi:RestApi", "api", {"name": "shop", "id": "api-1", "rootResourceId": "root-1"})
    parts = [Res("aws:apigateway/resource:Resource", part, {"restApi": "api-1", "parentId": "root-1", "pathPart": part,
                                                            "id": f"res-{part}"},
                 {"restApi": ["api"], "parentId": ["api"]}) for part in ("health", "orders")]
    return [api, *parts, Res("aws:apigateway/method:Method", "get", {
        "restApi": "api-1", "resourceId": resource_id, "httpMethod": "GET", "authorization": "NONE"},
        {"restApi": ["api"], "resourceId": ["health", "orders"]})]


def group_by_name(vpc_id: object) -> list[Res]:
    """An ALB's group, open on its 443 listener, whose VPC is picked among two of the stack's, and an instance naming
    a group `web` (EC2 takes names for the default VPC's groups only: never this one, whichever VPC it is in)."""
    vpcs = [Res("aws:ec2/vpc:Vpc", n, {"cidrBlock": f"10.{i}.0.0/16", "id": f"vpc-{n}"}) for i, n in enumerate("ab")]
    open_443 = [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]
    return [*vpcs, Res(SG, "web", {"name": "web", "vpcId": vpc_id, "id": "sg-web", "ingress": open_443},
                       {"vpcId": ["a", "b"]}),
            Res("aws:lb/loadBalancer:LoadBalancer", "alb", {"loadBalancerType": "application", "internal": False,
                                                             "securityGroups": ["sg-web"], "arn": LB_ARN},
                {"securityGroups": ["web"]}),
            Res("aws:lb/listener:Listener", "l443", {"loadBalancerArn": LB_ARN, "port": 443, "protocol": "HTTPS"},
                {"loadBalancerArn": ["alb"]}),
            Res("aws:ec2/instance:Instance", "box", {"ami": "ami-1", "instanceType": "t3.micro",
                                                      "securityGroups": ["web"]})]


MORE = [
    ("ec2-securitygroup-no-public-ingress", group_by_name, "vpc-a", set()),
    ("apigateway-method-authorization", open_method_below, "res-orders", {
        ("get", "GET /orders has authorization NONE and apiKeyRequired is not true")}),
    ("ec2-securitygroup-no-public-ingress", default_group_rule, "sg-defb", {
        ("r", "ingress rule (tcp 22) of VPC b's default security group admits 0.0.0.0/0")}),
    ("apigateway-stage-execution-logging", method_settings, "two", {
        ("one", "stage 'one' has no MethodSettings for */* with execution logging"),
        ("two", "stage 'two' */* loggingLevel is OFF")}),
    ("ecr-pull-through-cache-lifecycle-policy", cache_template, "quay", {
        ("r1", "pull-through cache rule r1 has no repository creation template for its prefix docker-hub"),
        ("tpl", "repository creation template tpl, which ECR applies to the repositories pull-through cache rule r2 "
                "creates")}),
    ("dynamodb-table-autoscaling", index_of, "t2", set()),
    ("iam-task-role-no-ecs-sc-secrets", task_role_attachment, ROLE_ARN.format("policy/ok"), set()),
    ("ec2-securitygroup-no-public-ingress", prefix_listed_rule, "pl-corp", set()),
    ("ec2-securitygroup-no-public-ingress", listener_of, ACCOUNT.format("elasticloadbalancing",
                                                                       "loadbalancer/app/lbb/1"), {
        # lbb listens on 443 only; lba's listeners are not in the stack, so its group is not judged on its ports.
        ("sgb", "ingress rule ingress[0] (tcp 8080) of security group sgb admits 0.0.0.0/0; its internet-facing load "
                "balancer listens on no such port")}),
]


@pytest.mark.parametrize("policy,build,value,expected", MORE, ids=[f"{m[0]}: {m[1].__name__}" for m in MORE])
def test_single_references_picked_among_several_are_open_while_unknown(policy, build, value, expected):
    found = _found(policy, build(value))
    assert {(name, next((m for _, m in expected if message.startswith(m)), message)) for name, message in found} \
        == expected
    assert _found(policy, build(UNKNOWN)) <= found
