"""EC2 Auto Scaling groups: what they launch their instances from, how they tell an instance behind a load balancer
is unhealthy, and how many Availability Zones and instance types they launch into. The instances' own settings
(metadata service, public addresses, volumes) are their launch template's or launch configuration's, which
`instance.py` judges."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, has_any, is_map, peek, peek_items
from ..core.registry import ADVISORY, resource_policy, stack_policy
from ..core.stack import of_type, referenced, referring, type_name
from . import AUTOSCALING_ATTACHMENT, AUTOSCALING_GROUP, AUTOSCALING_TRAFFIC_SOURCE, DEFAULT_SUBNET, SUBNET


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


def _load_balancer_source(source: Any) -> Optional[bool]:
    """Whether a traffic source (a group's `trafficSources[]` entry, an attachment's `trafficSource`) is a load
    balancer's: `type` elb or elbv2 (vpc-lattice is not); left out, its identifier is an ARN (botocore's
    TrafficSourceIdentifier: `type` is required for a Classic Load Balancer's name), an ELB target group's or a VPC
    Lattice one's. None while unknown."""
    if source is None:
        return False
    kind = peek(source, "type") if is_map(source) else UNKNOWN
    if kind is not None:
        return None if kind is UNKNOWN else kind in ("elb", "elbv2")
    identifier = peek(source, "identifier")
    return None if identifier is UNKNOWN else isinstance(identifier, str) and ":elasticloadbalancing:" in identifier


def _own_load_balancers(group: Any) -> Iterator[tuple[str, Optional[bool]]]:
    """(the prop, whether it attaches a load balancer) for each way the group's own settings may: `loadBalancers`
    (Classic Load Balancers), `targetGroupArns` (ELB target groups), `trafficSources[]`; an item unknown until the
    update is still one, a whole list unknown may be empty."""
    for prop in ("loadBalancers", "targetGroupArns"):
        items = peek(group.props, prop)
        yield prop, None if items is UNKNOWN else bool(peek_items(group.props, prop))
    for i, source in enumerate(peek_items(group.props, "trafficSources")):
        yield f"trafficSources[{i}]", _load_balancer_source(source)


def _attached_load_balancers(group: Any, resources: list) -> Iterator[tuple[str, Optional[bool]]]:
    """(the attachment, whether it surely attaches a load balancer to the group) for the stack's Attachments and
    TrafficSourceAttachments that may name it (`autoscalingGroupName`: its name, which is its id; matched by name
    alone, as the id, unknown in a first preview, would leave open every attachment naming another group). An
    Attachment always attaches one: terraform-provider-aws takes exactly one of its `elb` and `lbTargetGroupArn`."""
    attachments, maybe = referring(resources, (AUTOSCALING_ATTACHMENT, AUTOSCALING_TRAFFIC_SOURCE),
                                   "autoscalingGroupName", group, keys=("name",))
    if maybe:
        yield "an attachment", None
    for attachment in attachments:
        attached = (True if attachment.resource_type == AUTOSCALING_ATTACHMENT
                    else _load_balancer_source(peek(attachment.props, "trafficSource")))
        yield f"{type_name(attachment)} {attachment.name}", attached


