"""EC2 instance and EBS guardrails against tests/programs/policy_ec2_instances (raw instances, launch templates, a
launch configuration, Auto Scaling groups, EBS volumes and a region's account defaults)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_ec2_instances"
M, A = "mandatory", "advisory"
IMDS, PUBLIC, EBS = "ec2-instance-imdsv2", "ec2-instance-no-public-ip", "ec2-ebs-encrypted"
TEMPLATE, HEALTH = "ec2-autoscaling-group-launch-template", "ec2-autoscaling-group-elb-health-check"
ZONES, TYPES = "ec2-autoscaling-group-multiple-azs", "ec2-autoscaling-group-multiple-instance-types"
AMI, BPA = "ec2-ami-not-public", "ec2-block-public-access-not-unblocked"
ONE_TYPE = ("the group launches one instance type ({}): when EC2 has no capacity of it in a zone, the group cannot "
            "launch there; list two or more instanceTypes in mixedInstancesPolicy.launchTemplate.overrides, or "
            "instanceRequirements (attribute-based instance type selection)")
NO_POLICY = "it has no mixedInstancesPolicy, so every instance takes its launch template's or configuration's type"
ONE_ZONE = ("launches into one Availability Zone ({}): if that zone fails, it cannot launch its instances in "
            "another; give it subnets (vpcZoneIdentifiers) in two or more Availability Zones")
CONFIG = {PUBLIC: {"exemptInstances": ["bastion"]}}

FAILING = [
    Finding(IMDS, "bare", M, "instance bare leaves metadataOptions.httpTokens out: EC2 then takes IMDSv1 calls unless "
                             "the AMI or the account's default requires tokens; set httpTokens required"),
    Finding(IMDS, "imdsv1", M, "instance imdsv1 has metadataOptions.httpTokens optional: any process or forged "
                               "request on the instance reads its role's credentials without a token"),
    Finding(IMDS, "loose-workers", M, "launch template loose-workers has metadataOptions.httpTokens optional"),
    Finding(PUBLIC, "public", M, "associatePublicIpAddress is true: the instance gets a public address on the "
                                 "internet"),
    Finding(PUBLIC, "loose-workers", M, "networkInterfaces[0].associatePublicIpAddress is true: every instance the "
                                        "template launches gets a public address"),
    # No subnet: EC2 picks a default subnet of the default VPC, which AWS makes with mapPublicIpOnLaunch true.
    Finding(PUBLIC, "default-subnet", M, "instance default-subnet names no subnetId, network interface or "
                                         "launchTemplate: it launches into a default subnet of its region's default "
                                         "VPC, which AWS makes with mapPublicIpOnLaunch true, so it gets a public IPv4 "
                                         "address; give it a subnet of your own (subnetId), or set "
                                         "associatePublicIpAddress false"),
    # An Elastic IP is the instance's public address (Security Hub EC2.9 reads the instance's publicIp).
    Finding(PUBLIC, "elastic-eip", M, "Eip elastic-eip puts an Elastic IP on instance elastic (instance): the "
                                      "instance gets a public IPv4 address on the internet"),
    Finding(PUBLIC, "associated-eip", M, "EipAssociation associated-eip puts an Elastic IP on instance associated "
                                         "(instanceId): the instance gets a public IPv4 address"),
    Finding(PUBLIC, "interface-eip", M, "Eip interface-eip puts an Elastic IP on instance interface "
                                        "(networkInterface, its primary network interface)"),
    # A network interface of the stack attached to the instance: as its primary one, by an attachment, or by itself.
    Finding(PUBLIC, "primary-eni-eip", M, "Eip primary-eni-eip puts an Elastic IP on instance eni-primary "
                                          "(networkInterface, network interface primary-eni, attached to it)"),
    Finding(PUBLIC, "primary-eni-association", M, "EipAssociation primary-eni-association puts an Elastic IP on "
                                                  "instance eni-primary (networkInterfaceId, network interface "
                                                  "primary-eni, attached to it)"),
    Finding(PUBLIC, "second-eni-eip", M, "Eip second-eni-eip puts an Elastic IP on instance eni-attached "
                                         "(networkInterface, network interface second-eni, attached to it)"),
    Finding(PUBLIC, "third-eni-eip", M, "Eip third-eni-eip puts an Elastic IP on instance eni-inline "
                                        "(networkInterface, network interface third-eni, attached to it)"),
    Finding(EBS, "bare", M, "instance bare: rootBlockDevice.encrypted is unset, and the stack does not turn on its "
                            "account's and region's EBS encryption by default"),
    Finding(EBS, "plain-data", M, "instance plain-data: ebsBlockDevices[0].encrypted is false"),
    Finding(EBS, "loose-workers", M, "launch template loose-workers: blockDeviceMappings[0].ebs.encrypted is false"),
    Finding(EBS, "plain-volume", M, "EBS volume plain-volume: encrypted is unset"),
    # A template that maps no volume gives its instances the AMI's root volume, as an instance without one does.
    Finding(EBS, "ami-root-workers", M, "launch template ami-root-workers: the AMI's root volume (no "
                                        "blockDeviceMappings): encrypted is unset"),
    # Its launch configuration's name is unknown in a first preview, but the provider takes nothing else then.
    Finding(TEMPLATE, "legacy-group", M, "launchConfiguration is set: the group launches from a launch configuration, "
                                         "which AWS has deprecated (no instance types released since 2023, none of "
                                         "the newer EC2 features, and accounts made since October 2024 cannot create "
                                         "one); launch from a launchTemplate or a mixedInstancesPolicy instead"),
    Finding(HEALTH, "unchecked-group", A, "Auto Scaling group unchecked-group has a load balancer (targetGroupArns) "
                                          "but healthCheckType unset (EC2): it replaces an instance only when EC2's "
                                          "status checks fail, and keeps one the load balancer takes out of service; "
                                          "add ELB to healthCheckType"),
    Finding(HEALTH, "attached-group", A, "Auto Scaling group attached-group has a load balancer (Attachment "
                                         "attached-group-workers) but healthCheckType EC2"),
    # A subnet is in one zone, whichever it is; two subnets of the stack are judged by their zones.
    Finding(ZONES, "one-subnet-group", A, "Auto Scaling group one-subnet-group " + ONE_ZONE.format(
        "vpcZoneIdentifiers names one subnet")),
    Finding(ZONES, "one-zone-group", A, "Auto Scaling group one-zone-group " + ONE_ZONE.format(
        "vpcZoneIdentifiers names 2 subnets, all in us-east-1a")),
    # A launch configuration or template alone names one instance type; so does a mixed instances policy's one override.
    Finding(TYPES, "legacy-group", A, ONE_TYPE.format(NO_POLICY)),
    Finding(TYPES, "template-group", A, ONE_TYPE.format(NO_POLICY)),
    Finding(TYPES, "one-type-group", A, ONE_TYPE.format(
        "mixedInstancesPolicy.launchTemplate.overrides name one instanceType (t4g.small)")),
    Finding(AMI, "public-ami", M, "group is all: the AMI is public, and any AWS account can launch instances of it and "
                                  "read what its volumes hold; grant launch permissions to accounts (accountId), an "
                                  "organization (organizationArn) or an OU (organizationalUnitArn) instead"),
    Finding(AMI, "public-distribution", M,
            "a distribution's amiDistributionConfiguration.launchPermission.userGroups has all: every AMI it "
            "distributes is public, and any AWS account can launch instances of it and read what its volumes hold; "
            "grant launch permissions to accounts (userIds), an organization (organizationArns) or an OU "
            "(organizationalUnitArns) instead"),
    Finding(BPA, "open-images", M, "state is unblocked: block public access for the account's AMIs in the region is "
                                   "off, so any of them can be made public (a launch permission for the all group, "
                                   "or an Image Builder distribution whose launchPermission.userGroups has all); set "
                                   "block-new-sharing"),
    Finding(BPA, "open-snapshots", M, "state is unblocked: block public access for the account's EBS snapshots in the "
                                      "region is off, so any unencrypted one can be made public (a create volume "
                                      "permission for the all group), and those already shared publicly that "
                                      "block-all-sharing kept private become public again; set block-all-sharing"),
]
PASSING = [
    *((policy, "app") for policy in (IMDS, PUBLIC, EBS)),
    (IMDS, "no-endpoint"), (PUBLIC, "bastion"), (IMDS, "workers"), (EBS, "workers"), (PUBLIC, "workers"),
    # The exempt bastion's Elastic IP, one on no instance, and an instance in a default subnet that asks for no address.
    (PUBLIC, "bastion-eip"), (PUBLIC, "spare-eip"), (PUBLIC, "default-subnet-private"),
    (PUBLIC, "loose-eni-eip"), (PUBLIC, "eni-primary"),  # an interface on no instance; one with no address of its own
    # The instances the Elastic IPs are on: the finding is the Elastic IP's.
    (PUBLIC, "elastic"), (PUBLIC, "associated"), (PUBLIC, "interface"),
    # From a launch template, a snapshot, or the region's account defaults.
    (IMDS, "from-template"), (EBS, "from-template"), (EBS, "restored-volume"), (EBS, "data"),
    (IMDS, "ireland-app"), (EBS, "ireland-app"), (EBS, "ireland-volume"),
    (IMDS, "legacy-workers"), (EBS, "legacy-workers"), (PUBLIC, "legacy-workers"), (IMDS, "ami-root-workers"),
    (TEMPLATE, "template-group"), (TEMPLATE, "mixed-group"),
    (HEALTH, "checked-group"), (HEALTH, "lattice-group"), (HEALTH, "template-group"), (HEALTH, "legacy-group"),
    (ZONES, "two-zone-group"), (ZONES, "listed-zone-group"), (TYPES, "mixed-group"), (TYPES, "attribute-group"),
    (AMI, "shared-ami"), (AMI, "org-ami"), (AMI, "org-distribution"),  # an account's, an organization's
    (BPA, "ireland-images"), (BPA, "ireland-snapshots"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


INSTANCE = "aws:ec2/instance:Instance"


@pytest.mark.parametrize("defaults, reported", [
    ({"httpTokens": "required"}, False), ({"httpTokens": "no-preference"}, True), ({"httpTokens": UNKNOWN}, False),
    (None, True)])
def test_a_left_out_token_setting_is_the_region_s_account_default(defaults, reported):
    resources = [Res(INSTANCE, "app", {"ami": "ami-1", "instanceType": "t4g.small", "rootBlockDevice": {
        "encrypted": True}, "tags": DEFAULT_TAGS})]
    if defaults is not None:
        resources.append(Res("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "defaults", defaults))
    found = policies_found(resources)
    assert (IMDS in found) == reported, found


@pytest.mark.parametrize("enabled, reported", [(None, False), (True, False), (False, True), (UNKNOWN, False)])
def test_ebs_encryption_by_default_covers_a_volume_left_unencrypted(enabled, reported):
    # Once the account encrypts by default, EC2 encrypts every new volume, one that says encrypted false too.
    volume = Res("aws:ebs/volume:Volume", "plain", {"availabilityZone": "us-east-1a", "size": 10, "encrypted": False,
                                                    "tags": DEFAULT_TAGS})
    default = Res("aws:ebs/encryptionByDefault:EncryptionByDefault", "default",
                  {} if enabled is None else {"enabled": enabled})
    found = policies_found([volume, default])
    assert (EBS in found) == reported, found


@pytest.mark.parametrize("props, reported", [
    ({"group": "all"}, True), ({"accountId": "111122223333"}, False), ({"group": UNKNOWN}, False),
    ({"organizationalUnitArn": "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij"}, False)])
def test_a_launch_permission_for_the_all_group_makes_the_ami_public(props, reported):
    permission = Res("aws:ec2/amiLaunchPermission:AmiLaunchPermission", "permission", {"imageId": "ami-1", **props})
    assert (AMI in policies_found([permission])) == reported


@pytest.mark.parametrize("launch_permission, reported", [
    ({"userGroups": ["all"]}, True), ({"userGroups": ["all"], "userIds": ["111122223333"]}, True),
    ({"userIds": ["111122223333"]}, False), ({"userGroups": UNKNOWN}, False), ({"userGroups": [UNKNOWN]}, False),
    (None, False)])
def test_an_image_builder_distribution_to_the_all_group_makes_its_amis_public(launch_permission, reported):
    """Image Builder's userGroups: "The only supported value is all, which makes the distributed AMI public"."""
    ami = {} if launch_permission is None else {"launchPermission": launch_permission}
    distributions = [{"region": "eu-west-1"}, {"region": "us-east-1", "amiDistributionConfiguration": ami}]
    distribution = Res("aws:imagebuilder/distributionConfiguration:DistributionConfiguration", "distribution",
                       {"name": "distribution", "distributions": distributions})
    assert (AMI in policies_found([distribution])) == reported


