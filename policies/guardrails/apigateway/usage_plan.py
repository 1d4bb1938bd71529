"""API Gateway usage plans: every consumer is throttled, and capped unless anyone can read its key."""
from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, dig, is_set, peek
from ..core.registry import config_list, resource_policy, string_list
from . import USAGE_PLAN


def usage_plan_limits(plan: Any, *, throttle: bool = True, quota: bool = True) -> list[str]:
    """What a usage plan's props lack of throttle and of quota (each asked for unless switched off); the stage
    coverage policy asks for the throttle alone."""
    problems = []
    throttles, settings = dig(plan, "throttleSettings"), dig(plan, "quotaSettings")
    if throttle and not (is_set(throttles, "rateLimit") and is_set(throttles, "burstLimit")):
        problems.append("throttleSettings needs rateLimit and burstLimit")
    if quota and not (is_set(settings, "limit") and is_set(settings, "period")):
        problems.append("quotaSettings needs limit and period")
    return problems


# A quota counts per API key. A key a browser page or an app carries is anyone's to read, and whoever takes it can
# spend the quota for every user of that client: such a plan is named in knob publicClientPlans and throttled only.
@resource_policy(
    "apigateway-usageplan-throttle-quota", USAGE_PLAN,
    description="Usage plans must set both throttling (rate and burst) and a quota (limit and period); a plan "
                "the policy config names as a public client's (publicClientPlans) needs throttling only.",
    severity=Severity.MEDIUM,
    config={"publicClientPlans": string_list(
        "Usage plans (name or resource name; *wildcards, case-insensitive) whose keys ship in browser pages or "
        "apps: a quota on them is anyone's to spend, so they are throttled only.")},
)
def throttle_quota(args: ResourceValidationArgs) -> Iterator[str]:
    """`throttleSettings` (rate and burst) and `quotaSettings` (limit and period); throttling only for a plan in
    knob `publicClientPlans`"""
    yield from usage_plan_limits(args.props, quota=False)
    if usage_plan_limits(args.props, throttle=False) and not _public_client_plan(args):
        yield ("quotaSettings needs limit and period (a public client's plan, whose key anyone can read, goes without "
               "one when knob publicClientPlans names it)")


def _public_client_plan(args: ResourceValidationArgs) -> bool:
    """Whether the knob names the plan, by its name or resource name; a name unknown until the update counts as
    named (no verdict), and only the quota waits on it."""
    patterns = [p.lower() for p in config_list(args, "publicClientPlans", [])]
    name = peek(args.props, "name")
    if name is UNKNOWN:
        return True
    names = [n.lower() for n in (name, args.name) if isinstance(n, str)]
    return any(fnmatchcase(n, p) for n in names for p in patterns)
