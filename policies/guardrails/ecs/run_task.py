"""ECS tasks that EventBridge starts (a rule's target, a Scheduler schedule, a pipe), or a Step Functions state
machine: each calls RunTask with a network configuration (public IP, security groups), container overrides, ECS Exec
and Fargate platform version of its own, which no service or task definition policy sees. A schedule's universal target
(`arn:aws:scheduler:::aws-sdk:ecs:runTask`, or `startTask`, which takes the same overrides, ECS Exec and network
configuration but no launch type or platform version: it places tasks on container instances) calls it with its
`target.input` as the request; a state machine's Task state with its `Parameters` (JSONPath) or `Arguments`
(JSONata)."""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import (UNKNOWN, as_list, dig, is_map, is_true, json_object, member, member_key, peek, peek_items,
                          unless_unknown)
from ..core.registry import resource_policy, stack_policy
from ..core.secret_names import SECRET_NAME_KNOBS, secret_env_findings
from ..core.stack import of_type
# A Step Functions state machine's ecs:runTask states are RunTask requests in its definition.
from ..sfn import STATE_MACHINE
from . import EVENT_TARGET, PIPE, SCHEDULE, TASK_DEFINITION, TASK_LAUNCHERS
from .service import (FARGATE_VERSION_KNOBS, holder_runs_windows, may_run_on_fargate, outdated_platform,
                      pinned_platform, runs_windows)

# Where each launcher keeps its RunTask parameters (pulumi-aws wire names).
_ECS_PARAMETERS = {EVENT_TARGET: ("ecsTarget",), SCHEDULE: ("target", "ecsParameters"),
                   PIPE: ("targetParameters", "ecsTaskParameters")}


def started_task_path(launcher: Any) -> tuple[str, ...]:
    """Where a launcher names the task definition it starts (its RunTask parameters' `taskDefinitionArn`)."""
    return (*_ECS_PARAMETERS[launcher.resource_type], "taskDefinitionArn")


# A schedule's universal target calling RunTask (or StartTask) itself: `target.input` is then its request. AWS documents
# the ARN as arn:aws:scheduler:::aws-sdk:<service>:<apiAction>, the action in camelCase, in each partition, but not
# whether case matters (its own example spells sqs:getQueueURL): any case is read, as a schedule AWS refuses starts
# no task.
_UNIVERSAL_RUN_TASK = re.compile(r"arn:[a-z-]+:scheduler:::aws-sdk:ecs:(runtask|starttask)", re.IGNORECASE)
_REQUEST = ("target", "input")


def _universal_arn(resource: Any) -> Optional[str]:
    """A schedule's universal RunTask or StartTask target's ARN, or None; an unknown ARN is no universal target's."""
    arn = peek(resource.props, "target", "arn") if resource.resource_type == SCHEDULE else None
    return arn if isinstance(arn, str) and _UNIVERSAL_RUN_TASK.fullmatch(arn) else None


def _run_task_request(resource: Any) -> Any:
    """A schedule's RunTask request through its universal target (`target.input` decoded), or None. Reading an input
    unknown until the update raises, as it should."""
    return json_object(dig(resource.props, *_REQUEST)) if _universal_arn(resource) else None


def _ecs_parameters(resource: Any) -> tuple[tuple[str, ...], Any]:
    """Where a launcher keeps its RunTask parameters, and they: a map, or None when it starts no ECS task."""
    where = _ECS_PARAMETERS[resource.resource_type]
    params = dig(resource.props, *where)
    if not is_map(params):
        where, params = _REQUEST, _run_task_request(resource)
    return where, (params if is_map(params) else None)


# A Task state that calls RunTask: the optimized integration (`arn:aws:states:::ecs:runTask`, with `.sync` or
# `.waitForTaskToken`) or the SDK one (`arn:aws:states:::aws-sdk:ecs:runTask`, or `startTask`, which takes the same
# ECS Exec, network configuration and overrides), in any partition.
_STATES_RUN_TASK = re.compile(
    r"arn:[a-z-]+:states:::((aws-sdk:)?ecs:runTask|aws-sdk:ecs:startTask)(\.sync|\.waitForTaskToken)?")


