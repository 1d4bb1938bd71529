"""Raw Kinesis data streams: encrypted with the account's own KMS key or Kinesis's AWS managed one; and ones that
leave encryption to the provider's default (NONE) or turn it off. Resource policies of streams and enhanced fan-out
consumers that share them with one account or one organization, and ones that let every account in. An encryption
type another resource gives, known only after the update, is not judged."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
KEY = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"


def stream(name, **settings):
    return aws.kinesis.Stream(name, name=name, retention_period=24, stream_mode_details={"stream_mode": "ON_DEMAND"},
                              tags=TAGS, **{"encryption_type": "KMS", "kms_key_id": KEY, **settings})


telemetry = stream("device-telemetry")
events = stream("device-events", kms_key_id="alias/aws/kinesis")
# Left to the provider's default, NONE.
stream("plain-telemetry", encryption_type=None, kms_key_id=None)
stream("cleartext-telemetry", encryption_type="NONE", kms_key_id=None)
# An encryption type known only after the update.
key = aws.kms.Key("telemetry-key", enable_key_rotation=True, tags=TAGS)
stream("later-telemetry", encryption_type=key.arn.apply(lambda _: "KMS"), kms_key_id=key.arn)

# Resource policies (PutResourcePolicy): one partner account's role reads a stream; every account of one
# organization reads through a consumer; every account reads and writes a stream, reads through a consumer, or reads
# another stack's stream.
READ = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator",
        "kinesis:GetRecords"]
WRITE = ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords"]
FAN_OUT = ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"]
EVERY_ACCOUNT = {"Sid": "Everyone", "Principal": {"AWS": "*"}}


def resource_policy(name, resource_arn, resource, statement):
    document = pulumi.Output.from_input(resource).apply(lambda arn: json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": arn, **statement}]}))
    return aws.kinesis.ResourcePolicy(name, resource_arn=resource_arn, policy=document)


resource_policy("device-telemetry-policy", telemetry.arn, telemetry.arn, {
    "Sid": "PartnerReads", "Principal": {"AWS": "arn:aws:iam::210987654321:role/telemetry-reader"}, "Action": READ})
telemetry_fanout = aws.kinesis.StreamConsumer("telemetry-fanout", name="telemetry-fanout", stream_arn=telemetry.arn,
                                              tags=TAGS)
resource_policy("telemetry-fanout-policy", telemetry_fanout.arn, telemetry_fanout.arn, {
    "Sid": "Organization", "Principal": {"AWS": "*"}, "Action": FAN_OUT,
    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}})
# The stream's ARN written out: the document is known in a first preview, while resourceArn is not.
resource_policy("device-events-policy", events.arn, "arn:aws:kinesis:us-east-1:123456789012:stream/device-events",
                {**EVERY_ACCOUNT, "Principal": "*", "Action": READ + WRITE})
events_fanout = aws.kinesis.StreamConsumer("events-fanout", name="events-fanout", stream_arn=events.arn, tags=TAGS)
resource_policy("events-fanout-policy", events_fanout.arn, events_fanout.arn, {**EVERY_ACCOUNT, "Action": FAN_OUT})
SHARED = "arn:aws:kinesis:us-east-1:123456789012:stream/shared-telemetry"
resource_policy("shared-telemetry-policy", SHARED, SHARED, {**EVERY_ACCOUNT, "Action": READ})
