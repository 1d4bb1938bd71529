"""ECS tasks against the stack's VPC endpoints: where a stack keeps AWS API calls inside the VPC, every API a task
definition's containers (or an Express service's primary container) call needs an endpoint, or the call leaves
through NAT (or fails where the tasks' security groups allow only the endpoints). Whether a stack means to is the
policy config's call (knob `required`, as for ec2-vpc-interface-endpoints): an interface endpoint alone says
nothing (an execute-api endpoint for a private REST API sits well beside tasks that reach AWS through NAT)."""
from __future__ import annotations

from collections import ChainMap
from typing import Any, Iterable, Iterator, Optional, Sequence

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, arn_region, dig, has_text, is_true, peek, peek_items, unless_unknown
from ..core.registry import config_value, stack_policy
from ..core.stack import in_another_region, of_type, once_per_stack, prop, referenced, region_of, same_place
from ..ec2 import (DEFAULT_SUBNET, DEFAULT_VPC, NATIVE_VPC_ENDPOINT, SUBNET, VPC_ENDPOINT, VPCS, endpoint_type,
                   endpoints_in, labels, other_regions, served_services, unserved_calls)
from . import EXPRESS_SERVICE, SERVICE, TASK_DEFINITION, TASK_LAUNCHERS, TASK_SET, external_only, runs_external
from .containers import (SIDECAR_IMAGES, containers, each_container, injected_secrets, secret_source,
                         sidecar_markers)
from .links import task_definition_of
from .run_task import started_task_path

ECR_PUBLIC = "public.ecr.aws"
ECS_EXEC_API = "ssmmessages"
# FireLens outputs (the Fluent Bit plugin a container's `awsfirelens` log options name) -> the service each calls,
# from the task's log router, in the output's `region` option (AWS for Fluent Bit's plugins; the older Go plugins'
# names too).
FIRELENS_OUTPUTS = {"cloudwatch_logs": "logs", "cloudwatch": "logs", "kinesis_firehose": "kinesis-firehose",
                    "firehose": "kinesis-firehose", "kinesis_streams": "kinesis-streams", "kinesis": "kinesis-streams",
                    "s3": "s3"}


def api_calls(task_containers: Iterable[Any], *, execute_command: bool) -> Optional[set[tuple[Any, str]]]:
    """The calls a task's containers make, as (region, endpoint service: com.amazonaws.<region>.<this>) pairs, read
    from the containers themselves: image registries, log drivers (`awslogs`, and FireLens outputs:
    `FIRELENS_OUTPUTS`), injected secrets (the app's and the log driver's) and a private registry's credentials
    (`repositoryCredentials`), known sidecars (X-Ray, CloudWatch agent, ADOT, Envoy), ECS Exec. The region is the one
    a call names (an ECR image's host, the `awslogs-region` option, a secret's ARN), else None: the task's own. `s3`
    is ECR's layer download (a gateway endpoint; the layers are in the registry's region); `ecr-public` marks an
    image pulled from ECR Public, which no VPC endpoint serves (mirror it with an ECR pull-through cache rule). None
    while a FireLens output's name is unknown until the update."""
    used: set[tuple[Any, str]] = {(None, ECS_EXEC_API)} if execute_command else set()
    for container in task_containers:
        raw = getattr(container, "raw", container)
        image = str(raw.get("image") or "")
        host = image.split("/", 1)[0]
        if host == ECR_PUBLIC:
            used.add((None, "ecr-public"))
        elif ".dkr.ecr." in host:
            region = _named_region(host.split(".dkr.ecr.", 1)[1].split(".", 1)[0])
            used |= {(region, "ecr.api"), (region, "ecr.dkr"), (region, "s3")}
        for marker in sidecar_markers(image):
            used |= {(None, service) for service in SIDECAR_IMAGES[marker]}
        driver = (raw.get("logConfiguration") or {}).get("logDriver")
        if driver == "awslogs":
            used.add((_named_region(peek(raw, "logConfiguration", "options", "awslogs-region")), "logs"))
        elif driver == "awsfirelens":
            output = peek(raw, "logConfiguration", "options", "Name")
            if output is UNKNOWN:
                return None  # which service it calls waits for the update, and so does every message listing them
            service = FIRELENS_OUTPUTS.get(output.lower()) if isinstance(output, str) else None
            if service:
                used.add((_named_region(peek(raw, "logConfiguration", "options", "region")), service))
        for _, secret in injected_secrets(raw):
            value_from = dig(secret, "valueFrom")
            source = secret_source(value_from)
            if source:
                used.add((_named_region(arn_region(str(value_from))), source))
        # A private registry's login: the agent reads it from Secrets Manager, named by its ARN or, in the task's own
        # region, by its name (botocore ecs RepositoryCredentials.credentialsParameter): never an SSM parameter.
        credentials = dig(raw, "repositoryCredentials", "credentialsParameter")
        if has_text(credentials):
            used.add((_named_region(arn_region(credentials)), "secretsmanager"))
    return used


