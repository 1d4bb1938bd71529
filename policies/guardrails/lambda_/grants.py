"""What a Lambda function's resource-based policy grants everyone and AWS's services, read alike from a Permission
(AddPermission adds one statement) and from each statement of a ResourcePolicy's document (PutResourcePolicy replaces
them all), so `lambda-permission-no-public-invoke`, `lambda-function-url-auth` and `lambda-permission-service-source`
judge both by the same rules.

AddPermission's parameters are condition keys in the statement it writes: `sourceAccount` aws:SourceAccount,
`principalOrgId` aws:PrincipalOrgID, `sourceArn` aws:SourceArn, `eventSourceToken` lambda:EventSourceToken,
`functionUrlAuthType` lambda:FunctionUrlAuthType and `invokedViaFunctionUrl` lambda:InvokedViaFunctionUrl (Lambda's
"Using IAM policies" condition keys).

`eventSourceToken` is "a token that the invoker must supply" (AddPermission, for Alexa): an Alexa skill's id
(`amzn1.ask.skill.<id>`), which Alexa sends with each call it makes for that skill. It pins a service's grant to the
one skill, as `sourceArn` pins it to one resource (Alexa has no source ARN to give), and a call that carries no
token (any other service's) does not meet it. It names no caller of everyone's grant: it is read only for services.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..core.props import UNKNOWN, arn_account, as_list, has_any, is_set, is_true, peek, peek_items
from ..iam.documents import (ANY_SERVICE, CALLER_KEYS, Statement, condition_entries, everyone, grantee,
                             named_services, names_callers, one_account_arn, statements)
from . import RESOURCE_POLICY

S3 = "s3.amazonaws.com"
# Every other AWS service principal (`apigateway.amazonaws.com`; China's `.amazonaws.com.cn`; Alexa's), as
# Grant.principal.
SERVICE = "service"
# How a grant to every AWS service (aws:PrincipalIsAWSService true) names them.
ANY_SERVICES = "any AWS service"
# Alexa's principals, a custom skill's and a smart home skill's, end in .amazon.com, not .amazonaws.com (AWS SAM's
# AlexaSkill event grants alexa-appkit.amazon.com; AddPermission's EventSourceToken is "for Alexa Smart Home
# functions").
ALEXA = ("alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com")
# The AddPermission parameters that pin the caller whatever their value (unknown during preview counts as set).
CALLER_PARAMETERS = ("sourceAccount", "principalOrgId")
URL_AUTH_KEY, VIA_URL_KEY = "lambda:functionurlauthtype", "lambda:invokedviafunctionurl"
# What names a service's callers in a document: CALLER_KEYS, and the token an Alexa skill's calls carry. Only here:
# the other families' resource policies (an S3 bucket's, an SNS topic's) never see such a token.
SERVICE_CALLER_KEYS = (*CALLER_KEYS, "lambda:eventsourcetoken")
# What a Permission's caller parameters name, spelt as each form writes them (messages).
PERMISSION_TERMS = ("sourceAccount", "principalOrgId", "sourceArn")
DOCUMENT_TERMS = ("aws:SourceAccount", "aws:PrincipalOrgID", "aws:SourceArn")
# aws:SourceArn names the callers only with an account in it, as `sourceArn` does (a bucket's ARN has none).
_KEYS_BUT_SOURCE_ARN = tuple(key for key in CALLER_KEYS if key != "aws:sourcearn")


@dataclass(frozen=True)
class Grant:
    """One grant to everyone (`*`), to S3 or to other AWS services, in AddPermission's terms."""
    principal: str          # "*", S3 or SERVICE
    action: Any             # as written, for messages
    statement: Statement    # its Action part, for covers()
    url_only: bool          # lambda:InvokeFunctionUrl and nothing else
    iam_url: bool           # only for AWS_IAM function URLs (functionUrlAuthType)
    via_url: bool           # only for calls through the function URL (invokedViaFunctionUrl)
    who: str                # how a message names the grantee
    where: str = ""         # "" for a Permission, "<statement label> " for a document's statement
    services: tuple[str, ...] = ()  # a SERVICE grant's service principals (ANY_SERVICE: every one)
    terms: tuple[str, str, str] = PERMISSION_TERMS

    def covers(self, action: str) -> bool:
        return self.statement.covers_action(action)


def _service(principal: Any) -> bool:
    return isinstance(principal, str) and (principal.endswith((".amazonaws.com", ".amazonaws.com.cn"))
                                           or principal in ALEXA)


def alexa_only(grant: Grant) -> bool:
    """Whether a service's grant is to Alexa alone, whose calls name no source: a skill's carry its id as the event
    source token instead."""
    return bool(grant.services) and all(name in ALEXA for name in grant.services)


def permission_grant(props: Any) -> Optional[Grant]:
    """A Permission's grant, when its principal is `*`, S3 or another AWS service; its caller parameters are left to
    `unpinned`. Everyone's and S3's are read as the proxy gives them (an unknown stops the check), a service's with
    `peek`: no service's grant is public, so what is unknown until the update only waits for it."""
    principal = props.get("principal")
    kind = principal if principal in ("*", S3) else SERVICE if _service(principal) else None
    if kind is None:
        return None
    read = (lambda key: peek(props, key)) if kind == SERVICE else props.get
    action = read("action")
    return Grant(kind, action, Statement("permission", 0, {} if action is UNKNOWN else {"Action": action}),
                 url_only=str(action).lower() == "lambda:invokefunctionurl",
                 iam_url=read("functionUrlAuthType") == "AWS_IAM",
                 via_url=is_true(read("invokedViaFunctionUrl")),
                 who="principal *" if kind == "*" else principal, services=(principal,) if kind == SERVICE else ())


