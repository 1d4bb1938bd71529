"""The iot stack's device WebSocket API, its Lambda functions, connection store and tenants (offline preview)."""
from __future__ import annotations

import json
import re

import pytest

from tests.conftest import parse, preview, raw_config
from tests.test_policies_support import ADVISORY_EVERYWHERE
from tools.mockrun import api_gateway_domain_name

WS = "iot-device-ws"
ACCOUNT = "123456789012"
TABLE = "iot-iot-connections"  # naming.connection_table_name: the table ARN names it, not the resource


@pytest.fixture(scope="module")
def iot(iot_preview):
    return iot_preview


def policy(r, name):
    return json.loads(r.get("aws:iam/rolePolicy:RolePolicy", name).inputs["policy"])["Statement"]


def test_iot_stack_previews_clean_with_its_five_services_and_device_api(iot):
    assert iot.exit_code == 0 and iot.mandatory == []
    # Only findings advisory by design (an App Mesh stack's VPC link V1, its NLB-fed gateway admitting a CIDR).
    assert {v.policy for v in iot.advisory} <= ADVISORY_EVERYWHERE
    services = {r.inputs["name"] for r in iot.find("aws:ecs/service:Service")}
    for service in ("device-service", "ingest-service", "data-service", "analytics-service", "command-service"):
        assert any(name.startswith(f"iot-{service}-") for name in services), (service, services)
    assert iot.outputs["deviceConnectionTable"] == "iot-iot-connections"
    assert iot.outputs["deviceHttpUrl"] == "https://api.iot.example.com/v1/stream"
    assert set(iot.outputs["tenantApiKeyIds"]["secret"]) == {"acme", "globex", "initech"}


# The brief's fleet: a million devices, one telemetry message each a minute (docs/capacity.md).
FLEET_TELEMETRY_PER_SECOND = 1_000_000 / 60


def test_the_tenants_telemetry_routes_together_carry_the_fleet_and_the_device_check_scales_with_intake(iot):
    # Each tenant route's own throttle is its limit (the stage default bounds none of them): telemetry gets
    # through only if the tenants' telemetry routes add up to the fleet's rate.
    stage = iot.get("aws:apigatewayv2/stage:Stage", "iot-device-http-stage").inputs
    telemetry = {s["routeKey"]: s["throttlingRateLimit"] for s in stage["routeSettings"]
                 if s["routeKey"].endswith("/ingest/telemetry")}
    assert sorted(telemetry) == [f"POST /{t}/ingest/telemetry" for t in ("acme", "globex", "initech")]
    assert sum(telemetry.values()) >= 1.2 * FLEET_TELEMETRY_PER_SECOND
    # ingest-service asks device-service about every message: the two scale over the same range.
    ranges = {t.inputs["resourceId"].split("/")[2].rsplit("-", 1)[0]: (t.inputs["minCapacity"], t.inputs["maxCapacity"])
              for t in iot.find("aws:appautoscaling/target:Target")}
    assert ranges["iot-device-service"] == ranges["iot-ingest-service"] == (12, 60)


def test_only_connect_carries_the_lambda_request_authorizer(iot):
    authorizer = iot.get("aws:apigatewayv2/authorizer:Authorizer", f"{WS}-authorizer").inputs
    assert authorizer["authorizerType"] == "REQUEST"
    assert authorizer["identitySources"] == ["route.request.header.Authorization"]
    assert authorizer["authorizerUri"].endswith(":function:iot-iot-ws-authorizer/invocations")
    routes = {r.inputs["routeKey"]: r.inputs for r in iot.find("aws:apigatewayv2/route:Route")
              if r.inputs["apiId"] == f"{WS}-api-id"}
    assert set(routes) == {"$connect", "$disconnect", "$default", "ack"}
    assert routes["$connect"]["authorizationType"] == "CUSTOM"
    assert routes["$connect"]["authorizerId"] == f"{WS}-authorizer-id"
    # A WebSocket API authorizes only $connect; the other routes run on the authorized connection.
    assert all(routes[k]["authorizationType"] == "NONE" for k in ("$disconnect", "$default", "ack"))
    assert {k: r["target"] for k, r in routes.items()} == {
        "$connect": f"integrations/{WS}-connections-id", "$disconnect": f"integrations/{WS}-connections-id",
        "ack": f"integrations/{WS}-connections-id", "$default": f"integrations/{WS}-keep-alive-id"}
    integration = iot.get("aws:apigatewayv2/integration:Integration", f"{WS}-connections").inputs
    # A WebSocket API's Lambda integration must say POST (AWS's IntegrationMethod docs); botocore does not require it.
    assert (integration["integrationType"], integration["integrationMethod"]) == ("AWS_PROXY", "POST")
    assert integration["integrationUri"].endswith(":function:iot-iot-ws-connections/invocations")


def test_keep_alives_are_answered_by_api_gateway_not_a_function(iot):
    """$default (keep-alives, unknown actions: about 1,850/s at a million devices) gets a MOCK integration's
    200: no invocation, and no IntegrationError for the API's error-rate alarm (a Lambda's 400 was one)."""
    mock = iot.get("aws:apigatewayv2/integration:Integration", f"{WS}-keep-alive").inputs
    assert mock["integrationType"] == "MOCK" and "integrationUri" not in mock
    # The selection expression is the literal key, escaped; the template under it sets the status.
    assert mock["templateSelectionExpression"] == "\\$default"
    assert json.loads(mock["requestTemplates"][mock["templateSelectionExpression"].lstrip("\\")]) == {"statusCode": 200}
    route = next(r.inputs for r in iot.find("aws:apigatewayv2/route:Route")
                 if r.inputs["apiId"] == f"{WS}-api-id" and r.inputs["routeKey"] == "$default")
    assert "routeResponseSelectionExpression" not in route  # one-way: nothing goes back to the device


