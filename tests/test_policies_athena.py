"""Athena guardrails against tests/programs/policy_athena (raw workgroups)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_athena"
ENCRYPTED = "athena-workgroup-results-encrypted"
LOGGING = "athena-workgroup-logging"
KEY = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"
UNENCRYPTED = ("configuration.resultConfiguration.encryptionConfiguration.encryptionOption is unset: Athena writes "
               "the query results to S3 without encrypting them (only the bucket's default encryption applies)")

FAILING = [
    Finding(ENCRYPTED, "telemetry-adhoc", "mandatory", UNENCRYPTED),
    Finding(ENCRYPTED, "telemetry-plain", "mandatory", UNENCRYPTED),
    Finding(ENCRYPTED, "telemetry-overridable", "mandatory",
            "configuration.enforceWorkgroupConfiguration is false: each query's own result settings override the "
            "workgroup's, so a client may write its results unencrypted or elsewhere"),
    Finding(LOGGING, "telemetry-unmetered", "advisory",
            "configuration.publishCloudwatchMetricsEnabled is false: the workgroup publishes no query metrics to "
            "CloudWatch, so no record or alarm shows what its queries scanned"),
]
# Encrypted and enforced; held to a minimum encryption; Athena-managed results; a key known only after the update.
PASSING = [(ENCRYPTED, "telemetry-analysts"), (ENCRYPTED, "telemetry-minimum"), (ENCRYPTED, "telemetry-managed"),
           (ENCRYPTED, "telemetry-later"),
           # Metrics on, and left to the default (on) with or without a configuration block.
           (LOGGING, "telemetry-analysts"), (LOGGING, "telemetry-plain"), (LOGGING, "telemetry-adhoc")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def workgroup(configuration) -> Res:
    return Res("aws:athena/workgroup:Workgroup", "wg", {
        "name": "wg", "tags": DEFAULT_TAGS, **({} if configuration is None else {"configuration": configuration})})


def results(option) -> dict:
    return {"outputLocation": "s3://results/", "encryptionConfiguration": {"encryptionOption": option,
                                                                          "kmsKeyArn": KEY}}


@pytest.mark.parametrize("configuration, reported", [
    ({"resultConfiguration": results("SSE_S3")}, False), ({"resultConfiguration": results("SSE_KMS")}, False),
    ({"resultConfiguration": results("CSE_KMS")}, False), (None, True), ({}, True),
    ({"resultConfiguration": {"outputLocation": "s3://results/"}}, True),
    ({"resultConfiguration": {"encryptionConfiguration": {}}}, True),
    # Enforcement is the provider's (and AWS's) default; switched off, only a minimum encryption holds queries to it.
    ({"resultConfiguration": results("SSE_KMS"), "enforceWorkgroupConfiguration": True}, False),
    ({"resultConfiguration": results("SSE_KMS"), "enforceWorkgroupConfiguration": False}, True),
    ({"resultConfiguration": results("SSE_KMS"), "enforceWorkgroupConfiguration": False,
      "enableMinimumEncryptionConfiguration": True}, False),
    ({"resultConfiguration": results("SSE_KMS"), "enforceWorkgroupConfiguration": False,
      "enableMinimumEncryptionConfiguration": False}, True),
    # Athena-owned storage encrypts every result; turned off, the S3 location's settings count again.
    ({"managedQueryResultsConfiguration": {"enabled": True}}, False),
    ({"managedQueryResultsConfiguration": {"enabled": False}}, True),
    ({"managedQueryResultsConfiguration": {"enabled": True}, "enforceWorkgroupConfiguration": False}, True),
    # Values a first preview does not know yet.
    (UNKNOWN, False), ({"resultConfiguration": UNKNOWN}, False), ({"resultConfiguration": results(UNKNOWN)}, False),
    ({"managedQueryResultsConfiguration": {"enabled": UNKNOWN}}, False),
    ({"resultConfiguration": results("SSE_KMS"), "enforceWorkgroupConfiguration": UNKNOWN}, False),
    ({"resultConfiguration": results("SSE_KMS"), "enforceWorkgroupConfiguration": False,
      "enableMinimumEncryptionConfiguration": UNKNOWN}, False),
    # Unknown elsewhere does not hide what is known: unencrypted whatever the enforcement.
    ({"enforceWorkgroupConfiguration": UNKNOWN}, True)])
def test_a_workgroup_encrypts_its_results_and_enforces_it(configuration, reported):
    assert (ENCRYPTED in policies_found([workgroup(configuration)])) == reported


@pytest.mark.parametrize("configuration, reported", [
    (None, False), ({}, False), ({"publishCloudwatchMetricsEnabled": True}, False),
    ({"publishCloudwatchMetricsEnabled": False}, True), ({"publishCloudwatchMetricsEnabled": UNKNOWN}, False),
    (UNKNOWN, False)])
def test_a_workgroup_publishes_its_query_metrics(configuration, reported):
    assert (LOGGING in policies_found([workgroup(configuration)])) == reported
