"""EFS guardrails against tests/programs/policy_efs (raw file systems, backup policies, access points and
mount targets)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_efs"
M, A = "mandatory", "advisory"
ENCRYPTED, BACKUPS = "efs-file-system-encrypted", "efs-file-system-backups"
PUBLIC = "efs-file-system-policy-not-public"
ROOT, USER = "efs-access-point-root-directory", "efs-access-point-user-identity"
MOUNT_TARGET_SUBNET, SUBNET_PUBLIC_IP = "efs-mount-target-private-subnet", "ec2-subnet-no-public-ip-on-launch"
FILE_SYSTEM, BACKUP_POLICY = "aws:efs/fileSystem:FileSystem", "aws:efs/backupPolicy:BackupPolicy"
FILE_SYSTEM_POLICY = "aws:efs/fileSystemPolicy:FileSystemPolicy"
SELECTION = "aws:backup/selection:Selection"
ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"

FAILING = [
    Finding(ENCRYPTED, "plain", M, "encrypted is unset (false): the file system's data at rest is not encrypted"),
    Finding(ENCRYPTED, "unprotected", M, "encrypted is false"),
    Finding(BACKUPS, "plain", A, "file system plain has no backup policy and no AWS Backup selection in the stack "
                                 "assigns it to a plan: unless one elsewhere does, it is not backed up (through its "
                                 "API, EFS turns automatic backups on only for a One Zone file system); add an "
                                 "aws.efs.BackupPolicy with status ENABLED, or list its ARN in an "
                                 "aws.backup.Selection's resources"),
    Finding(BACKUPS, "unprotected", A, "file system unprotected's backup policy unprotected-backups has status "
                                       "DISABLED and no AWS Backup selection in the stack assigns it to a plan: unless "
                                       "one elsewhere does, it is not backed up; set ENABLED, or list its ARN in an "
                                       "aws.backup.Selection's resources"),
    Finding(BACKUPS, "scratch-unsaved", A, "file system scratch-unsaved's backup policy scratch-unsaved-backups has "
                                           "status DISABLED and no AWS Backup selection"),
    Finding(PUBLIC, "exposed", M, "file system exposed (policy in FileSystemPolicy exposed-policy) statement Everyone "
                                  "allows Principal * with no condition naming an account or organization: any AWS "
                                  "account's principals may mount, write to and act as root on the file system from "
                                  "wherever they reach it, anonymous NFS clients too; name the principals, or add a "
                                  "condition such as Bool elasticfilesystem:AccessedViaMountTarget true or "
                                  "StringEquals aws:PrincipalOrgID <your organization>"),
    # Another stack's file system: reported on the policy.
    Finding(PUBLIC, "imported-policy", M, "FileSystemPolicy imported-policy statement Everyone allows Principal * "
                                          "with no condition naming an account or organization: any AWS account's "
                                          "principals may mount the file system from"),
    Finding(ROOT, "everything", M, "rootDirectory.path is unset (/): clients of the access point see the whole file "
                                   "system"),
    Finding(ROOT, "top", M, "rootDirectory.path is /:"),
    Finding(USER, "everything", M, "posixUser is not set: clients act with whatever user and group IDs they send"),
    Finding(MOUNT_TARGET_SUBNET, "shared-public", M, "subnetId names subnet files-public, which gives what launches "
                                                     "into it a public IPv4 address (mapPublicIpOnLaunch), the mount "
                                                     "target's network interface too; put the mount target in a "
                                                     "private subnet"),
    # The subnet itself, by its own policy.
    Finding(SUBNET_PUBLIC_IP, "files-public", M, "mapPublicIpOnLaunch is true: everything launched into the subnet "
                                                 "gets a public IPv4 address"),
]
PASSING = [
    (ENCRYPTED, "shared"), (BACKUPS, "shared"), (ROOT, "orders"), (USER, "orders"), (USER, "top"),
    # One Zone file systems are backed up by default.
    (ENCRYPTED, "scratch"), (BACKUPS, "scratch"),
    # An AWS Backup plan's selection lists its ARN.
    (BACKUPS, "planned"),
    # Everyone, but only through the file system's mount targets; no policy at all.
    (PUBLIC, "shared"), (PUBLIC, "plain"),
    # A mount target in a private subnet; one in a subnet from outside the stack, whose settings it cannot see.
    (MOUNT_TARGET_SUBNET, "shared-private"), (MOUNT_TARGET_SUBNET, "shared-elsewhere"),
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


ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"
OTHER_ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0fedcba9876543210"
EFS_ARNS, VOLUMES = "arn:aws:elasticfilesystem:*:*:file-system/*", "arn:aws:ec2:*:*:volume/*"
TAGGED = {"selectionTags": [{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}]}


def selection(resources, refs=None, **settings) -> Res:
    return Res(SELECTION, "daily", {"name": "daily", "planId": "plan-id", "iamRoleArn": ROLE,
                                    **({} if resources is None else {"resources": resources}), **settings},
               refs=refs or {})


@pytest.mark.parametrize("arn, chosen, found", [
    # Named by reference or literally, by a pattern of every EFS file system or of everything, or by listing nothing
    # (every supported resource).
    (ARN, selection([ARN], {"resources": ["files"]}), set()), (ARN, selection([ARN]), set()),
    (ARN, selection([EFS_ARNS]), set()), (ARN, selection(["*"]), set()), (ARN, selection(None), set()),
    (ARN, selection([OTHER_ARN]), {BACKUPS}), (ARN, selection([VOLUMES]), {BACKUPS}),
    (ARN, selection(["arn:aws:elasticfilesystem:eu-west-1:*:file-system/*"]), {BACKUPS}),
    # Left out by notResources.
    (ARN, selection(["*"], notResources=[ARN]), {BACKUPS}), (ARN, selection(["*"], notResources=[EFS_ARNS]), {BACKUPS}),
    (ARN, selection(["*"], notResources=[VOLUMES]), set()),
    # Filtered by tags: not judged, unless its resources leave it out anyway.
    (ARN, selection([ARN], **TAGGED), set()), (ARN, selection(None, **TAGGED), set()),
    (ARN, selection(None, conditions=[{"stringEquals": [{"key": "aws:ResourceTag/backup", "value": "daily"}]}]),
     set()),
    (ARN, selection(None, conditions=[{"stringEquals": [], "stringLikes": []}]), set()),
    (ARN, selection([VOLUMES], **TAGGED), {BACKUPS}),
    (ARN, selection([VOLUMES], conditions=[{"stringEquals": [], "stringLikes": []}]), {BACKUPS}),
    # A plan backs up its own region's resources.
    (ARN, selection([ARN], {"resources": ["files"]}, region="us-west-2"), {BACKUPS}),
    # Unknown until the update: resources, an item, notResources, the conditions, or the ARN a pattern is matched
    # against; a pattern of no EFS file system leaves it out whatever its ARN.
    (ARN, selection(UNKNOWN), set()), (ARN, selection([UNKNOWN, VOLUMES]), set()),
    (ARN, selection(["*"], notResources=UNKNOWN), set()), (ARN, selection([ARN], conditions=[UNKNOWN]), set()),
    (UNKNOWN, selection([EFS_ARNS]), set()), (UNKNOWN, selection([VOLUMES]), {BACKUPS})])
def test_an_aws_backup_selection_that_assigns_a_file_system_to_a_plan_backs_it_up(arn, chosen, found):
    system = file_system(arn=arn, id="fs-0123456789abcdef0", region="us-east-1")
    assert policies_found([system, chosen]) == found


def test_a_backup_policy_turned_off_is_no_finding_while_a_plan_backs_the_file_system_up():
    system = file_system(arn=ARN, id="fs-0123456789abcdef0")
    assert policies_found([system, backup_policy("DISABLED"), selection([ARN])]) == set()
    assert policies_found([system, backup_policy("DISABLED"), selection([OTHER_ARN])]) == {BACKUPS}


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


def _statement(principal="*", condition=None, action=("elasticfilesystem:ClientMount",), effect="Allow") -> dict:
    actions = action if isinstance(action, dict) else {"Action": list(action)}
    return {"Sid": "Open", "Effect": effect, "Principal": principal, **actions, "Resource": "*",
            **({} if condition is None else {"Condition": condition})}


def _document(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


VIA_MOUNT_TARGETS = "elasticfilesystem:AccessedViaMountTarget"


@pytest.mark.parametrize("document, reported", [
    (_document(_statement()), True), (_document(_statement({"AWS": "*"})), True),
    (_document(_statement({"AWS": "arn:aws:iam::123456789012:role/app"})), False),
    (_document(_statement(effect="Deny")), False),
    # Kept to the mount targets, by a fixed value of the key (EFS's "The meaning of public"), not where it is missing.
    (_document(_statement(condition={"Bool": {VIA_MOUNT_TARGETS: "true"}})), False),
    (_document(_statement(condition={"Bool": {VIA_MOUNT_TARGETS: True}})), False),
    (_document(_statement(condition={"Bool": {VIA_MOUNT_TARGETS: "false"}})), False),
    (_document(_statement(condition={"BoolIfExists": {VIA_MOUNT_TARGETS: "true"}})), True),
    (_document(_statement(condition={"Bool": {VIA_MOUNT_TARGETS: "yes"}})), True),
    (_document(_statement(condition={"Bool": {"aws:SecureTransport": "true"}})), True),
    # Named callers: a VPC, an organization; a set of addresses.
    (_document(_statement(condition={"StringEquals": {"aws:SourceVpc": "vpc-0123456789abcdef0"}})), False),
    (_document(_statement(condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})), False),
    (_document(_statement(condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})), False),
    # Unknown until the update: the document, a condition, a value.
    (UNKNOWN, False), ({"Version": "2012-10-17", "Statement": [_statement(condition=UNKNOWN)]}, False),
    ({"Version": "2012-10-17", "Statement": [_statement(condition={"Bool": {VIA_MOUNT_TARGETS: UNKNOWN}})]}, False)])
def test_no_file_system_policy_lets_everyone_in(document, reported):
    system = file_system(arn=ARN, id="fs-0123456789abcdef0")
    backups = backup_policy("ENABLED")
    by_reference = Res(FILE_SYSTEM_POLICY, "files-policy", {"fileSystemId": "fs-0123456789abcdef0",
                                                            "policy": document}, refs={"fileSystemId": ["files"]})
    by_arn = Res(FILE_SYSTEM_POLICY, "files-policy", {"fileSystemId": ARN, "policy": document})
    for policy in (by_reference, by_arn):
        assert [name for policy_name, name, _ in findings(analyze([system, backups, policy], {"all": "mandatory"}))
                if policy_name == PUBLIC] == (["files"] if reported else [])
    # Another stack's file system: judged on the policy itself.
    outside = Res(FILE_SYSTEM_POLICY, "outside-policy", {"fileSystemId": OTHER_ARN, "policy": document})
    assert (PUBLIC in policies_found([outside])) == reported


@pytest.mark.parametrize("action, uses", [
    (("elasticfilesystem:ClientWrite",), "write to the file system"),
    (("elasticfilesystem:*",), "mount, write to and act as root on the file system"),
    ({"NotAction": "elasticfilesystem:ClientRootAccess"}, "mount and write to the file system"),
    (("elasticfilesystem:DescribeMountTargets",), "use the file system"),
    (("elasticfilesystem:ClientMount", UNKNOWN), "mount the file system")])
def test_a_public_file_system_policy_says_what_it_lets_every_client_do(action, uses):
    document = {"Version": "2012-10-17", "Statement": [_statement(action=action)]}
    policy = Res(FILE_SYSTEM_POLICY, "outside-policy", {"fileSystemId": OTHER_ARN, "policy": document})
    [(_, _, message)] = findings(analyze([policy], {"all": "mandatory"}))
    assert f"any AWS account's principals may {uses} from wherever they reach it" in message


SUBNET, DEFAULT_SUBNET = "aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet"


def subnet(name, kind=SUBNET, **settings) -> Res:
    return Res(kind, name, {"id": f"subnet-{name}", "vpcId": "vpc-0123456789abcdef0", "tags": DEFAULT_TAGS,
                            **settings})


def mount_target(subnet_id, *made_from) -> Res:
    return Res("aws:efs/mountTarget:MountTarget", "target", {"fileSystemId": "fs-0123456789abcdef0",
                                                             "subnetId": subnet_id},
               refs={"subnetId": list(made_from)} if made_from else {})


@pytest.mark.parametrize("subnets, target, reported", [
    # Named by reference, its id unknown or known, or by its id: public by its own setting, or as AWS made it.
    ([subnet("public", mapPublicIpOnLaunch=True)], mount_target(UNKNOWN, "public"), True),
    ([subnet("public", mapPublicIpOnLaunch="true")], mount_target("subnet-public", "public"), True),
    ([subnet("public", mapPublicIpOnLaunch=True)], mount_target("subnet-public"), True),
    ([subnet("default", DEFAULT_SUBNET, availabilityZone="us-east-1a")], mount_target("subnet-default", "default"),
     True),
    ([subnet("default", DEFAULT_SUBNET, mapPublicIpOnLaunch=True)], mount_target(UNKNOWN, "default"), True),
    # Private: left out on a subnet of the stack's own, or turned off on an adopted default one.
    ([subnet("private")], mount_target(UNKNOWN, "private"), False),
    ([subnet("private", mapPublicIpOnLaunch=False)], mount_target("subnet-private", "private"), False),
    ([subnet("default", DEFAULT_SUBNET, mapPublicIpOnLaunch=False)], mount_target(UNKNOWN, "default"), False),
    # Unknown until the update: the setting, or which of two subnets the id names; a subnet outside the stack.
    ([subnet("public", mapPublicIpOnLaunch=UNKNOWN)], mount_target(UNKNOWN, "public"), False),
    ([subnet("public", mapPublicIpOnLaunch=True), subnet("private")], mount_target(UNKNOWN, "public", "private"),
     False),
    ([subnet("public", mapPublicIpOnLaunch=True)], mount_target(UNKNOWN), False),
    ([subnet("public", mapPublicIpOnLaunch=True)], mount_target("subnet-0123456789abcdef0"), False)])
def test_a_mount_target_sits_in_no_subnet_that_gives_it_a_public_address(subnets, target, reported):
    """Security Hub's EFS.6: a mount target launched into a subnet with mapPublicIpOnLaunch gets a public address."""
    assert (MOUNT_TARGET_SUBNET in policies_found([*subnets, target])) == reported
