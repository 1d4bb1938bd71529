"""Redshift Serverless namespaces, judged by what pulumi-aws sends: terraform-provider-aws
`aws_redshiftserverless_namespace` sends KmsKeyId (an ARN, a key's or an alias's), AdminUsername and LogExports to
CreateNamespace only when set (AdminUsername admin where a password is given without it), and with UpdateNamespace
when they change; left out, Redshift Serverless encrypts the namespace with a key of AWS's and exports no logs."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import has_text, in_words, is_set, lacks_customer_key, logs_left_out, peek
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
    if not lacks_customer_key(key):
        return
    state = "an AWS managed key" if has_text(key) else "unset (a key of AWS's)"
    yield (f"kmsKeyId is {state}: the namespace's data and snapshots are encrypted under a key whose policy, grants, "
           "rotation and state the account does not control; set kmsKeyId the ARN of a customer managed key")


# The default admin user name, public knowledge (Security Hub's RedshiftServerless.5, which fails it).
_DEFAULT_ADMIN = "admin"
# The passwords with which terraform-provider-aws plans adminUsername admin when it is left out (ModifyPlan).
_PASSWORDS = ("adminUserPassword", "adminUserPasswordWo")


@resource_policy(
    "redshiftserverless-namespace-admin-username", NAMESPACE,
    description="Redshift Serverless namespaces should not use the default admin user name admin, which anyone "
                "trying passwords against the namespace knows already.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RedshiftServerless.5", "Config redshift-serverless-default-admin-check"),
)
def admin_username(args: ResourceValidationArgs) -> Iterator[str]:
    """`adminUsername` is not `admin`, in any letter case (Redshift folds a user name to lower case); left out beside
    `adminUserPassword` or `adminUserPasswordWo`, the provider names the user admin; left out otherwise, or unknown,
    it is not judged"""
    name = peek(args.props, "adminUsername")
    if isinstance(name, str) and name.lower() == _DEFAULT_ADMIN:
        state = name
    elif name is None and any(is_set(args.props, key) for key in _PASSWORDS):
        state = f"unset ({_DEFAULT_ADMIN}: given a password, terraform-provider-aws names the user so)"
    else:
        return
    yield (f"adminUsername is {state}, the default admin user name: a brute-force attack needs to guess only the "
           "password; choose another name (UpdateNamespace changes it together with the password)")


# The logs Security Hub's RedshiftServerless.6 asks a namespace to export, as LogExport spells them: connection
# attempts and disconnections, and changes to database users.
_REQUIRED_LOGS = ("connectionlog", "userlog")


@resource_policy(
    "redshiftserverless-namespace-log-exports", NAMESPACE,
    description="Redshift Serverless namespaces should export their connection and user logs to CloudWatch Logs, so "
                "who connected, and who changed which database user, is on record.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RedshiftServerless.6", "Config redshift-serverless-publish-logs-to-cloudwatch"),
)
def log_exports(args: ResourceValidationArgs) -> Iterator[str]:
    """`logExports` holds `connectionlog` and `userlog` (left out, the namespace exports no logs); a list with an
    item unknown until the update is not judged"""
    left_out = logs_left_out(args.props, "logExports", _REQUIRED_LOGS)
    if isinstance(left_out, tuple):
        yield (f"logExports does not hold {in_words(left_out[0])}: no record in CloudWatch Logs shows who connected to "
               "the namespace, or who created, changed or dropped its database users; add connectionlog and userlog")
