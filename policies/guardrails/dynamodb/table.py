"""DynamoDB tables: deletion protection."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true
from ..core.registry import ADVISORY, resource_policy
from . import TABLE


@resource_policy(
    "dynamodb-table-deletion-protection", TABLE,
    description="DynamoDB tables should have deletion protection on: DeleteTable then fails until it is turned off, "
                "so neither a destroy nor a replacement loses the data by mistake.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub DynamoDB.6", "Config dynamodb-table-deletion-protection-enabled"),
)
def deletion_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`deletionProtectionEnabled` is true"""
    if not is_true(args.props.get("deletionProtectionEnabled")):
        yield "deletionProtectionEnabled is not true; a destroy or a replacement deletes the table and its items"
