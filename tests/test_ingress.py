"""The Service Connect ingress (issue 9, section 3): REST API ─ VPC link V2 ─ internal ALB ─ target groups.

Previewed through tests/programs/alb_ingress (real stack config; literal VPC, subnets and the services'
security groups, which the data plane owns). `test` is dev as it is, `prod` is prod as it is.
"""
from __future__ import annotations

import json
import re

import pytest

from components import naming
from components.config import ALB_IDLE_TIMEOUT_SECONDS, API_METHODS
from components.ingress import TLS_POLICY, stage_rewrite
from components.naming import path_patterns
from components.config import ConfigError
from tests.conftest import (DELETE, ROOT, Registered, parse, program_with_stack, raw_config, shared_preview,
                            with_value)
from tools.mockrun import api_gateway_domain_name
from tools.preview import PreviewResult, run_preview

PROGRAM = ROOT / "tests" / "programs" / "alb_ingress"
REGION = "us-east-1"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
HOST = "ingress.dev.shop.example.com"
PUBLIC = {"user-service": "/users", "product-service": "/products", "order-service": "/orders"}
CANARIES = {"user-service"}  # dev's services with a second version

LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
RULE = "aws:lb/listenerRule:ListenerRule"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
LINK_V2 = "aws:apigatewayv2/vpcLink:VpcLink"
LINK_V1 = "aws:apigateway/vpcLink:VpcLink"
INTEGRATION = "aws:apigateway/integration:Integration"


def _preview(stack: str, **kwargs) -> PreviewResult:
    result = shared_preview(stack, PROGRAM, **kwargs)
    assert result.error is None, result.error
    return result


@pytest.fixture(scope="module")
def dev() -> PreviewResult:
    return _preview("test")


@pytest.fixture(scope="module")
def prod() -> PreviewResult:
    return _preview("prod")


def _arn(result: PreviewResult, type_: str, name: str) -> str:
    """The ARN the mocks gave the resource (for wiring: what AWS makes it is tested in test_preview.py)."""
    return result.get(type_, name).state_struct["arn"]


# --- load balancer and listener --------------------------------------------------------------------


def test_the_alb_is_internal_in_the_private_subnets_behind_its_own_group(dev, prod):
    for r, protect in ((dev, False), (prod, True)):
        (alb,) = r.find(LB)
        env = "dev" if r is dev else "prod"
        assert alb.inputs["loadBalancerType"] == "application"
        assert alb.inputs["internal"] is True
        assert alb.inputs["subnets"] == SUBNETS
        assert alb.inputs["securityGroups"] == ["ingress-alb-id"]
        assert alb.inputs["dropInvalidHeaderFields"] is True
        assert alb.inputs["enableDeletionProtection"] is protect
        # failover.md evacuates an AZ with a zonal shift, which ELB refuses on a load balancer without it.
        assert alb.inputs["enableZonalShift"] is True
        assert alb.inputs["name"] == naming.alb_ingress_name(env) == f"ingress-alb-{env}"
        # Set, not left to AWS's default, because config holds every public service's proxy above it.
        assert alb.inputs["idleTimeout"] == ALB_IDLE_TIMEOUT_SECONDS == 60
        for service in parse(raw_config(env), env).public_services:
            assert service.timeouts.idle_ms > alb.inputs["idleTimeout"] * 1000


def test_one_https_listener_with_a_tls13_policy_the_certificate_and_a_404_default(dev):
    (listener,) = dev.find(LISTENER)
    assert listener.inputs["loadBalancerArn"] == _arn(dev, LB, "ingress-alb")
    assert (listener.inputs["protocol"], listener.inputs["port"]) == ("HTTPS", 443)
    assert listener.inputs["sslPolicy"] == TLS_POLICY == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    # dev has a DNS zone: the certificate is the one the stack issued and validated there.
    assert listener.inputs["certificateArn"] == _arn(dev, "aws:acm/certificate:Certificate", "dns-ingress")
    assert listener.inputs["defaultActions"] == [{"type": "fixed-response", "fixedResponse": {
        "contentType": "application/json", "messageBody": '{"message":"Not Found"}', "statusCode": "404"}}]


def test_the_tls13_policy_is_what_lets_the_alb_reach_the_service_connect_proxies(monkeypatch):
    """The proxies accept only TLS 1.3, and ELB speaks it to targets only behind a listener with a TLS 1.3 policy:
    with a TLS 1.2 floor, which elb-listener-tls-policy accepts, the pack stops the real stack, naming each public
    service's target group the listener forwards to."""
    from components import ingress
    from tools.preview import run_preview

    monkeypatch.setattr(ingress, "TLS_POLICY", "ELBSecurityPolicy-TLS-1-2-2017-01")
    result = run_preview("dev", ROOT, ROOT / "policies", ROOT / "policies" / "config" / "dev.json")
    assert result.error is None, result.error
    flagged = [v for v in result.violations if v.policy == "elb-service-connect-targets-tls13"]
    groups = {g.name for g in result.find(TARGET_GROUP)}
    assert {v.name for v in flagged} == {"dev-ingress-https"} and len(flagged) == len(groups) > 1
    assert {v.enforcement_level for v in flagged} == {"mandatory"}
    for group in groups:
        assert any(f"forwards to target group {group}, " in v.message for v in flagged), group
    assert not [v for v in result.violations if v.policy == "elb-listener-tls-policy"]


