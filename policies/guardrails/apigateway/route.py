"""HTTP and WebSocket API routes: every route is authorized, except what cannot or must not be (WebSocket routes
after $connect, HTTP CORS preflight)."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, peek
from ..core.registry import config_list, stack_policy, string_list
from ..core.stack import of_type, prop, referenced
from . import API_V2, ROUTE_V2

# HTTP routes open on purpose, for the route policy and for routes an OpenAPI body defines.
OPEN_ROUTES = {"openRoutes": string_list("Route keys (\"GET /health\") that are open on purpose.")}

HTTP_AUTHORIZERS = ("JWT", "CUSTOM", "AWS_IAM")
WEBSOCKET_AUTHORIZERS = ("CUSTOM", "AWS_IAM")


# A route key only one protocol has: `<verb> /<path>` is HTTP's, `$connect` WebSocket's ($default is both's).
_HTTP_KEY = re.compile(r"^(ANY|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /")


def api_protocol(resource: Any, apis: list) -> Optional[str]:
    """The `protocolType` (HTTP or WEBSOCKET) of the stack's API a route or stage belongs to through its apiId;
    None for an API outside the stack (an id written out, a stack reference) or a protocol not known yet."""
    # The APIs its apiId depends on (no values: an id written out matches nothing), from an index of the APIs
    # built once per stack; scanning them per route was quadratic.
    owners, _ = referenced(resource, "apiId", [], apis, keys=())
    return prop(owners[0], "protocolType") if len(owners) == 1 else None


def _protocol(route: Any, key: str, apis: list) -> Optional[str]:
    """The protocol of the API the route belongs to (through its apiId); for an API outside the stack (an id
    written out, a stack reference) or not known yet, the one its key belongs to; None when neither tells."""
    protocol = api_protocol(route, apis)
    if protocol is None:
        protocol = "HTTP" if _HTTP_KEY.match(key) else "WEBSOCKET" if key == "$connect" else None
    return protocol


@stack_policy(
    "apigatewayv2-route-authorization", ROUTE_V2,
    description="HTTP API routes (except OPTIONS) and WebSocket $connect routes must use an authorizer (JWT, Lambda "
                "or IAM).",
    severity=Severity.HIGH,
    anchors=("Config api-gwv2-authorization-type-configured",),
    anchor_note="that rule also flags WebSocket routes after $connect, which AWS cannot authorize",
    config=OPEN_ROUTES,
)
def route_authorization(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """HTTP routes and WebSocket `$connect` have `authorizationType` JWT, CUSTOM or AWS_IAM (knob `openRoutes`); HTTP
    `OPTIONS` routes (CORS preflight) exempt; other WebSocket routes run on the connection `$connect` authorized,
    and AWS allows no authorizer on them"""
    open_routes = set(config_list(args, "openRoutes"))
    apis = of_type(args.resources, API_V2)
    for route in of_type(args.resources, ROUTE_V2):
        key, kind = prop(route, "routeKey"), peek(route.props, "authorizationType")
        # Not ours to judge yet: a value unknown until the update, or a key both protocols have on an API outside
        # the stack; nor a key that is not text (CreateRoute's RouteKey is a string), which names no route.
        if not isinstance(key, str) or kind is UNKNOWN or key in open_routes:
            continue
        protocol = _protocol(route, key, apis)
        if protocol is None:
            continue
        kind = kind or "NONE"
        # A browser sends the CORS preflight without credentials, so with an authorized ANY route AWS has an OPTIONS
        # route without one answer it (http-api-cors); the REST Method policies exempt OPTIONS alike.
        if protocol == "HTTP" and key.startswith("OPTIONS "):
            continue
        if protocol == "HTTP" and kind not in HTTP_AUTHORIZERS:
            yield f"route {key!r} has authorizationType {kind}; use JWT, CUSTOM or AWS_IAM", route.urn
        elif protocol == "WEBSOCKET" and key == "$connect" and kind not in WEBSOCKET_AUTHORIZERS:
            yield f"$connect has authorizationType {kind}; use a Lambda REQUEST authorizer (CUSTOM) or AWS_IAM", \
                route.urn
