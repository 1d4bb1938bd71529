"""REST API methods: authorization and request validation (CORS preflight OPTIONS methods are exempt).

A method open on purpose (a health check) is named in knob `openRoutes` as the HTTP API policies name routes: its HTTP
method and resource path ("GET /health"). A Method names its resource by id (`resourceId`), so the authorization
policy is a stack policy: it finds the path through the `Resource` chain (`pathPart` up to the REST API's root
resource), by dependency links or, where ids are known, by id. The request validator policy is one too: a validator is
a `RequestValidator` resource the Method names by id (`requestValidatorId`), and what it validates is set there.
"""
from __future__ import annotations

from typing import Any, Iterator, NamedTuple, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, is_set, is_true, peek
from ..core.registry import config_list, stack_policy, string_list
from ..core.stack import of_type, referenced
from . import METHOD, REQUEST_VALIDATOR, RESOURCE, REST_API

# REST methods open on purpose, for the Method policy and for methods an OpenAPI body defines.
OPEN_METHODS = {"openRoutes": string_list(
    "Methods open on purpose, as the HTTP API policies name routes: the HTTP method and the resource path "
    "(\"GET /health\", \"ANY /{proxy+}\"); for a method below a resource made in another stack, a path that ends in "
    "the part this stack makes.")}
METHOD_AUTHORIZERS = frozenset({"AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"})
MAX_DEPTH = 64  # deeper than any real resource tree; stops a cycle of made-up ids
# What a request validator checks, a RequestValidator's as an OpenAPI body's; both default to false.
VALIDATES = ("validateRequestBody", "validateRequestParameters")


def _path_of(holder: Any, prop_name: str, resources: list, depth: int = 0) -> Any:
    """The resource path the resource id in `holder.<prop_name>` names: "/" for a REST API's root resource, else the
    `Resource`'s parent path and `pathPart` (`Below` when an ancestor is made elsewhere). None when that resource is
    not in the stack, or has no path part; UNKNOWN when an unknown value hides it (a first preview's ids with no
    dependency to follow)."""
    if depth > MAX_DEPTH:
        return UNKNOWN  # a cycle of made-up ids: no path to judge
    value = peek(holder.props, prop_name)
    parents, maybe_parent = referenced(holder, prop_name, [value], of_type(resources, RESOURCE), keys=("id",))
    # `root_resource_id` is the one resource id a REST API gives.
    roots, maybe_root = referenced(holder, prop_name, [value], of_type(resources, REST_API), keys=("rootResourceId",))
    if value is UNKNOWN and parents and roots:
        return UNKNOWN  # made from a resource's id and an API's root id: which one it is, the update tells
    if len(parents) == 1:
        return _resource_path(parents[0], resources, depth + 1)
    if roots and not parents:
        return "/"
    hidden = value is UNKNOWN and not holder.property_dependencies.get(prop_name)
    return UNKNOWN if hidden or maybe_parent or maybe_root or parents else None


class Below(NamedTuple):
    """The path of a resource of the stack whose ancestor is made elsewhere (another stack's API, by a stack reference):
    the path below that ancestor (`/health`), whose own path the stack does not tell."""
    tail: str


def _resource_path(resource: Any, resources: list, depth: int) -> Any:
    part, parent = peek(resource.props, "pathPart"), _path_of(resource, "parentId", resources, depth)
    if UNKNOWN in (part, parent):
        return UNKNOWN
    if not isinstance(part, str) or not part.strip("/"):
        return None
    if parent is None:
        return Below(f"/{part}")
    if isinstance(parent, Below):
        return Below(f"{parent.tail.rstrip('/')}/{part}")
    return f"{parent.rstrip('/')}/{part}"


def method_path(method: Any, resources: list) -> Any:
    """The method's resource path ("/orders/{id}"), `Below` when an ancestor of its resource is made elsewhere, None
    when its resource is not in the stack or has no path part, or UNKNOWN."""
    return _path_of(method, "resourceId", resources)


