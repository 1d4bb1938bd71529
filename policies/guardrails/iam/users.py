"""IAM users' own policies: a user gets its permissions from groups and roles, not from policies of its own.

Security Hub IAM.2 (Config iam-user-no-policies-check, CIS AWS 1.15, 1.16 in v1.2.0; severity low) fails an IAM
user with a policy of its own: an inline one (PutUserPolicy) or an attached managed one (AttachUserPolicy). Granted
per user, permissions pile up one person at a time, and a review of groups and roles misses them. A program gives a
user one with `UserPolicy` (`user`), `UserPolicyAttachment` (`user`), `UserPolicyAttachmentsExclusive` (`userName`,
which attaches each of `policyArns` and detaches the rest) or a `PolicyAttachment` that lists it in `users`
(pulumi-aws 7.51.1; `aws.iam.User` takes no policy itself). `UserPoliciesExclusive` only names inline policies a
`UserPolicy` writes (terraform-provider-aws calls PutUserPolicy without the PolicyDocument botocore requires), so it
is not judged; an exclusive list left empty takes every policy away from the user.

A user name unknown until the update may be one knob `exemptUsers` names, and a list of users or of policies unknown
as a whole may be empty: neither is reported (with the knob empty, a user unknown by name is a user all the same).
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, named_by, peek, peek_items
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from . import POLICY_ATTACHMENT, USER_POLICY, USER_POLICY_ATTACHMENT, USER_POLICY_ATTACHMENTS_EXCLUSIVE

# Where each type names the user (or users) it gives a policy, the list that must hold something for it to give one,
# and what the finding says.
_GIVES = {
    USER_POLICY: ("user", None, "user names an IAM user: policy is an inline policy of that user's own; put it on a "
                                "group the user is a member of (aws.iam.GroupPolicy) or on a role the user assumes"),
    USER_POLICY_ATTACHMENT: ("user", None, "user names an IAM user: policyArn is attached to that user directly; "
                                           "attach it to a group the user is a member of (aws.iam."
                                           "GroupPolicyAttachment) or to a role the user assumes"),
    USER_POLICY_ATTACHMENTS_EXCLUSIVE: ("userName", "policyArns", "userName names an IAM user: policyArns are "
                                                                  "attached to that user directly; attach them to a "
                                                                  "group the user is a member of or to a role the "
                                                                  "user assumes"),
    POLICY_ATTACHMENT: ("users", "users", "users lists IAM users: policyArn is attached to each of them directly; "
                                          "list groups they are members of (groups) or roles they assume (roles) "
                                          "instead"),
}


def _maybe_empty(props: object, prop: str) -> bool:
    """Whether a list is empty, or unknown as a whole (it may be)."""
    return peek(props, prop) is UNKNOWN or not peek_items(props, prop)


def _exempt(user: object, patterns: list[str]) -> bool:
    """Whether the knob names the user (one whose name is unknown until the update may be one it names)."""
    return bool(patterns) and (user is UNKNOWN or named_by([user], patterns))


@resource_policy(
    "iam-user-no-attached-policies", tuple(_GIVES),
    description="IAM users must get their permissions from groups or roles, not from inline or attached policies "
                "of their own: granted one user at a time, permissions pile up and escape reviews of groups and "
                "roles.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub IAM.2", "Config iam-user-no-policies-check", "CIS AWS 1.15"),
    config={"exemptUsers": string_list(
        "IAM users (names; shell-style wildcards) that may hold policies of their own.")},
    remediation="Put the policy on an IAM group (aws.iam.GroupPolicy, GroupPolicyAttachment) and make the user a "
                "member (UserGroupMembership), or on a role the user assumes; or name the user in exemptUsers.",
)
def no_attached_policies(args: ResourceValidationArgs) -> Iterator[str]:
    """no `UserPolicy` or `UserPolicyAttachment` (`user`), `UserPolicyAttachmentsExclusive` with `policyArns`
    (`userName`) or `PolicyAttachment` with `users` gives an IAM user a policy of its own; an unknown `users` or
    `policyArns` is not judged (knob `exemptUsers`, by user name)"""
    prop, needs, message = _GIVES[args.resource_type]
    if needs and _maybe_empty(args.props, needs):
        return  # no user, or no policy: an empty exclusive list detaches every managed policy the user has
    users = [user for user in peek_items(args.props, prop) if user is UNKNOWN or isinstance(user, str)]
    patterns = config_list(args, "exemptUsers")
    if users and not all(_exempt(user, patterns) for user in users):
        yield message
