"""Kinesis Data Streams guardrails: a data stream encrypts the records it keeps with a KMS key, and no resource policy
of a stream or of its enhanced fan-out consumers lets every AWS account in."""

STREAM = "aws:kinesis/stream:Stream"
# An enhanced fan-out consumer registered with a stream (RegisterStreamConsumer); its ARN, the stream's and the
# consumer's name and a creation timestamp, is known only once it is registered.
CONSUMER = "aws:kinesis/streamConsumer:StreamConsumer"
# The resource policy of a data stream or a consumer, by `resourceArn` (PutResourcePolicy, which replaces the one the
# resource had).
RESOURCE_POLICY = "aws:kinesis/resourcePolicy:ResourcePolicy"
