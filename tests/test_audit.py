"""Audit and access logging: the trail, the object-locked archive, the access log bucket and its wiring."""
from __future__ import annotations

import json

import pytest

from components.config import ConfigError, parse_config
from tests.conftest import dev_raw_config, moved_to, parse, preview, raw_config, with_value
from tools.awsprovider import check_autoname
from tools.mockrun import struct_to_plain

TRAIL = "aws:cloudtrail/trail:Trail"
BUCKET = "aws:s3/bucket:Bucket"
LB = "aws:lb/loadBalancer:LoadBalancer"
LOG_GROUP, ROLE, ROLE_POLICY = "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"
TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/prod-audit"
TRAIL_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/prod/cloudtrail"


def _inputs(result, type_, name):
    return result.get(type_, name).inputs


def _arn(result, type_, name) -> str:
    """The resource's ARN as the program saw it (its state after the mocked step)."""
    return struct_to_plain(result.get(type_, name).state_struct)["arn"]


def _children(result, component_type: str):
    """The resources the stack's one component of this type holds."""
    [component] = [r for r in result.resources if r.type == component_type]
    return [r for r in result.resources if r.parent == component.urn]


def test_prod_trail_covers_all_regions_validates_and_encrypts_into_the_archive(prod_preview):
    trail = prod_preview.get(TRAIL, "prod-audit-trail")
    assert trail.inputs["name"] == "prod-audit"
    assert trail.inputs["isMultiRegionTrail"] is True
    assert trail.inputs["enableLogFileValidation"] is True
    assert trail.inputs["includeGlobalServiceEvents"] is True
    assert trail.inputs["kmsKeyId"].endswith("key/prod-audit-trail-id")
    # The bucket's id, its name (pulumi-aws's; here auto-named).
    assert trail.inputs["s3BucketName"] == prod_preview.get(BUCKET, "prod-audit-archive").inputs["bucket"]
    # CloudTrail checks its write permission when the trail is created.
    policy = prod_preview.get("aws:s3/bucketPolicy:BucketPolicy", "prod-audit-archive")
    assert policy.urn in trail.dependencies


def test_archive_bucket_is_object_locked_in_compliance_mode_for_the_retention(prod_preview):
    bucket = prod_preview.get(BUCKET, "prod-audit-archive")
    assert bucket.inputs["objectLockEnabled"] is True and bucket.protect
    lock = _inputs(prod_preview, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
                   "prod-audit-archive")
    assert lock["objectLockEnabled"] == "Enabled"
    assert lock["rule"]["defaultRetention"] == {"mode": "COMPLIANCE", "days": 2557}
    versioning = prod_preview.get("aws:s3/bucketVersioning:BucketVersioning", "prod-audit-archive")
    assert versioning.inputs["versioningConfiguration"]["status"] == "Enabled"
    # S3 refuses a default retention on a bucket whose versioning is not yet on: the lock waits for it.
    assert versioning.urn in prod_preview.get("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
                                              "prod-audit-archive").dependencies
    sse = _inputs(prod_preview, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                  "prod-audit-archive")["rules"][0]
    assert sse["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert sse["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].endswith("key/prod-audit-trail-id")
    assert sse["bucketKeyEnabled"] is True and sse["blockedEncryptionTypes"] == ["SSE-C"]
    rule = _inputs(prod_preview, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                   "prod-audit-archive")["rules"][0]
    assert rule["transitions"] == [{"days": 90, "storageClass": "GLACIER"}]
    assert rule["expiration"]["days"] == 2557
    # Kept for the retention, not twice it: a file becomes noncurrent only when expiry marks it deleted.
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 1}


