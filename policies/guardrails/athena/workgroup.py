"""Athena workgroups, judged by what pulumi-aws sends (terraform-provider-aws `aws_athena_workgroup`: without a
`configuration` block CreateWorkGroup gets none, and AWS then enforces the workgroup's configuration and publishes its
metrics, as the provider's defaults for the block's `enforceWorkgroupConfiguration` and
`publishCloudwatchMetricsEnabled` do; its acceptance test reads both back true for a workgroup with a name only)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, is_false, is_true, peek
from ..core.registry import ADVISORY, resource_policy
from ..core.switches import switch_policy
from . import WORKGROUP

# EncryptionOption in botocore's athena model: SSE_S3, SSE_KMS or CSE_KMS; leaving it out encrypts nothing.
_ENCRYPTED = ("SSE_S3", "SSE_KMS", "CSE_KMS")
_OPTION = "configuration.resultConfiguration.encryptionConfiguration.encryptionOption"


@resource_policy(
    "athena-workgroup-results-encrypted", WORKGROUP,
    description="Athena workgroups must encrypt the query results they write, and keep a query from turning that "
                "off: results hold whatever the queries selected from the data lake.",
    severity=Severity.MEDIUM,
    anchors=("Config athena-workgroup-encrypted-at-rest", "CKV_AWS_159", "CKV_AWS_82"),
    anchor_note="Security Hub's Athena.1, the same check, was retired in April 2024; CT.ATHENA.PR.2 asks for a "
                "KMS key",
)
def results_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`configuration.resultConfiguration.encryptionConfiguration.encryptionOption` is SSE_S3, SSE_KMS or CSE_KMS
    (or `managedQueryResultsConfiguration.enabled`: Athena-owned storage, always encrypted), and
    `configuration.enforceWorkgroupConfiguration` is not false (left out, true) unless
    `enableMinimumEncryptionConfiguration` is true; unknown values are not judged"""
    config = peek(args.props, "configuration")
    if config is UNKNOWN:
        return
    managed = peek(config, "managedQueryResultsConfiguration", "enabled")
    option = peek(config, "resultConfiguration", "encryptionConfiguration", "encryptionOption")
    if UNKNOWN not in (managed, option) and not is_true(managed) and option not in _ENCRYPTED:
        yield (f"{_OPTION} is {option if has_text(option) else 'unset'}: Athena writes the query results to S3 "
               "without encrypting them (only the bucket's default encryption applies); set SSE_KMS with a key, or "
               "SSE_S3")
    # Without enforcement a query's own ResultConfiguration wins (Athena's "Workgroup settings override client-side
    # settings"), unless the workgroup sets a minimum encryption no query may go below.
    enforce = peek(config, "enforceWorkgroupConfiguration")
    minimum = peek(config, "enableMinimumEncryptionConfiguration")
    if is_false(enforce) and minimum is not UNKNOWN and not is_true(minimum):
        yield ("configuration.enforceWorkgroupConfiguration is false: each query's own result settings override the "
               "workgroup's, so a client may write its results unencrypted or elsewhere; drop it (true is the "
               "default), or set enableMinimumEncryptionConfiguration")


switch_policy(
    "athena-workgroup-logging", WORKGROUP, "configuration.publishCloudwatchMetricsEnabled",
    "the workgroup publishes no query metrics to CloudWatch, so no record or alarm shows what its queries scanned; "
    "drop it (true is the default)",
    left_out=True,
    description="Athena workgroups must publish their query metrics to CloudWatch, so each query's state, data "
                "scanned and run time are on record and can raise an alarm.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub Athena.4", "Config athena-workgroup-logging-enabled"),
    checks="""
    `configuration.publishCloudwatchMetricsEnabled` is not false (left out, true, as without a `configuration`
    block); an unknown value is not judged""",
)
