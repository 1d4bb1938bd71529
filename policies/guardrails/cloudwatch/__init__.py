"""CloudWatch Logs guardrails: log groups encrypted with a KMS key that CloudWatch Logs may use."""

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
# Every KMS key resource with a key policy of its own: a key, a multi-Region replica, and imported key material's.
KMS_KEYS = ("aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey",
            "aws:kms/replicaExternalKey:ReplicaExternalKey")
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
