"""Amazon Neptune guardrails: a graph database cluster encrypts its storage."""

CLUSTER = "aws:neptune/cluster:Cluster"
"""Neptune DB clusters (terraform-provider-aws `aws_neptune_cluster`; AWS Config and Security Hub see them as
`AWS::RDS::DBCluster` of engine neptune). pulumi-aws's `aws.rds.Cluster` takes no neptune engine (its `engine`:
aurora-mysql, aurora-postgresql, mysql, postgres), so the rds family's policies never see a Neptune cluster."""
