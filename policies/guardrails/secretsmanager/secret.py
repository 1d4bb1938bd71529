"""Secrets Manager secrets, judged by what pulumi-aws sends (terraform-provider-aws `aws_secretsmanager_secret`,
`_secret_rotation`, `_secret_policy`) and what Secrets Manager does with what it leaves out: no rotation until
RotateSecret, the AWS managed key `aws/secretsmanager` without a `kmsKeyId`, no resource policy."""
from __future__ import annotations

import calendar
import datetime
import math
import re
from typing import Any, Callable, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.companions import unreferred
from ..core.props import UNKNOWN, has_text, is_false, lacks_customer_key, named_by, num, number, peek, peek_items
from ..core.registry import ADVISORY, config_list, config_value, resource_policy, stack_policy, string_list
from ..core.stack import of_type
from ..iam.documents import accounts_that, public_grant, public_resource_policies
from . import SECRET, SECRET_POLICY, SECRET_ROTATION

# Secrets Manager's schedule expressions (RotationRulesType.ScheduleExpression): rate(N days|hours) or cron(...).
_RATE = re.compile(r"rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)")
_CRON = re.compile(r"cron\((.*)\)")


def _rotation_off(props: Any) -> bool:
    """A SecretRotation's props that cancel rotation: the provider calls CancelRotateSecret when `rotationEnabled` is
    set false (how AWS's own rotation of an RDS-managed secret is turned off)."""
    return is_false(peek(props, "rotationEnabled"))


