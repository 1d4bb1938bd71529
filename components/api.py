"""The public edge: a regional REST API that proxies each public service's prefix to the data plane's ingress.

    client ─▶ (WAF) ─▶ REST API stage ─▶ Method (API key + authorizer) ─▶ HTTP_PROXY integration ─▶ backend

The backend is chosen by the caller, one kind per data plane (`IngressBackend`):
- `NlbBackend` (App Mesh): VPC link V1 ─▶ internal NLB (TCP) ─▶ the virtual gateway's Envoy (TLS, API
  Gateway's client certificate: see IngressTls) ─▶ gateway route on the same prefix.
- `AlbBackend` (Service Connect): VPC link V2 with `integrationTarget` = an internal ALB whose public
  certificate API Gateway verifies (components/ingress.py) ─▶ path rule ─▶ the service.

REST (v1) because usage plans and API keys exist only there. Every public prefix gets its resource and a
`{proxy+}` child; the integration forwards `/<prefix>/<rest>` unchanged, so the gateway routes or ALB rules,
which match on the same prefixes, see the path the client sent.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Optional, Sequence, Union

import pulumi
import pulumi_aws as aws

from . import api_logs, naming
from .logkey import log_group
from .api_auth import ApiAuthorizer, ApiAuthorizerArgs
from .alarms import AlarmRouting, three_of_five_minutes
from .dns import check_domain_certificate
from .config import (API_METHODS, PROXY_PART as PROXY, WAF_BODY_INSPECTION_KB, WAF_MANAGED_BODY_KB,
                     WAF_RATE_WINDOW_SECONDS, AlarmsConfig, ApiConfig, PlatformConfig, route_resource_paths)
from .iam import service_trust_policy
from .network import HTTPS

# One JSON object per request (components/api_logs.py adds the error message). There is no
# `$context` variable for the usage plan: each API key is in exactly one plan per stage, so `apiKeyId`
# identifies the plan.
_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "extendedRequestId": "$context.extendedRequestId",
    "requestTime": "$context.requestTime",
    "sourceIp": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "caller": "$context.identity.caller",
    "user": "$context.identity.user",
    "cognitoSub": "$context.authorizer.claims.sub",
    "principalId": "$context.authorizer.principalId",
    "apiKeyId": "$context.identity.apiKeyId",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "path": "$context.path",
    "protocol": "$context.protocol",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationStatus": "$context.integrationStatus",
    "errorType": "$context.error.responseType",
    "authorizerError": "$context.authorizer.error",
    "wafResponseCode": "$context.wafResponseCode",
    "xrayTraceId": "$context.xrayTraceId",
}
ACCESS_LOG_FORMAT = api_logs.json_format(_ACCESS_LOG_FIELDS)

CLOUDWATCH_PUSH_POLICY = "service-role/AmazonAPIGatewayPushToCloudWatchLogs"
CORS_ALLOW_HEADERS = ("Content-Type", "Authorization", "X-Api-Key", "X-Amz-Date", "X-Amz-Security-Token")
# The body of API Gateway's own error responses as shipped (its default 4XX and 5XX responses' template).
_GATEWAY_ERROR_BODY = '{"message":$context.error.messageString}'
# What the web ACL's log keeps (its blocks, and counts of rules switched to count), and the credentials it never
# writes (WAF matches header names in lower case).
WAF_LOGGED_ACTIONS = ("BLOCK", "COUNT", "EXCLUDED_AS_COUNT")
WAF_REDACTED_HEADERS = ("authorization", "x-api-key", "cookie")


@dataclass(frozen=True)
class PublicRoute:
    """A path prefix the API exposes and the mesh service behind it (the virtual gateway routes the same prefix)."""

    path_prefix: str  # "/users"
    service: str
    # The query string parameters the service's GET responses depend on: a cached GET keys on them too.
    query_parameters: tuple[str, ...] = ()

    @property
    def part(self) -> str:
        return self.path_prefix.strip("/")


def public_routes(config: PlatformConfig) -> tuple[PublicRoute, ...]:
    return tuple(PublicRoute(s.public_path, s.name, s.query_parameters) for s in config.public_services)


@dataclass(frozen=True)
class IngressTls:
    """TLS (with API Gateway's client certificate) to the ingress gateway's listener.

    The VPC link only carries the connection to the NLB, which passes TCP through, so API Gateway itself
    shakes hands with the gateway's Envoy. The integration URI names `hostname` (a SAN of the gateway's
    certificate) so API Gateway's hostname check passes; the NLB is still what the VPC link connects to.
    """

    hostname: str
    # The client certificate the gateway's listener trusts (the mesh layer issues its CA bundle with it).
    client_certificate_id: pulumi.Input[str]


@dataclass(frozen=True)
class _Connection:
    """How every integration reaches a backend: what PublicApi needs from either kind."""

    link_id: pulumi.Input[str]
    origin: pulumi.Input[str]  # "https://host:port": the scheme, Host header and TLS server name
    integration_target: Optional[pulumi.Input[str]] = None
    tls_config: Optional[aws.apigateway.IntegrationTlsConfigArgs] = None
    # The certificate the stage presents; None: the stage makes its own.
    client_certificate_id: Optional[pulumi.Input[str]] = None

    @property
    def tls_config_sent(self) -> Optional[dict]:
        """The integrations' tlsConfig as the deployment's fingerprint records it: an integration's change reaches
        the stage only through a new deployment. (Recording it where the fingerprint recorded only whether
        verification was skipped redeployed every stack once, which a stack moved from App Mesh needed.)"""
        if self.tls_config is None:
            return None
        return {"insecureSkipVerification": bool(self.tls_config.insecure_skip_verification)}


@dataclass(frozen=True)
class NlbBackend:
    """App Mesh: VPC link V1 to the internal NLB in front of the virtual gateway (from the compute layer)."""

    nlb_arn: pulumi.Input[str]
    nlb_dns_name: pulumi.Input[str]
    listener_port: pulumi.Input[int]
    # None: plain HTTP to the NLB, and the API presents a client certificate of its own.
    tls: Optional[IngressTls] = None

    def connect(self, name: str, api_name: str, opts: pulumi.ResourceOptions) -> _Connection:
        link = aws.apigateway.VpcLink(name, name=f"{api_name}-ingress", target_arn=self.nlb_arn,
                                      description="API Gateway to the mesh ingress NLB", opts=opts)
        host = (pulumi.Output.concat("https://", self.tls.hostname) if self.tls is not None
                else pulumi.Output.concat("http://", self.nlb_dns_name))
        origin = pulumi.Output.concat(host, ":", pulumi.Output.from_input(self.listener_port).apply(str))
        if self.tls is None:
            return _Connection(link_id=link.id, origin=origin)
        # The gateway's certificate chains to the private mesh CA, which API Gateway cannot be given as a
        # trust anchor: it then checks hostname and expiry but not the issuer.
        return _Connection(link_id=link.id, origin=origin,
                           tls_config=aws.apigateway.IntegrationTlsConfigArgs(insecure_skip_verification=True),
                           client_certificate_id=self.tls.client_certificate_id)


@dataclass(frozen=True)
class AlbBackend:
    """Service Connect: VPC link V2 to the internal ALB (`AlbIngress` owns both). The ALB presents a public
    certificate for `host_name`, so API Gateway verifies it fully: no TLS exception."""

    vpc_link_id: pulumi.Input[str]
    load_balancer_arn: pulumi.Input[str]
    host_name: str
    port: int = HTTPS  # the ALB's listener

    def connect(self, name: str, api_name: str, opts: pulumi.ResourceOptions) -> _Connection:
        # The link routes to `integrationTarget`; the URI's host only sets the Host header and SNI. Verification is
        # said on, not left out: the provider sends no change for a removed tlsConfig, so a stack moved from App
        # Mesh would go on skipping it (and plan the same update on every later `up`).
        return _Connection(link_id=self.vpc_link_id, origin=f"https://{self.host_name}:{self.port}",
                           integration_target=self.load_balancer_arn,
                           tls_config=aws.apigateway.IntegrationTlsConfigArgs(insecure_skip_verification=False))


IngressBackend = Union[NlbBackend, AlbBackend]


@dataclass(frozen=True)
class PublicApiArgs:
    environment: str
    region: str
    api: ApiConfig
    routes: tuple[PublicRoute, ...]
    # Where the integrations go: the data plane's ingress.
    backend: IngressBackend
    # How API alarms are made and where they go (from the observability layer).
    alarm_routing: AlarmRouting
    alarms: AlarmsConfig
    protect: bool
    log_retention_days: int
    # The environment's log key (components/logkey.py): its log groups are encrypted with it.
    log_key_arn: pulumi.Input[str]
    # The custom domain's certificate, as components/dns.domain_certificate_arn resolves it: the config's, else one
    # the stack issues in its zone. Given exactly when the config has a domain.
    domain_certificate_arn: Optional[pulumi.Input[str]] = None
    # With tenants (the iot stack): every integration sets the caller headers naming.py describes.
    caller_headers: bool = False

    def __post_init__(self) -> None:
        check_domain_certificate(self.api.domain, self.domain_certificate_arn)


def method_setting_path(resource_path: str, verb: str) -> str:
    """A stage method-settings key: the resource path with every "/" written "~1", then the verb
    (`/users/{proxy+}` GET -> `~1users~1{proxy+}/GET`). The provider passes it to AWS unchanged."""
    return f"{resource_path.replace('/', '~1')}/{verb}"


def planned_api_key(name: str, *, key_name: str, description: str, usage_plan_id: pulumi.Input[str], protect: bool,
                    parent: pulumi.Resource, value: Optional[str] = None) -> aws.apigateway.ApiKey:
    """An API key and its place in a usage plan. Its `value` where given (a secret; ForceNew: a new value is a new
    key), else API Gateway generates one, which the provider keeps a secret output. A key is in one plan per stage
    and every field of the link is ForceNew, so moving the key to another plan removes the old link first: AWS
    refuses the new one while the old one exists."""
    key = aws.apigateway.ApiKey(name, name=key_name, description=description, enabled=True,
                                value=pulumi.Output.secret(value) if value is not None else None,
                                opts=pulumi.ResourceOptions(parent=parent, protect=protect))
    aws.apigateway.UsagePlanKey(name, key_id=key.id, key_type="API_KEY", usage_plan_id=usage_plan_id,
                                opts=pulumi.ResourceOptions(parent=parent, delete_before_replace=True))
    return key


@dataclass(frozen=True)
class _RestApiSettings:
    """The REST API's own settings. AWS applies a change of them (the default endpoint switched off when a domain
    is added to a deployed stack) only with the next deployment, so the deployment's triggers carry them."""

    disable_execute_api_endpoint: bool
    api_key_source: str = "HEADER"
    endpoint_type: str = "REGIONAL"
    # The API's own TLS floor, which API Gateway negotiates with even through the TLS 1.2 custom domain; unset, a
    # Regional API gets TLS_1_0 (API Gateway's default security policies).
    security_policy: str = "TLS_1_2"


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@dataclass(frozen=True)
class _Methods:
    """What some methods bring to a deployment: the resources it waits for, their fingerprints (its triggers),
    and the (resource path, verb, label) of every GET the stage cache answers. Added up in route order."""

    resources: tuple[pulumi.Resource, ...] = ()
    routes: tuple[pulumi.Output, ...] = ()
    cors: tuple[pulumi.Output, ...] = ()
    cached: tuple[tuple[str, str, str], ...] = ()

    def __add__(self, other: _Methods) -> _Methods:
        return _Methods(self.resources + other.resources, self.routes + other.routes, self.cors + other.cors,
                        self.cached + other.cached)


