"""Config for the device APIs: tenants, tiers, quotas, httpApi and websocketApi (the iot stack)."""
from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from pathlib import Path

import botocore
import pytest

from components.config import ConfigError, Quotas, WebsocketDomainConfig
from components.config.model import API_GATEWAY_LOW_THROTTLE_REGIONS
from tests.conftest import DELETE, config_error, parse, raw_config, with_value


def iot() -> dict:
    return raw_config("iot")


def error(raw: dict) -> str:
    return config_error(raw, "iot")


def test_iot_stack_parses_with_its_tenants_apis_and_raised_quota():
    config = parse(iot(), "iot")
    assert config.namespace == "iot.iot-platform.local"
    assert [s.name for s in config.services] == ["device-service", "ingest-service", "data-service",
                                                 "analytics-service", "command-service"]
    assert {t.name: t.tier for t in config.tenants} == {"acme": "enterprise", "globex": "standard",
                                                        "initech": "standard"}
    assert {t.name: t.usage_plan for t in config.tiers} == {"standard": "standard", "enterprise": "enterprise"}
    # A declared rate comes with a burst AWS sets from it: not known here.
    assert config.quotas == Quotas(account_rate_limit=25000, account_burst_limit=None, elastic_ips=3)
    assert config.quotas.rate_declared and not Quotas().rate_declared  # AWS's defaults are no declaration
    assert config.quotas.account_burst_limit is None
    assert [(r.method, r.path, r.service) for r in config.http_api.routes] == [
        ("POST", "/ingest/telemetry", "ingest-service"), ("GET", "/data/{proxy+}", "data-service")]
    assert config.http_api.mapping_key == "v1/stream"
    assert config.websocket_api.identity_expression == "route.request.header.Authorization"
    assert config.websocket_api.command_service == "command-service"
    assert config.websocket_api.domain == WebsocketDomainConfig(
        name="devices.iot.example.com", mapping_key="",
        certificate_arn="arn:aws:acm:us-east-1:111122223333:certificate/3e8b1d4f-6a2c-4d7e-9f1b-5c0a2e4d6f8a")


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_dev_and_prod_have_no_device_apis_and_aws_default_quotas(stack):
    config = parse(raw_config(stack), stack)
    assert config.http_api is None and config.websocket_api is None
    assert config.tenants == () and config.tiers == ()
    # But their share of the Elastic IPs their account's us-east-1 has, which iot shares too.
    share = {"dev": 1, "prod": 3}[stack]
    assert config.quotas == replace(Quotas.in_region("us-east-1"), elastic_ips=share)
    assert Quotas.in_region("us-east-1") == Quotas(account_burst_limit=5000)
    assert (Quotas().account_rate_limit, Quotas().api_keys, Quotas().websocket_connects_per_second) == (10000, 10000, 500)


