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

A ResourcePolicy (PutResourcePolicy) replaces the function's whole policy with a document: each Allow statement is
judged as the Permission it could have been written as, its Condition keys standing for AddPermission's parameters
(`grants`), and it may name the callers by any key a resource policy can (aws:SourceVpce, aws:PrincipalAccount).
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import unless_unknown
from ..core.registry import ADVISORY, resource_policy
from . import PERMISSION, RESOURCE_POLICY
from .function import EXEMPT_FUNCTIONS, exempt
from .grants import PERMISSION_TERMS, S3, SERVICE, Grant, alexa_only, grants_of, unpinned


def _opens(grant: Grant) -> bool:
    """Whether the grant is one its principal must not get unconditionally: for `*`, any action (a public
    lambda:GetFunction hands out the function's configuration, environment included, and its code), but
    InvokeFunctionUrl alone only for an AWS_IAM URL, and nothing scoped to calls through the URL (those are
    `lambda-function-url-auth`'s); for S3, an action including lambda:InvokeFunction."""
    if grant.principal == SERVICE or grant.via_url:
        return False
    if grant.url_only:
        return grant.iam_url
    return grant.principal == "*" or grant.covers("lambda:InvokeFunction")


def _message(grant: Grant) -> str:
    account, org, arn = grant.terms
    if grant.principal == S3:
        return (f"{grant.where}grants {grant.action} to {S3} with no {account} or {org}: a bucket's ARN names no "
                f"account, so a bucket of that name in another account could invoke the function; set {account}")
    invokes = grant.covers("lambda:InvokeFunction") or grant.covers("lambda:InvokeFunctionUrl")
    what = "invoke the function" if invokes else f"call {grant.action} on the function"
    return (f"{grant.where}grants {grant.action} to {grant.who} with no {account}, {org} or {arn} of one account: "
            f"any AWS account can {what}; grant it to named principals, or name the function in exemptFunctions")


@resource_policy(
    "lambda-permission-no-public-invoke", (PERMISSION, RESOURCE_POLICY),
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
    `lambda-function-url-auth` checks those); a `ResourcePolicy`'s Allow statements alike: Principal `*` (or
    `{"AWS": "*"}`, or a NotPrincipal) or the S3 service, with no condition naming the callers by fixed values
    (`aws:SourceAccount`, `aws:PrincipalOrgID`, an `aws:SourceArn` of one account, ...; `lambda:FunctionUrlAuthType`
    and `lambda:InvokedViaFunctionUrl` as the two URL parameters); everyone under a condition that lets in only AWS
    services (a fixed `aws:PrincipalServiceName`, or `aws:PrincipalIsAWSService` true (Bool or a string equality),
    S3 among them) is those services, as `Principal.Service` would name them (knob `exemptFunctions`)"""
    grants, function = grants_of(args)
    opened = unpinned(args, [grant for grant in grants if _opens(grant)])
    if opened and exempt(args, function):
        args.not_applicable("exempted by the policy config")
    for grant in opened:
        yield _message(grant)


@resource_policy(
    "lambda-permission-service-source", (PERMISSION, RESOURCE_POLICY),
    description="A Lambda permission for an AWS service should name the resource or account it acts for "
                "(sourceArn or sourceAccount; an Alexa skill's eventSourceToken): otherwise any such resource, in any "
                "account, pointed at the function can invoke it (confused deputy).",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("CKV_AWS_364",),
    anchor_note="AWS's cross-service confused deputy guidance: aws:SourceArn and aws:SourceAccount in resource "
                "policies for service principals",
    remediation="Set sourceArn to the API, rule, topic or log group that invokes the function (sourceAccount "
                "where the service's ARN names no account; eventSourceToken to the skill id for Alexa).",
)
def service_source(args: ResourceValidationArgs) -> Iterator[str]:
    """a `Permission` granting an action that includes `lambda:InvokeFunction` to an AWS service principal other than
    S3 (`*.amazonaws.com`, and Alexa's `alexa-appkit.amazon.com` and `alexa-connectedhome.amazon.com`) sets
    `sourceArn`, `sourceAccount`, `principalOrgId` or `eventSourceToken` (the one Alexa skill that may call); a
    `ResourcePolicy`'s Allow statements to such a service (or to everyone under a Condition that lets in only it, or any
    service: a fixed `aws:PrincipalServiceName`, `aws:PrincipalIsAWSService` true (Bool or a string equality)) have a
    Condition naming the callers by fixed values (aws:SourceArn, aws:SourceAccount, lambda:EventSourceToken, ...); a
    value unknown until the update counts as set"""
    grants, _ = grants_of(args)
    invoking = [grant for grant in grants
                if grant.principal == SERVICE and unless_unknown(grant.covers, "lambda:InvokeFunction")]
    for grant in unpinned(args, invoking):
        if alexa_only(grant):
            token, remedy = (("eventSourceToken", "set eventSourceToken to") if grant.terms == PERMISSION_TERMS else
                             ("lambda:EventSourceToken condition", "add StringEquals lambda:EventSourceToken with"))
            yield (f"{grant.where}grants {grant.action} to {grant.who} with no {token}: any Alexa skill that is "
                   f"pointed at the function can invoke it; {remedy} the skill's id (amzn1.ask.skill.<id>)")
            continue
        yield (f"{grant.where}grants {grant.action} to {grant.who} with no source ARN or account: any resource of "
               f"{grant.who} in any account that is pointed at the function can invoke it; name the one that should "
               "(sourceArn)")
