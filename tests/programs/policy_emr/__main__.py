"""Raw Amazon EMR settings: a region's block public access turned off, on with exceptions beyond port 22, on with
port 22 alone, and on with a setting known only after the update; security configurations that leave encryption at
rest or in transit off (false, left out, no EncryptionConfiguration) and ones that turn them on (a boolean, "true", a
document known only after the update), and clusters with and without one; clusters whose primary node launches into
a subnet that gives it a public address (one that maps public IPs on launch, a default subnet left as AWS made it,
one of an instance fleet's subnets) and ones in private subnets, in a subnet from outside the stack, or in one
picked from several by a value known only after the update."""
import json

import pulumi
import pulumi_aws as aws


# Each block public access setting in a region of its own: AWS keeps one per account and region.
def regional(name):
    return pulumi.ResourceOptions(provider=aws.Provider(f"{name}-region", region=name))


aws.emr.BlockPublicAccessConfiguration("bpa-off", block_public_security_group_rules=False,
                                       opts=regional("us-east-2"))
aws.emr.BlockPublicAccessConfiguration("bpa-web-open", block_public_security_group_rules=True,
                                       permitted_public_security_group_rule_ranges=[
                                           {"min_range": 22, "max_range": 22}, {"min_range": 80, "max_range": 80},
                                           {"min_range": 8000, "max_range": 8999}],
                                       opts=regional("us-west-1"))
aws.emr.BlockPublicAccessConfiguration("bpa-ssh-only", block_public_security_group_rules=True,
                                       permitted_public_security_group_rule_ranges=[
                                           {"min_range": 22, "max_range": 22}])
TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("emr-clients", description="Clients of the clusters", vpc_id="vpc-0a1b2c3d4e5f60001",
                              tags=TAGS)
# Known only once the security group exists (true then): unknown in a first preview, which does not judge it.
aws.emr.BlockPublicAccessConfiguration("bpa-later", block_public_security_group_rules=GROUP.id.apply(lambda _: True),
                                       opts=regional("us-west-2"))


def security_configuration(name, encryption):
    document = {} if encryption is None else {"EncryptionConfiguration": encryption}
    return aws.emr.SecurityConfiguration(name, name=name, configuration=json.dumps(document))


AT_REST = {"S3EncryptionConfiguration": {"EncryptionMode": "SSE-S3"},
           "LocalDiskEncryptionConfiguration": {"EncryptionKeyProviderType": "AwsKms",
                                                "AwsKmsKey": "arn:aws:kms:us-east-1:123456789012:key/emr-disks"}}
IN_TRANSIT = {"TLSCertificateConfiguration": {"CertificateProviderType": "PEM",
                                              "S3Object": "s3://emr-config-123456789012/certs.zip"}}
ENCRYPTED = security_configuration("encrypted", {
    "EnableAtRestEncryption": True, "EnableInTransitEncryption": True,
    "AtRestEncryptionConfiguration": AT_REST, "InTransitEncryptionConfiguration": IN_TRANSIT})
security_configuration("rest-off", {"EnableAtRestEncryption": False, "EnableInTransitEncryption": True,
                                    "InTransitEncryptionConfiguration": IN_TRANSIT})
security_configuration("rest-unset", {"EnableInTransitEncryption": "true",
                                      "InTransitEncryptionConfiguration": IN_TRANSIT})
security_configuration("no-encryption", None)
security_configuration("transit-off", {"EnableAtRestEncryption": True, "EnableInTransitEncryption": "false",
                                       "AtRestEncryptionConfiguration": AT_REST})
security_configuration("transit-unset", {"EnableAtRestEncryption": True, "AtRestEncryptionConfiguration": AT_REST})
# As the EMR guide's own example writes them, in quotes.
security_configuration("quoted", {"EnableAtRestEncryption": "true", "EnableInTransitEncryption": "true",
                                  "AtRestEncryptionConfiguration": AT_REST,
                                  "InTransitEncryptionConfiguration": IN_TRANSIT})
# Its KMS key is known only after the update: a first preview does not judge the document.
KEY = aws.kms.Key("emr-key", description="EMR local disks", enable_key_rotation=True, tags=TAGS)
aws.emr.SecurityConfiguration("later", name="later", configuration=KEY.arn.apply(lambda arn: json.dumps({
    "EncryptionConfiguration": {"EnableAtRestEncryption": True, "EnableInTransitEncryption": True,
                                "AtRestEncryptionConfiguration": {**AT_REST, "LocalDiskEncryptionConfiguration": {
                                    "EncryptionKeyProviderType": "AwsKms", "AwsKmsKey": arn}},
                                "InTransitEncryptionConfiguration": IN_TRANSIT}})))


def cluster(name, **args):
    args.setdefault("ec2_attributes", {"instance_profile": "arn:aws:iam::123456789012:instance-profile/EMR_EC2",
                                       "subnet_id": "subnet-0a1b2c3d4e5f60009"})
    return aws.emr.Cluster(name, name=name, release_label="emr-7.5.0", applications=["Spark"],
                           service_role="arn:aws:iam::123456789012:role/EMR_DefaultRole",
                           master_instance_group={"instance_type": "m5.xlarge"},
                           core_instance_group={"instance_type": "m5.xlarge", "instance_count": 2}, tags=TAGS, **args)


cluster("analytics", security_configuration=ENCRYPTED.name)
cluster("unconfigured")

# Where the primary node launches.
PUBLIC = aws.ec2.Subnet("emr-public", vpc_id="vpc-0a1b2c3d4e5f60001", cidr_block="10.20.0.0/24",
                        map_public_ip_on_launch=True, tags=TAGS)
PRIVATE = aws.ec2.Subnet("emr-private", vpc_id="vpc-0a1b2c3d4e5f60001", cidr_block="10.20.1.0/24", tags=TAGS)
# A default subnet adopted as AWS made it: it gives public addresses.
DEFAULT = aws.ec2.DefaultSubnet("emr-default", availability_zone="us-east-1a", tags=TAGS)


def placed(name, **ec2_attributes):
    return cluster(name, security_configuration=ENCRYPTED.name, ec2_attributes={
        "instance_profile": "arn:aws:iam::123456789012:instance-profile/EMR_EC2", **ec2_attributes})


placed("in-public-subnet", subnet_id=PUBLIC.id)
placed("in-default-subnet", subnet_id=DEFAULT.id)
# An instance fleet's subnets: EMR launches the primary node in whichever it finds best, the public one too.
placed("fleet-with-public-subnet", subnet_ids=[PRIVATE.id, PUBLIC.id])
placed("in-private-subnet", subnet_id=PRIVATE.id)
placed("fleet-in-private-subnets", subnet_ids=[PRIVATE.id])
# The private one of the two, picked by a value a first preview does not know: not judged until the update.
placed("picked-private-subnet", subnet_id=pulumi.Output.all(PRIVATE.id, PUBLIC.id).apply(lambda ids: ids[0]))
