"""WorkSpaces, judged by what pulumi-aws sends (terraform-provider-aws `aws_workspaces_workspace`: both encryption
switches Optional, Default false, ForceNew, sent in every CreateWorkspaces) and what botocore's workspaces
2015-04-08 WorkspaceRequest takes (UserVolumeEncryptionEnabled, RootVolumeEncryptionEnabled, VolumeEncryptionKey)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import switched_off
from ..core.registry import resource_policy
from . import WORKSPACE

# Both volumes are chosen at launch only (ForceNew), and TerminateWorkspaces destroys the user's data.
_AT_LAUNCH = ("WorkSpaces encrypts a volume only when it launches the WorkSpace (setting it later replaces the "
              "WorkSpace, and terminating one destroys its user's data)")


@resource_policy(
    "workspaces-workspace-user-volume-encrypted", WORKSPACE,
    description="WorkSpaces must encrypt their user volume, which holds the user's files and profile: WorkSpaces "
                "encrypts a volume only when it launches the WorkSpace.",
    severity=Severity.HIGH,
    anchors=("Security Hub WorkSpaces.1", "Config workspaces-user-volume-encryption-enabled"),
)
def user_volume_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`userVolumeEncryptionEnabled` is true (left out, the provider sends false; ForceNew); an unknown value is not
    judged"""
    off = switched_off(args.props, "userVolumeEncryptionEnabled")
    if off is not None:
        yield (f"userVolumeEncryptionEnabled is {off}: the WorkSpace's user volume (the D drive on Windows, /home on "
               f"Linux), its disk I/O and its snapshots are unencrypted, and {_AT_LAUNCH}; set "
               "userVolumeEncryptionEnabled true, with volumeEncryptionKey naming a symmetric KMS key "
               "(alias/aws/workspaces, or a customer managed key)")


@resource_policy(
    "workspaces-workspace-root-volume-encrypted", WORKSPACE,
    description="WorkSpaces must encrypt their root volume, which holds the operating system, applications and "
                "cached data: WorkSpaces encrypts a volume only when it launches the WorkSpace.",
    severity=Severity.HIGH,
    anchors=("Security Hub WorkSpaces.2", "Config workspaces-root-volume-encryption-enabled"),
)
def root_volume_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`rootVolumeEncryptionEnabled` is true (left out, the provider sends false; ForceNew); an unknown value is not
    judged"""
    off = switched_off(args.props, "rootVolumeEncryptionEnabled")
    if off is not None:
        yield (f"rootVolumeEncryptionEnabled is {off}: the WorkSpace's root volume (the C drive on Windows, / on "
               f"Linux), its disk I/O and its snapshots are unencrypted, and {_AT_LAUNCH}; set "
               "rootVolumeEncryptionEnabled true, with volumeEncryptionKey naming a symmetric KMS key "
               "(alias/aws/workspaces, or a customer managed key)")
