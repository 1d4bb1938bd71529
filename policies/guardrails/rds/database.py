"""RDS DB instances and clusters, judged by what pulumi-aws sends and what RDS does with what it leaves out
(terraform-provider-aws `aws_db_instance`, `aws_rds_cluster`, and the RDS API reference for CreateDBInstance and
CreateDBCluster)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.parameter_groups import DEFAULT_GROUP, cluster_parameter_group, parameter_value
from ..core.props import (UNKNOWN, copies_a_source, has_text, in_words, is_false, is_map, is_seq, is_true,
                          logs_left_out, num, number, peek, switched_off, too_few_days, version_numbers)
from ..core.registry import ADVISORY, config_value, resource_policy, stack_policy
from ..core.stack import of_type, referring
from ..core.zones import cluster_in_one_zone
from . import CLUSTER, CLUSTER_INSTANCE, INSTANCE, PARAMETER_GROUP


def _copies_its_source(args: ResourceValidationArgs) -> bool:
    """Whether the database takes its storage from another (a read replica, a cluster replicating another, a
    snapshot's or a point-in-time restore): RDS gives it the source's encryption (RestoreDBInstanceToPointInTime
    takes no StorageEncrypted)."""
    key = "replicateSourceDb" if args.resource_type == INSTANCE else "replicationSourceIdentifier"
    return copies_a_source(args.props, key, *_RESTORES)


# What restores a DB instance or cluster from a snapshot or to a point in time.
_RESTORES = ("snapshotIdentifier", "restoreToPointInTime")


def _restored(args: ResourceValidationArgs) -> bool:
    """Whether the database is, or may be, restored from a snapshot or to a point in time."""
    return copies_a_source(args.props, *_RESTORES)


def _noun(args: Any) -> str:
    """What a resource (a resource policy's args, or a stack policy's resource) is, by its type."""
    return {INSTANCE: "DB instance", CLUSTER: "DB cluster", CLUSTER_INSTANCE: "cluster instance"}[args.resource_type]


def _is_aurora(engine: Any) -> bool:
    """Whether an `engine` is one of Aurora's (aurora-mysql, aurora-postgresql), in any case."""
    return isinstance(engine, str) and engine.lower().startswith("aurora")


@resource_policy(
    "rds-instance-not-public", (INSTANCE, CLUSTER_INSTANCE, CLUSTER),
    description="RDS DB instances must not be publicly accessible: a public instance gets an address the internet "
                "resolves, and only its security group stands between the database and anyone.",
    severity=Severity.HIGH,
    anchors=("Security Hub RDS.2", "Config rds-instance-public-access-check"),
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`publiclyAccessible` is not true on a DB instance, an Aurora cluster's instance (left out on either, the
    provider sends false) or a Multi-AZ DB cluster (one with `dbClusterInstanceClass`: RDS makes its instances, and
    the cluster's setting is theirs). Left out on a Multi-AZ DB cluster, the provider sends nothing and RDS's
    default (CreateDBCluster `PubliclyAccessible`) is true without a DB subnet group or with the one named
    `default`, false with another; a restored one (`snapshotIdentifier`, `restoreToPointInTime`) takes the restore
    calls' default, public where the VPC has an internet gateway, which the stack does not show, and is not judged
    then; an unknown value, subnet group or instance class is not judged, nor an Aurora cluster, whose instances
    carry the setting"""
    public = peek(args.props, "publiclyAccessible")
    if args.resource_type == CLUSTER:
        if not has_text(peek(args.props, "dbClusterInstanceClass")):
            return
        if public is None:
            if _restored(args):
                return
            group = peek(args.props, "dbSubnetGroupName")
            if group is None or (isinstance(group, str) and group.lower() in ("", "default")):
                where = "the default DB subnet group" if group else "no DB subnet group"
                yield (f"publiclyAccessible is left out on a Multi-AZ DB cluster with {where}: RDS then makes it "
                       "publicly accessible, its instances reachable from the internet wherever their security group "
                       "lets anyone in; set publiclyAccessible false, or give it a DB subnet group of its own")
            return
    if is_true(public):
        yield (f"publiclyAccessible is true: the {_noun(args)} gets a public DNS name and address, reachable from the "
               "internet wherever its security group lets anyone in; keep it private and reach it from the VPC")


@resource_policy(
    "rds-db-storage-encrypted", (INSTANCE, CLUSTER),
    description="RDS DB instances and clusters must encrypt their storage, and with it their snapshots, backups "
                "and replicas: RDS cannot turn encryption on for an existing database.",
    severity=Severity.HIGH,
    anchors=("Security Hub RDS.3", "Security Hub RDS.27", "Config rds-storage-encrypted"),
)
def storage_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`storageEncrypted` is true on a DB instance or cluster (left out or false, RDS leaves a new DB instance or
    Multi-AZ DB cluster unencrypted; an Aurora cluster, `engine` aurora-*, created since 2026-02-18 is encrypted all
    the same, but with an AWS owned key, which the account can neither audit nor restrict with a key policy, and
    StorageEncrypted then reads false (StorageEncryptionType sse-rds), which Security Hub RDS.27 fails: the fix is
    storageEncrypted with a customer managed key; an Aurora Serverless v1 cluster, `engineMode` serverless, is always
    encrypted); not judged for a read replica, a replicating cluster, or a snapshot's or point-in-time restore, which
    take their source's encryption, nor when unknown (a cluster's `engine` or `engineMode` too: which finding it is, or
    whether one, waits)"""
    if _copies_its_source(args) or peek(args.props, "engineMode") in ("serverless", UNKNOWN):
        return  # serverless v1 is always encrypted (and may be, while the mode is unknown)
    off = switched_off(args.props, "storageEncrypted")
    if off is None:
        return
    engine = peek(args.props, "engine") if args.resource_type == CLUSTER else None
    if engine is UNKNOWN:  # which of the two findings waits for the update
        return
    if _is_aurora(engine):
        yield (f"storageEncrypted is {off}: Aurora encrypts a DB cluster created since 2026-02-18 all the same, but "
               "with an AWS owned key, which the account can neither audit nor restrict with a key policy, and "
               "StorageEncrypted then reads false (StorageEncryptionType sse-rds), which Security Hub RDS.27 "
               "fails (one created earlier is unencrypted); set storageEncrypted true with a customer managed key in "
               "kmsKeyId")
        return
    yield (f"storageEncrypted is {off}: the {_noun(args)}'s storage, snapshots and backups are unencrypted, and "
           "encrypting them later means a new database restored from an encrypted copy of a snapshot")


@resource_policy(
    "rds-db-deletion-protection", (INSTANCE, CLUSTER),
    description="RDS DB instances and clusters should have deletion protection on: a destroy, or an update that "
                "replaces the database, then fails until it is turned off, rather than deleting the data.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RDS.7", "Security Hub RDS.8", "Config rds-instance-deletion-protection-enabled",
             "Config rds-cluster-deletion-protection-enabled"),
)
def deletion_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`deletionProtection` is true on a DB instance or cluster (left out, the provider sends false); an unknown
    value is not judged"""
    off = switched_off(args.props, "deletionProtection")
    if off is not None:
        yield (f"deletionProtection is {off}: a destroy, or a change that replaces the {_noun(args)} (a new "
               "identifier, engine or encryption setting), deletes it")


@resource_policy(
    "rds-db-backup-retention", (INSTANCE, CLUSTER),
    description="RDS DB instances and clusters must keep automated backups for at least the days knob "
                "minimumDays says (7 by default), so a bad write or a dropped table can be undone to a point in "
                "time.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub RDS.11", "Config db-instance-backup-enabled"),
    config={"minimumDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7,
                            "description": "The fewest days of automated backups a database may keep (RDS keeps 1 to "
                                           "35; Security Hub RDS.11's backupRetentionMinimum defaults to 7)."}},
)
def backup_retention(args: ResourceValidationArgs) -> Iterator[str]:
    """`backupRetentionPeriod` is at least knob `minimumDays` (left out, RDS keeps 1 day: CreateDBInstance's and
    the provider's cluster default; 0 turns a DB instance's backups off, and is a value CreateDBCluster refuses: "Must
    be a value from 1 to 35"); not judged for a read replica, whose source keeps the backups, nor when unknown"""
    source = peek(args.props, "replicateSourceDb") if args.resource_type == INSTANCE else None
    if source is UNKNOWN or has_text(source):
        return
    finding = too_few_days(args.props, "backupRetentionPeriod", int(config_value(args, "minimumDays")),
                           "RDS keeps 1 day", "automated backups", f"a {_noun(args)}", "a bad write",
                           zero="automated backups are off" if args.resource_type == INSTANCE else
                           "a value RDS refuses for a DB cluster (CreateDBCluster takes 1 to 35)")
    if finding:
        yield finding


def _rds_custom(args: Any) -> Optional[bool]:
    """Whether a DB instance (a resource policy's args, or a stack policy's resource) is an RDS Custom one (`engine`
    custom-oracle-ee, custom-sqlserver-se, ...); None while its engine is unknown. Clusters and their instances are
    never."""
    engine = peek(args.props, "engine") if args.resource_type == INSTANCE else None
    return None if engine is UNKNOWN else isinstance(engine, str) and engine.lower().startswith("custom-")


@resource_policy(
    "rds-db-auto-minor-version-upgrade", (INSTANCE, CLUSTER_INSTANCE, CLUSTER),
    description="RDS DB instances, Aurora cluster instances and DB clusters should take minor engine upgrades "
                "automatically, so the engine's security fixes reach every database in its maintenance window.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RDS.13", "Security Hub RDS.35", "Config rds-automatic-minor-version-upgrade-enabled",
             "Config rds-cluster-auto-minor-version-upgrade-enable"),
)
def auto_minor_version_upgrade(args: ResourceValidationArgs) -> Iterator[str]:
    """`autoMinorVersionUpgrade` is not false on a DB instance, cluster instance or DB cluster (left out, on by
    the provider's and RDS's default: CreateDBInstance, CreateDBCluster `AutoMinorVersionUpgrade`; an Aurora cluster
    is upgraded only when it and each of its instances have it on, AWS Config's rds-automatic-minor-version-upgrade-
    enabled); an unknown value is not judged. An RDS Custom DB instance (`engine` custom-*) is not judged:
    CreateDBInstance requires it to turn them off, nor is an instance whose engine is unknown"""
    if is_false(peek(args.props, "autoMinorVersionUpgrade")) and _rds_custom(args) is False:
        yield (f"autoMinorVersionUpgrade is false: the {_noun(args)} stays on its minor engine version, without the "
               "security fixes of later ones, until someone upgrades it; leave it on")


@resource_policy(
    "rds-db-master-password-managed", (INSTANCE, CLUSTER),
    description="RDS master passwords should be kept by RDS in Secrets Manager (manageMasterUserPassword), which "
                "rotates them, not passed by the program, which never rotates them and writes them to the stack's "
                "state.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchor_note="Secrets Manager integration, the RDS guide's recommendation; no rule id",
)
def master_password_managed(args: ResourceValidationArgs) -> Iterator[str]:
    """no `password` (a DB instance's) or `masterPassword` (a cluster's), nor its write-only form (`passwordWo`,
    `masterPasswordWo`, which the state keeps among the inputs as a secret), is passed, known or not: with
    `manageMasterUserPassword` RDS generates it, keeps it in Secrets Manager and rotates it"""
    key = "password" if args.resource_type == INSTANCE else "masterPassword"
    # The bridge keeps a write-only input in the state's inputs too, as a secret (pulumi-terraform-bridge #3215).
    for given, kept in ((key, "it is in the stack's state and never rotates"),
                        (f"{key}Wo", "it never rotates, and the state keeps it among the inputs as a secret")):
        if peek(args.props, given) is not None:
            yield (f"{given} is passed by the program: {kept}; set manageMasterUserPassword instead, and let the "
                   "app read the secret RDS keeps in Secrets Manager")


def _judged_engine(args: ResourceValidationArgs) -> Optional[str]:
    """The lower-cased `engine` of a DB instance or cluster whose engine settings are judged, or None: an engine
    left out (a replica's, which its source sets) or unknown; an instance of an `aurora-*` engine, whose cluster
    holds them (CreateDBInstance: an Aurora instance's log exports and IAM database authentication are managed by
    the DB cluster); an Aurora Serverless v1 cluster, `engineMode` serverless (or unknown, which may be it, on an
    `aurora*` engine: v1 ran no other), which takes no IAM database authentication, Security Hub RDS.34 does not
    judge, and RDS no longer creates (2025-01-08; its end of life was 2025-03-31)."""
    engine = peek(args.props, "engine")
    if not isinstance(engine, str):
        return None
    if _is_aurora(engine) and (args.resource_type == INSTANCE
                               or peek(args.props, "engineMode") in ("serverless", UNKNOWN)):
        return None
    return engine.lower()


# The logs Security Hub asks each engine to publish (RDS.9's list; RDS.34, RDS.36, RDS.37, RDS.40 and RDS.42 ask
# some of them of Aurora MySQL, PostgreSQL, Aurora PostgreSQL, SQL Server and MariaDB), as EnableCloudwatchLogsExports
# names them; an engine matches an entry ending in "-" by its prefix. Aurora PostgreSQL has no "upgrade" log to export
# (CreateDBCluster takes instance, postgresql, iam-db-auth-error), and SQL Server Express no SQL Server Agent, so no
# agent log.
_REQUIRED_LOGS = {
    "aurora-mysql": ("audit", "error", "general", "slowquery"),
    "aurora-postgresql": ("postgresql",),
    "mariadb": ("audit", "error", "general", "slowquery"),
    "mysql": ("audit", "error", "general", "slowquery"),
    "oracle-": ("alert", "audit", "listener", "trace"),
    "postgres": ("postgresql", "upgrade"),
    "sqlserver-ex": ("error",),
    "sqlserver-": ("agent", "error"),
}


def _by_engine(table: dict, engine: str) -> Any:
    """What `table` holds for a lower-case `engine`: its own entry, else that of an entry ending in "-" it starts
    with (sqlserver- for sqlserver-ee, sqlserver-ex, ...); None where neither."""
    return table.get(engine) or next((entry for key, entry in table.items()
                                      if key.endswith("-") and engine.startswith(key)), None)


def _required_logs(engine: str, resource_type: str) -> tuple[str, ...]:
    """The logs a DB instance or cluster of `engine` (lower case: `_judged_engine`) must export; none for an engine
    the table does not hold."""
    logs = _by_engine(_REQUIRED_LOGS, engine) or ()
    if resource_type == CLUSTER and engine == "mysql":
        # A Multi-AZ DB cluster of MySQL has no audit log to export (CreateDBCluster: error, general, slowquery).
        return tuple(log for log in logs if log != "audit")
    return logs


@resource_policy(
    "rds-db-log-exports", (INSTANCE, CLUSTER),
    description="RDS DB instances and clusters should publish their engine's logs to CloudWatch Logs, where they "
                "outlive the database and can be searched and alarmed on.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RDS.9", "Security Hub RDS.34", "Security Hub RDS.36", "Security Hub RDS.37",
             "Security Hub RDS.40", "Security Hub RDS.42", "Config rds-logging-enabled"),
)
def log_exports(args: ResourceValidationArgs) -> Iterator[str]:
    """`enabledCloudwatchLogsExports` (left out, the provider sends none and RDS exports nothing) holds the logs
    Security Hub asks of the `engine`: Oracle alert, audit, listener and trace; PostgreSQL postgresql and upgrade;
    MySQL and MariaDB audit, error, general and slowquery (a Multi-AZ DB cluster of MySQL has no audit log to
    export); SQL Server agent and error (Express, without SQL Server Agent, error); an Aurora MySQL cluster audit,
    error, general and slowquery; an Aurora PostgreSQL cluster postgresql (it has no upgrade log). An Aurora cluster's
    instances export the cluster's logs and take none of their own (CreateDBInstance), so an instance of an
    `aurora-*` engine is not judged, nor an Aurora Serverless v1 cluster (`engineMode` serverless: RDS.34 skips it,
    and RDS creates none since 2025-01-08), RDS Custom, Db2 or an engine left out (a replica's, which its source
    sets); an unknown engine, list or item of it, or an Aurora cluster's unknown mode, is not judged. Exporting a log
    does not write it: MySQL's general and slow query logs need their parameters, its audit log the
    MARIADB_AUDIT_PLUGIN option"""
    engine = _judged_engine(args)
    required = _required_logs(engine, args.resource_type) if engine else ()
    if not required:
        return
    left_out = logs_left_out(args.props, "enabledCloudwatchLogsExports", required)
    if isinstance(left_out, tuple):
        missing, what = left_out
        logs, them = (f"{in_words(missing)} logs", "them") if len(missing) > 1 else (f"{missing[0]} log", "it")
        yield (f"enabledCloudwatchLogsExports {what}: RDS keeps the {_noun(args)}'s {logs} on the database's own "
               f"storage for a limited time and deletes {them} with the database, out of reach of CloudWatch Logs "
               f"searches and alarms; export {in_words(list(required))}")


