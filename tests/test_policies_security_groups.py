"""Security group guardrails against tests/programs/policy_security_groups: inline rules, the vpc rule resources
and the older aws:ec2/securityGroupRule are read alike, and each finding names the rule."""
from __future__ import annotations

from tests.test_policies_support import Finding, InsecureProgramSuite, pairs, program, program_fixtures

PROGRAM = "policy_security_groups"
# The program declares no VPC endpoint: the knob holds its 443 rules to the approved groups all the same.
CONFIG = {"ec2-securitygroup-egress-restricted": {"httpsEgressGroups": ["payments*"],
                                                  "requireApprovalWithoutEndpoints": True}}
M, A = "mandatory", "advisory"
PUBLIC = "ec2-securitygroup-no-public-ingress"
EGRESS = "ec2-securitygroup-egress-restricted"
BY_GROUP = "ec2-securitygroup-ingress-from-groups"

FAILING = [
    Finding(PUBLIC, "open-workload", M, "ingress rule ingress[0] (tcp 8080) of security group open-workload admits "
                                        "0.0.0.0/0"),
    Finding(PUBLIC, "orders-from-anywhere-v6", M, "ingress rule (tcp 8080) of security group orders admits ::/0"),
    Finding(PUBLIC, "payments-ssh", M, "ingress rule (tcp 22) of security group payments admits 0.0.0.0/0"),
    Finding(EGRESS, "open-workload", M, "egress rule egress[0] (all traffic) of security group open-workload sends "
                                        "all traffic to 0.0.0.0/0; only tcp 443 may leave for the internet"),
    Finding(EGRESS, "payments-all-egress", M, "egress rule (tcp 0-65535) of security group payments sends tcp 0-65535"),
    Finding(EGRESS, "orders-to-internet", M, "egress rule (tcp 443) of security group orders sends 443 to 0.0.0.0/0 "
                                             "from a group not in httpsEgressGroups: list the group there"),
    Finding(EGRESS, "split-halves", M, "egress rule egress[0] (all traffic) of security group split-halves sends all "
                                       "traffic to 0.0.0.0/1, 128.0.0.0/1; only tcp 443 may leave for the internet"),
    Finding(EGRESS, "split-v6-anywhere", M, "egress rule (tcp 5432) of security group split-halves sends tcp 5432 to "
                                            "::0/0"),
    Finding(PUBLIC, "split-ssh-v6", M, "ingress rule (tcp 22) of security group split-halves admits 0::0/0"),
    Finding(EGRESS, "listed", M, "egress rule egress[0] (all traffic) of security group listed sends all traffic to "
                                 "0.0.0.0/0"),
    Finding(PUBLIC, "listed-ssh", M, "ingress rule (tcp 22) of security group listed admits 0.0.0.0/0"),
    Finding(BY_GROUP, "orders-from-vpc-cidr", A, "ingress rule (tcp 8080) of security group orders admits 10.0.0.0/16 "
                                                 "by CIDR"),
]

PASSING = [
    # The internet-facing load balancer's group admits the internet on 443.
    (PUBLIC, "alb-public"),
    # Callers by group reference; the approved payments group reaches the provider on 443.
    (PUBLIC, "orders-from-alb"), (BY_GROUP, "orders-from-alb"),
    (EGRESS, "payments-to-provider"), (EGRESS, "payments-to-orders"),
    (EGRESS, "private-blocks"), (PUBLIC, "private-blocks"), (PUBLIC, "listed-office"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_without_a_config_a_stack_without_endpoints_may_send_443_out_from_any_group():
    # Another team's program with no VPC endpoint reaches ECR and CloudWatch Logs through NAT on 443.
    found = pairs(program(PROGRAM))
    assert not {(EGRESS, "payments-to-provider"), (EGRESS, "orders-to-internet")} & found
    assert {(EGRESS, "open-workload"), (EGRESS, "payments-all-egress")} <= found  # only 443 may leave


def test_without_the_approval_443_to_the_internet_is_a_finding_where_required():
    found = pairs(program(PROGRAM, {EGRESS: {"requireApprovalWithoutEndpoints": True}}))
    assert {(EGRESS, "payments-to-provider"), (EGRESS, "orders-to-internet")} <= found
    assert (EGRESS, "payments-to-orders") not in found


def test_a_first_preview_finds_exactly_what_a_full_one_does(result, first_preview):
    assert pairs(first_preview) == pairs(result)
