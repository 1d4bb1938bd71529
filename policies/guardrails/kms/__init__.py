"""KMS guardrails: keys rotate, and no key policy lets every AWS account use a key. Which document is a key's
policy (`key_policy_documents`) is this family's to say; the log group policies ask it too."""
from __future__ import annotations

from typing import Any

from ..core.props import UNKNOWN, peek
from ..core.stack import referring

KEY = "aws:kms/key:Key"
# Every KMS key resource with a key policy of its own: a key, a multi-Region replica, and imported key material's.
KEYS = (KEY, "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey",
        "aws:kms/replicaExternalKey:ReplicaExternalKey")
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"


def key_policy_documents(key: Any, resources: list) -> list[tuple[str, Any]]:
    """The key policy documents that decide the key's use, each with how a message names it: those of the KeyPolicy
    resources whose `keyId` (a key id or ARN) refers to the key (PutKeyPolicy, made after the key, replaces its
    policy), else the key's own `policy`. `[(name, None)]` when neither exists: KMS then applies the default key
    policy, which lets the account's IAM principals use the key and no service principal (AWS's "Encrypt log data
    in CloudWatch Logs using AWS Key Management Service",
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html: keys are private by
    default). Unknown documents, and a KeyPolicy whose `keyId` is unknown and might be this key's, leave nothing to
    judge. (A KeyPolicy that names another stack's key by a literal id may be this key's while this key's id is
    unknown: a first preview then judges neither, rather than risk a finding a later preview would not give.)"""
    found, maybe = referring(resources, (KEY_POLICY,), "keyId", key, keys=("id", "arn"))
    if maybe:
        return []
    if found:
        documents = [(f"key {key.name} (policy in KeyPolicy {holder.name})", peek(holder.props, "policy"))
                     for holder in found]
        return [(source, document) for source, document in documents if document not in (None, UNKNOWN)]
    document = peek(key.props, "policy")
    if document is UNKNOWN:
        return []
    return [(f"key {key.name}", document)]