# The engines IAM database authentication works with (RDS User Guide, "IAM database authentication for MariaDB,
# MySQL, and PostgreSQL"; Aurora User Guide: Aurora MySQL and Aurora PostgreSQL); Security Hub RDS.10 reads these.
_IAM_AUTH_ENGINES = ("aurora-mysql", "aurora-postgresql", "mariadb", "mysql", "postgres")


@resource_policy(
    "rds-db-iam-auth", (INSTANCE, CLUSTER),
    description="RDS DB instances and clusters of an engine that takes IAM database authentication should turn it "
                "on, so clients can sign in with short-lived tokens their IAM roles grant instead of a password.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RDS.10", "Security Hub RDS.12", "Config rds-instance-iam-authentication-enabled",
             "Config rds-cluster-iam-authentication-enabled"),
)
def iam_database_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """`iamDatabaseAuthenticationEnabled` is true (left out, the provider sends false: CreateDBInstance,
    CreateDBCluster `EnableIAMDatabaseAuthentication`, off by default) on a DB instance or cluster of an `engine`
    IAM database authentication works with: MySQL, MariaDB, PostgreSQL, Aurora MySQL, Aurora PostgreSQL. Not judged:
    another engine or one left out (a replica's, its source's), an instance of an `aurora-*` engine (its cluster
    holds the setting), an Aurora Serverless v1 cluster (`engineMode` serverless, which does not take it), or an
    unknown engine or value, or an Aurora cluster's unknown mode. Database passwords keep working beside it"""
    if _judged_engine(args) not in _IAM_AUTH_ENGINES:
        return
    off = switched_off(args.props, "iamDatabaseAuthenticationEnabled")
    if off is not None:
        yield (f"iamDatabaseAuthenticationEnabled is {off}: every client of the {_noun(args)} signs in with a "
               "database user's password, which it must hold; turn it on so clients sign in with 15-minute tokens "
               "their IAM roles grant (rds-db:connect)")


