"""Amazon Neptune guardrails: a graph database cluster encrypts its storage, is hard to delete by mistake, keeps a
week of backups, takes IAM database authentication, copies its tags to its snapshots, writes an audit log to
CloudWatch Logs and has instances in more than one Availability Zone."""

CLUSTER = "aws:neptune/cluster:Cluster"
"""Neptune DB clusters (terraform-provider-aws `aws_neptune_cluster`; AWS Config and Security Hub see them as
`AWS::RDS::DBCluster` of engine neptune). pulumi-aws's `aws.rds.Cluster` takes no neptune engine (its `engine`:
aurora-mysql, aurora-postgresql, mysql, postgres), so the rds family's policies never see a Neptune cluster."""
# A cluster parameter group: the cluster's `neptuneClusterParameterGroupName` names it (by name, which is its id).
CLUSTER_PARAMETER_GROUP = "aws:neptune/clusterParameterGroup:ClusterParameterGroup"
# A cluster's DB instance (its writer or a read replica): `clusterIdentifier` names the cluster.
CLUSTER_INSTANCE = "aws:neptune/clusterInstance:ClusterInstance"
