"""Trust policies: no role may be assumable by everyone; ECS may assume a role only for the tasks of one account
(cross-service confused deputy).

A role that trusts the service principal `ecs-tasks.amazonaws.com` lets ECS take its credentials for a task, the
task role's for the app and the execution role's for pulling images, logs and injected secrets. The trust policy
is what STS checks when ECS asks; without a condition on the caller it does not say for whose tasks. AWS's "Amazon
ECS task IAM role" page recommends `aws:SourceAccount` or `aws:SourceArn` (`arn:aws:ecs:<region>:<account>:*`) in
the trust relationship, and Prowler's `iam_role_cross_service_confused_deputy_prevention` reports a service role
whose trust has neither.

An Allow statement for `sts:AssumeRole` (IAM compares action names without case: `sts:*` and `*` cover it too, and
`NotAction` as IAM reads it) whose `Principal.Service` (a string or a list) names ECS tasks is pinned when its
`Condition` carries one of:

- `aws:SourceAccount` under `StringEquals`, `StringEqualsIgnoreCase` or `StringLike` (no wildcard), with a value;
- `aws:SourceArn` under `ArnLike`, `ArnEquals`, `StringLike` or `StringEquals`, every value an ARN whose account
  field is 12 digits: a wildcard there, or an ARN with no account, names no one account. `StringLike`'s wildcards
  span colons (ArnLike's stop at each), so under it nothing before the account field may be a wildcard either;
- `aws:SourceOrgID` under the same, with a value (the caller's organization: no account outside it).

A policy variable (`${aws:PrincipalAccount}`) in a value names no one account.

Condition keys are matched without case, as IAM does; so are operator names (IAM refuses a document with an
operator it does not know, so this leniency never passes an open role that deploys). Each operator's `IfExists`
form counts too: it refuses a request from another account that carries the key, and lets through one without it,
which the program's execution roles accept on purpose (AWS documents the keys for task roles; for execution roles
it does not say ECS sends them, and `StringEquals` would stop every task from starting if it did not). The set
operators (`ForAnyValue:`, `ForAllValues:`) do not count: `ForAllValues:` is true when the key is missing.

Deny statements are not read (one that denies other accounts' requests would pin the role too; such a role is
reported all the same), nor are other principals (`ecs.amazonaws.com`, an account) and actions (`sts:TagSession`).
An `assumeRolePolicy` unknown until the update says nothing; so does a statement whose effect, action or principal
is unknown, and a condition value that is unknown counts as set.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, arn_account, is_map, json_object, peek, peek_items, unless_unknown
from ..core.registry import ADVISORY, resource_policy
from . import ROLE
from .documents import Statement, condition_entries, grantee, is_pattern, one_account_arn, public_statements

ECS_TASKS = "ecs-tasks.amazonaws.com"
ACTION = "sts:AssumeRole"
# Condition key (lower case) -> the operators (lower case, without IfExists) under which it pins the caller.
# StringLike without a wildcard matches exactly what StringEquals does, and account and organization ids have no case.
PINNING_OPERATORS = {
    "aws:sourceaccount": ("stringequals", "stringequalsignorecase", "stringlike"),
    "aws:sourcearn": ("arnlike", "arnequals", "stringlike", "stringequals"),
    "aws:sourceorgid": ("stringequals", "stringequalsignorecase", "stringlike"),
}


def _names_ecs_tasks(statement: Any) -> Optional[bool]:
    """Whether the statement's `Principal.Service` names ECS tasks (None: unknown, can't tell)."""
    services = peek_items(statement, "Principal", "Service") if is_map(peek(statement, "Principal")) else []
    if any(isinstance(s, str) and s.lower() == ECS_TASKS for s in services):
        return True
    return None if UNKNOWN in services or peek(statement, "Principal") is UNKNOWN else False


def _pins(key: str, operator: str, values: list) -> bool:
    """Whether the values of one condition key under one operator (IfExists stripped) pin the caller."""
    if not values or operator not in PINNING_OPERATORS[key]:
        return False
    if key == "aws:sourcearn":
        if not all(one_account_arn(v, operator) for v in values):
            return False
        owners = {arn_account(v) for v in values if v is not UNKNOWN}
    else:
        if not all(v is UNKNOWN or (isinstance(v, str) and v.strip() != "") or
                   (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
            return False
        # A StringLike pattern may match several accounts, and a policy variable (${aws:PrincipalAccount}) any.
        if any(isinstance(v, str) and ("${" in v or is_pattern(v, operator)) for v in values):
            return False
        owners = {str(v).strip() for v in values if v is not UNKNOWN}
    return len(owners) <= 1  # several accounts (or organizations) would let ECS act for each of them


def _pinned(statement: Any) -> bool:
    """Whether the statement's Condition pins the caller to one account or organization (an unknown counts)."""
    entries = condition_entries(peek(statement, "Condition"))
    if entries is None:
        return True  # it may hold the key
    return any(key in PINNING_OPERATORS and _pins(key, operator.removesuffix("ifexists"), values)
               for operator, key, values in entries)


