"""ElastiCache guardrails against tests/programs/policy_elasticache (raw replication groups, cache clusters and
serverless caches)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_elasticache"
M, A = "mandatory", "advisory"
AT_REST = "elasticache-replication-group-encrypted-at-rest"
IN_TRANSIT = "elasticache-replication-group-encrypted-in-transit"
AUTH, SNAPSHOTS = "elasticache-replication-group-auth", "elasticache-replication-group-snapshots"
CLUSTER_SNAPSHOTS, CLUSTER_IN_TRANSIT = "elasticache-cluster-snapshots", "elasticache-cluster-encrypted-in-transit"
UPGRADES = "elasticache-cluster-auto-minor-version-upgrade"
FAILOVER = "elasticache-replication-group-automatic-failover"
SUBNET_GROUP = "elasticache-cluster-subnet-group"

FAILING = [
    Finding(AT_REST, "plain", M, "atRestEncryptionEnabled is left out, which is off for redis: the cache's data on "
                                 "disk and in its snapshots is not encrypted"),
    Finding(IN_TRANSIT, "plain", M, "transitEncryptionEnabled is unset (false): clients connect in plain text"),
    Finding(IN_TRANSIT, "migrating", M, "transitEncryptionMode is preferred: the group takes plain connections "
                                        "besides TLS ones"),
    Finding(AUTH, "plain", A, "neither authToken nor userGroupIds is set: any client that reaches the port reads and "
                              "writes every key"),
    Finding(SNAPSHOTS, "plain", A, "snapshotRetentionLimit is unset (0): ElastiCache takes no automatic snapshots"),
    Finding(CLUSTER_SNAPSHOTS, "scratch", A, "snapshotRetentionLimit is unset (0): ElastiCache takes no automatic "
                                             "snapshots of the cluster"),
    *(Finding(CLUSTER_IN_TRANSIT, name, M, f"a {engine} cache cluster made on its own takes plain connections only "
                                           f"(ElastiCache encrypts {engine} in transit in a replication group); make "
                                           "it a ReplicationGroup with transitEncryptionEnabled true (numCacheClusters "
                                           "2 and automaticFailoverEnabled true, so a replica takes over from a "
                                           "failed primary; 1 for one node, without failover)")
      for name, engine in (("rates", "redis"), ("scratch", "valkey"))),
    Finding(CLUSTER_IN_TRANSIT, "pages", M, "transitEncryptionEnabled is unset (false): clients connect in plain "
                                            "text; set it true (Memcached 1.6.12 or later)"),
    Finding(AUTH, "carts-open", A, "userGroupId is not set: the serverless redis cache has no users of its own, so any "
                                   "client that reaches its endpoint connects as ElastiCache's built-in default user, "
                                   "with no password"),
    *(Finding(SNAPSHOTS, name, A, "snapshotRetentionLimit is unset (0): ElastiCache takes no automatic snapshots of "
                                  "the serverless cache") for name in ("carts-open", "fragments")),
    Finding(UPGRADES, "pinned", A, "autoMinorVersionUpgrade is false: the group's nodes stay on their minor engine "
                                   "version, without the security fixes of later ones, until someone upgrades them; "
                                   "leave it on"),
    Finding(FAILOVER, "plain", A, "automaticFailoverEnabled is unset (false): if the primary node fails, the group "
                                  "takes no writes until ElastiCache replaces it; set it true, with at least one "
                                  "replica (numCacheClusters 2 or more, or replicasPerNodeGroup 1 or more)"),
    Finding(SUBNET_GROUP, "plain", M, "subnetGroupName is not set: ElastiCache puts the group's nodes in its default "
                                      "subnet group, made of the default VPC's subnets; name a subnet group of your "
                                      "own private subnets (aws.elasticache.SubnetGroup)"),
    Finding(SUBNET_GROUP, "pages", M, "subnetGroupName is default: ElastiCache puts the cluster's nodes in its default "
                                      "subnet group"),
    Finding(UPGRADES, "rates", A, "autoMinorVersionUpgrade is false: the cluster's nodes stay on their minor engine "
                                  "version"),
]
PASSING = [
    *((policy, "sessions") for policy in (AT_REST, IN_TRANSIT, AUTH, SNAPSHOTS)),
    # Valkey's default, a token, and a global datastore's secondary.
    (AT_REST, "valkey"), (AUTH, "valkey"), (AT_REST, "secondary"), (IN_TRANSIT, "secondary"),
    # A cluster keeping snapshots, a replication group's member (the group's to judge), and Memcached's.
    (CLUSTER_SNAPSHOTS, "rates"), (CLUSTER_SNAPSHOTS, "sessions-member"), (CLUSTER_SNAPSHOTS, "pages"),
    # Memcached with TLS, and a group's member (the group's to judge).
    (CLUSTER_IN_TRANSIT, "pages-tls"), (CLUSTER_IN_TRANSIT, "sessions-member"),
    # A serverless cache with users and snapshots; Memcached, which has no users.
    (AUTH, "carts"), (SNAPSHOTS, "carts"), (AUTH, "fragments"),
    # Minor upgrades left on (ElastiCache's default); a group's member (the group's to judge); Memcached, not asked.
    (UPGRADES, "sessions"), (UPGRADES, "scratch"), (UPGRADES, "sessions-member"), (UPGRADES, "pages-tls"),
    (FAILOVER, "sessions"),
    # A subnet group of their own; a group's member, placed by the group's.
    (SUBNET_GROUP, "sessions"), (SUBNET_GROUP, "rates"), (SUBNET_GROUP, "sessions-member"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("settings, found", [
    ({"atRestEncryptionEnabled": False, "engine": "valkey"}, {AT_REST}),
    ({"atRestEncryptionEnabled": UNKNOWN}, set()), ({"engine": UNKNOWN}, set()),
    ({"transitEncryptionEnabled": UNKNOWN}, set()), ({"authToken": UNKNOWN}, set()),
    ({"snapshotRetentionLimit": 0}, {SNAPSHOTS}), ({"snapshotRetentionLimit": UNKNOWN}, set()),
    ({"globalReplicationGroupId": UNKNOWN, "atRestEncryptionEnabled": False}, set()),
    ({"automaticFailoverEnabled": False}, {FAILOVER}), ({"automaticFailoverEnabled": None}, {FAILOVER}),
    ({"automaticFailoverEnabled": "false"}, {FAILOVER}), ({"automaticFailoverEnabled": UNKNOWN}, set())])
def test_a_replication_group_s_settings_as_elasticache_reads_them(settings, found):
    group = Res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
        "replicationGroupId": "cache", "description": "cache", "atRestEncryptionEnabled": True,
        "transitEncryptionEnabled": True, "userGroupIds": ["users"], "snapshotRetentionLimit": 7,
        "automaticFailoverEnabled": True, "subnetGroupName": "cache-subnets", "tags": DEFAULT_TAGS, **settings})
    assert policies_found([group]) == found


@pytest.mark.parametrize("engine, found", [("Valkey", set()), ("VALKEY", set()), ("Redis", {AT_REST})])
def test_at_rest_encryption_left_out_follows_the_engine_however_it_is_written(engine, found):
    # The provider takes the engine in any case and sends it as written: Valkey's default is on, Redis OSS's off.
    group = Res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
        "replicationGroupId": "cache", "description": "cache", "engine": engine, "transitEncryptionEnabled": True,
        "userGroupIds": ["users"], "snapshotRetentionLimit": 7, "automaticFailoverEnabled": True,
        "subnetGroupName": "cache-subnets", "tags": DEFAULT_TAGS})
    assert policies_found([group]) == found


@pytest.mark.parametrize("settings, found", [
    ({"engine": "redis"}, True), ({"engine": "REDIS", "snapshotRetentionLimit": 0}, True),
    ({"engine": "valkey", "snapshotRetentionLimit": 1}, False), ({"engine": "memcached"}, False),
    ({"replicationGroupId": "sessions"}, False), ({"engine": "redis", "replicationGroupId": UNKNOWN}, False),
    ({"engine": UNKNOWN}, False), ({"engine": "redis", "snapshotRetentionLimit": UNKNOWN}, False)])
def test_a_cache_cluster_of_its_own_keeps_snapshots(settings, found):
    cluster = Res("aws:elasticache/cluster:Cluster", "cache", {"clusterId": "cache", "nodeType": "cache.t4g.small",
                                                              "tags": DEFAULT_TAGS, **settings})
    assert (CLUSTER_SNAPSHOTS in policies_found([cluster])) == found


@pytest.mark.parametrize("settings, found", [
    ({"engine": "Redis", "transitEncryptionEnabled": True}, True), ({"engine": "memcached"}, True),
    ({"engine": "memcached", "transitEncryptionEnabled": False}, True),
    ({"engine": "memcached", "transitEncryptionEnabled": True}, False),
    ({"engine": "memcached", "transitEncryptionEnabled": UNKNOWN}, False), ({"engine": UNKNOWN}, False),
    ({"engine": "valkey", "replicationGroupId": "sessions"}, False),
    ({"engine": "valkey", "replicationGroupId": UNKNOWN}, False)])
def test_a_cache_cluster_of_its_own_takes_tls_only_where_its_engine_can(settings, found):
    """Memcached takes transitEncryptionEnabled; Redis OSS and Valkey are plain on their own, whatever it says."""
    cluster = Res("aws:elasticache/cluster:Cluster", "cache", {"clusterId": "cache", "nodeType": "cache.t4g.small",
                                                              "snapshotRetentionLimit": 7, "tags": DEFAULT_TAGS,
                                                              **settings})
    assert (CLUSTER_IN_TRANSIT in policies_found([cluster])) == found


@pytest.mark.parametrize("user_ids, found", [
    (["default"], True), (["orders-default", "Default"], True), (["orders-default", UNKNOWN], False),
    (UNKNOWN, False), (["orders-default", "orders-app"], False)])
def test_a_user_group_leaves_out_the_built_in_default_user(user_ids, found):
    """ElastiCache's own `default` user needs no password and may run everything: a group holding it lets anyone in."""
    group = Res("aws:elasticache/userGroup:UserGroup", "users", {"userGroupId": "users", "engine": "redis",
                                                                "userIds": user_ids, "tags": DEFAULT_TAGS})
    assert (AUTH in policies_found([group])) == found


