"""Raw Lambda functions: one with no tracing, no concurrency cap and no log group; one with a zero cap and a
log group without retention; one exempted by name; and a correct one logging to a custom group."""
import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/lambda"
# Encrypted, so this program reports only Lambda findings.
LOG_KEY = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab"
CODE = pulumi.AssetArchive({"handler.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")})


def function(name, **args):
    return aws.lambda_.Function(name, name=name, role=ROLE, runtime="python3.13", handler="handler.handler",
                                code=CODE, tags=TAGS, **args)


function("bare-fn")
aws.cloudwatch.LogGroup("forever-logs", name="/aws/lambda/zero-fn", kms_key_id=LOG_KEY, tags=TAGS)
function("zero-fn", reserved_concurrent_executions=0, tracing_config={"mode": "PassThrough"})
aws.cloudwatch.LogGroup("batch-logs", name="/aws/lambda/batch-fn", retention_in_days=30, kms_key_id=LOG_KEY,
                        tags=TAGS)
# Named in the test's policy config: a batch job that should scale with the account's unreserved pool.
function("batch-fn", tracing_config={"mode": "Active"})
good_logs = aws.cloudwatch.LogGroup("good-logs", name="/custom/good-fn", retention_in_days=14,
                                   kms_key_id=LOG_KEY, tags=TAGS)
function("good-fn", reserved_concurrent_executions=5, tracing_config={"mode": "Active"},
         logging_config={"log_format": "JSON", "log_group": good_logs.name})