def _single_az_instance(instance: Any) -> Iterator[str]:
    """A DB instance's finding: `multiAz` not true (left out, the provider sends none and RDS makes a Single-AZ
    deployment)."""
    engine = peek(instance.props, "engine")
    # Aurora's instances take their zones from the cluster (CreateDBInstance MultiAZ: "doesn't apply to Amazon
    # Aurora"); RDS offers SQL Server Multi-AZ on Standard, Enterprise and Web editions only, not Express.
    if engine is UNKNOWN or _is_aurora(engine) or (isinstance(engine, str) and engine.lower() == "sqlserver-ex"):
        return
    off = switched_off(instance.props, "multiAz")
    if off is not None:
        yield (f"multiAz is {off}: the DB instance runs in one Availability Zone, and an outage there or of its host "
               "takes the database down until RDS recovers it; set multiAz true, so RDS keeps a synchronous standby "
               "in another zone and fails over to it (a standby costs as much as the instance)")


def _limitless(cluster: Any) -> bool:
    """Whether an Aurora cluster is, or may be, an Aurora PostgreSQL Limitless Database (`clusterScalabilityType`
    limitless): it "can't have any writer or reader DB instances" (Aurora User Guide); its DB shard group's
    `computeRedundancy` places standbys in other zones."""
    scalability = peek(cluster.props, "clusterScalabilityType")
    return scalability is UNKNOWN or (isinstance(scalability, str) and scalability.lower() == "limitless")


