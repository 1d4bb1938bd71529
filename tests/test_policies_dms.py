"""DMS guardrails against tests/programs/policy_dms (raw replication instances)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_dms"
NOT_PUBLIC = "dms-replication-instance-not-public"

FAILING = [
    Finding(NOT_PUBLIC, "public-migration", "mandatory",
            "publiclyAccessible is true: the replication instance gets a public IP address; leave it out or set false"),
]
# Private said outright; left out (the provider sends false); known only after the update.
PASSING = [(NOT_PUBLIC, "private-migration"), (NOT_PUBLIC, "default-migration"), (NOT_PUBLIC, "later-migration")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), (None, False), (UNKNOWN, False)])
def test_a_replication_instance_has_no_public_address(accessible, reported):
    """terraform-provider-aws sends PubliclyAccessible in every CreateReplicationInstance, false when left out: the
    API's default (true) never applies."""
    props = {"replicationInstanceId": "ri", "replicationInstanceClass": "dms.t3.medium", "tags": DEFAULT_TAGS,
             **({} if accessible is None else {"publiclyAccessible": accessible})}
    found = policies_found([Res("aws:dms/replicationInstance:ReplicationInstance", "ri", props)])
    assert (NOT_PUBLIC in found) == reported
