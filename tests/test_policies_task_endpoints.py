"""The VPC-endpoint guardrail against tests/programs/policy_task_endpoints (raw VPC endpoints and ECS tasks)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (
    UNKNOWN,
    Finding,
    InsecureProgramSuite,
    Res,
    analyze,
    findings,
    not_run,
    program,
    program_fixtures,
)

PROGRAM = "policy_task_endpoints"
M = "mandatory"
POLICY = "ecs-task-vpc-endpoints"
REQUIRED = {POLICY: {"required": True}}

FAILING = [
    Finding(POLICY, "secrets-task", M, "calls secretsmanager but the stack has no VPC endpoint for it"),
    Finding(POLICY, "registry-task", M, "calls secretsmanager but the stack has no VPC endpoint for it"),
    Finding(POLICY, "exec-task", M, "calls ssmmessages but the stack has no VPC endpoint for it"),
    Finding(POLICY, "public-image-task", M, "pulls an image from ECR Public, which no VPC endpoint serves"),
    Finding(POLICY, "later-task", M, "calls secretsmanager"),
    # An Express service's primary container calls what a task definition's would.
    Finding(POLICY, "secrets-express", M, "calls secretsmanager but the stack has no VPC endpoint for it"),
    # The task's region is its provider's (the stack's aws:region, us-east-1); its logs go to eu-west-1's names.
    Finding(POLICY, "other-region-logs-task", M, "calls logs (eu-west-1) but the stack has no VPC endpoint for it (the "
                                                 "endpoints for logs serve us-east-1's, us-west-2's: an endpoint "
                                                 "answers only the API names of the Region its service name carries)"),
    # The ECS Exec service is also what the exec policy is about.
    Finding("ecs-service-exec-disabled", "exec-service", M, "enableExecuteCommand is true"),
]
PASSING = [(POLICY, "served-task"), (POLICY, "cross-region-logs-task"), (POLICY, "served-express"),
           # In the region's default VPC, which the stack does not adopt: its endpoints are not the stack's to show.
           (POLICY, "default-vpc-express")]


result, first_preview = program_fixtures(PROGRAM, REQUIRED)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_a_first_preview_cannot_judge_a_task_whose_containers_are_unknown(first_preview):
    # Container definitions known only after the update: the first preview cannot judge that task.
    assert "later-task" not in {v.name for v in first_preview.violations}


def test_a_stack_without_interface_endpoints_is_not_checked():
    # policy_ecs has task definitions calling Secrets Manager and SSM, and no VPC endpoints (they use NAT): even
    # where endpoints are required, it is not judged.
    ecs = program("policy_ecs", REQUIRED)
    assert POLICY not in {v.policy for v in ecs.violations} and not not_run(ecs, "good-task") & {POLICY}
    # One interface endpoint, of any service, is what makes a stack judged.
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "app", {"family": "app", "containerDefinitions": json.dumps([
        {"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0"}])})
    endpoint = Res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", {
        "vpcId": "vpc-1", "serviceName": "com.amazonaws.us-east-1.sts", "vpcEndpointType": "Interface",
        "privateDnsEnabled": True})
    assert not {f for f in findings(analyze([task], REQUIRED)) if f[0] == POLICY}
    assert {f[:2] for f in findings(analyze([endpoint, task], REQUIRED)) if f[0] == POLICY} == {(POLICY, "app")}


def test_only_a_stack_config_that_requires_endpoints_is_checked():
    # The same program under the default config: its interface endpoints do not say the tasks avoid NAT.
    assert POLICY not in {v.policy for v in program(PROGRAM).violations}


def test_an_endpoint_for_something_else_does_not_make_endpoints_required():
    """A private REST API's execute-api endpoint, and a task that reaches ECR and CloudWatch Logs through NAT."""
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "app", {"family": "app", "containerDefinitions": json.dumps([
        {"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0",
         "logConfiguration": {"logDriver": "awslogs"}}])})
    endpoint = Res("aws:ec2/vpcEndpoint:VpcEndpoint", "execute-api", {
        "vpcId": "vpc-1", "serviceName": "com.amazonaws.us-east-1.execute-api", "vpcEndpointType": "Interface",
        "privateDnsEnabled": True})
    assert not {f for f in findings(analyze([endpoint, task])) if f[0] == POLICY}
    assert {f for f in findings(analyze([endpoint, task], REQUIRED)) if f[0] == POLICY} == {
        (POLICY, "app", "calls ecr.api, ecr.dkr, logs, s3 but the stack has no VPC endpoint for it")}


# Two VPCs of one stack: "served" has an interface endpoint (private DNS) for each API the task calls, "bare" has one
# endpoint for something else. The task calls ECR, S3 (ECR's layers) and CloudWatch Logs.
ENDPOINTS_POLICY = "ec2-vpc-interface-endpoints"
BOTH = {POLICY: {"required": True}, ENDPOINTS_POLICY: {"required": True}}
TASK_APIS = ("ecr.api", "ecr.dkr", "logs", "s3")