def _named_region(value: object) -> Any:
    """The region a host, ARN or `awslogs-region` option names: its name, UNKNOWN until the update, or None (the
    task's own) for none."""
    return value if value is UNKNOWN or (isinstance(value, str) and value) else None


def task_apis(task: Any, resources: Sequence[Any]) -> Optional[set[tuple[Any, str]]]:
    """The calls one task definition makes, as (region, endpoint service) pairs: its containers' (`api_calls`), ECS
    Exec and the Service Connect proxy's `awslogs` on the services of the stack's `resources` that run it; a call
    that names no region is in the task definition's (`region_of`). An Express service's task: its primary
    container's (`_express_calls`). None while its containers, or what they call, are unknown."""
    if task.resource_type == EXPRESS_SERVICE:
        return _express_calls(task)
    if prop(task, "containerDefinitions") is None:
        return None
    mine = _placements(resources)[0].get(task.urn, [])  # its services (and task sets), as task_vpcs finds them
    used = api_calls(containers(task.props),
                     execute_command=any(is_true(prop(s, "enableExecuteCommand")) for s in mine))
    if used is None:
        return None
    for runner in mine:
        if prop(runner, "serviceConnectConfiguration", "logConfiguration", "logDriver") == "awslogs":
            region = peek(runner.props, "serviceConnectConfiguration", "logConfiguration", "options", "awslogs-region")
            used.add((_named_region(region), "logs"))
    return _in_home_region(task, used)


def _in_home_region(task: Any, used: set[tuple[Any, str]]) -> set[tuple[Any, str]]:
    """The calls, each that names no region in the task's (`region_of`)."""
    home = region_of(task)
    return {(home if region is None else region, service) for region, service in used}


def _express_calls(service: Any) -> Optional[set[tuple[Any, str]]]:
    """The calls an Express service's task makes (`_primary_calls`), each in its region. None while the container, or
    one of the values that decide its calls (a secret's `valueFrom` made from another resource's ARN), is unknown."""
    used = unless_unknown(_primary_calls, service)
    return None if used is None else _in_home_region(service, used)


def _primary_calls(service: Any) -> Optional[set[tuple[Any, str]]]:
    """An Express service's primary container's calls, read as the family reads it (`each_container`), with the
    awslogs driver ECS gives it to the log group it names or one ECS makes for the service (AWS's "Resources created
    by Amazon ECS Express Mode services": a task definition with logging, a log group specific to the service); None
    without one. Its values are read as given, each when asked (a ChainMap, not a copy, keeps `_Block`'s lazy reading):
    one unknown until the update raises only if a call depends on it."""
    primary = [ChainMap({"logConfiguration": {"logDriver": "awslogs"}}, c.raw) for c in each_container(service)]
    return api_calls(primary, execute_command=False) if primary else None


# A task definition's placement where the stack tells it may run in any of its VPCs (nothing in the stack runs it,
# an EventBridge rule, schedule or pipe starts it, a subnet or VPC made elsewhere); UNKNOWN where that waits on
# values not known yet (a first preview, a replaced task definition).
ANY_VPC = "any VPC"


def _placements(resources: list) -> tuple[dict[str, list], set[str], bool]:
    """The services and task sets that run each task definition of the stack (by URN), the task definitions an
    EventBridge rule, schedule or pipe starts, and whether one of those names a task definition not known yet."""
    def build(items: list) -> tuple[dict[str, list], set[str], bool]:
        runners: dict[str, list] = {}
        launched: set[str] = set()
        unsure = False
        for holder in of_type(items, SERVICE, TASK_SET, *TASK_LAUNCHERS):
            path = ("taskDefinition",) if holder.resource_type in (SERVICE, TASK_SET) else started_task_path(holder)
            if peek(holder.props, *path) is None:
                continue  # an EXTERNAL-controller service (its task sets run the tasks), a rule's Lambda target
            task, maybe = task_definition_of(holder, items, path)
            unsure = unsure or maybe
            if task is not None and holder.resource_type in TASK_LAUNCHERS:
                launched.add(task.urn)
            elif task is not None:
                runners.setdefault(task.urn, []).append(holder)
        return runners, launched, unsure
    return once_per_stack(resources, "ecs-task-placements", build)


