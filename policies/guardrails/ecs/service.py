"""ECS services: network exposure, Fargate platform, deployments, ECS Exec, what replaces a hung task, and Cloud Map
discovery without a mesh to encrypt what peers send (the tasks EventBridge starts are run_task's)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import (UNKNOWN, as_list, dig, is_map, is_true, named_by, peek, peek_items, unless_unknown,
                          version_numbers)
from ..core.registry import ADVISORY, config_list, config_value, resource_policy, stack_policy, string_list
from ..core.stack import of_type, referenced
from . import DAEMON, SERVICE, TASK_SET
from .containers import containers, is_envoy_image, is_sidecar
from .links import task_definition_of, task_definition_run_by


@resource_policy(
    "ecs-service-no-public-ip", (SERVICE, TASK_SET),
    description="ECS services and task sets must not assign public IP addresses to tasks.",
    severity=Severity.HIGH,
    anchors=("Security Hub ECS.2", "Security Hub ECS.16", "CT.ECS.PR.9", "CKV_AWS_333"),
)
def no_public_ip(args: ResourceValidationArgs) -> Iterator[str]:
    """`networkConfiguration.assignPublicIp` is not true"""
    if is_true(dig(args.props, "networkConfiguration", "assignPublicIp")):
        yield "networkConfiguration.assignPublicIp is true; tasks must stay in private subnets"


@resource_policy(
    "ecs-service-security-groups", (SERVICE, TASK_SET),
    description="ECS services and task sets in awsvpc mode must name their security groups.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EC2.2",),
    anchor_note="ECS puts the VPC's default security group on tasks that name none; EC2.2 asks that group to "
                "allow nothing",
)
def security_groups_named(args: ResourceValidationArgs) -> Iterator[str]:
    """a `networkConfiguration` (awsvpc) lists `securityGroups`; without one ECS uses the VPC's default group, which
    admits its own members and sends anywhere unless someone has emptied it"""
    if not is_map(peek(args.props, "networkConfiguration")):
        args.not_applicable("no networkConfiguration: not an awsvpc service")
    # Item by item: a group made in the same program has an id unknown until the update, and is a group all the same.
    if not peek_items(args.props, "networkConfiguration", "securityGroups"):
        yield ("networkConfiguration.securityGroups is empty, so ECS puts the VPC's default security group on the "
               "tasks; name a group of their own")


NON_FARGATE_LAUNCH_TYPES = ("EC2", "EXTERNAL")
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def may_run_on_fargate(launch_type: Any, providers: list) -> bool:
    """Fargate by launch type or capacity provider (`providers`: the names a capacity provider strategy lists), or by
    the cluster's default capacity provider strategy when neither is named: only an explicit EC2/EXTERNAL launch type
    or non-Fargate providers rule it out."""
    if launch_type in NON_FARGATE_LAUNCH_TYPES:
        return False
    if providers and launch_type is None:
        return any(p in FARGATE_PROVIDERS for p in providers)
    return True


def _may_run_on_fargate(props) -> bool:
    strategies = as_list(props.get("capacityProviderStrategies"))
    return may_run_on_fargate(props.get("launchType"), [dig(s, "capacityProvider") for s in strategies])


def pinned_platform(version: Any) -> bool:
    """Whether a Fargate platform version is pinned: set, known, and not LATEST."""
    return version is not None and version not in ("LATEST", UNKNOWN)


def outdated_platform(args: StackValidationArgs, path: str, version: Any, windows: Optional[bool]) -> Optional[str]:
    """Why the pinned platform `version` at `path` is too old: it falls short of the oldest acceptable one (knob
    `minimumWindowsVersion` for Windows, else `minimumVersion`); None where it does not, or the OS is unknown."""
    if windows is None:
        return None
    minimum = config_value(args, "minimumWindowsVersion" if windows else "minimumVersion")
    parsed = version_numbers(str(version))
    if parsed is None or parsed < version_numbers(minimum):
        return f"{path} is {version}; use LATEST or at least {minimum}"
    return None


# What a policy holding Fargate tasks to a platform version takes: the service policy's and the run-task one's.
FARGATE_VERSION_KNOBS = {
    "minimumVersion": {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)*$", "default": "1.4.0",
                       "description": "The oldest acceptable pinned Fargate platform version."},
    "minimumWindowsVersion": {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)*$", "default": "1.0.0",
                              "description": "The oldest acceptable pinned Windows Fargate platform version "
                                             "(numbered apart from Linux's; Security Hub ECS.10's "
                                             "latestWindowsVersion)."}}


@stack_policy(
    "ecs-service-fargate-platform-version", (SERVICE, TASK_SET),
    description="Fargate services and task sets must run on platform LATEST or at least 1.4.0 (Windows: 1.0.0).",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ECS.10", "Config ecs-fargate-latest-platform-version", "CKV_AWS_332"),
    config=FARGATE_VERSION_KNOBS,
)
def fargate_platform_version(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """services and task sets that may run on Fargate (launch type, FARGATE/FARGATE_SPOT capacity providers, or
    neither named, so the cluster's default strategy decides) run `LATEST` or ≥ 1.4.0 (knob `minimumVersion`); only
    Fargate has platform versions. Windows versions are numbered apart (1.0.0 is the latest): one whose task
    definition in the stack runs a `WINDOWS_SERVER_*` `runtimePlatform.operatingSystemFamily` is held to knob
    `minimumWindowsVersion`; one whose task definition is elsewhere to Linux's; one that may run another task
    definition, or whose OS or settings are unknown during preview, is not judged"""
    for service in of_type(args.resources, SERVICE, TASK_SET):
        version = peek(service.props, "platformVersion")
        if not pinned_platform(version) or not unless_unknown(_may_run_on_fargate, service.props):
            continue
        problem = outdated_platform(args, "platformVersion", version, holder_runs_windows(service, args.resources))
        if problem:
            yield problem, service.urn


def runs_windows(task: Optional[Any]) -> Optional[bool]:
    """Whether a known task definition of the stack runs Windows; False for None, one not in the stack (Linux,
    Fargate's default), None where its OS is unknown during preview. For the one a holder names, which may be another,
    `holder_runs_windows`."""
    family = peek(task.props, "runtimePlatform", "operatingSystemFamily") if task is not None else None
    return None if family is UNKNOWN else isinstance(family, str) and family.upper().startswith("WINDOWS")


def holder_runs_windows(holder: Any, resources: list, path: tuple[str, ...] = ("taskDefinition",)) -> Optional[bool]:
    """Whether the task definition a service (or a launcher's block, at `path`) names runs Windows (`runs_windows`);
    None where it may name another (`task_definition_of`), whose OS a verdict on the one found would guess."""
    task, maybe = task_definition_of(holder, resources, path)
    return None if maybe else runs_windows(task)


def _strategy(props) -> str:
    return dig(props, "deploymentConfiguration", "strategy") or "ROLLING"


@resource_policy(
    "ecs-service-deployment-circuit-breaker", SERVICE,
    description="ECS services must enable the deployment circuit breaker with rollback.",
    severity=Severity.MEDIUM, level=ADVISORY,
)
def deployment_circuit_breaker(args: ResourceValidationArgs) -> Iterator[str]:
    """`deploymentCircuitBreaker` enable and rollback (rolling updates only: not for CODE_DEPLOY/EXTERNAL
    controllers or BLUE_GREEN/CANARY/LINEAR strategies)"""
    controller = dig(args.props, "deploymentController", "type")
    if controller in ("CODE_DEPLOY", "EXTERNAL"):
        args.not_applicable(f"{controller} deployments have no ECS circuit breaker")
    strategy = _strategy(args.props)
    if strategy != "ROLLING":
        args.not_applicable(f"the circuit breaker is for rolling updates; {strategy} uses deployment alarms")
    breaker = args.props.get("deploymentCircuitBreaker")
    if not is_true(dig(breaker, "enable")):
        yield "deploymentCircuitBreaker.enable is not true; a failing deployment would never stop"
    elif not is_true(dig(breaker, "rollback")):
        yield "deploymentCircuitBreaker.rollback is not true; a failed deployment would not roll back"


@resource_policy(
    "ecs-service-exec-disabled", (SERVICE, DAEMON),
    description="ECS services and daemons must not enable ECS Exec (interactive shells into tasks).",
    severity=Severity.MEDIUM,
)
def exec_disabled(args: ResourceValidationArgs) -> Iterator[str]:
    """`enableExecuteCommand` is not true"""
    if is_true(args.props.get("enableExecuteCommand")):
        yield "enableExecuteCommand is true; ECS Exec gives interactive shells into running tasks"


@resource_policy(
    "ecs-service-deployment-alarms", SERVICE,
    description="ECS services with a BLUE_GREEN, CANARY or LINEAR deployment must watch alarms and roll back on them.",
    severity=Severity.HIGH,
)
def deployment_alarms(args: ResourceValidationArgs) -> Iterator[str]:
    """a `deploymentConfiguration.strategy` of BLUE_GREEN, CANARY or LINEAR has `alarms` with `alarmNames`,
    `enable` and `rollback` (the circuit breaker, where it applies, sees only tasks that fail to start or fail their
    health checks, not a release that serves errors while the traffic shifts)"""
    strategy = _strategy(args.props)
    if strategy == "ROLLING":
        args.not_applicable("rolling updates are covered by ecs-service-deployment-circuit-breaker")
    alarms = args.props.get("alarms")
    if not is_map(alarms) or not as_list(alarms.get("alarmNames")):
        yield (f"deploymentConfiguration.strategy is {strategy} but alarms names no alarmNames; no alarm watches the "
               "traffic shift, so a release whose tasks start but serve errors would take all the traffic")
        return
    if not is_true(alarms.get("enable")):
        yield f"alarms.enable is not true; the {strategy} deployment would ignore its alarms"
    elif not is_true(alarms.get("rollback")):
        yield f"alarms.rollback is not true; a {strategy} deployment that trips its alarms would not roll back"


# Where ECS checks a service's tasks from outside them (a target group's health checks replace a failing task).
_CHECKED_FROM_OUTSIDE = ("loadBalancers", "vpcLatticeConfigurations")


def _checked_containers(task: Any) -> list[str]:
    """Labels of the task definition's essential app containers with a health check command: not a sidecar (a log
    router's or an agent's check says it runs, an App Mesh Envoy's that it has its configuration: nothing about the
    app), but for a task of sidecars alone (an agent's own service), which is its own app. Raises on unknown JSON."""
    essential = [c for c in containers(task.props) if c.essential]
    apps = [c for c in essential if not is_sidecar(c)] or essential
    return [c.label for c in apps if c.checks_health]


@stack_policy(
    "ecs-service-container-health-check", (SERVICE, TASK_SET),
    description="ECS services that no load balancer checks must run a container health check, so that ECS replaces "
                "a hung task.",
    severity=Severity.MEDIUM, level=ADVISORY,
)
def container_health_check(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a service, or a task set (what runs the tasks of a service with an EXTERNAL deployment controller), with no
    `loadBalancers` and no `vpcLatticeConfigurations` runs a task definition (in the stack) with a `healthCheck`
    command (CMD or CMD-SHELL and what to run; `["NONE"]` turns a check off) on an essential container other than a
    sidecar (a FireLens log router, `firelensConfiguration`; an X-Ray daemon, CloudWatch agent, ADOT collector or App
    Mesh Envoy image), whose check says nothing of the app, unless sidecars are all it runs: ECS stops a service's
    task whose essential container is UNHEALTHY and starts another, and the deployment circuit breaker counts it"""
    for service in of_type(args.resources, SERVICE, TASK_SET):
        outside = [peek(service.props, key) for key in _CHECKED_FROM_OUTSIDE]
        if any(value is UNKNOWN or as_list(value) for value in outside):
            continue
        task = task_definition_run_by(service, args.resources)
        checked = unless_unknown(_checked_containers, task) if task is not None else None
        if checked is None or checked:
            continue  # the task definition is elsewhere or unknown (can't tell), or it has a check
        runner = "service" if service.resource_type == SERVICE else "task set"
        yield (f"no load balancer checks this {runner}'s tasks and task definition {task.name} has no container "
               "health check (healthCheck.command) on an essential app container (a sidecar's says nothing of the "
               "app); a hung process would keep running and never be replaced"), service.urn


def _in_app_mesh(task: Any) -> Optional[bool]:
    """Whether the task definition runs in App Mesh: an APPMESH `proxyConfiguration` (`type` defaults to it), or the
    App Mesh Envoy image (a virtual gateway's task is Envoy alone and serves its TLS listener itself); None when its
    proxyConfiguration is unknown. Raises on unknown JSON."""
    proxy = peek(task.props, "proxyConfiguration")
    if proxy is UNKNOWN:
        return None
    if is_map(proxy) and (proxy.get("type") or "APPMESH") == "APPMESH":
        return True
    return any(is_envoy_image(c.get("image")) for c in containers(task.props))


def _serves_service_connect(service: Any) -> Optional[bool]:
    """Whether the service serves endpoints through Service Connect (enabled, with `services[]`), whose TLS the
    ecs-service-connect-tls policy judges; None when unknown. A client-only Service Connect serves nothing."""
    enabled = peek(service.props, "serviceConnectConfiguration", "enabled")
    entries = peek_items(service.props, "serviceConnectConfiguration", "services")
    if enabled is UNKNOWN or (is_true(enabled) and UNKNOWN in entries):
        return None
    return is_true(enabled) and bool(entries)


def _short_names(value: Any) -> list[str]:
    """An ECS service's name from a value naming it by name or ARN; none from a value not known."""
    return [value.rsplit("/", 1)[-1]] if isinstance(value, str) else []


def _exempt_names(runner: Any, resources: list) -> Optional[list[str]]:
    """What exemptServices may name a service or task set by: its resource name and its ECS service's name (a task
    set's `service`, by name or ARN, or the names of the stack's service it is made from: its id is its ARN, unknown
    until the update); None while a task set's `service` is unknown and made from none of the stack's services."""
    if runner.resource_type == SERVICE:
        return [runner.name, *_short_names(peek(runner.props, "name"))]
    value = peek(runner.props, "service")
    services, _ = referenced(runner, "service", [value], of_type(resources, SERVICE))
    if value is UNKNOWN and not services:
        return None
    return [runner.name, *_short_names(value),
            *(name for s in services for name in (s.name, *_short_names(peek(s.props, "name"))))]


# What a service or task set registered in Cloud Map is called, and how it gets TLS (CreateTaskSet takes
# serviceRegistries but no Service Connect).
_REGISTRY_REMEDIES = {SERVICE: ("service", "serve it through Service Connect with tls"),
                      TASK_SET: ("task set", "a task set takes no Service Connect: serve its tasks from a service "
                                             "with Service Connect and tls instead")}


@stack_policy(
    "ecs-service-registry-mesh-tls", (SERVICE, TASK_SET),
    description="ECS services and task sets registered in Cloud Map (serviceRegistries) must be in a mesh that "
                "encrypts what peers send them: Service Connect with TLS.",
    severity=Severity.HIGH, level=ADVISORY,
    config={"exemptServices": string_list(
        "ECS services (service or resource names, shell wildcards; a task set by its own or its service's) whose own "
        "containers terminate TLS on the registered port, which the pack cannot see.")},
)
def registry_mesh_tls(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a service or task set with `serviceRegistries` that serves no Service Connect endpoint (`services[]`, whose
    `tls` ecs-service-connect-tls asks for; a task set takes no Service Connect) runs a task definition (in the stack)
    with an APPMESH `proxyConfiguration` or the App Mesh Envoy (whose TLS the appmesh policies ask for; AWS
    discontinued App Mesh on 2026-09-30, so a finding recommends Service Connect alone): peers that find it in Cloud
    Map otherwise call its tasks directly, in plaintext unless the application terminates TLS itself (knob
    `exemptServices`); advisory by its own level, since that is what the pack cannot see"""
    exempt = config_list(args, "exemptServices")
    for runner in of_type(args.resources, SERVICE, TASK_SET):
        if not peek_items(runner.props, "serviceRegistries"):
            continue
        if _serves_service_connect(runner) is not False:
            continue  # served through Service Connect, or can't tell
        names = _exempt_names(runner, args.resources) if exempt else []
        if names is None or named_by(names, exempt):
            continue  # exempt, or a task set whose service may be
        task = task_definition_run_by(runner, args.resources)
        meshed = unless_unknown(_in_app_mesh, task) if task is not None else None
        if meshed is None or meshed:
            continue  # the task definition is elsewhere or unknown (can't tell), or it is in App Mesh
        kind, remedy = _REGISTRY_REMEDIES[runner.resource_type]
        yield (f"the {kind} registers its tasks in Cloud Map (serviceRegistries) and task definition {task.name} has "
               "neither Service Connect nor an App Mesh proxy: peers that discover it there call its tasks directly, "
               f"in plaintext unless its containers terminate TLS; {remedy} (list it in exemptServices if its "
               "containers terminate TLS)"), runner.urn