@pytest.mark.parametrize("resource_type, state, reported", [
    ("aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess", "unblocked", True),
    ("aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess", "block-new-sharing", False),
    ("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", "unblocked", True),
    # Leaves snapshots already public as they are (Config's rule asks for block-all-sharing), but blocks new sharing.
    ("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", "block-new-sharing", False),
    ("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", "block-all-sharing", False),
    ("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", UNKNOWN, False)])
def test_block_public_access_for_amis_and_snapshots_is_not_turned_off(resource_type, state, reported):
    assert (BPA in policies_found([Res(resource_type, "setting", {"state": state})])) == reported


SPOT = "aws:ec2/spotInstanceRequest:SpotInstanceRequest"
DEFAULT_SUBNET = "aws:ec2/defaultSubnet:DefaultSubnet"
EIP, EIP_ASSOCIATION = "aws:ec2/eip:Eip", "aws:ec2/eipAssociation:EipAssociation"


def _public(resources: list, exempt: tuple = ()) -> set[str]:
    """The resources `ec2-instance-no-public-ip` reports."""
    return {name for policy, name, _ in findings(analyze(resources, {"all": "mandatory", PUBLIC: {
        "exemptInstances": list(exempt)}})) if policy == PUBLIC}


def _instance(name: str = "app", resource_type: str = INSTANCE, **props) -> Res:
    return Res(resource_type, name, {"ami": "ami-1", "instanceType": "t4g.small", "metadataOptions": {
        "httpTokens": "required"}, "rootBlockDevice": {"encrypted": True}, "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("resource_type, props, reported", [
    (INSTANCE, {}, True), (SPOT, {}, True), (INSTANCE, {"subnetId": ""}, True),
    (INSTANCE, {"associatePublicIpAddress": False}, False), (SPOT, {"associatePublicIpAddress": "false"}, False),
    (INSTANCE, {"subnetId": "subnet-1"}, False), (INSTANCE, {"launchTemplate": {"id": "lt-1"}}, False),
    (INSTANCE, {"networkInterfaces": [{"networkInterfaceId": "eni-1", "deviceIndex": 0}]}, False),
    (INSTANCE, {"primaryNetworkInterface": {"networkInterfaceId": "eni-1"}}, False),
    (INSTANCE, {"primaryNetworkInterface": UNKNOWN}, False),
    # Unknown until the update: the subnet, interfaces or template may be the program's own, the setting false.
    (INSTANCE, {"associatePublicIpAddress": UNKNOWN}, False), (INSTANCE, {"subnetId": UNKNOWN}, False),
    (INSTANCE, {"networkInterfaces": UNKNOWN}, False), (INSTANCE, {"launchTemplate": UNKNOWN}, False)])