def _starts_task(action: str) -> bool:
    """Whether a universal target's or a Task state's resource calls StartTask (no launch type or platform version:
    the tasks go on the container instances it names) rather than RunTask."""
    return ":starttask" in action.lower()


def _spelled(value: Any, name: str, missing: Optional[str] = None) -> str:
    """The key `member` reads `name` by, as written, or `missing` (`name`) where it is left out: for messages."""
    return member_key(value, name) or missing or name


def _states(machine: Any, where: str) -> Iterator[tuple[str, Any]]:
    """(where, state) for every state of a definition, in Parallel branches and Map processors too."""
    states = member(machine, "States")
    for name, state in (states.items() if is_map(states) else ()):
        here = f"{where}.States.{name}"
        yield here, state
        for i, branch in enumerate(as_list(member(state, "Branches"))):
            yield from _states(branch, f"{here}.Branches[{i}]")
        for key in ("ItemProcessor", "Iterator"):
            if is_map(member(state, key)):
                yield from _states(member(state, key), f"{here}.{key}")


def _task_states(resource: Any) -> Optional[list[tuple[str, Any, bool]]]:
    """(where, request, whether it calls StartTask) for each Task state of a state machine's `definition` that calls
    RunTask or StartTask and has a request, `where` ending in its `Parameters` or JSONata's `Arguments` key as
    written; None when it has no such state."""
    machine = json_object(dig(resource.props, "definition"))
    calls = [(where, state, action) for where, state in _states(machine, "definition")
             if isinstance(action := member(state, "Resource"), str) and _STATES_RUN_TASK.fullmatch(action)]
    if not calls:
        return None
    found = []
    for where, state, action in calls:
        key = "Parameters" if member(state, "Parameters") else "Arguments"
        if is_map(request := member(state, key)):
            found.append((f"{where}.{_spelled(state, key)}", request, _starts_task(action)))
    return found


# Where each RunTask member read is: in a rule's `ecsTarget` and a schedule's `ecsParameters` (pulumi-aws wire names,
# a list block's in the plural), in a pipe's `ecsTaskParameters` (the awsvpc members one level deeper), and in a
# RunTask request (the API's names, as EventBridge and Step Functions write them; read in any case).
_LAUNCHER_MEMBERS = {"exec": ("enableExecuteCommand",), "platform": ("platformVersion",), "launchType": ("launchType",),
                     "strategy": ("capacityProviderStrategies",), "awsvpc": ("networkConfiguration",),
                     "publicIp": ("networkConfiguration", "assignPublicIp"),
                     "groups": ("networkConfiguration", "securityGroups")}
_PIPE_VPC = ("networkConfiguration", "awsVpcConfiguration")
_PIPE_MEMBERS = {**_LAUNCHER_MEMBERS, "awsvpc": _PIPE_VPC, "publicIp": (*_PIPE_VPC, "assignPublicIp"),
                 "groups": (*_PIPE_VPC, "securityGroups")}
_REQUEST_VPC = ("NetworkConfiguration", "AwsvpcConfiguration")
_REQUEST_PUBLIC_IP = (*_REQUEST_VPC, "AssignPublicIp")
_REQUEST_MEMBERS = {"exec": ("EnableExecuteCommand",), "platform": ("PlatformVersion",),
                    "launchType": ("LaunchType",), "strategy": ("CapacityProviderStrategy",), "awsvpc": _REQUEST_VPC,
                    "publicIp": _REQUEST_PUBLIC_IP, "groups": (*_REQUEST_VPC, "SecurityGroups")}


def _run_time(value: Any) -> bool:
    """Whether a state's value is a JSONata expression (`{% ... %}`), which Step Functions evaluates at run time."""
    return isinstance(value, str) and value.strip().startswith("{%") and value.strip().endswith("%}")


