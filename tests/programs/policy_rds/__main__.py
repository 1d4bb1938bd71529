"""Raw RDS DB instances and Aurora clusters: private, encrypted, backed up and protected ones with RDS-managed
passwords; and ones public, unencrypted, without backups, without minor engine upgrades, with the password in the
program, without their engine's logs in CloudWatch Logs, without IAM database authentication, or taking plain-text
connections (by their parameter group's or their engine's default group's TLS setting). Replicas and restores take
their source's encryption and are not judged for it. Manual snapshots (and copies) shared with one account, and ones
shared with `all`: public. Proxies that require TLS and IAM authentication, and ones that take plain-text connections
or passwords too."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
MONITORED = dict(monitoring_interval=60, monitoring_role_arn="arn:aws:iam::123456789012:role/rds-monitoring")
GOOD = dict(storage_encrypted=True, deletion_protection=True, backup_retention_period=14,
            manage_master_user_password=True, iam_database_authentication_enabled=True, tags=TAGS, **MONITORED)
# The logs PostgreSQL exports; an Aurora PostgreSQL cluster has no upgrade log.
POSTGRES_LOGS = ["postgresql", "upgrade"]
AURORA_POSTGRES_LOGS = ["postgresql"]


def instance(name, **settings):
    return aws.rds.Instance(name, identifier=name, instance_class="db.t4g.medium", allocated_storage=20,
                            username="app", **{**GOOD, "engine": "postgres", "engine_version": "16.4", "multi_az": True,
                                               "enabled_cloudwatch_logs_exports": POSTGRES_LOGS, **settings})


orders = instance("orders-db")
instance("public-db", publicly_accessible=True)
instance("bare-db", storage_encrypted=None, deletion_protection=None, backup_retention_period=None,
         manage_master_user_password=None, iam_database_authentication_enabled=None, password="hunter2-but-longer")
# IAM database authentication turned off: every client holds a database password.
instance("password-only-db", iam_database_authentication_enabled=False)
instance("no-backups-db", backup_retention_period=0)
# One Availability Zone: left out, and turned off in a zone of its choosing.
instance("single-az-db", multi_az=None)
instance("pinned-db", multi_az=False, availability_zone="us-east-1a")
# No Enhanced Monitoring: left out, turned off, and asked for without the role RDS writes the metrics with.
instance("unmonitored-db", monitoring_interval=None, monitoring_role_arn=None)
instance("monitoring-off-db", monitoring_interval=0, monitoring_role_arn=None)
instance("no-role-db", monitoring_role_arn=None)
# An interval that is no number of seconds (a config string with its unit): not "0", and not one RDS takes.
instance("odd-interval-db", monitoring_interval="60s")
# Minor engine upgrades turned off: the engine's security fixes wait for someone to apply them.
instance("frozen-db", auto_minor_version_upgrade=False)
# Logs left on the database: none exported, and the upgrade log left out.
instance("quiet-db", enabled_cloudwatch_logs_exports=None)
instance("half-logged-db", enabled_cloudwatch_logs_exports=["postgresql"])
# SQL Server Express has no SQL Server Agent, and so no agent log to export, and no Multi-AZ; Oracle exports four.
instance("express-db", engine="sqlserver-ex", engine_version="16.00.4185.3.v1", license_model="license-included",
         enabled_cloudwatch_logs_exports=["error"], multi_az=None)
instance("oracle-db", engine="oracle-se2", engine_version="19.0.0.0.ru-2025-01.rur-2025-01.r1",
         license_model="license-included", enabled_cloudwatch_logs_exports=["alert", "audit", "trace"])
# TLS through the DB parameter group: PostgreSQL requires it by default from 15 on, 14 does not; MySQL up to 8.4,
# MariaDB up to 11.4 and SQL Server take plain-text connections unless their group turns it on; MariaDB 11.8 does not.
MYSQL_LOGS = ["audit", "error", "general", "slowquery"]


def parameter_group(name, family, parameters):
    return aws.rds.ParameterGroup(name, name=name, family=family, tags=TAGS,
                                  parameters=[{"name": key, "value": value} for key, value in parameters.items()])


instance("pg14-db", engine_version="14.12")
instance("pg14-tls-db", engine_version="14.12",
         parameter_group_name=parameter_group("pg14-tls-params", "postgres14", {"rds.force_ssl": "1"}).name)
instance("pg14-params-db", engine_version="14.12",
         parameter_group_name=parameter_group("pg14-params", "postgres14", {"log_connections": "1"}).name)
instance("plain-db", parameter_group_name=parameter_group("plain-params", "postgres16", {"rds.force_ssl": "0"}).name)
# A group made elsewhere is not judged.
instance("shared-params-db", engine_version="14.12", parameter_group_name="shared-pg14-params")
instance("mysql-db", engine="mysql", engine_version="8.0.40", enabled_cloudwatch_logs_exports=MYSQL_LOGS)
instance("mysql-tls-db", engine="mysql", engine_version="8.4.3", enabled_cloudwatch_logs_exports=MYSQL_LOGS,
         parameter_group_name=parameter_group("mysql-tls-params", "mysql8.4",
                                              {"require_secure_transport": "1"}).name)
instance("mariadb-db", engine="mariadb", engine_version="10.11.9", enabled_cloudwatch_logs_exports=MYSQL_LOGS)
instance("mariadb-11-8-db", engine="mariadb", engine_version="11.8.3", enabled_cloudwatch_logs_exports=MYSQL_LOGS)
instance("sqlserver-tls-db", engine="sqlserver-se", engine_version="16.00.4185.3.v1", license_model="license-included",
         enabled_cloudwatch_logs_exports=["agent", "error"],
         parameter_group_name=parameter_group("sqlserver-tls-params", "sqlserver-se-16.0",
                                              {"rds.force_ssl": "1"}).name)
# A replica: its source's encryption and backups; a restore: the snapshot's encryption.
aws.rds.Instance("orders-replica", identifier="orders-replica", replicate_source_db=orders.identifier,
                 instance_class="db.t4g.medium", deletion_protection=True, multi_az=True, tags=TAGS, **MONITORED)
instance("restored-db", storage_encrypted=None, snapshot_identifier="orders-db-final")
instance("pitr-db", storage_encrypted=None, restore_to_point_in_time={"source_db_instance_identifier": "orders-db",
                                                                      "use_latest_restorable_time": True})
# A write-only password, which the state keeps among the inputs as a secret, never rotates either.
instance("wo-db", manage_master_user_password=None, password_wo="hunter2-but-longer", password_wo_version=1)
# A password another resource gives: known only after the update, passed by the program all the same.
credentials = aws.secretsmanager.SecretVersion("legacy-credentials", secret_id="legacy-db-credentials",
                                               secret_string="{}")
instance("legacy-db", manage_master_user_password=None, password=credentials.version_id)

accounts = aws.rds.Cluster("accounts", cluster_identifier="accounts", engine="aurora-postgresql",
                           engine_version="16.4", master_username="app",
                           enabled_cloudwatch_logs_exports=AURORA_POSTGRES_LOGS, **GOOD)
aws.rds.ClusterInstance("accounts-1", identifier="accounts-1", cluster_identifier=accounts.id,
                        instance_class="db.r6g.large", engine="aurora-postgresql", tags=TAGS)
aws.rds.ClusterInstance("accounts-public", identifier="accounts-public", cluster_identifier=accounts.id,
                        instance_class="db.r6g.large", engine="aurora-postgresql", publicly_accessible=True,
                        tags=TAGS)
aws.rds.ClusterInstance("accounts-frozen", identifier="accounts-frozen", cluster_identifier=accounts.id,
                        instance_class="db.r6g.large", engine="aurora-postgresql", auto_minor_version_upgrade=False,
                        tags=TAGS)
# Enhanced Monitoring asked for without the role RDS writes the metrics with, which an Aurora cluster needs too.
aws.rds.Cluster("weak-cluster", cluster_identifier="weak-cluster", engine="aurora-mysql", master_username="app",
                master_password="hunter2-but-longer", storage_encrypted=False, backup_retention_period=3,
                monitoring_interval=60, tags=TAGS)
aws.rds.Cluster("pitr-cluster", cluster_identifier="pitr-cluster", engine="aurora-postgresql", master_username="app",
                manage_master_user_password=True, deletion_protection=True, backup_retention_period=7,
                iam_database_authentication_enabled=True,
                restore_to_point_in_time={"source_cluster_identifier": "accounts", "use_latest_restorable_time": True},
                enabled_cloudwatch_logs_exports=AURORA_POSTGRES_LOGS, tags=TAGS)
# Aurora clusters in one Availability Zone: a lone writer, and two instances pinned to one zone.
lone = aws.rds.Cluster("lone-cluster", cluster_identifier="lone-cluster", engine="aurora-postgresql",
                       engine_version="16.4", master_username="app",
                       enabled_cloudwatch_logs_exports=AURORA_POSTGRES_LOGS,
                       **{**GOOD, "monitoring_interval": None, "monitoring_role_arn": None})
# Its cluster monitors nothing, and neither does it.
aws.rds.ClusterInstance("lone-1", identifier="lone-1", cluster_identifier=lone.id, instance_class="db.r6g.large",
                        engine="aurora-postgresql", tags=TAGS)
pinned = aws.rds.Cluster("pinned-cluster", cluster_identifier="pinned-cluster", engine="aurora-postgresql",
                         engine_version="16.4", master_username="app",
                         enabled_cloudwatch_logs_exports=AURORA_POSTGRES_LOGS, **GOOD)
for n in (1, 2):
    aws.rds.ClusterInstance(f"pinned-{n}", identifier=f"pinned-{n}", cluster_identifier=pinned.id,
                            instance_class="db.r6g.large", engine="aurora-postgresql", availability_zone="us-east-1a",
                            tags=TAGS)
# Aurora Serverless v1 is always encrypted, takes no IAM database authentication, and is not asked for log exports
# (Security Hub RDS.34 skips it; RDS has created none since 2025-01-08).
aws.rds.Cluster("reports", cluster_identifier="reports", engine="aurora-postgresql", engine_mode="serverless",
                master_username="app", manage_master_user_password=True, deletion_protection=True,
                backup_retention_period=7, tags=TAGS)
# Multi-AZ DB clusters (a DB cluster instance class): RDS makes their instances, public by its default without a
# DB subnet group of their own.
MULTI_AZ = dict(engine="postgres", engine_version="16.4", db_cluster_instance_class="db.m6gd.large",
                allocated_storage=100, storage_type="io1", iops=1000, master_username="app",
                enabled_cloudwatch_logs_exports=POSTGRES_LOGS, **GOOD)
aws.rds.Cluster("maz", cluster_identifier="maz", db_subnet_group_name="orders-subnets", **MULTI_AZ)
aws.rds.Cluster("maz-closed", cluster_identifier="maz-closed", publicly_accessible=False, **MULTI_AZ)
aws.rds.Cluster("maz-public", cluster_identifier="maz-public", db_subnet_group_name="orders-subnets",
                publicly_accessible=True, **MULTI_AZ)
aws.rds.Cluster("maz-bare", cluster_identifier="maz-bare", **MULTI_AZ)
aws.rds.Cluster("maz-default", cluster_identifier="maz-default", db_subnet_group_name="default", **MULTI_AZ)
# A Multi-AZ DB cluster of MySQL exports every log it has: it has no audit log.
aws.rds.Cluster("maz-mysql", cluster_identifier="maz-mysql", db_subnet_group_name="orders-subnets",
                **{**MULTI_AZ, "engine": "mysql", "engine_version": "8.0.40",
                   "enabled_cloudwatch_logs_exports": ["error", "general", "slowquery"]})
aws.rds.Cluster("maz-frozen", cluster_identifier="maz-frozen", db_subnet_group_name="orders-subnets",
                auto_minor_version_upgrade=False, **MULTI_AZ)
# RDS makes a Multi-AZ DB cluster's instances: their Enhanced Monitoring is the cluster's to ask for.
aws.rds.Cluster("maz-unmonitored", cluster_identifier="maz-unmonitored", db_subnet_group_name="orders-subnets",
                **{**MULTI_AZ, "monitoring_interval": None, "monitoring_role_arn": None})

# Manual snapshots and copies: shared with one account, or with every account ("all").
PARTNER = "210987654321"
aws.rds.Snapshot("orders-snapshot", db_instance_identifier=orders.identifier, db_snapshot_identifier="orders-manual",
                 shared_accounts=[PARTNER], tags=TAGS)
aws.rds.Snapshot("orders-public-snapshot", db_instance_identifier=orders.identifier,
                 db_snapshot_identifier="orders-public", shared_accounts=["all"], tags=TAGS)
aws.rds.SnapshotCopy("orders-public-copy", source_db_snapshot_identifier="orders-manual",
                     target_db_snapshot_identifier="orders-public-copy", shared_accounts=[PARTNER, "all"], tags=TAGS)
aws.rds.ClusterSnapshot("accounts-public-snapshot", db_cluster_identifier=accounts.id,
                        db_cluster_snapshot_identifier="accounts-public", shared_accounts=["all"], tags=TAGS)
aws.rds.ClusterSnapshotCopy("accounts-snapshot-copy", source_db_cluster_snapshot_identifier="accounts-manual",
                            target_db_cluster_snapshot_identifier="accounts-copy", shared_accounts=[PARTNER],
                            tags=TAGS)

# Proxies: TLS required, left out (RDS then takes plain-text connections too) and turned off.
PROXY = dict(engine_family="POSTGRESQL", role_arn="arn:aws:iam::123456789012:role/orders-proxy",
             vpc_subnet_ids=["subnet-a", "subnet-b"], tags=TAGS,
             auths=[{"auth_scheme": "SECRETS", "iam_auth": "REQUIRED",
                     "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-app-AbCdEf"}])
aws.rds.Proxy("orders-proxy", name="orders-proxy", require_tls=True, **PROXY)
aws.rds.Proxy("plain-proxy", name="plain-proxy", **PROXY)
aws.rds.Proxy("tls-off-proxy", name="tls-off-proxy", require_tls=False, **PROXY)
# Clients that sign in with the database user's password: IAM authentication left out, or disallowed.
aws.rds.Proxy("password-proxy", name="password-proxy", require_tls=True,
              **{**PROXY, "auths": [{"auth_scheme": "SECRETS", "secret_arn": "arn:aws:secretsmanager:us-east-1:"
                                     "123456789012:secret:orders-db-app-AbCdEf"},
                                    {"auth_scheme": "SECRETS", "iam_auth": "DISABLED", "secret_arn": "arn:aws:"
                                     "secretsmanager:us-east-1:123456789012:secret:orders-db-report-GhIjKl"}]})
# End-to-end IAM authentication: no auths entry at all.
aws.rds.Proxy("iam-proxy", name="iam-proxy", require_tls=True, default_auth_scheme="IAM_AUTH",
              **{**PROXY, "auths": None})
