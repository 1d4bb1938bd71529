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

A named provider can be as open: GitHub's (`token.actions.githubusercontent.com`) signs a token for every workflow
of every repository on github.com, GitLab.com's (`gitlab.com`) for every project's pipelines, HCP Terraform's
(`app.terraform.io`) and Buildkite's (`agent.buildkite.com`) for every organization's runs, and Google's,
Facebook's and Amazon's for every user of every app. A trust of one of them (`arn:aws:iam::<account>:oidc-provider/
<host>`, or the built-in provider's name) lets in everyone unless its Condition names one tenant: GitHub's
`token.actions.githubusercontent.com:sub` with a fixed owner (`repo:<owner>/...`; not `*`, `repo:*` or `repo:*/*`),
GitLab.com's `project_path:<group>/...`, HCP Terraform's and Buildkite's `organization:<org>:...` (or Buildkite's
session tag `aws:RequestTag/organization_slug`), or one app's id as Google's `aud` (Facebook's and Amazon's
`app_id`). GitHub's audience, `sts.amazonaws.com`, is every repository's, as Google's `oaud` (the ID token's `aud`)
is whatever the service account asking for the token names. AWS's "Configuring a role for GitHub OIDC identity
provider" (IAM user guide) and GitHub's "Configuring OpenID Connect in Amazon Web Services" ask for the `sub`
condition; Datadog Security Labs found roles without it in 2023. A GitHub Enterprise issuer of its own
(`token.actions.githubusercontent.com/<enterprise>`) is one enterprise's and not judged, nor is a provider whose ARN
is unknown until the update (an `aws.iam.OpenIdConnectProvider`'s `arn` in a first preview: the update sees it).
"""
from __future__ import annotations

import re
from typing import Any, Iterator, NamedTuple, Optional

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
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
FEDERATED_ACTIONS = (WEB_IDENTITY, "sts:AssumeRoleWithSAML")
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


class SharedProvider(NamedTuple):
    """An identity provider whose tokens anyone can get, for a tenant of their own, and what names one tenant."""
    anyone: str                 # whom a trust that names no tenant lets in
    tenant: str                 # what the condition should name
    keys: dict[str, str]        # condition key (after `<host>:`, or whole) -> the tenant its value names, as a regex
    example: str                # a naming condition, for the message


# A value naming one tenant: one with no wildcard (its end closes its last field: `_names_one_tenant`).
_FIXED = r"[^*?]+:"
# Identity providers everyone can get a token from (lower-case host: an IAM OIDC provider's URL, or a provider AWS
# builds in), and the condition keys that name one tenant's tokens (IAM's "Available keys for AWS OIDC federation":
# `<host>:sub`, `:aud`; `accounts.google.com:aud`, `graph.facebook.com:app_id`, `www.amazon.com:app_id`, ...).
# GitHub's, GitLab.com's, HCP Terraform's and Buildkite's subjects begin with the repository owner, group or
# organization (`repo:<owner>/<repo>:...`; `project_path:<group>/<project>:...`; `organization:<org>:...`), or with the
# first claim a custom template names (GitHub's "Customizing the subject claims": each `<claim>:<value>`, in the
# template's order): `repository:<owner>/<repo>`, `repository_owner:<owner>`, `repository_id:<id>`,
# `repository_owner_id:<id>`, `enterprise:<slug>` or `enterprise_id:<id>` name one tenant, as `repo` does (not
# `job_workflow_ref`: any repository may call a public reusable workflow). Every repository's workflows get the same
# audience (`sts.amazonaws.com`). STS reads GitHub's `repository`, `repository_id` and `enterprise_id` claims too (AWS
# What's New, January 2026). Google's, Facebook's and Amazon's audience or app id is one app's (AWS's "Create a role
# for OpenID Connect federation"); not Google's `oaud`, the token's own `aud` (`:aud` is its `azp`), which any service
# account's ID token takes from the caller asking for it.
SHARED_PROVIDERS = {
    "token.actions.githubusercontent.com": SharedProvider(
        "any GitHub repository's workflows", "one owner's repositories",
        {"sub": r"(repo(sitory)?:[^/*?]+/|(repository_owner|repository|enterprise)_id:[^:*?]+:"
                r"|(repository_owner|enterprise):[^:*?]+:)", "repository": r"[^/*?]+/",
         "repository_id": _FIXED, "enterprise_id": _FIXED},
        "StringLike token.actions.githubusercontent.com:sub repo:<owner>/<repository>:*"),
    # Buildkite's agents ask for a token with any audience; its subject, or the session tags a token carries (the
    # agent's --aws-session-tag, Buildkite's "OIDC with AWS"), name the organization.
    "agent.buildkite.com": SharedProvider(
        "any Buildkite organization's pipelines", "one organization's pipelines",
        {"sub": r"organization:[^:*?]+:", "aws:requesttag/organization_slug": _FIXED,
         "aws:requesttag/organization_id": _FIXED},
        "StringLike agent.buildkite.com:sub organization:<organization>:pipeline:<pipeline>:*"),
    "gitlab.com": SharedProvider(
        "any GitLab.com project's pipelines", "one group's projects", {"sub": r"project_path:[^/*?]+/"},
        "StringLike gitlab.com:sub project_path:<group>/<project>:*"),
    "app.terraform.io": SharedProvider(
        "any HCP Terraform organization's runs", "one organization's workspaces", {"sub": r"organization:[^:*?]+:"},
        "StringLike app.terraform.io:sub organization:<organization>:project:<project>:workspace:<workspace>:*"),
    "accounts.google.com": SharedProvider(
        "any Google account, through any app", "one app or account",
        {"aud": _FIXED, "sub": _FIXED}, "StringEquals accounts.google.com:aud <your client id>"),
    "graph.facebook.com": SharedProvider(
        "any Facebook user, through any app", "one app or user", {"app_id": _FIXED, "id": _FIXED},
        "StringEquals graph.facebook.com:app_id <your app id>"),
    "www.amazon.com": SharedProvider(
        "any Login with Amazon user, through any app", "one app or user", {"app_id": _FIXED, "user_id": _FIXED},
        "StringEquals www.amazon.com:app_id <your app id>"),
}
# The operators under which a value says which tokens are let in (a `ForAnyValue:` prefix allowed): not IfExists or
# ForAllValues:, true where the key is missing, but on `sub`, which every token has.
_TENANT_OPERATORS = ("stringequals", "stringequalsignorecase", "stringlike")


def _shared_providers(statement: Any) -> list[str]:
    """The SHARED_PROVIDERS a trust statement's `Principal.Federated` names, by an IAM OIDC provider's ARN
    (`arn:aws:iam::<account>:oidc-provider/<host>`) or a built-in provider's name; an unknown item names none."""
    principal = peek(statement, "Principal")
    if not is_map(principal):
        return []
    hosts = [item.split(":oidc-provider/", 1)[-1].lower() for item in peek_items(principal, "Federated")
             if isinstance(item, str)]
    return [host for host in dict.fromkeys(hosts) if host in SHARED_PROVIDERS]


def _names_tenant(condition: Any, hosts: list[str]) -> bool:
    """Whether a Condition lets in the tokens of one tenant of the providers alone: a key of one of them
    (SHARED_PROVIDERS) whose every value names a tenant (an unknown Condition or value may)."""
    entries = condition_entries(condition)
    if entries is None:
        return True
    tenants = {key if ":" in key else f"{host}:{key}": tenant
               for host in hosts for key, tenant in SHARED_PROVIDERS[host].keys.items()}
    for operator, key, values in entries:
        operator = operator.removeprefix("foranyvalue:")
        if key.endswith(":sub"):
            # Every OIDC token carries one `sub` (OpenID Connect Core, "ID Token": REQUIRED), so the forms true where
            # a key is missing or empty ask the same of it.
            operator = operator.removeprefix("forallvalues:").removesuffix("ifexists")
        if (key in tenants and operator in _TENANT_OPERATORS and values
                and all(_names_one_tenant(value, tenants[key], operator) for value in values)):
            return True
    return False


def _names_one_tenant(value: Any, tenant: str, operator: str) -> bool:
    """Whether a condition value names one tenant: its text up to its first wildcard (all of it, and the end of
    its last field, when it has none) begins with the tenant's name."""
    if value is UNKNOWN:
        return True
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return False  # IAM takes an unquoted number (a repository id) as its digits
    text = str(value)
    wildcard = next((i for i, c in enumerate(text) if c in "*?"), None) if is_pattern(text, operator) else None
    return re.match(tenant, text[:wildcard] if wildcard is not None else text + ":", re.IGNORECASE) is not None


def _public_trusts(document: Any) -> list[Statement]:
    """The Allow statements of a trust policy that name every principal, every identity provider or a shared one
    (SHARED_PROVIDERS) with no condition naming the callers (`public_statements`; an address range names none), in
    order. What is unknown until the update is not judged."""
    # Whom a role trusts is accounts and principals: an address range names none (S3's meaning of public is S3's).
    return public_statements(document, TRUST, by_address=False,
                             whom=lambda raw: everyone(raw) or _every_provider(raw) or bool(_shared_providers(raw)))


def _public_trust(statement: Statement) -> Optional[str]:
    """The finding on a trust statement for everyone (`_public_trusts`), by the actions it grants: any AWS account
    for `sts:AssumeRole`, else any identity provider's users for the federated actions, else a shared provider's
    with a web identity token and no condition naming one tenant; None when it grants none of them, or when whether
    it grants `sts:AssumeRole` is unknown until the update (that decides the text). A Federated principal never calls
    `sts:AssumeRole`."""
    providers_only = not everyone(statement.raw)
    if providers_only and not _every_provider(statement.raw):
        return _shared_trust(statement)
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


def _shared_trust(statement: Statement) -> Optional[str]:
    """The finding on a trust statement of shared identity providers (`_shared_providers`) that grants
    `sts:AssumeRoleWithWebIdentity` with no condition naming one tenant of theirs, on the first of them."""
    hosts = _shared_providers(statement.raw)
    if not statement.grants(WEB_IDENTITY) or _names_tenant(peek(statement.raw, "Condition"), hosts):
        return None
    provider = SHARED_PROVIDERS[hosts[0]]
    return (f"{statement.label} lets web identity tokens of {hosts[0]} assume the role with no condition naming "
            f"{provider.tenant}: {provider.anyone} could assume it; add {provider.example}")


@resource_policy(
    "iam-role-trust-not-public", ROLE,
    description="No role may trust every principal (Principal * or {\"AWS\": \"*\"}, a NotPrincipal, or "
                "{\"Federated\": \"*\"}) to assume it, with AWS credentials or a web identity or SAML token, "
                "without a condition naming the callers, nor an identity provider shared by everyone (GitHub "
                "Actions, GitLab.com, HCP Terraform, Buildkite, Google) without one naming a tenant: any AWS "
                "account, or any identity provider's users, could assume it.",
    severity=Severity.CRITICAL,
    anchors=("CKV_AWS_60", "IAM Access Analyzer (public role trust)"),
    remediation="Name the accounts or roles that may assume it in Principal, or add a Condition with fixed "
                "aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn values; for web identity or SAML, "
                "name the identity provider in Principal.Federated and its audience and subject in the Condition "
                "(a shared provider's tenant: StringLike token.actions.githubusercontent.com:sub "
                "repo:<owner>/<repository>:*).",
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
    repository's) name no one under those principals, and `sts:TagSession` or `sts:SetSourceIdentity` alone assumes
    nothing; nor does an Allow of `sts:AssumeRoleWithWebIdentity` to a shared identity provider
    (`Principal.Federated` an IAM OIDC provider's ARN for `token.actions.githubusercontent.com`, `gitlab.com`,
    `app.terraform.io` or `agent.buildkite.com`, or `accounts.google.com`, `graph.facebook.com`, `www.amazon.com`)
    lack a StringEquals, StringEqualsIgnoreCase or StringLike condition (`ForAnyValue:` too; on `:sub`, which every
    token has, `ForAllValues:` and IfExists too) naming one tenant: GitHub's `:sub` `repo:<owner>/...` (a custom
    template's `repository:<owner>/...`, or `repository_owner:`, `repository_id:`, `repository_owner_id:`,
    `enterprise:` or `enterprise_id:` and its value first), `:repository` `<owner>/...`, `:repository_id` or
    `:enterprise_id`; GitLab.com's `:sub` `project_path:<group>/...`; HCP
    Terraform's and Buildkite's `:sub` `organization:<org>:...` (Buildkite's session tags
    `aws:RequestTag/organization_slug` or `organization_id` too); Google's `:aud` or `:sub` (not `:oaud`, the
    audience any caller asks for), Facebook's `:app_id` or `:id`, Amazon's `:app_id` or `:user_id`, with no
    wildcard"""
    for statement in _public_trusts(peek(args.props, TRUST)):
        message = _public_trust(statement)
        if message:
            yield message
