"""Lambda permissions: a function's resource-based policy must not let everyone invoke it through the Invoke API.

AWS counts a Lambda function policy as public when its principal is a wildcard and no condition pins the caller
to fixed values (AWS Config lambda-function-public-access-prohibited, Security Hub Lambda.1): `principal = "*"`
on `lambda:InvokeFunction` lets any AWS account's principals call the function. A Permission becomes such a
statement unless `sourceArn`, `sourceAccount` or `principalOrgId` adds a condition, or `functionUrlAuthType` /
`invokedViaFunctionUrl` scopes it to calls through the function URL (those `lambda-function-url-auth` checks).
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import has_any, is_true
from ..core.registry import resource_policy
from . import PERMISSION
from .function import EXEMPT_FUNCTIONS, exempt

# The actions that include lambda:InvokeFunction (AddPermission takes `lambda:*` and `*` too).
INVOKE_ACTIONS = ("lambda:InvokeFunction", "lambda:*", "*")
# The AddPermission parameters that add a condition on the caller (a value unknown during preview counts as set).
CALLER_CONDITIONS = ("sourceArn", "sourceAccount", "principalOrgId")
# Those that scope the statement to calls through the function URL (lambda:FunctionUrlAuthType and
# lambda:InvokedViaFunctionUrl conditions, absent from an Invoke API call).
URL_ONLY = ("functionUrlAuthType",)


@resource_policy(
    "lambda-permission-no-public-invoke", PERMISSION,
    description="No Lambda permission may let everyone invoke a function (principal * on lambda:InvokeFunction "
                "without a source or organization condition): any AWS account could call it.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub Lambda.1", "Config lambda-function-public-access-prohibited", "CKV_AWS_301"),
    config=EXEMPT_FUNCTIONS,
    remediation="Grant lambda:InvokeFunction to a named account, role or service principal, with sourceArn or "
                "sourceAccount for a service, or principalOrgId for an organization.",
)
def no_public_invoke(args: ResourceValidationArgs) -> Iterator[str]:
    """a `Permission` with `principal` `*` and an action including `lambda:InvokeFunction` sets `sourceArn`,
    `sourceAccount` or `principalOrgId`, or is scoped to function URL calls (`functionUrlAuthType`,
    `invokedViaFunctionUrl`: `lambda-function-url-auth` checks those) (knob `exemptFunctions`)"""
    props = args.props
    if props.get("principal") != "*" or props.get("action") not in INVOKE_ACTIONS:
        return
    if has_any(props, *CALLER_CONDITIONS, *URL_ONLY) or is_true(props.get("invokedViaFunctionUrl")):
        return
    if exempt(args, "function"):
        args.not_applicable("exempted by the policy config")
    yield (f"grants {props.get('action')} to principal * with no sourceArn, sourceAccount or principalOrgId: any "
           "AWS account can invoke the function; grant it to named principals, or name the function in "
           "exemptFunctions")
