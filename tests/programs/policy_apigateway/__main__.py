"""Raw API Gateway resources: a bare stage (no logs, tracing, usage plan or WAF), a half-configured one,
open methods, integrations that skip TLS verification or call their backend in plain HTTP, TLS 1.0 domains, usage
plans without limits; plus correct ones, matched to their stage by links or by name."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
# A REST API's own TLS floor (unset, a Regional or edge-optimized API takes TLS 1.0); the TLS cases below leave
# it out or weaken it.
API_TLS = "TLS_1_2"
FORMAT = json.dumps({"requestId": "$context.requestId", "status": "$context.status"})
LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/api/access"

api = aws.apigateway.RestApi("api", name="shop-api", tags=TAGS, security_policy=API_TLS)
resource = aws.apigateway.Resource("orders", rest_api=api.id, parent_id=api.root_resource_id, path_part="orders")
validator = aws.apigateway.RequestValidator("validator", rest_api=api.id, name="body", validate_request_body=True)


def method(name, http_method, **args):
    return aws.apigateway.Method(name, rest_api=api.id, resource_id=resource.id, http_method=http_method, **args)


# --- methods -------------------------------------------------------------------------------------
method("open-method", "GET", authorization="NONE")
method("options-method", "OPTIONS", authorization="NONE")
method("keyed-method", "POST", authorization="NONE", api_key_required=True, request_validator_id="abc123")
authorizer = aws.apigateway.Authorizer("authorizer", rest_api=api.id, type="COGNITO_USER_POOLS",
                                       provider_arns=["arn:aws:cognito-idp:us-east-1:123456789012:userpool/x"])
# Validator and authorizer ids are unknown in a first preview; they are still set.
secured = method("secured-method", "PUT", authorization="COGNITO_USER_POOLS", authorizer_id=authorizer.id,
                 request_validator_id=validator.id)

# --- integrations --------------------------------------------------------------------------------
LINK = "vpclink-123"
aws.apigateway.Integration("insecure-integration", rest_api=api.id, resource_id=resource.id, http_method="GET",
                           type="HTTP_PROXY", integration_http_method="GET", uri="https://ingress.shop.local/",
                           connection_type="VPC_LINK", connection_id=LINK,
                           tls_config={"insecure_skip_verification": True})
aws.apigateway.Integration("verified-integration", rest_api=api.id, resource_id=resource.id, http_method="PUT",
                           type="HTTP_PROXY", integration_http_method="PUT", uri="https://ingress.shop.local/",
                           connection_type="VPC_LINK", connection_id=LINK,
                           tls_config={"insecure_skip_verification": False})
# Plain HTTP to the backend: through a VPC link V2 to an NLB, and to a public host (a custom HTTP integration).
aws.apigateway.Integration("plain-integration", rest_api=api.id, resource_id=resource.id, http_method="POST",
                           type="HTTP_PROXY", integration_http_method="POST", uri="http://internal-orders.shop.local/",
                           connection_type="VPC_LINK", connection_id=LINK,
                           integration_target="arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/"
                                              "orders/50dc6c495c0c9188")
aws.apigateway.Integration("plain-public-integration", rest_api=api.id, resource_id=resource.id,
                           http_method="DELETE", type="HTTP", integration_http_method="DELETE",
                           uri="HTTP://orders.shop.example.com/orders")
deployment = aws.apigateway.Deployment("deployment", rest_api=api.id,
                                       opts=pulumi.ResourceOptions(depends_on=[secured]))
cert = aws.apigateway.ClientCertificate("client-cert", tags=TAGS)


def stage(name, **args):
    return aws.apigateway.Stage(f"{name}-stage", rest_api=api.id, deployment=deployment.id, stage_name=name,
                                tags=TAGS, **args)


# --- a bare stage: nothing configured anywhere ---------------------------------------------------
bare = stage("bare")

# --- a half-configured stage (its cache on, unencrypted) ------------------------------------------
partial = stage("partial", xray_tracing_enabled=True, client_certificate_id=cert.id,
                access_log_settings={"destination_arn": LOG_GROUP, "format": ""}, cache_cluster_enabled=True)
aws.apigateway.MethodSettings("partial-settings", rest_api=api.id, stage_name=partial.stage_name, method_path="*/*",
                              settings={"logging_level": "OFF", "metrics_enabled": False, "data_trace_enabled": True})
# One method's own settings turn caching on, unencrypted.
aws.apigateway.MethodSettings("cached-settings", rest_api=api.id, stage_name=partial.stage_name,
                              method_path="~1health/GET",
                              settings={"logging_level": "INFO", "metrics_enabled": True, "caching_enabled": True})
# Two settings for one method of the partial stage, one linked and one naming it: whichever runs last wins.
for copy, stage_name in (("twice-a", partial.stage_name), ("twice-b", "partial")):
    aws.apigateway.MethodSettings(f"{copy}-settings", rest_api=api.id, stage_name=stage_name,
                                  method_path="~1orders/GET",
                                  settings={"logging_level": "INFO", "metrics_enabled": True})
aws.apigateway.UsagePlan("no-limits-plan", name="no-limits", tags=TAGS,
                         api_stages=[{"api_id": api.id, "stage": partial.stage_name}])
aws.apigateway.UsagePlan("throttle-only-plan", name="throttle-only", tags=TAGS,
                         throttle_settings={"rate_limit": 10, "burst_limit": 20})
acl = aws.wafv2.WebAcl("acl", name="acl", scope="REGIONAL", tags=TAGS, default_action={"allow": {}},
                       visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "acl",
                                          "sampled_requests_enabled": True})
aws.wafv2.WebAclAssociation("partial-acl", resource_arn=partial.arn, web_acl_arn=acl.arn)
# A second web ACL, logged (to a bucket in another program: WAF takes an S3 ARN named aws-waf-logs-*).
# The first web ACL has no rules: it only applies its default action. The second has a rule, counted in CloudWatch.
logged_acl = aws.wafv2.WebAcl("logged-acl", name="logged-acl", scope="REGIONAL", tags=TAGS,
                              default_action={"allow": {}}, visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "logged-acl",
                                                 "sampled_requests_enabled": True},
                              rules=[{"name": "rate", "priority": 0, "action": {"block": {}},
                                      "statement": {"rate_based_statement": {"limit": 1000,
                                                                             "aggregate_key_type": "IP"}},
                                      "visibility_config": {"cloudwatch_metrics_enabled": True, "metric_name": "rate",
                                                            "sampled_requests_enabled": True}}])
# A rule group whose rule CloudWatch does not count.
aws.wafv2.RuleGroup("uncounted-group", name="uncounted", scope="REGIONAL", capacity=10, tags=TAGS,
                    visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "uncounted",
                                       "sampled_requests_enabled": True},
                    rules=[{"name": "bad-agents", "priority": 0, "action": {"block": {}},
                            "statement": {"byte_match_statement": {
                                "positional_constraint": "CONTAINS", "search_string": "badbot",
                                "field_to_match": {"single_header": {"name": "user-agent"}},
                                "text_transformations": [{"priority": 0, "type": "LOWERCASE"}]}},
                            "visibility_config": {"cloudwatch_metrics_enabled": False, "metric_name": "bad-agents",
                                                  "sampled_requests_enabled": True}}])
aws.wafv2.WebAclLoggingConfiguration("logged-acl-logging", resource_arn=logged_acl.arn,
                                     log_destination_configs=["arn:aws:s3:::aws-waf-logs-shop"])

# --- a correct stage, tied to its settings, plan and web ACL by name rather than by link -------------
good = stage("good", xray_tracing_enabled=True, client_certificate_id=cert.id,
             access_log_settings={"destination_arn": LOG_GROUP, "format": FORMAT}, cache_cluster_enabled=True,
             cache_cluster_size="0.5")
aws.apigateway.MethodSettings("good-settings", rest_api=api.id, stage_name="good", method_path="*/*",
                              settings={"logging_level": "INFO", "metrics_enabled": True, "data_trace_enabled": False,
                                        "caching_enabled": True, "cache_data_encrypted": True,
                                        "throttling_rate_limit": 100, "throttling_burst_limit": 200})
aws.apigateway.UsagePlan("good-plan", name="good", tags=TAGS, api_stages=[{"api_id": api.id, "stage": "good"}],
                         throttle_settings={"rate_limit": 50, "burst_limit": 100},
                         quota_settings={"limit": 10000, "period": "DAY"},
                         opts=pulumi.ResourceOptions(depends_on=[good]))
aws.wafv2.WebAclAssociation("good-acl", web_acl_arn=acl.arn, resource_arn=api.id.apply(
    lambda api_id: f"arn:aws:apigateway:us-east-1::/restapis/{api_id}/stages/good"),
    # Waiting for the bare stage does not protect it: the ARN names the stage.
    opts=pulumi.ResourceOptions(depends_on=[bare]))

# --- custom domains ------------------------------------------------------------------------------
CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
aws.apigateway.DomainName("tls10-domain", domain_name="old.shop.example.com", regional_certificate_arn=CERT_ARN,
                          endpoint_configuration={"types": "REGIONAL"}, security_policy="TLS_1_0", tags=TAGS)
aws.apigateway.DomainName("implicit-domain", domain_name="implicit.shop.example.com",
                          regional_certificate_arn=CERT_ARN, endpoint_configuration={"types": "REGIONAL"}, tags=TAGS)
aws.apigateway.DomainName("tls13-domain", domain_name="api.shop.example.com", regional_certificate_arn=CERT_ARN,
                          endpoint_configuration={"types": "REGIONAL"}, security_policy="SecurityPolicy_TLS13_1_3_2025_09",
                          endpoint_access_mode="STRICT", tags=TAGS)
# An HTTP or WebSocket API's domain: its policy sits in domainNameConfiguration (TLS_1_0 or TLS_1_2).
for name, policy in (("v2-tls10-domain", "TLS_1_0"), ("v2-tls12-domain", "TLS_1_2")):
    aws.apigatewayv2.DomainName(name, domain_name=f"{name}.shop.example.com", tags=TAGS, domain_name_configuration={
        "certificate_arn": CERT_ARN, "endpoint_type": "REGIONAL", "security_policy": policy})
# A REST API's own policy, which API Gateway negotiates with even through a domain: TLS 1.0 written, left to AWS's
# default (TLS 1.0 for a Regional or edge-optimized API), or asked for in an OpenAPI body (also on a RestApiPut);
# a private API's default (TLS 1.2), and an enhanced policy in a body.
TLS_SPEC = {"openapi": "3.0.1", "info": {"title": "tls", "version": "1"}, "paths": {}}
aws.apigateway.RestApi("tls10-api", name="tls10", tags=TAGS, security_policy="TLS_1_0",
                       endpoint_configuration={"types": "REGIONAL"})
aws.apigateway.RestApi("implicit-api", name="implicit", tags=TAGS, endpoint_configuration={"types": "REGIONAL"})
aws.apigateway.RestApi("implicit-edge-api", name="implicit-edge", tags=TAGS)
aws.apigateway.RestApi("tls10-body-api", name="tls10-body", tags=TAGS, body=json.dumps(
    {**TLS_SPEC, "x-amazon-apigateway-security-policy": "TLS_1_0"}))
aws.apigateway.RestApiPut("tls10-put", rest_api_id=api.id, body=json.dumps(
    {**TLS_SPEC, "x-amazon-apigateway-security-policy": "TLS_1_0"}))
aws.apigateway.RestApi("private-api", name="private", tags=TAGS, endpoint_configuration={"types": "PRIVATE"})
aws.apigateway.RestApi("tls13-body-api", name="tls13-body", tags=TAGS, body=json.dumps(
    {**TLS_SPEC, "x-amazon-apigateway-security-policy": "SecurityPolicy_TLS13_1_2_2021_06",
     "x-amazon-apigateway-endpoint-access-mode": "STRICT"}))
# A RestApiPut's body sets the policy of the API it names: TLS 1.2 set so, and a put that sets none.
put_tls_api = aws.apigateway.RestApi("put-tls-api", name="put-tls", tags=TAGS,
                                     endpoint_configuration={"types": "REGIONAL"})
aws.apigateway.RestApiPut("tls12-put", rest_api_id=put_tls_api.id, body=json.dumps(
    {**TLS_SPEC, "x-amazon-apigateway-security-policy": "TLS_1_2"}))
put_plain_api = aws.apigateway.RestApi("put-plain-api", name="put-plain", tags=TAGS,
                                       endpoint_configuration={"types": "REGIONAL"})
aws.apigateway.RestApiPut("plain-put", rest_api_id=put_plain_api.id, body=json.dumps(TLS_SPEC))

# --- HTTP API (v2) stages ------------------------------------------------------------------------
http_api = aws.apigatewayv2.Api("http-api", name="shop-http", protocol_type="HTTP", tags=TAGS)
aws.apigatewayv2.Stage("v2-bare-stage", api_id=http_api.id, name="bare", tags=TAGS)
aws.apigatewayv2.Stage("v2-good-stage", api_id=http_api.id, name="good", tags=TAGS,
                       access_log_settings={"destination_arn": LOG_GROUP, "format": FORMAT},
                       default_route_settings={"throttling_rate_limit": 100, "throttling_burst_limit": 50})
ws_api = aws.apigatewayv2.Api("v2-ws-api", name="ws", protocol_type="WEBSOCKET",
                               route_selection_expression="$request.body.action", tags=TAGS)
aws.apigatewayv2.Stage("v2-traced-stage", api_id=ws_api.id, name="traced", tags=TAGS,
                       access_log_settings={"destination_arn": LOG_GROUP, "format": FORMAT},
                       default_route_settings={"throttling_rate_limit": 100, "throttling_burst_limit": 50,
                                               "data_trace_enabled": True, "logging_level": "INFO"},
                       route_settings=[{"route_key": "$connect", "data_trace_enabled": True, "logging_level": "INFO"},
                                       {"route_key": "$default", "data_trace_enabled": False}])
# A WebSocket stage without execution logs by default, and a route that turns them off.
aws.apigatewayv2.Stage("v2-ws-quiet-stage", api_id=ws_api.id, name="quiet", tags=TAGS,
                       access_log_settings={"destination_arn": LOG_GROUP, "format": FORMAT},
                       default_route_settings={"throttling_rate_limit": 100, "throttling_burst_limit": 50},
                       route_settings=[{"route_key": "$default", "logging_level": "OFF"}])
aws.apigatewayv2.Stage("v2-zero-throttle-stage", api_id=http_api.id, name="zero", tags=TAGS,
                       access_log_settings={"destination_arn": LOG_GROUP, "format": FORMAT},
                       default_route_settings={"throttling_rate_limit": 0, "throttling_burst_limit": 50})
jwt = aws.apigatewayv2.Authorizer("v2-jwt", api_id=http_api.id, name="jwt", authorizer_type="JWT",
                                  identity_sources=["$request.header.Authorization"],
                                  jwt_configuration={"issuer": "https://idp.example.com", "audiences": ["app"]})
aws.apigatewayv2.Route("v2-open-route", api_id=http_api.id, route_key="GET /orders")
aws.apigatewayv2.Route("v2-health-route", api_id=http_api.id, route_key="GET /health", authorization_type="NONE")
aws.apigatewayv2.Route("v2-jwt-route", api_id=http_api.id, route_key="POST /orders", authorization_type="JWT",
                       authorizer_id=jwt.id)
# CORS preflight: browsers send it without credentials, so it must not need the authorizer.
aws.apigatewayv2.Route("v2-preflight-route", api_id=http_api.id, route_key="OPTIONS /{proxy+}")

# Integrations: an HTTP API private integration is HTTPS only with tlsConfig (its integrationUri is an ARN).
LISTENER_ARN = ("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/ingress/50dc6c495c0c9188/"
                "f2f7dc8efc522ab2")
v2_link = aws.apigatewayv2.VpcLink("v2-link", name="shop", subnet_ids=["subnet-a"], security_group_ids=["sg-1"],
                                   tags=TAGS)
aws.apigatewayv2.Integration("v2-plain-private-integration", api_id=http_api.id, integration_type="HTTP_PROXY",
                             integration_method="ANY", integration_uri=LISTENER_ARN, connection_type="VPC_LINK",
                             connection_id=v2_link.id)
aws.apigatewayv2.Integration("v2-tls-private-integration", api_id=http_api.id, integration_type="HTTP_PROXY",
                             integration_method="ANY", integration_uri=LISTENER_ARN, connection_type="VPC_LINK",
                             connection_id=v2_link.id, tls_config={"server_name_to_verify": "ingress.shop.local"})
aws.apigatewayv2.Integration("v2-plain-public-integration", api_id=http_api.id, integration_type="HTTP_PROXY",
                             integration_method="GET", integration_uri="http://orders.shop.example.com/orders")
aws.apigatewayv2.Integration("v2-https-public-integration", api_id=http_api.id, integration_type="HTTP_PROXY",
                             integration_method="GET", integration_uri="https://orders.shop.example.com/orders")

# --- WebSocket APIs: $connect is the only route that can be authorized ------------------------------
open_ws = aws.apigatewayv2.Api("open-ws", name="open-ws", protocol_type="WEBSOCKET",
                               route_selection_expression="$request.body.action", tags=TAGS)
aws.apigatewayv2.Route("ws-open-connect", api_id=open_ws.id, route_key="$connect")
guarded_ws = aws.apigatewayv2.Api("guarded-ws", name="guarded-ws", protocol_type="WEBSOCKET",
                                  route_selection_expression="$request.body.action", tags=TAGS)
ws_authorizer = aws.apigatewayv2.Authorizer(
    "ws-authorizer", api_id=guarded_ws.id, name="device", authorizer_type="REQUEST",
    authorizer_uri="arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:"
                   "123456789012:function:auth/invocations",
    identity_sources=["route.request.header.Authorization"])
aws.apigatewayv2.Route("ws-guarded-connect", api_id=guarded_ws.id, route_key="$connect", authorization_type="CUSTOM",
                       authorizer_id=ws_authorizer.id)
aws.apigatewayv2.Route("ws-disconnect", api_id=guarded_ws.id, route_key="$disconnect", authorization_type="NONE")
aws.apigatewayv2.Route("ws-default", api_id=guarded_ws.id, route_key="$default")
# Routes on APIs another stack owns: their keys tell the protocol ($default could be either).
aws.apigatewayv2.Route("external-open-route", api_id="a1b2c3d4e5", route_key="POST /admin", authorization_type="NONE")
aws.apigatewayv2.Route("external-open-connect", api_id="f6g7h8i9j0", route_key="$connect")
aws.apigatewayv2.Route("external-default", api_id="f6g7h8i9j0", route_key="$default")

# --- APIs whose routes are not resources -----------------------------------------------------------
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders"
# Quick create: a catch-all route without an authorizer and an auto-deploying $default stage, outside the stack.
aws.apigatewayv2.Api("quick-api", name="quick", protocol_type="HTTP", target=FUNCTION_ARN, tags=TAGS)


def openapi(paths, **extra):
    return json.dumps({"openapi": "3.0.1", "info": {"title": "shop", "version": "1"}, "paths": paths, **extra})


INTEGRATION = {"x-amazon-apigateway-integration": {"type": "http_proxy", "httpMethod": "ANY",
                                                     "uri": "https://backend.shop.example.com/"}}
API_KEY = {"api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"}}
# Request validators a body defines, and the API-wide one (a method may name its own instead).
VALIDATED = {"x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": True,
                                                                "validateRequestParameters": True}},
             "x-amazon-apigateway-request-validator": "all"}
# REST APIs from an OpenAPI body: their methods are not Method resources. POST /admin names no validator,
# GET /orders one the body does not define, DELETE /orders one that validates nothing.
aws.apigateway.RestApi("open-body-api", name="open-body", tags=TAGS, security_policy=API_TLS, body=openapi({
    "/admin": {"post": INTEGRATION, "options": INTEGRATION},  # no security anywhere; OPTIONS is preflight
    "/orders": {"get": {**INTEGRATION, "security": [{"api_key": []}],
                        "x-amazon-apigateway-request-validator": "strict"},
                "delete": {**INTEGRATION, "security": [],  # an empty list overrides the document's
                           "x-amazon-apigateway-request-validator": "noop"}},
}, components={"securitySchemes": API_KEY},
    **{"x-amazon-apigateway-request-validators": {"noop": {"validateRequestBody": False}}}))
# The same body put on an API by a resource of its own.
put_target = aws.apigateway.RestApi("put-target-api", name="put-target", tags=TAGS, security_policy=API_TLS)
aws.apigateway.RestApiPut("open-put", rest_api_id=put_target.id, body=openapi(
    {"/admin": {"post": INTEGRATION}}, components={"securitySchemes": API_KEY}))
aws.apigateway.RestApiPut("keyed-put", rest_api_id=put_target.id, body=openapi(
    {"/orders": {"get": INTEGRATION}}, security=[{"api_key": []}], components={"securitySchemes": API_KEY},
    **VALIDATED))
# IAM by API Gateway's own extension (its type in any case); NONE is open access.
aws.apigateway.RestApi("iam-body-api", name="iam-body", tags=TAGS, security_policy=API_TLS, body=openapi(
    {"/reports": {"get": {**INTEGRATION, "x-amazon-apigateway-auth": {"type": "aws_iam"}}}}, **VALIDATED))
aws.apigateway.RestApi("none-body-api", name="none-body", tags=TAGS, security_policy=API_TLS, body=openapi(
    {"/reports": {"post": {**INTEGRATION, "x-amazon-apigateway-auth": {"type": "NONE"}}}}, **VALIDATED))
aws.apigateway.RestApi("keyed-body-api", name="keyed-body", tags=TAGS, security_policy=API_TLS, body=openapi(
    {"/orders": {"get": INTEGRATION, "post": INTEGRATION}}, security=[{"api_key": []}],
    components={"securitySchemes": API_KEY}, **VALIDATED))
# HTTP APIs from an OpenAPI body.
JWT_SCHEME = {"jwt": {"type": "oauth2", "x-amazon-apigateway-authorizer": {
    "type": "jwt", "identitySource": "$request.header.Authorization",
    "jwtConfiguration": {"issuer": "https://idp.example.com", "audience": ["app"]}}}}
aws.apigatewayv2.Api("open-body-http", name="open-body-http", protocol_type="HTTP", tags=TAGS, body=openapi(
    # [{}] lets anonymous callers through: no authorizer runs.
    {"/{proxy+}": {"x-amazon-apigateway-any-method": {**INTEGRATION, "security": [{}]}},
     "/health": {"get": INTEGRATION}}, components={"securitySchemes": JWT_SCHEME}))
aws.apigatewayv2.Api("jwt-body-http", name="jwt-body-http", protocol_type="HTTP", tags=TAGS, body=openapi(
    {"/{proxy+}": {"x-amazon-apigateway-any-method": {**INTEGRATION, "security": [{"jwt": []}]}}},
    components={"securitySchemes": JWT_SCHEME}))
# Schemes API Gateway makes nothing of: a bearer `http` scheme on a REST API, and an API key on an HTTP API, which has
# no API keys; IAM on an HTTP API by the authtype extension.
aws.apigateway.RestApi("bearer-body-api", name="bearer-body", tags=TAGS, security_policy=API_TLS, body=openapi(
    {"/orders": {"get": INTEGRATION}}, security=[{"bearer": []}],
    components={"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}, **VALIDATED))
aws.apigatewayv2.Api("key-body-http", name="key-body-http", protocol_type="HTTP", tags=TAGS, body=openapi(
    {"/orders": {"get": {**INTEGRATION, "security": [{"api_key": []}]}}}, components={"securitySchemes": API_KEY}))
SIGV4 = {"sigv4": {"type": "apiKey", "name": "Authorization", "in": "header",
                   "x-amazon-apigateway-authtype": "awsSigv4"}}
aws.apigatewayv2.Api("iam-body-http", name="iam-body-http", protocol_type="HTTP", tags=TAGS, body=openapi(
    {"/orders": {"get": {**INTEGRATION, "security": [{"sigv4": []}]}}}, components={"securitySchemes": SIGV4}))
# An authtype other than awsSigv4 only labels a Lambda authorizer, which this scheme does not define; a Swagger 2
# body reads its securityDefinitions, where the scheme is a bare oauth2 (the OpenAPI 3 place holds IAM, unread).
aws.apigatewayv2.Api("labelled-body-http", name="labelled-body-http", protocol_type="HTTP", tags=TAGS, body=openapi(
    {"/orders": {"get": {**INTEGRATION, "security": [{"sigv4": []}]}}},
    components={"securitySchemes": {"sigv4": {**SIGV4["sigv4"], "x-amazon-apigateway-authtype": "custom"}}}))
aws.apigateway.RestApi("swagger-body-api", name="swagger-body", tags=TAGS, security_policy=API_TLS, body=json.dumps({
    "swagger": "2.0", "info": {"title": "shop", "version": "1"}, "paths": {"/orders": {"get": INTEGRATION}},
    "security": [{"sigv4": []}], "securityDefinitions": {"sigv4": {"type": "oauth2", "flow": "implicit",
                                                                    "authorizationUrl": "https://idp.example.com"}},
    "components": {"securitySchemes": SIGV4}, **VALIDATED}))
# Bodies whose integrations call the backend in plain HTTP: a REST one to an http:// URL, an HTTP API private one
# to a listener without tlsConfig (its other route sets one).
aws.apigateway.RestApi("plain-body-api", name="plain-body", tags=TAGS, security_policy=API_TLS, body=openapi(
    {"/orders": {"get": {"x-amazon-apigateway-integration": {"type": "HTTP", "httpMethod": "GET",
                                                             "uri": "http://backend.shop.example.com/orders"}}}},
    security=[{"api_key": []}], components={"securitySchemes": API_KEY}))
PRIVATE = {"type": "http_proxy", "httpMethod": "ANY", "connectionType": "VPC_LINK", "connectionId": "link-1",
           "uri": LISTENER_ARN, "payloadFormatVersion": "1.0"}
aws.apigatewayv2.Api("plain-body-http", name="plain-body-http", protocol_type="HTTP", tags=TAGS, body=openapi(
    {"/orders": {"get": {"x-amazon-apigateway-integration": PRIVATE, "security": [{"jwt": []}]},
                 "post": {"x-amazon-apigateway-integration": {**PRIVATE, "tlsConfig": {
                     "serverNameToVerify": "ingress.shop.local"}}, "security": [{"jwt": []}]}}},
    components={"securitySchemes": JWT_SCHEME}))
# API Gateway imports YAML as well as JSON: the pack reads both.
aws.apigatewayv2.Api("yaml-body-http", name="yaml-body-http", protocol_type="HTTP", tags=TAGS, body="""\
openapi: 3.0.1
info: {title: shop, version: '1'}
paths:
  /{proxy+}:
    x-amazon-apigateway-any-method:
      security: [{jwt: []}]
  /health:
    get: {}
components:
  securitySchemes:
    jwt:
      type: oauth2
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: {issuer: 'https://idp.example.com', audience: [app]}
""")
aws.apigateway.RestApi("yaml-body-api", name="yaml-body", tags=TAGS, security_policy=API_TLS, body="""\
swagger: '2.0'
info: {title: shop, version: '1'}
security: [{api_key: []}]
paths:
  /orders:
    get: {x-amazon-apigateway-request-validator: params}
    options: {}
securityDefinitions:
  api_key: {type: apiKey, name: x-api-key, in: header}
x-amazon-apigateway-request-validators:
  params: {validateRequestParameters: true}
""")
# Neither JSON nor YAML (an unclosed flow sequence): nothing shows its operations are authorized.
aws.apigateway.RestApi("garbled-body-api", name="garbled-body", tags=TAGS, security_policy=API_TLS,
                       body="openapi: [3.0.1\npaths: {}\n")
