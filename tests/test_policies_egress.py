"""Egress guardrails (VPC endpoints, DNS Firewall, Network Firewall domain lists) against
tests/programs/policy_egress."""
from __future__ import annotations

from tests.test_policies_support import Finding, InsecureProgramSuite, pairs, program, program_fixtures

PROGRAM = "policy_egress"
ENDPOINTS = "ec2-vpc-interface-endpoints"
SCOPED = "ec2-vpc-endpoint-policy-scoped"
DNS = "route53-vpc-dns-firewall"
DOMAINS = "networkfirewall-domain-allowlist"
CONFIG = {ENDPOINTS: {"required": True}, DNS: {"required": True}, DOMAINS: {"allowedDomains": ["api.stripe.com"]}}
M, A = "mandatory", "advisory"

FAILING = [
    Finding(ENDPOINTS, "bare-vpc", M, "VPC bare-vpc has no endpoint for logs, secretsmanager, which its tasks use"),
    Finding(ENDPOINTS, "bare-vpc", M, "VPC bare-vpc: the endpoints for ecr.api, ecr.dkr are interface endpoints without "
                                      "privateDnsEnabled"),
    Finding(DNS, "bare-vpc", M, "VPC bare-vpc has no DNS Firewall rule group association"),
    Finding(SCOPED, "bare-sts", A, "the sts endpoint has no policy: AWS's default lets any principal use it"),
    Finding(SCOPED, "bare-sqs", A, "the sqs endpoint's policy statement All allows any principal on every resource "
                                   "without a condition on the principal's account or organization"),
    Finding(ENDPOINTS, "default-vpc", M, "VPC default-vpc has no endpoint for logs, secretsmanager, which its tasks use"),
    Finding(DNS, "default-vpc", M, "VPC default-vpc has no DNS Firewall rule group association"),
    Finding(DOMAINS, "denylist", M, "ruleGroup.rulesSource.rulesSourceList.generatedRulesType is DENYLIST"),
    Finding(DOMAINS, "denylist", M, "rulesSourceList targets evil.example are not in allowedDomains"),
    Finding(DOMAINS, "wide-allowlist", M, "rulesSourceList targets .amazonaws.com, pastebin.com are not in "
                                          "allowedDomains"),
]

PASSING = [(ENDPOINTS, "covered-vpc"), (DNS, "covered-vpc"), (DOMAINS, "approved-allowlist"),
           (SCOPED, "covered-logs"), (SCOPED, "covered-s3"), (SCOPED, "bare-ssmmessages"), (SCOPED, "bare-dynamodb")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_endpoints_and_dns_firewall_are_required_only_where_the_config_says():
    found = pairs(program(PROGRAM, {DOMAINS: CONFIG[DOMAINS]}))
    assert not {p for p in found if p[0] in (ENDPOINTS, DNS)}


def test_extra_endpoint_services_come_from_the_config():
    tuned = program(PROGRAM, {**CONFIG, ENDPOINTS: {"required": True, "additionalServices": ["sts"]}})
    assert (ENDPOINTS, "covered-vpc") in pairs(tuned)


def test_a_first_preview_finds_exactly_what_a_full_one_does(result, first_preview):
    assert pairs(first_preview) == pairs(result)
