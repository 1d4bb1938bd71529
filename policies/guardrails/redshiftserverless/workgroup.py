"""Redshift Serverless workgroups, judged by what pulumi-aws sends: terraform-provider-aws
`aws_redshiftserverless_workgroup` sends PubliclyAccessible and EnhancedVpcRouting to CreateWorkgroup only when
true, and sends either with UpdateWorkgroup when it changes; it sends the `configParameters` entries as given (keys
as the API spells them, lower case), and AWS fills in the parameters left out with their defaults (require_ssl's is
true for a new workgroup)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.parameter_groups import parameter_said, parameter_value
from ..core.registry import ADVISORY, resource_policy
from ..core.switches import switch_policy
from . import WORKGROUP


switch_policy(
    "redshiftserverless-workgroup-not-public", WORKGROUP, "publiclyAccessible",
    "Amazon Redshift gives the workgroup an Elastic IP address that takes connections from outside its VPC; leave it "
    "out or set false, and reach it through the VPC, a VPN or peering",
    wanted=False,
    description="Redshift Serverless workgroups must not be publicly accessible: a public workgroup gets an Elastic IP "
                "address that takes connections from outside its VPC.",
    severity=Severity.HIGH,
    anchors=("Security Hub RedshiftServerless.3", "Config redshift-serverless-workgroup-no-public-access"),
    checks="""
    `publiclyAccessible` is not true (left out, pulumi-aws sends none and the workgroup is private); an unknown
    value is not judged""",
)


@resource_policy(
    "redshiftserverless-workgroup-require-ssl", WORKGROUP,
    description="Redshift Serverless workgroups must take SSL connections only (require_ssl), so no client sends "
                "queries, results and credentials in plain text.",
    severity=Severity.HIGH,
    anchors=("Security Hub RedshiftServerless.2", "Config redshift-serverless-workgroup-encrypted-in-transit"),
)
def require_ssl(args: ResourceValidationArgs) -> Iterator[str]:
    """no `configParameters` entry sets `require_ssl` to false (its `parameterKey` in any case: AWS names its
    parameters in lower case; left out, a new workgroup requires SSL: AWS's default, and CreateWorkgroup refuses
    false, which only UpdateWorkgroup takes); a value other than true or false, or an unknown list, entry or value, is
    not judged"""
    where = ("require_ssl", "configParameters", "parameterKey", "parameterValue")
    if parameter_value(args.props, *where) == "false":
        yield (f"configParameters' require_ssl is {parameter_said(args.props, *where)}: the workgroup accepts "
               "connections without SSL, whose queries, results and credentials cross the network in plain text; set "
               "its parameterValue true (removing the entry leaves the workgroup as it is; Redshift Serverless "
               "restarts the workgroup to apply it)")


switch_policy(
    "redshiftserverless-workgroup-enhanced-vpc-routing", WORKGROUP, "enhancedVpcRouting",
    "Amazon Redshift routes the workgroup's COPY and UNLOAD traffic through the internet, past the VPC's security "
    "groups, endpoint policies and flow logs; set true (the subnets then need a route to the data, such as an S3 "
    "gateway endpoint)",
    description="Redshift Serverless workgroups should use enhanced VPC routing, so COPY and UNLOAD traffic to and "
                "from data repositories goes through the VPC, where security groups, endpoint policies and flow logs "
                "apply, not over the internet.",
    severity=Severity.HIGH, level=ADVISORY,
    anchors=("Security Hub RedshiftServerless.1", "Config redshift-serverless-workgroup-routes-within-vpc"),
    checks="""
    `enhancedVpcRouting` is true (left out, pulumi-aws sends none and the workgroup routes that traffic over the
    internet); an unknown value is not judged""",
)
