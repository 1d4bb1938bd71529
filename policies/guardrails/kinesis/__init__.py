"""Kinesis Data Streams guardrails: a data stream encrypts the records it keeps with a KMS key."""

STREAM = "aws:kinesis/stream:Stream"
