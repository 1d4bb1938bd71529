"""Raw resources with no tags, some tags, an empty tag value and every tag; one type outside the pack's
list of taggable types (checked because it sets tags), one resource that cannot be tagged at all, and a
component that takes a `tags` input."""
import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team", "CostCenter": "ecommerce"}

aws.cloudwatch.LogGroup("untagged-log-group", name="/untagged", retention_in_days=365,
                        kms_key_id="arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab")
aws.sns.Topic("partially-tagged-topic", name="alarms", kms_master_key_id="alias/aws/sns",
              tags={"Project": "policy-tests"})
aws.s3.Bucket("empty-owner-bucket", bucket="empty-owner", tags={**TAGS, "Owner": " "})
# The bucket guardrails' settings (untaggable), so this program reports only tag findings.
aws.s3.BucketPublicAccessBlock("empty-owner-pab", bucket="empty-owner", block_public_acls=True,
                               block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketServerSideEncryptionConfiguration("empty-owner-sse", bucket="empty-owner", rules=[
    {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}, "blocked_encryption_types": ["SSE-C"]}])
aws.s3.BucketVersioning("empty-owner-versioning", bucket="empty-owner", versioning_configuration={"status": "Enabled"})
aws.s3.BucketLifecycleConfiguration("empty-owner-lifecycle", bucket="empty-owner", rules=[
    {"id": "expire-old", "status": "Enabled", "noncurrent_version_expiration": {"noncurrent_days": 30}}])
aws.s3.BucketLogging("empty-owner-logging", bucket="empty-owner", target_bucket="access-logs",
                     target_prefix="empty-owner/")
aws.s3.BucketPolicy("empty-owner-policy", bucket="empty-owner", policy="""{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": ["arn:aws:s3:::empty-owner", "arn:aws:s3:::empty-owner/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
}""")
# pulumi-aws registers ALB resources under aws:alb/* too; the alias is as taggable as aws:lb/*.
aws.alb.TargetGroup("untagged-alb-target-group", name="untagged-alb-tg", port=8080, protocol="HTTPS", target_type="ip",
                    vpc_id="vpc-0abc", health_check={"protocol": "HTTPS"})
# Trusted for one account's ECS tasks only (iam-ecs-tasks-trust-scoped), so it too gets tag findings alone.
aws.iam.Role("tagged-role", name="tagged", tags=TAGS, assume_role_policy="""{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]
}""")
aws.ec2.SecurityGroupRule("untaggable-rule", type="ingress", security_group_id="sg-0123", protocol="tcp",
                          from_port=443, to_port=443, cidr_blocks=["10.0.0.0/16"])

# An Auto Scaling group's tags are a list of blocks, and the provider's default tags never reach one.
GROUP = {"max_size": 1, "min_size": 0, "vpc_zone_identifiers": ["subnet-0abc", "subnet-0def"],
         "mixed_instances_policy": {"launch_template": {
             "launch_template_specification": {"launch_template_id": "lt-0abc", "version": "$Latest"},
             "overrides": [{"instance_type": "t4g.small"}, {"instance_type": "t4g.medium"}]}}}
aws.autoscaling.Group("listed-tags-group", **GROUP,
                      tags=[{"key": k, "value": v, "propagate_at_launch": True} for k, v in TAGS.items()])
default_tagged = aws.Provider("default-tagged", region="us-east-1", default_tags={"tags": TAGS})
aws.autoscaling.Group("default-tagged-group", **GROUP, opts=pulumi.ResourceOptions(provider=default_tagged))


class Bundle(pulumi.ComponentResource):
    """A component that takes tags as an input: not an AWS resource, so the tag rule leaves it alone."""

    def __init__(self, name: str, tags: dict):
        super().__init__("policytests:index:Bundle", name, {"tags": tags})
        self.register_outputs({})


Bundle("untagged-component", tags={})