def _two_vpcs(subnets: object, subnet_refs: tuple[str, ...] = (), *extra: Res, vpc_ids: bool = True) -> list[Res]:
    """The two VPCs, a subnet in each (ids known, or unknown until the update with `vpc_ids` false), the endpoints,
    and a service running the task in `subnets` (made from `subnet_refs`)."""
    def vpc_id(vpc: str) -> object:
        return f"vpc-{vpc}" if vpc_ids else UNKNOWN

    vpcs = [Res("aws:ec2/vpc:Vpc", vpc, {"cidrBlock": "10.0.0.0/16", "id": vpc_id(vpc)}) for vpc in ("served", "bare")]
    subnet_list = [Res("aws:ec2/subnet:Subnet", f"{vpc}-subnet", {"vpcId": vpc_id(vpc), "cidrBlock": "10.0.1.0/24",
                                                                   "id": f"subnet-{vpc}" if vpc_ids else UNKNOWN},
                       refs={"vpcId": [vpc]}) for vpc in ("served", "bare")]
    endpoints = [Res("aws:ec2/vpcEndpoint:VpcEndpoint", f"served-{api}", {
        "vpcId": vpc_id("served"), "serviceName": f"com.amazonaws.us-east-1.{api}",
        "vpcEndpointType": "Gateway" if api == "s3" else "Interface", "privateDnsEnabled": api != "s3"},
        refs={"vpcId": ["served"]}) for api in TASK_APIS]
    endpoints.append(Res("aws:ec2/vpcEndpoint:VpcEndpoint", "bare-sts", {
        "vpcId": vpc_id("bare"), "serviceName": "com.amazonaws.us-east-1.sts", "vpcEndpointType": "Interface",
        "privateDnsEnabled": True}, refs={"vpcId": ["bare"]}))
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "app", {"family": "app", "containerDefinitions": json.dumps([
        {"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0",
         "logConfiguration": {"logDriver": "awslogs"}}])})
    service = Res("aws:ecs/service:Service", "app-service", {
        "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
        "networkConfiguration": {"subnets": subnets}},
        refs={"taskDefinition": ["app"], "networkConfiguration": list(subnet_refs)})
    return [*vpcs, *subnet_list, *endpoints, task, service, *extra]


def _endpoint_findings(resources: list[Res]) -> set[tuple[str, str, str]]:
    return {f for f in findings(analyze(resources, BOTH)) if f[0] in (POLICY, ENDPOINTS_POLICY)}


BARE_VPC = (ENDPOINTS_POLICY, "bare", "VPC bare has no endpoint for ecr.api, ecr.dkr, logs, s3, which the stack's "
                                      "tasks use; tasks in it would reach those APIs through NAT and the internet")
IN_BARE = {(POLICY, "app", "calls ecr.api, ecr.dkr, logs, s3 but VPC bare has no endpoint for it"), BARE_VPC}


def test_a_task_is_asked_for_endpoints_in_the_vpcs_its_services_run_in_and_only_there():
    # A VPC without the task's endpoints is not reported when no task runs in it.
    assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",))) == set()
    # A task in the VPC without them is reported, though another VPC of the stack has them.
    assert _endpoint_findings(_two_vpcs(["subnet-bare"], ("bare-subnet",))) == IN_BARE
    # Running in both, it needs them in both.
    assert _endpoint_findings(_two_vpcs(["subnet-served", "subnet-bare"], ("served-subnet", "bare-subnet"))) == IN_BARE
    # A service running a task definition from elsewhere says nothing of the stack's own.
    elsewhere = Res("aws:ecs/service:Service", "other-service", {
        "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/elsewhere:1",
        "networkConfiguration": {"subnets": ["subnet-bare"]}})
    assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), elsewhere)) == set()