@pytest.mark.parametrize("path,value,message", [
    ("tenants[1].tier", "platinum", "tenants[1].tier: 'platinum' is not a tier in this stack (standard, enterprise)"),
    ("tenants[2].name", "acme", "tenants[2].name: duplicate tenant 'acme'"),
    ("tenants[0].name", "operations-console", "tenants[0].name: 'operations-console' is also an api.consumers name"),
    ("tiers[0].usagePlan", "gold", "tiers[0].usagePlan: 'gold' is not a usage plan in api.usagePlans"),
    ("tiers[1].name", "standard", "tiers[1].name: duplicate tier 'standard'"),
    ("api.usagePlans[0].quota", DELETE, "api.usagePlans[0].quota: is required: only a plan with a public consumer "
                                        "goes without one"),
    ("tiers[0].httpThrottle", DELETE, "tiers[0].httpThrottle: is required"),
    ("quotas.apiKeys", 20000, "quotas.apiKeys: 20000 is not possible: AWS allows at most 10000 API keys per region"),
    ("quotas.integrationsPerHttpApi", 400, "quotas.integrationsPerHttpApi: 400 is not possible"),
    ("quotas.limit", 1, "quotas.limit: is not a known setting"),
    ("httpApi.routes[0].service", "analytics-service", "httpApi.routes[0].service: 'analytics-service' is not a "
                                                       "service with a publicPath"),
    ("httpApi.routes[0].path", "/data/telemetry", "httpApi.routes[0].path: /data/telemetry is not under "
                                                  "ingest-service's publicPath /ingest"),
    # The ALB forwards /ingest and /ingest/*: /ingestx would be its 404.
    ("httpApi.routes[0].path", "/ingestx", "httpApi.routes[0].path: /ingestx is not under "
                                           "ingest-service's publicPath /ingest"),
    ("httpApi.routes[0].method", "ANY", "httpApi.routes[0].method: 'ANY' is not one of GET, POST"),
    ("httpApi.auth.issuer", "http://idp.example.com", "httpApi.auth.issuer: 'http://idp.example.com' is not an https"),
    # API Gateway compares the issuer with a token's iss exactly: a user pool's has no trailing slash, and its pool
    # id names the endpoint's region.
    ("httpApi.auth.issuer", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_IoTDev1ce/",
     "httpApi.auth.issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_IoTDev1ce/ is not a user pool's "
     "issuer, https://cognito-idp.us-east-1.amazonaws.com/us-east-1_<id> with no trailing slash"),
    ("httpApi.auth.issuer", "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_IoTDev1ce",
     "httpApi.auth.issuer: https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_IoTDev1ce is not a user pool's "
     "issuer"),
    ("httpApi.auth.issuer", "https://cognito-idp.us-east-1.amazonaws.com",
     "httpApi.auth.issuer: https://cognito-idp.us-east-1.amazonaws.com is not a user pool's issuer"),
    ("httpApi.auth.audience", ["4f1c2b7d9e0a3c5b6d8e1f2a3b"],
     "httpApi.auth.audience: is now per tenant: list each tenant's app client ids under httpApi.auth.clients.<tenant>"),
    ("httpApi.auth.clients", DELETE, "httpApi.auth.clients: is required"),
    ("httpApi.auth.clients.initech", DELETE, "httpApi.auth.clients.initech: needs 1 to 50 app client ids"),
    ("httpApi.auth.clients.globex", [], "httpApi.auth.clients.globex: needs 1 to 50 app client ids"),
    ("httpApi.auth.clients.globex", [f"client{i}" for i in range(51)], "httpApi.auth.clients.globex: needs 1 to 50"),
    ("httpApi.auth.clients.umbrella", ["c1"], "httpApi.auth.clients.umbrella: is not a tenant in this stack "
                                              "(acme, globex, initech)"),
    ("httpApi.auth.clients.globex", ["4f1c2b7d9e0a3c5b6d8e1f2a3b"],
     "httpApi.auth.clients.globex: '4f1c2b7d9e0a3c5b6d8e1f2a3b' is also acme's: a client shared by two tenants could "
     "call both tenants' routes"),
    ("httpApi.auth.clients.globex", ["c1", "c1"], "httpApi.auth.clients.globex[1]: 'c1' is listed twice"),
    ("httpApi.auth.clients.globex", ["has space"], "httpApi.auth.clients.globex[0]: 'has space' is not an app client"),
    ("httpApi.auth.clients.globex", "c1", "httpApi.auth.clients.globex: expected a list, got a string"),
    ("httpApi.auth.tenantScopePrefix", "api://" + "x" * 52 + "/",
     "httpApi.auth.tenantScopePrefix: makes tenant initech's scope api://" + "x" * 52 + "/initech 66 characters; a "
     "route's scope may have 64"),
    ("httpApi.routes[0].path", "/ingest/" + "t" * 505,
     "httpApi.routes[0].path: is sent to the service as 513 characters (overwrite:path); API Gateway allows 512"),
    ("httpApi.routes[1].path", "/data/" + "d" * 490 + "/{proxy+}",
     "httpApi.routes[1].path: is sent to the service as 516 characters (overwrite:path)"),
    ("quotas.authorizersPerHttpApi", 9, "quotas.authorizersPerHttpApi: 9 is not at least AWS's default 10"),
    ("httpApi.mappingKey", "v1", "httpApi.mappingKey: v1 is already the REST API's base path on api.iot.example.com"),
    ("httpApi.mappingKey", "v2/" + "s" * 298, "httpApi.mappingKey: is 301 characters; API Gateway allows 300 in an API "
                                              "mapping's path"),
    ("websocketApi.commandService", "pager-service", "websocketApi.commandService: 'pager-service' is not a service"),
    ("websocketApi.signingSecretArn", "arn:aws:ssm:us-east-1:111122223333:parameter/x",
     "websocketApi.signingSecretArn: 'arn:aws:ssm:us-east-1:111122223333:parameter/x' is not a Secrets Manager"),
    ("websocketApi.identitySource", "cookie", "websocketApi.identitySource: 'cookie' is not one of header, query"),
    ("websocketApi.reservedConcurrency", 0, "websocketApi.reservedConcurrency: 0 is out of range"),
    ("websocketApi.reservedConcurrency", {"authorizer": 0, "connections": 200},
     "websocketApi.reservedConcurrency.authorizer: 0 is out of range"),
    ("websocketApi.reservedConcurrency", {"authorizer": 50},
     "websocketApi.reservedConcurrency.connections: is required"),
    ("websocketApi.reservedConcurrency", {"authorizer": 50, "connection": 200},
     "websocketApi.reservedConcurrency.connection: is not a known setting (did you mean connections?)"),
    ("websocketApi.reservedConcurrency", "200",
     "websocketApi.reservedConcurrency: expected an integer (both functions) or {authorizer, connections}, got"),
    ("websocketApi.reservedConcurrency", True,
     "websocketApi.reservedConcurrency: expected an integer (both functions) or {authorizer, connections}, got"),
    ("websocketApi.maxTokenHours", 721, "websocketApi.maxTokenHours: 721 is out of range"),
    ("websocketApi.maxTokenHours", 0, "websocketApi.maxTokenHours: 0 is out of range"),
    ("websocketApi.domain.name", "api.iot.example.com",
     "websocketApi.domain.name: api.iot.example.com is api.domain.name (the REST API's custom domain); API Gateway "
     "cannot map a WebSocket API to the same custom domain as a REST or HTTP API"),
    # Two alias records for one name: Route 53 refuses the second.
    ("websocketApi.domain.name", "ingress.iot.example.com",
     "ingress.hostName: ingress.iot.example.com is also websocketApi.domain.name: the custom domain and the ingress "
     "ALB each need a DNS name of their own"),
    ("websocketApi.domain.name", "Devices.iot.example.com",
     "websocketApi.domain.name: 'Devices.iot.example.com' is not a lower-case DNS host name"),
    ("websocketApi.domain.certificateArn", DELETE, "websocketApi.domain.certificateArn: is required when no DNS zone "
                                                   "is configured"),
    ("websocketApi.domain.certificateArn",
     "arn:aws:acm:eu-west-1:111122223333:certificate/3e8b1d4f-6a2c-4d7e-9f1b-5c0a2e4d6f8a",
     "websocketApi.domain.certificateArn: is in eu-west-1; a regional API in us-east-1 needs an ACM certificate from "
     "us-east-1"),
    ("websocketApi.domain.mappingKey", "", "websocketApi.domain.mappingKey: '' is not an API mapping key"),
    ("websocketApi.domain.mappingKey", "v1/" + "k" * 298, "websocketApi.domain.mappingKey: is 301 characters; API "
                                                          "Gateway allows 300 in an API mapping's path"),
    ("websocketApi.domain.basePaths", ["v1"], "websocketApi.domain.basePaths: is not a known setting"),
    ("quotas.securityGroupRules", 501, "quotas.securityGroupRules: 501 is not possible: AWS keeps rules per security "
                                       "group x security groups per network interface within 1000, and each task "
                                       "joins 2 groups (at most 500)"),
    ("quotas.restResourcesPerApi", 299, "quotas.restResourcesPerApi: 299 is not at least AWS's default 300"),
    ("quotas.securityGroupRules", 0, "quotas.securityGroupRules: 0 is not at least AWS's default 60"),
])
def test_bad_device_api_input_gets_one_line(path, value, message):
    raw = with_value(iot(), path, value)
    assert error(raw).startswith("Pulumi.iot.yaml: ")
    assert message in error(raw)


@pytest.mark.parametrize("issuer", ["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyZ",
                                    "https://idp.example.com/", "https://login.example.com/realms/iot"])
def test_a_user_pool_issuer_of_its_own_region_and_other_oidc_issuers_as_written_are_taken(issuer):
    # An OIDC provider's iss may well end in a slash (Auth0's does): only a user pool's form is known here.
    assert parse(with_value(iot(), "httpApi.auth.issuer", issuer), "iot").http_api.auth.issuer == issuer


