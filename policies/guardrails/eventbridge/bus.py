"""EventBridge event buses, judged by their resource policies: an EventBusPolicy's document, or an EventPermission's
statement (PutPermission: a Principal of an account id or `*`, and with `*`, a Condition that may name an
organization). A bus with neither has no policy: only its own account may use it, as its IAM policies allow."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.companions import companion_policy
from ..core.props import has_text, is_set, peek
from ..core.registry import ADVISORY, stack_policy
from ..core.stack import of_type, sources
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
    documents, principals or conditions are not judged; a permission's finding names its bus by the name written
    out, or, for the stack's bus its `eventBusName` is made from, by the name the program writes that bus, else as
    the bus of its resource name, the same in a first preview"""
    for owner, statement in public_resource_policies(args.resources, (EVENT_BUS,), EVENT_BUS_POLICY, "eventBusName",
                                                   ("name",), "event bus", regional=True):
        yield public_grant(statement, *_uses(statement)), owner.urn
    buses = of_type(args.resources, EVENT_BUS)
    for permission in of_type(args.resources, EVENT_PERMISSION):
        # PutPermission's Condition takes aws:PrincipalOrgID alone: any condition names an organization.
        principal, condition = peek(permission.props, "principal"), peek(permission.props, "condition")
        if principal == "*" and condition is None:
            yield (f"event permission {permission.name} lets principal * put events on {_bus(permission, buses)} "
                   f"with no condition: any AWS account's principals may start the bus's rules; {_FIX}"), permission.urn


def _bus(permission: Any, buses: list) -> str:
    """How a permission's finding names its bus, the same in a first preview as after it: the default bus where it
    names none; the name written out; else the one bus of the stack its eventBusName is made from (`sources`, which
    the update does not change), by the name the program writes it (`_written_name`), else as the bus of its resource
    name (its id and name may be unknown until then); "its bus" otherwise. A value made from something, even known,
    is not read: a first preview may not know it."""
    bus = peek(permission.props, "eventBusName")
    if bus is None:
        return "the default event bus"
    if not permission.property_dependencies.get("eventBusName"):
        return f"the {bus} event bus" if has_text(bus) else "its bus"
    made_from = sources(permission, "eventBusName", EVENT_BUS)
    found = [candidate for candidate in buses if candidate.urn in made_from]
    if len(found) != 1:
        return "its bus"
    name = _written_name(found[0])
    return f"the {name} event bus" if name else f"the event bus of resource {found[0].name}"


def _written_name(bus: Any) -> Optional[str]:
    """A bus's `name` as the program writes it: known and made from nothing. Not Pulumi's auto-name (the resource
    name, `-` and 7 hex digits), whose random part the engine draws afresh for the update (Check's random seed,
    pulumi/pulumi#10120), so a preview's differs from the update's."""
    name = peek(bus.props, "name")
    if not has_text(name) or bus.property_dependencies.get("name"):
        return None
    return None if re.fullmatch(rf"{re.escape(bus.name)}-[0-9a-f]{{7}}", name) else name


def _custom_buses(resources: list) -> list:
    """The buses a program may give a policy: not a partner bus (`eventSourceName` set, known or not), nor `default`."""
    return [bus for bus in of_type(resources, EVENT_BUS)
            if not is_set(bus.props, "eventSourceName") and peek(bus.props, "name") != "default"]


companion_policy(
    "eventbridge-bus-policy-attached", EVENT_BUS, (EVENT_BUS_POLICY, EVENT_PERMISSION), "eventBusName", ("name",),
    lambda bus: (f"event bus {bus.name} has no resource-based policy (no EventBusPolicy or EventPermission names "
                 "it); add an aws.cloudwatch.EventBusPolicy saying which accounts may put events on it"),
    regional=True, judged=_custom_buses,
    description="EventBridge custom event buses should have a resource-based policy, which says which accounts and "
                "principals may put events on the bus and manage its rules, beside what IAM policies allow.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub EventBridge.3", "Config custom-eventbus-policy-attached"),
    checks="""
    an EventBusPolicy or EventPermission in the stack names each custom bus (its `eventBusName`, by the bus's
    name); one that may name it once known counts. A partner bus (`eventSourceName` set, known or not) is not
    asked: PutPermission takes no partner bus's name (botocore's NonPartnerEventBusName, no `/`, which every partner
    event source's name has); nor a bus named `default`, the account's own, which CreateEventBus does not make""",
)