# --- target groups and rules -----------------------------------------------------------------------


def test_one_https_ip_target_group_per_public_service_on_its_service_connect_port(dev):
    groups = {g.name.removeprefix("ingress-"): g.inputs for g in dev.find(TARGET_GROUP)}
    # A service whose deployments are canaries has a second group, which ECS shifts the traffic onto.
    assert set(groups) == set(PUBLIC) | {f"{s}-alt" for s in CANARIES}
    for key, tg in groups.items():
        service, alternate = key.removesuffix("-alt"), key.endswith("-alt")
        assert tg["name"] == naming.alb_target_group_name("dev", service, 8000, alternate) == \
            f"dev-{service}-sc-8000" + ("-alt" if alternate else "")
        assert (tg["targetType"], tg["protocol"], tg["protocolVersion"], tg["port"]) == ("ip", "HTTPS", "HTTP1", 8000)
        assert tg["vpcId"] == "vpc-0a1b2c3d4e5f60718"
        # A draining task gets 30 s, not the default 300: a deployment or canary swap waits that long per task.
        assert tg["deregistrationDelay"] == 30
        # Only a 2xx or 3xx is healthy (a 401 or 404 on the path is not); three failures 15 s apart take a
        # target out, three passes bring it back (the services' grace periods follow this timing).
        assert tg["healthCheck"] == {"enabled": True, "protocol": "HTTPS", "port": "8000", "path": "/health",
                                     "matcher": "200-399", "interval": 15, "timeout": 5, "healthyThreshold": 3,
                                     "unhealthyThreshold": 3}


def _rules(result) -> dict:
    """The listener rules by service (a canary's rule carries the -shift suffix: see the test below)."""
    return {r.name.removeprefix("ingress-").removesuffix("-shift"): r for r in result.find(RULE)}


def test_each_public_prefix_has_a_rule_that_forwards_to_its_services_target_group(dev):
    rules = {service: r.inputs for service, r in _rules(dev).items()}
    assert set(rules) == set(PUBLIC)
    for service, rule in rules.items():
        prefix = PUBLIC[service]
        assert rule["listenerArn"] == _arn(dev, LISTENER, "ingress-https")
        assert rule["conditions"] == [{"pathPattern": {"values": [
            f"/dev{prefix}", f"/dev{prefix}/*", prefix, f"{prefix}/*"]}}]
        if service in CANARIES:  # to both groups, all on the first until a canary deployment moves it
            assert rule["actions"] == [{"type": "forward", "forward": {"targetGroups": [
                {"arn": _arn(dev, TARGET_GROUP, f"ingress-{service}"), "weight": 100},
                {"arn": _arn(dev, TARGET_GROUP, f"ingress-{service}-alt"), "weight": 0}]}}]
        else:
            group = _arn(dev, TARGET_GROUP, f"ingress-{service}")
            assert rule["actions"] == [{"type": "forward", "targetGroupArn": group}]
        assert rule["transforms"] == [{"type": "url-rewrite", "urlRewriteConfig": {
            "rewrite": {"regex": "^/dev(/.*)$", "replace": "$1"}}}]
    # No priority: the provider gives each new rule the next free one, so adding or removing a service never
    # moves another's (the prefixes never overlap: see the path tests below).
    assert not [r for r in rules.values() if "priority" in r]


def test_ecs_moves_a_canary_services_weights_with_its_own_role_and_an_update_leaves_them_alone(dev):
    """ECS shifts a canary deployment's load-balanced traffic by rewriting the rule's weights, with a role that
    holds AWS's managed policy for it; a later update must not put them back mid-deployment."""
    rules = _rules(dev)
    for service, rule in rules.items():
        # The actions whole: the provider keeps the forward's target groups as a set, so weights ignored by index
        # could be restored onto the wrong group after a canary. A replaced target group replaces the rule.
        assert rule.ignore_changes == (["actions"] if service in CANARIES else [])
        groups = sorted(g.urn for g in dev.find(TARGET_GROUP) if g.name in (f"ingress-{service}", f"ingress-{service}-alt"))
        assert rule.replace_with == (groups if service in CANARIES else [])
        assert len(rule.replace_with) == (2 if service in CANARIES else 0)
        # The engine refuses to ignore a path the old inputs lack: a rule that ignores the weights must never be
        # an update of one that had a single target group, so the two shapes are two resources.
        assert rule.name == f"ingress-{service}" + ("-shift" if service in CANARIES else "")
    [role] = [r for r in dev.find("aws:iam/role:Role") if r.name == "ingress-traffic-shifts"]
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    [attached] = [a.inputs for a in dev.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                  if a.name == "ingress-traffic-shifts"]
    assert attached == {"role": role.inputs["name"],  # pulumi-aws auto-names the unnamed role at Check
                        "policyArn": "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"}