def test_the_identity_source_reaches_the_authorizer_and_api_gateway_alike():
    ws = parse(with_value(iot(), "websocketApi.identitySource", "query"), "iot").websocket_api
    assert ws.identity_expression == "route.request.querystring.token"
    assert ws.authorizer_environment(["acme"])["IDENTITY_SOURCE"] == "query"
    assert parse(iot(), "iot").websocket_api.authorizer_environment(["acme"])["IDENTITY_SOURCE"] == "header"


def test_the_token_lifetime_reaches_the_authorizer_in_seconds():
    from components.config import DEFAULT_MAX_TOKEN_HOURS
    from tests.test_lambdas import auth

    ws = parse(with_value(iot(), "websocketApi.maxTokenHours", 2), "iot").websocket_api
    assert ws.authorizer_environment(["acme"])["MAX_TOKEN_SECONDS"] == "7200"
    # Without the key, the stack and the function's own fallback agree.
    default = parse(iot(), "iot").websocket_api.authorizer_environment(["acme"])["MAX_TOKEN_SECONDS"]
    assert int(default) == DEFAULT_MAX_TOKEN_HOURS * 3600 == auth.MAX_TOKEN_SECONDS


def test_per_resource_quotas_at_their_boundary_fit():
    config = parse(with_value(with_value(iot(), "quotas.restResourcesPerApi", 300), "quotas.securityGroupRules", 500),
                   "iot")
    assert (config.quotas.rest_resources_per_api, config.quotas.security_group_rules) == (300, 500)
    assert (Quotas().security_group_rules, Quotas().rest_resources_per_api) == (60, 300)


def test_device_apis_need_tenants():
    raw = with_value(iot(), "tenants", [])
    assert "Pulumi.iot.yaml: tenants: is required by httpApi and websocketApi" in error(raw)


def test_the_longest_scope_and_backend_path_api_gateway_takes_fit():
    raw = with_value(iot(), "httpApi.auth.tenantScopePrefix", "api://" + "x" * 50 + "/")
    raw = with_value(raw, "httpApi.routes[0].path", "/ingest/" + "t" * 504)
    config = parse(raw, "iot").http_api
    assert len(config.auth.tenant_scope_prefix + "initech") == 64 and len(config.routes[0].path) == 512


def test_a_tier_never_joins_a_public_clients_plan_without_a_quota():
    raw = with_value(iot(), "api.usagePlans[0].quota", DELETE)
    raw["api"]["consumers"].append({"name": "kiosk", "plan": "standard", "public": True})
    assert error(raw) == ("Pulumi.iot.yaml: tiers[0].usagePlan: standard has no quota; tenants' back ends keep their "
                          "keys, and a quota caps what each tenant may spend")


def test_each_tenant_has_its_own_app_clients():
    assert parse(iot(), "iot").http_api.auth.clients == {
        "acme": ("4f1c2b7d9e0a3c5b6d8e1f2a3b",), "globex": ("7a9c1e3b5d7f9a1c3e5b7d9f1a",),
        "initech": ("2b4d6f8a0c2e4a6c8e0b2d4f6a",)}


def test_more_tenants_than_the_http_api_has_authorizers_for():
    raw = iot()
    for i in range(8):
        raw["tenants"].append({"name": f"tenant{i}", "tier": "standard"})
        raw["httpApi"]["auth"]["clients"][f"tenant{i}"] = [f"client{i}"]
    assert error(raw) == ("Pulumi.iot.yaml: tenants: 11 tenants need 11 authorizers on the HTTP API (one each), more "
                          "than quotas.authorizersPerHttpApi (10)")
    assert len(parse(with_value(raw, "quotas.authorizersPerHttpApi", 11), "iot").http_api.auth.clients) == 11


def test_the_wafs_per_address_limit_lets_a_server_kept_key_reach_its_plans_throttle():
    """2000 requests per 5 minutes from one address is 6.7/s: a server calling from its NAT at the enterprise plan's
    200/s would get WAF 403s far below it. Its addresses get a limit of their own (serverAddresses); without them,
    the limit everyone gets must carry the fastest server-kept plan, twice over (bursts, retries)."""
    config = parse(iot(), "iot")
    assert config.api.waf.server_addresses == ("198.51.100.0/28", "203.0.113.0/27")
    assert config.api.waf.rate_limit_per_5min == 2000 and config.api.waf.server_rate_limit == 2 * 200 * 300
    assert config.fastest_server_key == ("consumer operations-console", 1, 200)  # api.usagePlans[1]: enterprise
    assert ("consumer operations-console", "enterprise") in config.server_keys
    assert ("tenant globex", "standard") in config.server_keys
    no_addresses = with_value(iot(), "api.waf.serverAddresses", DELETE)
    assert error(no_addresses) == (
        "Pulumi.iot.yaml: api.waf.rateLimitPer5Min: 2000 requests from one address per 300 s would refuse consumer "
        "operations-console's key, which a server calls from its few addresses, before its plan enterprise's 200/s "
        "(120000 with bursts and retries): list the servers' public addresses in api.waf.serverAddresses, which get "
        "120000 of their own, or (for every address) raise this to 120000")
    assert parse(with_value(no_addresses, "api.waf.rateLimitPer5Min", 120000), "iot").api.waf.server_addresses == ()
    # A tenant's key counts too (acme's tier joins enterprise); the console on the slower plan leaves it.
    console_standard = with_value(with_value(no_addresses, "api.consumers[0].plan", "standard"),
                                  "api.waf.rateLimitPer5Min", 119999)
    assert "would refuse tenant acme's key" in error(console_standard)
    # A public client's key comes from many addresses: the limit is for it, whatever its plan (prod's keys are all
    # public clients', on plans of 200/s and 50/s, under its 2000 per 5 minutes).
    prod = parse(raw_config("prod"), "prod")
    assert prod.api.waf.rate_limit_per_5min == 2000 and prod.server_keys == () and prod.fastest_server_key is None
    with pytest.raises(ConfigError, match="api.waf.serverAddresses: no key here is a server's"):
        parse(with_value(raw_config("prod"), "api.waf.serverAddresses", ["203.0.113.0/24"]), "prod")
    # No web ACL, no limit and no addresses.
    off = with_value(with_value(no_addresses, "api.waf.enabled", False), "api.waf.rateLimitPer5Min", DELETE)
    assert not parse(off, "iot").api.waf.enabled
    # A rate rule of a web ACL that is not there was taken without a word (a bad-input review).
    assert error(with_value(copy.deepcopy(off), "api.waf.rateLimitPer5Min", 10)) == (
        "Pulumi.iot.yaml: api.waf.rateLimitPer5Min: sets a rate rule of the web ACL, and WAF is off in this stack: "
        "remove it or set api.waf.enabled: true")
    assert error(with_value(with_value(iot(), "api.waf.enabled", False), "api.waf.rateLimitPer5Min", DELETE)) == (
        "Pulumi.iot.yaml: api.waf.serverAddresses: lists addresses for the web ACL, and WAF is off in this stack: "
        "remove it or set api.waf.enabled: true")
    assert error(with_value(off, "api.waf.blockedAddresses", [])) == (
        "Pulumi.iot.yaml: api.waf.blockedAddresses: lists addresses for the web ACL, and WAF is off in this stack: "
        "remove it or set api.waf.enabled: true")
    # The block rule comes before the servers' own limit: a blocked block over a server's address refuses it.
    assert error(with_value(iot(), "api.waf.blockedAddresses", ["198.51.100.0/24"])) == (
        "Pulumi.iot.yaml: api.waf.blockedAddresses[0]: 198.51.100.0/24 covers serverAddresses' 198.51.100.0/28: WAF "
        "would refuse those servers' every request")
    # One address within a server's block (a compromised host behind a partner's NAT) is an incident's choice.
    assert parse(with_value(iot(), "api.waf.blockedAddresses", ["198.51.100.4/32"]), "iot").api.waf.blocked_addresses


