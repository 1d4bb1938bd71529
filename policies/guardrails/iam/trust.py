"""Trust policies: no role may be assumable by everyone; ECS may assume a role only for the tasks of one account
(cross-service confused deputy).

A role that trusts the service principal `ecs-tasks.amazonaws.com` lets ECS take its credentials for a task, the
task role's for the app and the execution role's for pulling images, logs and injected secrets. The trust policy
is what STS checks when ECS asks; without a condition on the caller it does not say for whose tasks. AWS's "Amazon
ECS task IAM role" page recommends `aws:SourceAccount` or `aws:SourceArn` (`arn:aws:ecs:<region>:<account>:*`) in
the trust relationship, and Prowler's `iam_role_cross_service_confused_deputy_prevention` reports a service role
whose trust has neither.

An Allow statement for `sts:AssumeRole` (IAM compares action names without case: `sts:*` and `*` cover it too, and
`NotAction` as IAM reads it) whose `Principal.Service` (a string or a list) names ECS tasks, whatever else the Principal
names (`{"AWS": "*", "Service": ...}` too), or whose Principal is everyone with a `Condition` that lets in only ECS
tasks or any AWS service (a fixed `aws:PrincipalServiceName`, or `aws:PrincipalIsAWSService` true (Bool or a string
equality), which `iam-role-trust-not-public` takes as a service's trust), is pinned when its `Condition` carries one
of:

- `aws:SourceAccount` under `StringEquals`, `StringEqualsIgnoreCase` or `StringLike` (no wildcard), with a value;
- `aws:SourceArn` under `ArnLike`, `ArnEquals`, `StringLike` or `StringEquals`, every value an ARN whose account
  field is 12 digits: a wildcard there, or an ARN with no account, names no one account. `StringLike`'s wildcards
  span colons (ArnLike's stop at each), so under it nothing before the account field may be a wildcard either;
- `aws:SourceOrgID` under the same, with a value (the caller's organization: no account outside it);
- `aws:SourceOrgPaths` under the same (a `ForAnyValue:` prefix allowed: the key is multivalued), every value an
  organization path whose organization id, before the first `/`, is fixed (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`;
  `O-A1B2C3D4E5/...` too under `StringEqualsIgnoreCase`, the one operator of these that ignores case): accounts of
  that organization only, as `aws:SourceOrgID` names them. AWS's cross-service confused deputy pages recommend the
  four keys together.

A policy variable (`${aws:PrincipalAccount}`) in a value names no one account.

Condition keys are matched without case, as IAM does; so are operator names (IAM refuses a document with an
operator it does not know, so this leniency never passes an open role that deploys). Each operator's `IfExists`
form counts too: it refuses a request from another account that carries the key, and lets through one without it,
which the program's execution roles accept on purpose (AWS documents the keys for task roles; for execution roles
it does not say ECS sends them, and `StringEquals` would stop every task from starting if it did not). The set
operators (`ForAnyValue:`, `ForAllValues:`) do not count, `ForAllValues:` being true when the key is missing; but
`ForAnyValue:` does on the multivalued `aws:SourceOrgPaths`.

Deny statements are not read (one that denies other accounts' requests would pin the role too; such a role is
reported all the same), nor are other principals (`ecs.amazonaws.com`, an account) and actions (`sts:TagSession`).
An `assumeRolePolicy` unknown until the update says nothing; so does a statement whose effect, action or principal
is unknown, and a condition value that is unknown counts as set.

A trust policy lets a caller assume the role by three STS operations, each its own action: `sts:AssumeRole` (AWS
credentials), `sts:AssumeRoleWithWebIdentity` (an OIDC token: Google's, Amazon's, Facebook's, a Cognito identity
pool's or an IAM OIDC provider's) and `sts:AssumeRoleWithSAML` (a SAML assertion). `sts:TagSession` and
`sts:SetSourceIdentity` go with them (session tags, a source identity) but assume nothing alone. Principal `*` (or
`{"AWS": "*"}`, or a NotPrincipal) is every caller of each, and `{"Federated": "*"}` every identity provider's users
(the AWS SDK for Java's `Principal.AllWebProviders`); so a trust of `sts:AssumeRoleWithWebIdentity` to everyone with
no condition lets anyone with a token STS takes (any Google account's, say: no provider need be registered in IAM for
it) take the role's credentials. A trust of the Cognito service principal `cognito-identity.amazonaws.com` with
no `cognito-identity.amazonaws.com:aud` condition (any identity pool) is not judged: IAM refuses to create or update
one (the Cognito developer guide's "IAM roles" and "Security best practices for Amazon Cognito identity pools").
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, arn_account, is_map, json_object, peek, peek_items, unless_unknown
from ..core.registry import ADVISORY, resource_policy
from . import ROLE
from .documents import (ANY_SERVICE, Statement, condition_entries, everyone, grantee, is_pattern, named_services,
                        names_callers, one_account_arn, public_statements)

ECS_TASKS = "ecs-tasks.amazonaws.com"
ACTION = "sts:AssumeRole"
# The other two actions by which a trust policy lets a caller assume the role, each with a federated identity's
# token rather than AWS credentials.
FEDERATED_ACTIONS = ("sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML")
TRUST = "assumeRolePolicy"
# The audience of a Cognito identity pool's tokens: the pool's id (another provider's token lacks the key).
COGNITO_POOL_KEY = "cognito-identity.amazonaws.com:aud"
# Condition key (lower case) -> the operators (lower case, without IfExists) under which it pins the caller.
# StringLike without a wildcard matches exactly what StringEquals does, and account and organization ids have no case.
PINNING_OPERATORS = {
    "aws:sourceaccount": ("stringequals", "stringequalsignorecase", "stringlike"),
    "aws:sourcearn": ("arnlike", "arnequals", "stringlike", "stringequals"),
    "aws:sourceorgid": ("stringequals", "stringequalsignorecase", "stringlike"),
    "aws:sourceorgpaths": ("stringequals", "stringequalsignorecase", "stringlike"),
}
# The multivalued key among them (IAM's global condition keys: aws:SourceOrgPaths is a list), which a policy tests
# with ForAnyValue: (true when one of the request's values matches; a request without the key matches none).
MULTIVALUED_KEYS = ("aws:sourceorgpaths",)


def _names_ecs_tasks(statement: Any) -> Optional[bool]:
    """Whether the statement lets ECS tasks in: its `Principal.Service` names them, or it names everyone and its
    Condition lets in only services, theirs or any (`named_services`) (None: unknown, can't tell)."""
    services = peek_items(statement, "Principal", "Service") if is_map(peek(statement, "Principal")) else []
    if everyone(statement):
        # Beside Principal.Service's own (`{"AWS": "*", "Service": ...}`), not in their place.
        services += [ECS_TASKS if s == ANY_SERVICE else s for s in named_services(peek(statement, "Condition")) or []]
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
    elif key == "aws:sourceorgpaths":
        # o-<id>/r-<root>/ou-.../: the organization is what comes before the first `/`.
        known = [v for v in values if v is not UNKNOWN]
        if not all(isinstance(v, str) and "/" in v and _one_organization(v.split("/", 1)[0], operator) for v in known):
            return False
        owners = {v.split("/", 1)[0] for v in known}
    else:
        if not all(v is UNKNOWN or (isinstance(v, str) and v.strip() != "") or
                   (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
            return False
        # A StringLike pattern may match several accounts, and a policy variable (${aws:PrincipalAccount}) any.
        if any(isinstance(v, str) and ("${" in v or is_pattern(v, operator)) for v in values):
            return False
        owners = {str(v).strip() for v in values if v is not UNKNOWN}
    return len(owners) <= 1  # several accounts (or organizations) would let ECS act for each of them


def _one_organization(organization: str, operator: str) -> bool:
    """Whether an organization path's first part names one organization: an id (`o-...`, in any case under
    StringEqualsIgnoreCase, which IAM compares without case; the others compare with it), no wildcard or policy
    variable."""
    prefix = organization[:2].lower() if operator == "stringequalsignorecase" else organization[:2]
    return prefix == "o-" and "${" not in organization and not is_pattern(organization, operator)


def _pinned(statement: Any) -> bool:
    """Whether the statement's Condition pins the caller to one account or organization (an unknown counts)."""
    entries = condition_entries(peek(statement, "Condition"))
    if entries is None:
        return True  # it may hold the key
    return any(key in PINNING_OPERATORS and _pins(key, _single(key, operator.removesuffix("ifexists")), values)
               for operator, key, values in entries)


def _single(key: str, operator: str) -> str:
    """The operator a multivalued key's `ForAnyValue:` applies to each of its values (others as they are)."""
    return operator.removeprefix("foranyvalue:") if key in MULTIVALUED_KEYS else operator


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
    """every Allow of `sts:AssumeRole` (any case, `sts:*`, `*`) to the service `ecs-tasks.amazonaws.com` (or to everyone
    under a Condition that lets in only it, or any AWS service: a fixed `aws:PrincipalServiceName`,
    `aws:PrincipalIsAWSService` true (Bool or a string equality)) in `assumeRolePolicy` has a Condition with
    `aws:SourceAccount` or `aws:SourceOrgID` (StringEquals, StringEqualsIgnoreCase, StringLike without a wildcard),
    `aws:SourceOrgPaths` under the same (or their `ForAnyValue:` forms) with paths of one fixed organization id
    (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`), or `aws:SourceArn` of one 12-digit account (ArnLike, ArnEquals,
    StringLike, StringEquals); the IfExists forms count"""
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


def _every_provider(statement: Any) -> bool:
    """Whether a trust statement's Principal names every identity provider's users: `{"Federated": "*"}` (alone or
    in a list)."""
    principal = peek(statement, "Principal")
    return is_map(principal) and "*" in peek_items(principal, "Federated")


def _public_trusts(document: Any) -> list[tuple[Statement, bool]]:
    """The Allow statements of a trust policy that name every principal with no condition naming the callers
    (`public_statements`; an address range names none), and those that name every identity provider (True beside
    them) under the same rule, in order. What is unknown until the update is not judged."""
    # Whom a role trusts is accounts and principals: an address range names none (S3's meaning of public is S3's).
    return [(statement, not everyone(statement.raw)) for statement in public_statements(
        document, TRUST, by_address=False, whom=lambda raw: everyone(raw) or _every_provider(raw))]


def _public_trust(statement: Statement, providers_only: bool) -> Optional[str]:
    """The finding on a trust statement for everyone (`_public_trusts`), by the actions it grants: any AWS account
    for `sts:AssumeRole`, else any identity provider's users for the federated actions; None when it grants none of
    them, or when whether it grants `sts:AssumeRole` is unknown until the update (that decides the text). A
    Federated principal never calls `sts:AssumeRole`."""
    assumes = False if providers_only else statement.grants(ACTION)
    who = 'Principal {"Federated": "*"}' if providers_only else grantee(statement)
    if assumes:
        return (f"{statement.label} lets {who} assume the role with no condition naming the callers: any AWS "
                "account could assume it")
    if assumes is None or not any(statement.grants(action) for action in FEDERATED_ACTIONS):
        return None
    if names_callers(peek(statement.raw, "Condition"), (COGNITO_POOL_KEY,)):
        return None  # only that identity pool's tokens carry its id as their audience
    return (f"{statement.label} lets {who} assume the role with a web identity or SAML token and no condition "
            "naming the callers: any identity provider's users could assume it")


@resource_policy(
    "iam-role-trust-not-public", ROLE,
    description="No role may trust every principal (Principal * or {\"AWS\": \"*\"}, a NotPrincipal, or "
                "{\"Federated\": \"*\"}) to assume it, with AWS credentials or a web identity or SAML token, "
                "without a condition naming the callers: any AWS account, or any identity provider's users, could "
                "assume it.",
    severity=Severity.CRITICAL,
    anchors=("CKV_AWS_60", "IAM Access Analyzer (public role trust)"),
    remediation="Name the accounts or roles that may assume it in Principal, or add a Condition with fixed "
                "aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn values; for web identity or SAML, "
                "name the identity provider in Principal.Federated and its audience and subject in the Condition.",
)
def role_trust_not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """no Allow of `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML` (any case,
    `sts:Assume*`, `sts:*`, `*`, NotAction as IAM reads it) in `assumeRolePolicy` names every principal (Principal `*`
    or `{"AWS": "*"}`, or a NotPrincipal; for the two federated actions `{"Federated": "*"}` too) without a Condition
    naming the callers by fixed values (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn,
    aws:SourceAccount, ...: the keys that make a resource policy not public; for the federated actions alone, a
    Cognito identity pool's id as `cognito-identity.amazonaws.com:aud` too) or letting in only AWS services (a fixed
    aws:PrincipalServiceName, aws:PrincipalIsAWSService true (Bool or a string equality): a service's trust);
    `sts:ExternalId` and other identity providers' claims (`<provider>:aud`, `:sub`: GitHub's audience is every
    repository's) name no one, and `sts:TagSession` or `sts:SetSourceIdentity` alone assumes nothing"""
    for statement, providers_only in _public_trusts(peek(args.props, TRUST)):
        message = _public_trust(statement, providers_only)
        if message:
            yield message
