"""AWS Database Migration Service (DMS) guardrails: a replication instance has no public address, takes minor
versions and has a standby; an endpoint reaches its database over TLS; a replication task logs its work."""

REPLICATION_INSTANCE = "aws:dms/replicationInstance:ReplicationInstance"
ENDPOINT = "aws:dms/endpoint:Endpoint"
REPLICATION_TASK = "aws:dms/replicationTask:ReplicationTask"
