"""Raw Secrets Manager secrets: rotated every 30 days (or by a monthly cron), under a customer managed key, shared
within the organization only (a rotation may name its secret by a partial ARN, without the random suffix); and ones
never rotated, rotated yearly or quarterly, whose rotation is cancelled, under the AWS managed key, or readable by
every account.
Settings another resource gives, known only after the update, are not judged."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
KEY = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"
ROTATOR = "arn:aws:lambda:us-east-1:123456789012:function:rotate-secret"


def secret(name, **settings):
    return aws.secretsmanager.Secret(name, name=name, tags=TAGS, **{"kms_key_id": KEY, **settings})


def rotated(made, name, **rules):
    return aws.secretsmanager.SecretRotation(f"{name}-rotation", secret_id=made.id, rotation_lambda_arn=ROTATOR,
                                             rotation_rules=rules or {"automatically_after_days": 30})


def read_policy(condition=None):
    statement = {"Sid": "OrgReads", "Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue",
                 "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, **({"Condition": condition} if condition
                                                                                else {})}]})


orders = secret("orders-db")
rotated(orders, "orders-db")
aws.secretsmanager.SecretPolicy("orders-db-policy", secret_arn=orders.arn, block_public_policy=True,
                                policy=read_policy({"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}))
rotated(secret("payments-db"), "payments-db", schedule_expression="cron(0 4 1 * ? *)")
rotated(secret("reports-db"), "reports-db", schedule_expression="rate(12 hours)")
# Never rotated; under the AWS managed key, left out or named.
secret("partner-token", kms_key_id=None)
secret("legacy-token", kms_key_id="alias/aws/secretsmanager")
rotated(secret("archive-db"), "archive-db", automatically_after_days=365)
rotated(secret("audit-db"), "audit-db", schedule_expression="rate(120 days)")
# On the last day, or the first Monday, of a month: monthly is within 90 days, quarterly is not (September 30th to
# December 31st is 92 days; a first Monday of October to one of January at most 98).
rotated(secret("ledger-db"), "ledger-db", schedule_expression="cron(0 4 L * ? *)")
rotated(secret("billing-db"), "billing-db", schedule_expression="cron(0 4 ? * MON#1 *)")
rotated(secret("vault-db"), "vault-db", schedule_expression="cron(0 4 L 3,6,9,12 ? *)")
rotated(secret("escrow-db"), "escrow-db", schedule_expression="cron(0 4 ? 1,4,7,10 MON#1 *)")
# On several days a month: twice monthly is within 90 days; on the 1st and 15th of every fourth month it is not (May
# 15th to September 1st is 109 days), nor every Sunday of January, May and September (the last one of May to the
# first of September, up to 105).
rotated(secret("twice-monthly-db"), "twice-monthly-db", schedule_expression="cron(0 4 1,15 * ? *)")
rotated(secret("sparse-db"), "sparse-db", schedule_expression="cron(0 4 1,15 */4 ? *)")
rotated(secret("sundays-db"), "sundays-db", schedule_expression="cron(0 4 ? 1,5,9 SUN *)")
# The master password RDS manages: the stack turns its rotation off.
aws.secretsmanager.SecretRotation(
    "rds-master-rotation", rotation_enabled=False,
    secret_id="arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123abcd-AbCdEf")
shared = secret("shared-token")
rotated(shared, "shared-token")
aws.secretsmanager.SecretPolicy("shared-token-policy", secret_arn=shared.arn, policy=read_policy())
# A rotation period another resource gives, known only after the update.
key = aws.kms.Key("rotation-key", enable_key_rotation=True, tags=TAGS)
rotated(secret("later-db"), "later-db", automatically_after_days=key.arn.apply(lambda _: 30))
rotated(secret("later-cron-db"), "later-cron-db", schedule_expression=key.arn.apply(lambda _: "cron(0 4 L 6,12 ? *)"))
# At noon and midnight on the 1st of every fourth month: May 1st at noon to September 1st at midnight.
rotated(secret("later-twice-db"), "later-twice-db",
        schedule_expression=key.arn.apply(lambda _: "cron(0 0,12 1 */4 ? *)"))
# Named by its partial ARN, which RotateSecret takes: no random suffix.
secret("api-key")
aws.secretsmanager.SecretRotation("api-key-rotation", rotation_lambda_arn=ROTATOR,
                                  secret_id="arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key",
                                  rotation_rules={"automatically_after_days": 30})
