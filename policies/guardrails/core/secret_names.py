"""Environment variables that hold a secret value, told by their names (one list) or by what their values look
like (detect-secrets), for every family that passes variables to a workload (ECS containers and the overrides
EventBridge gives them, Lambda functions, Batch job definitions, App Runner services, CodeBuild projects), and the
knobs that tune it."""
from __future__ import annotations

import math
import re
import threading
from collections import Counter
from typing import Any, Callable, Iterable, Iterator, Optional

from .registry import config_list, string_list

# Names are read as words: `dbPassword`, `db-password` and `spring.datasource.password` as DB_PASSWORD and
# SPRING_DATASOURCE_PASSWORD (`normalised`), so each pattern below matches whole words, not substrings: PASSPORT_ID,
# BYPASS_CACHE and COMPASS_URL hold no PASS word.
#
# Keys that are not cryptographic (`S3_KEY_PREFIX`, `CACHE_KEY_TTL`, `PARTITION_KEY`) stay clean, and so does a
# password, secret or credentials word followed, anywhere later in the name, by a token that says the variable holds
# something else:
# - where the secret is kept, not the secret (`DB_PASSWORD_SECRET_ARN`, `DB_PASSWORD_SSM_PARAMETER`,
#   `CREDENTIALS_SECRET_ID`, `AWS_SHARED_CREDENTIALS_FILE`, ECS's `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`,
#   `SECRETS_MANAGER_ENDPOINT`, `VAULT_SECRET_MOUNT`, systemd's `CREDENTIALS_DIRECTORY`,
#   `SSL_KEY_PASSWORD_LOCATION`). Not URL: a `WEBHOOK_SECRET_URL`, like Slack's webhook URL, is itself the credential;
#   not STORE: a `SESSION_STORE_URL` may hold a password, so a message still suggests `<name>_ARN` for it;
_REFERENCE = r"(ARN|NAME|ID|PATH|FILE|REF|VERSION|PARAM|PARAMETER|URI|ENDPOINT|MOUNT|PREFIX|LOCATION|DIR|DIRECTORY)S?"
# - a rule about such secrets, no part of one (`PASSWORD_MIN_LENGTH`, `PASSWORD_RESET_URL`, `SECRET_ROTATION_DAYS`,
#   `JWT_SECRET_EXPIRES_IN`; sshd's `PASSWORD_AUTHENTICATION` mode and its `_METHOD` or `_TYPE`, AUTHENTICATION
#   straight after the password word: `DB_PASSWORD_FOR_AUTHENTICATION` is one), or the code that handles them
#   (Spring's `passwordEncoder`, `PASSWORD_HASHER`, `PASSWORD_HASH_ALGORITHM`, `CREDENTIALS_PROVIDER`). HASH itself
#   is not such a word: `ADMIN_PASSWORD_HASH`, like code-server's `HASHED_PASSWORD`, is what a login is checked
#   against, and cracked offline it is the password.
_ABOUT = (r"(MIN|MAX|LENGTH|POLICY|RESET|EXPIRY|EXPIRATION|EXPIRES|ROTATION|TTL|ENCODER|HASHER|ALGORITHM|ALGO"
          r"|PROVIDER)")