def test_the_stage_name_in_the_rules_follows_the_api_stage():
    r = _preview("test", config_overrides=["stageName=v2beta"])
    rule = _rules(r)["user-service"].inputs
    assert rule["conditions"][0]["pathPattern"]["values"][:2] == ["/v2beta/users", "/v2beta/users/*"]
    assert rule["transforms"][0]["urlRewriteConfig"]["rewrite"]["regex"] == "^/v2beta(/.*)$"


# What the ALB does with a path (listener-rules and rule-transforms pages of the ELB guide): rules in
# priority order, path patterns case-sensitive with `*` (any run) and `?` (one character) matched against
# the path; the first match's rewrite applies, and a regex that does not match leaves the URL unchanged.
# The rules carry no priority (the provider assigns them), so a path must match at most one rule: then
# any order gives the same answer.

def _pattern(value: str) -> re.Pattern:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in value) + r"\Z")


def _serving(action: dict) -> str:
    """The target group a forward action sends the traffic to (with weights, the one that has it all)."""
    if "targetGroupArn" in action:
        return action["targetGroupArn"]
    [serving] = [group["arn"] for group in action["forward"]["targetGroups"] if group["weight"] == 100]
    return serving


def _alb(rules: list[dict], path: str) -> tuple[str | None, str]:
    matching = [rule for rule in rules
                if any(_pattern(v).match(path) for v in rule["conditions"][0]["pathPattern"]["values"])]
    assert len(matching) <= 1, f"{path} matches {len(matching)} rules: the answer would depend on priority"
    for rule in matching:
        rewrite = rule["transforms"][0]["urlRewriteConfig"]["rewrite"]
        forwarded = re.sub(rewrite["regex"], rewrite["replace"].replace("$1", r"\1"), path)
        return _serving(rule["actions"][0]), forwarded
    return None, path  # the listener's default: 404


@pytest.mark.parametrize("client_path", ["/users", "/users/42", "/users/42/orders", "/orders/7/items/3", "/products"])
def test_the_service_sees_the_path_the_client_sent_although_api_gateway_adds_the_stage(dev, client_path):
    # API Gateway sends "<stage>/<path>" over a VPC link V2 (developer guide, "Private integrations for REST
    # APIs": "if you request the test stage of an API, API Gateway includes test/path").
    rules = [r.inputs for r in dev.find(RULE)]
    service = next(s for s, p in PUBLIC.items() if client_path == p or client_path.startswith(p + "/"))
    target, forwarded = _alb(rules, f"/dev{client_path}")
    assert target == _arn(dev, TARGET_GROUP, f"ingress-{service}")
    assert forwarded == client_path
    # A request without the stage reaches the same service unchanged.
    assert _alb(rules, client_path) == (target, client_path)


def test_paths_outside_the_public_prefixes_get_the_default_404(dev):
    rules = [r.inputs for r in dev.find(RULE)]
    for path in ("/dev/payments", "/dev/usersx", "/payments/1", "/dev", "/"):
        assert _alb(rules, path)[0] is None, path


# --- security groups -------------------------------------------------------------------------------


def test_security_group_rules_are_exactly_link_to_alb_and_alb_to_each_public_service(dev):
    rules = {(kind, r.inputs["securityGroupId"], r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"],
              r.inputs.get("referencedSecurityGroupId"), r.inputs.get("cidrIpv4"))
             for kind, type_ in (("in", INGRESS_RULE), ("out", EGRESS_RULE)) for r in dev.find(type_)}
    expected = {("in", "ingress-alb-id", "tcp", 443, 443, "ingress-link-id", None),
                ("out", "ingress-link-id", "tcp", 443, 443, "ingress-alb-id", None)}
    expected |= {("out", "ingress-alb-id", "tcp", 8000, 8000, f"sg-{s}-id", None) for s in PUBLIC}
    assert rules == expected
    # The groups carry no inline rules that would sit beside the standalone ones.
    for group in dev.find(GROUP):
        assert "ingress" not in group.inputs and "egress" not in group.inputs


def test_a_private_service_gets_no_target_group_rule_or_alb_egress():
    r = _preview("test", config_overrides=["publicPaths.user-service="])
    assert {g.name for g in r.find(TARGET_GROUP)} == {"ingress-order-service", "ingress-product-service"}
    assert {x.name for x in r.find(RULE)} == {"ingress-order-service", "ingress-product-service"}
    assert not r.find("aws:iam/role:Role")  # no public canary left: no role to shift its traffic
    targets = {x.inputs.get("referencedSecurityGroupId") for x in r.find(EGRESS_RULE)}
    assert targets == {"sg-order-service-id", "sg-product-service-id", "ingress-alb-id"}


# --- VPC link V2 and the integrations ------------------------------------------------------------


def test_the_vpc_link_v2_sits_in_the_private_subnets_behind_its_own_group(dev):
    (link,) = dev.find(LINK_V2)
    assert link.inputs["subnetIds"] == SUBNETS
    assert link.inputs["securityGroupIds"] == ["ingress-link-id"]
    assert not dev.find(LINK_V1)


