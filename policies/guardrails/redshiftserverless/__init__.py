"""Amazon Redshift Serverless guardrails: a workgroup has no public address, takes SSL connections only and routes
its COPY and UNLOAD traffic through the VPC; a namespace is encrypted with a customer managed key, has no admin user
of the default name and exports its connection and user logs."""

WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup"
"""Redshift Serverless workgroups, the compute and network side (terraform-provider-aws
`aws_redshiftserverless_workgroup` sends `publicly_accessible` and `enhanced_vpc_routing` to CreateWorkgroup only when
true, and its `config_parameter` entries as ConfigParameters)."""

NAMESPACE = "aws:redshiftserverless/namespace:Namespace"
"""Redshift Serverless namespaces, the databases' side (terraform-provider-aws `aws_redshiftserverless_namespace`
sends `kms_key_id`, an ARN, `log_exports` and `admin_username` to CreateNamespace when set, and `admin_username`
admin when only a password is set)."""
