"""ElastiCache guardrails: a replication group (Redis OSS or Valkey) encrypts what it stores and what it sends, asks
clients to authenticate, and keeps snapshots."""

REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
# A cache cluster: one on its own (Redis OSS, Valkey or Memcached), or a member of a replication group.
CLUSTER = "aws:elasticache/cluster:Cluster"
