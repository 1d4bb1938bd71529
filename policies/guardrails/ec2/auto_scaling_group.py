"""EC2 Auto Scaling groups: what they launch their instances from. The instances' own settings (metadata service,
public addresses, volumes) are their launch template's or launch configuration's, which `instance.py` judges."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_any, peek
from ..core.registry import resource_policy
from . import AUTOSCALING_GROUP


# EC2 Auto Scaling User Guide, "Create a launch configuration": no instance types released after 2022, and accounts
# made on or after October 1, 2024 cannot create one; botocore's CreateLaunchConfiguration: "We strongly recommend
# that you do not use launch configurations". terraform-provider-aws takes ExactlyOneOf the group's three settings.
@resource_policy(
    "ec2-autoscaling-group-launch-template", AUTOSCALING_GROUP,
    description="Auto Scaling groups must launch from a launch template, not a launch configuration, which takes no "
                "EC2 instance type released since 2023 and which accounts made since October 2024 cannot create.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub AutoScaling.9", "Config autoscaling-launch-template", "CT.AUTOSCALING.PR.8"),
)
def launch_template(args: ResourceValidationArgs) -> Iterator[str]:
    """`launchConfiguration` is not set (the group launches from `launchTemplate` or `mixedInstancesPolicy`); one
    unknown during preview beside a launch template is not judged (the provider takes exactly one of the three, so it
    is then empty)"""
    props = args.props
    configuration = peek(props, "launchConfiguration")
    if configuration in (None, "") or (configuration is UNKNOWN and
                                       has_any(props, "launchTemplate", "mixedInstancesPolicy")):
        return
    yield ("launchConfiguration is set: the group launches from a launch configuration, which AWS has deprecated "
           "(no instance types released since 2023, none of the newer EC2 features, and accounts made since October "
           "2024 cannot create one); launch from a launchTemplate or a mixedInstancesPolicy instead")
