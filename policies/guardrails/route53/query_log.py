"""Route 53 public hosted zones: a record of who asked for which name, for incident response."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import peek_items
from ..core.registry import stack_policy
from ..core.stack import of_type, referring
from . import QUERY_LOG, ZONE


@stack_policy(
    "route53-zone-query-logging", ZONE,
    description="Public Route 53 hosted zones must log the DNS queries they answer, for incident response.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Route53.2", "Config route53-query-logging-enabled"),
)
def query_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every public hosted zone (an `aws:route53/zone:Zone` without `vpcs`; a private zone's queries are the
    Resolver's to log) is named by the `zoneId` of an `aws:route53/queryLog:QueryLog` (Route 53 logs no query unless
    asked); a query log whose `zoneId` is unknown and might name it counts, and a zone whose `vpcs` is unknown is not
    judged"""
    for zone in of_type(args.resources, ZONE):
        if peek_items(zone.props, "vpcs"):  # private, or unknown ([UNKNOWN])
            continue
        found, maybe = referring(args.resources, (QUERY_LOG,), "zoneId", zone, keys=("zoneId", "id"))
        if not found and not maybe:
            yield (f"public hosted zone {zone.name} has no query log: nothing records which names were asked for, "
                   "from where; add an aws.route53.QueryLog with zoneId set to it, writing to a CloudWatch Logs group "
                   "in us-east-1 whose resource policy lets route53.amazonaws.com put log events"), zone.urn
