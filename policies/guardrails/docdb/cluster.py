"""Amazon DocumentDB clusters, judged by what pulumi-aws sends (terraform-provider-aws `aws_docdb_cluster`) and what
DocumentDB does with what it leaves out (botocore docdb 2014-10-31 CreateDBCluster)."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.parameter_groups import DEFAULT_GROUP, cluster_parameter_group, parameter_said, parameter_value
from ..core.props import UNKNOWN, copies_a_source, logs_left_out, peek_items, too_few_days
from ..core.registry import ADVISORY, config_value, resource_policy, stack_policy
from ..core.stack import of_type
from ..core.switches import switch_policy
from . import CLUSTER, CLUSTER_PARAMETER_GROUP


switch_policy(
    "docdb-cluster-storage-encrypted", CLUSTER, "storageEncrypted",
    "the DocumentDB cluster's storage, indexes, logs, backups and snapshots are unencrypted, and encrypting them later "
    "means a new cluster restored from a snapshot; set storageEncrypted true, with a customer managed key in kmsKeyId "
    "if the account must control it",
    unless=lambda props: copies_a_source(props, "snapshotIdentifier", "restoreToPointInTime"),
    description="DocumentDB clusters must encrypt their storage, and with it their indexes, logs, backups and "
                "snapshots: DocumentDB cannot turn encryption on for an existing cluster.",
    severity=Severity.HIGH,
    anchors=("Security Hub DocumentDB.1", "Config docdb-cluster-encrypted", "CT.DOCUMENTDB.PR.1"),
    checks="""
    `storageEncrypted` is true (left out, the provider sends none, and a cluster DocumentDB's API creates is
    unencrypted: the DocumentDB guide's "Encrypting Amazon DocumentDB data at rest", only the console turns it on by
    default); not judged for a snapshot's or point-in-time restore (`snapshotIdentifier`, `restoreToPointInTime`),
    which takes its source's encryption, nor when unknown""",
)


switch_policy(
    "docdb-cluster-deletion-protection", CLUSTER, "deletionProtection",
    "a destroy, or a change that replaces the DocumentDB cluster (a new identifier, engine, port or encryption "
    "setting), deletes it with its data; set deletionProtection true",
    description="DocumentDB clusters should have deletion protection on: a destroy, or an update that replaces the "
                "cluster, then fails until it is turned off, rather than deleting the data.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub DocumentDB.5", "Config docdb-cluster-deletion-protection-enabled"),
    checks="""
    `deletionProtection` is true (left out, the provider sends false: only the console turns it on by default);
    an unknown value is not judged""",
)


@resource_policy(
    "docdb-cluster-backup-retention", CLUSTER,
    description="DocumentDB clusters must keep automated backups for at least the days knob minimumDays says (7 by "
                "default), so a bad write or a dropped collection can be undone to a point in time.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DocumentDB.2", "Config docdb-cluster-backup-retention-check", "CT.DOCUMENTDB.PR.2"),
    config={"minimumDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7,
                            "description": "The fewest days of automated backups a cluster may keep (DocumentDB keeps "
                                           "1 to 35; Security Hub DocumentDB.2's minimumBackupRetentionPeriod "
                                           "defaults to 7)."}},
)
def backup_retention(args: ResourceValidationArgs) -> Iterator[str]:
    """`backupRetentionPeriod` is at least knob `minimumDays` (left out, the provider sends 1, CreateDBCluster's
    default too: "You must specify a minimum value of 1"); a restore is judged alike (the provider sets the period
    with ModifyDBCluster after it); an unknown value, or one that is no number, is not judged"""
    finding = too_few_days(args.props, "backupRetentionPeriod", int(config_value(args, "minimumDays")),
                           "DocumentDB keeps 1 day", "automated backups", "a DocumentDB cluster", "a bad write")
    if finding:
        yield finding


# The audit_logs values that write no audit log: `none`, the default, and its legacy name (the DocumentDB guide,
# "Auditing Amazon DocumentDB events"); every other value (ddl, dml_read, dml_write, all, legacy enabled, or a list of
# them) writes one.
_NO_AUDIT = ("none", "disabled")


def _parameter_group(cluster: Any, resources: list) -> Any:
    """The cluster parameter group a DocumentDB cluster takes (`cluster_parameter_group`)."""
    return cluster_parameter_group(cluster, "dbClusterParameterGroupName", CLUSTER_PARAMETER_GROUP, resources)


