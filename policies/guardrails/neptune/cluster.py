"""Neptune DB clusters, judged by what pulumi-aws sends and what Neptune does with what it leaves out
(terraform-provider-aws `aws_neptune_cluster`, botocore's neptune 2014-10-31 CreateDBCluster and
RestoreDBClusterFromSnapshot)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.parameter_groups import DEFAULT_GROUP, cluster_parameter_group, parameter_said, parameter_value
from ..core.props import UNKNOWN, copies_a_source, logs_left_out, number, peek, too_few_days
from ..core.registry import ADVISORY, config_value, resource_policy, stack_policy
from ..core.stack import of_type, referring
from ..core.zones import cluster_in_one_zone
from ..core.switches import switch_policy
from . import CLUSTER, CLUSTER_INSTANCE, CLUSTER_PARAMETER_GROUP


switch_policy(
    "neptune-cluster-storage-encrypted", CLUSTER, "storageEncrypted",
    "the Neptune DB cluster's storage, automated backups and snapshots are unencrypted, and Neptune encrypts a cluster "
    "only when it creates it (setting it later replaces the cluster); set storageEncrypted true, with a customer "
    "managed key in kmsKeyArn if the key policy should say who may use it",
    unless=lambda props: copies_a_source(props, "replicationSourceIdentifier", "snapshotIdentifier"),
    description="Neptune DB clusters must encrypt their storage, and with it their backups and snapshots: Neptune "
                "encrypts a cluster only when it creates it.",
    severity=Severity.HIGH,
    anchors=("Security Hub Neptune.1", "Config neptune-cluster-encrypted", "CT.NEPTUNE.PR.3"),
    checks="""
    `storageEncrypted` is true (left out, the provider sends false: CreateDBCluster `StorageEncrypted`; ForceNew,
    as Neptune cannot encrypt an existing cluster); not judged for a read replica (`replicationSourceIdentifier`) or a
    restore (`snapshotIdentifier`), which take their source's encryption, nor when unknown""",
)


switch_policy(
    "neptune-cluster-deletion-protection", CLUSTER, "deletionProtection",
    "a destroy, or a change that replaces the Neptune DB cluster (a new identifier, engine, port or encryption "
    "setting), deletes it and its automated backups; set deletionProtection true",
    description="Neptune DB clusters should have deletion protection on: a destroy, or an update that replaces the "
                "cluster, then fails until it is turned off, rather than deleting the graph.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Neptune.4", "Config neptune-cluster-deletion-protection-enabled", "CT.NEPTUNE.PR.2"),
    checks="""
    `deletionProtection` is true (left out, the provider sends false, and CreateDBCluster's own default is off);
    an unknown value is not judged""",
)


@resource_policy(
    "neptune-cluster-backup-retention", CLUSTER,
    description="Neptune DB clusters must keep automated backups for at least the days knob minimumDays says (7 by "
                "default), so a bad write or a dropped graph can be undone to a point in time.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Neptune.5", "Config neptune-cluster-backup-retention-check", "CT.NEPTUNE.PR.5"),
    config={"minimumDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7,
                            "description": "The fewest days of automated backups a cluster may keep (Neptune keeps 1 "
                                           "to 35; Config's neptune-cluster-backup-retention-check, Security Hub "
                                           "Neptune.5's rule, asks 7 by default)."}},
)
def backup_retention(args: ResourceValidationArgs) -> Iterator[str]:
    """`backupRetentionPeriod` is at least knob `minimumDays` (left out, the provider sends 1, CreateDBCluster's
    own default too); an unknown value is not judged"""
    finding = too_few_days(args.props, "backupRetentionPeriod", int(config_value(args, "minimumDays")),
                           "Neptune keeps 1 day", "automated backups", "a Neptune DB cluster", "a bad write")
    if finding:
        yield finding


switch_policy(
    "neptune-cluster-iam-auth", CLUSTER, "iamDatabaseAuthenticationEnabled",
    "Neptune asks no signed request, so anything that reaches the cluster's endpoint over the network may read and "
    "write the graph; turn it on, so each request is signed (SigV4) by an IAM identity allowed neptune-db:* on the "
    "cluster",
    description="Neptune DB clusters should turn IAM database authentication on, so only requests signed by an IAM "
                "identity the cluster's policies allow reach the graph.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Neptune.7", "Config neptune-cluster-iam-database-authentication", "CT.NEPTUNE.PR.1"),
    checks="""
    `iamDatabaseAuthenticationEnabled` is true (left out, the provider sends none: CreateDBCluster and
    RestoreDBClusterFromSnapshot `EnableIAMDatabaseAuthentication`, "Default: false"); an unknown value is not
    judged""",
)


switch_policy(
    "neptune-cluster-copy-tags-to-snapshot", CLUSTER, "copyTagsToSnapshot",
    "the Neptune DB cluster's snapshots, automated and manual, carry none of its tags, so tag-based IAM conditions, "
    "AWS Backup selections and cost reports miss them; set it true",
    description="Neptune DB clusters should copy their tags to their snapshots, so a snapshot carries the owner, "
                "classification and cost tags that access and retention rules read.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub Neptune.8", "Config neptune-cluster-copy-tags-to-snapshot-enabled"),
    checks="""
    `copyTagsToSnapshot` is true (left out, the provider sends false: CreateDBCluster and
    RestoreDBClusterFromSnapshot `CopyTagsToSnapshot`); an unknown value is not judged""",
)


