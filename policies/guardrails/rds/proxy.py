"""RDS Proxies, judged by what pulumi-aws sends (terraform-provider-aws `aws_db_proxy`: `require_tls` is sent to
CreateDBProxy only when true, and left out RDS does not require TLS) and the RDS API reference for CreateDBProxy and
ModifyDBProxy (`RequireTLS`: "enforce encrypted TLS connections to the proxy, even if the associated database
doesn't use TLS")."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, peek, peek_items
from ..core.registry import ADVISORY, resource_policy
from ..core.switches import switch_policy
from . import PROXY


switch_policy(
    "rds-proxy-tls-required", PROXY, "requireTls",
    "the proxy takes plain-text connections, and the clients' queries, results and credentials cross the network "
    "readable; set requireTls true",
    description="RDS Proxies must require TLS: without it the proxy takes plain-text connections, and the clients' "
                "queries, results and database credentials cross the network readable.",
    severity=Severity.HIGH,
    anchors=("Security Hub RDS.43", "Config rds-proxy-tls-encryption"),
    checks="""
    `requireTls` is true (left out, the provider sends nothing and RDS takes plain-text connections besides TLS
    ones; the setting holds whether or not the database behind the proxy uses TLS); an unknown value is not judged""",
)


@resource_policy(
    "rds-proxy-iam-auth", PROXY,
    description="RDS Proxies should require IAM authentication from their clients, so each service signs in with "
                "short-lived tokens its role grants rather than holding the database user's password.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchor_note="AWS Prescriptive Guidance's RDS Proxy best practices recommend IAM authentication; no rule id",
)
def iam_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """each `auths` entry has `iamAuth` REQUIRED (UserAuthConfig IAMAuth: "require or disallow" IAM authentication;
    left out, the provider sends none and the proxy does not require it; ENABLED, for SQL Server only, takes the
    password too); a proxy with no entry authenticates end to end with IAM (`defaultAuthScheme` IAM_AUTH, without
    which CreateDBProxy refuses it). An unknown entry or value is not judged"""
    for i, entry in enumerate(peek_items(args.props, "auths")):
        mode = UNKNOWN if entry is UNKNOWN else peek(entry, "iamAuth")
        if mode in (UNKNOWN, "REQUIRED"):
            continue
        yield (f"auths[{i}].iamAuth is {mode or 'left out'}: the proxy lets its clients sign in with the database "
               "user's password, which every service must then hold; set iamAuth REQUIRED so they sign in with IAM "
               "tokens their roles grant (rds-db:connect)")
