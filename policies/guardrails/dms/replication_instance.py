"""DMS replication instances, judged by what pulumi-aws sends (terraform-provider-aws `aws_dms_replication_instance`
sends `publicly_accessible` in every CreateReplicationInstance call, false when left out, although the API's own
default is true; ForceNew: DMS cannot change it)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true, peek
from ..core.registry import resource_policy
from . import REPLICATION_INSTANCE


@resource_policy(
    "dms-replication-instance-not-public", REPLICATION_INSTANCE,
    description="DMS replication instances must not be publicly accessible: a public instance gets a public IP "
                "address, reachable from outside its VPC, while it holds the credentials of and reads the data of the "
                "databases it migrates.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub DMS.1", "Config dms-replication-not-public", "CT.DMS.PR.1"),
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`publiclyAccessible` is not true (left out, pulumi-aws sends false, whatever the API's default of true);
    an unknown value is not judged"""
    if is_true(peek(args.props, "publiclyAccessible")):
        yield ("publiclyAccessible is true: the replication instance gets a public IP address; leave it out or set "
               "false, and reach the databases through the VPC, a VPN, Direct Connect or peering (DMS sets it at "
               "creation only: the instance is replaced)")
