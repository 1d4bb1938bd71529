"""Audit guardrails (CloudTrail, S3 buckets, load balancer access logs, Classic listeners, DNS query logs) against
tests/programs/policy_audit."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings, pairs,
                                        program_fixtures)

PROGRAM = "policy_audit"
M = "mandatory"
MULTI, VALIDATION, KMS = "cloudtrail-trail-multi-region", "cloudtrail-trail-log-validation", "cloudtrail-trail-kms-encrypted"
CW_LOGS = "cloudtrail-trail-cloudwatch-logs"
STORE_KMS = "cloudtrail-event-data-store-kms-encrypted"
PUBLIC, TLS, SSE, LOCK = "s3-bucket-public-access-blocked", "s3-bucket-tls-only", "s3-bucket-encrypted", "s3-bucket-trail-object-lock"
ACCESS_LOGS = "s3-bucket-trail-access-logging"
BUCKET_LOGGING = "s3-bucket-access-logging"
SSE_C = "s3-bucket-sse-c-blocked"
VERSIONING, LIFECYCLE = "s3-bucket-versioning", "s3-bucket-lifecycle"
LOGS = "elb-loadbalancer-access-logs"
CLASSIC_TLS = "elb-classic-listener-encrypted"
CLASSIC_NEGOTIATION = "elb-classic-listener-tls-policy"
TABLE_PROTECTED, TABLE_PITR = "dynamodb-table-deletion-protection", "dynamodb-table-point-in-time-recovery"
TABLE_SCALING = "dynamodb-table-autoscaling"
DAX_AT_REST, DAX_TLS = "dynamodb-dax-encrypted-at-rest", "dynamodb-dax-tls-endpoint"
QUERY_LOGS = "route53-zone-query-logging"
CONFIG = {"all": "mandatory", BUCKET_LOGGING: {"exemptBuckets": ["exempt-*"]}}
NO_TLS_DENY = ("no BucketPolicy denying s3:* on the bucket and its objects (bucket/*) to everyone where "
               "aws:SecureTransport is false")

FAILING = [
    Finding(MULTI, "loose-trail", M, "isMultiRegionTrail is not true"),
    Finding(MULTI, "idle-trail", M, "enableLogging is false; the trail records nothing"),
    Finding(MULTI, "idle-trail", M, "the event selectors record no write management events"),
    Finding(MULTI, "write-only-trail", M, "the advanced event selectors record no read management events"),
    Finding(VALIDATION, "loose-trail", M, "enableLogFileValidation is not true"),
    Finding(KMS, "loose-trail", M, "kmsKeyId is not set"),
    Finding(CW_LOGS, "loose-trail", M, "cloudWatchLogsGroupArn and cloudWatchLogsRoleArn are not set"),
    # CloudTrail needs the role with the group.
    Finding(CW_LOGS, "half-trail", M, "cloudWatchLogsRoleArn is not set"),
    Finding(STORE_KMS, "plain-store", M, "kmsKeyId is not set, so CloudTrail encrypts it under a key it owns: no key "
                                         "policy of the account's decides who may query the store's events; set a "
                                         "customer managed key whose policy lets CloudTrail use it (once set, it "
                                         "cannot be changed or removed)"),
    Finding(STORE_KMS, "aws-key-store", M, "kmsKeyId is alias/aws/cloudtrail, an AWS managed key: no key policy"),
    # S3 blocks public access on a new bucket by itself; the program is asked to declare it, and told why.
    Finding(PUBLIC, "loose-bucket", M, "bucket loose-bucket declares no public access block; S3 blocks public access "
                                       "on new buckets, but declare a BucketPublicAccessBlock with blockPublicAcls, "
                                       "blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true so a "
                                       "change made outside the program shows as drift"),
    # Named by a prefix: the literal-named bucket's block, whose name lacks the prefix, is not its (in both previews).
    Finding(PUBLIC, "prefixed-bucket", M, "bucket prefixed-bucket declares no public access block; S3 blocks public "
                                          "access on new buckets, but declare a BucketPublicAccessBlock"),
    # Three of four flags is not a block.
    Finding(PUBLIC, "half-bucket", M, "bucket half-bucket: public access block half-bucket-pab turns "
                                      "restrictPublicBuckets off; set blockPublicAcls"),
    Finding(TLS, "loose-bucket", M, NO_TLS_DENY),
    # A policy that only allows is not TLS-only.
    Finding(TLS, "half-bucket", M, NO_TLS_DENY),
    # A Deny that leaves out an S3 action, a principal or a prefix of objects lets plain HTTP through there.
    Finding(TLS, "notaction-bucket", M, 'notaction-bucket-policy statement 0 leaves out NotAction ["s3:GetObject"]'),
    Finding(TLS, "split-wildcards-bucket", M,
            'split-wildcards-bucket-policy statement 0 leaves out NotAction "s3:GetObject*"'),
    Finding(TLS, "notprincipal-bucket", M, "notprincipal-bucket-policy statement 0 leaves out NotPrincipal "
                                           '{"AWS": "arn:aws:iam::123456789012:role/legacy"}'),
    Finding(TLS, "notresource-bucket", M, "notresource-bucket-policy statement 0 leaves out NotResource "
                                          '["arn:aws:s3:::notresource-bucket-'),
    Finding(SSE, "loose-bucket", M, "bucket loose-bucket has no BucketServerSideEncryptionConfiguration with a "
                                    "default encryption algorithm; S3 applies SSE-S3 to new objects anyway, but "
                                    "declare one"),
    # Leaving the blocked types out (loose has no default encryption at all) or naming NONE lets SSE-C through.
    Finding(SSE_C, "loose-bucket", M, "bucket loose-bucket does not block SSE-C uploads; set blockedEncryptionTypes "
                                      "[\"SSE-C\"] in its BucketServerSideEncryptionConfiguration rule"),
    Finding(SSE_C, "half-bucket", M, "bucket half-bucket does not block SSE-C uploads"),
    # No BucketVersioning at all, and one that suspends versioning (named by the bucket's literal name).
    Finding(VERSIONING, "loose-bucket", M, "bucket loose-bucket has no BucketVersioning with status Enabled; declare "
                                           "an aws.s3.BucketVersioning with versioningConfiguration.status Enabled, "
                                           "so an overwritten or deleted object can be restored from an earlier "
                                           "version"),
    Finding(VERSIONING, "named-bucket", M, "bucket named-bucket: BucketVersioning named-bucket-versioning sets status "
                                           "Suspended; set Enabled"),
    # No lifecycle configuration at all, and one whose only rule is Disabled.
    Finding(LIFECYCLE, "loose-bucket", M, "bucket loose-bucket has no BucketLifecycleConfiguration; declare an "
                                          "aws.s3.BucketLifecycleConfiguration with an Enabled rule saying when "
                                          "objects, noncurrent versions and incomplete multipart uploads expire or "
                                          "move to another storage class"),
    Finding(LIFECYCLE, "half-bucket", M, "bucket half-bucket: BucketLifecycleConfiguration half-bucket-lifecycle has "
                                         "no rule with status Enabled; enable one"),
    Finding(LOCK, "loose-bucket", M, "trail bucket loose-bucket: objectLockEnabled is not true; no object lock "
                                     "configuration with a COMPLIANCE default retention"),
    Finding(LOCK, "half-bucket", M, "trail bucket half-bucket: no object lock configuration with a COMPLIANCE "
                                    "default retention"),
    Finding(ACCESS_LOGS, "loose-bucket", M, "trail bucket loose-bucket has no server access logging"),
    Finding(ACCESS_LOGS, "half-bucket", M, "trail bucket half-bucket has no server access logging"),
    Finding(BUCKET_LOGGING, "unlogged-bucket", M,
            "bucket unlogged-bucket has no server access logging; add an aws.s3.BucketLogging sending its access logs "
            "to another bucket of its region, so who read, wrote or deleted its objects is on record, or list it in "
            "exemptBuckets"),
    Finding(LOGS, "quiet-nlb", M, "accessLogs.enabled is not true"),
    Finding(LOGS, "off-alb", M, "accessLogs.enabled is not true"),
    Finding(LOGS, "quiet-clb", M, "accessLogs.enabled is not true"),
    # A delivery source is not a delivery: nothing sends its logs.
    Finding(LOGS, "sourced-nlb", M, "accessLogs.enabled is not true and no CloudWatch log delivery sends its access "
                                    "logs (a LogDeliverySource of logType NLB_ACCESS_LOGS naming it in resourceArn"),
    Finding(CLASSIC_TLS, "quiet-clb", M, "listeners[0] (port 80) takes HTTP; a Classic Load Balancer listener must "
                                         "terminate HTTPS or SSL"),
    Finding(CLASSIC_NEGOTIATION, "quiet-clb", M, "HTTPS listener on port 443 has no SSL negotiation policy"),
    Finding(TABLE_PROTECTED, "unprotected-table", M, "deletionProtectionEnabled is not true"),
    Finding(TABLE_PITR, "unprotected-table", M, "pointInTimeRecovery.enabled is not true"),
    Finding(TABLE_SCALING, "fixed-table", M, "table fixed-table has provisioned capacity (billingMode unset, so "
                                             "PROVISIONED) and nothing scales the table's read capacity"),
    Finding(TABLE_SCALING, "fixed-table", M, "nothing scales the table's write capacity"),
    # No serverSideEncryption block: pulumi-aws sends no SSESpecification, and DAX encrypts nothing.
    Finding(DAX_AT_REST, "plain-dax", M, "serverSideEncryption.enabled is not true: the cluster's nodes keep the items "
                                         "they cache unencrypted on disk; set serverSideEncryption={enabled: true}"),
    # No endpoint encryption type: pulumi-aws sends none, and DAX makes the endpoint NONE.
    Finding(DAX_TLS, "plain-dax", M, "clusterEndpointEncryptionType is unset, so NONE: clients and the cluster "
                                     "exchange requests and cached items in plain text; set TLS"),
    # Its query log's group is in us-west-2: Route 53 takes log groups in us-east-1 only.
    Finding(QUERY_LOGS, "misplaced-log-zone", M, "public hosted zone misplaced-log-zone's query logs write to log "
                                                 "groups outside us-east-1 (misplaced-log-zone-log: us-west-2), "
                                                 "which Route 53 refuses"),
    # Query logs of one name (under different parents, or none), all outside us-east-1: each is told apart by its
    # parents' types.
    Finding(QUERY_LOGS, "twice-misplaced-zone", M, "public hosted zone twice-misplaced-zone's query logs write to log "
                                                   "groups outside us-east-1 (queries (at the top level): "
                                                   "ap-southeast-2, queries (under audit:dns:EuropeQueryLogger): "
                                                   "eu-west-1, queries (under audit:dns:WestQueryLogger): us-west-2), "
                                                   "which Route 53 refuses"),
    Finding(QUERY_LOGS, "silent-zone", M, "public hosted zone silent-zone has no query log: nothing records which "
                                          "names were asked for"),
]
PASSING = [
    (MULTI, "good-trail"), (VALIDATION, "good-trail"), (KMS, "good-trail"), (CW_LOGS, "good-trail"),
    (MULTI, "half-trail"), (VALIDATION, "half-trail"), (KMS, "half-trail"),
    (STORE_KMS, "keyed-store"),
    (PUBLIC, "archive-bucket"), (TLS, "archive-bucket"), (SSE, "archive-bucket"), (LOCK, "archive-bucket"),
    (ACCESS_LOGS, "archive-bucket"), (ACCESS_LOGS, "named-bucket"),
    # Logged by a BucketLogging made from its id; the log bucket the others' access logs go to; exempted by the
    # config; trail buckets without logging, which s3-bucket-trail-access-logging reports (not twice).
    *((BUCKET_LOGGING, r) for r in ("archive-bucket", "prefixed-bucket", "notaction-bucket", "named-bucket",
                                    "exempt-unlogged-bucket", "loose-bucket", "half-bucket")),
    (SSE, "half-bucket"), (SSE_C, "archive-bucket"), (SSE_C, "named-bucket"),
    # Versioned by a BucketVersioning made from its id (a prefixed bucket's too), or by its Object Lock alone.
    (VERSIONING, "archive-bucket"), (VERSIONING, "prefixed-bucket"), (VERSIONING, "half-bucket"),
    # A lifecycle rule in effect, its configuration named by the bucket's id or by its literal name.
    (LIFECYCLE, "archive-bucket"), (LIFECYCLE, "named-bucket"), (LIFECYCLE, "prefixed-bucket"),
    # Settings matched by the bucket's literal name; not a trail bucket, so no lock is asked of it.
    (PUBLIC, "named-bucket"), (TLS, "named-bucket"), (SSE, "named-bucket"), (LOCK, "named-bucket"),
    # Named by a prefix, with its settings made from its id.
    (PUBLIC, "blocked-prefixed-bucket"), (SSE, "prefixed-bucket"), (SSE_C, "prefixed-bucket"),
    (TLS, "prefixed-bucket"),
    # A NotAction that spares no S3 action; a NotResource that spares another bucket's objects only.
    (TLS, "notaction-sqs-bucket"), (TLS, "notresource-other-bucket"), (TLS, "split-actions-bucket"),
    (TLS, "split-nots-bucket"),
    (LOGS, "logged-alb"), (LOGS, "logged-clb"), (LOGS, "delivered-alb"), (CLASSIC_TLS, "logged-clb"),
    (CLASSIC_NEGOTIATION, "logged-clb"),
    (TABLE_PROTECTED, "protected-table"), (TABLE_PITR, "protected-table"),
    # On-demand; provisioned with every capacity (the table's and its index's) scaled.
    (TABLE_SCALING, "protected-table"), (TABLE_SCALING, "scaled-table"), (DAX_AT_REST, "sealed-dax"),
    (DAX_TLS, "sealed-dax"),
    (QUERY_LOGS, "logged-zone"), (QUERY_LOGS, "private-zone"), (QUERY_LOGS, "stack-log-zone"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_a_gateway_load_balancer_is_not_asked_for_access_logs(result):
    (balancer,) = result.find("aws:lb/loadBalancer:LoadBalancer", "gateway-lb")
    assert balancer.inputs["loadBalancerType"] == "gateway" and "accessLogs" not in balancer.inputs
    assert (LOGS, "gateway-lb") not in pairs(result)
    assert not any(v.name == "gateway-lb" for v in result.violations)


def test_a_first_preview_still_matches_bucket_settings_by_their_dependency(first_preview):
    # Settings whose bucket id is unknown still match by their dependency on the bucket.
    assert {(PUBLIC, "archive-bucket"), (TLS, "archive-bucket"), (LOCK, "archive-bucket")}.isdisjoint(
        pairs(first_preview))
    # An unplaced setting leaves its bucket open too, so only a bad one shows that the dependency placed it.
    bucket = Res("aws:s3/bucket:Bucket", "archive", {"bucket": UNKNOWN, "arn": UNKNOWN, "id": UNKNOWN})
    block = {"bucket": UNKNOWN, "blockPublicAcls": True, "blockPublicPolicy": False, "ignorePublicAcls": True,
             "restrictPublicBuckets": True}
    linked = Res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", block, {"bucket": ["archive"]})
    assert {f for f in findings(analyze([bucket, linked])) if f[0] == PUBLIC} == {
        (PUBLIC, "archive", "bucket archive: public access block block turns blockPublicPolicy off; set "
                            "blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true")}
    unplaced = Res(linked.type, linked.name, block)
    assert not {f for f in findings(analyze([bucket, unplaced])) if f[0] == PUBLIC}
    # The role's ARN is unknown until it exists: the trail's CloudWatch Logs settings count as set.
    assert (CW_LOGS, "good-trail") not in pairs(first_preview)


@pytest.mark.parametrize("named, reported", [
    ("logs", True), ("LOGS-archive", True),  # another bucket's name: S3 names compare whole, case and all
    ("logs-archive", False), (UNKNOWN, False),  # it may be the bucket's
])
def test_a_setting_whose_name_lacks_a_buckets_prefix_is_another_buckets(named, reported):
    """A bucket named by `bucketPrefix` has a name known only once the provider makes it, beginning with the prefix:
    a setting naming a known name without it cannot be the bucket's."""
    bucket = Res("aws:s3/bucket:Bucket", "archive", {"bucketPrefix": "logs-", "bucket": UNKNOWN, "arn": UNKNOWN,
                                                     "id": UNKNOWN, "tags": {}})
    block = Res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "block", {
        "bucket": named, "blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True,
        "restrictPublicBuckets": True})
    assert ((PUBLIC, "archive") in {(p, n) for p, n, _ in findings(analyze([bucket, block]))}) is reported
    # An aws-native policy (whose settings the pack does not read) likewise: open only where it may be the bucket's.
    native = Res("aws-native:s3:BucketPolicy", "native-policy", {"bucket": named, "policyDocument": {}})
    assert ((TLS, "archive") in {(p, n) for p, n, _ in findings(analyze([bucket, native]))}) is reported


