"""Security group guardrails against tests/programs/policy_security_groups: inline rules, the vpc rule resources
and the older aws:ec2/securityGroupRule are read alike, and each finding names the rule."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (
    Finding,
    InsecureProgramSuite,
    assert_unknowns_add_nothing,
    pairs,
    program,
)

PROGRAM = "policy_security_groups"
CONFIG = None
M, A = "mandatory", "advisory"
PUBLIC = "ec2-securitygroup-no-public-ingress"
BY_GROUP = "ec2-securitygroup-ingress-from-groups"

FAILING = [
    Finding(PUBLIC, "open-workload", M, "ingress rule ingress[0] (tcp 8080) of security group open-workload admits "
                                        "0.0.0.0/0"),
    Finding(PUBLIC, "orders-from-anywhere-v6", M, "ingress rule (tcp 8080) of security group orders admits ::/0"),
    Finding(PUBLIC, "payments-ssh", M, "ingress rule (tcp 22) of security group payments admits 0.0.0.0/0"),
    Finding(BY_GROUP, "orders-from-vpc-cidr", A, "ingress rule (tcp 8080) of security group orders admits 10.0.0.0/16 "
                                                 "by CIDR"),
]

PASSING = [
    # The internet-facing load balancer's group admits the internet on 443.
    (PUBLIC, "alb-public"),
    # Callers by group reference.
    (PUBLIC, "orders-from-alb"), (BY_GROUP, "orders-from-alb"),
]


@pytest.fixture(scope="module")
def result():
    return program(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_unknown_values_never_add_violations(result):
    first_preview = program(PROGRAM, CONFIG, unknown=True)
    assert_unknowns_add_nothing(result, first_preview)
    assert pairs(first_preview) == pairs(result)
