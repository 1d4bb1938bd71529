"""RDS Proxies, judged by what pulumi-aws sends (terraform-provider-aws `aws_db_proxy`: `require_tls` is sent to
CreateDBProxy only when true, and left out RDS does not require TLS) and the RDS API reference for CreateDBProxy and
ModifyDBProxy (`RequireTLS`: "enforce encrypted TLS connections to the proxy, even if the associated database
doesn't use TLS")."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import switched_off
from ..core.registry import resource_policy
from . import PROXY


@resource_policy(
    "rds-proxy-tls-required", PROXY,
    description="RDS Proxies must require TLS: without it the proxy takes plain-text connections, and the clients' "
                "queries, results and database credentials cross the network readable.",
    severity=Severity.HIGH,
    anchors=("Security Hub RDS.43", "Config rds-proxy-tls-encryption"),
)
def tls_required(args: ResourceValidationArgs) -> Iterator[str]:
    """`requireTls` is true (left out, the provider sends nothing and RDS takes plain-text connections besides TLS
    ones; the setting holds whether or not the database behind the proxy uses TLS); an unknown value is not judged"""
    off = switched_off(args.props, "requireTls")
    if off is not None:
        yield (f"requireTls is {off}: the proxy takes plain-text connections, and the clients' queries, results and "
               "credentials cross the network readable; set requireTls true")
