"""Lambda guardrails: tracing, a concurrency cap, logs that do not live forever, and no public function URL."""

FUNCTION = "aws:lambda/function:Function"
FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl"
PERMISSION = "aws:lambda/permission:Permission"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
