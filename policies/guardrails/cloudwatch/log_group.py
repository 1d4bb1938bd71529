"""Log groups: encrypted with a customer managed key, and that key lets CloudWatch Logs use it for them."""
from __future__ import annotations

import fnmatch
import json
import re
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, as_list, dig, is_set, peek
from ..core.registry import resource_policy, stack_policy
from ..core.stack import of_type, refers_to
from . import KMS_KEY, LOG_GROUP

# CloudWatch Logs' service principal is regional: logs.<region>.amazonaws.com.
_LOGS_PRINCIPAL = re.compile(r"^logs\.[a-z0-9-]+\.amazonaws\.com$")
_CONTEXT_KEY = "kms:encryptioncontext:aws:logs:arn"
_NEEDED = ("kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt")


@resource_policy(
    "cloudwatch-log-group-kms-encrypted", LOG_GROUP,
    description="CloudWatch log groups must be encrypted with a customer managed KMS key.",
    severity=Severity.MEDIUM,
    anchors=("AWS Config cloudwatch-log-group-encrypted", "CKV_AWS_158"),
)
def kms_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsKeyId` is set"""
    if not is_set(args.props, "kmsKeyId"):
        yield "kmsKeyId is not set; the group is encrypted only with CloudWatch Logs' own key"


@stack_policy(
    "cloudwatch-log-group-key-allows-logs", LOG_GROUP,
    description="A log group's KMS key (declared in the stack) must let CloudWatch Logs use it, scoped by the "
                "aws:logs:arn encryption context to a pattern that covers the group; otherwise CreateLogGroup "
                "or AssociateKmsKey fails.",
    severity=Severity.HIGH,
    anchors=(),
    anchor_note="the CloudWatch Logs key policy documented under 'Encrypt log data in CloudWatch Logs using AWS KMS'",
)
def key_allows_logs(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """for a group whose `kmsKeyId` is a Key in the stack: that key's policy allows `logs.<region>.amazonaws.com`
    `kms:GenerateDataKey*`, `kms:Decrypt*` and `kms:Encrypt*`, with a `kms:EncryptionContext:aws:logs:arn` condition
    whose patterns match the group's name"""
    keys = of_type(args.resources, KMS_KEY)
    for group in of_type(args.resources, LOG_GROUP):
        value = peek(group.props, "kmsKeyId")
        if not value:
            continue  # cloudwatch-log-group-kms-encrypted reports it
        for key in keys:
            if refers_to(group, "kmsKeyId", [value], key) is not True:
                continue
            document = peek(key.props, "policy")
            if document is UNKNOWN or document is None:
                continue  # known at update time; a key with no policy gets the default, which has no such grant
            problem = _logs_grant_problem(document, peek(group.props, "name"))
            if problem:
                yield f"key {key.name}: {problem}", group.urn


def _logs_grant_problem(document: Any, group_name: Any) -> Optional[str]:
    try:
        policy = json.loads(document) if isinstance(document, str) else document
    except json.JSONDecodeError:
        return None  # the IAM policy checks report malformed documents
    grants = [s for s in as_list(dig(policy, "Statement"))
              if isinstance(s, dict) and s.get("Effect") == "Allow"
              and any(isinstance(p, str) and _LOGS_PRINCIPAL.match(p)
                      for p in as_list(dig(s, "Principal", "Service")))]
    if not grants:
        return "its policy does not allow the logs.<region>.amazonaws.com service principal"
    for grant in grants:
        actions = [a.lower() for a in as_list(grant.get("Action")) if isinstance(a, str)]
        if not all(any(fnmatch.fnmatchcase(needed.lower(), a) for a in actions) for needed in _NEEDED):
            continue
        patterns = [p for operator in (grant.get("Condition") or {}).values() if isinstance(operator, dict)
                    for key, values in operator.items() if key.lower() == _CONTEXT_KEY
                    for p in as_list(values)]
        if not patterns:
            return "its CloudWatch Logs grant has no kms:EncryptionContext:aws:logs:arn condition"
        if not isinstance(group_name, str) or any(
                isinstance(p, str) and fnmatch.fnmatchcase(group_name, p.split(":log-group:", 1)[-1])
                for p in patterns):
            return None
        return f"its kms:EncryptionContext:aws:logs:arn patterns do not cover log group {group_name}"
    return "its CloudWatch Logs grant lacks kms:GenerateDataKey*, kms:Decrypt* or kms:Encrypt*"
