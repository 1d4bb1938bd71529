"""Amazon Neptune guardrails against tests/programs/policy_neptune (raw DB clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_neptune"
CLUSTER = "aws:neptune/cluster:Cluster"
M, A = "mandatory", "advisory"
ENCRYPTED, PROTECTED = "neptune-cluster-storage-encrypted", "neptune-cluster-deletion-protection"
BACKUPS, IAM_AUTH = "neptune-cluster-backup-retention", "neptune-cluster-iam-auth"
COPY_TAGS, AUDIT = "neptune-cluster-copy-tags-to-snapshot", "neptune-cluster-audit-logs"
MULTI_AZ = "neptune-cluster-multi-az"
ONE_ZONE = ("Neptune DB cluster {} has {} in the stack: its instances are all in one Availability Zone "
            "(DescribeDBClusters MultiAZ false), and when that zone or the primary fails the graph is down until "
            "Neptune recreates the primary; add an aws.neptune.ClusterInstance in another Availability Zone, a read "
            "replica Neptune promotes when the primary's zone or host fails")
NOT_EXPORTED = ("enableCloudwatchLogsExports {}: Neptune keeps the cluster's audit log (who sent which query, from "
                "where) on its instances only, where it rotates at 100 MB and goes with them, out of reach of "
                "CloudWatch Logs searches and alarms; add audit, and set neptune_enable_audit_log to 1 in the "
                "cluster's own cluster parameter group (its default 0 writes no log)")
NOT_WRITTEN = ("{}: Neptune writes no audit log, and an audit export sends nothing; set neptune_enable_audit_log to 1 "
               "in an aws.neptune.ClusterParameterGroup of the cluster's own (Neptune applies it when the instances "
               "reboot)")
DEFAULT_GROUP = ("neptuneClusterParameterGroupName {}: the default cluster parameter group, which keeps "
                 "neptune_enable_audit_log at 0")
UNENCRYPTED = ("storageEncrypted is {}: the Neptune DB cluster's storage, automated backups and snapshots are "
               "unencrypted, and Neptune encrypts a cluster only when it creates it (setting it later replaces the "
               "cluster); set storageEncrypted true")

FAILING = [
    Finding(ENCRYPTED, "plain-graph", M, UNENCRYPTED.format("false")),
    Finding(ENCRYPTED, "bare-graph", M, UNENCRYPTED.format("unset (false)")),
    Finding(PROTECTED, "bare-graph", A, "deletionProtection is unset (false): a destroy, or a change that replaces the "
                                        "Neptune DB cluster (a new identifier, engine, port or encryption setting), "
                                        "deletes it and its automated backups; set deletionProtection true"),
    Finding(PROTECTED, "unprotected-graph", A, "deletionProtection is false: a destroy"),
    Finding(BACKUPS, "bare-graph", M, "backupRetentionPeriod is left out: Neptune keeps 1 day, fewer than the 7 days "
                                      "of automated backups a Neptune DB cluster must keep to be restored to a point "
                                      "before a bad write; set backupRetentionPeriod to 7 or more (at most 35)"),
    Finding(BACKUPS, "short-memory-graph", M, "backupRetentionPeriod is 3 days, fewer than the 7 days"),
    Finding(IAM_AUTH, "bare-graph", A, "iamDatabaseAuthenticationEnabled is unset (false): Neptune asks no signed "
                                       "request, so anything that reaches the cluster's endpoint over the network may "
                                       "read and write the graph; turn it on, so each request is signed (SigV4) by an "
                                       "IAM identity allowed neptune-db:* on the cluster"),
    Finding(IAM_AUTH, "open-graph", A, "iamDatabaseAuthenticationEnabled is false: Neptune asks no signed request"),
    Finding(COPY_TAGS, "bare-graph", A, "copyTagsToSnapshot is unset (false): the Neptune DB cluster's snapshots, "
                                        "automated and manual, carry none of its tags, so tag-based IAM conditions, "
                                        "AWS Backup selections and cost reports miss them; set it true"),
    Finding(COPY_TAGS, "untagged-snapshots-graph", A, "copyTagsToSnapshot is false: the Neptune DB cluster's"),
    Finding(AUDIT, "bare-graph", A, NOT_EXPORTED.format("is left out")),
    Finding(AUDIT, "slow-only-graph", A, NOT_EXPORTED.format("leaves out audit")),
    # Exported, but never written: a default group's 0, a stack group's 0, or the parameter left out of it. (The
    # unexported bare-graph, on the default group too, has the one finding above.)
    Finding(AUDIT, "default-group-graph", A, NOT_WRITTEN.format(DEFAULT_GROUP.format("is default.neptune1.4"))),
    Finding(AUDIT, "unaudited-graph", A, NOT_WRITTEN.format("cluster parameter group unaudited sets it to 0")),
    Finding(AUDIT, "no-audit-parameter-graph", A, NOT_WRITTEN.format("cluster parameter group lab-mode leaves it out "
                                                                     "(0)")),
    Finding(MULTI_AZ, "headless-graph", A, ONE_ZONE.format("headless-graph", "no cluster instance")),
    Finding(MULTI_AZ, "lonely-graph", A, ONE_ZONE.format("lonely-graph", "one cluster instance (lonely-graph-1)")),
    Finding(MULTI_AZ, "pinned-graph", A, "Neptune DB cluster pinned-graph's cluster instances (pinned-graph-1 and "
                                         "pinned-graph-2) are all in availabilityZone us-east-1a: an outage there "
                                         "takes every one of them down; add an aws.neptune.ClusterInstance"),
]
PASSING = [
    (ENCRYPTED, "graph"), (ENCRYPTED, "later-graph"),
    # A replica and a restore take their source's encryption.
    (ENCRYPTED, "graph-replica"), (ENCRYPTED, "restored-graph"),
    (PROTECTED, "graph"), (PROTECTED, "later-graph"), (BACKUPS, "graph"), (BACKUPS, "later-graph"),
    (IAM_AUTH, "graph"), (IAM_AUTH, "later-graph"), (COPY_TAGS, "graph"), (COPY_TAGS, "later-graph"),
    # Exported, with a stack group that turns the log on; a group made outside the stack is not judged.
    (AUDIT, "graph"), (AUDIT, "later-graph"), (AUDIT, "shared-group-graph"),
    # Two instances in two zones, named or left to Neptune.
    (MULTI_AZ, "graph"), (MULTI_AZ, "spread-graph"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def cluster(**props):
    return Res(CLUSTER, "graph", {"clusterIdentifier": "graph", "engine": "neptune", "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("settings, reported", [
    ({"storageEncrypted": True}, False), ({"storageEncrypted": "true"}, False), ({"storageEncrypted": UNKNOWN}, False),
    ({"storageEncrypted": False}, True), ({}, True),
    # A replica or a restore, known or not, takes its source's encryption.
    ({"replicationSourceIdentifier": "arn:aws:rds:us-east-1:123456789012:cluster:graph"}, False),
    ({"snapshotIdentifier": UNKNOWN}, False), ({"snapshotIdentifier": "graph-final"}, False)])
def test_a_cluster_encrypts_its_storage(settings, reported):
    """terraform-provider-aws sends StorageEncrypted in every CreateDBCluster, false when left out."""
    assert (ENCRYPTED in policies_found([cluster(**settings)])) == reported


@pytest.mark.parametrize("settings, reported", [
    ({"deletionProtection": True}, False), ({"deletionProtection": UNKNOWN}, False),
    ({"deletionProtection": False}, True), ({}, True)])
def test_a_cluster_is_protected_from_deletion(settings, reported):
    """terraform-provider-aws sends DeletionProtection in every CreateDBCluster, false when left out."""
    assert (PROTECTED in policies_found([cluster(storageEncrypted=True, **settings)])) == reported


@pytest.mark.parametrize("days, minimum, reported", [
    (None, 7, True), (1, 7, True), (6, 7, True), ("6", 7, True), (7, 7, False), (35, 7, False), (UNKNOWN, 7, False),
    (7, 14, True), (14, 14, False), (1, 1, False), (None, 1, False)])
def test_a_cluster_keeps_its_backups_long_enough(days, minimum, reported):
    """Left out, terraform-provider-aws sends 1 (its Default), CreateDBCluster's own default too."""
    props = {} if days is None else {"backupRetentionPeriod": days}
    config = {BACKUPS: {"minimumDays": minimum}}
    assert (BACKUPS in policies_found([cluster(storageEncrypted=True, **props)], config)) == reported


