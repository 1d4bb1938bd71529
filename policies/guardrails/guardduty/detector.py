"""GuardDuty detectors and their protection plans, judged by what a stack turns off: a detector's `enable` false
(CreateDetector and UpdateDetector take Enable; terraform-provider-aws sends true when it is left out), a plan's
`status` DISABLED (DetectorFeatureConfiguration, sent with UpdateDetector or UpdateMemberDetectors), or the
deprecated `datasources` block's `enable` false."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_false, is_map, peek, peek_items, upper_text
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from ..core.switches import switch_policy
from . import DETECTOR, DETECTOR_FEATURE, MEMBER_DETECTOR_FEATURE


switch_policy(
    "guardduty-detector-enabled", DETECTOR, "enable",
    "GuardDuty suspends the detector and stops analysing the account's CloudTrail, VPC flow and DNS logs in this "
    "Region, so no threat finding reaches anyone; leave it out or set true",
    left_out=True,
    description="GuardDuty detectors must not be suspended: a suspended detector stops all of GuardDuty's threat "
                "detection in its account and Region.",
    severity=Severity.HIGH,
    anchors=("Security Hub GuardDuty.1", "Config guardduty-enabled-centralized"),
    checks="""
    `enable` is not false (left out, pulumi-aws sends true); an unknown value is not judged""",
)


# The protection plans Security Hub asks for, by their feature names: the control, and what the plan watches.
FEATURES = {
    "EKS_AUDIT_LOGS": ("GuardDuty.5", "reading the EKS clusters' Kubernetes audit logs"),
    "LAMBDA_NETWORK_LOGS": ("GuardDuty.6", "watching the Lambda functions' network activity"),
    "EBS_MALWARE_PROTECTION": ("GuardDuty.8", "scanning the EBS volumes of instances and containers it suspects "
                                              "for malware"),
    "RDS_LOGIN_EVENTS": ("GuardDuty.9", "profiling logins to the Aurora and RDS databases"),
    "S3_DATA_EVENTS": ("GuardDuty.10", "watching the object-level calls (CloudTrail S3 data events) on the buckets"),
    "RUNTIME_MONITORING": ("GuardDuty.11", "taking the runtime events of the EKS, ECS and EC2 workloads"),
}
# The automated agent management of Runtime Monitoring (or of EKS Runtime Monitoring) each control asks for.
AGENTS = {
    "EKS_ADDON_MANAGEMENT": ("GuardDuty.7", "the EKS clusters"),
    "ECS_FARGATE_AGENT_MANAGEMENT": ("GuardDuty.12", "the ECS tasks on Fargate"),
    "EC2_AGENT_MANAGEMENT": ("GuardDuty.13", "the EC2 instances"),
}
# The deprecated `datasources` block's switches, by the feature each is.
DATASOURCES = {
    "S3_DATA_EVENTS": ("s3Logs", "enable"),
    "EKS_AUDIT_LOGS": ("kubernetes", "auditLogs", "enable"),
    "EBS_MALWARE_PROTECTION": ("malwareProtection", "scanEc2InstanceWithFindings", "ebsVolumes", "enable"),
}


def _datasources_off(props: Any) -> Iterator[tuple[str, str]]:
    """(feature, message) for each switch of a detector's `datasources` set false."""
    for feature, path in DATASOURCES.items():
        if is_false(peek(props, "datasources", *path)):
            control, watch = FEATURES[feature]
            yield feature, (f"datasources.{'.'.join(path)} is false: GuardDuty stops {watch} ({control}); set true, "
                            f"or leave datasources out and manage the plan with a DetectorFeature")


