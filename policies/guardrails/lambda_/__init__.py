"""Lambda guardrails: tracing, a concurrency cap, and logs that do not live forever."""

FUNCTION = "aws:lambda/function:Function"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