# An input template's placeholders (`<size>`, `<aws.events.rule-arn>`), in quotes or out: InputTransformer's
# template "can also be valid JSON with variables in quotes or out" (EventBridge's API reference).
_PLACEHOLDER = re.compile(r"<[A-Za-z0-9_.\-]+>")


def _input_overrides(text: Any, template: bool = False) -> list:
    """`containerOverrides` of a rule's or schedule's `input` (JSON; EventBridge sends it to RunTask as the task's
    overrides, a universal target as the whole request), at the top or under `overrides`; [] when the input is not
    JSON or names none. A `template`'s placeholders are read as a number, each, as the JSON the template becomes is
    read."""
    if not isinstance(text, str):
        return []
    if template:
        text = _PLACEHOLDER.sub("0", text)
    try:
        decoded = json.loads(text)
    except ValueError:
        return []
    return as_list(member(decoded, "containerOverrides") or member(member(decoded, "overrides"),
                                                                       "containerOverrides"))


def _filled(request: Any, name: str) -> Any:
    """A RunTask request's member (`member`, any case): UNKNOWN where a state fills it at run time (JSONPath's `Key.$`,
    a JSONata expression), in the request or in the member."""
    if _run_time(request) or member(request, f"{name}.$") is not None:
        return UNKNOWN
    value = member(request, name)
    return UNKNOWN if _run_time(value) else value


# Where each launcher passes its container overrides: a state machine's request (read in any case) and a pipe's block
# in their RunTask parameters, as (the overrides member, its list); a rule and a schedule in the JSON EventBridge
# sends to RunTask as the overrides (a universal target's whole request), a rule in its input template too (whether
# its placeholders are read).
_OVERRIDE_PARAMETERS = {STATE_MACHINE: ("Overrides", "ContainerOverrides"), PIPE: ("overrides", "containerOverrides")}
_OVERRIDE_INPUTS = {EVENT_TARGET: (("input", False), ("inputTransformer.inputTemplate", True)),
                    SCHEDULE: (("target.input", False),)}


