"""EFS file systems, judged by what pulumi-aws sends and what CreateFileSystem does with what it leaves out (botocore's
efs model: `Encrypted` off, and automatic backups off unless `AvailabilityZoneName` makes a One Zone file system;
the provider never sends `Backup`, so a Regional file system is backed up only through a BackupPolicy)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, has_text, peek, switched_off
from ..core.registry import ADVISORY, resource_policy, stack_policy
from ..core.stack import of_type, referring
from . import BACKUP_POLICY, FILE_SYSTEM


@resource_policy(
    "efs-file-system-encrypted", FILE_SYSTEM,
    description="EFS file systems must encrypt their data at rest: EFS cannot encrypt an existing file system, so "
                "turning it on later means a new one and copying every file.",
    severity=Severity.HIGH,
    anchors=("Security Hub EFS.1", "Security Hub EFS.8", "Config efs-encrypted-check"),
)
def encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`encrypted` is true (left out, EFS creates the file system unencrypted, and the provider refuses a `kmsKeyId`
    without it); an unknown value is not judged"""
    off = switched_off(args.props, "encrypted")
    if off is not None:
        yield (f"encrypted is {off}: the file system's data at rest is not encrypted, and cannot be for this file "
               "system; set it true (with kmsKeyId for a key of your own)")


@stack_policy(
    "efs-file-system-backups", FILE_SYSTEM,
    description="EFS file systems should be backed up automatically, so a deleted or overwritten file can be "
                "restored.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub EFS.7", "Config efs-automatic-backups-enabled"),
)
def backups(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every file system is named by the `fileSystemId` of an `aws:efs/backupPolicy:BackupPolicy` whose
    `backupPolicy.status` is ENABLED (or ENABLING), or, for a One Zone file system (`availabilityZoneName`, backed up
    by default), by none that turns backups off; a policy whose `fileSystemId` is unknown and might name it counts,
    and unknown values are not judged"""
    for system in of_type(args.resources, FILE_SYSTEM):
        zone = peek(system.props, "availabilityZoneName")
        if zone is UNKNOWN:
            continue
        found, maybe = referring(args.resources, (BACKUP_POLICY,), "fileSystemId", system, keys=("id",))
        if maybe:
            continue
        statuses = [peek(policy.props, "backupPolicy", "status") for policy in found]
        if UNKNOWN in statuses or any(status in ("ENABLED", "ENABLING") for status in statuses):
            continue
        if not found and has_text(zone):
            continue
        if found:
            yield (f"file system {system.name}'s backup policy {found[0].name} has status {statuses[0]}: AWS Backup "
                   "takes no automatic backups of it; set ENABLED"), system.urn
        else:
            yield (f"file system {system.name} has no backup policy: a Regional file system is not backed up unless "
                   "asked; add an aws.efs.BackupPolicy with status ENABLED for it"), system.urn
