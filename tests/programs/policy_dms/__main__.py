"""Raw DMS resources: a replication instance with a public IP address, and private ones (said outright, left to the
provider's default, and one whose setting another resource gives, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
SUBNET_GROUP = aws.dms.ReplicationSubnetGroup(
    "migration-subnets", replication_subnet_group_id="migration-subnets", tags=TAGS,
    replication_subnet_group_description="Private subnets of the migration VPC",
    subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"])


def instance(name, **args):
    return aws.dms.ReplicationInstance(name, replication_instance_id=name, replication_instance_class="dms.t3.medium",
                                       replication_subnet_group_id=SUBNET_GROUP.id, tags=TAGS, **args)


instance("public-migration", publicly_accessible=True)
instance("private-migration", publicly_accessible=False)
instance("default-migration")
# Known only once the subnet group exists (false then): unknown in a first preview, which does not judge it.
instance("later-migration", publicly_accessible=SUBNET_GROUP.id.apply(lambda _: False))
