"""API Gateway stages (REST and HTTP/WebSocket): access logs, tracing, data trace, throttling (a REST stage's client
certificate, which depends on its API's integrations, is in `stage_coverage`)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, dig, is_map, is_set, is_true, num, number, peek, peek_items
from ..core.registry import config_list, resource_policy, stack_policy
from ..core.stack import of_type, prop
from . import API_V2, STAGE, STAGE_V2
from .route import api_protocol
from .stage_coverage import EXECUTION_LOG_LEVELS, EXEMPT_STAGES


@resource_policy(
    "apigatewayv2-stage-access-logging", STAGE_V2,
    description="HTTP and WebSocket API stages must send access logs to a destination in a defined format.",
    severity=Severity.HIGH,
    anchors=("Security Hub APIGateway.9", "CKV_AWS_95"),
)
@resource_policy(
    "apigateway-stage-access-logging", STAGE,
    description="REST API stages must send access logs to a destination in a defined format.",
    severity=Severity.HIGH,
    anchors=("cdk-nag APIG1", "CKV_AWS_76"),
)
def access_logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`accessLogSettings` with `destinationArn` and `format`"""
    settings = args.props.get("accessLogSettings")
    if not is_map(settings):
        yield "accessLogSettings is not set; access logs must go to a destination in a (JSON) format"
        return
    for key in ("destinationArn", "format"):
        if not is_set(settings, key):
            yield f"accessLogSettings.{key} is not set"


@resource_policy(
    "apigateway-stage-xray", STAGE,
    description="REST API stages must enable X-Ray tracing.",
    severity=Severity.LOW,
    anchors=("Security Hub APIGateway.3", "Config api-gw-xray-enabled", "CKV_AWS_73"),
)
def xray(args: ResourceValidationArgs) -> Iterator[str]:
    """`xrayTracingEnabled` is true"""
    if not is_true(args.props.get("xrayTracingEnabled")):
        yield "xrayTracingEnabled is not true"


@resource_policy(
    "apigatewayv2-stage-data-trace-off", STAGE_V2,
    description="HTTP and WebSocket API stages must not enable data tracing (a WebSocket stage then logs full "
                "messages), by default or per route.",
    severity=Severity.MEDIUM,
    anchors=(),
    anchor_note="CKV_AWS_276 checks REST method settings only; a WebSocket stage sets it in its route settings",
)
def v2_data_trace_off(args: ResourceValidationArgs) -> Iterator[str]:
    """`dataTraceEnabled` is not true in `defaultRouteSettings` nor in any `routeSettings[]`"""
    if is_true(dig(args.props, "defaultRouteSettings", "dataTraceEnabled")):
        yield ("defaultRouteSettings.dataTraceEnabled is true; full messages (tokens, personal data) would be logged "
               "for every route")
    for route in peek_items(args.props, "routeSettings"):  # item by item: one unknown must not stop the rest
        if is_map(route) and is_true(peek(route, "dataTraceEnabled")):
            yield (f"routeSettings for {peek(route, 'routeKey')} set dataTraceEnabled true; full messages (tokens, "
                   "personal data) would be logged")


@resource_policy(
    "apigatewayv2-stage-throttling", STAGE_V2,
    description="HTTP and WebSocket API stages must set a default route throttle, so one API cannot spend the "
                "whole account's request quota.",
    severity=Severity.MEDIUM,
    anchors=(),
    anchor_note="AWS Config and Checkov check REST method settings, not HTTP or WebSocket stages",
)
def v2_throttling(args: ResourceValidationArgs) -> Iterator[str]:
    """`defaultRouteSettings.throttlingRateLimit` and `throttlingBurstLimit` set and above 0"""
    settings = args.props.get("defaultRouteSettings")
    for key in ("throttlingRateLimit", "throttlingBurstLimit"):
        if not is_map(settings) or not is_set(settings, key):
            yield f"defaultRouteSettings.{key} is not set; the stage is limited only by the account throttle"
        elif (limit := number(dig(settings, key))) is None or limit <= 0:
            yield f"defaultRouteSettings.{key} is {num(dig(settings, key))!r}; it must be above 0"


@stack_policy(
    "apigatewayv2-websocket-stage-execution-logging", STAGE_V2,
    description="WebSocket API stages must log execution at ERROR or INFO, by default and on every route that sets "
                "its own level: API Gateway then records why a connect, an authorizer or an integration failed.",
    severity=Severity.MEDIUM, config=EXEMPT_STAGES,
    anchors=("Security Hub APIGateway.1", "Config api-gw-execution-logging-enabled"),
    anchor_note="for WebSocket stages; REST stages are apigateway-stage-execution-logging's, and HTTP APIs have no "
                "execution logs",
)
def websocket_execution_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a stage of a WEBSOCKET API in the stack (its `apiId` links to it) has `defaultRouteSettings.loggingLevel`
    ERROR or INFO (API Gateway's default is OFF), and no `routeSettings[]` entry sets another level (knob
    `exemptStages`); a stage of an API outside the stack, or a level unknown during preview, is not judged"""
    exempt = set(config_list(args, "exemptStages"))
    apis = of_type(args.resources, API_V2)
    for stage in of_type(args.resources, STAGE_V2):
        name = prop(stage, "name")
        name = name if isinstance(name, str) else None  # only text names a stage (a map would not hash, nor label)
        if name in exempt or stage.name in exempt or api_protocol(stage, apis) != "WEBSOCKET":
            continue
        label = f"stage '{name or stage.name}'"
        level = peek(stage.props, "defaultRouteSettings", "loggingLevel")
        if level is not UNKNOWN and level not in EXECUTION_LOG_LEVELS:
            yield (f"{label}: defaultRouteSettings.loggingLevel is {level or 'unset (OFF)'}; set it to ERROR (or "
                   "INFO) so API Gateway logs why connects and messages fail"), stage.urn
        for route in peek_items(stage.props, "routeSettings"):  # item by item: one unknown must not stop the rest
            route_level = peek(route, "loggingLevel") if is_map(route) else UNKNOWN
            if route_level not in (UNKNOWN, None, *EXECUTION_LOG_LEVELS):
                yield (f"{label}: routeSettings for {peek(route, 'routeKey')} set loggingLevel {route_level}; set "
                       "ERROR or INFO, or leave it out to take the stage default"), stage.urn
