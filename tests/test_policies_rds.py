"""RDS guardrails against tests/programs/policy_rds (raw DB instances and Aurora clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_rds"
M, A = "mandatory", "advisory"
PUBLIC, ENCRYPTED = "rds-instance-not-public", "rds-db-storage-encrypted"
PROTECTED, BACKUPS, PASSWORD = "rds-db-deletion-protection", "rds-db-backup-retention", "rds-db-master-password-managed"
UPGRADES, LOGS, IAM_AUTH = "rds-db-auto-minor-version-upgrade", "rds-db-log-exports", "rds-db-iam-auth"
SNAPSHOT, PROXY_TLS, PROXY_IAM = "rds-snapshot-not-public", "rds-proxy-tls-required", "rds-proxy-iam-auth"
MULTI_AZ, MONITORING, TLS = "rds-db-multi-az", "rds-db-enhanced-monitoring", "rds-instance-tls-required"
PLAIN_TEXT = ("the DB instance takes plain-text connections, and its clients' queries, results and passwords cross the "
              "network readable (Security Hub {})")
UNMONITORED = ("monitoringInterval {}: RDS collects no Enhanced Monitoring metrics from the {}'s operating system (its "
               "processes, memory and file systems), only the CloudWatch metrics it gathers from the hypervisor; set "
               "it to 60 seconds or less, with a monitoringRoleArn")
ONE_ZONE = ("Aurora DB cluster {} has {} in the stack: its DB instances are all in one Availability Zone "
            "(DescribeDBClusters MultiAZ false); add an aws.rds.ClusterInstance in another Availability Zone, to which "
            "Aurora fails over when the writer's zone or host fails")

FAILING = [
    Finding(PUBLIC, "public-db", M, "publiclyAccessible is true: the DB instance gets a public DNS name and address"),
    Finding(PUBLIC, "accounts-public", M, "publiclyAccessible is true: the cluster instance gets a public DNS name"),
    Finding(PUBLIC, "maz-public", M, "publiclyAccessible is true: the DB cluster gets a public DNS name and address"),
    Finding(PUBLIC, "maz-bare", M, "publiclyAccessible is left out on a Multi-AZ DB cluster with no DB subnet group: "
                                   "RDS then makes it publicly accessible"),
    Finding(PUBLIC, "maz-default", M, "publiclyAccessible is left out on a Multi-AZ DB cluster with the default DB "
                                      "subnet group: RDS then makes it publicly accessible"),
    Finding(ENCRYPTED, "bare-db", M, "storageEncrypted is unset (false): the DB instance's storage, snapshots and "
                                     "backups are unencrypted"),
    # Aurora encrypts a new cluster all the same, but with a key StorageEncrypted does not report.
    Finding(ENCRYPTED, "weak-cluster", M, "storageEncrypted is false: Aurora encrypts a DB cluster created since "
                                          "2026-02-18 all the same, but with an AWS owned key"),
    Finding(BACKUPS, "bare-db", M, "backupRetentionPeriod is left out: RDS keeps 1 day, fewer than the 7 days of "
                                   "automated backups a DB instance must keep to be restored to a point before a bad "
                                   "write; set backupRetentionPeriod to 7 or more (at most 35)"),
    Finding(BACKUPS, "no-backups-db", M, "backupRetentionPeriod is 0: automated backups are off, fewer than the 7"),
    Finding(BACKUPS, "weak-cluster", M, "backupRetentionPeriod is 3 days, fewer than the 7 days of automated backups "
                                        "a DB cluster must keep"),
    Finding(PROTECTED, "bare-db", A, "deletionProtection is unset (false): a destroy, or a change that replaces the "
                                     "DB instance"),
    Finding(PROTECTED, "weak-cluster", A, "deletionProtection is unset (false)"),
    Finding(PASSWORD, "bare-db", A, "password is passed by the program: it is in the stack's state and never rotates; "
                                    "set manageMasterUserPassword instead"),
    # Known only after the update, and passed all the same.
    Finding(PASSWORD, "legacy-db", A, "password is passed by the program"),
    Finding(PASSWORD, "weak-cluster", A, "masterPassword is passed by the program"),
    Finding(PASSWORD, "wo-db", A, "passwordWo is passed by the program: it never rotates, and the state keeps it "
                                  "among the inputs as a secret; set manageMasterUserPassword instead"),
    Finding(UPGRADES, "frozen-db", A, "autoMinorVersionUpgrade is false: the DB instance stays on its minor engine "
                                      "version, without the security fixes of later ones, until someone upgrades it; "
                                      "leave it on"),
    Finding(UPGRADES, "accounts-frozen", A, "autoMinorVersionUpgrade is false: the cluster instance stays on its"),
    Finding(UPGRADES, "maz-frozen", A, "autoMinorVersionUpgrade is false: the DB cluster stays on its minor engine"),
    Finding(LOGS, "quiet-db", A, "enabledCloudwatchLogsExports is left out: RDS keeps the DB instance's postgresql "
                                 "and upgrade logs on the database's own storage for a limited time and deletes them "
                                 "with the database, out of reach of CloudWatch Logs searches and alarms; export "
                                 "postgresql and upgrade"),
    Finding(LOGS, "half-logged-db", A, "enabledCloudwatchLogsExports leaves out upgrade: RDS keeps the DB instance's "
                                       "upgrade log on the database's own storage for a limited time and deletes it "
                                       "with the database"),
    Finding(LOGS, "oracle-db", A, "enabledCloudwatchLogsExports leaves out listener: RDS keeps the DB instance's "
                                  "listener log"),
    Finding(LOGS, "weak-cluster", A, "enabledCloudwatchLogsExports is left out: RDS keeps the DB cluster's audit, "
                                     "error, general and slowquery logs"),
    Finding(IAM_AUTH, "bare-db", A, "iamDatabaseAuthenticationEnabled is unset (false): every client of the DB "
                                    "instance signs in with a database user's password, which it must hold; turn it "
                                    "on so clients sign in with 15-minute tokens their IAM roles grant "
                                    "(rds-db:connect)"),
    Finding(IAM_AUTH, "password-only-db", A, "iamDatabaseAuthenticationEnabled is false: every client of the DB "
                                             "instance signs in"),
    Finding(IAM_AUTH, "weak-cluster", A, "iamDatabaseAuthenticationEnabled is unset (false): every client of the DB "
                                         "cluster signs in"),
    Finding(MULTI_AZ, "single-az-db", A, "multiAz is unset (false): the DB instance runs in one Availability Zone, "
                                         "and an outage there or of its host takes the database down until RDS "
                                         "recovers it; set multiAz true, so RDS keeps a synchronous standby in another "
                                         "zone and fails over to it (a standby costs as much as the instance)"),
    Finding(MULTI_AZ, "pinned-db", A, "multiAz is false: the DB instance runs in one Availability Zone"),
    Finding(MULTI_AZ, "lone-cluster", A, ONE_ZONE.format("lone-cluster", "one cluster instance (lone-1)")),
    Finding(MULTI_AZ, "weak-cluster", A, ONE_ZONE.format("weak-cluster", "no cluster instance")),
    Finding(MULTI_AZ, "pitr-cluster", A, ONE_ZONE.format("pitr-cluster", "no cluster instance")),
    Finding(MULTI_AZ, "pinned-cluster", A, "Aurora DB cluster pinned-cluster's cluster instances (pinned-1 and "
                                           "pinned-2) are all in availabilityZone us-east-1a: an outage there takes "
                                           "every one of them down; add an aws.rds.ClusterInstance in another"),
    Finding(MONITORING, "unmonitored-db", A, UNMONITORED.format("is left out", "DB instance")),
    Finding(MONITORING, "monitoring-off-db", A, UNMONITORED.format("is 0", "DB instance")),
    Finding(MONITORING, "no-role-db", A, "monitoringInterval is 60 but monitoringRoleArn is left out: RDS refuses a "
                                         "non-zero interval without the role it writes the metrics with; give the "
                                         "ARN of a role monitoring.rds.amazonaws.com may assume, with the "
                                         "AmazonRDSEnhancedMonitoringRole policy"),
    Finding(MONITORING, "odd-interval-db", A, "monitoringInterval is '60s', not a number of seconds: RDS takes 0 "
                                              "(off), 1, 5, 10, 15, 30 or 60 seconds; set it to 60 or less, with a "
                                              "monitoringRoleArn"),
    # Its cluster does not turn it on for it either.
    Finding(MONITORING, "lone-1", A, UNMONITORED.format("is left out", "cluster instance")),
    Finding(MONITORING, "maz-unmonitored", A, UNMONITORED.format("is left out", "DB cluster")),
    Finding(MONITORING, "weak-cluster", A, "monitoringInterval is 60 but monitoringRoleArn is left out: RDS refuses "
                                           "a non-zero interval without the role it writes the metrics with"),
    # TLS left optional: by the engine version's default group, or by the instance's own group.
    Finding(TLS, "pg14-db", M, "the DB instance takes its engine's default parameter group, whose rds.force_ssl is 0 "
                               "for postgres 14.12 and cannot be changed: " + PLAIN_TEXT.format("RDS.38")
                               + "; give it a parameter group of its own with rds.force_ssl 1"),
    Finding(TLS, "mysql-db", M, "the DB instance takes its engine's default parameter group, whose "
                                "require_secure_transport is 0 for mysql 8.0.40 and cannot be changed: "
                                + PLAIN_TEXT.format("RDS.39")),
    Finding(TLS, "mariadb-db", M, "the DB instance takes its engine's default parameter group, whose "
                                  "require_secure_transport is 0 for mariadb 10.11.9 and cannot be changed: "
                                  + PLAIN_TEXT.format("RDS.44")),
    Finding(TLS, "express-db", M, "the DB instance takes its engine's default parameter group, whose rds.force_ssl is "
                                  "0 for sqlserver-ex and cannot be changed: "
                                  + PLAIN_TEXT.format("RDS.41")),
    Finding(TLS, "plain-db", M, "parameterGroupName names parameter group plain-params, which sets rds.force_ssl 0: "
                                + PLAIN_TEXT.format("RDS.38") + "; set rds.force_ssl 1 there"),
    Finding(TLS, "pg14-params-db", M, "parameterGroupName names parameter group pg14-params, which sets no "
                                      "rds.force_ssl, so it keeps family postgres14's default, 0: "
                                      + PLAIN_TEXT.format("RDS.38")),
    Finding(SNAPSHOT, "orders-public-snapshot", M, 'sharedAccounts holds "all": the DB snapshot is public, and any '
                                                   "AWS account may copy it or restore a database from it"),
    Finding(SNAPSHOT, "orders-public-copy", M, 'sharedAccounts holds "all": the DB snapshot is public'),
    Finding(SNAPSHOT, "accounts-public-snapshot", M, 'sharedAccounts holds "all": the DB cluster snapshot is public'),
    Finding(PROXY_TLS, "plain-proxy", M, "requireTls is unset (false): the proxy takes plain-text connections, and the "
                                         "clients' queries, results and credentials cross the network readable; set "
                                         "requireTls true"),
    Finding(PROXY_TLS, "tls-off-proxy", M, "requireTls is false: the proxy takes plain-text connections"),
    Finding(PROXY_IAM, "password-proxy", A, "auths[0].iamAuth is left out: the proxy lets its clients sign in with "
                                            "the database user's password, which every service must then hold; set "
                                            "iamAuth REQUIRED so they sign in with IAM tokens their roles grant "
                                            "(rds-db:connect)"),
    Finding(PROXY_IAM, "password-proxy", A, "auths[1].iamAuth is DISABLED: the proxy lets its clients sign in"),
]
PASSING = [
    *((policy, "orders-db") for policy in (PUBLIC, ENCRYPTED, PROTECTED, BACKUPS, PASSWORD)),
    *((policy, "accounts") for policy in (ENCRYPTED, PROTECTED, BACKUPS, PASSWORD)),
    (PUBLIC, "accounts-1"),
    # An Aurora cluster's instances carry the setting; a Multi-AZ DB cluster with its own subnet group is private
    # by RDS's default, and one may say so itself.
    (PUBLIC, "accounts"), (PUBLIC, "weak-cluster"), (PUBLIC, "maz"), (PUBLIC, "maz-closed"),
    # A replica and a restore take their source's encryption; a replica's source keeps the backups.
    (ENCRYPTED, "orders-replica"), (BACKUPS, "orders-replica"), (ENCRYPTED, "restored-db"),
    (ENCRYPTED, "pitr-db"), (ENCRYPTED, "pitr-cluster"),
    # Aurora Serverless v1 is always encrypted.
    (ENCRYPTED, "reports"),
    # Left out: on by default.
    (UPGRADES, "orders-db"), (UPGRADES, "accounts"), (UPGRADES, "accounts-1"), (UPGRADES, "maz"),
    # Every log the engine has: SQL Server Express has no agent log, Aurora PostgreSQL no upgrade log, a Multi-AZ
    # DB cluster of MySQL no audit log; a replica's engine is its source's, and an Aurora cluster's instances take
    # no exports of their own.
    *((LOGS, name) for name in ("orders-db", "express-db", "accounts", "reports", "maz", "maz-mysql",
                                "orders-replica")),
    # IAM database authentication on; engines without it (SQL Server, Oracle), Aurora Serverless v1, and a replica
    # whose engine is its source's are not judged.
    *((IAM_AUTH, name) for name in ("orders-db", "accounts", "maz", "maz-mysql", "express-db", "oracle-db",
                                    "reports", "orders-replica")),
    # Multi-AZ: an instance and a replica that say so, an Aurora cluster with three instances Aurora places, Multi-AZ
    # DB clusters (three zones by design); SQL Server Express, which RDS cannot make Multi-AZ, and Aurora Serverless
    # v1 are not judged.
    *((MULTI_AZ, name) for name in ("orders-db", "orders-replica", "accounts", "maz", "maz-mysql", "express-db",
                                    "reports")),
    # Enhanced Monitoring with its role: on an instance, a replica, a Multi-AZ DB cluster and an Aurora cluster,
    # whose interval covers the instances that name it.
    *((MONITORING, name) for name in ("orders-db", "orders-replica", "maz", "accounts", "accounts-1", "pinned-1")),
    # TLS required: by PostgreSQL 16's and MariaDB 11.8's default groups, or the instance's own group; a group made
    # elsewhere, a replica whose engine is its source's, and Oracle (no Security Hub control) are not judged.
    *((TLS, name) for name in ("orders-db", "mariadb-11-8-db", "pg14-tls-db", "mysql-tls-db", "sqlserver-tls-db",
                               "shared-params-db", "orders-replica", "oracle-db")),
    # Shared with one account.
    (SNAPSHOT, "orders-snapshot"), (SNAPSHOT, "accounts-snapshot-copy"),
    (PROXY_TLS, "orders-proxy"), (PROXY_TLS, "iam-proxy"),
    # IAM authentication required of every auths entry, or end to end with no entry.
    (PROXY_IAM, "orders-proxy"), (PROXY_IAM, "iam-proxy"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("days, config, reported", [
    (3, {}, True), (7, {}, False), (3, {BACKUPS: {"minimumDays": 3}}, False),
    (14, {BACKUPS: {"minimumDays": 30}}, True), ("7", {}, False), (UNKNOWN, {}, False)])
def test_backups_are_held_to_the_minimum_days_knob(days, config, reported):
    cluster = Res("aws:rds/cluster:Cluster", "orders", {
        "clusterIdentifier": "orders", "engine": "aurora-postgresql", "storageEncrypted": True,
        "deletionProtection": True, "manageMasterUserPassword": True, "backupRetentionPeriod": days,
        "enabledCloudwatchLogsExports": ["postgresql"], "iamDatabaseAuthenticationEnabled": True,
        "tags": DEFAULT_TAGS})
    # Its instances, which rds-db-multi-az counts, are not here.
    assert (policies_found([cluster], config) - {MULTI_AZ} == {BACKUPS}) == reported


@pytest.mark.parametrize("days, said", [
    (1, "1 day"), ("1", "1 day"), (3, "3 days"),
    # A DB instance's 0 turns its backups off (program's no-backups-db); CreateDBCluster takes 1 to 35 only.
    (0, "0: a value RDS refuses for a DB cluster (CreateDBCluster takes 1 to 35)")])
def test_a_short_backup_retention_is_worded_in_days(days, said):
    cluster = Res("aws:rds/cluster:Cluster", "orders", {"engine": "aurora-postgresql", "backupRetentionPeriod": days})
    found = findings(analyze([cluster], {"all": "disabled", BACKUPS: "mandatory"}))
    assert {message.split(",")[0] for _, _, message in found} == {f"backupRetentionPeriod is {said}"}


@pytest.mark.parametrize("source", [{"replicateSourceDb": UNKNOWN}, {"snapshotIdentifier": UNKNOWN}])
def test_a_source_known_only_after_the_update_leaves_encryption_unjudged(source):
    instance = Res("aws:rds/instance:Instance", "copy", {
        "identifier": "copy", "instanceClass": "db.t4g.medium", "deletionProtection": True,
        "backupRetentionPeriod": 7, "multiAz": True, "monitoringInterval": 60, "monitoringRoleArn": "arn:aws:iam::"
        "123456789012:role/rds-monitoring", **source, "tags": DEFAULT_TAGS})
    assert policies_found([instance]) == set()


@pytest.mark.parametrize("settings, reported", [
    ({"publiclyAccessible": UNKNOWN}, False), ({"dbSubnetGroupName": UNKNOWN}, False),
    ({"dbClusterInstanceClass": UNKNOWN, "publiclyAccessible": True}, False),
    ({"publiclyAccessible": "true"}, True), ({"dbSubnetGroupName": "default"}, True), ({}, True),
    ({"dbClusterInstanceClass": None, "publiclyAccessible": True}, False),
    # A name RDS keeps in lower case; restores default by whether the VPC has an internet gateway, unseen here.
    ({"dbSubnetGroupName": "Default"}, True), ({"snapshotIdentifier": "orders-final"}, False),
    ({"snapshotIdentifier": UNKNOWN}, False),
    ({"restoreToPointInTime": {"sourceClusterIdentifier": "maz", "useLatestRestorableTime": True}}, False),
    ({"snapshotIdentifier": "orders-final", "publiclyAccessible": True}, True)])
def test_a_multi_az_clusters_public_access_is_judged_only_when_known(settings, reported):
    cluster = Res("aws:rds/cluster:Cluster", "maz", {
        "clusterIdentifier": "maz", "engine": "postgres", "dbClusterInstanceClass": "db.m6gd.large",
        "storageEncrypted": True, "deletionProtection": True, "manageMasterUserPassword": True,
        "backupRetentionPeriod": 7, "enabledCloudwatchLogsExports": ["postgresql", "upgrade"],
        "iamDatabaseAuthenticationEnabled": True, "monitoringInterval": 60,
        "monitoringRoleArn": "arn:aws:iam::123456789012:role/rds-monitoring", "tags": DEFAULT_TAGS, **settings})
    assert (policies_found([cluster]) == {PUBLIC}) == reported


AURORA_DEFAULT = ("storageEncrypted is unset (false): Aurora encrypts a DB cluster created since 2026-02-18 all the "
                  "same, but with an AWS owned key, which the account can neither audit nor restrict with a key "
                  "policy, and StorageEncrypted then reads false (StorageEncryptionType sse-rds), which Security Hub "
                  "RDS.27 fails (one created earlier is unencrypted); set storageEncrypted true with a customer "
                  "managed key in kmsKeyId")
UNENCRYPTED = "storageEncrypted is unset (false): the {}'s storage, snapshots and backups are unencrypted, and"


@pytest.mark.parametrize("kind, engine, message", [
    # Aurora's default since 2026-02-18: encrypted, but with an AWS owned key StorageEncrypted reports false.
    ("cluster", "aurora-postgresql", AURORA_DEFAULT), ("cluster", "Aurora-MySQL", AURORA_DEFAULT),
    # A Multi-AZ DB cluster and a DB instance left out are unencrypted.
    ("cluster", "postgres", UNENCRYPTED.format("DB cluster")), ("instance", "mysql", UNENCRYPTED.format("DB instance")),
    # A cluster's engine known only after the update: which finding it is waits with it.
    ("cluster", UNKNOWN, None)])
def test_storage_encryption_left_out_is_said_as_the_engine_leaves_it(kind, engine, message):
    props = {"engine": engine, "deletionProtection": True, "manageMasterUserPassword": True,
             "backupRetentionPeriod": 7, "tags": DEFAULT_TAGS}
    database = (Res("aws:rds/cluster:Cluster", "db", {"clusterIdentifier": "db", **props}) if kind == "cluster" else
                Res("aws:rds/instance:Instance", "db", {"identifier": "db", "instanceClass": "db.t4g.medium", **props}))
    found = [m for policy, _, m in findings(analyze([database], {"all": "mandatory"})) if policy == ENCRYPTED]
    assert (found == []) if message is None else (len(found) == 1 and found[0].startswith(message)), found


@pytest.mark.parametrize("settings", [{"storageEncrypted": True}, {"storageEncrypted": UNKNOWN},
                                      {"storageEncrypted": True, "engine": UNKNOWN},
                                      # Serverless v1 is always encrypted: a mode unknown until the update may be it.
                                      {"storageEncrypted": False, "engineMode": UNKNOWN},
                                      {"storageEncrypted": False, "engineMode": "serverless"}])
def test_an_aurora_cluster_encrypted_or_unknown_is_not_reported(settings):
    cluster = Res("aws:rds/cluster:Cluster", "db", {
        "clusterIdentifier": "db", "engine": "aurora-postgresql", "deletionProtection": True,
        "manageMasterUserPassword": True, "backupRetentionPeriod": 7, "tags": DEFAULT_TAGS, **settings})
    assert ENCRYPTED not in policies_found([cluster])


SNAPSHOT_TYPES = {"aws:rds/snapshot:Snapshot": "DB snapshot", "aws:rds/snapshotCopy:SnapshotCopy": "DB snapshot",
                  "aws:rds/clusterSnapshot:ClusterSnapshot": "DB cluster snapshot",
                  "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy": "DB cluster snapshot"}


@pytest.mark.parametrize("kind", SNAPSHOT_TYPES)
@pytest.mark.parametrize("shared, reported", [
    (["all"], True), (["210987654321", "all"], True), (None, False), ([], False), (["210987654321"], False),
    # Unknown until the update: it may be "all", and is not judged; a known "all" beside it is.
    (UNKNOWN, False), ([UNKNOWN], False), ([UNKNOWN, "all"], True)])
def test_a_snapshot_shared_with_all_is_public(kind, shared, reported):
    snapshot = Res(kind, "orders-snapshot", {"sharedAccounts": shared, "tags": DEFAULT_TAGS})
    found = [message for policy, _, message in findings(analyze([snapshot], {"all": "mandatory"}))
             if policy == SNAPSHOT]
    assert found == ([f'sharedAccounts holds "all": the {SNAPSHOT_TYPES[kind]} is public, and any AWS account may '
                      'copy it or restore a database from it with all its data (RDS refuses "all" for an encrypted '
                      "one, whose update then fails); list the ids of the accounts to share it with instead"]
                     if reported else [])


@pytest.mark.parametrize("require_tls, reported", [(True, False), ("true", False), (UNKNOWN, False), (None, True),
                                                   (False, True)])
def test_a_proxy_is_held_to_tls_unless_its_setting_is_unknown(require_tls, reported):
    proxy = Res("aws:rds/proxy:Proxy", "orders-proxy", {
        "name": "orders-proxy", "engineFamily": "MYSQL", "requireTls": require_tls, "tags": DEFAULT_TAGS})
    assert (policies_found([proxy]) == {PROXY_TLS}) == reported


@pytest.mark.parametrize("auths, reported", [
    ([{"iamAuth": "REQUIRED"}], False), (None, False), ([], False), (UNKNOWN, False), ([UNKNOWN], False),
    ([{"iamAuth": UNKNOWN}], False), ([{"iamAuth": "ENABLED"}], True), ([{"iamAuth": "DISABLED"}], True),
    ([{}], True), ([{"iamAuth": "REQUIRED"}, {"iamAuth": "DISABLED"}], True), ([UNKNOWN, {}], True)])
def test_a_proxy_should_require_iam_authentication_of_every_auths_entry(auths, reported):
    proxy = Res("aws:rds/proxy:Proxy", "orders-proxy", {
        "name": "orders-proxy", "engineFamily": "SQLSERVER", "requireTls": True, "auths": auths,
        "tags": DEFAULT_TAGS})
    assert (policies_found([proxy]) == {PROXY_IAM}) == reported


@pytest.mark.parametrize("kind", ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster",
                                  "aws:rds/clusterInstance:ClusterInstance"])
@pytest.mark.parametrize("upgrade, reported", [(False, True), ("false", True), (True, False), (None, False),
                                               (UNKNOWN, False)])
def test_minor_engine_upgrades_turned_off_are_reported(kind, upgrade, reported):
    database = Res(kind, "orders", {
        "identifier": "orders", "engine": "aurora-postgresql", "storageEncrypted": True, "deletionProtection": True,
        "manageMasterUserPassword": True, "backupRetentionPeriod": 7, "autoMinorVersionUpgrade": upgrade,
        "tags": DEFAULT_TAGS})
    assert (UPGRADES in policies_found([database])) == reported


@pytest.mark.parametrize("engine, reported", [("custom-oracle-ee", False), ("custom-sqlserver-se", False),
                                              (UNKNOWN, False), ("oracle-ee", True), (None, True)])
def test_an_rds_custom_instance_which_must_turn_minor_upgrades_off_is_not_reported(engine, reported):
    instance = Res("aws:rds/instance:Instance", "orders", {
        "identifier": "orders", "engine": engine, "storageEncrypted": True, "deletionProtection": True,
        "manageMasterUserPassword": True, "backupRetentionPeriod": 7, "autoMinorVersionUpgrade": False,
        "tags": DEFAULT_TAGS})
    assert (UPGRADES in policies_found([instance])) == reported


LOG_MESSAGE = "enabledCloudwatchLogsExports {}: RDS keeps the {}'s"


def _database(kind: str, props: dict) -> Res:
    """A DB cluster or DB instance called db, with `props`."""
    return (Res("aws:rds/cluster:Cluster", "db", {"clusterIdentifier": "db", **props}) if kind == "cluster" else
            Res("aws:rds/instance:Instance", "db", {"identifier": "db", **props}))


@pytest.mark.parametrize("kind, engine, exported, message", [
    # Each engine's logs, as Security Hub RDS.9 asks (RDS.34, .36, .37, .40 and .42 some of them).
    ("instance", "mysql", ["error", "general", "slowquery"], "leaves out audit"),
    ("instance", "MariaDB", ["audit", "error", "general", "slowquery"], None),
    ("instance", "mariadb", ["audit", "error"], "leaves out general and slowquery"),
    ("instance", "oracle-ee-cdb", ["alert", "audit", "listener", "trace"], None),
    ("instance", "sqlserver-se", ["error"], "leaves out agent"),
    ("instance", "sqlserver-ex", ["error"], None),
    ("instance", "postgres", [], "is empty"),
    ("cluster", "aurora-mysql", ["error", "general", "slowquery"], "leaves out audit"),
    ("cluster", "aurora-postgresql", ["postgresql"], None),
    ("cluster", "postgres", ["postgresql"], "leaves out upgrade"),
    ("cluster", "mysql", ["error", "general", "slowquery"], None),
    # An Aurora cluster's instance, RDS Custom, Db2, Neptune and an engine left out are not judged.
    ("instance", "aurora-postgresql", None, None), ("instance", "custom-oracle-ee", None, None),
    ("instance", "db2-se", None, None), ("cluster", "neptune", None, None), ("instance", None, None, None),
    # Unknown until the update: the engine, the list or an item of it (which may be the log left out).
    ("instance", UNKNOWN, None, None), ("cluster", "aurora-mysql", UNKNOWN, None),
    ("instance", "postgres", ["postgresql", UNKNOWN], None)])
def test_each_engine_exports_its_logs(kind, engine, exported, message):
    database = _database(kind, {"engine": engine, "enabledCloudwatchLogsExports": exported, "tags": DEFAULT_TAGS})
    found = [m for policy, _, m in findings(analyze([database], {"all": "mandatory"})) if policy == LOGS]
    noun = "DB cluster" if kind == "cluster" else "DB instance"
    assert (found == []) if message is None else (
        len(found) == 1 and found[0].startswith(LOG_MESSAGE.format(message, noun))), found


@pytest.mark.parametrize("kind, settings, reported", [
    ("instance", {"engine": "mysql"}, True), ("instance", {"engine": "MariaDB"}, True),
    ("instance", {"engine": "postgres", "iamDatabaseAuthenticationEnabled": False}, True),
    ("instance", {"engine": "postgres", "iamDatabaseAuthenticationEnabled": True}, False),
    ("cluster", {"engine": "aurora-mysql"}, True), ("cluster", {"engine": "mysql"}, True),
    ("cluster", {"engine": "aurora-postgresql", "engineMode": "provisioned"}, True),
    # Engines without IAM database authentication; an Aurora cluster's instance takes none of its own.
    ("instance", {"engine": "sqlserver-ee"}, False), ("instance", {"engine": "oracle-ee"}, False),
    ("instance", {"engine": "aurora-mysql"}, False), ("instance", {"engine": None}, False),
    ("cluster", {"engine": "neptune"}, False),
    # Unknown until the update: the engine or the setting.
    ("instance", {"engine": UNKNOWN}, False),
    ("cluster", {"engine": "aurora-mysql", "iamDatabaseAuthenticationEnabled": UNKNOWN}, False)])
def test_iam_database_authentication_is_asked_of_the_engines_that_take_it(kind, settings, reported):
    assert (IAM_AUTH in policies_found([_database(kind, {"tags": DEFAULT_TAGS, **settings})])) == reported


@pytest.mark.parametrize("engine", ["aurora-mysql", "aurora-postgresql"])
@pytest.mark.parametrize("mode, reported", [("provisioned", True), ("serverless", False),
                                            pytest.param(UNKNOWN, False, id="unknown")])
def test_aurora_serverless_v1_is_judged_by_neither_log_exports_nor_iam_auth(engine, mode, reported):
    """Serverless v1 takes no IAM database authentication, Security Hub RDS.34 does not judge it, and RDS has created
    none since 2025-01-08; an engineMode unknown until the update may be serverless."""
    cluster = _database("cluster", {"engine": engine, "engineMode": mode, "tags": DEFAULT_TAGS})
    assert policies_found([cluster]) & {LOGS, IAM_AUTH} == ({LOGS, IAM_AUTH} if reported else set())


@pytest.mark.parametrize("engine", ["mysql", "postgres"])
def test_a_multi_az_db_cluster_of_unknown_engine_mode_is_judged(engine):
    """Serverless v1 ran Aurora engines only: a Multi-AZ DB cluster's engineMode, unknown until the update, cannot
    make it one (a review found its missing log exports and IAM auth left unreported)."""
    cluster = _database("cluster", {"engine": engine, "engineMode": UNKNOWN, "dbClusterInstanceClass": "db.m6gd.large",
                                    "tags": DEFAULT_TAGS})
    assert policies_found([cluster]) & {LOGS, IAM_AUTH} == {LOGS, IAM_AUTH}


def _aurora(name: str, members: list[dict], **settings) -> list[Res]:
    """An Aurora cluster called `name`, and a cluster instance naming it (by a dependency) for each of `members`."""
    cluster = Res("aws:rds/cluster:Cluster", name, {"clusterIdentifier": name, "engine": "aurora-mysql",
                                                    "tags": DEFAULT_TAGS, **settings})
    return [cluster, *(Res("aws:rds/clusterInstance:ClusterInstance", f"{name}-{i}", {
        "identifier": f"{name}-{i}", "clusterIdentifier": UNKNOWN, "instanceClass": "db.r6g.large",
        "engine": "aurora-mysql", "tags": DEFAULT_TAGS, **member}, {"clusterIdentifier": [name]})
        for i, member in enumerate(members))]


@pytest.mark.parametrize("members, settings, reported", [
    ([{}], {}, True), ([{}, {}], {}, False),
    ([{"availabilityZone": "us-east-1a"}, {"availabilityZone": "us-east-1b"}], {}, False),
    ([{"availabilityZone": "us-east-1a"}, {"availabilityZone": "us-east-1a"}], {}, True),
    # A zone left out or unknown: Aurora (or the update) may put it in another zone.
    ([{"availabilityZone": "us-east-1a"}, {}], {}, False),
    ([{"availabilityZone": "us-east-1a"}, {"availabilityZone": UNKNOWN}], {}, False),
    # Serverless v1 (or a mode unknown until the update), and a Multi-AZ DB cluster, are not asked.
    ([], {"engineMode": "serverless"}, False), ([], {"engineMode": UNKNOWN}, False),
    ([], {"engine": "mysql", "dbClusterInstanceClass": "db.m6gd.large"}, False), ([], {"engine": UNKNOWN}, False),
    # A Limitless Database cluster takes no DB instances (its shard group holds the standbys), nor may one unknown.
    ([], {"engine": "aurora-postgresql", "clusterScalabilityType": "limitless"}, False),
    ([], {"clusterScalabilityType": UNKNOWN}, False), ([], {"clusterScalabilityType": "standard"}, True)])
def test_an_aurora_cluster_is_multi_az_by_its_instances_zones(members, settings, reported):
    found = {(policy, name) for policy, name, _ in findings(analyze(_aurora("db", members, **settings)))}
    assert (found & {(MULTI_AZ, "db")} != set()) == reported, found


def test_an_instance_that_may_name_the_cluster_once_known_leaves_it_unjudged():
    """A cluster instance whose clusterIdentifier is made from nothing the stack shows may be its second."""
    cluster, member = _aurora("db", [{}])
    stranger = Res("aws:rds/clusterInstance:ClusterInstance", "other", {
        "identifier": "other", "clusterIdentifier": UNKNOWN, "instanceClass": "db.r6g.large",
        "engine": "aurora-mysql", "tags": DEFAULT_TAGS})
    assert MULTI_AZ in policies_found([cluster, member])
    assert MULTI_AZ not in policies_found([cluster, member, stranger])


@pytest.mark.parametrize("settings, reported", [
    ({"engine": "postgres"}, True), ({"engine": "postgres", "multiAz": False}, True),
    ({"engine": "postgres", "multiAz": True}, False), ({"engine": None, "replicateSourceDb": "orders"}, True),
    ({"engine": "sqlserver-se"}, True), ({"engine": "SQLServer-EX"}, False), ({"engine": "aurora-mysql"}, False),
    # Unknown until the update: the setting, or the engine (which may be Express).
    ({"engine": "postgres", "multiAz": UNKNOWN}, False), ({"engine": UNKNOWN}, False)])
def test_a_db_instance_is_multi_az_unless_its_engine_cannot_be(settings, reported):
    instance = _database("instance", {"instanceClass": "db.m6g.large", "tags": DEFAULT_TAGS, **settings})
    assert (MULTI_AZ in policies_found([instance])) == reported


ROLE = "arn:aws:iam::123456789012:role/rds-monitoring"
ODD_INTERVAL = ("monitoringInterval is {}: RDS takes 0 (off), 1, 5, 10, 15, 30 or 60 seconds; set it to 60 or less, "
                "with a monitoringRoleArn")


@pytest.mark.parametrize("settings, message", [
    ({}, "monitoringInterval is left out"), ({"monitoringInterval": 0}, "monitoringInterval is 0"),
    ({"monitoringInterval": "0"}, "monitoringInterval is 0"),
    ({"monitoringInterval": 60}, "monitoringInterval is 60 but monitoringRoleArn is left out"),
    ({"monitoringInterval": 1, "monitoringRoleArn": ROLE}, None),
    ({"monitoringInterval": "15", "monitoringRoleArn": ROLE}, None),
    ({"monitoringInterval": 60, "monitoringRoleArn": UNKNOWN}, None), ({"monitoringInterval": UNKNOWN}, None),
    # Not an interval RDS takes, nor, for the most part, a number: neither is "is 0".
    ({"monitoringInterval": True, "monitoringRoleArn": ROLE}, ODD_INTERVAL.format("True, not a number of seconds")),
    ({"monitoringInterval": "abc"}, ODD_INTERVAL.format("'abc', not a number of seconds")),
    ({"monitoringInterval": [60], "monitoringRoleArn": ROLE}, ODD_INTERVAL.format("a list, not a number of seconds")),
    ({"monitoringInterval": {"seconds": 60}}, ODD_INTERVAL.format("a map, not a number of seconds")),
    ({"monitoringInterval": 45, "monitoringRoleArn": ROLE}, ODD_INTERVAL.format(45)),
    ({"monitoringInterval": "2.5"}, ODD_INTERVAL.format(2.5)),
    # RDS Custom takes no Enhanced Monitoring; an engine unknown until the update may be RDS Custom.
    ({"engine": "custom-sqlserver-se"}, None), ({"engine": UNKNOWN}, None)])
def test_a_db_instance_turns_enhanced_monitoring_on_with_its_role(settings, message):
    instance = _database("instance", {"engine": "mysql", "instanceClass": "db.m6g.large", "tags": DEFAULT_TAGS,
                                      **settings})
    found = [m for policy, _, m in findings(analyze([instance])) if policy == MONITORING]
    assert (found == []) if message is None else (len(found) == 1 and found[0].startswith(message)), found


@pytest.mark.parametrize("cluster, member, reported", [
    ({}, {}, True), ({"monitoringInterval": 30, "monitoringRoleArn": ROLE}, {}, False),
    ({}, {"monitoringInterval": 30, "monitoringRoleArn": ROLE}, False),
    # The cluster's interval unknown until the update may turn it on; 0 does not.
    ({"monitoringInterval": UNKNOWN}, {}, False), ({"monitoringInterval": 0}, {}, True),
    # Nor does an interval RDS does not take.
    ({"monitoringInterval": 45, "monitoringRoleArn": ROLE}, {}, True),
    ({"monitoringInterval": "abc", "monitoringRoleArn": ROLE}, {}, True),
    # A Multi-AZ DB cluster's interval does not reach an Aurora cluster instance: it names an Aurora cluster here.
    ({"engine": "postgres", "monitoringInterval": 30}, {}, True)])
def test_an_aurora_cluster_instance_is_monitored_by_itself_or_its_cluster(cluster, member, reported):
    resources = _aurora("db", [member], **cluster)
    assert ((MONITORING, "db-0") in {(p, r) for p, r, _ in findings(analyze(resources))}) == reported


def test_a_cluster_instance_whose_cluster_is_unknown_may_be_monitored_by_it():
    """Made from nothing the stack shows, its clusterIdentifier may name the monitored cluster."""
    cluster, _ = _aurora("db", [{}], monitoringInterval=30, monitoringRoleArn=ROLE)
    stranger = Res("aws:rds/clusterInstance:ClusterInstance", "other", {
        "identifier": "other", "clusterIdentifier": UNKNOWN, "instanceClass": "db.r6g.large",
        "engine": "aurora-mysql", "tags": DEFAULT_TAGS})
    unmonitored, _ = _aurora("db", [{}])
    assert MONITORING not in policies_found([cluster, stranger])
    assert MONITORING in policies_found([unmonitored, stranger])


@pytest.mark.parametrize("settings, reported", [
    ({"engine": "mysql"}, True), ({"engine": "postgres", "monitoringInterval": 60, "monitoringRoleArn": ROLE}, False),
    # An Aurora cluster's own interval is judged through its instances; an unknown engine waits.
    ({"engine": "aurora-postgresql"}, False), ({"engine": UNKNOWN}, False)])
def test_a_multi_az_db_cluster_turns_enhanced_monitoring_on_itself(settings, reported):
    cluster = _database("cluster", {"dbClusterInstanceClass": "db.m6gd.large", "tags": DEFAULT_TAGS, **settings})
    assert (MONITORING in policies_found([cluster])) == reported


@pytest.mark.parametrize("settings, message", [
    ({"monitoringInterval": 60}, "monitoringInterval is 60 but monitoringRoleArn is left out"),
    ({"monitoringInterval": "30", "engine": UNKNOWN}, "monitoringInterval is 30 but monitoringRoleArn is left out"),
    ({"monitoringInterval": True}, ODD_INTERVAL.format("True, not a number of seconds")),
    ({"monitoringInterval": 60, "monitoringRoleArn": ROLE}, None),
    ({"monitoringInterval": 60, "monitoringRoleArn": UNKNOWN}, None),
    # Off, or unknown until the update: its instances are asked, and a cluster's unknown engine may be Aurora's.
    ({}, None), ({"monitoringInterval": 0}, None), ({"monitoringInterval": UNKNOWN}, None),
    ({"engine": UNKNOWN}, None)])
def test_an_aurora_cluster_that_turns_enhanced_monitoring_on_names_the_role(settings, message):
    """CreateDBCluster MonitoringRoleArn: "If MonitoringInterval is set to a value other than 0, supply a
    MonitoringRoleArn value", for Aurora and Multi-AZ DB clusters alike."""
    cluster = _database("cluster", {"engine": "aurora-postgresql", "tags": DEFAULT_TAGS, **settings})
    found = [m for policy, _, m in findings(analyze([cluster])) if policy == MONITORING]
    assert (found == []) if message is None else (len(found) == 1 and found[0].startswith(message)), found


