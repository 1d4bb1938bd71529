"""API Gateway usage plans: every consumer is throttled, and capped unless anyone can read its key."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, dig, is_set, named_by, peek
from ..core.registry import config_list, resource_policy, string_list
from . import USAGE_PLAN


def throttle_problems(plan: Any) -> list[str]:
    """What a usage plan's props lack of a throttle (the stage coverage policy asks for it too)."""
    throttle = dig(plan, "throttleSettings")
    return [] if is_set(throttle, "rateLimit") and is_set(throttle, "burstLimit") else [
        "throttleSettings needs rateLimit and burstLimit"]


def has_quota(plan: Any) -> bool:
    quota = dig(plan, "quotaSettings")
    return is_set(quota, "limit") and is_set(quota, "period")


# A quota counts per API key. A key a browser page or an app carries is anyone's to read, and whoever takes it can
# spend the quota for every user of that client: such a plan is named in knob publicClientPlans and throttled only.
@resource_policy(
    "apigateway-usageplan-throttle-quota", USAGE_PLAN,
    description="Usage plans must set both throttling (rate and burst) and a quota (limit and period); a plan "
                "the policy config names as a public client's (publicClientPlans) needs throttling only.",
    severity=Severity.MEDIUM,
    config={"publicClientPlans": string_list(
        "Usage plans (name or resource name; shell-style wildcards, case-insensitive) whose keys ship in browser "
        "pages or apps: a quota on them is anyone's to spend, so they are throttled only.")},
)
def throttle_quota(args: ResourceValidationArgs) -> Iterator[str]:
    """`throttleSettings` (rate and burst) and `quotaSettings` (limit and period); throttling only for a plan in
    knob `publicClientPlans`"""
    yield from throttle_problems(args.props)
    if not has_quota(args.props) and not _public_client_plan(args):
        yield ("quotaSettings needs limit and period (a public client's plan, whose key anyone can read, goes without "
               "one when knob publicClientPlans names it)")


def _public_client_plan(args: ResourceValidationArgs) -> bool:
    """Whether the knob names the plan, by its name or resource name; a name unknown until the update counts as
    named (no verdict), and only the quota waits on it."""
    name = peek(args.props, "name")
    if name is UNKNOWN:
        return True
    return named_by([n for n in (name, args.name) if isinstance(n, str)], config_list(args, "publicClientPlans"))
