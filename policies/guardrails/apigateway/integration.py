"""API Gateway integrations: TLS to the backend, and its verification."""
from __future__ import annotations

from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, dig, glob_match, is_map, is_present, is_set, is_true, peek
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from . import API_V2, INTEGRATION, INTEGRATION_V2, REST_API, REST_API_PUT
from .api import ANY_METHOD, openapi_document

# The integration types that call a backend over HTTP(S); AWS and AWS_PROXY call AWS services (their own TLS
# endpoints), MOCK calls nothing.
HTTP_TYPES = ("HTTP", "HTTP_PROXY")
# How an OpenAPI body gives an operation its integration (REST and HTTP APIs alike).
BODY_INTEGRATION = "x-amazon-apigateway-integration"


def uri_host(uri: Any) -> Optional[str]:
    return urlsplit(uri).hostname if isinstance(uri, str) else None


def _rest_integrations(args: ResourceValidationArgs) -> Iterator[tuple[str, Any]]:
    """(how a message names it, its settings) for a REST Integration, or for each integration of a REST API's OpenAPI
    `body` (an `x-amazon-apigateway-integration` takes the same `tlsConfig`, `connectionType`, `integrationTarget`
    and `uri`, and importing the body makes the same integration)."""
    if args.resource_type == INTEGRATION:
        yield "", args.props
        return
    for operation, integration in _body_integrations(args):
        yield f"{operation}: ", integration


def _body_integrations(args: ResourceValidationArgs) -> Iterator[tuple[str, Any]]:
    """`body_integrations` of an API's OpenAPI `body`; not applicable without one (a body that is no OpenAPI
    document the authorization policies report)."""
    document = openapi_document(args.props.get("body"))
    if document is None:
        args.not_applicable("no OpenAPI body")
    yield from body_integrations(document)


def _private(integration: Any) -> bool:
    return str(integration.get("connectionType") or "").upper() == "VPC_LINK"


@resource_policy(
    "apigateway-integration-tls-verification", (INTEGRATION, REST_API, REST_API_PUT),
    description="API Gateway integrations (VPC link ones in particular) must verify the backend's TLS certificate, "
                "as resources or in an OpenAPI body.",
    severity=Severity.HIGH,
    config={"privateCaHosts": string_list(
        "VPC-link backend hosts (exact or *.wildcards) whose certificate chains to a private CA, which API "
        "Gateway cannot trust: they may skip the issuer check (hostname and expiry are still checked).")},
)
def tls_verification(args: ResourceValidationArgs) -> Iterator[str]:
    """`tlsConfig.insecureSkipVerification` is not true, on an Integration or on each integration of a REST API's
    OpenAPI `body`, except VPC link V1 hosts in knob `privateCaHosts` (a VPC link V2 reaches an ALB, which can
    present a public ACM certificate)"""
    for label, integration in _rest_integrations(args):
        if not is_true(dig(integration, "tlsConfig", "insecureSkipVerification")):
            continue
        private = _private(integration)
        v2 = is_set(integration, "integrationTarget")
        host = uri_host(integration.get("uri"))
        if private and not v2 and host and glob_match(host, config_list(args, "privateCaHosts")):
            continue  # an approved VPC link V1 backend whose certificate chains to a private CA
        if v2:
            yield (f"{label}tlsConfig.insecureSkipVerification is true for {host or 'the backend'} (through a VPC "
                   "link V2): API Gateway would accept a certificate from any issuer; give the load balancer a public "
                   "ACM certificate")
            continue
        via = " (through a VPC link)" if private else ""
        yield (f"{label}tlsConfig.insecureSkipVerification is true for {host or 'the backend'}{via}: API Gateway "
               "would accept a certificate from any issuer; list the host in privateCaHosts only if it is a "
               "private-CA backend")


@resource_policy(
    "apigateway-integration-vpc-link-v2", (INTEGRATION, REST_API, REST_API_PUT),
    description="API Gateway private integrations should use a VPC link V2 with an integrationTarget (V1 is legacy).",
    severity=Severity.LOW, level=ADVISORY,
)
def vpc_link_v2(args: ResourceValidationArgs) -> Iterator[str]:
    """`connectionType` VPC_LINK integrations, as resources or in a REST API's OpenAPI `body`, set
    `integrationTarget` (a VPC link V2 to an ALB or NLB); a V1 link (NLB only) is advisory"""
    private = [(label, i) for label, i in _rest_integrations(args) if _private(i)]
    if not private:
        args.not_applicable("no private integration")
    for label, integration in private:
        if not is_set(integration, "integrationTarget"):
            yield (f"{label}the integration for {uri_host(integration.get('uri')) or 'its backend'} uses a VPC link "
                   "V1 (no integrationTarget); API Gateway calls V1 legacy: use a VPC link V2 with integrationTarget")


