"""Amazon DocumentDB guardrails: a cluster encrypts its storage, is protected from deletion, keeps a week of backups,
writes an audit log to CloudWatch Logs and takes TLS 1.2 or later only."""

# An instance-based DocumentDB cluster (the RDS API's DB cluster of engine docdb; Security Hub's DocumentDB controls
# judge it as AWS::RDS::DBCluster). Elastic clusters (aws:docdb/elasticCluster:ElasticCluster) are another service
# (docdb-elastic) that no DocumentDB control judges.
CLUSTER = "aws:docdb/cluster:Cluster"
# A cluster's parameter group: its `parameters` (name, value) set the engine's settings (audit_logs, tls, ...).
CLUSTER_PARAMETER_GROUP = "aws:docdb/clusterParameterGroup:ClusterParameterGroup"
