"""KMS keys: symmetric keys rotate, and no key policy opens a key to every AWS account."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, is_set, is_true, peek
from ..core.registry import resource_policy, stack_policy
from ..iam.documents import public_grant, public_resource_policies
from . import KEY, KEY_POLICY, KEYS, SYMMETRIC, key_spec


@resource_policy(
    "kms-key-rotation", KEY,
    description="Symmetric encryption KMS keys must rotate their key material.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub KMS.4", "Config cmk-backing-key-rotation-enabled", "CKV_AWS_7"),
)
def key_rotation(args: ResourceValidationArgs) -> Iterator[str]:
    """a symmetric `ENCRYPT_DECRYPT` key outside a custom key store sets `enableKeyRotation` (asymmetric and HMAC keys,
    and keys in CloudHSM or external key stores, cannot rotate automatically)"""
    kind = key_spec(args)
    if kind is UNKNOWN:
        args.not_applicable("the key's spec or usage is unknown until the update")
    if kind != SYMMETRIC:
        args.not_applicable("asymmetric and HMAC keys do not rotate automatically")
    if is_set(args.props, "customKeyStoreId"):
        args.not_applicable("keys in a custom key store do not rotate automatically")
    if not is_true(peek(args.props, "enableKeyRotation")) and peek(args.props, "enableKeyRotation") is not UNKNOWN:
        yield "enableKeyRotation is not true; the key's material never changes (KMS rotates it yearly when asked)"


@stack_policy(
    "kms-key-policy-not-public", (*KEYS, KEY_POLICY),
    description="No KMS key policy may let every AWS account use the key.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub KMS.5", "CKV_AWS_33"),
)
def key_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a key's policy (its `policy`, or a KeyPolicy's, which replaces it; a KeyPolicy for a key
    outside the stack too) has Principal `*` (or `{"AWS": "*"}`) or a NotPrincipal unless its condition names the
    callers by fixed values of `aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:SourceAccount`, `kms:CallerAccount`,
    `aws:SourceVpce`, ... under an equality or like operator (not Null, IfExists, ForAllValues or a negation; no policy
    variable, and no wildcard in the account or organization id), or limits them to addresses (IpAddress on
    `aws:SourceIp`, CIDRs that do not add up to every public address, as the security group policies count them: S3's
    meaning of public); unknown documents or conditions are not judged"""
    # regional: a multi-Region key's replicas share its key id, and a KeyPolicy sets the one key of its region.
    for owner, statement in public_resource_policies(args.resources, KEYS, KEY_POLICY, "keyId", ("id", "arn"), "key",
                                                   service_keys=("kms:calleraccount",), regional=True):
        yield public_grant(statement, "use the key"), owner.urn