# botocore's CreateAutoScalingGroup: HealthCheckType is "a comma-separated value string of one or more health check
# types" (EC2, EBS, ELB, VPC_LATTICE), EC2 the default; TrafficSourceIdentifier's Type is elb, elbv2 or vpc-lattice.
@stack_policy(
    "ec2-autoscaling-group-elb-health-check", (AUTOSCALING_GROUP, AUTOSCALING_ATTACHMENT, AUTOSCALING_TRAFFIC_SOURCE),
    description="Auto Scaling groups behind a load balancer must use its health checks, so an instance the load "
                "balancer finds unhealthy is replaced, not kept running out of service.",
    severity=Severity.LOW,
    level=ADVISORY,
    anchors=("Security Hub AutoScaling.1", "Config autoscaling-group-elb-healthcheck-required",
             "CT.AUTOSCALING.PR.4"),
)
def elb_health_check(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a group with a load balancer (its own `loadBalancers`, `targetGroupArns` or an elb or elbv2
    `trafficSources[]` entry, or an Attachment's `elb` or `lbTargetGroupArn`, or a TrafficSourceAttachment's elb or
    elbv2 `trafficSource`, naming it by `autoscalingGroupName`) has `ELB` among its comma-separated
    `healthCheckType` (left out, EC2 only); unknown values are not judged"""
    for group in of_type(args.resources, AUTOSCALING_GROUP):
        checks = peek(group.props, "healthCheckType")
        if checks is UNKNOWN or (isinstance(checks, str) and "ELB" in (c.strip() for c in checks.split(","))):
            continue
        sources = [*_own_load_balancers(group), *_attached_load_balancers(group, args.resources)]
        if any(attached is None for _, attached in sources):
            continue  # a load balancer not known yet: the verdict (and the list it names) waits for the update
        balancers = [where for where, attached in sources if attached]
        if balancers:
            yield (f"Auto Scaling group {group.name} has a load balancer ({', '.join(balancers)}) but healthCheckType "
                   f"{checks or 'unset (EC2)'}: it replaces an instance only when EC2's status checks fail, and keeps "
                   "one the load balancer takes out of service; add ELB to healthCheckType"), group.urn


def _entries(group: Any, prop: str) -> Optional[list]:
    """A group's `availabilityZones` or `vpcZoneIdentifiers`, each distinct entry once (UNKNOWN ones each count; the
    provider joins subnet ids with commas for the API, so an item holding several is read as several); None while the
    whole list is unknown."""
    if peek(group.props, prop) is UNKNOWN:
        return None
    entries = []
    for item in peek_items(group.props, prop):
        for entry in item.split(",") if isinstance(item, str) else [item]:
            entry = entry.strip() if isinstance(entry, str) else entry
            if entry is UNKNOWN or (entry and entry not in entries):
                entries.append(entry)
    return entries


# How a subnet names its zone: by the zone's name, or its id (the same zone in every account).
ZONE_KEYS = ("availabilityZone", "availabilityZoneId")


def _subnet_zone(subnet: Any) -> dict[str, str]:
    """The zone a stack subnet is in, by whichever of its name (`availabilityZone`) and id (`availabilityZoneId`) is
    known: a new subnet's id is computed, an existing one's both; neither, until the update, where it leaves the zone
    to EC2 (CreateSubnet: "we do not necessarily select a different zone for each subnet")."""
    zone = {key: peek(subnet.props, key) for key in ZONE_KEYS}
    return {key: value for key, value in zone.items() if isinstance(value, str) and value}


def _one_subnet(group: Any, subnets: list) -> bool:
    """Whether a group's lone subnet item, unknown until the update, is one subnet: made from one stack subnet alone
    (an item made from several, or from elsewhere, may join several ids with commas)."""
    found, maybe = referenced(group, "vpcZoneIdentifiers", [UNKNOWN], subnets, keys=("id",), many=True)
    return not maybe and len(found) == 1


def _shared_zone(group: Any, subnet_ids: list, subnets: list) -> Optional[str]:
    """The one zone a group's several subnets are all in, where each is a stack subnet showing its zone; None where
    they reach two or more, or where that cannot be told (a subnet made elsewhere or not known yet, one whose zone is
    not, or zones named in two ways: a zone's name maps to another zone id in each account)."""
    found, maybe = referenced(group, "vpcZoneIdentifiers", subnet_ids, subnets, keys=("id",), many=True)
    zones = [zone for zone in map(_subnet_zone, found) if zone]
    if maybe or len(zones) < len(subnet_ids):
        return None
    for key in ZONE_KEYS:
        named = {zone.get(key) for zone in zones}
        if len(named) == 1 and None not in named:
            return named.pop()
    return None


# Security Hub AutoScaling.2 (Config autoscaling-multiple-az, minAvailabilityZones 2 by default): a group in one zone
# "can't launch instances in another AZ to compensate if the configured single AZ becomes unavailable". botocore's
# CreateAutoScalingGroup: VPCZoneIdentifier is "a comma-separated list of subnet IDs"; a subnet is in one zone
# (CreateSubnet's AvailabilityZone). pulumi-aws 7: availabilityZones "Conflicts with `vpc_zone_identifier`".
@stack_policy(
    "ec2-autoscaling-group-multiple-azs", AUTOSCALING_GROUP,
    description="Auto Scaling groups should launch into two or more Availability Zones, so that when one zone fails "
                "the group launches its instances in another.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub AutoScaling.2", "Config autoscaling-multiple-az", "CT.AUTOSCALING.PR.1"),
)
def multiple_azs(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a group's `vpcZoneIdentifiers` name subnets in two or more zones, or its `availabilityZones` list two or more;
    a single subnet or zone is one zone, whatever it is (an item unknown until the update, unless made from one
    stack subnet alone, may join several ids with commas); several subnets are judged only where each is a stack
    `Subnet` or `DefaultSubnet` whose `availabilityZone` or `availabilityZoneId` is known (a subnet made elsewhere,
    one that leaves its zone to EC2, and unknown values are not judged)"""
    subnets = of_type(args.resources, SUBNET, DEFAULT_SUBNET)
    for group in of_type(args.resources, AUTOSCALING_GROUP):
        # The provider takes one of the two; a whole list unknown is not judged.
        prop = "vpcZoneIdentifiers" if peek_items(group.props, "vpcZoneIdentifiers") else "availabilityZones"
        entries = _entries(group, prop)
        if not entries:
            continue
        if len(entries) == 1:
            if entries[0] is UNKNOWN and prop == "vpcZoneIdentifiers" and not _one_subnet(group, subnets):
                continue
            where = f"{prop} names one {'subnet' if prop == 'vpcZoneIdentifiers' else 'zone'}"
        elif prop == "vpcZoneIdentifiers" and (zone := _shared_zone(group, entries, subnets)):
            where = f"{prop} names {len(entries)} subnets, all in {zone}"
        else:
            continue  # several zones (listed zones are distinct), or several subnets whose zones are not all shown
        yield (f"Auto Scaling group {group.name} launches into one Availability Zone ({where}): if that zone fails, "
               "it cannot launch its instances in another; give it subnets (vpcZoneIdentifiers) in two or more "
               "Availability Zones"), group.urn


# Security Hub AutoScaling.6 (Config autoscaling-multiple-instance-types, which "does not evaluate attribute-based
# instance types"): a group with one instance type cannot launch another "if there is insufficient instance capacity in
# your chosen Availability Zones". botocore's LaunchTemplateOverrides: a mixed instances policy's overrides are how a
# group uses multiple instance types, each an InstanceType or InstanceRequirements ("you can't specify both").
@resource_policy(
    "ec2-autoscaling-group-multiple-instance-types", AUTOSCALING_GROUP,
    description="Auto Scaling groups should be able to launch more than one instance type, so that when EC2 runs out "
                "of one type in a zone the group launches another.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub AutoScaling.6", "Config autoscaling-multiple-instance-types", "CT.AUTOSCALING.PR.6"),
)
def multiple_instance_types(args: ResourceValidationArgs) -> Iterator[str]:
    """`mixedInstancesPolicy.launchTemplate.overrides[]` name two or more distinct `instanceType`s, or one sets
    `instanceRequirements` (attribute-based selection: EC2 Auto Scaling launches any type that meets them); a group
    without a mixed instances policy launches its launch template's or launch configuration's one type. Unknown
    overrides are not judged"""
    policy = peek(args.props, "mixedInstancesPolicy")
    if policy is UNKNOWN:
        return
    types, unknown = set(), False
    for override in peek_items(policy, "launchTemplate", "overrides"):
        requirements, kind = peek(override, "instanceRequirements"), peek(override, "instanceType")
        if UNKNOWN in (override, requirements, kind):
            unknown = True
        elif requirements:
            return
        elif isinstance(kind, str) and kind:
            types.add(kind)
    if len(types) >= 2 or unknown:
        return
    if not policy:
        where = "it has no mixedInstancesPolicy, so every instance takes its launch template's or configuration's type"
    else:
        where = (f"mixedInstancesPolicy.launchTemplate.overrides name one instanceType ({types.pop()})" if types else
                 "mixedInstancesPolicy.launchTemplate.overrides name no instanceType, so every instance takes its "
                 "launch template's")
    yield (f"the group launches one instance type ({where}): when EC2 has no capacity of it in a zone, the group "
           "cannot launch there; list two or more instanceTypes in mixedInstancesPolicy.launchTemplate.overrides, or "
           "instanceRequirements (attribute-based instance type selection)")