def test_an_instance_without_a_subnet_gets_the_default_subnet_s_public_address(resource_type, props, reported):
    assert _public([_instance(resource_type=resource_type, **props)]) == ({"app"} if reported else set())


@pytest.mark.parametrize("zone, subnet, reported", [
    ("us-east-1a", {"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": False}, False),
    ("us-east-1b", {"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": False}, True),
    # Adopted, but left as AWS made it, or set true.
    ("us-east-1a", {"availabilityZone": "us-east-1a"}, True),
    ("us-east-1a", {"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": True}, True),
    # AWS picks the zone of an instance that names none: it may be the adopted subnet's.
    (None, {"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": False}, False),
    (UNKNOWN, {"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": False}, False),
    ("us-east-1a", {"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": UNKNOWN}, False),
    # Another region's default subnet is not the instance's.
    ("us-east-1a", {"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": False, "region": "eu-west-1"}, True)])
def test_an_adopted_default_subnet_decides_for_an_instance_of_its_zone(zone, subnet, reported):
    instance = _instance(region="us-east-1", **({} if zone is None else {"availabilityZone": zone}))
    adopted = Res(DEFAULT_SUBNET, "default-a", {"region": "us-east-1", "tags": DEFAULT_TAGS, **subnet})
    assert _public([instance, adopted]) == ({"app"} if reported else set())


