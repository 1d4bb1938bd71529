"""The public API layer (issue 5), asserted on what the engine receives.

The component is previewed on its own through tests/programs/api_only (real stack config, literal ingress
NLB and alarm topic), in variants that differ in one thing each: `test` is dev as it is, `prod` is prod as
it is, `rerouted` moves a route, `timeout` changes an integration in place, `jwt` and `iam` switch the
authorizer (jwt also turns caching and WAF on by config).
"""
from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from components.config import (API_METHODS, ConfigError, parse_config, plain_text_paths, refuse_plain_credentials,
                               secure_paths, stack_file_path)
from tests.conftest import ROOT, dev_raw_config, preview, program_with_stack, raw_config, shared_preview, with_value
from tools import preview as preview_cli
from tools.mockrun import SECRET_PLACEHOLDER, fake_arn
from tools.preview import PreviewResult, run_preview

PROGRAM = ROOT / "tests" / "programs" / "api_only"
REGION = "us-east-1"
NLB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/test-ingress/0123456789abcdef"
NLB_DNS = "test-ingress-0123456789abcdef.elb.us-east-1.amazonaws.com"
LISTENER_PORT = 8080
PAGING_ARN = "arn:aws:sns:us-east-1:123456789012:test-alarms-page"
TICKET_ARN = "arn:aws:sns:us-east-1:123456789012:test-alarms-ticket"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:dev-jwt-authorizer"
ROUTES = {"/users": "users", "/products": "products", "/orders": "orders"}

T = {name: f"aws:apigateway/{name[0].lower() + name[1:]}:{name}" for name in (
    "RestApi", "Resource", "Method", "Integration", "VpcLink", "Authorizer", "RequestValidator", "Deployment",
    "Stage", "MethodSettings", "UsagePlan", "UsagePlanKey", "ApiKey", "ClientCertificate", "Account",
    "DomainName", "BasePathMapping", "IntegrationResponse", "MethodResponse", "Response")}
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
# API Gateway may assume its roles only for this account (confused deputy). IfExists: API Gateway does not
# document setting the key when it assumes a role, and a missing key must not break logging or auth.
API_GATEWAY_CONFUSED_DEPUTY = {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}}
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
USER_POOL = "aws:cognito/userPool:UserPool"


def _preview(stack: str) -> PreviewResult:
    result = shared_preview(stack, PROGRAM)
    assert result.error is None, result.error
    return result


@pytest.fixture(scope="module")
def dev() -> PreviewResult:
    return _preview("test")


@pytest.fixture(scope="module")
def prod() -> PreviewResult:
    return _preview("prod")


@pytest.fixture(scope="module")
def jwt() -> PreviewResult:
    return _preview("jwt")


@pytest.fixture(scope="module")
def iam() -> PreviewResult:
    return _preview("iam")


def _id(r: PreviewResult, type_: str, name: str) -> str:
    """The mock id the engine would hand dependents: the resource must exist for it to count."""
    r.get(type_, name)
    return f"{name}-id"


def _methods(r: PreviewResult, *, options: bool = False) -> list:
    return [m for m in r.find(T["Method"]) if (m.inputs["httpMethod"] == "OPTIONS") == options]


# --- routes -----------------------------------------------------------------------------------------


def test_each_public_prefix_has_its_resource_and_a_greedy_child(dev):
    resources = {r.name: r.inputs for r in dev.find(T["Resource"])}
    assert len(resources) == 2 * len(ROUTES)
    for part in ROUTES.values():
        assert resources[f"api-{part}"] == {"restApi": "api-api-id", "parentId": "api-api-rootres", "pathPart": part}
        assert resources[f"api-{part}-proxy"] == {"restApi": "api-api-id", "parentId": f"api-{part}-id",
                                                  "pathPart": "{proxy+}"}
    # payment-service has no publicPath: it stays inside the mesh.
    assert not [n for n in resources if "payment" in n]


def test_every_route_is_an_http_proxy_over_the_vpc_link_to_the_ingress_nlb(dev):
    link = dev.get(T["VpcLink"], "api-ingress")
    assert link.inputs["targetArn"] == NLB_ARN
    for prefix, part in ROUTES.items():
        for label, path, proxied in ((part, prefix, False), (f"{part}-proxy", f"{prefix}/{{proxy}}", True)):
            for verb in API_METHODS:
                name = f"api-{label}-{verb.lower()}"
                integration = dev.get(T["Integration"], name).inputs
                assert integration["type"] == "HTTP_PROXY"
                assert integration["connectionType"] == "VPC_LINK"
                assert integration["connectionId"] == _id(dev, T["VpcLink"], "api-ingress")
                assert integration["httpMethod"] == integration["integrationHttpMethod"] == verb
                assert integration["resourceId"] == f"api-{label}-id"
                # The path reaches the virtual gateway as the client sent it, prefix included.
                assert integration["uri"] == f"http://{NLB_DNS}:{LISTENER_PORT}{path}"
                assert integration["timeoutMilliseconds"] == 29000
                assert "tlsConfig" not in integration
                method = dev.get(T["Method"], name).inputs
                if proxied:
                    assert integration["requestParameters"] == {
                        "integration.request.path.proxy": "method.request.path.proxy"}
                    assert method["requestParameters"] == {"method.request.path.proxy": True}
                else:
                    assert "requestParameters" not in integration
    proxied_verbs = {m.inputs["httpMethod"] for m in _methods(dev)}
    assert proxied_verbs == set(API_METHODS) and "ANY" not in proxied_verbs


def test_tls_to_the_ingress_gateway_with_the_mesh_issued_client_certificate():
    r = _preview("tls")
    proxied = [i.inputs for i in r.find(T["Integration"]) if i.inputs["type"] == "HTTP_PROXY"]
    assert len(proxied) == len(ROUTES) * 2 * len(API_METHODS)
    for integration in proxied:
        # The VPC link still carries the connection to the NLB; the URI names the gateway certificate's SAN,
        # which API Gateway checks (with the issuer check off: the mesh CA is private).
        assert integration["connectionId"] == "api-ingress-id"
        assert integration["uri"].startswith(f"https://ingress-gateway.dev.ecommerce.local:{LISTENER_PORT}/")
        assert integration["tlsConfig"] == {"insecureSkipVerification": True}
    assert r.get(T["Integration"], "api-orders-proxy-post").inputs["uri"] == (
        f"https://ingress-gateway.dev.ecommerce.local:{LISTENER_PORT}/orders/{{proxy}}")
    # The stage presents the certificate the gateway trusts, and the component issues none of its own.
    assert r.get(T["Stage"], "api-stage").inputs["clientCertificateId"] == "mesh-api-client-id"
    assert [c.name for c in r.find(T["ClientCertificate"])] == ["mesh-api-client"]
    plain = _preview("test").get(T["Deployment"], "api-deployment").inputs["triggers"]["routes"]
    assert r.get(T["Deployment"], "api-deployment").inputs["triggers"]["routes"] != plain


def test_integration_timeout_comes_from_config():
    r = _preview("timeout")
    timeouts = {i.inputs["timeoutMilliseconds"] for i in r.find(T["Integration"]) if i.inputs["type"] == "HTTP_PROXY"}
    assert timeouts == {10000}


# --- auth -------------------------------------------------------------------------------------------


def test_every_non_options_method_needs_an_api_key_and_the_cognito_authorizer(dev):
    authorizer = dev.get(T["Authorizer"], "api-auth-cognito").inputs
    assert authorizer["type"] == "COGNITO_USER_POOLS"
    assert authorizer["providerArns"] == [fake_arn(USER_POOL, "api-auth-users", REGION)]
    assert authorizer["identitySource"] == "method.request.header.Authorization"
    validator = dev.get(T["RequestValidator"], "api-params").inputs
    assert validator["validateRequestParameters"] is True
    methods = _methods(dev)
    assert len(methods) == len(ROUTES) * 2 * len(API_METHODS)
    for method in methods:
        assert method.inputs["apiKeyRequired"] is True, method.name
        assert method.inputs["authorization"] == "COGNITO_USER_POOLS", method.name
        assert method.inputs["authorizerId"] == "api-auth-cognito-id", method.name
        assert method.inputs["requestValidatorId"] == "api-params-id", method.name


def test_cors_preflight_is_the_only_open_method_and_never_reaches_the_mesh(dev):
    preflights = _methods(dev, options=True)
    assert len(preflights) == len(ROUTES) * 2
    for method in preflights:
        assert method.inputs["authorization"] == "NONE" and method.inputs["apiKeyRequired"] is False
        assert dev.get(T["Integration"], method.name).inputs["type"] == "MOCK"
        response = dev.get(T["IntegrationResponse"], method.name)
        headers = response.inputs["responseParameters"]
        assert headers["method.response.header.Access-Control-Allow-Origin"] == "'http://localhost:3000'"
        # Nothing the response reads names the integration, and API Gateway refuses a response put before it
        # ("Invalid Integration identifier specified"): it waits for it.
        assert dev.get(T["Integration"], method.name).urn in response.dependencies
    # API Gateway's own 4XX/5XX (no key, throttled) carry the origin too, or the browser hides them.
    for name in ("api-default-4xx", "api-default-5xx"):
        response = dev.get(T["Response"], name).inputs
        assert response["responseParameters"] == {
            "gatewayresponse.header.Access-Control-Allow-Origin": "'http://localhost:3000'"}
        # The body API Gateway gives by default, written out rather than left to whatever AWS reads back.
        assert response["responseTemplates"] == {"application/json": '{"message":$context.error.messageString}'}