@pytest.mark.parametrize("addresses,message", [
    (["203.0.113.1/24"], "api.waf.blockedAddresses[0]: '203.0.113.1/24' is not an IPv4 CIDR block of /1 to /32 such "
                         "as 203.0.113.0/24 (its host bits zero)"),
    (["2001:db8::/32"], "api.waf.blockedAddresses[0]: '2001:db8::/32' is not an IPv4 CIDR block"),
    (["203.0.113.7"], "api.waf.blockedAddresses[0]: '203.0.113.7' is not an IPv4 CIDR block"),
    (["0.0.0.0/0"], "api.waf.blockedAddresses[0]: '0.0.0.0/0' is not an IPv4 CIDR block of /1 to /32"),
    # Spellings Python reads and WAF's CIDR notation does not (and that would let one block in twice).
    (["203.0.113.0/255.255.255.0"], "api.waf.blockedAddresses[0]: '203.0.113.0/255.255.255.0' is not an IPv4 CIDR"),
    (["203.0.113.0/024"], "api.waf.blockedAddresses[0]: '203.0.113.0/024' is not an IPv4 CIDR"),
    # WAF matches the address a request comes from: a server's public (NAT) one, never a private one.
    (["10.20.0.0/16"], "api.waf.blockedAddresses[0]: 10.20.0.0/16 is not a public address: WAF sees the address a "
                       "request comes from, a server's public (NAT) one"),
    (["100.64.1.0/24"], "api.waf.blockedAddresses[0]: 100.64.1.0/24 is not a public address"),
    (["172.0.0.0/8"], "api.waf.blockedAddresses[0]: 172.0.0.0/8 is not a public address"),
    (["203.0.113.7/32", "203.0.113.7/32"], "api.waf.blockedAddresses[1]: '203.0.113.7/32' is listed twice"),
    ([f"11.{i // 256}.{i % 256}.0/24" for i in range(10001)],
     "api.waf.blockedAddresses: lists 10001 addresses; an AWS WAF IP set holds 10000"),
])
def test_waf_addresses_are_ipv4_cidr_blocks_an_ip_set_takes(addresses, message):
    assert error(with_value(iot(), "api.waf.blockedAddresses", addresses)).startswith(f"Pulumi.iot.yaml: {message}")


def test_more_keys_than_the_declared_quota_allows():
    raw = with_value(iot(), "quotas.apiKeys", 3)
    assert error(raw) == ("Pulumi.iot.yaml: tenants: 3 tenants + 1 consumers need 4 API keys, more than "
                          "quotas.apiKeys (3); keys are per tenant, never per device")
    # Exactly at the quota is allowed.
    parse(with_value(iot(), "quotas.apiKeys", 4), "iot")


def test_stage_throttles_together_must_fit_the_account_throttle():
    # 1000 (REST) + 20000 (HTTP) + 3000 (WebSocket) = 24000 fits the declared 25000, not AWS's default 10000. The
    # largest stage is named: the one to lower, and the one an override (--config) most likely raised.
    raw = with_value(with_value(iot(), "quotas.accountRateLimit", DELETE), "tiers[1].httpThrottle.rateLimit", 5000)
    assert error(raw) == ("Pulumi.iot.yaml: httpApi.throttle.rateLimit: api.throttle.rateLimit 1000 + "
                          "httpApi.throttle.rateLimit 20000 + websocketApi.throttle.rateLimit 3000 = 24000 "
                          "requests/s, more than quotas.accountRateLimit (10000) shared by all APIs in the region")
    assert error(with_value(iot(), "api.throttle.rateLimit", 50000)) == (
        "Pulumi.iot.yaml: api.throttle.rateLimit: api.throttle.rateLimit 50000 + httpApi.throttle.rateLimit 20000 + "
        "websocketApi.throttle.rateLimit 3000 = 73000 requests/s, more than quotas.accountRateLimit (25000) shared "
        "by all APIs in the region")
    parse(with_value(iot(), "quotas.accountRateLimit", 24000), "iot")


def test_same_path_twice_only_with_another_method():
    raw = iot()
    raw["httpApi"]["routes"].append({"method": "GET", "path": "/ingest/telemetry", "service": "ingest-service"})
    assert len(parse(raw, "iot").http_api.routes) == 3
    raw["httpApi"]["routes"].append({"method": "POST", "path": "/ingest/telemetry", "service": "ingest-service"})
    assert "httpApi.routes[3].path: POST /ingest/telemetry is already a route" in error(raw)


