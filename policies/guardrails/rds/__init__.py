"""RDS guardrails: a database is private, encrypted, backed up, hard to delete by mistake, and keeps no password in
the program."""

INSTANCE = "aws:rds/instance:Instance"
# An Aurora (or Multi-AZ DB) cluster; its instances are ClusterInstances.
CLUSTER = "aws:rds/cluster:Cluster"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
