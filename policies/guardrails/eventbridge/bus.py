"""EventBridge event buses, judged by their resource policies: an EventBusPolicy's document, or an EventPermission's
statement (PutPermission: a Principal of an account id or `*`, and with `*`, a Condition that may name an
organization). A bus with neither has no policy: only its own account may use it."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import has_text, peek
from ..core.registry import stack_policy
from ..core.stack import of_type
from ..iam.documents import Statement, accounts_that, public_grant, public_resource_policies
from . import EVENT_BUS, EVENT_BUS_POLICY, EVENT_PERMISSION

# An EventPermission's fix: PutPermission grants events:PutEvents alone.
_FIX = accounts_that("send events")
# What a bus's policy may let other accounts do (EventBridge's "Permissions for event buses": PutEvents, and the rule
# APIs that take a bus's ARN, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html):
# put events on it, change its rules and their targets, or read them.
_MANAGE_RULES = ("events:PutRule", "events:PutTargets", "events:DeleteRule", "events:RemoveTargets",
                 "events:DisableRule", "events:EnableRule", "events:TagResource", "events:UntagResource")
_READ_RULES = ("events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource")


def _uses(statement: Statement) -> tuple[str, str]:
    """What a public statement of a bus's policy lets any account do, by the actions it covers (a wildcard, `*` or
    NotAction too), as its finding words it, and the fix naming who should: `use the bus` when it covers none of
    them (an Action unknown until the update, which must not stop the stack's check, say)."""
    def covers(actions: tuple[str, ...]) -> bool:
        return any(statement.grants_known_action(action) for action in actions)

    events = covers(("events:PutEvents",))
    rules = " and ".join(verb for verb, actions in (("manage", _MANAGE_RULES), ("read", _READ_RULES))
                         if covers(actions))
    uses, acts = (["put events on the bus"], ["send events"]) if events else ([], [])
    if rules:
        owner = "its" if events else "the bus's"
        uses.append(f"{rules} {owner} rules and targets")
        acts.append(f"{rules} rules")
    return " and ".join(uses) or "use the bus", accounts_that(" or ".join(acts) or "use it")


@stack_policy(
    "eventbridge-bus-not-public", (EVENT_BUS, EVENT_BUS_POLICY, EVENT_PERMISSION),
    description="No EventBridge event bus may let every AWS account put events on it, or manage or read its rules: "
                "anyone could then start the rules that match their events, and whatever those rules target, or "
                "send the bus's events to targets of their own.",
    severity=Severity.HIGH,
    anchors=("Prowler eventbridge_bus_exposed",),
)
def bus_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of an EventBusPolicy (for a bus in the stack, by its name, or for one outside it, such as
    the default bus) has Principal `*` (or `{"AWS": "*"}`) or a NotPrincipal unless its condition names the callers
    by fixed values of `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`, ... (as for SQS and SNS);
    and no EventPermission has principal `*` without a `condition` (whose only key is `aws:PrincipalOrgID`); unknown
    documents, principals or conditions are not judged"""
    for urn, statement in public_resource_policies(args.resources, (EVENT_BUS,), EVENT_BUS_POLICY, "eventBusName",
                                                   ("name",), "event bus", regional=True):
        yield public_grant(statement, *_uses(statement)), urn
    for permission in of_type(args.resources, EVENT_PERMISSION):
        # PutPermission's Condition takes aws:PrincipalOrgID alone: any condition names an organization.
        principal, condition = peek(permission.props, "principal"), peek(permission.props, "condition")
        if principal == "*" and condition is None:
            bus = peek(permission.props, "eventBusName")
            named = f"the {bus} event bus" if has_text(bus) else "the default event bus" if bus is None else "its bus"
            yield (f"event permission {permission.name} lets principal * put events on {named} with no "
                   f"condition: any AWS account's principals may start the bus's rules; {_FIX}"), permission.urn
