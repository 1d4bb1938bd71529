"""IAM role guardrails against tests/programs/policy_iam (raw pulumi_aws roles), under a pack config that names the
organization's permissions boundaries."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (Finding, InsecureProgramSuite, Res, analyze, findings, pairs, program,
                                         program_fixtures)

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
    Finding(ADMIN, "team-guard-attached", M, "policy statement 0 allows every action"),
]

PASSING = [
    (PUBLIC_TRUST, "org-trust"),  # everyone in one organization, named by a fixed aws:PrincipalOrgID
    (PUBLIC_TRUST, "bounded"),
    (ADMIN, "team-boundary"),  # logs:* on every resource is not every action
    (ADMIN, "team-guard"),  # a boundary: everything, less what it denies, grants nothing by itself
    (BOUNDARY, "guarded"), (BOUNDARY, "doubly-guarded"),
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


def test_a_first_preview_finds_the_same_administrators(result, first_preview):
    """Every role here has a boundary ARN written as text: while a new policy's ARN is unknown, such a text once
    left every policy maybe someone's boundary, and a first preview lost the admin policies a full one reports."""
    def admins(preview):
        return {name for policy, name in pairs(preview) if policy == ADMIN}
    assert admins(first_preview) == admins(result) >= {"admin-policy", "admin-map-policy"}


@pytest.mark.parametrize("knob,found", [([], True), (["team-*"], False), (["other-*"], True)])
def test_a_boundary_for_other_stacks_roles_is_named_by_the_knob(knob, found):
    guard = Res("aws:iam/policy:Policy", "guard", {"name": "team-guard", "policy": json.dumps({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]})})
    config = {"all": "disabled", ADMIN: {"enforcementLevel": "mandatory", "boundaryPolicies": knob}}
    assert bool(findings(analyze([guard], config))) is found