def grants_of(args: Any) -> tuple[list[Grant], str]:
    """The grants of a Permission or a ResourcePolicy, and the prop that names its function (for `exempt`)."""
    if args.resource_type == RESOURCE_POLICY:
        return document_grants(args.props.get("policy")), "resourceArn"
    grant = permission_grant(args.props)
    return [] if grant is None else [grant], "function"


def unpinned(args: Any, grants: list[Grant]) -> list[Grant]:
    """The grants whose callers nothing names: a Permission's caller parameters (`sourceAccount`, `principalOrgId`;
    for `*` a `sourceArn` of one account's resources, AddPermission's pattern taking only a literal account; for a
    service any `sourceArn`, which names the one resource it acts for, or an `eventSourceToken`, which names the one
    Alexa skill) are read only for the grants given, so an unknown `sourceArn` stops the check only there (for a
    service an unknown `sourceArn` or `eventSourceToken` counts as set); a document's conditions were read with its
    statements (`document_grants`)."""
    if args.resource_type == RESOURCE_POLICY:
        return grants
    props = args.props

    def pinned(grant: Grant) -> bool:
        if has_any(props, *CALLER_PARAMETERS):
            return True
        if grant.principal == SERVICE:
            return has_any(props, "sourceArn", "eventSourceToken")
        return grant.principal == "*" and is_set(props, "sourceArn") and arn_account(props["sourceArn"]) is not None
    return [grant for grant in grants if not pinned(grant)]


def document_grants(document: Any) -> list[Grant]:
    """The grants of a ResourcePolicy's `policy`: each Allow statement for everyone (`everyone`), for S3 or for other
    AWS services whose Condition names no callers: for everyone and S3 by a value `names_one_account` takes, for a
    service by any (`names_callers`; a fixed aws:SourceArn names the one resource it acts for, a fixed
    lambda:EventSourceToken the one Alexa skill). A statement for everyone whose Condition lets in only AWS services
    (`named_services`) is theirs, as Principal {"Service": ...} would name them; every one of them, S3 too, for
    aws:PrincipalIsAWSService true; which ones, unknown until the update, waits for it. An undecodable document
    grants nothing here."""
    grants = []
    for statement in statements(document, "policy"):
        raw = statement.raw
        condition = peek(raw, "Condition")
        if statement.effect != "Allow":
            continue
        narrowed = named_services(condition) if everyone(raw) else None
        if narrowed is not None and UNKNOWN in narrowed:
            continue
        if narrowed is not None and ANY_SERVICE in narrowed:
            services, others = [S3], (ANY_SERVICE,)
        else:
            services = [s for s in (narrowed or peek_items(raw, "Principal", "Service")) if _service(s)]
            others = tuple(s for s in services if s != S3)
        kinds = (["*"] if everyone(raw) and narrowed is None else
                 [kind for kind, listed in ((S3, S3 in services), (SERVICE, others)) if listed])
        kinds = [kind for kind in kinds if not (names_callers(condition, SERVICE_CALLER_KEYS) if kind == SERVICE
                                                else names_one_account(condition))]
        if not kinds:
            continue
        entries = condition_entries(condition) or []
        actions = as_list(raw.get("Action"))
        written = ", ".join(map(str, actions or as_list(raw.get("NotAction"))))
        grants.extend(Grant(
            kind, written if actions else f"every action but {written}", statement,
            url_only=bool(actions) and all(str(a).lower() == "lambda:invokefunctionurl" for a in actions),
            # The URL's auth type is in every lambda:InvokeFunctionUrl request: IfExists changes nothing there.
            iam_url=_requires(entries, URL_AUTH_KEY, ("stringequals", "stringlike", "stringequalsignorecase"),
                              lambda operator, v: (str(v).upper() if "ignorecase" in operator else v) == "AWS_IAM"),
            # Bool only: BoolIfExists is true too for calls that carry no such key (the Invoke API's).
            via_url=_requires(entries, VIA_URL_KEY, ("bool",), lambda operator, v: is_true(v), if_exists=False),
            where=f"{statement.label} ", who={"*": grantee(statement), S3: S3}.get(kind, _named(others)),
            services=others if kind == SERVICE else (), terms=DOCUMENT_TERMS) for kind in kinds)
    return grants


def _named(services: tuple[str, ...]) -> str:
    """How a message names a grant's services."""
    return ANY_SERVICES if services == (ANY_SERVICE,) else ", ".join(services)


def _requires(entries: list, key: str, operators: tuple[str, ...], test: Callable[[str, Any], bool],
              if_exists: bool = True) -> bool:
    """Whether a Condition's entries (`condition_entries`) hold `key` under one of `operators` (or, `if_exists`, its
    IfExists form) to values that all pass `test(operator, value)`."""
    return any(k == key and (operator.removesuffix("ifexists") if if_exists else operator) in operators and values
               and all(test(operator, v) for v in values) for operator, k, values in entries)


def names_one_account(condition: Any) -> bool:
    """Whether a statement's Condition names its callers by fixed values (`names_callers`), an aws:SourceArn only
    with an account in it, as a Permission's `sourceArn` must; an unknown Condition may."""
    if names_callers(condition, _KEYS_BUT_SOURCE_ARN):
        return True
    return any(key == "aws:sourcearn" and names_callers({operator: {key: values}}, (key,))
               and all(one_account_arn(v, operator.removeprefix("foranyvalue:")) for v in values)
               for operator, key, values in condition_entries(condition) or [])
