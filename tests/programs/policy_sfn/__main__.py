"""Raw Step Functions state machines: one logging its errors to a log group; ones left to the default (OFF), turned
off, or logging to no destination. A log group another resource gives, known only after the update, is not judged."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/orders-workflow"
DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/shop/orders-workflow:*"


def machine(name, **settings):
    return aws.sfn.StateMachine(name, name=name, role_arn=ROLE, definition=DEFINITION, tags=TAGS, **settings)


machine("orders-workflow", logging_configuration={"level": "ERROR", "log_destination": LOGS,
                                                  "include_execution_data": False})
machine("silent-workflow")
machine("off-workflow", logging_configuration={"level": "OFF"})
machine("nowhere-workflow", logging_configuration={"level": "ALL"})
# A destination another resource gives, known only after the update.
key = aws.kms.Key("later-key", enable_key_rotation=True, tags=TAGS)
machine("later-workflow", logging_configuration={"level": "ALL", "log_destination": key.arn.apply(lambda _: LOGS)})
