from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import resource_policy
from . import ENDPOINT

# The engines whose connections SslMode encrypts, as Control Tower's CT.DMS.PR.2 rule lists them; the others are not
# asked (Redis, for one, has its own SslSecurityProtocol, ssl-encryption by default in botocore's dms model).
SSL_ENGINES = frozenset({"mysql", "oracle", "postgres", "mariadb", "aurora", "aurora-postgresql", "db2", "sybase",
                         "mongodb", "docdb", "sqlserver"})
# DmsSslModeValue in botocore's dms model: none, require, verify-ca, verify-full.
ENCRYPTED_MODES = ("require", "verify-ca", "verify-full")


@resource_policy(
    "dms-endpoint-ssl", ENDPOINT,
    description="DMS endpoints of databases that take SSL must use it: without it the replication instance reads and "
                "writes the migrated rows, and sends the database's credentials, in plain text.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DMS.9", "Config dms-endpoint-ssl-configured", "CT.DMS.PR.2"),
    anchor_note="the engines CT.DMS.PR.2 names: mysql, oracle, postgres, mariadb, aurora, aurora-postgresql, db2, "
                "sybase, mongodb, docdb, sqlserver",
)
def endpoint_ssl(args: ResourceValidationArgs) -> Iterator[str]:
    """an endpoint whose `engineName` takes SslMode has `sslMode` require, verify-ca or verify-full (left out,
    pulumi-aws sends none and DMS's default is none); an unknown engine or mode is not judged"""
    engine, mode = peek(args.props, "engineName"), peek(args.props, "sslMode")
    # isinstance first: a map is unhashable, and `in` a frozenset would raise on it.
    if isinstance(engine, str) and engine in SSL_ENGINES and mode is not UNKNOWN and mode not in ENCRYPTED_MODES:
        yield (f"engineName {engine}: sslMode is {mode if has_text(mode) else 'unset, so none'}: DMS connects to the "
               "database unencrypted, its credentials and the migrated data in plain text; set require, or "
               "verify-ca / verify-full with the database's CA certificate (certificateArn)")