def test_no_method_is_open_under_any_auth_type(dev, jwt, iam):
    for r in (dev, jwt, iam):
        for method in r.find(T["Method"]):
            if method.inputs["httpMethod"] == "OPTIONS":
                continue
            assert method.inputs.get("authorization", "NONE") != "NONE", method.name
            assert method.inputs["apiKeyRequired"] is True, method.name


def test_created_user_pool_is_a_protected_identity_store_in_prod(dev, prod):
    for r, protected in ((dev, False), (prod, True)):
        pool = r.get(USER_POOL, "api-auth-users")
        assert pool.protect is protected
        assert pool.inputs["deletionProtection"] == ("ACTIVE" if protected else "INACTIVE")
        assert pool.inputs["mfaConfiguration"] == "OPTIONAL"
        assert pool.inputs["softwareTokenMfaConfiguration"] == {"enabled": True}
        policy = pool.inputs["passwordPolicy"]
        assert policy["minimumLength"] >= 12
        assert all(policy[k] for k in ("requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"))
        # Shoppers sign themselves up (the stacks' default).
        assert pool.inputs["adminCreateUserConfig"] == {"allowAdminCreateUserOnly": False}
    clients = {c.inputs["name"]: c.inputs for c in dev.find("aws:cognito/userPoolClient:UserPoolClient")}
    assert set(clients) == {"dev-web-storefront", "dev-mobile-app"}
    assert all(c["generateSecret"] is False and c["userPoolId"] == "api-auth-users-id" for c in clients.values())
    for client in clients.values():
        # Public clients: SRP sign-in, no user enumeration, an hour's access, a month's refresh.
        assert client["explicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        assert client["preventUserExistenceErrors"] == "ENABLED" and client["enableTokenRevocation"] is True
        assert (client["accessTokenValidity"], client["idTokenValidity"], client["refreshTokenValidity"]) == (60, 60, 30)
        assert client["tokenValidityUnits"] == {"accessToken": "minutes", "idToken": "minutes", "refreshToken": "days"}


def test_the_iot_console_pool_takes_only_users_administrators_create(iot_preview):
    """Otherwise anyone holding the console's public client id could sign up and get tokens the API accepts."""
    [pool] = iot_preview.find(USER_POOL)
    assert pool.inputs["adminCreateUserConfig"] == {"allowAdminCreateUserOnly": True}


def test_the_prod_pool_mails_its_shoppers_through_ses(prod_preview):
    """Shoppers sign themselves up and get a code by mail: through the region's SES identity, not Cognito's own
    sender and its few messages a day. (prod-eu uses prod's pool: tests/test_multiregion.py.)"""
    [pool] = prod_preview.find(USER_POOL)
    assert pool.inputs["adminCreateUserConfig"] == {"allowAdminCreateUserOnly": False}
    assert pool.inputs["emailConfiguration"] == {
        "emailSendingAccount": "DEVELOPER", "fromEmailAddress": "Example Shop <no-reply@shop.example.com>",
        "sourceArn": "arn:aws:ses:us-east-1:111122223333:identity/shop.example.com"}


def test_without_an_email_sender_the_pool_has_no_email_block(dev_preview):
    """No empty block either: Cognito's own sender is what AWS applies without one."""
    [pool] = dev_preview.find(USER_POOL)
    assert "emailConfiguration" not in pool.inputs


@pytest.mark.parametrize("key,value", [("selfSignUp", False), ("emailSender", {
    "identityArn": "arn:aws:ses:us-east-1:111122223333:identity/ops@shop.example.com"})])
def test_self_sign_up_and_the_email_sender_are_settings_of_the_pool_the_stack_creates(key, value):
    def mutate(raw):
        raw["api"]["auth"].update({key: value, "userPoolArn": "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbCdEf123"})
    assert _error(mutate) == (f"Pulumi.dev.yaml: api.auth.{key}: only applies to the user pool the stack "
                              "creates (auth.type cognito without userPoolArn)")


def test_a_token_authorizer_of_another_region_is_invoked_in_its_own():
    # CreateAuthorizer's authorizerUri: its region "is the same as the region hosting the Lambda function"; the
    # stack's region went there (a bad-input review).
    elsewhere = LAMBDA_ARN.replace("us-east-1", "eu-west-1")
    result = shared_preview("jwt", PROGRAM, config_overrides=[f"api.auth.authorizerLambdaArn={elsewhere}"])
    assert result.error is None, result.error
    assert result.get(T["Authorizer"], "api-auth-token").inputs["authorizerUri"] == (
        f"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/{elsewhere}/invocations")


def test_jwt_uses_a_lambda_token_authorizer_invoked_through_its_own_role(jwt):
    authorizer = jwt.get(T["Authorizer"], "api-auth-token").inputs
    assert authorizer["type"] == "TOKEN"
    assert authorizer["authorizerUri"] == (
        f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{LAMBDA_ARN}/invocations")
    role = jwt.get("aws:iam/role:Role", "api-auth-invoke")
    assert authorizer["authorizerCredentials"] == fake_arn(role.type, role.name, REGION, role.inputs)
    assert authorizer["identitySource"] == "method.request.header.Authorization"
    # A header that is no bearer token gets API Gateway's own 401, without invoking (and paying for) the function.
    expression = re.compile(authorizer["identityValidationExpression"])
    jwt_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJl-_~+/="
    assert expression.fullmatch(f"Bearer {jwt_token}")
    for header in ("Basic dXNlcjpwYXNz", jwt_token, "Bearer ", "Bearer a b", "bearer " + jwt_token,
                   f"Bearer {jwt_token}\nX-Injected: 1"):
        assert not expression.search(header), header
    assert authorizer["authorizerResultTtlInSeconds"] == 300
    policy = json.loads(jwt.get("aws:iam/rolePolicy:RolePolicy", "api-auth-invoke").inputs["policy"])
    assert policy["Statement"] == [{"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [LAMBDA_ARN]}]
    trust = json.loads(jwt.get("aws:iam/role:Role", "api-auth-invoke").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert trust["Statement"][0]["Condition"] == API_GATEWAY_CONFUSED_DEPUTY
    assert not jwt.find(USER_POOL)
    assert {m.inputs["authorization"] for m in _methods(jwt)} == {"CUSTOM"}
    assert {m.inputs["authorizerId"] for m in _methods(jwt)} == {"api-auth-token-id"}


def test_iam_auth_signs_requests_without_an_authorizer_resource(iam):
    assert not iam.find(T["Authorizer"]) and not iam.find(USER_POOL)
    assert {m.inputs["authorization"] for m in iam.find(T["Method"])} == {"AWS_IAM"}
    assert all("authorizerId" not in m.inputs for m in iam.find(T["Method"]))


# --- usage plans and keys ---------------------------------------------------------------------------


def test_every_plan_has_its_throttle_and_quota_and_is_attached_to_the_stage(dev):
    plans = dev_raw_config()["api"]["usagePlans"]
    assert len(dev.find(T["UsagePlan"])) == len(plans)
    # The public clients' plans have no quota (anyone could spend it); the partners' has.
    assert [p["name"] for p in plans if "quota" in p] == ["partner"]
    for plan in plans:
        inputs = dev.get(T["UsagePlan"], f"api-plan-{plan['name']}").inputs
        assert inputs["throttleSettings"] == plan["throttle"]
        assert inputs.get("quotaSettings") == plan.get("quota")
        assert inputs["description"].endswith(f"{plan['quota']['limit']} per {plan['quota']['period']}"
                                              if "quota" in plan else "no quota (public clients)")
        (attachment,) = inputs["apiStages"]
        assert attachment["apiId"] == "api-api-id" and attachment["stage"] == "dev"
        expected = [{"path": f"{t['path']}/{t['method']}", "rateLimit": t["rateLimit"], "burstLimit": t["burstLimit"]}
                    for t in plan.get("methodThrottles", [])]
        assert attachment.get("throttles", []) == expected
    # The partner throttle names a method that exists: POST on /orders/{proxy+}.
    post = dev.get(T["Method"], "api-orders-proxy-post").inputs
    assert (post["resourceId"], post["httpMethod"]) == ("api-orders-proxy-id", "POST")
    # Usage plans only meter a stage once it exists.
    stage_urn = dev.get(T["Stage"], "api-stage").urn
    assert all(stage_urn in p.dependencies for p in dev.find(T["UsagePlan"]))


def test_each_consumer_key_is_generated_and_bound_to_its_plan(dev):
    consumers = dev_raw_config()["api"]["consumers"]
    assert len(dev.find(T["ApiKey"])) == len(dev.find(T["UsagePlanKey"])) == len(consumers)
    for consumer in consumers:
        key = dev.get(T["ApiKey"], f"api-key-{consumer['name']}")
        assert "value" not in key.inputs  # dev sets no keyValue: API Gateway generates it
        assert key.inputs["enabled"] is True  # a disabled key is refused with 403 on every call
        assert "value" in key.additional_secret_outputs
        binding = dev.get(T["UsagePlanKey"], f"api-key-{consumer['name']}")
        assert binding.inputs == {"keyId": f"api-key-{consumer['name']}-id", "keyType": "API_KEY",
                                  "usagePlanId": _id(dev, T["UsagePlan"], f"api-plan-{consumer['plan']}")}
        # A key is in one plan per stage: moving it to another plan deletes the old link first.
        assert binding.delete_before_replace is True


@pytest.mark.parametrize("length,problem", [
    (19, "is 19 characters; API Gateway takes 20 to 128"), (129, "is 129 characters; API Gateway takes 20 to 128")])
def test_a_key_value_api_gateway_would_refuse_gets_one_line(length, problem):
    raw = with_value(dev_raw_config(), "api.consumers[1].keyValue", "k" * length)
    with pytest.raises(ConfigError) as error:
        parse_config(raw, "Pulumi.dev.yaml", "us-east-1")
    assert str(error.value) == f"Pulumi.dev.yaml: api.consumers[1].keyValue: {problem}"
    for fits in (20, 128):
        raw = with_value(dev_raw_config(), "api.consumers[1].keyValue", "k" * fits)
        assert parse_config(raw, "Pulumi.dev.yaml", "us-east-1").api.consumers[1].key_value == "k" * fits


def test_a_key_value_in_plain_text_is_refused():
    """A value written without --secret would sit in git. The program gets every value decrypted, and the CLI marks
    only a whole top-level key secret (`api`, once any value under it is), so the stack file says which it holds
    in plain text."""
    raw = with_value(dev_raw_config(), "api.consumers[0].keyValue", "k" * 40)
    with pytest.raises(ConfigError) as error:
        parse_config(raw, "Pulumi.dev.yaml", "us-east-1", plain_paths={"api.consumers[0].keyValue", "environment"})
    assert str(error.value) == (
        "Pulumi.dev.yaml: api.consumers[0].keyValue: is plain text in the stack file: set it with pulumi config set "
        "--secret --path, which stores it encrypted (secure:)")
    assert parse_config(raw, "Pulumi.dev.yaml", "us-east-1", plain_paths={"environment"}).api.consumers[0].key_value
    # `pulumi config set api '<JSON>'` holds the whole section as one plain value.
    for above in ("api", "api.consumers", "api.consumers[0]"):
        with pytest.raises(ConfigError):
            parse_config(raw, "Pulumi.dev.yaml", "us-east-1", plain_paths={above})
    assert parse_config(raw, "Pulumi.dev.yaml", "us-east-1", plain_paths={"api.consumers[1]", "apis"})


def test_a_pager_endpoint_in_plain_text_is_refused():
    """README marks alarmPagerEndpoint secure: its URL carries the pager integration's key. It was read raw, so a
    plain one previewed clean (a bad-input review)."""
    raw = {**dev_raw_config(), "alarmPagerEndpoint": "https://events.pagerduty.com/integration/abc123/enqueue"}
    with pytest.raises(ConfigError) as error:
        parse_config(raw, "Pulumi.dev.yaml", "us-east-1", plain_paths={"alarmPagerEndpoint", "environment"})
    assert str(error.value) == (
        "Pulumi.dev.yaml: alarmPagerEndpoint: is plain text in the stack file: set it with pulumi config set "
        "--secret --path, which stores it encrypted (secure:)")
    alarms = parse_config(raw, "Pulumi.dev.yaml", "us-east-1", plain_paths={"environment"}).alarms
    assert alarms.pager_endpoint is not None
    # `alarmPagerEndpoint:` with nothing is no pager, and no secret to keep (the config fuzz writes it).
    empty = {**raw, "alarmPagerEndpoint": ""}
    assert parse_config(empty, "Pulumi.dev.yaml", "us-east-1", plain_paths={"alarmPagerEndpoint"}).alarms \
        .pager_endpoint is None


@pytest.mark.parametrize("path,value,where", [
    ("services[3].environment.DB_PASSWORD", "s3cret", "keep the value in Secrets Manager or Parameter Store and "
                                                      "name it in secrets, which ECS injects at start"),
    ("tags.CostCentre", "cc-1", "leave it plain if it is no secret"),
    ("api.description", "the shop", "leave it plain if it is no secret"),
    ("services[0].queryParameters[1]", "token", "leave it plain if it is no secret"),
    ("services[0].port", 8000, "leave it plain if it is no secret"),
    ("containerHealthCheck.command", "curl -f http://localhost:8080/health", "leave it plain if it is no secret"),
])
def test_a_secure_value_the_platform_writes_to_aws_as_it_is_is_refused(path, value, where):
    """A `secure:` environment variable reached the task definition decrypted, where every DescribeTaskDefinition
    shows it (a bad-input review): only the settings that keep a value secret take one."""
    raw = dev_raw_config()
    raw["services"][3].setdefault("environment", {})
    raw = with_value(raw, path, value)
    with pytest.raises(ConfigError) as error:
        parse_config(raw, "Pulumi.dev.yaml", "us-east-1", secure_paths={path})
    assert str(error.value) == (f"Pulumi.dev.yaml: {path}: is secure: in the stack file, but the platform writes it "
                                f"to AWS (and the stack's state) in plain text: {where}")
    # It says so as data, which the preview reads (its placeholder note would be beside the point); others do not.
    assert error.value.about_secrecy
    assert parse_config(raw, "Pulumi.dev.yaml", "us-east-1", secure_paths={"services[3].environment.OTHER"})
    with pytest.raises(ConfigError) as error:
        parse_config(with_value(raw, "services[0].port", 70000), "Pulumi.dev.yaml", "us-east-1")
    assert not error.value.about_secrecy


def test_a_secure_word_of_a_health_check_command_list_is_refused():
    raw = with_value(dev_raw_config(), "containerHealthCheck.command", ["/bin/check", "--token", "t0ken"])
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: containerHealthCheck.command\[2\]: is secure: in the "):
        parse_config(raw, "Pulumi.dev.yaml", "us-east-1", secure_paths={"containerHealthCheck.command[2]"})


def test_a_secure_key_value_and_a_whole_secure_section_are_taken():
    raw = with_value(dev_raw_config(), "api.consumers[0].keyValue", "k" * 40)
    assert parse_config(raw, "Pulumi.dev.yaml", "us-east-1", secure_paths={"api.consumers[0].keyValue"})
    # `pulumi config set --secret api '<JSON>'`: the program gets the section decoded; its values are no one's own.
    assert parse_config(raw, "Pulumi.dev.yaml", "us-east-1", secure_paths={"api"})


def test_the_stack_file_says_which_values_it_holds_as_secure(tmp_path):
    paths = secure_paths(ROOT / "Pulumi.prod.yaml", "service-mesh-platform")
    assert paths == {"api.consumers[0].keyValue", "api.consumers[1].keyValue", "alarmPagerEndpoint"}
    (tmp_path / "Pulumi.s.yaml").write_text("config:\n  aws:secretKey: {secure: v1:abc}\n"
                                             "  service-mesh-platform:tags:\n    Team: {secure: v1:def}\n")
    assert secure_paths(tmp_path / "Pulumi.s.yaml", "service-mesh-platform") == {"tags.Team"}


@pytest.mark.parametrize("key,variable", [
    ("secretKey", "AWS_SECRET_ACCESS_KEY"), ("accessKey", "AWS_ACCESS_KEY_ID"), ("token", "AWS_SESSION_TOKEN"),
    ("assumeRoleWithWebIdentity.webIdentityToken", "AWS_WEB_IDENTITY_TOKEN_FILE")])
def test_provider_credentials_in_plain_text_are_refused(tmp_path, key, variable):
    def stack_file(value: str) -> str:  # a path key as the CLI writes it with --path: nested mappings
        name, _, field = key.partition(".")
        return f"  aws:{name}:\n    {field}: {value}\n" if field else f"  aws:{name}: {value}\n"

    (tmp_path / "Pulumi.dev.yaml").write_text(f"config:\n  aws:region: us-east-1\n{stack_file('plain-credential')}")
    with pytest.raises(ConfigError) as error:
        refuse_plain_credentials(tmp_path / "Pulumi.dev.yaml", "Pulumi.dev.yaml", "service-mesh-platform")
    flags = "--secret --path" if "." in key else "--secret"
    assert str(error.value) == (f"Pulumi.dev.yaml: aws:{key}: is plain text in the stack file: set it with pulumi "
                                f"config set {flags}, or leave credentials to the environment ({variable})")
    (tmp_path / "Pulumi.dev.yaml").write_text(f"config:\n{stack_file('{secure: v1:abc}')}  {key}: not-aws\n")
    refuse_plain_credentials(tmp_path / "Pulumi.dev.yaml", "Pulumi.dev.yaml", "service-mesh-platform")


def test_the_stack_file_says_which_values_it_holds_in_plain_text(tmp_path):
    paths = plain_text_paths(ROOT / "Pulumi.prod.yaml", "service-mesh-platform")
    assert {"environment", "api.consumers[0].name", "api.consumers[1].plan", "services[3].externals[0]"} <= paths
    assert not {"api.consumers[0].keyValue", "api.consumers[1].keyValue", "alarmPagerEndpoint"} & paths
    assert not any(path.startswith(("aws:", "api.consumers[0].keyValue.")) for path in paths)
    (tmp_path / "Pulumi.x.yaml").write_text("config: [not, a, mapping]\n")
    assert plain_text_paths(tmp_path / "Pulumi.x.yaml", "service-mesh-platform") == set()
    # Values YAML 1.1 would guess into something it then fails to build are text here, as the CLI reads them.
    (tmp_path / "Pulumi.y.yaml").write_text("config:\n  service-mesh-platform:port: 0x_\n"
                                             "  service-mesh-platform:api: '{\"consumers\": []}'\n")
    assert plain_text_paths(tmp_path / "Pulumi.y.yaml", "service-mesh-platform") == {"port", "api"}
    # Encoded as UTF-16 with a byte-order mark, which the CLI reads; merge keys applied as the CLI applies them, a
    # mapping's own keys first.
    (tmp_path / "Pulumi.z.yaml").write_bytes((
        "config:\n  service-mesh-platform:api:\n    consumers:\n"
        "      - &first {name: a, plan: p, keyValue: plain-text-key-value-0001}\n"
        "      - {<<: *first, name: b}\n"
        "      - {<<: [*first], name: c, keyValue: {secure: v1:abc}}\n").encode("utf-16"))
    assert plain_text_paths(tmp_path / "Pulumi.z.yaml", "service-mesh-platform") == {
        f"api.consumers[{i}].{key}" for i in range(3) for key in ("name", "plan")} | {
        "api.consumers[0].keyValue", "api.consumers[1].keyValue"}


def test_the_stack_file_is_read_where_the_cli_reads_it(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    assert stack_file_path(tmp_path, "Pulumi.dev.yaml") == tmp_path / "Pulumi.dev.yaml"
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\nstackConfigDir: stacks\n")
    assert stack_file_path(tmp_path, "Pulumi.dev.yaml") == tmp_path / "stacks" / "Pulumi.dev.yaml"
    assert stack_file_path(tmp_path / "missing", "Pulumi.dev.yaml") == tmp_path / "missing" / "Pulumi.dev.yaml"
    # Under the project's directory even when written absolute (Go's filepath.Join); null is none; the old form.
    for written, directory in (("/etc/stacks", tmp_path / "etc" / "stacks"), ("~", tmp_path), ("null", tmp_path),
                               ("", tmp_path)):
        (tmp_path / "Pulumi.yaml").write_text(f"name: x\nruntime: python\nstackConfigDir: {written}\n")
        assert stack_file_path(tmp_path, "Pulumi.dev.yaml") == directory / "Pulumi.dev.yaml", written
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\nconfig: old\n")
    assert stack_file_path(tmp_path, "Pulumi.dev.yaml") == tmp_path / "old" / "Pulumi.dev.yaml"


def test_plain_values_are_found_under_every_key_form_the_cli_reads(tmp_path):
    """A key without a namespace is the project's, and `<project>:config:<name>` is the old form of the same key."""
    for key in ("api", "service-mesh-platform:api", "service-mesh-platform:config:api"):
        (tmp_path / "Pulumi.k.yaml").write_text(f"config:\n  {key}:\n    consumers:\n      - keyValue: plain\n"
                                                 "  other-project:api: x\n")
        assert plain_text_paths(tmp_path / "Pulumi.k.yaml", "service-mesh-platform") == {
            "api.consumers[0].keyValue"}, key
    assert plain_text_paths(tmp_path / "Pulumi.missing.yaml", "service-mesh-platform") == set()


def test_the_offline_preview_refuses_a_plain_key_value_and_takes_a_secure_one(tmp_path, capsys):
    """Through the preview's own reading of the stack file: a `secure:` value marks `api` secret, as the CLI does."""
    def with_key(value: str):
        def edit(text: str) -> str:
            anchor = "        plan: standard\n        public: true\n"
            assert text.count(anchor) == 1
            return text.replace(anchor, anchor + f"        keyValue: {value}\n")
        return edit

    for case in ("plain", "beside", "secure"):
        (tmp_path / case).mkdir()
    plain = program_with_stack(tmp_path / "plain", "dev", with_key("k" * 40))
    code = preview_cli.main(["--stack", "dev", "--cwd", str(plain)])
    assert (code, capsys.readouterr().err) == (
        2, "error: Pulumi.dev.yaml: api.consumers[0].keyValue: is plain text in the stack file: set it with pulumi "
           "config set --secret --path, which stores it encrypted (secure:)\n")
    # prod holds its consumers' values `secure:`, which makes all of `api` a secret: a plain one beside them is
    # still refused.
    beside = program_with_stack(tmp_path / "beside", "prod", lambda text: text.replace(
        "        keyValue:\n          secure: ", "        keyValue: plain-text-value-of-", 1))
    code = preview_cli.main(["--stack", "prod", "--cwd", str(beside)])
    assert (code, capsys.readouterr().err) == (
        2, "error: Pulumi.prod.yaml: api.consumers[0].keyValue: is plain text in the stack file: set it with pulumi "
           "config set --secret --path, which stores it encrypted (secure:)\n")
    secure = program_with_stack(tmp_path / "secure", "dev", with_key("{secure: AAABAKx0cGxhY2Vob2xkZXI=}"))
    result = run_preview("dev", secure)
    assert result.exit_code == 0, result.error
    key = result.get("aws:apigateway/apiKey:ApiKey", "dev-api-key-web-storefront")
    assert key.inputs["value"] == {"secret": SECRET_PLACEHOLDER}
    assert "value" not in result.get("aws:apigateway/apiKey:ApiKey", "dev-api-key-mobile-app").inputs


def test_key_ids_are_exported_only_as_secrets_and_key_values_never(dev):
    assert dev.outputs["apiKeyIds"] == {"secret": {"web-storefront": "api-key-web-storefront-id",
                                                   "mobile-app": "api-key-mobile-app-id"}}
    assert "value" not in json.dumps(dev.outputs)


# --- stage ------------------------------------------------------------------------------------------


def _access_log_fields(stage_inputs: dict) -> dict:
    # `$context.error.messageString` is already a quoted JSON string, so it stands unquoted in the format.
    fmt = stage_inputs["accessLogSettings"]["format"]
    assert '"errorMessage":$context.error.messageString' in fmt
    return json.loads(fmt.replace("$context.error.messageString", '"$context.error.messageString"'))


def test_stage_access_logs_go_to_their_own_group_as_json(dev, prod):
    for r, retention in ((dev, 14), (prod, 365)):
        stage = r.get(T["Stage"], "api-stage").inputs
        logs = r.get(LOG_GROUP, "api-access-logs")
        assert stage["accessLogSettings"]["destinationArn"] == \
            f"arn:aws:logs:{REGION}:123456789012:log-group:{logs.inputs['name']}"
        assert logs.inputs["retentionInDays"] == retention
        fields = _access_log_fields(stage)
        for key, variable in {"requestId": "$context.requestId", "caller": "$context.identity.caller",
                              "apiKeyId": "$context.identity.apiKeyId", "status": "$context.status",
                              "responseLatency": "$context.responseLatency",
                              "integrationLatency": "$context.integrationLatency",
                              "errorMessage": "$context.error.messageString"}.items():
            assert fields[key] == variable
        # The API key itself is never logged.
        assert "$context.identity.apiKey" not in fields.values()
    # Execution logs land in the group API Gateway names, created here so it has a retention.
    assert dev.get(LOG_GROUP, "api-execution-logs").inputs["name"] == "API-Gateway-Execution-Logs_api-api-id/dev"
    # Before the stage logs to it: the stage names it nowhere, and a stage first would have API Gateway create it
    # without a retention or the log key (and this group then fail to create: it exists).
    for r in (dev, prod):
        assert r.get(LOG_GROUP, "api-execution-logs").urn in r.get(T["Stage"], "api-stage").dependencies


def test_stage_traces_presents_a_client_certificate_and_serves_the_deployment(dev):
    stage = dev.get(T["Stage"], "api-stage")
    assert stage.inputs["stageName"] == "dev"
    assert stage.inputs["xrayTracingEnabled"] is True
    assert stage.inputs["clientCertificateId"] == _id(dev, T["ClientCertificate"], "api-client-cert")
    assert stage.inputs["deployment"] == _id(dev, T["Deployment"], "api-deployment")
    # dev leaves the account's CloudWatch role to prod (api.cloudWatchRole: false): nothing to wait for.
    assert dev.find(T["Account"]) == []


def test_account_cloudwatch_role(prod):
    account = prod.get(T["Account"], "api-account")
    role = prod.get("aws:iam/role:Role", "api-cloudwatch")
    assert account.inputs["cloudwatchRoleArn"] == fake_arn(role.type, role.name, REGION, role.inputs)
    # Logging needs the account's CloudWatch role in place first.
    assert account.urn in prod.get(T["Stage"], "api-stage").dependencies
    assert account.urn in prod.get(T["MethodSettings"], "api-all-methods").dependencies
    attachment = prod.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-cloudwatch")
    assert attachment.inputs["policyArn"] == \
        "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    # The account setting reads the role's ARN only: it waits for the role's permissions too, as API Gateway checks
    # that the role may write to CloudWatch Logs when it is set.
    assert attachment.urn in account.dependencies
    trust = json.loads(prod.get("aws:iam/role:Role", "api-cloudwatch").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert trust["Statement"][0]["Condition"] == API_GATEWAY_CONFUSED_DEPUTY


STACK_FILES = sorted(ROOT.glob("Pulumi.*.yaml"))


def test_one_stack_per_region_sets_the_accounts_cloudwatch_role():
    """The shipped stacks share one account (their files say so): in each region exactly one sets the
    account-and-region setting, so no two overwrite it and destroying dev or iot cannot reset it."""
    owners: dict[str, list[str]] = {}
    for path in STACK_FILES:
        stack = path.stem.split(".", 1)[1]
        raw = raw_config(stack)
        region = yaml.safe_load(path.read_text())["config"]["aws:region"]
        config = parse_config(raw, path.name, region)
        owners.setdefault(region, []).extend([stack] if config.api.cloudwatch_role else [])
    assert {region: len(stacks) for region, stacks in owners.items()} == dict.fromkeys(owners, 1)
    assert owners.items() >= {"us-east-1": ["prod"], "eu-west-1": ["prod-eu"]}.items()


def test_a_stack_that_leaves_the_cloudwatch_role_to_another_creates_none_and_waits_for_none(
        dev_preview, iot_preview, prod_preview):
    (account,) = prod_preview.find(T["Account"])
    role = prod_preview.get("aws:iam/role:Role", "prod-api-cloudwatch")
    assert account.inputs["cloudwatchRoleArn"] == fake_arn(role.type, role.name, REGION, role.inputs)
    assert account.urn in prod_preview.get(T["Stage"], "prod-api-stage").dependencies
    for result in (dev_preview, iot_preview):
        assert result.find(T["Account"]) == []
        assert not [r for r in result.find("aws:iam/role:Role") if r.name.endswith("-api-cloudwatch")]
        stage = result.get(T["Stage"], f"{result.stack}-api-stage")
        assert stage.inputs["accessLogSettings"]["destinationArn"]  # still logs, with the owner's role
        settings = result.get(T["MethodSettings"], f"{result.stack}-api-all-methods")
        assert settings.inputs["settings"]["loggingLevel"] in {"ERROR", "INFO"}


@pytest.mark.parametrize("value,message", [
    ("yes", "api.cloudWatchRole: expected true or false"),
])
def test_the_cloudwatch_role_switch_is_a_boolean(value, message):
    raw = dev_raw_config()
    raw["api"]["cloudWatchRole"] = value
    with pytest.raises(ConfigError) as err:
        parse_config(raw, "Pulumi.dev.yaml", "us-east-1")
    assert str(err.value).startswith(f"Pulumi.dev.yaml: {message}")
    raw["api"].pop("cloudWatchRole")
    assert parse_config(raw, "Pulumi.dev.yaml", "us-east-1").api.cloudwatch_role is True  # the default


def test_method_settings_for_all_methods(dev, prod):
    dev_settings = dev.get(T["MethodSettings"], "api-all-methods").inputs
    assert dev_settings["methodPath"] == "*/*" and dev_settings["stageName"] == "dev"
    assert dev_settings["settings"] == {"metricsEnabled": True, "loggingLevel": "INFO", "dataTraceEnabled": False,
                                       "throttlingRateLimit": 200, "throttlingBurstLimit": 400}
    assert dev.get(T["Stage"], "api-stage").inputs["cacheClusterEnabled"] is False
    assert [s.name for s in dev.find(T["MethodSettings"])] == ["api-all-methods"]

    # */* never switches caching on: that override would cache writes too. With the cache on, API Gateway caches
    # GETs by default, so */* encrypts the cache (cacheDataEncrypted defaults to false).
    prod_settings = prod.get(T["MethodSettings"], "api-all-methods").inputs["settings"]
    assert prod_settings == {"metricsEnabled": True, "loggingLevel": "ERROR", "dataTraceEnabled": False,
                             "throttlingRateLimit": 1000, "throttlingBurstLimit": 2000, "cacheDataEncrypted": True}
    stage = prod.get(T["Stage"], "api-stage").inputs
    assert (stage["cacheClusterEnabled"], stage["cacheClusterSize"]) == (True, "0.5")


def test_caching_is_switched_on_for_each_get_and_nothing_else(prod):
    overrides = {s.inputs["methodPath"]: s for s in prod.find(T["MethodSettings"]) if s.name != "api-all-methods"}
    # Slashes in the resource path are written ~1, as the stage's method-settings keys are.
    assert set(overrides) == {f"~1{part}{proxy}/GET" for part in ROUTES.values() for proxy in ("", "~1{proxy+}")}
    shared = prod.get(T["MethodSettings"], "api-all-methods").inputs["settings"]
    for override in overrides.values():
        assert override.inputs["settings"] == {**shared, "cachingEnabled": True, "cacheDataEncrypted": True,
                                               "cacheTtlInSeconds": 60, "requireAuthorizationForCacheControl": True,
                                               "unauthorizedCacheControlHeaderStrategy": "SUCCEED_WITH_RESPONSE_HEADER"}
    # One change to the stage at a time: each override waits for the one before, the first for */*.
    chain, remaining = [prod.get(T["MethodSettings"], "api-all-methods")], list(overrides.values())
    while remaining:
        (following,) = [s for s in remaining if chain[-1].urn in s.dependencies]
        chain.append(following)
        remaining.remove(following)


def test_cached_gets_are_keyed_by_path_caller_and_the_services_query_parameters(prod):
    # A cache key holds only declared request parameters: without its query parameters, GET /products?page=2
    # would be answered from page 1's entry. prod declares each service's (the reference solution's).
    queries = {f"api-{s['publicPath'].strip('/')}": s["queryParameters"]
               for s in raw_config("prod")["services"] if "publicPath" in s}
    assert queries["api-products"] == ["category_id", "search", "limit", "offset"]
    for integration in prod.find(T["Integration"]):
        inputs = integration.inputs
        if inputs["httpMethod"] != "GET":
            assert "cacheKeyParameters" not in inputs, integration.name
            continue
        declared = [f"method.request.querystring.{q}" for q in queries[integration.name.split("-proxy")[0]
                                                                       .removesuffix("-get")]]
        expected = (["method.request.path.proxy"] if integration.name.endswith("-proxy-get") else []) + [
            "method.request.header.Authorization", *declared]
        assert inputs["cacheKeyParameters"] == expected, integration.name
        method = prod.get(T["Method"], integration.name).inputs
        assert {key: method["requestParameters"][key] for key in expected if key != "method.request.path.proxy"} \
            == dict.fromkeys(expected[-1 - len(declared):], False)


@pytest.mark.parametrize("service,parameters,expected", [
    (3, ["limit"], "services[3].queryParameters: only applies to a public service (one with a publicPath): the "
                   "API's cache keys on them"),  # payment-service
    (0, ["limit", "offset", "limit"], "services[0].queryParameters[2]: 'limit' is listed twice"),
    (0, ["a b"], "services[0].queryParameters[0]: 'a b' is not a query string parameter"),
])
def test_query_parameters_are_for_public_services_and_named_once(service, parameters, expected):
    def mutate(raw):
        raw["services"][service]["queryParameters"] = parameters
    assert _error(mutate, "prod") == f"Pulumi.prod.yaml: {expected}"


def test_a_custom_domain_maps_each_base_path_once():
    def mutate(raw):
        raw["api"]["domain"]["basePaths"] = ["v1", "v2", "v1"]
    assert _error(mutate, "prod") == "Pulumi.prod.yaml: api.domain.basePaths[2]: 'v1' is listed twice"


# --- deployment -------------------------------------------------------------------------------------


def test_deployment_depends_on_every_method_and_integration_and_is_created_before_the_old_one_goes(dev):
    deployment = dev.get(T["Deployment"], "api-deployment")
    assert deployment.inputs["restApi"] == "api-api-id"
    assert set(deployment.inputs["triggers"]) == {"routes", "authorizer", "cors", "api"}
    assert deployment.delete_before_replace is False
    # A trigger change replaces the deployment (create the new one, repoint the stage, then delete the old).
    assert deployment.replace_on_changes == ["triggers"]
    for type_ in (T["Method"], T["Integration"], T["IntegrationResponse"], T["Response"]):
        for resource in dev.find(type_):
            assert resource.urn in deployment.dependencies, resource.name


def test_deployment_triggers_change_with_routes_integrations_and_the_authorizer(dev, iam):
    base = dev.get(T["Deployment"], "api-deployment").inputs["triggers"]
    # Deterministic: a run of its own, not the shared result, which is the same object.
    assert base == run_preview("test", PROGRAM).get(T["Deployment"], "api-deployment").inputs["triggers"]

    rerouted = _preview("rerouted").get(T["Deployment"], "api-deployment").inputs["triggers"]
    assert rerouted["routes"] != base["routes"] and rerouted["authorizer"] == base["authorizer"]

    timeout = _preview("timeout").get(T["Deployment"], "api-deployment").inputs["triggers"]
    assert timeout["routes"] != base["routes"] and timeout["authorizer"] == base["authorizer"]

    assert iam.get(T["Deployment"], "api-deployment").inputs["triggers"]["authorizer"] != base["authorizer"]


def test_a_new_gateway_error_body_redeploys_the_api(dev, monkeypatch):
    """Gateway responses take effect with the next deployment: what they send is in the CORS trigger."""
    import components.api
    body = '{"error":$context.error.messageString}'
    monkeypatch.setattr(components.api, "_GATEWAY_ERROR_BODY", body)
    changed = run_preview("test", PROGRAM)
    assert changed.get(T["Response"], "api-default-4xx").inputs["responseTemplates"] == {"application/json": body}
    before, after = (r.get(T["Deployment"], "api-deployment").inputs["triggers"] for r in (dev, changed))
    assert after["cors"] != before["cors"] and after["routes"] == before["routes"]


def test_a_custom_domain_added_to_a_deployed_stack_redeploys_the_api(dev, prod):
    """AWS turns the execute-api endpoint off only with the next deployment: adding a domain must make one,
    or https://<id>.execute-api... keeps answering and bypasses the domain's base paths."""
    assert dev.get(T["RestApi"], "api-api").inputs["disableExecuteApiEndpoint"] is False
    assert prod.get(T["RestApi"], "api-api").inputs["disableExecuteApiEndpoint"] is True
    assert dev.get(T["Deployment"], "api-deployment").inputs["triggers"]["api"] != \
        prod.get(T["Deployment"], "api-deployment").inputs["triggers"]["api"]
    assert dev.get(T["Deployment"], "api-deployment").inputs["triggers"]["api"] == \
        _preview("iam").get(T["Deployment"], "api-deployment").inputs["triggers"]["api"]


# --- versioning, WAF --------------------------------------------------------------------------------


def test_prod_custom_domain_maps_each_version_to_the_stage(dev, prod):
    domain = prod.get(T["DomainName"], "api-domain")
    assert domain.protect is True
    assert domain.inputs["domainName"] == "api.shop.example.com"
    assert domain.inputs["regionalCertificateArn"] == raw_config("prod")["api"]["domain"]["certificateArn"]
    assert domain.inputs["endpointConfiguration"] == {"types": "REGIONAL"}
    assert domain.inputs["securityPolicy"] == "TLS_1_2"
    mappings = prod.find(T["BasePathMapping"])
    assert [m.inputs for m in mappings] == [{"domainName": "api.shop.example.com", "restApi": "api-api-id",
                                             "stageName": "prod", "basePath": "v1"}]
    assert prod.outputs["invokeUrl"] == "https://api.shop.example.com/v1"
    assert prod.get(T["RestApi"], "api-api").inputs["disableExecuteApiEndpoint"] is True
    assert prod.get(T["RestApi"], "api-api").inputs["endpointConfiguration"] == {"types": "REGIONAL"}
    # The API's own policy: through the domain, API Gateway negotiates TLS with it (unset, a Regional API's is 1.0).
    assert prod.get(T["RestApi"], "api-api").inputs["securityPolicy"] == "TLS_1_2"

    assert not dev.find(T["DomainName"]) and not dev.find(T["BasePathMapping"])
    assert dev.get(T["RestApi"], "api-api").inputs["disableExecuteApiEndpoint"] is False
    assert dev.outputs["invokeUrl"] == "https://api-api-id.execute-api.us-east-1.amazonaws.com/dev"


def _assert_waf_on_stage(r: PreviewResult, rate_limit: int) -> None:
    acl = r.get(WEB_ACL, "api-waf").inputs
    assert acl["scope"] == "REGIONAL" and acl["defaultAction"] == {"allow": {}}
    rules = {rule["name"]: rule for rule in acl["rules"]}
    for group in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"):
        assert rules[group]["statement"] == {"managedRuleGroupStatement": {"vendorName": "AWS", "name": group}}
        assert rules[group]["overrideAction"] == {"none": {}}
    rate = rules["rate-per-ip"]
    assert rate["action"] == {"block": {}}
    # Per source address, as API Gateway sees it: not a header (FORWARDED_IP) a client could set to dodge it.
    assert rate["statement"]["rateBasedStatement"] == {"limit": rate_limit, "aggregateKeyType": "IP",
                                                       "evaluationWindowSec": 300}
    # Floods are cut before the managed groups spend capacity on them.
    assert [rule["name"] for rule in sorted(acl["rules"], key=lambda rule: rule["priority"])] == [
        "rate-per-ip", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]
    # Without api.waf.maxBodyKb the managed group's 8 KB body rule blocks, as AWS ships it (no override above),
    # and the stage forwards WAF the default 16 KB of a body: no association config, no extra charge.
    assert [rule["priority"] for rule in acl["rules"]] == [0, 1, 2]
    assert "associationConfig" not in acl
    for config in [acl["visibilityConfig"]] + [rule["visibilityConfig"] for rule in acl["rules"]]:
        assert config["cloudwatchMetricsEnabled"] is True and config["sampledRequestsEnabled"] is True
    association = r.get(WEB_ACL_ASSOCIATION, "api-waf")
    # The stage's ARN as WAF takes it (`arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>`).
    stage = r.get(T["Stage"], "api-stage").inputs
    acl_arn = fake_arn(WEB_ACL, "api-waf", REGION, acl)
    assert acl_arn == f"arn:aws:wafv2:{REGION}:123456789012:regional/webacl/{acl['name']}/api-waf-id"
    assert association.inputs == {
        "resourceArn": f"arn:aws:apigateway:{REGION}::/restapis/{stage['restApi']}/stages/{stage['stageName']}",
        "webAclArn": acl_arn}
    # Made first, a replacement would take the stage over and the old one's delete would then unprotect it.
    assert association.delete_before_replace is True
    # Its blocks (and rules switched to count) go to a group WAF accepts (aws-waf-logs-*) under the log key,
    # without the caller's credentials; allowed requests are the access log's.
    group = r.get("aws:cloudwatch/logGroup:LogGroup", "api-waf-logs").inputs
    assert group["name"].startswith(f"aws-waf-logs-{group['tags']['Environment']}-")
    assert group["kmsKeyId"] == r.get("aws:cloudwatch/logGroup:LogGroup", "api-access-logs").inputs["kmsKeyId"]
    assert group["retentionInDays"] > 0
    logging = r.get("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "api-waf-logging").inputs
    assert logging["resourceArn"] == acl_arn
    assert logging["logDestinationConfigs"] == [f"arn:aws:logs:{REGION}:123456789012:log-group:{group['name']}"]
    assert logging["redactedFields"] == [{"singleHeader": {"name": h}} for h in ("authorization", "x-api-key", "cookie")]
    assert logging["loggingFilter"] == {"defaultBehavior": "DROP", "filters": [{
        "behavior": "KEEP", "requirement": "MEETS_ANY",
        "conditions": [{"actionCondition": {"action": a}} for a in ("BLOCK", "COUNT", "EXCLUDED_AS_COUNT")]}]}


def test_prod_stage_is_behind_waf(prod):
    _assert_waf_on_stage(prod, 2000)


IP_SET = "aws:wafv2/ipSet:IpSet"


def test_servers_that_keep_keys_get_a_per_address_limit_of_their_own():
    """iot's keys are all servers' (the console's, the tenants' back ends), each called from a few NAT addresses at up
    to its plan's 200/s: those addresses (api.waf.serverAddresses) get twice that per 5 minutes, and every other
    address keeps the strict 2000."""
    iot = preview("iot")
    (servers,) = iot.find(IP_SET)
    assert servers.inputs["addresses"] == ["198.51.100.0/28", "203.0.113.0/27"]
    assert (servers.inputs["scope"], servers.inputs["ipAddressVersion"]) == ("REGIONAL", "IPV4")
    rules = sorted(iot.get(WEB_ACL, "iot-api-waf").inputs["rules"], key=lambda rule: rule["priority"])
    assert [rule["name"] for rule in rules[:2]] == ["rate-per-ip", "rate-per-server-ip"]
    in_set = {"ipSetReferenceStatement": {"arn": servers.state_struct["arn"]}}
    assert rules[0]["statement"]["rateBasedStatement"] == {
        "limit": 2000, "aggregateKeyType": "IP", "evaluationWindowSec": 300,
        "scopeDownStatement": {"notStatement": {"statement": in_set}}}
    assert rules[1]["statement"]["rateBasedStatement"] == {
        "limit": 2 * 200 * 300, "aggregateKeyType": "IP", "evaluationWindowSec": 300, "scopeDownStatement": in_set}
    assert all(rule["action"] == {"block": {}} for rule in rules[:2])
    assert [rule["priority"] for rule in rules] == list(range(len(rules)))
    assert iot.get(WEB_ACL, "iot-api-waf").inputs["description"] == (
        "iot-device-management-api: AWS managed rules and per-IP rate limits for the servers that keep API keys and "
        "for everyone else")
    # Never less than every other address gets.
    loose = preview("iot", config_overrides=["api.waf.rateLimitPer5Min=150000"])
    limits = {rule["name"]: rule["statement"].get("rateBasedStatement", {}).get("limit")
              for rule in loose.get(WEB_ACL, "iot-api-waf").inputs["rules"]}
    assert (limits["rate-per-ip"], limits["rate-per-server-ip"]) == (150000, 150000)


def test_blocked_addresses_are_refused_before_any_other_rule():
    r = preview("prod", config_overrides=["api.waf.blockedAddresses[0]=192.0.2.0/24"])
    assert r.error is None, r.error
    (blocked,) = r.find(IP_SET)
    assert blocked.inputs["addresses"] == ["192.0.2.0/24"]
    rules = sorted(r.get(WEB_ACL, "prod-api-waf").inputs["rules"], key=lambda rule: rule["priority"])
    assert rules[0]["name"] == "blocked-addresses" and rules[0]["action"] == {"block": {}}
    assert rules[0]["statement"] == {"ipSetReferenceStatement": {"arn": blocked.state_struct["arn"]}}
    # prod's keys are all public clients': one rate rule, over every address.
    assert rules[1]["name"] == "rate-per-ip" and "scopeDownStatement" not in rules[1]["statement"]["rateBasedStatement"]
    assert "rate-per-server-ip" not in {rule["name"] for rule in rules}
    assert r.get(WEB_ACL, "prod-api-waf").inputs["description"] == (
        "prod-ecommerce-api: AWS managed rules, blocked addresses and a per-IP rate limit")
    assert not preview("prod").find(IP_SET)


def test_no_waf_in_dev_unless_config_turns_it_on(dev, jwt):
    assert not dev.find(WEB_ACL) and not dev.find(WEB_ACL_ASSOCIATION)
    _assert_waf_on_stage(jwt, 500)


def _waf_with_body_limit(max_body_kb: int) -> dict:
    result = shared_preview("prod", PROGRAM, config_overrides=[f"api.waf.maxBodyKb={max_body_kb}"])
    assert result.error is None, result.error
    assert [e for e in result.api_errors if e.type == WEB_ACL] == []  # its inspection limit as AWS's model has it
    return result.get(WEB_ACL, "api-waf").inputs


@pytest.mark.parametrize("max_body_kb,inspected", [(32, "KB_32"), (12, None), (16, None), (17, "KB_32"),
                                                  (48, "KB_48"), (64, "KB_64"), (4, None)])
def test_waf_body_limit_replaces_the_managed_8_kb_rule(max_body_kb, inspected):
    acl = _waf_with_body_limit(max_body_kb)
    rules = sorted(acl["rules"], key=lambda rule: rule["priority"])
    # The rate rule still first; then the one-comparison size rule, before the managed groups read the body.
    assert [(rule["priority"], rule["name"]) for rule in rules] == [
        (0, "rate-per-ip"), (1, "max-body-size"), (2, "AWSManagedRulesCommonRuleSet"),
        (3, "AWSManagedRulesKnownBadInputsRuleSet")]
    size = rules[1]
    assert size["action"] == {"block": {}}
    # A body WAF sees only in part (beyond the stage's inspection limit) is larger than the limit: MATCH, not
    # CONTINUE, which compares the part WAF received and so passes it when the two limits are equal.
    assert size["statement"] == {"sizeConstraintStatement": {
        "comparisonOperator": "GT", "size": max_body_kb * 1024,
        "fieldToMatch": {"body": {"oversizeHandling": "MATCH"}},
        "textTransformations": [{"priority": 0, "type": "NONE"}]}}
    assert size["visibilityConfig"]["metricName"].endswith("-max-body-size")
    # The managed 8 KB rule only counts (its label and metric stay); the rest of the group still blocks.
    assert rules[2]["statement"]["managedRuleGroupStatement"]["ruleActionOverrides"] == [
        {"name": "SizeRestrictions_BODY", "actionToUse": {"count": {}}}]
    assert "ruleActionOverrides" not in rules[3]["statement"]["managedRuleGroupStatement"]
    # The stage forwards 16 KB of a body by default; a larger limit needs the smallest setting that covers it.
    if inspected is None:
        assert "associationConfig" not in acl
    else:
        assert acl["associationConfig"] == {
            "requestBodies": [{"apiGateway": {"defaultSizeInspectionLimit": inspected}}]}


def test_waf_body_limit_of_8_kb_is_the_managed_rule_as_it_is(prod):
    assert _waf_with_body_limit(8) == prod.get(WEB_ACL, "api-waf").inputs


@pytest.mark.parametrize("stack,waf,message", [
    ("iot", {"enabled": True, "maxBodyKb": 65},
     "api.waf.maxBodyKb: 65 is not a size in KB from 1 to 64 (WAF sees at most 64 KB of an API Gateway request body)"),
    ("iot", {"enabled": True, "maxBodyKb": 0},
     "api.waf.maxBodyKb: 0 is not a size in KB from 1 to 64 (WAF sees at most 64 KB of an API Gateway request body)"),
    ("iot", {"enabled": True, "maxBodyKb": "32"}, "api.waf.maxBodyKb: expected an integer, got a string"),
    ("dev", {"enabled": False, "maxBodyKb": 32},
     "api.waf.maxBodyKb: limits bodies in the web ACL, and WAF is off in this stack: remove it or set "
     "api.waf.enabled: true"),
    ("dev", {"maxBodyKb": 16},  # off by default outside prod
     "api.waf.maxBodyKb: limits bodies in the web ACL, and WAF is off in this stack: remove it or set "
     "api.waf.enabled: true"),
])
def test_waf_body_limit_config_errors(stack, waf, message):
    def mutate(raw):
        raw["api"]["waf"] = waf
    assert _error(mutate, stack) == f"Pulumi.{stack}.yaml: {message}"


# --- alarms, protection -----------------------------------------------------------------------------


def test_alarms_on_the_stage_go_to_the_topic(dev):
    dims = {"ApiName": "dev-ecommerce-api", "Stage": "dev"}
    alarms = {a.name: a.inputs for a in dev.find(ALARM)}
    assert set(alarms) == {"api-5xx-rate", "api-4xx-rate", "api-p99-latency"}
    for name, metric, percent in (("api-5xx-rate", "5XXError", 5), ("api-4xx-rate", "4XXError", 10)):
        alarm = alarms[name]
        # The metric's Average is the share of requests that failed (0 or 1 each): one metric, no math, so a
        # Route 53 health check can follow it; a quiet minute counts as 0 %.
        assert (alarm["namespace"], alarm["metricName"], alarm["statistic"], alarm["period"]) == (
            "AWS/ApiGateway", metric, "Average", 60)
        assert alarm["dimensions"] == dims and "metricQueries" not in alarm
        assert alarm["threshold"] == percent / 100 and alarm["treatMissingData"] == "notBreaching"
        assert (alarm["evaluationPeriods"], alarm["datapointsToAlarm"]) == (5, 3)
    latency = alarms["api-p99-latency"]
    assert (latency["namespace"], latency["metricName"], latency["extendedStatistic"]) == (
        "AWS/ApiGateway", "Latency", "p99")
    assert latency["dimensions"] == dims and latency["threshold"] == 1000
    for kind, alarm in alarms.items():
        topic = TICKET_ARN if kind == "api-4xx-rate" else PAGING_ARN
        assert alarm["alarmActions"] == [topic] and alarm["okActions"] == [topic]
        assert alarm["alarmDescription"].endswith(
            f"Runbook: https://github.com/platform-team/service-mesh-platform/blob/main/docs/runbooks/{kind}.md")


def test_stateful_and_identity_resources_are_protected_in_prod_only(dev, prod):
    protected = {(T["ApiKey"], "api-key-web-storefront"), (T["ApiKey"], "api-key-mobile-app"),
                 (T["ClientCertificate"], "api-client-cert"), (LOG_GROUP, "api-access-logs"),
                 (LOG_GROUP, "api-waf-logs"), (USER_POOL, "api-auth-users"), (T["DomainName"], "api-domain")}
    assert {(r.type, r.name) for r in prod.resources if r.protect} == protected
    # Named after the stage: a renamed stage replaces the group, which protect would refuse. Its logs stay, and
    # AWS refuses their deletion.
    execution = prod.get(LOG_GROUP, "api-execution-logs")
    assert execution.retain_on_delete and execution.inputs["deletionProtectionEnabled"] is True
    assert not [r.name for r in dev.resources if r.protect or r.retain_on_delete]
    # AWS keeps deletion protection when the argument is dropped: an unprotected stack says false outright.
    assert {g.inputs["deletionProtectionEnabled"] for g in dev.find(LOG_GROUP)} == {False}


def test_everything_sits_under_the_component(dev):
    component = dev.get("service-mesh-platform:api:PublicApi", "api")
    auth = dev.get("service-mesh-platform:api:ApiAuthorizer", "api-auth")
    assert auth.parent == component.urn
    for r in dev.resources:
        if r.custom:
            assert r.parent in (component.urn, auth.urn), r.name


# --- config errors ----------------------------------------------------------------------------------


def _error(mutate, stack: str = "dev") -> str:
    raw = copy.deepcopy(raw_config(stack))
    mutate(raw)
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, f"Pulumi.{stack}.yaml", REGION)
    return str(caught.value)


def test_consumer_on_an_unknown_plan():
    def mutate(raw):
        raw["api"]["consumers"][1]["plan"] = "gold"
    assert _error(mutate) == "Pulumi.dev.yaml: api.consumers[1].plan: 'gold' is not a usage plan in this stack"


def test_method_throttle_on_a_route_to_no_public_service():
    def mutate(raw):
        raw["api"]["usagePlans"][2]["methodThrottles"][0]["path"] = "/payments/{proxy+}"
    assert _error(mutate) == (
        "Pulumi.dev.yaml: api.usagePlans[2].methodThrottles[0].path: /payments/{proxy+} is not a resource of the "
        "public API (one of /users, /users/{proxy+}, /products, /products/{proxy+}, /orders, /orders/{proxy+})")


def test_method_throttle_on_a_service_that_is_not_public():
    def mutate(raw):
        del raw["services"][2]["publicPath"]  # order-service becomes internal; the partner throttle is orphaned
        del raw["services"][2]["queryParameters"]
    assert _error(mutate) == (
        "Pulumi.dev.yaml: api.usagePlans[2].methodThrottles[0].path: /orders/{proxy+} is not a resource of the "
        "public API (one of /users, /users/{proxy+}, /products, /products/{proxy+})")


def test_method_throttle_on_a_verb_the_api_does_not_proxy():
    def mutate(raw):
        raw["api"]["usagePlans"][2]["methodThrottles"][0]["method"] = "OPTIONS"
    assert _error(mutate) == ("Pulumi.dev.yaml: api.usagePlans[2].methodThrottles[0].method: 'OPTIONS' is not one "
                              "of GET, HEAD, POST, PUT, PATCH, DELETE, *")


def test_overlapping_method_throttles():
    def mutate(raw):
        throttles = raw["api"]["usagePlans"][2]["methodThrottles"]
        throttles.append(dict(throttles[0], method="*"))
    assert _error(mutate) == ("Pulumi.dev.yaml: api.usagePlans[2].methodThrottles[1].method: /orders/{proxy+} * "
                              "overlaps another throttle on the same resource")


def test_quota_period_must_be_day_week_or_month():
    def mutate(raw):
        raw["api"]["usagePlans"][2]["quota"]["period"] = "FORTNIGHT"
    assert _error(mutate) == ("Pulumi.dev.yaml: api.usagePlans[2].quota.period: 'FORTNIGHT' is not one of DAY, WEEK, "
                              "MONTH")


def test_prod_cannot_turn_waf_off():
    def mutate(raw):
        raw["api"]["waf"]["enabled"] = False
    assert _error(mutate, "prod") == (
        "Pulumi.prod.yaml: api.waf.enabled: must be true in prod: the public API is always behind AWS WAF there")


def test_domain_certificate_must_be_in_the_stack_region():
    def mutate(raw):
        raw["api"]["domain"]["certificateArn"] = ("arn:aws:acm:eu-west-1:111122223333:certificate/"
                                                  "3e8b1d4f-6a2c-4d7e-9f1b-5c0a2e4d6f8a")
    assert _error(mutate, "prod") == (
        "Pulumi.prod.yaml: api.domain.certificateArn: is in eu-west-1; a regional API in us-east-1 needs an ACM "
        "certificate from us-east-1")


def test_auth_settings_for_another_authorizer_type_are_rejected():
    def mutate(raw):
        raw["api"]["auth"]["authorizerLambdaArn"] = LAMBDA_ARN
    assert _error(mutate) == ("Pulumi.dev.yaml: api.auth.authorizerLambdaArn: only applies when auth.type is jwt "
                              "(it is cognito)")


def test_cors_origin_must_be_one_exact_origin():
    def mutate(raw):
        raw["api"]["cors"]["allowOrigin"] = "*"
    assert _error(mutate) == ("Pulumi.dev.yaml: api.cors.allowOrigin: '*' is not one origin like "
                              "https://shop.example.com")


# --- the real program ---------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_platform_wires_the_api_to_the_ingress_nlb_the_mesh_certificate_and_the_alarm_topic(
        env, dev_appmesh_preview, prod_appmesh_preview):
    r = {"dev": dev_appmesh_preview, "prod": prod_appmesh_preview}[env]
    api = r.get("service-mesh-platform:api:PublicApi", f"{env}-api")
    assert api.parent == r.get("service-mesh-platform:index:Platform", env).urn
    (nlb,) = [lb for lb in r.find("aws:lb/loadBalancer:LoadBalancer") if lb.inputs.get("internal")]
    nlb_arn = nlb.state_struct["arn"]
    (listener,) = [x for x in r.find("aws:lb/listener:Listener") if x.inputs["loadBalancerArn"] == nlb_arn]
    assert r.get(T["VpcLink"], f"{env}-api-ingress").inputs["targetArn"] == nlb_arn
    proxied = [i for i in r.find(T["Integration"]) if i.inputs["type"] == "HTTP_PROXY"]
    assert len(proxied) == len(ROUTES) * 2 * len(API_METHODS)
    for integration in proxied:
        assert integration.inputs["connectionId"] == f"{env}-api-ingress-id"
        assert integration.inputs["uri"].startswith(
            f"https://ingress-gateway.{env}.ecommerce.local:{listener.inputs['port']}/")
    # The stage presents the one client certificate the gateway's CA bundle trusts: the mesh layer's.
    (certificate,) = r.find(T["ClientCertificate"])
    assert certificate.parent == r.get("service-mesh-platform:certificates:MeshCertificates", f"{env}-certificates").urn
    assert r.get(T["Stage"], f"{env}-api-stage").inputs["clientCertificateId"] == f"{certificate.name}-id"
    topics = {t.inputs["name"]: f"arn:aws:sns:{REGION}:123456789012:{t.inputs['name']}"
              for t in r.find("aws:sns/topic:Topic")}
    api_alarms = [a for a in r.find(ALARM) if a.parent == api.urn]
    assert len(api_alarms) == 3
    for alarm in api_alarms:
        # 4xx is usually the callers' doing: a ticket; 5xx and latency page.
        severity = "ticket" if alarm.inputs["name"].endswith("4xx-rate") else "page"
        assert alarm.inputs["alarmActions"] == [topics[f"{env}-alarms-{severity}"]]
    assert r.outputs["apiKeyIds"] == {"secret": {"web-storefront": f"{env}-api-key-web-storefront-id",
                                                 "mobile-app": f"{env}-api-key-mobile-app-id"}}
    expected_url = ("https://api.shop.example.com/v1" if env == "prod"
                    else f"https://{env}-api-api-id.execute-api.us-east-1.amazonaws.com/{env}")
    assert r.outputs["apiInvokeUrl"] == expected_url


def test_the_whole_api_previews_without_mandatory_violations(dev_appmesh_preview, prod_appmesh_preview):
    for r, env in ((dev_appmesh_preview, "dev"), (prod_appmesh_preview, "prod")):
        api_urns = {x.urn for x in r.resources if x.name.startswith(f"{env}-api")}
        assert len(api_urns) > 100
        assert [v for v in r.mandatory if v.urn in api_urns] == []
    assert prod_appmesh_preview.find(WEB_ACL_ASSOCIATION) and not dev_appmesh_preview.find(WEB_ACL_ASSOCIATION)


def test_a_method_throttle_on_every_verb_throttles_each_proxied_verb():
    """`method: "*"` fans out to one throttle per verb the API proxies, each with the same limits (API Gateway
    keys method throttles by resource path and verb; it has no wildcard)."""
    from tests.conftest import preview

    every = preview("dev", config_overrides=["api.usagePlans[2].methodThrottles[0].method=*"])
    (attachment,) = every.get(T["UsagePlan"], "dev-api-plan-partner").inputs["apiStages"]
    (throttle,) = dev_raw_config()["api"]["usagePlans"][2]["methodThrottles"]
    assert attachment["throttles"] == [
        {"path": f"{throttle['path']}/{verb}", "rateLimit": throttle["rateLimit"], "burstLimit": throttle["burstLimit"]}
        for verb in API_METHODS]
    assert len(API_METHODS) > 1


def test_the_deployment_fingerprint_records_the_tls_config_each_backend_sends():
    """An integration's tlsConfig reaches the stage only through a new deployment, which the fingerprint drives."""
    import pulumi_aws as aws
    from components.api import AlbBackend, _Connection

    alb = AlbBackend(vpc_link_id="link", load_balancer_arn="arn", host_name="ingress.example.com")
    assert alb.connect("x", "api", None).tls_config_sent == {"insecureSkipVerification": False}
    skipping = _Connection(link_id="link", origin="https://gateway:443",
                           tls_config=aws.apigateway.IntegrationTlsConfigArgs(insecure_skip_verification=True))
    assert skipping.tls_config_sent == {"insecureSkipVerification": True}
    assert _Connection(link_id="link", origin="http://nlb:8080").tls_config_sent is None


@pytest.mark.parametrize("stack,label,given,expected", [
    ("prod", "api-domain", None, "api.shop.example.com: a custom domain needs its certificate"),
    ("iot", "ws-domain", None, "devices.iot.example.com: a custom domain needs its certificate"),
    ("dev", "api-domain", "arn:aws:acm:us-east-1:111122223333:certificate/x",
     "a certificate was given for an API without a custom domain"),
], ids=["rest-domain-without-certificate", "websocket-domain-without-certificate", "certificate-without-domain"])
def test_an_api_refuses_a_custom_domain_and_its_certificate_apart(monkeypatch, stack, label, given, expected):
    """Config validation gives every domain its certificate (dns.domain_certificate_arn); a caller that gave one without
    the other would build a domain name AWS refuses, or lose track of which it has: the component refuses it."""
    import components.platform as platform_module

    real = platform_module.domain_certificate_arn
    monkeypatch.setattr(platform_module, "domain_certificate_arn",
                        lambda name, domain, zone: given if name == label else real(name, domain, zone))
    result = run_preview(stack, ROOT)
    assert result.error is not None and f"ValueError: {expected}" in result.error
    assert not [r for r in result.resources if r.type.endswith("/domainName:DomainName")]
