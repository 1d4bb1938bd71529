"""Neptune DB clusters, judged by what pulumi-aws sends and what Neptune does with what it leaves out
(terraform-provider-aws `aws_neptune_cluster`, botocore's neptune 2014-10-31 CreateDBCluster and
RestoreDBClusterFromSnapshot)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, num, number, peek, switched_off
from ..core.registry import ADVISORY, config_value, resource_policy
from . import CLUSTER


def _copies_its_source(args: ResourceValidationArgs) -> bool:
    """Whether the cluster takes its storage from another, or may: a read replica (`replicationSourceIdentifier`,
    which takes its source's key) or a restore (`snapshotIdentifier`: RestoreDBClusterFromSnapshot takes no
    StorageEncrypted, the cluster is encrypted as the snapshot is)."""
    return any(peek(args.props, key) is UNKNOWN or has_text(peek(args.props, key))
               for key in ("replicationSourceIdentifier", "snapshotIdentifier"))


@resource_policy(
    "neptune-cluster-storage-encrypted", CLUSTER,
    description="Neptune DB clusters must encrypt their storage, and with it their backups and snapshots: Neptune "
                "encrypts a cluster only when it creates it.",
    severity=Severity.HIGH,
    anchors=("Security Hub Neptune.1", "Config neptune-cluster-encrypted", "CT.NEPTUNE.PR.3"),
)
def storage_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`storageEncrypted` is true (left out, the provider sends false: CreateDBCluster `StorageEncrypted`; ForceNew,
    as Neptune cannot encrypt an existing cluster); not judged for a read replica (`replicationSourceIdentifier`) or a
    restore (`snapshotIdentifier`), which take their source's encryption, nor when unknown"""
    if _copies_its_source(args):
        return
    off = switched_off(args.props, "storageEncrypted")
    if off is not None:
        yield (f"storageEncrypted is {off}: the Neptune DB cluster's storage, automated backups and snapshots are "
               "unencrypted, and Neptune encrypts a cluster only when it creates it (setting it later replaces the "
               "cluster); set storageEncrypted true, with a customer managed key in kmsKeyArn if the key policy "
               "should say who may use it")


@resource_policy(
    "neptune-cluster-deletion-protection", CLUSTER,
    description="Neptune DB clusters should have deletion protection on: a destroy, or an update that replaces the "
                "cluster, then fails until it is turned off, rather than deleting the graph.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Neptune.4", "Config neptune-cluster-deletion-protection-enabled", "CT.NEPTUNE.PR.2"),
)
def deletion_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`deletionProtection` is true (left out, the provider sends false, and CreateDBCluster's own default is off);
    an unknown value is not judged"""
    off = switched_off(args.props, "deletionProtection")
    if off is not None:
        yield (f"deletionProtection is {off}: a destroy, or a change that replaces the Neptune DB cluster (a new "
               "identifier, engine, port or encryption setting), deletes it and its automated backups")


@resource_policy(
    "neptune-cluster-backup-retention", CLUSTER,
    description="Neptune DB clusters must keep automated backups for at least the days knob minimumDays says (7 by "
                "default), so a bad write or a dropped graph can be undone to a point in time.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Neptune.5", "Config neptune-cluster-backup-retention-check", "CT.NEPTUNE.PR.5"),
    config={"minimumDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7,
                            "description": "The fewest days of automated backups a cluster may keep (Neptune keeps 1 "
                                           "to 35; Config's neptune-cluster-backup-retention-check, Security Hub "
                                           "Neptune.5's rule, asks 7 by default)."}},
)
def backup_retention(args: ResourceValidationArgs) -> Iterator[str]:
    """`backupRetentionPeriod` is at least knob `minimumDays` (left out, the provider sends 1, CreateDBCluster's
    own default too); an unknown value is not judged"""
    days = peek(args.props, "backupRetentionPeriod")
    if days is UNKNOWN:
        return
    kept, minimum = 1 if days is None else number(days), int(config_value(args, "minimumDays"))
    if kept is None or kept >= minimum:
        return
    what = "left out: Neptune keeps 1 day" if days is None else f"{num(kept)} days"
    yield (f"backupRetentionPeriod is {what}, fewer than the {minimum} days of automated backups a Neptune DB "
           "cluster must keep to be restored to a point before a bad write")


@resource_policy(
    "neptune-cluster-iam-auth", CLUSTER,
    description="Neptune DB clusters should turn IAM database authentication on, so only requests signed by an IAM "
                "identity the cluster's policies allow reach the graph.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Neptune.7", "Config neptune-cluster-iam-database-authentication", "CT.NEPTUNE.PR.1"),
)
def iam_database_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """`iamDatabaseAuthenticationEnabled` is true (left out, the provider sends none: CreateDBCluster and
    RestoreDBClusterFromSnapshot `EnableIAMDatabaseAuthentication`, "Default: false"); an unknown value is not
    judged"""
    off = switched_off(args.props, "iamDatabaseAuthenticationEnabled")
    if off is not None:
        yield (f"iamDatabaseAuthenticationEnabled is {off}: Neptune asks no signed request, so anything that reaches "
               "the cluster's endpoint over the network may read and write the graph; turn it on, so each request "
               "is signed (SigV4) by an IAM identity allowed neptune-db:* on the cluster")


@resource_policy(
    "neptune-cluster-copy-tags-to-snapshot", CLUSTER,
    description="Neptune DB clusters should copy their tags to their snapshots, so a snapshot carries the owner, "
                "classification and cost tags that access and retention rules read.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub Neptune.8", "Config neptune-cluster-copy-tags-to-snapshot-enabled"),
)
def copy_tags_to_snapshot(args: ResourceValidationArgs) -> Iterator[str]:
    """`copyTagsToSnapshot` is true (left out, the provider sends false: CreateDBCluster and
    RestoreDBClusterFromSnapshot `CopyTagsToSnapshot`); an unknown value is not judged"""
    off = switched_off(args.props, "copyTagsToSnapshot")
    if off is not None:
        yield (f"copyTagsToSnapshot is {off}: the Neptune DB cluster's snapshots, automated and manual, carry none of "
               "its tags, so tag-based IAM conditions, AWS Backup selections and cost reports miss them; set it true")