def uri_scheme(uri: Any) -> Optional[str]:
    """A URL's scheme in lower case ("http", "https"), or None for what is no URL (an ARN, a stage variable)."""
    if not isinstance(uri, str) or "://" not in uri:
        return None
    return urlsplit(uri).scheme.lower() or None


def _plaintext(uri: Any, private: bool, tls_config: bool, http_api: bool) -> Optional[str]:
    """Why an HTTP integration to `uri` (known) is plaintext, or None. An HTTP API's private integration names a
    listener or Cloud Map service by ARN: AWS's Integration.TlsConfig, "If you specify a TLS configuration, private
    integration traffic uses the HTTPS protocol" (and HTTP without one, whatever the listener is)."""
    scheme = uri_scheme(uri)
    if scheme == "http":
        via = " through the VPC link" if private else ""
        return (f"{uri} is plain HTTP{via}: requests, their headers and credentials cross the network unencrypted; "
                "use https:// and a TLS listener (or TLS passthrough to targets that terminate it)")
    # Only an ARN is a private integration of an HTTP API; a WebSocket API's names its backend by URL, often a stage
    # variable (`${stageVariables.backendUrl}`), and takes no tlsConfig.
    if http_api and private and scheme is None and not tls_config and str(uri).startswith("arn:"):
        return (f"{uri} is reached through the VPC link without tlsConfig, so API Gateway calls it over plain HTTP; "
                "set tlsConfig.serverNameToVerify to the name on the backend's certificate (an HTTPS listener, or TLS "
                "passthrough to targets that terminate it)")
    return None


def body_integrations(document: Any) -> Iterator[tuple[str, Any]]:
    """("POST /orders", its x-amazon-apigateway-integration) for each operation of an OpenAPI document that has one
    (a `$ref` to a shared integration is not followed)."""
    paths = document.get("paths") if is_map(document) else None
    for path, item in (paths.items() if is_map(paths) else ()):
        for method, operation in (item.items() if is_map(item) else ()):
            integration = operation.get(BODY_INTEGRATION) if is_map(operation) else None
            if is_map(integration):
                verb = "ANY" if str(method).lower() == ANY_METHOD else str(method).upper()
                yield f"{verb} {path}", integration


@resource_policy(
    "apigateway-integration-backend-tls", (INTEGRATION, INTEGRATION_V2, REST_API, REST_API_PUT, API_V2),
    description="API Gateway HTTP integrations must reach their backend over TLS (https://, or an HTTP API private "
                "integration's tlsConfig), as resources or in an OpenAPI body.",
    severity=Severity.HIGH,
)
def backend_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """an `HTTP`/`HTTP_PROXY` integration's `uri` (REST) or `integrationUri` (HTTP and WebSocket APIs) is not
    `http://`; an HTTP API private integration (`connectionType` VPC_LINK, `integrationUri` a listener or Cloud Map
    service ARN) has `tlsConfig`, without which API Gateway calls the backend over HTTP whatever the listener is; the
    same for each `x-amazon-apigateway-integration` of an OpenAPI `body` (REST or HTTP API)"""
    if args.resource_type not in (INTEGRATION, INTEGRATION_V2):
        yield from _body_backend_tls(args)
        return
    v2 = args.resource_type == INTEGRATION_V2
    kind = args.props.get("integrationType" if v2 else "type")
    if str(kind or "").upper() not in HTTP_TYPES:
        args.not_applicable(f"a {kind} integration calls no HTTP backend")
    key = "integrationUri" if v2 else "uri"
    private = args.props.get("connectionType") == "VPC_LINK"
    tls_config = is_present(args.props, "tlsConfig")
    # A private HTTP API integration with tlsConfig speaks HTTPS to whatever its (unknown) ARN names.
    if v2 and private and tls_config and peek(args.props, key) is UNKNOWN:
        return
    uri = args.props.get(key)  # unknown: the analyzer notes the check could not run during preview
    problem = _plaintext(uri, private, tls_config, http_api=v2)
    if problem:
        yield f"{key} {problem}"


def _body_backend_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """The policy on each integration of an API's OpenAPI `body`."""
    for operation, integration in _body_integrations(args):
        if str(integration.get("type") or "").upper() not in HTTP_TYPES:
            continue
        problem = _plaintext(integration.get("uri"), _private(integration), is_map(integration.get("tlsConfig")),
                             http_api=args.resource_type == API_V2)
        if problem:
            yield f"the OpenAPI body's {operation} integration uri {problem}"