def _unpinned_ecs_trust(statement: Any, index: int) -> Optional[bool]:
    """Whether one trust statement lets ECS tasks assume the role without pinning the caller (None: can't tell)."""
    if peek(statement, "Effect") != "Allow":
        return False  # a Deny, or an effect unknown until the update
    covers = unless_unknown(Statement("assumeRolePolicy", index, statement).covers_action, ACTION)
    if not covers:
        return covers
    names = _names_ecs_tasks(statement)
    if not names:
        return names
    return not _pinned(statement)


def _statements(document: Any) -> list:
    """The statements of a trust policy (a JSON string, or a map as PolicyDocumentArgs sends it), each a map or
    UNKNOWN; [] when undecodable or unknown."""
    document = json_object(document)
    if not is_map(document):
        return []
    return peek_items(document, "Statement")


@resource_policy(
    "iam-ecs-tasks-trust-scoped", ROLE,
    description="A role ECS tasks may assume must pin the caller to one account (aws:SourceAccount or "
                "aws:SourceArn in its trust policy): ECS could otherwise assume it for another account's tasks.",
    severity=Severity.HIGH, level=ADVISORY,
    anchors=("Prowler iam_role_cross_service_confused_deputy_prevention",),
    anchor_note="AWS's 'Amazon ECS task IAM role' page recommends aws:SourceAccount / aws:SourceArn in the trust "
                "relationship",
    remediation="Add Condition {\"StringEquals\": {\"aws:SourceAccount\": \"<account>\"}, \"ArnLike\": "
                "{\"aws:SourceArn\": \"arn:aws:ecs:<region>:<account>:*\"}} to the ecs-tasks.amazonaws.com "
                "statement (the IfExists forms for an execution role).",
)
def ecs_tasks_trust_scoped(args: ResourceValidationArgs) -> Iterator[str]:
    """every Allow of `sts:AssumeRole` (any case, `sts:*`, `*`) to the service `ecs-tasks.amazonaws.com` in
    `assumeRolePolicy` has a Condition with `aws:SourceAccount` or `aws:SourceOrgID` (StringEquals,
    StringEqualsIgnoreCase, StringLike without a wildcard) or `aws:SourceArn` of one 12-digit account (ArnLike,
    ArnEquals, StringLike, StringEquals); the IfExists forms count"""
    document = peek(args.props, "assumeRolePolicy")
    if document is UNKNOWN:
        return
    for index, statement in enumerate(_statements(document)):
        if not is_map(statement) or not _unpinned_ecs_trust(statement, index):
            continue
        sid = peek(statement, "Sid")
        label = f"statement {index}" + (f" ({sid})" if isinstance(sid, str) and sid else "")
        yield (f"assumeRolePolicy {label} lets {ECS_TASKS} assume the role with no condition naming one account: "
               "ECS could assume this role for another account's tasks (confused deputy): add aws:SourceAccount, "
               "or aws:SourceArn arn:aws:ecs:<region>:<account>:*")


@resource_policy(
    "iam-role-trust-not-public", ROLE,
    description="No role may trust every AWS principal (Principal * or {\"AWS\": \"*\"}, or a NotPrincipal) "
                "without a condition naming the callers: any account in AWS could assume it.",
    severity=Severity.CRITICAL,
    anchors=("CKV_AWS_60", "IAM Access Analyzer (public role trust)"),
    remediation="Name the accounts or roles that may assume it in Principal, or add a Condition with fixed "
                "aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn values.",
)
def role_trust_not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """no Allow of `sts:AssumeRole` (any case, `sts:*`, `*`, NotAction as IAM reads it) in `assumeRolePolicy` names
    every principal (Principal `*` or `{"AWS": "*"}`, or a NotPrincipal) without a Condition naming the callers by
    fixed values (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, ...: the keys that
    make a resource policy not public); `sts:ExternalId` names no one"""
    # Whom a role trusts is accounts and principals: an address range names none (S3's meaning of public is S3's).
    for statement in public_statements(peek(args.props, "assumeRolePolicy"), "assumeRolePolicy", by_address=False):
        if unless_unknown(statement.covers_action, ACTION):
            yield (f"{statement.label} lets {grantee(statement)} assume the role with no condition naming the "
                   "callers: any AWS account could assume it")
