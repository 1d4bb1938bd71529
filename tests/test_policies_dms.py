"""DMS guardrails against tests/programs/policy_dms (raw replication instances and endpoints)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze,
                                         findings, policies_found, program_fixtures)

PROGRAM = "policy_dms"
NOT_PUBLIC, SSL = "dms-replication-instance-not-public", "dms-endpoint-ssl"
UPGRADE, MULTI_AZ = "dms-replication-instance-auto-minor-version-upgrade", "dms-replication-instance-multi-az"
MONGODB_AUTH, REDIS_TLS = "dms-endpoint-mongodb-auth", "dms-endpoint-redis-tls"
TARGET_LOGS, SOURCE_LOGS = "dms-replication-task-target-logging", "dms-replication-task-source-logging"

FAILING = [
    Finding(NOT_PUBLIC, "public-migration", "mandatory",
            "publiclyAccessible is true: the replication instance gets a public IP address; leave it out or set false"),
    Finding(UPGRADE, "pinned-migration", "advisory",
            "autoMinorVersionUpgrade is false: DMS upgrades the replication instance to no new minor engine version "
            "by itself, so security fixes and bug fixes wait for a manual upgrade; set true"),
    # Left out, pulumi-aws sends false, whatever CreateReplicationInstance's default of true.
    Finding(UPGRADE, "unpatched-migration", "advisory", "autoMinorVersionUpgrade is unset (false): DMS upgrades"),
    Finding(MULTI_AZ, "zonal-migration", "advisory",
            "multiAz is false: the replication instance runs in one Availability Zone with no standby, so its tasks "
            "stop when it or its zone fails; set true and leave availabilityZone out, which DMS refuses beside it (a "
            "standby doubles the instance's cost)"),
    # Left out, pulumi-aws sends false.
    Finding(MULTI_AZ, "single-migration", "advisory", "multiAz is unset (false): the replication instance runs in"),
    # Left out, pulumi-aws sends no SslMode and DMS's default is none.
    Finding(SSL, "plain-postgres", "mandatory", "engineName postgres: sslMode is unset, so none: DMS connects to the "
                                                "database unencrypted"),
    # MySQL's advice leaves out require, which DMS does not support for it.
    Finding(SSL, "plain-mysql", "mandatory", "engineName mysql: sslMode is none: DMS connects to the database "
                                             "unencrypted, its credentials and the migrated data in plain text; set "
                                             "verify-ca or verify-full with the database's CA certificate "
                                             "(certificateArn)"),
    Finding(SSL, "require-mysql", "mandatory", "engineName mysql: sslMode require is not one DMS supports for this "
                                               "engine (\"Using SSL with AWS DMS\"); set verify-ca or verify-full"),
    Finding(SSL, "plain-zos", "mandatory", "engineName db2-zos: sslMode is unset, so none: DMS connects to the "
                                           "database unencrypted, its credentials and the migrated data in plain "
                                           "text; set verify-ca with the database's CA certificate (certificateArn)"),
    Finding(MONGODB_AUTH, "open-mongo", "mandatory",
            "engineName mongodb: mongodbSettings.authType is no: DMS connects to MongoDB without a user name and "
            "password, so the database must let anyone read what it migrates; set password (or leave it out), with "
            "the credentials or secretsManagerArn, and authMechanism scram_sha_1 for MongoDB 3.x or later"),
    Finding(REDIS_TLS, "plain-redis", "mandatory",
            "engineName redis: redisSettings.sslSecurityProtocol is plaintext: DMS writes to Redis OSS without TLS, "
            "the migrated data and the Redis credentials in plain text; set ssl-encryption (or leave it out), with "
            "sslCaCertificateArn for a CA other than Amazon's root CA"),
    # Task settings left out: DMS's EnableLogging false applies.
    Finding(TARGET_LOGS, "quiet-task", "advisory",
            "replicationTaskSettings is left out, so DMS's Logging.EnableLogging false applies: the task writes no "
            "CloudWatch log of the data it loads into the target database and the changes and DDL it applies there, "
            "nor of its errors; set Logging.EnableLogging true, with TARGET_LOAD and TARGET_APPLY in "
            "Logging.LogComponents at LOGGER_SEVERITY_DEFAULT or above"),
    Finding(SOURCE_LOGS, "quiet-task", "advisory",
            "replicationTaskSettings is left out, so DMS's Logging.EnableLogging false applies: the task writes no "
            "CloudWatch log of the data it unloads from the source database and the changes it captures there, nor "
            "of its errors; set Logging.EnableLogging true, with SOURCE_UNLOAD and SOURCE_CAPTURE in"),
    Finding(TARGET_LOGS, "unlogged-task", "advisory",
            "replicationTaskSettings' Logging.EnableLogging is false: the task writes no CloudWatch log of the data"),
    Finding(SOURCE_LOGS, "unlogged-task", "advisory",
            "replicationTaskSettings' Logging.EnableLogging is false: the task writes no CloudWatch log of the data"),
    # Components below LOGGER_SEVERITY_DEFAULT, each policy naming its own side's; SOURCE_UNLOAD, left out, keeps
    # DMS's level.
    Finding(TARGET_LOGS, "terse-task", "advisory",
            "replicationTaskSettings' Logging.LogComponents logs TARGET_LOAD at LOGGER_SEVERITY_ERROR and "
            "TARGET_APPLY at LOGGER_SEVERITY_INFO, below LOGGER_SEVERITY_DEFAULT, the level AWS recommends keeping "
            "for them and the least the control accepts; set LOGGER_SEVERITY_DEFAULT (or _DEBUG, _DETAILED_DEBUG)"),
    Finding(SOURCE_LOGS, "terse-task", "advisory",
            "replicationTaskSettings' Logging.LogComponents logs SOURCE_CAPTURE at LOGGER_SEVERITY_WARNING, below"),
]
# Not public: said outright, left out (the provider sends false), known only after the update; minor version
# upgrades and a standby on.
PASSING = [(NOT_PUBLIC, "private-migration"), (NOT_PUBLIC, "default-migration"), (NOT_PUBLIC, "later-migration"),
           (UPGRADE, "private-migration"), (MULTI_AZ, "private-migration"),
           # A password, said outright or left to the provider's default.
           (MONGODB_AUTH, "password-mongo"), (MONGODB_AUTH, "default-mongo"),
           # TLS, said outright or left to DMS's default (ssl-encryption).
           (REDIS_TLS, "tls-redis"), (REDIS_TLS, "default-redis"),
           # Every component the controls name at DEFAULT or above; settings known only after the update.
           (TARGET_LOGS, "logged-task"), (SOURCE_LOGS, "logged-task"), (TARGET_LOGS, "later-task"),
           (SOURCE_LOGS, "later-task"),
           # Encrypted in a mode DMS supports for the engine; an engine without SslMode.
           (SSL, "tls-postgres"), (SSL, "verified-sqlserver"), (SSL, "wallet-oracle"), (SSL, "changes-kinesis")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), (None, False), (UNKNOWN, False)])
def test_a_replication_instance_has_no_public_address(accessible, reported):
    """terraform-provider-aws sends PubliclyAccessible in every CreateReplicationInstance, false when left out: the
    API's default (true) never applies."""
    props = {"replicationInstanceId": "ri", "replicationInstanceClass": "dms.t3.medium", "tags": DEFAULT_TAGS,
             **({} if accessible is None else {"publiclyAccessible": accessible})}
    found = policies_found([Res("aws:dms/replicationInstance:ReplicationInstance", "ri", props)])
    assert (NOT_PUBLIC in found) == reported


