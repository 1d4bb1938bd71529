"""ElastiCache cache clusters made on their own (CreateCacheCluster): they take TLS connections only, and a
single-node Redis OSS or Valkey cache keeps automatic snapshots as a replication group does. A member of a
replication group (`replicationGroupId`) is the group's, judged there; Memcached keeps no snapshots at all. What
Security Hub asks of every cache cluster, a replication group's nodes among them, is asked here of both: minor engine
upgrades, and a subnet group of their own."""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, is_false, peek
from ..core.registry import ADVISORY, PropsCheck, resource_policy, resource_policy_by_type
from . import CLUSTER, REDIS_ENGINES, REPLICATION_GROUP, no_snapshots, plain_connections

# Redis OSS and Valkey take snapshots (CreateCacheCluster's SnapshotRetentionLimit: "not valid for Memcached"), and
# a cluster of theirs on its own cannot serve TLS (pulumi-aws' Cluster.transitEncryptionEnabled: Memcached 1.6.12 or
# later only; they encrypt in transit in a replication group).


def _on_its_own(props: Any) -> bool:
    """Whether a cluster is known to be made on its own: no `replicationGroupId` (one unknown may name a group)."""
    group = peek(props, "replicationGroupId")
    return group is not UNKNOWN and not has_text(group)


def _own_engine(props: Any) -> Optional[str]:
    """The engine (lower case) of a cluster made on its own; None for a replication group's member, or when the
    engine or the group is unknown."""
    engine = peek(props, "engine")
    return engine.lower() if _on_its_own(props) and isinstance(engine, str) else None


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
               f"{engine} in transit in a replication group); make it a ReplicationGroup with "
               "transitEncryptionEnabled true (numCacheClusters 2 and automaticFailoverEnabled true, so a replica "
               "takes over from a failed primary; 1 for one node, without failover)")
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


def _group_and_own_cluster(finding: Callable[[Any, str], Iterator[str]],
                           judged: Callable[[Any], bool]) -> dict[str, PropsCheck]:
    """`finding(props, whose nodes)` as the check of a replication group and of a cluster `judged` keeps: one made on
    its own (a group's member is the group's)."""

    def cluster(props: Any) -> Iterator[str]:
        if judged(props):
            yield from finding(props, "the cluster's")

    return {CLUSTER: cluster, REPLICATION_GROUP: lambda props: finding(props, "the group's")}


def _no_minor_upgrades(props: Any, of: str) -> Iterator[str]:
    """The finding where `autoMinorVersionUpgrade` is false (known); left out, ElastiCache's default, on (`of`: whose
    nodes, for the message)."""
    if is_false(peek(props, "autoMinorVersionUpgrade")):
        yield (f"autoMinorVersionUpgrade is false: {of} nodes stay on their minor engine version, without the security "
               "fixes of later ones, until someone upgrades them; leave it on")


resource_policy_by_type(
    "elasticache-cluster-auto-minor-version-upgrade",
    # Redis OSS and Valkey: a replication group runs no other; a cluster of its own may be Memcached, not judged.
    _group_and_own_cluster(_no_minor_upgrades, lambda props: _own_engine(props) in REDIS_ENGINES),
    description="ElastiCache cache clusters and replication groups of Redis OSS or Valkey should take minor engine "
                "upgrades automatically, so the engine's security fixes reach every node in its maintenance window.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub ElastiCache.2", "Config elasticache-auto-minor-version-upgrade-check"),
    anchor_note="both judge cache clusters, a replication group's nodes among them; Memcached is left out",
    checks="""
    `autoMinorVersionUpgrade` is not false on a replication group, nor on a cluster with `engine` redis or valkey
    (however cased) and no `replicationGroupId` (left out, on: pulumi-aws' default, and the one AWS sets; the
    cluster's is text, "false" too; CreateCacheCluster and CreateReplicationGroup `AutoMinorVersionUpgrade` opt in
    from Valkey 7.2 and Redis OSS 6.0); a group's member takes the group's, and Memcached is not judged; unknown
    values are not judged""",
)


def _default_subnet_group(props: Any, of: str) -> Iterator[str]:
    """The finding where `subnetGroupName` (known) is left out or `default`, ElastiCache's default subnet group (`of`:
    whose nodes, for the message)."""
    name = peek(props, "subnetGroupName")
    if name is UNKNOWN or (has_text(name) and name.strip().lower() != "default"):
        return
    state = "default" if has_text(name) else "not set"
    yield (f"subnetGroupName is {state}: ElastiCache puts {of} nodes in its default subnet group, made of the default "
           "VPC's subnets; name a subnet group of your own private subnets (aws.elasticache.SubnetGroup)")


resource_policy_by_type(
    "elasticache-cluster-subnet-group",
    _group_and_own_cluster(_default_subnet_group, _on_its_own),  # a cluster of any engine
    description="ElastiCache cache clusters and replication groups must name a subnet group of their own, not "
                "ElastiCache's default one, which places their nodes in the default VPC's subnets.",
    severity=Severity.HIGH,
    anchors=("Security Hub ElastiCache.7", "Config elasticache-subnet-group-check"),
    anchor_note="both judge cache clusters, a replication group's nodes among them",
    checks="""
    `subnetGroupName` is set and is not `default` (however cased) on a replication group, and on a cluster of any
    engine with no `replicationGroupId` (a group's member is placed by the group's): left out, ElastiCache uses its
    default subnet group, which "uses subnets from the default Virtual Private Cloud (VPC)" (Security Hub's
    ElastiCache.7: "fails if CacheSubnetGroupName for an ElastiCache cluster has the value default"); unknown values
    are not judged""",
)
