"""SNS guardrails: topics encrypted at rest with a KMS key, and no topic policy open to every AWS account."""

TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
