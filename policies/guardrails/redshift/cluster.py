"""Redshift provisioned clusters, judged by what pulumi-aws 7 sends (terraform-provider-aws 6 `aws_redshift_cluster`)
and the Redshift API reference for CreateCluster and ModifyCluster (botocore redshift 2012-12-01)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.companions import companion_policy
from ..core.parameter_groups import DEFAULT_GROUP, cluster_parameter_group, parameter_said, parameter_value
from ..core.props import UNKNOWN, copies_a_source, number, peek, switched_off, too_few_days
from ..core.registry import ADVISORY, config_value, resource_policy, stack_policy
from ..core.stack import of_type
from ..core.switches import switch_policy
from . import CLUSTER, LOGGING, PARAMETER_GROUP


switch_policy(
    "redshift-cluster-not-public", CLUSTER, "publiclyAccessible",
    "the cluster's endpoint resolves to a public address, reachable from the internet wherever its security groups let "
    "anyone in; leave it out or set false, and reach the cluster from the VPC",
    wanted=False,
    description="Redshift clusters must not be publicly accessible: a public cluster's endpoint resolves to a public "
                "address, and only its security groups stand between the warehouse and the internet.",
    severity=Severity.HIGH,
    anchors=("Security Hub Redshift.1", "Config redshift-cluster-public-access-check", "CT.REDSHIFT.PR.1"),
    checks="""
    `publiclyAccessible` is not true (left out, pulumi-aws 7 sends false, as CreateCluster's and
    RestoreFromClusterSnapshot's own defaults are); an unknown value is not judged""",
)


switch_policy(
    "redshift-cluster-encrypted", CLUSTER, "encrypted",
    "CreateCluster refuses an unencrypted cluster, and on an existing one the update asks ModifyCluster to decrypt it, "
    "leaving its data and snapshots unencrypted at rest; leave it out or set \"true\", with a customer managed key in "
    "kmsKeyId",
    left_out=True,
    description="Redshift clusters must stay encrypted at rest, and with them their snapshots: an update that turns "
                "encryption off decrypts the cluster.",
    severity=Severity.HIGH,
    anchors=("Security Hub Redshift.10", "Config redshift-cluster-kms-enabled", "CT.REDSHIFT.PR.8"),
    checks="""
    `encrypted` (text in pulumi-aws 7, "true" or "false") is not false (left out, pulumi-aws 7 sends true, as
    CreateCluster's own default is; CreateCluster refuses false, and ModifyCluster with false decrypts a cluster);
    an unknown value is not judged""",
)


