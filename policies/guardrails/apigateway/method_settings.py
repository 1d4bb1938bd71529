"""API Gateway method settings (per method path of a stage)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, is_true
from ..core.registry import resource_policy
from . import METHOD_SETTINGS


@resource_policy(
    "apigateway-methodsettings-data-trace-off", METHOD_SETTINGS,
    description="API Gateway method settings must not enable data tracing (full request/response logging).",
    severity=Severity.MEDIUM,
    anchors=("CKV_AWS_276",),
)
def data_trace_off(args: ResourceValidationArgs) -> Iterator[str]:
    """`settings.dataTraceEnabled` is not true"""
    if is_true(dig(args.props, "settings", "dataTraceEnabled")):
        yield (f"settings.dataTraceEnabled is true for {args.props.get('methodPath')}; full request and "
               "response bodies (tokens, personal data) would be logged")


@resource_policy(
    "apigateway-methodsettings-cache-encrypted", METHOD_SETTINGS,
    description="API Gateway method settings that enable caching must encrypt the cache.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub APIGateway.5", "Config api-gw-cache-enabled-and-encrypted", "CKV_AWS_308"),
)
def cache_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`cachingEnabled` implies `cacheDataEncrypted`"""
    settings = args.props.get("settings")
    if is_true(dig(settings, "cachingEnabled")) and not is_true(dig(settings, "cacheDataEncrypted")):
        yield f"caching is enabled for {args.props.get('methodPath')} but settings.cacheDataEncrypted is not true"
