"""Redshift Serverless namespaces, judged by what pulumi-aws sends: terraform-provider-aws
`aws_redshiftserverless_namespace` sends KmsKeyId (an ARN, a key's or an alias's) and AdminUsername to CreateNamespace
only when set, and with UpdateNamespace when they change; left out, Redshift Serverless encrypts the namespace with a
key of AWS's."""
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


# The default admin user name, public knowledge (Security Hub's RedshiftServerless.5, which fails it).
_DEFAULT_ADMIN = "admin"


@resource_policy(
    "redshiftserverless-namespace-admin-username", NAMESPACE,
    description="Redshift Serverless namespaces should not use the default admin user name admin, which anyone "
                "trying passwords against the namespace knows already.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RedshiftServerless.5", "Config redshift-serverless-default-admin-check"),
)
def admin_username(args: ResourceValidationArgs) -> Iterator[str]:
    """`adminUsername` is not `admin`, in any letter case (Redshift folds a user name to lower case); left out, or
    unknown, it is not judged"""
    name = peek(args.props, "adminUsername")
    if isinstance(name, str) and name.lower() == _DEFAULT_ADMIN:
        yield (f"adminUsername is {name}, the default admin user name: a brute-force attack needs to guess only the "
               "password; choose another name (UpdateNamespace changes it together with the password)")
