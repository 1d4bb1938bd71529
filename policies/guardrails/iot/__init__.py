"""AWS IoT Core guardrails: a device's policy lets it connect and use only its own client id and topics; the account's
logging stays on; a topic rule keeps the messages its actions fail on."""

POLICY = "aws:iot/policy:Policy"
"""AWS IoT Core policies, the permissions attached to device certificates: judged on their document, as IoT Device
Defender's audit judges them (IOT_POLICY_OVERLY_PERMISSIVE_CHECK): a device's data-plane actions on every client id,
topic, topic filter or thing, rather than its own."""

LOGGING_OPTIONS = "aws:iot/loggingOptions:LoggingOptions"
"""AWS IoT Core's logging options, one setting per account and region (SetV2LoggingOptions)."""

TOPIC_RULE = "aws:iot/topicRule:TopicRule"
"""AWS IoT rules: a SQL query over the messages of a topic, and the actions its results go to."""
