"""AWS Database Migration Service (DMS) guardrails: a replication instance has no public address, and an endpoint
reaches its database over TLS."""

REPLICATION_INSTANCE = "aws:dms/replicationInstance:ReplicationInstance"
ENDPOINT = "aws:dms/endpoint:Endpoint"
