"""Amazon Neptune guardrails against tests/programs/policy_neptune (raw DB clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_neptune"
CLUSTER = "aws:neptune/cluster:Cluster"
M, A = "mandatory", "advisory"
ENCRYPTED = "neptune-cluster-storage-encrypted"
UNENCRYPTED = ("storageEncrypted is {}: the Neptune DB cluster's storage, automated backups and snapshots are "
               "unencrypted, and Neptune encrypts a cluster only when it creates it (setting it later replaces the "
               "cluster); set storageEncrypted true")

FAILING = [
    Finding(ENCRYPTED, "plain-graph", M, UNENCRYPTED.format("false")),
    Finding(ENCRYPTED, "bare-graph", M, UNENCRYPTED.format("unset (false)")),
]
PASSING = [
    (ENCRYPTED, "graph"), (ENCRYPTED, "later-graph"),
    # A replica and a restore take their source's encryption.
    (ENCRYPTED, "graph-replica"), (ENCRYPTED, "restored-graph"),
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