def test_every_route_integrates_through_vpc_link_v2_with_the_alb_as_target_and_verified_tls(dev):
    integrations = [i for i in dev.find(INTEGRATION) if i.inputs["type"] != "MOCK"]
    assert len(integrations) == len(PUBLIC) * 2 * len(API_METHODS)
    for integration in integrations:
        inputs = integration.inputs
        assert (inputs["type"], inputs["connectionType"]) == ("HTTP_PROXY", "VPC_LINK")
        assert inputs["connectionId"] == "ingress-link-id"
        assert inputs["integrationTarget"] == _arn(dev, LB, "ingress-alb")
        # The URI names the certificate's host (Host header and SNI) and keeps the client's path.
        prefix = next(p for p in PUBLIC.values() if inputs["uri"].startswith(f"https://{HOST}:443{p}"))
        assert inputs["uri"] in (f"https://{HOST}:443{prefix}", f"https://{HOST}:443{prefix}/{{proxy}}")
        # API Gateway verifies the ALB's public certificate, said outright: the provider sends nothing for a removed
        # tlsConfig, so a stack that was on App Mesh would keep skipping it.
        assert inputs["tlsConfig"] == {"insecureSkipVerification": False}


@pytest.mark.parametrize("stack,config,advisory", [
    # dev's advisory findings (no WAF, Cognito's own sender, an unprotected pool and ALB: README); nothing about
    # the integrations or their TLS.
    ("test", "dev", {"apigateway-stage-waf", "cognito-user-pool-email-through-ses",
                     "cognito-user-pool-deletion-protection", "elb-loadbalancer-deletion-protection"}),
    ("prod", "prod", set()),
])
def test_the_ingress_previews_without_mandatory_findings_with_known_and_unknown_outputs(stack, config, advisory):
    for unknown in (False, True):
        r = shared_preview(stack, PROGRAM, ROOT / "policies", ROOT / "policies" / "config" / f"{config}.json",
                        unknown_outputs=unknown)
        assert r.error is None, r.error
        assert r.mandatory == []
        assert {v.policy for v in r.violations} == advisory


# --- names -------------------------------------------------------------------------------------------


