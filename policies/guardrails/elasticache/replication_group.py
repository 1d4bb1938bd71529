"""ElastiCache replication groups, judged by what pulumi-aws sends and ElastiCache's defaults for what it leaves out
(CreateReplicationGroup in the ElastiCache API reference: at-rest encryption on for Valkey and off for Redis OSS,
in-transit encryption off, no automatic snapshots, no automatic failover). A secondary of a global datastore takes
the primary's encryption and is not judged for it. Serverless caches always encrypt both ways (the ElastiCache
guide's in-transit encryption page: "All serverless caches have in-transit encryption enabled"); their users and
snapshots are judged with the groups'."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, is_false, is_true, peek, peek_items
from ..core.registry import ADVISORY, resource_policy, resource_policy_by_type
from ..core.switches import switch_policy
from . import (REDIS_ENGINES, REPLICATION_GROUP, SERVERLESS_CACHE, USER, USER_GROUP, USER_GROUP_ASSOCIATION,
               no_snapshots, plain_connections)


def _secondary(props: Any) -> bool:
    """A member of a global datastore other than its primary (or one that may be): its encryption is the
    primary's."""
    group = peek(props, "globalReplicationGroupId")
    return group is UNKNOWN or has_text(group)


@resource_policy(
    "elasticache-replication-group-encrypted-at-rest", REPLICATION_GROUP,
    description="ElastiCache replication groups must encrypt their data at rest (on disk, in swap and in "
                "snapshots); it cannot be turned on later.",
    severity=Severity.HIGH,
    anchors=("Security Hub ElastiCache.4", "CKV_AWS_29"),
)
def encrypted_at_rest(args: ResourceValidationArgs) -> Iterator[str]:
    """`atRestEncryptionEnabled` is true, or left out with `engine` valkey, however cased (ElastiCache's default
    there; the provider takes the engine in any case and sends it as written; its default engine is redis, whose
    default is off); not judged for a global datastore's secondary, nor when unknown"""
    enabled, engine = peek(args.props, "atRestEncryptionEnabled"), peek(args.props, "engine")
    if _secondary(args.props) or UNKNOWN in (enabled, engine) or is_true(enabled):
        return
    if enabled is None and isinstance(engine, str) and engine.lower() == "valkey":
        return
    state = "false" if is_false(enabled) else f"left out, which is off for {engine or 'redis'}"
    yield (f"atRestEncryptionEnabled is {state}: the cache's data on disk and in its snapshots is not encrypted, and "
           "it cannot be turned on for the existing group; set it true")


@resource_policy(
    "elasticache-replication-group-encrypted-in-transit", REPLICATION_GROUP,
    description="ElastiCache replication groups must take TLS connections only, so no one on the network reads or "
                "alters the cache's data or its AUTH token.",
    severity=Severity.HIGH,
    anchors=("Security Hub ElastiCache.5", "CKV_AWS_30"),
)
def encrypted_in_transit(args: ResourceValidationArgs) -> Iterator[str]:
    """`transitEncryptionEnabled` is true (left out, ElastiCache's default is off) and `transitEncryptionMode` is
    not `preferred` (which takes plain connections too, a step of a migration to TLS); not judged for a global
    datastore's secondary, nor when unknown"""
    enabled, mode = peek(args.props, "transitEncryptionEnabled"), peek(args.props, "transitEncryptionMode")
    if _secondary(args.props) or enabled is UNKNOWN:
        return
    yield from plain_connections(args.props)
    if is_true(enabled) and mode == "preferred":
        yield ("transitEncryptionMode is preferred: the group takes plain connections besides TLS ones; set required "
               "once every client uses TLS")


# ElastiCache's built-in user, in every user group unless replaced: "on ~* +@all" with no password (the RBAC guide's
# "Applying RBAC to a cache": replace it with a user of your own named default that is off or needs a password).
BUILT_IN_USER = "default"


def _turned_on(access: str) -> bool:
    """Whether an access string leaves its user on: the last of its `on` and `off` rules decides (neither, off)."""
    switches = [rule.lower() for rule in access.split() if rule.lower() in ("on", "off")]
    return bool(switches) and switches[-1] == "on"


def _group_auth(props: Any) -> Iterator[str]:
    """A replication group: an AUTH token or user groups."""
    if all(peek(props, key) in (None, []) for key in ("authToken", "authTokenWo", "userGroupIds")):
        yield ("neither authToken nor userGroupIds is set: any client that reaches the port reads and writes every "
               "key; set userGroupIds (users with access strings) or an authToken")


def _serverless_auth(props: Any) -> Iterator[str]:
    """A Redis OSS or Valkey serverless cache: a user group."""
    engine, group = peek(props, "engine"), peek(props, "userGroupId")
    if group is UNKNOWN or has_text(group) or not isinstance(engine, str) or engine.lower() not in REDIS_ENGINES:
        return
    yield (f"userGroupId is not set: the serverless {engine.lower()} cache has no users of its own, so any client "
           "that reaches its endpoint connects as ElastiCache's built-in default user, with no password, and reads "
           "and writes every key; set userGroupId to a user group whose default user is off or needs a password")