@dataclass(frozen=True)
class _Logs:
    access: aws.cloudwatch.LogGroup
    execution: aws.cloudwatch.LogGroup
    # The account's CloudWatch role setting, where this stack owns it: the stage's logging waits for it.
    account: tuple[aws.apigateway.Account, ...]


@dataclass(frozen=True)
class _Stage:
    resource: aws.apigateway.Stage
    client_certificate_id: pulumi.Output[str]


@dataclass(frozen=True)
class _Domain:
    name: pulumi.Output[str]
    target: pulumi.Output[str]  # the alias target for a DNS record
    zone_id: pulumi.Output[str]
    invoke_url: pulumi.Output[str]


class PublicApi(pulumi.ComponentResource):
    """A REST API with one stage, usage plans and keys, optional custom domain and WAF, and its alarms."""

    rest_api_id: pulumi.Output[str]
    stage_name: pulumi.Output[str]
    invoke_url: pulumi.Output[str]
    # consumer -> API key id; a secret (an id is enough to read the key value with apigateway:GET).
    api_key_ids: pulumi.Output[dict]
    # The certificate the stage presents to the backend; the ingress trusts it to authenticate the API.
    client_certificate_id: pulumi.Output[str]
    access_log_group_name: pulumi.Output[str]
    # The Cognito user pool the stack makes (None otherwise): another region's stack names it with userPoolArn.
    user_pool_arn: Optional[pulumi.Output[str]]

    def __init__(self, name: str, args: PublicApiArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:api:PublicApi", name, None, opts)
        self._name = name
        self._args = args
        self.api_name = args.api.name
        # The alias target for a DNS record of the custom domain (None without one).
        self.domain_target: Optional[pulumi.Output[str]] = None
        self.domain_zone_id: Optional[pulumi.Output[str]] = None
        self.domain_name: Optional[pulumi.Output[str]] = None
        cfg = args.api
        if cfg.auth is None or cfg.throttle is None:  # config requires both once a service is public
            raise ValueError("a PublicApi needs api.auth and api.throttle")

        # With a custom domain, clients use it alone: the execute-api URL would bypass its base paths.
        self._api_settings = _RestApiSettings(disable_execute_api_endpoint=cfg.domain is not None)
        self._rest_api = aws.apigateway.RestApi(
            f"{name}-api", name=self.api_name, description=cfg.description,
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
                types=self._api_settings.endpoint_type),
            disable_execute_api_endpoint=self._api_settings.disable_execute_api_endpoint,
            api_key_source=self._api_settings.api_key_source,
            security_policy=self._api_settings.security_policy, opts=self._child())
        self._validator = aws.apigateway.RequestValidator(
            f"{name}-params", rest_api=self._rest_api.id, name="parameters",
            validate_request_parameters=True, validate_request_body=False, opts=self._child())
        self._auth = ApiAuthorizer(f"{name}-auth", ApiAuthorizerArgs(
            environment=args.environment, region=args.region, api_name=self.api_name, auth=cfg.auth,
            rest_api_id=self._rest_api.id,
            consumers=tuple(c.name for c in cfg.consumers), protect=args.protect), self._child())
        self._connection = args.backend.connect(f"{name}-ingress", self.api_name, self._child())

        methods = sum((self._route(route) for route in args.routes), _Methods())
        if cfg.cors is not None:
            methods += self._cors_gateway_responses()

        logs = self._logging()
        self.access_log_group_name = logs.access.name  # the tenants' metric filters read it
        stage = self._stage(methods, logs)
        self.stage_name = stage.resource.stage_name
        self.client_certificate_id = stage.client_certificate_id
        self.usage_plan_ids, self.api_key_ids = self._usage_plans(stage.resource)
        domain = self._domain(stage.resource) if cfg.domain is not None else None
        if domain is not None:
            self.domain_name = domain.name  # the device HTTP API maps onto the same domain
            self.domain_target, self.domain_zone_id = domain.target, domain.zone_id
        self.invoke_url = domain.invoke_url if domain is not None else stage.resource.invoke_url
        if cfg.waf.enabled:
            self._waf(stage.resource)
        # What a Route 53 health check copies from the 5xx-rate alarm (see `route53_alarm_view`).
        self.health_alarm = self._alarms()

        self.rest_api_id = self._rest_api.id
        self.user_pool_arn = self._auth.user_pool_arn
        self.register_outputs({
            "restApiId": self.rest_api_id,
            "stageName": self.stage_name,
            "invokeUrl": self.invoke_url,
            "apiKeyIds": self.api_key_ids,
            "clientCertificateId": self.client_certificate_id,
        })

    def _child(self, **kwargs) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)

    # --- routes ------------------------------------------------------------------------------------

    def _route(self, route: PublicRoute) -> _Methods:
        """`/<prefix>` and `/<prefix>/{proxy+}`, each with one method per verb, proxied to the ingress."""
        api = self._rest_api
        prefix = aws.apigateway.Resource(f"{self._name}-{route.part}", rest_api=api.id,
                                         parent_id=api.root_resource_id, path_part=route.part, opts=self._child())
        proxy_label = f"{route.part}{naming.PROXY_RESOURCE_SUFFIX}"
        proxy = aws.apigateway.Resource(f"{self._name}-{proxy_label}", rest_api=api.id, parent_id=prefix.id,
                                        path_part=PROXY, opts=self._child())
        methods = _Methods()
        for resource, path, label in zip((prefix, proxy), route_resource_paths(route.path_prefix),
                                         (route.part, proxy_label)):
            for verb in API_METHODS:
                methods += self._proxied_method(resource, path, f"{label}-{verb.lower()}", verb, route.query_parameters)
            if self._args.api.cors is not None:
                methods += self._preflight(resource, path, f"{label}-options")
        return methods

    def _proxied_method(self, resource: aws.apigateway.Resource, path: str, label: str, verb: str,
                        query_parameters: Sequence[str]) -> _Methods:
        cfg, auth = self._args.api, self._auth
        is_proxy = path.endswith(PROXY)
        method_params: dict[str, bool] = {"method.request.path.proxy": True} if is_proxy else {}
        integration_params = {"integration.request.path.proxy": "method.request.path.proxy"} if is_proxy else {}
        if self._args.caller_headers:
            # The services behind the ALB take the caller from these headers (the HTTP API sets them too): a
            # client's own values must never pass through the proxy integration.
            integration_params.update({f"integration.request.header.{naming.TENANT_HEADER}": f"'{naming.NO_TENANT}'",
                                       f"integration.request.header.{naming.API_KEY_ID_HEADER}":
                                           "context.identity.apiKeyId"})
        cache_keys: list[str] = []
        if cfg.cache.enabled and verb == "GET":
            # Only GET is cached. Key on the path and the caller's credentials, so one user's response is
            # never served to another, and on the query string parameters the service declares: a cache key
            # holds only declared request parameters, so /products?page=2 would otherwise get page 1's answer.
            identity = cfg.auth.identity_source if cfg.auth.type != "iam" else "method.request.header.Authorization"
            method_params.update(dict.fromkeys(
                [identity, *(f"method.request.querystring.{name}" for name in query_parameters)], False))
            cache_keys = list(method_params)  # every parameter the method declares is part of the key
        method = aws.apigateway.Method(
            f"{self._name}-{label}", rest_api=self._rest_api.id, resource_id=resource.id, http_method=verb,
            authorization=auth.authorization, authorizer_id=auth.authorizer_id, api_key_required=True,
            request_validator_id=self._validator.id, request_parameters=method_params or None,
            opts=self._child())
        # The backend sees /<prefix>/<rest> unchanged; {proxy} is the greedy path parameter's value.
        connection = self._connection
        uri = pulumi.Output.concat(connection.origin, path.replace(PROXY, "{proxy}"))
        integration = aws.apigateway.Integration(
            f"{self._name}-{label}", rest_api=self._rest_api.id, resource_id=resource.id,
            http_method=method.http_method, type="HTTP_PROXY", integration_http_method=verb,
            connection_type="VPC_LINK", connection_id=connection.link_id,
            integration_target=connection.integration_target, uri=uri,
            request_parameters=integration_params or None, timeout_milliseconds=cfg.integration_timeout_ms,
            cache_key_parameters=cache_keys or None, cache_namespace=resource.id if cache_keys else None,
            tls_config=connection.tls_config, opts=self._child())
        fingerprint = pulumi.Output.all(
            method.id, integration.id, connection.link_id, uri, auth.authorizer_id or "",
            connection.integration_target or "").apply(lambda v: {
                "path": path, "verb": verb, "method": v[0], "integration": v[1], "vpcLink": v[2], "uri": v[3],
                "authorization": auth.authorization, "authorizer": v[4], "apiKeyRequired": True,
                "methodParams": method_params, "integrationParams": integration_params, "cacheKeys": cache_keys,
                "timeoutMs": cfg.integration_timeout_ms, "tlsConfig": connection.tls_config_sent,
                **({"target": v[5]} if v[5] else {})})
        return _Methods(resources=(method, integration), routes=(fingerprint,),
                        cached=((path, verb, label),) if cache_keys else ())

    def _preflight(self, resource: aws.apigateway.Resource, path: str, label: str) -> _Methods:
        """CORS preflight answered by API Gateway (MOCK): browsers send it without credentials or API key,
        so it is the one unauthenticated method, and it never reaches the mesh."""
        cors = self._args.api.cors
        headers = {
            "Access-Control-Allow-Origin": cors.allow_origin,
            "Access-Control-Allow-Methods": ",".join(API_METHODS + ("OPTIONS",)),
            "Access-Control-Allow-Headers": ",".join(CORS_ALLOW_HEADERS),
            "Access-Control-Max-Age": str(cors.max_age_seconds),
        }
        method = aws.apigateway.Method(
            f"{self._name}-{label}", rest_api=self._rest_api.id, resource_id=resource.id, http_method="OPTIONS",
            authorization="NONE", api_key_required=False, opts=self._child())
        integration = aws.apigateway.Integration(
            f"{self._name}-{label}", rest_api=self._rest_api.id, resource_id=resource.id,
            http_method=method.http_method, type="MOCK",
            request_templates={"application/json": '{"statusCode": 200}'}, opts=self._child())
        method_response = aws.apigateway.MethodResponse(
            f"{self._name}-{label}", rest_api=self._rest_api.id, resource_id=resource.id,
            http_method=method.http_method, status_code="200",
            response_parameters={f"method.response.header.{h}": True for h in headers}, opts=self._child())
        integration_response = aws.apigateway.IntegrationResponse(
            f"{self._name}-{label}", rest_api=self._rest_api.id, resource_id=resource.id,
            http_method=method.http_method, status_code=method_response.status_code,
            response_parameters={f"method.response.header.{h}": f"'{v}'" for h, v in headers.items()},
            opts=self._child(depends_on=[integration]))
        fingerprint = pulumi.Output.all(method.id, integration.id).apply(
            lambda v: {"path": path, "method": v[0], "integration": v[1], "headers": headers})
        return _Methods(resources=(method, integration, method_response, integration_response), cors=(fingerprint,))

    def _cors_gateway_responses(self) -> _Methods:
        # Errors API Gateway itself returns (401, 403 no key, 429 throttled) must carry the CORS origin too,
        # or the browser hides them from the app. The body is API Gateway's default one, written out: a response
        # put without templates leaves the body to AWS and its read-back to whatever AWS returns.
        origin = self._args.api.cors.allow_origin
        methods = _Methods()
        # What each response sends is in its fingerprint: a change takes effect with the next deployment only.
        sent = {"parameters": {"gatewayresponse.header.Access-Control-Allow-Origin": f"'{origin}'"},
                "templates": {"application/json": _GATEWAY_ERROR_BODY}}
        for response_type in ("DEFAULT_4XX", "DEFAULT_5XX"):
            response = aws.apigateway.Response(
                f"{self._name}-{response_type.lower().replace('_', '-')}", rest_api_id=self._rest_api.id,
                response_type=response_type, response_parameters=sent["parameters"],
                response_templates=sent["templates"], opts=self._child())
            methods += _Methods(resources=(response,), cors=(response.id.apply(
                lambda rid, t=response_type: {"gatewayResponse": t, "id": rid, **sent}),))
        return methods

    # --- stage --------------------------------------------------------------------------------------

    def _logging(self) -> _Logs:
        """Access logs in a group of their own; execution logs in the group API Gateway would otherwise create
        with no retention; and, in the stack that owns it, the account-level role that lets API Gateway write
        either."""
        args = self._args
        log_settings = dict(retention_days=args.log_retention_days, key_arn=args.log_key_arn, protect=args.protect)
        access = log_group(
            f"{self._name}-access-logs", self, log_name=naming.api_access_log_group(args.environment, self.api_name),
            **log_settings)
        execution = api_logs.execution_log_group(
            f"{self._name}-execution-logs", self, api_id=self._rest_api.id, stage=args.api.stage_name, **log_settings)
        # The stage's logging needs the account's role; the stack that owns it sets it (api.cloudWatchRole).
        return _Logs(access, execution, (self._cloudwatch_role(),) if args.api.cloudwatch_role else ())

    def _cloudwatch_role(self) -> aws.apigateway.Account:
        """The account-and-region setting: the role API Gateway writes execution and access logs with. One per
        account and region; the provider resets it when the resource is deleted (pulumi-aws 7)."""
        partition = aws.get_partition_output(opts=pulumi.InvokeOutputOptions(parent=self)).partition
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        role = aws.iam.Role(f"{self._name}-cloudwatch",
                            assume_role_policy=service_trust_policy("apigateway.amazonaws.com", account_id,
                                                                    if_exists=True),
                            description="API Gateway (account-wide): push execution and access logs to CloudWatch",
                            opts=self._child())
        attachment = aws.iam.RolePolicyAttachment(
            f"{self._name}-cloudwatch", role=role.name,
            policy_arn=pulumi.Output.concat("arn:", partition, ":iam::aws:policy/", CLOUDWATCH_PUSH_POLICY),
            opts=self._child())
        return aws.apigateway.Account(f"{self._name}-account", cloudwatch_role_arn=role.arn,
                                      opts=self._child(depends_on=[attachment]))

    def _stage(self, methods: _Methods, logs: _Logs) -> _Stage:
        args, cfg = self._args, self._args.api
        triggers = {"routes": pulumi.Output.all(*methods.routes).apply(_digest),
                    "authorizer": self._auth.fingerprint.apply(_digest), "api": _digest(asdict(self._api_settings))}
        if methods.cors:
            triggers["cors"] = pulumi.Output.all(*methods.cors).apply(_digest)
        # A new deployment whenever a method, integration, the authorizer or the API's own settings change. Replacement creates the new
        # deployment first, moves the stage onto it, then deletes the old one: no moment without a deployment.
        deployment = aws.apigateway.Deployment(
            f"{self._name}-deployment", rest_api=self._rest_api.id,
            description=f"{args.environment} public API", triggers=triggers,
            opts=self._child(depends_on=[*methods.resources, self._auth], replace_on_changes=["triggers"],
                             delete_before_replace=False))
        if self._connection.client_certificate_id is not None:
            client_certificate_id = pulumi.Output.from_input(self._connection.client_certificate_id)
        else:
            # Only presented on HTTPS integrations: over plain HTTP it identifies nothing (see IngressTls). The
            # Service Connect plane's ALB does not verify it (README, Security model).
            certificate = aws.apigateway.ClientCertificate(
                f"{self._name}-client-cert", description=f"{self.api_name}: API Gateway's certificate to its backend",
                opts=self._child(protect=args.protect))
            client_certificate_id = certificate.id
        stage = aws.apigateway.Stage(
            f"{self._name}-stage", rest_api=self._rest_api.id, deployment=deployment.id,
            stage_name=cfg.stage_name, description=f"{args.environment} stage",
            xray_tracing_enabled=True, client_certificate_id=client_certificate_id,
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=logs.access.arn, format=ACCESS_LOG_FORMAT),
            cache_cluster_enabled=cfg.cache.enabled, cache_cluster_size=cfg.cache.size_gb if cfg.cache.enabled else None,
            opts=self._child(depends_on=[*logs.account, logs.execution]))
        shared = dict(metrics_enabled=cfg.metrics_enabled, logging_level=cfg.logging_level,
                      data_trace_enabled=cfg.data_trace_enabled,
                      throttling_rate_limit=cfg.throttle.rate_limit, throttling_burst_limit=cfg.throttle.burst_limit)
        # With the stage's cache on, API Gateway caches GET methods by default (those without an override here
        # too), and cacheDataEncrypted defaults to false: */* encrypts whatever the stage caches.
        previous: pulumi.Resource = aws.apigateway.MethodSettings(
            f"{self._name}-all-methods", rest_api=self._rest_api.id, stage_name=stage.stage_name,
            method_path="*/*", settings=aws.apigateway.MethodSettingsSettingsArgs(
                **shared, cache_data_encrypted=True if cfg.cache.enabled else None),
            opts=self._child(depends_on=list(logs.account)))
        # Caching is switched on per cached GET, never on */*: that override would cache every verb, and a
        # POST or DELETE could be answered from another caller's cached response. An override carries all
        # settings, not only the cache ones. Each waits for the previous: API Gateway rejects concurrent
        # changes to one stage.
        for path, verb, label in methods.cached:
            previous = aws.apigateway.MethodSettings(
                f"{self._name}-cache-{label}", rest_api=self._rest_api.id, stage_name=stage.stage_name,
                method_path=method_setting_path(path, verb), settings=aws.apigateway.MethodSettingsSettingsArgs(
                    **shared, caching_enabled=True, cache_data_encrypted=True,
                    cache_ttl_in_seconds=cfg.cache.ttl_seconds,
                    # Only IAM-authorised callers (execute-api:InvalidateCache) may bypass the cache with
                    # Cache-Control: max-age=0. Anyone else, every Cognito or token client, gets the cached answer
                    # and a warning header rather than a 403 for a header an HTTP library or proxy may add itself.
                    require_authorization_for_cache_control=True,
                    unauthorized_cache_control_header_strategy="SUCCEED_WITH_RESPONSE_HEADER"),
                opts=self._child(depends_on=[previous]))
        return _Stage(stage, client_certificate_id)

    # --- usage plans --------------------------------------------------------------------------------

    def _usage_plans(self, stage: aws.apigateway.Stage) -> tuple[dict[str, pulumi.Output[str]], pulumi.Output[dict]]:
        """Each plan's id (tenant keys join the plans too: components/tenants.py), and consumer -> API key id."""
        args, cfg = self._args, self._args.api
        plans: dict[str, aws.apigateway.UsagePlan] = {}
        for plan in cfg.usage_plans:
            # Method throttles are keyed "/<resource path>/<VERB>".
            throttles = [aws.apigateway.UsagePlanApiStageThrottleArgs(
                path=f"{t.path}/{verb}", rate_limit=t.rate_limit, burst_limit=t.burst_limit)
                for t in plan.method_throttles for verb in t.verbs]
            plans[plan.name] = aws.apigateway.UsagePlan(
                f"{self._name}-plan-{plan.name}", name=f"{self.api_name}-{plan.name}",
                description=f"{plan.name}: {plan.throttle.rate_limit:g} rps, " + (
                    f"{plan.quota.limit} per {plan.quota.period}" if plan.quota else "no quota (public clients)"),
                api_stages=[aws.apigateway.UsagePlanApiStageArgs(
                    api_id=self._rest_api.id, stage=stage.stage_name, throttles=throttles or None)],
                throttle_settings=aws.apigateway.UsagePlanThrottleSettingsArgs(
                    rate_limit=plan.throttle.rate_limit, burst_limit=plan.throttle.burst_limit),
                quota_settings=aws.apigateway.UsagePlanQuotaSettingsArgs(
                    limit=plan.quota.limit, period=plan.quota.period) if plan.quota else None,
                opts=self._child())
        key_ids: dict[str, pulumi.Output[str]] = {}
        for consumer in cfg.consumers:
            key_ids[consumer.name] = planned_api_key(
                f"{self._name}-key-{consumer.name}", key_name=f"{self.api_name}-{consumer.name}",
                description=f"{consumer.name} ({consumer.plan} plan)", usage_plan_id=plans[consumer.plan].id,
                protect=args.protect, parent=self, value=consumer.key_value).id
        key_id_map = pulumi.Output.secret(pulumi.Output.all(**key_ids)) if key_ids else pulumi.Output.secret({})
        return {plan_name: plan.id for plan_name, plan in plans.items()}, key_id_map

    # --- versioning ---------------------------------------------------------------------------------

    def _domain(self, stage: aws.apigateway.Stage) -> _Domain:
        """The custom domain with a base path per API version."""
        domain = self._args.api.domain
        name = aws.apigateway.DomainName(
            f"{self._name}-domain", domain_name=domain.name,
            regional_certificate_arn=self._args.domain_certificate_arn,
            endpoint_configuration=aws.apigateway.DomainNameEndpointConfigurationArgs(types="REGIONAL"),
            security_policy="TLS_1_2", opts=self._child(protect=self._args.protect))
        for base_path in domain.base_paths:
            aws.apigateway.BasePathMapping(
                f"{self._name}-{base_path}", domain_name=name.domain_name, rest_api=self._rest_api.id,
                stage_name=stage.stage_name, base_path=base_path, opts=self._child())
        return _Domain(name=name.domain_name, target=name.regional_domain_name, zone_id=name.regional_zone_id,
                       invoke_url=pulumi.Output.from_input(f"https://{domain.name}/{domain.base_paths[0]}"))

    # --- protection and alarms ----------------------------------------------------------------------

    def _waf(self, stage: aws.apigateway.Stage) -> None:
        waf = self._args.api.waf
        # Another body limit than the managed rule's 8 KB: that rule only counts, and ours blocks.
        own_body_limit = waf.max_body_kb != WAF_MANAGED_BODY_KB

        def visibility(metric: str) -> dict:
            return dict(cloudwatch_metrics_enabled=True, sampled_requests_enabled=True,
                        metric_name=f"{self.api_name}-{metric}")

        def managed(group: str, priority: int, counted: Sequence[str] = ()) -> aws.wafv2.WebAclRuleArgs:
            return aws.wafv2.WebAclRuleArgs(
                name=group, priority=priority,
                override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                        vendor_name="AWS", name=group, rule_action_overrides=self._waf_counted(counted))),
                visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**visibility(group)))

        def rule(name: str, statement: aws.wafv2.WebAclRuleStatementArgs) -> aws.wafv2.WebAclRuleArgs:
            return aws.wafv2.WebAclRuleArgs(
                name=name, priority=len(rules), statement=statement,
                action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
                visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**visibility(name)))

        servers = self._waf_ip_set("servers", waf.server_addresses, "the servers that keep API keys")
        blocked = self._waf_ip_set("blocked", waf.blocked_addresses, "addresses refused outright")
        rules: list[aws.wafv2.WebAclRuleArgs] = []
        # Addresses an incident blocks go first, then floods are cut, before the other rules spend capacity.
        if blocked is not None:
            rules.append(rule("blocked-addresses", aws.wafv2.WebAclRuleStatementArgs(
                ip_set_reference_statement=aws.wafv2.WebAclRuleStatementIpSetReferenceStatementArgs(arn=blocked.arn))))
        rules.append(rule("rate-per-ip", _rate_statement(waf.rate_limit_per_5min, servers, among=False)))
        if servers is not None:
            # The servers' own: what their fastest plan sells (config resolves it with their keys).
            assert waf.server_rate_limit is not None, "a WafConfig with serverAddresses but no server_rate_limit: " \
                                                      "build it through config (resolve_waf sets both)"
            rules.append(rule("rate-per-server-ip", _rate_statement(waf.server_rate_limit, servers, among=True)))
        if own_body_limit:
            # Next the body size, which costs one comparison: a body too large is refused before the managed
            # groups read it.
            rules.append(rule("max-body-size", self._waf_body_size_statement(waf.max_body_kb)))
        managed_priority = len(rules)
        rules += [
            managed("AWSManagedRulesCommonRuleSet", managed_priority,
                    counted=("SizeRestrictions_BODY",) if own_body_limit else ()),
            managed("AWSManagedRulesKnownBadInputsRuleSet", managed_priority + 1),
        ]
        # Capacity (WCUs, AWS WAF Developer Guide): CommonRuleSet 700, KnownBadInputsRuleSet 200, a rate rule 2 and
        # its IP set scope-down 1, the blocked addresses' IP set 1, the size rule 1 (11 should its NONE
        # transformation count as one): at most 918 of the 1,500 a web ACL gets at the base price (AWS charges for
        # each 500 beyond).
        acl = aws.wafv2.WebAcl(
            f"{self._name}-waf", name=f"{self.api_name}-waf", scope="REGIONAL",
            description=self._waf_description(servers is not None, blocked is not None, own_body_limit),
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=rules,
            association_config=self._waf_body_inspection(waf.max_body_kb),
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(**visibility("waf")),
            opts=self._child())
        self._waf_logging(acl)
        # A stage has one web ACL. A replacement made first would take the stage over, and deleting the old
        # association (by the stage's ARN alone) would then leave it with none (pulumi/pulumi-aws#4782). So
        # it goes first: the stage is without WAF for the seconds until the new one is made.
        aws.wafv2.WebAclAssociation(f"{self._name}-waf", resource_arn=stage.arn, web_acl_arn=acl.arn,
                                    opts=self._child(delete_before_replace=True))

    def _waf_description(self, servers: bool, blocked: bool, own_body_limit: bool) -> str:
        """What the web ACL does, in the characters WAF allows a description (an update in place, not ForceNew)."""
        rate = ("per-IP rate limits for the servers that keep API keys and for everyone else" if servers
                else "a per-IP rate limit")
        items = [*(["blocked addresses"] if blocked else []), rate,
                 *([f"a {self._args.api.waf.max_body_kb} KB body limit"] if own_body_limit else [])]
        listed = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
        return f"{self.api_name}: AWS managed rules{',' if len(items) > 1 else ' and'} {listed}"

    def _waf_ip_set(self, label: str, addresses: Sequence[str], what: str) -> Optional[aws.wafv2.IpSet]:
        if not addresses:
            return None
        return aws.wafv2.IpSet(f"{self._name}-waf-{label}", name=f"{self.api_name}-{label}", scope="REGIONAL",
                               description=f"{self.api_name}: {what}", ip_address_version="IPV4",
                               addresses=list(addresses), opts=self._child())

    @staticmethod
    def _waf_counted(rules: Sequence[str]) -> Optional[list]:
        """Overrides that make these rules of a managed group count a request instead of acting on it."""
        if not rules:
            return None
        count = aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs(
            count=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs())
        return [aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs(
            name=rule, action_to_use=count) for rule in rules]

    @staticmethod
    def _waf_body_size_statement(max_body_kb: int) -> aws.wafv2.WebAclRuleStatementArgs:
        """A request body over `max_body_kb` KB. WAF receives a body only up to the stage's inspection limit
        (`_waf_body_inspection`: at least `max_body_kb`) and compares the size it received. A body beyond the
        inspection limit is larger than `max_body_kb` too, so it matches (MATCH); CONTINUE would see only the
        inspection limit's bytes and let it through when the two limits are equal (16, 32, 48, 64 KB)."""
        return aws.wafv2.WebAclRuleStatementArgs(
            size_constraint_statement=aws.wafv2.WebAclRuleStatementSizeConstraintStatementArgs(
                comparison_operator="GT", size=max_body_kb * 1024,
                field_to_match=aws.wafv2.WebAclRuleStatementSizeConstraintStatementFieldToMatchArgs(
                    body=aws.wafv2.WebAclRuleStatementSizeConstraintStatementFieldToMatchBodyArgs(
                        oversize_handling="MATCH")),
                text_transformations=[aws.wafv2.WebAclRuleStatementSizeConstraintStatementTextTransformationArgs(
                    priority=0, type="NONE")]))

    @staticmethod
    def _waf_body_inspection(max_body_kb: int) -> Optional[aws.wafv2.WebAclAssociationConfigArgs]:
        """The smallest body inspection limit that covers `max_body_kb`, when the default 16 KB does not. AWS
        charges for each 16 KB inspected beyond the default (AssociationConfig; WAF pricing)."""
        limit = min(kb for kb in WAF_BODY_INSPECTION_KB if kb >= max_body_kb)
        if limit == WAF_BODY_INSPECTION_KB[0]:
            return None
        return aws.wafv2.WebAclAssociationConfigArgs(request_bodies=[aws.wafv2.WebAclAssociationConfigRequestBodyArgs(
            api_gateway=aws.wafv2.WebAclAssociationConfigRequestBodyApiGatewayArgs(
                default_size_inspection_limit=f"KB_{limit}"))])

    def _waf_logging(self, acl: aws.wafv2.WebAcl) -> None:
        """The requests the web ACL blocks or counts, for incident response (the metrics say how many, not which);
        allowed requests are the access log's. Credentials are redacted before WAF writes a line."""
        args = self._args
        group = log_group(f"{self._name}-waf-logs", self, log_name=naming.waf_log_group(args.environment, self.api_name),
                          retention_days=args.log_retention_days, key_arn=args.log_key_arn, protect=args.protect)
        kept = [aws.wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArgs(
            action_condition=aws.wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionActionConditionArgs(
                action=action)) for action in WAF_LOGGED_ACTIONS]
        aws.wafv2.WebAclLoggingConfiguration(
            f"{self._name}-waf-logging", resource_arn=acl.arn, log_destination_configs=[group.arn],
            # One header per block: AWS takes exactly one field in each.
            redacted_fields=[aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(name=header))
                for header in WAF_REDACTED_HEADERS],
            logging_filter=aws.wafv2.WebAclLoggingConfigurationLoggingFilterArgs(
                default_behavior="DROP", filters=[aws.wafv2.WebAclLoggingConfigurationLoggingFilterFilterArgs(
                    behavior="KEEP", requirement="MEETS_ANY", conditions=kept)]),
            opts=self._child())

    def _alarms(self) -> pulumi.Output[str]:
        """The API's 5xx-rate, 4xx-rate and p99-latency alarms; the 5xx one's view for Route 53."""
        args, thresholds = self._args, self._args.alarms
        dimensions = {"ApiName": self.api_name, "Stage": args.api.stage_name}
        routing = args.alarm_routing

        # A REST API's 5XXError and 4XXError are 0 or 1 per request (API Gateway's metric reference): their
        # Average is the rate, and the global layer's Route 53 health checks can follow the 5xx alarm
        # (CloudWatchAlarmConfiguration requires a metric name, namespace and statistic: no metric math).
        rates = {key: routing.average_rate(
            f"{self._name}-{kind}-rate", kind=f"api-{kind}-rate", name=naming.api_alarm_name(self.api_name, key),
            summary=f"{kind.upper()} responses above {threshold:g}% of requests on {self.api_name}",
            namespace="AWS/ApiGateway", metric_name=metric_name, dimensions=dimensions, threshold_percent=threshold,
            opts=self._child()) for kind, key, metric_name, threshold in (
                ("5xx", naming.API_5XX_RATE, "5XXError", thresholds.five_xx_rate_percent),
                ("4xx", naming.API_4XX_RATE, "4XXError", thresholds.four_xx_rate_percent))}
        routing.alarm(
            f"{self._name}-p99-latency", kind="api-p99-latency",
            name=naming.api_alarm_name(self.api_name, naming.API_P99_LATENCY),
            summary=f"p99 latency above {thresholds.p99_latency_ms} ms on {self.api_name}",
            namespace="AWS/ApiGateway", metric_name="Latency", dimensions=dimensions, extended_statistic="p99",
            period=60, threshold=thresholds.p99_latency_ms, comparison_operator="GreaterThanThreshold",
            **three_of_five_minutes(), opts=self._child())
        return route53_alarm_view(rates[naming.API_5XX_RATE])


