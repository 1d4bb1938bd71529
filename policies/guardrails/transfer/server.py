"""Transfer Family servers, judged by what pulumi-aws sends (terraform-provider-aws `aws_transfer_server` sends
`protocols` only where given; CreateServer's default is SFTP alone)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek_items
from ..core.registry import resource_policy
from . import SERVER


@resource_policy(
    "transfer-server-no-ftp", SERVER,
    description="Transfer Family servers must not take plain FTP, which sends users' credentials and files "
                "unencrypted: serve SFTP or FTPS instead.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Transfer.2", "Config transfer-family-server-no-ftp", "CKV_AWS_357"),
)
def no_ftp(args: ResourceValidationArgs) -> Iterator[str]:
    """`protocols` holds no `FTP` (left out, CreateServer serves SFTP alone); an item unknown until the update is
    not judged, a known FTP beside it is"""
    if any(isinstance(p, str) and p.upper() == "FTP" for p in peek_items(args.props, "protocols")):
        yield ("protocols includes FTP: clients send their credentials and files over the network unencrypted; "
               "serve SFTP or FTPS (TLS) instead, and keep any FTP-only client on separate credentials meanwhile")
