"""Amazon DocumentDB guardrails against tests/programs/policy_docdb (raw clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found, \
    program_fixtures

PROGRAM = "policy_docdb"
CLUSTER = "aws:docdb/cluster:Cluster"
M, A = "mandatory", "advisory"
ENCRYPTED, PROTECTED = "docdb-cluster-storage-encrypted", "docdb-cluster-deletion-protection"
BACKUPS = "docdb-cluster-backup-retention"

FAILING = [
    # Left out, the provider sends none, and the API creates the cluster unencrypted.
    Finding(ENCRYPTED, "bare-docdb", M, "storageEncrypted is unset (false): the DocumentDB cluster's storage, indexes, "
                                        "logs, backups and snapshots are unencrypted"),
    Finding(ENCRYPTED, "plain-docdb", M, "storageEncrypted is false: the DocumentDB cluster's storage, indexes, logs, "
                                         "backups and snapshots are unencrypted, and encrypting them later means a new "
                                         "cluster restored from a snapshot; set storageEncrypted true, with a customer "
                                         "managed key in kmsKeyId if the account must control it"),
    # Left out, the provider sends false.
    Finding(PROTECTED, "unprotected-docdb", A, "deletionProtection is unset (false): a destroy, or a change that "
                                               "replaces the DocumentDB cluster"),
    Finding(PROTECTED, "deletable-docdb", A, "deletionProtection is false: a destroy, or a change that replaces the "
                                             "DocumentDB cluster (a new identifier, engine, port or encryption "
                                             "setting), deletes it with its data; set deletionProtection true"),
    # Left out, the provider sends 1 (CreateDBCluster's default too).
    Finding(BACKUPS, "short-backups-docdb", M, "backupRetentionPeriod is left out: DocumentDB keeps 1 day, fewer than "
                                               "the 7 days of automated backups a DocumentDB cluster must keep"),
    Finding(BACKUPS, "three-day-docdb", M, "backupRetentionPeriod is 3 days, fewer than the 7 days of automated "
                                           "backups a DocumentDB cluster must keep to be restored to a point before a "
                                           "bad write; set backupRetentionPeriod to 7 or more (at most 35)"),
]
# Encrypted; a snapshot's restore (the snapshot's encryption); known only after the update.
PASSING = [(ENCRYPTED, "orders-docdb"), (ENCRYPTED, "restored-docdb"), (ENCRYPTED, "later-docdb"),
           (PROTECTED, "orders-docdb"), (PROTECTED, "later-protected-docdb"),
           # 14 days; 7, known only after the update.
           (BACKUPS, "orders-docdb"), (BACKUPS, "later-backups-docdb")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def cluster(**props):
    """A cluster that passes every policy but what `props` change; a prop given as None is left out."""
    good = {"clusterIdentifier": "cluster", "engine": "docdb", "storageEncrypted": True, "deletionProtection": True,
            "backupRetentionPeriod": 14, "enabledCloudwatchLogsExports": ["audit"], "tags": DEFAULT_TAGS}
    return Res(CLUSTER, "cluster", {key: value for key, value in {**good, **props}.items() if value is not None})


@pytest.mark.parametrize("props, reported", [
    ({}, False), ({"storageEncrypted": "true"}, False), ({"storageEncrypted": False}, True),
    ({"storageEncrypted": "false"}, True), ({"storageEncrypted": None}, True), ({"storageEncrypted": UNKNOWN}, False),
    # A restore takes its source's encryption, whether the snapshot is named or known only after the update.
    ({"storageEncrypted": None, "snapshotIdentifier": "final"}, False),
    ({"storageEncrypted": None, "snapshotIdentifier": UNKNOWN}, False),
    ({"storageEncrypted": None, "restoreToPointInTime": {"sourceClusterIdentifier": "orders"}}, False),
    ({"storageEncrypted": None, "snapshotIdentifier": ""}, True)])
def test_a_cluster_encrypts_its_storage(props, reported):
    assert (ENCRYPTED in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("protection, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (None, True), (UNKNOWN, False)])
def test_a_cluster_is_protected_from_deletion(protection, reported):
    """terraform-provider-aws sends DeletionProtection in every CreateDBCluster, false when left out."""
    assert (PROTECTED in policies_found([cluster(deletionProtection=protection)])) == reported


@pytest.mark.parametrize("days, config, reported", [
    (7, None, False), (35, None, False), ("14", None, False), (6, None, True), (1, None, True), (None, None, True),
    (0, None, True), ("3", None, True), (UNKNOWN, None, False), ("a week", None, False),
    # The knob sets the floor.
    (14, {"minimumDays": 21}, True), (3, {"minimumDays": 1}, False), (None, {"minimumDays": 1}, False)])
def test_a_cluster_keeps_its_backups_long_enough(days, config, reported):
    found = policies_found([cluster(backupRetentionPeriod=days)], config and {BACKUPS: config})
    assert (BACKUPS in found) == reported
