"""ECS services: network exposure, Fargate platform, deployments and ECS Exec."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import as_list, dig, is_true
from ..core.registry import ADVISORY, config_value, resource_policy
from . import SERVICE


@resource_policy(
    "ecs-service-no-public-ip", SERVICE,
    description="ECS services must not assign public IP addresses to tasks.",
    severity=Severity.HIGH,
    anchors=("Security Hub ECS.2", "CT.ECS.PR.9", "CKV_AWS_333"),
)
def no_public_ip(args: ResourceValidationArgs) -> Iterator[str]:
    """`networkConfiguration.assignPublicIp` is not true"""
    if is_true(dig(args.props, "networkConfiguration", "assignPublicIp")):
        yield "networkConfiguration.assignPublicIp is true; tasks must stay in private subnets"


def _is_fargate(props) -> bool:
    if props.get("launchType") == "FARGATE":
        return True
    return any(dig(s, "capacityProvider") in ("FARGATE", "FARGATE_SPOT")
               for s in as_list(props.get("capacityProviderStrategies")))


def _version(text: str) -> Optional[tuple[int, ...]]:
    return tuple(int(p) for p in text.split(".")) if re.fullmatch(r"\d+(\.\d+)*", text) else None


@resource_policy(
    "ecs-service-fargate-platform-version", SERVICE,
    description="Fargate services must run on platform LATEST or at least 1.4.0.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ECS.10", "Config ecs-fargate-latest-platform-version", "CKV_AWS_332"),
    config={"minimumVersion": {"type": "string", "pattern": r"^\d+(\.\d+)*$", "default": "1.4.0",
                               "description": "The oldest acceptable pinned Fargate platform version."}},
)
def fargate_platform_version(args: ResourceValidationArgs) -> Iterator[str]:
    """Fargate services (launch type or FARGATE/FARGATE_SPOT capacity providers) run `LATEST` or ≥ 1.4.0 (knob
    `minimumVersion`)"""
    if not _is_fargate(args.props):
        args.not_applicable("not a Fargate service")
    minimum = config_value(args, "minimumVersion", "1.4.0")
    version = args.props.get("platformVersion")
    if version is None or version == "LATEST":
        return
    parsed = _version(str(version))
    if parsed is None or parsed < _version(minimum):
        yield f"platformVersion is {version}; use LATEST or at least {minimum}"


@resource_policy(
    "ecs-service-deployment-circuit-breaker", SERVICE,
    description="ECS services must enable the deployment circuit breaker with rollback.",
    severity=Severity.MEDIUM, level=ADVISORY,
)
def deployment_circuit_breaker(args: ResourceValidationArgs) -> Iterator[str]:
    """`deploymentCircuitBreaker` enable and rollback (not for CODE_DEPLOY/EXTERNAL controllers)"""
    controller = dig(args.props, "deploymentController", "type")
    if controller in ("CODE_DEPLOY", "EXTERNAL"):
        args.not_applicable(f"{controller} deployments have no ECS circuit breaker")
    strategy = dig(args.props, "deploymentConfiguration", "strategy")
    if strategy in ("BLUE_GREEN", "CANARY", "LINEAR"):
        # The circuit breaker watches rolling updates only; these strategies roll back on deployment alarms.
        args.not_applicable(f"{strategy} deployments roll back on deployment alarms, not the circuit breaker")
    breaker = args.props.get("deploymentCircuitBreaker")
    if not is_true(dig(breaker, "enable")):
        yield "deploymentCircuitBreaker.enable is not true; a failing deployment would never stop"
    elif not is_true(dig(breaker, "rollback")):
        yield "deploymentCircuitBreaker.rollback is not true; a failed deployment would not roll back"


@resource_policy(
    "ecs-service-exec-disabled", SERVICE,
    description="ECS services must not enable ECS Exec (interactive shells into tasks).",
    severity=Severity.MEDIUM,
)
def exec_disabled(args: ResourceValidationArgs) -> Iterator[str]:
    """`enableExecuteCommand` is not true"""
    if is_true(args.props.get("enableExecuteCommand")):
        yield "enableExecuteCommand is true; ECS Exec gives interactive shells into running tasks"