@pytest.mark.parametrize("zone", [{"name": "us-east-1a"}, ["us-east-1a"], 1])
def test_a_cluster_instance_zone_of_another_shape_leaves_the_cluster_unjudged(zone):
    """A zone that is not text may be another (the provider's check refuses it); it must not break the policy."""
    resources = _aurora("db", [{"availabilityZone": zone}, {"availabilityZone": zone}])
    result = analyze(resources)
    assert MULTI_AZ not in {policy for policy, _, _ in findings(result)}
    assert not result.not_run, result.not_run


def _tls_instance(engine: object, version: object = None, group: object = None, refs: dict = None) -> Res:
    """A DB instance of `engine` and `version` whose parameterGroupName is `group` (each left out when None)."""
    given = {"engine": engine, "engineVersion": version, "parameterGroupName": group}
    return Res("aws:rds/instance:Instance", "db", {"identifier": "db", "tags": DEFAULT_TAGS, **{
        key: value for key, value in given.items() if value is not None}}, refs or {})


def _tls_group(family: object, *parameters: tuple, name: str = "params") -> Res:
    """The stack's DB parameter group `params` of `family`, with (name, value) parameters."""
    return Res("aws:rds/parameterGroup:ParameterGroup", name, {
        "name": name, "family": family, "tags": DEFAULT_TAGS,
        "parameters": [{"name": key, "value": value} for key, value in parameters]})