# What the built-in user lets in.
_BUILT_IN_USER_OPEN = ("ElastiCache's built-in user, which needs no password and runs every command on every key (on "
                       "~* +@all): a client of a cache with this group connects without credentials")
# A user of the group's own named default, in the built-in one's place (every group holds a user named default).
_OWN_DEFAULT = "a user of your own named default (userName default) that is off or needs a password"


def _user_group_auth(props: Any) -> Iterator[str]:
    """A user group: not the built-in user among its `userIds`."""
    if any(isinstance(user, str) and user.lower() == BUILT_IN_USER for user in peek_items(props, "userIds")):
        yield f"userIds holds default, {_BUILT_IN_USER_OPEN}; put in its place {_OWN_DEFAULT}"


def _association_auth(props: Any) -> Iterator[str]:
    """A user added to a group by itself: not the built-in user."""
    user = peek(props, "userId")
    if isinstance(user, str) and user.lower() == BUILT_IN_USER:
        yield (f"userId is default: the association adds {_BUILT_IN_USER_OPEN}; drop it, or associate {_OWN_DEFAULT} "
               "or another user of your own")


def _user_auth(props: Any) -> Iterator[str]:
    """A user: a password (or IAM), or off."""
    access = peek(props, "accessString")
    no_password = (is_true(peek(props, "noPasswordRequired"))
                   or peek(props, "authenticationMode", "type") == "no-password-required")
    if no_password and isinstance(access, str) and _turned_on(access):
        yield ("the user needs no password and its access string turns it on: a client of a cache whose user group "
               "holds it authenticates as it without credentials; set authenticationMode type password or iam, or "
               "turn it off")


resource_policy_by_type(
    "elasticache-replication-group-auth",
    {REPLICATION_GROUP: _group_auth, SERVERLESS_CACHE: _serverless_auth, USER_GROUP: _user_group_auth,
     USER_GROUP_ASSOCIATION: _association_auth, USER: _user_auth},
    description="ElastiCache replication groups and Redis OSS or Valkey serverless caches should ask clients to "
                "authenticate (an AUTH token, or users and their access strings), not let anything that reaches the "
                "port read and write every key; no user group or user they name lets a client in without a "
                "password.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub ElastiCache.6", "CKV_AWS_31"),
    anchor_note="ElastiCache.6 asks it of Redis OSS before 6.0 only; CKV_AWS_31 asks for a token",
    checks="""
    a replication group sets `authToken` (or the write-only `authTokenWo`) or `userGroupIds`, known or not; a
    serverless cache of `engine` redis or valkey (however cased) sets `userGroupId`, known or not (the ElastiCache
    guide's RBAC page: "RBAC is also the only way to control access to serverless caches"; without a user group,
    clients connect as the built-in default user; Memcached has no users); a user group's known `userIds`, and a
    UserGroupAssociation's `userId`, leave out `default`, ElastiCache's built-in user (no password, `on ~* +@all`); a
    user with `noPasswordRequired` true or `authenticationMode.type` no-password-required is off (the last `on` or
    `off` of its `accessString`; neither, off); unknown values are not judged""",
)


@resource_policy(
    "elasticache-replication-group-snapshots", (REPLICATION_GROUP, SERVERLESS_CACHE),
    description="ElastiCache replication groups and serverless caches should keep automatic snapshots, so a flushed "
                "or corrupted cache can be restored rather than rebuilt.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub ElastiCache.1",),
)
def snapshots(args: ResourceValidationArgs) -> Iterator[str]:
    """`snapshotRetentionLimit` is at least 1 on a replication group or a serverless cache of any engine (Valkey,
    Redis OSS and Memcached serverless caches take snapshots; left out, 0: ElastiCache takes no automatic
    snapshots); an unknown value is not judged"""
    yield from no_snapshots(args.props, " of the serverless cache" if args.resource_type == SERVERLESS_CACHE else "")


switch_policy(
    "elasticache-replication-group-automatic-failover", REPLICATION_GROUP, "automaticFailoverEnabled",
    "if the primary node fails, the group takes no writes until ElastiCache replaces it; set it true, with at least "
    "one replica (numCacheClusters 2 or more, or replicasPerNodeGroup 1 or more)",
    description="ElastiCache replication groups should fail over automatically, promoting a replica when the primary "
                "node fails, so the cache takes writes again without waiting for the node to be replaced.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub ElastiCache.3", "Config elasticache-repl-grp-auto-failover-enabled"),
    checks="""
    `automaticFailoverEnabled` is true (left out, off: CreateReplicationGroup's `AutomaticFailoverEnabled`
    "Default: false", and pulumi-aws' "Defaults to false"; it needs a replica, `numCacheClusters` 2 or more, and is
    required with cluster mode enabled); an unknown value is not judged""",
)
