"""KMS guardrails: keys rotate, and no key policy lets every AWS account use a key. Which document is a key's
policy (`key_policy_documents`), and what kind of key it is (`key_spec`, `key_disabled`), is this family's to say; the
log group policies ask it too."""
from __future__ import annotations

from typing import Any

from ..core.props import UNKNOWN, is_false, peek
from ..core.stack import policy_documents, register_shared_id

KEY = "aws:kms/key:Key"
REPLICA_KEY = "aws:kms/replicaKey:ReplicaKey"
REPLICA_EXTERNAL_KEY = "aws:kms/replicaExternalKey:ReplicaExternalKey"
# Every KMS key resource with a key policy of its own: a key, a multi-Region replica, and imported key material's.
KEYS = (KEY, REPLICA_KEY, "aws:kms/externalKey:ExternalKey", REPLICA_EXTERNAL_KEY)
# A multi-Region replica key has its primary's key id (mrk-...; KMS developer guide, "Multi-Region keys in AWS KMS":
# related keys share a key id, each with a key policy of its own), so a key id made from the primary may name the
# replica, in the replica's region.
register_shared_id(REPLICA_KEY, "primaryKeyArn")
register_shared_id(REPLICA_EXTERNAL_KEY, "primaryKeyArn")
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
# A name for a key (alias/<name>), which services that take a key's ARN take as an alias ARN too.
ALIAS = "aws:kms/alias:Alias"


def key_policy_documents(key: Any, resources: list) -> list[tuple[str, Any]]:
    """The key policy documents that decide the key's use, each with how a message names it: those of the KeyPolicy
    resources whose `keyId` (a key id or ARN) refers to the key (PutKeyPolicy, made after the key, replaces its
    policy), else the key's own `policy`. `[(name, None)]` when neither exists: KMS then applies the default key
    policy, which lets the account's IAM principals use the key and no service principal (AWS's "Encrypt log data
    in CloudWatch Logs using AWS Key Management Service",
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html: keys are private by
    default). Unknowns as `core.stack.policy_documents` reads them. A KeyPolicy in another region sets another key's
    policy: a multi-Region key and its replicas share one key id, and each has a key policy of its own."""
    return policy_documents(key, resources, (KEY_POLICY,), "keyId", ("id", "arn"), "key", regional=True)


# What KMS makes when neither spec nor usage is given: a symmetric encryption key.
SYMMETRIC = ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")


def key_spec(key: Any) -> Any:
    """A key's spec and usage: `customerMasterKeySpec` (a Key's; `keySpec` an ExternalKey's, and a replica's output)
    and `keyUsage`, each KMS's default (`SYMMETRIC`) where left out; UNKNOWN while either is unknown."""
    spec = peek(key.props, "customerMasterKeySpec") or peek(key.props, "keySpec") or SYMMETRIC[0]
    usage = peek(key.props, "keyUsage") or SYMMETRIC[1]
    return UNKNOWN if UNKNOWN in (spec, usage) else (spec, usage)


def key_disabled(key: Any) -> Any:
    """The prop that disables a key (a Key's `isEnabled`, a replica's or imported key's `enabled`) when it is false;
    UNKNOWN while unknown; else None (keys are enabled by default)."""
    for prop in ("isEnabled", "enabled"):
        value = peek(key.props, prop)
        if value is UNKNOWN:
            return UNKNOWN
        if is_false(value):
            return prop
    return None
