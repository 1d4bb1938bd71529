"""Names of environment variables that hold a secret value: one list for every family that passes variables to a
workload (ECS containers and the overrides EventBridge gives them, Lambda functions, Batch job definitions, App
Runner services), and the knobs that tune it."""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from .registry import config_list, string_list

# Names are read as words: `dbPassword`, `db-password` and `spring.datasource.password` as DB_PASSWORD and
# SPRING_DATASOURCE_PASSWORD (`normalised`), so each pattern below matches whole words, not substrings: PASSPORT_ID,
# BYPASS_CACHE and COMPASS_URL hold no PASS word.
#
# Keys that are not cryptographic (`S3_KEY_PREFIX`, `CACHE_KEY_TTL`, `PARTITION_KEY`) stay clean, and so does a
# password, secret or credentials word followed, anywhere later in the name, by a token that says the variable holds
# something else:
# - where the secret is kept, not the secret (`DB_PASSWORD_SECRET_ARN`, `DB_PASSWORD_SSM_PARAMETER`,
#   `CREDENTIALS_SECRET_ID`, `AWS_SHARED_CREDENTIALS_FILE`);
_REFERENCE = r"(ARN|NAME|ID|PATH|FILE|REF|VERSION|PARAM|PARAMETER)S?"
# - a rule about such secrets, no part of one (`PASSWORD_MIN_LENGTH`, `PASSWORD_RESET_URL`, `SECRET_ROTATION_DAYS`).
_ABOUT = r"(MIN|MAX|LENGTH|POLICY|RESET|EXPIRY|EXPIRATION|ROTATION|TTL)"
_NOT_THE_VALUE = rf"(?!(_[A-Z0-9]+)*_({_REFERENCE}|{_ABOUT})(_|$))"
# Google's client libraries read the path of a key file from GOOGLE_APPLICATION_CREDENTIALS (that name only), and
# the shell keeps its working directory in PWD (OLDPWD is one word).
_A_PATH = r"(?!(?<=^GOOGLE_APPLICATION_CREDENTIALS)$)(?!(?<=^PWD)$)"
_REFERENCE_NAME = re.compile(rf"_{_REFERENCE}(_|$)", re.IGNORECASE)
DEFAULT_SECRET_KEY_PATTERNS = [
    # The AWS Config rule's defaults...
    r"^AWS_ACCESS_KEY_ID$", r"^AWS_SECRET_ACCESS_KEY$", r"^ECS_ENGINE_AUTH_DATA$",
    # ...passwords, secrets and credentials (not references to them, nor rules about them), with libpq's PGPASSWORD
    # and MySQL's MYSQL_PWD...
    rf"(^|_)(PASSWORD|PASSWD|PGPASSWORD|PWD|PASSPHRASE|SECRET|CREDENTIALS?){_A_PATH}{_NOT_THE_VALUE}(_|$)",
    # ...PASS as the last word (DB_PASS, RABBITMQ_DEFAULT_PASS; PASS_THROUGH is no password), but not nginx's
    # PROXY_PASS (an upstream URL)...
    r"(^|_)(?<!PROXY_)PASS$",
    # ...keys whose qualifier says they are key material, optionally encoded...
    r"(^|_)(PRIVATE|SIGNING|ENCRYPTION|ENCRYPT|DECRYPTION|HMAC|MASTER|SESSION|JWT|API|ACCESS|CLIENT|AUTH|SSH"
    r"|WEBHOOK)_?KEY(_(PEM|DER|B64|BASE64|HEX|BYTES|MATERIAL))?$",
    # ...and tokens.
    r"(^|_)TOKEN$",
]

SECRET_NAME_KNOBS = {
    "secretKeyPatterns": string_list(
        "Regular expressions (case-insensitive) for environment variable names that look like secrets, matched "
        "against each name split into words joined by `_` (dbPassword, db-password: DB_PASSWORD).",
        DEFAULT_SECRET_KEY_PATTERNS),
    "allowedKeys": string_list("Environment variable names that match a pattern but are not secrets."),
}


def normalised(name: str) -> str:
    """The name's words, upper case, joined by `_`: split where a lower-case letter or digit meets an upper-case one
    (`dbPassword`), where an acronym meets a word (`JWTSecret`), and at any other character (`db-password`,
    `spring.datasource.password`)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", words)
    return "_".join(w for w in re.split(r"[^A-Za-z0-9]+", words) if w).upper()


def secret_like(args, names: Iterable[str]) -> Iterator[str]:
    """The names that look like secrets under the policy's knobs (`SECRET_NAME_KNOBS`), in order: the patterns see
    each name `normalised`, `allowedKeys` the name as written."""
    patterns = [re.compile(p, re.IGNORECASE)
                for p in config_list(args, "secretKeyPatterns")]
    allowed = set(config_list(args, "allowedKeys"))
    return (name for name in names
            if name and name not in allowed and any(p.search(normalised(name)) for p in patterns))


def names_a_reference(name: str) -> bool:
    """Whether a later token of the name says it holds where a secret is kept (`DB_PASSWORD_SECRET_ARN`): a
    pattern of the policy config may still match it, but a message must not suggest `<name>_ARN` for it."""
    return bool(_REFERENCE_NAME.search(normalised(name)))
