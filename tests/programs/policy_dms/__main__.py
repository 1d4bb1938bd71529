"""Raw DMS resources: a replication instance with a public IP address, and private ones (said outright, left to the
provider's default, and one whose setting another resource gives, known only after the update); instances without
automatic minor version upgrade (false, left out) and without a standby (multiAz false, left out); database endpoints
without SSL (left out, none), with a mode DMS does not support for the engine (MySQL's require), and with SSL
(require, verify-ca, verify-full), a Db2 for z/OS endpoint without it, and a Kinesis endpoint, which has no SslMode;
MongoDB endpoints with and without authentication; Redis OSS endpoints with and without TLS;
replication tasks that log to CloudWatch Logs, and that do not."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
SUBNET_GROUP = aws.dms.ReplicationSubnetGroup(
    "migration-subnets", replication_subnet_group_id="migration-subnets", tags=TAGS,
    replication_subnet_group_description="Private subnets of the migration VPC",
    subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"])


def instance(name, **args):
    # Taking minor engine versions by itself, with a standby in another zone, unless a test says otherwise (None
    # leaves a setting out).
    args = {"auto_minor_version_upgrade": True, "multi_az": True, **args}
    return aws.dms.ReplicationInstance(name, replication_instance_id=name, replication_instance_class="dms.t3.medium",
                                       replication_subnet_group_id=SUBNET_GROUP.id, tags=TAGS, **args)


instance("public-migration", publicly_accessible=True)
instance("private-migration", publicly_accessible=False)
instance("default-migration")
# Known only once the subnet group exists (false then): unknown in a first preview, which does not judge it.
instance("later-migration", publicly_accessible=SUBNET_GROUP.id.apply(lambda _: False))
# No automatic minor version upgrade: said outright, and left out (the provider sends false).
instance("pinned-migration", auto_minor_version_upgrade=False)
instance("unpatched-migration", auto_minor_version_upgrade=None)
# One Availability Zone, no standby: said outright (in a zone of its own choosing), and left out.
instance("zonal-migration", multi_az=False, availability_zone="us-east-1a")
instance("single-migration", multi_az=None)


def endpoint(name, engine, **args):
    return aws.dms.Endpoint(name, endpoint_id=name, endpoint_type="source", engine_name=engine, tags=TAGS,
                            server_name=f"{name}.db.example.com", port=5432, database_name="orders",
                            username="migration", password="placeholder-not-a-secret", **args)


endpoint("plain-postgres", "postgres")
endpoint("plain-mysql", "mysql", ssl_mode="none")
endpoint("tls-postgres", "aurora-postgresql", ssl_mode="require")
# DMS's table in "Using SSL with AWS DMS": MySQL does not support require, and Db2 for z/OS takes verify-ca only.
endpoint("require-mysql", "mysql", ssl_mode="require")
endpoint("plain-zos", "db2-zos")
# Oracle's only SSL mode, with the Oracle wallet imported as a DMS certificate.
endpoint("wallet-oracle", "oracle", ssl_mode="verify-ca",
         certificate_arn="arn:aws:dms:us-east-1:123456789012:cert:ORDERSWALLET")
endpoint("verified-sqlserver", "sqlserver", ssl_mode="verify-full",
         certificate_arn="arn:aws:dms:us-east-1:123456789012:cert:ORDERSCA")
# MongoDB sources over TLS: one connecting without authentication, one with a password, one leaving it to the
# provider's default (password).
endpoint("open-mongo", "mongodb", ssl_mode="require", mongodb_settings={"auth_type": "no"})
endpoint("password-mongo", "mongodb", ssl_mode="require",
         mongodb_settings={"auth_type": "password", "auth_mechanism": "scram_sha_1"})
endpoint("default-mongo", "mongodb", ssl_mode="require")


def redis(name, **settings):
    return aws.dms.Endpoint(name, endpoint_id=name, endpoint_type="target", engine_name="redis", tags=TAGS,
                            redis_settings={"auth_type": "auth-token", "auth_password": "placeholder-not-a-secret",
                                            "server_name": f"{name}.cache.example.com", "port": 6379, **settings})


# Redis OSS targets: in plain text, over TLS, and left to the default (ssl-encryption).
redis("plain-redis", ssl_security_protocol="plaintext")
redis("tls-redis", ssl_security_protocol="ssl-encryption")
redis("default-redis")
aws.dms.Endpoint("changes-kinesis", endpoint_id="changes-kinesis", endpoint_type="target", engine_name="kinesis",
                 tags=TAGS, kinesis_settings={
                     "stream_arn": "arn:aws:kinesis:us-east-1:123456789012:stream/orders-changes",
                     "service_access_role_arn": "arn:aws:iam::123456789012:role/dms-kinesis"})


# Replication tasks between two of the endpoints: CloudWatch logging left to DMS's default (off), turned off,
# components logged below LOGGER_SEVERITY_DEFAULT, every component the controls name at it, and settings another
# resource gives, known only after the update.
MIGRATION = instance("task-migration")
SOURCE, TARGET = endpoint("task-source", "postgres", ssl_mode="require"), endpoint("task-target", "postgres",
                                                                                   ssl_mode="require")


def logging(enabled=True, **severities):
    components = [{"Id": component, "Severity": severity} for component, severity in severities.items()]
    return json.dumps({"Logging": {"EnableLogging": enabled, "LogComponents": components}})


LOGGED = logging(SOURCE_UNLOAD="LOGGER_SEVERITY_DEFAULT", SOURCE_CAPTURE="LOGGER_SEVERITY_DEFAULT",
                 TARGET_LOAD="LOGGER_SEVERITY_DEBUG", TARGET_APPLY="LOGGER_SEVERITY_DETAILED_DEBUG")


def task(name, **args):
    return aws.dms.ReplicationTask(name, replication_task_id=name, migration_type="full-load-and-cdc", tags=TAGS,
                                   replication_instance_arn=MIGRATION.replication_instance_arn,
                                   source_endpoint_arn=SOURCE.endpoint_arn, target_endpoint_arn=TARGET.endpoint_arn,
                                   table_mappings=json.dumps({"rules": [{
                                       "rule-type": "selection", "rule-id": "1", "rule-name": "orders",
                                       "object-locator": {"schema-name": "public", "table-name": "%"},
                                       "rule-action": "include"}]}), **args)


task("quiet-task")
task("unlogged-task", replication_task_settings=logging(enabled=False))
task("terse-task", replication_task_settings=logging(TARGET_LOAD="LOGGER_SEVERITY_ERROR",
                                                     TARGET_APPLY="LOGGER_SEVERITY_INFO",
                                                     SOURCE_CAPTURE="LOGGER_SEVERITY_WARNING"))
task("logged-task", replication_task_settings=LOGGED)
task("later-task", replication_task_settings=SUBNET_GROUP.id.apply(lambda _: LOGGED))
