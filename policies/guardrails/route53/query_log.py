"""Route 53 public hosted zones: a record of who asked for which name, for incident response."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..cloudwatch import LOG_GROUP
from ..core.props import arn_region, peek, peek_items
from ..core.registry import stack_policy
from ..core.stack import of_type, referenced, referring, region_of
from . import QUERY_LOG, ZONE

# Where Route 53 takes query log groups (CreateQueryLoggingConfig: "You must create the log group in the us-east-1
# region").
LOG_REGION = "us-east-1"


def _log_group_region(query_log: Any, resources: list) -> Optional[str]:
    """The region of the log group a query log writes to, where known: its ARN's, else that of the stack's LogGroup
    the ARN is made from (`region_of`)."""
    arn = peek(query_log.props, "cloudwatchLogGroupArn")
    if region := arn_region(arn):
        return region
    found, maybe = referenced(query_log, "cloudwatchLogGroupArn", [arn], of_type(resources, LOG_GROUP),
                              keys=("arn",))
    region = region_of(found[0]) if len(found) == 1 and not maybe else None
    return region if isinstance(region, str) else None


def _label(log: Any, logs: list) -> str:
    """A query log as a message names it: its name, and where another of `logs` has that name too, the type chain
    of its parents, from its URN (`urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`): a URN is
    unique, so two logs of one name differ there."""
    if sum(other.name == log.name for other in logs) < 2:
        return log.name
    parents = log.urn.split("::", 3)[2].rpartition("$")[0]
    return f"{log.name} (under {parents})" if parents else f"{log.name} (at the top level)"


@stack_policy(
    "route53-zone-query-logging", ZONE,
    description="Public Route 53 hosted zones must log the DNS queries they answer, for incident response.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Route53.2", "Config route53-query-logging-enabled"),
)
def query_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every public hosted zone (an `aws:route53/zone:Zone` without `vpcs`; a private zone's queries are the
    Resolver's to log) is named by the `zoneId` of an `aws:route53/queryLog:QueryLog` (Route 53 logs no query unless
    asked) whose log group is in us-east-1, the only region Route 53 takes one from (its ARN's region, or the stack
    LogGroup's it is made from; one whose region is not known counts); a query log whose `zoneId` is unknown and might
    name it counts, and a zone whose `vpcs` is unknown is not judged"""
    for zone in of_type(args.resources, ZONE):
        if peek_items(zone.props, "vpcs"):  # private, or unknown ([UNKNOWN])
            continue
        found, maybe = referring(args.resources, (QUERY_LOG,), "zoneId", zone, keys=("zoneId", "id"))
        if maybe:
            continue
        # Listed, not keyed by name: query logs of one name under different parents are different logs.
        regions = [(_label(log, found), _log_group_region(log, args.resources)) for log in found]
        elsewhere = sorted((name, region) for name, region in regions if region not in (None, LOG_REGION))
        if not found:
            yield (f"public hosted zone {zone.name} has no query log: nothing records which names were asked for, "
                   "from where; add an aws.route53.QueryLog with zoneId set to it, writing to a CloudWatch Logs group "
                   "in us-east-1 whose resource policy lets route53.amazonaws.com put log events"), zone.urn
        elif len(elsewhere) == len(found):
            logs = ", ".join(f"{name}: {region}" for name, region in elsewhere)
            yield (f"public hosted zone {zone.name}'s query logs write to log groups outside us-east-1 ({logs}), "
                   "which Route 53 refuses (CreateQueryLoggingConfig takes log groups in us-east-1 only), so nothing "
                   "records which names were asked for; write to a CloudWatch Logs group in us-east-1"), zone.urn
