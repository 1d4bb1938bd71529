"""Raw Athena workgroups: one encrypting its results under a KMS key and enforcing that; ones writing results
unencrypted (no configuration at all, or no encryption option), letting a query override the workgroup's encryption,
or publishing no CloudWatch metrics; and ones whose override is held to a minimum encryption, or whose results Athena
keeps itself. A key another resource gives, known only after the update, is not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
RESULTS = "s3://telemetry-query-results/athena/"
KEY = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"


def workgroup(name, **configuration):
    return aws.athena.Workgroup(name, name=name, tags=TAGS,
                                configuration=configuration or None)


def results(option, key=KEY):
    return {"output_location": RESULTS, "encryption_configuration": {"encryption_option": option, "kms_key_arn": key}}


workgroup("telemetry-analysts", result_configuration=results("SSE_KMS"), enforce_workgroup_configuration=True,
          publish_cloudwatch_metrics_enabled=True)
workgroup("telemetry-adhoc")
workgroup("telemetry-plain", result_configuration={"output_location": RESULTS})
workgroup("telemetry-overridable", result_configuration=results("SSE_KMS"), enforce_workgroup_configuration=False)
workgroup("telemetry-unmetered", result_configuration=results("SSE_KMS"), publish_cloudwatch_metrics_enabled=False)
# A query may bring its own settings, but none below the workgroup's SSE_S3.
workgroup("telemetry-minimum", result_configuration={"output_location": RESULTS,
                                                     "encryption_configuration": {"encryption_option": "SSE_S3"}},
          enforce_workgroup_configuration=False, enable_minimum_encryption_configuration=True)
# Results Athena stores itself, under an AWS owned key.
workgroup("telemetry-managed", managed_query_results_configuration={"enabled": True})
# A key another resource gives, known only after the update.
key = aws.kms.Key("later-key", enable_key_rotation=True, tags=TAGS)
workgroup("telemetry-later", result_configuration=results("CSE_KMS", key.arn))
