"""SNS guardrails: topics encrypted at rest with a KMS key."""

TOPIC = "aws:sns/topic:Topic"