def test_the_ack_route_answers_the_device_through_a_route_response(iot):
    """Without a route response a route is one-way and API Gateway drops what the function returns: a device
    would never hear that its ack was refused."""
    routes = {r.inputs["routeKey"]: r for r in iot.find("aws:apigatewayv2/route:Route")
              if r.inputs["apiId"] == f"{WS}-api-id"}
    # A message's `action` picks its route (`{"action": "ack", ...}`); anything else goes to $default.
    api = iot.get("aws:apigatewayv2/api:Api", f"{WS}-api").inputs
    assert (api["protocolType"], api["routeSelectionExpression"]) == ("WEBSOCKET", "$request.body.action")
    replies = {r.inputs["routeId"]: r.inputs for r in iot.find("aws:apigatewayv2/routeResponse:RouteResponse")}
    assert routes["ack"].inputs["routeResponseSelectionExpression"] == "$default"
    assert replies == {f"{WS}-route-ack-id": {
        "apiId": f"{WS}-api-id", "routeId": f"{WS}-route-ack-id", "routeResponseKey": "$default"}}
    # $connect answers by accepting or refusing, nothing goes back on $disconnect, and $default (keep-alives)
    # stays one-way, or every keep-alive would cost a reply.
    assert all("routeResponseSelectionExpression" not in routes[k].inputs for k in ("$connect", "$disconnect", "$default"))
    stage = iot.get("aws:apigatewayv2/stage:Stage", f"{WS}-stage")
    assert {r.urn for r in iot.find("aws:apigatewayv2/routeResponse:RouteResponse")} <= set(stage.dependencies)


def test_api_gateway_may_invoke_each_function_only_from_this_api(iot):
    permissions = {p.name: p.inputs for p in iot.find("aws:lambda/permission:Permission")}
    api = f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{WS}-api-id"
    assert permissions[f"{WS}-authorizer-invoke"]["sourceArn"] == f"{api}/authorizers/{WS}-authorizer-id"
    assert permissions[f"{WS}-connections-invoke"]["sourceArn"] == f"{api}/iot/*"
    assert {p["principal"] for p in permissions.values()} == {"apigateway.amazonaws.com"}


def test_stage_logs_tenant_and_device_as_json_and_throttles_connects_below_the_quota(iot):
    stage = iot.get("aws:apigatewayv2/stage:Stage", f"{WS}-stage").inputs
    fields = _logged_fields(stage["accessLogSettings"]["format"])
    assert fields["tenantId"] == "$context.authorizer.tenantId"
    assert fields["deviceId"] == "$context.authorizer.deviceId"
    group = iot.get("aws:cloudwatch/logGroup:LogGroup", f"{WS}-access-logs").inputs["name"]
    assert stage["accessLogSettings"]["destinationArn"] == f"arn:aws:logs:us-east-1:123456789012:log-group:{group}"
    # Keep-alives (about 1,850/s on $default) use under two thirds of each route's default.
    assert stage["defaultRouteSettings"]["throttlingRateLimit"] == 3000
    assert stage["defaultRouteSettings"]["throttlingBurstLimit"] == 1500
    assert stage["routeSettings"] == [{"routeKey": "$connect", "throttlingRateLimit": 450, "throttlingBurstLimit": 500,
                                       "loggingLevel": "ERROR", "detailedMetricsEnabled": True}]
    logs = iot.get("aws:cloudwatch/logGroup:LogGroup", f"{WS}-access-logs").inputs
    assert logs["retentionInDays"] == 365


def test_execution_logs_go_to_a_group_made_first_with_a_retention(iot):
    # Logging level ERROR makes API Gateway write API-Gateway-Execution-Logs_<api id>/<stage>; made by API
    # Gateway itself, that group would keep its logs forever.
    group = iot.get("aws:cloudwatch/logGroup:LogGroup", f"{WS}-execution-logs")
    assert group.inputs["name"] == f"API-Gateway-Execution-Logs_{WS}-api-id/iot"
    # Named after the stage: its logs outlive a renamed stage rather than protect refusing the rename.
    assert group.inputs["retentionInDays"] == 365 and group.retain_on_delete and not group.protect
    assert group.urn in iot.get("aws:apigatewayv2/stage:Stage", f"{WS}-stage").dependencies


@pytest.mark.parametrize("group", [f"{WS}-access-logs", f"{WS}-execution-logs", "iot-device-http-access-logs",
                                   f"{WS}-authorizer-logs", f"{WS}-connections-logs"])
def test_device_api_log_groups_are_protected_twice_in_a_protected_stack(iot, group):
    # Pulumi's protect stops `pulumi destroy` (retain_on_delete keeps a stage-named group's logs instead);
    # AWS's deletion protection stops everyone else.
    log_group = iot.get("aws:cloudwatch/logGroup:LogGroup", group)
    assert (log_group.protect or log_group.retain_on_delete) and log_group.inputs["deletionProtectionEnabled"] is True


def test_connection_table_is_kms_encrypted_with_ttl_and_protected(iot):
    table = iot.get("aws:dynamodb/table:Table", f"{WS}-connections")
    # Device ids are unique within a tenant only: keyed by both, one tenant's device never takes another's item.
    assert (table.inputs["hashKey"], table.inputs["rangeKey"]) == ("tenantId", "deviceId")
    assert table.inputs["attributes"] == [{"name": "tenantId", "type": "S"}, {"name": "deviceId", "type": "S"}]
    assert table.inputs["ttl"] == {"attributeName": "expiresAt", "enabled": True}
    assert table.inputs["serverSideEncryption"] == {
        "enabled": True, "kmsKeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{WS}-table-key-id"}
    assert table.protect and table.inputs["deletionProtectionEnabled"] is True
    # A new key schema (ForceNew) under the fixed name: delete first, or AWS refuses the new table.
    assert table.delete_before_replace is True
    assert iot.get("aws:kms/key:Key", f"{WS}-table-key").inputs["enableKeyRotation"] is True


