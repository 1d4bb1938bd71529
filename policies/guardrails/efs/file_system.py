"""EFS file systems, judged by what pulumi-aws sends and what CreateFileSystem does with what it leaves out (botocore's
efs model: `Encrypted` off, and automatic backups off unless `AvailabilityZoneName` makes a One Zone file system;
the provider never sends `Backup`, so a Regional file system is backed up automatically only through a BackupPolicy,
or by an AWS Backup plan whose selection assigns it)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, all_of, any_of, has_text, iam_like, peek, peek_items
from ..core.registry import ADVISORY, stack_policy
from ..core.stack import covering, elsewhere, of_type, referring, refers_to
from ..core.switches import switch_policy
from ..iam.documents import common_match, public_grant, public_resource_policies
from . import BACKUP_POLICY, BACKUP_SELECTION, FILE_SYSTEM, FILE_SYSTEM_POLICY


switch_policy(
    "efs-file-system-encrypted", FILE_SYSTEM, "encrypted",
    "the file system's data at rest is not encrypted, and cannot be for this file system; set it true (with kmsKeyId "
    "for a key of your own)",
    description="EFS file systems must encrypt their data at rest: EFS cannot encrypt an existing file system, so "
                "turning it on later means a new one and copying every file.",
    severity=Severity.HIGH,
    anchors=("Security Hub EFS.1", "Security Hub EFS.8", "Config efs-encrypted-check"),
    checks="""
    `encrypted` is true (left out, EFS creates the file system unencrypted, and the provider refuses a `kmsKeyId`
    without it); an unknown value is not judged""",
)


# Every EFS file system's ARN, in any partition, region and account: what a pattern of a backup selection must share
# with it to select one whose ARN is not known yet.
_FILE_SYSTEM_ARNS = "arn:aws*:elasticfilesystem:*:*:file-system/*"


def _lists(selection: Any, prop_name: str, system: Any) -> Optional[bool]:
    """Whether a backup selection's ARN list `prop_name` (`resources`, `notResources`) takes the file system: an item
    made from it or naming its ARN (`refers_to`), or a pattern (AWS Backup's `*`, any run of characters) its ARN
    matches; None where an item unknown until the update may name it, or a pattern may match the ARN, not known yet,
    of an EFS file system."""
    items = peek_items(selection.props, prop_name)
    patterns = [item for item in items if isinstance(item, str) and "*" in item]
    named = [item for item in items if item not in patterns]
    answers = [refers_to(selection, prop_name, named, system, ("arn", "id"), many=True)]
    arn = peek(system.props, "arn")
    for pattern in patterns:
        if isinstance(arn, str):
            answers.append(iam_like(arn, pattern))
        else:
            shared = common_match(pattern, _FILE_SYSTEM_ARNS, not_in_b_wildcards=":")
            answers.append(None if shared is not None else False)
    return any_of(answers)


# The condition lists of a backup selection's `conditions` block.
_CONDITION_LISTS = ("stringEquals", "stringLikes", "stringNotEquals", "stringNotLikes")


def _tag_filtered(selection: Any) -> bool:
    """Whether a backup selection also filters by tags (`selectionTags`, or a `conditions` block with an entry):
    known or not, which of the stack's file systems carry them is left unjudged."""
    if peek_items(selection.props, "selectionTags"):
        return True
    return any(block is UNKNOWN or any(peek_items(block, key) for key in _CONDITION_LISTS)
               for block in peek_items(selection.props, "conditions"))


def _backs_up(selection: Any, system: Any) -> Optional[bool]:
    """Whether an AWS Backup selection assigns the file system to its plan (BackupSelection: the ARNs and patterns of
    `resources`, every supported resource when it lists none, less those of `notResources`, then filtered by tags):
    False for a selection of another account or region (a plan backs up its own), or whose `resources` or
    `notResources` surely leave it out; None where they may take it, or where tags filter what they take."""
    if elsewhere(selection, system):
        return False
    listed = True if not peek_items(selection.props, "resources") else _lists(selection, "resources", system)
    excluded = _lists(selection, "notResources", system)
    return all_of([listed, None if excluded is None else not excluded, None if _tag_filtered(selection) else True])


@stack_policy(
    "efs-file-system-backups", FILE_SYSTEM,
    description="EFS file systems should be backed up automatically, so a deleted or overwritten file can be "
                "restored.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub EFS.7", "Config efs-automatic-backups-enabled", "Security Hub EFS.2",
             "Config efs-resources-protected-by-backup-plan"),
    anchor_note="EFS.7 asks for the file system's automatic backups, EFS.2 for a backup plan that covers it; either "
                "passes here",
)
def backups(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every file system is named by the `fileSystemId` of an `aws:efs/backupPolicy:BackupPolicy` whose
    `backupPolicy.status` is ENABLED (or ENABLING), or, for a One Zone file system (`availabilityZoneName`, backed up
    by default), by none that turns backups off; or an `aws:backup/selection:Selection` of its account and region
    assigns it to a backup plan: its `resources` name the file system's ARN (by reference or literally), hold a
    pattern its ARN matches (`arn:aws:elasticfilesystem:*:*:file-system/*`, `*`) or are empty, and its
    `notResources` do not take it (a selection that also filters by `selectionTags` or `conditions` is not judged);
    a policy or selection whose reference is unknown and might name it counts, and unknown values are not judged"""
    selections = of_type(args.resources, BACKUP_SELECTION)
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
        planned, unsure = covering(selections, system, _backs_up)
        if planned or unsure:
            continue
        if found:
            yield (f"file system {system.name}'s backup policy {found[0].name} has status {statuses[0]} and no AWS "
                   "Backup selection in the stack assigns it to a plan: unless one elsewhere does, it is not backed "
                   "up; set ENABLED, or list its ARN in an aws.backup.Selection's resources"), system.urn
        else:
            yield (f"file system {system.name} has no backup policy and no AWS Backup selection in the stack assigns "
                   "it to a plan: unless one elsewhere does, it is not backed up (through its API, EFS turns "
                   "automatic backups on only for a One Zone file system); add an aws.efs.BackupPolicy with status "
                   "ENABLED, or list its ARN in an aws.backup.Selection's resources"), system.urn


# What a file system policy lets its grantees do as NFS clients (EFS's "Using IAM to control access to file systems"),
# as a finding words it.
_CLIENT_ACTIONS = (("mount", "elasticfilesystem:ClientMount"), ("write to", "elasticfilesystem:ClientWrite"),
                   ("act as root on", "elasticfilesystem:ClientRootAccess"))
# The condition that confines a grant to clients that come through the file system's mount targets.
_MOUNT_TARGETS_ONLY = "elasticfilesystem:accessedviamounttarget"


@stack_policy(
    "efs-file-system-policy-not-public", (FILE_SYSTEM, FILE_SYSTEM_POLICY),
    description="No EFS file system policy may let everyone mount, write to or act as root on a file system without "
                "a condition that names the callers or keeps them to its mount targets: EFS counts such a policy "
                "public, and any client that reaches the file system, anonymous ones too, may use it as it allows.",
    severity=Severity.HIGH,
    anchors=("Prowler efs_not_publicly_accessible",),
    anchor_note="Prowler also flags a file system with no policy; EFS counts that one not public (its default policy "
                "lets in only clients that reach a mount target)",
)
def policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a file system's policy (a FileSystemPolicy naming it by `fileSystemId`, its id or ARN;
    or a FileSystemPolicy for a file system outside the stack) has Principal `*` (or `{"AWS": "*"}`) or a
    NotPrincipal unless its condition fixes `elasticfilesystem:AccessedViaMountTarget` (Bool), names the callers by
    fixed values of `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceVpc`,
    `aws:SourceVpce`, ... or limits them to addresses (IpAddress on `aws:SourceIp`): EFS's meaning of public;
    unknown documents or conditions are not judged"""
    for owner, statement in public_resource_policies(args.resources, (FILE_SYSTEM,), FILE_SYSTEM_POLICY, "fileSystemId",
                                                   ("id", "arn"), "file system", regional=True,
                                                   flag_keys=(_MOUNT_TARGETS_ONLY,)):
        yield public_grant(statement, f"{statement.granted(_CLIENT_ACTIONS)} the file system from wherever they "
                           "reach it, anonymous NFS clients too",
                           "name the principals, or add a condition such as Bool "
                           "elasticfilesystem:AccessedViaMountTarget true or StringEquals aws:PrincipalOrgID <your "
                           "organization>"), owner.urn
