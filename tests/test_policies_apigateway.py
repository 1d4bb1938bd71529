"""API Gateway guardrails against tests/programs/policy_apigateway (raw pulumi_aws resources)."""
from __future__ import annotations

import json

import botocore.session
import pytest

from tests.conftest import preview
from tests.test_policies_support import (CONFIG, PACK, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, detail,
                                        findings, pairs, program, program_fixtures)

PROGRAM = "policy_apigateway"
LISTENER_ARN = ("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/ingress/50dc6c495c0c9188/"
                "f2f7dc8efc522ab2")
M, A = "mandatory", "advisory"

FAILING = [
    Finding("apigateway-stage-access-logging", "bare-stage", M, "accessLogSettings is not set"),
    Finding("apigateway-stage-access-logging", "partial-stage", M, "accessLogSettings.format is not set"),
    Finding("apigatewayv2-stage-access-logging", "v2-bare-stage", M, "accessLogSettings is not set"),
    Finding("apigatewayv2-stage-data-trace-off", "v2-traced-stage", M, "defaultRouteSettings.dataTraceEnabled is true"),
    Finding("apigatewayv2-stage-data-trace-off", "v2-traced-stage", M,
            "routeSettings for $connect set dataTraceEnabled true"),
    Finding("apigatewayv2-stage-throttling", "v2-bare-stage", M,
            "defaultRouteSettings.throttlingRateLimit is not set; the stage is limited only by the account throttle"),
    Finding("apigatewayv2-stage-throttling", "v2-bare-stage", M, "defaultRouteSettings.throttlingBurstLimit is not set"),
    Finding("apigatewayv2-stage-throttling", "v2-zero-throttle-stage", M,
            "defaultRouteSettings.throttlingRateLimit is 0; it must be above 0"),
    Finding("apigatewayv2-websocket-stage-execution-logging", "v2-ws-quiet-stage", M,
            "stage 'quiet': defaultRouteSettings.loggingLevel is unset (OFF); set it to ERROR"),
    Finding("apigatewayv2-websocket-stage-execution-logging", "v2-ws-quiet-stage", M,
            "stage 'quiet': routeSettings for $default set loggingLevel OFF"),
    Finding("wafv2-web-acl-not-empty", "acl", M, "web ACL acl has no rules"),
    Finding("wafv2-cloudwatch-metrics", "uncounted-group", M,
            "rule 'bad-agents' sets visibilityConfig.cloudwatchMetricsEnabled false"),
    Finding("apigatewayv2-route-authorization", "v2-open-route", M,
            "route 'GET /orders' has authorizationType NONE; use JWT, CUSTOM or AWS_IAM"),
    Finding("apigatewayv2-route-authorization", "v2-health-route", M, "route 'GET /health' has authorizationType NONE"),
    Finding("apigatewayv2-route-authorization", "ws-open-connect", M,
            "$connect has authorizationType NONE; use a Lambda REQUEST authorizer (CUSTOM) or AWS_IAM"),
    Finding("apigatewayv2-route-authorization", "external-open-route", M,
            "route 'POST /admin' has authorizationType NONE; use JWT, CUSTOM or AWS_IAM"),
    Finding("apigatewayv2-route-authorization", "external-open-connect", M, "$connect has authorizationType NONE"),
    Finding("apigateway-stage-xray", "bare-stage", M, "xrayTracingEnabled is not true"),
    Finding("apigateway-stage-client-certificate", "bare-stage", A, "clientCertificateId is not set"),
    Finding("apigateway-methodsettings-data-trace-off", "partial-settings", M, "settings.dataTraceEnabled is true for */*"),
    Finding("apigateway-methodsettings-cache-encrypted", "cached-settings", M,
            "caching is enabled for ~1health/GET but settings.cacheDataEncrypted is not true"),
    Finding("apigateway-stage-cache-encrypted", "partial-stage", M,
            "stage 'partial' has a cache cluster (cacheClusterEnabled), and its */* MethodSettings partial-settings "
            "(cacheDataEncrypted unset (false)) leave the cache unencrypted"),
    Finding("apigateway-method-authorization", "open-method", M,
            'GET /orders has authorization NONE and apiKeyRequired is not true; require an authorizer, IAM or an API '
            'key, or list "GET /orders" in openRoutes if it is public on purpose'),
    Finding("apigateway-method-request-validator", "open-method", M, "GET has no requestValidatorId"),
    Finding("wafv2-web-acl-logging", "acl", M, "web ACL acl has no WebAclLoggingConfiguration: nothing records which "
                                               "requests it blocks or counts"),
    Finding("apigateway-usageplan-throttle-quota", "no-limits-plan", M, "throttleSettings needs rateLimit and burstLimit"),
    Finding("apigateway-usageplan-throttle-quota", "no-limits-plan", M, "quotaSettings needs limit and period"),
    Finding("apigateway-usageplan-throttle-quota", "throttle-only-plan", M, "quotaSettings needs limit and period"),
    Finding("apigateway-domainname-tls-policy", "tls10-domain", M, "securityPolicy is TLS_1_0"),
    Finding("apigateway-domainname-tls-policy", "implicit-domain", M, "securityPolicy is not set"),
    Finding("apigateway-domainname-tls-policy", "v2-tls10-domain", M,
            "domainNameConfiguration.securityPolicy is TLS_1_0"),
    # A REST API's own policy: TLS 1.0 written (on the API, in its body, in a body put on an API), or left to
    # AWS's default for a Regional or edge-optimized API.
    Finding("apigateway-restapi-tls-policy", "tls10-api", M, "securityPolicy is TLS_1_0; it must have a TLS 1.2+ "
                                                              "floor"),
    Finding("apigateway-restapi-tls-policy", "tls10-body-api", M,
            "the body's x-amazon-apigateway-security-policy is TLS_1_0; it must have a TLS 1.2+ floor"),
    Finding("apigateway-restapi-tls-policy", "tls10-put", M,
            "the body's x-amazon-apigateway-security-policy is TLS_1_0"),
    Finding("apigateway-restapi-tls-policy", "implicit-api", M,
            "securityPolicy is not set: API Gateway gives a Regional REST API TLS_1_0, and negotiates with it even "
            "through a custom domain with a stricter policy; set TLS_1_2 or a SecurityPolicy_TLS13_* policy (with "
            "endpointAccessMode)"),
    Finding("apigateway-restapi-tls-policy", "implicit-edge-api", M,
            "securityPolicy is not set: API Gateway gives an edge-optimized REST API TLS_1_0"),
    Finding("apigateway-restapi-tls-policy", "put-plain-api", M,
            "securityPolicy is not set, nor does RestApiPut plain-put's body set x-amazon-apigateway-security-policy: "
            "API Gateway gives a Regional REST API TLS_1_0"),
    Finding("apigateway-integration-tls-verification", "insecure-integration", M,
            "tlsConfig.insecureSkipVerification is true for ingress.shop.local (through a VPC link)"),
    # Both integrations use a VPC link V1 (no integrationTarget): legacy, advisory.
    *[Finding("apigateway-integration-vpc-link-v2", name, A, "uses a VPC link V1 (no integrationTarget)")
      for name in ("insecure-integration", "verified-integration")],
    Finding("apigateway-integration-backend-tls", "plain-integration", M,
            "uri http://internal-orders.shop.local/ is plain HTTP through the VPC link: requests, their headers and "
            "credentials cross the network unencrypted"),
    Finding("apigateway-integration-backend-tls", "plain-public-integration", M,
            "uri HTTP://orders.shop.example.com/orders is plain HTTP: requests"),
    Finding("apigateway-integration-backend-tls", "v2-plain-public-integration", M,
            "integrationUri http://orders.shop.example.com/orders is plain HTTP: requests"),
    Finding("apigateway-integration-backend-tls", "v2-plain-private-integration", M,
            f"integrationUri {LISTENER_ARN} is reached through the VPC link without tlsConfig, so API Gateway calls "
            "it over plain HTTP; set tlsConfig.serverNameToVerify"),
    Finding("apigateway-integration-backend-tls", "plain-body-api", M,
            "the OpenAPI body's GET /orders integration uri http://backend.shop.example.com/orders is plain HTTP: "),
    Finding("apigateway-integration-backend-tls", "plain-body-http", M,
            f"the OpenAPI body's GET /orders integration uri {LISTENER_ARN} is reached through the VPC link without "
            "tlsConfig"),
    # Stack policies, reported on the stage.
    Finding("apigateway-stage-execution-logging", "bare-stage", M, "stage 'bare' has no MethodSettings for */*"),
    Finding("apigateway-stage-execution-logging", "partial-stage", M, "stage 'partial' */* loggingLevel is OFF"),
    # Two settings for one path of one stage, one linked to it and one naming it: both reported.
    *[Finding("apigateway-methodsettings-unique", name, M,
              "MethodSettings twice-a-settings, twice-b-settings each set ~1orders/GET on stage 'partial': the path "
              "holds whichever values were written last") for name in ("twice-a-settings", "twice-b-settings")],
    Finding("apigateway-stage-default-throttling", "bare-stage", A, "stage 'bare' has no default */* throttlingRateLimit"),
    Finding("apigateway-stage-default-throttling", "partial-stage", A, "stage 'partial' has no default */*"),
    Finding("apigateway-stage-usage-plan", "bare-stage", M, "stage 'bare' is in no usage plan"),
    Finding("apigateway-stage-usage-plan", "partial-stage", M,
            "stage 'partial' is only in usage plans without a throttle (no-limits-plan)"),
    Finding("apigateway-stage-waf", "bare-stage", M, "stage 'bare' has no aws:wafv2/webAclAssociation:WebAclAssociation"),
    # APIs whose routes are not resources.
    Finding("apigatewayv2-api-no-quick-create", "quick-api", M,
            "target set: quick create makes a catch-all route without an authorizer and a $default stage without"),
    Finding("apigateway-restapi-openapi-authorization", "open-body-api", M,
            "POST /admin in the OpenAPI body has no security requirement, so API Gateway creates it without "
            "authorization; require an authorizer, IAM (awsSigv4) or an API key"),
    Finding("apigateway-restapi-openapi-authorization", "open-body-api", M,
            "DELETE /orders in the OpenAPI body has no security requirement"),
    Finding("apigateway-restapi-openapi-authorization", "open-put", M,
            "POST /admin in the OpenAPI body has no security requirement"),
    Finding("apigateway-restapi-openapi-authorization", "none-body-api", M,
            "POST /reports in the OpenAPI body has no security requirement"),
    Finding("apigatewayv2-api-openapi-authorization", "open-body-http", M,
            "ANY /{proxy+} in the OpenAPI body has no security requirement, so API Gateway creates it without "
            "authorization; require a JWT or Lambda authorizer, or IAM (awsSigv4)"),
    Finding("apigatewayv2-api-openapi-authorization", "open-body-http", M, "GET /health in the OpenAPI body"),
    Finding("apigateway-restapi-openapi-authorization", "bearer-body-api", M,
            "GET /orders in the OpenAPI body requires only security scheme 'bearer', which API Gateway makes nothing "
            "of (a scheme is an authorizer or IAM only with x-amazon-apigateway-authorizer or "
            "x-amazon-apigateway-authtype, and the API key only as `type: apiKey`)"),
    Finding("apigatewayv2-api-openapi-authorization", "labelled-body-http", M,
            "GET /orders in the OpenAPI body requires only security scheme 'sigv4', which API Gateway makes nothing "
            "of"),
    Finding("apigateway-restapi-openapi-authorization", "swagger-body-api", M,
            "GET /orders in the OpenAPI body requires only security scheme 'sigv4', which API Gateway makes nothing "
            "of"),
    Finding("apigatewayv2-api-openapi-authorization", "key-body-http", M,
            "GET /orders in the OpenAPI body requires only security scheme 'api_key', which API Gateway makes nothing "
            "of (a scheme is an authorizer or IAM only with x-amazon-apigateway-authorizer or "
            "x-amazon-apigateway-authtype, and an HTTP API has no API keys), so the operation is created without "
            "authorization"),
    Finding("apigatewayv2-api-openapi-authorization", "yaml-body-http", M,
            "GET /health in the OpenAPI body has no security requirement"),
    # A body's methods use a validator the body defines, which checks something.
    Finding("apigateway-restapi-openapi-request-validator", "open-body-api", M,
            "POST /admin in the OpenAPI body names no request validator (`x-amazon-apigateway-request-validator`, its "
            "own or the document's), so API Gateway passes malformed requests to the backend; define a validator in "
            "`x-amazon-apigateway-request-validators` with validateRequestBody or validateRequestParameters true"),
    Finding("apigateway-restapi-openapi-request-validator", "open-body-api", M,
            "GET /orders in the OpenAPI body names request validator 'strict', which the body does not define"),
    Finding("apigateway-restapi-openapi-request-validator", "open-body-api", M,
            "DELETE /orders in the OpenAPI body uses request validator 'noop', which validates neither the body nor "
            "the parameters"),
    Finding("apigateway-restapi-openapi-request-validator", "open-put", M, "POST /admin in the OpenAPI body names no"),
    Finding("apigateway-restapi-openapi-request-validator", "plain-body-api", M,
            "GET /orders in the OpenAPI body names no request validator"),
    Finding("apigateway-restapi-openapi-authorization", "garbled-body-api", M,
            "body is not an OpenAPI document in JSON or YAML (a mapping with `openapi` or `swagger`), so the pack "
            "cannot tell which of its operations are open"),
]

