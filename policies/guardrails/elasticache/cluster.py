"""ElastiCache cache clusters made on their own (CreateCacheCluster): they take TLS connections only, and a
single-node Redis OSS or Valkey cache keeps automatic snapshots as a replication group does. A member of a
replication group (`replicationGroupId`) is the group's, judged there; Memcached keeps no snapshots at all."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import ADVISORY, resource_policy
from . import CLUSTER, REDIS_ENGINES, no_snapshots, plain_connections

# Redis OSS and Valkey take snapshots (CreateCacheCluster's SnapshotRetentionLimit: "not valid for Memcached"), and
# a cluster of theirs on its own cannot serve TLS (pulumi-aws' Cluster.transitEncryptionEnabled: Memcached 1.6.12 or
# later only; they encrypt in transit in a replication group).


def _own_engine(props: Any) -> Optional[str]:
    """The engine (lower case) of a cluster made on its own; None for a replication group's member, or when the
    engine or the group is unknown."""
    engine, group = peek(props, "engine"), peek(props, "replicationGroupId")
    if UNKNOWN in (engine, group) or has_text(group) or not isinstance(engine, str):
        return None
    return engine.lower()


@resource_policy(
    "elasticache-cluster-encrypted-in-transit", CLUSTER,
    description="ElastiCache cache clusters made on their own must take TLS connections only: Memcached with "
                "transitEncryptionEnabled, and Redis OSS or Valkey as a replication group, the only way they "
                "encrypt in transit.",
    severity=Severity.HIGH,
)
def cluster_encrypted_in_transit(args: ResourceValidationArgs) -> Iterator[str]:
    """a cluster with no `replicationGroupId` runs `engine` memcached with `transitEncryptionEnabled` true (left out,
    off); Redis OSS and Valkey (however cased) cannot encrypt in transit on their own (pulumi-aws: "use
    elasticache.ReplicationGroup instead"); a group's member is `elasticache-replication-group-encrypted-in-transit`';
    unknown values are not judged"""
    engine = _own_engine(args.props)
    if engine in REDIS_ENGINES:
        yield (f"a {engine} cache cluster made on its own takes plain connections only (ElastiCache encrypts "
               f"{engine} in transit in a replication group); make it a ReplicationGroup (numCacheClusters 1 for one "
               "node) with transitEncryptionEnabled true")
    elif engine == "memcached":
        yield from plain_connections(args.props, " (Memcached 1.6.12 or later)")


@resource_policy(
    "elasticache-cluster-snapshots", CLUSTER,
    description="ElastiCache cache clusters of Redis OSS or Valkey made on their own should keep automatic "
                "snapshots, so a flushed or corrupted cache can be restored rather than rebuilt.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub ElastiCache.1",),
)
def cluster_snapshots(args: ResourceValidationArgs) -> Iterator[str]:
    """a cluster with `engine` redis or valkey (however cased; the provider takes any case) and no
    `replicationGroupId` has `snapshotRetentionLimit` at least 1 (left out, 0: no automatic snapshots); a group's
    member is `elasticache-replication-group-snapshots`', Memcached keeps none; unknown values are not judged"""
    if _own_engine(args.props) in REDIS_ENGINES:
        yield from no_snapshots(args.props, " of the cluster")
