"""Raw AWS IoT Core policies: one scoping each device to its own client id and topics with policy variables; one
letting a device do anything to anything; one letting it connect as any client; one broad under a condition every
attached device meets; one whose condition ties the client id to the device's thing name; broad ones narrowed by
an explicit Deny of every other client id, and one whose Deny leaves them; one leaving out only another region's
client ids. A document another resource gives, known only after the update, is judged only then. Logging options
that turn AWS IoT's logs off (by their default level, or all of them), and ones that keep them. Topic rules with an
error action, without one, and disabled."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
PREFIX = "arn:aws:iot:us-east-1:123456789012"


def policy(name, *statements):
    return aws.iot.Policy(name, name=name, tags=TAGS, policy=json.dumps({"Version": "2012-10-17",
                                                                         "Statement": list(statements)}))


policy("device-own-topics",
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{PREFIX}:client/${{iot:Connection.Thing.ThingName}}"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": f"{PREFIX}:topic/devices/${{iot:Connection.Thing.ThingName}}/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": f"{PREFIX}:topicfilter/devices/${{iot:Connection.Thing.ThingName}}/*"})
policy("device-anything", {"Sid": "Everything", "Effect": "Allow", "Action": "iot:*", "Resource": "*"})
policy("device-any-client", {"Sid": "AnyClient", "Effect": "Allow", "Action": "iot:Connect",
                             "Resource": f"{PREFIX}:client/*"})
# Every device whose certificate is attached to a thing meets the condition: it narrows nothing.
policy("device-registered-only", {"Sid": "Attached", "Effect": "Allow", "Action": "iot:Connect",
                                  "Resource": f"{PREFIX}:client/*",
                                  "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}})
# Each device connects only as its own thing's name.
policy("device-own-client", {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{PREFIX}:client/*",
                             "Condition": {"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.ThingName}"}}})
# An explicit Deny overrides a broad Allow: of every client id but the device's own, by what it spares or by a
# condition on the client id; or of one client id, which leaves every other.
OWN_CLIENT = f"{PREFIX}:client/${{iot:Connection.Thing.ThingName}}"
policy("device-deny-others", {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{PREFIX}:client/*"},
       {"Effect": "Deny", "Action": "iot:Connect", "NotResource": OWN_CLIENT})
policy("device-deny-condition", {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Deny", "Action": "iot:Connect", "Resource": "*",
        "Condition": {"StringNotEquals": {"iot:ClientId": "${iot:Connection.Thing.ThingName}"}}})
policy("device-deny-admin", {"Sid": "AnyClient", "Effect": "Allow", "Action": "iot:Connect",
                             "Resource": f"{PREFIX}:client/*"},
       {"Effect": "Deny", "Action": "iot:Connect", "Resource": f"{PREFIX}:client/admin"})
# Every client id but another region's: IoT evaluates a policy in its own region, where that leaves out none.
policy("device-allow-ireland-only", {"Sid": "AllButIreland", "Effect": "Allow", "Action": "iot:Connect",
                                     "NotResource": "arn:aws:iot:eu-west-1:123456789012:client/*"})
# A broad document known only after the update: a first preview does not judge it.
key = aws.kms.Key("later-key", enable_key_rotation=True, tags=TAGS)
aws.iot.Policy("device-later", name="device-later", tags=TAGS, policy=key.arn.apply(lambda _: json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
                                            "Resource": f"{PREFIX}:client/*"}]})))

# Logging options (one setting per account and region: three here only to try each).
LOG_ROLE = "arn:aws:iam::123456789012:role/iot-logging"
aws.iot.LoggingOptions("logging-on", default_log_level="WARN", role_arn=LOG_ROLE)
aws.iot.LoggingOptions("logging-default-off", default_log_level="DISABLED", role_arn=LOG_ROLE)
aws.iot.LoggingOptions("logging-all-off", default_log_level="ERROR", disable_all_logs=True, role_arn=LOG_ROLE)

# Topic rules: one keeps the messages its action fails on, one loses them; a disabled rule runs no action.
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/"
TO_QUEUE = {"role_arn": "arn:aws:iam::123456789012:role/iot-rules", "use_base64": False}


def rule(name, **options):
    aws.iot.TopicRule(name, name=name.replace("-", "_"), sql="SELECT * FROM 'devices/+/telemetry'",
                      sql_version="2016-03-23", sqs=[{"queue_url": f"{QUEUE}telemetry", **TO_QUEUE}], tags=TAGS,
                      **{"enabled": True, **options})


rule("rule-kept", error_action={"sqs": {"queue_url": f"{QUEUE}telemetry-failed", **TO_QUEUE}})
rule("rule-lost")
rule("rule-disabled", enabled=False)
