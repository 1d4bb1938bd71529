"""ElastiCache guardrails: a replication group (Redis OSS or Valkey) encrypts what it stores and what it sends, asks
clients to authenticate, keeps snapshots and fails over to a replica; a cache cluster of its own takes TLS only and
keeps snapshots too; both take minor engine upgrades and name a subnet group of their own; a serverless cache
(always encrypted both ways) asks Redis OSS and Valkey clients to authenticate and keeps snapshots."""
from __future__ import annotations

from typing import Any, Iterator

from ..core.props import UNKNOWN, num, number, peek, switched_off

REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
# A cache cluster: one on its own (Redis OSS, Valkey or Memcached), or a member of a replication group.
CLUSTER = "aws:elasticache/cluster:Cluster"
# Role-based access control: users, and the user groups a replication group names in userGroupIds.
USER = "aws:elasticache/user:User"
USER_GROUP = "aws:elasticache/userGroup:UserGroup"
# One user added to a user group outside its `userIds` (the provider's way to manage them one by one).
USER_GROUP_ASSOCIATION = "aws:elasticache/userGroupAssociation:UserGroupAssociation"
# A serverless cache (CreateServerlessCache): TLS and at-rest encryption always on, users from `userGroupId`.
SERVERLESS_CACHE = "aws:elasticache/serverlessCache:ServerlessCache"
# The engines with users, AUTH and (on nodes) snapshots; Memcached has neither users nor AUTH.
REDIS_ENGINES = ("redis", "valkey")


def no_snapshots(props: Any, of: str) -> Iterator[str]:
    """The finding where `snapshotRetentionLimit` (known) keeps no automatic snapshot (`of`: whose, for the
    message)."""
    limit = peek(props, "snapshotRetentionLimit")
    if limit is UNKNOWN or (number(limit) or 0) >= 1:
        return
    yield (f"snapshotRetentionLimit is {num(number(limit)) if limit is not None else 'unset (0)'}: ElastiCache takes "
           f"no automatic snapshots{of}; set the days to keep them")


def plain_connections(props: Any, fix: str = "") -> Iterator[str]:
    """The finding where `transitEncryptionEnabled` (known) is not true, ElastiCache's default (`fix`: what more to
    say after "set it true")."""
    state = switched_off(props, "transitEncryptionEnabled")
    if state:
        yield f"transitEncryptionEnabled is {state}: clients connect in plain text; set it true{fix}"