@pytest.mark.parametrize("holder, exempt, reported", [
    (Res(EIP, "eip", {"instance": "app-id", "domain": "vpc"}, {"instance": ["app"]}), (), True),
    (Res(EIP, "eip", {"instance": "app-id", "domain": "vpc"}, {"instance": ["app"]}), ("ap*",), False),
    (Res(EIP_ASSOCIATION, "eip", {"instanceId": "app-id", "allocationId": "eipalloc-1"}, {"instanceId": ["app"]}),
     (), True),
    (Res(EIP_ASSOCIATION, "eip", {"networkInterfaceId": "eni-app", "allocationId": "eipalloc-1"},
         {"networkInterfaceId": ["app"]}), (), True),
    (Res(EIP, "eip", {"networkInterface": "eni-app", "domain": "vpc"}), (), True),
    (Res(EIP, "eip", {"instance": "spot-instance", "domain": "vpc"}, {"instance": ["spot"]}), (), True),
    # Another stack's instance, or an interface that is not an instance's primary one.
    (Res(EIP, "eip", {"instance": "i-0123456789abcdef0", "domain": "vpc"}), (), False),
    (Res(EIP, "eip", {"networkInterface": "eni-other", "domain": "vpc"}), (), False),
    # Unknown until the update: from another stack, or one of two instances.
    (Res(EIP, "eip", {"instance": UNKNOWN, "domain": "vpc"}), (), False),
    (Res(EIP, "eip", {"instance": UNKNOWN, "domain": "vpc"}, {"instance": ["app", "other"]}), (), False)])
