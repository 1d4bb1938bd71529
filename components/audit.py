"""Audit and access logging: a CloudTrail trail into an immutable log archive, and a bucket for load
balancer access logs.

    CloudTrail (multi-region, digest validation, SSE-KMS) ─▶ log archive bucket (versioned, object lock
        COMPLIANCE for the retention, TLS-only, no public access, files of 128 KB or more to Glacier after N days)
                                                          │  its S3 server access logs ─▶ a bucket of their own
                                                          └─▶ CloudWatch log group `/<env>/cloudtrail` (the
        recent events to query and alarm on, kept N days, encrypted with the environment's log key)
    ALB / NLB access logs ─▶ access log bucket (SSE-S3: the only encryption ELB delivery accepts for ALBs)

The archive (with its access-log bucket and, on the CloudWatch Logs copy, the account-activity filters of
account_activity.py) and the load balancers' bucket are small components; `AuditLogging` builds the ones a stack
turns on. Anchors: CIS AWS
3.1/3.2/3.4/3.5, Security Hub CloudTrail.1/2/4/5/7, S3.1/S3.5/S3.8/S3.15, ELB.5.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .account_activity import ActivityMetric, activity_filters
from .config import AuditConfig
from .iam import account_root, key_policy, policy_json, service_trust_policy, statement
from .kms import customer_key
from .logkey import log_group
from .naming import access_log_prefix, trail_log_group, trail_name

# Which objects a lifecycle transition moves (S3 PutBucketLifecycleConfiguration, TransitionDefaultMinimumObjectSize):
# none under 128 KB, the provider's and S3's default, said here. Most log files are smaller (a trail's, per region
# every five minutes; a load balancer's, per node), and they stay in S3 Standard: in Glacier each object is billed
# 40 KB more (its index), so moving a file of a few KB would cost more than keeping it.
SMALL_OBJECTS_STAY = "all_storage_classes_128K"

# NLB access logs and newer regions' ALB logs are delivered by these service principals; ALBs in regions
# opened before August 2022 write as the region's ELB account (aws.elb.get_service_account).
NLB_LOG_DELIVERY = "delivery.logs.amazonaws.com"
ALB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com"
# The regions that have an ELB account: the ones get_service_account knows. It fails the preview in any other
# (terraform-provider-aws internal/service/elb/service_account_data_source.go), where ALB_LOG_DELIVERY alone writes.
ELB_ACCOUNT_REGIONS = frozenset({
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ca-central-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-north-1",
    "eu-south-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1", "us-east-1", "us-east-2",
    "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"})
# S3 server access logs: the service principal that writes them, and where the archive's go in their bucket.
SERVER_ACCESS_LOG_DELIVERY = "logging.s3.amazonaws.com"
ARCHIVE_ACCESS_PREFIX = "archive/"
# The encryption type a bucket's default encryption blocks uploads under (S3 BlockedEncryptionTypes).
SSE_C = "SSE-C"


def _tls_only(bucket_arn: pulumi.Output[str]) -> dict:
    """Deny every request that is not over TLS (Security Hub S3.5)."""
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def _kept(parent: pulumi.Resource, *, depends_on: Sequence[pulumi.Resource] = (),
          protect: Optional[bool] = None) -> pulumi.ResourceOptions:
    """What outlives the stack (`retain_on_delete`): a log bucket, each of its settings, and the key its logs are
    encrypted with. S3 refuses to delete a bucket that holds logs (an object-locked one, until the last retention
    ends); a kept bucket stripped of its settings would keep its logs forever (no lifecycle rule), unguarded (no
    TLS-only policy, no public access block); and logs whose key is deleted cannot be read."""
    return pulumi.ResourceOptions(parent=parent, retain_on_delete=True, protect=protect, depends_on=list(depends_on))


def _default_encryption(name: str, bucket: aws.s3.Bucket, algorithm: str, opts: pulumi.ResourceOptions, *,
                        key: Optional[aws.kms.Key] = None) -> aws.s3.BucketServerSideEncryptionConfiguration:
    """The bucket's default encryption (`aws:kms` under `key`, with a bucket key: one KMS call per object batch, not
    per object), and no uploads under customer-provided keys (SSE-C): S3 refuses them on buckets made since April
    2026 and reports `BlockedEncryptionTypes` on every read, so the program says it too. Left out, a provider that
    does not compute the field diffs on every update, and a change made outside the program is not drift."""
    by_default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
        sse_algorithm=algorithm, kms_master_key_id=key.arn if key else None)
    return aws.s3.BucketServerSideEncryptionConfiguration(
        name, bucket=bucket.id,
        rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=by_default, bucket_key_enabled=True if key else None,
            blocked_encryption_types=[SSE_C])],
        opts=opts)


def _private_bucket(name: str, bucket: aws.s3.Bucket, opts: pulumi.ResourceOptions) -> aws.s3.BucketPublicAccessBlock:
    """Objects belong to the bucket owner (no ACLs) and nothing in the bucket can be made public."""
    aws.s3.BucketOwnershipControls(
        name, bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"), opts=opts)
    return aws.s3.BucketPublicAccessBlock(
        name, bucket=bucket.id, block_public_acls=True, block_public_policy=True, ignore_public_acls=True,
        restrict_public_buckets=True, opts=opts)


def _log_bucket(name: str, owner: pulumi.Resource, *, retention_days: int, infrequent_after_days: Optional[int],
                writers: Callable[[pulumi.Output[str]], list],
                protect: Optional[bool] = None) -> tuple[aws.s3.Bucket, aws.s3.BucketPolicy]:
    """A kept bucket for logs an AWS service delivers: private, versioned, SSE-S3 (the only default encryption ALB
    log delivery and S3 server access log delivery accept), its objects expiring after `retention_days`,
    TLS-only, and written by the statements `writers(bucket_arn)` gives. No object lock: S3 refuses a server
    access log target whose lock has a default retention. Turning its logs off, or a destroy, keeps the bucket
    (`_kept`), whose lifecycle rule then empties it; its name is generated, so turning them on again makes a new
    bucket beside it."""
    bucket = aws.s3.Bucket(name, force_destroy=False, opts=_kept(owner, protect=protect))
    public_access = _private_bucket(name, bucket, _kept(owner))
    versioning = aws.s3.BucketVersioning(
        name, bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=_kept(owner))
    _default_encryption(name, bucket, "AES256", _kept(owner))
    aws.s3.BucketLifecycleConfiguration(
        name, bucket=bucket.id, transition_default_minimum_object_size=SMALL_OBJECTS_STAY,
        rules=[aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="expire", status="Enabled",
            filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
            transitions=[aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                days=infrequent_after_days, storage_class="STANDARD_IA")] if infrequent_after_days else None,
            expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=retention_days),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=1))],
        opts=_kept(owner, depends_on=[versioning]))
    policy = aws.s3.BucketPolicy(
        name, bucket=bucket.id, policy=policy_json([_tls_only(bucket.arn), *writers(bucket.arn)]),
        # S3 rejects a policy while the public access block is still being applied.
        opts=_kept(owner, depends_on=[public_access]))
    return bucket, policy


@dataclass(frozen=True)
class TrailLogGroupArgs:
    """The trail's copy in CloudWatch Logs: kept `retention_days`, encrypted with the environment's log key."""
    retention_days: int
    log_key_arn: pulumi.Input[str]


@dataclass(frozen=True)
class LogArchiveArgs:
    environment: str
    region: str
    retention_days: int
    transition_days: int
    protect: bool
    # Where the trail also delivers (`audit.cloudWatchLogs`); None: the archive only.
    log_group: Optional[TrailLogGroupArgs] = None


@dataclass(frozen=True)
class TrailLogDelivery:
    """What the trail needs to deliver to CloudWatch Logs, and what it must wait for."""
    group_arn: pulumi.Output[str]  # the trail's `cloudWatchLogsGroupArn`: the group's ARN with the streams' `:*`
    group_name: pulumi.Output[str]
    role_arn: pulumi.Output[str]
    ready: list[pulumi.Resource]   # CloudTrail checks at create and update that the role may write the group


def trail_log_delivery(owner: pulumi.Resource, name: str, *, environment: str, region: str,
                       args: TrailLogGroupArgs, account_id: pulumi.Output[str], trail_arn: pulumi.Output[str],
                       protect: bool) -> TrailLogDelivery:
    """The log group, and the role CloudTrail assumes to write it ("Sending events to CloudWatch Logs")."""
    # Audit records: turning the copy off (or a replacement) leaves the group and its events in the account.
    group = log_group(f"{name}-trail", owner, log_name=trail_log_group(environment), retention_days=args.retention_days,
                      key_arn=args.log_key_arn, protect=protect, retain_on_delete=True)
    group_arn = group.arn  # without the `:*` the API adds (the provider strips it)
    # AWS documents no aws:SourceArn or aws:SourceAccount for this role ("Confused deputy prevention is not
    # applicable"): checked only when CloudTrail sends them, so another account's trail that does is refused.
    role = aws.iam.Role(
        f"{name}-trail-logs", description=f"{environment}: CloudTrail writes the trail's events to CloudWatch Logs",
        assume_role_policy=service_trust_policy("cloudtrail.amazonaws.com", account_id, source_arn=trail_arn,
                                                if_exists=True),
        opts=pulumi.ResourceOptions(parent=owner))
    # CloudTrail names the group's streams <account>_CloudTrail_<trail region>, with _<n> when it needs several.
    streams = pulumi.Output.all(account_id, group_arn).apply(
        lambda v: f"{v[1]}:log-stream:{v[0]}_CloudTrail_{region}*")
    policy = aws.iam.RolePolicy(
        f"{name}-trail-logs", role=role.id,
        policy=policy_json([statement(["logs:CreateLogStream", "logs:PutLogEvents"], [streams],
                                      sid="TrailDelivers")]),
        opts=pulumi.ResourceOptions(parent=owner))
    return TrailLogDelivery(group_arn=group_arn.apply(lambda arn: f"{arn}:*"), group_name=group.name,
                            role_arn=role.arn, ready=[policy])


class LogArchive(pulumi.ComponentResource):
    """A CloudTrail trail (all regions, management events) into an object-locked, KMS-encrypted bucket, whose
    server access logs go to a bucket of their own."""

    bucket_name: pulumi.Output[str]
    trail_arn: pulumi.Output[str]
    key_arn: pulumi.Output[str]
    # The request-metrics filter (its id) that counts the trail's log file deliveries into the bucket.
    delivery_filter_id: pulumi.Output[str]
    # The account activity CIS asks to be alerted to, counted in the trail's log group (none without the group).
    activity_metrics: tuple[ActivityMetric, ...]

    def __init__(self, name: str, args: LogArchiveArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:audit:LogArchive", name, None, opts)
        # Turning the trail off, or a destroy, stops and deletes the trail and keeps the archive readable: the
        # bucket, its settings and the key. Both names are generated, so a trail turned on again gets new ones.
        keep = _kept(self, protect=args.protect)
        env = args.environment
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        trail = trail_name(env)
        # Known before the trail exists, so the key and bucket policies can name exactly this trail.
        trail_arn = account_id.apply(lambda a: f"arn:aws:cloudtrail:{args.region}:{a}:trail/{trail}")

        # Its alias is not kept: the name would collide when the trail is turned on again; the key is found by its
        # description.
        self.key = customer_key(f"{name}-trail", keep, environment=env, purpose="audit",
                                description=f"{env}: CloudTrail log files and the log archive bucket",
                                policy=_trail_key_policy(account_id, trail_arn))
        self.bucket, policy = _archive_bucket(
            f"{name}-archive", self, key=self.key, retention_days=args.retention_days,
            transition_days=args.transition_days, protect=args.protect, account_id=account_id, trail_arn=trail_arn)
        _archive_access_logs(name, self, self.bucket, retention_days=args.retention_days, protect=args.protect,
                             account_id=account_id)

        logs = (trail_log_delivery(self, name, environment=env, region=args.region, args=args.log_group,
                                   account_id=account_id, trail_arn=trail_arn, protect=args.protect)
                if args.log_group is not None else None)
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail", name=trail, s3_bucket_name=self.bucket.id, kms_key_id=self.key.arn,
            is_multi_region_trail=True, include_global_service_events=True, enable_log_file_validation=True,
            enable_logging=True,
            cloud_watch_logs_group_arn=logs.group_arn if logs else None,
            cloud_watch_logs_role_arn=logs.role_arn if logs else None,
            # CloudTrail checks at creation that it may write to the bucket (and to the log group).
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy, *(logs.ready if logs else ())]))
        deliveries = _trail_deliveries(name, self, self.bucket, account_id)

        self.bucket_name = self.bucket.bucket
        self.trail_arn = self.trail.arn
        self.key_arn = self.key.arn
        self.delivery_filter_id = deliveries.name
        self.activity_metrics = activity_filters(self, name, env, logs.group_name) if logs else ()
        self.register_outputs({"bucketName": self.bucket_name, "trailArn": self.trail_arn})


def _archive_bucket(name: str, owner: pulumi.Resource, *, key: aws.kms.Key, retention_days: int, transition_days: int,
                    protect: bool, account_id: pulumi.Output[str],
                    trail_arn: pulumi.Output[str]) -> tuple[aws.s3.Bucket, aws.s3.BucketPolicy]:
    """The trail's bucket: kept, private, versioned, object-locked for `retention_days`, encrypted under `key`, its
    log files to Glacier after `transition_days`, and written by the trail `trail_arn` alone."""
    # Object lock can only be turned on when the bucket is created (ForceNew), and it needs versioning.
    bucket = aws.s3.Bucket(name, object_lock_enabled=True, force_destroy=False, opts=_kept(owner, protect=protect))
    public_access = _private_bucket(name, bucket, _kept(owner))
    versioning = aws.s3.BucketVersioning(
        name, bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=_kept(owner))
    # COMPLIANCE: nobody, the root user included, can delete or overwrite a log file before it expires.
    aws.s3.BucketObjectLockConfiguration(
        name, bucket=bucket.id, object_lock_enabled="Enabled",
        rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
            default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(
                mode="COMPLIANCE", days=retention_days)),
        opts=_kept(owner, depends_on=[versioning]))
    _default_encryption(name, bucket, "aws:kms", _kept(owner), key=key)
    aws.s3.BucketLifecycleConfiguration(
        name, bucket=bucket.id, transition_default_minimum_object_size=SMALL_OBJECTS_STAY,
        rules=[aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="archive-then-expire", status="Enabled",
            filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
            transitions=[aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                days=transition_days, storage_class="GLACIER")],
            # Object lock keeps every version until its retention ends; only then may these run. A log file
            # is written once, so it becomes noncurrent when expiry puts a delete marker on it, its retention
            # over: it goes a day later (counting the retention again would keep it twice as long).
            expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=retention_days),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=1))],
        opts=_kept(owner, depends_on=[versioning]))
    bucket_policy = aws.s3.BucketPolicy(
        name, bucket=bucket.id, policy=_archive_bucket_policy(bucket.arn, account_id, trail_arn),
        # S3 rejects a policy while the public access block is still being applied.
        opts=_kept(owner, depends_on=[public_access]))
    return bucket, bucket_policy


def _archive_access_logs(name: str, owner: pulumi.Resource, archive: aws.s3.Bucket, *, retention_days: int,
                         protect: bool, account_id: pulumi.Output[str]) -> aws.s3.BucketLogging:
    # Who read, wrote or deleted log files (CIS AWS 3.4, Security Hub CloudTrail.7): S3 server access logs, kept
    # as long as the archive, in a bucket of their own (a bucket that logs into itself logs its own log writes).
    access_logs, access_policy = _log_bucket(
        f"{name}-archive-access", owner, retention_days=retention_days, infrequent_after_days=None,
        writers=lambda arn: [_server_access_log_writer(arn, ARCHIVE_ACCESS_PREFIX, archive.arn, account_id)],
        protect=protect)
    return aws.s3.BucketLogging(f"{name}-archive", bucket=archive.id, target_bucket=access_logs.id,
                                target_prefix=ARCHIVE_ACCESS_PREFIX, opts=_kept(owner, depends_on=[access_policy]))


def _trail_deliveries(name: str, owner: pulumi.Resource, archive: aws.s3.Bucket,
                      account_id: pulumi.Output[str]) -> aws.s3.BucketMetric:
    # S3 request metrics for the trail's log files only (not digests, not readers): a trail that cannot
    # write (a changed key or bucket policy) still reports IsLogging, and this count is what goes quiet.
    return aws.s3.BucketMetric(
        f"{name}-trail-deliveries", bucket=archive.id, name="trail-log-deliveries",
        filter=aws.s3.BucketMetricFilterArgs(prefix=pulumi.Output.concat("AWSLogs/", account_id, "/CloudTrail/")),
        opts=pulumi.ResourceOptions(parent=owner))


def _trail_key_policy(account_id: pulumi.Output[str], trail_arn: pulumi.Output[str]) -> pulumi.Output[str]:
    return key_policy(account_id, [
        {"Sid": "TrailEncrypts", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}}},
        # Readers in this account decrypt log files through S3 (bucket keys) or directly.
        {"Sid": "AccountReadsLogs", "Effect": "Allow", "Principal": {"AWS": account_root(account_id)},
         "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": account_id}}},
    ])


def _archive_bucket_policy(bucket_arn: pulumi.Output[str], account_id: pulumi.Output[str],
                           trail_arn: pulumi.Output[str]) -> pulumi.Output[str]:
    from_trail = {"StringEquals": {"aws:SourceArn": trail_arn}}
    return policy_json([
        _tls_only(bucket_arn),
        {"Sid": "TrailChecksAcl", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:GetBucketAcl", "Resource": bucket_arn, "Condition": from_trail},
        {"Sid": "TrailWrites", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:PutObject",
         "Resource": pulumi.Output.concat(bucket_arn, "/AWSLogs/", account_id, "/*"),
         "Condition": {"StringEquals": {"aws:SourceArn": trail_arn, "s3:x-amz-acl": "bucket-owner-full-control"}}},
    ])


def _server_access_log_writer(bucket_arn: pulumi.Output[str], prefix: str, source_bucket_arn: pulumi.Output[str],
                              account_id: pulumi.Output[str]) -> dict:
    """S3 writes one bucket's server access logs under `prefix` (S3 User Guide, "Permissions for log delivery")."""
    return {"Sid": "ServerAccessLogsWrite", "Effect": "Allow", "Principal": {"Service": SERVER_ACCESS_LOG_DELIVERY},
            "Action": "s3:PutObject", "Resource": pulumi.Output.concat(bucket_arn, "/", prefix, "*"),
            "Condition": {"ArnLike": {"aws:SourceArn": source_bucket_arn},
                          "StringEquals": {"aws:SourceAccount": account_id}}}


