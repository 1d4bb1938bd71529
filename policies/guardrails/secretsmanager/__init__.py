"""Secrets Manager guardrails: secrets rotated automatically and often enough, under a key of the account's, and
never readable by every AWS account."""
from __future__ import annotations

import re
from typing import Any, Optional

from ..core.stack import register_arn_alias, register_native_companion

SECRET = "aws:secretsmanager/secret:Secret"
# Rotation of one secret (RotateSecret; with rotationEnabled false, CancelRotateSecret).
SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
register_native_companion(SECRET_ROTATION, "aws-native:secretsmanager:RotationSchedule", "secretId")
# A secret's resource policy, which replaces whatever it had (PutResourcePolicy).
SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy"


# A Secrets Manager secret's ARN: `secret:`, its name, a hyphen and the six random characters Secrets Manager adds.
_SECRET_ARN = re.compile(r"(arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:.+)-[0-9A-Za-z]{6}")
# Where a SecretId's last seven characters are a hyphen and six others, Secrets Manager reads it as a complete ARN.
_READ_AS_COMPLETE = re.compile(r".*-.{6}", re.DOTALL)


def secret_partial_arn(arn: Any) -> Optional[str]:
    """A known Secrets Manager secret ARN without the hyphen and six random characters Secrets Manager adds to its
    name: a partial ARN, which a SecretId (RotateSecret's, PutResourcePolicy's, ...) takes for the secret. None for
    anything else, and for a secret whose name itself ends in a hyphen and six characters, whose partial ARN Secrets
    Manager reads as a complete ARN (another name, another suffix)."""
    found = _SECRET_ARN.fullmatch(arn) if isinstance(arn, str) else None
    return None if found is None or _READ_AS_COMPLETE.fullmatch(found.group(1)) else found.group(1)


# Every SecretId takes a secret's partial ARN for it.
register_arn_alias(SECRET, secret_partial_arn)
