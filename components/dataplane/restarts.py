"""Callers that start before their callees: a Service Connect task resolves only the endpoints that existed when it
started (AWS's Service Connect deployment guide), and a cycle in the call graph leaves one caller on each cycle
declared, and so started, before a callee. Each such caller is deployed again once its late callees exist.

    LambdaFunction  lambdas/restart_service: UpdateService(forceNewDeployment) on a service it is given, allowed
                    on exactly the late callers
    Invocation      one per late caller, after the caller and its late callees; invoked again (replaced) when
                    those callees' endpoints change, after their update: the caller's own `callees` trigger
                    redeploys it in the same `up`, but not necessarily after them
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .. import naming
from ..iam import policy_chars, statement
from ..lambda_function import FunctionArgs, LambdaFunction, function_log_streams, function_role_statements

# The Invocation's trigger: the late callees' endpoints (LateCaller.endpoints).
LATE_CALLEES_TRIGGER = "lateCallees"


@dataclass(frozen=True)
class LateCaller:
    service: aws.ecs.Service
    # The callees declared after it, and their endpoints as the caller's own `callees` trigger writes them.
    callees: Sequence[aws.ecs.Service]
    endpoints: str


@dataclass(frozen=True)
class RestartsArgs:
    environment: str
    region: str
    account_id: pulumi.Input[str]
    cluster_name: pulumi.Input[str]
    log_retention_days: int
    log_key_arn: pulumi.Input[str]
    callers: Mapping[str, LateCaller]
    protect: bool = False


def restart_statements(service_arns: Sequence[Any]) -> list[dict]:
    """What the function's code calls: UpdateService on each late caller's ECS service, and no other."""
    return [statement(["ecs:UpdateService"], list(service_arns), sid="RestartLateCallers")]


def restart_role_chars(environment: str, region: str, account: str, services: Sequence[str]) -> int:
    """The size, as IAM counts it, of the function role's one inline policy for these late callers (by service)."""
    arns = [f"arn:aws:ecs:{region}:{account}:service/{naming.cluster_name(environment)}/"
            f"{naming.service_connect_family(environment, service)}" for service in services]
    log_streams = function_log_streams(region, account, naming.restart_function_name(environment))
    return policy_chars(function_role_statements(log_streams, restart_statements(arns)))


class LateCallerRestarts(pulumi.ComponentResource):
    def __init__(self, name: str, args: RestartsArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:serviceconnect:LateCallerRestarts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        callers = args.callers.values()
        self.function = LambdaFunction(f"{name}-function", FunctionArgs(
            function_name=naming.restart_function_name(args.environment), source="restart_service",
            description="Service Connect: deploys a caller again once the callees declared after it exist",
            region=args.region, account_id=args.account_id, log_retention_days=args.log_retention_days,
            log_key_arn=args.log_key_arn, reserved_concurrency=None,
            # Past the handler's worst case (its WORST_CASE_SECONDS, 37): refusals while IAM catches up, then a
            # call that hangs on each attempt.
            timeout_seconds=60,
            statements=restart_statements([caller.service.arn for caller in callers]),
            # A config change that ends the cycles deletes the function: its logs stay (README, kept log groups).
            protect=args.protect, removable=True), child)
        self.invocations = {
            service: aws.lambda_.Invocation(
                f"{name}-{service}", function_name=self.function.function_name,
                input=pulumi.Output.json_dumps({"cluster": args.cluster_name, "service": caller.service.name}),
                triggers={LATE_CALLEES_TRIGGER: caller.endpoints},
                opts=pulumi.ResourceOptions(parent=self, depends_on=[caller.service, *caller.callees]))
            for service, caller in args.callers.items()}
        self.register_outputs({})
