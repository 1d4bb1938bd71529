"""ECS clusters and their EC2 capacity providers. Container Insights lives in `settings[]` (plural on the wire), or
in the account's default."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, any_of, as_list, dig, peek, unless_unknown
from ..core.registry import ADVISORY, resource_policy, stack_policy
from ..core.stack import elsewhere, of_type
from . import ACCOUNT_SETTING_DEFAULT, CAPACITY_PROVIDER, CLUSTER

INSIGHTS_ON = ("enabled", "enhanced")


def _turns_insights_on(setting: Any) -> Optional[bool]:
    """Whether an AccountSettingDefault sets `containerInsights` to enabled or enhanced; None while its name or value
    is unknown and the other does not rule it out."""
    name, value = peek(setting.props, "name"), peek(setting.props, "value")
    if (name is not UNKNOWN and name != "containerInsights") or (value is not UNKNOWN and value not in INSIGHTS_ON):
        return False
    return None if UNKNOWN in (name, value) else True


def _problem(cluster: Any, account_default: Optional[bool]) -> Optional[str]:
    values = [dig(s, "value") for s in as_list(dig(cluster.props, "settings")) if dig(s, "name") == "containerInsights"]
    if values:  # the cluster's own value overrides the account's (ClusterSetting)
        return None if values[-1] in INSIGHTS_ON else (
            f"settings containerInsights is {values[-1]}; set it to enabled (or enhanced)")
    if account_default is not False:
        return None
    return ("settings has no containerInsights entry, and no aws.ecs.AccountSettingDefault in the stack turns "
            "containerInsights on for the cluster's account and region; set containerInsights = enabled (or "
            "enhanced)")


# ECS gives a cluster created without a containerInsights setting the account's (ClusterSetting: "otherwise it will
# be off unless the containerInsights account setting is turned on"), which PutAccountSettingDefault sets for every
# principal without a setting of its own, in its account and region.
@stack_policy(
    "ecs-cluster-container-insights", CLUSTER,
    description="ECS clusters must enable Container Insights, in their own settings or by the account's default.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub ECS.12", "Config ecs-container-insights-enabled", "CKV_AWS_65"),
)
def container_insights(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`settings` has `containerInsights` = enabled or enhanced; a cluster that sets none passes when an
    `aws:ecs/accountSettingDefault:AccountSettingDefault` in the stack, in the cluster's account and region (as far as
    the providers tell; one that may be counts), sets `containerInsights` to enabled or enhanced (ECS's default for
    new clusters of that account and region). A cluster's own value overrides it, so `disabled` fails either way;
    unknown values are no verdict"""
    defaults = of_type(args.resources, ACCOUNT_SETTING_DEFAULT)
    for cluster in of_type(args.resources, CLUSTER):
        account_default = any_of(_turns_insights_on(s) for s in defaults if not elsewhere(s, cluster))
        message = unless_unknown(_problem, cluster, account_default)
        if message:
            yield message, cluster.urn


@resource_policy(
    "ecs-capacity-provider-termination-protection", CAPACITY_PROVIDER,
    description="ECS capacity providers on an Auto Scaling group must have managed termination protection on, so a "
                "scale-in does not terminate an instance that still runs tasks.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ECS.19", "Config ecs-capacity-provider-termination-check"),
    remediation="Set autoScalingGroupProvider.managedTerminationProtection to ENABLED, with managed scaling on and "
                "the group's new instances protected from scale-in, as ECS requires for it.",
)
def capacity_provider_termination_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`autoScalingGroupProvider.managedTerminationProtection` is ENABLED (AWS's default is DISABLED); a provider
    of ECS Managed Instances (`managedInstancesProvider`), which has no Auto Scaling group, is not asked; an unknown
    value is not judged"""
    group = peek(args.props, "autoScalingGroupProvider")
    if group is None:
        args.not_applicable("no Auto Scaling group: ECS Managed Instances, or the Fargate providers")
    if group is UNKNOWN:
        return
    setting = peek(group, "managedTerminationProtection")
    if setting is UNKNOWN or (isinstance(setting, str) and setting.upper() == "ENABLED"):
        return
    reads = setting if setting is not None else "unset (DISABLED)"
    yield (f"autoScalingGroupProvider.managedTerminationProtection is {reads}: a scale-in may terminate an "
           "instance with tasks still running; set it ENABLED")
