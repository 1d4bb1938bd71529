"""AWS Systems Manager guardrails against tests/programs/policy_ssm (raw SSM documents)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_ssm"
NOT_PUBLIC = "ssm-document-not-public"
PUBLIC = ("All shares the document publicly, and any AWS account can read and run it; list the ids of the accounts "
          "to share it with instead")

FAILING = [
    Finding(NOT_PUBLIC, "public-restart", "mandatory", f"permissions.account_ids is 'All': {PUBLIC}"),
    Finding(NOT_PUBLIC, "mixed-restart", "mandatory", f"permissions.account_ids is '111122223333, all': {PUBLIC}"),
]
# Not shared, shared with named accounts, and a share list known only after the update.
PASSING = [(NOT_PUBLIC, "restart-agent"), (NOT_PUBLIC, "shared-restart"), (NOT_PUBLIC, "later-restart")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("permissions, reported", [
    ({"type": "Share", "account_ids": "All"}, True), ({"type": "Share", "account_ids": "ALL"}, True),
    ({"type": "Share", "account_ids": "111122223333,All"}, True),
    ({"type": "Share", "account_ids": "111122223333"}, False), ({"type": "Share", "account_ids": ""}, False),
    (None, False), (UNKNOWN, False), ({"type": "Share", "account_ids": UNKNOWN}, False),
    # Not a key the provider reads (it asks for account_ids, and fails the update without it): nothing is shared.
    ({"type": "Share", "accountIds": "All"}, False),
    # An id that merely contains the letters is no public share.
    ({"type": "Share", "account_ids": "allowed"}, False)])
def test_a_document_is_not_shared_with_every_account(permissions, reported):
    document = Res("aws:ssm/document:Document", "restart", {
        "name": "restart", "documentType": "Command", "content": "{}", "tags": DEFAULT_TAGS,
        **({} if permissions is None else {"permissions": permissions})})
    assert (NOT_PUBLIC in policies_found([document])) == reported
