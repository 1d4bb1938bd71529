"""Log groups: encrypted with a customer managed key, and that key lets CloudWatch Logs use it for them; kept a year."""
from __future__ import annotations

import json
import re
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import (UNKNOWN, all_of, any_of, arn_like, arn_region, as_list, dig, iam_like, is_set, num, number,
                          peek)
from ..core.registry import ADVISORY, config_value, knob_names, resource_policy, stack_policy, string_list
from ..core.stack import of_type, refers_to, region_of, same_region
from ..iam.documents import Statement, any_principal, statements
from ..kms import ALIAS as KMS_ALIAS, KEYS as KMS_KEYS, SYMMETRIC, key_disabled, key_policy_documents, key_spec
from . import LOG_GROUP

# CloudWatch Logs' service principal is regional: logs.<region>.amazonaws.com, the group's region's.
_LOGS_PRINCIPAL = re.compile(r"^logs\.([a-z0-9-]+)\.amazonaws\.com$")
_CONTEXT_KEY = "kms:encryptioncontext:aws:logs:arn"
_NEEDED = ("kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt")


@resource_policy(
    "cloudwatch-log-group-kms-encrypted", LOG_GROUP,
    description="CloudWatch log groups must be encrypted with a customer managed KMS key.",
    severity=Severity.MEDIUM,
    anchors=("Config cloudwatch-log-group-encrypted", "CKV_AWS_158"),
)
def kms_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsKeyId` is set, to an ARN (a key's or an alias's): CreateLogGroup and AssociateKmsKey take no key id or
    alias name"""
    if not is_set(args.props, "kmsKeyId"):
        yield "kmsKeyId is not set; the group is encrypted only with CloudWatch Logs' own key"
        return
    key = peek(args.props, "kmsKeyId")
    # The API asks for "the Amazon Resource Name (ARN) of the KMS key" (CloudFormation's AWS::Logs::LogGroup schema:
    # arn:...:kms:<region>:<account>:key/... or alias/...); a key id fails with "The specified KMS Key Id could not
    # be found" (terraform-provider-aws #25258).
    if isinstance(key, str) and not key.startswith("arn:"):
        yield (f"kmsKeyId {key} is not an ARN: CreateLogGroup and AssociateKmsKey take the key's ARN (or its "
               "alias's ARN) and refuse a key id or alias name, so the group is not made; use the key's arn")


# Security Hub CloudWatch.16's `minRetentionTime`: an Enum of these, 365 by default (its control page).
# PutRetentionPolicy takes shorter periods too, and 1096, 2192, 2557, 2922 and 3288 (botocore logs `Days`), which the
# control does not offer.
MIN_RETENTION_TIMES = (365, 400, 545, 731, 1827, 3653)


@resource_policy(
    "cloudwatch-log-group-retention", LOG_GROUP,
    description="CloudWatch log groups should keep their events at least a year (knob minRetentionTime), so the "
                "logs an investigation reaches back for are still there.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub CloudWatch.16", "Config cw-loggroup-retention-period-check", "CT.CLOUDWATCH.PR.2",
             "CKV_AWS_338"),
    config={"minRetentionTime": {"type": "integer", "enum": list(MIN_RETENTION_TIMES), "default": 365,
                                 "description": "The fewest days a log group may keep its events (Security Hub "
                                                "CloudWatch.16's parameter and allowed values)."},
            "exemptLogGroups": string_list("Log groups (group names or resource names, shell wildcards) that may "
                                           "keep their events for less.")},
)
def retention(args: ResourceValidationArgs) -> Iterator[str]:
    """`retentionInDays` is 0 or left out (never expire: the provider then sets no retention policy, and Config's
    `cw-loggroup-retention-period-check` passes a group that never expires) or at least knob `minRetentionTime` (365
    by default); a DELIVERY class group, whose setting the provider ignores (it keeps events a day or two, for
    delivery to S3 or Firehose), an unknown value and an account-level retention policy (PutAccountPolicy) are not
    judged; knob `exemptLogGroups`"""
    days, kind = number(peek(args.props, "retentionInDays")), peek(args.props, "logGroupClass")
    minimum = int(config_value(args, "minRetentionTime"))
    if days in (None, UNKNOWN, 0) or days >= minimum or kind in (UNKNOWN, "DELIVERY"):
        return
    if knob_names(args, "exemptLogGroups", peek(args.props, "name")):
        return
    yield (f"retentionInDays is {num(days)}: CloudWatch Logs deletes each event after {num(days)} days, fewer than the "
           f"{minimum} days knob minRetentionTime asks; set at least {minimum} (or 0, never expire), or list the "
           "group in exemptLogGroups")


@stack_policy(
    "cloudwatch-log-group-key-allows-logs", LOG_GROUP,
    description="A log group's KMS key (declared in the stack) must be an enabled symmetric encryption key that lets "
                "CloudWatch Logs use it for the group, or CreateLogGroup and AssociateKmsKey fail; and, as AWS "
                "recommends, scope that grant with the aws:logs:arn encryption context so the key serves only the "
                "intended log groups.",
    severity=Severity.HIGH,
    anchors=(),
    anchor_note="the CloudWatch Logs key policy documented under 'Encrypt log data in CloudWatch Logs using AWS KMS'",
)
def key_allows_logs(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """for a group whose `kmsKeyId` is a key in the stack (a Key, ReplicaKey, ExternalKey or ReplicaExternalKey), or
    the ARN of an Alias in the stack whose `targetKeyId` is one:
    that key is a symmetric encryption key (`customerMasterKeySpec`, or an ExternalKey's `keySpec`, SYMMETRIC_DEFAULT
    and `keyUsage` ENCRYPT_DECRYPT, as when left out) and not disabled (a Key's `isEnabled`, another key's `enabled`,
    false), as CreateLogGroup and AssociateKmsKey take no other (each judged where known); and
    that key's policy (the `policy` of a KeyPolicy whose `keyId` is the key, which replaces the key's own, else its
    own `policy`; with neither, the default key policy grants CloudWatch Logs nothing) allows
    `logs.<region>.amazonaws.com` of the group's region (its ARN's, else its provider's; any, while unknown)
    `kms:GenerateDataKey*`, `kms:Decrypt*` and `kms:Encrypt*`, with a `kms:EncryptionContext:aws:logs:arn`
    condition (best practice) whose patterns match the group's ARN as IAM matches them; and no Deny without a
    Condition takes one of those actions from that principal (`*`, or a NotPrincipal leaving it in), as an explicit
    Deny overrides the grant (a conditional Deny may hold for some requests only: not judged)"""
    keys = of_type(args.resources, *KMS_KEYS)
    aliases = of_type(args.resources, KMS_ALIAS)
    for group in of_type(args.resources, LOG_GROUP):
        value = peek(group.props, "kmsKeyId")
        if not value:
            continue  # cloudwatch-log-group-kms-encrypted reports it
        # A multi-Region key's replicas share its key id: the group's key is the one in its region (the one its
        # key ARN names, else the group's own).
        where = arn_region(value) if arn_region(value) is not None else region_of(group)
        mine = [key for key in keys if same_region(where, region_of(key)) is not False
                and refers_to(group, "kmsKeyId", [value], key) is True]
        # An alias ARN names the key the alias points to (in the alias's region, the one its ARN names).
        for alias in aliases:
            if same_region(where, region_of(alias)) is False or refers_to(group, "kmsKeyId", [value], alias,
                                                                          ("arn",)) is not True:
                continue
            target = peek(alias.props, "targetKeyId")
            mine += [key for key in keys if key not in mine and same_region(where, region_of(key)) is not False
                     and refers_to(alias, "targetKeyId", [target], key, ("id", "arn", "keyId")) is True]
        if len(mine) > 1:
            continue  # a group has one key: a value made from several names which one at the update
        for key in mine:
            yield from ((problem, group.urn) for problem in _unusable(key))
            for source, document in key_policy_documents(key, args.resources):
                if document is None:
                    yield (f"key {key.name} has no policy (neither its own nor an aws.kms.KeyPolicy), so KMS gives it "
                           f"the default key policy, which grants logs.<region>.amazonaws.com nothing and "
                           f"CreateLogGroup or AssociateKmsKey fails; give it a policy allowing CloudWatch Logs "
                           f"kms:Encrypt*, kms:Decrypt* and kms:GenerateDataKey*, scoped with "
                           f"kms:EncryptionContext:aws:logs:arn"), group.urn
                    continue
                problem = _logs_grant_problem(document, _group_arn(group), peek(key.props, "arn"))
                if problem:
                    yield f"{source}: {problem}", group.urn


def _unusable(key: Any) -> Iterator[str]:
    """Why CloudWatch Logs cannot use the key, whatever its policy: CreateLogGroup and AssociateKmsKey take only
    symmetric encryption keys, and refuse a disabled one (InvalidParameterException). Unknown spec, usage or state
    tells nothing."""
    kind, disabled = key_spec(key), key_disabled(key)
    if kind not in (UNKNOWN, SYMMETRIC):
        yield (f"key {key.name} has spec {kind[0]} and usage {kind[1]}, and CloudWatch Logs supports only symmetric "
               f"encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT), so CreateLogGroup or AssociateKmsKey fails")
    if disabled not in (None, UNKNOWN):
        yield (f"key {key.name} is disabled ({disabled} is false), and CreateLogGroup or AssociateKmsKey refuses a "
               f"disabled key; enable it")


def _group_arn(group: Any) -> Optional[list]:
    """The six components of the group's ARN (`arn:<partition>:logs:<region>:<account>:log-group:<name>`), None
    for each one the props do not tell (a new group's ARN is unknown until it exists; its region is its provider's
    all the same); None without a name."""
    name = peek(group.props, "name")
    if not isinstance(name, str) or not name:
        return None
    arn = peek(group.props, "arn")
    if isinstance(arn, str):
        parts = arn.removesuffix(":*").split(":", 5)
        if len(parts) == 6 and parts[0] == "arn" and parts[2] == "logs" and parts[5] == f"log-group:{name}":
            return parts
    region = region_of(group)
    return ["arn", None, "logs", region if isinstance(region, str) and region else None, None, f"log-group:{name}"]


def _pattern_covers(operator: str, pattern: Any, arn: Optional[list]) -> Optional[bool]:
    """Whether a condition value under `operator` admits the group's ARN: True, False or None (can't tell)."""
    if not isinstance(pattern, str) or arn is None:
        return None
    operator = operator.split(":", 1)[-1].removesuffix("IfExists")  # ForAnyValue:... on a single-valued key
    if operator in ("ArnLike", "ArnEquals"):  # the same match: component by component, wildcards allowed
        return arn_like(arn, pattern)
    if operator not in ("StringLike", "StringEquals") or None in arn:
        return None  # a negation, another operator, or a whole-string match against unknown components
    full = ":".join(arn)
    return iam_like(full, pattern) if operator == "StringLike" else full == pattern


def _grant_covers(conditions: list, arn: Optional[list]) -> Optional[bool]:
    """Every operator (they AND) has some value (they OR) that admits the ARN: True, False or None."""
    return all_of(any_of(_pattern_covers(operator, p, arn) for p in patterns) for operator, patterns in conditions)


def _logs_regions(principal: Any) -> set:
    """The regions of the CloudWatch Logs service principals a Principal (or NotPrincipal) names."""
    return {m.group(1) for p in as_list(dig(principal, "Service"))
            if isinstance(p, str) and (m := _LOGS_PRINCIPAL.match(p))}


def _takes_logs(statement: Statement, region: Optional[str]) -> Optional[bool]:
    """Whether a statement's principals take CloudWatch Logs of `region` (None: not known, any region may be it):
    Principal `*` does, and a NotPrincipal does unless it names the service; None when that turns on the region."""
    raw = statement.raw
    if "NotPrincipal" in raw:
        spared = raw.get("NotPrincipal")
        if any_principal(spared):
            return False
        named = _logs_regions(spared)
        return region not in named if region else (None if named else True)
    principal = raw.get("Principal")
    if any_principal(principal):
        return True
    named = _logs_regions(principal)
    return region in named if region else (None if named else False)


def _takes_key(statement: Statement, action: str, key_arn: Any) -> Optional[bool]:
    """Whether a statement's Action and Resource take `action` on the key (`*` in a key policy is the key itself);
    None when its Resource names ARNs and the key's is unknown."""
    if not statement.covers_action(action):
        return False
    if isinstance(key_arn, str) and key_arn:
        return statement.covers(action, key_arn)
    return True if "NotResource" not in statement.raw and "*" in as_list(statement.raw.get("Resource")) else None


def _logs_denied(policy: Any, region: Optional[str], key_arn: Any) -> Optional[tuple[Statement, list]]:
    """The first Deny that certainly keeps CloudWatch Logs of `region` from an action it needs on the key, with
    those actions. One that only might (its Condition, principal or resource not decided without the request: a
    conditional Deny holds for some requests only, as `documents.evaluate` reads it) is not reported."""
    for statement in statements(policy, "its policy"):
        if statement.effect != "Deny" or statement.conditional or not _takes_logs(statement, region):
            continue
        denied = [action for action in _NEEDED if _takes_key(statement, action, key_arn)]
        if denied:
            return statement, denied
    return None


def _logs_grant_problem(document: Any, arn: Optional[list], key_arn: Any = None) -> Optional[str]:
    try:
        policy = json.loads(document) if isinstance(document, str) else document
    except json.JSONDecodeError:
        return None  # the IAM policy checks report malformed documents
    region = arn[3] if arn is not None else None  # None: not known until the group exists, any region may be it

    allows = [s for s in as_list(dig(policy, "Statement")) if isinstance(s, dict) and s.get("Effect") == "Allow"]
    regions = [_logs_regions(s.get("Principal")) for s in allows]
    grants = [s for s, named in zip(allows, regions) if named and (region is None or region in named)]
    if not grants:
        elsewhere = sorted(set().union(*regions))
        if elsewhere:
            return (f"its policy allows CloudWatch Logs of {', '.join(elsewhere)} only (logs.<region>.amazonaws.com), "
                    f"and the group is in {region}")
        return "its policy does not allow the logs.<region>.amazonaws.com service principal"

    def verdict(grant: dict) -> Any:
        conditions = [(operator, as_list(values)) for operator, block in (grant.get("Condition") or {}).items()
                      if isinstance(block, dict)
                      for key, values in block.items() if key.lower() == _CONTEXT_KEY]
        return _grant_covers(conditions, arn) if conditions else "unscoped"

    def grants_action(grant: dict, needed: str) -> bool:
        return any(iam_like(needed.lower(), a.lower()) for a in as_list(grant.get("Action")) if isinstance(a, str))

    # KMS joins a policy's statements: each action the service needs may come from a grant of its own.
    per_action = [[verdict(g) for g in grants if grants_action(g, needed)] for needed in _NEEDED]
    if not all(per_action):
        return "its CloudWatch Logs grant lacks kms:GenerateDataKey*, kms:Decrypt* or kms:Encrypt*"
    best = [True if True in vs or None in vs else "unscoped" if "unscoped" in vs else False for vs in per_action]
    if False not in best:
        # An explicit Deny overrides every Allow (IAM's evaluation logic): the grant is then no grant.
        denial = _logs_denied(policy, region, key_arn)
        if denial:
            statement, actions = denial
            return (f"{statement.label} denies CloudWatch Logs {', '.join(actions)}, and an explicit Deny overrides "
                    f"its grant, so CreateLogGroup or AssociateKmsKey fails")
        if all(v is True for v in best):
            return None
        # Scoped or not is the grant's own: a Deny that may hold for some requests changes neither.
        # Valid for AWS (the group works); the condition is AWS's recommended scoping of the service's use.
        return ("its CloudWatch Logs grant has no kms:EncryptionContext:aws:logs:arn condition, so the key is not "
                "limited to this account's log groups (best practice: scope it to the groups' ARNs, as AWS's key "
                "policy example does)")
    return (f"its kms:EncryptionContext:aws:logs:arn patterns do not cover the ARN of log group "
            f"{arn[5].split(':', 1)[1]}, so CreateLogGroup or AssociateKmsKey fails")
