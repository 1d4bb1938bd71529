"""Amazon Data Firehose guardrails: a Firehose stream that producers write to directly encrypts the records it buffers
with a KMS key."""

DELIVERY_STREAM = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
# The sources a stream reads from instead of Direct PUT (PutRecord, PutRecordBatch).
SOURCES = ("kinesisSourceConfiguration", "mskSourceConfiguration", "databaseSourceConfiguration")