@pytest.mark.parametrize("upgrade, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (None, True), (UNKNOWN, False)])
def test_a_replication_instance_takes_minor_versions(upgrade, reported):
    """terraform-provider-aws sends AutoMinorVersionUpgrade in every CreateReplicationInstance, false when left
    out: the API's default (true) never applies."""
    props = {"replicationInstanceId": "ri", "replicationInstanceClass": "dms.t3.medium", "tags": DEFAULT_TAGS,
             **({} if upgrade is None else {"autoMinorVersionUpgrade": upgrade})}
    found = policies_found([Res("aws:dms/replicationInstance:ReplicationInstance", "ri", props)])
    assert (UPGRADE in found) == reported


@pytest.mark.parametrize("multi_az, reported", [
    (True, False), ("true", False), (False, True), (None, True), (UNKNOWN, False)])
def test_a_replication_instance_has_a_standby(multi_az, reported):
    """terraform-provider-aws sends MultiAZ in every CreateReplicationInstance, false when left out."""
    props = {"replicationInstanceId": "ri", "replicationInstanceClass": "dms.t3.medium", "tags": DEFAULT_TAGS,
             **({} if multi_az is None else {"multiAz": multi_az})}
    found = policies_found([Res("aws:dms/replicationInstance:ReplicationInstance", "ri", props)])
    assert (MULTI_AZ in found) == reported


@pytest.mark.parametrize("engine, mode, reported", [
    ("postgres", None, True), ("oracle", "none", True), ("docdb", "require", False), ("mongodb", "require", False),
    ("sqlserver", "verify-full", False), ("db2", "", True),
    # The modes DMS's table in "Using SSL with AWS DMS" marks "Not supported" for the engine are reported.
    ("mysql", "require", True), ("mariadb", "require", True), ("aurora", "require", True),
    ("mysql", "verify-ca", False),
    ("sqlserver", "verify-ca", True), ("sqlserver", "require", False), ("mongodb", "verify-ca", True),
    ("oracle", "require", True), ("oracle", "verify-full", True), ("oracle", "verify-ca", False),
    ("sybase", "require", True), ("sybase", "verify-ca", True), ("sybase", "verify-full", False),
    ("db2", "require", True), ("db2", "verify-full", True), ("db2", "verify-ca", False),
    ("postgres", "verify-ca", False), ("docdb", "verify-ca", False),
    # Engines CT.DMS.PR.2 leaves out that DMS documents SSL for: Aurora Serverless (its engine's row) and Db2 for z/OS.
    ("aurora-serverless", None, True), ("aurora-serverless", "require", True),
    ("aurora-serverless", "verify-full", False), ("aurora-postgresql-serverless", "none", True),
    ("aurora-postgresql-serverless", "require", False), ("db2-zos", None, True), ("db2-zos", "require", True),
    ("db2-zos", "verify-ca", False),
    # Engines without SslMode are not asked; unknown values are not judged.
    ("s3", None, False), ("redis", None, False), ("kafka", "none", False),
    (UNKNOWN, None, False), ("postgres", UNKNOWN, False),
    # An engine given as a map or a list is no engine DMS knows: not judged, and no crash.
    ({"name": "postgres"}, None, False), (["postgres"], None, False)])
def test_a_database_endpoint_uses_ssl(engine, mode, reported):
    props = {"endpointId": "ep", "endpointType": "source", "engineName": engine, "tags": DEFAULT_TAGS,
             **({} if mode is None else {"sslMode": mode})}
    assert (SSL in policies_found([Res("aws:dms/endpoint:Endpoint", "ep", props)])) == reported


@pytest.mark.parametrize("engine, mode, advice", [
    ("postgres", None, "set require, or verify-ca or verify-full with the database's CA certificate (certificateArn)"),
    ("sqlserver", "none", "set require, or verify-full with the database's CA certificate (certificateArn)"),
    ("sybase", "require", "set verify-full with the database's CA certificate (certificateArn)"),
    ("oracle", "require", "set verify-ca with the Oracle wallet imported as a DMS certificate (certificateArn)")])
def test_the_advice_names_the_modes_dms_supports_for_the_engine(engine, mode, advice):
    props = {"endpointId": "ep", "endpointType": "source", "engineName": engine, "tags": DEFAULT_TAGS,
             **({} if mode is None else {"sslMode": mode})}
    found = findings(analyze([Res("aws:dms/endpoint:Endpoint", "ep", props)], {"all": "mandatory"}))
    assert [message[-len(advice):] for policy, _, message in found if policy == SSL] == [advice]


@pytest.mark.parametrize("engine, settings, reported", [
    ("mongodb", {"authType": "no"}, True), ("mongodb", {"authType": "password"}, False), ("mongodb", None, False),
    ("mongodb", {}, False), ("docdb", {"authType": "no"}, False), ("mongodb", {"authType": UNKNOWN}, False),
    (UNKNOWN, {"authType": "no"}, False), ("mongodb", "no", False), ({"name": "mongodb"}, {"authType": "no"}, False)])
def test_a_mongodb_endpoint_authenticates(engine, settings, reported):
    props = {"endpointId": "ep", "endpointType": "source", "engineName": engine, "sslMode": "require",
             "tags": DEFAULT_TAGS, **({} if settings is None else {"mongodbSettings": settings})}
    assert (MONGODB_AUTH in policies_found([Res("aws:dms/endpoint:Endpoint", "ep", props)])) == reported


@pytest.mark.parametrize("engine, protocol, reported", [
    ("redis", "plaintext", True), ("redis", "ssl-encryption", False), ("redis", None, False),
    ("redis", UNKNOWN, False), (UNKNOWN, "plaintext", False), ("kafka", "plaintext", False)])
def test_a_redis_endpoint_uses_tls(engine, protocol, reported):
    settings = {"authType": "none", "serverName": "cache.example.com", "port": 6379,
                **({} if protocol is None else {"sslSecurityProtocol": protocol})}
    props = {"endpointId": "ep", "endpointType": "target", "engineName": engine, "tags": DEFAULT_TAGS,
             "redisSettings": settings}
    assert (REDIS_TLS in policies_found([Res("aws:dms/endpoint:Endpoint", "ep", props)])) == reported


def _task(settings) -> Res:
    props = {"replicationTaskId": "task", "migrationType": "full-load", "tableMappings": "{}", "tags": DEFAULT_TAGS,
             "replicationInstanceArn": "arn:aws:dms:us-east-1:123456789012:rep:RI",
             "sourceEndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:SRC",
             "targetEndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:TGT",
             **({} if settings is None else {"replicationTaskSettings": settings})}
    return Res("aws:dms/replicationTask:ReplicationTask", "task", props)


def _logging(**logging) -> str:
    return json.dumps({"TargetMetadata": {"SupportLobs": True}, "Logging": logging})


LOUD = [{"Id": c, "Severity": "LOGGER_SEVERITY_DEFAULT"}
        for c in ("SOURCE_UNLOAD", "SOURCE_CAPTURE", "TARGET_LOAD", "TARGET_APPLY")]


@pytest.mark.parametrize("settings, target, source", [
    # Left out, blank, or without a Logging block or EnableLogging: DMS's false applies.
    (None, True, True), ("", True, True), (json.dumps({"TargetMetadata": {}}), True, True),
    (_logging(LogComponents=LOUD), True, True), (_logging(EnableLogging=False), True, True),
    # On, with the components left to DMS's level, or at DEFAULT and above.
    (_logging(EnableLogging=True), False, False), (_logging(EnableLogging=True, LogComponents=LOUD), False, False),
    (_logging(EnableLogging=True, LogComponents=[{"Id": "SOURCE_UNLOAD", "Severity": "LOGGER_SEVERITY_ERROR"},
                                                 {"Id": "TARGET_LOAD", "Severity": "LOGGER_SEVERITY_DEBUG"}]),
     False, True),
    # Keys are read as written and EnableLogging as the JSON boolean DMS documents: text, a number, a key in another
    # case, a Logging that is no block, is no logging on; a component entry in other keys is one DMS does not read.
    (_logging(EnableLogging="true", LogComponents=LOUD), True, True), (_logging(EnableLogging="false"), True, True),
    (_logging(EnableLogging=1), True, True), (json.dumps({"Logging": "on"}), True, True),
    (json.dumps({"logging": {"EnableLogging": True}}), True, True),
    (_logging(enableLogging=True, LogComponents=LOUD), True, True),
    (_logging(EnableLogging=True, logComponents=[{"Id": "TARGET_APPLY", "Severity": "LOGGER_SEVERITY_INFO"}]),
     False, False),
    (_logging(EnableLogging=True, LogComponents=[{"id": "TARGET_APPLY", "severity": "LOGGER_SEVERITY_INFO"}]),
     False, False),
    # Components the controls do not name, and levels DMS does not list, are not judged.
    (_logging(EnableLogging=True, LogComponents=[{"Id": "TASK_MANAGER", "Severity": "LOGGER_SEVERITY_ERROR"},
                                                 {"Id": "TARGET_LOAD", "Severity": "LOUD"}]), False, False),
    # A document that is no JSON object (the provider refuses one), odd components, unknown values: not judged, no
    # crash.
    ("not json", False, False), ("[1, 2]", False, False),
    (_logging(EnableLogging=True, LogComponents={"Id": 1}), False, False),
    (_logging(EnableLogging=True, LogComponents=[["TARGET_LOAD"], {"Id": {}, "Severity": []}]), False, False),
    (UNKNOWN, False, False)])
def test_a_replication_task_logs_each_side(settings, target, source):
    found = policies_found([_task(settings)])
    assert ((TARGET_LOGS in found), (SOURCE_LOGS in found)) == (target, source)


@pytest.mark.parametrize("settings", [
    {"Logging": UNKNOWN}, {"Logging": {"EnableLogging": UNKNOWN}},
    {"Logging": {"EnableLogging": True, "LogComponents": [{"Id": "TARGET_LOAD", "Severity": UNKNOWN}]}}])
def test_a_settings_map_holding_an_unknown_is_not_judged(settings):
    """A map rather than JSON text (json_object passes one through) that holds a value unknown until the update is
    not judged: no finding, and no policy that cannot run."""
    report = analyze([_task(settings)], {"all": "mandatory"})
    assert {policy for policy, _, _ in findings(report)} & {TARGET_LOGS, SOURCE_LOGS} == set()
    assert {v.policy for v in report.not_run} & {TARGET_LOGS, SOURCE_LOGS} == set()


@pytest.mark.parametrize("settings, why", [
    (_logging(EnableLogging="true"), 'Logging.EnableLogging is "true", not the JSON boolean true DMS documents'),
    (_logging(EnableLogging=[True]), "Logging.EnableLogging is a list, not the JSON boolean true"),
    (json.dumps({"Logging": "on"}), 'Logging is "on", not a block of settings'),
    (json.dumps({"logging": {"EnableLogging": True}}),
     'has no Logging block ("logging" is not Logging: DMS reads its settings\' keys as written), so DMS\'s'),
    (_logging(enableLogging=True),
     'Logging.EnableLogging is left out ("enableLogging" is not EnableLogging: DMS reads its settings\' keys as '
     'written) (false)')])
def test_logging_that_dms_would_not_read_as_on_is_reported_as_written(settings, why):
    messages = {m for p, _, m in findings(analyze([_task(settings)], {"all": "mandatory"})) if p == TARGET_LOGS}
    assert len(messages) == 1 and why in next(iter(messages)), messages
