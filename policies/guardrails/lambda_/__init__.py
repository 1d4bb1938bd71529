"""Lambda guardrails: tracing, a concurrency cap, logs that do not live forever, no public function URL, no
permission that lets everyone invoke a function, and no layer shared with every AWS account."""

FUNCTION = "aws:lambda/function:Function"
FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl"
PERMISSION = "aws:lambda/permission:Permission"
RESOURCE_POLICY = "aws:lambda/resourcePolicy:ResourcePolicy"
LAYER_PERMISSION = "aws:lambda/layerVersionPermission:LayerVersionPermission"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
# The same, written with aws-native (Pulumi's Cloud Control provider).
NATIVE_LOG_GROUP = "aws-native:logs:LogGroup"