def test_a_task_the_stack_says_may_run_anywhere_is_asked_of_every_vpc_against_every_endpoint():
    """A subnet from outside the stack, and an EventBridge rule that starts the task with subnets of its own."""
    made_elsewhere = _two_vpcs(["subnet-0outside"])
    rule_target = Res("aws:cloudwatch/eventTarget:EventTarget", "nightly", {
        "rule": "nightly", "arn": "arn:aws:ecs:us-east-1:123456789012:cluster/main",
        "ecsTarget": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1"}},
        refs={"ecsTarget": ["app"]})
    started_by_a_rule = _two_vpcs(["subnet-served"], ("served-subnet",), rule_target)
    for resources in (made_elsewhere, started_by_a_rule):
        assert _endpoint_findings(resources) == {BARE_VPC}, resources[-1].name
    # A rule starting another stack's task definition leaves this one where its service runs it.
    rule_target.props["ecsTarget"]["taskDefinitionArn"] = "arn:aws:ecs:us-east-1:123456789012:task-definition/x:1"
    rule_target.refs.clear()
    assert _endpoint_findings(started_by_a_rule) == set()


def test_a_task_on_ecs_anywheres_own_servers_runs_in_no_vpc_of_the_stack():
    """ECS Anywhere runs tasks on the team's servers, not in a subnet: a service of launch type EXTERNAL (beside one
    in the served VPC), or a task definition for EXTERNAL alone, asks no VPC for endpoints (a review found the bare
    VPC blamed for what an on-premises task calls)."""
    external = Res("aws:ecs/service:Service", "onprem", {
        "launchType": "EXTERNAL", "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1"},
        refs={"taskDefinition": ["app"]})
    assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), external)) == set()
    external.props["launchType"] = "FARGATE"  # the same service in no subnet of the stack: it may run anywhere
    assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), external)) == {BARE_VPC}
    anywhere_only = _two_vpcs(["subnet-bare"], ("bare-subnet",))
    task = next(r for r in anywhere_only if r.name == "app")
    task.props["requiresCompatibilities"] = ["EXTERNAL"]
    assert _endpoint_findings(anywhere_only) == set()
    # Nor is it told that no endpoint serves ECR Public: it pulls over its own network.
    task.props["containerDefinitions"] = json.dumps([{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27"}])
    assert _endpoint_findings(anywhere_only) == set()


@pytest.mark.parametrize("unknown", ["launchType", "requiresCompatibilities"])
def test_a_task_that_may_be_ecs_anywheres_waits_for_the_update(unknown):
    """A launch type, or compatibilities, unknown until the update may put the task on external instances: neither
    policy places it in a VPC yet (a review found a first preview reporting endpoints the update would not)."""
    resources = _two_vpcs(["subnet-bare"], ("bare-subnet",))
    task, service = (next(r for r in resources if r.name == name) for name in ("app", "app-service"))
    task.props["requiresCompatibilities"] = UNKNOWN if unknown == "requiresCompatibilities" else ["EC2", "EXTERNAL"]
    service.props["launchType"] = UNKNOWN if unknown == "launchType" else "EXTERNAL"
    task.props["containerDefinitions"] = json.dumps([{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27"}])
    assert _endpoint_findings(resources) == set()


def test_where_a_task_runs_is_not_guessed_from_values_not_known_yet():
    """A first preview (subnet and VPC ids unknown), a service naming a task definition by a value made from
    nothing in the stack, a default subnet whose VPC is not known: neither policy judges the task until the update,
    so a preview never reports what the update would not."""
    first_preview = _two_vpcs([UNKNOWN], ("served-subnet",), vpc_ids=False)
    replaced = Res("aws:ecs/taskDefinition:TaskDefinition", "worker", {"family": "worker", "arn": UNKNOWN,
                                                                       "containerDefinitions": UNKNOWN})
    unresolved = Res("aws:ecs/service:Service", "worker-service", {
        "taskDefinition": UNKNOWN, "networkConfiguration": {"subnets": ["subnet-served"]}})
    beside_an_unresolved_service = _two_vpcs(["subnet-served"], ("served-subnet",), replaced, unresolved)
    default_subnet = Res("aws:ec2/defaultSubnet:DefaultSubnet", "default-a", {
        "availabilityZone": "us-east-1a", "id": "subnet-default", "vpcId": UNKNOWN})
    in_a_default_subnet = _two_vpcs(["subnet-default"], (), default_subnet)
    for resources in (first_preview, beside_an_unresolved_service, in_a_default_subnet):
        assert _endpoint_findings(resources) == set(), resources[-1].name
    # An API no VPC serves: the update reports it against the task's VPC; the first preview reports nothing.
    no_logs = [r for r in _two_vpcs(["subnet-served"], ("served-subnet",)) if r.name != "served-logs"]
    assert _endpoint_findings(no_logs) == {
        (POLICY, "app", "calls logs but VPC served has no endpoint for it"),
        (ENDPOINTS_POLICY, "served", "VPC served has no endpoint for logs, which the stack's tasks use; tasks in it "
                                     "would reach those APIs through NAT and the internet")}
    first_preview_no_logs = [r for r in first_preview if r.name != "served-logs"]
    assert _endpoint_findings(first_preview_no_logs) == set()


def test_a_task_definition_being_replaced_beside_it_leaves_a_task_judged():
    """An image bump replaces one task definition (its ARN unknown in the preview): a service whose value is made
    from its own task definition still runs that one, so the other tasks are judged as in the update."""
    no_logs = [r for r in _two_vpcs(["subnet-bare"], ("bare-subnet",)) if r.name != "served-logs"]
    replaced = Res("aws:ecs/taskDefinition:TaskDefinition", "worker", {"family": "worker", "arn": UNKNOWN,
                                                                       "containerDefinitions": UNKNOWN})
    worker = Res("aws:ecs/service:Service", "worker-service", {
        "taskDefinition": UNKNOWN, "networkConfiguration": {"subnets": ["subnet-served"]}},
        refs={"taskDefinition": ["worker"]})
    assert _endpoint_findings([*no_logs, replaced, worker]) == IN_BARE


def test_an_unknown_value_made_from_another_task_definitions_name_stays_unsure():
    """A service whose task definition is made from `api` (being replaced) and from what `worker`'s family is made
    from may run either: neither is judged in the preview, so the update's finding (on whichever it runs) is not
    preceded by another."""
    no_logs = [r for r in _two_vpcs(["subnet-served"], ("served-subnet",)) if r.name != "served-logs"]
    suffix = Res("random:index/randomString:RandomString", "suffix", {"length": 4})
    api = Res("aws:ecs/taskDefinition:TaskDefinition", "api", {"family": "api", "arn": UNKNOWN,
                                                                 "containerDefinitions": UNKNOWN})
    worker = Res("aws:ecs/taskDefinition:TaskDefinition", "worker", {
        "family": UNKNOWN, "arn": UNKNOWN, "containerDefinitions": json.dumps([
            {"name": "w", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/w:1",
             "logConfiguration": {"logDriver": "awslogs"}}])}, refs={"family": ["suffix"]})
    either = Res("aws:ecs/service:Service", "either-service", {
        "taskDefinition": UNKNOWN, "networkConfiguration": {"subnets": ["subnet-bare"]}},
        refs={"taskDefinition": ["api", "suffix"]})
    assert _endpoint_findings([*no_logs, suffix, api, worker, either]) == set()


def test_a_service_naming_its_task_definition_by_family_adds_its_exec_and_proxy_log_apis():
    """ECS Exec (`ssmmessages`) and the Service Connect proxy's awslogs belong to the task of the service that runs
    it, found as task_vpcs finds it: by dependency, by ARN or by family."""
    resources = _two_vpcs(["subnet-served"], ("served-subnet",))
    service = next(r for r in resources if r.name == "app-service")
    service.props.update(taskDefinition="app", enableExecuteCommand=True)
    service.refs.pop("taskDefinition")
    assert _endpoint_findings(resources) == {
        (POLICY, "app", "calls ssmmessages but VPC served has no endpoint for it"),
        (ENDPOINTS_POLICY, "served", "VPC served has no endpoint for ssmmessages, which the stack's tasks use; tasks "
                                     "in it would reach those APIs through NAT and the internet")}


# Regions (pulumi-aws 7's per-resource `region`, cross-Region PrivateLink): an endpoint serves its service in the
# Region its service name carries, and a task's call is in the Region it names (its ECR image's host, `awslogs-region`,
# a secret's ARN), else in the task's. A VPC in eu-west-1, a subnet, endpoints for what the task calls, and a service
# running the task there.
EU, US = "eu-west-1", "us-east-1"
CROSS_REGION = ": an endpoint answers only the API names of the Region its service name carries)"


def _in_eu(endpoint_regions: dict | None = None, *, image: str = EU, logs: str | None = None,
           secret: str | None = None, region: object = EU, provider: str = "", **service_props: object) -> list[Res]:
    """The eu VPC and its task; `endpoint_regions`: the region each endpoint's service name carries (eu-west-1 unless
    said; None leaves that endpoint out), `region` every resource's own (None: its provider's)."""
    def placed(props: dict) -> dict:
        return props if region is None else {**props, "region": region}

    services = {"ecr.api": EU, "ecr.dkr": EU, "logs": EU, "s3": EU, **(endpoint_regions or {})}
    options = {"awslogs-group": "/app", **({"awslogs-region": logs} if logs else {})}
    container = {"name": "app", "image": f"123456789012.dkr.ecr.{image}.amazonaws.com/app:1.0",
                 "logConfiguration": {"logDriver": "awslogs", "options": options}}
    if secret:
        arn = f"arn:aws:secretsmanager:{secret}:123456789012:secret:k-AbCdEf"
        container["secrets"] = [{"name": "KEY", "valueFrom": arn}]
    resources = [
        Res("aws:ec2/vpc:Vpc", "eu", placed({"cidrBlock": "10.0.0.0/16", "id": "vpc-eu"}), provider=provider),
        Res("aws:ec2/subnet:Subnet", "eu-subnet", placed({"vpcId": "vpc-eu", "cidrBlock": "10.0.1.0/24",
                                                          "id": "subnet-eu"}), {"vpcId": ["eu"]}, provider=provider),
        *(Res("aws:ec2/vpcEndpoint:VpcEndpoint", f"eu-{api}", placed({
            "vpcId": "vpc-eu", "serviceName": f"com.amazonaws.{where}.{api}",
            "vpcEndpointType": "Gateway" if api == "s3" else "Interface", "privateDnsEnabled": api != "s3"}),
            {"vpcId": ["eu"]}, provider=provider) for api, where in services.items() if where),
        Res("aws:ecs/taskDefinition:TaskDefinition", "app", placed({
            "family": "app", "containerDefinitions": json.dumps([container])}), provider=provider),
        Res("aws:ecs/service:Service", "app-service", placed({
            "taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1",
            "networkConfiguration": {"subnets": ["subnet-eu"]}, **service_props}),
            {"taskDefinition": ["app"], "networkConfiguration": ["eu-subnet"]}, provider=provider)]
    if provider:
        resources.append(Res("pulumi:providers:aws", provider, {"region": provider}))
    return resources


def _unserved_in_eu(labels: str, regions: str, services: str | None = None) -> set[tuple[str, str, str]]:
    """Both views of calls (`labels`) the eu VPC does not serve, its endpoints for them serving `regions`' APIs."""
    why = f" (the endpoints for {services or labels} serve {regions}'s{CROSS_REGION}"
    return {(POLICY, "app", f"calls {labels} but VPC eu has no endpoint for it{why}"),
            (ENDPOINTS_POLICY, "eu", f"VPC eu has no endpoint for {labels}, which the stack's tasks use; tasks in it "
                                     f"would reach those APIs through NAT and the internet{why}")}


def test_a_cross_region_endpoint_serves_only_the_region_its_service_name_carries():
    """com.amazonaws.us-east-1.logs in an eu-west-1 VPC answers logs.us-east-1.amazonaws.com, not the eu-west-1
    names the task's SDK and agent call (the VPC PrivateLink guide, cross-Region interface endpoints)."""
    cross = {"ecr.api": US, "ecr.dkr": US, "logs": US}
    assert _endpoint_findings(_in_eu(cross)) == _unserved_in_eu("ecr.api, ecr.dkr, logs", US)
    assert _endpoint_findings(_in_eu()) == set()  # the same VPC with eu-west-1's endpoints


@pytest.mark.parametrize("calls,labels,services", [
    ({"image": US}, "ecr.api (us-east-1), ecr.dkr (us-east-1), s3 (us-east-1)", "ecr.api, ecr.dkr, s3"),
    ({"logs": US}, "logs (us-east-1)", "logs"),
    ({"secret": US}, "secretsmanager (us-east-1)", "secretsmanager"),
])
def test_a_task_calling_another_regions_apis_is_not_served_by_its_vpcs_endpoints(calls, labels, services):
    """An image on us-east-1's ECR (its layers on us-east-1's S3), awslogs-region us-east-1, a us-east-1 secret: the
    calls go to us-east-1's API names, which the eu-west-1 endpoints do not answer, and leave through NAT."""
    resources = _in_eu({"secretsmanager": EU}, **calls)
    assert _endpoint_findings(resources) == _unserved_in_eu(labels, EU, services)


@pytest.mark.parametrize("calls,endpoints", [
    ({"logs": US}, {"logs": US}),
    ({"secret": US}, {"secretsmanager": US}),
])
def test_a_cross_region_endpoint_serves_a_task_that_calls_that_region(calls, endpoints):
    assert _endpoint_findings(_in_eu(endpoints, **calls)) == set()


def test_each_region_a_task_calls_needs_its_own_endpoint():
    """The task's own logs go to us-east-1, its Service Connect proxy's to the task's region: eu-west-1's endpoint
    serves the proxy only."""
    proxy = {"serviceConnectConfiguration": {"enabled": True, "logConfiguration": {"logDriver": "awslogs"}}}
    assert _endpoint_findings(_in_eu(logs=US, **proxy)) == _unserved_in_eu("logs (us-east-1)", EU, "logs")
    assert _endpoint_findings(_in_eu({"logs": US}, **proxy)) == _unserved_in_eu("logs", US)


def test_a_region_not_known_by_name_leaves_the_verdict_open():
    """A task whose region is unknown until the update (a provider's output, say), a proxy's awslogs-region unknown,
    an endpoint's service name unknown, and resources on the default provider, whose region the analyzer is not
    told: each may be the region the endpoints serve, so neither policy reports it; known, the same calls are."""
    cross = {"logs": US}
    known = _unserved_in_eu("logs", US)
    assert _endpoint_findings(_in_eu(cross)) == known
    assert _endpoint_findings(_in_eu(cross, region=UNKNOWN)) == set()
    assert _endpoint_findings(_in_eu(cross, region=None)) == set()
    # An explicit provider's region is a name: the endpoints' us-east-1 is its region, or is not.
    assert _endpoint_findings(_in_eu(cross, region=None, provider=EU)) == known
    assert _endpoint_findings(_in_eu(cross, region=None, provider=US)) == set()
    proxy_logs = {"logDriver": "awslogs", "options": {"awslogs-region": UNKNOWN}}
    proxy = {"serviceConnectConfiguration": {"enabled": True, "logConfiguration": proxy_logs}}
    assert _endpoint_findings(_in_eu(**proxy)) == set()
    proxy_logs["options"]["awslogs-region"] = US
    assert _endpoint_findings(_in_eu(**proxy)) == _unserved_in_eu("logs (us-east-1)", EU, "logs")
    # Beside an endpoint with private DNS off: "no endpoint for logs (us-east-1)" or "private DNS off" waits for the
    # region, as both would name the call differently (a review found the first preview saying the second).
    proxy_logs["options"]["awslogs-region"] = UNKNOWN
    dns_off = _in_eu(**proxy)
    for resource in dns_off:
        if resource.name == "eu-logs":
            resource.props["privateDnsEnabled"] = False
        if resource.name == "app":
            containers = json.loads(resource.props["containerDefinitions"])
            containers[0].pop("logConfiguration")
            resource.props["containerDefinitions"] = json.dumps(containers)
    assert _endpoint_findings(dns_off) == set()
    # Without endpoints for ecr.api and logs, the one message names both calls, and the proxy's region decides how:
    # it waits for the region rather than name ecr.api alone (a message the update would not give).
    proxy_logs["options"]["awslogs-region"] = UNKNOWN
    bare = _in_eu({"ecr.api": None, "logs": None}, **proxy)
    for resource in bare:
        if resource.name == "app":
            containers = json.loads(resource.props["containerDefinitions"])
            containers[0].pop("logConfiguration")
            resource.props["containerDefinitions"] = json.dumps(containers)
    assert _endpoint_findings(bare) == set()
    unknown_service = _in_eu({"logs": US})
    next(r for r in unknown_service if r.name == "eu-logs").props["serviceName"] = UNKNOWN
    assert _endpoint_findings(unknown_service) == set()


def test_a_task_that_may_run_anywhere_runs_in_no_vpc_of_another_region():
    """A task nothing in the stack runs may run in any VPC of its own region: a us-east-1 VPC without the eu-west-1
    task's endpoints is not asked for them, and another region's endpoints do not serve it."""
    resources = [r for r in _in_eu() if r.name != "app-service"]
    assert _endpoint_findings(resources) == set()
    us_vpc = Res("aws:ec2/vpc:Vpc", "us", {"cidrBlock": "10.1.0.0/16", "id": "vpc-us", "region": US})
    us_logs = Res("aws:ec2/vpcEndpoint:VpcEndpoint", "us-logs", {
        "vpcId": "vpc-us", "serviceName": "com.amazonaws.eu-west-1.logs", "vpcEndpointType": "Interface",
        "privateDnsEnabled": True, "region": US}, {"vpcId": ["us"]})
    assert _endpoint_findings([*resources, us_vpc]) == set()
    eu_only = [r for r in resources if r.name != "eu-logs"]
    assert _endpoint_findings([*eu_only, us_vpc, us_logs]) == {
        (POLICY, "app", "calls logs but the stack has no VPC endpoint for it"),
        (ENDPOINTS_POLICY, "eu", "VPC eu has no endpoint for logs, which the stack's tasks use; tasks in it would "
                                 "reach those APIs through NAT and the internet")}


EAST = Res("pulumi:providers:aws", "east", {"region": US, "version": "7.0.0"})


def _anywhere_task(region: object, **container: object) -> Res:
    """A task nothing in the stack runs (it may run in any VPC of its region), on the us-east-1 provider."""
    props = {"family": "app", "containerDefinitions": json.dumps([{"name": "app", "image": "nginx", **container}])}
    return Res("aws:ecs/taskDefinition:TaskDefinition", "app", props if region is None else {**props, "region": region},
               provider="east")


@pytest.mark.parametrize("unknown", ["task", "vpc"])
def test_a_home_region_unknown_until_the_update_leaves_calls_that_name_theirs_unjudged(unknown):
    """A message labels a call by its region where that is another than the task's or VPC's: with that home unknown,
    `ecr.api` now could be `ecr.api (us-east-1)` after the update, so nothing is said yet."""
    image = {"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0"}

    def found(task_region: object, vpc_region: object) -> set:
        vpc = Res("aws:ec2/vpc:Vpc", "v", {"cidrBlock": "10.0.0.0/16", "id": "vpc-1", "region": vpc_region},
                  provider="east")
        sts = Res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", {
            "vpcId": "vpc-1", "serviceName": "com.amazonaws.eu-west-1.sts", "vpcEndpointType": "Interface",
            "privateDnsEnabled": True, "region": vpc_region}, {"vpcId": ["v"]}, provider="east")
        return _endpoint_findings([EAST, vpc, sts, _anywhere_task(task_region, **image)])

    resolved = [found(EU, EU), found(US, EU)] if unknown == "task" else [found(EU, EU), found(EU, US)]
    assert all(resolved)  # each known run reports the calls
    assert (found(UNKNOWN, EU) if unknown == "task" else found(EU, UNKNOWN)) == set()


def test_an_endpoints_own_region_unknown_until_the_update_leaves_a_task_that_may_run_anywhere_unjudged():
    """A us-east-1 logs endpoint with private DNS off is the task's (DNS off) or, in eu-west-1 by its own `region`,
    not (no endpoint): which message waits for that region."""
    logs = {"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/app"}}}

    def found(endpoint_region: object) -> set:
        endpoint = Res("aws:ec2/vpcEndpoint:VpcEndpoint", "logs", {
            "vpcId": "vpc-1", "serviceName": "com.amazonaws.us-east-1.logs", "vpcEndpointType": "Interface",
            "privateDnsEnabled": False, "region": endpoint_region}, provider="east")
        return {message for _, _, message in _endpoint_findings([EAST, endpoint, _anywhere_task(None, **logs)])}

    assert [m.split(" but ")[1] for m in found(US)] == [
        "the stack's VPC endpoints for it have private DNS off (privateDnsEnabled), so the task resolves the public "
        "API names and leaves through NAT"]
    assert [m.split(" but ")[1] for m in found(EU)] == ["the stack has no VPC endpoint for it"]
    assert found(UNKNOWN) == set()


@pytest.mark.parametrize("unknown", ["containers", "subnets"])
def test_a_second_task_unknown_until_the_update_leaves_its_vpcs_message_unwritten(unknown):
    """The VPC's one message lists what every task in it calls: while a second task's containers, or where it runs,
    wait for the update, the list would name the first task's calls alone, a message the update need not give."""
    def resources(second: dict, refs: dict) -> list[Res]:
        base = _in_eu({"logs": None})  # the eu VPC lacks a logs endpoint its task needs
        return [*base,
                Res("aws:ecs/taskDefinition:TaskDefinition", "worker", {"family": "worker", "region": EU, **second}),
                Res("aws:ecs/service:Service", "worker-service", {
                    "taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/worker:1", "region": EU,
                    "networkConfiguration": {"subnets": ["subnet-eu"]}}, {"taskDefinition": ["worker"], **refs})]

    xray = json.dumps([{"name": "xray", "image": "amazon/aws-xray-daemon:3.3.10"}])
    known = {m for p, _, m in _endpoint_findings(resources({"containerDefinitions": xray},
                                                           {"networkConfiguration": ["eu-subnet"]}))
             if p == ENDPOINTS_POLICY}
    assert known == {"VPC eu has no endpoint for logs, xray, which the stack's tasks use; tasks in it would reach "
                     "those APIs through NAT and the internet"}
    second = {"containerDefinitions": UNKNOWN} if unknown == "containers" else {"containerDefinitions": xray}
    refs = {"networkConfiguration": ["eu-subnet"]}
    first = resources(second, refs)
    if unknown == "subnets":
        next(r for r in first if r.name == "worker-service").props["networkConfiguration"] = {"subnets": [UNKNOWN]}
        next(r for r in first if r.name == "worker-service").refs = {"taskDefinition": ["worker"]}
    assert {m for p, _, m in _endpoint_findings(first) if p == ENDPOINTS_POLICY} == set()


@pytest.mark.parametrize("output, region, missing", [
    # FireLens sends the app's logs from the task's log router: the output's service, in its `region` option.
    ("cloudwatch_logs", None, set()),
    ("cloudwatch_logs", "us-east-1", {"logs (us-east-1)"}),  # the eu VPC's logs endpoint serves eu-west-1's API
    ("kinesis_firehose", None, {"kinesis-firehose"}), ("firehose", None, {"kinesis-firehose"}),
    ("kinesis_streams", None, {"kinesis-streams"}), ("s3", None, set()),
    # A destination outside AWS, or one not known until the update, calls no AWS API the task must reach.
    ("datadog", None, set()), (UNKNOWN, None, set())])
def test_a_firelens_output_calls_its_service(output, region, missing):
    resources = _in_eu()
    task = next(r for r in resources if r.name == "app")
    router = {"name": "log-router", "image": f"123456789012.dkr.ecr.{EU}.amazonaws.com/fluent-bit:2.32",
              "firelensConfiguration": {"type": "fluentbit"}}
    app = {**json.loads(task.props["containerDefinitions"])[0], "logConfiguration": {
        "logDriver": "awsfirelens", "options": {"Name": output, **({"region": region} if region else {})}}}
    task.props["containerDefinitions"] = json.dumps([app, router]) if output is not UNKNOWN else [router, {
        **app, "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": UNKNOWN}}}]
    calls = {m for p, name, m in _endpoint_findings(resources) if p == POLICY}
    assert {c.split(" (the endpoints")[0] for c in calls} == (
        {f"calls {', '.join(sorted(missing))} but VPC eu has no endpoint for it"} if missing else set())