def _cluster_members(cluster: Any, resources: list) -> tuple[list, bool]:
    """The cluster instances in the stack whose `clusterIdentifier` names `cluster`, and whether another, unknown
    until the update, may. A cluster's id is its identifier, which a first preview knows where the program writes it
    (its id it does not), so another cluster's instances that write theirs are not possibly this one's."""
    return referring(resources, (CLUSTER_INSTANCE,), "clusterIdentifier", cluster, keys=("clusterIdentifier",))


def _single_az_cluster(cluster: Any, resources: list) -> Iterator[str]:
    """An Aurora cluster's finding: fewer than two cluster instances in the stack name it, or all of them name one
    `availabilityZone`."""
    engine, mode = peek(cluster.props, "engine"), peek(cluster.props, "engineMode")
    if not _is_aurora(engine) or mode in ("serverless", UNKNOWN) or _limitless(cluster):
        return
    members, maybe = _cluster_members(cluster, resources)
    if maybe:
        return
    finding = cluster_in_one_zone(
        f"Aurora DB cluster {cluster.name}", members,
        "its DB instances are all in one Availability Zone (DescribeDBClusters MultiAZ false)",
        "add an aws.rds.ClusterInstance in another Availability Zone, to which Aurora fails over when the writer's "
        "zone or host fails")
    if finding:
        yield finding