@pytest.mark.parametrize("user_id, found", [("default", True), ("DEFAULT", True), ("orders-default", False),
                                            (UNKNOWN, False)])
def test_a_user_group_association_adds_no_built_in_default_user(user_id, found):
    """The provider's one-by-one way to fill a user group (terraform-provider-aws user_group_association.go) holds
    the built-in user as `userIds` does."""
    association = Res("aws:elasticache/userGroupAssociation:UserGroupAssociation", "add-user",
                      {"userGroupId": "users", "userId": user_id})
    assert (AUTH in policies_found([association])) == found


@pytest.mark.parametrize("settings, found", [
    ({"authenticationMode": {"type": "no-password-required"}}, True), ({"noPasswordRequired": True}, True),
    ({"noPasswordRequired": True, "accessString": "on ~* +@all off"}, False),
    ({"noPasswordRequired": True, "accessString": "~* +@all"}, False),
    ({"noPasswordRequired": True, "accessString": UNKNOWN}, False),
    ({"authenticationMode": {"type": UNKNOWN}}, False), ({"authenticationMode": {"type": "iam"}}, False),
    ({"passwords": ["a-password-of-sixteen"]}, False)])
def test_a_user_turned_on_needs_a_password_or_iam(settings, found):
    user = Res("aws:elasticache/user:User", "app", {"userId": "orders-app", "userName": "app", "engine": "redis",
                                                    "accessString": "on ~orders:* +@read", "tags": DEFAULT_TAGS,
                                                    **settings})
    assert (AUTH in policies_found([user])) == found


