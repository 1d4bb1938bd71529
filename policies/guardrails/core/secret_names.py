"""Names of environment variables that hold a secret value: one list for every family that passes variables to a
workload (ECS containers, Lambda functions), and the knobs that tune it."""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from .registry import config_list, string_list

# References to a secret (`*_SECRET_ARN`, `*_PASSWORD_FILE`) and keys that are not cryptographic (`S3_KEY_PREFIX`,
# `CACHE_KEY_TTL`, `PARTITION_KEY`) stay clean.
_REFERENCE = r"(?!_(ARN|NAME|ID|PATH|FILE|REF|VERSION)$)"
DEFAULT_SECRET_KEY_PATTERNS = [
    # The AWS Config rule's defaults...
    r"^AWS_ACCESS_KEY_ID$", r"^AWS_SECRET_ACCESS_KEY$", r"^ECS_ENGINE_AUTH_DATA$",
    # ...passwords, secrets and credentials (not references to them)...
    rf"(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|CREDENTIALS?){_REFERENCE}(_|$)",
    # ...keys whose qualifier says they are key material, optionally encoded...
    r"(^|_)(PRIVATE|SIGNING|ENCRYPTION|ENCRYPT|DECRYPTION|HMAC|MASTER|SESSION|JWT|API|ACCESS|CLIENT|AUTH|SSH"
    r"|WEBHOOK)_?KEY(_(PEM|DER|B64|BASE64|HEX|BYTES|MATERIAL))?$",
    # ...and tokens.
    r"(^|_)TOKEN$",
]

SECRET_NAME_KNOBS = {
    "secretKeyPatterns": string_list(
        "Regular expressions (case-insensitive) for environment variable names that look like secrets.",
        DEFAULT_SECRET_KEY_PATTERNS),
    "allowedKeys": string_list("Environment variable names that match a pattern but are not secrets."),
}


def secret_like(args, names: Iterable[str]) -> Iterator[str]:
    """The names that look like secrets under the policy's knobs (`SECRET_NAME_KNOBS`), in order."""
    patterns = [re.compile(p, re.IGNORECASE)
                for p in config_list(args, "secretKeyPatterns")]
    allowed = set(config_list(args, "allowedKeys"))
    return (name for name in names if name and name not in allowed and any(p.search(name) for p in patterns))