@pytest.mark.parametrize("status, linked, reported", [
    ("Enabled", True, False), ("Suspended", True, True), ("Disabled", True, True),
    (UNKNOWN, True, False),  # not judged until the update
    # Its bucket unknown (a first preview): matched by its dependency on the bucket, as the family's other settings.
    ("Suspended", False, False),  # unlinked: it may be any bucket's (a stack reference's, say)
])
def test_a_buckets_versioning_is_its_versioning_resources(status, linked, reported):
    bucket = Res("aws:s3/bucket:Bucket", "archive", {"bucket": UNKNOWN, "arn": UNKNOWN, "id": UNKNOWN, "tags": {}})
    versioning = Res("aws:s3/bucketVersioning:BucketVersioning", "versioning", {
        "bucket": UNKNOWN, "versioningConfiguration": {"status": status}}, {"bucket": ["archive"]} if linked else {})
    report = analyze([bucket, versioning], {"all": "disabled", VERSIONING: "mandatory"})
    assert {(p, n) for p, n, _ in findings(report)} == ({(VERSIONING, "archive")} if reported else set())


@pytest.mark.parametrize("rules, mfa_delete, reported", [
    ([{"status": "Enabled"}], None, False),
    ([{"status": "Disabled"}, {"status": "Enabled"}], None, False),
    ([{"status": "Disabled"}], None, True), ([], None, True),
    ([{"status": UNKNOWN}], None, False), (UNKNOWN, None, False),  # not judged until the update
    # S3 takes no lifecycle configuration on a bucket with MFA delete on (Security Hub S3.20): not asked for one.
    (None, "Enabled", False), (None, UNKNOWN, False), (None, "Disabled", True),
])
def test_a_buckets_lifecycle_needs_a_rule_in_effect(rules, mfa_delete, reported):
    bucket = Res("aws:s3/bucket:Bucket", "archive", {"bucket": UNKNOWN, "arn": UNKNOWN, "id": UNKNOWN, "tags": {}})
    linked = {"bucket": ["archive"]}
    resources = [bucket, Res("aws:s3/bucketVersioning:BucketVersioning", "versioning", {
        "bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled", "mfaDelete": mfa_delete}}, linked)]
    if rules is not None:
        resources.append(Res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle",
                             {"bucket": UNKNOWN, "rules": rules}, linked))
    report = analyze(resources, {"all": "disabled", LIFECYCLE: "mandatory"})
    assert {(p, n) for p, n, _ in findings(report)} == ({(LIFECYCLE, "archive")} if reported else set())


