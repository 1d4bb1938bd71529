"""A Lambda function from a directory of this repo: its own log group, role, X-Ray, reserved concurrency.

    lambdas/<source>/handler.py  ─(AssetArchive)─▶ aws.lambda.Function(tracing Active, JSON logs to its own group)
                                                   role: logs + X-Ray on exactly this function, plus `statements`
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .iam import assume_role_policy, policy_json, statement
from .logkey import log_group

LAMBDAS_DIR = Path(__file__).resolve().parent.parent / "lambdas"


@dataclass(frozen=True)
class FunctionArgs:
    function_name: str  # from components/naming.py
    source: str  # a directory under lambdas/
    description: str
    region: str
    account_id: pulumi.Input[str]
    log_retention_days: int
    # A cap, and what the function holds back from the account's pool; None: unreserved (a function the stack
    # itself invokes a few times an `up`, which must not need the 100 AWS keeps unreserved above its reservations).
    reserved_concurrency: Optional[int]
    # The environment's log key (components/logkey.py): its log groups are encrypted with it.
    log_key_arn: pulumi.Input[str]
    statements: Sequence[dict] = ()  # what the code needs beyond its own logs and traces
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    # Its log group is retained, not protected, where the stack protects: the function goes with a config change.
    removable: bool = False
    runtime: str = "python3.13"
    memory_mb: int = 256
    timeout_seconds: int = 10
    protect: bool = False


def function_log_streams(region: str, account: str, function_name: str) -> str:
    """The streams of a function's own log group (`/aws/lambda/<name>`), as its role may write them."""
    return f"{naming.log_group_arn(region, account, naming.lambda_log_group(function_name))}:*"


def function_role_statements(log_streams: Any, statements: Sequence[dict]) -> list[dict]:
    """A function's role: its own log streams (`function_log_streams`), traces, and what its code calls."""
    return [
        statement(["logs:CreateLogStream", "logs:PutLogEvents"], [log_streams], sid="OwnLogs"),
        # X-Ray's write actions take no resource-level scoping.
        statement(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"], sid="Traces"),
        *statements,
    ]


class LambdaFunction(pulumi.ComponentResource):
    function_name: pulumi.Output[str]
    arn: pulumi.Output[str]
    invoke_arn: pulumi.Output[str]
    role_name: pulumi.Output[str]

    def __init__(self, name: str, args: FunctionArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:lambda:Function", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        log_group_name = naming.lambda_log_group(args.function_name)
        # Created by us (not by Lambda on first write) so it has a retention and is deleted with the stack.
        group = log_group(f"{name}-logs", self, log_name=log_group_name, retention_days=args.log_retention_days,
                          key_arn=args.log_key_arn, protect=args.protect, removable=args.removable)
        log_group_arn = pulumi.Output.from_input(args.account_id).apply(
            lambda account: function_log_streams(args.region, account, args.function_name))
        role = aws.iam.Role(f"{name}-role", assume_role_policy=assume_role_policy("lambda.amazonaws.com"),
                            description=f"{args.function_name}: its logs and traces, and only what its code calls",
                            opts=child)
        policy = aws.iam.RolePolicy(f"{name}-role", role=role.id,
                                    policy=policy_json(function_role_statements(log_group_arn, args.statements)),
                                    opts=child)
        source = LAMBDAS_DIR / args.source
        self.function = aws.lambda_.Function(
            f"{name}-function", name=args.function_name, description=args.description,
            code=pulumi.AssetArchive({"handler.py": pulumi.FileAsset(str(source / "handler.py"))}),
            handler="handler.handler", runtime=args.runtime, role=role.arn,
            memory_size=args.memory_mb, timeout=args.timeout_seconds,
            # A cap per function: a connect storm cannot take the account's whole concurrency from the rest.
            reserved_concurrent_executions=args.reserved_concurrency,
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=group.name),
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=dict(args.environment))
            if args.environment else None,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy, group]))
        self.function_name = self.function.name
        self.arn = self.function.arn
        self.invoke_arn = self.function.invoke_arn
        self.role_name = role.name
        self.log_group_name = group.name
        self.register_outputs({"functionName": self.function_name})
