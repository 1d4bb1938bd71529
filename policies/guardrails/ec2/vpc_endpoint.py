"""VPC endpoints: tasks reach the AWS APIs they use without going through NAT to the internet."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import peek
from ..core.registry import config_list, config_value, stack_policy, string_list
from ..core.stack import of_type, refers_to
from ..ecs import SERVICE as ECS_SERVICE
from ..ecs import TASK_DEFINITION
from ..ecs.endpoints import task_apis
from . import VPC_ENDPOINT, VPCS, served_services


def services_in_use(resources: list) -> set[str]:
    """The AWS APIs the stack's tasks call, as ecs-task-vpc-endpoints reads them (a task whose definition is
    unknown until the update adds nothing). ECR Public has no endpoint; that policy reports it."""
    services = of_type(resources, ECS_SERVICE)
    needed: set[str] = set()
    for task in of_type(resources, TASK_DEFINITION):
        needed |= task_apis(task, services) or set()
    return needed - {"ecr-public"}


@stack_policy(
    "ec2-vpc-interface-endpoints", VPCS,
    description="Where the policy config requires it, each VPC has endpoints for the AWS APIs its tasks use.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EC2.10",), anchor_note="EC2.10 asks for the EC2 endpoint only",
    config={
        "required": {"type": "boolean", "default": False,
                     "description": "Whether this environment must reach AWS APIs through VPC endpoints."},
        "additionalServices": string_list("Endpoint services (e.g. sts, kms) required besides those derived from "
                                          "the task definitions."),
    },
)
def interface_endpoints(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """with knob `required`: every VPC in the stack has an endpoint (interface with private DNS, or gateway for
    s3/dynamodb) for each API its tasks use (as `ecs-task-vpc-endpoints` derives them, ECR Public aside) plus
    knob `additionalServices`"""
    if not config_value(args, "required", False):
        return
    needed = services_in_use(args.resources) | set(config_list(args, "additionalServices", []))
    endpoints = of_type(args.resources, VPC_ENDPOINT)
    for vpc in of_type(args.resources, *VPCS):
        mine, maybe = [], False
        for endpoint in endpoints:
            answer = refers_to(endpoint, "vpcId", [peek(endpoint.props, "vpcId")], vpc, keys=("id", "arn"))
            mine += [endpoint] if answer else []
            maybe = maybe or answer is None
        found = served_services(mine)
        if found is None or maybe:
            continue
        served, none_usable = found
        missing = sorted(needed - served - none_usable)
        unusable = sorted(needed & none_usable)
        if missing:
            yield (f"VPC {vpc.name} has no endpoint for {', '.join(missing)}, which its tasks use; they would "
                   "reach those APIs through NAT and the internet"), vpc.urn
        if unusable:
            yield (f"VPC {vpc.name}: the endpoints for {', '.join(unusable)} are interface endpoints without "
                   "privateDnsEnabled, so tasks still resolve the public API names"), vpc.urn