@stack_policy(
    "redshift-cluster-require-ssl", CLUSTER,
    description="Redshift clusters must take SSL connections only: otherwise clients may connect in plain text, and "
                "their queries, results and passwords cross the network readable.",
    severity=Severity.HIGH,
    anchors=("Security Hub Redshift.2", "Config redshift-require-tls-ssl", "CT.REDSHIFT.PR.9"),
)
def require_ssl(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no cluster's `clusterParameterGroupName` names (by its name, which is its id) an `aws:redshift/parameterGroup:
    ParameterGroup` of the stack in the cluster's account and region whose `parameters` set `require_ssl` to false
    (in any case: AWS names its parameters in lower case). Left out there, or the cluster's group left out or a
    default.* one (the default group), require_ssl is true: its default since 2025-01-10 (Redshift Management Guide,
    "Amazon Redshift parameter groups"), and a new group starts from the defaults. A group made elsewhere or whose
    region may be another, an unknown entry or value, or a cluster whose group is unknown until the update is not
    judged"""
    for cluster in of_type(args.resources, CLUSTER):
        # A group's id is its name, known before the update where the program writes it; Redshift looks the name up
        # in the cluster's own account and region. The default group (default.redshift-*) keeps require_ssl true.
        group = cluster_parameter_group(cluster, "clusterParameterGroupName", PARAMETER_GROUP, args.resources)
        value = None if group in (None, DEFAULT_GROUP) else parameter_value(group.props, "require_ssl")
        if value == "false":
            said = parameter_said(group.props, "require_ssl")
            yield (f"clusterParameterGroupName names parameter group {group.name}, whose require_ssl is {said}: the "
                   "cluster takes plain-text connections, and its clients' queries, results and passwords cross the "
                   "network readable; set require_ssl \"true\" in that group, or leave it out"), cluster.urn


# A cluster's id is its identifier, known before the update where the program writes it; a Logging in another
# account or region names another cluster.
companion_policy(
    "redshift-cluster-audit-logging", CLUSTER, (LOGGING,), "clusterIdentifier", ("clusterIdentifier",),
    lambda cluster: (f"cluster {cluster.name} has no audit logging: nothing records who connected to it or what they "
                     "ran; add an aws.redshift.Logging with clusterIdentifier set to it, logging to CloudWatch Logs "
                     "(logDestinationType cloudwatch, logExports connectionlog, userlog and useractivitylog) or to an "
                     "S3 bucket"),
    regional=True,
    description="Redshift clusters should write audit logs (connections, user changes, queries) to S3 or CloudWatch "
                "Logs, so who connected and what they ran is on record for audits and investigations.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Redshift.4", "Config redshift-audit-logging-enabled", "CT.REDSHIFT.PR.3"),
    checks="""
    an `aws:redshift/logging:Logging` of the stack in the cluster's account and region names each cluster by its
    `clusterIdentifier`, which is its id (pulumi-aws 7's Cluster has no `logging` block, and Redshift logs nothing
    until EnableLogging); one that may name it once known counts. The user activity log also needs the parameter
    `enable_user_activity_logging`, which the control does not ask""",
)


@resource_policy(
    "redshift-cluster-snapshot-retention", CLUSTER,
    description="Redshift clusters should keep automated snapshots for at least the days knob minimumDays says (7 "
                "by default), so a bad load or a dropped table can be undone from a snapshot.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Redshift.3", "Config redshift-backup-enabled", "CT.REDSHIFT.PR.2"),
    config={"minimumDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7,
                            "description": "The fewest days of automated snapshots a cluster may keep (Redshift keeps "
                                           "0 to 35; Security Hub Redshift.3's MinRetentionPeriod is 7)."}},
)
def snapshot_retention(args: ResourceValidationArgs) -> Iterator[str]:
    """`automatedSnapshotRetentionPeriod` is at least knob `minimumDays` (left out, pulumi-aws sends 1, CreateCluster's
    own default; 0 turns automated snapshots off, which RA3 clusters refuse); an unknown value is not judged"""
    finding = too_few_days(args.props, "automatedSnapshotRetentionPeriod", int(config_value(args, "minimumDays")),
                           "the provider sends 1 day", "automated snapshots", "a cluster",
                           "a bad load or a dropped table", zero="automated snapshots are off")
    if finding:
        yield finding


switch_policy(
    "redshift-cluster-version-upgrade", CLUSTER, "allowVersionUpgrade",
    "Redshift applies no new major engine version to the cluster in its maintenance window, so the security fixes it "
    "brings wait for a manual upgrade; leave it out or set true",
    left_out=True,
    description="Redshift clusters should take new major engine versions in their maintenance window, so the "
                "engine's security fixes reach them without a manual upgrade.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Redshift.6", "Config redshift-cluster-maintenancesettings-check", "CT.REDSHIFT.PR.4"),
    checks="""
    `allowVersionUpgrade` is not false (left out, pulumi-aws sends true, as CreateCluster's own default is); an
    unknown value is not judged""",
)


switch_policy(
    "redshift-cluster-enhanced-vpc-routing", CLUSTER, "enhancedVpcRouting",
    "the cluster's COPY and UNLOAD traffic to S3 and other data stores leaves the VPC, out of reach of its security "
    "groups, VPC endpoint policies and flow logs; set enhancedVpcRouting true (with an S3 gateway endpoint or a NAT "
    "route for that traffic)",
    description="Redshift clusters should use enhanced VPC routing, so COPY and UNLOAD traffic to S3 and other data "
                "stores goes through the VPC, under its security groups, endpoints and flow logs.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Redshift.7", "Config redshift-enhanced-vpc-routing-enabled", "CT.REDSHIFT.PR.5"),
    checks="""
    `enhancedVpcRouting` is true (left out, pulumi-aws sends nothing and CreateCluster's default is false); an
    unknown value is not judged""",
)


@resource_policy(
    "redshift-cluster-multi-az", CLUSTER,
    description="Redshift clusters should be Multi-AZ deployments, so that when their Availability Zone fails the "
                "cluster's compute in a second zone keeps serving queries behind the same endpoint.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Redshift.18", "Config redshift-cluster-multi-az-enabled"),
)
def multi_az(args: ResourceValidationArgs) -> Iterator[str]:
    """`multiAz` is true on a cluster whose `nodeType` is an RA3 or DC2 type (left out, pulumi-aws sends none and the
    cluster runs in one zone: CreateCluster's MultiAZ, "If true, Amazon Redshift will deploy the cluster in two
    Availability Zones"). Multi-AZ supports RA3 node types alone, which use Redshift managed storage ("RMS isn't
    supported on DC2 clusters": Management Guide, "Multi-AZ deployment"), so a DC2 cluster, which Redshift.18 fails
    all the same, is told to resize to RA3. Nor does it support single-node clusters, which the provider asks for
    unless `numberOfNodes` (1 when left out) is above 1: there the fix says to add nodes too. Other node types (rg.*,
    of which the guide says nothing), an unknown node type, an RA3 cluster's unknown node count and an unknown setting
    are not judged"""
    off = switched_off(args.props, "multiAz")
    node_type = peek(args.props, "nodeType")
    family = node_type.lower().split(".")[0] if isinstance(node_type, str) else None
    if off is None or family not in ("ra3", "dc2"):
        return
    nodes = number(peek(args.props, "numberOfNodes"))
    if family == "dc2":  # whatever its node count: the fix names one
        fix = ("resize it to RA3: set nodeType to an ra3 type, numberOfNodes 2 or more and multiAz true, as Redshift "
               "runs Multi-AZ on RA3 nodes alone (DC2 nodes have no Redshift managed storage)")
    elif nodes is UNKNOWN:
        return
    elif nodes is None or nodes <= 1:
        fix = ("set numberOfNodes 2 or more and multiAz true: Redshift runs no single-node cluster as a Multi-AZ "
               "deployment, and the provider asks for one unless numberOfNodes is above 1")
    else:
        fix = "set multiAz true"
    yield (f"multiAz is {off}: the cluster's compute runs in one Availability Zone, and an outage of that zone "
           f"stops it; {fix} (Redshift then runs as many nodes again in a second zone of its subnet group, which "
           "doubles the compute it bills)")


def _restored(args: ResourceValidationArgs) -> bool:
    """Whether the cluster is, or may be, restored from a snapshot (`snapshotIdentifier`, `snapshotArn`, when not
    empty: the provider calls RestoreFromClusterSnapshot only then): it takes the snapshot's admin user and
    database, as RestoreFromClusterSnapshot takes neither."""
    return copies_a_source(args.props, "snapshotIdentifier", "snapshotArn")


@resource_policy(
    "redshift-cluster-admin-username", CLUSTER,
    description="Redshift clusters should not use the default admin user name awsuser: a well-known name leaves "
                "guessing the password the only step to the admin account.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Redshift.8", "Config redshift-default-admin-check", "CT.REDSHIFT.PR.6"),
)
def admin_username(args: ResourceValidationArgs) -> Iterator[str]:
    """`masterUsername` is not awsuser (the console's default; in any case), which Redshift sets at creation only;
    a cluster restored from a snapshot, which takes the snapshot's, or an unknown name is not judged"""
    name = peek(args.props, "masterUsername")
    if isinstance(name, str) and name.lower() == "awsuser" and not _restored(args):
        yield (f"masterUsername is {name}, Redshift's default admin user name: anyone who tries the cluster knows "
               "it, and only the password stands between them and the admin account; choose another name (Redshift "
               "sets it at creation only: the cluster is replaced)")


@resource_policy(
    "redshift-cluster-database-name", CLUSTER,
    description="Redshift clusters should not keep the default database name dev: a well-known name is easy to "
                "guess, and a policy condition or grant written for it may match another team's cluster.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Redshift.9", "Config redshift-default-db-name-check", "CT.REDSHIFT.PR.7"),
)
def database_name(args: ResourceValidationArgs) -> Iterator[str]:
    """`databaseName` is not dev (left out, Redshift creates the first database as dev: CreateCluster DBName
    "Default: dev"), which Redshift sets at creation only; a cluster restored from a snapshot, which takes the
    snapshot's databases, or an unknown name is not judged"""
    name = peek(args.props, "databaseName")
    if name is None or (isinstance(name, str) and name.lower() in ("", "dev")):
        if not _restored(args):
            shown = f"is {name}" if name else "is left out: Redshift names the database dev"
            yield (f"databaseName {shown}, the default name every Redshift cluster starts with, easy to guess and "
                   "matched by any IAM condition or grant written for it; give the first database a name of its own "
                   "(Redshift sets it at creation only: the cluster is replaced)")
