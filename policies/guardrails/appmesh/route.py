"""App Mesh routes: retries on transient failures."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import as_list, dig, is_map, num, number
from ..core.registry import ADVISORY, config_value, resource_policy
from . import ROUTE

_RETRYABLE_ROUTES = {
    "httpRoute": ("httpRetryEvents", "tcpRetryEvents"),
    "http2Route": ("httpRetryEvents", "tcpRetryEvents"),
    "grpcRoute": ("grpcRetryEvents", "httpRetryEvents", "tcpRetryEvents"),
}


@resource_policy(
    "appmesh-route-retry-policy", ROUTE,
    description="HTTP, HTTP/2 and gRPC routes must retry transient failures (retryPolicy with retry events).",
    severity=Severity.MEDIUM, level=ADVISORY,
    config={"minMaxRetries": {"type": "integer", "minimum": 1, "default": 2,
                              "description": "The smallest acceptable retryPolicy.maxRetries."}},
)
def retry_policy(args: ResourceValidationArgs) -> Iterator[str]:
    """HTTP, HTTP/2 and gRPC routes have a `retryPolicy` with `maxRetries` ≥ 2 (knob `minMaxRetries`) and retry
    events"""
    minimum = config_value(args, "minMaxRetries")
    for kind, event_keys in _RETRYABLE_ROUTES.items():
        route = dig(args.props, "spec", kind)
        if route is None:
            continue
        retry = dig(route, "retryPolicy")
        if not is_map(retry):
            yield f"spec.{kind} has no retryPolicy"
            continue
        given = retry.get("maxRetries")
        retries = number(given)  # a config string ("3") is judged as its number, not compared as text
        if retries is None and given is not None:
            yield f"spec.{kind}.retryPolicy.maxRetries is {given!r}, not a number"
        elif retries is None or retries < minimum:
            yield f"spec.{kind}.retryPolicy.maxRetries is {num(retries)}; it must be at least {num(minimum)}"
        if not any(as_list(retry.get(key)) for key in event_keys):
            yield f"spec.{kind}.retryPolicy lists no retry events ({', '.join(event_keys)})"