def test_an_elastic_ip_on_a_stack_instance_is_its_public_address(holder, exempt, reported):
    resources = [_instance(subnetId="subnet-1", id="app-id", primaryNetworkInterfaceId="eni-app"),
                 _instance("other", subnetId="subnet-1", id="other-id"),
                 _instance("spot", SPOT, subnetId="subnet-1", spotInstanceId="spot-instance"), holder]
    assert _public(resources, exempt) == ({"eip"} if reported else set())


SPOT_FLEET = "aws:ec2/spotFleetRequest:SpotFleetRequest"
FLEET_SPEC = {"ami": "ami-1", "instanceType": "t4g.small", "subnetId": "subnet-1"}
FLEET_TEMPLATE = [{"launchTemplateSpecification": {"id": "lt-1", "version": "1"}}]


def _fleet(resources: list, policy: str, exempt: tuple = ()) -> set[str]:
    """What `policy` says of the spot fleet request `fleet` (its messages)."""
    config = {"all": "mandatory", PUBLIC: {"exemptInstances": list(exempt)}}
    return {message for found, name, message in findings(analyze(resources, config))
            if found == policy and name == "fleet"}


@pytest.mark.parametrize("props, defaults, reported", [
    ({"launchSpecifications": [FLEET_SPEC]}, None, True),
    ({"launchSpecifications": [FLEET_SPEC, UNKNOWN]}, None, True),
    ({"launchSpecifications": [FLEET_SPEC]}, {"httpTokens": "optional"}, True),
    # The account's default requires tokens of what leaves them out; a template is judged on its own.
    ({"launchSpecifications": [FLEET_SPEC]}, {"httpTokens": "required"}, False),
    ({"launchTemplateConfigs": FLEET_TEMPLATE}, None, False),
    # Unknown until the update: the list may be empty, the default may require tokens.
    ({"launchSpecifications": UNKNOWN}, None, False),
    ({"launchSpecifications": [FLEET_SPEC]}, {"httpTokens": UNKNOWN}, False)])
