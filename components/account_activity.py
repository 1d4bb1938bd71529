"""The account activity CIS AWS Foundations asks an account to be alerted to (its "Monitoring" section; Security
Hub CloudWatch.1-14): a metric filter on the trail's CloudWatch Logs copy for each kind of event, whose metric an
alarm watches (observability.py, kind `audit-account-activity`).

Security Hub compares each filter's pattern with the one CIS prescribes and fails the control on any other text
("Additional fields or terms cannot be added"), so the patterns are the ones its user guide gives ("Amazon
CloudWatch controls"), character for character. The event names are CloudTrail's, so the filters match the
account's activity in every region the multi-region trail records.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from . import naming


@dataclass(frozen=True)
class ActivityEvent:
    key: str      # the filter's and metric's name; the alarm is `<env>-audit-<key>`
    control: str  # Security Hub's control, which checks the pattern
    summary: str  # what the alarm says happened
    pattern: str


def _any_event(*names: str) -> str:
    return " || ".join(f"($.eventName={name})" for name in names)


EVENTS: tuple[ActivityEvent, ...] = (
    ActivityEvent("root-usage", "CloudWatch.1", "the root user made a call",
                  '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && '
                  '$.eventType !="AwsServiceEvent"}'),
    ActivityEvent("unauthorized-calls", "CloudWatch.2", "calls were refused as unauthorized or access denied",
                  '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'),
    ActivityEvent("console-sign-in-without-mfa", "CloudWatch.3", "an IAM user signed in to the console without MFA",
                  '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
                  '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'),
    ActivityEvent("iam-policy-changes", "CloudWatch.4", "an IAM policy was created, changed, attached or detached",
                  "{" + _any_event("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
                                   "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy",
                                   "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy",
                                   "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
                                   "DetachGroupPolicy") + "}"),
    ActivityEvent("cloudtrail-changes", "CloudWatch.5", "a CloudTrail trail was created, changed, started or stopped",
                  "{" + _any_event("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")
                  + "}"),
    ActivityEvent("console-sign-in-failures", "CloudWatch.6", "console sign-ins failed authentication",
                  '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'),
    ActivityEvent("kms-key-disabled-or-deleted", "CloudWatch.7",
                  "a customer managed KMS key was disabled or scheduled for deletion",
                  "{($.eventSource=kms.amazonaws.com) && (" + _any_event("DisableKey", "ScheduleKeyDeletion") + ")}"),
    ActivityEvent("s3-bucket-policy-changes", "CloudWatch.8",
                  "an S3 bucket's policy, ACL, CORS, lifecycle or replication was changed",
                  "{($.eventSource=s3.amazonaws.com) && (" + _any_event(
                      "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
                      "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
                      "DeleteBucketReplication") + ")}"),
    ActivityEvent("config-changes", "CloudWatch.9", "AWS Config's recorder or delivery channel was changed or stopped",
                  "{($.eventSource=config.amazonaws.com) && (" + _any_event(
                      "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
                      "PutConfigurationRecorder") + ")}"),
    ActivityEvent("security-group-changes", "CloudWatch.10", "a security group or its rules were changed",
                  "{" + _any_event("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                                   "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
                                   "DeleteSecurityGroup") + "}"),
    ActivityEvent("network-acl-changes", "CloudWatch.11", "a network ACL or its entries were changed",
                  "{" + _any_event("CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
                                   "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation")
                  + "}"),
    ActivityEvent("network-gateway-changes", "CloudWatch.12", "an internet or customer gateway was changed",
                  "{" + _any_event("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                                   "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway") + "}"),
    ActivityEvent("route-table-changes", "CloudWatch.13", "a route table or its routes were changed",
                  "{" + _any_event("CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
                                   "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable") + "}"),
    ActivityEvent("vpc-changes", "CloudWatch.14", "a VPC, its attributes or its peering were changed",
                  "{" + _any_event("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
                                   "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection",
                                   "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
                                   "DisableVpcClassicLink", "EnableVpcClassicLink") + "}"),
)


@dataclass(frozen=True)
class ActivityMetric:
    """The metric one event's filter writes: a 1 per matching log event, nothing when none matches."""

    event: ActivityEvent
    namespace: str
    name: pulumi.Output[str]  # the filter's, so an alarm on it waits for the filter


def activity_filters(owner: pulumi.Resource, name: str, environment: str,
                     log_group_name: pulumi.Output[str]) -> tuple[ActivityMetric, ...]:
    """A metric filter per event on the trail's log group (named from the group's output: it waits for it)."""
    namespace = naming.account_activity_namespace(environment)
    metrics = []
    for event in EVENTS:
        found = aws.cloudwatch.LogMetricFilter(
            f"{name}-activity-{event.key}", name=event.key, log_group_name=log_group_name, pattern=event.pattern,
            metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
                namespace=namespace, name=event.key, value="1", unit="Count"),
            opts=pulumi.ResourceOptions(parent=owner))
        metrics.append(ActivityMetric(event, namespace, found.metric_transformation.name))
    return tuple(metrics)
