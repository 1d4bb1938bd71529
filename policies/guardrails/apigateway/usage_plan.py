"""API Gateway usage plans: every consumer is throttled and capped."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, is_set
from ..core.registry import resource_policy
from . import USAGE_PLAN


def usage_plan_limits(plan: Any) -> list[str]:
    """What a usage plan's props lack of throttle and quota (also used by the stage coverage policy)."""
    problems = []
    throttle, quota = dig(plan, "throttleSettings"), dig(plan, "quotaSettings")
    if not (is_set(throttle, "rateLimit") and is_set(throttle, "burstLimit")):
        problems.append("throttleSettings needs rateLimit and burstLimit")
    if not (is_set(quota, "limit") and is_set(quota, "period")):
        problems.append("quotaSettings needs limit and period")
    return problems


@resource_policy(
    "apigateway-usageplan-throttle-quota", USAGE_PLAN,
    description="Usage plans must set both throttling (rate and burst) and a quota (limit and period).",
    severity=Severity.MEDIUM,
)
def throttle_quota(args: ResourceValidationArgs) -> Iterator[str]:
    """`throttleSettings` (rate and burst) and `quotaSettings` (limit and period)"""
    yield from usage_plan_limits(args.props)
