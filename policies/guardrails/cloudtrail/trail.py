"""CloudTrail trails: all regions, log file validation, SSE-KMS, and a copy in CloudWatch Logs."""
from __future__ import annotations

from typing import Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, dig, is_map, is_set, is_true, peek, peek_items
from ..core.registry import ADVISORY, resource_policy
from . import TRAIL


@resource_policy(
    "cloudtrail-trail-multi-region", TRAIL,
    description="CloudTrail trails must record every region, so activity in an unused region is not missed.",
    severity=Severity.HIGH,
    anchors=("Security Hub CloudTrail.1", "CIS AWS 3.1"),
)
def multi_region(args: ResourceValidationArgs) -> Iterator[str]:
    """`isMultiRegionTrail` is true, `enableLogging` is not false, and it records read and write management events
    (no event selectors; or one with `includeManagementEvents` not false, `readWriteType` All and no
    `excludeManagementEventSources`; or an advanced selector on `eventCategory` Management without a `readOnly`
    field), as CloudTrail.1 asks"""
    if not is_true(dig(args.props, "isMultiRegionTrail")):
        yield "isMultiRegionTrail is not true; the trail records only its own region"
    if peek(args.props, "enableLogging") is False:
        yield "enableLogging is false; the trail records nothing"
    problem = _management_events_problem(args.props)
    if problem:
        yield problem


def _management_events_problem(props) -> Optional[str]:
    """What keeps the trail from recording every management event, or None (also while a selector is unknown)."""
    selectors, advanced = peek_items(props, "eventSelectors"), peek_items(props, "advancedEventSelectors")
    if UNKNOWN in selectors or UNKNOWN in advanced:
        return None
    if selectors:
        full = [s for s in selectors if is_map(s) and peek(s, "includeManagementEvents") is not False
                and peek(s, "readWriteType") in (None, "All", UNKNOWN)]
        if not full:
            return ("no eventSelectors entry records read and write management events (includeManagementEvents true, "
                    "readWriteType All)")
        excluded = [e for e in peek_items(full[0], "excludeManagementEventSources") if isinstance(e, str)]
        if all(peek_items(s, "excludeManagementEventSources") for s in full) and excluded:
            return f"eventSelectors exclude the management events of {', '.join(excluded)}"
    elif advanced and not any(_all_management_events(selector) for selector in advanced):
        return ("no advancedEventSelectors entry records every management event (eventCategory Management, no readOnly "
                "field)")
    return None


def _all_management_events(selector) -> bool:
    fields = [f for f in peek_items(selector, "fieldSelectors") if is_map(f)]
    names = [peek(f, "field") for f in fields]
    return (any(peek(f, "field") == "eventCategory" and "Management" in peek_items(f, "equals") for f in fields)
            and "readOnly" not in names)


@resource_policy(
    "cloudtrail-trail-log-validation", TRAIL,
    description="CloudTrail trails must enable log file validation (signed digest files), so tampering shows.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub CloudTrail.4", "CIS AWS 3.2"),
)
def log_validation(args: ResourceValidationArgs) -> Iterator[str]:
    """`enableLogFileValidation` is true"""
    if not is_true(dig(args.props, "enableLogFileValidation")):
        yield "enableLogFileValidation is not true; digest files prove log files unchanged"


@resource_policy(
    "cloudtrail-trail-kms-encrypted", TRAIL,
    description="CloudTrail trails must encrypt log files with a KMS key (SSE-KMS).",
    severity=Severity.MEDIUM,
    anchors=("Security Hub CloudTrail.2", "CIS AWS 3.5"),
)
def kms_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsKeyId` is set"""
    if not is_set(args.props, "kmsKeyId"):
        yield "kmsKeyId is not set; log files are only SSE-S3 encrypted"


@resource_policy(
    "cloudtrail-trail-cloudwatch-logs", TRAIL,
    description="CloudTrail trails should also deliver to CloudWatch Logs, so recent API activity can be queried and "
                "alarmed on (S3 keeps the record; nothing watches it as events arrive).",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub CloudTrail.5", "Config cloud-trail-cloud-watch-logs-enabled"),
    anchor_note="CIS AWS v1.4.0 3.4 and v1.2.0 2.4; CIS v3.0.0, whose numbers the other trail anchors use, has "
                "no such recommendation",
)
def cloudwatch_logs(args: ResourceValidationArgs) -> Iterator[str]:
    """`cloudWatchLogsGroupArn` and `cloudWatchLogsRoleArn` are both set (CloudTrail needs the pair)"""
    missing = [key for key in ("cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn") if not is_set(args.props, key)]
    if missing:
        yield (f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set; the trail delivers to S3 "
               "only, where no metric filter or alarm sees recent activity")
