"""S3 buckets and the settings other resources give them (public access block, policy, encryption, versioning,
lifecycle, lock, logging).

Bucket settings are separate resources that name their bucket (`bucket`: its id, unknown in a first
preview). A setting belongs to a bucket when its `bucket` input depends on that bucket, or names the bucket's
known name (`_names`). A bucket is reported only when no setting might be its.

pulumi-aws 7 still accepts the older inline settings on the bucket itself (`serverSideEncryptionConfiguration`,
`policy`, `versioning`, `lifecycleRules`, `logging`, `objectLockConfiguration.rule`; lists on `aws.s3.BucketV2`),
deprecated in favour of the resources above, and but for `logging` they do not count. A stack policy reads each
resource's state in a real run, and the provider's bucket read writes into them whatever S3 reports
(terraform-provider-aws `bucket.go`): SSE-S3 from the first read on (S3 encrypts every new bucket), and after a
refresh the policy, versioning, lifecycle rules, lock and logging the separate resources set. Counted, they would pass
a program that removed those resources. `logging` counts all the same: the provider writes it (v6 `bucket.go`: Create
ends in Update, which calls PutBucketLogging with its target bucket and prefix), and programs still set it; a
BucketLogging removed by the very update after a refresh may pass once, until the next refresh. The bucket's own
`objectLockEnabled` counts: S3 never turns object lock off once it is on.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import (UNKNOWN, any_of, as_list, dig, has_text, iam_like, is_false, is_map, is_true, json_object,
                          peek, peek_items)
from ..core.registry import ADVISORY, config_list, knob_names, stack_policy, string_list
from ..core.stack import (account_key, account_of, covering, may_refer, native_companion, of_type, once_per_stack,
                          refers_to, same_account, sources)
from ..iam.documents import any_principal, common_match
from . import (ACCOUNT_PUBLIC_ACCESS_BLOCK, BUCKET_POLICY, BUCKETS, ENCRYPTION, LIFECYCLE, LOGGING, OBJECT_LOCK,
               PUBLIC_ACCESS_BLOCK, TRAIL, VERSIONING)

PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
SSE_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")
SSE_C = "SSE-C"  # the encryption type a default encryption rule's blockedEncryptionTypes can block


def _names(holder: Any, bucket: Any, prop_name: str = "bucket") -> Optional[bool]:
    """Whether `holder`'s `prop_name` is this bucket: its known name, where both are known (however it was made: a
    name made from a random suffix, or read from another of the bucket's settings, is still the name; one made from
    two buckets' names is neither's); else by dependency; None while unknown and possibly made from the bucket's name
    (`refers_to`). A bucket's id is its name: with the name known, an id unknown in a first preview leaves nothing
    open. A bucket named by its `bucketPrefix` ("a unique bucket name beginning with the specified prefix",
    pulumi-aws) has no known name, but a known one without that prefix is another bucket's."""
    value, name = peek(holder.props, prop_name), peek(bucket.props, "bucket")
    if isinstance(value, str) and isinstance(name, str):
        return value == name  # S3 takes a bucket's name, whole
    prefix = peek(bucket.props, "bucketPrefix")
    if isinstance(value, str) and has_text(prefix) and not value.startswith(prefix):
        return False
    return refers_to(holder, prop_name, [value], bucket, _keys(bucket))


def _keys(bucket: Any) -> tuple[str, ...]:
    """What a bucket's settings may name it by: its name, and its id (the same) while the name is unknown."""
    return ("bucket",) if isinstance(peek(bucket.props, "bucket"), str) else ("bucket", "id")


def _unplaced(resources: list, types: tuple[str, ...]) -> list:
    """The settings of `types` whose `bucket` is unknown and made from resources none of which leads to a bucket or
    to what a bucket's name is made from: read from another resource that names its bucket by a literal
    (`bucket=pab.id`, where the block says `"logs"`), one may be any bucket's until the update. Once per stack."""
    def build(resources: list) -> list:
        buckets = of_type(resources, *BUCKETS)
        placing = {b.urn for b in buckets} | {d.urn for b in buckets for key in ("bucket", "id", "arn")
                                              for d in b.property_dependencies.get(key, [])}
        return [s for s in of_type(resources, *types) if peek(s.props, "bucket") is UNKNOWN
                and s.property_dependencies.get("bucket") and not placing & sources(s, "bucket", BUCKETS[0])]
    return once_per_stack(resources, ("s3-unplaced", types), build)