def test_names_fit_elb_limits_and_stay_distinct():
    env = "a" * 16  # the longest environment name the config accepts
    long_a, long_b = "s" * 39 + "a", "s" * 39 + "b"
    names = [naming.alb_target_group_name(env, s, 65535) for s in (long_a, long_b)]
    assert all(len(n) <= naming.ELB_NAME_MAX for n in names)
    assert names[0] != names[1]
    assert all(re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?", n) for n in names)
    assert len(naming.alb_ingress_name(env)) <= naming.ELB_NAME_MAX
    # AWS reserves the `internal-` prefix, even for an environment called "internal".
    assert not naming.alb_ingress_name("internal").startswith("internal-")
    # A new port means a new target group name (create-before-delete does not collide).
    assert naming.alb_target_group_name("dev", "user-service", 8000) != naming.alb_target_group_name(
        "dev", "user-service", 8080)


def test_path_patterns_and_rewrite_are_what_the_rules_use():
    assert path_patterns("prod", "/orders") == ["/prod/orders", "/prod/orders/*", "/orders", "/orders/*"]
    assert re.sub(stage_rewrite("prod")[0], r"\1", "/prod/orders/1") == "/orders/1"


# --- DNS and certificates ----------------------------------------------------------------------------

CERT = "aws:acm/certificate:Certificate"
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
RECORD = "aws:route53/record:Record"
DEV_ZONE = "Z07341052DEVSHOPEXMPL"


def test_without_a_zone_certificates_come_from_the_stack_file_and_dns_targets_are_exported(prod):
    assert not prod.find(CERT) and not prod.find(VALIDATION) and not prod.find(RECORD)
    assert prod.get(LISTENER, "ingress-https").inputs["certificateArn"] == raw_config("prod")["ingress"]["certificateArn"]
    domain = prod.get("aws:apigateway/domainName:DomainName", "api-domain").inputs
    assert domain["regionalCertificateArn"] == raw_config("prod")["api"]["domain"]["certificateArn"]
    # An internal ALB's DNS name as ELB gives it: `internal-<name>-<digits>.<region>.elb.amazonaws.com`.
    alb = prod.get(LB, "ingress-alb")
    assert prod.outputs["ingressDnsTarget"] == alb.state_struct["dnsName"]
    assert re.fullmatch(rf"internal-{alb.inputs['name']}-[0-9]+\.us-east-1\.elb\.amazonaws\.com",
                        alb.state_struct["dnsName"])
    assert prod.outputs["apiDomainTarget"] == api_gateway_domain_name("api-domain", "us-east-1")


def _issued(r: PreviewResult, label: str, host: str, zone_id: str) -> str:
    """Assert the DNS-validated certificate for `host` and return the ARN its validation hands on."""
    certificate = r.get(CERT, f"dns-{label}").inputs
    assert (certificate["domainName"], certificate["validationMethod"]) == (host, "DNS")
    # ACM logs every public certificate in Certificate Transparency logs (browsers require it): the API deprecated
    # the opt-out on 12 June 2026, and a block sending the setting is left out.
    assert "options" not in certificate
    record = r.get(RECORD, f"dns-{label}-validation").inputs
    # ACM's record for a name is the same for every certificate of the account: one left by an earlier certificate
    # (by hand, or by another stack) would make CREATE fail.
    assert record["allowOverwrite"] is True
    # The record ACM asked for (the mock's validation option for this name), in the zone.
    assert (record["zoneId"], record["name"], record["type"]) == (zone_id, f"_0123456789abcdef.{host}.", "CNAME")
    assert record["records"] == ["_fedcba9876543210.mock.acm-validations.aws."]
    validation = r.get(VALIDATION, f"dns-{label}")
    assert validation.inputs["certificateArn"] == _arn(r, CERT, f"dns-{label}")
    assert validation.inputs["validationRecordFqdns"] == [f"_0123456789abcdef.{host}"]
    return validation.inputs["certificateArn"]


def test_with_a_zone_the_ingress_certificate_is_issued_validated_and_the_name_is_aliased(dev):
    arn = _issued(dev, "ingress", HOST, DEV_ZONE)
    listener = dev.get(LISTENER, "ingress-https")
    assert listener.inputs["certificateArn"] == arn
    # The listener waits for the validation, not only for the certificate request.
    assert any(VALIDATION in urn and urn.endswith("::dns-ingress") for urn in listener.dependencies)
    alias = dev.get(RECORD, "dns-ingress-alias").inputs
    assert (alias["zoneId"], alias["name"], alias["type"]) == (DEV_ZONE, HOST, "A")
    # The ALB's own zone: ELB's for application load balancers in us-east-1 (an NLB's, Z26RNL4JYFTOTI, would be
    # refused by Route 53).
    alb = dev.get(LB, "ingress-alb").state_struct
    assert alias["aliases"] == [{"name": alb["dnsName"], "zoneId": "Z35SXDOTRQ7X7K", "evaluateTargetHealth": False}]
    assert [c.name for c in dev.find(CERT)] == ["dns-ingress"]
    assert "ingressDnsTarget" not in dev.outputs


def test_with_a_zone_a_custom_domain_without_a_certificate_gets_one_issued_and_an_alias():
    r = _preview("test", config_overrides=["domain.name=api.dev.shop.example.com"])
    arn = _issued(r, "api-domain", "api.dev.shop.example.com", DEV_ZONE)
    assert r.get("aws:apigateway/domainName:DomainName", "api-domain").inputs["regionalCertificateArn"] == arn
    alias = r.get(RECORD, "dns-api-domain-alias").inputs
    assert (alias["zoneId"], alias["name"]) == (DEV_ZONE, "api.dev.shop.example.com")
    assert alias["aliases"] == [{"name": api_gateway_domain_name("api-domain", "us-east-1"),
                                 "zoneId": "Z1UJRXOUMOOFQ8", "evaluateTargetHealth": False}]


def test_a_zone_given_by_name_is_looked_up():
    r = _preview("test", config_overrides=["dns.zoneName=dev.shop.example.com"])
    assert {x.inputs["zoneId"] for x in r.find(RECORD)} == {"Z0PREVIEW0000000000"}


@pytest.mark.parametrize("override", ["api.domain.name=api.other.com", "ingress.hostName=ingress.dev.other.com",
                                      "api.domain.name=api.shop.example.com"])
def test_a_name_outside_a_zone_given_by_id_stops_the_program_before_any_resource(override):
    """Route 53 refuses a record outside the zone: config checks a zone given by name, and one given by id is named
    by Route 53 (dev's: dev.shop.example.com), asked before anything is declared. Unchecked, the preview passed and
    `up` would have stopped at the validation record, after the certificate's request and the rest of the stack."""
    registered = Registered()
    result = run_preview("dev", ROOT, config_overrides=[override], progress=registered)  # type: ignore[arg-type]
    key, host = override.split("=")
    assert result.error == (
        f"Pulumi.dev.yaml with --config {key}: {key}: {host} is not in the DNS zone dev.shop.example.com "
        f"(dns.hostedZoneId {DEV_ZONE}), so the stack cannot validate its certificate or point it at the endpoint")
    assert result.exit_code == 2
    assert registered.types == ["pulumi:pulumi:Stack", "service-mesh-platform:index:Platform"]  # no AWS resource


def test_a_private_zone_given_by_id_stops_the_program_before_any_resource(monkeypatch):
    """A zone given by name is looked up among public zones; one given by id must be public too: ACM cannot
    validate through a private zone, and a private zone's names do not resolve from the internet."""
    from tools import invokes

    answer = invokes.ANSWERS["aws:route53/getZone:getZone"]
    monkeypatch.setitem(invokes.ANSWERS, "aws:route53/getZone:getZone",
                        lambda args, ctx: {**answer(args, ctx), "privateZone": True})
    registered = Registered()
    result = run_preview("dev", ROOT, progress=registered)  # type: ignore[arg-type]
    assert result.error == (
        f"Pulumi.dev.yaml: dns.hostedZoneId: {DEV_ZONE} is a private hosted zone: ACM validates certificates through "
        "public DNS only, and the stack's names must resolve from the internet; give a public zone")
    assert result.exit_code == 2
    assert registered.types == ["pulumi:pulumi:Stack", "service-mesh-platform:index:Platform"]  # no AWS resource


def test_a_zone_given_by_id_takes_the_names_in_it_and_its_apex():
    for override in ("api.domain.name=api.dev.shop.example.com", "ingress.hostName=dev.shop.example.com"):
        result = run_preview("dev", ROOT, config_overrides=[override])
        assert result.error is None, (override, result.error)


def _error(raw: dict, stack: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(raw, stack)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_missing_ingress_certificate_without_a_zone_is_one_line_naming_the_key():
    raw = with_value(raw_config("prod"), "ingress.certificateArn", DELETE)
    assert _error(raw, "prod") == (
        "Pulumi.prod.yaml: ingress.certificateArn: is required when no DNS zone is configured "
        "(set dns.hostedZoneId or dns.zoneName to have the stack issue it)")


def test_a_missing_domain_certificate_without_a_zone_is_one_line_naming_the_key():
    raw = with_value(raw_config("prod"), "api.domain.certificateArn", DELETE)
    assert _error(raw, "prod") == (
        "Pulumi.prod.yaml: api.domain.certificateArn: is required when no DNS zone is configured "
        "(set dns.hostedZoneId or dns.zoneName to have the stack issue it)")


def test_with_a_zone_both_certificates_may_be_left_to_the_stack():
    config = parse(with_value(raw_config("dev"), "api.domain", {"name": "api.dev.shop.example.com"}), "dev")
    assert config.api.domain.certificate_arn is None and config.ingress.certificate_arn is None
    assert config.dns.hosted_zone_id == DEV_ZONE


@pytest.mark.parametrize("dns,expected", [
    ({}, "Pulumi.dev.yaml: dns: set exactly one of hostedZoneId or zoneName"),
    ({"hostedZoneId": DEV_ZONE, "zoneName": "dev.shop.example.com"},
     "Pulumi.dev.yaml: dns: set exactly one of hostedZoneId or zoneName"),
    ({"hostedZoneId": "zone-1"}, "Pulumi.dev.yaml: dns.hostedZoneId: 'zone-1' is not a Route 53 hosted zone id"),
    ({"hostedZoneId": "Z12"}, "Pulumi.dev.yaml: dns.hostedZoneId: 'Z12' is not a Route 53 hosted zone id"),
    ({"zoneName": "example.org"}, "Pulumi.dev.yaml: ingress.hostName: ingress.dev.shop.example.com is not in the "
                                  "DNS zone example.org (dns.zoneName), so the stack cannot validate its certificate "
                                  "or point it at the endpoint"),
    ({"zoneId": DEV_ZONE}, "Pulumi.dev.yaml: dns.zoneId: is not a known setting"),
])
def test_malformed_dns_settings(dns, expected):
    assert _error(with_value(raw_config("dev"), "dns", dns), "dev") == expected


def test_a_zone_name_is_written_in_lower_case_as_host_names_are():
    assert _error(with_value(raw_config("dev"), "dns", {"zoneName": "Dev.Shop.Example.COM"}), "dev") == (
        "Pulumi.dev.yaml: dns.zoneName: 'Dev.Shop.Example.COM' is not a lower-case DNS zone name")
    config = parse(with_value(raw_config("dev"), "dns", {"zoneName": "dev.shop.example.com"}), "dev")
    assert config.ingress.host_name == "ingress.dev.shop.example.com"


def test_the_ingress_certificate_must_be_in_the_stack_region():
    raw = with_value(raw_config("prod"), "ingress.certificateArn",
                     "arn:aws:acm:eu-west-1:111122223333:certificate/5e1f3c2a-8b7d-4c6e-9a0f-2d4b6c8e0a13")
    assert _error(raw, "prod") == ("Pulumi.prod.yaml: ingress.certificateArn: is in eu-west-1; the ingress load "
                                   "balancer in us-east-1 needs an ACM certificate from us-east-1")


# --- AWS's API model -----------------------------------------------------------------------------------
# The requests the provider makes from these inputs, checked against botocore's ELBv2 shapes (members,
# required members, enums, ranges, lengths). Runs wherever botocore is installed.


def _model_problems(shape, value, path: str) -> list[str]:
    meta, problems = shape.metadata, []
    if shape.type_name == "structure":
        missing = [m for m in meta.get("required", []) if m not in value]
        problems += [f"{path}.{m}: required" for m in missing]
        for key, item in value.items():
            if key not in shape.members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                problems += _model_problems(shape.members[key], item, f"{path}.{key}")
        return problems
    if shape.type_name == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
            problems.append(f"{path}: {len(value)} items, outside {meta.get('min')}-{meta.get('max')}")
        for i, item in enumerate(value):
            problems += _model_problems(shape.member, item, f"{path}[{i}]")
        return problems
    if shape.type_name == "string":
        if not isinstance(value, str):
            return [f"{path}: expected a string, got {value!r}"]
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
        if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
            problems.append(f"{path}: length {len(value)} outside {meta.get('min')}-{meta.get('max')}")
        if "pattern" in meta and not re.fullmatch(meta["pattern"], value):
            problems.append(f"{path}: {value!r} does not match {meta['pattern']}")
        return problems
    if shape.type_name in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{path}: expected an integer, got {value!r}"]
        if not meta.get("min", value) <= value <= meta.get("max", value):
            problems.append(f"{path}: {value} outside {meta.get('min')}-{meta.get('max')}")
        return problems
    if shape.type_name == "boolean" and not isinstance(value, bool):
        return [f"{path}: expected a boolean"]
    return problems


def _elbv2_requests(r: PreviewResult) -> list[tuple[str, dict]]:
    """(operation, parameters) as terraform-provider-aws builds them from the emitted inputs."""
    requests = []
    (alb,) = r.find(LB)
    a = alb.inputs
    requests.append(("CreateLoadBalancer", {
        "Name": a["name"], "Subnets": a["subnets"], "SecurityGroups": a["securityGroups"],
        "Scheme": "internal" if a["internal"] else "internet-facing", "Type": a["loadBalancerType"],
        "IpAddressType": a["ipAddressType"]}))
    for tg in r.find(TARGET_GROUP):
        t, check = tg.inputs, tg.inputs["healthCheck"]
        requests.append(("CreateTargetGroup", {
            "Name": t["name"], "Protocol": t["protocol"], "ProtocolVersion": t["protocolVersion"], "Port": int(t["port"]),
            "VpcId": t["vpcId"], "TargetType": t["targetType"], "HealthCheckEnabled": check["enabled"],
            "HealthCheckProtocol": check["protocol"], "HealthCheckPort": check["port"], "HealthCheckPath": check["path"],
            "HealthCheckIntervalSeconds": int(check["interval"]), "HealthCheckTimeoutSeconds": int(check["timeout"]),
            "HealthyThresholdCount": int(check["healthyThreshold"]),
            "UnhealthyThresholdCount": int(check["unhealthyThreshold"]), "Matcher": {"HttpCode": check["matcher"]}}))
    for listener in r.find(LISTENER):
        lst = listener.inputs
        requests.append(("CreateListener", {
            "LoadBalancerArn": lst["loadBalancerArn"], "Protocol": lst["protocol"], "Port": int(lst["port"]),
            "SslPolicy": lst["sslPolicy"], "Certificates": [{"CertificateArn": lst["certificateArn"]}],
            "DefaultActions": [{"Type": d["type"], "FixedResponseConfig": {
                "ContentType": d["fixedResponse"]["contentType"], "MessageBody": d["fixedResponse"]["messageBody"],
                "StatusCode": d["fixedResponse"]["statusCode"]}} for d in lst["defaultActions"]]}))
    for priority, rule in enumerate(r.find(RULE), start=1):  # the provider's: the next free one
        x = rule.inputs
        requests.append(("CreateRule", {
            "ListenerArn": x["listenerArn"], "Priority": priority,
            "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": c["pathPattern"]["values"]}}
                           for c in x["conditions"]],
            "Actions": [_elbv2_action(act) for act in x["actions"]],
            "Transforms": [{"Type": t["type"], "UrlRewriteConfig": {"Rewrites": [
                {"Regex": t["urlRewriteConfig"]["rewrite"]["regex"],
                 "Replace": t["urlRewriteConfig"]["rewrite"]["replace"]}]}} for t in x["transforms"]]}))
    return requests


