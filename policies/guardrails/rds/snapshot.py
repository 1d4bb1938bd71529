"""RDS manual snapshots, judged by what pulumi-aws sends (terraform-provider-aws `aws_db_snapshot`,
`aws_db_snapshot_copy`, `aws_db_cluster_snapshot`, `aws_rds_cluster_snapshot_copy`): each writes its
`shared_accounts` as the snapshot's `restore` attribute (ModifyDBSnapshotAttribute, ModifyDBClusterSnapshotAttribute
`ValuesToAdd`), where `all` lets every AWS account copy or restore it."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek_items
from ..core.registry import resource_policy
from . import CLUSTER_SNAPSHOT, CLUSTER_SNAPSHOT_COPY, SNAPSHOT, SNAPSHOT_COPY

# The `restore` attribute's value for every AWS account.
_EVERYONE = "all"


@resource_policy(
    "rds-snapshot-not-public", (SNAPSHOT, SNAPSHOT_COPY, CLUSTER_SNAPSHOT, CLUSTER_SNAPSHOT_COPY),
    description="RDS DB and DB cluster snapshots must not be public: any AWS account could restore a database from "
                "one and read every row it holds.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub RDS.1", "Config rds-snapshots-public-prohibited", "Prowler rds_snapshots_public_access"),
)
def snapshot_not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`sharedAccounts` of a DB snapshot, DB cluster snapshot, or a copy of either, does not hold `all`, which the
    provider adds to the snapshot's `restore` attribute and so makes it public (the account ids it holds share it with
    those accounts only). RDS refuses `all` for an encrypted snapshot (ModifyDBSnapshotAttribute,
    ModifyDBClusterSnapshotAttribute: share it with account ids), so there the update fails: reported all the same,
    as what the program asks for. An unknown list or item is not judged (a known `all` beside one is)"""
    if _EVERYONE in peek_items(args.props, "sharedAccounts"):
        noun = "DB cluster snapshot" if args.resource_type in (CLUSTER_SNAPSHOT, CLUSTER_SNAPSHOT_COPY) else (
            "DB snapshot")
        yield (f"sharedAccounts holds \"all\": the {noun} is public, and any AWS account may copy it or restore a "
               "database from it with all its data (RDS refuses \"all\" for an encrypted one, whose update then "
               "fails); list the ids of the accounts to share it with instead")
