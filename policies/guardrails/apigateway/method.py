"""REST API methods: authorization and request validation (CORS preflight OPTIONS methods are exempt)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_set, is_true
from ..core.registry import resource_policy
from . import METHOD


def _is_options(args: ResourceValidationArgs) -> bool:
    return str(args.props.get("httpMethod") or "").upper() == "OPTIONS"


@resource_policy(
    "apigateway-method-authorization", METHOD,
    description="REST API methods (except OPTIONS) must require an authorizer or an API key.",
    severity=Severity.CRITICAL,
    anchors=("cdk-nag APIG4", "CKV_AWS_59"),
)
def authorization(args: ResourceValidationArgs) -> Iterator[str]:
    """an authorizer (`authorization` ≠ NONE) or `apiKeyRequired`; OPTIONS exempt"""
    if _is_options(args):
        args.not_applicable("CORS preflight (OPTIONS) methods are exempt")
    value = args.props.get("authorization") or "NONE"
    if value == "NONE" and not is_true(args.props.get("apiKeyRequired")):
        yield f"{args.props.get('httpMethod')} has authorization NONE and apiKeyRequired is not true"


@resource_policy(
    "apigateway-method-request-validator", METHOD,
    description="REST API methods (except OPTIONS) must use a request validator.",
    severity=Severity.MEDIUM,
    anchors=("cdk-nag APIG2",),
)
def request_validator(args: ResourceValidationArgs) -> Iterator[str]:
    """`requestValidatorId` is set; OPTIONS exempt"""
    if _is_options(args):
        args.not_applicable("CORS preflight (OPTIONS) methods are exempt")
    if not is_set(args.props, "requestValidatorId"):
        yield f"{args.props.get('httpMethod')} has no requestValidatorId"
