"""What launches EC2 instances (instances, spot requests and fleets, launch templates and configurations) and EBS
volumes: the instance metadata service only with session tokens (IMDSv2), no public address, encrypted volumes. A
setting left out is the AMI's or the account's, so where the stack sets the account default of the resource's account
and region (InstanceMetadataDefaults, EncryptionByDefault), that answers; an instance from a launch template takes what
it leaves out from the template, which is judged itself."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, any_of, has_text, is_false, is_map, is_true, named_by, peek, peek_items
from ..core.registry import config_list, stack_policy, string_list
from ..core.stack import of_type, referenced, refers_to, same_place, type_name
from . import (DEFAULT_SUBNET, EBS_ENCRYPTION_BY_DEFAULT, EBS_VOLUME, EIP, EIP_ASSOCIATION, INSTANCE,
               INSTANCE_METADATA_DEFAULTS, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, LAUNCHERS, NETWORK_INTERFACE,
               NETWORK_INTERFACE_ATTACHMENT, SPOT_FLEET_REQUEST, SPOT_INSTANCE_REQUEST, gives_public_ips)

_NOUNS = {INSTANCE: "instance", SPOT_INSTANCE_REQUEST: "spot instance request", LAUNCH_TEMPLATE: "launch template",
          LAUNCH_CONFIGURATION: "launch configuration", SPOT_FLEET_REQUEST: "spot fleet request",
          EBS_VOLUME: "EBS volume"}


def _from_template(resource: Any) -> bool:
    """An instance or spot request launched from a launch template: what it leaves out is the template's."""
    template = peek(resource.props, "launchTemplate")
    return template is UNKNOWN or (is_map(template) and any(peek(template, k) is not None for k in ("id", "name")))


def _account_default(resources: list, resource: Any, default_type: str, holds: Any) -> Optional[bool]:
    """Whether the stack sets the account default of the resource's account and region (`default_type`) so that
    `holds(props)`: True, False, None (can't tell until the update)."""
    def answer(default: Any) -> Optional[bool]:
        same, held = same_place(default, resource), holds(default.props)
        return False if same is False or held is False else (held if same else None)

    return any_of(answer(d) for d in of_type(resources, default_type))


def _tokens_by_default(resources: list, resource: Any) -> Optional[bool]:
    """Whether the stack's InstanceMetadataDefaults of the resource's account and region require tokens
    (`_account_default`)."""
    return _account_default(resources, resource, INSTANCE_METADATA_DEFAULTS,
                            lambda props: None if peek(props, "httpTokens") is UNKNOWN else
                            peek(props, "httpTokens") == "required")


