"""Amazon GuardDuty guardrails against tests/programs/policy_guardduty (raw detectors and protection plans)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_guardduty"
DETECTOR = "aws:guardduty/detector:Detector"
FEATURE = "aws:guardduty/detectorFeature:DetectorFeature"
MEMBER_FEATURE = "aws:guardduty/memberDetectorFeature:MemberDetectorFeature"
ENABLED, FEATURES = "guardduty-detector-enabled", "guardduty-detector-features-enabled"
# An account without EKS: its audit logs and the add-on's management may be off.
CONFIG = {FEATURES: {"exemptFeatures": ["EKS_AUDIT_LOGS", "EKS_ADDON_MANAGEMENT"]}}

FAILING = [
    Finding(ENABLED, "suspended-detector", "mandatory",
            "enable is false: GuardDuty suspends the detector and stops analysing the account's CloudTrail, VPC flow "
            "and DNS logs in this Region, so no threat finding reaches anyone; leave it out or set true"),
    Finding(FEATURES, "legacy-detector", "advisory",
            "datasources.s3Logs.enable is false: GuardDuty stops watching the object-level calls (CloudTrail S3 data "
            "events) on the buckets (GuardDuty.10); set true, or leave datasources out and manage the plan with a "
            "DetectorFeature"),
    Finding(FEATURES, "legacy-detector", "advisory",
            "datasources.malwareProtection.scanEc2InstanceWithFindings.ebsVolumes.enable is false: GuardDuty stops "
            "scanning the EBS volumes of instances and containers it suspects for malware (GuardDuty.8)"),
    Finding(FEATURES, "s3-protection-off", "advisory",
            "S3_DATA_EVENTS is DISABLED: GuardDuty stops watching the object-level calls (CloudTrail S3 data events) "
            "on the buckets (GuardDuty.10); set status ENABLED, or name S3_DATA_EVENTS in exemptFeatures where the "
            "account has none of them"),
    Finding(FEATURES, "runtime-fargate-off", "advisory",
            "RUNTIME_MONITORING's ECS_FARGATE_AGENT_MANAGEMENT is DISABLED: GuardDuty no longer deploys and updates "
            "its security agent on the ECS tasks on Fargate, whose runtime goes unwatched wherever no one installs "
            "the agent by hand (GuardDuty.12); set its status ENABLED, or name ECS_FARGATE_AGENT_MANAGEMENT in "
            "exemptFeatures"),
    Finding(FEATURES, "runtime-off", "advisory",
            "RUNTIME_MONITORING is DISABLED: GuardDuty stops taking the runtime events of the EKS, ECS and EC2 "
            "workloads (GuardDuty.11)"),
    Finding(FEATURES, "member-rds-off", "advisory",
            "RDS_LOGIN_EVENTS is DISABLED: GuardDuty stops profiling logins to the Aurora and RDS databases "
            "(GuardDuty.9)"),
]
# Enabled said outright; left out (the provider sends true); known only after the update.
PASSING = [(ENABLED, "detector"), (ENABLED, "default-detector"), (ENABLED, "later-detector"),
           # No datasources; all three on; plans on; exempted by the config; EKS Runtime Monitoring off (the move to
           # Runtime Monitoring); a plan no control asks for; every agent on; known only after the update; a
           # member's plan on.
           (FEATURES, "detector"), (FEATURES, "legacy-on-detector"), (FEATURES, "lambda-protection-on"),
           (FEATURES, "eks-audit-off"), (FEATURES, "eks-runtime-off"), (FEATURES, "ai-protection-off"),
           (FEATURES, "runtime-on"), (FEATURES, "later-rds-protection"), (FEATURES, "member-malware-on")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("enable, reported", [
    (False, True), ("false", True), (True, False), (None, False), (UNKNOWN, False)])
def test_a_detector_is_not_suspended(enable, reported):
    """terraform-provider-aws sends Enable in every CreateDetector and UpdateDetector, true when left out."""
    props = {"tags": DEFAULT_TAGS} if enable is None else {"enable": enable, "tags": DEFAULT_TAGS}
    assert (ENABLED in policies_found([Res(DETECTOR, "detector", props)])) == reported


def feature(kind=FEATURE, **props):
    return Res(kind, "feature", {"detectorId": "12abc34d567e8fa901bc2d34e56789f0", **props})


@pytest.mark.parametrize("name, status, reported", [
    *[(name, "DISABLED", True) for name in ("EKS_AUDIT_LOGS", "LAMBDA_NETWORK_LOGS", "EBS_MALWARE_PROTECTION",
                                            "RDS_LOGIN_EVENTS", "S3_DATA_EVENTS", "RUNTIME_MONITORING")],
    ("S3_DATA_EVENTS", "ENABLED", False), ("S3_DATA_EVENTS", UNKNOWN, False), (UNKNOWN, "DISABLED", False),
    # The move to Runtime Monitoring; plans no Security Hub control asks for.
    ("EKS_RUNTIME_MONITORING", "DISABLED", False), ("AI_PROTECTION", "DISABLED", False),
    ("AI_ANALYST", "DISABLED", False)])
def test_a_plan_security_hub_asks_for_is_not_turned_off(name, status, reported):
    for kind in (FEATURE, MEMBER_FEATURE):
        props = {"name": name, "status": status}
        if kind == MEMBER_FEATURE:
            props["accountId"] = "111122223333"
        assert (FEATURES in policies_found([feature(kind, **props)])) == reported


@pytest.mark.parametrize("plan, status, agents, reported", [
    ("RUNTIME_MONITORING", "ENABLED", [{"name": "EC2_AGENT_MANAGEMENT", "status": "DISABLED"}], True),
    ("EKS_RUNTIME_MONITORING", "ENABLED", [{"name": "EKS_ADDON_MANAGEMENT", "status": "DISABLED"}], True),
    ("RUNTIME_MONITORING", "ENABLED", [{"name": "EC2_AGENT_MANAGEMENT", "status": "ENABLED"}], False),
    ("RUNTIME_MONITORING", "ENABLED", [{"name": "RDS_DATA_RISK", "status": "DISABLED"}], False),
    # The plan off (or maybe off): the plan, not its agents, decides.
    ("EKS_RUNTIME_MONITORING", "DISABLED", [{"name": "EKS_ADDON_MANAGEMENT", "status": "DISABLED"}], False),
    ("RUNTIME_MONITORING", UNKNOWN, [{"name": "EC2_AGENT_MANAGEMENT", "status": "DISABLED"}], False),
    ("RUNTIME_MONITORING", "ENABLED", [{"name": "EC2_AGENT_MANAGEMENT", "status": UNKNOWN}], False),
    ("RUNTIME_MONITORING", "ENABLED", [UNKNOWN], False), ("RUNTIME_MONITORING", "ENABLED", UNKNOWN, False)])
def test_runtime_monitoring_keeps_its_automated_agents(plan, status, agents, reported):
    props = {"name": plan, "status": status, "additionalConfigurations": agents}
    assert (FEATURES in policies_found([feature(**props)])) == reported


@pytest.mark.parametrize("datasources, reported", [
    ({"s3Logs": {"enable": False}}, True), ({"kubernetes": {"auditLogs": {"enable": "false"}}}, True),
    ({"malwareProtection": {"scanEc2InstanceWithFindings": {"ebsVolumes": {"enable": False}}}}, True),
    ({"s3Logs": {"enable": True}}, False), ({"s3Logs": {"enable": UNKNOWN}}, False), (UNKNOWN, False), (None, False)])
def test_a_detectors_deprecated_datasources_turn_nothing_off(datasources, reported):
    props = {"tags": DEFAULT_TAGS} if datasources is None else {"datasources": datasources, "tags": DEFAULT_TAGS}
    assert (FEATURES in policies_found([Res(DETECTOR, "detector", props)])) == reported


def test_an_exempted_plan_may_be_turned_off():
    off = feature(name="RDS_LOGIN_EVENTS", status="DISABLED")
    assert FEATURES not in policies_found([off], {FEATURES: {"exemptFeatures": ["RDS_LOGIN_EVENTS"]}})
    assert FEATURES in policies_found([off], {FEATURES: {"exemptFeatures": ["S3_DATA_EVENTS"]}})
