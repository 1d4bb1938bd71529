"""ECS tasks against the stack's VPC endpoints: where a stack keeps AWS API calls inside the VPC, every API
a task definition's containers call needs an endpoint, or the call leaves through NAT (or fails where the
tasks' security groups allow only the endpoints). Whether a stack means to is the policy config's call (knob
`required`, as for ec2-vpc-interface-endpoints): an interface endpoint alone says nothing (an execute-api
endpoint for a private REST API sits well beside tasks that reach AWS through NAT)."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional, Sequence

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import dig, is_true, peek, peek_items
from ..core.registry import config_value, stack_policy
from ..core.stack import covering, depending_on, of_type, once_per_stack, prop, referenced, refers_to
from ..ec2 import (DEFAULT_SUBNET, SECURITY_GROUPS, SUBNET, VPC_ENDPOINT, VPCS, endpoint_type, endpoints_in,
                   served_services)
from . import SERVICE, TASK_DEFINITION, TASK_LAUNCHERS, TASK_SET
from .containers import containers, injected_secrets, secret_source
from .links import task_definition_of
from .run_task import starts_ecs_tasks

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


def _runners(resources: list) -> Optional[dict[str, list]]:
    """The services and task sets that run each task definition of the stack (by its URN); None where any task may
    run elsewhere too: a runner's task definition is not one the stack's references resolve, or an EventBridge
    rule, schedule or pipe may start tasks (with subnets of its own)."""
    def build(items: list) -> tuple[Optional[dict[str, list]]]:
        if any(starts_ecs_tasks(launcher) for launcher in of_type(items, *TASK_LAUNCHERS)):
            return (None,)
        by_task: dict[str, list] = {}
        for runner in of_type(items, SERVICE, TASK_SET):
            if peek(runner.props, "taskDefinition") is None:
                continue  # a service under an EXTERNAL deployment controller: its task sets run the tasks
            task, maybe = task_definition_of(runner, items)
            if task is None or maybe:
                return (None,)
            by_task.setdefault(task.urn, []).append(runner)
        return (by_task,)
    return once_per_stack(resources, "ecs-task-runners", build)[0]


def _runner_subnets(runner: Any, subnets: list, by_id: dict[str, Any]) -> Optional[list]:
    """The stack subnets a service or task set puts its tasks in (`networkConfiguration.subnets`): known ids by id,
    ids not known yet as the stack subnets the configuration is made from, where it is made only from subnets and
    security groups (a first preview). None for a subnet from outside the stack, or no subnets at all."""
    values = peek_items(runner.props, "networkConfiguration", "subnets")
    found = [by_id[v] for v in values if isinstance(v, str) and v in by_id]
    if not values or any(isinstance(v, str) and v not in by_id for v in values):
        return None
    unknown = [v for v in values if not isinstance(v, str)]
    if unknown:
        made_from = runner.property_dependencies.get("networkConfiguration", [])
        if not all(d.resource_type in (SUBNET, DEFAULT_SUBNET, *SECURITY_GROUPS) for d in made_from):
            return None
        linked, _ = referenced(runner, "networkConfiguration", unknown, subnets, keys=("id",), assigned=True)
        if not linked:
            return None
        found += linked
    return found


def _vpc_of(subnet: Any, vpcs: list) -> Optional[str]:
    """The URN of the stack VPC a subnet is in (`vpcId`); None where that is not one known stack VPC."""
    found, maybe = covering(vpcs, subnet, lambda vpc, _: refers_to(
        subnet, "vpcId", [peek(subnet.props, "vpcId")], vpc, keys=("id",)))
    return found[0].urn if len(found) == 1 and not maybe else None


def task_vpcs(task: Any, resources: list) -> Optional[frozenset[str]]:
    """The stack VPCs (URNs) a task definition runs in: those of the subnets of the services and task sets that run
    it. None where that cannot be told (`_runners`, `_runner_subnets`, `_vpc_of`), or nothing in the stack runs it:
    then it may run in any of them."""
    runners = (_runners(resources) or {}).get(task.urn)
    if not runners:
        return None
    subnets = of_type(resources, SUBNET, DEFAULT_SUBNET)
    by_id = {s_id: s for s_id, s in ((peek(s.props, "id"), s) for s in subnets) if isinstance(s_id, str)}
    vpcs = of_type(resources, *VPCS)
    found = set()
    for runner in runners:
        for subnet in _runner_subnets(runner, subnets, by_id) or [None]:
            vpc = subnet and _vpc_of(subnet, vpcs)
            if vpc is None:
                return None
            found.add(vpc)
    return frozenset(found)


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
    VPC endpoints of each VPC it runs in serve (an interface endpoint with private DNS), and no image is on ECR Public;
    a task runs in the VPCs of its services' and task sets' subnets, and where the stack cannot tell (a subnet from
    elsewhere, an EventBridge rule, schedule or pipe that may start tasks) any of the stack's endpoints serves it;
    only with knob `required`, and stacks without interface endpoints are not checked"""
    if not config_value(args, "required"):
        return
    endpoints = of_type(args.resources, VPC_ENDPOINT)
    if not any(endpoint_type(e) == "Interface" for e in endpoints):
        return
    vpcs = {vpc.urn: vpc for vpc in of_type(args.resources, *VPCS)}
    for task in of_type(args.resources, TASK_DEFINITION):
        used = task_apis(task, args.resources)
        if used is None:
            continue
        if "ecr-public" in used:
            yield ("pulls an image from ECR Public, which no VPC endpoint serves; pull it through an ECR "
                   "pull-through cache rule", task.urn)
        used.discard("ecr-public")
        where = task_vpcs(task, args.resources)
        for vpc in [None] if where is None else [vpcs[urn] for urn in sorted(where)]:
            yield from ((message, task.urn) for message in _unserved(used, endpoints, vpc))


def _unserved(used: set[str], endpoints: list, vpc: Optional[Any]) -> Iterator[str]:
    """What a task calls that the endpoints of `vpc` (of the stack, where None) do not serve usably; nothing while an
    endpoint's VPC or service is not known yet."""
    mine, maybe = (endpoints, False) if vpc is None else endpoints_in(vpc, endpoints)
    found = None if maybe else served_services(mine)
    if found is None:
        return  # can't tell during preview
    served, dns_off = found
    missing = missing_endpoints(used, served)
    unresolved = missing & dns_off
    missing -= unresolved
    owner = "the stack has no VPC endpoint" if vpc is None else f"VPC {vpc.name} has no endpoint"
    if missing:
        yield f"calls {', '.join(sorted(missing))} but {owner} for it"
    if unresolved:
        owner = "the stack's VPC endpoints" if vpc is None else f"VPC {vpc.name}'s endpoints"
        yield (f"calls {', '.join(sorted(unresolved))} but {owner} for it have private DNS off (privateDnsEnabled), "
               "so the task resolves the public API names and leaves through NAT")
