"""RDS guardrails: a database is private, encrypted, backed up, hard to delete by mistake, keeps no password in the
program, takes minor engine upgrades, exports its logs to CloudWatch Logs, takes IAM database authentication where
its engine can, runs in more than one Availability Zone and turns Enhanced Monitoring on, and a DB instance refuses
connections without TLS; its snapshots are never public; its proxies take TLS connections only and require IAM
authentication."""

INSTANCE = "aws:rds/instance:Instance"
# An Aurora (or Multi-AZ DB) cluster; its instances are ClusterInstances.
CLUSTER = "aws:rds/cluster:Cluster"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
# A DB instance's parameter group: its `parameters` (name, value) set the engine's settings (rds.force_ssl, ...).
PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup"
# An RDS Proxy: pools the clients' connections to a DB instance or cluster.
PROXY = "aws:rds/proxy:Proxy"
# Manual DB and DB cluster snapshots, and copies of them: each shares itself with `sharedAccounts`.
SNAPSHOT = "aws:rds/snapshot:Snapshot"
SNAPSHOT_COPY = "aws:rds/snapshotCopy:SnapshotCopy"
CLUSTER_SNAPSHOT = "aws:rds/clusterSnapshot:ClusterSnapshot"
CLUSTER_SNAPSHOT_COPY = "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy"
