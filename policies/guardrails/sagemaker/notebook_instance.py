"""SageMaker AI notebook instances, judged by what pulumi-aws sends (terraform-provider-aws
`aws_sagemaker_notebook_instance`: `direct_internet_access` and `root_access` default to Enabled and are sent so;
`subnet_id`, `platform_identifier` and `kms_key_id` are sent only when set, so CreateNotebookInstance's own defaults
apply)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_set, peek
from ..core.registry import ADVISORY, resource_policy
from . import NOTEBOOK_INSTANCE, no_customer_key

# The platforms SageMaker.8 counts as supported: Amazon Linux 2023 (its parameter names notebook-al2023-v1;
# botocore's PlatformIdentifier also takes the newer notebook-al2023-v2). The Amazon Linux 1 and 2 ones are not.
SUPPORTED_PLATFORM_PREFIX = "notebook-al2023-"


def _enabled(args: ResourceValidationArgs, key: str) -> str | None:
    """How an Enabled/Disabled switch whose default is Enabled reads when it is not Disabled: 'Enabled' or 'unset
    (Enabled)'; None when it is Disabled, unknown until the update, or a value the provider refuses (it matches
    the two values case-sensitively)."""
    value = peek(args.props, key)
    if value is None:
        return "unset (Enabled)"
    return "Enabled" if value == "Enabled" else None


@resource_policy(
    "sagemaker-notebook-no-direct-internet-access", NOTEBOOK_INSTANCE,
    description="SageMaker AI notebook instances must not have direct internet access: SageMaker then gives the "
                "instance its own network interface to the internet, outside every control of your VPC.",
    severity=Severity.HIGH,
    anchors=("Security Hub SageMaker.1", "Config sagemaker-notebook-no-direct-internet-access", "CKV_AWS_122"),
)
def no_direct_internet_access(args: ResourceValidationArgs) -> Iterator[str]:
    """`directInternetAccess` is Disabled (left out, pulumi-aws sends Enabled, CreateNotebookInstance's default
    too); an unknown value is not judged"""
    setting = _enabled(args, "directInternetAccess")
    if setting:
        yield (f"directInternetAccess is {setting}: SageMaker gives the notebook instance a network interface to "
               "the internet that bypasses the VPC's security groups, network ACLs and egress inspection; set "
               "Disabled with subnetId and securityGroups, and reach the internet through a NAT gateway or VPC "
               "endpoints (SageMaker sets it at creation only: the instance is replaced)")


@resource_policy(
    "sagemaker-notebook-in-vpc", NOTEBOOK_INSTANCE,
    description="SageMaker AI notebook instances must be launched in a subnet of your own VPC, so your security "
                "groups, network ACLs and routes govern their traffic.",
    severity=Severity.HIGH,
    anchors=("Security Hub SageMaker.2", "Config sagemaker-notebook-instance-inside-vpc", "CKV_AWS_306"),
)
def in_vpc(args: ResourceValidationArgs) -> Iterator[str]:
    """`subnetId` is set (left out, pulumi-aws sends none and the instance runs in the SageMaker service VPC); a
    value unknown until the update counts as set"""
    if not is_set(args.props, "subnetId"):
        yield ("subnetId is unset: the notebook instance runs in the SageMaker service VPC, where none of your "
               "security groups, network ACLs or routes apply; set subnetId (and securityGroups) to a subnet of your "
               "VPC (SageMaker sets it at creation only: the instance is replaced)")


@resource_policy(
    "sagemaker-notebook-root-access-disabled", NOTEBOOK_INSTANCE,
    description="SageMaker AI notebook instances must not give their users root access: with it, anyone who can "
                "open the notebook can change the instance's software and read every user's files.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SageMaker.3", "Config sagemaker-notebook-instance-root-access-check", "CKV_AWS_307"),
)
def root_access_disabled(args: ResourceValidationArgs) -> Iterator[str]:
    """`rootAccess` is Disabled (left out, pulumi-aws sends Enabled, CreateNotebookInstance's default too); an
    unknown value is not judged"""
    setting = _enabled(args, "rootAccess")
    if setting:
        yield (f"rootAccess is {setting}: every user of the notebook instance can act as root on it; set Disabled "
               "(lifecycle configurations still run as root, so setup scripts keep working)")


@resource_policy(
    "sagemaker-notebook-supported-platform", NOTEBOOK_INSTANCE,
    description="SageMaker AI notebook instances must run on a supported platform (Amazon Linux 2023), which still "
                "gets SageMaker's security updates and fixes.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SageMaker.8", "Config sagemaker-notebook-instance-platform-version"),
)
def supported_platform(args: ResourceValidationArgs) -> Iterator[str]:
    """`platformIdentifier` is an Amazon Linux 2023 one (`notebook-al2023-v1` or newer); left out, pulumi-aws sends
    none and CreateNotebookInstance's default is notebook-al2023-v1; an unknown value is not judged"""
    platform = peek(args.props, "platformIdentifier")
    if isinstance(platform, str) and platform and not platform.startswith(SUPPORTED_PLATFORM_PREFIX):
        yield (f"platformIdentifier is {platform}, an Amazon Linux 1 or 2 platform that gets no more SageMaker "
               "security updates or fixes; set notebook-al2023-v1 or leave it out (the API's default; SageMaker sets "
               "it at creation only: the instance is replaced)")


@resource_policy(
    "sagemaker-notebook-cmk", NOTEBOOK_INSTANCE,
    description="SageMaker AI notebook instances should encrypt their ML storage volume with a customer managed KMS "
                "key, whose key policy, grants, rotation and state the account controls, not with a key of AWS's.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub SageMaker.21", "Config sagemaker-notebook-instance-storage-vol-kms-encrypted",
             "CKV_AWS_22"),
)
def cmk(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsKeyId` is set, and is not an AWS managed key's alias (`alias/aws/...`); left out, pulumi-aws sends none
    and SageMaker encrypts the volumes with a key of its own (Developer Guide, "Notebook instances, SageMaker AI
    jobs, and Endpoints"); UpdateNotebookInstance takes no KmsKeyId; an unknown value is not judged"""
    state = no_customer_key(peek(args.props, "kmsKeyId"))
    if state:
        yield (f"kmsKeyId is {state}: the notebook instance's ML storage volume, with the users' notebooks and data, "
               "is encrypted under a key whose policy, grants, rotation and state the account does not control; set "
               "kmsKeyId the ARN of a customer managed key (SageMaker sets it at creation only: the instance is "
               "replaced)")
