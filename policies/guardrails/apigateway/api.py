"""HTTP and REST APIs whose routes are not resources: quick create, and an OpenAPI `body`.

The route, method and stage policies judge `Route`, `Method` and `Stage` resources. Two ways of making an API
create routes or methods with no such resource, so those policies never see them:

- HTTP API quick create (`target`, `routeKey`): API Gateway makes an integration, a catch-all route without an
  authorizer and a `$default` stage that deploys itself, without access logs or throttling (CreateApi,
  botocore apigatewayv2 model). Nothing in the stack can give that route an authorizer or that stage logs, so
  quick create itself is the finding.
- An OpenAPI `body` (REST `RestApi`, HTTP `Api`): its operations become methods or routes. The pack reads the
  document, JSON or YAML as API Gateway imports either (ImportRestApi: "only OpenAPI definition JSON/YAML files are
  supported"; PyYAML's safe loader, pinned in policies/requirements.txt), and reports each operation that no
  security requirement covers, as the method and route policies would. A body that is neither, or no OpenAPI
  document (a mapping with `openapi` or `swagger`), is reported too: nothing could show its operations are
  authorized.
- A security requirement names a scheme the document defines (`components.securitySchemes` in OpenAPI 3,
  `securityDefinitions` in Swagger 2), and the scheme is what API Gateway turns into the authorizer, IAM or API key.
  A name with no scheme is invalid OpenAPI, and API Gateway has nothing to attach: its import rejects the body
  (BadRequestException, so `up` fails) or, where it only warns and `failOnWarnings` is unset (the default), goes on
  without that authorization. Its documentation says neither which, so the finding names both, and the operation
  counts as not authorized either way.
- A REST body's methods are validated as Method resources are (apigateway-method-request-validator): each names a
  validator, its own or the API's (`x-amazon-apigateway-request-validator`), that the body defines
  (`x-amazon-apigateway-request-validators`) to check the body or the parameters. Only the body is read: a
  validator a `RequestValidator` resource makes does not count, whatever `putRestApiMode` says. The extension names
  "a request_validator_name of the x-amazon-apigateway-request-validators object map" (AWS's extension reference),
  and AWS documents no lookup among the validators the API already has. Nor could a first put find one: the
  provider puts a RestApi's body in the same create as CreateRestApi (terraform-provider-aws rest_api.go), before
  a RequestValidator, which needs the API's id, can exist. `putRestApiMode` (default `overwrite`) only decides what
  a put does to the API's items the body does not define: `merge` leaves them alone, `overwrite` deletes them
  (AWS's "Import an OpenAPI file to update an existing API definition"). A RestApiPut always puts with `overwrite`
  (rest_api_put.go; the pinned pulumi-aws gives it no mode input), which deletes such a validator.
- A validator's `validateRequestBody` and `validateRequestParameters` are Booleans (the requestValidator object
  reference); what the import makes of a string ("true") is not documented, so only the Boolean true counts, and
  the finding says to write it unquoted.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

import yaml
from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, is_map, is_set, is_true, peek
from ..core.registry import config_list, resource_policy
from ..core.stack import referenced
from . import API_V2, REST_API, REST_API_PUT
from .method import OPEN_METHODS, VALIDATES
from .route import OPEN_ROUTES

QUICK_CREATE = ("target", "routeKey")
# The operations that need authorization: CORS preflight (OPTIONS) is left out, as the Method and Route policies
# leave it out. API Gateway's extension stands for any method.
ANY_METHOD = "x-amazon-apigateway-any-method"
OPERATIONS = ("get", "put", "post", "delete", "head", "patch", "trace", ANY_METHOD)


@resource_policy(
    "apigatewayv2-api-no-quick-create", API_V2,
    description="HTTP APIs must not be quick-created (target, routeKey): quick create makes a catch-all route with no "
                "authorizer and an auto-deploying stage with no access logs or throttling, outside the stack.",
    severity=Severity.HIGH,
    anchors=(),
    anchor_note="the route and stage rules (Config api-gwv2-authorization-type-configured, Security Hub "
                "APIGateway.9) find nothing to check on a quick-created API",
)
def no_quick_create(args: ResourceValidationArgs) -> Iterator[str]:
    """neither `target` nor `routeKey` (quick create) is set"""
    used = [key for key in QUICK_CREATE if is_set(args.props, key)]  # an unknown target (a function ARN) is set
    if used:
        yield (f"{' and '.join(used)} set: quick create makes a catch-all route without an authorizer and a $default "
               f"stage without access logs or throttling; declare Integration, Route and Stage resources instead")


def openapi_document(body: Any) -> Any:
    """An OpenAPI `body` as data: a map passes through, a string is read as JSON, else as YAML (safe_load: no
    Python objects); None when it is neither, or is no OpenAPI document: a mapping with `openapi` (3) or `swagger`
    (2), which the specification requires (a line of prose is a YAML scalar, or a one-key mapping)."""
    if is_map(body):
        return body
    if not isinstance(body, str):
        return None
    try:
        document = json.loads(body)
    except ValueError:
        try:
            document = yaml.safe_load(body)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError):
            return None
    return document if is_map(document) and ("openapi" in document or "swagger" in document) else None


def puts_naming(api: Any, puts: list) -> tuple[list, bool]:
    """The RestApiPuts whose `restApiId` names `api` (its id, or made from it while unknown), and whether another
    might (an id unknown and not linked, or picked among several APIs')."""
    found, maybe = [], False
    for put in puts:
        named, unsure = referenced(put, "restApiId", [peek(put.props, "restApiId")], [api], keys=("id",))
        if named:
            found.append(put)
        elif unsure:
            maybe = True
    return found, maybe


def _each_operation(document: Any) -> Iterator[tuple[str, dict]]:
    """("POST /admin", the operation object) for each operation of an OpenAPI 2 or 3 document but CORS preflight."""
    paths = document.get("paths") if is_map(document) else None
    for path, item in (paths.items() if is_map(paths) else ()):
        for method, operation in (item.items() if is_map(item) else ()):
            # YAML keys need not be strings (`200:`, `on:`), so each is read as text.
            method = str(method)
            if method.lower() in OPERATIONS and is_map(operation):
                yield f"{'ANY' if method.lower() == ANY_METHOD else method.upper()} {path}", operation


def _operations(document: Any) -> Iterator[tuple[str, Any, list]]:
    """("POST /admin", the operation, its security requirements: its own `security`, else the document's) for each
    operation of an OpenAPI 2 or 3 document that needs authorization."""
    for name, operation in _each_operation(document):
        security = operation["security"] if "security" in operation else document.get("security")
        yield name, operation, security if isinstance(security, list) else []


# API Gateway's extensions: where a method's API key is read (HEADER or AUTHORIZER), and the two that make an
# `apiKey` security scheme an authorizer (Lambda, Cognito) or IAM (`awsSigv4`) instead of the API key.
AUTHORIZER_EXTENSIONS = ("x-amazon-apigateway-authorizer", "x-amazon-apigateway-authtype")


def _api_key_schemes(document: Any) -> set:
    """The names of the document's security schemes that are API Gateway's API key: `type: apiKey` without an
    authorizer extension (AWS's "Configure a method to use API keys with an OpenAPI definition" defines `api_key` as
    `{type: apiKey, name: x-api-key, in: header}`)."""
    return {name for name, scheme in _scheme_table(document)[1].items() if is_map(scheme)
            and scheme.get("type") == "apiKey" and not any(x in scheme for x in AUTHORIZER_EXTENSIONS)}


def requires_api_key(document: Any) -> bool:
    """Whether an OpenAPI document (openapi_document's) has API Gateway require an API key on some method: an
    operation's security requirement names its API key scheme. (`x-amazon-apigateway-api-key-source` only says where
    keys are read for the methods that require one: it requires none.)"""
    if not is_map(document):
        return False
    keys = _api_key_schemes(document)
    return any(str(name) in keys for _, _, requirements in _operations(document)
               for requirement in requirements if is_map(requirement) for name in requirement)


def open_operations(document: Any, rest: bool = False) -> list[str]:
    """The operations ("POST /admin", "ANY /{proxy+}") of an OpenAPI 2 or 3 document that no security requirement
    covers: their own `security`, else the document's, is missing, empty, or allows anonymous calls (`{}`). For a
    `rest` API, an operation whose `x-amazon-apigateway-auth` type is AWS_IAM (any case) requires IAM by itself."""
    return [name for name, operation, requirements in _operations(document)
            if not (rest and _iam_by_extension(operation))
            and (not requirements or not all(is_map(r) and r for r in requirements))]


# A REST API operation's authorization type by extension ("Specify "NONE" for open access. Specify "AWS_IAM" to use
# IAM permissions. Values are case insensitive": the x-amazon-apigateway-auth object).
AUTH_EXTENSION = "x-amazon-apigateway-auth"


def _iam_by_extension(operation: Any) -> bool:
    auth = operation.get(AUTH_EXTENSION)
    return is_map(auth) and str(auth.get("type", "")).upper() == "AWS_IAM"


def _scheme_table(document: Any) -> tuple[str, dict]:
    """(where the document defines security schemes, the schemes by name): `securityDefinitions` in Swagger 2,
    `components.securitySchemes` in OpenAPI 3 (either, when the document says neither)."""
    def table(schemes: Any) -> dict:
        return {str(name): scheme for name, scheme in schemes.items()} if is_map(schemes) else {}
    v2, v3 = table(document.get("securityDefinitions")), table(dig(document, "components", "securitySchemes"))
    if "swagger" in document:
        return "securityDefinitions", v2
    if "openapi" in document:
        return "components.securitySchemes", v3
    return "components.securitySchemes or securityDefinitions", {**v2, **v3}


def defined_schemes(document: Any) -> tuple[str, set]:
    """(where the document defines security schemes, their names): `_scheme_table`'s."""
    where, schemes = _scheme_table(document)
    return where, set(schemes)


def unauthorizing_schemes(document: Any, rest: bool) -> list[tuple[str, list[str]]]:
    """(operation, the defined schemes of a security requirement of it that API Gateway makes no authorization of)
    for each operation with a requirement made only of such schemes: a scheme authorizes with an authorizer
    extension, as IAM with the authtype `awsSigv4` (any other authtype only labels a Lambda authorizer), or, on a REST
    API, as `type: apiKey` without either extension, the API key. API Gateway reads nothing else of a scheme
    (`type: http`, `oauth2`, `openIdConnect` alone: its extension reference), and an HTTP API has no API keys."""
    if not is_map(document):
        return []
    schemes, api_keys = _scheme_table(document)[1], _api_key_schemes(document) if rest else set()

    def authorizes(name: str) -> bool:
        scheme = schemes.get(name)
        if not is_map(scheme):
            return False
        authtype = str(scheme.get(AUTHORIZER_EXTENSIONS[1], "")).lower()
        return AUTHORIZER_EXTENSIONS[0] in scheme or authtype == "awssigv4" or name in api_keys
    found = []
    for operation, item, requirements in _operations(document):
        if rest and _iam_by_extension(item):
            continue
        for requirement in (r for r in requirements if is_map(r) and r):
            names = sorted(str(name) for name in requirement if str(name) in schemes)
            if len(names) == len(requirement) and not any(authorizes(name) for name in names):
                found.append((operation, names))
                break
    return found


def undefined_schemes(document: Any) -> list[tuple[str, list[str]]]:
    """(operation, the scheme names its security requirements use that the document does not define)."""
    if not is_map(document):
        return []
    defined = defined_schemes(document)[1]
    found = []
    for operation, _, requirements in _operations(document):
        missing = sorted({str(name) for r in requirements if is_map(r) for name in r} - defined)
        if missing:
            found.append((operation, missing))
    return found


@resource_policy(
    "apigatewayv2-api-openapi-authorization", API_V2,
    description="HTTP API routes defined in an OpenAPI body must name an authorizer (JWT, Lambda or IAM) in a "
                "security requirement.",
    severity=Severity.HIGH,
    anchors=("Config api-gwv2-authorization-type-configured",),
    anchor_note="the Config rule reads the deployed routes; this reads the body before they exist",
    config=OPEN_ROUTES,
)
@resource_policy(
    "apigateway-restapi-openapi-authorization", (REST_API, REST_API_PUT),
    description="REST API methods defined in an OpenAPI body (except OPTIONS), on the API or put on it later "
                "(RestApiPut), must name an authorizer, IAM or an API key in a security requirement.",
    severity=Severity.CRITICAL,
    anchors=("cdk-nag APIG4", "CKV_AWS_59"),
    anchor_note="both read Method resources; a body defines methods without them",
    config=OPEN_METHODS,
)
def openapi_authorization(args: ResourceValidationArgs) -> Iterator[str]:
    """each operation of an OpenAPI `body` (JSON or YAML) except OPTIONS has a non-empty `security`, its own or the
    document's, whose schemes the body defines (`components.securitySchemes`, Swagger 2 `securityDefinitions`) and
    API Gateway makes authorization of (an `x-amazon-apigateway-authorizer` or `-authtype` extension; on a REST API
    also a `type: apiKey` scheme, the API key), or, on a REST API, `x-amazon-apigateway-auth` type AWS_IAM; a body
    that is neither is reported (knob `openRoutes`: operations open on purpose)"""
    body = args.props.get("body")
    if body is None:
        return
    document = openapi_document(body)
    if document is None:
        yield ("body is not an OpenAPI document in JSON or YAML (a mapping with `openapi` or `swagger`), so the pack "
               "cannot tell which of its operations are open; pass the document as json.dumps(spec) or valid YAML")
        return
    open_routes = set(config_list(args, "openRoutes"))
    means = ("a JWT or Lambda authorizer, or IAM (awsSigv4)" if args.resource_type == API_V2
             else "an authorizer, IAM (awsSigv4) or an API key")
    for operation in open_operations(document, rest=args.resource_type != API_V2):
        if operation not in open_routes:
            yield (f"{operation} in the OpenAPI body has no security requirement, so API Gateway creates it without "
                   f"authorization; require {means}")
    where = defined_schemes(document)[0]
    for operation, missing in undefined_schemes(document):
        names = ", ".join(f"'{name}'" for name in missing)
        yield (f"{operation} in the OpenAPI body requires security scheme {names}, which the body does not define in "
               f"{where}: API Gateway has no authorizer to attach, so importing the body fails at `up` or (warnings "
               f"ignored, failOnWarnings unset) leaves the operation without that authorization; define the scheme "
               f"({means})")
    rest = args.resource_type != API_V2
    for operation, names in unauthorizing_schemes(document, rest):
        if operation in open_routes:
            continue
        names = ", ".join(f"'{name}'" for name in names)
        keys = "the API key only as `type: apiKey`" if rest else "an HTTP API has no API keys"
        yield (f"{operation} in the OpenAPI body requires only security scheme {names}, which API Gateway makes "
               f"nothing of (a scheme is an authorizer or IAM only with x-amazon-apigateway-authorizer or "
               f"x-amazon-apigateway-authtype, and {keys}), so the operation is created without authorization; "
               f"require {means}")


# API Gateway's request validation in a body: a validator the API defines (by name, in the map), named by the API as
# a whole or by a method, which overrides it (AWS's x-amazon-apigateway-request-validator(s) reference).
VALIDATOR, VALIDATORS = "x-amazon-apigateway-request-validator", "x-amazon-apigateway-request-validators"


# Why a RequestValidator resource of the name a body uses does not count (the module header has the sources).
NOT_A_RESOURCE = ("a RequestValidator resource does not count, whatever putRestApiMode says: the extension names one "
                  "of the body's own validators")


def _quoted(validator: Any) -> str:
    """What the message adds for a flag written as the string "true": the extension takes Booleans."""
    quoted = [flag for flag in VALIDATES if is_map(validator) and isinstance(validator.get(flag), str)
              and is_true(validator.get(flag))]
    if not quoted:
        return ""
    return (f"; {' and '.join(quoted)} {'is' if len(quoted) == 1 else 'are'} the string \"true\", and the "
            "extension takes Booleans: write true unquoted")


def unvalidated_operations(document: Any) -> list[tuple[str, str]]:
    """(operation, why no validator checks its requests) for each operation of an OpenAPI document but OPTIONS."""
    validators = document.get(VALIDATORS) if is_map(document) else None
    validators = validators if is_map(validators) else {}
    found = []
    for operation, item in _each_operation(document):
        name = item[VALIDATOR] if VALIDATOR in item else document.get(VALIDATOR)
        if not isinstance(name, str) or not name:
            found.append((operation, f"names no request validator (`{VALIDATOR}`, its own or the document's), so "
                                     "API Gateway passes malformed requests to the backend"))
        elif name not in validators:
            found.append((operation, f"names request validator '{name}', which the body does not define in "
                                     f"`{VALIDATORS}`: API Gateway has none to attach, so importing the body fails "
                                     f"at `up` or the method goes unvalidated ({NOT_A_RESOURCE})"))
        elif not (is_map(validators[name]) and any(validators[name].get(flag) is True for flag in VALIDATES)):
            found.append((operation, f"uses request validator '{name}', which validates neither the body nor the "
                                     f"parameters ({' and '.join(VALIDATES)} are not true{_quoted(validators[name])})"))
    return found


@resource_policy(
    "apigateway-restapi-openapi-request-validator", (REST_API, REST_API_PUT),
    description="REST API methods defined in an OpenAPI body (except OPTIONS), on the API or put on it later "
                "(RestApiPut), must use a request validator the body defines.",
    severity=Severity.MEDIUM,
    anchors=("cdk-nag APIG2",),
    anchor_note="cdk-nag reads Method resources; a body defines methods without them",
)
def openapi_request_validator(args: ResourceValidationArgs) -> Iterator[str]:
    """each operation of an OpenAPI `body` except OPTIONS names a validator (`x-amazon-apigateway-request-validator`,
    its own or the document's) that the body's `x-amazon-apigateway-request-validators` defines with
    `validateRequestBody` or `validateRequestParameters` the Boolean true (a RequestValidator resource of that name
    does not count, whatever `putRestApiMode`); a body that is no OpenAPI document is left to
    apigateway-restapi-openapi-authorization, which reports it"""
    document = openapi_document(args.props.get("body"))
    if document is None:
        return
    for operation, why in unvalidated_operations(document):
        yield (f"{operation} in the OpenAPI body {why}; define a validator in `{VALIDATORS}` with {VALIDATES[0]} "
               f"or {VALIDATES[1]} true and name it in `{VALIDATOR}`")