@pytest.mark.parametrize("stack,bucket", [("prod", "prod-audit-archive"), ("dev", "dev-audit-lb-logs")])
def test_log_buckets_say_which_files_a_transition_moves(stack, bucket, request):
    """S3 moves no object under 128 KB unless the configuration says otherwise (PutBucketLifecycleConfiguration's
    TransitionDefaultMinimumObjectSize; the provider sends that default too): most log files are smaller and stay
    in S3 Standard. The program says so rather than implying every file moves."""
    result = request.getfixturevalue(f"{stack}_preview")
    lifecycle = _inputs(result, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", bucket)
    assert lifecycle["transitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"


def test_the_archive_its_settings_and_its_key_outlive_the_trail(prod_preview):
    """Turning the trail off, or a destroy, must not end on an object-locked bucket S3 cannot empty, nor delete
    the key without which no archived log file can be decrypted."""
    archive = _children(prod_preview, "service-mesh-platform:audit:LogArchive")
    kept = {(r.type, r.name) for r in archive if r.retain_on_delete}
    settings = ("bucket", "bucketVersioning", "bucketObjectLockConfiguration",
                "bucketServerSideEncryptionConfiguration", "bucketLifecycleConfiguration", "bucketPolicy",
                "bucketPublicAccessBlock", "bucketOwnershipControls")
    assert {(f"aws:s3/{s}:{s[0].upper()}{s[1:]}", "prod-audit-archive") for s in settings} <= kept
    key = prod_preview.get("aws:kms/key:Key", "prod-audit-trail")
    assert key.retain_on_delete and key.protect and prod_preview.get(BUCKET, "prod-audit-archive").protect
    # The trail itself goes, and the alias, whose fixed name a trail turned on again takes.
    assert (TRAIL, "prod-audit-trail") not in kept and ("aws:kms/alias:Alias", "prod-audit-trail") not in kept


def test_who_reads_the_archive_is_on_record_in_a_bucket_of_its_own(prod_preview):
    """CIS AWS 3.4 (Security Hub CloudTrail.7): S3 server access logs of the trail's bucket, kept as long as the
    archive, in a bucket S3's log delivery accepts (SSE-S3, no object lock) and only for this bucket's logs."""
    logging = prod_preview.get("aws:s3/bucketLogging:BucketLogging", "prod-audit-archive")
    access = prod_preview.get(BUCKET, "prod-audit-archive-access")
    assert (logging.inputs["bucket"], logging.inputs["targetBucket"], logging.inputs["targetPrefix"]) == (
        prod_preview.get(BUCKET, "prod-audit-archive").inputs["bucket"], access.inputs["bucket"], "archive/")
    assert access.inputs["bucket"] == check_autoname(BUCKET, "prod-audit-archive-access", {}, access.urn)["bucket"]
    assert "objectLockEnabled" not in access.inputs
    sse = _inputs(prod_preview, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                  "prod-audit-archive-access")["rules"][0]
    assert sse == {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"},
                   "blockedEncryptionTypes": ["SSE-C"]}
    rule = _inputs(prod_preview, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                   "prod-audit-archive-access")["rules"][0]
    assert rule["expiration"]["days"] == 2557 and "transitions" not in rule
    policy = json.loads(_inputs(prod_preview, "aws:s3/bucketPolicy:BucketPolicy",
                                "prod-audit-archive-access")["policy"])
    [write] = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    archive_arn = _arn(prod_preview, BUCKET, "prod-audit-archive")
    assert write == {"Sid": "ServerAccessLogsWrite", "Effect": "Allow",
                     "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
                     "Resource": f"arn:aws:s3:::{access.inputs['bucket']}/archive/*",
                     "Condition": {"ArnLike": {"aws:SourceArn": archive_arn},
                                   "StringEquals": {"aws:SourceAccount": "123456789012"}}}
    # Logging starts once S3 may deliver; it and the bucket outlive the trail with the archive.
    assert prod_preview.get("aws:s3/bucketPolicy:BucketPolicy", "prod-audit-archive-access").urn in logging.dependencies
    # Protected like the archive: an audit record too.
    assert logging.retain_on_delete and access.retain_on_delete and access.protect


@pytest.mark.parametrize("bucket", ["prod-audit-archive", "prod-audit-lb-logs", "prod-audit-archive-access"])
def test_log_buckets_block_public_access_and_refuse_plain_http(prod_preview, bucket):
    block = _inputs(prod_preview, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)
    assert all(block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                          "restrictPublicBuckets"))
    ownership = _inputs(prod_preview, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket)
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"
    policy = json.loads(_inputs(prod_preview, "aws:s3/bucketPolicy:BucketPolicy", bucket)["policy"])
    deny = next(s for s in policy["Statement"] if s["Effect"] == "Deny")
    assert deny["Principal"] == "*" and deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    arn = f"arn:aws:s3:::{_inputs(prod_preview, BUCKET, bucket)['bucket']}"  # a bucket's ARN: its name alone
    assert deny["Resource"] == [arn, f"{arn}/*"]


def test_trail_may_write_only_its_own_log_files(prod_preview):
    policy = json.loads(_inputs(prod_preview, "aws:s3/bucketPolicy:BucketPolicy", "prod-audit-archive")["policy"])
    write = next(s for s in policy["Statement"] if s.get("Sid") == "TrailWrites")
    trail_arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/prod-audit"
    assert write["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert write["Resource"].endswith("/AWSLogs/123456789012/*")
    # This trail's writes only, with the owner-full-control ACL AWS's CloudTrail bucket policy requires.
    assert write["Condition"] == {"StringEquals": {"aws:SourceArn": trail_arn,
                                                   "s3:x-amz-acl": "bucket-owner-full-control"}}
    key_policy = json.loads(_inputs(prod_preview, "aws:kms/key:Key", "prod-audit-trail")["policy"])
    encrypt = next(s for s in key_policy["Statement"] if s["Sid"] == "TrailEncrypts")
    assert encrypt["Condition"] == {"StringEquals": {"aws:SourceArn": trail_arn}}
    # Readers decrypt the log files only as callers of this account.
    reads = next(s for s in key_policy["Statement"] if s["Sid"] == "AccountReadsLogs")
    assert reads == {"Sid": "AccountReadsLogs", "Effect": "Allow",
                     "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                     "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": "*",
                     "Condition": {"StringEquals": {"kms:CallerAccount": "123456789012"}}}


def test_prod_trail_also_delivers_to_its_cloudwatch_log_group(prod_preview):
    group = prod_preview.get(LOG_GROUP, "prod-audit-trail")
    assert group.inputs["name"] == "/prod/cloudtrail" and group.inputs["retentionInDays"] == 90
    # The environment's log key, whose policy lets CloudWatch Logs use it for /prod/* groups; kept like the archive.
    assert group.inputs["kmsKeyId"] == _arn(prod_preview, "aws:kms/key:Key", "prod-logs-key")
    assert group.protect and group.inputs["deletionProtectionEnabled"] is True
    # Turning the copy off keeps the group and its events (README: unprotect, then up), and the key that reads them.
    assert group.retain_on_delete is True
    assert prod_preview.get("aws:kms/key:Key", "prod-logs-key").retain_on_delete is True
    role = prod_preview.get(ROLE, "prod-audit-trail-logs")
    trail = prod_preview.get(TRAIL, "prod-audit-trail")
    # CloudTrail wants the group's streams (the ARN with `:*`), and the role it writes them with.
    assert trail.inputs["cloudWatchLogsGroupArn"] == f"{TRAIL_GROUP_ARN}:*"
    assert trail.inputs["cloudWatchLogsRoleArn"] == _arn(prod_preview, ROLE, role.name)
    # CloudTrail checks at create and update that the role can write to the group: both exist first.
    policy = prod_preview.get(ROLE_POLICY, "prod-audit-trail-logs")
    assert {policy.urn, group.urn} <= set(trail.dependencies)
    assert group.urn in trail.property_dependencies["cloudWatchLogsGroupArn"]


def test_only_cloudtrail_for_this_account_and_trail_may_assume_the_delivery_role(prod_preview):
    trust = json.loads(prod_preview.get(ROLE, "prod-audit-trail-logs").inputs["assumeRolePolicy"])
    # AWS documents neither key for this role: checked when CloudTrail sends them, not required.
    assert trust["Statement"] == [{
        "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"},
                      "ArnLikeIfExists": {"aws:SourceArn": TRAIL_ARN}}}]


def test_the_delivery_role_writes_only_the_trails_own_streams(prod_preview):
    policy = json.loads(prod_preview.get(ROLE_POLICY, "prod-audit-trail-logs").inputs["policy"])
    # CloudTrail names the streams <account>_CloudTrail_<the trail's region>[_<n>].
    assert policy["Statement"] == [{
        "Sid": "TrailDelivers", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [f"{TRAIL_GROUP_ARN}:log-stream:123456789012_CloudTrail_us-east-1*"]}]


def test_a_trail_without_cloudwatch_logs_keeps_the_archive_only():
    result = preview("prod", config_overrides=["audit.cloudWatchLogs=false"])
    trail = result.get(TRAIL, "prod-audit-trail")
    assert "cloudWatchLogsGroupArn" not in trail.inputs and "cloudWatchLogsRoleArn" not in trail.inputs
    assert [g.inputs["name"] for g in result.find(LOG_GROUP) if g.inputs["name"] == "/prod/cloudtrail"] == []
    assert [r.name for r in result.find(ROLE) if r.name.startswith("prod-audit")] == []
    # The pack says so, without blocking: the opt-out is the stack's to make.
    assert [(v.policy, v.name, v.enforcement_level) for v in result.violations] == [
        ("cloudtrail-trail-cloudwatch-logs", "prod-audit-trail", "advisory")]
    assert result.exit_code == 0


def test_the_trail_log_group_keeps_the_configured_retention():
    result = preview("prod", config_overrides=["audit.cloudWatchLogsRetentionDays=400"])
    assert result.get(LOG_GROUP, "prod-audit-trail").inputs["retentionInDays"] == 400


@pytest.mark.parametrize("plane, lb, label", [("serviceconnect", "prod-ingress-alb", "ingress-alb"),
                                              ("appmesh", "prod-ingress-gateway-nlb", "ingress-gateway-nlb")])
def test_the_load_balancer_writes_access_logs_to_the_log_bucket(plane, lb, label, prod_sc_preview,
                                                                prod_appmesh_preview):
    result = prod_sc_preview if plane == "serviceconnect" else prod_appmesh_preview
    balancer = result.get(LB, lb)
    logs = result.get(BUCKET, "prod-audit-lb-logs").inputs["bucket"]  # the bucket's id: its name
    assert balancer.inputs["accessLogs"] == {"enabled": True, "bucket": logs, "prefix": f"prod/{label}"}
    # ELB tests its write access when logging is switched on, right after the create: the policy comes first.
    policy = result.get("aws:s3/bucketPolicy:BucketPolicy", "prod-audit-lb-logs")
    assert policy.urn in balancer.property_dependencies["accessLogs"]


def test_the_access_log_bucket_and_its_settings_outlive_the_stack(dev_preview):
    """S3 refuses to delete a bucket holding logs: turning access logs off, or a destroy, keeps it, with the
    lifecycle rule that empties it and the policy and public access block that guard it."""
    kept = _children(dev_preview, "service-mesh-platform:audit:AccessLogBucket")
    assert {r.type for r in kept} >= {BUCKET, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                                      "aws:s3/bucketPolicy:BucketPolicy",
                                      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"}
    assert [r.name for r in kept if not r.retain_on_delete] == []
    # A generated name (the provider's auto-name at Check, not one the program gives): no collision.
    logs = dev_preview.get(BUCKET, "dev-audit-lb-logs")
    assert logs.inputs["bucket"] == check_autoname(BUCKET, "dev-audit-lb-logs", {}, logs.urn)["bucket"]


def test_access_logs_off_switches_logging_off_rather_than_dropping_the_block():
    """The provider plans no change for a removed `access_logs` block, so the ALB would keep logging."""
    result = preview("dev", config_overrides=["audit.loadBalancerAccessLogs=false",
                                              "audit.accessLogRetentionDays=null"])
    assert result.find(BUCKET) == []
    assert result.get(LB, "dev-ingress-alb").inputs["accessLogs"] == {"enabled": False, "bucket": ""}


def test_elb_may_write_the_log_bucket(prod_preview):
    sse = _inputs(prod_preview, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                  "prod-audit-lb-logs")["rules"][0]
    assert sse == {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"},
                   "blockedEncryptionTypes": ["SSE-C"]}
    policy = json.loads(_inputs(prod_preview, "aws:s3/bucketPolicy:BucketPolicy", "prod-audit-lb-logs")["policy"])
    writers = {json.dumps(s["Principal"], sort_keys=True) for s in policy["Statement"]
               if s["Effect"] == "Allow" and s["Action"] == "s3:PutObject"}
    # AWS's example grants the ALB log delivery service with no condition; one it may not meet stops delivery.
    assert [s.get("Condition") for s in policy["Statement"] if s["Sid"] == "AlbLogsFromLogDelivery"] == [None]
    assert writers == {'{"AWS": "arn:aws:iam::127311923021:root"}',
                       '{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}',
                       '{"Service": "delivery.logs.amazonaws.com"}'}


def test_in_a_region_without_an_elb_account_only_the_delivery_service_writes_alb_logs():
    """getServiceAccount refuses a region opened after August 2022, which the stack's config accepts."""
    result = preview("dev", config_overrides=moved_to("dev", "eu-south-2"))
    assert result.error is None, result.error
    policy = json.loads(result.get("aws:s3/bucketPolicy:BucketPolicy", "dev-audit-lb-logs").inputs["policy"])
    writers = [s["Principal"] for s in policy["Statement"] if s["Effect"] == "Allow" and s["Action"] == "s3:PutObject"]
    assert writers == [
        {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, {"Service": "delivery.logs.amazonaws.com"}]


def test_dev_keeps_access_logs_but_no_trail(dev_preview):
    assert dev_preview.find(TRAIL) == [] and "auditTrailArn" not in dev_preview.outputs
    assert "/dev/cloudtrail" not in {g.inputs["name"] for g in dev_preview.find(LOG_GROUP)}
    assert [b.name for b in dev_preview.find(BUCKET)] == ["dev-audit-lb-logs"]
    assert (dev_preview.get(LB, "dev-ingress-alb").inputs["accessLogs"]["bucket"]
            == dev_preview.get(BUCKET, "dev-audit-lb-logs").inputs["bucket"])
    rule = _inputs(dev_preview, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                   "dev-audit-lb-logs")["rules"][0]
    # 14 days: expire only, no move to Infrequent Access (it has a 30-day minimum).
    assert rule["expiration"]["days"] == 14 and "transitions" not in rule


def test_prod_moves_its_access_logs_to_infrequent_access_after_30_days(prod_preview):
    """A year of logs: Standard-IA from its 30-day minimum on, then expired; versions go the day after."""
    rules = _inputs(prod_preview, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                    "prod-audit-lb-logs")["rules"]
    assert rules == [{"id": "expire", "status": "Enabled", "filter": {"prefix": ""}, "expiration": {"days": 365},
                      "transitions": [{"days": 30, "storageClass": "STANDARD_IA"}],
                      "noncurrentVersionExpiration": {"noncurrentDays": 1}}]


def test_a_stack_without_audit_settings_creates_none():
    raw = dev_raw_config()
    del raw["audit"]
    assert parse(raw).audit == parse({**raw, "audit": {}}).audit
    assert not parse(raw).audit.trail and not parse(raw).audit.load_balancer_access_logs


@pytest.mark.parametrize("path,value,message", [
    ("audit", {"trail": "yes"}, "audit.trail: expected true or false, got a string"),
    ("audit", {"trail": True, "archiveRetentionDays": 30, "archiveTransitionDays": 30},
     "audit.archiveTransitionDays: 30 must be less than archiveRetentionDays (30)"),
    ("audit", {"accessLogRetentionDays": 0}, "audit.accessLogRetentionDays: 0 is not a number of days (1-36500)"),
    ("audit", {"trial": True}, "audit.trial: is not a known setting"),
    # The archive holds the trail's logs: without a trail its settings were silently ignored (a bad-input review).
    ("audit", {"archiveRetentionDays": 400},
     "audit.archiveRetentionDays: only applies when trail is on (the archive holds the trail's logs)"),
    ("audit", {"trail": False, "archiveTransitionDays": 30},
     "audit.archiveTransitionDays: only applies when trail is on (the archive holds the trail's logs)"),
    ("audit", {"trail": True, "cloudWatchLogs": "no"}, "audit.cloudWatchLogs: expected true or false, got a string"),
    ("audit", {"trail": True, "cloudWatchLogsRetentionDays": 0},
     "audit.cloudWatchLogsRetentionDays: 0 is not a CloudWatch Logs retention period"),
])
def test_malformed_audit_config_is_one_line(path, value, message):
    with pytest.raises(ConfigError) as err:
        parse(with_value(dev_raw_config(), path, value))
    assert str(err.value) == f"Pulumi.dev.yaml: {message}"


def test_prod_turns_audit_on():
    audit = parse(raw_config("prod"), "prod").audit
    assert audit.trail and audit.load_balancer_access_logs and audit.archive_retention_days == 2557
    # CloudWatch Logs delivery comes with the trail unless a stack turns it off.
    assert audit.cloud_watch_logs and audit.cloud_watch_logs_retention_days == 90
    off = parse(with_value(raw_config("prod"), "audit.cloudWatchLogs", False), "prod").audit
    assert off.trail and not off.cloud_watch_logs
    # prod-eu relies on prod's multi-region trail: no trail, nothing to deliver.
    assert not parse_config(raw_config("prod-eu"), "Pulumi.prod-eu.yaml", "eu-west-1").audit.cloud_watch_logs


def test_the_program_asks_for_an_elb_account_exactly_where_the_provider_has_one():
    from components.audit import ELB_ACCOUNT_REGIONS
    from tools.invokes import ELB_ACCOUNTS

    assert ELB_ACCOUNT_REGIONS == set(ELB_ACCOUNTS)
