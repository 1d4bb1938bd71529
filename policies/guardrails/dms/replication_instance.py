"""DMS replication instances, judged by what pulumi-aws sends: terraform-provider-aws `aws_dms_replication_instance`
sends `publicly_accessible`, `auto_minor_version_upgrade` and `multi_az` in every CreateReplicationInstance call,
false when left out, whatever the API's own defaults (botocore's dms model: AutoMinorVersionUpgrade "Default: true",
PubliclyAccessible true); `publicly_accessible` is ForceNew, as DMS cannot change it."""
from __future__ import annotations

from pulumi_policy import Severity

from ..core.registry import ADVISORY
from ..core.switches import switch_policy
from . import REPLICATION_INSTANCE


switch_policy(
    "dms-replication-instance-not-public", REPLICATION_INSTANCE, "publiclyAccessible",
    "the replication instance gets a public IP address; leave it out or set false, and reach the databases through the "
    "VPC, a VPN, Direct Connect or peering (DMS sets it at creation only: the instance is replaced)",
    wanted=False,
    description="DMS replication instances must not be publicly accessible: a public instance gets a public IP "
                "address, reachable from outside its VPC, while it holds the credentials of and reads the data of the "
                "databases it migrates.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub DMS.1", "Config dms-replication-not-public", "CT.DMS.PR.1"),
    checks="""
    `publiclyAccessible` is not true (left out, pulumi-aws sends false, whatever the API's default of true);
    an unknown value is not judged""",
)


switch_policy(
    "dms-replication-instance-auto-minor-version-upgrade", REPLICATION_INSTANCE, "autoMinorVersionUpgrade",
    "DMS upgrades the replication instance to no new minor engine version by itself, so security fixes and bug fixes "
    "wait for a manual upgrade; set true",
    description="DMS replication instances should take new minor engine versions automatically, in their maintenance "
                "window, so security fixes reach them without a manual upgrade.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub DMS.6", "Config dms-auto-minor-version-upgrade-check"),
    checks="""
    `autoMinorVersionUpgrade` is true (left out, pulumi-aws sends false, whatever CreateReplicationInstance's
    default of true); an unknown value is not judged""",
)


switch_policy(
    "dms-replication-instance-multi-az", REPLICATION_INSTANCE, "multiAz",
    "the replication instance runs in one Availability Zone with no standby, so its tasks stop when it or its zone "
    "fails; set true and leave availabilityZone out, which DMS refuses beside it (a standby doubles the instance's "
    "cost)",
    description="DMS replication instances should be Multi-AZ deployments, with a standby in another Availability "
                "Zone that resumes their tasks when the primary or its zone fails.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub DMS.13", "Config dms-replication-instance-multi-az-enabled"),
    checks="""
    `multiAz` is true (left out, pulumi-aws sends false); an unknown value is not judged""",
)