@stack_policy(
    "secretsmanager-secret-rotation", (SECRET, SECRET_ROTATION),
    description="Secrets Manager secrets should rotate automatically, so a leaked value stops working without anyone "
                "noticing the leak first.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub SecretsManager.1", "Config secretsmanager-rotation-enabled-check", "CKV2_AWS_57"),
    config={"exemptSecrets": string_list(
        "Names of secrets (shell-style wildcards) whose value the program itself writes, such as certificates it "
        "re-issues as new secret versions, which a rotation function would only fight.")},
)
def rotation(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """each Secret (but those knob `exemptSecrets` names) has a SecretRotation in the stack whose `secretId` names it
    (by ARN, partial ARN (without the random suffix, which RotateSecret takes too) or name, in its account and
    region), and no SecretRotation sets `rotationEnabled` false
    (CancelRotateSecret, for a secret in the stack or outside it, such as the one RDS manages for a master password); a
    rotation that may name the secret once known counts"""
    exempt = config_list(args, "exemptSecrets")
    for cancelled in (r for r in of_type(args.resources, SECRET_ROTATION) if _rotation_off(r.props)):
        yield (f"secret rotation {cancelled.name} sets rotationEnabled false: Secrets Manager cancels the secret's "
               "automatic rotation, and its value lives until someone changes it; give it rotationRules instead"), \
            cancelled.urn
    judged = [secret for secret in of_type(args.resources, SECRET) if not _may_be_exempt(secret, exempt)]
    for secret in unreferred(args.resources, judged, (SECRET_ROTATION,), "secretId", ("arn", "id", "name"),
                             regional=True):
        yield (f"secret {secret.name} is never rotated: no aws.secretsmanager.SecretRotation names it; add one "
               "with rotationRules and a rotation function (or the managed rotation of the service that owns it)"), \
            secret.urn


def _may_be_exempt(secret: Any, exempt: list) -> bool:
    """Whether knob `exemptSecrets` names the secret, or may once its name is known."""
    name = peek(secret.props, "name")
    return (has_text(name) and named_by([name], exempt)) or (name is UNKNOWN and bool(exempt))


_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _month(text: str) -> Optional[int]:
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTH_NAMES.index(text.upper()) + 1 if text.upper() in _MONTH_NAMES else None


def _between(low: int, high: int) -> Callable[[str], Optional[int]]:
    """A reader of a cron field's numbers from `low` to `high`."""
    return lambda text: int(text) if text.isascii() and text.isdigit() and low <= int(text) <= high else None


def _cron_values(field: str, low: int, high: int, read: Callable[[str], Optional[int]]) -> Optional[set[int]]:
    """The values from `low` to `high` a cron field names (`*`, what `read` reads, ranges, lists, `/` steps); None if
    unread."""
    values: set[int] = set()
    for part in field.split(","):
        base, slash, step_text = part.partition("/")
        step = int(step_text) if step_text.isascii() and step_text.isdigit() and int(step_text) > 0 else (
            None if slash else 1)
        first, dash, last = base.partition("-")
        start, end = (low, high) if base == "*" else (read(first), read(last) if dash else None)
        end = end if dash or base == "*" else (high if slash else start)
        # A range that wraps round (NOV-FEB, FRI-MON) is read by no rule AWS documents: not judged.
        if step is None or start is None or end is None or start > end:
            return None
        values.update(range(start, end + 1, step))
    return values or None


def _cron_longest_gap_days(expression: str) -> Optional[tuple[float, bool]]:
    """The longest time between two firings of a Secrets Manager cron expression (minutes hours day-of-month month
    day-of-week year), in days, and whether it is exact: exact where its minutes, hours and days are read
    (`_dated_gap`); else a strict lower bound from its months alone: between the last firing in one month and the
    first `g` months later lie more than `g - 1` whole months, 28 days each at least. None where the months follow
    each other (each month fires) and the days are unread, the year field is not `*`, or the expression is unread:
    not judged."""
    fields = expression.split()
    if len(fields) != 6 or fields[5] != "*" or (months := _cron_values(fields[3], 1, 12, _month)) is None:
        return None
    ordered = sorted(months)
    if (exact := _dated_gap(fields, ordered)) is not None:
        return exact, True
    gap = max(later - earlier for earlier, later in zip(ordered, [*ordered[1:], ordered[0] + 12]))
    return ((gap - 1) * 28, False) if gap > 1 else None


_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")  # as Python numbers them: Monday 0
# A day of the week that picks one day a month: its nth (`MON#1`, `2#3`) or its last (`FRIL`, `6L`).
_NTH_WEEKDAY = re.compile(r"([1-7]|[A-Za-z]{3})(?:#([1-5])|L)")
# Two 28-year cycles, after which weekdays and leap years repeat (within 2001-2099): every gap between two firings
# lies within them, even one of a fifth Monday that months in a row lack.
_YEARS = range(2024, 2024 + 2 * 28)


def _cron_weekday(text: str) -> Optional[int]:
    """A cron day of the week as cron numbers it: 1-7 from Sunday, or SUN-SAT; None if unread."""
    if text.isascii() and text.isdigit():
        return int(text) if 1 <= int(text) <= 7 else None
    return (_WEEKDAYS.index(text.upper()) + 1) % 7 + 1 if text.upper() in _WEEKDAYS else None


def _weekday(text: str) -> Optional[int]:
    """A cron day of the week (1-7 from Sunday, or SUN-SAT) as Python numbers it; None if unread."""
    number = _cron_weekday(text)
    return None if number is None else _python_weekday(number)


def _python_weekday(number: int) -> int:
    """A cron weekday number (1 Sunday .. 7 Saturday) as Python's (0 Monday .. 6 Sunday)."""
    return (number - 2) % 7


def _firing_days(day: str, weekday: str) -> Optional[Callable[[int, int], list[int]]]:
    """For the day fields, among the wildcards Secrets Manager's cron takes (days of the month 1-31 and `L`, its last,
    in lists, ranges and steps; or days of the week, every week's or `D#n`, the nth in the month, or `DL`, its last;
    the other field `?`): the days of a year's month they fire on, in order (none where the month has no 31st, no
    fifth Monday). None for fields unread (`W` and `L-n` included: Secrets Manager does not list them)."""
    if weekday == "?":
        parts = day.split(",")
        rest = ",".join(part for part in parts if part != "L")
        numbers = _cron_values(rest, 1, 31, _between(1, 31)) if rest else set()
        if numbers is None:
            return None
        return lambda year, month: sorted({d for d in numbers if d <= calendar.monthrange(year, month)[1]}
                                          | ({calendar.monthrange(year, month)[1]} if "L" in parts else set()))
    if day != "?":
        return None
    weekly, nths = set(), []
    for part in weekday.split(","):
        if (nth := _NTH_WEEKDAY.fullmatch(part)) is not None:
            if (wanted := _weekday(nth.group(1))) is None:
                return None
            nths.append((wanted, int(nth.group(2)) if nth.group(2) else None))  # None: the last
        elif (numbers := _cron_values(part, 1, 7, _cron_weekday)) is not None:
            weekly.update(map(_python_weekday, numbers))
        else:
            return None

    def pick(year: int, month: int) -> list[int]:
        first, length = calendar.monthrange(year, month)
        # Each day of the month that is the weekday, four or five.
        each = {wanted: range(1 + (wanted - first) % 7, length + 1, 7) for wanted in range(7)}
        days = {d for wanted in weekly for d in each[wanted]}
        for wanted, count in nths:
            if count is None or count <= len(each[wanted]):
                days.add(each[wanted][-1 if count is None else count - 1])
        return sorted(days)
    return pick


def _dated_gap(fields: list[str], months: list[int]) -> Optional[float]:
    """The longest number of days between two firings on the days of `months` the day fields pick (`_firing_days`),
    the calendar of `_YEARS` saying it exactly (a quarterly rotation on the 1st is 90, 91 or 92 days apart, on the
    first Monday up to 98): from the latest time on one firing day to the earliest on the next (gaps within a day,
    under one, exceed no limit). None where the minutes, hours or days are unread."""
    minute, hour, day, _, weekday, _ = fields
    days = _firing_days(day, weekday)
    minutes, hours = _cron_values(minute, 0, 59, _between(0, 59)), _cron_values(hour, 0, 23, _between(0, 23))
    if days is None or minutes is None or hours is None:
        return None
    dates = [datetime.date(year, month, d) for year in _YEARS for month in months for d in days(year, month)]
    if len(dates) < 2:
        return None
    span = (max(hours) - min(hours)) / 24 + (max(minutes) - min(minutes)) / 1440
    return max((later - earlier).days for earlier, later in zip(dates, dates[1:])) - span


def _days_between(rules: Any) -> Any:
    """(days, how) between two rotations the rules allow, `how` saying how a message words them:
    `automaticallyAfterDays` and a `rate(...)` schedule's ("every"); a cron schedule's longest gap, exact ("apart")
    or a strict lower bound from its months ("more", `_cron_longest_gap_days`); UNKNOWN where unknown, None where not
    judged."""
    days, schedule = peek(rules, "automaticallyAfterDays"), peek(rules, "scheduleExpression")
    if has_text(schedule):
        if (rate := _RATE.fullmatch(schedule.strip())) is not None:
            count = int(rate.group(1))
            return (count if rate.group(2).startswith("day") else -(-count // 24)), "every"
        cron = _CRON.fullmatch(schedule.strip())
        if cron is None or (gap := _cron_longest_gap_days(cron.group(1))) is None:
            return None
        return gap[0], "apart" if gap[1] else "more"
    if schedule is UNKNOWN or days is UNKNOWN:
        return UNKNOWN
    return None if (days := number(days)) is None else (days, "every")


@resource_policy(
    "secretsmanager-rotation-period", SECRET_ROTATION,
    description="A secret's automatic rotation should come round within the days the organization allows (90 by "
                "default), so a leaked value does not stay valid for months.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub SecretsManager.4", "Config secretsmanager-secret-periodic-rotation"),
    config={"maxRotationDays": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 90,
                                "description": "The most days allowed between two rotations of a secret."}},
)
def rotation_period(args: ResourceValidationArgs) -> Iterator[str]:
    """`rotationRules.automaticallyAfterDays`, or a `scheduleExpression` of `rate(N days)` or `rate(N hours)`, is at
    most `maxRotationDays` (default 90, Security Hub's); a cron schedule whose days are read (days 1-31 or `L` in lists,
    ranges and steps; days of the week, each week's, `D#n` or `DL`) by the longest gap between its firings, from the
    latest time of one firing day to the earliest of the next (a quarterly one on the 1st: 92 days; on the first
    Monday: 98; on the 1st and 15th of every fourth month: 109), any other by its months alone, where they leave more
    than that between two rotations for certain (a yearly one, say; one that fires each month on days unread is not
    judged); a rotation that cancels rotation (`rotationEnabled` false) is `secretsmanager-secret-rotation`'s; unknown
    rules are not judged"""
    if _rotation_off(args.props):
        return
    rules = peek(args.props, "rotationRules")
    between = UNKNOWN if rules is UNKNOWN else _days_between(rules) if rules is not None else None
    if between is UNKNOWN or between is None:
        return
    (days, how), limit = between, num(config_value(args, "maxRotationDays"))
    # A cron's bound is strict: more than `days` apart, so at `days` = limit already too long.
    if days > limit or (how == "more" and days >= limit):
        shown = num(math.ceil(days * 100) / 100)  # a gap between times of day, to a hundredth of a day
        often = {"every": f"every {shown} days", "apart": f"at times {shown} days apart",
                 "more": f"at times more than {shown} days apart (its months)"}[how]
        yield (f"rotationRules rotate the secret {often}, more than {limit}: a leaked value stays valid that long; "
               f"rotate at least every {limit} days")


@resource_policy(
    "secretsmanager-secret-customer-key", SECRET,
    description="Secrets Manager secrets should be encrypted with a customer managed KMS key, whose key policy "
                "decides who may decrypt them (and which another account's principals need to read them).",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("CKV_AWS_149",),
)
def customer_key(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsKeyId` is set, and is not the AWS managed `alias/aws/secretsmanager` (or its ARN); left out, Secrets
    Manager uses that key; so is each `replicas` entry's `kmsKeyId`, the key of the copy in that region (left out,
    that region's aws/secretsmanager: ReplicaRegionType.KmsKeyId); an unknown value (or replica region) is not
    judged"""
    key = peek(args.props, "kmsKeyId")
    if lacks_customer_key(key):
        state = "the AWS managed key" if has_text(key) else "unset (the AWS managed key aws/secretsmanager)"
        yield (f"kmsKeyId is {state}: its key policy lets any principal of the account that may read the secret "
               "decrypt it, and no other account can; set a customer managed key")
    for index, replica in enumerate(peek_items(args.props, "replicas")):
        if replica is UNKNOWN:
            continue
        key, region = peek(replica, "kmsKeyId"), peek(replica, "region")
        if region is UNKNOWN or not lacks_customer_key(key):
            continue
        where = f" ({region})" if has_text(region) else ""
        state = "the AWS managed key" if has_text(key) else "unset (the AWS managed key aws/secretsmanager there)"
        yield (f"replicas[{index}]{where}.kmsKeyId is {state}: the replica is encrypted under a key whose key policy "
               "lets any principal of the account that may read it decrypt it; set a customer managed key of that "
               "region")


@stack_policy(
    "secretsmanager-secret-policy-not-public", (SECRET, SECRET_POLICY),
    description="No Secrets Manager resource policy may let every AWS account read or change a secret.",
    severity=Severity.CRITICAL,
    anchors=("Prowler secretsmanager_not_publicly_accessible",
             "Secrets Manager API reference: PutResourcePolicy.BlockPublicPolicy"),
)
def policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a secret's policy (a SecretPolicy naming it by `secretArn`, its ARN or partial ARN, else
    its own `policy`; or a SecretPolicy for a secret outside the stack) has Principal `*` (or `{"AWS": "*"}`) or a
    NotPrincipal unless its condition names the callers by fixed values of `aws:PrincipalOrgID`,
    `aws:PrincipalAccount`, `aws:SourceAccount`, ... (as for SQS, SNS and ECR); unknown documents or conditions are
    not judged"""
    for owner, statement in public_resource_policies(args.resources, (SECRET,), SECRET_POLICY, "secretArn",
                                                   ("arn", "id"), "secret", regional=True):
        remedy = f"{accounts_that('read it')}, and set blockPublicPolicy"
        yield public_grant(statement, "use the secret", remedy), owner.urn
