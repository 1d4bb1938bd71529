"""Reading engine-shaped props: camelCase wire names behind pulumi-policy's unknown-checking proxy.

The analyzer hands policies the resource inputs after the provider's check, wrapped in
`pulumi_policy.proxy.unknown_checking_proxy`: dicts become read-only `Mapping`s and lists become
`Sequence`s (not `dict`/`list`), and reading a value that is unknown during preview raises
`UnknownValueError`. The analyzer turns that into an advisory "can't run during preview" note, so
these helpers let it propagate: an unknown value must never turn into a violation. Where a check
needs a verdict per item instead (stack policies), `peek` and `unless_unknown` give the tri-state.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any, Callable, Iterable, NoReturn, Optional

from pulumi_policy.proxy import UNKNOWN_OBJECT_VALUE, UnknownValueError


def is_map(value: Any) -> bool:
    return isinstance(value, Mapping)


def is_seq(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def dig(value: Any, *path: str | int) -> Any:
    """Walk nested maps/sequences (plain or proxied); return None where a step is missing."""
    for step in path:
        if value is None:
            return None
        if isinstance(step, int):
            if not is_seq(value) or not -len(value) <= step < len(value):
                return None
            value = value[step]
        elif is_map(value):
            value = value.get(step)
        else:
            return None
    return value


def as_list(value: Any) -> list:
    """A wire list as a Python list ([] when absent). A lone object counts as a one-item list."""
    if value is None:
        return []
    if is_seq(value):
        return list(value)
    return [value]


def is_true(value: Any) -> bool:
    """True for a wire boolean true (mocks and the engine may also hand over "true")."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() == "false")


def switched_off(props: Any, key: str) -> Optional[str]:
    """How a protection switch whose default is off reads when it is not known to be on: 'false', or 'unset
    (false)' where it is left out; None when it is on, or unknown until the update."""
    setting = peek(props, key)
    if setting is UNKNOWN or is_true(setting):
        return None
    return "false" if setting is not None else "unset (false)"


def too_few_days(props: Any, key: str, minimum: int, left_out: str, kept: str, whom: str, before: str,
                 zero: Optional[str] = None) -> Optional[str]:
    """The finding of a retention period in days, `key`, shorter than `minimum` (a policy's minimumDays knob), or
    None: long enough, unknown until the update, or no number. Left out, the service keeps 1 day (CreateDBInstance,
    CreateDBCluster of RDS, DocumentDB and Neptune, Redshift's CreateCluster: "Default: 1"), which `left_out` says;
    `zero` says what 0 means: backups off where the service takes it (RDS's DB instances, Redshift), a value RDS
    refuses for a DB cluster (CreateDBCluster: 1 to 35); each keeps 35 days at most.
    `kept` names what is kept, `whom` the resource (with its article), `before` what a restore undoes."""
    days = peek(props, key)
    count = 1 if days is None else number(days)
    if count is UNKNOWN or count is None or count >= minimum:
        return None
    what = (f"left out: {left_out}" if days is None else f"0: {zero}" if count == 0 and zero else
            f"{num(count)} day{'' if count == 1 else 's'}")
    return (f"{key} is {what}, fewer than the {minimum} days of {kept} {whom} must keep to be restored to a point "
            f"before {before}; set {key} to {minimum} or more (at most 35)")


_IS = {True: is_true, False: is_false}


def _word(value: bool) -> str:
    return "true" if value else "false"


