"""DMS guardrails against tests/programs/policy_dms (raw replication instances)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_dms"
NOT_PUBLIC, SSL = "dms-replication-instance-not-public", "dms-endpoint-ssl"

FAILING = [
    Finding(NOT_PUBLIC, "public-migration", "mandatory",
            "publiclyAccessible is true: the replication instance gets a public IP address; leave it out or set false"),
    # Left out, pulumi-aws sends no SslMode and DMS's default is none.
    Finding(SSL, "plain-postgres", "mandatory", "engineName postgres: sslMode is unset, so none: DMS connects to the "
                                                "database unencrypted"),
    Finding(SSL, "plain-mysql", "mandatory", "engineName mysql: sslMode is none: DMS connects to the database "
                                             "unencrypted, its credentials and the migrated data in plain text; set "
                                             "require"),
]
# Private said outright; left out (the provider sends false); known only after the update.
PASSING = [(NOT_PUBLIC, "private-migration"), (NOT_PUBLIC, "default-migration"), (NOT_PUBLIC, "later-migration"),
           # Encrypted; an engine CT.DMS.PR.2 does not ask for SslMode.
           (SSL, "tls-postgres"), (SSL, "verified-sqlserver"), (SSL, "changes-kinesis")]


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


@pytest.mark.parametrize("engine, mode, reported", [
    ("postgres", None, True), ("oracle", "none", True), ("docdb", "require", False), ("mongodb", "verify-ca", False),
    ("sqlserver", "verify-full", False), ("db2", "", True),
    # Engines CT.DMS.PR.2 does not list are not asked; unknown values are not judged.
    ("s3", None, False), ("redis", None, False), ("kafka", "none", False),
    (UNKNOWN, None, False), ("postgres", UNKNOWN, False),
    # An engine given as a map or a list is no engine DMS knows: not judged, and no crash.
    ({"name": "postgres"}, None, False), (["postgres"], None, False)])
def test_a_database_endpoint_uses_ssl(engine, mode, reported):
    props = {"endpointId": "ep", "endpointType": "source", "engineName": engine, "tags": DEFAULT_TAGS,
             **({} if mode is None else {"sslMode": mode})}
    assert (SSL in policies_found([Res("aws:dms/endpoint:Endpoint", "ep", props)])) == reported