def test_a_spot_fleet_s_launch_specifications_cannot_require_tokens(props, defaults, reported):
    resources = [Res(SPOT_FLEET, "fleet", {"iamFleetRole": "arn:aws:iam::123456789012:role/fleet",
                                           "targetCapacity": 1, "tags": DEFAULT_TAGS, **props})]
    if defaults is not None:
        resources.append(Res("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "defaults", defaults))
    expected = {"spot fleet request fleet launches from launchSpecifications, which take no metadata options: EC2 "
                "then takes IMDSv1 calls unless the AMI or the account's default requires tokens; launch from "
                "launchTemplateConfigs with a template whose httpTokens is required"}
    assert _fleet(resources, IMDS) == (expected if reported else set())


@pytest.mark.parametrize("specs, exempt, reported", [
    ([FLEET_SPEC, {**FLEET_SPEC, "associatePublicIpAddress": True}], (), [1]),
    ([{**FLEET_SPEC, "associatePublicIpAddress": True}] * 2, (), [0, 1]),
    ([{**FLEET_SPEC, "associatePublicIpAddress": True}], ("fleet",), []),
    ([FLEET_SPEC, {**FLEET_SPEC, "associatePublicIpAddress": False}], (), []),
    ([{**FLEET_SPEC, "associatePublicIpAddress": UNKNOWN}, UNKNOWN], (), []), (UNKNOWN, (), [])])
def test_a_spot_fleet_s_launch_specification_asks_for_no_public_address(specs, exempt, reported):
    resources = [Res(SPOT_FLEET, "fleet", {"iamFleetRole": "arn:aws:iam::123456789012:role/fleet",
                                           "targetCapacity": 1, "launchSpecifications": specs,
                                           "tags": DEFAULT_TAGS})]
    assert _fleet(resources, PUBLIC, exempt) == {
        f"launchSpecifications[{i}].associatePublicIpAddress is true: every instance the fleet launches from it gets "
        "a public address on the internet" for i in reported}


GROUP = "aws:autoscaling/group:Group"
AUTOSCALING_ATTACHMENT = "aws:autoscaling/attachment:Attachment"
AUTOSCALING_TRAFFIC_SOURCE = "aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment"


@pytest.mark.parametrize("props, reported", [
    ({"launchConfiguration": "legacy"}, True), ({"launchConfiguration": UNKNOWN}, True),
    ({"launchTemplate": {"id": "lt-1"}}, False), ({"launchConfiguration": "", "launchTemplate": {"id": "lt-1"}}, False),
    # Beside a launch template it is empty at the update: the provider takes exactly one of them.
    ({"launchConfiguration": UNKNOWN, "launchTemplate": {"id": "lt-1"}}, False),
    ({"launchConfiguration": UNKNOWN, "mixedInstancesPolicy": UNKNOWN}, False)])
def test_an_auto_scaling_group_launches_from_a_launch_template(props, reported):
    group = Res(GROUP, "group", {"minSize": 0, "maxSize": 2, "vpcZoneIdentifiers": ["subnet-1"], **props})
    found = policies_found([group])
    assert (TEMPLATE in found) == reported, found


TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/workers/0123456789abcdef"
LATTICE = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0"


@pytest.mark.parametrize("props, attachment, reported", [
    ({"loadBalancers": ["workers-clb"]}, None, True), ({"targetGroupArns": [UNKNOWN]}, None, True),
    ({"trafficSources": [{"identifier": TARGET_GROUP, "type": "elbv2"}]}, None, True),
    ({"trafficSources": [{"identifier": TARGET_GROUP}]}, None, True),
    # Without a type, an identifier is an ARN: a Classic Load Balancer's name needs type elb (AWS refuses it).
    ({"trafficSources": [{"identifier": "workers-clb"}]}, None, False),
    ({"trafficSources": [{"identifier": LATTICE}]}, None, False),
    ({"trafficSources": [{"identifier": LATTICE, "type": UNKNOWN}]}, None, False),
    # ELB among the health check types, or the types unknown until the update.
    ({"targetGroupArns": [TARGET_GROUP], "healthCheckType": "EBS, ELB"}, None, False),
    ({"targetGroupArns": [TARGET_GROUP], "healthCheckType": UNKNOWN}, None, False),
    ({"targetGroupArns": [TARGET_GROUP], "healthCheckType": "VPC_LATTICE"}, None, True),
    # A list unknown until the update may be empty.
    ({"targetGroupArns": UNKNOWN}, None, False), ({}, None, False),
    # Attached by a resource of its own, by name; or by one whose group is not known yet.
    ({}, {"autoscalingGroupName": "workers", "elb": "workers-clb"}, True),
    # Its target group's ARN unknown until the update: an Attachment attaches one all the same.
    ({"healthCheckType": "EC2"}, {"autoscalingGroupName": "workers", "lbTargetGroupArn": UNKNOWN}, True),
    ({}, (AUTOSCALING_TRAFFIC_SOURCE, {"autoscalingGroupName": "workers", "trafficSource": {
        "identifier": TARGET_GROUP, "type": "elbv2"}}), True),
    ({}, (AUTOSCALING_TRAFFIC_SOURCE, {"autoscalingGroupName": "workers", "trafficSource": {
        "identifier": LATTICE, "type": "vpc-lattice"}}), False),
    ({}, {"autoscalingGroupName": "others", "elb": "workers-clb"}, False),
    # Its id, unknown in a first preview, is its name: an attachment naming another group by name names another.
    ({"id": UNKNOWN, "loadBalancers": ["workers-clb"]}, {"autoscalingGroupName": "others", "elb": "other-clb"}, True),
    ({}, {"autoscalingGroupName": UNKNOWN, "elb": "workers-clb"}, False),
    # Its own load balancer is known, but the message waits to name every one.
    ({"targetGroupArns": [TARGET_GROUP]}, {"autoscalingGroupName": UNKNOWN, "elb": "workers-clb"}, False)])
def test_a_group_behind_a_load_balancer_uses_its_health_checks(props, attachment, reported):
    resources = [Res(GROUP, "group", {"name": "workers", "minSize": 0, "maxSize": 2, "launchTemplate": {"id": "lt-1"},
                                      **props})]
    if attachment is not None:
        kind, settings = attachment if isinstance(attachment, tuple) else (AUTOSCALING_ATTACHMENT, attachment)
        resources.append(Res(kind, "attachment", settings))
    found = policies_found(resources)
    assert (HEALTH in found) == reported, found


SUBNET = "aws:ec2/subnet:Subnet"
ZONE_A = Res(SUBNET, "a", {"id": "subnet-a", "availabilityZone": "us-east-1a"})
ZONE_B = Res(SUBNET, "b", {"id": "subnet-b", "availabilityZone": "us-east-1b"})
ZONE_A2 = Res(SUBNET, "a2", {"id": "subnet-a2", "availabilityZone": "us-east-1a"})
ID_A = Res(SUBNET, "id-a", {"id": "subnet-id-a", "availabilityZoneId": "use1-az1"})
PICKED = Res(SUBNET, "picked", {"id": "subnet-picked"})  # EC2 picks its zone


@pytest.mark.parametrize("props, refs, reported", [
    # One subnet or zone is one zone, whatever it is, known or not.
    ({"vpcZoneIdentifiers": ["subnet-elsewhere"]}, {}, True),
    ({"vpcZoneIdentifiers": [UNKNOWN]}, {"vpcZoneIdentifiers": ["a"]}, True),
    # One item unknown until the update, made from two subnets or from elsewhere, may join several ids with commas.
    ({"vpcZoneIdentifiers": [UNKNOWN]}, {"vpcZoneIdentifiers": ["a", "b"]}, False),
    ({"vpcZoneIdentifiers": [UNKNOWN]}, {}, False),
    ({"availabilityZones": ["us-east-1a"]}, {}, True), ({"vpcZoneIdentifiers": ["subnet-a, subnet-a"]}, {}, True),
    # Subnets of the stack, by their zones' names or ids, named by id or made from them.
    ({"vpcZoneIdentifiers": ["subnet-a", "subnet-a2"]}, {}, True),
    ({"vpcZoneIdentifiers": ["subnet-a,subnet-a2"]}, {}, True),
    ({"vpcZoneIdentifiers": [UNKNOWN, UNKNOWN]}, {"vpcZoneIdentifiers": ["a", "a2"]}, True),
    ({"vpcZoneIdentifiers": ["subnet-a", "subnet-b"]}, {}, False),
    ({"vpcZoneIdentifiers": [UNKNOWN, UNKNOWN]}, {"vpcZoneIdentifiers": ["a", "b"]}, False),
    ({"availabilityZones": ["us-east-1a", "us-east-1b"]}, {}, False),
    # Zones not shown: a subnet made elsewhere, one whose zone EC2 picks, a name beside an id; unknown values.
    ({"vpcZoneIdentifiers": ["subnet-a", "subnet-elsewhere"]}, {}, False),
    ({"vpcZoneIdentifiers": ["subnet-a", "subnet-picked"]}, {}, False),
    ({"vpcZoneIdentifiers": ["subnet-a", "subnet-id-a"]}, {}, False),
    ({"vpcZoneIdentifiers": UNKNOWN}, {}, False), ({"availabilityZones": ["us-east-1a", UNKNOWN]}, {}, False),
    ({"vpcZoneIdentifiers": ["subnet-a", UNKNOWN]}, {}, False), ({}, {}, False)])
def test_a_group_launches_into_two_or_more_availability_zones(props, refs, reported):
    group = Res(GROUP, "group", {"minSize": 0, "maxSize": 2, "launchTemplate": {"id": "lt-1"}, **props}, refs)
    found = policies_found([group, ZONE_A, ZONE_B, ZONE_A2, ID_A, PICKED])
    assert (ZONES in found) == reported, found


ONE_OVERRIDE = [{"instanceType": "t4g.small"}]
REQUIREMENTS = {"vcpuCount": {"min": 2}, "memoryMib": {"min": 4096}}


@pytest.mark.parametrize("props, reported", [
    ({"launchTemplate": {"id": "lt-1"}}, True), ({"launchConfiguration": "legacy"}, True),
    ({"mixedInstancesPolicy": {"launchTemplate": {}}}, True),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": ONE_OVERRIDE}}}, True),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": ONE_OVERRIDE * 2}}}, True),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": [*ONE_OVERRIDE, {"instanceType": "t4g.medium"}]}}},
     False),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": [{"instanceRequirements": REQUIREMENTS}]}}}, False),
    # Unknown until the update: the policy, its overrides, an override, a type or requirements.
    ({"mixedInstancesPolicy": UNKNOWN}, False), ({"mixedInstancesPolicy": {"launchTemplate": UNKNOWN}}, False),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": UNKNOWN}}}, False),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": [*ONE_OVERRIDE, UNKNOWN]}}}, False),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": [*ONE_OVERRIDE, {"instanceType": UNKNOWN}]}}}, False),
    ({"mixedInstancesPolicy": {"launchTemplate": {"overrides": [{"instanceRequirements": UNKNOWN}]}}}, False)])
def test_a_group_can_launch_more_than_one_instance_type(props, reported):
    group = Res(GROUP, "group", {"minSize": 0, "maxSize": 2, "availabilityZones": ["us-east-1a", "us-east-1b"],
                                 **props})
    report = analyze([group], {"all": "mandatory"})
    found = {policy for policy, _, _ in findings(report)}
    assert (TYPES in found) == reported, found
    assert TYPES not in {v.policy for v in report.not_run}  # judged around unknown values, never left unrun