def switch_reading(props: Any, path: str, *, wanted: bool = True, left_out: bool = False,
                   block: bool = False) -> Optional[str]:
    """How the setting at dotted `path` reads where it is known not to be `wanted`, as '<path> is <reading>', or None:
    wanted, or unknown until the update. `left_out` is what the resource gets where the setting is left out. Where
    that is wanted, only the other word fails (in any case, as `is_true` reads it); where it is not, anything short of
    the wanted word does, a value of another kind too ('<path> is false'), and leaving it out reads '<path> is unset
    (false)', as `switched_off` says. With `block`, leaving out the setting's block reads '<block> is left out (off)'
    (OpenSearch's `encryptAtRest.enabled`, Firehose's `serverSideEncryption.enabled`)."""
    *parents, key = path.split(".")
    holder = peek(props, *parents)
    if holder is UNKNOWN:
        return None
    if block and holder is None:
        return f"{'.'.join(parents)} is left out (off)"
    value = peek(holder, key)
    if value is UNKNOWN or _IS[wanted](value):
        return None
    if left_out == wanted:  # left out passes: only the other word fails
        return f"{path} is {_word(not wanted)}" if _IS[not wanted](value) else None
    return f"{path} is {'unset (' + _word(left_out) + ')' if value is None else _word(not wanted)}"


def logs_left_out(props: Any, key: str, required: Sequence[str]) -> Any:
    """The logs of `required` a log-export list, `key` (RDS's, DocumentDB's `enabledCloudwatchLogsExports`), is known
    to leave out, with how the list reads in a finding: ([logs], 'leaves out <logs>') where it exports others,
    'is left out' where it is, 'is empty'; None where it holds them all, UNKNOWN where the list, or an item of it
    that may be one of them, is unknown until the update."""
    exported = peek_items(props, key)
    missing = [log for log in required if log not in exported]
    if not missing:
        return None
    if UNKNOWN in exported:
        return UNKNOWN
    given = peek(props, key)
    return missing, f"leaves out {in_words(missing)}" if exported else "is left out" if given is None else "is empty"


def has_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def upper_text(value: Any) -> Any:
    """Text in upper case, as an API spells its names and states (ENABLED, ACTIVEMQ) where a program may write them in
    any case; UNKNOWN as it is; None for anything else (left out, or no text)."""
    return value.upper() if isinstance(value, str) else value if value is UNKNOWN else None


def lower_text(value: Any) -> Any:
    """`upper_text`, in lower case (an ACL entry's `allow` or `deny`)."""
    return value.lower() if isinstance(value, str) else value if value is UNKNOWN else None


def num(value: Any) -> Any:
    """A wire number for messages: protobuf turns every number into a float (8080.0 -> 8080)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def in_words(items: Sequence[str]) -> str:
    """Items as a message lists them: `a`, `a and b`, `a, b and c`; empty for none."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]])) if items else ""


def number(value: Any) -> Any:
    """A wire value as a number, or None: a number, or text that is one ("443": a program may pass a config string
    where the schema wants a number, and a policy must judge it, not raise); UNKNOWN stays UNKNOWN. A boolean is no
    number here."""
    if value is UNKNOWN or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        try:
            parsed = float(value.strip())
        except ValueError:
            return None
        return parsed if math.isfinite(parsed) else None
    return None


_VERSION = re.compile(r"\d+(?:\.\d+)*")


def version_numbers(text: Any, *, within: bool = False) -> Optional[tuple[int, ...]]:
    """The numbers of a dotted version, to compare ("1.4.0": (1, 4, 0)): the whole text, or with `within` the first run
    of them in it (an RDS engine version "16.00.4185.3.v1", a parameter group family "mysql8.0"); None for no text,
    UNKNOWN, or text without such a version."""
    if not isinstance(text, str):
        return None
    found = _VERSION.search(text) if within else _VERSION.fullmatch(text)
    return tuple(int(part) for part in found.group().split(".")) if found else None


def json_object(value: Any) -> Any:
    """Decode a JSON string (e.g. provider config blocks); maps pass through; None when undecodable."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def member(value: Any, name: str) -> Any:
    """A member of decoded API JSON in any case, the last spelling winning: the provider decodes such strings (ECS
    container definitions and overrides, Batch container properties) with Go's encoding/json, which matches keys to
    the SDK's fields ignoring case. None where missing or `value` is no map."""
    key = member_key(value, name)
    return None if key is None else value[key]


def member_key(value: Any, name: str) -> Optional[str]:
    """The key `member` reads `name` by, as written (its last spelling), or None where it is left out."""
    found = None
    for key in (value if is_map(value) else ()):
        if isinstance(key, str) and key.lower() == name.lower():
            found = key
    return found