NO_BUCKET_LOGS = ("bucket archive has no server access logging; add an aws.s3.BucketLogging sending its access logs "
                  "to another bucket of its region, so who read, wrote or deleted its objects is on record, or list "
                  "it in exemptBuckets")
NO_TRAIL_BUCKET_LOGS = ("trail bucket archive has no server access logging; add an aws.s3.BucketLogging sending its "
                        "access logs to another bucket, so who read or deleted a log file is on record")


@pytest.mark.parametrize("policy, trail, message", [(BUCKET_LOGGING, False, NO_BUCKET_LOGS),
                                                    (ACCESS_LOGS, True, NO_TRAIL_BUCKET_LOGS)])
@pytest.mark.parametrize("bucket_type, key, logging, refs, reported", [
    # The bucket's own (deprecated) logging block: the provider puts it with PutBucketLogging.
    ("aws:s3/bucket:Bucket", "logging", {"targetBucket": "logs", "targetPrefix": "archive/"}, {}, False),
    ("aws:s3/bucketV2:BucketV2", "loggings", [{"targetBucket": "logs"}], {}, False),
    ("aws:s3/bucket:Bucket", "logging", {"targetBucket": UNKNOWN}, {"logging": ["logs"]}, False),  # until the update
    ("aws:s3/bucket:Bucket", "logging", UNKNOWN, {"logging": ["logs"]}, False),  # made from another bucket
    ("aws:s3/bucket:Bucket", "logging", None, {}, True),
    ("aws:s3/bucketV2:BucketV2", "loggings", [], {}, True),
    # Unknown and made from nothing: the provider's computed placeholder in a first preview, not a block.
    ("aws:s3/bucket:Bucket", "logging", UNKNOWN, {}, True),
])
def test_a_buckets_own_logging_block_is_access_logging(policy, trail, message, bucket_type, key, logging, refs,
                                                       reported):
    resources = [Res(bucket_type, "archive", {"bucket": "archive", "tags": {}, key: logging}, refs),
                 Res("aws:s3/bucket:Bucket", "logs", {"bucket": "logs", "tags": {}})]
    if trail:
        resources.append(Res("aws:cloudtrail/trail:Trail", "trail", {"name": "trail", "s3BucketName": "archive"}))
    report = analyze(resources, {"all": "disabled", policy: "mandatory"})
    assert [(p, n, m) for p, n, m in findings(report) if n == "archive"] == (
        [(policy, "archive", message)] if reported else [])


