"""EC2/VPC guardrails: security groups and their rules (inline and standalone), network ACLs, VPC endpoints,
flow logs, subnets, transit gateways, Client VPN endpoints and Site-to-Site VPN connections; what launches instances
(their metadata service, addresses and volumes, and what an Auto Scaling group launches them from); who may launch an
AMI, and whether a region's AMIs and EBS snapshots may be shared publicly at all."""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional, Sequence

from ..core.props import UNKNOWN, is_false, is_true, peek, peek_items
from ..core.stack import of_type, referenced, referring, refers_to, region_of, register_native_companion, same_region

VPC = "aws:ec2/vpc:Vpc"
# A region's default VPC, adopted by the program: a VPC like any other to what runs in it.
DEFAULT_VPC = "aws:ec2/defaultVpc:DefaultVpc"
VPCS = (VPC, DEFAULT_VPC)
SUBNET = "aws:ec2/subnet:Subnet"
# A default VPC's subnet, adopted by the program (or made if the zone has none): AWS's own settings stay unless set.
DEFAULT_SUBNET = "aws:ec2/defaultSubnet:DefaultSubnet"
# A VPC's (or a subnet's, a network interface's, a transit gateway's) traffic records.
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
register_native_companion(FLOW_LOG, "aws-native:ec2:FlowLog", "resourceId")
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
# A VPC's default group, adopted by the program: the same inline ingress[]/egress[] blocks, and attachable by id.
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECURITY_GROUPS = (SECURITY_GROUP, DEFAULT_SECURITY_GROUP)
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
# The same one-rule resources written with aws-native (CloudFormation's, in EC2's own names: groupId, cidrIp).
NATIVE_INGRESS_RULE = "aws-native:ec2:SecurityGroupIngress"
NATIVE_EGRESS_RULE = "aws-native:ec2:SecurityGroupEgress"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
NATIVE_VPC_ENDPOINT = "aws-native:ec2:VpcEndpoint"
register_native_companion(VPC_ENDPOINT, NATIVE_VPC_ENDPOINT, "vpcId")
# Replaces its endpoint's policy (ModifyVpcEndpoint), as a KeyPolicy a key's.
VPC_ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"
# Sets its endpoint's private DNS (ModifyVpcEndpoint), in place of the endpoint's own privateDnsEnabled.
ENDPOINT_PRIVATE_DNS = "aws:vpc/endpointPrivateDns:EndpointPrivateDns"
# What else puts security groups on network interfaces.
INSTANCE = "aws:ec2/instance:Instance"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
NETWORK_INTERFACE = "aws:ec2/networkInterface:NetworkInterface"
# Attaches a network interface to an instance, as the interface's own `attachments` do.
NETWORK_INTERFACE_ATTACHMENT = "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment"
NETWORK_INTERFACE_GROUP = "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment"
SPOT_INSTANCE_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest"
LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration"
# Launches spot instances from its `launchSpecifications` (which, unlike a launch template, take no metadata
# options: botocore SpotFleetLaunchSpecification) or from launch templates (`launchTemplateConfigs`), judged on
# their own.
SPOT_FLEET_REQUEST = "aws:ec2/spotFleetRequest:SpotFleetRequest"
# What launches instances: each says how they reach the instance metadata service and which volumes they get.
LAUNCHERS = (INSTANCE, SPOT_INSTANCE_REQUEST, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION)
# Launches its instances from a launch template (its own, or its mixed instances policy's) or a launch configuration.
AUTOSCALING_GROUP = "aws:autoscaling/group:Group"
# Attach a load balancer (`elb`, `lbTargetGroupArn`) or traffic source to a group (`autoscalingGroupName`), as the
# group's own loadBalancers, targetGroupArns and trafficSources do.
AUTOSCALING_ATTACHMENT = "aws:autoscaling/attachment:Attachment"
AUTOSCALING_TRAFFIC_SOURCE = "aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment"
# An Elastic IP, put on an instance (or its network interface) by its own `instance` or by an EipAssociation.
EIP = "aws:ec2/eip:Eip"
EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation"
EBS_VOLUME = "aws:ebs/volume:Volume"
# Adds one launch permission to an AMI (ModifyImageAttribute): an account, an organization or OU, or everyone.
AMI_LAUNCH_PERMISSION = "aws:ec2/amiLaunchPermission:AmiLaunchPermission"
# Image Builder's distribution settings: the launch permissions each AMI a pipeline builds is distributed with.
IMAGE_BUILDER_DISTRIBUTION = "aws:imagebuilder/distributionConfiguration:DistributionConfiguration"
# A region's block public access for the account's AMIs and EBS snapshots (`state`); the account's, whatever stack
# sets it.
IMAGE_BLOCK_PUBLIC_ACCESS = "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess"
SNAPSHOT_BLOCK_PUBLIC_ACCESS = "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess"
# A region's account-wide defaults, which apply to what leaves the setting out.
EBS_ENCRYPTION_BY_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault"
INSTANCE_METADATA_DEFAULTS = "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults"
# Adds a group to a VPC endpoint's interfaces, beside the endpoint's own securityGroupIds.
SECURITY_GROUP_ASSOCIATION = "aws:ec2/securityGroupAssociation:SecurityGroupAssociation"
RULE_HOLDERS = (*SECURITY_GROUPS, SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE, NATIVE_INGRESS_RULE,
                NATIVE_EGRESS_RULE)