def is_set(block: Any, key: str) -> bool:
    """Whether `block[key]` holds a value, counting a value unknown during preview as set.

    Presence is known even when the value is not (e.g. `destinationArn = log_group.arn` on a first
    preview), so a presence check must not turn an unknown into "missing". Keys are read by iterating
    the proxy, which does not touch values.
    """
    if not is_map(block) or key not in list(iter(block)):
        return False
    try:
        value = block[key]
    except UnknownValueError:
        return True
    if is_map(value) or is_seq(value):
        return len(value) > 0  # a length reads no member: comparing with {} or [] would read each (unknown) value
    return value is not None and value != ""


def is_present(block: Any, key: str) -> bool:
    """Whether `block` has `key` at all (an empty `{}` block counts), reading no value but that one."""
    if not is_map(block) or key not in list(iter(block)):
        return False
    try:
        return block[key] is not None
    except UnknownValueError:
        return True


def copies_a_source(props: Any, *keys: str) -> bool:
    """Whether a database takes its data from a source one of `keys` names (a snapshot, a replication source, a
    point-in-time restore block), or may: text that is not blank, any other value (a block), or one unknown until the
    update. The provider starts a restore or a replica only for a value that is set (terraform-provider-aws reads
    them with GetOk, which takes "" for unset), and the database then takes its source's encryption, admin user and
    databases rather than those the program gives."""
    for key in keys:
        value = peek(props, key)
        if value is not None and (not isinstance(value, str) or value.strip() != ""):
            return True
    return False


def any_of(answers: Iterable[Optional[bool]]) -> Optional[bool]:
    """Three-valued OR of a check's answers: True if any is True; None (can't tell) if any is None; else False."""
    answers = list(answers)
    return True if True in answers else (None if None in answers else False)


def all_of(answers: Iterable[Optional[bool]]) -> Optional[bool]:
    """Three-valued AND: False if any answer is False; None (can't tell) if any is None; else True."""
    answers = list(answers)
    return False if False in answers else (None if None in answers else True)


def has_any(block: Any, *keys: str) -> bool:
    return any(is_set(block, k) for k in keys)


def unless_unknown(read: Callable[..., Any], *args: Any) -> Any:
    """`read(*args)`, or None when it touches a value unknown during preview ("can't tell yet").

    For per-resource work inside stack policies, so one unknown skips that resource instead of the
    whole stack check. Never treat the None as a violation.
    """
    try:
        return read(*args)
    except UnknownValueError:
        return None


UNKNOWN = object()
"""What `peek` returns for a value unknown during preview (None means missing)."""


def cannot_judge(*path: str) -> NoReturn:
    """Stop the check as reading an unknown value does (the analyzer reports it could not run), for a check that
    read around the unknown values under `path` with `peek` and found that they decide its verdict."""
    raise UnknownValueError(UNKNOWN_OBJECT_VALUE, list(path))


def peek(value: Any, *path: str | int) -> Any:
    """`dig`, but UNKNOWN instead of raising when the value is unknown during preview."""
    try:
        return dig(value, *path)
    except UnknownValueError:
        return UNKNOWN


def peek_items(value: Any, *path: str | int) -> list:
    """A list prop's items (a lone value counts as one), each UNKNOWN where unknown during preview.

    Iterating the unknown-checking proxy raises on the first unknown item; stack policies that must judge the
    known items (`securityGroups = [sg.id, "sg-123"]`) read them one by one instead.
    """
    items = peek(value, *path)
    if items is UNKNOWN:
        return [UNKNOWN]
    if not is_seq(items):
        return [] if items is None else [items]
    return [peek(items, i) for i in range(len(items))]


def peek_path_items(value: Any, *path: str) -> list:
    """The values under `path`, through maps and each list's items alike (`monitors[].alarmArn`), each UNKNOWN where
    a step is unknown until the update or is not a map (so an odd shape is never read as naming nothing)."""
    values = [value]
    for step in path:
        values = [item for found in values for item in (peek_items(found, step) if is_map(found) else [UNKNOWN])]
    return values


