"""Amazon Redshift guardrails against tests/programs/policy_redshift (raw provisioned clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_redshift"
CLUSTER = "aws:redshift/cluster:Cluster"
NOT_PUBLIC, ENCRYPTED = "redshift-cluster-not-public", "redshift-cluster-encrypted"
SSL, AUDIT = "redshift-cluster-require-ssl", "redshift-cluster-audit-logging"
SNAPSHOTS, UPGRADE = "redshift-cluster-snapshot-retention", "redshift-cluster-version-upgrade"
ROUTING, ADMIN = "redshift-cluster-enhanced-vpc-routing", "redshift-cluster-admin-username"
DATABASE, SUBNETS = "redshift-cluster-database-name", "redshift-subnet-group-multi-az"
MULTI_AZ = "redshift-cluster-multi-az"
SUBNET_GROUP, SUBNET = "aws:redshift/subnetGroup:SubnetGroup", "aws:ec2/subnet:Subnet"
PARAMETER_GROUP, LOGGING = "aws:redshift/parameterGroup:ParameterGroup", "aws:redshift/logging:Logging"

FAILING = [
    Finding(NOT_PUBLIC, "public-warehouse", "mandatory",
            "publiclyAccessible is true: the cluster's endpoint resolves to a public address, reachable from the "
            "internet wherever its security groups let anyone in; leave it out or set false"),
    Finding(ENCRYPTED, "unencrypted-warehouse", "mandatory",
            "encrypted is false: CreateCluster refuses an unencrypted cluster, and on an existing one the update asks "
            "ModifyCluster to decrypt it, leaving its data and snapshots unencrypted at rest; leave it out or set "
            "\"true\", with a customer managed key in kmsKeyId"),
    Finding(SSL, "plaintext-warehouse", "mandatory",
            "clusterParameterGroupName names parameter group plaintext-params, whose require_ssl is false: the cluster "
            "takes plain-text connections, and its clients' queries, results and passwords cross the network "
            "readable; set require_ssl \"true\" in that group, or leave it out"),
    Finding(SSL, "named-plaintext-warehouse", "mandatory",
            "clusterParameterGroupName names parameter group plaintext-params, whose require_ssl is false"),
    Finding(AUDIT, "unlogged-warehouse", "advisory",
            "cluster unlogged-warehouse has no audit logging: nothing records who connected to it or what they ran; "
            "add an aws.redshift.Logging with clusterIdentifier set to it, logging to CloudWatch Logs "
            "(logDestinationType cloudwatch, logExports connectionlog, userlog and useractivitylog) or to an S3 "
            "bucket"),
    # Left out, pulumi-aws sends 1, CreateCluster's own default.
    Finding(SNAPSHOTS, "day-old-snapshots-warehouse", "advisory",
            "automatedSnapshotRetentionPeriod is left out: the provider sends 1 day, fewer than the 7 days of "
            "automated snapshots a cluster must keep to be restored to a point before a bad load or a dropped table; "
            "set automatedSnapshotRetentionPeriod to 7 or more (at most 35)"),
    Finding(SNAPSHOTS, "no-snapshots-warehouse", "advisory",
            "automatedSnapshotRetentionPeriod is 0: automated snapshots are off, fewer than the 7 days"),
    Finding(SNAPSHOTS, "short-snapshots-warehouse", "advisory",
            "automatedSnapshotRetentionPeriod is 3 days, fewer than the 7 days"),
    Finding(UPGRADE, "pinned-warehouse", "advisory",
            "allowVersionUpgrade is false: Redshift applies no new major engine version to the cluster in its "
            "maintenance window, so the security fixes it brings wait for a manual upgrade; leave it out or set true"),
    # Left out, pulumi-aws sends nothing: CreateCluster's default is false.
    Finding(ROUTING, "internet-routed-warehouse", "advisory",
            "enhancedVpcRouting is unset (false): the cluster's COPY and UNLOAD traffic to S3 and other data stores "
            "leaves the VPC, out of reach of its security groups, VPC endpoint policies and flow logs; set "
            "enhancedVpcRouting true (with an S3 gateway endpoint or a NAT route for that traffic)"),
    Finding(ROUTING, "unrouted-warehouse", "advisory", "enhancedVpcRouting is false: the cluster's COPY and UNLOAD"),
    Finding(ADMIN, "awsuser-warehouse", "advisory",
            "masterUsername is awsuser, Redshift's default admin user name: anyone who tries the cluster knows it, "
            "and only the password stands between them and the admin account; choose another name (Redshift sets it "
            "at creation only: the cluster is replaced)"),
    # Left out, CreateCluster names the first database dev.
    Finding(DATABASE, "unnamed-database-warehouse", "advisory",
            "databaseName is left out: Redshift names the database dev, the default name every Redshift cluster "
            "starts with, easy to guess and matched by any IAM condition or grant written for it; give the first "
            "database a name of its own (Redshift sets it at creation only: the cluster is replaced)"),
    Finding(DATABASE, "dev-database-warehouse", "advisory", "databaseName is dev, the default name"),
    # Left out, pulumi-aws sends none: one zone.
    Finding(MULTI_AZ, "single-az-warehouse", "advisory",
            "multiAz is unset (false): the cluster's compute runs in one Availability Zone, and an outage of that zone "
            "stops it; set multiAz true (Redshift then runs as many nodes again in a second zone of its subnet group, "
            "which doubles the compute it bills)"),
    Finding(MULTI_AZ, "one-zone-warehouse", "advisory", "multiAz is false: the cluster's compute runs in one"),
    # Multi-AZ takes RA3 nodes alone, which Redshift.18 does not spare a DC2 cluster.
    Finding(MULTI_AZ, "dc2-warehouse", "advisory",
            "multiAz is unset (false): the cluster's compute runs in one Availability Zone, and an outage of that zone "
            "stops it; resize it to RA3: set nodeType to an ra3 type, numberOfNodes 2 or more and multiAz true, as "
            "Redshift runs Multi-AZ on RA3 nodes alone (DC2 nodes have no Redshift managed storage) (Redshift then "
            "runs as many nodes again in a second zone of its subnet group, which doubles the compute it bills)"),
    # Two stack subnets in us-east-1a; one subnet, wherever it is.
    Finding(SUBNETS, "one-zone-subnets", "mandatory",
            "subnetIds name subnets in one Availability Zone only: Redshift places a cluster of the group only in its "
            "subnets, so the group leaves no other zone to relocate a cluster to or to run a Multi-AZ cluster in; add "
            "a subnet in another zone"),
    Finding(SUBNETS, "one-subnet", "mandatory", "subnetIds name subnets in one Availability Zone only"),
]
# Private said outright; left out (pulumi-aws 7 sends false); known only after the update.
PASSING = [(NOT_PUBLIC, "private-warehouse"), (NOT_PUBLIC, "default-warehouse"), (NOT_PUBLIC, "later-warehouse"),
           # Encrypted said outright (with a key of the account's); left out (pulumi-aws 7 sends "true").
           (ENCRYPTED, "encrypted-warehouse"), (ENCRYPTED, "default-warehouse"),
           # require_ssl true said outright, left to the default (true since 2025-01-10) in a group or by using the
           # default group, or named only after the update; no group named at all (the default group).
           (SSL, "ssl-warehouse"), (SSL, "defaults-warehouse"), (SSL, "default-group-warehouse"),
           (SSL, "later-ssl-warehouse"), (SSL, "default-warehouse"),
           # Logging by the cluster's output; by its identifier written out; named only after the update.
           (AUDIT, "default-warehouse"), (AUDIT, "s3-logged-warehouse"), (AUDIT, "later-logged-warehouse"),
           # A week, the most Redshift keeps, and known only after the update.
           (SNAPSHOTS, "default-warehouse"), (SNAPSHOTS, "month-snapshots-warehouse"),
           (SNAPSHOTS, "later-snapshots-warehouse"),
           # Said outright; left out (pulumi-aws sends true).
           (UPGRADE, "upgraded-warehouse"), (UPGRADE, "default-warehouse"),
           (ROUTING, "default-warehouse"), (ROUTING, "later-routed-warehouse"),
           # A name of its own; a restore, which takes the snapshot's admin user.
           (ADMIN, "default-warehouse"), (ADMIN, "restored-warehouse"),
           # A name of its own; a restore, which takes the snapshot's databases.
           (DATABASE, "default-warehouse"), (DATABASE, "restored-warehouse"),
           # Said outright; known only after the update.
           (MULTI_AZ, "default-warehouse"), (MULTI_AZ, "later-multi-az-warehouse"),
           # Two zones by name, two by zone id; subnets made elsewhere; ids known only after the update.
           (SUBNETS, "warehouse-subnets"), (SUBNETS, "zone-id-subnets"), (SUBNETS, "elsewhere-subnets"),
           (SUBNETS, "later-subnets")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def cluster(**props):
    return Res(CLUSTER, "warehouse", {"clusterIdentifier": "warehouse", "nodeType": "ra3.xlplus",
                                      "masterUsername": "warehouse_admin", "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), (None, False), (UNKNOWN, False)])
def test_a_cluster_is_not_publicly_accessible(accessible, reported):
    """terraform-provider-aws 6 sends PubliclyAccessible false when left out (its upgrade guide: "now defaults to
    false"), CreateCluster's own default too."""
    props = {} if accessible is None else {"publiclyAccessible": accessible}
    assert (NOT_PUBLIC in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("value, reported", [
    ("false", True), ("False", True), (False, True), ("true", False), (True, False), (None, False),
    (UNKNOWN, False), ({"value": "false"}, False)])
def test_a_cluster_stays_encrypted(value, reported):
    """pulumi-aws 7 takes `encrypted` as text and sends "true" when left out (terraform-provider-aws 6: "now defaults
    to true"); CreateCluster refuses false and ModifyCluster with false decrypts the cluster."""
    props = {} if value is None else {"encrypted": value}
    assert (ENCRYPTED in policies_found([cluster(**props)])) == reported


def parameter_group(value=None, name="params"):
    parameters = [{"name": "require_ssl", "value": value}] if value is not None else []
    return Res(PARAMETER_GROUP, name, {"name": name, "family": "redshift-2.0", "parameters": parameters})


@pytest.mark.parametrize("value, reported", [
    ("false", True), ("FALSE", True), ("true", False), ("TRUE", False), (None, False), (UNKNOWN, False),
    # A boolean for the text value: the bridge sends it as "false" or "true".
    (False, True), (True, False)])
def test_a_cluster_of_a_group_that_does_not_require_ssl_is_reported(value, reported):
    used = cluster(clusterParameterGroupName="params")
    assert (SSL in policies_found([parameter_group(value), used])) == reported


@pytest.mark.parametrize("value, said", [
    ("false", "false"), (False, "false"), ("FALSE", '"FALSE" (false)'), ("False", '"False" (false)')])
def test_a_require_ssl_finding_quotes_the_value_as_written(value, said):
    used = cluster(clusterParameterGroupName="params")
    messages = {m for p, _, m in findings(analyze([parameter_group(value), used])) if p == SSL}
    assert messages == {f"clusterParameterGroupName names parameter group params, whose require_ssl is {said}: the "
                        "cluster takes plain-text connections, and its clients' queries, results and passwords cross "
                        "the network readable; set require_ssl \"true\" in that group, or leave it out"}


@pytest.mark.parametrize("group_name, entries, reported", [
    ("params", [{"name": "require_ssl", "value": "false"}], True),
    # Another group; a group name known only after the update; an entry unknown, or named only after the update.
    ("others", [{"name": "require_ssl", "value": "false"}], False),
    (UNKNOWN, [{"name": "require_ssl", "value": "false"}], False),
    ("params", UNKNOWN, False), ("params", [UNKNOWN, {"name": "require_ssl", "value": "false"}], False),
    ("params", [{"name": UNKNOWN, "value": "true"}, {"name": "require_ssl", "value": "false"}], False),
    # Odd shapes are not judged.
    ("params", [{"name": "require_ssl", "value": {"v": "false"}}], False), ("params", ["require_ssl"], False),
    # The provider sends the entries as a set: two that disagree have no defined winner; two that agree do.
    ("params", [{"name": "require_ssl", "value": "true"}, {"name": "require_ssl", "value": "false"}], False),
    ("params", [{"name": "require_ssl", "value": "false"}, {"name": "require_ssl", "value": "true"}], False),
    ("params", [{"name": "require_ssl", "value": "false"}, {"name": "REQUIRE_SSL", "value": "FALSE"}], True)])
def test_only_a_known_group_setting_require_ssl_false_is_reported(group_name, entries, reported):
    group = Res(PARAMETER_GROUP, "params", {"name": "params", "family": "redshift-2.0", "parameters": entries})
    used = cluster(clusterParameterGroupName=group_name)
    assert (SSL in policies_found([group, used])) == reported


@pytest.mark.parametrize("named, reported", [
    ("warehouse", False), (None, True), ("another-warehouse", True), (UNKNOWN, False)])
def test_a_cluster_writes_audit_logs(named, reported):
    resources = [cluster()]
    if named is not None:
        resources.append(Res(LOGGING, "logging", {"clusterIdentifier": named, "logDestinationType": "cloudwatch",
                                                  "logExports": ["connectionlog"]}))
    assert (AUDIT in policies_found(resources)) == reported


@pytest.mark.parametrize("days, config, reported", [
    (7, None, False), ("7", None, False), (6, None, True), (None, None, True), (0, None, True), (UNKNOWN, None, False),
    ("a week", None, False), (14, {"minimumDays": 30}, True), (1, {"minimumDays": 1}, False),
    (None, {"minimumDays": 1}, False)])
def test_a_cluster_keeps_a_week_of_automated_snapshots(days, config, reported):
    props = {} if days is None else {"automatedSnapshotRetentionPeriod": days}
    found = policies_found([cluster(**props)], config and {SNAPSHOTS: config})
    assert (SNAPSHOTS in found) == reported


@pytest.mark.parametrize("allowed, reported", [
    (False, True), ("false", True), (True, False), (None, False), (UNKNOWN, False)])
def test_a_cluster_takes_major_version_upgrades(allowed, reported):
    props = {} if allowed is None else {"allowVersionUpgrade": allowed}
    assert (UPGRADE in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("routed, reported", [
    (True, False), ("true", False), (False, True), (None, True), (UNKNOWN, False)])
def test_a_cluster_routes_copy_and_unload_through_its_vpc(routed, reported):
    props = {} if routed is None else {"enhancedVpcRouting": routed}
    assert (ROUTING in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("props, reported", [
    ({"masterUsername": "awsuser"}, True), ({"masterUsername": "AWSUser"}, True),
    ({"masterUsername": "warehouse_admin"}, False), ({}, False), ({"masterUsername": UNKNOWN}, False),
    ({"masterUsername": "awsuser", "snapshotIdentifier": "nightly"}, False),
    ({"masterUsername": "awsuser", "snapshotArn": UNKNOWN}, False),
    # An empty snapshot is none: the provider restores only from one it is given (GetOk).
    ({"masterUsername": "awsuser", "snapshotIdentifier": ""}, True),
    ({"masterUsername": "awsuser", "snapshotArn": ""}, True)])
def test_a_cluster_avoids_the_default_admin_user_name(props, reported):
    assert (ADMIN in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("props, reported", [
    ({}, True), ({"databaseName": "dev"}, True), ({"databaseName": ""}, True), ({"databaseName": "sales"}, False),
    ({"databaseName": UNKNOWN}, False), ({"snapshotIdentifier": "nightly"}, False),
    ({"databaseName": "dev", "snapshotArn": UNKNOWN}, False), ({"databaseName": ["dev"]}, False),
    ({"databaseName": "dev", "snapshotIdentifier": ""}, True)])
def test_a_cluster_avoids_the_default_database_name(props, reported):
    assert (DATABASE in policies_found([cluster(**props)])) == reported


def test_a_cluster_whose_id_is_not_known_yet_is_still_matched_by_its_identifier():
    """A cluster's id is its identifier: a first preview, where the id is unknown, still sees that a Logging naming
    another cluster does not log this one."""
    other = Res(LOGGING, "logging", {"clusterIdentifier": "another-warehouse"})
    assert AUDIT in policies_found([cluster(id=UNKNOWN), other])


@pytest.mark.parametrize("group_region, reported", [(None, False), ("us-east-1", True), ("us-west-2", False)])
def test_a_parameter_group_of_another_region_is_not_the_clusters(group_region, reported):
    """Redshift looks a cluster's parameter group up by name in the cluster's region: a group of that name made in
    another region is another group, and one whose region is not known (its provider's, which the analyzer was not
    given here) may be, so it is not judged, as DocumentDB's and Neptune's groups are not."""
    group = parameter_group("false")
    group.props.update({} if group_region is None else {"region": group_region})
    used = cluster(clusterParameterGroupName="params", region="us-east-1")
    assert (SSL in policies_found([group, used])) == reported


@pytest.mark.parametrize("logging_region, reported", [(None, False), ("us-east-1", False), ("us-west-2", True)])
def test_a_logging_of_another_region_does_not_log_the_cluster(logging_region, reported):
    """EnableLogging names a cluster of its own region: one in another region leaves this cluster unlogged."""
    logging = Res(LOGGING, "logging", {"clusterIdentifier": "warehouse", "logDestinationType": "cloudwatch",
                                       **({} if logging_region is None else {"region": logging_region})})
    assert (AUDIT in policies_found([cluster(region="us-east-1"), logging])) == reported


@pytest.mark.parametrize("days, said", [(1, "1 day"), ("1", "1 day"), (3, "3 days")])
def test_a_short_snapshot_retention_is_worded_in_days(days, said):
    config = {"all": "disabled", SNAPSHOTS: "mandatory"}
    found = findings(analyze([cluster(automatedSnapshotRetentionPeriod=days)], config))
    assert {message.split(",")[0] for _, _, message in found} == {f"automatedSnapshotRetentionPeriod is {said}"}


@pytest.mark.parametrize("props, reported", [
    ({}, True), ({"multiAz": False}, True), ({"multiAz": "false"}, True), ({"nodeType": "RA3.4XLARGE"}, True),
    ({"multiAz": True}, False), ({"multiAz": "true"}, False), ({"multiAz": UNKNOWN}, False),
    ({"nodeType": "dc2.large"}, True), ({"nodeType": "DC2.8XLARGE", "numberOfNodes": UNKNOWN}, True),
    ({"nodeType": "dc2.large", "multiAz": UNKNOWN}, False), ({"nodeType": "rg.xlarge"}, False),
    ({"nodeType": UNKNOWN}, False), ({"nodeType": ["ra3.xlplus"]}, False)])
def test_an_ra3_or_dc2_cluster_is_a_multi_az_deployment(props, reported):
    """CreateCluster's MultiAZ deploys the cluster in two zones when true; left out, one. Only RA3 clusters can, and
    Redshift.18 fails a DC2 cluster all the same (its fix is a resize); rg types the guide does not name."""
    assert (MULTI_AZ in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("nodes, fix", [
    (None, "set numberOfNodes 2 or more and multiAz true"), (1, "set numberOfNodes 2 or more and multiAz true"),
    ("1", "set numberOfNodes 2 or more and multiAz true"), (2, "set multiAz true ("), ("4", "set multiAz true ("),
    (UNKNOWN, None)])
def test_a_single_node_ra3_cluster_is_told_to_add_nodes_for_multi_az(nodes, fix):
    """CreateCluster refuses MultiAZ on a single-node cluster, which terraform-provider-aws asks for unless
    number_of_nodes (default 1) is above 1; a node count known only after the update is not judged."""
    props = {} if nodes is None else {"numberOfNodes": nodes}
    config = {"all": "disabled", MULTI_AZ: "mandatory"}
    found = [message for _, _, message in findings(analyze([cluster(**props)], config))]
    assert len(found) == (0 if fix is None else 1)
    assert all(fix in message for message in found)


def subnet(name, **zone):
    return Res(SUBNET, name, {"id": f"{name}-id", "vpcId": "vpc-1", "cidrBlock": "10.0.0.0/24", "tags": DEFAULT_TAGS,
                              **zone})


@pytest.mark.parametrize("subnet_ids, reported", [
    (["a-id", "a2-id"], True), (["a-id"], True), (["subnet-elsewhere"], True), (["a-id", "a-id"], True),
    (["a-id", "b-id"], False), (["a-id", "subnet-elsewhere"], False), (["a-id", UNKNOWN], False),
    (["a-id", "unzoned-id"], False), (UNKNOWN, False), ([], False)])
def test_a_subnet_group_spans_two_availability_zones(subnet_ids, reported):
    """A subnet from outside the stack, or one whose zone EC2 picks, may be in any zone; an unknown id may be any
    subnet."""
    assert (SUBNETS in policies_found([*SUBNETS_BY_ZONE, subnet_group(subnet_ids)])) == reported


SUBNETS_BY_ZONE = [subnet("a", availabilityZone="us-east-1a"), subnet("a2", availabilityZone="us-east-1a"),
                   subnet("b", availabilityZone="us-east-1b"), subnet("unzoned")]


def subnet_group(subnet_ids, refs=None):
    return Res(SUBNET_GROUP, "warehouse-subnets", {"name": "warehouse-subnets", "subnetIds": subnet_ids,
                                                   "tags": DEFAULT_TAGS}, refs or {})


@pytest.mark.parametrize("made_from, reported", [(["a", "a2"], True), (["a", "b"], False), (["a", "unzoned"], False)])
def test_subnet_ids_not_known_yet_are_in_the_zones_of_the_subnets_they_are_made_from(made_from, reported):
    """A first preview: the ids are unknown, and the list is made from the stack's subnets alone."""
    group = subnet_group([UNKNOWN, UNKNOWN], {"subnetIds": made_from})
    assert (SUBNETS in policies_found([*SUBNETS_BY_ZONE, group])) == reported


@pytest.mark.parametrize("cidr, reported", [("0.0.0.0/0", True), ("10.0.0.0/16", False)])
def test_a_clusters_group_open_to_the_internet_on_its_port_is_reported_by_the_security_group_policy(cidr, reported):
    """Security Hub Redshift.15 (a cluster's groups admit 0.0.0.0/0 or ::/0 on its port) is
    ec2-securitygroup-no-public-ingress's: a cluster is a workload, whose groups may admit the internet on no port."""
    group = Res("aws:ec2/securityGroup:SecurityGroup", "warehouse-clients", {
        "id": "sg-warehouse", "vpcId": "vpc-1", "description": "warehouse clients", "tags": DEFAULT_TAGS,
        "ingress": [{"protocol": "tcp", "fromPort": 5439, "toPort": 5439, "cidrBlocks": [cidr]}]})
    found = policies_found([group, cluster(vpcSecurityGroupIds=["sg-warehouse"])])
    assert ("ec2-securitygroup-no-public-ingress" in found) == reported
