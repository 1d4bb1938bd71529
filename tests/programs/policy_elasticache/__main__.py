"""Raw ElastiCache replication groups: encrypted both ways, with users or a token, and snapshots; and ones that
leave encryption to the engine's default, take plain connections, let anyone in, keep no snapshot, do not fail over,
turn minor engine upgrades off or use the default subnet group. Cache clusters of their own: Redis OSS and Valkey
ones (no TLS on their own; one keeping snapshots but turning minor upgrades off, one keeping none), a group's member,
and Memcached ones (which keep no snapshots and are not asked for minor upgrades) with and without TLS, one in the
default subnet group. Serverless caches with and without users and snapshots."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
# A subnet group of the caches' own private subnets (made by the network's stack).
SUBNETS = "orders-cache-subnets"
SAFE = dict(at_rest_encryption_enabled=True, transit_encryption_enabled=True, user_group_ids=["orders-users"],
            snapshot_retention_limit=7, automatic_failover_enabled=True, subnet_group_name=SUBNETS, tags=TAGS)


def group(name, **settings):
    return aws.elasticache.ReplicationGroup(name, replication_group_id=name, description=name,
                                            node_type="cache.t4g.small", num_cache_clusters=2,
                                            **{**SAFE, **settings})


group("sessions")
group("plain", at_rest_encryption_enabled=None, transit_encryption_enabled=None, user_group_ids=None,
      snapshot_retention_limit=None, automatic_failover_enabled=None, subnet_group_name=None)
group("migrating", transit_encryption_mode="preferred")
# Kept on its minor engine version.
group("pinned", auto_minor_version_upgrade=False)
# Valkey encrypts at rest by default; a token stands in for users.
group("valkey", engine="valkey", at_rest_encryption_enabled=None, user_group_ids=None,
      auth_token="a-token-of-sixteen-or-more")
# A global datastore's secondary takes the primary's encryption.
group("secondary", global_replication_group_id="ldgnf-orders", at_rest_encryption_enabled=None,
      transit_encryption_enabled=None)


def cluster(name, **settings):
    return aws.elasticache.Cluster(name, cluster_id=name, node_type="cache.t4g.small", num_cache_nodes=1, tags=TAGS,
                                   **{"subnet_group_name": SUBNETS, **settings})


cluster("rates", engine="redis", snapshot_retention_limit=3, auto_minor_version_upgrade="false")
cluster("scratch", engine="Valkey")
# A group's member is placed by the group's subnet group.
cluster("sessions-member", replication_group_id="sessions", subnet_group_name=None)
cluster("pages", engine="memcached", subnet_group_name="default")
cluster("pages-tls", engine="memcached", engine_version="1.6.22", transit_encryption_enabled=True,
        auto_minor_version_upgrade="false")


# Serverless caches (TLS always on): Valkey with users from a group (known only after the group exists) and a
# week of snapshots; Redis OSS with neither; Memcached, which has no users, with no snapshots either.
def serverless(name, **settings):
    return aws.elasticache.ServerlessCache(name, name=name, subnet_ids=["subnet-a"], security_group_ids=["sg-cache"],
                                           tags=TAGS, **settings)


serverless_users = aws.elasticache.UserGroup("serverless-users", user_group_id="serverless-users", engine="valkey",
                                             user_ids=["serverless-default"], tags=TAGS)
serverless("carts", engine="valkey", user_group_id=serverless_users.user_group_id, snapshot_retention_limit=7)
serverless("carts-open", engine="Redis")
serverless("fragments", engine="memcached")