def _rate_statement(limit: int, addresses: Optional[aws.wafv2.IpSet], *, among: bool
                    ) -> aws.wafv2.WebAclRuleStatementArgs:
    """A per-address rate rule's statement: over every request, or only those from (`among`) or not from an IP set."""
    scope_down = None
    if addresses is not None:
        # pulumi-aws names each scope-down type after the whole path to it.
        statement = aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementArgs
        ip_set = aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementIpSetReferenceStatementArgs
        negated = aws.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementNotStatementArgs
        match = statement(ip_set_reference_statement=ip_set(arn=addresses.arn))
        scope_down = match if among else statement(not_statement=negated(statement=match))
    return aws.wafv2.WebAclRuleStatementArgs(rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
        limit=limit, aggregate_key_type="IP", evaluation_window_sec=WAF_RATE_WINDOW_SECONDS,
        scope_down_statement=scope_down))


def route53_alarm_view(alarm: aws.cloudwatch.MetricAlarm) -> pulumi.Output[str]:
    """The alarm settings a Route 53 health check copies when it is created or its AlarmIdentifier is sent again
    (its CloudWatchAlarmConfiguration): it never rereads the alarm, so a changed threshold, period or dimension
    (a renamed stage) reaches it only through an update. The global layer takes this text (the regional stack's
    `apiHealthAlarm` output) as its health check's `triggers`, which makes the provider resend the identifier."""
    def text(parts: list) -> str:
        namespace, metric, statistic, period, periods, operator, threshold, dimensions = parts
        dims = ",".join(f"{k}={v}" for k, v in sorted((dimensions or {}).items()))
        return f"{namespace} {metric} {statistic} {period}s x{periods} {operator} {threshold:g} {dims}"
    return pulumi.Output.all(alarm.namespace, alarm.metric_name, alarm.statistic, alarm.period,
                             alarm.evaluation_periods, alarm.comparison_operator, alarm.threshold,
                             alarm.dimensions).apply(text)
