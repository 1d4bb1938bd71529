"""Batch job definitions: no secrets in plain container environment variables, on any of the four places a job
definition describes containers (ECS, multi-node, ECS task and EKS properties), nor in parameter defaults."""
from __future__ import annotations

from typing import Any, Callable, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import as_list, dig, is_map, json_object, member, peek, peek_entries
from ..core.registry import resource_policy
from ..core.secret_names import SECRET_NAME_KNOBS, secret_env_findings
from . import JOB_DEFINITION

_ECS_FIX = "inject it from `secrets` (valueFrom)"
_EKS_FIX = "mount it from a Kubernetes secret (podProperties.volumes[].secret)"
# A parameter default is substituted for `Ref::<name>` in the command (SubmitJob may override it), and
# DescribeJobDefinitions returns it as it returns the environment.
_PARAMETER_FIX = ("keep secrets out of parameter defaults: inject it from `secrets` (valueFrom), or on EKS mount it "
                  "from a Kubernetes secret")


def _ecs_task_containers(where: str, ecs_properties: Any) -> Iterator[tuple[str, Any]]:
    """(label, container) for each container of ECS properties' `taskProperties[].containers[]` (decoded JSON)."""
    for t, task in enumerate(as_list(member(ecs_properties, "taskProperties"))):
        for c, container in enumerate(as_list(member(task, "containers"))):
            name = member(container, "name")
            yield (f"{where} container '{name}'" if name else f"{where}.taskProperties[{t}].containers[{c}]"), container


# How a container's members are read: `member` for decoded API JSON (any case), `dig` for the provider's blocks.
Getter = Callable[[Any, str], Any]


def _json_env(label: str, container: Any) -> tuple[str, list, str]:
    """(label, environment variables, how to pass a secret instead) for a container of decoded API JSON (ECS,
    multi-node, ECS task properties): the (name, value) pairs of its `environment` entries, read in any case."""
    return label, [(member(e, "name"), member(e, "value")) for e in as_list(member(container, "environment"))
                   if is_map(e)], _ECS_FIX


def _eks_envs(where: str, pod: Any, get: Getter) -> Iterator[tuple[str, list, str]]:
    """EKS pod containers and init containers: `env` in the API's JSON (read with `member`), `envs` in the
    provider's blocks (read with `dig`; a value unknown until the update is `peek`'s UNKNOWN)."""
    env_key, value = ("envs", peek) if get is dig else ("env", get)
    for kind in ("containers", "initContainers"):
        for c, container in enumerate(as_list(get(pod, kind))):
            name = get(container, "name")
            label = f"{where} {kind[:-1]} '{name}'" if name else f"{where}.podProperties.{kind}[{c}]"
            yield label, [(get(e, "name"), value(e, "value")) for e in as_list(get(container, env_key))
                          if is_map(e)], _EKS_FIX


def environments(props: Any) -> Iterator[tuple[str, list, str]]:
    """(label, environment (name, value) pairs, how to pass a secret instead) for every container the job definition
    describes. `containerProperties`, `ecsProperties` and `nodeProperties` are JSON strings (the provider decodes
    them ignoring case); `eksProperties` is the provider's own blocks. Reading an unknown string raises."""
    container = json_object(props.get("containerProperties"))
    if is_map(container):
        yield _json_env("containerProperties", container)
    for label, task_container in _ecs_task_containers("ecsProperties", json_object(props.get("ecsProperties"))):
        yield _json_env(label, task_container)
    for r, node_range in enumerate(as_list(member(json_object(props.get("nodeProperties")), "nodeRangeProperties"))):
        where = f"nodeProperties.nodeRangeProperties[{r}]"
        if is_map(member(node_range, "container")):
            yield _json_env(f"{where}.container", member(node_range, "container"))
        ecs_properties = member(node_range, "ecsProperties")
        for label, task_container in _ecs_task_containers(f"{where}.ecsProperties", ecs_properties):
            yield _json_env(label, task_container)
        yield from _eks_envs(f"{where}.eksProperties", member(member(node_range, "eksProperties"), "podProperties"),
                             member)
    yield from _eks_envs("eksProperties", dig(props, "eksProperties", "podProperties"), dig)


@resource_policy(
    "batch-job-definition-no-secret-env", JOB_DEFINITION,
    description="Batch job definitions must not pass secrets as plain environment variables or parameter defaults; "
                "use `secrets` (valueFrom), or a Kubernetes secret on EKS.",
    severity=Severity.CRITICAL,
    anchor_note="the names and values ecs-taskdef-no-secret-env (Security Hub ECS.8) looks for, in a job "
                "definition's containers",
    config=SECRET_NAME_KNOBS,
)
def no_secret_env(args: ResourceValidationArgs) -> Iterator[str]:
    """no `environment` name of `containerProperties`, `ecsProperties.taskProperties[].containers[]` or any
    `nodeProperties.nodeRangeProperties[]` container, nor any `env` of an EKS pod's containers, looks like a secret
    (knobs `secretKeyPatterns`, `allowedKeys`), nor does a value hold a secret detect-secrets knows by its shape,
    as for ECS containers; nor does a `parameters` default, by its name or its value; the value is never echoed.
    batch:DescribeJobDefinitions returns the variables and parameters to anyone allowed to list job definitions"""
    for label, variables, fix in environments(args.props):
        yield from secret_env_findings(args, variables, f"{label} passes", fix)
    yield from secret_env_findings(args, peek_entries(args.props, "parameters"), "parameters passes", _PARAMETER_FIX,
                                   plain="parameter")
