"""Raw Lambda functions: one with no tracing, no concurrency cap and no log group; one with a zero cap and a
log group without retention; one exempted by name; correct ones logging to a custom group of the stack and to
one another stack makes; and two named by an output. Function URLs:
bare-fn's is public and opened to everyone by its permissions, good-fn's requires IAM, batch-fn's is public on
purpose (named in the test's policy config). Invoke permissions: good-fn's for everyone in one organization,
bare-fn's for everyone; ResourcePolicy documents granting the like. bare-fn also keeps a password and an API key
in plain variables. Functions in a VPC: across two zones, in one subnet of another stack, and in two of another
stack's."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/lambda"
# Encrypted, so this program reports only Lambda findings.
LOG_KEY = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab"
CODE = pulumi.AssetArchive({"handler.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")})


def function(name, runtime="python3.13", **args):
    return aws.lambda_.Function(name, name=name, role=ROLE, runtime=runtime, handler="handler.handler",
                                code=CODE, tags=TAGS, **args)


# Plain variables: a password and an API key (secrets), a table name and a secret's ARN (not).
bare = function("bare-fn", environment={"variables": {"DB_PASSWORD": "hunter2", "PAYMENTS_API_KEY": "sk_live_x",
                                                      "TABLE_NAME": "orders",
                                                      "DB_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:"
                                                                       "123456789012:secret:db-AbCdEf"}})
aws.cloudwatch.LogGroup("forever-logs", name="/aws/lambda/zero-fn", kms_key_id=LOG_KEY, tags=TAGS)
function("zero-fn", reserved_concurrent_executions=0, tracing_config={"mode": "PassThrough"})
aws.cloudwatch.LogGroup("batch-logs", name="/aws/lambda/batch-fn", retention_in_days=365, kms_key_id=LOG_KEY,
                        tags=TAGS)
# Named in the test's policy config: a batch job that should scale with the account's unreserved pool.
batch = function("batch-fn", tracing_config={"mode": "Active"})
good_logs = aws.cloudwatch.LogGroup("good-logs", name="/custom/good-fn", retention_in_days=365,
                                   kms_key_id=LOG_KEY, tags=TAGS)
good = function("good-fn", reserved_concurrent_executions=5, tracing_config={"mode": "Active"},
         logging_config={"log_format": "JSON", "log_group": good_logs.name})
# Logs to a custom group another stack makes (one many functions share), named in sharedLogGroups.
function("shared-logs-fn", reserved_concurrent_executions=1, tracing_config={"mode": "Active"},
         logging_config={"log_format": "JSON", "log_group": "/shop/shared-functions"})
# Everything else in order, on a runtime AWS deprecated (2024-10-14).
old_logs = aws.cloudwatch.LogGroup("old-logs", name="/aws/lambda/old-runtime-fn", retention_in_days=365,
                                  kms_key_id=LOG_KEY, tags=TAGS)
function("old-runtime-fn", runtime="python3.8", reserved_concurrent_executions=2, tracing_config={"mode": "Active"})

# Named by an output (unknown in a first preview), each with its log group: one in order, judged all the same; one
# with neither tracing nor a cap, whose concurrency finding waits for its name (exemptFunctions may hold it).
for later, settings in (("later-named-fn", {"reserved_concurrent_executions": 3, "tracing_config": {"mode": "Active"}}),
                        ("later-named-bare-fn", {})):
    aws.cloudwatch.LogGroup(f"{later}-logs", name=f"/aws/lambda/{later}", retention_in_days=365, kms_key_id=LOG_KEY,
                            tags=TAGS)
    aws.lambda_.Function(later, name=bare.arn.apply(lambda _, name=later: name), role=ROLE, runtime="python3.13",
                         handler="handler.handler", code=CODE, tags=TAGS, **settings)

aws.lambda_.FunctionUrl("bare-url", function_name=bare.name, authorization_type="NONE")
aws.lambda_.Permission("bare-url-public", function=bare.name, action="lambda:InvokeFunctionUrl", principal="*",
                       function_url_auth_type="NONE")
# Since October 2025 a new URL also needs lambda:InvokeFunction, granted for calls through the URL.
aws.lambda_.Permission("bare-url-invoke", function=bare.name, action="lambda:InvokeFunction", principal="*",
                       invoked_via_function_url=True)
aws.lambda_.FunctionUrl("good-url", function_name=good.name, authorization_type="AWS_IAM")
aws.lambda_.Permission("good-url-caller", function=good.name, action="lambda:InvokeFunctionUrl",
                       principal="123456789012", function_url_auth_type="AWS_IAM")
aws.lambda_.Permission("any-api-invoke", function=good.name, action="lambda:InvokeFunction",
                       principal="apigateway.amazonaws.com")
# The function named by ARN, with an alias: the exemption names the function.
aws.lambda_.FunctionUrl("batch-url", function_name="arn:aws:lambda:us-east-1:123456789012:function:batch-fn:live",
                        authorization_type="NONE")
aws.lambda_.Permission("batch-url-public", function=batch.name, action="lambda:InvokeFunctionUrl", principal="*",
                       function_url_auth_type="NONE")
# The Invoke API: for any AWS account (public), and for the accounts of one organization (not public).
aws.lambda_.Permission("bare-invoke-public", function=bare.name, action="lambda:InvokeFunction", principal="*")
aws.lambda_.Permission("good-org-invoke", function=good.name, action="lambda:InvokeFunction", principal="*",
                       principal_org_id="o-a1b2c3d4e5")
# A URL grant for one account's callers: an unsigned call through the URL carries no account, so none gets in.
aws.lambda_.Permission("good-account-url", function=good.name, action="lambda:InvokeFunctionUrl", principal="*",
                       function_url_auth_type="NONE", source_account="123456789012")


# ResourcePolicy documents (PutResourcePolicy replaces a function's whole policy), each case on a function of its own
# (`fn_arn`): the Permissions above written as statements, their parameters as condition keys.
def fn_arn(name):
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def resource_policy(name, arn, *statements):
    return aws.lambda_.ResourcePolicy(name, resource_arn=arn,
                                      policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))


def allow(principal, action, condition=None, sid="Grant"):
    return {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*",
            **({"Condition": condition} if condition else {})}


URL_NONE = {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}
VIA_URL = {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}
# Everyone, as {"AWS": "*"}: the Invoke API; and a NotPrincipal (everyone but one account): read the function.
resource_policy("bare-policy-invoke", fn_arn("policy-invoke-fn"), allow({"AWS": "*"}, "lambda:InvokeFunction"))
resource_policy("bare-policy-read", fn_arn("policy-read-fn"), {
    "Sid": "Read", "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "lambda:GetFunction", "Resource": "*"})
# A document made from the function's ARN: unknown in a first preview, a finding once known.
aws.lambda_.ResourcePolicy("later-policy-invoke", resource_arn=bare.arn, policy=bare.arn.apply(lambda arn: json.dumps(
    {"Version": "2012-10-17", "Statement": [{**allow("*", "lambda:InvokeFunction"), "Resource": arn}]})))
# A bucket's ARN names no account, whoever the principal; S3 with the bucket's account is not public.
BUCKET = {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::shop-uploads"}}
resource_policy("bare-policy-s3", fn_arn("policy-s3-fn"),
                allow({"Service": "s3.amazonaws.com"}, "lambda:InvokeFunction", BUCKET))
resource_policy("bare-policy-bucket", fn_arn("policy-bucket-fn"), allow("*", "lambda:InvokeFunction", BUCKET))
resource_policy("good-policy-s3", fn_arn("policy-s3-account-fn"), allow(
    {"Service": "s3.amazonaws.com"}, "lambda:InvokeFunction",
    {**BUCKET, "StringEquals": {"aws:SourceAccount": "123456789012"}}))
# Everyone in one organization, the function's own account, and one account's topic: not public.
resource_policy("good-policy-org", fn_arn("policy-org-fn"),
                allow("*", "lambda:InvokeFunction", {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}))
resource_policy("good-policy-own-account", fn_arn("policy-own-account-fn"), allow(
    "*", "lambda:InvokeFunction", {"StringEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}))
resource_policy("good-policy-topic", fn_arn("policy-topic-fn"), allow(
    "*", "lambda:InvokeFunction", {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:orders"}}))
# Signed calls from any account to an AWS_IAM URL: public, though not unauthenticated.
resource_policy("bare-policy-iam-url", fn_arn("policy-iam-url-fn"), allow(
    "*", "lambda:InvokeFunctionUrl", {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}))
# The same, its auth type compared in any case (IAM compares AWS_IAM so under StringEqualsIgnoreCase).
resource_policy("bare-policy-any-case-iam-url", fn_arn("policy-any-case-iam-url-fn"), allow(
    "*", "lambda:InvokeFunctionUrl", {"StringEqualsIgnoreCase": {"lambda:FunctionUrlAuthType": "aws_iam"}}))
# The two grants a public URL without IAM needs (lambda-function-url-auth's); the same for batch-fn, exempted.
PUBLIC_URL = (allow("*", "lambda:InvokeFunctionUrl", URL_NONE, "Url"),
              allow("*", "lambda:InvokeFunction", VIA_URL, "Via"))
resource_policy("bare-policy-url", fn_arn("policy-url-fn"), *PUBLIC_URL)
resource_policy("batch-policy-url", fn_arn("batch-fn:live"), *PUBLIC_URL)
resource_policy("good-policy-url", fn_arn("policy-account-url-fn"), allow(
    {"AWS": "arn:aws:iam::123456789012:root"}, ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"]))


# Subnets in two zones (one named by its zone id, and a second in the first zone), and functions in a VPC, each
# otherwise in order.
SUBNET = {"vpc_id": "vpc-0123456789abcdef0", "tags": TAGS}
zone_a = aws.ec2.Subnet("zone-a-subnet", cidr_block="10.0.1.0/24", availability_zone="us-east-1a", **SUBNET)
zone_a2 = aws.ec2.Subnet("zone-a2-subnet", cidr_block="10.0.2.0/24", availability_zone="us-east-1a", **SUBNET)
zone_b = aws.ec2.Subnet("zone-b-subnet", cidr_block="10.0.3.0/24", availability_zone_id="use1-az2", **SUBNET)


def vpc_function(name, subnet_ids):
    aws.cloudwatch.LogGroup(f"{name}-logs", name=f"/aws/lambda/{name}", retention_in_days=365, kms_key_id=LOG_KEY,
                            tags=TAGS)
    function(name, reserved_concurrent_executions=2, tracing_config={"mode": "Active"},
             vpc_config={"subnet_ids": subnet_ids, "security_group_ids": ["sg-0123456789abcdef0"]})


vpc_function("two-zones-fn", [zone_a.id, zone_b.id])
vpc_function("one-zone-fn", [zone_a.id, zone_a2.id])  # two subnets, one zone: found by the subnets' ids
vpc_function("outside-subnet-fn", ["subnet-0a1b2c3d4e5f60001"])
# Another stack's subnets: their zones are not known here, so each may be a zone of its own.
vpc_function("outside-subnets-fn", ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"])

# An AWS service's grant names the resource it acts for (lambda-permission-service-source): one API's, or nothing.
aws.lambda_.Permission("good-api-one-api", function=good.name, action="lambda:InvokeFunction",
                       principal="apigateway.amazonaws.com",
                       source_arn="arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/orders")
resource_policy("bare-policy-events", fn_arn("events-fn"), {
    "Sid": "Rules", "Effect": "Allow", "Principal": {"Service": ["events.amazonaws.com"]},
    "Action": "lambda:InvokeFunction", "Resource": fn_arn("events-fn")})
# Everyone narrowed to a service by its name is that service's grant: it names no source, or one rule.
SERVICE_NAMED = {"StringEquals": {"aws:PrincipalServiceName": "events.amazonaws.com"}}
resource_policy("bare-policy-named-events", fn_arn("named-events-fn"),
                allow("*", "lambda:InvokeFunction", SERVICE_NAMED, sid="Rules"))
resource_policy("good-policy-named-events", fn_arn("named-events-rule-fn"), allow(
    "*", "lambda:InvokeFunction", {**SERVICE_NAMED, "ArnEquals": {
        "aws:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/nightly"}}, sid="Rules"))
# Alexa's principals end in .amazon.com: a skill's grant names the one skill by its id, the token its calls carry.
aws.lambda_.Permission("bare-alexa-skill", function=good.name, action="lambda:InvokeFunction",
                       principal="alexa-appkit.amazon.com")
aws.lambda_.Permission("good-alexa-skill", function=good.name, action="lambda:InvokeFunction",
                       principal="alexa-appkit.amazon.com", event_source_token="amzn1.ask.skill.1234")
resource_policy("bare-policy-alexa-home", fn_arn("home-fn"),
                allow({"Service": "alexa-connectedhome.amazon.com"}, "lambda:InvokeFunction", sid="Home"))
resource_policy("good-policy-alexa-home", fn_arn("home-skill-fn"), allow(
    {"Service": "alexa-connectedhome.amazon.com"}, "lambda:InvokeFunction",
    {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1234"}}, sid="Home"))

# A layer's code shared with every account, with one organization, with an account, and published on purpose.
layer = aws.lambda_.LayerVersion("shared-layer", layer_name="shared-layer", compatible_runtimes=["python3.13"],
                                 code=pulumi.AssetArchive({"python/x.py": pulumi.StringAsset("X = 1\n")}))
for name, grant in (("bare-layer-public", {"principal": "*"}),
                    ("good-layer-org", {"principal": "*", "organization_id": "o-a1b2c3d4e5"}),
                    ("good-layer-account", {"principal": "210987654321"}),
                    ("batch-layer-public", {"principal": "*", "layer_name": "open-source-tools"})):
    aws.lambda_.LayerVersionPermission(name, **{"layer_name": layer.layer_name, **grant}, statement_id=name,
                                       action="lambda:GetLayerVersion", version_number=layer.version)
