"""Amazon Inspector enablers, judged by the scan types their list turns off: terraform-provider-aws makes an
enabler's `resourceTypes` the accounts' whole set (after Enable, it calls Disable for each enabled type the list
leaves out, and on an update of the list for every type it leaves out)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, in_words, peek_items
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from . import ENABLER

# The scan types Security Hub asks for: the control, and what Amazon Inspector scans with each.
SCANS = {
    "EC2": ("Inspector.1", "EC2 instances"),
    "ECR": ("Inspector.2", "ECR container images"),
    "LAMBDA_CODE": ("Inspector.3", "Lambda functions' code"),
    "LAMBDA": ("Inspector.4", "Lambda functions' dependencies"),
}


@resource_policy(
    "inspector-enabler-scan-types", ENABLER,
    description="Amazon Inspector enablers should list every scan type Security Hub asks for (EC2, ECR, Lambda "
                "standard and Lambda code scanning): the provider turns off, in each account it names, each type its "
                "list leaves out.",
    severity=Severity.HIGH,
    level=ADVISORY,
    anchors=("Security Hub Inspector.1", "Security Hub Inspector.2", "Security Hub Inspector.3",
             "Security Hub Inspector.4"),
    config={"exemptResourceTypes": string_list(
        "Scan types an enabler may leave out, where the accounts run none of what they scan (LAMBDA_CODE where "
        "Amazon Inspector does not offer it in the Region, say); say why next to the config.",
        item={"enum": sorted(SCANS)})},
)
def scan_types(args: ResourceValidationArgs) -> Iterator[str]:
    """`resourceTypes` holds EC2, ECR, LAMBDA and LAMBDA_CODE (knob `exemptResourceTypes`): pulumi-aws disables each
    type the list leaves out in the accounts of `accountIds`, when it creates the enabler (those enabled) and whenever
    the list changes; an unknown list or item is not judged"""
    listed = peek_items(args.props, "resourceTypes")
    if not listed or UNKNOWN in listed:
        return
    given = {item.upper() for item in listed if isinstance(item, str)}
    missing = [scan for scan in SCANS if scan not in given]
    if missing:
        missing = [scan for scan in missing if scan not in config_list(args, "exemptResourceTypes")]
    if missing:
        scanned = in_words([f"{SCANS[scan][1]} ({SCANS[scan][0]})" for scan in missing])
        yield (f"resourceTypes leaves out {in_words(missing)}: the provider disables each scan type the list leaves "
               f"out in the accounts it names, so Amazon Inspector stops scanning {scanned}; add them, or name them "
               "in exemptResourceTypes where the accounts run none of those resources")
