"""Raw EC2 instances, launch templates, a launch configuration, Auto Scaling groups and EBS volumes: IMDSv2, private,
encrypted ones; ones that take IMDSv1 calls, get public addresses (asked for, from a default subnet, or an Elastic IP)
or leave volumes unencrypted; groups that launch from a launch configuration, ignore their load balancer's health
checks, or launch into one Availability Zone or one instance type; what takes its settings elsewhere (a launch
template, a snapshot, the region's account defaults); AMI launch permissions, one for everyone; and block public
access for AMIs and EBS snapshots, off in us-east-1."""
import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
AMI = "ami-0123456789abcdef0"
SUBNET = "subnet-0123456789abcdef0"  # a private subnet of the team's own VPC
SAFE = dict(subnet_id=SUBNET, metadata_options={"http_tokens": "required"}, root_block_device={"encrypted": True},
            tags=TAGS)


def instance(name, **settings):
    return aws.ec2.Instance(name, ami=AMI, instance_type="t4g.small", **{**SAFE, **settings})


instance("app")
instance("imdsv1", metadata_options={"http_tokens": "optional"})
instance("bare", metadata_options=None, root_block_device=None)
instance("public", associate_public_ip_address=True)
bastion = instance("bastion", associate_public_ip_address=True)  # exempt by the policy config
aws.ec2.Eip("bastion-eip", instance=bastion.id, domain="vpc", tags=TAGS)
# No subnet: a default subnet of the region's default VPC, which gives a public address unless the instance says no.
instance("default-subnet", subnet_id=None)
instance("default-subnet-private", subnet_id=None, associate_public_ip_address=False)
# Elastic IPs: on the instance, through an association, on its primary network interface; and one kept unattached.
aws.ec2.Eip("elastic-eip", instance=instance("elastic").id, domain="vpc", tags=TAGS)
spare = aws.ec2.Eip("spare-eip", domain="vpc", tags=TAGS)
aws.ec2.EipAssociation("associated-eip", instance_id=instance("associated").id, allocation_id=spare.id)
aws.ec2.Eip("interface-eip", network_interface=instance("interface").primary_network_interface_id, domain="vpc",
            tags=TAGS)
# Elastic IPs on network interfaces of the stack attached to instances: as the primary one, by an attachment, by the
# interface's own attachments; and on an interface attached to no instance.
primary = aws.ec2.NetworkInterface("primary-eni", subnet_id=SUBNET, tags=TAGS)
aws.ec2.Eip("primary-eni-eip", network_interface=primary.id, domain="vpc", tags=TAGS)
aws.ec2.EipAssociation("primary-eni-association", network_interface_id=primary.id, allocation_id=spare.id)
settings = {**SAFE, "subnet_id": None}
instance("eni-primary", **{**settings, "primary_network_interface": {"network_interface_id": primary.id}})
second = aws.ec2.NetworkInterface("second-eni", subnet_id=SUBNET, tags=TAGS)
aws.ec2.NetworkInterfaceAttachment("second-eni-attachment", instance_id=instance("eni-attached").id,
                                   network_interface_id=second.id, device_index=1)
aws.ec2.Eip("second-eni-eip", network_interface=second.id, domain="vpc", tags=TAGS)
third = aws.ec2.NetworkInterface("third-eni", subnet_id=SUBNET, tags=TAGS,
                                 attachments=[{"instance": instance("eni-inline").id, "device_index": 1}])
aws.ec2.Eip("third-eni-eip", network_interface=third.id, domain="vpc", tags=TAGS)
loose = aws.ec2.NetworkInterface("loose-eni", subnet_id=SUBNET, tags=TAGS)
aws.ec2.Eip("loose-eni-eip", network_interface=loose.id, domain="vpc", tags=TAGS)
instance("no-endpoint", metadata_options={"http_endpoint": "disabled"})
instance("plain-data", ebs_block_devices=[{"device_name": "/dev/sdf", "volume_size": 10, "encrypted": False}])

template = aws.ec2.LaunchTemplate("workers", image_id=AMI, metadata_options={"http_tokens": "required"},
                                  block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true"}}],
                                  tags=TAGS)
# Takes its metadata options and volumes from the template.
aws.ec2.Instance("from-template", launch_template={"id": template.id}, tags=TAGS)
aws.ec2.LaunchTemplate("loose-workers", image_id=AMI, metadata_options={"http_tokens": "optional"},
                       block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "false"}}],
                       network_interfaces=[{"associate_public_ip_address": "true"}], tags=TAGS)
aws.ec2.LaunchTemplate("ami-root-workers", image_id=AMI, metadata_options={"http_tokens": "required"}, tags=TAGS)
legacy = aws.ec2.LaunchConfiguration("legacy-workers", image_id=AMI, instance_type="t4g.small",
                                     metadata_options={"http_tokens": "required"},
                                     root_block_device={"encrypted": True})
# Auto Scaling groups: from a launch configuration (deprecated), a launch template, a mixed instances policy; in two
# subnets of the team's own VPC (made elsewhere, so their zones are not shown and not judged).
GROUP = dict(min_size=0, max_size=2, vpc_zone_identifiers=[SUBNET, "subnet-0123456789abcdef1"])
aws.autoscaling.Group("legacy-group", launch_configuration=legacy.name, **GROUP)
aws.autoscaling.Group("template-group", launch_template={"id": template.id, "version": "$Latest"}, **GROUP)


def mixed(*overrides):
    return {"launch_template": {"launch_template_specification": {"launch_template_id": template.id},
                                "overrides": list(overrides)}}


