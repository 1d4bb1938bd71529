"""Amazon WorkSpaces guardrails against tests/programs/policy_workspaces (raw WorkSpaces)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_workspaces"
WORKSPACE = "aws:workspaces/workspace:Workspace"
USER_VOLUME = "workspaces-workspace-user-volume-encrypted"
ROOT_VOLUME = "workspaces-workspace-root-volume-encrypted"

FAILING = [
    # Left out, pulumi-aws sends false.
    Finding(USER_VOLUME, "plain-desk", "mandatory",
            "userVolumeEncryptionEnabled is unset (false): the WorkSpace's user volume (the D drive on Windows, /home "
            "on Linux), its disk I/O and its snapshots are unencrypted"),
    Finding(USER_VOLUME, "open-user-desk", "mandatory",
            "userVolumeEncryptionEnabled is false: the WorkSpace's user volume (the D drive on Windows, /home on "
            "Linux), its disk I/O and its snapshots are unencrypted, and WorkSpaces encrypts a volume only when it "
            "launches the WorkSpace (setting it later replaces the WorkSpace, and terminating one destroys its user's "
            "data); set userVolumeEncryptionEnabled true, with volumeEncryptionKey naming a symmetric KMS key "
            "(alias/aws/workspaces, or a customer managed key)"),
    Finding(ROOT_VOLUME, "plain-desk", "mandatory",
            "rootVolumeEncryptionEnabled is unset (false): the WorkSpace's root volume (the C drive on Windows, / on "
            "Linux), its disk I/O and its snapshots are unencrypted"),
    Finding(ROOT_VOLUME, "open-root-desk", "mandatory",
            "rootVolumeEncryptionEnabled is false: the WorkSpace's root volume (the C drive on Windows, / on Linux), "
            "its disk I/O and its snapshots are unencrypted, and WorkSpaces encrypts a volume only when it launches "
            "the WorkSpace (setting it later replaces the WorkSpace, and terminating one destroys its user's data); "
            "set rootVolumeEncryptionEnabled true, with volumeEncryptionKey naming a symmetric KMS key "
            "(alias/aws/workspaces, or a customer managed key)"),
]
# Encrypted with AWS's key or a customer managed one; known only after the update; the other volume left plain.
PASSING = [(USER_VOLUME, "encrypted-desk"), (USER_VOLUME, "customer-key-desk"), (USER_VOLUME, "later-desk"),
           (USER_VOLUME, "open-root-desk"),
           (ROOT_VOLUME, "encrypted-desk"), (ROOT_VOLUME, "customer-key-desk"), (ROOT_VOLUME, "later-desk"),
           (ROOT_VOLUME, "open-user-desk")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def workspace(**props):
    return Res(WORKSPACE, "desk", {"directoryId": "d-0123456789", "bundleId": "wsb-0123456789", "userName": "desk",
                                   "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("enabled, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (None, True), (UNKNOWN, False)])
def test_a_user_volume_is_encrypted(enabled, reported):
    """terraform-provider-aws sends UserVolumeEncryptionEnabled in every CreateWorkspaces, false when left out."""
    props = {} if enabled is None else {"userVolumeEncryptionEnabled": enabled}
    assert (USER_VOLUME in policies_found([workspace(**props)])) == reported


@pytest.mark.parametrize("enabled, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (None, True), (UNKNOWN, False)])
def test_a_root_volume_is_encrypted(enabled, reported):
    """terraform-provider-aws sends RootVolumeEncryptionEnabled in every CreateWorkspaces, false when left out."""
    props = {} if enabled is None else {"rootVolumeEncryptionEnabled": enabled}
    assert (ROOT_VOLUME in policies_found([workspace(**props)])) == reported