@pytest.mark.parametrize("target, made_from, reported", [
    ("logs", None, False), ("other-logs", None, True),
    (UNKNOWN, "logs", False),  # the logs bucket's name, read from it
    (UNKNOWN, "suffix", True),  # made from a random suffix alone: not the logs bucket's name
])
def test_a_bucket_another_buckets_own_logging_writes_to_needs_no_logs_of_its_own(target, made_from, reported):
    """Security Hub S3.9: a target logging bucket need not be logged itself, whether a BucketLogging or a bucket's
    own `logging` names it."""
    resources = [Res("aws:s3/bucket:Bucket", "archive", {"bucket": "archive", "tags": {},
                                                         "logging": {"targetBucket": target}},
                     {"logging": [made_from]} if made_from else {}),
                 Res("aws:s3/bucket:Bucket", "logs", {"bucket": "logs", "tags": {}}),
                 Res("random:index/randomId:RandomId", "suffix", {"hex": UNKNOWN})]
    report = analyze(resources, {"all": "disabled", BUCKET_LOGGING: "mandatory"})
    assert {n for _, n, _ in findings(report)} == ({"logs"} if reported else set())


WEST_GROUP = "arn:aws:logs:us-west-2:123456789012:log-group:/aws/route53/example"


def _zone_findings(zone: dict, query_logs: list[dict]) -> set[str]:
    """What the query-logging policy reports on one hosted zone with these query logs (their zoneId from it)."""
    resources = [Res("aws:route53/zone:Zone", "zone", {"name": "example.com", "zoneId": "Z0ZONE", **zone}),
                 *(Res("aws:route53/queryLog:QueryLog", f"log-{i}", {"cloudwatchLogGroupArn": "arn:aws:logs:us-east-1:"
                       "123456789012:log-group:/aws/route53/example", **log}) for i, log in enumerate(query_logs))]
    return {name for p, name, _ in findings(analyze(resources)) if p == QUERY_LOGS}