@stack_policy(
    "apigateway-method-authorization", METHOD,
    description="REST API methods (except OPTIONS and those the policy config lists as open) must require an "
                "authorizer, IAM or an API key.",
    severity=Severity.CRITICAL,
    anchors=("cdk-nag APIG4", "CKV_AWS_59"),
    config=OPEN_METHODS,
)
def authorization(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """an authorizer (`authorization` AWS_IAM, CUSTOM or COGNITO_USER_POOLS, in any case) or `apiKeyRequired`; OPTIONS
    exempt (knob `openRoutes`: "GET /health", the method and its resource path; for a resource below one made
    elsewhere, a route whose path ends in the part the stack makes)"""
    open_routes = set(config_list(args, "openRoutes"))
    for method in of_type(args.resources, METHOD):
        verb, kind = _judged_verb(method), peek(method.props, "authorization")
        required = peek(method.props, "apiKeyRequired")
        # Not ours to judge yet: a value unknown until the update.
        if verb is None or UNKNOWN in (kind, required):
            continue
        # PutMethod's authorizationType is a free string (no enum in the API model, no validation in the provider),
        # so `none` is as open as NONE: only a known authorizer counts, in any case.
        if (isinstance(kind, str) and kind.upper() in METHOD_AUTHORIZERS) or is_true(required):
            continue
        kind = kind or "NONE"
        path = method_path(method, args.resources)
        if path is UNKNOWN:
            continue  # whether knob openRoutes names it cannot be told, nor the path the message would name
        if path is None:
            yield (f"{verb.upper()} has authorization {kind} and apiKeyRequired is not true; require an authorizer, "
                   "IAM or an API key (its resource is not in the stack, or has no path part, so openRoutes cannot "
                   "name it)"), method.urn
        elif isinstance(path, Below):
            if not any(_names_below(route, verb.upper(), path.tail) for route in open_routes):
                yield (f"{verb.upper()} .../{path.tail.lstrip('/')} has authorization {kind} and apiKeyRequired is not "
                       f"true; require an authorizer, IAM or an API key, or list its route in openRoutes if it is "
                       f"public on purpose (\"{verb.upper()} <full path>\": part of its path is made elsewhere, so "
                       f"any route of that method whose path ends in {path.tail} opens it)"), method.urn
        elif f"{verb.upper()} {path}" not in open_routes:
            yield (f"{verb.upper()} {path} has authorization {kind} and apiKeyRequired is not true; require an "
                   f"authorizer, IAM or an API key, or list \"{verb.upper()} {path}\" in openRoutes if it is public "
                   "on purpose"), method.urn


def _judged_verb(method: Any) -> Optional[str]:
    """A Method's `httpMethod` where the REST method policies judge it: None for a CORS preflight (OPTIONS, in any
    case), and for a verb unknown until the update."""
    verb = peek(method.props, "httpMethod")
    return verb if isinstance(verb, str) and verb.upper() != "OPTIONS" else None


def _names_below(route: str, verb: str, tail: str) -> bool:
    """Whether an openRoutes entry names the method: its verb, and a path that ends in the part the stack makes
    (written as exactly as a whole path is)."""
    route_verb, _, route_path = route.partition(" ")
    return route_verb == verb and route_path.endswith(tail)


@stack_policy(
    "apigateway-method-request-validator", METHOD,
    description="REST API methods (except OPTIONS) must use a request validator that validates the body or the "
                "parameters.",
    severity=Severity.MEDIUM,
    anchors=("cdk-nag APIG2",),
)
def request_validator(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """`requestValidatorId` is set and, where it names a `RequestValidator` of the stack, that validator has
    `validateRequestBody` or `validateRequestParameters` true (both default to false); OPTIONS exempt; a validator
    outside the stack, an id that may name another one (unknown during preview and not made from it alone), and
    flags unknown during preview are not judged"""
    validators = of_type(args.resources, REQUEST_VALIDATOR)
    for method in of_type(args.resources, METHOD):
        if (verb := _judged_verb(method)) is None:
            continue
        if not is_set(method.props, "requestValidatorId"):
            yield f"{verb} has no requestValidatorId", method.urn
            continue
        validator = _validator_of(method, validators)
        flags = [peek(validator.props, flag) for flag in VALIDATES] if validator is not None else []
        # Judged only once both flags are known: one unknown may turn out true.
        if flags and UNKNOWN not in flags and not any(is_true(flag) for flag in flags):
            yield (f"{verb} uses request validator {validator.name}, which validates neither the body nor the "
                   f"parameters ({' and '.join(VALIDATES)} are not true, and both default to false), so API Gateway "
                   f"passes malformed requests to the backend; set {VALIDATES[0]} or {VALIDATES[1]} true"), method.urn


def _validator_of(method: Any, validators: list) -> Optional[Any]:
    """The stack's RequestValidator a Method's `requestValidatorId` surely names (by a dependency link, or by its
    known id); None when it names none of the stack's (another stack's validator, by its id), or may name another
    one: an id unknown during preview that is not made from that validator alone."""
    found, maybe = referenced(method, "requestValidatorId", [peek(method.props, "requestValidatorId")], validators,
                              keys=("id",))
    return found[0] if len(found) == 1 and not maybe else None
