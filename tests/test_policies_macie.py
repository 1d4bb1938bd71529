"""Amazon Macie guardrails against tests/programs/policy_macie (raw Macie accounts)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found, program_fixtures

PROGRAM = "policy_macie"
ACCOUNT = "aws:macie2/account:Account"
ENABLED = "macie-account-enabled"

FAILING = [
    Finding(ENABLED, "paused", "mandatory",
            "status is PAUSED: Macie suspends all its activities for the account in this Region, so no finding "
            "reports a bucket made public or unencrypted, and no job or automated discovery finds sensitive data; "
            "leave it out or set ENABLED"),
]
# Enabled said outright; left out (EnableMacie enables Macie); known only after the update.
PASSING = [(ENABLED, "enabled"), (ENABLED, "default"), (ENABLED, "later")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("status, reported", [
    ("PAUSED", True), ("paused", True), ("ENABLED", False), (None, False), (UNKNOWN, False), (True, False)])
def test_macie_is_not_paused(status, reported):
    """terraform-provider-aws sends status to EnableMacie and UpdateMacieSession; PAUSED suspends all of Macie."""
    props = {} if status is None else {"status": status}
    assert (ENABLED in policies_found([Res(ACCOUNT, "macie", props)])) == reported