@pytest.mark.parametrize("engine, version, group, reported", [
    # rds.force_ssl is 1 from PostgreSQL 15 on, 0 before.
    ("postgres", "14.12", None, True), ("Postgres", "14", None, True), ("postgres", "9.6.24", None, True),
    ("postgres", "15.8", None, False), ("postgres", "17", None, False),
    # A default.* group named, or an empty name (the provider then sends none), is the default group.
    ("postgres", "14.12", "default.postgres14", True), ("postgres", "14.12", "", True),
    # require_secure_transport is OFF up to MySQL 8.4 and ON on 9.7; AWS documents no default in between, and MySQL
    # 8 may be 8.0 or 8.4 (both off, but a version RDS would place).
    ("mysql", "8.4.3", None, True), ("mysql", "9.7.0", None, False), ("mysql", "9.1.0", None, False),
    ("mysql", "8", None, False),
    # OFF on MariaDB 10.5 to 11.4, ON from 11.8 on; MariaDB before 10.5 has no require_secure_transport.
    ("mariadb", "10.5.27", None, True), ("mariadb", "11.4.5", None, True), ("mariadb", "11.8.3", None, False),
    ("mariadb", "10.4.34", None, False), ("mariadb", "11", None, False),
    # SQL Server's rds.force_ssl is 0 whatever the version (every edition).
    ("sqlserver-ee", None, None, True), ("sqlserver-web", "15.00.4415.2.v1", None, True),
    ("sqlserver-se", UNKNOWN, None, True),
    # RDS Custom, Oracle, Db2 and an Aurora engine have no such control; an engine left out is a replica's.
    ("custom-sqlserver-ee", "15.00.4415.2.v1", None, False), ("oracle-ee", "19", None, False),
    ("db2-se", "11.5", None, False), ("aurora-postgresql", "14.12", None, False), (None, "14.12", None, False),
    # Unknown until the update, or left out (RDS picks the default version): the engine, version or group name.
    (UNKNOWN, "14.12", None, False), ("postgres", UNKNOWN, None, False), ("postgres", None, None, False),
    ("postgres", "14.12", UNKNOWN, False)])
