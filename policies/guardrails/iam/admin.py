"""Full administrator access: no policy a program writes or attaches may allow every action on every resource.

Security Hub IAM.1 (Config iam-policy-no-statements-with-admin-access) fails a customer managed policy with an Allow
of Action `*` on Resource `*`; Checkov reads inline policies the same way (CKV_AWS_62) and reports AWS's own
`AdministratorAccess` wherever it is attached (CKV_AWS_274). Whoever holds either can change its own permissions and
every guardrail of the account, so a program that needs such a principal (a break-glass role, a deployment role)
says so by lowering this policy's level for its stack.

A permissions boundary grants nothing by itself, and its usual shape is Allow `*` on `*` beside the Denies that are
the point of it: a Policy a role or user of the stack names as its `permissionsBoundary` (or may, by a value unknown
until the update), that an Identity Center permission set's boundary names (`ssoadmin.PermissionsBoundaryAttachment`,
by its name), or that knob `boundaryPolicies` names (a boundary for other stacks' roles), is not judged (the Config
rule's excludePermissionBoundaryPolicy), unless something of the stack attaches it too (a permission set by
`CustomerManagedPolicyAttachment` or `CustomerManagedPolicyAttachmentsExclusive`): then its holder is an
administrator. A boundary ARN written as text names the policy whose name it ends in, as a customer policy's ARN
does.

IAM Identity Center's permission sets are judged the same way: an AWS-managed policy attached to one
(`ssoadmin.ManagedPolicyAttachment`, `ManagedPolicyAttachmentsExclusive`) and its inline policy
(`PermissionSetInlinePolicy`) become the policies of the IAM role Identity Center creates for it
(`AWSReservedSSO_<name>_*`) in every account it is assigned to (CreateAccountAssignment, ProvisionPermissionSet).

A statement's Condition does not change the answer, as IAM.1 does not read it: an administrator behind MFA is still an
administrator. Only `*` counts as every action or resource (IAM.1's reading); a NotAction or NotResource is not judged.
`*:*` is no action: an action is a service namespace, a colon and a name, and only the name may hold wildcards (IAM's
policy grammar, `action_string`); IAM refuses a policy with a wildcard in the service ("Action vendors ... must not
contain wildcards"), so `iam-no-service-wildcard-actions` does not report it either. A document, statement or ARN
unknown until the update is not judged.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import as_list, is_map, named_by, peek, peek_items, peek_path_items, unless_unknown
from ..core.registry import config_list, stack_policy, string_list
from ..core.stack import of_type, referenced
from . import ATTACHMENTS, GROUP_POLICY, POLICY, POLICY_ARN_LISTS, ROLE, ROLE_POLICY, USER, USER_POLICY
from .documents import Statement, statements

# AWS's managed AdministratorAccess in any partition (aws, aws-cn, aws-us-gov, ...).
ADMINISTRATOR_ACCESS = re.compile(r"arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess")

# IAM Identity Center's permission sets: their policies become an IAM role's in every account they are assigned to.
SSO_INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
SSO_MANAGED_POLICY = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
SSO_MANAGED_POLICIES_EXCLUSIVE = "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive"
SSO_BOUNDARY = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment"
SSO_CUSTOMER_POLICY = "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment"
SSO_CUSTOMER_POLICIES_EXCLUSIVE = ("aws:ssoadmin/customerManagedPolicyAttachmentsExclusive:"
                                   "CustomerManagedPolicyAttachmentsExclusive")

# Where each type keeps its documents and the managed policies it attaches.
_DOCUMENTS = {POLICY: "policy", ROLE_POLICY: "policy", USER_POLICY: "policy", GROUP_POLICY: "policy",
              SSO_INLINE_POLICY: "inlinePolicy"}
_ATTACHED = {ROLE: "managedPolicyArns", **{kind: attaches.arns for kind, attaches in ATTACHMENTS.items()},
             SSO_MANAGED_POLICY: "managedPolicyArn", SSO_MANAGED_POLICIES_EXCLUSIVE: "managedPolicyArns"}
TYPES = tuple(dict.fromkeys((*_DOCUMENTS, *_ATTACHED)))
# The types that write policy documents (`documents_of`): what the family's statement rules judge.
DOCUMENT_TYPES = (*_DOCUMENTS, ROLE)


def _every(patterns: Any) -> bool:
    """Whether an Action or Resource element (a string or a list, as JSON or as a map gives it) holds `*`."""
    return any(p == "*" for p in as_list(patterns))


def full_admin(statement: Statement) -> bool:
    """An Allow with `*` among its Action and among its Resource, whatever its Condition (IAM.1's reading)."""
    raw = statement.raw
    return statement.effect == "Allow" and _every(raw.get("Action")) and _every(raw.get("Resource"))


def documents_of(resource: Any) -> list[tuple[str, Any, Any]]:
    """(source, document, name) for each policy document the resource writes: its `policy` (a permission set's
    `inlinePolicy`, which has no name of its own), or a role's inline ones."""
    if resource.resource_type in _DOCUMENTS:
        prop = _DOCUMENTS[resource.resource_type]
        name = None if resource.resource_type == SSO_INLINE_POLICY else peek(resource.props, "name")
        return [(prop, peek(resource.props, prop), name)]
    if resource.resource_type == ROLE:
        return [(f"inline policy '{peek(entry, 'name')}'", peek(entry, "policy"), peek(entry, "name"))
                for entry in peek_items(resource.props, "inlinePolicies") if is_map(entry)]
    return []


# Where each type names the policies it bounds its holder with, or attaches: the path to their ARNs or names,
# through a list's items. Identity Center names a customer managed policy by its name (and path), the policy of that
# name in each account the permission set is assigned to.
_BOUNDS = {ROLE: ("permissionsBoundary",), USER: ("permissionsBoundary",),
           SSO_BOUNDARY: ("permissionsBoundary", "customerManagedPolicyReference", "name")}
_ATTACHES = {**{kind: (prop,) for kind, prop in _ATTACHED.items()},
             SSO_CUSTOMER_POLICY: ("customerManagedPolicyReference", "name"),
             SSO_CUSTOMER_POLICIES_EXCLUSIVE: ("customerManagedPolicyReferences", "name")}
_LISTS = POLICY_ARN_LISTS | {"customerManagedPolicyReferences"}


def _named_in(policy: Any, resources: list, paths: dict[str, tuple[str, ...]]) -> tuple[bool, bool]:
    """Whether some resource of `paths`' types names the Policy there (by ARN or name), and whether one may once a
    value unknown until the update is known."""
    named, maybe = False, False
    for holder in of_type(resources, *paths):
        path = paths[holder.resource_type]
        found, unsure = referenced(holder, path[0], peek_path_items(holder.props, *path), [policy],
                                   keys=("arn", "name"), assigned=True, many=path[0] in _LISTS)
        named, maybe = named or bool(found), maybe or unsure
    return named, maybe


def a_boundary_only(policy: Any, resources: list, boundaries: list[str]) -> bool:
    """Whether the Policy is a permissions boundary (of a role, user or permission set of the stack, maybe, or by the
    knob) that nothing of the stack is known to attach."""
    bounds, maybe = _named_in(policy, resources, _BOUNDS)
    named = named_by([n for n in (peek(policy.props, "name"),) if isinstance(n, str)], boundaries)
    return (bounds or maybe or named) and not _named_in(policy, resources, _ATTACHES)[0]


# Boundaries for other stacks' roles, which nothing here names as one. Pulumi hands a policy only its own config
# (pulumi-policy's StackValidationArgs.get_config), so each rule that judges statements declares the knob.
BOUNDARY_POLICIES = {"boundaryPolicies": string_list(
    "Policies (names; shell-style wildcards) this stack makes as permissions boundaries for roles made elsewhere: "
    "not judged, unless the stack attaches them. Each IAM statement rule reads its own list: name them for each.")}


def judged(args: StackValidationArgs, types: tuple[str, ...],
           findings: Callable[[Any], Iterable[str]]) -> Iterator[tuple[str, str]]:
    """(message, urn) for each of `findings` of each resource of `types`, but of a Policy that is only a permissions
    boundary (`a_boundary_only`, with knob `boundaryPolicies`, which the calling policy declares), which grants
    nothing by itself."""
    boundaries = config_list(args, "boundaryPolicies")
    for resource in of_type(args.resources, *types):
        if resource.resource_type == POLICY and a_boundary_only(resource, args.resources, boundaries):
            continue
        for message in findings(resource):
            yield message, resource.urn


def _findings(resource: Any) -> Iterator[str]:
    for source, document, _ in documents_of(resource):
        for statement in unless_unknown(statements, document, source) or []:
            if unless_unknown(full_admin, statement):
                yield (f"{statement.label} allows every action (\"*\") on every resource (\"*\"): full "
                       "administrator access")
    prop = _ATTACHED.get(resource.resource_type)
    for arn in peek_items(resource.props, prop) if prop else []:
        if isinstance(arn, str) and ADMINISTRATOR_ACCESS.fullmatch(arn):
            yield f"{prop} attaches {arn}: full administrator access"


@stack_policy(
    "iam-no-full-admin", TYPES,
    description="No IAM policy may allow every action on every resource (Action * on Resource *), and no role, "
                "user, group or Identity Center permission set may be given AWS's AdministratorAccess: its holder "
                "could undo every guardrail.",
    severity=Severity.HIGH,
    anchors=("Security Hub IAM.1", "Config iam-policy-no-statements-with-admin-access", "CKV_AWS_62", "CKV_AWS_274"),
    config=BOUNDARY_POLICIES,
    remediation="Allow the actions and resources the principal needs; where a stack must have an administrator "
                "(a break-glass role), set this policy's enforcementLevel for that stack in the pack config.",
)
def no_full_admin(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a `Policy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`, a role's `inlinePolicies` or an
    Identity Center permission set's `PermissionSetInlinePolicy` has `*` among its Action and among its Resource
    (whatever its Condition), but a Policy a role, user or permission set names as its permissions boundary (or knob
    `boundaryPolicies` names) that nothing attaches; and no role's `managedPolicyArns` nor any policy attachment
    (`RolePolicyAttachment`, `UserPolicyAttachment`, `GroupPolicyAttachment`, `PolicyAttachment`, the role's,
    user's or group's `*PolicyAttachmentsExclusive`, or a permission set's `ssoadmin` `ManagedPolicyAttachment` or
    `ManagedPolicyAttachmentsExclusive`) names `arn:<partition>:iam::aws:policy/AdministratorAccess`"""
    yield from judged(args, TYPES, _findings)