def test_a_tenant_without_clients_is_not_taken_for_a_misspelling_of_the_next():
    # tenant-a and tenant-b are near spellings of each other, but tenants' names, not settings: tenant-b, read after
    # tenant-a is found missing, is no typo for it.
    raw = iot()
    raw["tenants"] += [{"name": "tenant-a", "tier": "standard"}, {"name": "tenant-b", "tier": "standard"}]
    raw["httpApi"]["auth"]["clients"]["tenant-b"] = ["client2"]
    assert error(with_value(raw, "quotas.authorizersPerHttpApi", 10)) == (
        "Pulumi.iot.yaml: httpApi.auth.clients.tenant-a: needs 1 to 50 app client ids (the audiences of the tenant's "
        "authorizer)")


def test_a_tier_needs_an_http_throttle_only_for_an_http_api():
    raw = with_value(with_value(iot(), "httpApi", DELETE), "websocketApi", DELETE)
    for tier in raw["tiers"]:
        del tier["httpThrottle"]
    config = parse(raw, "iot")
    assert [(t.name, t.usage_plan, t.http_throttle) for t in config.tiers] == [
        ("standard", "standard", None), ("enterprise", "enterprise", None)]
    assert config.http_api is None and len(config.tenants) == 3
    raw["httpApi"] = iot()["httpApi"]
    assert error(raw) == "Pulumi.iot.yaml: tiers[0].httpThrottle: is required"


def test_a_tier_throttle_above_the_account_throttle():
    raw = with_value(iot(), "tiers[1].httpThrottle.rateLimit", 30000)
    assert "tiers[1].httpThrottle.rateLimit: 30000 requests/s exceeds quotas.accountRateLimit (25000)" in error(raw)


def test_a_usage_plan_throttle_above_the_account_throttle():
    """API Gateway's per-client (usage plan) limits "can't be higher than the per-account limits"; the config let a
    plan's throttle, or one of its method throttles, past it."""
    assert parse(with_value(iot(), "api.usagePlans[1].throttle.rateLimit", 25000), "iot")  # at the quota
    assert error(with_value(iot(), "api.usagePlans[1].throttle.rateLimit", 25001)) == (
        "Pulumi.iot.yaml: api.usagePlans[1].throttle.rateLimit: 25001 requests/s exceeds quotas.accountRateLimit "
        "(25000): a key's throttle may not be higher than the account's")
    raw = with_value(iot(), "api.usagePlans[0].methodThrottles", [
        {"path": "/devices/{proxy+}", "method": "GET", "rateLimit": 30000.5, "burstLimit": 100}])
    assert error(raw) == (
        "Pulumi.iot.yaml: api.usagePlans[0].methodThrottles[0].rateLimit: 30000.5 requests/s exceeds "
        "quotas.accountRateLimit (25000): a key's throttle may not be higher than the account's")
    # A rate is printed as written, not rounded to six digits (`1e+06`, which reads as within the limit).
    raw = with_value(with_value(iot(), "quotas.accountRateLimit", 1_000_000), "api.usagePlans[1].throttle.rateLimit",
                     1_000_000.5)
    assert "rateLimit: 1000000.5 requests/s exceeds quotas.accountRateLimit (1000000)" in error(raw)


def relocated(stack: str, region: str):
    """The stack's config parsed in another region, its ARNs moved there too."""
    from components.config import parse_config

    text = json.dumps(raw_config(stack)).replace("us-east-1", region)
    return lambda edit=lambda raw: raw: parse_config(edit(json.loads(text)), f"Pulumi.{stack}.yaml", region)


# The API Gateway quotas page (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): "For the
# following Regions, the default throttle quota is 2500 RPS and the default burst quota is 1250 RPS".
LOW_THROTTLE_REGION_NAMES = (
    "Africa (Cape Town)", "Europe (Milan)", "Asia Pacific (Jakarta)", "Middle East (UAE)", "Asia Pacific (Hyderabad)",
    "Asia Pacific (Melbourne)", "Europe (Spain)", "Europe (Zurich)", "Israel (Tel Aviv)", "Canada West (Calgary)",
    "Asia Pacific (Malaysia)", "Asia Pacific (Thailand)", "Mexico (Central)")


def test_the_regions_with_a_lower_default_account_throttle_are_those_aws_names():
    partitions = json.loads((Path(botocore.__file__).parent / "data" / "partitions.json").read_text())
    names = {region: about.get("description") for partition in partitions["partitions"]
             for region, about in partition["regions"].items()}
    assert {names[region] for region in API_GATEWAY_LOW_THROTTLE_REGIONS} == set(LOW_THROTTLE_REGION_NAMES)
    assert len(API_GATEWAY_LOW_THROTTLE_REGIONS) == len(LOW_THROTTLE_REGION_NAMES)


def test_the_account_throttle_defaults_to_the_stacks_regions():
    """The config took 10,000 requests/s with a 5,000 burst everywhere; thirteen regions default to 2,500 and 1,250."""
    # dev declares its share of its account's Elastic IPs, and nothing else.
    def declared(rate: int, burst: int) -> Quotas:
        return Quotas(account_rate_limit=rate, account_burst_limit=burst, elastic_ips=1)

    assert parse(raw_config("dev")).quotas == declared(10000, 5000)
    spain = relocated("dev", "eu-south-2")
    assert spain().quotas == declared(2500, 1250)
    assert relocated("dev", "eu-west-1")().quotas == declared(10000, 5000)
    with pytest.raises(ConfigError) as caught:
        spain(lambda raw: with_value(raw, "api.throttle.rateLimit", 2501))
    assert str(caught.value) == (
        "Pulumi.dev.yaml: api.throttle.rateLimit: api.throttle.rateLimit 2501 = 2501 requests/s, more than "
        "quotas.accountRateLimit (2500, AWS's default in eu-south-2) shared by all APIs in the region")
    # Declared, the rate is the stack's to say (raised, or its share of a raised account's), and so is its burst.
    declared = spain(lambda raw: with_value(raw, "quotas", {"accountRateLimit": 2000})).quotas
    assert (declared.account_rate_limit, declared.account_burst_limit) == (2000, None)


