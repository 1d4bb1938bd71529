"""Redshift Serverless workgroups, judged by what pulumi-aws sends: terraform-provider-aws
`aws_redshiftserverless_workgroup` sends PubliclyAccessible to CreateWorkgroup only when true, and turns it off with
UpdateWorkgroup when it changes to false."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true, peek
from ..core.registry import resource_policy
from . import WORKGROUP


@resource_policy(
    "redshiftserverless-workgroup-not-public", WORKGROUP,
    description="Redshift Serverless workgroups must not be publicly accessible: a public workgroup gets an Elastic IP "
                "address that takes connections from outside its VPC.",
    severity=Severity.HIGH,
    anchors=("Security Hub RedshiftServerless.3", "Config redshift-serverless-workgroup-no-public-access"),
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`publiclyAccessible` is not true (left out, pulumi-aws sends none and the workgroup is private); an unknown
    value is not judged"""
    if is_true(peek(args.props, "publiclyAccessible")):
        yield ("publiclyAccessible is true: Amazon Redshift gives the workgroup an Elastic IP address that takes "
               "connections from outside its VPC; leave it out or set false, and reach it through the VPC, a VPN or "
               "peering")
