"""Secrets Manager guardrails against tests/programs/policy_secretsmanager (raw secrets, rotations and policies)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze,
                                         findings, policies_found, program_fixtures)

PROGRAM = "policy_secretsmanager"
M, A = "mandatory", "advisory"
ROTATION = "secretsmanager-secret-rotation"
PERIOD = "secretsmanager-rotation-period"
KEY = "secretsmanager-secret-customer-key"
PUBLIC = "secretsmanager-secret-policy-not-public"
CMK = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"
SECRET_TYPE, ROTATION_TYPE, POLICY_TYPE = ("aws:secretsmanager/secret:Secret",
                                           "aws:secretsmanager/secretRotation:SecretRotation",
                                           "aws:secretsmanager/secretPolicy:SecretPolicy")
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf"

FAILING = [
    Finding(ROTATION, "partner-token", A, "secret partner-token is never rotated: no aws.secretsmanager.SecretRotation "
                                          "names it"),
    Finding(ROTATION, "legacy-token", A, "secret legacy-token is never rotated"),
    Finding(ROTATION, "rds-master-rotation", A, "secret rotation rds-master-rotation sets rotationEnabled false: "
                                                "Secrets Manager cancels the secret's automatic rotation"),
    Finding(PERIOD, "archive-db-rotation", A, "rotationRules rotate the secret every 365 days, more than 90: a leaked "
                                              "value stays valid that long; rotate at least every 90 days"),
    Finding(PERIOD, "audit-db-rotation", A, "rotationRules rotate the secret every 120 days, more than 90"),
    Finding(PERIOD, "vault-db-rotation", A, "rotationRules rotate the secret at times 92 days apart, more than 90: a "
                                            "leaked value stays valid that long; rotate at least every 90 days"),
    Finding(PERIOD, "escrow-db-rotation", A, "rotationRules rotate the secret at times 98 days apart, more than 90"),
    # Its schedule known (half-yearly on the last day) once the key exists; in a first preview it is not judged.
    Finding(PERIOD, "later-cron-db-rotation", A, "rotationRules rotate the secret at times 184 days apart, more than "
                                                 "90"),
    # On several days a month, or at several hours, by their dates and times.
    Finding(PERIOD, "sparse-db-rotation", A, "rotationRules rotate the secret at times 109 days apart, more than 90"),
    Finding(PERIOD, "sundays-db-rotation", A, "rotationRules rotate the secret at times 105 days apart, more than 90"),
    Finding(PERIOD, "later-twice-db-rotation", A, "rotationRules rotate the secret at times 122.5 days apart, more "
                                                  "than 90"),
    Finding(KEY, "partner-token", A, "kmsKeyId is unset (the AWS managed key aws/secretsmanager): its key policy lets "
                                     "any principal of the account that may read the secret decrypt it"),
    Finding(KEY, "legacy-token", A, "kmsKeyId is the AWS managed key"),
    Finding(PUBLIC, "shared-token", M, "secret shared-token (policy in SecretPolicy shared-token-policy) statement "
                                       "OrgReads allows Principal * with no condition naming an account or "
                                       "organization: any AWS account's principals may use the secret"),
]
PASSING = [
    (ROTATION, "orders-db"), (ROTATION, "payments-db"), (ROTATION, "reports-db"), (ROTATION, "archive-db"),
    (ROTATION, "shared-token"), (ROTATION, "later-db"), (ROTATION, "api-key"),
    # 30 days; a cron schedule that fires each month (on the 1st, the last day, the first Monday); every 12 hours; a
    # period known only after the update.
    (PERIOD, "orders-db-rotation"), (PERIOD, "payments-db-rotation"), (PERIOD, "ledger-db-rotation"),
    (PERIOD, "billing-db-rotation"), (PERIOD, "reports-db-rotation"), (PERIOD, "later-db-rotation"),
    (PERIOD, "twice-monthly-db-rotation"),
    (KEY, "orders-db"), (KEY, "shared-token"),
    # Everyone, but only within the organization.
    (PUBLIC, "orders-db"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def _secret(**settings) -> Res:
    return Res(SECRET_TYPE, "orders-db", {"name": "orders-db", "arn": SECRET_ARN, "kmsKeyId": CMK,
                                          "tags": DEFAULT_TAGS, **settings})


def _rotation(rules, **settings) -> Res:
    return Res(ROTATION_TYPE, "orders-db-rotation", {"secretId": SECRET_ARN, "rotationRules": rules, **settings})


@pytest.mark.parametrize("rules, reported", [
    ({"automaticallyAfterDays": 90}, False), ({"automaticallyAfterDays": 91}, True),
    ({"scheduleExpression": "rate(90 days)"}, False), ({"scheduleExpression": "rate(91 days)"}, True),
    ({"scheduleExpression": "rate(2160 hours)"}, False), ({"scheduleExpression": "rate(2161 hours)"}, True),
    # A cron schedule by its dates: twice a month is 17 days apart at most, every other month on the 1st 62; a
    # yearly one 366, in January and July 184; a fixed year may not come round at all, nor can a range that wraps
    # the year be read.
    ({"scheduleExpression": "cron(0 16 1,15 * ? *)"}, False), ({"scheduleExpression": "cron(0 0 1 1 ? *)"}, True),
    ({"scheduleExpression": "cron(0 0 1 JAN,JUL ? *)"}, True), ({"scheduleExpression": "cron(0 0 1 */2 ? *)"}, False),
    ({"scheduleExpression": "cron(0 0 1 1 ? 2027)"}, False), ({"scheduleExpression": "cron(0 0 1 L ? *)"}, False),
    ({"scheduleExpression": "cron(0 4 1 NOV-FEB,MAY,AUG ? *)"}, False),
    ({"scheduleExpression": "cron(0 0 1 \u00b2 ? *)"}, False),
    # Its dates say it exactly: quarterly on the 1st (or 29th) is at times 92 days apart (Security Hub's 90 fails it),
    # monthly at most 31; at several hours, from the latest on one day to the earliest on the next (July 1st at 18:00
    # to October 1st: 91.25 days).
    ({"scheduleExpression": "cron(0 0 1 */3 ? *)"}, True),
    ({"scheduleExpression": "cron(30 2 28 1,4,7,10 ? *)"}, True),
    ({"scheduleExpression": "cron(0 0 1 * ? *)"}, False), ({"scheduleExpression": "cron(0 0 29 */3 ? *)"}, True),
    ({"scheduleExpression": "cron(0 */6 1 */3 ? *)"}, True), ({"scheduleExpression": "cron(0 0 1 */3 MON *)"}, False),
    # The last day, the 31st (in the months that have one), the nth or last of a day of the week: quarterly is too
    # long, monthly is not. `W` and `L-n`, which Secrets Manager does not take, are judged by their months alone.
    ({"scheduleExpression": "cron(0 4 L 3,6,9,12 ? *)"}, True), ({"scheduleExpression": "cron(0 4 L * ? *)"}, False),
    ({"scheduleExpression": "cron(0 4 31 * ? *)"}, False), ({"scheduleExpression": "cron(0 4 31 1,4 ? *)"}, True),
    ({"scheduleExpression": "cron(0 4 ? 1,4,7,10 MON#1 *)"}, True),
    ({"scheduleExpression": "cron(0 4 ? * MON#1 *)"}, False), ({"scheduleExpression": "cron(0 4 ? * 2#5 *)"}, True),
    ({"scheduleExpression": "cron(0 4 ? 3,6,9,12 6L *)"}, True),
    ({"scheduleExpression": "cron(0 4 ? * FRIL *)"}, False),
    ({"scheduleExpression": "cron(0 4 LW 3,6,9,12 ? *)"}, False),
    ({"scheduleExpression": "cron(0 4 L-2 3,6,9,12 ? *)"}, False),
    # AWS computes automaticallyAfterDays from a schedule: the schedule decides.
    ({"scheduleExpression": "rate(10 days)", "automaticallyAfterDays": 400}, False),
    ({"automaticallyAfterDays": UNKNOWN}, False), ({"scheduleExpression": UNKNOWN}, False), (UNKNOWN, False)])
def test_a_rotation_comes_round_within_the_allowed_days(rules, reported):
    assert (PERIOD in policies_found([_secret(), _rotation(rules)])) == reported


@pytest.mark.parametrize("limit, rules, reported", [
    (30, {"automaticallyAfterDays": 31}, True), (30, {"automaticallyAfterDays": 30}, False),
    # A daily or weekly cron by its dates: every Monday is 7 days apart, within 7 and not within 6.
    (30, {"scheduleExpression": "cron(0 4 * * ? *)"}, False), (7, {"scheduleExpression": "cron(0 4 ? * MON *)"}, False),
    (6, {"scheduleExpression": "cron(0 4 ? * MON *)"}, True),
    # Every other month on two days: July 15th to September 1st is 48 days.
    (47, {"scheduleExpression": "cron(0 0 1,15 */2 ? *)"}, True),
    (48, {"scheduleExpression": "cron(0 0 1,15 */2 ? *)"}, False),
    # Monthly on the 1st: January to February is 31 days.
    (30, {"scheduleExpression": "cron(0 0 1 * ? *)"}, True), (31, {"scheduleExpression": "cron(0 0 1 * ? *)"}, False),
    # Quarterly on the first Monday: 98 days when October starts on a Monday and January on a Tuesday.
    (97, {"scheduleExpression": "cron(0 4 ? 1,4,7,10 MON#1 *)"}, True),
    (98, {"scheduleExpression": "cron(0 4 ? 1,4,7,10 MON#1 *)"}, False)])
def test_the_allowed_days_are_a_knob(limit, rules, reported):
    config = {PERIOD: {"maxRotationDays": limit}}
    assert (PERIOD in policies_found([_secret(), _rotation(rules)], config)) == reported


@pytest.mark.parametrize("schedule, said", [
    ("cron(0 0 1 */3 ? *)", "rotate the secret at times 92 days apart, more than 90"),
    ("cron(0 0 1,15 1 ? *)", "rotate the secret at times 352 days apart, more than 90"),
    # Days unread (`W`): by its months alone.
    ("cron(0 4 15W 1 ? *)", "rotate the secret at times more than 308 days apart (its months), more than 90"),
    # Several days, hours and minutes: the latest time on one day to the earliest on the next, to a hundredth.
    ("cron(0 0,12 1 */4 ? *)", "rotate the secret at times 122.5 days apart, more than 90"),
    ("cron(5,55 4 1 */3 ? *)", "rotate the secret at times 91.97 days apart, more than 90"),
    ("cron(0 4 ? 1,7 MON-FRI *)", "rotate the secret at times 157 days apart, more than 90"),
    # Half-yearly on the last day: June 30th to December 31st; on the first Monday of January, at times 371 days.
    ("cron(0 4 L 6,12 ? *)", "rotate the secret at times 184 days apart, more than 90"),
    ("cron(0 4 ? 1 MON#1 *)", "rotate the secret at times 371 days apart, more than 90"),
    ("rate(91 days)", "rotate the secret every 91 days, more than 90")])
def test_a_rotation_says_how_far_apart_it_comes(schedule, said):
    [(_, _, message)] = [f for f in findings(analyze([_secret(), _rotation({"scheduleExpression": schedule})],
                                                     {"all": "mandatory"})) if f[0] == PERIOD]
    assert message.startswith(f"rotationRules {said}: a leaked value stays valid that long"), message


def test_a_schedule_known_only_after_the_update_is_not_judged(first_preview):
    found = {(v.policy, v.name) for v in first_preview.violations}
    assert {(PERIOD, "later-cron-db-rotation"), (PERIOD, "later-twice-db-rotation")}.isdisjoint(found)


def test_a_cancelled_rotation_is_reported_on_itself_and_not_again_as_a_secret_never_rotated():
    found = findings(analyze([_secret(), _rotation(None, rotationEnabled=False)], {"all": "mandatory"}))
    assert {(p, name) for p, name, _ in found if p == ROTATION} == {(ROTATION, "orders-db-rotation")}
    assert any("sets rotationEnabled false" in message for _, _, message in found)


@pytest.mark.parametrize("rotations, reported", [
    ([_rotation({"automaticallyAfterDays": 30})], False),
    # By name, as RotateSecret takes it.
    ([Res(ROTATION_TYPE, "r", {"secretId": "orders-db", "rotationRules": {"automaticallyAfterDays": 30}})], False),
    ([], True), ([Res(ROTATION_TYPE, "r", {"secretId": "other-db", "rotationRules": {"automaticallyAfterDays": 7}})],
                 True),
    # A rotation that may name it once known counts; one that cancels rotation is a finding itself.
    ([Res(ROTATION_TYPE, "r", {"secretId": UNKNOWN, "rotationRules": {"automaticallyAfterDays": 30}})], False),
    ([_rotation(None, rotationEnabled=False)], True), ([_rotation(None, rotationEnabled=UNKNOWN)], False)])
def test_a_secret_in_the_stack_is_rotated(rotations, reported):
    assert (ROTATION in policies_found([_secret(), *rotations])) == reported


# The secret's ARN without the hyphen and six random characters Secrets Manager appends: a partial ARN, which
# RotateSecret's SecretId takes for it.
PARTIAL_ARN = SECRET_ARN[:-len("-AbCdEf")]


@pytest.mark.parametrize("secret_id, secret, reported", [
    (PARTIAL_ARN, {}, False),
    # Another account's or region's secret of that name; another name; a name that holds this one.
    (PARTIAL_ARN.replace("123456789012", "210987654321"), {}, True),
    (PARTIAL_ARN.replace("us-east-1", "us-west-2"), {}, True),
    (PARTIAL_ARN.replace("orders-db", "orders"), {}, True), (PARTIAL_ARN + "-v2", {}, True),
    # A name ending in a hyphen and six characters: Secrets Manager reads such a partial ARN as a complete one.
    (PARTIAL_ARN.replace("orders-db", "db/orders-master"),
     {"name": "db/orders-master", "arn": SECRET_ARN.replace("orders-db", "db/orders-master")}, True),
    # The secret's ARN known only after the update: the partial ARN may be its.
    (PARTIAL_ARN, {"arn": UNKNOWN}, False)])
def test_a_rotation_may_name_the_secret_by_a_partial_arn(secret_id, secret, reported):
    rotation = Res(ROTATION_TYPE, "r", {"secretId": secret_id, "rotationRules": {"automaticallyAfterDays": 30}})
    assert (ROTATION in policies_found([_secret(**secret), rotation])) == reported


@pytest.mark.parametrize("key, reported", [
    (CMK, False), ("alias/orders", False), (UNKNOWN, False), (None, True), ("alias/aws/secretsmanager", True),
    ("arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager", True), ("alias/aws/ebs", True)])
def test_a_secret_is_under_a_customer_managed_key(key, reported):
    assert (KEY in policies_found([_secret(kmsKeyId=key)])) == reported


@pytest.mark.parametrize("replicas, message", [
    ([{"region": "us-west-2", "kmsKeyId": "alias/orders"}], None),
    ([{"region": "us-west-2", "kmsKeyId": UNKNOWN}], None), ([{"region": UNKNOWN}], None), ([UNKNOWN], None),
    (UNKNOWN, None),
    # Left out, Secrets Manager encrypts the replica under aws/secretsmanager of its region.
    ([{"region": "eu-west-1", "kmsKeyId": "alias/orders"}, {"region": "us-west-2"}],
     "replicas[1] (us-west-2).kmsKeyId is unset (the AWS managed key aws/secretsmanager there): the replica is "
     "encrypted under a key whose key policy lets any principal of the account that may read it decrypt it"),
    ([{"region": "us-west-2", "kmsKeyId": "alias/aws/secretsmanager"}],
     "replicas[0] (us-west-2).kmsKeyId is the AWS managed key")])
def test_a_secret_s_replicas_are_under_customer_managed_keys(replicas, message):
    found = [text for policy, _, text in findings(analyze([_secret(replicas=replicas)])) if policy == KEY]
    assert len(found) == (message is not None) and all(message in text for text in found)


def _policy(principal, condition=None) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, **({"Condition": condition} if condition
                                                                                else {})}]})


@pytest.mark.parametrize("holder, reported", [
    ({"policy": _policy("*")}, True), ({"policy": _policy({"AWS": "*"})}, True),
    ({"policy": _policy("*", {"StringEquals": {"aws:PrincipalAccount": "123456789012"}})}, False),
    ({"policy": _policy({"AWS": "arn:aws:iam::210987654321:root"})}, False), ({"policy": UNKNOWN}, False),
    # A SecretPolicy for a secret outside the stack is judged on its own.
    ({"secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf", "policy": _policy("*")},
     True)])
def test_no_secret_policy_lets_every_account_in(holder, reported):
    policy = Res(POLICY_TYPE, "orders-db-policy", {"secretArn": SECRET_ARN, **holder})
    assert (PUBLIC in policies_found([_secret(), policy])) == reported
    # The secret's own policy, where no SecretPolicy replaces it.
    if "secretArn" not in holder:
        assert (PUBLIC in policies_found([_secret(policy=holder["policy"])])) == reported


@pytest.mark.parametrize("secret_arn, reported", [(PARTIAL_ARN, False), (SECRET_ARN, False), ("other-db", True)])
def test_a_secret_policy_naming_the_secret_by_a_partial_arn_replaces_its_own(secret_arn, reported):
    # PutResourcePolicy takes a partial ARN for the secret too: its SecretPolicy then decides, not its own policy.
    holder = Res(POLICY_TYPE, "orders-db-policy", {"secretArn": secret_arn, "policy": _policy(
        {"AWS": "arn:aws:iam::210987654321:root"})})
    found = findings(analyze([_secret(policy=_policy("*")), holder], {"all": "mandatory"}))
    assert ((PUBLIC, "orders-db") in {(p, name) for p, name, _ in found}) == reported


@pytest.mark.parametrize("name, reported", [
    ("dev/mesh/tls/order-service", False), ("dev/payments/api-key", True),
    # A name known only after the update may be one the knob exempts.
    (UNKNOWN, False)])
def test_secrets_the_program_renews_itself_can_be_exempt(name, reported):
    config = {ROTATION: {"exemptSecrets": ["*/mesh/tls/*"]}}
    assert (ROTATION in policies_found([_secret(name=name)], config)) == reported
    assert ROTATION in policies_found([_secret(name="dev/mesh/tls/order-service")])