@pytest.mark.parametrize("settings, found", [
    ({}, set()), ({"userGroupId": None}, {AUTH}), ({"engine": "VALKEY", "userGroupId": ""}, {AUTH}),
    ({"userGroupId": UNKNOWN}, set()), ({"engine": UNKNOWN, "userGroupId": None}, set()),
    ({"engine": "memcached", "userGroupId": None}, set()),
    ({"snapshotRetentionLimit": None}, {SNAPSHOTS}), ({"snapshotRetentionLimit": 0}, {SNAPSHOTS}),
    ({"engine": "memcached", "snapshotRetentionLimit": None}, {SNAPSHOTS}),
    ({"snapshotRetentionLimit": UNKNOWN}, set())])
def test_a_serverless_cache_asks_for_users_and_keeps_snapshots(settings, found):
    """TLS is always on; a Redis OSS or Valkey cache without a user group lets anyone in as the default user, and
    every engine keeps automatic snapshots only when asked to."""
    cache = Res("aws:elasticache/serverlessCache:ServerlessCache", "cache", {
        "name": "cache", "engine": "valkey", "userGroupId": "users", "snapshotRetentionLimit": 7,
        "tags": DEFAULT_TAGS, **settings})
    assert policies_found([cache]) == found


@pytest.mark.parametrize("kind, settings, found", [
    ("replicationGroup:ReplicationGroup", {"autoMinorVersionUpgrade": False}, True),
    ("replicationGroup:ReplicationGroup", {"autoMinorVersionUpgrade": True}, False),
    ("replicationGroup:ReplicationGroup", {"autoMinorVersionUpgrade": UNKNOWN}, False),
    ("replicationGroup:ReplicationGroup", {"engine": "valkey"}, False),
    # A cluster's setting is text; a group's member takes the group's; Memcached is not asked.
    ("cluster:Cluster", {"engine": "Valkey", "autoMinorVersionUpgrade": "false"}, True),
    ("cluster:Cluster", {"engine": "redis", "autoMinorVersionUpgrade": "true"}, False),
    ("cluster:Cluster", {"engine": "redis", "autoMinorVersionUpgrade": UNKNOWN}, False),
    ("cluster:Cluster", {"engine": UNKNOWN, "autoMinorVersionUpgrade": "false"}, False),
    ("cluster:Cluster", {"engine": "memcached", "autoMinorVersionUpgrade": "false"}, False),
    ("cluster:Cluster", {"replicationGroupId": "sessions", "autoMinorVersionUpgrade": "false"}, False),
    ("cluster:Cluster", {"engine": "redis", "replicationGroupId": UNKNOWN, "autoMinorVersionUpgrade": "false"}, False)])