@pytest.mark.parametrize("function,source,env", [
    # A device token may claim to live at most 24 h (websocketApi.maxTokenHours' default).
    # The token is read where API Gateway requires it (websocketApi.identitySource), and nowhere else.
    ("authorizer", "device_authorizer", {"ALLOWED_TENANTS": "acme,globex,initech", "MAX_TOKEN_SECONDS": "86400",
                                         "SIGNING_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:"
                                                               "iot/device-token-signing-AbCdEf",
                                         "IDENTITY_SOURCE": "header"}),
    ("connections", "connections", {}),
])
def test_functions_are_packaged_from_the_repo_traced_capped_and_log_to_their_own_group(iot, function, source, env):
    function_resource = iot.get("aws:lambda/function:Function", f"{WS}-{function}-function")
    fn = function_resource.inputs
    assert fn["name"] == f"iot-iot-ws-{function}"
    assert fn["runtime"] == "python3.13" and fn["handler"] == "handler.handler"
    assert fn["tracingConfig"] == {"mode": "Active"}
    assert fn["reservedConcurrentExecutions"] == 250
    # The authorizer's secret read gives up (2 attempts of 1 + 1 s, and a back-off) before the function times out.
    assert fn["timeout"] == {"authorizer": 8, "connections": 10}[function]
    # JSON lines: Logs Insights reads their fields (level, requestId) without parsing text.
    assert fn["loggingConfig"] == {"logFormat": "JSON", "logGroup": f"/aws/lambda/iot-iot-ws-{function}"}
    assert env.items() <= fn["environment"]["variables"].items()
    archive = fn["code"]
    assert list(archive["assets"]) == ["handler.py"]
    assert archive["assets"]["handler.py"]["path"].endswith(f"lambdas/{source}/handler.py")
    group = iot.get("aws:cloudwatch/logGroup:LogGroup", f"{WS}-{function}-logs")
    assert group.inputs == {**group.inputs, "name": f"/aws/lambda/iot-iot-ws-{function}", "retentionInDays": 365}
    # Created once its group exists and its role may write to it: the function reads the role's ARN, not the role's
    # inline policy, and a first invocation before that policy would lose its log lines and traces.
    role_policy = iot.get("aws:iam/rolePolicy:RolePolicy", f"{WS}-{function}-role")
    assert {role_policy.urn, group.urn} <= set(function_resource.dependencies)


def test_authorizer_role_reads_only_the_signing_secret(iot):
    statements = policy(iot, f"{WS}-authorizer-role")
    assert [(s["Sid"], s["Action"], s["Resource"]) for s in statements] == [
        ("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
         [f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/iot-iot-ws-authorizer:*"]),
        ("Traces", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]),
        ("SigningKey", ["secretsmanager:GetSecretValue"],
         ["arn:aws:secretsmanager:us-east-1:111122223333:secret:iot/device-token-signing-AbCdEf"]),
    ]


def test_a_partial_signing_secret_arn_is_granted_with_the_suffix_wildcard():
    """As written, a secret ARN without Secrets Manager's random suffix matches no secret in IAM."""
    partial = "arn:aws:secretsmanager:us-east-1:111122223333:secret:iot/device-token-signing"
    result = preview("iot", config_overrides=[f"websocketApi.signingSecretArn={partial}"])
    (signing,) = [s for s in policy(result, f"{WS}-authorizer-role") if s["Sid"] == "SigningKey"]
    assert signing["Resource"] == [f"{partial}-??????"]
    function = result.get("aws:lambda/function:Function", f"{WS}-authorizer-function").inputs
    assert function["environment"]["variables"]["SIGNING_SECRET_ARN"] == partial  # GetSecretValue takes it as is


def test_a_signing_secret_under_a_customer_key_is_decrypted_through_secrets_manager_only():
    key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    result = preview("iot", config_overrides=[f"websocketApi.signingSecretKmsKey={key}"])
    statements = {s["Sid"]: s for s in policy(result, f"{WS}-authorizer-role")}
    assert statements["SigningKeyDecrypt"] == {
        "Sid": "SigningKeyDecrypt", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [key],
        "Condition": {"StringEquals": {"kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com"]}}}
    assert "SigningKeyDecrypt" not in {s["Sid"] for s in policy(preview("iot"), f"{WS}-authorizer-role")}