@dataclass(frozen=True)
class AccessLogBucketArgs:
    environment: str
    region: str
    retention_days: int


class AccessLogBucket(pulumi.ComponentResource):
    """A regional bucket that ALBs and NLBs deliver access logs to; `access_logs(lb)` wires one load balancer."""

    bucket_name: pulumi.Output[str]

    def __init__(self, name: str, args: AccessLogBucketArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:audit:AccessLogBucket", name, None, opts)
        self._environment = args.environment
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        elb_account = aws.elb.get_service_account_output(
            region=args.region, opts=pulumi.InvokeOutputOptions(parent=self)).arn \
            if args.region in ELB_ACCOUNT_REGIONS else None

        # Access logs are rebuildable operational data (not an audit record), moved to Standard-IA after 30 days.
        self.bucket, self.policy = _log_bucket(
            f"{name}-lb-logs", self, retention_days=args.retention_days,
            infrequent_after_days=30 if args.retention_days > 30 else None,
            writers=lambda arn: _load_balancer_log_writers(arn, account_id, elb_account))
        self.bucket_name = self.bucket.bucket
        self.register_outputs({"bucketName": self.bucket_name})

    def access_logs(self, load_balancer: str) -> aws.lb.LoadBalancerAccessLogsArgs:
        """Access log settings for one load balancer, under its own prefix. The bucket's name is given once the
        bucket policy is in place: ELB tests that it may write when logging is switched on (which the provider
        does right after creating the load balancer), and refuses a bucket that does not let it yet."""
        bucket = pulumi.Output.all(self.bucket.id, self.policy.id).apply(lambda ids: ids[0])
        return aws.lb.LoadBalancerAccessLogsArgs(
            enabled=True, bucket=bucket, prefix=access_log_prefix(self._environment, load_balancer))


def _load_balancer_log_writers(bucket_arn: pulumi.Output[str], account_id: pulumi.Output[str],
                               elb_account: Optional[pulumi.Output[str]]) -> list:
    # Every load balancer writes under <prefix>/AWSLogs/<this account>/.
    objects = pulumi.Output.concat(bucket_arn, "/*/AWSLogs/", account_id, "/*")
    same_account = {"StringEquals": {"aws:SourceAccount": account_id}}
    elb_account_writes = [] if elb_account is None else [
        {"Sid": "AlbLogsFromElbAccount", "Effect": "Allow", "Principal": {"AWS": elb_account},
         "Action": "s3:PutObject", "Resource": objects}]
    return [
        *elb_account_writes,
        # As AWS's example grants it, with no condition: a key this principal may not send would stop delivery
        # without a word. Another account's load balancer could still write here under a prefix ending in
        # AWSLogs/<this account> (`*` spans `/`), as through the ELB account's statement: noise, never a read.
        {"Sid": "AlbLogsFromLogDelivery", "Effect": "Allow", "Principal": {"Service": ALB_LOG_DELIVERY},
         "Action": "s3:PutObject", "Resource": objects},
        {"Sid": "NlbLogsWrite", "Effect": "Allow", "Principal": {"Service": NLB_LOG_DELIVERY},
         "Action": "s3:PutObject", "Resource": objects,
         "Condition": {"StringEquals": {"aws:SourceAccount": account_id,
                                        "s3:x-amz-acl": "bucket-owner-full-control"}}},
        {"Sid": "NlbLogsCheckAcl", "Effect": "Allow", "Principal": {"Service": NLB_LOG_DELIVERY},
         "Action": "s3:GetBucketAcl", "Resource": bucket_arn, "Condition": same_account},
    ]


@dataclass(frozen=True)
class AuditLoggingArgs:
    environment: str
    region: str
    audit: AuditConfig
    protect: bool
    # The environment's log key (`LogKey`): the trail's CloudWatch log group is encrypted with it.
    log_key_arn: pulumi.Input[str]


class AuditLogging(pulumi.ComponentResource):
    """The audit pieces a stack turns on (`audit.trail`, `audit.cloudWatchLogs`, `audit.loadBalancerAccessLogs`)."""

    archive: Optional[LogArchive]
    access_log_bucket: Optional[AccessLogBucket]

    def __init__(self, name: str, args: AuditLoggingArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:audit:AuditLogging", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        audit = args.audit
        log_group = (TrailLogGroupArgs(retention_days=audit.cloud_watch_logs_retention_days,
                                       log_key_arn=args.log_key_arn) if audit.cloud_watch_logs else None)
        self.archive = LogArchive(name, LogArchiveArgs(
            environment=args.environment, region=args.region, retention_days=audit.archive_retention_days,
            transition_days=audit.archive_transition_days, protect=args.protect, log_group=log_group),
            child) if audit.trail else None
        self.access_log_bucket = AccessLogBucket(name, AccessLogBucketArgs(
            environment=args.environment, region=args.region, retention_days=audit.access_log_retention_days),
            child) if audit.load_balancer_access_logs else None
        self.register_outputs({})

    def access_logs(self, load_balancer: str) -> aws.lb.LoadBalancerAccessLogsArgs:
        """A load balancer's access log settings: logging off when the stack keeps no access logs. Said, not left
        out: the provider suppresses the diff of a removed `access_logs` block (SuppressMissingOptionalConfiguration
        Block), so the load balancer would go on writing to the bucket; with `enabled` false it ignores `bucket`."""
        if self.access_log_bucket is None:
            return aws.lb.LoadBalancerAccessLogsArgs(enabled=False, bucket="")
        return self.access_log_bucket.access_logs(load_balancer)
