"""DynamoDB tables: deletion protection, and point-in-time recovery for data that outlives a bad write."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, is_true, named_by, peek
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from . import TABLE

EXEMPT_TABLES = {"exemptTables": string_list(
    "Table names (or resource names; shell-style wildcards) this rule does not apply to: tables whose items are "
    "short-lived and rebuilt from elsewhere; say why next to the config.")}


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


@resource_policy(
    "dynamodb-table-point-in-time-recovery", TABLE,
    description="DynamoDB tables must have point-in-time recovery on, so a bad deploy, a bug or a compromised "
                "credential that overwrites or deletes items can be rolled back to any second of the last 35 days.",
    severity=Severity.MEDIUM, config=EXEMPT_TABLES,
    anchors=("Security Hub DynamoDB.2", "Config dynamodb-pitr-enabled", "CKV_AWS_28"),
)
def point_in_time_recovery(args: ResourceValidationArgs) -> Iterator[str]:
    """`pointInTimeRecovery.enabled` is true (DynamoDB keeps no continuous backups unless asked) (knob
    `exemptTables`); an unknown value or table name is not judged"""
    enabled = peek(args.props, "pointInTimeRecovery", "enabled")
    if enabled is UNKNOWN or is_true(enabled):
        return
    name = peek(args.props, "name")
    exempt = config_list(args, "exemptTables")
    if exempt and name is UNKNOWN:
        return
    if named_by([n for n in (name, getattr(args, "name", None)) if isinstance(n, str)], exempt):
        return
    yield ("pointInTimeRecovery.enabled is not true; set it (pointInTimeRecovery={enabled: true}) so the table can "
           "be restored to any second of the last 35 days, or name a table of short-lived items in exemptTables")
