"""ElastiCache cache clusters made on their own (CreateCacheCluster): a single-node Redis OSS or Valkey cache keeps
automatic snapshots as a replication group does. A member of a replication group (`replicationGroupId`) is the
group's, judged there; Memcached keeps no snapshots at all."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import ADVISORY, resource_policy
from . import CLUSTER, no_snapshots

# The engines that take snapshots (CreateCacheCluster's SnapshotRetentionLimit: "not valid for Memcached").
_SNAPSHOT_ENGINES = ("redis", "valkey")


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
    engine, group = peek(args.props, "engine"), peek(args.props, "replicationGroupId")
    if UNKNOWN in (engine, group) or has_text(group) or not isinstance(engine, str):
        return
    if engine.lower() in _SNAPSHOT_ENGINES:
        yield from no_snapshots(args.props, " of the cluster")
