"""ECS tasks against the stack's VPC endpoints: where a stack keeps AWS API calls inside the VPC, every API
a task definition's containers call needs an endpoint, or the call leaves through NAT (or fails where the
tasks' security groups allow only the endpoints). Whether a stack means to is the policy config's call (knob
`required`, as for ec2-vpc-interface-endpoints): an interface endpoint alone says nothing (an execute-api
endpoint for a private REST API sits well beside tasks that reach AWS through NAT)."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional, Sequence

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import dig, is_true
from ..core.registry import config_value, stack_policy
from ..core.stack import depending_on, of_type, prop
from ..ec2 import VPC_ENDPOINT, endpoint_type, served_services
from . import SERVICE, TASK_DEFINITION
from .containers import containers, injected_secrets, secret_source

ECR_PUBLIC = "public.ecr.aws"
ECS_EXEC_API = "ssmmessages"


def apis_used_by(task_containers: Iterable[Any], *, execute_command: bool) -> set[str]:
    """The endpoint services (com.amazonaws.<region>.<this>) a task's containers call, read from the
    containers themselves: image registries, log drivers, injected secrets (the app's and the log driver's),
    known sidecars, ECS Exec.

    `s3` is ECR's layer download (a gateway endpoint); `ecr-public` marks an image pulled from ECR Public,
    which no VPC endpoint serves (mirror it with an ECR pull-through cache rule).
    """
    used = {ECS_EXEC_API} if execute_command else set()
    for container in task_containers:
        raw = getattr(container, "raw", container)
        image = str(raw.get("image") or "")
        host = image.split("/", 1)[0]
        if host == ECR_PUBLIC:
            used.add("ecr-public")
        elif ".dkr.ecr." in host:
            used |= {"ecr.api", "ecr.dkr", "s3"}
        if "aws-xray-daemon" in image:
            used.add("xray")
        if "cloudwatch-agent" in image:
            used |= {"monitoring", "logs"}
        if "aws-appmesh-envoy" in image:
            used.add("appmesh-envoy-management")
        if (raw.get("logConfiguration") or {}).get("logDriver") == "awslogs":
            used.add("logs")
        for _, secret in injected_secrets(raw):
            source = secret_source(dig(secret, "valueFrom"))
            if source:
                used.add(source)
    return used


def task_apis(task: Any, resources: Sequence[Any]) -> Optional[set[str]]:
    """The endpoint services one task definition calls: its containers (`apis_used_by`), ECS Exec and the
    Service Connect proxy's `awslogs` on the services of the stack's `resources` that run it. None while its
    containers are unknown."""
    if prop(task, "containerDefinitions") is None:
        return None
    mine = depending_on(resources, (SERVICE,), "taskDefinition", task)
    used = apis_used_by(containers(task.props),
                        execute_command=any(is_true(prop(s, "enableExecuteCommand")) for s in mine))
    if any(prop(s, "serviceConnectConfiguration", "logConfiguration", "logDriver") == "awslogs" for s in mine):
        used.add("logs")
    return used


def missing_endpoints(used: set[str], provided: Iterable[str]) -> set[str]:
    """What a task uses that the VPC endpoints do not serve (so it would need the internet)."""
    return used - set(provided)


@stack_policy(
    "ecs-task-vpc-endpoints", TASK_DEFINITION,
    description="Where the policy config requires VPC endpoints and the stack has interface endpoints, every AWS "
                "API its ECS tasks call must have one.",
    severity=Severity.MEDIUM,
    anchor_note="AWS's ECS and ECR endpoint guides list what Fargate tasks call; no rule set checks it",
    config={"required": {"type": "boolean", "default": False,
                         "description": "Whether this environment's tasks must reach AWS APIs through VPC endpoints "
                                        "(not NAT)."}},
)
def task_vpc_endpoints(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """each task definition's containers (ECR images, `awslogs`, `secrets` and the log driver's `secretOptions`,
    X-Ray/CloudWatch/Envoy sidecars, ECS Exec and Service Connect proxy logs on its services) call only services the
    stack's VPC endpoints serve (an interface endpoint with private DNS), and no image is on ECR Public; only with
    knob `required`, and stacks without interface endpoints are not checked"""
    if not config_value(args, "required"):
        return
    endpoints = of_type(args.resources, VPC_ENDPOINT)
    if not any(endpoint_type(e) == "Interface" for e in endpoints):
        return
    found = served_services(endpoints)
    if found is None:
        return  # can't tell during preview
    served, dns_off = found
    for task in of_type(args.resources, TASK_DEFINITION):
        used = task_apis(task, args.resources)
        if used is None:
            continue
        missing = missing_endpoints(used, served)
        if "ecr-public" in missing:
            yield ("pulls an image from ECR Public, which no VPC endpoint serves; pull it through an ECR "
                   "pull-through cache rule", task.urn)
        missing.discard("ecr-public")
        unresolved = missing & dns_off
        missing -= unresolved
        if missing:
            yield f"calls {', '.join(sorted(missing))} but the stack has no VPC endpoint for it", task.urn
        if unresolved:
            yield (f"calls {', '.join(sorted(unresolved))} but the stack's VPC endpoints for it have private DNS off "
                   "(privateDnsEnabled), so the task resolves the public API names and leaves through NAT"), task.urn
