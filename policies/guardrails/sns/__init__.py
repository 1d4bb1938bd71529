"""SNS guardrails: topics encrypted at rest with a KMS key, no topic policy open to every AWS account, and no
message posted to a web endpoint in plain text."""

TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
