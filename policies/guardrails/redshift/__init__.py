"""Amazon Redshift guardrails (provisioned clusters; Redshift Serverless is another family): a cluster is private,
encrypted at rest and takes SSL connections only."""

CLUSTER = "aws:redshift/cluster:Cluster"
"""Redshift provisioned clusters, judged by what pulumi-aws 7 sends (terraform-provider-aws 6 `aws_redshift_cluster`:
`publicly_accessible` now defaults to false and `encrypted`, a string, to "true"; the `logging` block is gone, for
the `aws_redshift_logging` resource)."""
PARAMETER_GROUP = "aws:redshift/parameterGroup:ParameterGroup"
"""A cluster parameter group: `parameters` entries of `name` and `value` (text), `require_ssl` among them."""