_NOT_THE_VALUE = rf"(?!(_[A-Z0-9]+)*_({_REFERENCE}|{_ABOUT})(_|$))(?!_AUTHENTICATION(_|$))"
# A switch is about a password, not one: a yes/no word before the password word (the MySQL and MariaDB images'
# `MYSQL_ALLOW_EMPTY_PASSWORD` and `MARIADB_RANDOM_ROOT_PASSWORD`: start without one, or make one up; Bitnami's
# `ALLOW_EMPTY_PASSWORD`; `ENABLE_PASSWORD_LOGIN`), or a name that ends in one (`PASSWORD_AUTH_ENABLED`,
# `SECRET_MANAGER_ENABLED`). `RANDOM_SECRET` is a secret: only passwords have such switches.
_SWITCH = r"(ALLOW|EMPTY|RANDOM|ENABLE|ENABLED|DISABLE|DISABLED)"
_NOT_A_SWITCH = rf"(?!(.*_)?{_SWITCH}_(.*_)?([A-Z0-9]*PASSWORD|PASSWD|PASS|PWD)(_|$))(?!.*_{_SWITCH}$)"
# PASS (as the last word: `PASS_THROUGH` is none) and PWD are passwords after the account, service or store they
# unlock (`DB_PASS`, RabbitMQ's `RABBITMQ_DEFAULT_PASS`, `KEYSTORE_PASS`, MySQL's client `MYSQL_PWD`), whatever it
# is: a guardrail's false alarm costs an allowedKeys entry, a miss a password in the task definition. Alone, or
# after a word that makes them something else, they are not: a render or encoding pass (`FIRST_PASS`, `ONE_PASS`),
# nginx's `PROXY_PASS` (an upstream URL), the shell's working directory `PWD` (`HOME_PWD`, `USE_PWD`; OLDPWD is one
# word).
_NOT_AN_ACCOUNT = (r"(FIRST|SECOND|THIRD|LAST|NEXT|FINAL|ONE|TWO|SINGLE|MULTI|DOUBLE|RENDER|DRAW|COMPILE|BUILD"
                   r"|HOME|USE|OLD|CURRENT|WORKING|WORK|INITIAL|START|BASE)")
_ACCOUNT_PASS = rf"(?!(.*_)?({_NOT_AN_ACCOUNT}_(PWD|PASS)|PROXY_PASS)(_|$))(.*_)?[A-Z0-9]+_(PWD|PASS$)"
# Google's client libraries read the path of a key file from GOOGLE_APPLICATION_CREDENTIALS (that name only).
_A_PATH = r"(?!(?<=^GOOGLE_APPLICATION_CREDENTIALS)$)"
_REFERENCE_NAME = re.compile(rf"_{_REFERENCE}(_|$)", re.IGNORECASE)
DEFAULT_SECRET_KEY_PATTERNS = [
    # The AWS Config rule's defaults...
    r"^AWS_ACCESS_KEY_ID$", r"^AWS_SECRET_ACCESS_KEY$", r"^ECS_ENGINE_AUTH_DATA$",
    # ...passwords, secrets and credentials (not references to them, rules about them, nor switches), with any word
    # that ends in PASSWORD (libpq's PGPASSWORD, mongo-express's ME_CONFIG_MONGODB_ADMINPASSWORD) and an account's
    # PASS or PWD...
    rf"^{_NOT_A_SWITCH}(.*_)?([A-Z0-9]*PASSWORD|PASSWD|PASSPHRASE|SECRET|CREDENTIALS?)"
    rf"{_A_PATH}{_NOT_THE_VALUE}(_|$)",
    # ...several of them, as the last word or in a format (APP_SECRETS, DB_PASSWORDS_JSON): a plural before other
    # words names a service or its settings (SECRETS_MANAGER_REGION, AWS's PARAMETERS_SECRETS_EXTENSION_*)...
    rf"^{_NOT_A_SWITCH}(.*_)?([A-Z0-9]*PASSWORDS|PASSWDS|PASSPHRASES|SECRETS)(_(JSON|YAML|B64|BASE64))?$",
    rf"^{_NOT_A_SWITCH}{_ACCOUNT_PASS}{_NOT_THE_VALUE}(_|$)",
    # ...keys whose qualifier says they are key material, optionally encoded (Laravel's and Datadog's APP_KEY, New
    # Relic's LICENSE_KEY), and the cookie Erlang nodes (RabbitMQ's cluster) authenticate each other with...
    r"(^|_)(PRIVATE|SIGNING|ENCRYPTION|ENCRYPT|DECRYPTION|HMAC|MASTER|SESSION|JWT|API|ACCESS|CLIENT|AUTH|SSH"
    r"|WEBHOOK|APP|LICENSE|AES|CIPHER)_?KEYS?(_(PEM|DER|B64|BASE64|HEX|BYTES|MATERIAL))?$",
    r"(^|_)ERLANG_COOKIE$",
    # ...WordPress's keys and salts (wp-config.php; the official image's WORDPRESS_<NAME>), which sign its login
    # cookies: whoever has them can forge a session...
    r"(^|_)(AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(KEY|SALT)$",
    # ...and tokens, not a limit on them (an LLM's MAX_TOKEN).
    r"(^|(?<!MAX)(?<!MIN)_)TOKEN$",
]