# Instance types: two, so that EC2 running out of one in a zone leaves the other; one; or any type meeting a group's
# instance requirements (attribute-based selection).
TWO_TYPES = mixed({"instance_type": "t4g.small"}, {"instance_type": "t4g.medium"})
aws.autoscaling.Group("mixed-group", mixed_instances_policy=TWO_TYPES, **GROUP)
aws.autoscaling.Group("one-type-group", mixed_instances_policy=mixed({"instance_type": "t4g.small"}), **GROUP)
aws.autoscaling.Group("attribute-group", mixed_instances_policy=mixed({"instance_requirements": {
    "vcpu_count": {"min": 2, "max": 4}, "memory_mib": {"min": 4096}}}), **GROUP)
# Behind load balancers: a target group of its own with EC2 health checks only, one with ELB's, and one attached by a
# separate resource; a VPC Lattice target group is no load balancer.
TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/workers/0123456789abcdef"
LAUNCH = dict(mixed_instances_policy=TWO_TYPES, **GROUP)
aws.autoscaling.Group("unchecked-group", target_group_arns=[TARGET_GROUP], **LAUNCH)
aws.autoscaling.Group("checked-group", target_group_arns=[TARGET_GROUP], health_check_type="ELB", **LAUNCH)
attached = aws.autoscaling.Group("attached-group", health_check_type="EC2", **LAUNCH)
aws.autoscaling.Attachment("attached-group-workers", autoscaling_group_name=attached.name,
                           lb_target_group_arn=TARGET_GROUP)
aws.autoscaling.Group("lattice-group", traffic_sources=[{
    "identifier": "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0",
    "type": "vpc-lattice"}], **LAUNCH)


# Availability Zones: one subnet (one zone, whichever it is), two subnets of the stack in one zone, two in two zones,
# and two zones named outright.
def subnet(name, cidr, zone):
    return aws.ec2.Subnet(name, vpc_id="vpc-0123456789abcdef0", cidr_block=cidr, availability_zone=zone, tags=TAGS)


zone_a, zone_b, zone_a2 = (subnet("workers-a", "10.0.1.0/24", "us-east-1a"),
                           subnet("workers-b", "10.0.2.0/24", "us-east-1b"),
                           subnet("workers-a2", "10.0.3.0/24", "us-east-1a"))
UNPLACED = {k: v for k, v in LAUNCH.items() if k != "vpc_zone_identifiers"}
aws.autoscaling.Group("one-subnet-group", vpc_zone_identifiers=[SUBNET], **UNPLACED)
aws.autoscaling.Group("one-zone-group", vpc_zone_identifiers=[zone_a.id, zone_a2.id], **UNPLACED)
aws.autoscaling.Group("two-zone-group", vpc_zone_identifiers=[zone_a.id, zone_b.id], **UNPLACED)
aws.autoscaling.Group("listed-zone-group", availability_zones=["us-east-1a", "us-east-1b"], **UNPLACED)

aws.ebs.Volume("data", availability_zone="us-east-1a", size=10, encrypted=True, tags=TAGS)
aws.ebs.Volume("plain-volume", availability_zone="us-east-1a", size=10, tags=TAGS)
aws.ebs.Volume("restored-volume", availability_zone="us-east-1a", snapshot_id="snap-0123456789abcdef0", tags=TAGS)

# In eu-west-1 the stack sets the account's defaults: what leaves the settings out there gets IMDSv2 and encryption.
ireland = aws.Provider("ireland", region="eu-west-1")
in_ireland = pulumi.ResourceOptions(provider=ireland)
aws.ebs.EncryptionByDefault("ireland-ebs-default", enabled=True, opts=in_ireland)
aws.ec2.InstanceMetadataDefaults("ireland-imds-default", http_tokens="required", opts=in_ireland)
aws.ec2.Instance("ireland-app", ami=AMI, instance_type="t4g.small", subnet_id=SUBNET, tags=TAGS, opts=in_ireland)
aws.ebs.Volume("ireland-volume", availability_zone="eu-west-1a", size=10, tags=TAGS, opts=in_ireland)

# Launch permissions: for everyone (a public AMI), for one account, for an organization.
aws.ec2.AmiLaunchPermission("public-ami", image_id=AMI, group="all")
aws.ec2.AmiLaunchPermission("shared-ami", image_id=AMI, account_id="111122223333")
aws.ec2.AmiLaunchPermission("org-ami", image_id=AMI,
                            organization_arn="arn:aws:organizations::123456789012:organization/o-abcdefghij")

# Image Builder distributions: each AMI distributed public (the all group), and to an organization.
def distribution(name, launch_permission):
    return aws.imagebuilder.DistributionConfiguration(name, name=name, tags=TAGS, distributions=[{
        "region": "us-east-1", "ami_distribution_configuration": {"launch_permission": launch_permission}}])


distribution("public-distribution", {"user_groups": ["all"]})
distribution("org-distribution",
             {"organization_arns": ["arn:aws:organizations::123456789012:organization/o-abcdefghij"]})

# Block public access turned off in the stack's region, and on in Ireland.
aws.ec2.ImageBlockPublicAccess("open-images", state="unblocked")
aws.ebs.SnapshotBlockPublicAccess("open-snapshots", state="unblocked")
aws.ec2.ImageBlockPublicAccess("ireland-images", state="block-new-sharing", opts=in_ireland)
aws.ebs.SnapshotBlockPublicAccess("ireland-snapshots", state="block-all-sharing", opts=in_ireland)
