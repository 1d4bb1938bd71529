"""Raw Redshift provisioned clusters: a public one, and private ones (said outright, left to the provider's default,
and one whose setting another resource gives, known only after the update); one that turns encryption off, and
encrypted ones (said outright, in a customer managed key, left to the provider's default)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("warehouse-clients", description="Clients of the warehouses",
                              vpc_id="vpc-0a1b2c3d4e5f60001", tags=TAGS)


def cluster(name, **args):
    """A cluster that passes every policy but the one it gets wrong."""
    return aws.redshift.Cluster(name, cluster_identifier=name, node_type="ra3.xlplus", number_of_nodes=2,
                                master_username="warehouse_admin", manage_master_password=True,
                                cluster_subnet_group_name="warehouse-subnets", vpc_security_group_ids=[GROUP.id],
                                tags=TAGS, **args)


cluster("public-warehouse", publicly_accessible=True)
cluster("private-warehouse", publicly_accessible=False)
cluster("default-warehouse")
# Known only once the security group exists (false then): unknown in a first preview, which does not judge it.
cluster("later-warehouse", publicly_accessible=GROUP.id.apply(lambda _: False))

cluster("unencrypted-warehouse", encrypted="false")
cluster("encrypted-warehouse", encrypted="true", kms_key_id="arn:aws:kms:us-east-1:123456789012:key/warehouse")