def peek_entries(value: Any, *path: str | int) -> list[tuple[Any, Any]]:
    """A map prop's (key, value) entries, each value UNKNOWN where unknown during preview, read key by key as
    `peek_items` reads a list's items; [] for anything but a map (an unknown map too)."""
    entries = peek(value, *path)
    return [(key, peek(entries, key)) for key in list(iter(entries))] if is_map(entries) else []


# --- matching names ---------------------------------------------------------------------------------


def has_unknown(value: Any) -> bool:
    """Whether a value, or anything inside it, is unknown during preview (read key by key and item by item, so the
    unknown-checking proxy never raises)."""
    if value is UNKNOWN:
        return True
    if is_map(value):
        return any(has_unknown(entry) for _, entry in peek_entries(value))
    if is_seq(value):
        return any(has_unknown(item) for item in peek_items(value))
    return False


def in_domain(hostname: str, suffixes: Iterable[str]) -> bool:
    """Whether `hostname` is one of the DNS suffixes or below one (case-insensitive)."""
    host = hostname.lower().rstrip(".")
    return any(host == s.lower().strip(".") or host.endswith("." + s.lower().strip(".")) for s in suffixes)


def glob_match(value: str, patterns: Iterable[str]) -> bool:
    """Case-insensitive match against exact names or `*.example.com`-style wildcards."""
    value = value.lower().rstrip(".")
    for pattern in patterns:
        regex = re.escape(pattern.lower().rstrip(".")).replace(r"\*", "[^.]+")
        if re.fullmatch(regex, value):
            return True
    return False


def named_by(names: Iterable[str], patterns: Iterable[str]) -> bool:
    """Whether a policy config knob names the resource by one of its names: shell-style wildcards across the whole
    name (unlike `glob_match`, `*` spans dots), case-insensitive."""
    patterns = [p.lower() for p in patterns]
    return any(fnmatchcase(name.lower(), p) for name in names for p in patterns)


def iam_like(value: str, pattern: str) -> bool:
    """IAM's wildcard match (StringLike, Action, Resource): `*` any run of characters (colons and slashes too),
    `?` one character, brackets literal; case-sensitive."""
    return fnmatchcase(value, pattern.replace("[", "[[]"))


def aws_managed_key(key: Any) -> bool:
    """Whether a KMS key reference is an AWS managed key, named by its alias (`alias/aws/<service>`, or an alias ARN
    ending in one): its key policy is AWS's, so nobody decides who may decrypt."""
    return isinstance(key, str) and "alias/aws/" in key


def lacks_customer_key(key: Any) -> bool:
    """Whether a KMS key reference is known to name no customer managed key: left out (blank, or no text), or an AWS
    managed key (`aws_managed_key`); False where it names another key, or is unknown until the update."""
    return key is not UNKNOWN and (not has_text(key) or aws_managed_key(key))


def arn_account(arn: Any) -> Optional[str]:
    """The account field of a known ARN when it names one account (12 digits, no wildcard); else None (an S3
    bucket's ARN has none, a pattern may leave it open)."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    return parts[4] if len(parts) == 6 and parts[4].isdigit() and len(parts[4]) == 12 else None


def arn_region(arn: Any) -> Optional[str]:
    """The region field of a known ARN (empty for a global service's, as IAM's); None for anything else."""
    parts = arn.split(":", 5) if isinstance(arn, str) and arn.startswith("arn:") else []
    return parts[3] if len(parts) == 6 else None


def arn_like(arn: Sequence[Optional[str]], pattern: str) -> bool:
    """IAM's ArnLike and ArnEquals: each of the six colon-delimited components of `arn` (arn, partition, service,
    region, account, resource) matched separately against the pattern's, with `iam_like`, so no wildcard spans a
    component. A component given as None (unknown) matches any pattern."""
    parts = pattern.split(":", 5)
    return len(parts) == 6 and all(value is None or iam_like(value, part) for value, part in zip(arn, parts))
