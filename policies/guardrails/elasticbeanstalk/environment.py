"""Elastic Beanstalk environments and the saved configurations they may name, judged by their option `settings` as
CreateEnvironment and CreateConfigurationTemplate get them; an option they leave out has Elastic Beanstalk's
documented default (command-options-general), unless the source bundle's `.ebextensions` set it, which the pack
cannot see."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.registry import ADVISORY, resource_policy
from . import ENVIRONMENT, TEMPLATE, option_values, shown

HEALTH = "aws:elasticbeanstalk:healthreporting:system"


@resource_policy(
    "elasticbeanstalk-environment-enhanced-health", (ENVIRONMENT, TEMPLATE),
    description="Elastic Beanstalk environments should use enhanced health reporting, whose agent on each instance "
                "reads its logs and metrics, so a failing instance or application shows before it costs availability.",
    severity=Severity.LOW,
    level=ADVISORY,
    anchors=("Security Hub ElasticBeanstalk.1", "Config beanstalk-enhanced-health-reporting-enabled",
             "CT.ELASTICBEANSTALK.PR.1"),
)
def enhanced_health(args: ResourceValidationArgs) -> Iterator[str]:
    """`settings` set `aws:elasticbeanstalk:healthreporting:system` `SystemType` to `enhanced` (left out, the API's
    default is `basic`); an environment that leaves it to its `templateName` is not judged (the template is), nor is
    an unknown value"""
    values = option_values(args.props, HEALTH, "SystemType")
    if values is None or any(not isinstance(v, str) or v.lower() == "enhanced" for v in values):
        return
    yield (f"{HEALTH} SystemType is {shown(values, 'unset (basic)')}: Elastic Beanstalk judges health "
           "by the load balancer's checks alone, with no agent reading the instances' logs and metrics; set it to "
           "enhanced (with a service role and an instance profile)")