STAGE_POLICIES = ["apigateway-stage-access-logging", "apigateway-stage-xray", "apigateway-stage-client-certificate",
                  "apigateway-stage-execution-logging", "apigateway-stage-default-throttling",
                  "apigateway-stage-usage-plan", "apigateway-stage-waf", "apigateway-stage-cache-encrypted"]
PASSING = (
    # good-stage's settings, plan and web ACL name it by stage name, not by a link.
    [(p, "good-stage") for p in STAGE_POLICIES]
    + [("apigateway-stage-waf", "partial-stage"),  # linked through resourceArn = stage.arn
       ("apigateway-restapi-openapi-authorization", "iam-body-api"),  # IAM by x-amazon-apigateway-auth
       ("apigatewayv2-stage-access-logging", "v2-good-stage"),
       ("wafv2-web-acl-logging", "logged-acl"),
       ("wafv2-web-acl-not-empty", "logged-acl"), ("wafv2-cloudwatch-metrics", "logged-acl"),
       ("wafv2-cloudwatch-metrics", "acl"),
       # INFO by default, and on the one route that sets a level.
       ("apigatewayv2-websocket-stage-execution-logging", "v2-traced-stage"),
       # An HTTP API has no execution logs to ask for.
       ("apigatewayv2-websocket-stage-execution-logging", "v2-good-stage"),
       ("apigatewayv2-stage-throttling", "v2-good-stage"), ("apigatewayv2-stage-data-trace-off", "v2-good-stage"),
       ("apigatewayv2-route-authorization", "v2-jwt-route"),
       ("apigatewayv2-route-authorization", "v2-preflight-route"),  # CORS preflight, as REST OPTIONS methods
       ("apigatewayv2-route-authorization", "ws-guarded-connect"),
       # After $connect a WebSocket route runs on the authorized connection; AWS allows no authorizer there.
       ("apigatewayv2-route-authorization", "ws-disconnect"),
       ("apigatewayv2-route-authorization", "ws-default"),
       ("apigatewayv2-route-authorization", "external-default"),
       ("apigateway-methodsettings-data-trace-off", "good-settings"),
       # One setting each for */* of the good and partial stages.
       ("apigateway-methodsettings-unique", "good-settings"), ("apigateway-methodsettings-unique", "partial-settings"),
       ("apigateway-methodsettings-cache-encrypted", "good-settings"),
       ("apigateway-method-authorization", "options-method"),
       ("apigateway-method-authorization", "keyed-method"),
       ("apigateway-method-authorization", "secured-method"),
       ("apigateway-method-request-validator", "options-method"),
       ("apigateway-method-request-validator", "secured-method"),
       ("apigateway-usageplan-throttle-quota", "good-plan"),
       ("apigateway-domainname-tls-policy", "tls13-domain"),
       ("apigateway-domainname-tls-policy", "v2-tls12-domain"),
       # A REST API's TLS 1.2 written, a private API's default (TLS 1.2), an enhanced policy in a body, TLS 1.2 in
       # the body a RestApiPut puts on it.
       ("apigateway-restapi-tls-policy", "api"), ("apigateway-restapi-tls-policy", "private-api"),
       ("apigateway-restapi-tls-policy", "tls13-body-api"), ("apigateway-restapi-tls-policy", "put-tls-api"),
       ("apigateway-restapi-tls-policy", "tls12-put"),
       ("apigateway-integration-tls-verification", "verified-integration"),
       ("apigateway-integration-backend-tls", "verified-integration"),
       ("apigateway-integration-backend-tls", "v2-tls-private-integration"),
       ("apigateway-integration-backend-tls", "v2-https-public-integration"),
       ("apigateway-integration-backend-tls", "keyed-body-api"),  # OpenAPI bodies calling https://
       ("apigateway-integration-backend-tls", "jwt-body-http"),
       ("apigatewayv2-api-no-quick-create", "http-api"),
       ("apigatewayv2-api-no-quick-create", "jwt-body-http"),
       ("apigateway-restapi-openapi-authorization", "keyed-body-api"),
       ("apigateway-restapi-openapi-authorization", "keyed-put"),
       ("apigateway-restapi-openapi-authorization", "yaml-body-api"),  # YAML, secured as a whole
       ("apigateway-restapi-openapi-authorization", "api"),  # no body: its Method resources are checked
       ("apigateway-restapi-openapi-request-validator", "keyed-body-api"),  # the document's validator
       ("apigateway-restapi-openapi-request-validator", "keyed-put"),
       ("apigateway-restapi-openapi-request-validator", "yaml-body-api"),  # the method's own; OPTIONS exempt
       # Not an OpenAPI document: the authorization policy reports it; no body: Method resources are checked.
       ("apigateway-restapi-openapi-request-validator", "garbled-body-api"),
       ("apigateway-restapi-openapi-request-validator", "api"),
       ("apigatewayv2-api-openapi-authorization", "jwt-body-http"),
       ("apigatewayv2-api-openapi-authorization", "iam-body-http"),  # IAM by x-amazon-apigateway-authtype
       ("apigatewayv2-api-openapi-authorization", "http-api")]
)


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_stage_violations_point_at_the_stage(result):
    stage_urns = {r.urn for r in result.resources if r.type == "aws:apigateway/stage:Stage"}
    stack_findings = [v for v in result.violations if v.policy in STAGE_POLICIES[3:]]
    assert stack_findings and {v.urn for v in stack_findings} <= stage_urns


