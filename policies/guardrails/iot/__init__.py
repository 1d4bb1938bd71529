"""AWS IoT Core guardrails: a device's policy lets it connect and use only its own client id and topics; the account's
logging stays on; a topic rule keeps the messages its actions fail on."""

POLICY = "aws:iot/policy:Policy"
# One setting per account and region (SetV2LoggingOptions).
LOGGING_OPTIONS = "aws:iot/loggingOptions:LoggingOptions"
# A SQL query over the messages of a topic, and the actions its results go to.
TOPIC_RULE = "aws:iot/topicRule:TopicRule"
