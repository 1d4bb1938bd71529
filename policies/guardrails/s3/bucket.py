"""S3 buckets and the settings other resources give them (public access block, policy, encryption, lock).

Bucket settings are separate resources that name their bucket (`bucket`: its id, unknown in a first
preview). A setting belongs to a bucket when its `bucket` input depends on that bucket, or, when nothing
links them, when it names the bucket's known name. A bucket is reported only when no setting might be its.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, as_list, dig, is_true, peek
from ..core.registry import stack_policy
from ..core.stack import covering, links_to, of_type, same_value
from . import BUCKET_POLICY, BUCKETS, ENCRYPTION, OBJECT_LOCK, PUBLIC_ACCESS_BLOCK, TRAIL, VERSIONING

PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _names(holder: Any, bucket: Any, prop_name: str = "bucket") -> Optional[bool]:
    """Whether `holder`'s `prop_name` is this bucket: by dependency, else by name; None when unknown."""
    if links_to(holder, bucket, prop_name):
        return True
    if holder.property_dependencies.get(prop_name):
        return False  # it depends on something, and not on this bucket
    named = peek(holder.props, prop_name)
    if named is UNKNOWN:
        return None
    return same_value(named, peek(bucket.props, "bucket")) or same_value(named, peek(bucket.props, "id"))


def _settings(args: StackValidationArgs, bucket: Any, types: tuple[str, ...] | str,
              good: Callable[[Any], Optional[bool]]) -> Optional[bool]:
    """True when a setting of `types` is this bucket's and good; None when one might be; False otherwise."""
    types = (types,) if isinstance(types, str) else types
    found, maybe = covering(of_type(args.resources, *types), bucket, _names)
    answers = [good(s) for s in found]
    if any(a is True for a in answers):
        return True
    return None if maybe or None in answers else False


def _known(value: Any) -> Optional[bool]:
    return None if value is UNKNOWN else bool(value)


@stack_policy(
    "s3-bucket-public-access-blocked", BUCKETS,
    description="S3 buckets must have a public access block with all four settings on.",
    severity=Severity.HIGH,
    anchors=("Security Hub S3.8", "CKV2_AWS_6"),
)
def public_access_blocked(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketPublicAccessBlock` for the bucket sets all four flags"""
    def good(block: Any) -> Optional[bool]:
        flags = [peek(block.props, f) for f in PUBLIC_ACCESS_FLAGS]
        return None if UNKNOWN in flags else all(is_true(f) for f in flags)

    for bucket in of_type(args.resources, *BUCKETS):
        if _settings(args, bucket, PUBLIC_ACCESS_BLOCK, good) is False:
            yield (f"bucket {bucket.name} has no public access block with {', '.join(PUBLIC_ACCESS_FLAGS)} "
                   f"all true", bucket.urn)


def _denies_plain_http(policy: Any) -> Optional[bool]:
    text = peek(policy.props, "policy")
    if text is UNKNOWN:
        return None
    try:
        document = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return False
    for stmt in as_list(dig(document, "Statement")):
        condition = dig(stmt, "Condition", "Bool", "aws:SecureTransport")
        if dig(stmt, "Effect") == "Deny" and dig(stmt, "Principal") in ("*", {"AWS": "*"}) \
                and str(condition).lower() == "false":
            return True
    return False


@stack_policy(
    "s3-bucket-tls-only", BUCKETS,
    description="S3 buckets must have a bucket policy that denies requests not made over TLS.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub S3.5", "CKV_AWS_379"),
)
def tls_only(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketPolicy` for the bucket denies `*` when `aws:SecureTransport` is false"""
    for bucket in of_type(args.resources, *BUCKETS):
        if _settings(args, bucket, BUCKET_POLICY, _denies_plain_http) is False:
            yield (f"bucket {bucket.name} has no bucket policy denying requests where aws:SecureTransport "
                   f"is false", bucket.urn)


@stack_policy(
    "s3-bucket-encrypted", BUCKETS,
    description="S3 buckets must declare default encryption (SSE-S3 or SSE-KMS) rather than rely on the "
                "account default.",
    severity=Severity.MEDIUM,
    anchors=("CKV_AWS_145",),
)
def encrypted(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketServerSideEncryptionConfiguration` for the bucket names `AES256` or `aws:kms`"""
    def good(config: Any) -> Optional[bool]:
        rules = peek(config.props, "rules")
        if rules is UNKNOWN:
            return None
        algorithms = [dig(r, "applyServerSideEncryptionByDefault", "sseAlgorithm") for r in as_list(rules)]
        return any(a in ("AES256", "aws:kms", "aws:kms:dsse") for a in algorithms)

    for bucket in of_type(args.resources, *BUCKETS):
        if _settings(args, bucket, ENCRYPTION, good) is False:
            yield f"bucket {bucket.name} declares no default encryption", bucket.urn


@stack_policy(
    "s3-bucket-trail-object-lock", BUCKETS,
    description="The bucket a CloudTrail trail writes to must be versioned and object-locked in COMPLIANCE "
                "mode, so no one can delete or overwrite log files before their retention ends.",
    severity=Severity.HIGH,
    anchors=("Security Hub S3.15",),
)
def trail_object_lock(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a trail's bucket has `objectLockEnabled`, versioning `Enabled` and a COMPLIANCE default retention"""
    trails = of_type(args.resources, TRAIL)
    for bucket in of_type(args.resources, *BUCKETS):
        if not any(_names(trail, bucket, "s3BucketName") for trail in trails):
            continue
        problems = []
        if _known(peek(bucket.props, "objectLockEnabled")) is False:
            problems.append("objectLockEnabled is not true")
        versioned = _settings(args, bucket, VERSIONING,
                              lambda v: _known_eq(peek(v.props, "versioningConfiguration", "status"), "Enabled"))
        if versioned is False:
            problems.append("versioning is not Enabled")
        locked = _settings(args, bucket, OBJECT_LOCK, lambda c: _known_eq(
            peek(c.props, "rule", "defaultRetention", "mode"), "COMPLIANCE"))
        if locked is False:
            problems.append("no object lock configuration with a COMPLIANCE default retention")
        if problems:
            yield f"trail bucket {bucket.name}: {'; '.join(problems)}", bucket.urn


def _known_eq(value: Any, expected: str) -> Optional[bool]:
    return None if value is UNKNOWN else value == expected