def _elbv2_action(action: dict) -> dict:
    if "targetGroupArn" in action:
        return {"Type": action["type"], "TargetGroupArn": action["targetGroupArn"]}
    return {"Type": action["type"], "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": group["arn"], "Weight": group["weight"]} for group in action["forward"]["targetGroups"]]}}


def test_every_elbv2_request_fits_the_aws_api_model(dev, prod):
    botocore_session = pytest.importorskip("botocore.session")
    model = botocore_session.get_session().get_service_model("elbv2")
    for r in (dev, prod):
        requests = _elbv2_requests(r)
        assert {op for op, _ in requests} == {"CreateLoadBalancer", "CreateTargetGroup", "CreateListener", "CreateRule"}
        for operation, params in requests:
            shape = model.operation_model(operation).input_shape
            assert _model_problems(shape, params, operation) == []
    # The checker itself finds what AWS would refuse.
    listener = model.operation_model("CreateListener").input_shape
    assert _model_problems(listener, {"LoadBalancerArn": "x", "Protocol": "HTTP3", "Port": 0}, "L") == [
        "L.DefaultActions: required", "L.Protocol: 'HTTP3' is not one of "
        f"{listener.members['Protocol'].enum}", "L.Port: 0 outside 1-65535"]


def test_the_alb_adds_the_rest_apis_cors_origin_to_every_response(dev_preview, iot_preview):
    # A proxy integration passes the service's response through as it is: the origin must come from the ALB.
    (listener,) = dev_preview.find(LISTENER)
    origin = parse(raw_config("dev")).api.cors.allow_origin
    assert listener.inputs["routingHttpResponseAccessControlAllowOriginHeaderValue"] == origin
    # iot declares no browser origin: no header.
    assert parse(raw_config("iot"), "iot").api.cors is None
    (listener,) = iot_preview.find(LISTENER)
    assert "routingHttpResponseAccessControlAllowOriginHeaderValue" not in listener.inputs