def test_policy_config_knobs_change_the_verdict():
    tuned = program(PROGRAM, {
        "apigateway-stage-waf": {"exemptStages": ["bare"]},
        "apigateway-stage-usage-plan": {"exemptStages": ["bare-stage"]},
        "apigateway-domainname-tls-policy": {"allowedSecurityPolicies": ["SecurityPolicy_TLS13_1_3_2025_09", "TLS_1_0"]},
        "apigateway-restapi-tls-policy": {"allowedSecurityPolicies": ["TLS_1_0"]},
        "apigateway-integration-tls-verification": {"privateCaHosts": ["*.shop.local"]},
        # A public client's plan (its key ships to browsers) is throttled only, named by its name or resource name.
        "apigateway-usageplan-throttle-quota": {"publicClientPlans": ["THROTTLE-*", "no-limits-plan"]},
    })
    found = pairs(tuned)
    assert ("apigateway-usageplan-throttle-quota", "throttle-only-plan") not in found
    assert [detail(v.message) for v in tuned.violations if v.policy == "apigateway-usageplan-throttle-quota"] == [
        "throttleSettings needs rateLimit and burstLimit"]  # no-limits-plan: its throttle is still asked for
    assert ("apigateway-stage-waf", "bare-stage") not in found
    assert ("apigateway-stage-usage-plan", "bare-stage") not in found
    assert ("apigateway-stage-usage-plan", "partial-stage") in found
    assert ("apigateway-domainname-tls-policy", "tls10-domain") not in found
    assert ("apigateway-restapi-tls-policy", "tls10-api") not in found
    assert ("apigateway-restapi-tls-policy", "tls13-body-api") in found  # a list of its own, without TLS 1.3
    assert ("apigateway-stage-execution-logging", "bare-stage") in found
    assert ("apigateway-integration-tls-verification", "insecure-integration") not in found


def test_open_routes_knob_allows_a_named_route_only():
    tuned = program(PROGRAM, {"apigatewayv2-route-authorization": {"openRoutes": ["GET /health"]}})
    assert ("apigatewayv2-route-authorization", "v2-health-route") not in pairs(tuned)
    assert ("apigatewayv2-route-authorization", "v2-open-route") in pairs(tuned)


def test_ids_unknown_in_a_first_preview_count_as_set(first_preview):
    # The validator and authorizer ids, the client certificate id and the log group are all unknown.
    for policy, resource in [("apigateway-method-request-validator", "secured-method"),
                             ("apigateway-stage-client-certificate", "good-stage"),
                             ("apigateway-stage-access-logging", "good-stage")]:
        assert (policy, resource) not in pairs(first_preview)
        assert (policy, resource) not in {(v.policy, v.name) for v in first_preview.not_run}


def test_a_web_acl_whose_target_is_unknown_is_not_a_missing_web_acl(result, first_preview):
    # good-acl's resourceArn is built from the API id: in a first preview nobody can tell which stage it
    # protects, so no stage is reported; once known it protects only "good" and "bare" is caught.
    assert ("apigateway-stage-waf", "bare-stage") in pairs(result)
    assert ("apigateway-stage-waf", "bare-stage") not in pairs(first_preview)


# --- stage matching across APIs ---------------------------------------------------------------------

STAGE_MATCHING = "policy_stage_matching"
STAGE_CHECKS = {"all": "disabled", "apigateway-stage-execution-logging": "mandatory",
                "apigateway-stage-usage-plan": "mandatory"}


def test_settings_and_plans_cover_only_the_api_they_name():
    result = program(STAGE_MATCHING, STAGE_CHECKS)
    flagged = pairs(result)
    # api-b's stage shares api-a's stage name but not its API: plan and settings for api-a do not cover it.
    assert {("apigateway-stage-usage-plan", "api-b-stage"),
            ("apigateway-stage-execution-logging", "api-b-stage")} <= flagged
    assert not {p for p in flagged if p[1] == "api-a-stage"}
    # Once its name is known, api-c's stage is checked like any other.
    assert ("apigateway-stage-usage-plan", "api-c-stage") in flagged
    # api-d's method takes no API key, so no usage plan would apply to its requests: only its logging is asked for.
    assert ("apigateway-stage-usage-plan", "api-d-stage") not in flagged
    assert ("apigateway-stage-execution-logging", "api-d-stage") in flagged