def _settings(args: StackValidationArgs, bucket: Any, types: tuple[str, ...] | str,
              good: Callable[[Any], Optional[bool]]) -> Optional[bool]:
    """True when a setting of `types` is this bucket's and good; None when one might be; False otherwise."""
    types = (types,) if isinstance(types, str) else types
    # Only the settings that may name this bucket (an index built once per stack; asking every setting about
    # every bucket was quadratic): those linked to it, naming its bucket or id, or naming something unknown.
    found, maybe = covering(may_refer(args.resources, types, "bucket", bucket, keys=("bucket", "id")), bucket, _names)
    maybe = maybe or native_companion(args.resources, types, bucket, keys=_keys(bucket),
                                      refers=lambda holder, prop_name: _names(holder, bucket, prop_name))
    answers = [good(s) for s in found]
    if any(a is True for a in answers):
        return True
    # A setting that may be any bucket's, and would pass this one, leaves it open until the update.
    unplaced = any(good(s) is not False for s in _unplaced(args.resources, types))
    return None if maybe or unplaced or None in answers else False


def _named_settings(args: StackValidationArgs, bucket: Any, types: tuple[str, ...] | str) -> list:
    """The settings of `types` known to name this bucket."""
    types = (types,) if isinstance(types, str) else types
    found, _ = covering(may_refer(args.resources, types, "bucket", bucket, keys=("bucket", "id")), bucket, _names)
    return found


def _known(value: Any) -> Optional[bool]:
    return None if value is UNKNOWN else bool(value)


def _leaves(value: Any, *path: str) -> list:
    """The values at `path` below `value`, a list at any step counting as its items; UNKNOWN where unknown."""
    if not path:
        return [value]
    found = []
    for item in peek_items(value, path[0]):
        found += [UNKNOWN] if item is UNKNOWN else _leaves(item, *path[1:])
    return found


def _inline(resource: Any, paths: tuple, good: Callable[[Any], bool]) -> Optional[bool]:
    """Whether a value of the resource at any of `paths` is good: True, None (unknown) or False."""
    values = [v for path in paths for v in _leaves(resource.props, *path)]
    return any_of([None if v is UNKNOWN else good(v) for v in values])


def _is(expected: str) -> Callable[[Any], bool]:
    return lambda value: value == expected


def _lock_enabled(configuration: Any) -> Optional[bool]:
    """A BucketObjectLockConfiguration's objectLockEnabled: Enabled where it is left out (the provider's default)."""
    value = peek(configuration.props, "objectLockEnabled")
    return None if value is UNKNOWN else value in (None, "Enabled")


def _object_locked(args: StackValidationArgs, bucket: Any) -> Optional[bool]:
    """Whether the bucket has Object Lock on: its own `objectLockEnabled` (S3 never turns the lock off), or a
    BucketObjectLockConfiguration, which enables it on a new or existing bucket (pulumi-aws 7; its objectLockEnabled
    defaults to Enabled)."""
    return any_of([_known(peek(bucket.props, "objectLockEnabled")),
                   _inline(bucket, (("objectLockConfiguration", "objectLockEnabled"),), _is("Enabled")),
                   _settings(args, bucket, OBJECT_LOCK, _lock_enabled)])


def _versioning_enabled(versioning: Any) -> Optional[bool]:
    return _inline(versioning, (("versioningConfiguration", "status"),), _is("Enabled"))


def _mfa_delete(versioning: Any) -> Optional[bool]:
    return _inline(versioning, (("versioningConfiguration", "mfaDelete"),), _is("Enabled"))


def _rule_enabled(lifecycle_configuration: Any) -> Optional[bool]:
    return _inline(lifecycle_configuration, (("rules", "status"),), _is("Enabled"))


def _versioned(args: StackValidationArgs, bucket: Any) -> Optional[bool]:
    """Whether the bucket is versioned: a BucketVersioning for it with status Enabled, or Object Lock on, since S3
    turns versioning on with the lock and refuses to suspend it while the lock is on (S3 User Guide, "Object Lock
    considerations"): a locked bucket is versioned whatever the program declares."""
    return any_of([_settings(args, bucket, VERSIONING, _versioning_enabled), _object_locked(args, bucket)])


