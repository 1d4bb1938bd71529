"""Raw GuardDuty detectors and protection plans: a suspended detector and plans turned off, and ones turned on, left
to the provider's default, exempted by the policy config, or known only after the update."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}


def detector(name, **args):
    return aws.guardduty.Detector(name, finding_publishing_frequency="FIFTEEN_MINUTES", tags=TAGS, **args)


DETECTOR = detector("detector", enable=True)
detector("suspended-detector", enable=False)
detector("default-detector")
# Known only once the first detector exists (true then): unknown in a first preview, which does not judge it.
detector("later-detector", enable=DETECTOR.id.apply(lambda _: True))

# The deprecated datasources block: S3 and malware protection turned off (EKS audit logs too, which the test's config
# exempts); all three on.
detector("legacy-detector", datasources={
    "s3_logs": {"enable": False}, "kubernetes": {"audit_logs": {"enable": False}},
    "malware_protection": {"scan_ec2_instance_with_findings": {"ebs_volumes": {"enable": False}}}})
detector("legacy-on-detector", datasources={
    "s3_logs": {"enable": True}, "kubernetes": {"audit_logs": {"enable": True}},
    "malware_protection": {"scan_ec2_instance_with_findings": {"ebs_volumes": {"enable": True}}}})


def feature(name, feature_name, status, **args):
    return aws.guardduty.DetectorFeature(name, detector_id=DETECTOR.id, name=feature_name, status=status, **args)


feature("s3-protection-off", "S3_DATA_EVENTS", "DISABLED")
feature("lambda-protection-on", "LAMBDA_NETWORK_LOGS", "ENABLED")
# Exempted by the test's config (an account without EKS).
feature("eks-audit-off", "EKS_AUDIT_LOGS", "DISABLED")
# The move to RUNTIME_MONITORING GuardDuty asks for; a plan no control asks for.
feature("eks-runtime-off", "EKS_RUNTIME_MONITORING", "DISABLED")
feature("ai-protection-off", "AI_PROTECTION", "DISABLED")
# Runtime Monitoring on, with GuardDuty's agent for Fargate turned off (and the EKS add-on's, which the config
# exempts); on with every agent; off with its agents (only the plan itself is reported).
feature("runtime-fargate-off", "RUNTIME_MONITORING", "ENABLED", additional_configurations=[
    {"name": "EKS_ADDON_MANAGEMENT", "status": "DISABLED"},
    {"name": "ECS_FARGATE_AGENT_MANAGEMENT", "status": "DISABLED"},
    {"name": "EC2_AGENT_MANAGEMENT", "status": "ENABLED"}])
feature("runtime-on", "RUNTIME_MONITORING", "ENABLED", additional_configurations=[
    {"name": agent, "status": "ENABLED"}
    for agent in ("EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT")])
feature("runtime-off", "RUNTIME_MONITORING", "DISABLED", additional_configurations=[
    {"name": "EC2_AGENT_MANAGEMENT", "status": "DISABLED"}])
# Known only once the detector exists (ENABLED then).
feature("later-rds-protection", "RDS_LOGIN_EVENTS", DETECTOR.id.apply(lambda _: "ENABLED"))

# An administrator's settings for a member account's detector.
aws.guardduty.MemberDetectorFeature("member-rds-off", detector_id=DETECTOR.id, account_id="111122223333",
                                    name="RDS_LOGIN_EVENTS", status="DISABLED")
aws.guardduty.MemberDetectorFeature("member-malware-on", detector_id=DETECTOR.id, account_id="111122223333",
                                    name="EBS_MALWARE_PROTECTION", status="ENABLED")
