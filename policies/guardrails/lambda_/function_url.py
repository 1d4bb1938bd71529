"""Lambda function URLs: an HTTPS endpoint of its own, outside API Gateway's authorizers, WAF and throttles.

A URL with `authorizationType` NONE answers anyone once the function's resource-based policy grants
`lambda:InvokeFunctionUrl` to `*` (AWS: "your function's resource-based policy is always in effect and must
grant public access before your function URL can receive requests", Lambda developer guide, urls-auth). The
URL and that grant are two halves of one public endpoint, so one policy checks both, with one exemption: a
deliberately public function is named once. The grant may be a Permission or a statement of a ResourcePolicy's
document (`grants`).
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.registry import resource_policy
from . import FUNCTION_URL, PERMISSION, RESOURCE_POLICY
from .function import EXEMPT_FUNCTIONS, exempt
from .grants import Grant, grants_of, unpinned


def _opens_url(grant: Grant) -> bool:
    """Whether a grant lets everyone call the function through a URL without IAM: lambda:InvokeFunction for calls
    through the URL (since October 2025 a new URL also needs it), or lambda:InvokeFunctionUrl (`lambda:*`, `*`)
    unless only for AWS_IAM URLs, where it applies to signed calls alone."""
    if grant.principal != "*":
        return False
    if grant.via_url and grant.covers("lambda:InvokeFunction"):
        return True
    return grant.covers("lambda:InvokeFunctionUrl") and not grant.iam_url


@resource_policy(
    "lambda-function-url-auth", (FUNCTION_URL, PERMISSION, RESOURCE_POLICY),
    description="Lambda function URLs must require IAM authentication (AWS_IAM), and no Lambda permission may let "
                "everyone call a function URL: a public URL bypasses every API Gateway authorizer, WAF and throttle.",
    severity=Severity.HIGH,
    anchors=("CT.LAMBDA.PV.1", "CKV_AWS_258", "CKV_AWS_301"),
    anchor_note="CKV_AWS_301 flags every public permission; this one only those that open a function URL",
    config=EXEMPT_FUNCTIONS,
    remediation="Set authorizationType AWS_IAM (CloudFront origin access control signs requests to such a URL), or "
                "route public traffic through API Gateway; grant lambda:InvokeFunctionUrl to named principals.",
)
def url_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """a `FunctionUrl` has `authorizationType` AWS_IAM; a `Permission` does not grant `*` `lambda:InvokeFunctionUrl`
    (or `lambda:InvokeFunction` via the URL) for URLs without IAM with no `sourceAccount`, `principalOrgId` or
    `sourceArn` of one account (which an unsigned call meets not), nor does an Allow statement of a `ResourcePolicy`
    for Principal `*` (or a NotPrincipal) with no condition naming the callers (`lambda:FunctionUrlAuthType` and
    `lambda:InvokedViaFunctionUrl` as the two URL parameters) (knob `exemptFunctions`)"""
    if args.resource_type == FUNCTION_URL:
        kind = args.props.get("authorizationType")
        if kind == "AWS_IAM":
            return
        if exempt(args, "functionName"):
            args.not_applicable("exempted by the policy config")
        # No function name in the message: it is often unknown in a first preview, the auth type is not.
        yield (f"authorizationType is {kind}: the URL answers unauthenticated calls from anywhere, past every API "
               f"Gateway authorizer, WAF and throttle; use AWS_IAM or name the function in exemptFunctions")
        return
    grants, function = grants_of(args)
    # A grant whose callers are named is no URL anyone can call: an unsigned call through it meets no such condition.
    opened = unpinned(args, [grant for grant in grants if _opens_url(grant)])
    if opened and exempt(args, function):
        args.not_applicable("exempted by the policy config")
    for grant in opened:
        yield (f"{grant.where}grants {grant.action} to {grant.who} for function URLs without IAM: anyone can call the "
               f"function's URL; grant it to named accounts or roles, or name the function in exemptFunctions")