def _audit_log_finding(cluster: Any, resources: list) -> Iterator[str]:
    """A cluster's audit log finding: `audit` not among `enabledCloudwatchLogsExports`, or exported from a cluster
    whose parameter group writes no audit log."""
    if UNKNOWN in peek_items(cluster.props, "enabledCloudwatchLogsExports"):  # beside audit too: not judged
        return
    left_out = logs_left_out(cluster.props, "enabledCloudwatchLogsExports", ("audit",))
    if left_out:
        _, what = left_out
        yield (f"enabledCloudwatchLogsExports {what}: the DocumentDB cluster sends no audit log to CloudWatch Logs, "
               "so no record shows its sign-ins, user and role changes or dropped collections; export audit, and set "
               "the audit_logs parameter of the cluster's own cluster parameter group (ddl, or all)")
        return
    group = _parameter_group(cluster, resources)
    if group == DEFAULT_GROUP:
        yield ("the DocumentDB cluster exports audit but takes its engine's default cluster parameter group, whose "
               "audit_logs is none and cannot be changed: it writes no audit log; give it a cluster parameter group "
               "of its own with audit_logs ddl, or all")
    elif group is not None:
        value = parameter_value(group.props, "audit_logs")
        if value is None or value in _NO_AUDIT:
            what = ("sets no audit_logs (none by default)" if value is None
                    else f"sets audit_logs {parameter_said(group.props, 'audit_logs')}")
            yield (f"the DocumentDB cluster exports audit but its cluster parameter group {group.name} {what}: it "
                   "writes no audit log; set audit_logs ddl, or all")


@stack_policy(
    "docdb-cluster-audit-logs", CLUSTER,
    description="DocumentDB clusters should write an audit log and export it to CloudWatch Logs, so sign-ins, user "
                "and role changes and dropped collections are on record outside the cluster.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub DocumentDB.4", "Config docdb-cluster-audit-logging-enabled"),
)
def audit_logs(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`enabledCloudwatchLogsExports` holds `audit` (left out, the provider sends none and DocumentDB exports
    nothing), and the cluster's parameter group writes the log: DocumentDB writes it only where the group's
    `audit_logs` is not none (its default, legacy `disabled`; the DocumentDB guide: "Enabling auditing on a cluster is
    a two-step process"), which a cluster on its engine's default group (`dbClusterParameterGroupName` left out, or a
    default.* group named) cannot change. A group made elsewhere, or named by a value unknown until the update, and
    an unknown list, item or parameter are not judged"""
    for cluster in of_type(args.resources, CLUSTER):
        for message in _audit_log_finding(cluster, args.resources):
            yield message, cluster.urn


# The tls values that let a client connect without TLS 1.2 or later (botocore docdb's Parameter.ParameterValue):
# `disabled` takes no TLS connection at all, `enabled`, the engine's default, TLS 1.0 through 1.3. Security Hub
# DocumentDB.6 fails both (its excludeTlsParameters); tls1.2+, tls1.3+ and fips-140-3 pass.
_WEAK_TLS = {"disabled": "accepts no TLS connection, so every client's password and data cross the network in plain "
                         "text",
             "enabled": "still accepts TLS 1.0 and 1.1, which Security Hub DocumentDB.6 fails"}
_TLS_FIX = "tls tls1.2+ (or tls1.3+, or fips-140-3 where DocumentDB offers it)"


def _tls_finding(cluster: Any, resources: list) -> Iterator[str]:
    """A cluster's TLS finding: its parameter group's `tls` is disabled, or enabled (left out too)."""
    group = _parameter_group(cluster, resources)
    if group == DEFAULT_GROUP:
        yield ("the DocumentDB cluster takes its engine's default cluster parameter group, whose tls is enabled and "
               f"cannot be changed: it {_WEAK_TLS['enabled']}; give it a cluster parameter group of its own with "
               f"{_TLS_FIX}")
        return
    value = None if group is None else parameter_value(group.props, "tls")
    if group is None or value is UNKNOWN or (value is not None and value not in _WEAK_TLS):
        return
    what = ("sets no tls, so it keeps the default, enabled" if value is None
            else f"sets tls {parameter_said(group.props, 'tls')}")
    yield (f"the DocumentDB cluster's parameter group {group.name} {what}: the cluster "
           f"{_WEAK_TLS[value or 'enabled']}; set {_TLS_FIX}")


@stack_policy(
    "docdb-cluster-tls-enforced", CLUSTER,
    description="DocumentDB clusters must take TLS 1.2 or later only, so no client connects in plain text or over a "
                "TLS version with known weaknesses.",
    severity=Severity.HIGH,
    anchors=("Security Hub DocumentDB.6", "Config docdb-cluster-encrypted-in-transit"),
)
def tls_enforced(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """the cluster's parameter group sets `tls` to tls1.2+, tls1.3+ or fips-140-3, not `disabled` (no TLS) or
    `enabled` (TLS 1.0 to 1.3), which a group keeps where it sets no tls and which the engine's default group
    (`dbClusterParameterGroupName` left out, or a default.* group named) cannot change (Security Hub DocumentDB.6 and
    its excludeTlsParameters; botocore docdb Parameter.ParameterValue: tls1.2+ and tls1.3+ need DocumentDB 4.0
    (2.0.10980) or 5.0 (3.0.11051) on, fips-140-3 DocumentDB 5.0 in a few regions). A group made elsewhere, or named
    by a value unknown until the update, and an unknown list, item or parameter are not judged"""
    for cluster in of_type(args.resources, CLUSTER):
        for message in _tls_finding(cluster, args.resources):
            yield message, cluster.urn