# Revokes every rule of its group that its ingressRuleIds/egressRuleIds (security group rule ids) do not list.
RULES_EXCLUSIVE = "aws:ec2/vpcSecurityGroupRulesExclusive:VpcSecurityGroupRulesExclusive"
# A subnet's stateless filter: inline ingress[]/egress[] entries, or NetworkAclRule resources (one entry each).
NETWORK_ACL = "aws:ec2/networkAcl:NetworkAcl"
# A VPC's default network ACL, adopted by the program: its inline entries replace AWS's allow-all ones.
DEFAULT_NETWORK_ACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"
NETWORK_ACLS = (NETWORK_ACL, DEFAULT_NETWORK_ACL)
NETWORK_ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule"
# Routes between the VPCs (and VPNs) attached to it, its own account's and those it is shared with (AWS RAM).
TRANSIT_GATEWAY = "aws:ec2transitgateway/transitGateway:TransitGateway"
# Remote access for users (OpenVPN clients) into the VPCs its target networks reach.
CLIENT_VPN_ENDPOINT = "aws:ec2clientvpn/endpoint:Endpoint"
# A Site-to-Site VPN connection: two IPsec tunnels between a customer gateway and a virtual private or transit gateway.
VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection"


def gives_public_ips(subnet: Any) -> Optional[bool]:
    """Whether a subnet gives what launches into it a public IPv4 address (`mapPublicIpOnLaunch`): true on a `Subnet`
    (left out, false), not false on an adopted `DefaultSubnet` (AWS makes default subnets with it true); None while
    the setting is unknown. `subnet`: a stack resource or a policy's arguments (its type and props)."""
    value = peek(subnet.props, "mapPublicIpOnLaunch")
    if value is UNKNOWN:
        return None
    return is_true(value) or (subnet.resource_type == DEFAULT_SUBNET and not is_false(value))


def public_subnets(resource: Any, prop_name: str, ids: Iterable[Any], resources: list) -> list:
    """The stack subnets (`Subnet`, adopted `DefaultSubnet`) that `ids`, a resource's `prop_name` values, surely name
    by the id EC2 gives them, and that give what launches into them a public IPv4 address (`gives_public_ips`): where
    what the resource launches there gets one. A subnet from outside the stack, an id that may name any of several, and
    an unknown setting are not among them."""
    named, _ = referenced(resource, prop_name, ids, of_type(resources, SUBNET, DEFAULT_SUBNET), keys=("id",),
                          assigned=True)
    return [subnet for subnet in named if gives_public_ips(subnet)]


