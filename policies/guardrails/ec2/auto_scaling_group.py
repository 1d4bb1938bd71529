"""EC2 Auto Scaling groups: what they launch their instances from, and how they tell an instance behind a load balancer
is unhealthy. The instances' own settings (metadata service, public addresses, volumes) are their launch template's or
launch configuration's, which `instance.py` judges."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, has_any, is_map, peek, peek_items
from ..core.registry import ADVISORY, resource_policy, stack_policy
from ..core.stack import of_type, referring, type_name
from . import AUTOSCALING_ATTACHMENT, AUTOSCALING_GROUP, AUTOSCALING_TRAFFIC_SOURCE


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