def _feature_off(props: Any) -> Iterator[tuple[str, str]]:
    """(feature, message) for a protection plan set DISABLED, or, where it is ENABLED, each of its agent managements
    set DISABLED. EKS_RUNTIME_MONITORING DISABLED is not judged: GuardDuty asks for it when an account moves to
    RUNTIME_MONITORING, which includes EKS."""
    name, status = upper_text(peek(props, "name")), upper_text(peek(props, "status"))
    if name in FEATURES and status == "DISABLED":
        control, watch = FEATURES[name]
        yield name, (f"{name} is DISABLED: GuardDuty stops {watch} ({control}); set status ENABLED, or name "
                     f"{name} in exemptFeatures where the account has none of them")
    if status != "ENABLED" or name not in ("RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"):
        return
    for entry in peek_items(props, "additionalConfigurations"):
        agent = upper_text(peek(entry, "name")) if is_map(entry) else None
        if agent in AGENTS and upper_text(peek(entry, "status")) == "DISABLED":
            control, targets = AGENTS[agent]
            yield agent, (f"{name}'s {agent} is DISABLED: GuardDuty no longer deploys and updates its security agent "
                          f"on {targets}, whose runtime goes unwatched wherever no one installs the agent by hand "
                          f"({control}); set its status ENABLED, or name {agent} in exemptFeatures")


# Not `resource_policy_by_type`: its checks take a resource's properties and yield messages, while these yield
# (feature, message) pairs for one exemption filter that reads the `exemptFeatures` knob from `args`; the one-line
# dispatch below is simpler than teaching the registry a second kind of check for this policy alone.
TURNED_OFF = {DETECTOR: _datasources_off, DETECTOR_FEATURE: _feature_off, MEMBER_DETECTOR_FEATURE: _feature_off}


@resource_policy(
    "guardduty-detector-features-enabled", tuple(TURNED_OFF),
    description="GuardDuty protection plans Security Hub asks for (EKS audit logs, Lambda, malware, RDS and S3 "
                "protection, Runtime Monitoring and its automated agents) must not be turned off, so GuardDuty keeps "
                "watching those workloads.",
    severity=Severity.HIGH,
    level=ADVISORY,
    anchors=("Security Hub GuardDuty.5", "Security Hub GuardDuty.6", "Security Hub GuardDuty.7",
             "Security Hub GuardDuty.8", "Security Hub GuardDuty.9", "Security Hub GuardDuty.10",
             "Security Hub GuardDuty.11", "Security Hub GuardDuty.12", "Security Hub GuardDuty.13",
             "CT.GUARDDUTY.PR.1"),
    # The control's remediation is "Set DataSources.S3Logs to true", so a detector without it fails there.
    anchor_note="CT.GUARDDUTY.PR.1 also fails a detector that leaves S3 protection out; this reports S3 protection "
                "turned off only, as an account may turn it on elsewhere and GuardDuty turns it on for an account "
                "that enables GuardDuty for the first time",
    config={"exemptFeatures": string_list(
        "Feature and agent management names a stack may turn off, where the account runs none of what they watch "
        "(EKS_AUDIT_LOGS and EKS_ADDON_MANAGEMENT without EKS, say); say why next to the config.",
        item={"enum": sorted(FEATURES.keys() | AGENTS.keys())})},
)
def features_enabled(args: ResourceValidationArgs) -> Iterator[str]:
    """a `DetectorFeature` or `MemberDetectorFeature` whose `name` is EKS_AUDIT_LOGS, LAMBDA_NETWORK_LOGS,
    EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, S3_DATA_EVENTS or RUNTIME_MONITORING does not set `status` DISABLED, and
    one ENABLED for RUNTIME_MONITORING or EKS_RUNTIME_MONITORING does not set an `additionalConfigurations` entry
    EKS_ADDON_MANAGEMENT, ECS_FARGATE_AGENT_MANAGEMENT or EC2_AGENT_MANAGEMENT DISABLED; a `Detector`'s deprecated
    `datasources` sets no `s3Logs`, `kubernetes.auditLogs` or `malwareProtection.scanEc2InstanceWithFindings.ebsVolumes`
    `enable` false (knob `exemptFeatures`). Left out, nothing is judged (an account may enable them elsewhere);
    EKS_RUNTIME_MONITORING DISABLED is the move to RUNTIME_MONITORING GuardDuty asks for; an unknown name or status is
    not judged"""
    found = list(TURNED_OFF[args.resource_type](args.props))
    exempt = set(config_list(args, "exemptFeatures")) if found else set()
    for feature, message in found:
        if feature not in exempt:
            yield message
