"""Amazon Inspector guardrails against tests/programs/policy_inspector (raw enablers)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found, program_fixtures

PROGRAM = "policy_inspector"
ENABLER = "aws:inspector2/enabler:Enabler"
SCAN_TYPES = "inspector-enabler-scan-types"
CONFIG = {SCAN_TYPES: {"exemptResourceTypes": ["ECR"]}}

FAILING = [
    Finding(SCAN_TYPES, "ec2-only", "advisory",
            "resourceTypes leaves out LAMBDA_CODE and LAMBDA: the provider disables each scan type the list leaves "
            "out in the accounts it names, so Amazon Inspector stops scanning Lambda functions' code (Inspector.3) "
            "and Lambda functions' dependencies (Inspector.4); add them, or name them in exemptResourceTypes where "
            "the accounts run none of those resources"),
    Finding(SCAN_TYPES, "no-code-scanning", "advisory",
            "resourceTypes leaves out LAMBDA_CODE: the provider disables each scan type the list leaves out in the "
            "accounts it names, so Amazon Inspector stops scanning Lambda functions' code (Inspector.3);"),
]
# Every type (and one no control asks for); all but the one the config exempts; known only after the update.
PASSING = [(SCAN_TYPES, "everything"), (SCAN_TYPES, "no-images"), (SCAN_TYPES, "later")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("types, reported", [
    (["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"], False), (["ec2", "ecr", "lambda", "lambda_code"], False),
    (["EC2", "ECR", "LAMBDA"], True), (["ECR"], True), (["CODE_REPOSITORY"], True),
    # Unknown until the update: the list, or an item (which may be the type left out).
    (UNKNOWN, False), (["EC2", "ECR", "LAMBDA", UNKNOWN], False), (None, False)])
def test_an_enabler_lists_every_scan_type(types, reported):
    """terraform-provider-aws disables each scan type an enabler's list leaves out, in every account it names."""
    props = {"accountIds": ["111122223333"]}
    if types is not None:
        props["resourceTypes"] = types
    assert (SCAN_TYPES in policies_found([Res(ENABLER, "enabler", props)])) == reported


def test_an_exempted_type_may_be_left_out():
    enabler = Res(ENABLER, "enabler", {"accountIds": ["111122223333"], "resourceTypes": ["EC2", "ECR", "LAMBDA"]})
    assert SCAN_TYPES not in policies_found([enabler], {SCAN_TYPES: {"exemptResourceTypes": ["LAMBDA_CODE"]}})
    assert SCAN_TYPES in policies_found([enabler], {SCAN_TYPES: {"exemptResourceTypes": ["ECR"]}})
