"""EKS managed node groups, judged by what pulumi-aws sends (terraform-provider-aws `aws_eks_node_group`, which sends
`remoteAccess.ec2SshKey` and `sourceSecurityGroupIds` only when not empty)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, is_map, peek, peek_items
from ..core.registry import resource_policy
from . import NODE_GROUP


@resource_policy(
    "eks-nodegroup-no-public-ssh", NODE_GROUP,
    description="EKS managed node groups must not take an SSH key without source security groups: EKS then opens "
                "port 22 (3389 on Windows) on every node to the whole internet.",
    severity=Severity.HIGH,
    anchors=("CKV_AWS_100",),
)
def no_public_ssh(args: ResourceValidationArgs) -> Iterator[str]:
    """`remoteAccess` with an `ec2SshKey` lists `sourceSecurityGroupIds` (EKS API RemoteAccessConfig: with a key and
    no source security group, "the port on the nodes is opened to the internet (0.0.0.0/0)"; the provider sends
    neither an empty key nor an empty list); unknown values are not judged"""
    access = peek(args.props, "remoteAccess")
    if not is_map(access):
        return
    key = peek(access, "ec2SshKey")
    if key is UNKNOWN or not has_text(key) or peek_items(access, "sourceSecurityGroupIds"):
        return
    yield ("remoteAccess.ec2SshKey is set without sourceSecurityGroupIds: EKS opens port 22 (SSH; 3389, RDP, on "
           "Windows nodes) on every node to the internet (0.0.0.0/0); list the security groups allowed in "
           "sourceSecurityGroupIds, or drop remoteAccess and reach the nodes through SSM Session Manager")