# The cluster parameter that turns Neptune's audit log on (1) or off (0, its default; Neptune User Guide, "Amazon
# Neptune parameters" and "Using Audit Logs with Amazon Neptune Clusters").
_AUDIT_PARAMETER = "neptune_enable_audit_log"
_GROUP = "neptuneClusterParameterGroupName"


def _audit_log_off(cluster: Any, resources: list) -> Optional[str]:
    """Why the cluster's parameter group leaves the audit log off, or None: on, or not known (an unknown name or
    value; a group the stack does not make, or one that may be the cluster's until the update)."""
    group = cluster_parameter_group(cluster, _GROUP, CLUSTER_PARAMETER_GROUP, resources)
    if group == DEFAULT_GROUP:
        # Neptune's default groups (default.neptune1.3, ...) keep the parameter at 0 and cannot be modified.
        name = peek(cluster.props, _GROUP)
        where = "is left out" if name is None else "is empty" if name == "" else f"is {name}"
        return f"{_GROUP} {where}: the default cluster parameter group, which keeps {_AUDIT_PARAMETER} at 0"
    value = None if group is None else parameter_value(group.props, _AUDIT_PARAMETER)
    if group is None or value is UNKNOWN or number(value) == 1:
        return None
    said = "leaves it out (0)" if value is None else f"sets it to {parameter_said(group.props, _AUDIT_PARAMETER)}"
    return f"cluster parameter group {group.name} {said}"


def _not_exported(what: str) -> str:
    """The finding of a cluster whose known `enableCloudwatchLogsExports` leaves out audit (`what` says how)."""
    return (f"enableCloudwatchLogsExports {what}: Neptune keeps the cluster's audit log (who sent which query, from "
            "where) on its instances only, where it rotates at 100 MB and goes with them, out of reach of CloudWatch "
            f"Logs searches and alarms; add audit, and set {_AUDIT_PARAMETER} to 1 in the cluster's own cluster "
            "parameter group (its default 0 writes no log)")


@stack_policy(
    "neptune-cluster-audit-logs", CLUSTER,
    description="Neptune DB clusters should write an audit log and publish it to CloudWatch Logs, where it outlives "
                "the instances and can be searched and alarmed on.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Neptune.2", "Config neptune-cluster-cloudwatch-log-export-enabled", "CT.NEPTUNE.PR.4"),
)
def audit_logs(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`enableCloudwatchLogsExports` holds `audit` (left out, the provider sends none and Neptune exports nothing;
    Security Hub Neptune.2 asks no more), and the cluster parameter group turns the log on: Neptune writes an audit
    log only where `neptune_enable_audit_log` is 1 (its default is 0), so exporting it alone sends nothing. The group
    is one the stack makes (`aws.neptune.ClusterParameterGroup`, named by `neptuneClusterParameterGroupName`) whose
    `parameters` set it to 1; a default group (`default.*`, none named, or an empty name) keeps it at 0. A cluster
    that exports no audit log has that one finding, whose fix names the parameter too (as DocumentDB's). Not judged:
    an unknown list or item of it (nor the group then, unless audit is known to be exported); a group made outside
    the stack, or one unknown until the update that may be one, or unknown parameters"""
    for cluster in of_type(args.resources, CLUSTER):
        left_out = logs_left_out(cluster.props, "enableCloudwatchLogsExports", ("audit",))
        # One finding a cluster, as DocumentDB's: the export's fix names the parameter too. Until the exports are
        # known, the group is not judged either: once known, they may make the export's finding the one.
        if left_out is not None:
            if left_out is not UNKNOWN:
                yield _not_exported(left_out[1]), cluster.urn
            continue
        off = _audit_log_off(cluster, args.resources)
        if off:
            yield (f"{off}: Neptune writes no audit log, and an audit export sends nothing; set {_AUDIT_PARAMETER} "
                   "to 1 in an aws.neptune.ClusterParameterGroup of the cluster's own (Neptune applies it when the "
                   "instances reboot)"), cluster.urn


def _single_az(cluster: Any, resources: list) -> Iterator[str]:
    """The cluster's finding: fewer than two cluster instances in the stack name it, or all of them name one
    `availabilityZone`; none while an instance unknown until the update may name it."""
    # A cluster's id is its identifier, known before the update where the program writes it.
    members, maybe = referring(resources, (CLUSTER_INSTANCE,), "clusterIdentifier", cluster,
                               keys=("clusterIdentifier",))
    if maybe:
        return
    finding = cluster_in_one_zone(
        f"Neptune DB cluster {cluster.name}", members,
        "its instances are all in one Availability Zone (DescribeDBClusters MultiAZ false), and when that zone or "
        "the primary fails the graph is down until Neptune recreates the primary",
        "add an aws.neptune.ClusterInstance in another Availability Zone, a read replica Neptune promotes when the "
        "primary's zone or host fails")
    if finding:
        yield finding


@stack_policy(
    "neptune-cluster-multi-az", CLUSTER,
    description="Neptune DB clusters should have instances in more than one Availability Zone, so an outage of one "
                "zone or host fails the graph over to a read replica instead of taking it down.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Neptune.9", "Config neptune-cluster-multi-az-enabled"),
)
def multi_az(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """at least two `aws.neptune.ClusterInstance`s name the cluster (`clusterIdentifier`, by its id or identifier),
    not all with the same `availabilityZone` (left out, Neptune picks one): Security Hub Neptune.9 reads the
    cluster's MultiAZ (DescribeDBClusters: "has instances in multiple Availability Zones"). One that may name it once
    known leaves it unjudged"""
    for cluster in of_type(args.resources, CLUSTER):
        for message in _single_az(cluster, args.resources):
            yield message, cluster.urn
