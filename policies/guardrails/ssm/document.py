"""SSM documents, judged by what pulumi-aws sends: its `permissions` map (`type` Share, `account_ids` a
comma-separated list) becomes ModifyDocumentPermission's AccountIdsToAdd (terraform-provider-aws `aws_ssm_document`
splits `account_ids` on commas); botocore's ssm model: an account id there is 12 digits or `All`, matched without
regard to case (`(?i)all|[0-9]{12}`), and `All` shares the document publicly."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek
from ..core.registry import resource_policy
from . import DOCUMENT


@resource_policy(
    "ssm-document-not-public", DOCUMENT,
    description="SSM documents must not be shared with every AWS account: anyone could read the commands, scripts "
                "and parameters they hold, and run them.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub SSM.4", "Config ssm-document-not-public"),
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`permissions.account_ids` (the provider's key, as written: the map's keys are not renamed) does not list
    `All`, in any case, among its comma-separated ids; an unknown map or list is not judged"""
    accounts = peek(args.props, "permissions", "account_ids")
    if isinstance(accounts, str) and "all" in (a.strip().lower() for a in accounts.split(",")):
        yield (f"permissions.account_ids is {accounts!r}: All shares the document publicly, and any AWS account "
               "can read and run it; list the ids of the accounts to share it with instead")