@pytest.mark.parametrize("days, said", [(1, "1 day"), ("1", "1 day"), (3, "3 days")])
def test_a_short_backup_retention_is_worded_in_days(days, said):
    found = findings(analyze([cluster(backupRetentionPeriod=days)], {"all": "disabled", BACKUPS: "mandatory"}))
    assert {message.split(",")[0] for _, _, message in found} == {f"backupRetentionPeriod is {said}"}


@pytest.mark.parametrize("settings, reported", [
    ({"iamDatabaseAuthenticationEnabled": True}, False), ({"iamDatabaseAuthenticationEnabled": UNKNOWN}, False),
    ({"iamDatabaseAuthenticationEnabled": False}, True), ({}, True)])
def test_a_cluster_takes_iam_database_authentication(settings, reported):
    """Left out, terraform-provider-aws sends no EnableIAMDatabaseAuthentication, whose default is false."""
    assert (IAM_AUTH in policies_found([cluster(storageEncrypted=True, **settings)])) == reported


@pytest.mark.parametrize("settings, reported", [
    ({"copyTagsToSnapshot": True}, False), ({"copyTagsToSnapshot": UNKNOWN}, False),
    ({"copyTagsToSnapshot": False}, True), ({}, True)])
def test_a_cluster_copies_its_tags_to_its_snapshots(settings, reported):
    """terraform-provider-aws sends CopyTagsToSnapshot in every CreateDBCluster, false when left out."""
    assert (COPY_TAGS in policies_found([cluster(storageEncrypted=True, **settings)])) == reported


