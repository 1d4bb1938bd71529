"""Amazon DocumentDB guardrails: a cluster encrypts its storage, is protected from deletion and keeps a week of
backups."""

# An instance-based DocumentDB cluster (the RDS API's DB cluster of engine docdb; Security Hub's DocumentDB controls
# judge it as AWS::RDS::DBCluster). Elastic clusters (aws:docdb/elasticCluster:ElasticCluster) are another service
# (docdb-elastic) that no DocumentDB control judges.
CLUSTER = "aws:docdb/cluster:Cluster"
