"""Amazon Redshift Serverless guardrails against tests/programs/policy_redshiftserverless (raw namespaces and
workgroups)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_redshiftserverless"
WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup"
NOT_PUBLIC = "redshiftserverless-workgroup-not-public"

FAILING = [
    Finding(NOT_PUBLIC, "public-workgroup", "mandatory",
            "publiclyAccessible is true: Amazon Redshift gives the workgroup an Elastic IP address that takes "
            "connections from outside its VPC; leave it out or set false, and reach it through the VPC, a VPN or "
            "peering"),
]
# Private said outright; left out (the provider sends none); known only after the update.
PASSING = [(NOT_PUBLIC, "private-workgroup"), (NOT_PUBLIC, "default-workgroup"), (NOT_PUBLIC, "later-workgroup")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def workgroup(**props):
    return Res(WORKGROUP, "workgroup", {"workgroupName": "workgroup", "namespaceName": "warehouse",
                                        "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), ("false", False), (None, False), (UNKNOWN, False)])
def test_a_workgroup_has_no_public_address(accessible, reported):
    """terraform-provider-aws sends PubliclyAccessible only when true: left out, the workgroup is private."""
    props = {} if accessible is None else {"publiclyAccessible": accessible}
    assert (NOT_PUBLIC in policies_found([workgroup(**props)])) == reported