def parameter_group(name: str, parameters) -> Res:
    return Res("aws:neptune/clusterParameterGroup:ClusterParameterGroup", name,
               {"name": name, "family": "neptune1.4", "parameters": parameters, "tags": DEFAULT_TAGS})


AUDIT_ON = [{"name": "neptune_enable_audit_log", "value": "1"}]


@pytest.mark.parametrize("exported, group, parameters, messages", [
    (["audit"], "audited", AUDIT_ON, []),
    (["audit"], "audited", [{"name": "NEPTUNE_ENABLE_AUDIT_LOG", "value": 1}], []),
    (["slowquery", "audit"], "audited", AUDIT_ON, []),
    (None, "audited", AUDIT_ON, ["enableCloudwatchLogsExports is left out"]),
    ([], "audited", AUDIT_ON, ["enableCloudwatchLogsExports is empty"]),
    # Neither exported nor written: one finding, whose fix names both.
    (None, None, None, ["enableCloudwatchLogsExports is left out"]),
    (["slowquery"], "audited", [{"name": "neptune_enable_audit_log", "value": "0"}],
     ["enableCloudwatchLogsExports leaves out audit"]),
    (["audit"], None, None, ["neptuneClusterParameterGroupName is left out"]),
    (["audit"], "Default.Neptune1.3", None, ["neptuneClusterParameterGroupName is Default.Neptune1.3"]),
    (["audit"], "audited", [{"name": "neptune_enable_audit_log", "value": "0"}],
     ["cluster parameter group audited sets it to 0"]),
    (["audit"], "audited", [], ["cluster parameter group audited leaves it out (0)"]),
    # Empty, the provider sends no group: the default one.
    (["audit"], "", None, ["neptuneClusterParameterGroupName is empty"]),
    # A number, which the provider takes as its text.
    (["audit"], "audited", [{"name": "neptune_enable_audit_log", "value": 0}],
     ["cluster parameter group audited sets it to 0"]),
    # Unknown until the update: the list, an item of it, the group's parameters or one of them; a group of another
    # stack is not judged.
    (UNKNOWN, "audited", AUDIT_ON, []), (["slowquery", UNKNOWN], "audited", AUDIT_ON, []),
    # Exports unknown on a default group: not judged, as the exports once known may make the export's finding the
    # one; an unknown item beside a known audit leaves the group judged.
    (UNKNOWN, None, None, []), (["slowquery", UNKNOWN], None, None, []),
    (["audit", UNKNOWN], None, None, ["neptuneClusterParameterGroupName is left out"]),
    (["audit"], "audited", UNKNOWN, []), (["audit"], "audited", [UNKNOWN], []),
    (["audit"], "audited", [{"name": UNKNOWN, "value": "1"}], []),
    (["audit"], "elsewhere", [], []), (["audit"], UNKNOWN, [], [])])
