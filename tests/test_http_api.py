"""The device HTTP API (components/http_api.py) through a throwaway program with literal ingress values."""
from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from tools.preview import run_preview

PROGRAM = ROOT / "tests" / "programs" / "device_http_api"
LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/iot-ingress/0123456789abcdef/fedcba9876543210"
TENANTS = {"acme": (14000, 5000), "globex": (3000, 1500), "initech": (3000, 1500)}
ROUTES = {"POST /{t}/ingest/telemetry": "/ingest/telemetry", "GET /{t}/data/{{proxy+}}": "/data/$request.path.proxy"}


@pytest.fixture(scope="module")
def http():
    result = run_preview("test", PROGRAM, ROOT / "policies", ROOT / "policies" / "config" / "iot.json")
    assert result.error is None, result.error
    return result


def expected_keys():
    return {key.format(t=tenant) for tenant in TENANTS for key in ROUTES}


CLIENTS = {"acme": "4f1c2b7d9e0a3c5b6d8e1f2a3b", "globex": "7a9c1e3b5d7f9a1c3e5b7d9f1a",
           "initech": "2b4d6f8a0c2e4a6c8e0b2d4f6a"}


def test_each_tenants_routes_take_its_own_clients_tokens_with_the_tenant_scope(http):
    """A token of one tenant's client fails every other tenant's authorizer, whatever scopes the issuer gave it."""
    authorizers = {a.name: a.inputs for a in http.find("aws:apigatewayv2/authorizer:Authorizer")}
    assert set(authorizers) == {f"device-http-{tenant}-jwt" for tenant in TENANTS}
    for tenant, client in CLIENTS.items():
        authorizer = authorizers[f"device-http-{tenant}-jwt"]
        assert authorizer["name"] == f"device-jwt-{tenant}"
        assert authorizer["authorizerType"] == "JWT"
        assert authorizer["identitySources"] == ["$request.header.Authorization"]
        assert authorizer["jwtConfiguration"] == {
            "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_IoTDev1ce", "audiences": [client]}
    # The first tenant's is the shared authorizer earlier versions made, updated in place: the API never holds
    # more authorizers than tenants.
    shared = http.get("aws:apigatewayv2/authorizer:Authorizer", "device-http-acme-jwt")
    assert shared.aliases == [shared.urn.replace("device-http-acme-jwt", "device-http-jwt")]
    assert [a.aliases for a in http.find("aws:apigatewayv2/authorizer:Authorizer") if a is not shared] == [[], []]
    routes = {r.inputs["routeKey"]: r.inputs for r in http.find("aws:apigatewayv2/route:Route")}
    assert set(routes) == expected_keys()
    for key, route in routes.items():
        tenant = key.split("/")[1]
        assert route["authorizationType"] == "JWT" and route["authorizerId"] == f"device-http-{tenant}-jwt-id"
        assert route["authorizationScopes"] == [f"iot/tenant.{tenant}"]


def test_a_route_inserted_first_leaves_every_other_route_and_integration_as_it_was(http):
    """A route key is unique in the API: were resources named by their place in the list, an insertion
    would move each later route onto the key the next one still holds (ConflictException)."""
    inserted = run_preview("test", PROGRAM, config_overrides=["firstRoute=POST /ingest/alerts ingest-service"])
    assert inserted.error is None, inserted.error

    def by_urn(result, kind):
        return {r.urn: r.inputs for r in result.find(f"aws:apigatewayv2/{kind}")}

    for kind in ("route:Route", "integration:Integration"):
        before, after = by_urn(http, kind), by_urn(inserted, kind)
        assert {urn: after[urn] for urn in before} == before  # same resources, same inputs
        assert len(after) == len(before) + len(TENANTS)
    route = http.get("aws:apigatewayv2/route:Route", "device-http-acme-post/ingest/telemetry")
    assert route.inputs["routeKey"] == "POST /acme/ingest/telemetry"
    assert route.aliases == [route.urn.replace("-post/ingest/telemetry", "-0")]  # its name before