def _zone(subnet: Any) -> Any:
    """A stack subnet's Availability Zone (`availabilityZone`, else `availabilityZoneId`, as a key), or, where the
    zone is not set (AWS picks one) or not known, the subnet itself: a zone no other subnet is counted in."""
    named = [(key, peek(subnet.props, key)) for key in ("availabilityZone", "availabilityZoneId")]
    return next(((key, zone) for key, zone in named if isinstance(zone, str) and zone), ("urn", subnet.urn))


def subnet_zones_at_most(resource: Any, path: tuple[str, ...], subnets: list) -> set:
    """The zones the subnet ids at `path` in a resource's props span, counted at most: a stack subnet's (by its id);
    a subnet from outside the stack as a zone of its own; ids not known yet as the zones of the stack subnets the
    list is made from, where it is made only from subnets and security groups (a first preview), else each as a
    zone of its own. `subnets`: the stack's `Subnet`s and `DefaultSubnet`s."""
    by_id = {subnet_id: subnet for subnet_id, subnet in ((peek(s.props, "id"), s) for s in subnets)
             if isinstance(subnet_id, str)}
    values = peek_items(resource.props, *path)
    found = {_zone(by_id[v]) if v in by_id else ("subnet", v) for v in values if isinstance(v, str)}
    unknown = [v for v in values if not isinstance(v, str)]
    made_from = resource.property_dependencies.get(path[0], [])
    if unknown and all(d.resource_type in (SUBNET, DEFAULT_SUBNET, *SECURITY_GROUPS) for d in made_from):
        # Each id not known yet is one of those subnets, which only the update tells: count every one's zone.
        urns = {d.urn for d in made_from}
        linked = [subnet for subnet in subnets if subnet.urn in urns]
        if linked:
            return found | {_zone(subnet) for subnet in linked}
    return found | {object() for _ in unknown}


def adopting(resources: list, vpc: Any, holder_types: tuple[str, ...], prop_name: str, key: str) -> tuple[list, bool]:
    """The resources of `holder_types` whose `prop_name` names the VPC's `key` (its `id`, or the id of a default
    group or ACL EC2 made with it), and whether another might (a reference unknown until the update)."""
    return referring(resources, holder_types, prop_name, vpc, keys=(key,), assigned=_made_up(vpc))


def default_adopter(resources: list, vpc: Any, holder_type: str, prop_name: str,
                    key: str) -> tuple[Optional[Any], bool]:
    """The resource of `holder_type` adopting a VPC's own default group or ACL (`adopting`), and, where none is
    found, whether one may."""
    adopted, unsure = adopting(resources, vpc, (holder_type,), prop_name, key)
    return (adopted[0], False) if adopted else (None, unsure)


def default_key(resources: list, vpc: Any, holder_type: str, prop_name: str, key: str,
                own: str) -> tuple[Optional[str], Optional[Any]]:
    """What keys a VPC's own default group or ACL, however a rule or list names it: the URN of the resource of
    `holder_type` adopting it (`default_adopter`), as its inline rules or entries are keyed, else `own` (the VPC's);
    None while one may adopt it by a reference only the update tells. And the adopter, where one is found."""
    adopter, unsure = default_adopter(resources, vpc, holder_type, prop_name, key)
    return (adopter.urn if adopter is not None else None if unsure else own), adopter


def names_vpc(resource: Any, vpc: Any) -> Optional[bool]:
    """Whether a resource's `vpcId` names the VPC: True, False or None (can't tell until the update)."""
    return refers_to(resource, "vpcId", [peek(resource.props, "vpcId")], vpc, keys=("id",), assigned=_made_up(vpc))


def _made_up(vpc: Any) -> bool:
    # A new VPC's ids are made up by EC2 at creation: a literal in the program cannot name them.
    return vpc.resource_type == VPC


# A region's name, as AWS writes it in service names, ARNs and hosts: us-east-1, eu-central-2, us-gov-west-1.
REGION_NAME = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")


