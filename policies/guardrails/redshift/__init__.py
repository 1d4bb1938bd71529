"""Amazon Redshift guardrails (provisioned clusters; Redshift Serverless is another family): a cluster is private,
encrypted at rest, takes SSL connections only, writes audit logs, keeps a week of snapshots, takes new engine
versions, routes COPY and UNLOAD through its VPC, avoids the default admin and database names and, on RA3 nodes,
runs in two Availability Zones; a cluster subnet group spans two zones or more."""

CLUSTER = "aws:redshift/cluster:Cluster"
"""Redshift provisioned clusters, judged by what pulumi-aws 7 sends (terraform-provider-aws 6 `aws_redshift_cluster`:
`publicly_accessible` now defaults to false and `encrypted`, a string, to "true"; the `logging` block is gone, for
the `aws_redshift_logging` resource)."""
PARAMETER_GROUP = "aws:redshift/parameterGroup:ParameterGroup"
"""A cluster parameter group: `parameters` entries of `name` and `value` (text), `require_ssl` among them."""
LOGGING = "aws:redshift/logging:Logging"
"""A cluster's audit logging (EnableLogging), naming the cluster by `clusterIdentifier`: pulumi-aws 7's only way to
turn it on, as the Cluster's `logging` block is gone."""
SUBNET_GROUP = "aws:redshift/subnetGroup:SubnetGroup"
"""A cluster subnet group (CreateClusterSubnetGroup): the VPC subnets, `subnetIds`, a cluster naming it by
`clusterSubnetGroupName` is placed in."""