def test_a_burst_above_the_accounts_bucket():
    """Every request takes a token from the account's bucket too: a stage's, a plan's or a tenant's burst above it is
    never allowed. AWS sets the bucket from the rate quota, so it is known only at the default rate."""
    with pytest.raises(ConfigError) as caught:
        relocated("prod", "eu-south-2")()
    assert str(caught.value) == (
        "Pulumi.prod.yaml: api.throttle.burstLimit: 2000 exceeds 1250, the account's burst at AWS's default rate (2500 "
        "requests/s): lower it, or have the rate raised and declare it in quotas.accountRateLimit (AWS sets the burst "
        "from it)")
    raised = relocated("prod", "eu-south-2")(lambda raw: with_value(raw, "quotas", {"accountRateLimit": 5000}))
    assert raised.quotas.account_burst_limit is None
    # A stack that declares its share of an account (raised or not) is not held to the default bucket either.
    assert parse(with_value(with_value(raw_config("dev"), "quotas", {"accountRateLimit": 10000}),
                            "api.throttle.burstLimit", 6000))
    assert parse(with_value(raw_config("dev"), "api.usagePlans[0].throttle.burstLimit", 5000))
    for path in ("api.usagePlans[0].throttle", "api.usagePlans[2].methodThrottles[0]", "api.throttle"):
        with pytest.raises(ConfigError) as caught:
            parse(with_value(raw_config("dev"), f"{path}.burstLimit", 5001))
        assert str(caught.value) == (
            f"Pulumi.dev.yaml: {path}.burstLimit: 5001 exceeds 5000, the account's burst at AWS's default rate (10000 "
            f"requests/s): lower it, or have the rate raised and declare it in quotas.accountRateLimit (AWS sets the "
            f"burst from it)")
    # iot's device APIs, at rates within AWS's default throttle (a fresh copy each time: with_value edits in place).
    def iot_at_default(path: str, burst: int) -> dict:
        return with_value(with_value(slowed(raw_config("iot")), "quotas.accountRateLimit", DELETE), path, burst)

    for path in ("tiers[0].httpThrottle", "httpApi.throttle", "websocketApi.throttle", "websocketApi.connectThrottle"):
        assert parse(iot_at_default(f"{path}.burstLimit", 5000), "iot")
        refused = rf"^Pulumi\.iot\.yaml: {re.escape(path)}\.burstLimit: 5001 exceeds 5000, "
        with pytest.raises(ConfigError, match=refused):
            parse(iot_at_default(f"{path}.burstLimit", 5001), "iot")


def slowed(node):
    """Every rateLimit in a stack's config at most 100 requests/s."""
    if isinstance(node, dict):
        return {k: min(v, 100) if k == "rateLimit" else slowed(v) for k, v in node.items()}
    return [slowed(v) for v in node] if isinstance(node, list) else node


def test_a_server_plan_too_fast_for_a_waf_rate_rule():
    """A server-kept key's address gets a WAF rate rule of twice its plan's rate over 300 s; WAF's RateBasedStatement
    allows at most 2,000,000,000, which the preview's API check found exceeded while config passed."""
    raw = with_value(iot(), "quotas.accountRateLimit", 10_000_000)
    parse(with_value(raw, "api.usagePlans[1].throttle.rateLimit", 3_333_333), "iot")  # 1,999,999,800
    assert error(with_value(raw, "api.usagePlans[1].throttle.rateLimit", 3_333_334)) == (
        "Pulumi.iot.yaml: api.usagePlans[1].throttle.rateLimit: 3333334 requests/s needs a per-address WAF limit of "
        "2000000400 for consumer operations-console's key, which a server calls from its few addresses (300 s, with "
        "bursts and retries); WAF allows at most 2000000000")


def test_connect_throttle_above_the_new_connection_quota():
    raw = with_value(iot(), "websocketApi.connectThrottle.rateLimit", 600)
    assert error(raw) == ("Pulumi.iot.yaml: websocketApi.connectThrottle.rateLimit: 600 new connections/s exceeds "
                          "quotas.websocketConnectsPerSecond (500)")
    parse(with_value(raw, "quotas.websocketConnectsPerSecond", 1000), "iot")
    parse(with_value(iot(), "websocketApi.connectThrottle.rateLimit", 500), "iot")  # at the quota: allowed


def test_routes_per_tenant_count_against_the_route_and_integration_quotas():
    # 2 routes x 3 tenants = 6.
    assert "6 routes, more than quotas.routesPerApi (5)" in error(with_value(iot(), "quotas.routesPerApi", 5))
    assert "6 integrations (one per tenant route) exceed quotas.integrationsPerHttpApi (5)" in error(
        with_value(iot(), "quotas.integrationsPerHttpApi", 5))


def test_too_many_usage_plans_for_the_quota():
    assert "api.usagePlans: 2 usage plans exceed quotas.usagePlans (1)" in error(
        with_value(iot(), "quotas.usagePlans", 1))


def test_tenant_list_must_fit_the_authorizer_environment():
    raw = iot()
    raw["tenants"] = [{"name": f"tenant-{i:04d}-{'x' * 28}", "tier": "standard"} for i in range(100)]
    raw["httpApi"] = None  # 100 tenants would also exceed the HTTP API's route quota
    for tier in raw["tiers"]:
        tier.pop("httpThrottle", None)  # nothing to throttle without the HTTP API
    assert error(raw).startswith("Pulumi.iot.yaml: tenants: 100 tenant names take ")
    assert error(raw).endswith("bytes of the WebSocket authorizer's environment; Lambda allows 4096")
    raw["tenants"] = raw["tenants"][:80]
    assert len(parse(raw, "iot").tenants) == 80


def test_the_authorizer_environment_is_measured_as_lambda_measures_it():
    """Lambda measures the variables as the JSON object it keeps them in ({"KEY":"value",...}): the quotes, colons,
    commas and braces count, 25 bytes for the authorizer's 4 variables."""
    raw = iot()
    raw["httpApi"] = None  # 96 tenants would also exceed the HTTP API's route quota
    for tier in raw["tiers"]:
        tier.pop("httpThrottle", None)  # nothing to throttle without the HTTP API
    # 96 names of 40 characters: keys and values alone are 4095 bytes; as Lambda measures them, 4120.
    raw["tenants"] = [{"name": f"tenant-{i:03d}-{'x' * 29}", "tier": "standard"} for i in range(96)]
    assert error(raw) == ("Pulumi.iot.yaml: tenants: 96 tenant names take 4120 bytes of the WebSocket authorizer's "
                          "environment; Lambda allows 4096")
    raw["tenants"][-1]["name"] = raw["tenants"][-1]["name"][:16]  # 24 bytes less: 4096
    assert len(parse(raw, "iot").tenants) == 96