def _service_name_parts(name: str) -> tuple[Optional[str], str]:
    """A VPC endpoint's `serviceName` read as `com.amazonaws.<region>.<service>` (China's regions name some services
    `cn.com.amazonaws.<region>.<service>`): its region, if a region's name stands there, and its service (any name
    with fewer parts, as it is)."""
    name = name.removeprefix("cn.") if name.startswith("cn.com.amazonaws.") else name
    parts = name.split(".", 3)
    if len(parts) < 4:
        return None, name
    named = parts[:2] == ["com", "amazonaws"] and REGION_NAME.fullmatch(parts[2])
    return (parts[2] if named else None), parts[3]


def endpoint_service(endpoint: Any) -> Any:
    """The AWS service a VPC endpoint serves (`_service_name_parts`); UNKNOWN until the update; None for an endpoint
    without one (a Resource or ServiceNetwork endpoint, which serves no AWS API by name)."""
    name = peek(endpoint.props, "serviceName")
    return name if name is UNKNOWN or name is None else _service_name_parts(str(name))[1]


def endpoint_region(endpoint: Any) -> Any:
    """The region whose service a VPC endpoint serves: the one its service name carries (a cross-Region interface
    endpoint's name carries the other Region, and answers only that Region's API names: the VPC PrivateLink guide),
    else the endpoint's own (`region_of`: a region's name, a provider standing for its region, or UNKNOWN)."""
    name = peek(endpoint.props, "serviceName")
    region = _service_name_parts(name)[0] if isinstance(name, str) else None
    return region or region_of(endpoint)


def endpoints_in(vpc: Any, resources: list) -> tuple[list, bool]:
    """The stack's endpoints in a stack VPC (their `vpcId`), and whether another might be (it is not known yet, or
    is written with aws-native)."""
    return referring(resources, (VPC_ENDPOINT,), "vpcId", vpc, keys=("id", "arn"))


def endpoint_type(endpoint: Any) -> Any:
    """A VPC endpoint's `vpcEndpointType` (the provider's default, Gateway, when left out), or UNKNOWN."""
    return peek(endpoint.props, "vpcEndpointType") or "Gateway"


def without_private_dns(endpoint: Any, resources: Sequence[Any]) -> bool:
    """Whether a stack's VPC endpoint is an interface endpoint known to have private DNS off: the SDKs and the ECS
    agent then keep resolving the public service name, which the endpoint does not answer. Left out, it is off: the
    provider sends PrivateDnsEnabled=false (terraform-provider-aws vpc_endpoint.go: Optional+Computed, no default;
    pulumi-aws: "Defaults to `false`"). An EndpointPrivateDns of the endpoint in `resources` sets it instead, and
    one that may be the endpoint's leaves it undecided. An unknown type or setting is not "off"; a gateway endpoint
    has no DNS."""
    kind = endpoint_type(endpoint)
    if kind is UNKNOWN or kind == "Gateway":
        return False
    settings, maybe = referring(resources, (ENDPOINT_PRIVATE_DNS,), "vpcEndpointId", endpoint, keys=("id",))
    if maybe:
        return False
    # Its own setting counts only where no separate one sets it.
    deciding = settings or [endpoint]
    return not any(dns is UNKNOWN or is_true(dns) for dns in (peek(d.props, "privateDnsEnabled") for d in deciding))


# The services a Gateway endpoint can serve (every other AWS API has interface endpoints only).
GATEWAY_CAPABLE = ("s3", "dynamodb")


def endpoint_serves(endpoint: Any, service: str, resources: Sequence[Any]) -> bool:
    """Whether a VPC endpoint of `service` is one a task can use: a gateway endpoint of a gateway-capable
    service, or an interface endpoint not known to have private DNS off. An unknown type serves."""
    kind = endpoint_type(endpoint)
    if kind == "Gateway":
        return service in GATEWAY_CAPABLE
    return kind is UNKNOWN or not without_private_dns(endpoint, resources)


