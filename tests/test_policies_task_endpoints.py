"""The VPC-endpoint guardrail against tests/programs/policy_task_endpoints (raw VPC endpoints and ECS tasks)."""
from __future__ import annotations

import json

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
    Finding(POLICY, "exec-task", M, "calls ssmmessages but the stack has no VPC endpoint for it"),
    Finding(POLICY, "public-image-task", M, "pulls an image from ECR Public, which no VPC endpoint serves"),
    Finding(POLICY, "later-task", M, "calls secretsmanager"),
    # The ECS Exec service is also what the exec policy is about.
    Finding("ecs-service-exec-disabled", "exec-service", M, "enableExecuteCommand is true"),
]
PASSING = [(POLICY, "served-task")]


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
