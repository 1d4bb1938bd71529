"""AWS Database Migration Service (DMS) guardrails: a replication instance has no public address, and an endpoint
reaches its database over TLS."""

REPLICATION_INSTANCE = "aws:dms/replicationInstance:ReplicationInstance"
"""DMS replication instances, judged by what pulumi-aws sends (terraform-provider-aws `aws_dms_replication_instance`
sends `publicly_accessible` in every CreateReplicationInstance call, false when left out, although the API's own
default is true; ForceNew: DMS cannot change it)."""

ENDPOINT = "aws:dms/endpoint:Endpoint"
"""DMS source and target endpoints (terraform-provider-aws `aws_dms_endpoint` sends `ssl_mode` only when set, and DMS's
default is none)."""
