"""Amazon Redshift guardrails against tests/programs/policy_redshift (raw provisioned clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_redshift"
CLUSTER = "aws:redshift/cluster:Cluster"
NOT_PUBLIC = "redshift-cluster-not-public"

FAILING = [
    Finding(NOT_PUBLIC, "public-warehouse", "mandatory",
            "publiclyAccessible is true: the cluster's endpoint resolves to a public address, reachable from the "
            "internet wherever its security groups let anyone in; leave it out or set false"),
]
# Private said outright; left out (pulumi-aws 7 sends false); known only after the update.
PASSING = [(NOT_PUBLIC, "private-warehouse"), (NOT_PUBLIC, "default-warehouse"), (NOT_PUBLIC, "later-warehouse")]


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
