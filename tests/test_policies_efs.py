"""EFS guardrails against tests/programs/policy_efs (raw file systems, backup policies and access points)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_efs"
M, A = "mandatory", "advisory"
ENCRYPTED, BACKUPS = "efs-file-system-encrypted", "efs-file-system-backups"
ROOT, USER = "efs-access-point-root-directory", "efs-access-point-user-identity"
FILE_SYSTEM, BACKUP_POLICY = "aws:efs/fileSystem:FileSystem", "aws:efs/backupPolicy:BackupPolicy"

FAILING = [
    Finding(ENCRYPTED, "plain", M, "encrypted is unset (false): the file system's data at rest is not encrypted"),
    Finding(ENCRYPTED, "unprotected", M, "encrypted is false"),
    Finding(BACKUPS, "plain", A, "file system plain has no backup policy: a Regional file system is not backed up "
                                 "unless asked"),
    Finding(BACKUPS, "unprotected", A, "file system unprotected's backup policy unprotected-backups has status "
                                       "DISABLED: AWS Backup takes no automatic backups of it"),
    Finding(BACKUPS, "scratch-unsaved", A, "file system scratch-unsaved's backup policy scratch-unsaved-backups has "
                                           "status DISABLED"),
    Finding(ROOT, "everything", M, "rootDirectory.path is unset (/): clients of the access point see the whole file "
                                   "system"),
    Finding(ROOT, "top", M, "rootDirectory.path is /:"),
    Finding(USER, "everything", M, "posixUser is not set: clients act with whatever user and group IDs they send"),
]
PASSING = [
    (ENCRYPTED, "shared"), (BACKUPS, "shared"), (ROOT, "orders"), (USER, "orders"), (USER, "top"),
    # One Zone file systems are backed up by default.
    (ENCRYPTED, "scratch"), (BACKUPS, "scratch"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def file_system(**settings) -> Res:
    return Res(FILE_SYSTEM, "files", {"encrypted": True, "tags": DEFAULT_TAGS, **settings})


def backup_policy(status, file_system_id="files-id") -> Res:
    return Res(BACKUP_POLICY, "files-backups", {"fileSystemId": file_system_id, "backupPolicy": {"status": status}},
               refs={"fileSystemId": ["files"]})


@pytest.mark.parametrize("resources, found", [
    ([file_system(encrypted=UNKNOWN), backup_policy("ENABLED")], set()),
    ([file_system(encrypted="false"), backup_policy("ENABLING")], {ENCRYPTED}),
    ([file_system(availabilityZoneName=UNKNOWN)], set()),
    ([file_system(availabilityZoneName="us-east-1a")], set()),
    ([file_system(availabilityZoneName="us-east-1a"), backup_policy("DISABLED")], {BACKUPS}),
    ([file_system(), backup_policy(UNKNOWN)], set()),
    ([file_system(), backup_policy("ENABLED", file_system_id=UNKNOWN)], set()),
    ([file_system(), backup_policy("DISABLED")], {BACKUPS}),
    ([file_system()], {BACKUPS})])
def test_a_file_system_s_settings_as_efs_reads_them(resources, found):
    assert policies_found(resources) == found


@pytest.mark.parametrize("settings, found", [
    ({"rootDirectory": UNKNOWN}, set()), ({"rootDirectory": {"path": UNKNOWN}}, set()),
    ({"rootDirectory": {"path": "//"}}, {ROOT}), ({"rootDirectory": {"path": "/a/b"}}, set()),
    ({"posixUser": UNKNOWN}, set()), ({"posixUser": None}, {USER}),
    # An enforced uid 0 makes every client root; the root group alone, or a uid known only later, does not.
    ({"posixUser": {"uid": 0, "gid": 0}}, {USER}), ({"posixUser": {"uid": "0", "gid": 1000}}, {USER}),
    ({"posixUser": {"uid": 1000, "gid": 0}}, set()), ({"posixUser": {"uid": UNKNOWN, "gid": 1000}}, set())])
def test_an_access_point_s_settings_as_efs_reads_them(settings, found):
    point = Res("aws:efs/accessPoint:AccessPoint", "orders", {
        "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": {"path": "/orders"},
        "posixUser": {"uid": 1000, "gid": 1000}, "tags": DEFAULT_TAGS, **settings})
    assert policies_found([point]) == found
