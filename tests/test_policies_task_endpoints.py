"""The VPC-endpoint guardrail against tests/programs/policy_task_endpoints (raw VPC endpoints and ECS tasks)."""
from __future__ import annotations

import json

from tests.test_policies_support import (
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
    # policy_ecs has task definitions calling Secrets Manager and SSM, and no VPC endpoints (they use NAT).
    ecs = program("policy_ecs")
    assert POLICY not in {v.policy for v in ecs.violations} and not not_run(ecs, "good-task") & {POLICY}


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