def test_http_api_needs_the_service_connect_plane():
    # The iot file keeps no App Mesh settings: the image App Mesh needs first, then the HTTP API it cannot take.
    raw = with_value(iot(), "mesh.dataPlane", "appmesh")
    assert error(raw) == "Pulumi.iot.yaml: mesh.envoyImage: is required"
    raw = with_value(raw, "mesh.envoyImage", "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod")
    assert error(raw) == ("Pulumi.iot.yaml: httpApi: needs mesh.dataPlane serviceconnect (its ALB ingress); the "
                          "appmesh ingress cannot take HTTP API private integrations")


def test_tenants_must_fit_the_metric_filters_a_log_group_allows():
    raw = iot()
    raw["httpApi"] = None  # 101 tenants would also exceed the HTTP API's route quota
    for tier in raw["tiers"]:
        tier.pop("httpThrottle", None)  # nothing to throttle without the HTTP API
    raw["tenants"] = [{"name": f"t{i}", "tier": "standard"} for i in range(101)]
    assert error(raw) == ("Pulumi.iot.yaml: tenants: 101 tenants need 101 metric filters (one each) on every API "
                          "access log group; CloudWatch Logs allows 100 per log group")
    raw["tenants"] = raw["tenants"][:100]
    assert len(parse(raw, "iot").tenants) == 100


def test_reserved_concurrency_must_leave_the_unreserved_hundred_aws_requires():
    # One number caps both functions (authorizer, connection handler): 2 x 451 = 902 > 1000 - 100.
    assert error(with_value(iot(), "websocketApi.reservedConcurrency", 451)) == (
        "Pulumi.iot.yaml: websocketApi.reservedConcurrency: authorizer 451 + connections 451 = 902 reserved, more "
        "than quotas.lambdaConcurrency (1000) minus the 100 AWS keeps unreserved")
    both = parse(with_value(iot(), "websocketApi.reservedConcurrency", 450), "iot").websocket_api.reserved_concurrency
    assert (both.authorizer, both.connections) == (450, 450)
    # Each its own: the sum is what the account holds back.
    assert error(with_value(iot(), "websocketApi.reservedConcurrency", {"authorizer": 101, "connections": 800})) == (
        "Pulumi.iot.yaml: websocketApi.reservedConcurrency: authorizer 101 + connections 800 = 901 reserved, more "
        "than quotas.lambdaConcurrency (1000) minus the 100 AWS keeps unreserved")
    each = {"authorizer": 100, "connections": 800}
    each = parse(with_value(iot(), "websocketApi.reservedConcurrency", each), "iot").websocket_api.reserved_concurrency
    assert (each.authorizer, each.connections) == (100, 800)
    # An account with a raised quota may reserve more; one below AWS's floor is not a quota at all.
    raised = with_value(with_value(iot(), "websocketApi.reservedConcurrency", 451), "quotas.lambdaConcurrency", 2000)
    assert parse(raised, "iot").quotas.lambda_concurrency == 2000
    assert error(with_value(iot(), "quotas.lambdaConcurrency", 100)) == (
        "Pulumi.iot.yaml: quotas.lambdaConcurrency: 100 is not above the 100 AWS keeps unreserved")


def test_a_stack_with_a_websocket_api_declares_its_accounts_lambda_concurrency():
    # New accounts have less than AWS's default, so the default is no evidence the reservation fits.
    raw = with_value(iot(), "quotas.lambdaConcurrency", DELETE)
    assert error(raw) == ("Pulumi.iot.yaml: quotas.lambdaConcurrency: is required with websocketApi: its functions "
                          "reserve concurrency, and new accounts have less than AWS's default 1000 (Service Quotas, "
                          "L-B99A9384)")
    raw["websocketApi"] = None
    assert parse(raw, "iot").websocket_api is None


def test_every_tenants_http_metric_filter_pattern_must_fit_cloudwatch_logs_length():
    raw = iot()
    routes = [{"method": "GET", "path": f"/data/readings-of-every-sensor-{i:02d}", "service": "data-service"}
              for i in range(16)]
    raw["httpApi"]["routes"] = routes
    # The longest tenant (initech) has the longest pattern: 16 exact route keys joined by "||".
    assert error(raw) == ("Pulumi.iot.yaml: httpApi.routes: 16 routes make tenant initech's metric filter pattern "
                          "1056 characters; CloudWatch Logs allows 1024")
    raw["httpApi"]["routes"] = routes[:15]
    assert len(parse(raw, "iot").http_api.routes) == 15


def test_an_empty_lambda_concurrency_is_no_answer_to_websocket_apis_question():
    """`lambdaConcurrency:` with no value used to pass as present, then default to the 1000 the check asks about."""
    assert error(with_value(iot(), "quotas.lambdaConcurrency", None)) == (
        "Pulumi.iot.yaml: quotas.lambdaConcurrency: is required with websocketApi: its functions reserve concurrency, "
        "and new accounts have less than AWS's default 1000 (Service Quotas, L-B99A9384)")


def test_the_longest_mapping_key_api_gateway_takes_fits():
    assert parse(with_value(iot(), "httpApi.mappingKey", "v2/" + "s" * 297), "iot").http_api.mapping_key.endswith("s")


@pytest.mark.parametrize("key,rest", [
    ("v1/dev", "v1/devices"),  # a prefix as text, not a whole segment: /v1/devices goes to the HTTP API
    ("v1/data", "v1/data"),
    ("v1/commands/x", "v1/commands"),  # part of the REST API's /commands/{proxy+}
])
def test_a_mapping_key_leaves_the_rest_api_its_paths(key, rest):
    """API Gateway sends a request to the mapping with the longest matching prefix, compared as text."""
    assert error(with_value(iot(), "httpApi.mappingKey", key)) == (
        f"Pulumi.iot.yaml: httpApi.mappingKey: {key} would take https://api.iot.example.com/{rest} requests from the "
        f"REST API: API Gateway sends each request to the mapping with the longest matching prefix")


@pytest.mark.parametrize("key", ["v1/stream", "v1/devicesx", "v", "v2/devices", "v1/datax"])
def test_a_mapping_key_beside_the_rest_apis_paths_is_taken(key):
    assert parse(with_value(iot(), "httpApi.mappingKey", key), "iot").http_api.mapping_key == key


