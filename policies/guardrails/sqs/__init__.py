"""SQS guardrails: queues encrypted at rest."""

QUEUE = "aws:sqs/queue:Queue"
