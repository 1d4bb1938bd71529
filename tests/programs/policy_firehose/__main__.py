"""Raw Firehose streams delivering to S3: Direct PUT streams encrypted with the account's own KMS key or an AWS owned
one; ones that leave encryption to the provider's default (off) or turn it off; and one reading an encrypted Kinesis
data stream, which takes no server-side encryption of its own. A switch another resource gives, known only after the
update, is not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
KEY = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"
ROLE = "arn:aws:iam::123456789012:role/firehose-delivery"
S3 = {"role_arn": ROLE, "bucket_arn": "arn:aws:s3:::shop-telemetry-archive", "prefix": "telemetry/"}
OWN_KEY = {"enabled": True, "key_type": "CUSTOMER_MANAGED_CMK", "key_arn": KEY}


def delivery(name, **settings):
    return aws.kinesis.FirehoseDeliveryStream(name, name=name, destination="extended_s3",
                                              extended_s3_configuration=S3, tags=TAGS,
                                              **{"server_side_encryption": OWN_KEY, **settings})


delivery("telemetry-archive")
delivery("events-archive", server_side_encryption={"enabled": True})
# Left to the provider's default: off.
delivery("plain-archive", server_side_encryption=None)
delivery("cleartext-archive", server_side_encryption={"enabled": False})
# Reading an encrypted data stream: its records rest there.
source = aws.kinesis.Stream("device-telemetry", name="device-telemetry", encryption_type="KMS", kms_key_id=KEY,
                            stream_mode_details={"stream_mode": "ON_DEMAND"}, tags=TAGS)
delivery("stream-archive", server_side_encryption=None,
         kinesis_source_configuration={"kinesis_stream_arn": source.arn, "role_arn": ROLE})
# A switch known only after the update.
delivery("later-archive", server_side_encryption={"enabled": source.arn.apply(lambda _: True)})