USAGE_PLAN_ONLY = {"all": "disabled", "apigateway-stage-usage-plan": "mandatory"}
LIVE_NOT_PLANNED = ("apigateway-stage-usage-plan", "live-stage",
                    "stage 'live' is in no usage plan, yet methods of its API require an API key")


def two_apis_and_a_plan(*entries: dict) -> list:
    """REST APIs a and b, each with a method that requires an API key and a stage (a's 'prod', b's 'live'), and a
    throttled usage plan listing `entries`: its first entry drawn from a's stage, so apiStages depends on it."""
    resources = []
    for api, stage in (("a", "prod"), ("b", "live")):
        resources += [
            Res("aws:apigateway/restApi:RestApi", f"api-{api}", {"name": api, "id": f"api-{api}-id"}),
            Res("aws:apigateway/method:Method", f"api-{api}-get", {
                "restApi": f"api-{api}-id", "resourceId": "root", "httpMethod": "GET", "authorization": "AWS_IAM",
                "apiKeyRequired": True}, {"restApi": [f"api-{api}"]}),
            Res("aws:apigateway/stage:Stage", f"{stage}-stage", {"restApi": f"api-{api}-id", "stageName": stage},
                {"restApi": [f"api-{api}"]})]
    resources.append(Res("aws:apigateway/usagePlan:UsagePlan", "plan", {
        "apiStages": list(entries), "throttleSettings": {"rateLimit": 10, "burstLimit": 5}},
        {"apiStages": ["prod-stage", "api-a"]}))
    return resources


FROM_PROD_STAGE = {"apiId": "api-a-id", "stage": "prod"}


def test_a_usage_plan_entry_names_a_stage_by_value_next_to_one_drawn_from_another_stage():
    # apiStages = [{apiId: a.id, stage: prod.stage_name}, {apiId: b.id, stage: "live"}]: the list depends on stage
    # prod, which says nothing of its second entry, and that one names live.
    assert findings(analyze(two_apis_and_a_plan(FROM_PROD_STAGE, {"apiId": "api-b-id", "stage": "live"}),
                            USAGE_PLAN_ONLY)) == set()
    # Without that entry, or with one naming 'live' on API a, live is in no plan.
    for entries in ([FROM_PROD_STAGE], [FROM_PROD_STAGE, {"apiId": "api-a-id", "stage": "live"}]):
        found = findings(analyze(two_apis_and_a_plan(*entries), USAGE_PLAN_ONLY))
        assert {(p, r) for p, r, _ in found} == {LIVE_NOT_PLANNED[:2]}, entries
        assert LIVE_NOT_PLANNED[2] in next(iter(found))[2]
    # In a first preview the linked entry is unknown: no verdict on live.
    unknown_first = {"apiId": UNKNOWN, "stage": UNKNOWN}
    assert findings(analyze(two_apis_and_a_plan(unknown_first), USAGE_PLAN_ONLY)) == set()


def test_our_stacks_methods_take_api_keys_so_their_stages_still_need_a_plan(dev_preview):
    # The dev stack's methods set apiKeyRequired: its stage without its usage plans is reported.
    from tools.policyeval import evaluate, load_policy_pack, read_policy_config

    plans = ("aws:apigateway/usagePlan:UsagePlan", "aws:apigateway/usagePlanKey:UsagePlanKey")
    without = [r for r in dev_preview.resources if r.type not in plans]
    report = evaluate(load_policy_pack(PACK), without, read_policy_config(CONFIG / "dev.json"))
    assert [(v.name, detail(v.message)) for v in report.violations if v.policy == "apigateway-stage-usage-plan"] == [
        ("dev-api-stage", "stage 'dev' is in no usage plan, yet methods of its API require an API key; add the stage "
                          "to a usage plan's apiStages with a throttle, the limits API Gateway applies per key")]


def test_a_stage_whose_name_is_unknown_is_not_a_violation():
    first = program(STAGE_MATCHING, STAGE_CHECKS, unknown=True)
    assert not {p for p in pairs(first) if p[1] == "api-c-stage"}


def test_open_routes_knob_allows_a_named_rest_method_only():
    # As for HTTP API routes: the method and its resource path, here /orders (the Resource under the API's root).
    tuned = program(PROGRAM, {"apigateway-method-authorization": {"openRoutes": ["GET /orders"]}})
    assert ("apigateway-method-authorization", "open-method") not in pairs(tuned)
    elsewhere = program(PROGRAM, {"apigateway-method-authorization": {"openRoutes": ["GET /health", "POST /orders"]}})
    assert ("apigateway-method-authorization", "open-method") in pairs(elsewhere)


def test_a_first_preview_finds_the_open_methods_path_through_its_links(first_preview):
    found = [detail(v.message) for v in first_preview.violations
             if (v.policy, v.name) == ("apigateway-method-authorization", "open-method")]
    assert len(found) == 1 and found[0].startswith("GET /orders has authorization NONE"), found


def test_open_routes_knob_also_allows_a_method_of_a_rest_openapi_body():
    tuned = program(PROGRAM, {"apigateway-restapi-openapi-authorization": {"openRoutes": ["POST /admin"]}})
    found = [detail(v.message) for v in tuned.violations
             if (v.policy, v.name) == ("apigateway-restapi-openapi-authorization", "open-body-api")]
    assert len(found) == 1 and found[0].startswith("DELETE /orders"), found


def test_open_routes_knob_also_allows_a_route_of_an_openapi_body():
    tuned = program(PROGRAM, {"apigatewayv2-api-openapi-authorization": {"openRoutes": ["GET /health"]}})
    found = [detail(v.message) for v in tuned.violations
             if (v.policy, v.name) == ("apigatewayv2-api-openapi-authorization", "open-body-http")]
    assert len(found) == 1 and found[0].startswith("ANY /{proxy+}"), found


REST_TLS = {"all": "disabled", "apigateway-restapi-tls-policy": M}
TLS_BODY = {"openapi": "3.0.1", "paths": {}}


def tls_body(policy: object = None) -> str:
    return json.dumps({**TLS_BODY, **({} if policy is None else {"x-amazon-apigateway-security-policy": policy})})


@pytest.mark.parametrize("props,found", [
    # Written, or in a body; unknown until the update it adds no finding.
    ({"securityPolicy": "TLS_1_0"}, {"securityPolicy is TLS_1_0"}),
    ({"securityPolicy": UNKNOWN}, set()),
    ({"securityPolicy": UNKNOWN, "body": tls_body("TLS_1_0")},
     {"the body's x-amazon-apigateway-security-policy is TLS_1_0"}),
    # Unset: a private API's default is TLS 1.2; an endpoint type or a body unknown until the update may be private,
    # or set the policy: no verdict, and the API is not left unjudged by the whole policy.
    ({"endpointConfiguration": {"types": ["PRIVATE"]}}, set()),
    ({"endpointConfiguration": {"types": UNKNOWN}}, set()),
    ({"endpointConfiguration": {"types": "REGIONAL"}, "body": UNKNOWN}, set()),
    ({"endpointConfiguration": {"types": "REGIONAL"}}, {"securityPolicy is not set: API Gateway gives a Regional "
                                                        "REST API TLS_1_0, and negotiates with it even through a "
                                                        "custom domain with a stricter policy"}),
    # An enhanced policy, with the endpoint access mode it needs.
    ({"securityPolicy": "SecurityPolicy_TLS13_1_3_2025_09", "endpointAccessMode": "STRICT"}, set()),
])
def test_a_rest_apis_own_tls_policy(props, found):
    api = Res(REST_API, "api", {"name": "orders", **props})
    report = analyze([api], REST_TLS)
    assert {detail(m).split(";")[0] for _, _, m in findings(report)} == found
    assert not report.not_run