def test_a_db_instance_on_its_engines_default_group_takes_that_versions_tls_default(engine, version, group, reported):
    found = findings(analyze([_tls_instance(engine, version, group)], {"all": "disabled", TLS: "mandatory"}))
    assert bool(found) == reported, found


@pytest.mark.parametrize("engine, family, parameters, reported", [
    ("postgres", "postgres16", [("rds.force_ssl", "1")], False),
    ("postgres", "postgres14", [("rds.force_ssl", "1")], False),
    ("postgres", "postgres16", [("rds.force_ssl", "0")], True),
    ("postgres", "postgres16", [("RDS.Force_SSL", "0")], True),
    ("postgres", "postgres16", [("rds.force_ssl", 0)], True),
    ("postgres", "postgres16", [("rds.force_ssl", False)], True),
    ("sqlserver-se", "sqlserver-se-16.0", [("rds.force_ssl", "1")], False),
    ("sqlserver-se", "sqlserver-se-16.0", [], True),
    # MySQL and MariaDB name the values ON and OFF too.
    ("mysql", "mysql8.0", [("require_secure_transport", "ON")], False),
    ("mysql", "mysql8.0", [("require_secure_transport", "1")], False),
    ("mysql", "mysql8.0", [("require_secure_transport", "OFF")], True),
    ("mariadb", "mariadb11.8", [("require_secure_transport", "0")], True),
    # Left out, the group keeps its family's default.
    ("postgres", "postgres14", [("log_connections", "1")], True), ("postgres", "postgres16", [], False),
    ("mysql", "mysql8.4", [], True), ("mariadb", "mariadb11.8", [], False), ("mariadb", "mariadb10.4", [], False),
    # Unknown until the update: the family, an entry's name or value, or the list.
    ("postgres", UNKNOWN, [], False), ("postgres", "postgres16", [("rds.force_ssl", UNKNOWN)], False),
    ("postgres", "postgres16", [(UNKNOWN, "0")], False), ("postgres", "postgres16", UNKNOWN, False)])
