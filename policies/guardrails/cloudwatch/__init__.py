"""CloudWatch Logs guardrails: log groups encrypted with a KMS key that CloudWatch Logs may use."""

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
