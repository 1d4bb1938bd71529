"""KMS keys: symmetric keys rotate, and no key policy opens a key to every AWS account."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, is_set, is_true, peek
from ..core.registry import resource_policy, stack_policy
from ..core.stack import of_type
from ..iam.documents import any_principal, condition_entries, statements
from . import KEY, KEY_POLICY, KEYS, key_policy_documents

# Condition keys that tie a request to named accounts or an organization (the data-perimeter keys, and KMS's own).
_CALLER_KEYS = ("aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn",
                "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "kms:calleraccount")


@resource_policy(
    "kms-key-rotation", KEY,
    description="Symmetric encryption KMS keys must rotate their key material.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub KMS.4", "Config cmk-backing-key-rotation-enabled", "CKV_AWS_7"),
)
def key_rotation(args: ResourceValidationArgs) -> Iterator[str]:
    """a symmetric `ENCRYPT_DECRYPT` key outside a custom key store sets `enableKeyRotation` (asymmetric and HMAC keys,
    and keys in CloudHSM or external key stores, cannot rotate automatically)"""
    spec, usage = peek(args.props, "customerMasterKeySpec"), peek(args.props, "keyUsage")
    if spec not in (None, "SYMMETRIC_DEFAULT") or usage not in (None, "ENCRYPT_DECRYPT"):
        args.not_applicable("asymmetric and HMAC keys do not rotate automatically")
    if is_set(args.props, "customKeyStoreId"):
        args.not_applicable("keys in a custom key store do not rotate automatically")
    if not is_true(peek(args.props, "enableKeyRotation")) and peek(args.props, "enableKeyRotation") is not UNKNOWN:
        yield "enableKeyRotation is not true; the key's material never changes (KMS rotates it yearly when asked)"


@stack_policy(
    "kms-key-policy-not-public", KEYS,
    description="No KMS key policy may let every AWS account use the key.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub KMS.5", "CKV_AWS_33"),
)
def key_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a key's policy (its `policy`, or a KeyPolicy's, which replaces it) has Principal `*` (or
    `{"AWS": "*"}`) without a condition on the caller's account or organization (`aws:PrincipalAccount`,
    `aws:PrincipalOrgID`, `aws:SourceAccount`, `kms:CallerAccount`, ...); unknown documents or conditions are not
    judged"""
    key_policies = of_type(args.resources, KEY_POLICY)
    for key in of_type(args.resources, *KEYS):
        for source, document in key_policy_documents(key, key_policies):
            for statement in statements(document, source):
                principal = peek(statement.raw, "Principal")
                if statement.effect != "Allow" or principal is UNKNOWN or not any_principal(principal):
                    continue
                if _names_callers(peek(statement.raw, "Condition")):
                    continue
                yield (f"{statement.label} allows Principal * with no condition naming an account or organization: "
                       "every AWS account's principals may use the key"), key.urn


def _names_callers(condition: Any) -> bool:
    """Whether a Condition ties the request to named accounts or an organization (unknown: it may). A negated
    operator (StringNotEquals) says who is kept out, not who is let in."""
    entries = condition_entries(condition)
    if entries is None:
        return True
    return any(key in _CALLER_KEYS and "not" not in operator and values and all(_names_one(v) for v in values)
               for operator, key, values in entries)


def _names_one(value: Any) -> bool:
    """A condition value that names an account, organization or principal: not empty nor a bare wildcard, and for an
    ARN, no wildcard in its account field (unknown: it may)."""
    if value is UNKNOWN:
        return True
    if not isinstance(value, str) or value.strip() in ("", "*"):
        return False
    if value.startswith("arn:"):
        parts = value.split(":")
        return len(parts) > 4 and parts[4] != "" and not any(c in parts[4] for c in "*?")
    return True
