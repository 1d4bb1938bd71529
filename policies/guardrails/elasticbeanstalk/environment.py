"""Elastic Beanstalk environments and the saved configurations they may name, judged by their option `settings` as
CreateEnvironment and CreateConfigurationTemplate get them; an option they leave out has Elastic Beanstalk's
documented default (command-options-general), unless the source bundle's `.ebextensions` set it, which the pack
cannot see."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_false, is_true
from ..core.registry import ADVISORY, resource_policy
from . import ENVIRONMENT, TEMPLATE, option_values, shown, switch_values

HEALTH = "aws:elasticbeanstalk:healthreporting:system"
MANAGED, PLATFORM_UPDATE = "aws:elasticbeanstalk:managedactions", "aws:elasticbeanstalk:managedactions:platformupdate"
LOGS = "aws:elasticbeanstalk:cloudwatch:logs"


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


@resource_policy(
    "elasticbeanstalk-environment-managed-updates", (ENVIRONMENT, TEMPLATE),
    description="Elastic Beanstalk environments should take managed platform updates, so the platform's security "
                "patches reach their instances in a weekly maintenance window without a manual update.",
    severity=Severity.HIGH,
    level=ADVISORY,
    anchors=("Security Hub ElasticBeanstalk.2", "Config elastic-beanstalk-managed-updates-enabled",
             "CT.ELASTICBEANSTALK.PR.2"),
)
def managed_updates(args: ResourceValidationArgs) -> Iterator[str]:
    """`settings` leave `aws:elasticbeanstalk:managedactions` `ManagedActionsEnabled` on (its default; false turns
    managed updates off, whatever the update level) and set `aws:elasticbeanstalk:managedactions:platformupdate`
    `UpdateLevel` to `patch` or `minor` (its default is none: no update level, no update); an environment that leaves
    an option to its `templateName` is not judged on it (the template is), nor is an unknown value"""
    enabled = switch_values(args.props, MANAGED, "ManagedActionsEnabled")
    if enabled is None:
        return
    if enabled and all(is_false(v) for v in enabled):
        yield (f"{MANAGED} ManagedActionsEnabled is false: Elastic Beanstalk applies no platform update by itself, so "
               "the platform's security patches wait for a manual update; set it true, with a PreferredStartTime "
               f"and {PLATFORM_UPDATE} UpdateLevel patch or minor (managed updates need enhanced health)")
        return
    level = switch_values(args.props, PLATFORM_UPDATE, "UpdateLevel")
    if level is None:
        return
    if not any(isinstance(v, str) and v.lower() in ("patch", "minor") for v in level):
        yield (f"{PLATFORM_UPDATE} UpdateLevel is {shown(level, 'unset')}: managed platform updates have no level to "
               "apply, so the platform's security patches wait for a manual update; set it to patch or minor, with "
               f"{MANAGED} ManagedActionsEnabled true and a PreferredStartTime")


@resource_policy(
    "elasticbeanstalk-environment-stream-logs", (ENVIRONMENT, TEMPLATE),
    description="Elastic Beanstalk environments should stream their instances' logs to CloudWatch Logs, which keeps "
                "them when an instance is replaced or scaled in, where they can be searched and alarmed on.",
    severity=Severity.HIGH,
    level=ADVISORY,
    anchors=("Security Hub ElasticBeanstalk.3", "Config elastic-beanstalk-logs-to-cloudwatch",
             "CT.ELASTICBEANSTALK.PR.3"),
)
def stream_logs(args: ResourceValidationArgs) -> Iterator[str]:
    """`settings` set `aws:elasticbeanstalk:cloudwatch:logs` `StreamLogs` true (its default is false); an environment
    that leaves it to its `templateName` is not judged (the template is), nor is an unknown value"""
    values = switch_values(args.props, LOGS, "StreamLogs")
    if values is None or any(is_true(v) for v in values):
        return
    yield (f"{LOGS} StreamLogs is {shown([str(v).lower() for v in values], 'unset (false)')}: the instances' proxy, "
           "deployment and application logs stay on the instances and go with them when they are replaced or scaled "
           "in; set it true (and RetentionInDays to what your log policy asks)")
