"""Raw audit resources: a trail without validation, encryption, other regions or CloudWatch Logs writing to a bucket
that is neither locked nor versioned, nor private, nor TLS-only, nor encrypted, with no lifecycle rule (one whose
only rule is off); a correct trail and archive; CloudTrail Lake event data stores with and without a customer managed
key; a log bucket whose versioning is suspended; buckets whose one TLS Deny is written with NotAction, NotPrincipal
or NotResource; buckets without server access logs; load balancers (Classic ones too) with and without access logs,
and Classic listeners with and without TLS; DynamoDB tables, provisioned ones with and without auto scaling; DynamoDB
Accelerator (DAX) clusters with and without encryption (at rest, in transit); public hosted zones with and without a
query log (one to a log group outside us-east-1, which Route 53 does not take), and a private one."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
TRAIL_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/policy-tests/cloudtrail:*"
TRAIL_ROLE = "arn:aws:iam::123456789012:role/policy-tests-trail-logs"


# A lifecycle rule in effect: noncurrent versions and unfinished uploads go after 30 days.
EXPIRE_OLD = [{"id": "expire-old", "status": "Enabled", "filter": {"prefix": ""},
               "noncurrent_version_expiration": {"noncurrent_days": 30},
               "abort_incomplete_multipart_upload": {"days_after_initiation": 7}}]


def tls_only(bucket):
    return bucket.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))


def access_logged(name, bucket):
    """Server access logs for `bucket` into the log bucket below, under a prefix of its own."""
    aws.s3.BucketLogging(f"{name}-logging", bucket=bucket.id, target_bucket="policy-tests-lb-logs",
                         target_prefix=f"{name}/")


# Wrong: only a bucket (no settings), and a trail on it with every option left off.
loose = aws.s3.Bucket("loose-bucket", tags=TAGS)
aws.cloudtrail.Trail("loose-trail", s3_bucket_name=loose.id, tags=TAGS)
# Wrong: every region, but switched off, and its selectors record read-only events without management events.
aws.cloudtrail.Trail("idle-trail", s3_bucket_name=loose.id, is_multi_region_trail=True, enable_logging=False,
                     enable_log_file_validation=True, kms_key_id="arn:aws:kms:us-east-1:123456789012:key/idle",
                     event_selectors=[{"read_write_type": "ReadOnly", "include_management_events": True},
                                      {"include_management_events": False}],
                     cloud_watch_logs_group_arn=TRAIL_GROUP_ARN, cloud_watch_logs_role_arn=TRAIL_ROLE, tags=TAGS)
# Wrong: advanced selectors that record only the write side of management events.
aws.cloudtrail.Trail("write-only-trail", s3_bucket_name=loose.id, is_multi_region_trail=True,
                     enable_log_file_validation=True, kms_key_id="arn:aws:kms:us-east-1:123456789012:key/idle",
                     advanced_event_selectors=[{"field_selectors": [
                         {"field": "eventCategory", "equals": ["Management"]},
                         {"field": "readOnly", "equals": ["false"]}]}],
                     cloud_watch_logs_group_arn=TRAIL_GROUP_ARN, cloud_watch_logs_role_arn=TRAIL_ROLE, tags=TAGS)
# Wrong: an object-lock bucket whose settings are half there (public access partly blocked, a policy that
# allows rather than denies, governance-mode lock). It declares no versioning: the lock keeps it versioned.
half = aws.s3.Bucket("half-bucket", object_lock_enabled=True, tags=TAGS)
aws.s3.BucketPublicAccessBlock("half-bucket-pab", bucket=half.id, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=False)
aws.s3.BucketPolicy("half-bucket-policy", bucket=half.id, policy=half.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                            "Action": "s3:PutObject", "Resource": f"{arn}/*"}]})))
aws.s3.BucketObjectLockConfiguration("half-bucket-lock", bucket=half.id, object_lock_enabled="Enabled",
                                     rule={"default_retention": {"mode": "GOVERNANCE", "days": 30}})
# Its default encryption lets uploads under customer-provided keys through (NONE).
aws.s3.BucketServerSideEncryptionConfiguration("half-bucket-sse", bucket=half.id, rules=[
    {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}, "blocked_encryption_types": ["NONE"]}])
# Its one lifecycle rule is switched off: S3 expires nothing.
aws.s3.BucketLifecycleConfiguration("half-bucket-lifecycle", bucket=half.id,
                                    rules=[{**EXPIRE_OLD[0], "status": "Disabled"}])
# A log group without the role CloudTrail writes it with.
aws.cloudtrail.Trail("half-trail", s3_bucket_name=half.id, is_multi_region_trail=True,
                     enable_log_file_validation=True, kms_key_id="arn:aws:kms:us-east-1:123456789012:key/half",
                     cloud_watch_logs_group_arn=TRAIL_GROUP_ARN, tags=TAGS)

# Right: an archive with every setting, and a trail that writes to it.
key = aws.kms.Key("archive-key", enable_key_rotation=True, tags=TAGS)
archive = aws.s3.Bucket("archive-bucket", object_lock_enabled=True, tags=TAGS)
aws.s3.BucketPublicAccessBlock("archive-bucket-pab", bucket=archive.id, block_public_acls=True,
                               block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketPolicy("archive-bucket-policy", bucket=archive.id, policy=tls_only(archive))
aws.s3.BucketVersioning("archive-bucket-versioning", bucket=archive.id, versioning_configuration={"status": "Enabled"})
aws.s3.BucketLifecycleConfiguration("archive-bucket-lifecycle", bucket=archive.id, rules=EXPIRE_OLD)
aws.s3.BucketObjectLockConfiguration("archive-bucket-lock", bucket=archive.id, object_lock_enabled="Enabled",
                                     rule={"default_retention": {"mode": "COMPLIANCE", "days": 365}})
aws.s3.BucketServerSideEncryptionConfiguration("archive-bucket-sse", bucket=archive.id, rules=[
    {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn},
     "blocked_encryption_types": ["SSE-C"]}])
# Who reads the log files is on record: server access logs into the log bucket below (loose and half have none).
aws.s3.BucketLogging("archive-bucket-logging", bucket=archive.id, target_bucket="policy-tests-lb-logs",
                     target_prefix="archive/")
# The role's ARN is unknown on a first preview: still set.
trail_logs_role = aws.iam.Role("trail-logs-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]}), tags=TAGS)
aws.cloudtrail.Trail("good-trail", s3_bucket_name=archive.id, is_multi_region_trail=True,
                     enable_log_file_validation=True, kms_key_id=key.arn, cloud_watch_logs_group_arn=TRAIL_GROUP_ARN,
                     cloud_watch_logs_role_arn=trail_logs_role.arn, tags=TAGS)

# CloudTrail Lake: a store under CloudTrail's own key (no kmsKeyId), one under an AWS managed key's alias, and one
# under the archive's key (its ARN unknown on a first preview: still set).
aws.cloudtrail.EventDataStore("plain-store", name="plain-store", tags=TAGS)
aws.cloudtrail.EventDataStore("aws-key-store", name="aws-key-store", kms_key_id="alias/aws/cloudtrail", tags=TAGS)
aws.cloudtrail.EventDataStore("keyed-store", name="keyed-store", kms_key_id=key.arn, tags=TAGS)

# Right: a log bucket named by a literal (no dependency link), with its settings named the same way.
aws.s3.Bucket("named-bucket", bucket="policy-tests-lb-logs", tags=TAGS)
aws.s3.BucketPublicAccessBlock("named-bucket-pab", bucket="policy-tests-lb-logs", block_public_acls=True,
                               block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketPolicy("named-bucket-policy", bucket="policy-tests-lb-logs", policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
        "Resource": ["arn:aws:s3:::policy-tests-lb-logs", "arn:aws:s3:::policy-tests-lb-logs/*"],
        "Condition": {"Bool": {"aws:SecureTransport": False}}}]}))
SSE_S3 = [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"},
           "blocked_encryption_types": ["SSE-C"]}]
aws.s3.BucketServerSideEncryptionConfiguration("named-bucket-sse", bucket="policy-tests-lb-logs", rules=SSE_S3)
# Versioning once on, now suspended: new writes overwrite the object for good.
aws.s3.BucketVersioning("named-bucket-versioning", bucket="policy-tests-lb-logs",
                        versioning_configuration={"status": "Suspended"})
aws.s3.BucketLifecycleConfiguration("named-bucket-lifecycle", bucket="policy-tests-lb-logs", rules=EXPIRE_OLD)
# Named by a prefix (its name unknown until the provider makes it): the literal settings above, whose name lacks the
# prefix, are not its. One declares no public access block, one does; both encrypt, block SSE-C, deny plain HTTP, are
# versioned and have a lifecycle rule.
for name, blocked in (("prefixed-bucket", False), ("blocked-prefixed-bucket", True)):
    prefixed = aws.s3.Bucket(name, bucket_prefix=f"policy-tests-{name}-", tags=TAGS)
    aws.s3.BucketServerSideEncryptionConfiguration(f"{name}-sse", bucket=prefixed.id, rules=SSE_S3)
    aws.s3.BucketPolicy(f"{name}-policy", bucket=prefixed.id, policy=tls_only(prefixed))
    aws.s3.BucketVersioning(f"{name}-versioning", bucket=prefixed.id, versioning_configuration={"status": "Enabled"})
    aws.s3.BucketLifecycleConfiguration(f"{name}-lifecycle", bucket=prefixed.id, rules=EXPIRE_OLD)
    access_logged(name, prefixed)
    if blocked:
        aws.s3.BucketPublicAccessBlock(f"{name}-pab", bucket=prefixed.id, block_public_acls=True,
                                       block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)


def tls_bucket(name, *statements, logged=True):
    """A private, encrypted, versioned bucket with a lifecycle rule (and, `logged`, server access logs) whose policy
    holds TLS Denies, `statement(arn)` each, and nothing else."""
    bucket = aws.s3.Bucket(name, tags=TAGS)
    if logged:
        access_logged(name, bucket)
    aws.s3.BucketVersioning(f"{name}-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
    aws.s3.BucketLifecycleConfiguration(f"{name}-lifecycle", bucket=bucket.id, rules=EXPIRE_OLD)
    aws.s3.BucketPublicAccessBlock(f"{name}-pab", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                                   ignore_public_acls=True, restrict_public_buckets=True)
    aws.s3.BucketServerSideEncryptionConfiguration(f"{name}-sse", bucket=bucket.id, rules=SSE_S3)
    aws.s3.BucketPolicy(f"{name}-policy", bucket=bucket.id, policy=bucket.arn.apply(lambda arn: json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Condition": {
            "Bool": {"aws:SecureTransport": "false"}}, **statement(arn)} for statement in statements]})))


EVERYONE_ALL = {"Principal": "*", "Action": "s3:*"}
# Wrong: a Deny that leaves out an S3 action (GetObject stays allowed over HTTP), a principal, or a prefix.
tls_bucket("notaction-bucket", lambda arn: {"Principal": "*", "NotAction": ["s3:GetObject"],
                                            "Resource": [arn, f"{arn}/*"]})
tls_bucket("notprincipal-bucket", lambda arn: {"NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/legacy"},
                                               "Action": "s3:*", "Resource": [arn, f"{arn}/*"]})
tls_bucket("notresource-bucket", lambda arn: {**EVERYONE_ALL, "NotResource": [f"{arn}/public/*"]})
# Right: a NotAction that spares no S3 action, and a NotResource that spares only another bucket's objects.
tls_bucket("notaction-sqs-bucket", lambda arn: {"Principal": "*", "NotAction": "sqs:*",
                                                "Resource": [arn, f"{arn}/*"]})
tls_bucket("notresource-other-bucket", lambda arn: {**EVERYONE_ALL,
                                                    "NotResource": "arn:aws:s3:::policy-tests-lb-logs/*"})
# Right: what one Deny's NotAction spares, another denies, by its Action or by a NotAction sparing something else.
tls_bucket("split-actions-bucket",
           lambda arn: {"Principal": "*", "NotAction": "s3:GetObject", "Resource": [arn, f"{arn}/*"]},
           lambda arn: {"Principal": "*", "Action": "s3:GetObject", "Resource": [arn, f"{arn}/*"]})
tls_bucket("split-nots-bucket",
           lambda arn: {"Principal": "*", "NotAction": "s3:GetObject", "Resource": [arn, f"{arn}/*"]},
           lambda arn: {"Principal": "*", "NotAction": "s3:PutObject", "Resource": [arn, f"{arn}/*"]})
# Wrong: s3:GetObject? takes s3:GetObjectX-like names only, not s3:GetObjectVersion, which GetObject* spares.
tls_bucket("split-wildcards-bucket",
           lambda arn: {"Principal": "*", "NotAction": "s3:GetObject*", "Resource": [arn, f"{arn}/*"]},
           lambda arn: {"Principal": "*", "Action": "s3:GetObject?", "Resource": [arn, f"{arn}/*"]})

# Server access logging (Security Hub S3.9): a bucket without it; one the test's config exempts (a bucket that takes
# another service's logs, say). The log bucket above, which receives the others' access logs, and the trails'
# buckets (s3-bucket-trail-access-logging's to judge) are not asked.
def deny_everything(arn):
    return {**EVERYONE_ALL, "Resource": [arn, f"{arn}/*"]}


tls_bucket("unlogged-bucket", deny_everything, logged=False)
tls_bucket("exempt-unlogged-bucket", deny_everything, logged=False)

# Load balancers (each protected from deletion): none, disabled, and logging to the named bucket.
PROTECTED = {"subnets": SUBNETS, "tags": TAGS, "enable_deletion_protection": True}
aws.lb.LoadBalancer("quiet-nlb", load_balancer_type="network", internal=True, **PROTECTED)
aws.lb.LoadBalancer("off-alb", load_balancer_type="application", internal=True, **PROTECTED,
                    drop_invalid_header_fields=True,
                    access_logs={"enabled": False, "bucket": "policy-tests-lb-logs"})
aws.lb.LoadBalancer("logged-alb", load_balancer_type="application", internal=True, **PROTECTED,
                    drop_invalid_header_fields=True,
                    access_logs={"enabled": True, "bucket": "policy-tests-lb-logs", "prefix": "logged-alb"})
aws.lb.LoadBalancer("gateway-lb", load_balancer_type="gateway", **PROTECTED)
# Access logs through CloudWatch's vended log delivery instead of accessLogs: an ALB's source delivered to the log
# bucket; an NLB's source that no delivery sends.
delivered_alb = aws.lb.LoadBalancer("delivered-alb", load_balancer_type="application", internal=True, **PROTECTED,
                                    drop_invalid_header_fields=True)
delivered_source = aws.cloudwatch.LogDeliverySource("delivered-alb-access", name="delivered-alb-access", tags=TAGS,
                                                    log_type="ALB_ACCESS_LOGS", resource_arn=delivered_alb.arn)
lb_logs = aws.cloudwatch.LogDeliveryDestination(
    "lb-logs", name="lb-logs", tags=TAGS,
    delivery_destination_configuration={"destination_resource_arn": "arn:aws:s3:::policy-tests-lb-logs"})
aws.cloudwatch.LogDelivery("delivered-alb-delivery", delivery_source_name=delivered_source.name,
                           delivery_destination_arn=lb_logs.arn, tags=TAGS)
sourced_nlb = aws.lb.LoadBalancer("sourced-nlb", load_balancer_type="network", internal=True, **PROTECTED)
aws.cloudwatch.LogDeliverySource("sourced-nlb-access", name="sourced-nlb-access", log_type="NLB_ACCESS_LOGS",
                                 resource_arn=sourced_nlb.arn, tags=TAGS)
# Classic Load Balancers: no logs and plain HTTP; logs (enabled by default) and HTTPS only.
HTTPS = {"instance_port": 8443, "instance_protocol": "https", "lb_port": 443, "lb_protocol": "https",
         "ssl_certificate_id": "arn:aws:acm:us-east-1:123456789012:certificate/classic"}
aws.elb.LoadBalancer("quiet-clb", subnets=SUBNETS, tags=TAGS, connection_draining=True, listeners=[
    {"instance_port": 8080, "instance_protocol": "http", "lb_port": 80, "lb_protocol": "http"}, HTTPS])
logged_clb = aws.elb.LoadBalancer("logged-clb", subnets=SUBNETS, tags=TAGS, connection_draining=True,
                                  listeners=[HTTPS],
                                  access_logs={"bucket": "policy-tests-lb-logs", "bucket_prefix": "logged-clb"})
# It negotiates TLS 1.2 at least; quiet-clb's HTTPS listener takes ELB's default (TLS 1.0 and up).
aws.elb.SslNegotiationPolicy("logged-clb-tls12", name="tls12", load_balancer=logged_clb.name, lb_port=443,
                             attributes=[{"name": "Reference-Security-Policy",
                                          "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}])

# DynamoDB tables: one a destroy would delete and a bad write would lose, one that refuses the first and can be
# rolled back after the second.
for name, protected in (("unprotected-table", None), ("protected-table", True)):
    aws.dynamodb.Table(name, name=name, billing_mode="PAY_PER_REQUEST", hash_key="id", tags=TAGS,
                       attributes=[{"name": "id", "type": "S"}], deletion_protection_enabled=protected,
                       point_in_time_recovery={"enabled": True} if protected else None)


def provisioned_table(name, **args):
    """A protected table with provisioned capacity (billingMode left out: PROVISIONED)."""
    return aws.dynamodb.Table(name, name=name, hash_key="id", read_capacity=5, write_capacity=5, tags=TAGS,
                              attributes=[{"name": "id", "type": "S"}, {"name": "status", "type": "S"}],
                              deletion_protection_enabled=True, point_in_time_recovery={"enabled": True}, **args)


def scaled(name, resource_id, dimension, policy_linked=True):
    """Auto scaling of one capacity between 5 and 100 units, tracking 70% use; the policy names the target through
    its outputs or, unlinked, by the same values."""
    target = aws.appautoscaling.Target(name, service_namespace="dynamodb", resource_id=resource_id,
                                       scalable_dimension=f"dynamodb:{dimension}", min_capacity=5, max_capacity=100)
    names = (target.resource_id, target.scalable_dimension, target.service_namespace) if policy_linked else (
        resource_id, f"dynamodb:{dimension}", "dynamodb")
    metric = "DynamoDBReadCapacityUtilization" if "Read" in dimension else "DynamoDBWriteCapacityUtilization"
    aws.appautoscaling.Policy(name, name=name, policy_type="TargetTrackingScaling", resource_id=names[0],
                              scalable_dimension=names[1], service_namespace=names[2],
                              target_tracking_scaling_policy_configuration={
                                  "target_value": 70, "predefined_metric_specification": {
                                      "predefined_metric_type": metric}})


# Provisioned tables: one with nothing to scale it; one whose table and index capacities all scale (the table's
# through its name's output, the index's by the literal id, its policies unlinked).
provisioned_table("fixed-table")
scaled_table = provisioned_table("scaled-table", global_secondary_indexes=[{
    "name": "by-status", "hash_key": "status", "projection_type": "KEYS_ONLY", "read_capacity": 5,
    "write_capacity": 5}])
for capacity in ("ReadCapacityUnits", "WriteCapacityUnits"):
    scaled(f"scaled-table-{capacity}", scaled_table.name.apply(lambda name: f"table/{name}"), f"table:{capacity}")
    scaled(f"scaled-index-{capacity}", "table/scaled-table/index/by-status", f"index:{capacity}",
           policy_linked=False)

# DAX clusters: one that caches items unencrypted behind a plain endpoint, one encrypted at rest and behind TLS.
DAX_ROLE = "arn:aws:iam::123456789012:role/policy-tests-dax"
for name, encrypted, endpoint in (("plain-dax", None, None), ("sealed-dax", {"enabled": True}, "TLS")):
    aws.dax.Cluster(name, cluster_name=name, iam_role_arn=DAX_ROLE, node_type="dax.r5.large", replication_factor=3,
                    tags=TAGS, server_side_encryption=encrypted, cluster_endpoint_encryption_type=endpoint)

# Hosted zones: a public one whose queries are logged, a public one that logs nothing, and a private one (its
# queries are the Resolver's to log).
logged_zone = aws.route53.Zone("logged-zone", name="shop.example.com", tags=TAGS)
aws.route53.QueryLog("logged-zone-queries", zone_id=logged_zone.zone_id,
                     cloudwatch_log_group_arn="arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/shop")
aws.route53.Zone("silent-zone", name="silent.example.com", tags=TAGS)
aws.route53.Zone("private-zone", name="shop.internal", tags=TAGS, vpcs=[{"vpc_id": "vpc-0123456789abcdef0"}])
# Route 53 takes query log groups in us-east-1 only: one in us-west-2 logs nothing; one in the stack's region does.
in_oregon = pulumi.ResourceOptions(provider=aws.Provider("oregon", region="us-west-2"))
for name, region, opts in (("misplaced-log-zone", "us-west-2", in_oregon), ("stack-log-zone", "us-east-1", None)):
    zone = aws.route53.Zone(name, name=f"{name}.example.com", tags=TAGS)
    group = aws.cloudwatch.LogGroup(f"{name}-queries", name=f"/aws/route53/{name}", retention_in_days=365,
                                    kms_key_id=f"arn:aws:kms:{region}:123456789012:key/logs", tags=TAGS, opts=opts)
    aws.route53.QueryLog(f"{name}-log", zone_id=zone.zone_id, cloudwatch_log_group_arn=group.arn)


class QueryLogger(pulumi.ComponentResource):
    """A query log named `queries` under a component of its own type: logs of one name under different parents."""

    def __init__(self, kind: str, zone_id: pulumi.Input[str], region: str) -> None:
        super().__init__(f"audit:dns:{kind}QueryLogger", kind.lower())
        group = f"arn:aws:logs:{region}:123456789012:log-group:/aws/route53/{kind}"
        aws.route53.QueryLog("queries", zone_id=zone_id, cloudwatch_log_group_arn=group,
                             opts=pulumi.ResourceOptions(parent=self))


# Three query logs of one name (two under components, one at the top level), all outside us-east-1: none logs the
# zone's queries.
twice_misplaced_zone = aws.route53.Zone("twice-misplaced-zone", name="twice.example.com", tags=TAGS)
QueryLogger("West", twice_misplaced_zone.zone_id, "us-west-2")
QueryLogger("Europe", twice_misplaced_zone.zone_id, "eu-west-1")
aws.route53.QueryLog("queries", zone_id=twice_misplaced_zone.zone_id,
                     cloudwatch_log_group_arn="arn:aws:logs:ap-southeast-2:123456789012:log-group:/aws/route53/Sydney")