def test_a_mapping_key_needs_the_domain_it_maps_under():
    assert error(with_value(iot(), "api.domain", DELETE)) == (
        "Pulumi.iot.yaml: httpApi.mappingKey: only applies under api.domain, where the HTTP API is mapped")
    assert parse(with_value(with_value(iot(), "api.domain", DELETE), "httpApi.mappingKey", DELETE), "iot").api.domain \
        is None


def test_a_websocket_domain_in_the_zone_may_leave_its_certificate_to_the_stack():
    raw = with_value(with_value(iot(), "dns", {"zoneName": "iot.example.com"}), "websocketApi.domain.certificateArn",
                     DELETE)
    domain = parse(with_value(raw, "websocketApi.domain.mappingKey", "v1"), "iot").websocket_api.domain
    assert domain == WebsocketDomainConfig(name="devices.iot.example.com", certificate_arn=None, mapping_key="v1")
    # The zone's apex is in the zone (a review found it refused).
    apex = parse(with_value(raw, "websocketApi.domain.name", "iot.example.com"), "iot").websocket_api.domain
    assert apex.name == "iot.example.com" and apex.certificate_arn is None
    assert error(with_value(raw, "websocketApi.domain.name", "devices.example.com")) == (
        "Pulumi.iot.yaml: websocketApi.domain.name: devices.example.com is not in the DNS zone iot.example.com "
        "(dns.zoneName), so the stack cannot validate its certificate or point it at the endpoint")
    # ACM names the host in the certificate it issues, and takes at most 64 characters.
    long = "d" * 49 + ".iot.example.com"
    assert error(with_value(raw, "websocketApi.domain.name", long)) == (
        f"Pulumi.iot.yaml: websocketApi.domain.name: {long} is 65 characters; the certificate the stack requests for "
        f"it names it, and ACM takes at most 64 (or give a certificateArn)")


def test_without_a_websocket_domain_devices_use_the_execute_api_name():
    assert parse(with_value(iot(), "websocketApi.domain", DELETE), "iot").websocket_api.domain is None


def test_the_connection_table_variable_is_the_platforms_in_secrets_too():
    """ECS refuses a container whose secret and environment variable share a name, and the platform sets this one."""
    raw = with_value(iot(), "services[4].secrets", {"CONNECTIONS_TABLE": "arn:aws:ssm:us-east-1:111122223333:parameter/t"})
    assert error(raw) == ("Pulumi.iot.yaml: services[4].secrets.CONNECTIONS_TABLE: is set by the platform for "
                          "websocketApi.commandService (the connection table's name)")


@pytest.mark.parametrize("arn", ["arn:aws:secretsmanager:us-east-1:111122223333:secret",
                                 "arn:aws:secretsmanager:us-east-1:111122223333:secret:",
                                 "arn:aws:secretsmanager:us-east-1:111122223333:secret:iot/key-AbCdEf:token::"])
def test_the_signing_secret_is_a_whole_secret_arn(arn):
    raw = iot()
    raw["websocketApi"]["signingSecretArn"] = arn
    assert error(raw) == (f"Pulumi.iot.yaml: websocketApi.signingSecretArn: {arn!r} is not a Secrets Manager secret ARN "
                          f"(arn:aws:secretsmanager:<region>:<account>:secret:<name>)")


@pytest.mark.parametrize("key,arn", [
    ("signingSecretArn", "arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:iot/key-AbCdEf"),
    ("signingSecretKmsKey", "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
])
def test_the_signing_secret_and_its_key_are_of_the_stacks_partition(key, arn):
    """The authorizer's role grants them as written; IAM refuses another partition's ARN in its policy."""
    raw = iot()
    raw["websocketApi"][key] = arn
    assert error(raw) == (f"Pulumi.iot.yaml: websocketApi.{key}: is in the aws-us-gov partition, and the stack's is "
                          f"aws: IAM refuses another partition's ARN in the policy that grants it "
                          f"(MalformedPolicyDocument); use the aws partition's")


def test_the_signing_secrets_key_is_a_key_arn():
    raw = iot()
    raw["websocketApi"]["signingSecretKmsKey"] = "arn:aws:kms:us-east-1:111122223333:alias/device-keys"
    assert error(raw) == ("Pulumi.iot.yaml: websocketApi.signingSecretKmsKey: 'arn:aws:kms:us-east-1:111122223333:"
                          "alias/device-keys' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; IAM does "
                          "not match an alias ARN when a key is used)")


def test_a_jwt_issuer_fits_api_gateways_2048_characters():
    from components.config.devices import JWT_ISSUER_MAX_CHARS
    from tools import apicheck

    shape = apicheck.service_model("apigatewayv2").shape_for("JWTConfiguration").members["Issuer"]
    assert shape.name == f"UriWithLengthBetween1And{JWT_ISSUER_MAX_CHARS}"  # the model states it in the name alone
    long = "https://example.com/" + "a" * 2100
    assert error(with_value(iot(), "httpApi.auth.issuer", long)) == (
        f"Pulumi.iot.yaml: httpApi.auth.issuer: is {len(long)} characters; API Gateway takes an issuer of at most 2048")


def test_the_signing_secrets_key_is_in_the_secrets_region():
    """Secrets Manager encrypts a secret with a key of its own region; a key elsewhere was accepted, and its grant
    could never apply (a bad-input review)."""
    key = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert error(with_value(iot(), "websocketApi.signingSecretKmsKey", key)) == (
        "Pulumi.iot.yaml: websocketApi.signingSecretKmsKey: is in us-west-2, and the secret (signingSecretArn) in "
        "us-east-1: Secrets Manager encrypts a secret with a key of its own region")
    same = key.replace("us-west-2", "us-east-1")
    websocket = parse(with_value(iot(), "websocketApi.signingSecretKmsKey", same), "iot").websocket_api
    assert websocket.signing_secret_kms_key == same


def test_settings_that_would_do_nothing_are_refused():
    # Both were taken without a word (a bad-input review): a tier's HTTP throttle with no HTTP API, and an empty
    # basePaths, which became [v1].
    no_http = with_value(with_value(iot(), "httpApi", DELETE), "websocketApi", DELETE)
    assert error(no_http) == ("Pulumi.iot.yaml: tiers[0].httpThrottle: throttles a tier's HTTP API routes, and this "
                              "stack has no httpApi: remove it, or add the httpApi")
    assert error(with_value(iot(), "api.domain.basePaths", [])) == (
        "Pulumi.iot.yaml: api.domain.basePaths: is empty: list the versions to map (leave it out for v1)")
