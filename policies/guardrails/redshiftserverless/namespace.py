"""Redshift Serverless namespaces, judged by what pulumi-aws sends: terraform-provider-aws
`aws_redshiftserverless_namespace` sends KmsKeyId (an ARN, a key's or an alias's) to CreateNamespace only when set,
and with UpdateNamespace when it changes; left out, Redshift Serverless encrypts the namespace with a key of AWS's."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, aws_managed_key, has_text, peek
from ..core.registry import ADVISORY, resource_policy
from . import NAMESPACE


@resource_policy(
    "redshiftserverless-namespace-cmk", NAMESPACE,
    description="Redshift Serverless namespaces should be encrypted with a customer managed KMS key, whose key policy, "
                "grants, rotation and state the account controls, not with a key of AWS's.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RedshiftServerless.4", "Config redshift-serverless-namespace-cmk-encryption"),
)
def cmk(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsKeyId` is set, and is not an AWS managed key's alias (`alias/aws/...`, or its ARN); left out, Redshift
    Serverless encrypts the namespace with a key of AWS's; an unknown value is not judged"""
    key = peek(args.props, "kmsKeyId")
    if key is UNKNOWN or (has_text(key) and not aws_managed_key(key)):
        return
    state = "an AWS managed key" if has_text(key) else "unset (a key of AWS's)"
    yield (f"kmsKeyId is {state}: the namespace's data and snapshots are encrypted under a key whose policy, grants, "
           "rotation and state the account does not control; set kmsKeyId the ARN of a customer managed key")
