"""OpenSearch Serverless security policies (CreateSecurityPolicy), judged by the JSON document in `policy` as the
OpenSearch Service guide's "Network access for Amazon OpenSearch Serverless" and "Encryption in Amazon OpenSearch
Serverless" describe it: a network policy is a list of rule sets, each giving the collections' OpenSearch endpoints
(ResourceType collection) and OpenSearch Dashboards endpoints (dashboard) it matches either public access
(AllowFromPublic true) or access from VPC endpoints (SourceVPCEs) and AWS services (SourceServices) only; an
encryption policy is one object whose Rules match collections, with KmsARN a KMS key of the account or AWSOwnedKey
true, an AWS owned key (KmsARN, when given, wins). A collection's data access policies still decide who may read
and write, whatever the network policy."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, has_text, is_map, is_seq, is_true, json_object, peek, peek_items
from ..core.registry import ADVISORY, resource_policy, resource_policy_by_type
from . import SERVERLESS_COLLECTION, SERVERLESS_SECURITY_POLICY

# The endpoints a network policy's rule opens, by ResourceType.
_ENDPOINTS = {"collection": "OpenSearch endpoint", "dashboard": "OpenSearch Dashboards endpoint"}


def _document(props: Any, kind: str) -> Optional[Any]:
    """The decoded `policy` of a security policy whose `type` is `kind`; None for the other type, or when the type
    or the document is unknown or is no JSON."""
    kind_set, text = peek(props, "type"), peek(props, "policy")
    if UNKNOWN in (kind_set, text) or not isinstance(kind_set, str) or kind_set.lower() != kind:
        return None
    return json_object(text) if isinstance(text, str) else None


def _resources(rule: Any) -> str:
    """A rule's Resource patterns (one or a list), for a message."""
    return ", ".join(str(p) for p in as_list(rule.get("Resource")) if has_text(p)) or "no resource"


@resource_policy(
    "opensearch-serverless-network-private", SERVERLESS_SECURITY_POLICY,
    description="OpenSearch Serverless network policies must not open collections' OpenSearch or Dashboards "
                "endpoints to the internet (AllowFromPublic): reach them through VPC endpoints or AWS services, so "
                "only IAM or SAML authentication and the data access policies would otherwise stand between the "
                "internet and the data.",
    severity=Severity.HIGH,
)
def network_private(args: ResourceValidationArgs) -> Iterator[str]:
    """a policy of `type` network has no rule set with `AllowFromPublic` true over a rule of ResourceType
    collection or dashboard (a single rule set, not in a list, is read as one); a policy of `type` encryption, or
    an unknown type or document, or one that is no JSON, is not judged"""
    document = _document(args.props, "network")
    for number, rule_set in enumerate(as_list(document), 1):
        if not is_map(rule_set) or rule_set.get("AllowFromPublic") is not True:
            continue
        rules = rule_set.get("Rules")
        opened = [f"the {_ENDPOINTS[rule['ResourceType']]} of {_resources(rule)}" for rule in
                  (rules if is_seq(rules) else []) if is_map(rule) and rule.get("ResourceType") in _ENDPOINTS]
        if opened:
            yield (f"rule set {number} has AllowFromPublic true: it opens {' and '.join(opened)} to requests from "
                   "the internet, where only IAM or SAML authentication and the data access policies stand between a "
                   "caller and the data; set AllowFromPublic false and name the VPC endpoints "
                   "(SourceVPCEs) or AWS services (SourceServices) that may reach them")


def _policy_key(props: Any) -> Iterator[str]:
    """An encryption policy's key, read from its JSON document."""
    document = _document(props, "encryption")
    if not is_map(document) or document.get("AWSOwnedKey") is not True or has_text(document.get("KmsARN")):
        return
    rules = document.get("Rules")
    matched = [_resources(rule) for rule in (rules if is_seq(rules) else []) if is_map(rule)]
    yield (f"AWSOwnedKey is true with no KmsARN: the collections it matches ({', '.join(matched) or 'none'}) are "
           f"encrypted with {_AWS_OWNED} (unless a collection names a key of its own in encryptionConfigs); set "
           "AWSOwnedKey false and KmsARN a customer managed key")


def _collection_key(props: Any) -> Iterator[str]:
    """A collection's own key (CreateCollection's encryptionConfig), over the encryption policy's."""
    for config in peek_items(props, "encryptionConfigs"):
        owned, key = peek(config, "awsOwnedKey"), peek(config, "kmsKeyArn")
        if is_true(owned) and key is not UNKNOWN and not has_text(key):
            yield (f"encryptionConfigs sets awsOwnedKey with no kmsKeyArn: the collection is encrypted with "
                   f"{_AWS_OWNED}; set kmsKeyArn a customer managed key")


# What an AWS owned key leaves the account without.
_AWS_OWNED = ("an AWS owned key, whose use the account cannot see in CloudTrail, restrict with a key policy or "
              "revoke")


resource_policy_by_type(
    "opensearch-serverless-encryption-cmk",
    {SERVERLESS_SECURITY_POLICY: _policy_key, SERVERLESS_COLLECTION: _collection_key},
    description="OpenSearch Serverless encryption policies and collections should encrypt with a customer managed "
                "KMS key (KmsARN, kmsKeyArn), whose use the account can audit, restrict and revoke, not an AWS owned "
                "key.",
    severity=Severity.MEDIUM, level=ADVISORY,
    checks="""
    a policy of `type` encryption with `AWSOwnedKey` true names a `KmsARN` (which, given, OpenSearch Serverless
    uses instead), and so does a collection's `encryptionConfigs` entry with `awsOwnedKey` true (`kmsKeyArn`); a
    policy of `type` network, or an unknown type, document or value, or a document that is no JSON, is not judged""",
)
