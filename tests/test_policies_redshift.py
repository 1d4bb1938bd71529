"""Amazon Redshift guardrails against tests/programs/policy_redshift (raw provisioned clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_redshift"
CLUSTER = "aws:redshift/cluster:Cluster"
NOT_PUBLIC, ENCRYPTED = "redshift-cluster-not-public", "redshift-cluster-encrypted"

FAILING = [
    Finding(NOT_PUBLIC, "public-warehouse", "mandatory",
            "publiclyAccessible is true: the cluster's endpoint resolves to a public address, reachable from the "
            "internet wherever its security groups let anyone in; leave it out or set false"),
    Finding(ENCRYPTED, "unencrypted-warehouse", "mandatory",
            "encrypted is false: CreateCluster refuses an unencrypted cluster, and on an existing one the update asks "
            "ModifyCluster to decrypt it, leaving its data and snapshots unencrypted at rest; leave it out or set "
            "\"true\", with a customer managed key in kmsKeyId"),
]
# Private said outright; left out (pulumi-aws 7 sends false); known only after the update.
PASSING = [(NOT_PUBLIC, "private-warehouse"), (NOT_PUBLIC, "default-warehouse"), (NOT_PUBLIC, "later-warehouse"),
           # Encrypted said outright (with a key of the account's); left out (pulumi-aws 7 sends "true").
           (ENCRYPTED, "encrypted-warehouse"), (ENCRYPTED, "default-warehouse")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def cluster(**props):
    return Res(CLUSTER, "warehouse", {"clusterIdentifier": "warehouse", "nodeType": "ra3.xlplus",
                                      "masterUsername": "warehouse_admin", "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), (None, False), (UNKNOWN, False)])
def test_a_cluster_is_not_publicly_accessible(accessible, reported):
    """terraform-provider-aws 6 sends PubliclyAccessible false when left out (its upgrade guide: "now defaults to
    false"), CreateCluster's own default too."""
    props = {} if accessible is None else {"publiclyAccessible": accessible}
    assert (NOT_PUBLIC in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("value, reported", [
    ("false", True), ("False", True), (False, True), ("true", False), (True, False), (None, False),
    (UNKNOWN, False), ({"value": "false"}, False)])
def test_a_cluster_stays_encrypted(value, reported):
    """pulumi-aws 7 takes `encrypted` as text and sends "true" when left out (terraform-provider-aws 6: "now defaults
    to true"); CreateCluster refuses false and ModifyCluster with false decrypts the cluster."""
    props = {} if value is None else {"encrypted": value}
    assert (ENCRYPTED in policies_found([cluster(**props)])) == reported
