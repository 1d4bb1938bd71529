"""Wildcard actions for services: no policy a program writes may allow every action of a service (`s3:*`).

Security Hub IAM.21 (Config iam-policy-no-statements-with-full-access) fails a customer managed policy with an Allow
whose Action is `service:*`, or whose NotAction is (every action of every other service); a prefix with a suffixed
wildcard (`ec2:Describe*`) passes: "This rule will only return NON_COMPLIANT if you use unrestricted wildcards (for
example, ec2:*)". `*` alone is every action of every service, so it counts too; Control Tower asks the same of
customer managed (CT.IAM.PR.3) and inline policies (CT.IAM.PR.5), so a role's, user's or group's inline policy (and an
Identity Center permission set's, the inline policy of the role it becomes) is judged as well. The Resource and the
Condition do not count (the control reads the Action alone). `*:*` is no action at all (IAM's grammar takes a service
namespace, then a name that may hold wildcards; IAM refuses "Action vendors ... must not contain wildcards"), so
neither this rule nor `iam-no-full-admin` reports it: the update fails.

A statement that allows every action on every resource is `iam-no-full-admin`'s to report, not this one's (IAM.1's
own example passes `"Action": "service:*", "Resource": "*"`, which IAM.21 fails: between them, each statement once).
As IAM.21 (`excludePermissionBoundaryPolicy: True`), a Policy that is only a permissions boundary of the stack, or one
knob `boundaryPolicies` names (a boundary for other stacks' roles), is not judged (`iam-no-full-admin`'s reading, and
its knob, which each of the three declares); knob `exemptPolicies` names policies that need a service's every action on
purpose. A document, statement or action unknown until the update is not judged, nor, once there is a finding, a policy
whose name is unknown while the knob names any (it may be one of them).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import as_list, in_words, unless_unknown
from ..core.registry import ADVISORY, knob_names, stack_policy, string_list
from .admin import BOUNDARY_POLICIES, DOCUMENT_TYPES, documents_of, full_admin, judged
from .documents import Statement, statements


def _of_a_service(action: str) -> bool:
    """`service:*`: every action of one service (a prefix before the colon, only `*` after it). A prefix with a
    wildcard (`*:*`) names no service: IAM takes wildcards in the action's name only, and refuses the policy."""
    service, colon, name = action.partition(":")
    return bool(colon and service and name) and not name.strip("*") and not set(service) & set("*?")


def _wildcards(statement: Statement) -> Optional[str]:
    """What an Allow grants every action of a service by: its Action's `*` or `service:*` items, or every action
    but its NotAction's `service:*` ones; None for a statement of every action on every resource
    (`iam-no-full-admin`'s)."""
    if statement.effect != "Allow" or full_admin(statement):
        return None
    actions = [a for a in as_list(statement.raw.get("Action")) if isinstance(a, str)
               and (_of_a_service(a) or (a and not a.strip("*")))]
    if actions:
        return in_words(actions)
    left_out = [a for a in as_list(statement.raw.get("NotAction")) if isinstance(a, str) and _of_a_service(a)]
    return f"every action but {in_words(left_out)}" if left_out else None


def _findings(args: StackValidationArgs, resource: Any) -> Iterator[str]:
    for source, document, name in documents_of(resource):
        found = [(statement, wildcards) for statement in unless_unknown(statements, document, source) or []
                 if (wildcards := unless_unknown(_wildcards, statement))]
        if not found or knob_names(args, "exemptPolicies", name):
            continue
        for statement, wildcards in found:
            yield (f"{statement.label} allows {wildcards}: a wildcard for every action of a service; name the actions "
                   "it needs")


@stack_policy(
    "iam-no-service-wildcard-actions", DOCUMENT_TYPES,
    description="No IAM policy may allow every action of a service (`s3:*`, `*`, or a NotAction of one): name the "
                "actions the principal needs.",
    severity=Severity.LOW,
    level=ADVISORY,
    anchors=("Security Hub IAM.21", "Config iam-policy-no-statements-with-full-access", "CT.IAM.PR.3",
             "CT.IAM.PR.5"),
    anchor_note="IAM.21 reads customer managed policies; CT.IAM.PR.5 inline ones",
    config={"exemptPolicies": string_list(
        "Policies (names of customer managed or inline policies; shell-style wildcards) that may allow every action "
        "of a service."), **BOUNDARY_POLICIES},
    remediation="List the actions the principal calls, or a prefix with a suffixed wildcard (`ec2:Describe*`); a "
                "policy that needs every action of a service on purpose goes in knob `exemptPolicies`.",
)
def no_service_wildcards(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a `Policy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`, a role's `inlinePolicies` or an
    Identity Center `PermissionSetInlinePolicy` has an Action item `*` or `<service>:*` (a prefix with a suffixed
    wildcard, `ec2:Describe*`, passes), or a NotAction item `<service>:*`, whatever its Resource and Condition; but a
    Policy that is only a permissions boundary (as `iam-no-full-admin` reads it, knob `boundaryPolicies` too), a
    statement of `*` on `*` (`iam-no-full-admin`'s), and the policies knob `exemptPolicies` names"""
    yield from judged(args, DOCUMENT_TYPES, lambda resource: _findings(args, resource))