class RunTaskCall:
    """One RunTask call a rule's target, a schedule, a pipe or a state machine makes: `where` its parameters are, and
    they, as the launcher's provider block (read as written; an unknown value raises, as it should) or a RunTask request
    (a universal target's input, a state machine's Task state; a member a state fills at run time, JSONPath's `Key.$`
    or a JSONata expression, reads as UNKNOWN). `start_task`: a StartTask request, which takes no launch type or
    platform version. `launcher`: the resource (or policy args) making it, whose `input` a rule or schedule sends as
    the container overrides."""

    def __init__(self, launcher: Any, where: tuple[str, ...], params: Mapping[str, Any], start_task: bool = False):
        self.launcher, self.where, self.params, self.start_task = launcher, where, params, start_task
        resource_type = launcher.resource_type
        self.request = resource_type == STATE_MACHINE or where == _REQUEST
        self.members = _REQUEST_MEMBERS if self.request else _PIPE_MEMBERS if resource_type == PIPE \
            else _LAUNCHER_MEMBERS
        # A rule's target and a schedule take a boolean (the provider sends true as ENABLED); a pipe and a RunTask
        # request take the API's ENABLED/DISABLED.
        self.boolean_ip = not self.request and resource_type != PIPE

    def path(self, key: str) -> str:
        """The wire path of a member, for messages: a request's members as written, in whatever case."""
        if not self.request:
            return ".".join((*self.where, *self.members[key]))
        names, value = [], self.params
        for name in self.members[key]:
            # A member left out is named in the case of the one before it.
            camel = name[0].lower() + name[1:] if names and names[-1][:1].islower() else name
            names.append(_spelled(value, name, camel))
            value = member(value, name)
        return ".".join((*self.where, *names))

    def get(self, key: str) -> Any:
        """A member's value: None where it is left out, UNKNOWN where a state fills it at run time."""
        if not self.request:
            return dig(self.params, *self.members[key])
        value = self.params
        for name in self.members[key]:
            value = _filled(value, name)
            if value is UNKNOWN:
                break
        return value

    def items(self, key: str) -> list:
        """A list member's items, each UNKNOWN where unknown (or filled at run time)."""
        if not self.request:
            return peek_items(self.params, *self.members[key])
        value = self.get(key)
        return [UNKNOWN] if value is UNKNOWN else as_list(value)

    def _override_lists(self) -> list[tuple[str, str, Any]]:
        """(where, how the list is named, its overrides) for each list of container overrides the call passes: a
        state's `Overrides.ContainerOverrides` (any case), a pipe's `overrides.containerOverrides`, a rule's or
        schedule's `input` (a universal target's whole request) and a rule's `inputTransformer.inputTemplate`,
        which EventBridge sends to RunTask as the overrides. Reading an input unknown until the update raises, as it
        should."""
        props, resource_type = self.launcher.props, self.launcher.resource_type
        if resource_type in _OVERRIDE_INPUTS:
            return [(where, "containerOverrides", _input_overrides(dig(props, *where.split(".")), template))
                    for where, template in _OVERRIDE_INPUTS[resource_type]]
        block, listed = _OVERRIDE_PARAMETERS[resource_type]
        overrides = member(member(self.params, block), listed)
        return [(".".join((*self.where, _spelled(self.params, block))), listed, overrides)]

    def overrides(self) -> Iterator[tuple[str, str, list]]:
        """(where, container label, environment (name, value) pairs) for each container override the call passes."""
        pipe = self.launcher.resource_type == PIPE
        # A pipe's provider block lists `environments`, a value made from another resource unknown until the update
        # (`peek`'s UNKNOWN; a variable's name decides the verdict, so reading an unknown one raises). A RunTask
        # request's JSON lists `environment`, a member a state fills at run time UNKNOWN: never judged.
        read = peek if pipe else _filled if self.request else member
        for where, listed, overrides in self._override_lists():
            for index, override in enumerate(as_list(overrides)):
                # The container's name only labels the message: one not known labels it by index.
                name = read(override, "name")
                label = f"container '{name}'" if name and name is not UNKNOWN else f"{listed}[{index}]"
                variables = [(dig(e, "name") if pipe else read(e, "name"), read(e, "value"))
                             for e in as_list(member(override, "environments" if pipe else "environment"))
                             if is_map(e)]
                yield where, label, variables


def run_task_calls(resource: Any) -> Optional[list[RunTaskCall]]:
    """The RunTask calls a launcher or a state machine (its policy args, or a stack's resource) makes; None when it
    starts no ECS task. Reading a request unknown until the update raises, as it should."""
    if resource.resource_type == STATE_MACHINE:
        states = _task_states(resource)
        return None if states is None else [RunTaskCall(resource, (where,), request, start)
                                            for where, request, start in states]
    where, params = _ecs_parameters(resource)
    if params is None:
        return None
    start = where == _REQUEST and _starts_task(_universal_arn(resource))
    return [RunTaskCall(resource, where, params, start)]


def _calls(args: ResourceValidationArgs) -> list[RunTaskCall]:
    """`run_task_calls`; not applicable when it starts no ECS task."""
    calls = run_task_calls(args)
    if calls is None:
        args.not_applicable("starts no ECS task")
    return calls


def public_ip_paths(args: ResourceValidationArgs) -> Iterator[str]:
    """The wire path of each `assignPublicIp` that gives the tasks a public address."""
    for call in _calls(args):
        value = call.get("publicIp")
        if is_true(value) if call.boolean_ip else str(value).upper() == "ENABLED":
            yield call.path("publicIp")