@stack_policy(
    "rds-db-multi-az", (INSTANCE, CLUSTER),
    description="RDS DB instances and Aurora DB clusters should run in more than one Availability Zone, so an "
                "outage of one zone or host fails the database over instead of taking it down.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RDS.5", "Security Hub RDS.15", "Config rds-multi-az-support",
             "Config rds-cluster-multi-az-enabled"),
)
def multi_az(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a DB instance has `multiAz` true (left out, the provider sends none and RDS makes a Single-AZ deployment; a
    read replica takes its own, CreateDBInstanceReadReplica `MultiAZ`); not judged: an instance of an `aurora-*`
    engine (its cluster places it), SQL Server Express (`sqlserver-ex`, which RDS cannot make Multi-AZ) or an unknown
    engine or value. An Aurora cluster (`engine` aurora-*) is Multi-AZ when its instances are in more than one zone
    (DescribeDBClusters `MultiAZ`, which RDS.15 reads): at least two `aws.rds.ClusterInstance`s name it, not all
    with the same `availabilityZone` (left out, Aurora picks one); one that may name it once known, an Aurora
    Serverless v1 cluster (`engineMode` serverless, or unknown) or a Limitless Database cluster
    (`clusterScalabilityType` limitless, or unknown: it takes no DB instances) leave it unjudged. A Multi-AZ DB
    cluster (`engine` mysql or postgres) always has three instances in three zones"""
    for instance in of_type(args.resources, INSTANCE):
        for message in _single_az_instance(instance):
            yield message, instance.urn
    for cluster in of_type(args.resources, CLUSTER):
        for message in _single_az_cluster(cluster, args.resources):
            yield message, cluster.urn


# The intervals RDS takes, in seconds (CreateDBInstance, CreateDBCluster `MonitoringInterval`, an integer: "Valid
# Values: 0 | 1 | 5 | 10 | 15 | 30 | 60"); 0, its default, turns Enhanced Monitoring off.
_INTERVALS = (0, 1, 5, 10, 15, 30, 60)


def _interval(props: Any) -> Any:
    """`monitoringInterval` in seconds (left out, the provider sends none: RDS's default 0), UNKNOWN, or None for a
    value RDS does not take: one not in `_INTERVALS`, or not a number at all (a boolean, a list, text like "abc")."""
    given = peek(props, "monitoringInterval")
    seconds = 0 if given is None else number(given)
    return seconds if seconds is UNKNOWN or seconds in _INTERVALS else None


def _monitored_members(resources: list) -> tuple[set[str], bool]:
    """The URNs of the cluster instances whose Aurora cluster turns Enhanced Monitoring on, or may (unknown):
    CreateDBCluster takes MonitoringInterval for Aurora DB clusters; and whether an instance whose cluster is
    unknown until the update may be one of them."""
    covered, maybe_more = set(), False
    for cluster in of_type(resources, CLUSTER):
        if _is_aurora(peek(cluster.props, "engine")) and _interval(cluster.props):  # on, or unknown until the update
            members, maybe = _cluster_members(cluster, resources)
            covered.update(member.urn for member in members)
            maybe_more = maybe_more or maybe
    return covered, maybe_more


def _monitoring_asked(resource: Any, covered: set[str], maybe_more: bool) -> bool:
    """Whether Enhanced Monitoring left off is a finding of `resource`: a DB instance's; a cluster instance's, unless
    its Aurora cluster turns it on (`_monitored_members`: `covered`, or `maybe_more` for one whose cluster is unknown
    until the update); a Multi-AZ DB cluster's (RDS makes its instances from the cluster's setting), not an Aurora
    cluster's, whose instances are asked, nor that of a cluster whose engine is unknown."""
    if resource.resource_type == CLUSTER_INSTANCE:
        return not (resource.urn in covered or maybe_more and peek(resource.props, "clusterIdentifier") is UNKNOWN)
    engine = peek(resource.props, "engine")
    return resource.resource_type == INSTANCE or (isinstance(engine, str) and not _is_aurora(engine))


@stack_policy(
    "rds-db-enhanced-monitoring", (INSTANCE, CLUSTER_INSTANCE, CLUSTER),
    description="RDS DB instances, Aurora cluster instances and Multi-AZ DB clusters should turn Enhanced "
                "Monitoring on, so the metrics of the database's operating system are there when it slows down.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub RDS.6", "Config rds-enhanced-monitoring-enabled"),
)
def enhanced_monitoring(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`monitoringInterval` is 1, 5, 10, 15, 30 or 60 seconds (left out, the provider sends none and RDS's default
    is 0: off) on a DB instance, an Aurora cluster instance (or its cluster, whose own interval is taken to cover the
    instances that name it) and a Multi-AZ DB cluster (`engine` mysql or postgres: RDS makes its instances from the
    cluster's setting). A non-zero interval comes with a `monitoringRoleArn` on any of them, an Aurora cluster too
    (CreateDBInstance, CreateDBCluster: "If MonitoringInterval is set to a value other than 0, then you must supply
    a MonitoringRoleArn value", on Aurora and Multi-AZ DB clusters alike). An interval RDS does not take
    (MonitoringInterval is an integer, one of 0, 1, 5, 10, 15, 30 and 60), or not a number at all, is a finding of
    its own. Not judged: an RDS Custom DB instance (`engine` custom-*: the setting "doesn't apply") or one whose
    engine is unknown, an unknown interval or role; nor an interval left off on a cluster whose engine is unknown (an
    Aurora cluster's instances are asked) or on a cluster instance whose cluster, unknown until the update, may turn
    it on"""
    covered, maybe_more = _monitored_members(args.resources)
    for resource in of_type(args.resources, INSTANCE, CLUSTER_INSTANCE, CLUSTER):
        if resource.resource_type == INSTANCE and _rds_custom(resource) is not False:
            continue  # the setting "doesn't apply" to RDS Custom, which an engine unknown until the update may be
        given, seconds = peek(resource.props, "monitoringInterval"), _interval(resource.props)
        if seconds is UNKNOWN:
            continue
        if seconds is None:
            # A list or map is named, not printed: the analyzer's proxies have no readable form.
            what = "a list" if is_seq(given) else "a map" if is_map(given) else repr(given)
            shown = f"{what}, not a number of seconds" if number(given) is None else num(number(given))
            yield (f"monitoringInterval is {shown}: RDS takes 0 (off), 1, 5, 10, 15, 30 or 60 seconds; set it to 60 "
                   "or less, with a monitoringRoleArn"), resource.urn
            continue
        if seconds:
            if peek(resource.props, "monitoringRoleArn") is None:
                message = (f"monitoringInterval is {num(seconds)} but monitoringRoleArn is left out: RDS refuses a "
                           "non-zero interval without the role it writes the metrics with; give the ARN of a role "
                           "monitoring.rds.amazonaws.com may assume, with the AmazonRDSEnhancedMonitoringRole policy")
                yield message, resource.urn
            continue
        if _monitoring_asked(resource, covered, maybe_more):
            off = "is left out" if given is None else "is 0"
            yield (f"monitoringInterval {off}: RDS collects no Enhanced Monitoring metrics from the "
                   f"{_noun(resource)}'s operating system (its processes, memory and file systems), only the "
                   "CloudWatch metrics it gathers from the hypervisor; set it to 60 seconds or less, with a "
                   "monitoringRoleArn"), resource.urn


# What makes a DB instance of each engine refuse connections without TLS, as Security Hub asks it (RDS.38, RDS.39,
# RDS.41, RDS.44: the parameter of the instance's DB parameter group), and the default an engine version's groups give
# it, as (first version, default) steps, the last one the version reaches holding: None where AWS documents none, and
# none below the first (MariaDB before 10.5 has no require_secure_transport, which RDS.44 does not judge). The RDS User
# Guide's defaults: rds.force_ssl 1 from PostgreSQL 15 on, 0 before and on SQL Server; require_secure_transport OFF up
# to MySQL 8.4, ON from MySQL 9.7 on; OFF on MariaDB 10.5 to 11.4, ON from 11.8 on.
_TLS_PARAMETERS = {
    "postgres": ("rds.force_ssl", "RDS.38", (((0,), "0"), ((15,), "1"))),
    "mysql": ("require_secure_transport", "RDS.39", (((0, 0), "0"), ((8, 5), None), ((9, 7), "1"))),
    "mariadb": ("require_secure_transport", "RDS.44", (((10, 5), "0"), ((11, 5), None), ((11, 8), "1"))),
    "sqlserver-": ("rds.force_ssl", "RDS.41", (((0,), "0"),)),
}
# The values that turn either parameter off (the RDS User Guide sets them to 0 or 1; MySQL and MariaDB name them OFF
# and ON too); any other is not judged.
_TLS_OFF = ("0", "off", "false")


def _default_of(steps: tuple, version: Optional[tuple[int, ...]]) -> Optional[str]:
    """The default `steps` give `version`, any version where there is one step; None where not known: no version, one
    too short to place (MySQL 8 may be 8.0 or 8.4, MariaDB 11 may be 11.4 or 11.8), or one below the first step or
    AWS documents no default for."""
    if len(steps) == 1:
        return steps[0][1]
    if version is None or len(version) < max(len(first) for first, _ in steps):
        return None
    return next((default for first, default in reversed(steps) if version >= first), None)


def _plain_text_finding(instance: Any, resources: list) -> Iterator[str]:
    """A DB instance's finding: its parameter group, or its engine's default group, leaves TLS optional."""
    engine = peek(instance.props, "engine")
    rule = _by_engine(_TLS_PARAMETERS, engine.lower()) if isinstance(engine, str) else None
    if rule is None:
        return
    parameter, control, steps = rule
    taken = ("the DB instance takes plain-text connections, and its clients' queries, results and passwords cross "
             f"the network readable (Security Hub {control})")
    group = cluster_parameter_group(instance, "parameterGroupName", PARAMETER_GROUP, resources)
    if group == DEFAULT_GROUP:
        if not peek(instance.props, "parameterGroupName") and copies_a_source(instance.props, "replicateSourceDb"):
            return  # given no group, a same-Region read replica takes its source's (CreateDBInstanceReadReplica)
        version = peek(instance.props, "engineVersion")
        value = _default_of(steps, version_numbers(version, within=True))
        if value in _TLS_OFF:
            # The version is said where it decides (and so is known), not where it may be unknown until the update.
            which = f"{engine} {version}" if len(steps) > 1 else engine
            yield (f"the DB instance takes its engine's default parameter group, whose {parameter} is {value} for "
                   f"{which} and cannot be changed: {taken}; give it a parameter group of its own with {parameter} 1")
        return
    value = None if group is None else parameter_value(group.props, parameter)
    given = value is not None
    if group is not None and not given:
        value = _default_of(steps, version_numbers(peek(group.props, "family"), within=True))
    if value in _TLS_OFF:
        # As above: the family is said where it decides, not on SQL Server, where it may be unknown until the update.
        family = f"family {peek(group.props, 'family')}'s" if len(steps) > 1 else "its family's"
        what = f"sets {parameter} {value}" if given else f"sets no {parameter}, so it keeps {family} default, {value}"
        yield f"parameterGroupName names parameter group {group.name}, which {what}: {taken}; set {parameter} 1 there"


@stack_policy(
    "rds-instance-tls-required", INSTANCE,
    description="RDS DB instances of PostgreSQL, MySQL, MariaDB and SQL Server must refuse connections without TLS, "
                "so no client's queries, results or password cross the network in plain text.",
    severity=Severity.HIGH,
    anchors=("Security Hub RDS.38", "Security Hub RDS.39", "Security Hub RDS.41", "Security Hub RDS.44",
             "Config rds-postgres-instance-encrypted-in-transit", "Config rds-mysql-instance-encrypted-in-transit",
             "Config rds-sqlserver-encrypted-in-transit", "Config rds-mariadb-instance-encrypted-in-transit"),
)
def tls_required(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """the DB instance's parameter group turns TLS on for its `engine`: `rds.force_ssl` 1 for PostgreSQL (Security
    Hub RDS.38) and SQL Server (RDS.41), `require_secure_transport` 1 (ON) for MySQL (RDS.39) and MariaDB (RDS.44).
    `parameterGroupName` names an `aws.rds.ParameterGroup` of the stack by its name (its id) in the instance's account
    and region; a parameter that group leaves out keeps its `family`'s default, and the engine's default group
    (`parameterGroupName` left out, or a default.* one), which cannot be changed, the `engineVersion`'s: rds.force_ssl
    is 1 from PostgreSQL 15 on, 0 before and on SQL Server; require_secure_transport OFF up to MySQL 8.4 and on MariaDB
    10.5 to 11.4, ON from MySQL 9.7 and from MariaDB 11.8 on (RDS User Guide). Not judged: another engine, or one left
    out (a replica's, its source's); a read replica given no group (a same-Region one takes its source's, whatever
    engine it names); MariaDB before 10.5 (no such parameter); a version AWS documents no default for, or left out
    (RDS picks one); a group made elsewhere, or named by a value unknown until the update; an unknown entry or value.
    Aurora and Multi-AZ DB clusters are not asked: RDS.38 and RDS.39 skip a cluster's instances, and no Security Hub
    control judges a cluster's TLS"""
    for instance in of_type(args.resources, INSTANCE):
        for message in _plain_text_finding(instance, args.resources):
            yield message, instance.urn