def test_a_cluster_writes_its_audit_log_and_exports_it(exported, group, parameters, messages):
    """Neptune writes the audit log only where the cluster parameter group sets neptune_enable_audit_log to 1 (its
    default is 0); Security Hub Neptune.2 asks for the export."""
    props = {"storageEncrypted": True, "enableCloudwatchLogsExports": exported}
    if group is not None:
        props["neptuneClusterParameterGroupName"] = group
    resources = [cluster(**props)] + ([parameter_group("audited", parameters)] if parameters is not None else [])
    found = [m for policy, _, m in findings(analyze(resources, {"all": "mandatory"})) if policy == AUDIT]
    assert len(found) == len(messages) and all(any(m.startswith(text) for m in found) for text in messages), found


def instance(name: str, zone=None, cluster_identifier="graph") -> Res:
    props = {"identifier": name, "clusterIdentifier": cluster_identifier, "instanceClass": "db.r6g.large",
             "tags": DEFAULT_TAGS}
    return Res("aws:neptune/clusterInstance:ClusterInstance", name, props if zone is None else {
        **props, "availabilityZone": zone})


@pytest.mark.parametrize("instances, reported", [
    ([], True), ([instance("a")], True), ([instance("a", "us-east-1a"), instance("b", "us-east-1a")], True),
    ([instance("a"), instance("b")], False), ([instance("a", "us-east-1a"), instance("b", "us-east-1b")], False),
    ([instance("a", "us-east-1a"), instance("b")], False),
    ([instance("a", "us-east-1a"), instance("b", UNKNOWN)], False),
    # Another cluster's instance does not count; one whose cluster is unknown until the update may.
    ([instance("a"), instance("b", cluster_identifier="other")], True),
    ([instance("a"), instance("b", cluster_identifier=UNKNOWN)], False)])
def test_a_cluster_has_instances_in_two_zones(instances, reported):
    assert (MULTI_AZ in policies_found([cluster(storageEncrypted=True), *instances])) == reported


@pytest.mark.parametrize("refs", [{}, {"neptuneClusterParameterGroupName": ["unaudited"]}])
def test_a_group_is_matched_by_its_name_while_ids_are_unknown(refs):
    """A first preview knows no group's id, but a group's id is its name: the name the cluster gives (written, or
    read from the group) is that group's, not possibly another's."""
    groups = [parameter_group("unaudited", [{"name": "neptune_enable_audit_log", "value": "0"}]),
              parameter_group("audited", AUDIT_ON)]
    for group in groups:
        group.props["id"] = UNKNOWN
    made = Res(CLUSTER, "graph", {"clusterIdentifier": "graph", "storageEncrypted": True, "tags": DEFAULT_TAGS,
                                  "enableCloudwatchLogsExports": ["audit"],
                                  "neptuneClusterParameterGroupName": "unaudited"}, refs)
    found = [m for policy, _, m in findings(analyze([made, *groups], {"all": "mandatory"})) if policy == AUDIT]
    assert found == [NOT_WRITTEN.format("cluster parameter group unaudited sets it to 0")]


@pytest.mark.parametrize("zones, reported", [((None,), True), (("us-east-1a", "us-east-1a"), True),
                                             (("us-east-1a", "us-east-1b"), False)])
def test_instances_name_their_cluster_by_its_identifier_while_its_id_is_unknown(zones, reported):
    """A first preview knows no cluster's id, but a cluster's id is its identifier: another cluster's instances,
    which write its identifier, are not possibly this one's."""
    made = cluster(storageEncrypted=True)
    other = Res(CLUSTER, "other", {**made.props, "clusterIdentifier": "other"})
    for each in (made, other):
        each.props["id"] = UNKNOWN
    instances = [instance(f"graph-{n}", zone) for n, zone in enumerate(zones, 1)]
    others = [instance(f"other-{n}", zone, "other") for n, zone in enumerate(("us-east-1a", "us-east-1b"), 1)]
    found = findings(analyze([made, other, *instances, *others], {"all": "mandatory"}))
    assert {name for policy, name, _ in found if policy == MULTI_AZ} == ({"graph"} if reported else set())
