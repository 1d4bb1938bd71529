"""Lambda permissions: a function's resource-based policy must not open it to everyone, through the Invoke API or
any other action it grants (lambda:GetFunction returns the function's configuration and code).

AWS counts a Lambda function policy as public when its principal is a wildcard and no condition pins the caller
to fixed values (AWS Config lambda-function-public-access-prohibited, Security Hub Lambda.1): `principal = "*"`
on `lambda:InvokeFunction` lets any AWS account's principals call the function. A Permission becomes such a
statement unless `sourceAccount` or `principalOrgId` adds a condition, `sourceArn` names a resource of one account
(AddPermission takes an account field of 12 digits or none), or `invokedViaFunctionUrl` scopes it to calls through
the function URL (`lambda-function-url-auth` checks those). An S3 bucket's ARN has no account: "an Amazon S3 bucket
[can] be deleted by its owner and recreated by another account" (AddPermission's SourceAccount), so it needs
`sourceAccount`, as the Config rule asks, whoever the principal (`*` or `s3.amazonaws.com`). `functionUrlAuthType`
scopes nothing here: pulumi-aws documents it as valid only with `lambda:InvokeFunctionUrl`, where AWS_IAM admits
signed calls from any account, so `*` on an AWS_IAM URL is public too (a URL without IAM is
`lambda-function-url-auth`'s).
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import arn_account, has_any, is_set, is_true
from ..core.registry import resource_policy
from . import PERMISSION
from .function import EXEMPT_FUNCTIONS, exempt

# The actions that include lambda:InvokeFunction (AddPermission takes `lambda:*` and `*` too), lower-cased: IAM
# compares action names without case, and AddPermission's pattern takes any (`lambda:[a-zA-Z]+`).
INVOKE_ACTIONS = ("lambda:invokefunction", "lambda:*", "*")
# The AddPermission parameters that pin the caller whatever their value (unknown during preview counts as set).
CALLER_CONDITIONS = ("sourceAccount", "principalOrgId")
S3 = "s3.amazonaws.com"


def _opens(props, principal: str) -> bool:
    """Whether the permission's action is one the principal must not get unconditionally: for `*`, any action (a
    public lambda:GetFunction hands out the function's configuration, environment included, and its code), but
    InvokeFunctionUrl only for an AWS_IAM URL (a URL without IAM is `lambda-function-url-auth`'s); for S3, an
    action including lambda:InvokeFunction."""
    action = str(props.get("action")).lower()
    if action == "lambda:invokefunctionurl":
        return props.get("functionUrlAuthType") == "AWS_IAM"
    return principal == "*" or action in INVOKE_ACTIONS


@resource_policy(
    "lambda-permission-no-public-invoke", PERMISSION,
    description="No Lambda permission may open a function to everyone (principal * without a source or "
                "organization condition): any AWS account could invoke it, or read it with lambda:GetFunction.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub Lambda.1", "Config lambda-function-public-access-prohibited", "CKV_AWS_301"),
    config=EXEMPT_FUNCTIONS,
    remediation="Grant lambda:InvokeFunction to a named account, role or service principal, with sourceArn or "
                "sourceAccount for a service, or principalOrgId for an organization.",
)
def no_public_invoke(args: ResourceValidationArgs) -> Iterator[str]:
    """a `Permission` with `principal` `*` and any action (`lambda:InvokeFunctionUrl` only for AWS_IAM URLs), or
    with `s3.amazonaws.com` and an action including `lambda:InvokeFunction` (in any case), sets `sourceAccount` or
    `principalOrgId`, or
    (for `*`) a `sourceArn` of one account's resources, or is scoped to function URL calls (`invokedViaFunctionUrl`:
    `lambda-function-url-auth` checks those) (knob `exemptFunctions`)"""
    props = args.props
    principal = props.get("principal")
    if principal not in ("*", S3) or not _opens(props, principal):
        return
    if has_any(props, *CALLER_CONDITIONS) or is_true(props.get("invokedViaFunctionUrl")):
        return
    # A sourceArn of one account's resources (AddPermission's pattern takes only a literal account); an unknown one
    # stops the check. A bucket's ARN has none.
    if principal == "*" and is_set(props, "sourceArn") and arn_account(props["sourceArn"]) is not None:
        return
    if exempt(args, "function"):
        args.not_applicable("exempted by the policy config")
    if principal == S3:
        yield (f"grants {props.get('action')} to {S3} with no sourceAccount or principalOrgId: a bucket's ARN names "
               "no account, so a bucket of that name in another account could invoke the function; set "
               "sourceAccount")
        return
    action = props.get("action")
    what = ("invoke the function" if str(action).lower() in INVOKE_ACTIONS + ("lambda:invokefunctionurl",)
            else f"call {action} on the function")
    yield (f"grants {action} to principal * with no sourceAccount, principalOrgId or sourceArn of one account: any "
           f"AWS account can {what}; grant it to named principals, or name the function in exemptFunctions")
