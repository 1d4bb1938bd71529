"""AMIs: a launch permission for everyone makes an AMI public.

botocore's ec2 model: ModifyImageAttribute's LaunchPermission names an account (`UserId`), an organization or OU, or
a `Group`, whose one value (PermissionGroup) is `all`, every AWS account. terraform-provider-aws
`aws_ami_launch_permission` takes exactly one of `account_id`, `group`, `organization_arn` and
`organizational_unit_arn`, `group` validated against that enum as written (case included). pulumi-aws 7's `Ami`,
`AmiCopy` and `AmiFromInstance` only read `public` back (an output). The other way a program makes an AMI public is
Image Builder's distribution settings: botocore's imagebuilder LaunchPermissionConfiguration `userGroups`, "The only
supported value is all, which makes the distributed AMI public" (sent to ModifyImageAttribute for every AMI a
pipeline distributes; the provider sends the set as written)."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import Severity

from ..core.props import is_map, peek, peek_items
from ..core.registry import resource_policy_by_type
from . import AMI_LAUNCH_PERMISSION, IMAGE_BUILDER_DISTRIBUTION

_INSTEAD = "accounts ({}), an organization ({}) or an OU ({}) instead"


def _launch_permission(props: Any) -> Iterator[str]:
    if peek(props, "group") == "all":
        yield ("group is all: the AMI is public, and any AWS account can launch instances of it and read what its "
               "volumes hold; grant launch permissions to "
               + _INSTEAD.format("accountId", "organizationArn", "organizationalUnitArn"))


def _distribution(props: Any) -> Iterator[str]:
    # Unknown items, and a distribution that is no map, are not judged.
    groups = [group for d in peek_items(props, "distributions") if is_map(d)
              for group in peek_items(d, "amiDistributionConfiguration", "launchPermission", "userGroups")]
    if "all" in groups:
        yield ("a distribution's amiDistributionConfiguration.launchPermission.userGroups has all: every AMI it "
               "distributes is public, and any AWS account can launch instances of it and read what its volumes "
               "hold; grant launch permissions to "
               + _INSTEAD.format("userIds", "organizationArns", "organizationalUnitArns"))


ami_not_public = resource_policy_by_type(
    "ec2-ami-not-public", {AMI_LAUNCH_PERMISSION: _launch_permission, IMAGE_BUILDER_DISTRIBUTION: _distribution},
    description="AMIs must not be public: any AWS account could launch an instance of one and read whatever its "
                "volumes hold (software, data, credentials left in the image).",
    severity=Severity.CRITICAL,
    anchors=("CT.EC2.PV.11", "Prowler ec2_ami_public"),
    anchor_note="no Security Hub control or Config managed rule judges AMIs' launch permissions; CT.EC2.PV.11 "
                "blocks public sharing for the account",
    checks="""
    an `AmiLaunchPermission`'s `group` is not `all` (the only group EC2 and the provider take: every AWS account),
    and no `userGroups` of an Image Builder `DistributionConfiguration`'s
    `distributions[].amiDistributionConfiguration.launchPermission` has `all` (Image Builder's only group, which makes
    each AMI it distributes public); accounts, organizations and OUs pass. Unknown values are not judged""",
)
