"""Cognito guardrails against tests/programs/policy_cognito (raw pulumi_aws user pools)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import Finding, InsecureProgramSuite, assert_unknowns_add_nothing, program

PROGRAM = "policy_cognito"
M = "mandatory"
SES = "cognito-user-pool-email-through-ses"
CONFIG = {"all": "mandatory"}

FAILING = [
    Finding(SES, "bare-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT: Cognito's own sender "
                                 "allows only a few messages a day"),
    Finding(SES, "default-sender-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT"),
]
PASSING = [(SES, "ses-pool"), (SES, "admin-only-pool")]


@pytest.fixture(scope="module")
def result():
    return program(PROGRAM, CONFIG)


@pytest.fixture(scope="module")
def first_preview():
    return program(PROGRAM, CONFIG, unknown=True)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_unknown_values_never_add_violations(result, first_preview):
    assert_unknowns_add_nothing(result, first_preview)
