"""Raw EFS file systems, access points and mount targets: encrypted and backed up (by their backup policy, or an AWS
Backup plan), confined to a directory and a user, open only through their mount targets, which sit in private subnets;
and ones that leave encryption and backups to EFS's defaults, let everyone in, let clients see everything as anyone,
or put a mount target in a subnet that gives it a public address."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}


def file_system(name, backup=None, **settings):
    system = aws.efs.FileSystem(name, creation_token=name, tags=TAGS, **{"encrypted": True, **settings})
    if backup:
        aws.efs.BackupPolicy(f"{name}-backups", file_system_id=system.id, backup_policy={"status": backup})
    return system


shared = file_system("shared", backup="ENABLED")
file_system("plain", encrypted=None)
file_system("unprotected", backup="DISABLED", encrypted=False)
# One Zone file systems are backed up by default, unless a backup policy turns it off.
file_system("scratch", availability_zone_name="us-east-1a")
file_system("scratch-unsaved", backup="DISABLED", availability_zone_name="us-east-1a")

# Backed up by an AWS Backup plan instead of its own backup policy: a selection lists its ARN.
planned = file_system("planned")
vault = aws.backup.Vault("efs-vault", name="efs-vault", tags=TAGS)
plan = aws.backup.Plan("efs-plan", name="efs-plan", tags=TAGS, rules=[{
    "rule_name": "daily", "target_vault_name": vault.name, "schedule": "cron(0 5 * * ? *)",
    "lifecycle": {"delete_after": 35}}])
aws.backup.Selection("efs-selection", name="efs", plan_id=plan.id, resources=[planned.arn],
                     iam_role_arn="arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole")

# File system policies: everyone, but only through the file system's mount targets (EFS counts it not public); everyone
# with no condition; and everyone on another stack's file system.
MOUNT = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]


def file_system_policy(name, system_id, statement):
    return aws.efs.FileSystemPolicy(name, file_system_id=system_id, policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [statement]}))


file_system_policy("shared-policy", shared.id, {
    "Sid": "MountTargets", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": MOUNT,
    "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}})
exposed = file_system("exposed", backup="ENABLED")
file_system_policy("exposed-policy", exposed.id, {
    "Sid": "Everyone", "Effect": "Allow", "Principal": {"AWS": "*"},
    "Action": [*MOUNT, "elasticfilesystem:ClientRootAccess"]})
file_system_policy("imported-policy", "fs-0123456789abcdef0", {
    "Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "elasticfilesystem:ClientMount"})


def access_point(name, **settings):
    return aws.efs.AccessPoint(name, file_system_id=shared.id, tags=TAGS, **{
        "root_directory": {"path": f"/{name}", "creation_info": {
            "owner_uid": 1000, "owner_gid": 1000, "permissions": "750"}},
        "posix_user": {"uid": 1000, "gid": 1000}, **settings})


access_point("orders")
access_point("everything", root_directory=None, posix_user=None)
access_point("top", root_directory={"path": "/"})

# Mount targets: in a private subnet, in one that gives everything launched into it a public address, and in a subnet
# from outside the stack (not judged).
VPC = "vpc-0123456789abcdef0"
private_subnet = aws.ec2.Subnet("files-private", vpc_id=VPC, cidr_block="10.20.1.0/24", tags=TAGS)
public_subnet = aws.ec2.Subnet("files-public", vpc_id=VPC, cidr_block="10.20.2.0/24", map_public_ip_on_launch=True,
                               tags=TAGS)
aws.efs.MountTarget("shared-private", file_system_id=shared.id, subnet_id=private_subnet.id)
aws.efs.MountTarget("shared-public", file_system_id=shared.id, subnet_id=public_subnet.id)
aws.efs.MountTarget("shared-elsewhere", file_system_id=shared.id, subnet_id="subnet-0123456789abcdef0")
