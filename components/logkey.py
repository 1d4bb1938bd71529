"""The environment's log key: every CloudWatch log group the stack creates outside ECS is encrypted with it.

ECS container and ECS Exec groups keep their own key (`compute.Compute`, scoped to `/<env>/ecs/*`). This
key covers the rest: the REST and WebSocket APIs' access and execution logs, the HTTP API's access logs, the Lambda
functions, VPC flow logs, DNS query logs, the Network Firewall's logs and the audit trail's copy
(`/<env>/cloudtrail`, `audit.LogArchive`). CloudWatch Logs encrypts with the key itself, so the writers (API
Gateway, Lambda, flow logs, Resolver, Network Firewall, CloudTrail) need no key permission; the key policy
lets `logs.<region>.amazonaws.com` use it only under the encryption context of those groups' ARNs (CloudWatch
Logs' documented key policy).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .iam import key_policy
from .kms import customer_key


@dataclass(frozen=True)
class LogKeyArgs:
    environment: str
    region: str
    protect: bool


class LogKey(pulumi.ComponentResource):
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: LogKeyArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:logs:LogKey", name, None, opts)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        self.key = customer_key(
            f"{name}-key", environment=args.environment, purpose="logs",
            description=f"{args.environment}: API, Lambda, VPC, DNS and firewall log groups",
            policy=log_key_policy(account_id, args.region, naming.log_group_patterns(args.environment)),
            # Kept on delete, as the groups it encrypts may be (the trail's copy always, execution logs where
            # protected): a kept group whose key is deleted cannot be read. Its alias goes, freeing the name.
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=True))
        self.arn = self.key.arn
        self.register_outputs({"arn": self.arn})


def log_group(name: str, parent: pulumi.Resource, *, log_name: pulumi.Input[str], retention_days: int,
              key_arn: pulumi.Input[str], protect: bool, removable: bool = False,
              retain_on_delete: bool = False) -> aws.cloudwatch.LogGroup:
    """A log group under a log key, with the stack's retention, protected where the stack is: by AWS's deletion
    protection against a DeleteLogGroup from outside the stack, and by Pulumi's protect. A `removable` group, one a
    config change removes or renames (a workload's, a stage's), is retained on delete instead, since protect would
    refuse that change. `retain_on_delete` keeps a group in any stack (audit records)."""
    return aws.cloudwatch.LogGroup(
        name, name=log_name, retention_in_days=retention_days, kms_key_id=key_arn, deletion_protection_enabled=protect,
        opts=pulumi.ResourceOptions(parent=parent, protect=protect and not removable,
                                    retain_on_delete=retain_on_delete or (protect and removable) or None))


def log_key_policy(account_id: pulumi.Input[str], region: str, patterns: Sequence[str]) -> pulumi.Output[str]:
    """The account administers the key; CloudWatch Logs may use it only for the log groups `patterns` name."""
    def groups(account: str) -> list[str]:
        return [naming.log_group_arn(region, account, pattern) for pattern in patterns]

    single = len(patterns) == 1  # written as a string, as IAM would show it
    scope = pulumi.Output.from_input(account_id).apply(lambda a: groups(a)[0] if single else groups(a))
    return key_policy(account_id, [
        {"Sid": "CloudWatchLogsUse", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": scope}}},
    ])
