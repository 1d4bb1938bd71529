"""Amazon Macie accounts, judged by what a stack turns off: `status` PAUSED (EnableMacie and UpdateMacieSession
take ENABLED or PAUSED, "suspend all Macie activities for the account")."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek
from ..core.registry import resource_policy
from . import ACCOUNT


@resource_policy(
    "macie-account-enabled", ACCOUNT,
    description="Amazon Macie must not be paused: a paused Macie account stops every Macie activity, its S3 bucket "
                "inventory and policy findings as well as its sensitive data discovery.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Macie.1", "Config macie-status-check"),
)
def enabled(args: ResourceValidationArgs) -> Iterator[str]:
    """`status` is not PAUSED (left out, pulumi-aws sends none and EnableMacie enables Macie); an unknown value
    is not judged"""
    status = peek(args.props, "status")
    if isinstance(status, str) and status.upper() == "PAUSED":
        yield ("status is PAUSED: Macie suspends all its activities for the account in this Region, so no finding "
               "reports a bucket made public or unencrypted, and no job or automated discovery finds sensitive "
               "data; leave it out or set ENABLED")
