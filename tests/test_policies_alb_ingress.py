"""Ingress guardrails (REST API private integrations, VPC links, load balancers and listeners) against
tests/programs/policy_alb_ingress."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (
    UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings, not_run, pairs, policies_found, program,
    program_fixtures,
)

PROGRAM = "policy_alb_ingress"
CONFIG = {"apigateway-integration-tls-verification": {"privateCaHosts": ["gateway.shop.internal"]},
          "elb-targetgroup-health-check-https": {"exemptTargetGroups": ["mtls-*"]}}
M, A = "mandatory", "advisory"
TLS_POLICY = "elb-listener-tls-policy"
REDIRECTS = "elb-listener-http-redirects"
RULE_REDIRECTS = "elb-listener-rule-http-redirects"
HEADERS = "elb-loadbalancer-drop-invalid-headers"
INTERNAL = "elb-loadbalancer-internal-behind-api"
V2 = "apigateway-integration-vpc-link-v2"
VERIFY = "apigateway-integration-tls-verification"
CLASSIC_TLS = "elb-classic-listener-tls-policy"
DESYNC = "elb-loadbalancer-desync-mitigation"
WAF = "elb-loadbalancer-waf"
DELETION, ZONES = "elb-loadbalancer-deletion-protection", "elb-loadbalancer-multiple-azs"
CLASSIC_ACM = "elb-classic-listener-acm-certificate"
DRAINING, CROSS_ZONE, CLASSIC_ZONES = ("elb-classic-connection-draining", "elb-classic-cross-zone-load-balancing",
                                       "elb-classic-multiple-azs")
HEALTH_CHECK = "elb-targetgroup-health-check-https"
PLAIN_CHECKS = ("the load balancer's health checks and the targets' answers, which decide where it sends traffic, "
                "cross the network in plain text; set HTTPS (the targets must serve TLS on the health check port), "
                "or name the target group in exemptTargetGroups")

FAILING = [
    Finding(TLS_POLICY, "old-tls-listener", M, "HTTPS listener sslPolicy ELBSecurityPolicy-2016-08 accepts TLS below 1.2"),
    Finding(TLS_POLICY, "default-tls-listener", M,
            "HTTPS listener sets no sslPolicy, so ELB uses ELBSecurityPolicy-2016-08 (TLS 1.0 and up)"),
    Finding(REDIRECTS, "plain-http-listener", M, "HTTP listener defaultActions[0] is fixed-response; plain HTTP must "
                                                 "only redirect to HTTPS"),
    Finding(TLS_POLICY, "lowercase-tls-listener", M,
            "HTTPS listener sslPolicy ELBSecurityPolicy-2016-08 accepts TLS below 1.2"),
    Finding(REDIRECTS, "no-protocol-listener", M, "HTTP listener (no protocol set: HTTP by default on an application "
                                                  "load balancer) defaultActions[0] is fixed-response; plain HTTP "
                                                  "must only redirect to HTTPS"),
    Finding(RULE_REDIRECTS, "plain-api-rule", M, "actions[0] is forward on HTTP listener redirect-listener; plain "
                                                 "HTTP must only redirect to HTTPS"),
    Finding(HEADERS, "bypass-alb", M, "dropInvalidHeaderFields is not true"),
    Finding(DESYNC, "monitor-alb", M, "desyncMitigationMode is monitor"),
    Finding(INTERNAL, "bypass-alb", M, "load balancer bypass-alb is internet-facing (internal is not true) but API "
                                       "Gateway reaches it privately"),
    Finding(WAF, "bypass-alb", M, "application load balancer bypass-alb is internet-facing (internal is not true) "
                                  "and no aws:wafv2/webAclAssociation:WebAclAssociation names it in resourceArn"),
    Finding(V2, "v1-integration", A, "the integration for legacy.shop.internal uses a VPC link V1 (no integrationTarget)"),
    Finding(VERIFY, "v2-skip-verify-integration", M,
            "tlsConfig.insecureSkipVerification is true for gateway.shop.internal (through a VPC link V2)"),
    Finding(CLASSIC_TLS, "classic-default", M, "HTTPS listener on port 443 has no SSL negotiation policy, so ELB uses "
                                               "ELBSecurityPolicy-2016-08 (TLS 1.0 and up)"),
    Finding(DELETION, "single-az-nlb", M, "enableDeletionProtection is false: a destroy or a replacement deletes "
                                          "the load balancer"),
    Finding(DELETION, "inspection-gwlb", M, "enableDeletionProtection is unset (false)"),
    Finding(ZONES, "single-az-nlb", M, "subnets and subnetMappings put the load balancer in fewer than 2 "
                                       "Availability Zones"),
    Finding(CLASSIC_TLS, "classic-old", M, "HTTPS listener on port 443 negotiates with Reference-Security-Policy "
                                           "ELBSecurityPolicy-2016-08, which accepts TLS below 1.2"),
    Finding(CLASSIC_ACM, "classic-default", M, "listeners[0] (HTTPS on port 443) has sslCertificateId "
                                               "arn:aws:iam::123456789012:server-certificate/classic, not an ACM "
                                               "certificate"),
    Finding(DRAINING, "classic-old", M, "connectionDraining is unset (false): an instance taken out of service drops "
                                        "the requests it is serving"),
    Finding(CROSS_ZONE, "classic-old", M, "crossZoneLoadBalancing is false"),
    Finding(CLASSIC_ZONES, "classic-old", M, "availabilityZones put the load balancer in fewer than 2 Availability "
                                             "Zones"),
    # The provider takes the protocol in any case; HTTP is its default within the block.
    Finding(HEALTH_CHECK, "http-check-group", A, f"healthCheck.protocol is http: {PLAIN_CHECKS}"),
    Finding(HEALTH_CHECK, "block-check-group", A,
            f"healthCheck.protocol is unset (HTTP, the provider's default): {PLAIN_CHECKS}"),
    # Without the block, the provider sends no health check settings and ELB picks by the group's protocol.
    Finding(HEALTH_CHECK, "default-check-group", A,
            "healthCheck.protocol is unset (healthCheck left out: HTTP, ELB's default for a HTTP target group): "
            f"{PLAIN_CHECKS}"),
    Finding(HEALTH_CHECK, "tcp-check-group", A,
            "healthCheck.protocol is unset (healthCheck left out: TCP, ELB's default for a TCP target group)"),
]

PASSING = [
    (CLASSIC_TLS, "classic-tls12"),  # through its listener policy's SSLNegotiationPolicyType policy
    (TLS_POLICY, "tls13-listener"), (REDIRECTS, "redirect-listener"), (REDIRECTS, "lowercase-redirect-listener"),
    (REDIRECTS, "no-protocol-redirect-listener"),
    # A rule on the HTTP listener that redirects elsewhere on HTTPS; a rule that forwards on the HTTPS listener.
    (RULE_REDIRECTS, "moved-redirect-rule"), (RULE_REDIRECTS, "tls-api-rule"),
    (HEADERS, "internal-alb"), (INTERNAL, "internal-alb"), (DESYNC, "internal-alb"), (DESYNC, "legacy-nlb"),
    # A network load balancer has no HTTP headers; an internal one may sit behind a VPC link V1.
    (HEADERS, "legacy-nlb"), (INTERNAL, "legacy-nlb"),
    # An internet-facing ALB with a web ACL association; an internal one (behind API Gateway's WAF); a network one.
    (WAF, "public-alb"), (WAF, "internal-alb"), (WAF, "legacy-nlb"),
    (V2, "v2-integration"), (VERIFY, "v2-integration"), (VERIFY, "v1-integration"),
    # Deletion protection on (fed-nlb's from an output); two subnets, given as subnets or subnetMappings, or from an
    # output (each unknown subnet may be in a zone of its own).
    (DELETION, "internal-alb"), (DELETION, "legacy-nlb"), (DELETION, "fed-nlb"),
    (ZONES, "internal-alb"), (ZONES, "inspection-gwlb"), (ZONES, "fed-nlb"),
    # A Classic Load Balancer draining connections, in two subnets, cross-zone as it is by default.
    (DRAINING, "classic-tls12"), (CROSS_ZONE, "classic-tls12"), (CLASSIC_ZONES, "classic-tls12"),
    (CLASSIC_ACM, "classic-tls12"),
    # HTTPS; a Lambda target group (ELB.21 leaves it out); a TCP pass-through the knob exempts.
    (HEALTH_CHECK, "https-check-group"), (HEALTH_CHECK, "lambda-group"), (HEALTH_CHECK, "mtls-passthrough-group"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_a_listed_ssl_policy_is_accepted():
    tuned = program(PROGRAM, {**CONFIG, TLS_POLICY: {"allowedSslPolicies": ["ELBSecurityPolicy-2016-08"]}})
    assert (TLS_POLICY, "old-tls-listener") not in pairs(tuned)
    assert (TLS_POLICY, "default-tls-listener") in pairs(tuned)


def test_a_first_preview_finds_exactly_what_a_full_one_does(result, first_preview):
    assert pairs(first_preview) == pairs(result)


def test_a_redirecting_listener_passes_before_its_load_balancer_is_known(first_preview):
    """Without `protocol`, a listener's is HTTP only on an ALB, told by its ARN, unknown in a first preview: one that
    only redirects to HTTPS passes without it."""
    assert REDIRECTS not in not_run(first_preview, "no-protocol-redirect-listener")
    assert (REDIRECTS, "no-protocol-redirect-listener") not in pairs(first_preview)


NLB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/legacy/50dc6c495c0c9188"


def _behind_v1_link(internal: bool, link_props: dict, refs: dict) -> set[tuple[str, str]]:
    nlb = Res("aws:lb/loadBalancer:LoadBalancer", "nlb",
              {"name": "legacy", "loadBalancerType": "network", "internal": internal, "arn": NLB_ARN})
    link = Res("aws:apigateway/vpcLink:VpcLink", "link-v1", {"name": "legacy", **link_props}, refs)
    report = analyze([nlb, link], {"all": "disabled", INTERNAL: "mandatory"})
    return {(policy, name) for policy, name, _ in findings(report)}


def test_a_vpc_link_v1_target_is_read_as_pulumi_aws_shapes_it():
    """pulumi-aws gives apigateway.VpcLink one `targetArn` string (the API's `targetArns` list holds at most one
    network load balancer): an internet-facing NLB named by it, by value or by a property dependency with the ARN
    unknown, is caught; an internal one passes."""
    assert _behind_v1_link(False, {"targetArn": NLB_ARN}, {}) == {(INTERNAL, "nlb")}
    assert _behind_v1_link(False, {"targetArn": UNKNOWN}, {"targetArn": ["nlb"]}) == {(INTERNAL, "nlb")}
    assert _behind_v1_link(True, {"targetArn": NLB_ARN}, {}) == set()


STAGE_ARN = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3/stages/live"


def _waf_findings(association_props: dict, refs: dict) -> set[tuple[str, str]]:
    alb = Res("aws:lb/loadBalancer:LoadBalancer", "alb", {"name": "web", "internal": False, "arn": UNKNOWN})
    stage = Res("aws:apigateway/stage:Stage", "stage", {"stageName": "live", "arn": STAGE_ARN})
    association = Res("aws:wafv2/webAclAssociation:WebAclAssociation", "waf", association_props, refs)
    report = analyze([alb, stage, association], {"all": "disabled", WAF: "mandatory"})
    return {(policy, name) for policy, name, _ in findings(report)}


def test_a_web_acl_association_names_what_its_resource_arn_depends_on():
    """An association's resourceArn, unknown in a first preview, names the resource it depends on: one on a REST
    stage covers no load balancer, while one on nothing (another stack's output) might name any."""
    assert _waf_findings({"resourceArn": UNKNOWN}, {"resourceArn": ["stage"]}) == {(WAF, "alb")}
    assert _waf_findings({"resourceArn": UNKNOWN}, {"resourceArn": ["alb"]}) == set()
    assert _waf_findings({"resourceArn": UNKNOWN}, {}) == set()


@pytest.mark.parametrize("odd", [{"name": "ELBSecurityPolicy-2016-08"}, ["application"], 7])
def test_an_ssl_policy_or_load_balancer_type_of_another_shape_is_not_judged(odd):
    """A listener's sslPolicy or a load balancer's loadBalancerType that is not text (ELB takes strings) names no
    policy or type: neither is judged, and neither breaks its check (a regex match and a dict lookup raised)."""
    listener = Res("aws:lb/listener:Listener", "listener", {"protocol": "HTTPS", "sslPolicy": odd, "port": 443})
    balancer = Res("aws:lb/loadBalancer:LoadBalancer", "lb", {"loadBalancerType": odd, "internal": True})
    only = {"all": "disabled", TLS_POLICY: "mandatory", "elb-loadbalancer-access-logs": "mandatory"}
    assert findings(analyze([listener, balancer], only)) == set()


@pytest.mark.parametrize("props, reported", [
    ({"protocol": "HTTPS", "healthCheck": {"protocol": "HTTPS"}}, False),
    ({"protocol": "TCP", "healthCheck": {"protocol": "https"}}, False),
    ({"protocol": "HTTPS", "healthCheck": {"protocol": "HTTP"}}, True),
    ({"protocol": "HTTPS", "healthCheck": {}}, True),
    ({"protocol": "HTTPS"}, True), ({"protocol": "TLS"}, True), ({"protocol": "GENEVE"}, True),
    # Unknown until the update, or a Lambda group (no protocol, no port): not judged.
    ({"protocol": "HTTPS", "healthCheck": {"protocol": UNKNOWN}}, False),
    ({"protocol": "HTTPS", "healthCheck": UNKNOWN}, False),
    ({"protocol": UNKNOWN}, False), ({"protocol": "HTTP", "targetType": UNKNOWN}, False),
    ({"targetType": "lambda", "healthCheck": {"protocol": "HTTP"}}, False), ({"targetType": "lambda"}, False)])
def test_a_target_group_checks_its_targets_over_https(props, reported):
    group = Res("aws:lb/targetGroup:TargetGroup", "group", {"name": "orders", **props})
    assert (HEALTH_CHECK in policies_found([group])) == reported
