"""AWS IoT Core guardrails: a device's policy lets it connect and use only its own client id and topics."""

POLICY = "aws:iot/policy:Policy"
