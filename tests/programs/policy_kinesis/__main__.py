"""Raw Kinesis data streams: encrypted with the account's own KMS key or Kinesis's AWS managed one; and ones that
leave encryption to the provider's default (NONE) or turn it off. An encryption type another resource gives, known
only after the update, is not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
KEY = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"


def stream(name, **settings):
    return aws.kinesis.Stream(name, name=name, retention_period=24, stream_mode_details={"stream_mode": "ON_DEMAND"},
                              tags=TAGS, **{"encryption_type": "KMS", "kms_key_id": KEY, **settings})


stream("device-telemetry")
stream("device-events", kms_key_id="alias/aws/kinesis")
# Left to the provider's default, NONE.
stream("plain-telemetry", encryption_type=None, kms_key_id=None)
stream("cleartext-telemetry", encryption_type="NONE", kms_key_id=None)
# An encryption type known only after the update.
key = aws.kms.Key("telemetry-key", enable_key_rotation=True, tags=TAGS)
stream("later-telemetry", encryption_type=key.arn.apply(lambda _: "KMS"), kms_key_id=key.arn)