@pytest.mark.parametrize("zone, query_logs, reported", [
    ({}, [], True),
    ({}, [{"zoneId": "Z0OTHER"}], True),
    ({}, [{"zoneId": "Z0ZONE"}], False),
    # A log whose zone is unknown might be this zone's; a zone whose VPCs are unknown might be private.
    ({}, [{"zoneId": UNKNOWN}], False),
    ({"vpcs": UNKNOWN}, [], False),
    ({"vpcs": [{"vpcId": "vpc-1"}]}, [], False),
    # Route 53 takes log groups in us-east-1 only: one elsewhere logs nothing; one whose region is unknown may not.
    ({}, [{"zoneId": "Z0ZONE", "cloudwatchLogGroupArn": WEST_GROUP}], True),
    ({}, [{"zoneId": "Z0ZONE", "cloudwatchLogGroupArn": WEST_GROUP}, {"zoneId": "Z0ZONE"}], False),
    ({}, [{"zoneId": "Z0ZONE", "cloudwatchLogGroupArn": UNKNOWN}], False),
])
def test_a_public_zone_needs_a_query_log(zone, query_logs, reported):
    assert _zone_findings(zone, query_logs) == ({"zone"} if reported else set())


@pytest.mark.parametrize("group, reported", [
    ("arn:aws:logs:us-east-1:123456789012:log-group:/trail/main", True),
    ("arn:aws:logs:us-east-1:123456789012:log-group:/trail/main:*", False),
    (UNKNOWN, False),
])
def test_a_trails_log_group_arn_carries_the_log_stream_wildcard(group, reported):
    """CreateTrail refuses a CloudWatch Logs group ARN without `:*` (InvalidCloudWatchLogsLogGroupArnException), and
    pulumi-aws's LogGroup arn has none; one unknown until the update is not judged."""
    trail = Res("aws:cloudtrail/trail:Trail", "trail", {
        "name": "main-trail", "s3BucketName": "archive", "isMultiRegionTrail": True, "enableLogFileValidation": True,
        "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1", "cloudWatchLogsGroupArn": group,
        "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/trail-logs"})
    found = findings(analyze([trail], {"all": "disabled", CW_LOGS: "mandatory"}))
    expected = ("cloudWatchLogsGroupArn arn:aws:logs:us-east-1:123456789012:log-group:/trail/main has no :* (the log "
                "stream wildcard): CloudTrail refuses it (InvalidCloudWatchLogsLogGroupArnException) and the trail is "
                "not made; pulumi-aws's LogGroup arn has no :*, so add it")
    assert found == ({(CW_LOGS, "trail", expected)} if reported else set())


@pytest.mark.parametrize("key, reported", [
    (None, True), ("", True), ("alias/aws/cloudtrail", True),
    ("arn:aws:kms:us-east-1:123456789012:alias/aws/cloudtrail", True),
    ("arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab", False),
    ("alias/lake", False), ("0123abcd-0123-4567-89ab-0123456789ab", False),
    (UNKNOWN, False),
])
def test_an_event_data_store_names_a_customer_managed_key(key, reported):
    store = Res("aws:cloudtrail/eventDataStore:EventDataStore", "store",
                {"name": "lake", **({} if key is None else {"kmsKeyId": key})})
    found = findings(analyze([store], {"all": "disabled", STORE_KMS: "mandatory"}))
    assert bool(found) == reported
