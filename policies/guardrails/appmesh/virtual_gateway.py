"""App Mesh virtual gateways (the Envoy-only ingress)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig
from ..core.registry import ADVISORY, resource_policy
from . import VIRTUAL_GATEWAY
from .spec import (
    access_log_problems,
    client_tls_problems,
    listener_health_check_problems,
    listener_tls_problems,
    listeners,
)


@resource_policy(
    "appmesh-virtualgateway-listener-tls-strict", VIRTUAL_GATEWAY,
    description="Every virtual gateway listener must require mutual TLS: tls.mode STRICT, a certificate and validation.trust.",
    severity=Severity.CRITICAL,
)
def listener_tls_strict(args: ResourceValidationArgs) -> Iterator[str]:
    """every listener: STRICT, certificate, `validation.trust`"""
    for label, listener in listeners(args.props):
        yield from listener_tls_problems(dig(listener, "tls"), label)


@resource_policy(
    "appmesh-virtualgateway-backend-defaults-client-tls", VIRTUAL_GATEWAY,
    description="Virtual gateway backend defaults must enforce client TLS with a client certificate and validation.trust.",
    severity=Severity.CRITICAL,
    anchors=("Config appmesh-virtual-gateway-backend-defaults-tls",), anchor_note="enforce only",
)
def backend_defaults_client_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """backend defaults client TLS enforced with a client certificate and `validation.trust`"""
    yield from client_tls_problems(dig(args.props, "spec", "backendDefaults", "clientPolicy"), "backendDefaults")


@resource_policy(
    "appmesh-virtualgateway-access-log", VIRTUAL_GATEWAY,
    description="Virtual gateways must write Envoy access logs to a file path.",
    severity=Severity.MEDIUM,
    anchors=("Config appmesh-virtual-gateway-logging-file-path-exists",),
)
def access_log(args: ResourceValidationArgs) -> Iterator[str]:
    """`spec.logging.accessLog.file.path` is set"""
    yield from access_log_problems(args.props)


@resource_policy(
    "appmesh-virtualgateway-listener-health-check", VIRTUAL_GATEWAY,
    description="Every virtual gateway listener must have a health check.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Config appmesh-virtual-gateway-listeners-health-check-enabled",),
)
def listener_health_check(args: ResourceValidationArgs) -> Iterator[str]:
    """every listener has a `healthCheck`"""
    yield from listener_health_check_problems(args.props)
