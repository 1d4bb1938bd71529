"""Amazon DocumentDB clusters, judged by what pulumi-aws sends (terraform-provider-aws `aws_docdb_cluster`) and what
DocumentDB does with what it leaves out (botocore docdb 2014-10-31 CreateDBCluster)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek, switched_off
from ..core.registry import resource_policy
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