def test_a_db_instances_own_group_turns_tls_on(engine, family, parameters, reported):
    group = _tls_group(family, *([] if parameters is UNKNOWN else parameters))
    if parameters is UNKNOWN:
        group.props["parameters"] = UNKNOWN
    found = findings(analyze([_tls_instance(engine, None, "params"), group], {"all": "disabled", TLS: "mandatory"}))
    assert bool(found) == reported, found


@pytest.mark.parametrize("group, refs, reported", [
    # Named by its name, which is its id: known in a first preview too.
    ("params", None, True), ("params", {"parameterGroupName": ["params"]}, True),
    # Made from the group, whatever the value reads until the update.
    (UNKNOWN, {"parameterGroupName": ["params"]}, True),
    # A group made elsewhere, or a name of another shape, is not judged.
    ("elsewhere", None, False), (["params"], None, False), ({"name": "params"}, None, False)])
def test_a_db_instances_group_is_found_by_its_name_or_what_it_is_made_from(group, refs, reported):
    params = _tls_group("postgres16", ("rds.force_ssl", "0"))
    params.props["id"] = UNKNOWN
    result = analyze([_tls_instance("postgres", "16.4", group, refs), params], {"all": "disabled", TLS: "mandatory"})
    assert bool(findings(result)) == reported, findings(result)
    assert not result.not_run, result.not_run