def test_the_vpc_link_leaves_out_a_private_subnet_in_a_zone_api_gateway_has_no_vpc_links_in(monkeypatch):
    """Zone names map to AZ IDs per account, and in many accounts us-east-1a is use1-az3, where API Gateway offers no
    VPC link V2 (its Region table): CreateVpcLink refuses that subnet, which mocks accept. The ALB keeps all three."""
    from tools import invokes
    from tools.preview import run_preview

    answer = invokes.ANSWERS["aws:index/getAvailabilityZones:getAvailabilityZones"]

    def az3_first(args, ctx):
        return {**answer(args, ctx), "zoneIds": ["use1-az3", "use1-az1", "use1-az2"]}

    monkeypatch.setitem(invokes.ANSWERS, "aws:index/getAvailabilityZones:getAvailabilityZones", az3_first)
    result = run_preview("prod", ROOT)
    assert result.error is None, result.error
    (link,) = result.find(LINK_V2)
    assert link.inputs["subnetIds"] == ["prod-network-private-1-id", "prod-network-private-2-id"]
    (alb,) = [lb for lb in result.find(LB) if lb.name == "prod-ingress-alb"]
    assert alb.inputs["subnets"] == [f"prod-network-private-{i}-id" for i in range(3)]
    # Fargate runs tasks in use1-az3: the services keep all three (only the VPC link leaves it out).
    services = result.find("aws:ecs/service:Service")
    assert services and all(s.inputs["networkConfiguration"]["subnets"] == alb.inputs["subnets"] for s in services)


