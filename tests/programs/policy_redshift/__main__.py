"""Raw Redshift provisioned clusters: a public one, and private ones (said outright, left to the provider's default,
and one whose setting another resource gives, known only after the update); one that turns encryption off, and
encrypted ones (said outright, in a customer managed key, left to the provider's default); clusters of a parameter
group that lets clients connect without SSL (by its output, by its name written out) and of groups that require it
(said outright, left to the default, the default group, one named only after the update); a cluster without audit
logging, and every other one with it (to CloudWatch Logs, by its output; to S3, by its identifier written out; one
named only after the update); clusters that keep too few days of automated snapshots (left out: 1 day; 0: none;
3 days) and ones that keep enough (7, 35, known only after the update); one that takes no new major engine version,
and ones that do (said outright, left to the provider's default); clusters whose COPY and UNLOAD traffic leaves the
VPC (left out, said outright) and one whose setting is known only after the update; a cluster whose admin user is the
default awsuser, and one restored from a snapshot, which takes the snapshot's; clusters whose first database keeps
the default name dev (left out, said outright); RA3 clusters in one zone (left out, said outright), and a DC2
cluster, which cannot be Multi-AZ, and one whose setting is known only after the update. Cluster subnet groups: one
whose subnets are all in one zone and one of a single subnet, and ones that span two zones (the stack's subnets by
zone name or zone id, subnets made elsewhere, and subnets named by ids known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("warehouse-clients", description="Clients of the warehouses",
                              vpc_id="vpc-0a1b2c3d4e5f60001", tags=TAGS)
# The settings that pass every policy a cluster's own props decide.
PASSING = {"node_type": "ra3.xlplus", "automated_snapshot_retention_period": 7, "enhanced_vpc_routing": True,
           "master_username": "warehouse_admin", "manage_master_password": True, "database_name": "sales",
           "multi_az": True}


def cluster(name, logged=True, **args):
    """A cluster that passes every policy but the one it gets wrong."""
    made = aws.redshift.Cluster(name, cluster_identifier=name, number_of_nodes=2,
                                cluster_subnet_group_name="warehouse-subnets", vpc_security_group_ids=[GROUP.id],
                                tags=TAGS, **{**PASSING, **args})
    if logged:
        aws.redshift.Logging(f"{name}-logging", cluster_identifier=made.cluster_identifier,
                             log_destination_type="cloudwatch", log_exports=["connectionlog", "userlog"])
    return made


cluster("public-warehouse", publicly_accessible=True)
cluster("private-warehouse", publicly_accessible=False)
cluster("default-warehouse")
# Known only once the security group exists (false then): unknown in a first preview, which does not judge it.
cluster("later-warehouse", publicly_accessible=GROUP.id.apply(lambda _: False))

cluster("unencrypted-warehouse", encrypted="false")
cluster("encrypted-warehouse", encrypted="true", kms_key_id="arn:aws:kms:us-east-1:123456789012:key/warehouse")


def parameter_group(name, parameters):
    return aws.redshift.ParameterGroup(name, name=name, family="redshift-2.0", parameters=parameters, tags=TAGS)


PLAINTEXT = parameter_group("plaintext-params", [{"name": "query_group", "value": "etl"},
                                                 {"name": "require_ssl", "value": "false"}])
SSL = parameter_group("ssl-params", [{"name": "require_ssl", "value": "true"}])
# Left out, a new group takes the default, true since 2025-01-10.
DEFAULTS = parameter_group("default-params", [{"name": "enable_user_activity_logging", "value": "true"}])
cluster("plaintext-warehouse", cluster_parameter_group_name=PLAINTEXT.name)
cluster("named-plaintext-warehouse", cluster_parameter_group_name="plaintext-params")
cluster("ssl-warehouse", cluster_parameter_group_name=SSL.name)
cluster("defaults-warehouse", cluster_parameter_group_name=DEFAULTS.name)
cluster("default-group-warehouse", cluster_parameter_group_name="default.redshift-2.0")
cluster("later-ssl-warehouse", cluster_parameter_group_name=GROUP.id.apply(lambda _: "ssl-params"))

cluster("unlogged-warehouse", logged=False)
cluster("s3-logged-warehouse", logged=False)
aws.redshift.Logging("s3-logged-warehouse-logging", cluster_identifier="s3-logged-warehouse", log_destination_type="s3",
                     bucket_name="warehouse-audit-logs", s3_key_prefix="s3-logged-warehouse/")
LATER_LOGGED = cluster("later-logged-warehouse", logged=False)
# Named by the cluster's id, known only after the update.
aws.redshift.Logging("later-logged-warehouse-logging", log_destination_type="cloudwatch", log_exports=["userlog"],
                     cluster_identifier=LATER_LOGGED.id)

cluster("day-old-snapshots-warehouse", automated_snapshot_retention_period=None)
cluster("no-snapshots-warehouse", node_type="dc2.large", automated_snapshot_retention_period=0)
cluster("short-snapshots-warehouse", automated_snapshot_retention_period=3)
cluster("month-snapshots-warehouse", automated_snapshot_retention_period=35)
cluster("later-snapshots-warehouse", automated_snapshot_retention_period=GROUP.id.apply(lambda _: 14))

cluster("pinned-warehouse", allow_version_upgrade=False)
cluster("upgraded-warehouse", allow_version_upgrade=True)

cluster("internet-routed-warehouse", enhanced_vpc_routing=None)
cluster("unrouted-warehouse", enhanced_vpc_routing=False)
cluster("later-routed-warehouse", enhanced_vpc_routing=GROUP.id.apply(lambda _: True))

cluster("awsuser-warehouse", master_username="awsuser")
cluster("restored-warehouse", master_username="awsuser", manage_master_password=None,
        snapshot_identifier="warehouse-nightly")

cluster("unnamed-database-warehouse", database_name=None)
cluster("dev-database-warehouse", database_name="dev")

cluster("single-az-warehouse", multi_az=None)
cluster("one-zone-warehouse", multi_az=False)
# Multi-AZ takes RA3 node types only: a DC2 cluster's fix is a resize.
cluster("dc2-warehouse", node_type="dc2.large", multi_az=None)
cluster("later-multi-az-warehouse", multi_az=GROUP.id.apply(lambda _: True))


def subnet(name, cidr_block, **zone):
    return aws.ec2.Subnet(name, vpc_id="vpc-0a1b2c3d4e5f60001", cidr_block=cidr_block, tags=TAGS, **zone)


def subnet_group(name, subnet_ids):
    return aws.redshift.SubnetGroup(name, name=name, subnet_ids=subnet_ids, tags=TAGS)


ZONE_A = subnet("warehouse-a", "10.0.1.0/24", availability_zone="us-east-1a")
ZONE_A2 = subnet("warehouse-a2", "10.0.2.0/24", availability_zone="us-east-1a")
ZONE_B = subnet("warehouse-b", "10.0.3.0/24", availability_zone="us-east-1b")
ZONE_ID_1 = subnet("warehouse-use1-az1", "10.0.4.0/24", availability_zone_id="use1-az1")
ZONE_ID_2 = subnet("warehouse-use1-az2", "10.0.5.0/24", availability_zone_id="use1-az2")
subnet_group("one-zone-subnets", [ZONE_A.id, ZONE_A2.id])
subnet_group("one-subnet", ["subnet-0a1b2c3d4e5f60001"])
subnet_group("warehouse-subnets", [ZONE_A.id, ZONE_B.id])
subnet_group("zone-id-subnets", [ZONE_ID_1.id, ZONE_ID_2.id])
# Subnets made elsewhere: their zones are not known here.
subnet_group("elsewhere-subnets", ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"])
# Known only once the security group exists: in a first preview, the ids may be any subnets.
subnet_group("later-subnets", GROUP.id.apply(lambda _: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]))