@pytest.mark.parametrize("source, group, reported", [
    # Given no group, a same-Region read replica takes its source's, whatever engine and version it names.
    ("orders-db", None, False), (UNKNOWN, None, False), ("orders-db", "", False),
    # A group it names is its own: the engine's default one too.
    ("orders-db", "default.postgres14", True),
    # Blank, the provider starts no replica.
    ("", None, True)])
def test_a_read_replica_given_no_group_takes_its_sources(source, group, reported):
    replica = _tls_instance("postgres", "14.12", group)
    replica.props["replicateSourceDb"] = source
    result = analyze([replica], {"all": "disabled", TLS: "mandatory"})
    assert bool(findings(result)) == reported, findings(result)


@pytest.mark.parametrize("family", ["sqlserver-se-16.0", UNKNOWN])
def test_a_sql_server_group_without_force_ssl_is_worded_alike_in_a_first_preview(family):
    """Every SQL Server family keeps rds.force_ssl 0, so the finding need not name one, which may be unknown."""
    found = findings(analyze([_tls_instance("sqlserver-se", "16.00.4185.3.v1", "params"), _tls_group(family)],
                             {"all": "disabled", TLS: "mandatory"}))
    assert [message for _, _, message in found] == [
        "parameterGroupName names parameter group params, which sets no rds.force_ssl, so it keeps its family's "
        "default, 0: " + PLAIN_TEXT.format("RDS.41") + "; set rds.force_ssl 1 there"], found


