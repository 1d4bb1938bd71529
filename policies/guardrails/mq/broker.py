"""Amazon MQ brokers, ActiveMQ or RabbitMQ, judged by what pulumi-aws sends (terraform-provider-aws `aws_mq_broker`
sends `publicly_accessible` in every CreateBroker call, false when left out, as is the API's own default; ForceNew)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import has_text, peek
from ..core.registry import ADVISORY, resource_policy
from ..core.switches import switch_policy
from . import BROKER, engine

# The deployment mode that spans Availability Zones, per engine (botocore's DeploymentMode; CreateBroker takes
# ACTIVE_STANDBY_MULTI_AZ for ActiveMQ only, CLUSTER_MULTI_AZ for RabbitMQ only), and what it runs.
MULTI_AZ = {"ACTIVEMQ": ("ACTIVE_STANDBY_MULTI_AZ", "an active and a standby instance in two Availability Zones"),
            "RABBITMQ": ("CLUSTER_MULTI_AZ", "a cluster of three nodes across Availability Zones")}


switch_policy(
    "mq-broker-not-public", BROKER, "publiclyAccessible",
    "the broker gets a public endpoint that takes connections from outside its VPC; leave it out or set false, and "
    "reach it through the VPC, a VPN or peering (Amazon MQ sets it at creation only: the broker is replaced)",
    wanted=False,
    description="Amazon MQ brokers must not be publicly accessible: a public broker gets a public endpoint that takes "
                "connections from outside its VPC, open to scans and denial-of-service attacks from the internet.",
    severity=Severity.HIGH,
    anchors=("Config mq-no-public-access", "Prowler mq_broker_not_publicly_accessible"),
    checks="""
    `publiclyAccessible` is not true (left out, pulumi-aws sends false, CreateBroker's default too); an unknown
    value is not judged""",
)


switch_policy(
    "mq-broker-audit-logging", BROKER, "logs.audit",
    "the ActiveMQ broker streams no audit log to CloudWatch Logs, so no record shows the user management actions made "
    "through JMX or the web console; set logs.audit true",
    unless=lambda props: engine(props) != "ACTIVEMQ",
    description="ActiveMQ brokers must stream their audit log to CloudWatch Logs, so every user management action "
                "made through JMX or the ActiveMQ web console is on record.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub MQ.2", "Config mq-cloudwatch-audit-log-enabled"),
    checks="""
    an ActiveMQ broker has `logs.audit` true (left out, pulumi-aws sends no Audit and the broker writes no audit
    log); RabbitMQ has no audit log and is not asked; an unknown engine or value is not judged""",
)


switch_policy(
    "mq-broker-auto-minor-version-upgrade", BROKER, "autoMinorVersionUpgrade",
    "Amazon MQ upgrades the broker to no new minor or patch engine version by itself, so security fixes wait for a "
    "manual upgrade; set true (from ActiveMQ 5.18 and RabbitMQ 3.13 on, Amazon MQ requires it and refuses false)",
    description="Amazon MQ brokers should take new minor and patch engine versions automatically, in their "
                "maintenance window, so security fixes reach them without a manual upgrade.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub MQ.3", "Config mq-auto-minor-version-upgrade-enabled", "CKV_AWS_207"),
    anchor_note="MQ.3 is gone from the newest Security Hub CSPM MQ page; the Config rule remains",
    checks="""
    `autoMinorVersionUpgrade` is true (left out, pulumi-aws sends false, whatever CreateBroker's default of true);
    an unknown value is not judged""",
)


@resource_policy(
    "mq-broker-multi-az", BROKER,
    description="Amazon MQ brokers should span Availability Zones, an ActiveMQ broker as an active/standby pair and "
                "a RabbitMQ broker as a cluster, so a failed instance or zone does not stop the messages.",
    severity=Severity.LOW,
    level=ADVISORY,
    anchors=("Security Hub MQ.5", "Security Hub MQ.6", "Config mq-active-deployment-mode",
             "Config mq-rabbit-deployment-mode", "CT.MQ.PR.1", "CT.MQ.PR.2"),
)
def multi_az(args: ResourceValidationArgs) -> Iterator[str]:
    """`deploymentMode` is ACTIVE_STANDBY_MULTI_AZ for an ActiveMQ broker, CLUSTER_MULTI_AZ for a RabbitMQ broker, in
    any letter case but unpadded (terraform-provider-aws validates it with `enum.ValidateIgnoreCase`, which trims
    nothing; left out, it sends SINGLE_INSTANCE); an unknown engine or mode is not judged"""
    wanted = MULTI_AZ.get(engine(args.props))
    mode = peek(args.props, "deploymentMode")
    if wanted is None or not (mode is None or isinstance(mode, str)):  # UNKNOWN, or no text, is not judged
        return
    multi, what = wanted
    if (mode or "").upper() == multi:
        return
    yield (f"deploymentMode is {mode if has_text(mode) else 'unset (SINGLE_INSTANCE)'}: the broker is one instance "
           "in one Availability Zone, with nothing to take over when it or its zone fails; set "
           f"{multi} ({what}; Amazon MQ sets it at creation only: the broker is replaced)")
