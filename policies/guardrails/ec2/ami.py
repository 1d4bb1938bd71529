"""AMIs: a launch permission for everyone makes an AMI public.

botocore's ec2 model: ModifyImageAttribute's LaunchPermission names an account (`UserId`), an organization or OU, or
a `Group`, whose one value (PermissionGroup) is `all`, every AWS account. terraform-provider-aws
`aws_ami_launch_permission` takes exactly one of `account_id`, `group`, `organization_arn` and
`organizational_unit_arn`, `group` validated against that enum as written (case included). pulumi-aws 7's `Ami`,
`AmiCopy` and `AmiFromInstance` only read `public` back (an output), so a launch permission is the one way a
program makes an AMI public."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek
from ..core.registry import resource_policy
from . import AMI_LAUNCH_PERMISSION


@resource_policy(
    "ec2-ami-not-public", AMI_LAUNCH_PERMISSION,
    description="AMIs must not be public: any AWS account could launch an instance of one and read whatever its "
                "volumes hold (software, data, credentials left in the image).",
    severity=Severity.CRITICAL,
    anchors=("CT.EC2.PV.11", "Prowler ec2_ami_public"),
    anchor_note="no Security Hub control or Config managed rule judges AMIs' launch permissions; CT.EC2.PV.11 "
                "blocks public sharing for the account",
)
def ami_not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`group` is not `all` (the only group EC2 and the provider take: every AWS account); an account, organization
    or OU passes. An unknown value is not judged"""
    if peek(args.props, "group") == "all":
        yield ("group is all: the AMI is public, and any AWS account can launch instances of it and read what its "
               "volumes hold; grant launch permissions to accounts (accountId), an organization (organizationArn) "
               "or an OU (organizationalUnitArn) instead")