def test_connections_role_writes_only_the_connection_table(iot):
    statements = {s["Sid"]: s for s in policy(iot, f"{WS}-connections-role")}
    assert set(statements) == {"OwnLogs", "Traces", "ConnectionItems", "TableKey"}
    assert statements["ConnectionItems"]["Action"] == ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"]
    assert statements["ConnectionItems"]["Resource"] == [f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{TABLE}"]
    assert statements["TableKey"] == table_key_statement("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey")


def table_key_statement(*actions: str) -> dict:
    """The table key's grant, through DynamoDB only."""
    return {"Sid": "TableKey", "Effect": "Allow", "Action": list(actions),
            "Resource": [f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{WS}-table-key-id"],
            "Condition": {"StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}}}


def test_only_the_command_service_may_post_to_this_stage_connections(iot):
    grants = [p for p in iot.find("aws:iam/rolePolicy:RolePolicy")
              if "execute-api:ManageConnections" in p.inputs.get("policy", "")]
    # The role's auto-name.
    role = iot.get("aws:iam/role:Role", "iot-command-service-sc-task")
    assert [g.inputs["role"] for g in grants] == [role.inputs["name"]]
    statements = {s["Sid"]: s for s in json.loads(grants[0].inputs["policy"])["Statement"]}
    stage = f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{WS}-api-id/iot"
    assert statements["PushToDevices"]["Action"] == ["execute-api:ManageConnections"]
    assert statements["PushToDevices"]["Resource"] == [f"{stage}/POST/@connections/*", f"{stage}/DELETE/@connections/*",
                                                       f"{stage}/GET/@connections/*"]
    assert statements["FindConnection"] == {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Sid": "FindConnection",
                                            "Resource": [f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{TABLE}"]}
    assert statements["TableKey"] == table_key_statement("kms:Decrypt")  # it reads the table, never writes it
    assert set(statements) == {"PushToDevices", "FindConnection", "TableKey"}


def test_the_preview_gives_the_websocket_url_the_provider_would(iot):
    """Without a domain, devices are handed this URL: the provider builds it from the API's protocol, id, region
    and stage."""
    assert without_domain()[0].outputs["deviceWebsocketUrl"] == (
        f"wss://{WS}-api-id.execute-api.us-east-1.amazonaws.com/iot")


DOMAIN, WS_DOMAIN = "aws:apigatewayv2/domainName:DomainName", "devices.iot.example.com"
MAPPING, RECORD = "aws:apigatewayv2/apiMapping:ApiMapping", "aws:route53/record:Record"


def without_domain():
    """The iot stack without websocketApi.domain, and what differs from the stack as it is."""
    from tests.conftest import preview

    return preview("iot", config_overrides=["websocketApi.domain=null"]), {
        (DOMAIN, f"{WS}-domain"), (MAPPING, f"{WS}-mapping")}


def test_devices_connect_to_the_stacks_own_regional_domain_mapped_to_the_stage(iot):
    domain = iot.get(DOMAIN, f"{WS}-domain")
    assert domain.inputs["domainName"] == WS_DOMAIN and domain.protect
    assert domain.inputs["domainNameConfiguration"] == {
        "certificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/3e8b1d4f-6a2c-4d7e-9f1b-5c0a2e4d6f8a",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2"}
    mapping = iot.get(MAPPING, f"{WS}-mapping").inputs
    assert mapping == {"apiId": f"{WS}-api-id", "domainName": WS_DOMAIN, "stage": f"{WS}-stage-id"}
    # No Deployment resource: the stage deploys each route change itself, or it would serve none.
    assert iot.get("aws:apigatewayv2/stage:Stage", f"{WS}-stage").inputs["autoDeploy"] is True
    assert not [d for d in iot.find("aws:apigatewayv2/deployment:Deployment") if d.inputs["apiId"] == f"{WS}-api-id"]
    # The firmware's URL: the mapping is at the root, and the API's id is in no part of it.
    assert iot.outputs["deviceWebsocketUrl"] == f"wss://{WS_DOMAIN}/"
    # No zone in iot: its DNS record is the operator's to point here.
    assert (iot.outputs["deviceWebsocketDomainTarget"], iot.outputs["deviceWebsocketDomainZoneId"]) == (
        api_gateway_domain_name(f"{WS}-domain", "us-east-1"), "Z1UJRXOUMOOFQ8")
    assert not iot.find(RECORD)


def test_the_execute_api_endpoint_stays_on_for_the_command_services_pushes(iot):
    """@connections is served on the execute-api host (the callbackUrl the connection function stores) and the
    command service's egress allows only that domain: disabling the endpoint would stop every push."""
    api = iot.get("aws:apigatewayv2/api:Api", f"{WS}-api").inputs
    assert not api.get("disableExecuteApiEndpoint")
    allowed = iot.get("aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList",
                      "iot-egress-dns-allowed").inputs["domains"]
    assert "*.execute-api.us-east-1.amazonaws.com." in allowed and f"{WS_DOMAIN}." not in allowed


def test_with_a_zone_the_domain_gets_an_issued_certificate_an_alias_and_its_mapping_key():
    from tests.conftest import preview

    zone = "Z0WSDOMAINTEST1"
    r = preview("iot", config_overrides=[f"dns.hostedZoneId={zone}", "websocketApi.domain.certificateArn=null",
                                         "websocketApi.domain.mappingKey=v1"])
    certificate = r.get("aws:acm/certificate:Certificate", "iot-dns-ws-domain").inputs
    assert (certificate["domainName"], certificate["validationMethod"]) == (WS_DOMAIN, "DNS")
    validation = r.get("aws:acm/certificateValidation:CertificateValidation", "iot-dns-ws-domain").inputs
    assert validation["validationRecordFqdns"] == [f"_0123456789abcdef.{WS_DOMAIN}"]
    domain = r.get(DOMAIN, f"{WS}-domain").inputs["domainNameConfiguration"]
    assert domain["certificateArn"] == validation["certificateArn"]
    alias = r.get(RECORD, "iot-dns-ws-domain-alias").inputs
    assert (alias["zoneId"], alias["name"], alias["type"]) == (zone, WS_DOMAIN, "A")
    assert alias["aliases"] == [{"name": api_gateway_domain_name(f"{WS}-domain", "us-east-1"),
                                 "zoneId": "Z1UJRXOUMOOFQ8", "evaluateTargetHealth": False}]
    assert r.get(MAPPING, f"{WS}-mapping").inputs["apiMappingKey"] == "v1"
    assert r.outputs["deviceWebsocketUrl"] == f"wss://{WS_DOMAIN}/v1"
    assert r.mandatory == [] and r.advisory == []


def test_without_a_domain_nothing_but_the_domain_changes(iot):
    bare, domain_resources = without_domain()
    assert bare.mandatory == [] and bare.advisory == []
    assert not bare.find(DOMAIN) and [m.name for m in bare.find(MAPPING)] == ["iot-device-http-mapping"]
    assert {(r.type, r.name) for r in iot.resources} - {(r.type, r.name) for r in bare.resources} == domain_resources
    assert {(r.type, r.name): r.inputs for r in bare.resources} == {
        (r.type, r.name): r.inputs for r in iot.resources if (r.type, r.name) not in domain_resources}
    outputs = {k: v for k, v in iot.outputs.items() if not k.startswith("deviceWebsocketDomain")}
    assert {**outputs, "deviceWebsocketUrl": bare.outputs["deviceWebsocketUrl"]} == bare.outputs


def test_a_websocket_domain_on_the_rest_apis_name_stops_the_preview_with_one_line():
    from tools.preview import run_preview

    r = run_preview("iot", config_overrides=["websocketApi.domain.name=api.iot.example.com"])
    assert r.exit_code == 2
    assert r.error == (
        "Pulumi.iot.yaml with --config websocketApi.domain.name: websocketApi.domain.name: api.iot.example.com is "
        "api.domain.name (the REST API's custom domain); API Gateway cannot map a WebSocket API to the same custom "
        "domain as a REST or HTTP API")


@pytest.mark.parametrize("protocol,stage,url", [
    ("WEBSOCKET", "live", "wss://api-id.execute-api.eu-west-1.amazonaws.com/live"),
    ("HTTP", "v1", "https://api-id.execute-api.eu-west-1.amazonaws.com/v1"),
    ("HTTP", "$default", "https://api-id.execute-api.eu-west-1.amazonaws.com/")])
def test_a_v2_stage_is_given_the_invoke_url_of_its_apis_protocol(protocol, stage, url):
    from tools.mockrun import PreviewMocks

    mocks = PreviewMocks("eu-west-1", unknown_outputs=False)
    api_id, _ = mocks.added_outputs("aws:apigatewayv2/api:Api", "api", True, {"protocolType": protocol})
    _, outputs = mocks.added_outputs("aws:apigatewayv2/stage:Stage", "stage", True, {"apiId": api_id, "name": stage})
    assert outputs["invokeUrl"] == url
    assert outputs["executionArn"] == f"arn:aws:execute-api:eu-west-1:123456789012:api-id/{stage}"
    # Another program's API: its protocol is the provider's to read, so the URL is left out, not guessed.
    _, outputs = mocks.added_outputs("aws:apigatewayv2/stage:Stage", "other", True, {"apiId": "abc123", "name": stage})
    assert "invokeUrl" not in outputs


@pytest.mark.parametrize("unknown", [False, True])
def test_a_v2_domain_gets_the_endpoint_its_alias_names_inside_the_block_the_program_gave(unknown):
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    block = {"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/c", "endpointType": "REGIONAL"}
    _, outputs = PreviewMocks("eu-west-1", unknown_outputs=unknown).added_outputs(
        "aws:apigatewayv2/domainName:DomainName", "ws", True,
        {"domainName": "ws.example.com", "domainNameConfiguration": block})
    target, zone = (rpc.UNKNOWN, rpc.UNKNOWN) if unknown else (api_gateway_domain_name("ws", "eu-west-1"),
                                                                 "ZLY8HYME6SFDD")
    assert outputs["domainNameConfiguration"] == {**block, "targetDomainName": target, "hostedZoneId": zone}


def test_the_command_service_is_told_which_table_holds_the_connections(iot):
    table = iot.get("aws:dynamodb/table:Table", f"{WS}-connections").inputs["name"]
    definitions = {r.inputs["family"]: json.loads(r.inputs["containerDefinitions"])
                   for r in iot.find("aws:ecs/taskDefinition:TaskDefinition")}
    environments = {family: next(c for c in containers if c["name"] == "app").get("environment", [])
                    for family, containers in definitions.items()}
    assert environments.pop("iot-command-service-sc") == [{"name": "CONNECTIONS_TABLE", "value": table}]
    assert not any(v["name"] == "CONNECTIONS_TABLE" for env in environments.values() for v in env)


def test_the_command_service_table_variable_is_the_platforms_to_set():
    from components.config import ConfigError
    from tests.conftest import parse, raw_config

    raw = raw_config("iot")
    index = next(i for i, s in enumerate(raw["services"]) if s["name"] == raw["websocketApi"]["commandService"])
    raw["services"][index]["environment"] = {"CONNECTIONS_TABLE": "mine"}
    with pytest.raises(ConfigError) as caught:
        parse(raw, "iot")
    assert str(caught.value) == (f"Pulumi.iot.yaml: services[{index}].environment.CONNECTIONS_TABLE: is set by the "
                                 f"platform for websocketApi.commandService (the connection table's name)")


def test_each_tenant_key_joins_its_tier_usage_plan(iot):
    bindings = {k.name: k for k in iot.find("aws:apigateway/usagePlanKey:UsagePlanKey")
                if k.name.startswith("iot-tenants-key-")}
    # A tenant changing tier moves its key to another plan: the old link goes first (one plan per stage).
    assert all(b.delete_before_replace is True for b in bindings.values())
    assert {name: (b.inputs["keyId"], b.inputs["usagePlanId"]) for name, b in bindings.items()} == {
        "iot-tenants-key-acme": ("iot-tenants-key-acme-id", "iot-api-plan-enterprise-id"),
        "iot-tenants-key-globex": ("iot-tenants-key-globex-id", "iot-api-plan-standard-id"),
        "iot-tenants-key-initech": ("iot-tenants-key-initech-id", "iot-api-plan-standard-id"),
    }
    keys = [k for k in iot.find("aws:apigateway/apiKey:ApiKey") if k.name.startswith("iot-tenants-key-")]
    assert len(keys) == 3 and all(k.inputs["enabled"] is True for k in keys)
    key = iot.get("aws:apigateway/apiKey:ApiKey", "iot-tenants-key-acme")
    assert key.protect and "value" not in key.inputs


def test_per_tenant_query_reads_the_device_api_logs(iot):
    query = iot.get("aws:cloudwatch/queryDefinition:QueryDefinition", "iot-tenants-per-tenant").inputs
    assert query["name"] == "iot/device-apis/requests-per-tenant"
    assert query["logGroupNames"] == ["/iot/apigateway/iot-iot-http-api/access", "/iot/apigateway/iot-iot-ws-api/access"]
    assert "by tenant" in query["queryString"] and "tenantId" in query["queryString"]
    # A refused $connect logs tenantId "-" (no authorizer context): not a tenant.
    assert '| filter ispresent(tenant) and tenant != "-"\n' in query["queryString"]


def test_the_per_tenant_latency_reads_a_field_each_device_api_logs():
    """A WebSocket stage can log no $context.responseLatency: averaging that field alone left its tenants'
    latency blank. Each device API's format must carry the first field the query's coalesce finds."""
    from components import http_api, tenants, websocket_api
    latency = re.search(r"coalesce\(([^)]*)\) as latencyMs", tenants.TENANT_QUERY).group(1).split(", ")
    assert "avg(latencyMs)" in tenants.TENANT_QUERY
    firsts = {kind: next((f for f in latency if f in _logged_fields(fmt)), None)
              for kind, fmt in (("http", http_api.ACCESS_LOG_FORMAT), ("ws", websocket_api.ACCESS_LOG_FORMAT))}
    assert firsts == {"http": "responseLatency", "ws": "integrationLatency"}
    assert _logged_fields(websocket_api.ACCESS_LOG_FORMAT)["integrationLatency"] == "$context.integrationLatency"


def test_dashboard_has_the_per_tenant_table_over_the_device_api_logs(iot):
    body = json.loads(iot.get("aws:cloudwatch/dashboard:Dashboard", "iot-observability-dashboard").inputs["dashboardBody"])
    tables = [w for w in body["widgets"] if w["type"] == "log"]
    assert len(tables) == 1
    query = tables[0]["properties"]["query"]
    assert query.startswith("SOURCE '/iot/apigateway/iot-iot-http-api/access' | "
                            "SOURCE '/iot/apigateway/iot-iot-ws-api/access' | fields ")
    assert "coalesce(tenantId, routeTenant) as tenant" in query and "by tenant" in query


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_dev_and_prod_have_no_device_apis(request, stack):
    result = request.getfixturevalue(f"{stack}_preview")
    # The ingress's VPC link V2 is an apigatewayv2 resource too, and the Service Connect plane's restart function
    # a Lambda function (with its invocation); no device API, function or table is.
    assert not [r for r in result.resources if r.type.startswith(("aws:apigatewayv2/", "aws:lambda/", "aws:dynamodb/"))
                and r.type != "aws:apigatewayv2/vpcLink:VpcLink" and "-late-callers-" not in r.name]
    assert "deviceWebsocketUrl" not in result.outputs
    body = json.loads(result.find("aws:cloudwatch/dashboard:Dashboard")[0].inputs["dashboardBody"])
    assert [w for w in body["widgets"] if w["type"] == "log"] == []
    assert not [w for w in body["widgets"] if w["properties"].get("title", "").startswith("Device")]


def test_the_overview_graphs_the_device_apis_their_functions_and_table(iot):
    """The dashboards are made before the device APIs, whose metrics key on ApiId: their stage's metrics are found
    by a SEARCH on the stage's name; the functions' and table's by the names the stack gives them."""
    body = json.loads(iot.get("aws:cloudwatch/dashboard:Dashboard", "iot-observability-dashboard").inputs["dashboardBody"])
    graphs = {w["properties"]["title"]: w["properties"]["metrics"] for w in body["widgets"] if w["type"] == "metric"}
    stage = iot.get("aws:apigatewayv2/stage:Stage", "iot-device-http-stage").inputs["name"]

    def searched(title):
        found = [re.fullmatch(r"SEARCH\('\{AWS/ApiGateway,ApiId,Stage\} MetricName=\"(\w+)\" Stage=\"(\w+)\"', "
                              r"'(\w+)', 60\)", line[0]["expression"]) for line in graphs[title]]
        assert all(found) and {m[2] for m in found} == {stage}
        # Each series names its API: the search can find another API with a stage of that name.
        assert [line[0]["label"] for line in graphs[title]] == [f"{m[1]} ${{PROP('Dim.ApiId')}}" for m in found]
        return [(m[1], m[3]) for m in found]

    assert searched("Device HTTP API (stage iot): requests, 4xx, 5xx") == [("Count", "Sum"), ("4xx", "Sum"),
                                                                           ("5xx", "Sum")]
    assert searched("Device HTTP API (stage iot): latency p99 (ms)") == [("Latency", "p99")]
    assert [m for m, _ in searched("Device WebSocket API (stage iot): connects, messages, errors")] == [
        "ConnectCount", "MessageCount", "ClientError", "ExecutionError", "IntegrationError"]
    functions = {f.inputs["name"] for f in iot.find("aws:lambda/function:Function")}
    table = iot.get("aws:dynamodb/table:Table", f"{WS}-connections").inputs["name"]
    lines = graphs["Device functions: errors and throttles; connection table: throttled writes"]
    assert {(line[1], line[3]) for line in lines if line[0] == "AWS/Lambda"} == {
        (m, f) for f in functions for m in ("Errors", "Throttles")}
    assert [line[:4] for line in lines if line[0] == "AWS/DynamoDB"] == [
        ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", table]]


@pytest.mark.parametrize("stack,overwrites", [("iot", True), ("prod", False)])
def test_with_tenants_every_rest_integration_sets_the_caller_headers_itself(request, stack, overwrites):
    # The services read the tenant from x-tenant-id, as the HTTP API sets it; a REST caller's own value must not
    # reach them through the proxy integration (the ALB and its path rules are the same). REST knows a caller by
    # its API key only: no tenant, and the key's id.
    result = request.getfixturevalue(f"{stack}_preview")
    integrations = result.find("aws:apigateway/integration:Integration")
    proxied = [i for i in integrations if i.inputs["type"] == "HTTP_PROXY"]
    assert proxied and len(proxied) == len([m for m in result.find("aws:apigateway/method:Method")
                                            if m.inputs["httpMethod"] != "OPTIONS"])
    for integration in proxied:
        mapped = {k: v for k, v in (integration.inputs.get("requestParameters") or {}).items() if "header" in k}
        assert mapped == ({"integration.request.header.x-tenant-id": "'-'",
                           "integration.request.header.x-api-key-id": "context.identity.apiKeyId"}
                          if overwrites else {}), integration.name


def test_http_api_reaches_the_alb_ingress_listener_through_its_vpc_link(iot):
    # The AlbIngress's HTTPS listener and VPC link V2 (the same ones the REST API uses).
    [listener] = iot.find("aws:lb/listener:Listener")
    [link] = iot.find("aws:apigatewayv2/vpcLink:VpcLink")
    assert (listener.name, link.name) == ("iot-ingress-https", "iot-ingress-link")
    integrations = iot.find("aws:apigatewayv2/integration:Integration")
    private = [i.inputs for i in integrations if i.inputs.get("connectionType") == "VPC_LINK"]
    assert len(private) == 6  # 2 routes x 3 tenants
    assert {i["integrationUri"] for i in private} == {listener.state_struct["arn"]}
    assert {i["connectionId"] for i in private} == {"iot-ingress-link-id"}
    assert {i["tlsConfig"]["serverNameToVerify"] for i in private} == {"ingress.iot.example.com"}
    routes = [r.inputs for r in iot.find("aws:apigatewayv2/route:Route") if " /" in r.inputs["routeKey"]]
    assert len(routes) == 6 and {r["authorizationType"] for r in routes} == {"JWT"}
    mapping = iot.get("aws:apigatewayv2/apiMapping:ApiMapping", "iot-device-http-mapping").inputs
    assert mapping["apiMappingKey"] == "v1/stream" and mapping["domainName"] == "api.iot.example.com"


def test_the_management_rest_api_and_what_is_named_after_it_carry_its_configured_name(iot):
    api = "iot-device-management-api"
    rest = iot.get("aws:apigateway/restApi:RestApi", "iot-api-api").inputs
    assert rest["name"] == api and "e-commerce" not in rest["description"]
    assert {p.inputs["name"] for p in iot.find("aws:apigateway/usagePlan:UsagePlan")} == {
        f"{api}-standard", f"{api}-enterprise"}
    assert {k.inputs["name"] for k in iot.find("aws:apigateway/apiKey:ApiKey")} == {
        f"{api}-operations-console", f"{api}-tenant-acme", f"{api}-tenant-globex", f"{api}-tenant-initech"}
    assert iot.get("aws:cloudwatch/logGroup:LogGroup", "iot-api-access-logs").inputs["name"] == \
        f"/iot/apigateway/{api}/access"
    assert iot.get("aws:wafv2/webAcl:WebAcl", "iot-api-waf").inputs["name"] == f"{api}-waf"
    assert iot.get("aws:cognito/userPool:UserPool", "iot-api-auth-users").inputs["name"] == \
        "iot-device-management-users"
    # The alarms and the dashboard read AWS/ApiGateway under the name the API really has.
    alarms = {a.inputs["name"]: a.inputs for a in iot.find("aws:cloudwatch/metricAlarm:MetricAlarm")
              if a.name.startswith("iot-api-")}
    assert set(alarms) == {f"{api}-5xx-rate", f"{api}-4xx-rate", f"{api}-p99-latency"}
    assert alarms[f"{api}-p99-latency"]["dimensions"] == {"ApiName": api, "Stage": "iot"}
    body = json.loads(iot.get("aws:cloudwatch/dashboard:Dashboard", "iot-observability-dashboard").inputs["dashboardBody"])
    api_lines = [m for w in body["widgets"] if w["type"] == "metric" for m in w["properties"]["metrics"]
                 if m[0] == "AWS/ApiGateway"]
    assert api_lines and {tuple(m[2:6]) for m in api_lines} == {("ApiName", api, "Stage", "iot")}
    assert "ecommerce" not in json.dumps([r.inputs for r in iot.resources])


FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
TENANTS = ("acme", "globex", "initech")


def _logged_fields(access_log_format: str) -> dict:
    """The JSON field -> `$context` variable map an access log format writes (REST quotes all but one value)."""
    return {k: v for k, v in json.loads(access_log_format.replace(":$context.error.messageString", ':""')).items()}


def _equalities(pattern: str) -> list[tuple[str, str]]:
    """The (field, exact value) pairs of a JSON filter pattern that is one equality or an `||` of them."""
    condition = r'\$\.(\w+) = "([^"*]+)"'
    one, any_of = rf"\{{ {condition} \}}", rf"\{{ \({condition}\)( \|\| \({condition}\))* \}}"
    assert re.fullmatch(one, pattern) or re.fullmatch(any_of, pattern), pattern
    return re.findall(condition, pattern)


def test_every_api_logs_json_lines_with_the_error_message_quoted_by_api_gateway(iot):
    """`$context.error.messageString` is the message as a JSON string; `"$context.error.message"` broke the line
    whenever an error message held a quote."""
    stages = [s for s in iot.find("aws:apigatewayv2/stage:Stage")] + iot.find("aws:apigateway/stage:Stage")
    formats = {s.name: s.inputs["accessLogSettings"]["format"] for s in stages}
    assert len(formats) == 3, sorted(formats)
    for name, fmt in formats.items():
        assert fmt.endswith(',"errorMessage":$context.error.messageString}'), name
        assert "$context.error.message\"" not in fmt and '"$context.error.message"' not in fmt, name
        # With the variable's own quotes, every line is one JSON object.
        assert json.loads(fmt.replace("$context.error.messageString", '"message with a \\" quote"')), name


def test_each_tenant_has_a_request_filter_on_every_api_access_log_feeding_one_metric(iot):
    filters = {f.name: f.inputs for f in iot.find(FILTER)}
    assert set(filters) == {f"iot-tenants-{t}-{kind}-requests" for t in TENANTS for kind in ("rest", "http", "ws")}
    groups = {"rest": "iot-api-access-logs", "http": "iot-device-http-access-logs", "ws": f"{WS}-access-logs"}
    for tenant in TENANTS:
        for kind, group in groups.items():
            f = filters[f"iot-tenants-{tenant}-{kind}-requests"]
            # Through the log group's own output: the filter is created after the group it reads.
            assert f["logGroupName"] == iot.get("aws:cloudwatch/logGroup:LogGroup", group).inputs["name"]
            assert f["name"] == f"{tenant}-requests"
            assert f["metricTransformation"] == {"namespace": "iot/TenantRequests", "name": tenant, "value": "1",
                                                 "unit": "Count"}
    assert filters["iot-tenants-acme-rest-requests"]["pattern"] == '{ $.apiKeyId = "iot-tenants-key-acme-id" }'
    # Exact route keys: AWS documents no wildcard inside a quoted value.
    assert filters["iot-tenants-acme-http-requests"]["pattern"] == (
        '{ ($.routeKey = "POST /acme/ingest/telemetry") || ($.routeKey = "GET /acme/data/{proxy+}") }')
    assert filters["iot-tenants-acme-ws-requests"]["pattern"] == '{ $.tenantId = "acme" }'


def test_each_filter_reads_a_field_its_api_really_logs_with_the_tenant_in_it(iot):
    from components import api, http_api, websocket_api
    logged = {"rest": _logged_fields(api.ACCESS_LOG_FORMAT), "http": _logged_fields(http_api.ACCESS_LOG_FORMAT),
              "ws": _logged_fields(websocket_api.ACCESS_LOG_FORMAT)}
    source = {"rest": "$context.identity.apiKeyId", "http": "$context.routeKey", "ws": "$context.authorizer.tenantId"}
    for f in iot.find(FILTER):
        kind = f.name.split("-")[-2]
        for field, _ in _equalities(f.inputs["pattern"]):
            assert logged[kind][field] == source[kind], (f.name, field)
    # The HTTP pattern names exactly its tenant's route keys, never another tenant's.
    route_keys = [r.inputs["routeKey"] for r in iot.find("aws:apigatewayv2/route:Route")
                  if r.inputs["apiId"] == "iot-device-http-api-id"]
    for tenant in TENANTS:
        values = [v for _, v in _equalities(iot.get(FILTER, f"iot-tenants-{tenant}-http-requests").inputs["pattern"])]
        assert sorted(values) == sorted(k for k in route_keys if k.split()[1].startswith(f"/{tenant}/"))
        assert len(values) == 2


def test_dashboard_graphs_each_tenant_requests_next_to_the_per_tenant_table(iot):
    body = json.loads(iot.get("aws:cloudwatch/dashboard:Dashboard", "iot-observability-dashboard").inputs["dashboardBody"])
    graphs = [w for w in body["widgets"] if w["properties"].get("title", "").startswith("Requests per tenant")]
    assert len(graphs) == 1
    assert graphs[0]["properties"]["metrics"] == [["iot/TenantRequests", t, {"stat": "Sum", "period": 300}]
                                                  for t in TENANTS]
    table = next(w for w in body["widgets"] if w["type"] == "log")
    assert body["widgets"].index(table) == body["widgets"].index(graphs[0]) + 1


def test_every_websocket_function_reserves_the_concurrency_the_config_check_counts(iot):
    from components.naming import WEBSOCKET_FUNCTIONS
    reserved = [f.inputs["reservedConcurrentExecutions"] for f in iot.find("aws:lambda/function:Function")]
    counted = parse(raw_config("iot"), "iot").websocket_api.reserved_concurrency.total
    assert len(reserved) == len(WEBSOCKET_FUNCTIONS) and sum(reserved) == counted == 500


def test_each_websocket_function_can_reserve_its_own_concurrency():
    r = preview("iot", config_overrides=["websocketApi.reservedConcurrency=null",
                                         "websocketApi.reservedConcurrency.authorizer=30",
                                         "websocketApi.reservedConcurrency.connections=250"])
    reserved = {f.name: f.inputs["reservedConcurrentExecutions"] for f in r.find("aws:lambda/function:Function")}
    assert reserved == {f"{WS}-authorizer-function": 30, f"{WS}-connections-function": 250}


def test_the_connections_functions_cap_carries_a_reconnect_storm_and_acks_at_the_stages_limit(iot):
    """It serves $connect (at its route throttle), $disconnect (as many as connect, in a reconnect storm) and ack (up
    to the stage's default throttle): at about 50 ms a call (docs/capacity.md), its reserved concurrency carries
    them together, or a burst of acks is throttled and holds up reconnects on the same function. (A mass disconnect,
    every device at once, may pass it: docs/capacity.md says what then.)"""
    connections = iot.get("aws:lambda/function:Function", f"{WS}-connections-function")
    invoked = f":function:{connections.inputs['name']}/invocations"
    (integration,) = [i for i in iot.find("aws:apigatewayv2/integration:Integration")
                      if i.inputs.get("integrationUri", "").endswith(invoked)]
    served = [r.inputs["routeKey"] for r in iot.find("aws:apigatewayv2/route:Route")
              if r.inputs.get("target") == f"integrations/{integration.name}-id"]
    assert sorted(served) == ["$connect", "$disconnect", "ack"]
    (stage,) = [s for s in iot.find("aws:apigatewayv2/stage:Stage") if s.inputs["apiId"] == integration.inputs["apiId"]]
    default_rate = stage.inputs["defaultRouteSettings"]["throttlingRateLimit"]
    connect_rate = next(s["throttlingRateLimit"] for s in stage.inputs["routeSettings"] if s["routeKey"] == "$connect")
    routes = {s["routeKey"] for s in stage.inputs["routeSettings"]}
    assert not {"ack", "$disconnect"} & routes  # both at the stage's default (else count their own rates here)
    calls_per_second = connect_rate * 2 + default_rate
    assert connections.inputs["reservedConcurrentExecutions"] >= calls_per_second * 0.050
