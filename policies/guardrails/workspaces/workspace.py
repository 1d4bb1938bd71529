"""WorkSpaces, judged by what pulumi-aws sends (terraform-provider-aws `aws_workspaces_workspace`: both encryption
switches Optional, Default false, ForceNew, sent in every CreateWorkspaces) and what botocore's workspaces
2015-04-08 WorkspaceRequest takes (UserVolumeEncryptionEnabled, RootVolumeEncryptionEnabled, VolumeEncryptionKey)."""
from __future__ import annotations

from pulumi_policy import Severity

from ..core.switches import switch_policy
from . import WORKSPACE

# Both volumes are chosen at launch only (ForceNew), and TerminateWorkspaces destroys the user's data.
_AT_LAUNCH = ("WorkSpaces encrypts a volume only when it launches the WorkSpace (setting it later replaces the "
              "WorkSpace, and terminating one destroys its user's data)")


switch_policy(
    "workspaces-workspace-user-volume-encrypted", WORKSPACE, "userVolumeEncryptionEnabled",
    "the WorkSpace's user volume (the D drive on Windows, /home on Linux), its disk I/O and its snapshots are "
    f"unencrypted, and {_AT_LAUNCH}; set userVolumeEncryptionEnabled true, with volumeEncryptionKey naming a symmetric "
    "KMS key (alias/aws/workspaces, or a customer managed key)",
    description="WorkSpaces must encrypt their user volume, which holds the user's files and profile: WorkSpaces "
                "encrypts a volume only when it launches the WorkSpace.",
    severity=Severity.HIGH,
    anchors=("Security Hub WorkSpaces.1", "Config workspaces-user-volume-encryption-enabled"),
    checks="""
    `userVolumeEncryptionEnabled` is true (left out, the provider sends false; ForceNew); an unknown value is not
    judged""",
)


switch_policy(
    "workspaces-workspace-root-volume-encrypted", WORKSPACE, "rootVolumeEncryptionEnabled",
    "the WorkSpace's root volume (the C drive on Windows, / on Linux), its disk I/O and its snapshots are "
    f"unencrypted, and {_AT_LAUNCH}; set rootVolumeEncryptionEnabled true, with volumeEncryptionKey naming a symmetric "
    "KMS key (alias/aws/workspaces, or a customer managed key)",
    description="WorkSpaces must encrypt their root volume, which holds the operating system, applications and "
                "cached data: WorkSpaces encrypts a volume only when it launches the WorkSpace.",
    severity=Severity.HIGH,
    anchors=("Security Hub WorkSpaces.2", "Config workspaces-root-volume-encryption-enabled"),
    checks="""
    `rootVolumeEncryptionEnabled` is true (left out, the provider sends false; ForceNew); an unknown value is not
    judged""",
)
