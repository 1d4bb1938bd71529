"""CloudTrail trails: all regions, log file validation, SSE-KMS, and a copy in CloudWatch Logs."""
from __future__ import annotations

from typing import Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import (UNKNOWN, any_of, cannot_judge, dig, has_unknown, is_false, is_map, is_set, is_true, peek,
                          peek_items)
from ..core.registry import ADVISORY, resource_policy
from . import TRAIL


@resource_policy(
    "cloudtrail-trail-multi-region", TRAIL,
    description="CloudTrail trails that record management events must be on and record every region and every "
                "management event, so activity in an unused region, or a switched-off trail, is not missed; a trail "
                "of data or network activity events only is not judged.",
    severity=Severity.HIGH,
    anchors=("Security Hub CloudTrail.1", "CIS AWS 3.1"),
    anchor_note="their check wants one selector with every management event; this pack takes selectors that add up "
                "to it, as CloudTrail logs them, so Security Hub may report a trail this policy passes",
)
def multi_region(args: ResourceValidationArgs) -> Iterator[str]:
    """`isMultiRegionTrail` is true, `enableLogging` is not false, and its event selectors together record read and
    write management events of every source (none: all; basic selectors: `includeManagementEvents` not false,
    `readWriteType`, `excludeManagementEventSources`; advanced: an `eventCategory` Management selector, with
    `readOnly` and `eventSource` `notEquals` narrowing it); an unknown selector is not judged. A trail whose
    selectors record data or network activity events and no management event is not judged: it sits beside the
    trail that records them, and Security Hub's control asks an account for one such trail, not every trail to be
    one (a second copy of management events is billed). `includeGlobalServiceEvents` (IAM, STS's global endpoint,
    CloudFront) is not read: CloudTrail refuses a multi-Region trail without them (InvalidParameterCombinationException
    "Multi-Region trail must include global service events"), which the offline preview reports as an API error;
    an organization trail is asked the same"""
    if _other_events_only(args.props):
        return
    if not is_true(dig(args.props, "isMultiRegionTrail")):
        yield "isMultiRegionTrail is not true; the trail records only its own region"
    if is_false(peek(args.props, "enableLogging")):
        yield "enableLogging is false; the trail records nothing"
    problem = _management_events_problem(args.props)
    if problem:
        yield problem


def _other_events_only(props) -> bool:
    """Whether the selectors record data (or network activity) events and no management event. Where an unknown
    value leaves that open (a selector that may record either), the check cannot run."""
    management, other = [], []  # per selector (basic) or category field (advanced): True, False, or None (unknown)
    for selector in peek_items(props, "eventSelectors"):
        include = peek(selector, "includeManagementEvents") if is_map(selector) else selector
        management.append(None if include is UNKNOWN else is_map(selector) and not is_false(include))
        resources = peek_items(selector, "dataResources") if is_map(selector) else [selector]
        other.append(any_of(None if r is UNKNOWN else is_map(r) for r in resources))
    for selector in peek_items(props, "advancedEventSelectors"):
        for field in peek_items(selector, "fieldSelectors") if is_map(selector) else [selector]:
            name = peek(field, "field") if is_map(field) else field
            if name == "eventCategory" or name is UNKNOWN:
                categories = peek_items(field, "equals") if name is not UNKNOWN else [UNKNOWN]
                management.append(any_of(None if c is UNKNOWN else c == "Management" for c in categories))
                other.append(any_of(None if c is UNKNOWN else c != "Management" for c in categories))
    records_management, records_other = any_of(management), any_of(other)
    if records_management is True or records_other is False:
        return False
    if records_management is False and records_other is True:
        return True
    cannot_judge(*[key for key in ("eventSelectors", "advancedEventSelectors") if has_unknown(peek(props, key))])


# What one selector records of management events: reads, writes, and the event sources it leaves out.
Recorded = tuple[bool, bool, frozenset]
_NOTHING: Recorded = (False, False, frozenset())


def _management_events_problem(props) -> Optional[str]:
    """What keeps the selectors from recording every management event, or None (also while one is unknown).
    Selectors add up: an event is recorded if any selector records it."""
    for key, kind, read in (("eventSelectors", "event selectors", _basic),
                            ("advancedEventSelectors", "advanced event selectors", _advanced)):
        selectors = peek_items(props, key)
        if not selectors:
            continue
        if any(has_unknown(selector) for selector in selectors):
            return None
        recorded = [read(selector) for selector in selectors if is_map(selector)]
        missing = [side for side, index in (("read", 0), ("write", 1)) if not any(r[index] for r in recorded)]
        if missing:
            return f"the {kind} record no {' or '.join(missing)} management events"
        left_out = set()
        for index in (0, 1):  # a source is left out on a side if every selector recording that side leaves it out
            left_out |= frozenset.intersection(*(r[2] for r in recorded if r[index]))
        if left_out:
            return f"the {kind} leave out the management events of {', '.join(sorted(left_out))}"
        return None
    return None


def _basic(selector) -> Recorded:
    if is_false(peek(selector, "includeManagementEvents")):
        return _NOTHING
    side = peek(selector, "readWriteType") or "All"
    return (side in ("All", "ReadOnly"), side in ("All", "WriteOnly"),
            frozenset(s for s in peek_items(selector, "excludeManagementEventSources") if isinstance(s, str)))


def _advanced(selector) -> Recorded:
    """An advanced selector records management events if it selects eventCategory Management; `readOnly` keeps one
    side, `eventSource` `notEquals` leaves sources out, and any other field or operator narrows it to some events."""
    fields = [f for f in peek_items(selector, "fieldSelectors") if is_map(f)]
    if not any(peek(f, "field") == "eventCategory" and "Management" in peek_items(f, "equals") for f in fields):
        return _NOTHING
    reads, writes, left_out = True, True, set()
    for f in fields:
        # An empty operator list selects nothing away: the API takes none (each operator has at least one value),
        # and the provider sends an empty list as no operator at all.
        name, operators = peek(f, "field"), [op for op in list(iter(f)) if op != "field" and peek_items(f, op)]
        if name == "eventCategory":
            continue
        if name == "readOnly" and operators == ["equals"]:
            values = set(peek_items(f, "equals"))
            reads, writes = reads and "true" in values, writes and "false" in values
        elif name == "eventSource" and operators == ["notEquals"]:
            left_out |= {s for s in peek_items(f, "notEquals") if isinstance(s, str)}
        else:
            return _NOTHING
    return reads, writes, frozenset(left_out)


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
    """`cloudWatchLogsGroupArn` and `cloudWatchLogsRoleArn` are both set (CloudTrail needs the pair), and a known
    group ARN ends in the `:*` CloudTrail asks for (pulumi-aws's LogGroup `arn` has none)"""
    missing = [key for key in ("cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn") if not is_set(args.props, key)]
    if missing:
        yield (f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set; the trail delivers to S3 "
               "only, where no metric filter or alarm sees recent activity")
        return
    group = peek(args.props, "cloudWatchLogsGroupArn")
    # CreateTrail and UpdateTrail refuse a group ARN without the log stream wildcard
    # (InvalidCloudWatchLogsLogGroupArnException: "CloudTrail can't validate it"; terraform-provider-aws #14557).
    if isinstance(group, str) and ":log-group:" in group and not group.endswith(":*"):
        yield (f"cloudWatchLogsGroupArn {group} has no :* (the log stream wildcard): CloudTrail refuses it "
               "(InvalidCloudWatchLogsLogGroupArnException) and the trail is not made; pulumi-aws's LogGroup arn "
               "has no :*, so add it")
