"""Amazon DocumentDB clusters, judged by what pulumi-aws sends (terraform-provider-aws `aws_docdb_cluster`) and what
DocumentDB does with what it leaves out (botocore docdb 2014-10-31 CreateDBCluster)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, num, number, peek, switched_off
from ..core.registry import ADVISORY, config_value, resource_policy
from . import CLUSTER


def _restored(args: ResourceValidationArgs) -> bool:
    """Whether the cluster is, or may be, restored from a snapshot or to a point in time: it takes its source's
    encryption (RestoreDBClusterFromSnapshot and RestoreDBClusterToPointInTime take no StorageEncrypted)."""
    snapshot = peek(args.props, "snapshotIdentifier")
    return snapshot is UNKNOWN or has_text(snapshot) or peek(args.props, "restoreToPointInTime") is not None


@resource_policy(
    "docdb-cluster-storage-encrypted", CLUSTER,
    description="DocumentDB clusters must encrypt their storage, and with it their indexes, logs, backups and "
                "snapshots: DocumentDB cannot turn encryption on for an existing cluster.",
    severity=Severity.HIGH,
    anchors=("Security Hub DocumentDB.1", "Config docdb-cluster-encrypted", "CT.DOCUMENTDB.PR.1"),
)
def storage_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`storageEncrypted` is true (left out, the provider sends none, and a cluster DocumentDB's API creates is
    unencrypted: the DocumentDB guide's "Encrypting Amazon DocumentDB data at rest", only the console turns it on by
    default); not judged for a snapshot's or point-in-time restore (`snapshotIdentifier`, `restoreToPointInTime`),
    which takes its source's encryption, nor when unknown"""
    if _restored(args):
        return
    off = switched_off(args.props, "storageEncrypted")
    if off is not None:
        yield (f"storageEncrypted is {off}: the DocumentDB cluster's storage, indexes, logs, backups and snapshots "
               "are unencrypted, and encrypting them later means a new cluster restored from a snapshot; set "
               "storageEncrypted true, with a customer managed key in kmsKeyId if the account must control it")


@resource_policy(
    "docdb-cluster-deletion-protection", CLUSTER,
    description="DocumentDB clusters should have deletion protection on: a destroy, or an update that replaces the "
                "cluster, then fails until it is turned off, rather than deleting the data.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub DocumentDB.5", "Config docdb-cluster-deletion-protection-enabled"),
)
def deletion_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`deletionProtection` is true (left out, the provider sends false: only the console turns it on by default);
    an unknown value is not judged"""
    off = switched_off(args.props, "deletionProtection")
    if off is not None:
        yield (f"deletionProtection is {off}: a destroy, or a change that replaces the DocumentDB cluster (a new "
               "identifier, engine, port or encryption setting), deletes it with its data; set deletionProtection "
               "true")


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
    minimum = int(config_value(args, "minimumDays"))
    days = peek(args.props, "backupRetentionPeriod")
    kept = 1 if days is None else number(days)
    if kept is UNKNOWN or kept is None or kept >= minimum:
        return
    what = "left out: DocumentDB keeps 1 day" if days is None else f"{num(kept)} day{'' if kept == 1 else 's'}"
    yield (f"backupRetentionPeriod is {what}, fewer than the {minimum} days of automated backups a DocumentDB "
           "cluster must keep to be restored to a point before a bad write; set backupRetentionPeriod to "
           f"{minimum} or more (at most 35)")