def test_a_rest_api_put_is_judged_by_its_body_alone():
    put = Res(REST_API_PUT, "put", {"restApiId": "api-id", "body": tls_body()})
    assert findings(analyze([put], REST_TLS)) == set()
    weak = Res(REST_API_PUT, "put", {"restApiId": "api-id", "body": tls_body("TLS_1_0")})
    assert {m.split(";")[0] for _, _, m in findings(analyze([weak], REST_TLS))} == {
        "the body's x-amazon-apigateway-security-policy is TLS_1_0"}


NOT_SET = "securityPolicy is not set{}: API Gateway gives a Regional REST API TLS_1_0"
NOT_SET_BY_PUT = NOT_SET.format(", nor does RestApiPut put's body set x-amazon-apigateway-security-policy")


@pytest.mark.parametrize("put_props,refs,found", [
    # A put naming the API, by its id or made from it while unknown, sets the API's policy in its body.
    ({"restApiId": "api-id", "body": tls_body("TLS_1_2")}, {}, None),
    ({"restApiId": UNKNOWN, "body": tls_body("TLS_1_2")}, {"restApiId": ["api"]}, None),
    # One that sets none leaves AWS's default; so does one naming another API, which the message leaves out.
    ({"restApiId": "api-id", "body": tls_body()}, {}, NOT_SET_BY_PUT),
    ({"restApiId": UNKNOWN, "body": tls_body()}, {"restApiId": ["api"]}, NOT_SET_BY_PUT),
    ({"restApiId": "other-id", "body": tls_body("TLS_1_2")}, {}, NOT_SET.format("")),
    # Unknown until the update: the body of a put naming the API, or which API a put names.
    ({"restApiId": "api-id", "body": UNKNOWN}, {}, None),
    ({"restApiId": UNKNOWN, "body": tls_body("TLS_1_2")}, {}, None),
])
def test_a_rest_apis_tls_policy_may_come_from_a_rest_api_put(put_props, refs, found):
    api = Res(REST_API, "api", {"name": "orders", "id": "api-id", "endpointConfiguration": {"types": ["REGIONAL"]}})
    report = analyze([api, Res(REST_API_PUT, "put", put_props, refs)], REST_TLS)
    got = [(name, detail(m)) for _, name, m in findings(report)]
    assert len(got) == (found is not None) and all(name == "api" and m.startswith(found) for name, m in got), got


def test_the_default_tls_policies_are_every_policy_api_gateway_takes_but_tls_1_0():
    """A policy AWS adds shows up here when botocore is upgraded, rather than as a finding on a good domain."""
    from policies.guardrails.apigateway.domain_name import DEFAULT_TLS_POLICIES
    session = botocore.session.get_session()
    for service in ("apigateway", "apigatewayv2"):
        offered = set(session.get_service_model(service).shape_for("SecurityPolicy").enum) - {"TLS_1_0"}
        assert offered <= set(DEFAULT_TLS_POLICIES), service
    assert set(DEFAULT_TLS_POLICIES) == set(session.get_service_model("apigateway").shape_for("SecurityPolicy").enum) - {
        "TLS_1_0"}


WAF_ARN = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/{}/1a2b"


def _waf_findings(resource_arn, refs=None) -> set:
    acls = [Res("aws:wafv2/webAcl:WebAcl", name, {"name": name, "scope": "REGIONAL", "arn": WAF_ARN.format(name)})
            for name in ("shop", "admin")]
    logging = Res("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "logging",
                  {"resourceArn": resource_arn, "logDestinationConfigs": ["arn:aws:logs:us-east-1:123456789012:"
                                                                          "log-group:aws-waf-logs-shop"]}, refs or {})
    return {(name, message) for policy, name, message in findings(analyze([*acls, logging]))
            if policy == "wafv2-web-acl-logging"}


def test_a_web_acl_is_logged_only_by_a_configuration_that_names_it():
    missing = ("admin", "web ACL admin has no WebAclLoggingConfiguration: nothing records which requests it blocks or "
                        "counts; log them to a CloudWatch Logs group, S3 bucket or Firehose named aws-waf-logs-*")
    assert _waf_findings(WAF_ARN.format("shop")) == {missing}  # by its ARN
    assert _waf_findings(UNKNOWN, {"resourceArn": ["shop"]}) == {missing}  # through the link, unknown in preview
    # An ARN unknown with no link might name either (a stack reference, say): not a finding yet.
    assert _waf_findings(UNKNOWN) == set()


@pytest.mark.parametrize("rule, judged", [
    ({"resourceType": "AWS::WAFv2::WebACL", "telemetryType": "Logs"}, False),
    ({"resourceType": UNKNOWN, "telemetryType": "Logs"}, False),
    ({"resourceType": "AWS::WAFv2::WebACL", "telemetryType": "Metrics"}, True),
    ({"resourceType": "AWS::EC2::VPC", "telemetryType": "Logs"}, True),
])
def test_a_cloudwatch_telemetry_rule_for_web_acl_logs_may_log_any_web_acl(rule, judged):
    """A telemetry rule turns on WAF logging for the web ACLs it selects (WAF's LogScope
    CLOUDWATCH_TELEMETRY_RULE_MANAGED); which it selects is not read, so no web ACL is judged beside one."""
    acl = Res("aws:wafv2/webAcl:WebAcl", "shop", {"name": "shop", "scope": "REGIONAL", "arn": WAF_ARN.format("shop")})
    telemetry = Res("aws:observabilityadmin/telemetryRule:TelemetryRule", "waf-logs", {"rule": rule})
    found = {name for policy, name, _ in findings(analyze([acl, telemetry])) if policy == "wafv2-web-acl-logging"}
    assert found == ({"shop"} if judged else set())


def test_the_stacks_name_their_public_clients_plans_by_resource_name_so_a_renamed_api_keeps_them():
    """The plans' AWS names follow api.name; their resource names (<component>-plan-<plan>) do not, and the knob's
    patterns (`*-plan-basic`) name them."""
    renamed = preview("dev", config_overrides=["api.name=shop-storefront-api"])
    plans = {p.name: p.inputs for p in renamed.find("aws:apigateway/usagePlan:UsagePlan")}
    assert plans["dev-api-plan-basic"]["name"] == "shop-storefront-api-basic"
    assert "quotaSettings" not in plans["dev-api-plan-basic"]
    assert [v for v in renamed.violations if v.policy == "apigateway-usageplan-throttle-quota"] == []


BACKEND_TLS_ONLY = {"all": "disabled", "apigateway-integration-backend-tls": "mandatory"}
V2_INTEGRATION = "aws:apigatewayv2/integration:Integration"


def _backend_tls(resource_type: str, props: dict) -> tuple[set, set]:
    """The backend TLS policy's messages on one integration, and whether it could not run."""
    report = analyze([Res(resource_type, "integration", props)], BACKEND_TLS_ONLY)
    return ({message for _, _, message in findings(report)},
            {v.policy for v in report.not_run if v.policy == "apigateway-integration-backend-tls"})


