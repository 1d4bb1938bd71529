"""Amazon Redshift Serverless guardrails: a workgroup has no public address."""

WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup"
"""Redshift Serverless workgroups, the compute and network side (terraform-provider-aws
`aws_redshiftserverless_workgroup` sends `publicly_accessible` and `enhanced_vpc_routing` to CreateWorkgroup only when
true, and its `config_parameter` entries as ConfigParameters)."""