def _subnets_vpcs(values: list, resources: list) -> set:
    """The URNs of the stack VPCs the subnets `values` names are in (`_vpc_of`); {ANY_VPC} for no subnet, or one made
    elsewhere; {UNKNOWN} while an id, or a stack subnet's id, is not known."""
    by_id = _subnet_vpcs(resources)
    if UNKNOWN in values:
        return {UNKNOWN}
    if not values or any(v not in by_id for v in values):
        return {UNKNOWN if UNKNOWN in by_id else ANY_VPC}
    return {by_id[v] for v in values}


def _subnet_vpcs(resources: list) -> dict:
    """The stack's subnets' VPCs (`_vpc_of`) by subnet id (UNKNOWN for an id not known yet), worked out once per stack
    evaluation: every service and task set of every task definition asks."""
    def build(items: list) -> dict:
        vpcs = of_type(items, *VPCS)
        return {peek(s.props, "id"): _vpc_of(s, vpcs) for s in of_type(items, SUBNET, DEFAULT_SUBNET)}
    return once_per_stack(resources, "ecs-subnet-vpcs", build)


def _vpc_of(subnet: Any, vpcs: list) -> Any:
    """The URN of the stack VPC a subnet is in (`vpcId`); ANY_VPC for a VPC made elsewhere; UNKNOWN while that
    waits on an unknown value."""
    found, maybe = referenced(subnet, "vpcId", [peek(subnet.props, "vpcId")], vpcs, keys=("id",))
    if maybe:
        return UNKNOWN
    return found[0].urn if len(found) == 1 else ANY_VPC


def task_vpcs(task: Any, resources: list) -> Any:
    """The stack VPCs (URNs) a task definition runs in: those of the subnets of the services and task sets that run it
    (none for ECS Anywhere's: a task definition for EXTERNAL alone, or a runner of launch type EXTERNAL). ANY_VPC where
    the stack tells it may run in any (nothing in the stack runs it, a launcher starts it, a subnet or VPC made
    elsewhere); UNKNOWN where that waits on values not known yet, None where even whether it runs in a VPC at all (or
    on ECS Anywhere's servers) does. An Express service's tasks: `_express_vpcs`."""
    if task.resource_type == EXPRESS_SERVICE:
        return _express_vpcs(task, resources)
    anywhere = _anywhere(task, resources)
    if anywhere is None:
        return None
    if anywhere:
        return frozenset()  # ECS Anywhere's own servers: in no VPC
    runners, launched, unsure = _placements(resources)
    if unsure:
        return UNKNOWN
    if task.urn in launched or not runners.get(task.urn):
        return ANY_VPC
    found = set()
    for runner in [r for r in runners[task.urn] if not runs_external(r)]:
        found |= _subnets_vpcs(peek_items(runner.props, "networkConfiguration", "subnets"), resources)
    return _one_answer(found)


def _one_answer(found: set) -> Any:
    """VPC URNs as `task_vpcs` answers: UNKNOWN, then ANY_VPC, over any VPC found."""
    if UNKNOWN in found:
        return UNKNOWN
    return ANY_VPC if ANY_VPC in found else frozenset(found)


def _express_vpcs(service: Any, resources: list) -> Any:
    """The stack VPCs (URNs) an Express service's tasks run in, as `task_vpcs` answers: those of the subnets of its
    `networkConfigurations`; without subnets, its region's default VPC (ExpressGatewayServiceNetworkConfiguration: "By
    default, an Express service utilizes subnets and security groups associated with the default VPC"), which is the
    stack's DefaultVpc of its account and region, or else none of the stack's VPCs (a new VPC never is a default
    one); UNKNOWN while that waits on values not known yet."""
    configs = peek_items(service.props, "networkConfigurations")
    subnets = [s for c in configs for s in ([UNKNOWN] if c is UNKNOWN else peek_items(c, "subnets"))]
    if subnets:
        return _one_answer(_subnets_vpcs(subnets, resources))
    places = {vpc.urn: same_place(vpc, service) for vpc in of_type(resources, DEFAULT_VPC)}
    return UNKNOWN if None in places.values() else frozenset(urn for urn, same in places.items() if same)


def _anywhere(task: Any, resources: list) -> Optional[bool]:
    """Whether a task definition is ECS Anywhere's alone (`external_only`); None while that, or whether a service or
    task set that runs it places it on external instances (`runs_external`), waits for the update."""
    alone = external_only(task.props)
    if alone is None or any(runs_external(r) is None for r in _placements(resources)[0].get(task.urn, ())):
        return None
    return alone