def test_a_private_http_api_integration_is_plaintext_without_tls_config_whatever_its_arn_names():
    private = {"integrationType": "HTTP_PROXY", "connectionType": "VPC_LINK", "connectionId": "link"}
    cloud_map = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-orders"
    found, _ = _backend_tls(V2_INTEGRATION, {**private, "integrationUri": cloud_map})
    assert [m.startswith(f"integrationUri {cloud_map} is reached through the VPC link without tlsConfig")
            for m in found] == [True]
    assert _backend_tls(V2_INTEGRATION, {**private, "integrationUri": cloud_map,
                                         "tlsConfig": {"serverNameToVerify": "orders.shop.local"}}) == (set(), set())
    # The listener's ARN unknown (a first preview): with tlsConfig it is HTTPS whatever it names; without, a WebSocket
    # API's VPC link integration takes a URL, which may be https://: the check cannot run yet.
    assert _backend_tls(V2_INTEGRATION, {**private, "integrationUri": UNKNOWN,
                                         "tlsConfig": {"serverNameToVerify": "orders.shop.local"}}) == (set(), set())
    assert _backend_tls(V2_INTEGRATION, {**private, "integrationUri": UNKNOWN}) == (
        set(), {"apigateway-integration-backend-tls"})


def test_a_websocket_vpc_link_integration_is_judged_by_its_url():
    # A WebSocket API's private integration goes through a VPC link V1 to an NLB, named by URL (tlsConfig is for HTTP
    # APIs only).
    ws = {"integrationType": "HTTP", "connectionType": "VPC_LINK", "connectionId": "link"}
    assert _backend_tls(V2_INTEGRATION, {**ws, "integrationUri": "${stageVariables.backendUrl}"}) == (set(), set())
    found, _ = _backend_tls(V2_INTEGRATION, {**ws, "integrationUri": "http://nlb.shop.local/events"})
    assert [m.startswith("integrationUri http://nlb.shop.local/events is plain HTTP through the VPC link")
            for m in found] == [True]
    assert _backend_tls(V2_INTEGRATION, {**ws, "integrationUri": "https://nlb.shop.local/events"}) == (set(), set())


def test_integrations_that_call_no_http_backend_are_not_judged():
    lambda_uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f"
    assert _backend_tls(V2_INTEGRATION, {"integrationType": "AWS_PROXY", "integrationUri": lambda_uri}) == (
        set(), set())
    assert _backend_tls("aws:apigateway/integration:Integration", {"type": "MOCK"}) == (set(), set())
    # A VPC link V1 REST integration (p11 of the false-negative review): the NLB's DNS name over http://.
    found, _ = _backend_tls("aws:apigateway/integration:Integration", {
        "type": "HTTP_PROXY", "connectionType": "VPC_LINK", "connectionId": "link",
        "uri": "http://internal-nlb-0123.elb.us-east-1.amazonaws.com/orders"})
    assert len(found) == 1 and "is plain HTTP through the VPC link" in next(iter(found))


# --- a body's validator and RequestValidator resources ----------------------------------------------------------

VALIDATOR_POLICY = "apigateway-restapi-openapi-request-validator"
REST_API, REST_API_PUT = "aws:apigateway/restApi:RestApi", "aws:apigateway/restApiPut:RestApiPut"
REQUEST_VALIDATOR = "aws:apigateway/requestValidator:RequestValidator"
# A secured body whose methods all name validator 'strict', which only a RequestValidator resource makes.
STRICT_BODY = json.dumps({
    "openapi": "3.0.1", "info": {"title": "orders", "version": "1"},
    "x-amazon-apigateway-request-validator": "strict",
    "components": {"securitySchemes": {"api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"}}},
    "security": [{"api_key": []}],
    "paths": {"/orders": {"post": {"responses": {"200": {"description": "ok"}}}}}})
NO_STRICT = ("POST /orders in the OpenAPI body names request validator 'strict', which the body does not define in "
             "`x-amazon-apigateway-request-validators`: API Gateway has none to attach, so importing the body fails at "
             "`up` or the method goes unvalidated (a RequestValidator resource does not count, whatever "
             "putRestApiMode says: the extension names one of the body's own validators); define a "
             "validator in `x-amazon-apigateway-request-validators` with validateRequestBody or "
             "validateRequestParameters true and name it in `x-amazon-apigateway-request-validator`")


def _body_and_validator(api: Res, validator: dict, *, on: str = "body-api", unknown: bool = False) -> list[Res]:
    """`api` (holding or, through a RestApiPut, given STRICT_BODY) and a RequestValidator on the REST API `on`, its
    restApi the API's id; with `unknown`, the id and the validator's name as a first preview has them."""
    resources = [api, Res(REST_API, "other-api", {"name": "other"})]
    if api.type == REST_API_PUT:
        resources.append(Res(REST_API, "body-api", {"name": "orders"}))
    props = {"restApi": UNKNOWN if unknown else f"{on}-id", **validator}
    if unknown:
        props["name"] = UNKNOWN
    resources.append(Res(REQUEST_VALIDATOR, "strict-validator", props, {"restApi": [on]}))
    return resources


def _validator_findings(resources: list[Res]) -> set[tuple[str, str]]:
    return {(name, message) for policy, name, message in findings(analyze(resources)) if policy == VALIDATOR_POLICY}


STRICT = {"name": "strict", "validateRequestBody": True, "validateRequestParameters": True}
MERGE_API = Res(REST_API, "body-api", {"name": "orders", "body": STRICT_BODY, "putRestApiMode": "merge"})


def test_a_body_naming_a_request_validator_resources_validator_is_reported_whatever_the_put_mode():
    # merge keeps the API's validators at a later put, but the extension names one of the body's, and the first put
    # runs in the API's own create, before a RequestValidator (which needs the API's id) exists.
    cases = {
        "merge, a validating RequestValidator": _body_and_validator(MERGE_API, STRICT),
        "merge, a RequestValidator that validates nothing": _body_and_validator(
            MERGE_API, {"name": "strict", "validateRequestBody": False}),
        "overwrite": _body_and_validator(Res(REST_API, "body-api", {**MERGE_API.props, "putRestApiMode": "overwrite"}),
                                         STRICT),
        "the default mode (overwrite)": _body_and_validator(
            Res(REST_API, "body-api", {"name": "orders", "body": STRICT_BODY}), STRICT),
        "a RequestValidator on another API": _body_and_validator(MERGE_API, STRICT, on="other-api"),
    }
    for case, resources in cases.items():
        assert _validator_findings(resources) == {("body-api", NO_STRICT)}, case
    put = Res(REST_API_PUT, "orders-put", {"restApiId": "body-api-id", "body": STRICT_BODY},
              {"restApiId": ["body-api"]})
    assert _validator_findings(_body_and_validator(put, STRICT)) == {("orders-put", NO_STRICT)}


def test_unknown_ids_and_validator_names_add_no_finding():
    for known, first in [(_body_and_validator(MERGE_API, STRICT), _body_and_validator(MERGE_API, STRICT, unknown=True)),
                         (_body_and_validator(MERGE_API, STRICT, on="other-api"),
                          _body_and_validator(MERGE_API, STRICT, on="other-api", unknown=True))]:
        assert _validator_findings(first) <= _validator_findings(known)


def test_a_validator_flag_written_as_a_string_is_named_in_the_finding():
    # The extension's flags are Booleans; what the import makes of "true" is not documented, so it is not true.
    document = {**json.loads(STRICT_BODY), "x-amazon-apigateway-request-validators": {
        "strict": {"validateRequestBody": "true", "validateRequestParameters": "false"}}}
    api = Res(REST_API, "body-api", {"name": "orders", "body": json.dumps(document)})
    assert _validator_findings([api]) == {("body-api", (
        "POST /orders in the OpenAPI body uses request validator 'strict', which validates neither the body nor the "
        "parameters (validateRequestBody and validateRequestParameters are not true; validateRequestBody is the "
        "string \"true\", and the extension takes Booleans: write true unquoted); define a validator in "
        "`x-amazon-apigateway-request-validators` with validateRequestBody or validateRequestParameters true and name "
        "it in `x-amazon-apigateway-request-validator`"))}
    document["x-amazon-apigateway-request-validators"]["strict"]["validateRequestBody"] = True
    assert _validator_findings([Res(REST_API, "body-api", {"name": "orders", "body": json.dumps(document)})]) == set()


