"""Lambda function URLs: an HTTPS endpoint of its own, outside API Gateway's authorizers, WAF and throttles.

A URL with `authorizationType` NONE answers anyone once the function's resource-based policy grants
`lambda:InvokeFunctionUrl` to `*` (AWS: "your function's resource-based policy is always in effect and must
grant public access before your function URL can receive requests", Lambda developer guide, urls-auth). The
URL and that grant are two halves of one public endpoint, so one policy checks both, with one exemption: a
deliberately public function is named once.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true
from ..core.registry import resource_policy
from . import FUNCTION_URL, PERMISSION
from .function import EXEMPT_FUNCTIONS, exempt

# What lets a caller invoke a function through its URL (AddPermission also takes `lambda:*` and `*`), lower-cased:
# IAM compares action names without case. Since October 2025 a new URL also needs `lambda:InvokeFunction` granted
# with `invokedViaFunctionUrl`.
URL_ACTIONS = ("lambda:invokefunctionurl", "lambda:*", "*")


def _public_url_grant(props: Any) -> Optional[str]:
    """The action a Permission grants everyone for calls through a function URL without IAM, or None."""
    action, principal = props.get("action"), props.get("principal")
    if principal != "*":
        return None
    if str(action).lower() == "lambda:invokefunction" and is_true(props.get("invokedViaFunctionUrl")):
        return action
    # With functionUrlAuthType AWS_IAM the grant applies only to signed calls of an AWS_IAM URL.
    if str(action).lower() in URL_ACTIONS and props.get("functionUrlAuthType") != "AWS_IAM":
        return action
    return None


@resource_policy(
    "lambda-function-url-auth", (FUNCTION_URL, PERMISSION),
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
    (or `lambda:InvokeFunction` via the URL) for URLs without IAM (knob `exemptFunctions`)"""
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
    action = _public_url_grant(args.props)
    if action is None:
        return
    if exempt(args, "function"):
        args.not_applicable("exempted by the policy config")
    yield (f"grants {action} to principal * for function URLs without IAM: anyone can call the function's URL; "
           f"grant it to named accounts or roles, or name the function in exemptFunctions")
