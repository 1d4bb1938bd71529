"""SQS guardrails: queues encrypted at rest, and no queue policy open to every AWS account."""

QUEUE = "aws:sqs/queue:Queue"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