@stack_policy(
    "ec2-instance-imdsv2", (*LAUNCHERS, SPOT_FLEET_REQUEST, INSTANCE_METADATA_DEFAULTS),
    description="EC2 instances must require session tokens (IMDSv2) for the instance metadata service, so a request "
                "forgery in an app cannot read the instance role's credentials.",
    severity=Severity.HIGH,
    anchors=("Security Hub EC2.8", "Security Hub EC2.170", "Security Hub AutoScaling.3", "CKV_AWS_79"),
)
def imdsv2(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """an instance, spot instance request, launch template or launch configuration has `metadataOptions.httpTokens`
    `required` or `httpEndpoint` `disabled`; left out, it passes only where the stack sets its account's and region's
    InstanceMetadataDefaults `httpTokens` `required` (else EC2 follows the AMI's ImdsSupport, which the program does
    not show), or where an instance takes it from its launch template; a spot fleet request's
    `launchSpecifications`, which take no metadata options, pass only by that account default (its
    `launchTemplateConfigs` launch from templates, judged themselves); unknown values are not judged"""
    for resource in of_type(args.resources, *LAUNCHERS):
        tokens = peek(resource.props, "metadataOptions", "httpTokens")
        endpoint = peek(resource.props, "metadataOptions", "httpEndpoint")
        if UNKNOWN in (tokens, endpoint) or tokens == "required" or endpoint == "disabled":
            continue
        if tokens is None:
            if _from_template(resource) or _tokens_by_default(args.resources, resource) is not False:
                continue
            yield (f"{_NOUNS[resource.resource_type]} {resource.name} leaves metadataOptions.httpTokens out: EC2 "
                   "then takes IMDSv1 calls unless the AMI or the account's default requires tokens; set httpTokens "
                   "required"), resource.urn
        else:
            yield (f"{_NOUNS[resource.resource_type]} {resource.name} has metadataOptions.httpTokens {tokens}: any "
                   "process or forged request on the instance reads its role's credentials without a token; set "
                   "required"), resource.urn
    for fleet in of_type(args.resources, SPOT_FLEET_REQUEST):
        # A list unknown as a whole may be empty; an unknown item is still a launch specification.
        specs = peek(fleet.props, "launchSpecifications")
        if specs is not UNKNOWN and peek_items(specs) and _tokens_by_default(args.resources, fleet) is False:
            yield (f"{_NOUNS[fleet.resource_type]} {fleet.name} launches from launchSpecifications, which take no metadata "
                   "options: EC2 then takes IMDSv1 calls unless the AMI or the account's default requires tokens; "
                   "launch from launchTemplateConfigs with a template whose httpTokens is required"), fleet.urn


@stack_policy(
    "ec2-instance-no-public-ip", (*LAUNCHERS, SPOT_FLEET_REQUEST, EIP, EIP_ASSOCIATION),
    description="EC2 instances must not get a public IPv4 address: reach them through a load balancer, Session "
                "Manager or a VPN, not from the internet.",
    severity=Severity.HIGH,
    anchors=("Security Hub EC2.9", "Security Hub EC2.25", "Security Hub AutoScaling.5", "CKV_AWS_88"),
    config={"exemptInstances": string_list(
        "Resource names (shell-style wildcards) that may have a public address: a bastion, say; give the reason "
        "next to the config.")},
)
def no_public_ip(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`associatePublicIpAddress` is not true on an instance, spot instance request or launch configuration, nor on a
    launch template's `networkInterfaces[]` or a spot fleet request's `launchSpecifications[]`; left out, the
    subnet's `mapPublicIpOnLaunch` decides, which `ec2-subnet-no-public-ip-on-launch` judges, but an instance or spot
    instance request with no `subnetId`,
    `networkInterfaces`, `primaryNetworkInterface` or `launchTemplate` launches into a default subnet of its region's
    default VPC, which AWS makes with `mapPublicIpOnLaunch` true, and must set it false (unless the stack adopts its
    zone's `DefaultSubnet` with `mapPublicIpOnLaunch` false); and no Elastic IP is put on a stack instance or spot
    instance: an `Eip`'s `instance` or an `EipAssociation`'s `instanceId` naming it, or their `networkInterface` /
    `networkInterfaceId` naming its primary network interface (`primaryNetworkInterfaceId`) or a stack
    NetworkInterface attached to it (by its `primaryNetworkInterface` or `networkInterfaces[]`, a
    NetworkInterfaceAttachment, or the interface's own `attachments[]`), reported on the Eip or association (knob
    `exemptInstances`, by the instance's resource name); unknown values are not judged"""
    exempt = config_list(args, "exemptInstances")
    for resource in of_type(args.resources, *LAUNCHERS, SPOT_FLEET_REQUEST):
        if not named_by([resource.name], exempt):
            for message in _public_launch(resource, args.resources):
                yield message, resource.urn
    for holder in of_type(args.resources, EIP, EIP_ASSOCIATION):
        for instance, prop, via in _addressed(holder, args.resources):
            if named_by([instance.name], exempt):
                continue
            yield (f"{type_name(holder)} {holder.name} puts an Elastic IP on {_NOUNS[instance.resource_type]} "
                   f"{instance.name} ({prop}{via}): the instance gets a public IPv4 address on the internet; reach "
                   "it through a load balancer, Session Manager or a VPN instead"), holder.urn


# Where a launch template and a spot fleet request list what they launch with, and who gets its address.
_LISTED_LAUNCHES = {LAUNCH_TEMPLATE: ("networkInterfaces", "every instance the template launches"),
                    SPOT_FLEET_REQUEST: ("launchSpecifications", "every instance the fleet launches from it")}


def _public_launch(resource: Any, resources: list) -> Iterator[str]:
    """Why what `resource` launches gets a public address, as far as its own settings tell."""
    props = resource.props
    if resource.resource_type in _LISTED_LAUNCHES:
        prop, who = _LISTED_LAUNCHES[resource.resource_type]
        for i, item in enumerate(peek_items(props, prop)):
            if is_map(item) and is_true(peek(item, "associatePublicIpAddress")):
                yield f"{prop}[{i}].associatePublicIpAddress is true: {who} gets a public address on the internet"
        return
    setting = peek(props, "associatePublicIpAddress")
    if is_true(setting):
        who = {INSTANCE: "the instance gets", SPOT_INSTANCE_REQUEST: "the spot instance gets"}.get(
            resource.resource_type, "every instance the launch configuration launches gets")
        yield f"associatePublicIpAddress is true: {who} a public address on the internet"
    elif (setting is None and resource.resource_type != LAUNCH_CONFIGURATION and _in_default_subnet(resource)
          and _default_subnet_public(resource, resources)):
        yield (f"{_NOUNS[resource.resource_type]} {resource.name} names no subnetId, network interface or "
               "launchTemplate: it launches into a default subnet of its region's default VPC, which AWS makes with "
               "mapPublicIpOnLaunch true, so it gets a public IPv4 address; give it a subnet of your own (subnetId), "
               "or set associatePublicIpAddress false")


def _in_default_subnet(resource: Any) -> bool:
    """Whether an instance or spot instance request is known to launch into a default subnet: it names no subnet, no
    network interface (`networkInterfaces`, or pulumi-aws 7's `primaryNetworkInterface`) and no launch template (none
    of them unknown)."""
    props = resource.props
    return (peek(props, "subnetId") in (None, "") and not peek_items(props, "networkInterfaces")
            and peek(props, "primaryNetworkInterface") is None and peek(props, "launchTemplate") is None)


def _default_subnet_public(resource: Any, resources: list) -> Optional[bool]:
    """Whether the default subnet an instance without one launches into gives it a public address: AWS makes each with
    mapPublicIpOnLaunch true, and the stack may adopt one (DefaultSubnet) and set it. False where the adopted subnet of
    the instance's known zone and region sets it false; None where an adopted one that does not map public addresses,
    or whose setting is unknown, may be the one (its account, region or zone unknown, or the instance names no zone:
    AWS picks one); else True."""
    zone = peek(resource.props, "availabilityZone")
    for subnet in of_type(resources, DEFAULT_SUBNET):
        region, theirs = same_place(subnet, resource), peek(subnet.props, "availabilityZone")
        if region is False or (isinstance(zone, str) and isinstance(theirs, str) and zone != theirs):
            continue  # another account's, region's or zone's
        public = gives_public_ips(subnet)
        if public:
            continue  # true, or left as AWS made it
        return False if region and public is False and isinstance(zone, str) and zone == theirs else None
    return True


# The outputs by which an Elastic IP names an instance or a spot request's instance, and its primary interface.
_INSTANCE_IDS = {INSTANCE: ("id",), SPOT_INSTANCE_REQUEST: ("spotInstanceId",)}
_ADDRESS_PROPS = {EIP: ("instance", "networkInterface"), EIP_ASSOCIATION: ("instanceId", "networkInterfaceId")}


def _addressed(holder: Any, resources: list) -> Iterator[tuple[Any, str, str]]:
    """The stack's instances and spot requests an Eip or EipAssociation puts its address on, each with the prop that
    names it first (the instance, its primary network interface, or a stack network interface attached to it) and
    how, for the message; one an unknown value may name is not among them."""
    seen = set()
    for prop, keys in zip(_ADDRESS_PROPS[holder.resource_type], (None, ("primaryNetworkInterfaceId",))):
        value = peek(holder.props, prop)
        if value is None:
            continue
        interfaces = [] if keys is None else referenced(holder, prop, [value], of_type(resources, NETWORK_INTERFACE),
                                                        ("id",), assigned=True)[0]
        for launcher_type, ids in _INSTANCE_IDS.items():
            found, _ = referenced(holder, prop, [value], of_type(resources, launcher_type), keys or ids,
                                  assigned=True)
            found = [(i, ", its primary network interface" if keys else "") for i in found]
            found += [(i, f", network interface {eni.name}, attached to it") for eni in interfaces
                      for i in of_type(resources, launcher_type) if _attached(eni, i, resources)]
            for instance, via in found:
                if instance.urn not in seen:
                    seen.add(instance.urn)
                    yield instance, prop, via


def _attached(interface: Any, launcher: Any, resources: list) -> bool:
    """Whether a stack NetworkInterface is surely attached to an instance or spot request: named by its
    `primaryNetworkInterface` or `networkInterfaces[]`, or attached to it by a NetworkInterfaceAttachment or by the
    interface's own `attachments[]`."""
    props, ids = launcher.props, _INSTANCE_IDS[launcher.resource_type]

    def names(holder: Any, prop: str, values: list, target: Any, keys: tuple, many: bool = False) -> bool:
        return refers_to(holder, prop, values, target, keys, assigned=True, many=many) is True

    return (names(launcher, "primaryNetworkInterface", [peek(props, "primaryNetworkInterface", "networkInterfaceId")],
                  interface, ("id",))
            or names(launcher, "networkInterfaces", [peek(i, "networkInterfaceId") for i in
                                                     peek_items(props, "networkInterfaces")], interface, ("id",), True)
            or names(interface, "attachments", [peek(a, "instance") for a in peek_items(interface.props,
                                                                                           "attachments")],
                     launcher, ids, True)
            or any(names(a, "networkInterfaceId", [peek(a.props, "networkInterfaceId")], interface, ("id",))
                   and names(a, "instanceId", [peek(a.props, "instanceId")], launcher, ids)
                   for a in of_type(resources, NETWORK_INTERFACE_ATTACHMENT)))


def _devices(resource: Any) -> Iterator[tuple[str, Any, Any]]:
    """(where, encrypted, snapshot id) of each EBS volume a resource makes."""
    props = resource.props
    if resource.resource_type == EBS_VOLUME:
        yield "", peek(props, "encrypted"), peek(props, "snapshotId")
    elif resource.resource_type == LAUNCH_TEMPLATE:
        if peek(props, "blockDeviceMappings") is None:  # its instances get the AMI's root volume, as an instance
            yield "the AMI's root volume (no blockDeviceMappings): ", None, None
        for i, mapping in enumerate(peek_items(props, "blockDeviceMappings")):
            ebs = peek(mapping, "ebs") if is_map(mapping) else UNKNOWN
            if ebs is UNKNOWN:
                yield f"blockDeviceMappings[{i}].ebs.", UNKNOWN, None
            elif is_map(ebs):
                yield f"blockDeviceMappings[{i}].ebs.", peek(ebs, "encrypted"), peek(ebs, "snapshotId")
    else:
        root = peek(props, "rootBlockDevice")
        if is_map(root) or root is None:  # an instance always has its root volume
            yield "rootBlockDevice.", peek(root, "encrypted") if is_map(root) else None, None
        elif root is UNKNOWN:
            yield "rootBlockDevice.", UNKNOWN, None
        for i, device in enumerate(peek_items(props, "ebsBlockDevices")):
            yield (f"ebsBlockDevices[{i}].", *((peek(device, "encrypted"), peek(device, "snapshotId"))
                                               if is_map(device) else (UNKNOWN, None)))


@stack_policy(
    "ec2-ebs-encrypted", (*LAUNCHERS, EBS_VOLUME, EBS_ENCRYPTION_BY_DEFAULT),
    description="EBS volumes must be encrypted: a volume's data, and the snapshots made of it, are otherwise stored "
                "in plain text.",
    severity=Severity.HIGH,
    anchors=("Security Hub EC2.3", "CKV_AWS_3", "CKV_AWS_8"),
)
def ebs_encrypted(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """each EBS volume, and each volume an instance, spot instance request, launch template or launch configuration
    makes (its root and other block devices; a root volume left out, an instance's `rootBlockDevice` or a template
    without `blockDeviceMappings`, is the AMI's, unencrypted unless the AMI's snapshot is; a template's mappings name
    devices, not roles, so one that maps other volumes only is taken as covering the root), has `encrypted` true, or
    the stack enables its account's and region's EncryptionByDefault (`enabled`, true by default); a volume left unset
    from a snapshot takes the snapshot's encryption, and an instance from a launch template the template's; unknown
    values are not judged"""
    for resource in of_type(args.resources, *LAUNCHERS, EBS_VOLUME):
        by_default = _account_default(args.resources, resource, EBS_ENCRYPTION_BY_DEFAULT,
                                      lambda props: None if peek(props, "enabled") is UNKNOWN else
                                      not is_false(peek(props, "enabled")))
        if by_default is not False:
            continue
        for where, encrypted, snapshot in _devices(resource):
            if encrypted is UNKNOWN or is_true(encrypted):
                continue
            if encrypted is None and (snapshot is UNKNOWN or has_text(snapshot) or _from_template(resource)):
                continue
            state = "false" if encrypted is not None else "unset"
            yield (f"{_NOUNS[resource.resource_type]} {resource.name}: {where}encrypted is {state}, and the stack "
                   "does not turn on its account's and region's EBS encryption by default; set encrypted true (or "
                   "add an aws.ebs.EncryptionByDefault)"), resource.urn