def test_the_vpc_link_leaves_out_apne2_az4_which_seoul_offers_no_vpc_links_in(monkeypatch, tmp_path):
    """ap-northeast-2 has four zones, and the Region table of "Set up VPC links V2 in API Gateway" lists apne2-az1 to
    -az3 only: a Seoul stack whose first private subnet lands in apne2-az4 would hand CreateVpcLink a subnet it
    refuses. dev, moved to Seoul whole (every ARN and image with it), keeps the other subnet on the link."""
    from tools import invokes

    answer = invokes.ANSWERS["aws:index/getAvailabilityZones:getAvailabilityZones"]

    def az4_first(args, ctx):
        found = answer(args, ctx)
        return {**found, "zoneIds": ["apne2-az4", "apne2-az1", "apne2-az2"][:len(found["zoneIds"])]}

    monkeypatch.setitem(invokes.ANSWERS, "aws:index/getAvailabilityZones:getAvailabilityZones", az4_first)
    seoul = program_with_stack(tmp_path, "dev", lambda text: text.replace("us-east-1", "ap-northeast-2"))
    result = run_preview("dev", seoul)
    assert result.error is None, result.error
    (link,) = result.find(LINK_V2)
    assert link.inputs["subnetIds"] == ["dev-network-private-1-id"]
    (alb,) = [lb for lb in result.find(LB) if lb.name == "dev-ingress-alb"]
    assert alb.inputs["subnets"] == ["dev-network-private-0-id", "dev-network-private-1-id"]


def _moved(stack: str, region: str) -> dict:
    """The stack's config with every ARN and image moved to `region` with it."""
    return json.loads(json.dumps(raw_config(stack)).replace("us-east-1", region))


@pytest.mark.parametrize("region", ["eu-south-1", "ap-northeast-3", "af-south-1", "me-central-1", "eu-central-2"])
def test_a_region_without_vpc_links_v2_refuses_public_services_behind_the_alb(region):
    """The REST and HTTP APIs reach the ingress ALB through a VPC link V2, which API Gateway offers only in the
    regions of its "Availability by Region" table: elsewhere CreateVpcLink fails at `up`, and mocks accept it."""
    from components.config import parse_config

    for stack in ("dev", "iot"):
        with pytest.raises(ConfigError) as caught:
            parse_config(_moved(stack, region), f"Pulumi.{stack}.yaml", region)
        assert str(caught.value) == (
            f"Pulumi.{stack}.yaml: aws:region: {region} has no API Gateway VPC links V2, which the ingress ALB in "
            f"front of the public services needs (AWS's VPC links V2 Region table)")
    # App Mesh's REST API reaches its NLB through a VPC link V1, which every region has.
    appmesh = with_value(_moved("dev", region), "mesh.dataPlane", "appmesh")
    assert parse_config(appmesh, "Pulumi.dev.yaml", region).region == region
    # Spain, the table's newest region, takes them.
    assert parse_config(_moved("dev", "eu-south-2"), "Pulumi.dev.yaml", "eu-south-2").region == "eu-south-2"


def test_a_region_without_vpc_links_v2_stops_the_preview_in_one_line(tmp_path):
    registered = Registered()
    milan = program_with_stack(tmp_path, "dev", lambda text: text.replace("us-east-1", "eu-south-1"))
    result = run_preview("dev", milan, progress=registered)  # type: ignore[arg-type]
    assert result.error == ("Pulumi.dev.yaml: aws:region: eu-south-1 has no API Gateway VPC links V2, which the "
                            "ingress ALB in front of the public services needs (AWS's VPC links V2 Region table)")
    assert result.exit_code == 2
    assert registered.types == ["pulumi:pulumi:Stack"]  # no AWS resource
