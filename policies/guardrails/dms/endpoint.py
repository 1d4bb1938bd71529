"""DMS source and target endpoints, judged by what pulumi-aws sends: terraform-provider-aws `aws_dms_endpoint` sends
`ssl_mode` only when set (DMS's default is none), and from their settings blocks MongoDB's `auth_type` and Redis
OSS's `ssl_security_protocol`, which default to password and ssl-encryption."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import resource_policy
from . import ENDPOINT

# The encrypting SslMode values DMS supports per engine: the table in the DMS guide's "Using SSL with AWS DMS" (none,
# DmsSslModeValue's other value, is every engine's default). A mode the table marks "Not supported" is no SSL to count.
# Aurora Serverless takes its engine's row (the same page's note on it as a target); DocumentDB, which CT.DMS.PR.2
# names, has no row, so all three count. Engines without SslMode are not asked (Redis has its own
# SslSecurityProtocol, ssl-encryption by default in botocore's dms model).
ANY_MODE = ("require", "verify-ca", "verify-full")
MYSQL, SQLSERVER = ("verify-ca", "verify-full"), ("require", "verify-full")
SSL_MODES = {
    "mysql": MYSQL, "mariadb": MYSQL, "aurora": MYSQL, "aurora-serverless": MYSQL,
    "postgres": ANY_MODE, "aurora-postgresql": ANY_MODE, "aurora-postgresql-serverless": ANY_MODE,
    "docdb": ANY_MODE, "sqlserver": SQLSERVER, "mongodb": SQLSERVER, "sybase": ("verify-full",),
    # Oracle's own section: "none and verify-ca", with an Oracle wallet (.sso) as the certificate, not a .pem file.
    "oracle": ("verify-ca",), "db2": ("verify-ca",), "db2-zos": ("verify-ca",),
}


def _advice(engine: str) -> str:
    """the modes to set, as the engine's row gives them"""
    modes = SSL_MODES[engine]
    oracle = engine == "oracle"
    certificate = "the Oracle wallet imported as a DMS certificate" if oracle else "the database's CA certificate"
    verified = f"{' or '.join(m for m in modes if m != 'require')} with {certificate} (certificateArn)"
    return f"set require, or {verified}" if "require" in modes else f"set {verified}"


@resource_policy(
    "dms-endpoint-ssl", ENDPOINT,
    description="DMS endpoints of databases that take SSL must use it: without it the replication instance reads and "
                "writes the migrated rows, and sends the database's credentials, in plain text.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DMS.9", "Config dms-endpoint-ssl-configured", "CT.DMS.PR.2"),
    anchor_note="CT.DMS.PR.2's engines (mysql, oracle, postgres, mariadb, aurora, aurora-postgresql, db2, sybase, "
                "mongodb, docdb, sqlserver), and aurora-serverless, aurora-postgresql-serverless and db2-zos, each "
                "held to the modes DMS supports for it",
)
def endpoint_ssl(args: ResourceValidationArgs) -> Iterator[str]:
    """an endpoint whose `engineName` takes SslMode has an `sslMode` DMS supports for that engine ("Using SSL with
    AWS DMS": require, verify-ca or verify-full for PostgreSQL and Aurora PostgreSQL, and for DocumentDB, which the
    table leaves out; verify-ca or verify-full for MySQL, MariaDB and Aurora MySQL; require or verify-full for SQL
    Server and MongoDB; verify-full for SAP ASE; verify-ca for Oracle, Db2 LUW and Db2 for z/OS; Aurora Serverless
    as its engine); left out, pulumi-aws sends none and DMS's default is none; an unknown engine or mode is not
    judged"""
    engine, mode = peek(args.props, "engineName"), peek(args.props, "sslMode")
    # isinstance first: a map is unhashable, and `in` a dict would raise on it.
    if not isinstance(engine, str) or engine not in SSL_MODES or mode is UNKNOWN or mode in SSL_MODES[engine]:
        return
    if mode in ANY_MODE:
        yield (f"engineName {engine}: sslMode {mode} is not one DMS supports for this engine (\"Using SSL with AWS "
               f"DMS\"); {_advice(engine)}")
    else:
        yield (f"engineName {engine}: sslMode is {mode if has_text(mode) else 'unset, so none'}: DMS connects to the "
               f"database unencrypted, its credentials and the migrated data in plain text; {_advice(engine)}")


@resource_policy(
    "dms-endpoint-mongodb-auth", ENDPOINT,
    description="DMS endpoints for MongoDB must authenticate to the database: without it DMS reads the collections as "
                "anyone may, and the database must admit unauthenticated clients.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DMS.11", "Config dms-mongo-db-authentication-enabled"),
)
def mongodb_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """an endpoint whose `engineName` is mongodb has no `mongodbSettings.authType` no (botocore's AuthTypeValue: no
    or password; left out, pulumi-aws's default is password); an unknown engine or value is not judged"""
    if peek(args.props, "engineName") == "mongodb" and peek(args.props, "mongodbSettings", "authType") == "no":
        yield ("engineName mongodb: mongodbSettings.authType is no: DMS connects to MongoDB without a user name and "
               "password, so the database must let anyone read what it migrates; set password (or leave it out), "
               "with the credentials or secretsManagerArn, and authMechanism scram_sha_1 for MongoDB 3.x or later")


@resource_policy(
    "dms-endpoint-redis-tls", ENDPOINT,
    description="DMS endpoints for Redis OSS must use TLS: in plain text the replication instance sends the migrated "
                "data, and the Redis credentials, unencrypted.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DMS.12", "Config dms-redis-tls-enabled"),
)
def redis_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """an endpoint whose `engineName` is redis has no `redisSettings.sslSecurityProtocol` plaintext (botocore's
    RedisSettings: plaintext or ssl-encryption, "The default is ssl-encryption"); an unknown engine or value is not
    judged"""
    if (peek(args.props, "engineName") == "redis"
            and peek(args.props, "redisSettings", "sslSecurityProtocol") == "plaintext"):
        yield ("engineName redis: redisSettings.sslSecurityProtocol is plaintext: DMS writes to Redis OSS without "
               "TLS, the migrated data and the Redis credentials in plain text; set ssl-encryption (or leave it "
               "out), with sslCaCertificateArn for a CA other than Amazon's root CA")
