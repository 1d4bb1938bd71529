"""The device WebSocket API: devices hold a connection, the command service pushes to it.

    device ─wss─▶ $connect ─(REQUEST authorizer Lambda: HMAC token → tenantId, deviceId)─▶ connections Lambda
                  $disconnect, ack ────────────────────────────────────────────────────▶ connections Lambda
                  (ack has a route response: what the function returns goes back to the device)
                  $default (keep-alives, unknown actions) ─▶ a MOCK integration: 200, nothing stored or sent
                                                                     │ PutItem/DeleteItem/UpdateItem
                                    DynamoDB <env>-iot-connections (tenantId + deviceId, KMS, TTL expiresAt)
    command-service ─ GetItem(tenantId, deviceId) ─▶ connectionId, callbackUrl
                    ─ POST <callbackUrl>/@connections/<connectionId> (ManageConnections, this stage)
    (the service's CONNECTIONS_TABLE names the table: config.devices._with_platform_environment)

With `websocketApi.domain`, devices connect to wss://<domain>/<mappingKey> (a regional custom domain of its own,
mapped to the stage), a host that outlives the API and its id. The execute-api endpoint stays on: callbackUrl is
always the execute-api stage URL (lambdas/connections), where @connections is served and which the command
service's egress allows (`*.execute-api.<region>.amazonaws.com`, components/egress.py).

Why Lambda integrations and not the services behind the ALB: a WebSocket API reaches a VPC only through a
VPC link V1 to a Network Load Balancer (VPC link V2 and ALBs are for HTTP and REST APIs). The routes only
keep the connection table, which needs no VPC, so they run as Lambda functions, and commands flow the
other way through `@connections`: no NLB is added for the WebSocket API.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import api_logs, naming
from .logkey import log_group
from .alarms import AlarmRouting, Metric
from .config import CONNECTIONS_TABLE_VARIABLE, TenantConfig, WebsocketApiConfig, WebsocketDomainConfig
from .dns import check_domain_certificate
from .iam import policy_json, secret_keys_decrypt, secret_resource_arn, statement
from .kms import customer_key
from .lambda_function import FunctionArgs, LambdaFunction
from .observability import MetricGraph, stage_search

# One JSON object per event; the authorizer's context puts the tenant and device in every line.
_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "connectionId": "$context.connectionId",
    "eventType": "$context.eventType",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "tenantId": "$context.authorizer.tenantId",
    "deviceId": "$context.authorizer.deviceId",
    "sourceIp": "$context.identity.sourceIp",
    "integrationLatency": "$context.integrationLatency",
    "authorizerError": "$context.authorizer.error",
}
ACCESS_LOG_FORMAT = api_logs.json_format(_ACCESS_LOG_FIELDS)
# $connect is the only route a WebSocket API can authorize; the others run on an authorized connection.
CONNECT, DISCONNECT, DEFAULT, ACK = "$connect", "$disconnect", "$default", "ack"
ROUTES = (CONNECT, DISCONNECT, DEFAULT, ACK)
# The routes whose function answers the device: an ack, recorded or refused. $connect answers by accepting or
# refusing the connection, nothing can be sent back on $disconnect, and $default (where keep-alives land) stays
# one-way, or every keep-alive would cost a reply.
REPLYING_ROUTES = (ACK,)
REPLY = "$default"  # the one route response: whatever the function returns goes back on the connection
# The routes the connection function serves; $default is answered by API Gateway (a MOCK integration): about
# 1,850 keep-alives a second at a million devices (docs/capacity.md) would otherwise each be an invocation.
FUNCTION_ROUTES = (CONNECT, DISCONNECT, ACK)
# A WebSocket MOCK integration answers with the status its request template sets; `\$default` selects the
# template under the key "$default" whatever the message (a literal, escaped: `$default` alone is a variable).
MOCK_TEMPLATES = {"$default": '{"statusCode": 200}'}
MOCK_TEMPLATE_SELECTION = "\\$default"
# The share of a device function's invocations that may fail (AWS/Lambda Errors over Invocations) before it pages.
FUNCTION_ERROR_RATE_PERCENT = 5


def dashboard_graphs(environment: str, config: WebsocketApiConfig) -> tuple[MetricGraph, ...]:
    """The overview dashboard's graphs of the WebSocket API: connects, messages and errors at its stage, its
    functions' errors and throttles (a storm past their reserved concurrency), and the connection table's
    throttled writes."""
    functions = [naming.device_function_name(environment, f) for f in naming.WEBSOCKET_FUNCTIONS]
    table = {"TableName": naming.connection_table_name(environment)}
    return (
        MetricGraph(title=f"Device WebSocket API (stage {config.stage_name}): connects, messages, errors",
                    lines=tuple(stage_search(config.stage_name, m) for m in (
                        "ConnectCount", "MessageCount", "ClientError", "ExecutionError", "IntegrationError"))),
        MetricGraph(title="Device functions: errors and throttles; connection table: throttled writes",
                    lines=(*(Metric("AWS/Lambda", m, {"FunctionName": f}, "Sum")
                             for f in functions for m in ("Errors", "Throttles")),
                           Metric("AWS/DynamoDB", "WriteThrottleEvents", table, "Sum"))),
    )


@dataclass(frozen=True)
class DeviceWebsocketApiArgs:
    environment: str
    region: str
    account_id: pulumi.Input[str]
    config: WebsocketApiConfig
    tenants: Sequence[TenantConfig]
    # The task roles of config.command_service, one per version (from the compute layer).
    command_task_role_names: Sequence[pulumi.Input[str]]
    log_retention_days: int
    protect: bool
    # The environment's log key (components/logkey.py): its log groups are encrypted with it.
    log_key_arn: pulumi.Input[str]
    # How its alarms are made and where they go (from the observability layer), and the API's error thresholds:
    # its own and its integrations' failures, and what it refused (4xx).
    alarm_routing: AlarmRouting
    error_rate_percent: float
    four_xx_rate_percent: float
    # The custom domain's certificate, as components/dns.domain_certificate_arn resolves it: the config's, else one
    # the stack issues in its zone. Given exactly when the config has a domain.
    domain_certificate_arn: Optional[pulumi.Input[str]] = None

    def __post_init__(self) -> None:
        check_domain_certificate(self.config.domain, self.domain_certificate_arn)


def _signing_secret_statements(cfg: WebsocketApiConfig) -> list[dict]:
    """The authorizer reads the signing secret (a partial ARN, without the random suffix, gets the suffix's
    wildcard: as written it would match no secret) and, under a customer managed key, decrypts it through
    Secrets Manager only."""
    statements = [statement(["secretsmanager:GetSecretValue"], [secret_resource_arn(cfg.signing_secret_arn)],
                            sid="SigningKey")]
    if cfg.signing_secret_kms_key:
        statements.append(secret_keys_decrypt([cfg.signing_secret_kms_key], [cfg.signing_secret_arn],
                                              sid="SigningKeyDecrypt"))
    return statements


class DeviceWebsocketApi(pulumi.ComponentResource):
    api_id: pulumi.Output[str]
    stage_name: pulumi.Output[str]
    invoke_url: pulumi.Output[str]
    connection_table_name: pulumi.Output[str]
    access_log_group_name: pulumi.Output[str]
    # The alias target of the custom domain's DNS record (None without a domain).
    domain_target: Optional[pulumi.Output[str]] = None
    domain_zone_id: Optional[pulumi.Output[str]] = None

    def __init__(self, name: str, args: DeviceWebsocketApiArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:api:DeviceWebsocketApi", name, None, opts)
        self._name, self._args = name, args
        cfg = args.config
        self.table, table_key = self._connection_table()
        self.api = aws.apigatewayv2.Api(
            f"{name}-api", name=naming.device_api_name(args.environment, naming.WEBSOCKET), protocol_type="WEBSOCKET",
            # Devices send {"action": "ack", ...}; anything else goes to $default.
            route_selection_expression="$request.body.action",
            description=f"{args.environment} device connections", opts=self._child())
        stage_arn = pulumi.Output.concat(self.api.execution_arn, "/", cfg.stage_name)
        self.authorizer_function, self.connections_function = self._functions(table_key)
        waits_for = self._routes(stage_arn, self.authorizer_function, self.connections_function)
        self.stage, self._access_logs = self._stage(waits_for)
        self._command_permissions(stage_arn, table_key)
        self._alarms()

        self.api_id = self.api.id
        self.stage_name = self.stage.name
        self.invoke_url = self.stage.invoke_url
        if cfg.domain is not None:
            config = self._domain(cfg.domain).domain_name_configuration
            self.invoke_url = pulumi.Output.from_input(f"wss://{cfg.domain.name}/{cfg.domain.mapping_key}")
            self.domain_target, self.domain_zone_id = config.target_domain_name, config.hosted_zone_id
        self.connection_table_name = self.table.name
        self.access_log_group_name = self._access_logs.name
        self.register_outputs({"apiId": self.api_id, "invokeUrl": self.invoke_url,
                               "connectionTable": self.connection_table_name})

    def _functions(self, table_key: aws.kms.Key) -> tuple[LambdaFunction, LambdaFunction]:
        """The $connect authorizer, and the function that keeps each device's connection id in the table."""
        args, cfg = self._args, self._args.config
        authorizer = LambdaFunction(f"{self._name}-authorizer", FunctionArgs(
            function_name=naming.device_function_name(args.environment, naming.WS_AUTHORIZER),
            source="device_authorizer", description="WebSocket $connect: validates the device token",
            region=args.region, account_id=args.account_id, log_retention_days=args.log_retention_days,
            log_key_arn=args.log_key_arn,
            # Its Secrets Manager read (two attempts of 1 s to connect and 1 s to read, and standard mode's
            # back-off between them) and a cold start's boto3 import: a timeout would skip its own failure path.
            reserved_concurrency=cfg.reserved_concurrency.authorizer, runtime=cfg.lambda_runtime, timeout_seconds=8,
            statements=_signing_secret_statements(cfg),
            environment=cfg.authorizer_environment([t.name for t in args.tenants]),
            protect=args.protect), self._child())
        connections = LambdaFunction(f"{self._name}-connections", FunctionArgs(
            function_name=naming.device_function_name(args.environment, naming.WS_CONNECTIONS),
            source="connections", description="WebSocket routes: the device's current connection id",
            region=args.region, account_id=args.account_id, log_retention_days=args.log_retention_days,
            log_key_arn=args.log_key_arn,
            reserved_concurrency=cfg.reserved_concurrency.connections, runtime=cfg.lambda_runtime,
            statements=[
                statement(["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"], [self.table.arn],
                          sid="ConnectionItems"),
                statement(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], [table_key.arn], sid="TableKey",
                          conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{args.region}.amazonaws.com"}}),
            ],
            environment={CONNECTIONS_TABLE_VARIABLE: self.table.name}, protect=args.protect), self._child())
        return authorizer, connections

    def _routes(self, stage_arn: pulumi.Output[str], authorizer_function: LambdaFunction,
                connections_function: LambdaFunction) -> list[pulumi.Resource]:
        """$connect through the token authorizer, the function routes, the keep-alive: what the stage deploys."""
        cfg = self._args.config
        authorizer = aws.apigatewayv2.Authorizer(
            f"{self._name}-authorizer", api_id=self.api.id, name="device-token", authorizer_type="REQUEST",
            authorizer_uri=authorizer_function.invoke_arn, identity_sources=[cfg.identity_expression],
            opts=self._child())
        aws.lambda_.Permission(
            f"{self._name}-authorizer-invoke", action="lambda:InvokeFunction", principal="apigateway.amazonaws.com",
            function=authorizer_function.function_name,
            source_arn=pulumi.Output.concat(self.api.execution_arn, "/authorizers/", authorizer.id),
            opts=self._child())
        integration = aws.apigatewayv2.Integration(
            f"{self._name}-connections", api_id=self.api.id, integration_type="AWS_PROXY",
            integration_method="POST",  # Lambda's Invoke; a WebSocket API's Lambda integration must say so
            integration_uri=connections_function.invoke_arn, description="connection store",
            opts=self._child())
        keep_alive = aws.apigatewayv2.Integration(
            f"{self._name}-keep-alive", api_id=self.api.id, integration_type="MOCK",
            request_templates=MOCK_TEMPLATES, template_selection_expression=MOCK_TEMPLATE_SELECTION,
            description="keep-alives and unknown actions: answered here, nothing stored", opts=self._child())
        aws.lambda_.Permission(
            f"{self._name}-connections-invoke", action="lambda:InvokeFunction", principal="apigateway.amazonaws.com",
            function=connections_function.function_name,
            source_arn=pulumi.Output.concat(stage_arn, "/*"), opts=self._child())
        routes = {key: aws.apigatewayv2.Route(
            f"{self._name}-route-{key.strip('$')}", api_id=self.api.id, route_key=key,
            target=pulumi.Output.concat("integrations/", (integration if key in FUNCTION_ROUTES else keep_alive).id),
            **({"authorization_type": "CUSTOM", "authorizer_id": authorizer.id} if key == CONNECT
               else {"authorization_type": "NONE"}),
            **({"route_response_selection_expression": REPLY} if key in REPLYING_ROUTES else {}),
            opts=self._child()) for key in ROUTES}
        # A route without a route response is one-way: API Gateway drops what the function returns, and a
        # device would never hear that its ack was refused.
        replies = [aws.apigatewayv2.RouteResponse(
            f"{self._name}-reply-{key.strip('$')}", api_id=self.api.id, route_id=routes[key].id,
            route_response_key=REPLY, opts=self._child()) for key in REPLYING_ROUTES]
        return [*routes.values(), *replies]

    def _stage(self, waits_for: list[pulumi.Resource]) -> tuple[aws.apigatewayv2.Stage, aws.cloudwatch.LogGroup]:
        """The stage, its throttles and its access and execution logs; deployed once `waits_for` exist."""
        args, cfg = self._args, self._args.config
        log_settings = dict(retention_days=args.log_retention_days, key_arn=args.log_key_arn, protect=args.protect)
        access_logs = log_group(
            f"{self._name}-access-logs", self,
            log_name=naming.device_api_access_log_group(args.environment, naming.WEBSOCKET), **log_settings)
        # Execution logs (logging level ERROR below) go to the group API Gateway names after the API and stage,
        # as for REST APIs (AWS's knowledge-center article on API Gateway logs names the one group for REST and
        # WebSocket APIs alike).
        execution_logs = api_logs.execution_log_group(
            f"{self._name}-execution-logs", self, api_id=self.api.id, stage=cfg.stage_name, **log_settings)
        stage = aws.apigatewayv2.Stage(
            f"{self._name}-stage", api_id=self.api.id, name=cfg.stage_name, auto_deploy=True,
            description=f"{args.environment} device connections",
            access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(
                destination_arn=access_logs.arn, format=ACCESS_LOG_FORMAT),
            default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
                throttling_rate_limit=cfg.throttle.rate_limit, throttling_burst_limit=cfg.throttle.burst_limit,
                logging_level="ERROR", data_trace_enabled=False, detailed_metrics_enabled=True),
            # New connections have their own, lower limit: it paces a reconnect storm below the account quota.
            route_settings=[aws.apigatewayv2.StageRouteSettingArgs(
                route_key=CONNECT, throttling_rate_limit=cfg.connect_throttle.rate_limit,
                throttling_burst_limit=cfg.connect_throttle.burst_limit, logging_level="ERROR",
                detailed_metrics_enabled=True)],
            opts=self._child(depends_on=[*waits_for, execution_logs]))
        return stage, access_logs

    def _domain(self, domain: WebsocketDomainConfig) -> aws.apigatewayv2.DomainName:
        """The API's own regional custom domain, mapped to the stage at the mapping key. The execute-api endpoint is
        not disabled: the command service posts to @connections there."""
        name = aws.apigatewayv2.DomainName(
            f"{self._name}-domain", domain_name=domain.name,
            domain_name_configuration=aws.apigatewayv2.DomainNameDomainNameConfigurationArgs(
                certificate_arn=self._args.domain_certificate_arn,
                endpoint_type="REGIONAL", security_policy="TLS_1_2"),
            opts=self._child(protect=self._args.protect))
        aws.apigatewayv2.ApiMapping(
            f"{self._name}-mapping", api_id=self.api.id, domain_name=name.domain_name, stage=self.stage.id,
            api_mapping_key=domain.mapping_key or None, opts=self._child())
        return name

    def _child(self, **kwargs) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)

    def _alarms(self) -> None:
        """Every device connects through the authorizer and the connection function: errors in either page, and
        so do errors in the API itself."""
        env = self._args.environment
        routing = self._args.alarm_routing
        for function in naming.WEBSOCKET_FUNCTIONS:
            name = naming.device_function_name(env, function)
            # A throttled call is not an invocation (Lambda counts it only in Throttles): a storm past the reserved
            # concurrency refuses devices as surely as a crash, so it counts on both sides.
            routing.error_rate(
                f"{self._name}-{function}-errors", kind="device-function-errors",
                name=naming.alarm_name(env, naming.function_errors_alarm(function)),
                summary=f"Lambda {name}: over {FUNCTION_ERROR_RATE_PERCENT}% of calls failed or were throttled",
                namespace="AWS/Lambda", dimensions={"FunctionName": name}, errors=["Errors", "Throttles"],
                requests=["Invocations", "Throttles"], threshold=FUNCTION_ERROR_RATE_PERCENT,
                label="Errors and throttles (%)", opts=self._child())
        # The API's own side: a failing integration or authorizer call ($connect included) is ExecutionError or
        # IntegrationError, over every connect and message the stage handled.
        routing.error_rate(
            f"{self._name}-error-rate", kind="device-api-error-rate",
            name=naming.alarm_name(env, naming.WS_API_ERROR_ALARM),
            summary=f"{naming.device_api_name(env, naming.WEBSOCKET)}: over {self._args.error_rate_percent:g}% of "
                    "connects and messages failed in API Gateway or its integration",
            namespace="AWS/ApiGateway", dimensions={"ApiId": self.api.id, "Stage": self.stage.name},
            errors=["ExecutionError", "IntegrationError"], requests=["ConnectCount", "MessageCount"],
            threshold=self._args.error_rate_percent, label="Errors (%)", opts=self._child())
        # What API Gateway refused before any integration ran (ClientError: 4xx): devices whose token the
        # authorizer denied (401/403) and connects or messages over the stage's throttles (429). A ticket, as
        # the other APIs' 4xx: a fleet with expired tokens or a reconnect storm paced by connectThrottle.
        # A refused $connect never reaches the integration, so ConnectCount leaves it out: the refusals are
        # added to the total. MessageCount counts messages to devices too (the command service's pushes), so the
        # rate is of all the stage's traffic, as the error-rate alarm's is.
        routing.error_rate(
            f"{self._name}-4xx-rate", kind="api-4xx-rate", name=naming.alarm_name(env, naming.WS_API_4XX_ALARM),
            summary=f"{naming.device_api_name(env, naming.WEBSOCKET)}: over {self._args.four_xx_rate_percent:g}% of "
                    "connects and messages (pushes to devices included) refused by API Gateway (4xx)",
            namespace="AWS/ApiGateway", dimensions={"ApiId": self.api.id, "Stage": self.stage.name},
            errors=["ClientError"], requests=["ClientError", "ConnectCount", "MessageCount"],
            threshold=self._args.four_xx_rate_percent, label="4xx rate (%)", opts=self._child())

    def _connection_table(self) -> tuple[aws.dynamodb.Table, aws.kms.Key]:
        args = self._args
        key = customer_key(f"{self._name}-table-key", self._child(protect=args.protect), environment=args.environment,
                           description=f"{args.environment}: device connection table")
        table = aws.dynamodb.Table(
            f"{self._name}-connections", name=naming.connection_table_name(args.environment),
            # Device ids are unique within a tenant, not across tenants: one tenant's device never takes
            # another's item (and commands).
            billing_mode="PAY_PER_REQUEST", hash_key="tenantId", range_key="deviceId",
            attributes=[aws.dynamodb.TableAttributeArgs(name="tenantId", type="S"),
                        aws.dynamodb.TableAttributeArgs(name="deviceId", type="S")],
            # A lost $disconnect leaves an item; it expires after the 2 h maximum connection duration.
            ttl=aws.dynamodb.TableTtlArgs(attribute_name="expiresAt", enabled=True),
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=key.arn),
            deletion_protection_enabled=args.protect,
            # Its name is fixed and its items live two hours at most: a new key schema (ForceNew) replaces it
            # by deleting it first (docs/migration.md has the steps for a protected stack).
            opts=self._child(protect=args.protect, delete_before_replace=True))
        return table, key

    def _command_permissions(self, stage_arn: pulumi.Output[str], table_key: aws.kms.Key) -> None:
        """The command service may post to (and close) this stage's connections, and read who is connected."""
        args = self._args
        document = policy_json([
            statement(["execute-api:ManageConnections"],
                      [pulumi.Output.concat(stage_arn, "/POST/@connections/*"),
                       pulumi.Output.concat(stage_arn, "/DELETE/@connections/*"),
                       pulumi.Output.concat(stage_arn, "/GET/@connections/*")], sid="PushToDevices"),
            statement(["dynamodb:GetItem"], [self.table.arn], sid="FindConnection"),
            statement(["kms:Decrypt"], [table_key.arn], sid="TableKey",
                      conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{args.region}.amazonaws.com"}}),
        ])
        for index, role in enumerate(args.command_task_role_names):
            aws.iam.RolePolicy(f"{self._name}-command-service-{index}", role=role, policy=document,
                               opts=self._child())