@resource_policy(
    "ecs-run-task-no-public-ip", (*TASK_LAUNCHERS, STATE_MACHINE),
    description="EventBridge rules, schedules, pipes and state machines that start ECS tasks must not assign them "
                "public IP addresses.",
    severity=Severity.HIGH,
    anchor_note="Security Hub ECS.2 and ECS.16 for the tasks a rule, schedule or pipe starts with RunTask",
)
def run_task_no_public_ip(args: ResourceValidationArgs) -> Iterator[str]:
    """with an ECS target: `ecsTarget.networkConfiguration.assignPublicIp` (a rule's target),
    `target.ecsParameters.networkConfiguration.assignPublicIp` (a schedule) is not true, and a pipe's
    `targetParameters.ecsTaskParameters.networkConfiguration.awsVpcConfiguration.assignPublicIp`, or the
    `NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp` of a schedule's universal RunTask target's
    `target.input` (`arn:<partition>:scheduler:::aws-sdk:ecs:runTask` or `startTask`, in any case), or of a state
    machine's Task state calling `ecs:runTask` or `aws-sdk:ecs:startTask` (`Parameters` or `Arguments`, in Parallel
    and Map states too), is not ENABLED"""
    for path in public_ip_paths(args):
        yield f"{path} gives the tasks it starts a public IP address; tasks must stay in private subnets"


@resource_policy(
    "ecs-run-task-exec-disabled", (*TASK_LAUNCHERS, STATE_MACHINE),
    description="EventBridge rules, schedules, pipes and state machines that start ECS tasks must not enable ECS Exec "
                "(interactive shells into the tasks).",
    severity=Severity.MEDIUM,
    anchor_note="what ecs-service-exec-disabled asks of services, for the tasks RunTask starts",
)
def run_task_exec_disabled(args: ResourceValidationArgs) -> Iterator[str]:
    """with an ECS target: `enableExecuteCommand` (a rule's `ecsTarget`, a schedule's `target.ecsParameters`, a
    pipe's `targetParameters.ecsTaskParameters`), or `EnableExecuteCommand` of a universal RunTask target's
    `target.input` or a state machine's ecs:runTask or aws-sdk:ecs:startTask state, is not true"""
    for call in _calls(args):
        if is_true(call.get("exec")):
            yield f"{call.path('exec')} is true; ECS Exec gives interactive shells into the tasks it starts"


@resource_policy(
    "ecs-run-task-security-groups", (*TASK_LAUNCHERS, STATE_MACHINE),
    description="EventBridge rules, schedules, pipes and state machines that start ECS tasks in awsvpc mode must name "
                "their security groups.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EC2.2",),
    anchor_note="RunTask puts the VPC's default security group on tasks started without one; EC2.2 asks that group to "
                "allow nothing",
)
def run_task_security_groups(args: ResourceValidationArgs) -> Iterator[str]:
    """with an awsvpc network configuration (a rule's `ecsTarget.networkConfiguration`, a schedule's
    `target.ecsParameters.networkConfiguration`, a pipe's `...networkConfiguration.awsVpcConfiguration`, a universal
    RunTask target's or a state machine's ecs:runTask (or startTask) state's
    `NetworkConfiguration.AwsvpcConfiguration`): it lists security groups; without one the tasks get the VPC's default
    group, which admits its own members and sends anywhere unless someone has emptied it"""
    for call in _calls(args):
        # Item by item: a group made in the same program has an id unknown until the update, and is a group too.
        if is_map(call.get("awsvpc")) and not call.items("groups"):
            yield (f"{call.path('groups')} is empty, so ECS puts the VPC's default security group on the tasks it "
                   "starts; name a group of their own")


def _runs_windows(call: RunTaskCall, resources: list) -> Optional[bool]:
    """Whether the task a call starts runs Windows (`runs_windows`). A launcher's block names its task definition
    (`taskDefinitionArn`) as the stack links it; a RunTask request names it in JSON, which links to nothing: Linux
    unless the stack has a task definition it may be that runs Windows, or whose OS is unknown."""
    if call.request:
        tasks = of_type(resources, TASK_DEFINITION)
        return None if any(runs_windows(task) is not False for task in tasks) else False
    return holder_runs_windows(call.launcher, resources, started_task_path(call.launcher))