def test_integrations_go_privately_to_the_alb_listener_over_tls_with_the_tenant_set_by_the_route(http):
    routes = {r.inputs["routeKey"]: r.inputs for r in http.find("aws:apigatewayv2/route:Route")}
    integrations = {f"integrations/{i.name}-id": i.inputs for i in http.find("aws:apigatewayv2/integration:Integration")}
    assert len(integrations) == len(routes) == 6
    for key, route in routes.items():
        tenant = key.split("/")[1]
        integration = integrations[route["target"]]
        assert integration["integrationType"] == "HTTP_PROXY"
        assert integration["connectionType"] == "VPC_LINK" and integration["connectionId"] == "vpclink-0123abc"
        assert integration["integrationUri"] == LISTENER
        assert integration["integrationMethod"] == key.split(" ")[0]
        assert integration["tlsConfig"] == {"serverNameToVerify": "ingress.iot.example.com"}
        assert integration["timeoutMilliseconds"] == 29000
        template = next(k for k in ROUTES if k.format(t=tenant) == key)
        # The tenant is the route's, and no client names an API key id the REST API would have set.
        assert integration["requestParameters"] == {"overwrite:path": ROUTES[template],
                                                    "overwrite:header.x-tenant-id": tenant,
                                                    "remove:header.x-api-key-id": "''"}


def test_stage_throttles_by_default_and_each_tenant_route_by_its_tier(http):
    stage = http.get("aws:apigatewayv2/stage:Stage", "device-http-stage")
    inputs = stage.inputs
    assert inputs["name"] == "iot" and inputs["autoDeploy"] is True
    assert inputs["defaultRouteSettings"] == {"throttlingRateLimit": 20000, "throttlingBurstLimit": 5000,
                                              "detailedMetricsEnabled": True}
    settings = {s["routeKey"]: (s["throttlingRateLimit"], s["throttlingBurstLimit"], s["detailedMetricsEnabled"])
                for s in inputs["routeSettings"]}
    assert settings == {key.format(t=t): (*TENANTS[t], True) for t in TENANTS for key in ROUTES}
    # Route settings name route keys, so the stage waits for every route.
    route_urns = {r.urn for r in http.find("aws:apigatewayv2/route:Route")}
    assert route_urns <= set(stage.dependencies)


def test_stage_writes_json_access_logs_with_the_route_key_naming_the_tenant(http):
    stage = http.get("aws:apigatewayv2/stage:Stage", "device-http-stage").inputs
    # The error message stands unquoted (components/api_logs.py): a JSON string once API Gateway fills it in.
    fields = json.loads(stage["accessLogSettings"]["format"].replace(":$context.error.messageString", ':"msg"'))
    assert fields["routeKey"] == "$context.routeKey" and fields["status"] == "$context.status"
    assert fields["clientId"] == "$context.authorizer.claims.client_id"
    group = http.get("aws:cloudwatch/logGroup:LogGroup", "device-http-access-logs")
    assert stage["accessLogSettings"]["destinationArn"] == \
        f"arn:aws:logs:us-east-1:123456789012:log-group:{group.inputs['name']}"
    assert group.inputs["name"] == "/iot/apigateway/iot-iot-http-api/access"
    assert group.inputs["retentionInDays"] == 365 and group.protect


def test_mapped_on_the_custom_domain_under_the_version_path(http):
    mapping = http.get("aws:apigatewayv2/apiMapping:ApiMapping", "device-http-mapping").inputs
    assert mapping == {**mapping, "domainName": "api.iot.example.com", "apiMappingKey": "v1/stream",
                       "stage": "device-http-stage-id", "apiId": "device-http-api-id"}
    assert http.get("aws:apigatewayv2/api:Api", "device-http-api").inputs["disableExecuteApiEndpoint"] is True
    assert http.outputs["invokeUrl"] == "https://api.iot.example.com/v1/stream"


def test_passes_the_pack_including_route_authorization_and_stage_throttling(http):
    assert http.mandatory == [] and http.advisory == []
