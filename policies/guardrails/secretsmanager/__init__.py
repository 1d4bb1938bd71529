"""Secrets Manager guardrails: secrets rotated automatically and often enough, under a key of the account's, and
never readable by every AWS account."""

SECRET = "aws:secretsmanager/secret:Secret"
# Rotation of one secret (RotateSecret; with rotationEnabled false, CancelRotateSecret).
SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
# A secret's resource policy, which replaces whatever it had (PutResourcePolicy).
SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy"