def test_the_adot_collector_calls_x_ray_and_cloudwatch_logs():
    resources = _in_eu()
    task = next(r for r in resources if r.name == "app")
    collector = {"name": "otel", "image": f"123456789012.dkr.ecr.{EU}.amazonaws.com/aws-otel-collector:v0.40.0"}
    task.props["containerDefinitions"] = json.dumps([*json.loads(task.props["containerDefinitions"]), collector])
    assert {m for p, _, m in _endpoint_findings(resources) if p == POLICY} == {
        "calls xray but VPC eu has no endpoint for it"}


def test_a_firelens_output_unknown_until_the_update_leaves_the_vpcs_list_unwritten():
    """The VPC's message lists every call its tasks make: a FireLens output whose name waits for the update may add
    one, so the task's calls (and the list) wait with it."""
    resources = _in_eu()
    task = next(r for r in resources if r.name == "app")
    xray = {"name": "xray", "image": f"123456789012.dkr.ecr.{EU}.amazonaws.com/aws-xray-daemon:3.3.10"}
    app = {**json.loads(task.props["containerDefinitions"])[0],
           "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "kinesis_firehose"}}}
    task.props["containerDefinitions"] = json.dumps([app, xray])
    assert {m.split(";")[0] for p, _, m in _endpoint_findings(resources) if p == ENDPOINTS_POLICY} == {
        "VPC eu has no endpoint for kinesis-firehose, xray, which the stack's tasks use"}
    task.props["containerDefinitions"] = [xray, {**app, "logConfiguration": {
        "logDriver": "awsfirelens", "options": {"Name": UNKNOWN}}}]
    assert _endpoint_findings(resources) == set()


@pytest.mark.parametrize("credentials, missing", [
    # A private registry's login, from Secrets Manager: by ARN (its region), or by name in the task's own region.
    (f"arn:aws:secretsmanager:{EU}:123456789012:secret:dockerhub-AbCdEf", "secretsmanager"),
    ("dockerhub", "secretsmanager"),
    ("arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbCdEf", "secretsmanager (us-east-1)"),
    (None, None), ("", None)])
def test_a_private_registrys_credentials_are_read_from_secrets_manager(credentials, missing):
    resources = _in_eu()
    task = next(r for r in resources if r.name == "app")
    app = {**json.loads(task.props["containerDefinitions"])[0], "image": "docker.io/acme/app:1.0",
           **({"repositoryCredentials": {"credentialsParameter": credentials}} if credentials is not None else {})}
    task.props["containerDefinitions"] = json.dumps([app])
    calls = {m.split(" (the endpoints")[0] for p, _, m in _endpoint_findings(resources) if p == POLICY}
    assert calls == ({f"calls {missing} but VPC eu has no endpoint for it"} if missing else set())


EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService"
SECRET = {"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}


def _express(network: object = None, refs: tuple[str, ...] = (), **container: object) -> Res:
    """An Express service: its primary container (an ECR image; ECS gives it awslogs), in `network`'s subnets."""
    props = {"primaryContainer": {"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0", **container}}
    if network is not None:
        props["networkConfigurations"] = network
    return Res(EXPRESS, "express", props, refs={"networkConfigurations": list(refs)} if refs else {})


def test_an_express_service_calls_what_its_primary_container_does_from_its_subnets_vpcs():
    """ECS Express services run one primary container, not a task definition of the stack's (a review found one in a
    VPC without endpoints unjudged): its image's ECR, the awslogs driver ECS gives it, its secrets."""
    in_bare = _express([{"subnets": ["subnet-bare"]}], ("bare-subnet",))
    assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), in_bare)) == {
        (POLICY, "express", "calls ecr.api, ecr.dkr, logs, s3 but VPC bare has no endpoint for it"), BARE_VPC}
    served = {(POLICY, "express", "calls secretsmanager but VPC served has no endpoint for it"),
              (ENDPOINTS_POLICY, "served", "VPC served has no endpoint for secretsmanager, which the stack's tasks "
                                           "use; tasks in it would reach those APIs through NAT and the internet")}
    for container in ({"secrets": [SECRET]}, {"repositoryCredentials": {"credentialsParameter": "dockerhub"}}):
        in_served = _express([{"subnets": ["subnet-served"]}], ("served-subnet",), **container)
        assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), in_served)) == served, container
    # Subnets, or the whole container, unknown until the update: not judged yet.
    for unknown in (_express([{"subnets": [UNKNOWN]}], ("bare-subnet",)), _express(UNKNOWN),
                    Res(EXPRESS, "express", {"primaryContainer": UNKNOWN, "networkConfigurations": [
                        {"subnets": ["subnet-bare"]}]}, refs={"networkConfigurations": ["bare-subnet"]})):
        assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), unknown)) == set()


