"""Decryption with every KMS key: no policy a program writes may allow kms:Decrypt or kms:ReEncryptFrom on all keys.

Security Hub KMS.1 (Config iam-customer-policy-blocked-kms-actions) fails a customer managed policy, and KMS.2
(iam-inline-policy-blocked-kms-actions) a role's, user's or group's inline policy, that allows either action on all
KMS keys: the same blocked actions (`blockedActionsPatterns: kms:ReEncryptFrom, kms:Decrypt`), read from the policy
IAM keeps apart or from the one its principal embeds, so one policy here judges both, as `iam-no-full-admin` judges
IAM.1's statements in both. Whoever holds it may decrypt whatever any key whose key policy lets the account in
encrypted, in this account or another's.

The action may come through a wildcard or a NotAction (`kms:*`, `kms:De*`, `*`; IAM compares actions without case).
All keys are every key ARN of a partition (`arn:<partition>:kms:<region>:<account>:key/<key id>`, the only resource
type the two actions take): `*`, `arn:aws:kms:*:*:key/*`, `arn:aws:kms:*`, or patterns that together leave out no
region, account or key; keys of one region or one account are not all keys (the control's own advice: "allow
kms:Decrypt only on keys in a particular Region for your account"). A NotResource covers all keys of a partition
when none of its patterns can name a key of any. The Condition does not count, as KMS.1 "doesn't take into account any
conditionals in the Condition element". As KMS.1 (`excludePermissionBoundaryPolicy: True`), a policy that is only a
permissions boundary of the stack, or one knob `boundaryPolicies` names (a boundary for other stacks' roles), is not
judged (`iam-no-full-admin`'s reading, and its knob, which each of the three declares), nor AWS managed policies; an
Identity Center permission set's inline policy is the inline policy of the role it becomes in each account. A
statement that allows every action on every resource is `iam-no-full-admin`'s to report, not this one's. A
document, statement or pattern unknown until the update is not judged.
"""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import as_list, in_words, unless_unknown
from ..core.registry import stack_policy
from .admin import BOUNDARY_POLICIES, DOCUMENT_TYPES, documents_of, full_admin, judged
from .documents import SearchTooLarge, Statement, common_match, statements, uncovered

DECRYPTS = ("kms:Decrypt", "kms:ReEncryptFrom")
# Every key of each partition (botocore data/partitions.json); an IAM policy names the resources of its own.
PARTITIONS = ("aws", "aws-cn", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-us-gov")
EVERY_KEY = tuple(f"arn:{partition}:kms:*:*:key/*" for partition in PARTITIONS)
ANY_KEY = "arn:*:kms:*:*:key/*"


def _patterns(statement: Statement, element: str) -> list[str]:
    return [p for p in as_list(statement.raw.get(element)) if isinstance(p, str)]


def _every_key(statement: Statement) -> bool:
    """Whether the statement's Resource takes every key of some partition, or its NotResource can name no key of
    any. A partition, region, account or key id holds no colon: the patterns' wildcards may take one, the keys'
    never do."""
    if "Resource" in statement.raw:
        patterns = _patterns(statement, "Resource")
        try:
            return any(uncovered(patterns, keys, not_in_b_wildcards=":") is None for keys in EVERY_KEY)
        except SearchTooLarge:
            return False  # too many wildcard patterns to decide in a preview's time: no finding
    if "NotResource" in statement.raw:
        return all(common_match(p, ANY_KEY, not_in_b_wildcards=":") is None
                   for p in _patterns(statement, "NotResource"))
    return False


def _decrypts_every_key(statement: Statement) -> list[str]:
    """The decryption actions an Allow grants on every key (whatever its Condition); [] for a statement of every
    action on every resource, which `iam-no-full-admin` reports."""
    if statement.effect != "Allow" or full_admin(statement) or not _every_key(statement):
        return []
    return [action for action in DECRYPTS if statement.covers_action(action)]


def _findings(resource: Any) -> Iterator[str]:
    for source, document, _ in documents_of(resource):
        for statement in unless_unknown(statements, document, source) or []:
            actions = unless_unknown(_decrypts_every_key, statement)
            if actions:
                yield f"{statement.label} allows {in_words(actions)} on every KMS key"


@stack_policy(
    "iam-no-decrypt-every-kms-key", DOCUMENT_TYPES,
    description="No IAM policy may allow kms:Decrypt or kms:ReEncryptFrom on every KMS key: its holder could read "
                "whatever any key open to the account encrypted.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub KMS.1", "Security Hub KMS.2", "Config iam-customer-policy-blocked-kms-actions",
             "Config iam-inline-policy-blocked-kms-actions"),
    config=BOUNDARY_POLICIES,
    remediation="Name the keys the principal decrypts with in Resource (their ARNs, or the keys of one region of "
                "the account); a Condition does not narrow the grant for this rule.",
)
def no_decrypt_every_key(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a `Policy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`, a role's `inlinePolicies` or an
    Identity Center `PermissionSetInlinePolicy` takes `kms:Decrypt` or `kms:ReEncryptFrom` (by Action, wildcards or
    NotAction) on every KMS key of a partition (Resource `*`, `arn:aws:kms:*:*:key/*`, patterns that together leave
    out no key, or a NotResource that names none), whatever its Condition; but a Policy that is only a permissions
    boundary (as `iam-no-full-admin` reads it, knob `boundaryPolicies` too) and a statement of `*` on `*`
    (`iam-no-full-admin`'s)"""
    yield from judged(args, DOCUMENT_TYPES, _findings)