def _account_of_block(block: Any) -> Any:
    """The account an AccountPublicAccessBlock applies to: its `accountId`, else its provider's."""
    account_id = peek(block.props, "accountId")
    if account_id is UNKNOWN:
        return UNKNOWN
    return account_key(account_id) if has_text(account_id) else account_of(block)


# What S3 does for a bucket the program leaves bare (S3 User Guide): since January 2023 it applies SSE-S3 to every
# bucket ("the base level of encryption for every bucket"), and since April 2023 "new buckets, access points, and
# objects do not allow public access" (Block Public Access on). The two policies below ask the program to declare
# those settings all the same: only a declared setting is the program's to keep, so `pulumi refresh` (or a
# `--refresh` preview) shows a change made outside it (a console click turning Block Public Access off) as drift.
# Their messages say so.
@stack_policy(
    "s3-bucket-public-access-blocked", BUCKETS,
    description="S3 buckets must declare a public access block with all four settings on, the bucket's own or the "
                "account's: S3 turns them on for new buckets, and a declared block shows a change made outside the "
                "program as drift.",
    severity=Severity.HIGH,
    anchors=("Security Hub S3.8", "Security Hub S3.1", "CKV2_AWS_6"),
    anchor_note="S3.8 checks the bucket's own block, S3.1 the account's; either passes here",
)
def public_access_blocked(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketPublicAccessBlock` for the bucket sets all four flags, or an `AccountPublicAccessBlock` in the stack
    does for the bucket's account (its `accountId`, else its provider's; one that may be the bucket's counts)"""
    def good(block: Any) -> Optional[bool]:
        flags = [peek(block.props, f) for f in PUBLIC_ACCESS_FLAGS]
        return None if UNKNOWN in flags else all(is_true(f) for f in flags)

    accounts = [_account_of_block(b) for b in of_type(args.resources, ACCOUNT_PUBLIC_ACCESS_BLOCK)
                if good(b) is not False]
    flags = ", ".join(PUBLIC_ACCESS_FLAGS)
    for bucket in of_type(args.resources, *BUCKETS):
        # The account's block covers the buckets of its account (its accountId, else its provider's) only.
        if any(same_account(account, account_of(bucket)) is not False for account in accounts):
            continue
        if _settings(args, bucket, PUBLIC_ACCESS_BLOCK, good) is not False:
            continue
        blocks = _named_settings(args, bucket, PUBLIC_ACCESS_BLOCK)
        if blocks:  # declared, and known to turn some flag off (a flag left out is false)
            off = [f for f in PUBLIC_ACCESS_FLAGS if not is_true(peek(blocks[0].props, f))]
            yield (f"bucket {bucket.name}: public access block {blocks[0].name} turns {', '.join(off)} off; set "
                   f"{flags} all true"), bucket.urn
        else:
            yield (f"bucket {bucket.name} declares no public access block; S3 blocks public access on new buckets, "
                   f"but declare a BucketPublicAccessBlock with {flags} all true so a change made outside the "
                   f"program shows as drift"), bucket.urn


def _over_plain_http(condition: Any) -> bool:
    """The condition holds for every request not made over TLS: `Bool` `aws:SecureTransport` false (any form; the
    operator's name in any case, as IAM reads it), and nothing else, since IAM ANDs a statement's conditions and
    another key would narrow the Deny."""
    blocks = [(operator, block) for operator, block in condition.items() if is_map(block)] if is_map(condition) else []
    if any(key.lower() != "aws:securetransport" for _, block in blocks for key in block):
        return False
    return any(key.lower() == "aws:securetransport" and any(is_false(v) for v in as_list(values))
               for operator, block in blocks if operator.lower() in ("bool", "boolifexists")
               for key, values in block.items())


def _covers_everything_under(pattern: Any, prefix: str) -> bool:
    """An IAM pattern that matches every string starting with `prefix` (it matches the prefix, then `*`)."""
    return isinstance(pattern, str) and pattern.endswith("*") and iam_like(prefix, pattern)


def _bucket_arns(bucket: Any) -> tuple[list[tuple[str, bool]], bool]:
    """The bucket's known ARN forms as statements may name it (its `arn`, and `arn:<partition>:s3:::<bucket>`), each
    with whether it was built from the name, and whether one is unknown."""
    arn, name = peek(bucket.props, "arn"), peek(bucket.props, "bucket")
    arns = [(arn, False)] if isinstance(arn, str) and arn else []
    if isinstance(name, str) and name:
        return arns + [(f"arn:aws:s3:::{name}", True)], False  # the name tells the ARN, the partition aside
    return arns, name is UNKNOWN or arn is UNKNOWN or not arns


def _resource_patterns(statement: Any, by_name: bool, key: str = "Resource") -> list[str]:
    patterns = [p for p in as_list(statement.get(key)) if isinstance(p, str)]
    # Against an ARN built from the name, the partition is not known: leave the pattern's open.
    return [f"arn:*:{p.split(':', 2)[2]}" if by_name and p.startswith("arn:") and p.count(":") >= 2 else p
            for p in patterns]


def _tls_statements(document: Any) -> list[tuple[int, Any]]:
    """(index, statement) for each Deny of a decoded policy document that holds over plain HTTP."""
    return [(i, s) for i, s in enumerate(as_list(dig(document, "Statement")))
            if is_map(s) and s.get("Effect") == "Deny" and _over_plain_http(s.get("Condition"))]


def _spared_s3_actions(statement: Any) -> list[str]:
    """The S3 action patterns a Deny with NotAction leaves out (it denies every action but those it lists: `sqs:*`
    spares none)."""
    return [a.lower() for a in as_list(statement.get("NotAction"))
            if isinstance(a, str) and common_match(a.lower(), "s3:*") is not None]


def _all_s3_actions(statement: Any) -> bool:
    """Whether the statement's Action takes every S3 action (`s3:*`, `*`), or its NotAction leaves none out."""
    if "NotAction" in statement:
        return not _spared_s3_actions(statement)
    return any(_covers_everything_under(a.lower(), "s3:") for a in as_list(statement.get("Action"))
               if isinstance(a, str))


def _takes_all_of(pattern: str, spared: str) -> bool:
    """Whether an Action pattern takes every action a spared pattern names: the same pattern, or a prefix ending in
    `*` (`s3:Get*` takes `s3:GetObject*`); other wildcards are not compared."""
    if pattern == spared or pattern == "*":
        return True
    prefix = pattern[:-1]
    return pattern.endswith("*") and not any(c in prefix for c in "*?") and spared.startswith(prefix)


def _together_all_s3_actions(statements: list) -> bool:
    """Whether the statements together take every S3 action: one alone, or a NotAction's whose every spared pattern
    another's Action takes (`Deny NotAction s3:GetObject` and `Deny Action s3:GetObject`) or another NotAction's
    denies in full (it spares nothing the pattern names: `NotAction s3:GetObject` and `NotAction s3:PutObject`)."""
    if any(_all_s3_actions(s) for s in statements):
        return True
    named = [a.lower() for s in statements if "NotAction" not in s for a in as_list(s.get("Action"))
             if isinstance(a, str)]
    nots = [s for s in statements if "NotAction" in s]

    def denied(spared: str, by: Any) -> bool:
        return any(_takes_all_of(a, spared) for a in named) or any(
            all(common_match(spared, other) is None for other in _spared_s3_actions(o)) for o in nots if o is not by)
    return any(all(denied(spared, s) for spared in _spared_s3_actions(s)) for s in nots)


def _to_everyone(statement: Any) -> bool:
    """Whether a Deny applies to every principal: Principal `*`, and no NotPrincipal naming someone (a Deny with
    NotPrincipal spares the principals it lists)."""
    spared = statement.get("NotPrincipal")
    spares = bool(spared) and (not is_map(spared) or any(as_list(v) for v in spared.values()))
    return ("Principal" in statement and any_principal(statement.get("Principal"))
            or "Principal" not in statement and "NotPrincipal" in statement) and not spares


def _covered_parts(statement: Any, arn: str, by_name: bool) -> tuple[bool, bool]:
    """Whether the statement's Resource (or NotResource) takes the bucket's ARN, and every object's (`arn/*`)."""
    if "NotResource" in statement:
        spared = _resource_patterns(statement, by_name, "NotResource")
        return (not any(iam_like(arn, p) for p in spared),
                all(common_match(p, arn + "/*") is None for p in spared))
    patterns = _resource_patterns(statement, by_name)
    return (any(iam_like(arn, p) for p in patterns),
            any(_covers_everything_under(p, arn + "/") for p in patterns))


def _denies_plain_http(text: Any, bucket: Any) -> Optional[bool]:
    """Whether a policy document (JSON text or a map) denies plain HTTP on the bucket and every object in it
    (`bucket`, `bucket/*`). IAM evaluates every statement, so the two may be denied by different statements (one
    for the bucket, one for its objects), as well as by one naming both, and each by statements whose actions
    together take every S3 action (`_together_all_s3_actions`), to everyone; None only while the bucket's ARN is
    unknown."""
    if text is UNKNOWN:
        return None
    document = json_object(text)
    if not is_map(document):
        return False
    denials = [s for _, s in _tls_statements(document) if _to_everyone(s)]
    arns, unknown = _bucket_arns(bucket)
    for arn, by_name in arns:
        parts = [(s, _covered_parts(s, arn, by_name)) for s in denials]
        if all(_together_all_s3_actions([s for s, covered in parts if covered[part]]) for part in (0, 1)):
            return True
    return None if unknown and _together_all_s3_actions(denials) else False


def _left_out(policy: Any, bucket: Any) -> list[str]:
    """What the TLS Denies of a bucket policy leave out by a NotAction, NotPrincipal or NotResource, for a
    message."""
    document = json_object(peek(policy.props, "policy"))
    arns, _ = _bucket_arns(bucket)
    gaps = []
    for index, statement in _tls_statements(document) if is_map(document) else []:
        short = {"NotAction": not _all_s3_actions(statement), "NotPrincipal": not _to_everyone(statement),
                 "NotResource": bool(arns) and all(_covered_parts(statement, arn, by_name) != (True, True)
                                                   for arn, by_name in arns)}
        gaps += [f"{policy.name} statement {statement.get('Sid') or index} leaves out {key} "
                 f"{json.dumps(statement[key])}" for key, falls_short in short.items()
                 if falls_short and key in statement]
    return gaps


@stack_policy(
    "s3-bucket-tls-only", BUCKETS,
    description="S3 buckets must have a bucket policy that denies every S3 action on the bucket and its objects to "
                "requests not made over TLS.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub S3.5", "CKV_AWS_379"),
)
def tls_only(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketPolicy` for the bucket denies principal `*` action `s3:*` (or `*`) on the bucket and `bucket/*` (in
    one statement, or one each) when `aws:SecureTransport` is false, with no other condition to narrow it (the
    bucket's deprecated inline `policy` does not count: the provider fills it from S3). A NotAction, NotPrincipal or
    NotResource Deny counts when it leaves out no S3 action, no principal and no part of the bucket, or when what
    its NotAction leaves out another such Deny takes; and no two `BucketPolicy` resources name the bucket (the one
    written last replaces the other)"""
    for bucket in of_type(args.resources, *BUCKETS):
        policies = _named_settings(args, bucket, BUCKET_POLICY)
        if len(policies) > 1:
            yield (f"bucket {bucket.name} has {len(policies)} BucketPolicy resources "
                   f"({', '.join(p.name for p in policies)}): a bucket has one policy, which PutBucketPolicy replaces "
                   "whole, so the one written last wins and each update writes them again in turn; merge them into "
                   "one", bucket.urn)
            continue
        if _settings(args, bucket, BUCKET_POLICY,
                     lambda policy: _denies_plain_http(peek(policy.props, "policy"), bucket)) is False:
            gaps = [gap for policy in _named_settings(args, bucket, BUCKET_POLICY) for gap in _left_out(policy, bucket)]
            yield (f"bucket {bucket.name} has no BucketPolicy denying s3:* on the bucket and its objects (bucket/*) "
                   f"to everyone where aws:SecureTransport is false" + "".join(f"; {gap}" for gap in gaps),
                   bucket.urn)


@stack_policy(
    "s3-bucket-encrypted", BUCKETS,
    description="S3 buckets must declare their default encryption (SSE-S3, SSE-KMS or DSSE-KMS): S3 applies SSE-S3 "
                "to every bucket, and a declared setting shows a change made outside the program as drift.",
    severity=Severity.MEDIUM,
    # CKV_AWS_19 (Terraform) asks for the configuration with AES256 or aws:kms, as this does; CKV_AWS_145 asks for
    # aws:kms, which this does not.
    anchors=("CKV_AWS_19",), anchor_note="Checkov's check accepts SSE-S3 too; CKV_AWS_145 asks for KMS",
)
def encrypted(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketServerSideEncryptionConfiguration` for the bucket names `AES256`, `aws:kms` or `aws:kms:dsse` (the
    bucket's deprecated inline `serverSideEncryptionConfiguration` does not count: the provider fills it from S3,
    which encrypts every bucket)"""
    def algorithm(value: Any) -> bool:
        return value in SSE_ALGORITHMS

    def good(config: Any) -> Optional[bool]:
        return _inline(config, (("rules", "applyServerSideEncryptionByDefault", "sseAlgorithm"),), algorithm)

    for bucket in of_type(args.resources, *BUCKETS):
        if _settings(args, bucket, ENCRYPTION, good) is not False:
            continue
        yield (f"bucket {bucket.name} has no BucketServerSideEncryptionConfiguration with a default encryption "
               f"algorithm; S3 applies SSE-S3 to new objects anyway, but declare one (AES256, aws:kms or "
               f"aws:kms:dsse) so a change made outside the program shows as drift"), bucket.urn


@stack_policy(
    "s3-bucket-sse-c-blocked", BUCKETS,
    description="S3 buckets must block uploads encrypted with customer-provided keys (SSE-C) in their default "
                "encryption: with SSE-C, anyone allowed to write can encrypt objects under a key the owner never "
                "holds. S3 blocks it on buckets made since April 2026, and on older ones only in accounts that held "
                "no SSE-C object.",
    severity=Severity.MEDIUM, level=ADVISORY,
)
def sse_c_blocked(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketServerSideEncryptionConfiguration` for the bucket has a rule whose `blockedEncryptionTypes` names
    `SSE-C` (`NONE` allows it). In a real run the configuration's state holds what S3 reports where the program
    leaves the field out, so there the policy judges the bucket as S3 has it"""
    for bucket in of_type(args.resources, *BUCKETS):
        blocked = _settings(args, bucket, ENCRYPTION,
                            lambda config: _inline(config, (("rules", "blockedEncryptionTypes"),), _is(SSE_C)))
        if blocked is False:
            yield (f"bucket {bucket.name} does not block SSE-C uploads; set blockedEncryptionTypes [\"{SSE_C}\"] in "
                   f"its BucketServerSideEncryptionConfiguration rule, so no one who may write can encrypt objects "
                   f"under a key the bucket's owner never holds"), bucket.urn


@stack_policy(
    "s3-bucket-versioning", BUCKETS,
    description="S3 buckets should keep every version of their objects (versioning Enabled), so an object "
                "overwritten or deleted, by mistake or on purpose, can be restored.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub S3.14", "Config s3-bucket-versioning-enabled", "CT.S3.PR.11"),
)
def versioning(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketVersioning` for the bucket has `versioningConfiguration.status` Enabled (Suspended, pulumi-aws's
    Disabled, or none fail: a bucket S3 makes has no versioning state, PutBucketVersioning), or the bucket has
    Object Lock on, which keeps it versioned (the bucket's deprecated inline `versioning` does not count: the
    provider fills it from S3)"""
    for bucket in of_type(args.resources, *BUCKETS):
        if _versioned(args, bucket) is not False:
            continue
        declared = _named_settings(args, bucket, VERSIONING)
        if declared:  # known to set another status
            status = dig(declared[0].props, "versioningConfiguration", "status")
            yield (f"bucket {bucket.name}: BucketVersioning {declared[0].name} sets status {status}; set Enabled, "
                   "so an overwritten or deleted object can be restored from an earlier version"), bucket.urn
        else:
            yield (f"bucket {bucket.name} has no BucketVersioning with status Enabled; declare an "
                   "aws.s3.BucketVersioning with versioningConfiguration.status Enabled, so an overwritten or "
                   "deleted object can be restored from an earlier version"), bucket.urn


@stack_policy(
    "s3-bucket-lifecycle", BUCKETS,
    description="S3 buckets should have a lifecycle configuration with a rule in effect, saying when objects, their "
                "noncurrent versions and incomplete multipart uploads expire or move to another storage class.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub S3.13", "Config s3-lifecycle-policy-check", "CT.S3.PR.6"),
)
def lifecycle(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketLifecycleConfiguration` for the bucket has a rule whose `status` is Enabled (Disabled rules do
    nothing). A bucket with MFA delete on (its BucketVersioning's `mfaDelete` Enabled) is not asked: S3 takes no
    lifecycle configuration there (Security Hub S3.20). The bucket's deprecated inline `lifecycleRules` does not
    count: the provider fills it from S3"""
    for bucket in of_type(args.resources, *BUCKETS):
        if _settings(args, bucket, LIFECYCLE, _rule_enabled) is not False:
            continue
        if _settings(args, bucket, VERSIONING, _mfa_delete) is not False:
            continue
        declared = _named_settings(args, bucket, LIFECYCLE)
        if declared:  # known to have no rule in effect
            yield (f"bucket {bucket.name}: BucketLifecycleConfiguration {declared[0].name} has no rule with status "
                   "Enabled; enable one, so S3 expires or moves objects as the program says"), bucket.urn
        else:
            yield (f"bucket {bucket.name} has no BucketLifecycleConfiguration; declare an "
                   "aws.s3.BucketLifecycleConfiguration with an Enabled rule saying when objects, noncurrent "
                   "versions and incomplete multipart uploads expire or move to another storage class"), bucket.urn


def _own_logging(bucket: Any) -> list[tuple[str, list]]:
    """(prop, target buckets) of the bucket's own deprecated `logging` (BucketV2: `loggings`), which the provider
    sends with PutBucketLogging; UNKNOWN where unknown. A whole block unknown that no resource's output made is the
    provider's computed placeholder in a first preview, not the program's: left out."""
    return [(key, _leaves(bucket.props, key, "targetBucket")) for key in ("logging", "loggings")
            if not (peek(bucket.props, key) is UNKNOWN and not bucket.property_dependencies.get(key))]


def _access_logged(args: StackValidationArgs, bucket: Any) -> Optional[bool]:
    """Whether the bucket has server access logging: its own `logging` or a BucketLogging of the stack names a
    target bucket."""
    own = [None if target is UNKNOWN else has_text(target) for _, targets in _own_logging(bucket) for target in targets]
    return any_of([*own, _settings(args, bucket, LOGGING, _logs_somewhere)])


def _trail_bucket(args: StackValidationArgs, bucket: Any) -> Optional[bool]:
    """Whether a trail's `s3BucketName` names the bucket: True, None (one might, while unknown) or False."""
    return any_of([_names(trail, bucket, "s3BucketName") for trail in of_type(args.resources, TRAIL)])


def _trail_buckets(args: StackValidationArgs) -> Iterator[Any]:
    """The stack's buckets a trail's `s3BucketName` is known to name (one it might name, unknown, is not judged)."""
    return (bucket for bucket in of_type(args.resources, *BUCKETS) if _trail_bucket(args, bucket))


@stack_policy(
    "s3-bucket-trail-object-lock", BUCKETS,
    description="The bucket a CloudTrail trail writes to must be object-locked (which keeps it versioned) in "
                "COMPLIANCE mode (or a mode knob retentionModes names), so no one can delete or overwrite log files "
                "before their retention ends.",
    severity=Severity.HIGH,
    anchors=("Security Hub S3.15",), anchor_note="S3.15 asks for the lock; its mode is a parameter without default",
    config={"retentionModes": {**string_list(
        "Default retention modes a trail bucket's lock may have. GOVERNANCE lets a principal allowed "
        "s3:BypassGovernanceRetention delete log files early; COMPLIANCE lets no one, the account's root user "
        "included.", ["COMPLIANCE"], item={"enum": ["COMPLIANCE", "GOVERNANCE"]}), "minItems": 1}},
)
def trail_object_lock(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a trail's bucket has `objectLockEnabled` (on the bucket, or by a BucketObjectLockConfiguration) and a
    BucketObjectLockConfiguration with a default retention in a mode knob `retentionModes` names (COMPLIANCE by
    default; GOVERNANCE lets whoever may bypass it delete log files early) (the bucket's deprecated inline lock rule
    does not count: the provider fills it from S3). Versioning is not asked for: the lock keeps the bucket versioned
    (S3 turns versioning on for a bucket created locked, locks an existing one only once versioning is Enabled, and
    refuses to suspend it afterwards: S3 User Guide "Configuring S3 Object Lock", pulumi-aws
    BucketObjectLockConfiguration `token`); s3-bucket-versioning asks an unlocked bucket for it"""
    modes = config_list(args, "retentionModes")
    wanted = " or ".join(modes)
    for bucket in _trail_buckets(args):
        problems = []
        if _object_locked(args, bucket) is False:
            problems.append("objectLockEnabled is not true")
        locked = _settings(args, bucket, OBJECT_LOCK,
                           lambda c: _inline(c, (("rule", "defaultRetention", "mode"),), lambda mode: mode in modes))
        if locked is False:
            problems.append(f"no object lock configuration with a {wanted} default retention")
        if problems:
            yield f"trail bucket {bucket.name}: {'; '.join(problems)}", bucket.urn


@stack_policy(
    "s3-bucket-trail-access-logging", BUCKETS,
    description="The bucket a CloudTrail trail writes to must have S3 server access logging, so every read, write "
                "and delete of the log files is itself recorded.",
    severity=Severity.LOW,
    anchors=("Security Hub CloudTrail.7", "CIS AWS 3.4"),
)
def trail_access_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a trail's bucket (named by a trail's `s3BucketName`) has server access logging: a `BucketLogging` (or
    `BucketLoggingV2`) whose `bucket` is it and whose `targetBucket` is set, or the bucket's own deprecated `logging`
    (`loggings` on a BucketV2) with a `targetBucket`, which the provider writes with PutBucketLogging
    (terraform-provider-aws v6); an unknown trail bucket, setting or target is not judged"""
    for bucket in _trail_buckets(args):
        if _access_logged(args, bucket) is False:
            yield (f"trail bucket {bucket.name} has no server access logging; add an aws.s3.BucketLogging sending "
                   "its access logs to another bucket, so who read or deleted a log file is on record"), bucket.urn


def _logs_somewhere(setting: Any) -> Optional[bool]:
    """A BucketLogging that names a target bucket for the access logs (PutBucketLogging's TargetBucket)."""
    return _inline(setting, (("targetBucket",),), has_text)


def _log_target(args: StackValidationArgs, bucket: Any) -> bool:
    """Whether a BucketLogging of the stack, or another bucket's own `logging`, sends, or may send (its
    `targetBucket` unknown), access logs to the bucket."""
    found, maybe = covering(may_refer(args.resources, LOGGING, "targetBucket", bucket, keys=("bucket", "id")), bucket,
                            lambda setting, target: _names(setting, target, "targetBucket"))
    return bool(found) or maybe or any(refers_to(other, key, targets, bucket, _keys(bucket)) is not False
                                       for other, key, targets in _inline_loggers(args.resources)
                                       if other.urn != bucket.urn)


def _inline_loggers(resources: list) -> list[tuple[Any, str, list]]:
    """(bucket, prop, targets) of each bucket whose own `logging` names targets (`_own_logging`): built once per
    stack, as asking every bucket about every other was quadratic."""
    return once_per_stack(resources, "s3-inline-loggers", lambda resources: [
        (other, key, targets) for other in of_type(resources, *BUCKETS)
        for key, targets in _own_logging(other) if targets])


@stack_policy(
    "s3-bucket-access-logging", BUCKETS,
    description="S3 buckets should have server access logging, so each request made to the bucket (who read, wrote "
                "or deleted which object, and from where) is on record.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub S3.9", "Config s3-bucket-logging-enabled", "CT.S3.PR.2", "CKV_AWS_18"),
    config={"exemptBuckets": string_list(
        "Buckets (bucket names or resource names, shell wildcards) that need no server access logs: a bucket that "
        "receives another service's logs, say.")},
)
def access_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `BucketLogging` (or `BucketLoggingV2`) for the bucket has `targetBucket` set, or the bucket's own deprecated
    `logging` does (as for the trail's bucket). Not asked: a bucket a BucketLogging of the stack, or another bucket's
    own `logging`, sends access logs to (Security Hub S3.9: "The target logging bucket does not need to have server
    access logging enabled"), a bucket a trail's `s3BucketName` names or may name
    (s3-bucket-trail-access-logging reports it), and one knob `exemptBuckets` names (read only for a bucket without
    logging). Unknown settings or targets are not judged"""
    for bucket in of_type(args.resources, *BUCKETS):
        if _access_logged(args, bucket) is not False or _trail_bucket(args, bucket) is not False:
            continue
        if _log_target(args, bucket) or knob_names(args, "exemptBuckets", peek(bucket.props, "bucket"), bucket.name):
            continue
        yield (f"bucket {bucket.name} has no server access logging; add an aws.s3.BucketLogging sending its access "
               "logs to another bucket of its region, so who read, wrote or deleted its objects is on record, or "
               "list it in exemptBuckets"), bucket.urn