@pytest.mark.parametrize("member", ["command", "environments"])
def test_an_express_service_with_a_value_unknown_that_decides_no_call_is_judged(member):
    """Only the members that decide a call are read: a command or environment unknown until the update stopped the
    check on the whole service when the awslogs driver ECS gives it was added to a copy of every member."""
    express = _express([{"subnets": ["subnet-bare"]}], ("bare-subnet",), **{member: UNKNOWN})
    assert _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), express)) == {
        (POLICY, "express", "calls ecr.api, ecr.dkr, logs, s3 but VPC bare has no endpoint for it"), BARE_VPC}


def test_an_express_service_whose_secret_arn_is_unknown_leaves_the_other_tasks_judged():
    """A secret's ARN made from a stack secret is unknown in a first preview: the Express service is not judged yet,
    and the task in the bare VPC still is (a review found both policies not run for the whole stack)."""
    express = _express([{"subnets": ["subnet-served"]}], ("served-subnet",),
                       secrets=[{"name": "DB", "valueFrom": UNKNOWN}])
    assert _endpoint_findings(_two_vpcs(["subnet-bare"], ("bare-subnet",), express)) == IN_BARE


@pytest.mark.parametrize("region, adopted, reported", [
    (None, None, False), (None, {}, True), ("us-east-1", {"region": "us-east-1"}, True),
    ("us-east-1", {"region": "eu-west-1"}, False), ("us-east-1", {"region": UNKNOWN}, False)])
def test_an_express_service_without_subnets_runs_in_its_regions_default_vpc(region, adopted, reported):
    """Without subnets, an Express service uses the default VPC's (ExpressGatewayServiceNetworkConfiguration): the
    stack's DefaultVpc of its region when it adopts one, else no VPC of the stack's (a new VPC never is the default)."""
    extra = [_express(secrets=[SECRET])]
    if region is not None:
        extra[0].props["region"] = region
    if adopted is not None:
        extra.append(Res("aws:ec2/defaultVpc:DefaultVpc", "default", {"id": "vpc-default", **adopted}))
    found = _endpoint_findings(_two_vpcs(["subnet-served"], ("served-subnet",), *extra))
    assert found == ({
        (POLICY, "express", "calls ecr.api, ecr.dkr, logs, s3, secretsmanager but VPC default has no endpoint for it"),
        (ENDPOINTS_POLICY, "default", "VPC default has no endpoint for ecr.api, ecr.dkr, logs, s3, secretsmanager, "
                                      "which the stack's tasks use; tasks in it would reach those APIs through NAT "
                                      "and the internet")} if reported else set())