@pytest.mark.parametrize("kind", ["aws:apigateway/restApi:RestApi", "aws:apigateway/restApiPut:RestApiPut"])
def test_an_openapi_bodys_integrations_verify_tls_and_use_vpc_link_v2_as_resources_do(kind):
    """An `x-amazon-apigateway-integration` takes the same tlsConfig, connectionType and integrationTarget as an
    Integration, and importing the body makes that integration (a review of REST APIs written as OpenAPI)."""
    def operation(**integration) -> dict:
        return {"security": [{"api_key": []}], "x-amazon-apigateway-integration": {
            "type": "http_proxy", "httpMethod": "GET", **integration}}

    skip = {"tlsConfig": {"insecureSkipVerification": True}}
    body = json.dumps({"openapi": "3.0.1", "info": {"title": "pets", "version": "1"},
                       "components": {"securitySchemes": {"api_key": {"type": "apiKey", "name": "x-api-key",
                                                                      "in": "header"}}},
                       "paths": {"/pets": {"get": operation(uri="https://pets.example.com", **skip)},
                                 "/private": {"get": operation(uri="https://nlb.shop.local/", connectionType="VPC_LINK",
                                                               connectionId="link", **skip)},
                                 "/v2": {"get": operation(uri="https://orders.shop.local/", connectionType="VPC_LINK",
                                                          connectionId="link2", integrationTarget="arn:alb")},
                                 "/safe": {"get": operation(uri="https://safe.example.com")}}})
    props = {"body": body, "restApiId": "api"} if kind.endswith("RestApiPut") else {"name": "pets", "body": body}
    found = {(policy, message.split(":", 1)[0]) for policy, _, message in findings(analyze([Res(kind, "api", props)]))
             if policy in ("apigateway-integration-tls-verification", "apigateway-integration-vpc-link-v2")}
    assert found == {("apigateway-integration-tls-verification", "GET /pets"),
                     ("apigateway-integration-tls-verification", "GET /private"),
                     ("apigateway-integration-vpc-link-v2", "GET /private")}
    # The knob exempts a private-CA host behind a VPC link V1, in a body as in a resource.
    tuned = analyze([Res(kind, "api", props)],
                    {"apigateway-integration-tls-verification": {"privateCaHosts": ["*.shop.local"]}})
    assert {message.split(":", 1)[0] for policy, _, message in findings(tuned)
            if policy == "apigateway-integration-tls-verification"} == {"GET /pets"}


# --- a Method's request validator: a RequestValidator of the stack --------------------------------------------------

METHOD_VALIDATOR_POLICY = "apigateway-method-request-validator"
METHOD = "aws:apigateway/method:Method"
NOOP = ("POST uses request validator noop, which validates neither the body nor the parameters (validateRequestBody "
        "and validateRequestParameters are not true, and both default to false), so API Gateway passes malformed "
        "requests to the backend; set validateRequestBody or validateRequestParameters true")


def _method_and_validators(validator_id, *made_from: str, verb: str = "POST", ids_unknown: bool = False,
                           **flags) -> list[Res]:
    """REST API `api`, its validators 'strict' (validates the body) and 'noop' (`flags`, else neither flag), and a
    `verb` method naming `validator_id`, made from the validators `made_from` names; with `ids_unknown`, every id as a
    first preview has it."""
    def known(value):
        return UNKNOWN if ids_unknown else value

    validators = [Res(REQUEST_VALIDATOR, name, {"restApi": known("api-id"), "id": known(f"{name}-id"), "name": name,
                                                **props}, {"restApi": ["api"]})
                  for name, props in (("strict", {"validateRequestBody": True}), ("noop", flags))]
    method = Res(METHOD, "method", {"restApi": known("api-id"), "resourceId": "root", "httpMethod": verb,
                                    "authorization": "AWS_IAM", "requestValidatorId": validator_id},
                 {"restApi": ["api"], **({"requestValidatorId": list(made_from)} if made_from else {})})
    return [Res(REST_API, "api", {"name": "orders", "id": known("api-id")}), *validators, method]


def _method_validator_findings(resources: list[Res]) -> set[str]:
    return {message for policy, _, message in findings(analyze(resources)) if policy == METHOD_VALIDATOR_POLICY}


@pytest.mark.parametrize("flags, found", [
    ({}, {NOOP}),  # both left out: both default to false
    ({"validateRequestBody": False, "validateRequestParameters": False}, {NOOP}),
    ({"validateRequestBody": False, "validateRequestParameters": True}, set()),
    ({"validateRequestBody": True}, set()),
])
def test_a_method_uses_a_request_validator_of_the_stack_only_if_it_validates_something(flags, found):
    """As apigateway-restapi-openapi-request-validator asks of a body's methods: a validator that validates neither
    the body nor the parameters passes every request on (p1 of the API Gateway false-negative review)."""
    # Named by its known id, and through a link (a first preview: every id unknown), the same finding.
    assert _method_validator_findings(_method_and_validators("noop-id", **flags)) == found
    assert _method_validator_findings(_method_and_validators(UNKNOWN, "noop", ids_unknown=True, **flags)) == found
    assert _method_validator_findings(_method_and_validators("strict-id", "strict", **flags)) == set()
    # CORS preflight is exempt, as it is from having a validator at all.
    assert _method_validator_findings(_method_and_validators("noop-id", verb="OPTIONS", **flags)) == set()


@pytest.mark.parametrize("case, resources", [
    ("another stack's validator, by its id", _method_and_validators("abc123")),
    ("an id unknown and made from nothing in the stack (a stack reference)", _method_and_validators(UNKNOWN)),
    ("an id picked among two validators' ids", _method_and_validators(UNKNOWN, "strict", "noop", ids_unknown=True)),
    ("a flag unknown until the update", _method_and_validators("noop-id", validateRequestBody=UNKNOWN,
                                                               validateRequestParameters=False)),
    ("both flags unknown, the id too", _method_and_validators(UNKNOWN, "noop", ids_unknown=True,
                                                              validateRequestBody=UNKNOWN,
                                                              validateRequestParameters=UNKNOWN)),
])
def test_a_validator_the_stack_cannot_show_to_validate_nothing_is_not_judged(case, resources):
    assert _method_validator_findings(resources) == set(), case


def test_a_method_without_a_validator_is_still_reported_beside_validators_of_the_stack():
    resources = _method_and_validators(None)
    del resources[-1].props["requestValidatorId"]
    assert _method_validator_findings(resources) == {"POST has no requestValidatorId"}


# --- a stage's cache: its */* settings encrypt what API Gateway caches by default ------------------------------------

STAGE_CACHE_POLICY = "apigateway-stage-cache-encrypted"
STAGE, METHOD_SETTINGS = "aws:apigateway/stage:Stage", "aws:apigateway/methodSettings:MethodSettings"
PLAIN_CACHE = ("stage 'prod' has a cache cluster (cacheClusterEnabled), and its */* MethodSettings {} leave the cache "
               "unencrypted: API Gateway caches the stage's GET methods by default; set cacheDataEncrypted true in the "
               "*/* settings (or cachingEnabled false)")
NO_ALL_METHODS = ("stage 'prod' has a cache cluster (cacheClusterEnabled) but no */* MethodSettings: API Gateway "
                  "caches its GET methods by default, unencrypted (cacheDataEncrypted defaults to false); add */* "
                  "MethodSettings with cacheDataEncrypted true")


