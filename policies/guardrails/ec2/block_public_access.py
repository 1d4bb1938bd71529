"""A region's block public access for AMIs and EBS snapshots, an account setting a stack may make.

botocore's ec2 model: EnableImageBlockPublicAccess takes `block-new-sharing` ("This will block any attempt to
publicly share your AMIs"; AMIs already public stay so) and DisableImageBlockPublicAccess leaves `unblocked`;
EnableSnapshotBlockPublicAccess takes `block-all-sharing` (snapshots already public are treated as private too) or
`block-new-sharing`, and after DisableSnapshotBlockPublicAccess ("unblocked") snapshots it kept private "will become
publicly available again". pulumi-aws 7's `aws.ec2.ImageBlockPublicAccess` and `aws.ebs.SnapshotBlockPublicAccess`
take these values as `state` (required). terraform-provider-aws calls DisableImageBlockPublicAccess for an image
setting of `unblocked`, but sends a snapshot setting as written to EnableSnapshotBlockPublicAccess, which the model
says does not take `unblocked` (the update may then fail): reported all the same, as what the program asks for. A
stack that sets neither is not judged: the setting is the account's, made by any stack, the console or an
organization's declarative policy. The image block stops both ways a program makes an AMI public (ec2-ami-not-public):
an `AmiLaunchPermission` for the `all` group, and an Image Builder distribution's `userGroups` `all`, which Image
Builder sends to the same ModifyImageAttribute (CloudFormation's LaunchPermissionConfiguration; "Block public access
for AMIs must be disabled to make the AMI public", CDK's imagebuilder AmiLaunchPermission)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek
from ..core.registry import resource_policy
from . import IMAGE_BLOCK_PUBLIC_ACCESS, SNAPSHOT_BLOCK_PUBLIC_ACCESS

# What unblocking lets through, and the state that blocks it, per setting.
_UNBLOCKED = {
    # Image Builder shares a distributed AMI through EC2's ModifyImageAttribute too, which the block refuses.
    IMAGE_BLOCK_PUBLIC_ACCESS: ("AMIs", "any of them can be made public (a launch permission for the all group, or "
                                "an Image Builder distribution whose launchPermission.userGroups has all)",
                                "block-new-sharing"),
    SNAPSHOT_BLOCK_PUBLIC_ACCESS: ("EBS snapshots", "any unencrypted one can be made public (a create volume "
                                   "permission for the all group), and those already shared publicly that "
                                   "block-all-sharing kept private become public again", "block-all-sharing"),
}


@resource_policy(
    "ec2-block-public-access-not-unblocked", tuple(_UNBLOCKED),
    description="A region's block public access for AMIs and EBS snapshots, where a stack sets it, must not be "
                "turned off: the account's images and disks could then be shared with every AWS account.",
    severity=Severity.HIGH,
    anchors=("Config ebs-snapshot-block-public-access", "CT.EC2.PV.11", "Prowler ec2_ami_account_block_public_access",
             "Prowler ec2_ebs_snapshot_account_block_public_access"),
    anchor_note="the Config rule fails a snapshot setting of block-new-sharing too, which leaves snapshots already "
                "public as they are",
)
def block_public_access_on(args: ResourceValidationArgs) -> Iterator[str]:
    """`state` of an `ImageBlockPublicAccess` or `SnapshotBlockPublicAccess` is not `unblocked`, which turns block
    public access off for the account's AMIs or EBS snapshots in the region; an unknown value is not judged"""
    if peek(args.props, "state") == "unblocked":
        what, risk, blocked = _UNBLOCKED[args.resource_type]
        yield (f"state is unblocked: block public access for the account's {what} in the region is off, so {risk}; "
               f"set {blocked}")