def _outdated_platform(args: StackValidationArgs, call: RunTaskCall) -> Optional[str]:
    """Why a call's pinned Fargate platform version is too old, or None. Raises on a value unknown until the
    update."""
    if call.start_task:  # StartTask places tasks on the container instances it names, never on Fargate
        return None
    version, launch_type = call.get("platform"), call.get("launchType")
    providers = [UNKNOWN if s is UNKNOWN else member(s, "capacityProvider") for s in call.items("strategy")]
    if not pinned_platform(version) or UNKNOWN in (launch_type, *providers) \
            or not may_run_on_fargate(launch_type, providers):
        return None
    return outdated_platform(args, call.path("platform"), version, _runs_windows(call, args.resources))


@stack_policy(
    "ecs-run-task-fargate-platform-version", (*TASK_LAUNCHERS, STATE_MACHINE),
    description="EventBridge rules, schedules, pipes and state machines that start Fargate tasks must run them on "
                "platform LATEST or at least 1.4.0 (Windows: 1.0.0).",
    severity=Severity.MEDIUM,
    anchor_note="Security Hub ECS.10, which checks services only, for the tasks RunTask starts",
    config=FARGATE_VERSION_KNOBS,
)
def run_task_fargate_platform_version(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """the RunTask call of a rule's `ecsTarget`, a schedule's `target.ecsParameters` or universal RunTask target, a
    pipe's `targetParameters.ecsTaskParameters` or a state machine's ecs:runTask state that may start its tasks on
    Fargate (as ecs-service-fargate-platform-version judges a service: launch type, FARGATE/FARGATE_SPOT capacity
    providers, or neither named) pins no platform version, `LATEST`, or ≥ 1.4.0 (knob `minimumVersion`); one whose
    task definition in the stack runs Windows is held to knob `minimumWindowsVersion`, one elsewhere to Linux's; a
    RunTask request (which names its task definition in JSON) only where no task definition of the stack may run
    Windows; a StartTask call (container instances, never Fargate), a call that may start another task definition,
    or whose settings are unknown during preview or filled at run time, is not judged"""
    for launcher in of_type(args.resources, *TASK_LAUNCHERS, STATE_MACHINE):
        for call in unless_unknown(run_task_calls, launcher) or []:
            problem = unless_unknown(_outdated_platform, args, call)
            if problem:
                yield problem, launcher.urn


@resource_policy(
    "ecs-run-task-no-secret-env", (*TASK_LAUNCHERS, STATE_MACHINE),
    description="EventBridge rules, schedules, pipes and state machines that start ECS tasks must not pass secrets "
                "as plain environment variables in their container overrides; use the task definition's `secrets` "
                "(valueFrom).",
    severity=Severity.CRITICAL,
    anchor_note="the names and values ecs-taskdef-no-secret-env (Security Hub ECS.8) looks for, in RunTask's "
                "container overrides",
    config=SECRET_NAME_KNOBS,
)
def no_secret_env(args: ResourceValidationArgs) -> Iterator[str]:
    """with an ECS target (`ecsTarget`, `target.ecsParameters`, `targetParameters.ecsTaskParameters`, a schedule's
    universal RunTask target): no container override's `environment` name looks like a secret (a rule's `input` or
    `inputTransformer.inputTemplate`, a schedule's `target.input`, the RunTask request's `Overrides` in a universal
    target's and a state machine's ecs:runTask (or startTask) states, a pipe's `overrides.containerOverrides`; knobs
    `secretKeyPatterns`, `allowedKeys`),
    nor does a value hold a secret detect-secrets knows by its shape, as for ECS containers; the value is never
    echoed. Anyone who may read the rule, schedule or pipe reads the override, and overrides take no `secrets`"""
    for where, label, variables in (found for call in _calls(args) for found in call.overrides()):
        yield from secret_env_findings(args, variables, f"{where} gives {label}",
                                       "inject it from the task definition's `secrets` (valueFrom) instead")
