"""ElastiCache guardrails: a replication group (Redis OSS or Valkey) encrypts what it stores and what it sends, asks
clients to authenticate, and keeps snapshots."""

REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