@pytest.mark.parametrize("zones, reported", [((None,), True), (("us-east-1a", "us-east-1a"), True),
                                             (("us-east-1a", "us-east-1b"), False)])
def test_instances_name_their_aurora_cluster_by_its_identifier_while_its_id_is_unknown(zones, reported):
    """A first preview knows no cluster's id, but a cluster's id is its identifier: another cluster's instances,
    which write its identifier, are not possibly this one's (as neptune-cluster-multi-az reads them)."""
    clusters = [Res("aws:rds/cluster:Cluster", name, {"id": UNKNOWN, "clusterIdentifier": name, "engine": "aurora-mysql",
                                                       "tags": DEFAULT_TAGS}) for name in ("db", "other")]
    members = [Res("aws:rds/clusterInstance:ClusterInstance", f"{owner}-{n}", {
        "identifier": f"{owner}-{n}", "clusterIdentifier": owner, "instanceClass": "db.r6g.large",
        "engine": "aurora-mysql", "tags": DEFAULT_TAGS, **({"availabilityZone": zone} if zone else {})})
        for owner, owner_zones in (("db", zones), ("other", ("us-east-1a", "us-east-1b")))
        for n, zone in enumerate(owner_zones, 1)]
    found = findings(analyze([*clusters, *members]))
    assert {name for policy, name, _ in found if policy == MULTI_AZ} == ({"db"} if reported else set())
