"""IAM role guardrails against tests/programs/policy_iam (raw pulumi_aws roles), under a pack config that names the
organization's permissions boundaries."""
from __future__ import annotations

from tests.test_policies_support import Finding, InsecureProgramSuite, pairs, program, program_fixtures

PROGRAM = "policy_iam"
M = "mandatory"
BOUNDARY = "iam-role-permissions-boundary"
NAMED = ["arn:aws:iam::111122223333:policy/boundaries/platform", "arn:aws:iam::*:policy/team-*"]
CONFIG = {BOUNDARY: {"allowedBoundaries": NAMED}}
ALLOWED = ", ".join(NAMED)

FAILING = [
    Finding(BOUNDARY, "unbounded", M, f"permissionsBoundary is unset; set it to one of allowedBoundaries ({ALLOWED})"),
    Finding(BOUNDARY, "otherwise-bounded", M, "permissionsBoundary arn:aws:iam::111122223333:policy/PowerUsers is "
                                              f"not one of allowedBoundaries ({ALLOWED})"),
    Finding(BOUNDARY, "bounded-in-other-case", M, "permissionsBoundary arn:aws:iam::111122223333:policy/boundaries/"
                                                  f"Platform is not one of allowedBoundaries ({ALLOWED})"),
]

ADMIN, PUBLIC_TRUST = "iam-no-full-admin", "iam-role-trust-not-public"
FAILING += [
    Finding(PUBLIC_TRUST, "public-trust", M, "assumeRolePolicy statement 0 lets Principal * assume the role with no "
                                             "condition naming the callers: any AWS account could assume it"),
    Finding(ADMIN, "admin-policy", M, 'policy statement Everything allows every action ("*") on every resource '
                                      '("*"): full administrator access'),
    Finding(ADMIN, "inline-admin", M, "inline policy 'all' statement 0 allows every action (\"*\") on every "
                                      "resource (\"*\"): full administrator access"),
    Finding(ADMIN, "admin-attached", M, "policyArn attaches arn:aws:iam::aws:policy/AdministratorAccess: full "
                                        "administrator access"),
    Finding(ADMIN, "admin-map-policy", M, 'policy statement 0 allows every action ("*") on every resource ("*")'),
    Finding(ADMIN, "operators-attached", M, "policyArns attaches arn:aws:iam::aws:policy/AdministratorAccess"),
]

PASSING = [
    (PUBLIC_TRUST, "org-trust"),  # everyone in one organization, named by a fixed aws:PrincipalOrgID
    (PUBLIC_TRUST, "bounded"),
    (ADMIN, "team-boundary"),  # logs:* on every resource is not every action
    (ADMIN, "team-guard"),  # a boundary: everything, less what it denies, grants nothing by itself
    (BOUNDARY, "guarded"),
    (ADMIN, "read-only-attached"),
    (ADMIN, "org-trust"),
    (BOUNDARY, "bounded"),
    (BOUNDARY, "team-bounded"),  # a policy of the stack, named by the wildcard once its ARN is known
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_a_pack_config_that_names_no_boundary_asks_for_none():
    assert {policy for policy, _ in pairs(program(PROGRAM))} == {ADMIN, PUBLIC_TRUST}