@stack_policy(
    "ecs-task-vpc-endpoints", (TASK_DEFINITION, EXPRESS_SERVICE),
    description="Where the policy config requires VPC endpoints and the stack has interface endpoints, every AWS "
                "API its ECS tasks call must have one.",
    severity=Severity.MEDIUM,
    anchor_note="AWS's ECS and ECR endpoint guides list what Fargate tasks call; no rule set checks it",
    config={"required": {"type": "boolean", "default": False,
                         "description": "Whether this environment's tasks must reach AWS APIs through VPC endpoints "
                                        "(not NAT)."}},
)
def task_vpc_endpoints(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """each task definition's containers (ECR images, `awslogs`, FireLens outputs to CloudWatch Logs, Firehose, Kinesis
    or S3, `secrets` and the log driver's `secretOptions`, a private registry's `repositoryCredentials` (Secrets
    Manager), X-Ray/CloudWatch/ADOT/Envoy sidecars, ECS Exec and Service Connect proxy logs on its services), and
    each Express service's primary container (its image, `secrets` and `repositoryCredentials`, and the `awslogs`
    driver ECS gives it), call only services the VPC endpoints of each VPC it runs in
    serve (an interface endpoint with private DNS, its own or an EndpointPrivateDns's), each in the region the call
    names (the image's ECR host, `awslogs-region`, a FireLens output's `region`, the secret's ARN; else the task's,
    its `region` or its provider's), which is the one an endpoint's `com.amazonaws.<region>.<service>` name carries
    (a cross-Region endpoint serves that Region's API names only), and no image is on ECR Public; a task runs in the
    VPCs of its services' and task sets' subnets (an Express service's: its `networkConfigurations`' subnets,
    without them its region's default VPC, which only the stack's DefaultVpc there shows), where the stack says it
    may run in any (nothing in the stack runs it, an EventBridge rule, schedule or pipe starts it, a subnet or VPC
    made elsewhere) any of the stack's endpoints not in another region serves it, and one whose VPCs wait on values
    not known yet is not judged; a provider's region the stack does not name is taken to be the one named beside it,
    and a region unknown until the update leaves the task unjudged; only with knob `required`, and stacks without
    interface endpoints are not checked"""
    if not config_value(args, "required"):
        return
    endpoints = of_type(args.resources, VPC_ENDPOINT)
    if not any(endpoint_type(e) == "Interface" for e in endpoints):
        return
    vpcs = {vpc.urn: vpc for vpc in of_type(args.resources, *VPCS)}
    for task in of_type(args.resources, TASK_DEFINITION, EXPRESS_SERVICE):
        used = task_apis(task, args.resources)
        if used is None:
            continue
        where = task_vpcs(task, args.resources)
        if where is None or where == frozenset():
            continue  # on ECS Anywhere's own servers (or may be), or in a default VPC the stack does not show
        if any(service == "ecr-public" for _, service in used):
            yield ("pulls an image from ECR Public, which no VPC endpoint serves; pull it through an ECR "
                   "pull-through cache rule", task.urn)
        used = {call for call in used if call[1] != "ecr-public"}
        if where is UNKNOWN:
            continue  # judged once its VPCs are known: another reading now could report what the update would not
        for vpc in [vpcs[urn] for urn in sorted(where)] if isinstance(where, frozenset) else [None]:
            yield from ((message, task.urn) for message in _unserved(used, task, endpoints, vpc, args.resources))


def _unserved(used: set[tuple[Any, str]], task: Any, endpoints: list, vpc: Optional[Any],
              resources: list) -> Iterator[str]:
    """What a task calls ((region, service) pairs) that the endpoints of `vpc` (of the stack in the task's region,
    where None) do not serve usably; nothing while an endpoint's VPC or service is not known yet. `resources`: the
    stack's (an endpoint's private DNS setting)."""
    if vpc is None:  # any VPC's: an aws-native endpoint (unread) may be the one that serves
        if region_of(task) is UNKNOWN or any(region_of(e) is UNKNOWN for e in endpoints):
            return  # which endpoints are in the task's region waits for the update
        mine = [e for e in endpoints if not in_another_region(e, task)]
        maybe = bool(of_type(resources, NATIVE_VPC_ENDPOINT))
    else:
        mine, maybe = endpoints_in(vpc, resources)
    found = None if maybe else served_services(mine, resources)
    if found is None:
        return  # can't tell during preview
    home = region_of(task if vpc is None else vpc)
    missing, unresolved, unsure = unserved_calls(used, found, home)
    if unsure:
        return  # a call's region, or the home a finding names calls against, is not known yet
    owner = "the stack has no VPC endpoint" if vpc is None else f"VPC {vpc.name} has no endpoint"
    if missing:
        yield f"calls {labels(missing, home)} but {owner} for it{other_regions(missing, found)}"
    if unresolved:
        owner = "the stack's VPC endpoints" if vpc is None else f"VPC {vpc.name}'s endpoints"
        yield (f"calls {labels(unresolved, home)} but {owner} for it have private DNS off (privateDnsEnabled), "
               "so the task resolves the public API names and leaves through NAT")