def test_minor_engine_upgrades_stay_on(kind, settings, found):
    """Security Hub's ElastiCache.2: left out, ElastiCache upgrades Redis OSS and Valkey nodes' minor versions."""
    named = {"replicationGroupId": "cache"} if kind.startswith("replicationGroup") else {"clusterId": "cache"}
    cache = Res(f"aws:elasticache/{kind}", "cache", {**named, "tags": DEFAULT_TAGS, **settings})
    assert (UPGRADES in policies_found([cache])) == found


@pytest.mark.parametrize("kind, settings, found", [
    ("replicationGroup:ReplicationGroup", {}, True),
    ("replicationGroup:ReplicationGroup", {"subnetGroupName": ""}, True),
    ("replicationGroup:ReplicationGroup", {"subnetGroupName": "Default"}, True),
    ("replicationGroup:ReplicationGroup", {"subnetGroupName": "cache-subnets"}, False),
    ("replicationGroup:ReplicationGroup", {"subnetGroupName": UNKNOWN}, False),
    # A cluster of its own, whatever its engine (or an engine not known yet); a group's member, placed by the group's.
    ("cluster:Cluster", {"engine": "memcached"}, True), ("cluster:Cluster", {"engine": UNKNOWN}, True),
    ("cluster:Cluster", {"engine": "redis", "subnetGroupName": "default"}, True),
    ("cluster:Cluster", {"engine": "redis", "subnetGroupName": "cache-subnets"}, False),
    ("cluster:Cluster", {"engine": "redis", "subnetGroupName": UNKNOWN}, False),
    ("cluster:Cluster", {"replicationGroupId": "sessions"}, False),
    ("cluster:Cluster", {"engine": "redis", "replicationGroupId": UNKNOWN}, False)])
def test_a_cache_names_a_subnet_group_of_its_own(kind, settings, found):
    """Security Hub's ElastiCache.7: left out or `default`, ElastiCache places the nodes in the default VPC."""
    named = {"replicationGroupId": "cache"} if kind.startswith("replicationGroup") else {"clusterId": "cache"}
    cache = Res(f"aws:elasticache/{kind}", "cache", {**named, "tags": DEFAULT_TAGS, **settings})
    assert (SUBNET_GROUP in policies_found([cache])) == found