def _cached_stage(*blocks, cache=True, ids_unknown: bool = False) -> list[Res]:
    """REST API `api`, its stage 'prod' with `cacheClusterEnabled` `cache`, and a */* MethodSettings per `blocks` (its
    `settings`: all-methods, all-methods-1...) drawn from the stage's name; with `ids_unknown`, the ids and that name
    as a first preview has them."""
    api_id = UNKNOWN if ids_unknown else "api-id"
    resources = [Res(REST_API, "api", {"name": "orders", "id": api_id}),
                 Res(STAGE, "stage", {"restApi": api_id, "stageName": "prod", "cacheClusterEnabled": cache},
                     {"restApi": ["api"]})]
    for i, block in enumerate(blocks):
        resources.append(Res(METHOD_SETTINGS, "all-methods" + (f"-{i}" if i else ""), {
            "restApi": api_id, "stageName": UNKNOWN if ids_unknown else "prod", "methodPath": "*/*",
            "settings": block}, {"restApi": ["api"], "stageName": ["stage"]}))
    return resources


def _stage_cache_findings(resources: list[Res]) -> set[tuple[str, str]]:
    return {(name, message) for policy, name, message in findings(analyze(resources)) if policy == STAGE_CACHE_POLICY}


LOGS = {"loggingLevel": "ERROR", "metricsEnabled": True}


@pytest.mark.parametrize("blocks, found", [
    # The stage's GETs are cached by default (AWS's "Cache settings for REST APIs"), unencrypted by default.
    ([LOGS], {PLAIN_CACHE.format("all-methods (cacheDataEncrypted unset (false))")}),
    ([{**LOGS, "cacheDataEncrypted": False}], {PLAIN_CACHE.format("all-methods (cacheDataEncrypted false)")}),
    # Settings that turn caching on themselves: the MethodSettings policy reports them, once.
    ([{**LOGS, "cachingEnabled": True}], set()),
    ([], {NO_ALL_METHODS}),
    # Either may be written last: the one that does not encrypt is named.
    ([{**LOGS, "cacheDataEncrypted": True}, LOGS],
     {PLAIN_CACHE.format("all-methods-1 (cacheDataEncrypted unset (false))")}),
    ([{**LOGS, "cacheDataEncrypted": True}], set()),
    ([{**LOGS, "cachingEnabled": False}], set()),
    ([{**LOGS, "cachingEnabled": True, "cacheDataEncrypted": True}], set()),
])
def test_a_stage_with_a_cache_cluster_encrypts_it_in_its_all_methods_settings(blocks, found):
    """Security Hub APIGateway.5, of a stage whose */* settings set no cache encryption (p7 of the API Gateway
    false-negative review): the MethodSettings policy read only settings that switch caching on themselves."""
    expected = {("stage", message) for message in found}
    assert _stage_cache_findings(_cached_stage(*blocks)) == expected
    # A first preview (ids and the linked stage name unknown) finds the same.
    assert _stage_cache_findings(_cached_stage(*blocks, ids_unknown=True)) == expected
    # Without a cache cluster there is nothing to encrypt.
    for cache in (False, None):
        assert _stage_cache_findings(_cached_stage(*blocks, cache=cache)) == set()


def _with(resources: list[Res], name: str, **props) -> list[Res]:
    for resource in resources:
        if resource.name == name:
            resource.props.update(props)
    return resources


@pytest.mark.parametrize("case, resources", [
    ("the cache cluster unknown until the update", _cached_stage(LOGS, cache=UNKNOWN)),
    ("the stage's name unknown until the update", _with(_cached_stage(LOGS), "stage", stageName=UNKNOWN)),
    ("cacheDataEncrypted unknown until the update", _cached_stage({**LOGS, "cacheDataEncrypted": UNKNOWN})),
    ("cachingEnabled unknown until the update", _cached_stage({**LOGS, "cachingEnabled": UNKNOWN})),
    ("the settings block unknown until the update", _cached_stage(UNKNOWN)),
    ("one of two */* settings unknown until the update",
     _cached_stage(LOGS, {**LOGS, "cacheDataEncrypted": UNKNOWN})),
    # Named by value on an API id unknown and not linked: another API's stage of the same name, or this one.
    ("*/* settings that may be another API's", [
        *_cached_stage(), Res(METHOD_SETTINGS, "all-methods", {
            "restApi": UNKNOWN, "stageName": "prod", "methodPath": "*/*", "settings": LOGS})]),
    ("settings whose path is unknown until the update", [
        *_cached_stage(), Res(METHOD_SETTINGS, "all-methods", {
            "restApi": "api-id", "stageName": "prod", "methodPath": UNKNOWN, "settings": LOGS}, {"restApi": ["api"]})]),
    # Beside */* settings surely the stage's that do not encrypt: when known, it may join the message's list.
    ("settings whose path is unknown beside the stage's own", [
        *_cached_stage(LOGS), Res(METHOD_SETTINGS, "other", {
            "restApi": "api-id", "stageName": "prod", "methodPath": UNKNOWN, "settings": LOGS}, {"restApi": ["api"]})]),
])
def test_a_stage_cache_the_stack_cannot_show_unencrypted_is_not_judged(case, resources):
    assert _stage_cache_findings(resources) == set(), case


def test_another_apis_all_methods_settings_do_not_encrypt_a_stages_cache():
    # 'prod' of another API, by known ids: this stage has no */* settings of its own.
    other = Res(METHOD_SETTINGS, "all-methods", {"restApi": "other-api-id", "stageName": "prod", "methodPath": "*/*",
                                                 "settings": {**LOGS, "cacheDataEncrypted": True}})
    assert _stage_cache_findings([*_cached_stage(), other]) == {("stage", NO_ALL_METHODS)}


@pytest.mark.parametrize("odd", [{"x": "y"}, ["x"], 7, True])
@pytest.mark.parametrize("baseline,resource,key", [
    ("rest_api", "stage", "stageName"), ("websocket_api", "ws-stage", "name"), ("http_api", "any-route", "routeKey")])
def test_a_stage_name_or_route_key_of_another_shape_breaks_no_policy(baseline, resource, key, odd):
    """A map or list where a REST stage's stageName, a WebSocket stage's name or a route's routeKey belongs (the
    provider's check would refuse it) could not be looked up in the knobs' sets: TypeError, and the stack policy gave
    no verdict. Only text names a stage or route: a WebSocket stage is judged as before, a REST stage (whose
    stageName the method settings name) and a route are not."""
    import tests.test_policies_mutations as mutations
    resources = getattr(mutations, baseline)()
    odd_one = next(r for r in resources if r.name == resource)
    odd_one.props[key] = odd
    if key == "routeKey":
        odd_one.props["authorizationType"] = "NONE"
    config = {"all": "mandatory", "apigateway-stage-waf": {"exemptStages": ["prod"]},
              "apigatewayv2-websocket-stage-execution-logging": {"exemptStages": ["live"]},
              "apigatewayv2-route-authorization": {"openRoutes": ["GET /health"]}}
    assert {(policy, name) for policy, name, _ in findings(analyze(resources, config))} == set()


def test_a_websocket_stage_whose_name_is_not_text_is_judged_under_its_resource_name():
    """A WebSocket stage's name given as a map names no stage: the stage is still judged, and its finding names it by
    the resource (not by the map's repr, which held a memory address and so changed at every run)."""
    import tests.test_policies_mutations as mutations
    resources = mutations.websocket_api()
    stage = next(r for r in resources if r.name == "ws-stage")
    stage.props["name"] = {"x": "y"}
    stage.props["defaultRouteSettings"] = {**stage.props["defaultRouteSettings"], "loggingLevel": "OFF"}
    policy = "apigatewayv2-websocket-stage-execution-logging"
    assert {(p, name, message.split(":")[0]) for p, name, message in
            findings(analyze(resources, {"all": "disabled", policy: "mandatory"}))} == {
        (policy, "ws-stage", "stage 'ws-stage'")}