def served_services(endpoints: Sequence[Any], resources: Sequence[Any]) -> Optional[tuple[set[tuple], set[tuple]]]:
    """Which (region, service) pairs the endpoints serve (`endpoint_region`, `endpoint_service`; any usable endpoint
    of a pair serves it), and which pairs have endpoints none of which a task can use; None when an endpoint's
    service is unknown until the update. `resources`: the stack's, where an endpoint's private DNS may be set apart
    from it."""
    by_target: dict[tuple, list] = {}
    for endpoint in endpoints:
        service = endpoint_service(endpoint)
        if service is UNKNOWN:
            return None
        if service is not None:  # a Resource or ServiceNetwork endpoint serves no AWS API by name
            by_target.setdefault((endpoint_region(endpoint), service), []).append(endpoint)
    served = {t for t, mine in by_target.items() if any(endpoint_serves(e, t[1], resources) for e in mine)}
    return served, set(by_target) - served


def _serves(call_region: Any, endpoint_region: Any) -> Optional[bool]:
    """Whether an endpoint of a call's service in `endpoint_region` serves a call in `call_region`; None while either
    is unknown. A provider's unnamed region is taken to be the named one beside it, as the pack took every endpoint
    before it read regions: a program on one provider names its endpoints for that provider's region."""
    if call_region is UNKNOWN or endpoint_region is UNKNOWN:
        return None
    return same_region(call_region, endpoint_region) is not False


def unserved_calls(calls: Iterable[tuple[Any, str]], found: tuple[set[tuple], set[tuple]],
                   home: Any) -> tuple[set, set, bool]:
    """Of `calls`, (region, service) pairs, those no endpoint of `found` (as `served_services` answers) serves, those
    only endpoints a task cannot use serve, and whether the message waits for a region unknown until the update: a
    call's (which endpoint it needs), or `home`'s, the task's or VPC's a message labels calls against (`labels`)
    where a call names its own. Either decides the whole message, so a caller then says nothing."""
    served, unusable = found
    missing, dns_off = set(), set()
    for call in calls:
        region, service = call
        answers = [(_serves(region, r), True) for r, s in served if s == service]
        answers += [(_serves(region, r), False) for r, s in unusable if s == service]
        if any(serves and usable for serves, usable in answers):
            continue
        if region is UNKNOWN or any(serves is None for serves, _ in answers):
            return set(), set(), True
        (dns_off if any(serves for serves, _ in answers) else missing).add(call)
    if home is UNKNOWN and any(isinstance(region, str) for region, _ in missing | dns_off):
        return set(), set(), True
    return missing, dns_off, False


def call_label(call: tuple[Any, str], home: Any) -> str:
    """A call as a message names it: its service, and its region where that is known to be another than `home` (the
    VPC's or the task's, `region_of`)."""
    region, service = call
    return f"{service} ({region})" if same_region(region, home) is False else service


def labels(calls: Iterable[tuple[Any, str]], home: Any) -> str:
    """The calls' labels (`call_label`), sorted and joined."""
    return ", ".join(sorted({call_label(call, home) for call in calls}))


def other_regions(calls: Iterable[tuple[Any, str]], found: tuple[set[tuple], set[tuple]]) -> str:
    """For calls no endpoint serves (`unserved_calls`), which regions' services the endpoints of their services serve
    instead (named regions only): ` (the endpoints for logs serve us-east-1's: ...)`, or nothing."""
    by_service: dict[str, set[str]] = {}
    for region, service in found[0] | found[1]:
        if isinstance(region, str):
            by_service.setdefault(service, set()).add(region)
    groups: dict[tuple[str, ...], set[str]] = {}
    for _, service in calls:
        if service in by_service:
            groups.setdefault(tuple(sorted(by_service[service])), set()).add(service)
    if not groups:
        return ""
    parts = [f"{', '.join(sorted(services))} serve " + ", ".join(f"{region}'s" for region in regions)
             for regions, services in sorted(groups.items())]
    return (f" (the endpoints for {'; those for '.join(parts)}: an endpoint answers only the API names of the Region "
            "its service name carries)")