SECRET_NAME_KNOBS = {
    "secretKeyPatterns": string_list(
        "Regular expressions (case-insensitive) for environment variable names that look like secrets. The default "
        "patterns see each name split into words joined by `_` (dbPassword, db-password: DB_PASSWORD); any other "
        "pattern sees both that and the name as written (`^db-`, `\\.password$`).",
        DEFAULT_SECRET_KEY_PATTERNS),
    "allowedKeys": string_list(
        "Environment variable names that match a pattern but are not secrets; a name is allowed as written or read "
        "as words (DB_PASSWORD allows dbPassword and db-password)."),
}


def normalised(name: str) -> str:
    """The name's words, upper case, joined by `_`: split where a lower-case letter or digit meets an upper-case one
    (`dbPassword`), where an acronym meets a word (`JWTSecret`), and at any other character (`db-password`,
    `spring.datasource.password`)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", words)
    return "_".join(w for w in re.split(r"[^A-Za-z0-9]+", words) if w).upper()


def _name_verdict(args) -> Callable[[Any], Optional[bool]]:
    """A function of one variable name: None when it is no name (not a string, empty) or `allowedKeys` allows it
    (as written, or the same words as one there), else whether it looks like a secret under the policy's knobs
    (`SECRET_NAME_KNOBS`). The default patterns see the name `normalised`; a pattern of the policy config sees it
    as written too, since it was likely written for names as the program spells them (`\\.password$`)."""
    patterns = [(re.compile(p, re.IGNORECASE), p not in DEFAULT_SECRET_KEY_PATTERNS)
                for p in config_list(args, "secretKeyPatterns")]
    allowed = set(config_list(args, "allowedKeys"))
    allowed_words = {normalised(a) for a in allowed if isinstance(a, str)}

    def verdict(name: Any) -> Optional[bool]:
        if not isinstance(name, str) or not name or name in allowed:
            return None
        words = normalised(name)
        if words in allowed_words:
            return None
        return any(p.search(words) or (raw_too and p.search(name)) for p, raw_too in patterns)
    return verdict


# Values are read by Yelp's detect-secrets (the library chosen here; Checkov's CKV_AWS_45, the analogous check, has
# its own patterns), through its own ad-hoc scan (`scan_line`, with its default filters), so that a secret under an
# innocuous name is found: a password in a URL (`postgres://app:hunter2@db/x`), a PEM private key in TLS_KEY, a
# GitHub, Slack or Stripe token, an AWS access key id. Only the plugins that know a secret by its shape run, not:
# - KeywordDetector, which judges `name = value` by the name: the patterns above do that, with their knobs;
# - the high-entropy Base64 and hex detectors: any digest, id or image hash is random text too;
# - IPPublicDetector: an address is no secret;
# - ArtifactoryDetector, whose `AP` + 9 letters or digits after a `:` or `=` matches ordinary words and ARNs
#   (`...:stateMachine:APDailyPayments`; Yelp/detect-secrets#695), and TwilioKeyDetector, which finds Twilio's
#   account and key SIDs (`AC`/`SK` + 32), identifiers, not secrets.
# No plugin verifies what it finds (that would call the vendor's API): the library's verification filter is off
# unless configured, and it is not. A URL's password is one without the characters a URL reserves (`$`, `:`, `(`,
# `*`...), and the library's filters drop one wrapped in `{}` or `<>`, so a placeholder (`${DB_PASSWORD}`,
# `$DB_PASSWORD`, `$(...)`, `{{resolve:...}}`, `{{password}}`, `<password>`) is no finding, nor is a URL without one.
# Nor is a printf field where the password goes (`postgres://app:%s@db`, `%(password)s`), which the library takes
# for one: `_PLACEHOLDER` drops it.
_NOT_BY_SHAPE = frozenset({"KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector",
                           "ArtifactoryDetector", "TwilioKeyDetector"})
_PLACEHOLDER = re.compile(r"%(\(\w+\))?[sdr]")
# The library keeps its plugins in global settings that a scan swaps in and out, and pulumi-policy's analyzer runs
# policies on a thread pool: one scan at a time.
_SCAN = threading.Lock()


# Three shapes detect-secrets misses are told here:
# - a URL's password with no user before it (`redis://:password@cache:6379`, Redis's AUTH without an ACL user):
#   BasicAuthDetector wants one (`://user:password@`). Such a URL is scanned with a stand-in user, so the library's
#   detector and filters judge its password as any other (a placeholder, `redis://:@cache` are still none);
_NO_USER = re.compile(r"://:(?=[^\s/@]+@)")
# - a bare AWS secret access key: 40 base64 characters (30 random bytes), which the library finds only after an
#   `aws...key = "` in the same line, never in a variable's value. The whole value must be one, mixing upper- and
#   lower-case letters and digits (no hex digest, such as a git commit, does), and be as random as a key: a
#   Shannon entropy of at least 4.3 bits a character, under which about 4 keys in 10,000 fall, and which a path or
#   CamelCase name of that length does not reach (about 4.0 and 4.2). A `/` is no sign either way: about half of
#   all keys hold one. Base64 of 30 bytes of anything else has the same shape: a false alarm costs an allowedKeys
#   entry.
# - a password in a connection string's `key=value` pairs: ADO.NET's and ODBC's `Password=...;` (or `Pwd=`, ODBC's
#   braced `Pwd={...}` taking `;` inside), JDBC's and libpq's `?user=app&password=...` or `password=...` among words,
#   a JAAS line's `password="..."`. detect-secrets knows a URL's userinfo only. The value's quotes are read off; a
#   value that is wholly a placeholder is none: `${...}` (Spring's `${X:}`, the shell's `${X:-y}`), `$X`, `$(X)`,
#   `%X%`, `%s`, `%(name)s`, `{0}` or `{name}` (a format field: an index or a lower-case name; ODBC's braces around
#   anything else hold a password), `{{...}}`, `<%...%>`, `<...>`, `***`; so are an empty value and the shell's
#   `PWD=/path`. A quoted or braced value is read to 256 characters at most, so a long value without its closing
#   mark costs a bounded look from each `password=`, never the rest of the value.
_CONNECTION_PASSWORD = re.compile(
    r"(?i)(?:^|[;?&\s])(password|pwd|passwd)\s*=\s*"
    r"(\{\{[^}]{0,256}\}\}|<%[^%]{0,256}%>|\{[^}]{0,256}\}|\"[^\"]{0,256}\"|'[^']{0,256}'|[^;&\s]+)")
_PLACEHOLDER_VALUE = re.compile(
    r"\$\{[^}]*\}|\$\([^)]*\)|\$\w+|%\w+%|%(\(\w+\))?[sdr]|\{(\d+|[a-z_][a-z0-9_]*)\}|\{\{.*\}\}|<%.*%>|<[^<>]*>|\**",
    re.DOTALL)


def _connection_password(value: str) -> bool:
    for found in _CONNECTION_PASSWORD.finditer(value):
        key, password = found.group(1), found.group(2)
        if password[:1] in "\"'" and password[-1:] == password[:1]:
            password = password[1:-1]
        if not _PLACEHOLDER_VALUE.fullmatch(password) and not (key.lower() == "pwd" and password.startswith("/")):
            return True
    return False


_AWS_SECRET_KEY = re.compile(r"(?=[^a-z]*[a-z])(?=[^A-Z]*[A-Z])(?=[^0-9]*[0-9])[A-Za-z0-9/+]{40}")
_KEY_BITS = 4.3


def _entropy(value: str) -> float:
    """Shannon entropy in bits a character."""
    return -sum(n / len(value) * math.log2(n / len(value)) for n in Counter(value).values())


def _aws_secret_key(value: str) -> bool:
    key = value.strip()  # a key pasted from a file or a terminal brings its line break along
    return bool(_AWS_SECRET_KEY.fullmatch(key)) and _entropy(key) >= _KEY_BITS


def secret_kinds(values: list[str]) -> list[list[str]]:
    """For each value, the kinds of secret its shape gives away, sorted, each saying who told it: detect-secrets'
    plugins by their `secret_type` ("Basic Auth Credentials (detect-secrets)", "Private Key (detect-secrets)"), this
    module a bare AWS secret access key ("AWS Secret Access Key (its shape)") and a connection string's password
    ("Connection String Password (its shape)"); [] for none. The library (and
    `requests`, which it imports) is loaded at the first call, so a stack without plain values never loads it."""
    if not values:
        return []
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import transient_settings

    with _SCAN:
        plugins = [{"name": plugin.__name__} for plugin in get_mapping_from_secret_type_to_class().values()
                   if plugin.__name__ not in _NOT_BY_SHAPE]
        with transient_settings({"plugins_used": plugins}):
            told = [{f"{secret.type} (detect-secrets)" for secret in scan_line(_NO_USER.sub("://_:", value))
                     if not _PLACEHOLDER.fullmatch(secret.secret_value or "")} for value in values]
    return [sorted(kinds | ({"AWS Secret Access Key (its shape)"} if _aws_secret_key(value) else set())
                   | ({"Connection String Password (its shape)"} if _connection_password(value) else set()))
            for kinds, value in zip(told, values)]


def secret_variables(args, variables: Iterable[tuple[Any, Any]]) -> Iterator[tuple[str, Optional[str]]]:
    """(name, kind) for each (name, value) variable that holds a secret, in order: kind None when its name looks
    like one under the policy's knobs, else the kinds of secret its value holds (`secret_kinds`, joined by " and ").
    A name `allowedKeys` allows is neither; only a string value is scanned, so one unknown until the update
    (`peek`'s UNKNOWN) is never a finding."""
    verdict = _name_verdict(args)
    judged = [(name, verdict(name), value) for name, value in variables]
    # A value is scanned when its name is judged and clean, and it is a known, non-empty string.
    scan = [by_name is False and isinstance(value, str) and value != "" for _, by_name, value in judged]
    kinds = iter(secret_kinds([value for (_, _, value), scanned in zip(judged, scan) if scanned]))
    for (name, by_name, _), scanned in zip(judged, scan):
        found = next(kinds) if scanned else []
        if by_name or found:
            yield name, None if by_name else " and ".join(found)


def plainly(name: str, kind: Optional[str], plain: str) -> str:
    """How a finding says a variable is passed: "<NAME> as a plain <plain>", and what its value holds (and who told
    it) when the value, not the name, gave it away. Never the value itself."""
    held = f" whose value holds {kind}" if kind else ""
    return f"{name} as a plain {plain}{held}"


def secret_env_findings(args, variables: Iterable[tuple[Any, Any]], passes: str, fix: str, *,
                        plain: str = "environment variable") -> Iterator[str]:
    """A finding for each (name, value) variable that holds a secret (`secret_variables`): "<passes> <NAME> as a
    plain <plain>[ whose value holds <kind> (<who told it>)]; <fix>", where `passes` says who passes it
    ("container 'app' passes") and `fix` how to pass a secret there instead. One finding per variable, whether
    its name or its value gave it away; only the name is said, never the value."""
    for name, kind in secret_variables(args, variables):
        yield f"{passes} {plainly(name, kind, plain)}; {fix}"


def names_a_reference(name: str) -> bool:
    """Whether a later token of the name says it holds where a secret is kept (`DB_PASSWORD_SECRET_ARN`): a
    pattern of the policy config may still match it, but a message must not suggest `<name>_ARN` for it."""
    return bool(_REFERENCE_NAME.search(normalised(name)))
