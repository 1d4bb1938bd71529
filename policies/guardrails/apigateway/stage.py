"""API Gateway stages (REST and HTTP/WebSocket): access logs, tracing, data trace, throttling (a REST stage's client
certificate, which depends on its API's integrations, is in `stage_coverage`)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, is_map, is_set, is_true, num, number, peek, peek_items
from ..core.registry import resource_policy
from . import STAGE, STAGE_V2


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
