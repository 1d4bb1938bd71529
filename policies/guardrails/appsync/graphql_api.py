"""AppSync GraphQL APIs, judged by what pulumi-aws sends (terraform-provider-aws `aws_appsync_graphql_api`: `logConfig`
and `additionalAuthenticationProviders` are sent only when set) and what CreateGraphqlApi does without them (botocore's
appsync model: no LogConfig, no field-level logs).

API caches (`aws:appsync/apiCache:ApiCache`) are not judged: CreateApiCache's `atRestEncryptionEnabled` and
`transitEncryptionEnabled` are deprecated since 2025-05-15, "Encryption at rest is always enabled" and "Encryption in
transit is always enabled" (botocore's appsync model), and Security Hub retired AppSync.1 and AppSync.6 on
2026-03-09."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek, peek_items
from ..core.registry import ADVISORY, knob_names, resource_policy, string_list
from . import GRAPHQL_API

# Field log levels that log resolver errors (botocore's FieldLogLevel: NONE, ERROR, ALL, INFO, DEBUG; INFO and DEBUG
# log errors too, AWS CDK's FieldLogLevel says).
_FIELD_LOGGING = ("ERROR", "INFO", "DEBUG", "ALL")


@resource_policy(
    "appsync-api-field-logging", GRAPHQL_API,
    description="AppSync GraphQL APIs must log resolver errors (field-level logging) to CloudWatch Logs, so a failing "
                "or abused resolver leaves a record.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub AppSync.2", "Config appsync-logging-enabled"),
    anchor_note="Security Hub's default passes ERROR and ALL; INFO and DEBUG, which log errors too, pass it when named "
                "in its fieldLoggingLevel parameter",
)
def field_logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`logConfig.fieldLogLevel` is ERROR, INFO, DEBUG or ALL (NONE, or `logConfig` left out, logs no field); an
    unknown level is not judged"""
    level = peek(args.props, "logConfig", "fieldLogLevel")
    if level is UNKNOWN or level in _FIELD_LOGGING:
        return
    if peek(args.props, "logConfig") is None:
        where = "logConfig is left out"
    else:
        where = f"logConfig.fieldLogLevel is {level if has_text(level) else 'unset'}"
    yield (f"{where}: AppSync writes no field-level log, so a failing or abused resolver leaves no record; set "
           "logConfig.fieldLogLevel ERROR (or ALL) with a cloudwatchLogsRoleArn")


# An API key is AppSync's authorization for a public application (Security Hub AppSync.5): a program serving one names
# the API here.
EXEMPT_APIS = {"exemptApis": string_list(
    "GraphQL APIs (name or resource name; shell-style wildcards) that serve a public application and may take an "
    "API key.")}


def _api_key_modes(props) -> Iterator[str]:
    """Where an API takes API keys: its own `authenticationType` or an additional provider's (AppSync takes API_KEY
    once, as the default mode or as an additional one: the developer guide's "Authorization types")."""
    if peek(props, "authenticationType") == "API_KEY":
        yield "authenticationType"
    for i, provider in enumerate(peek_items(props, "additionalAuthenticationProviders")):
        if peek(provider, "authenticationType") == "API_KEY":
            yield f"additionalAuthenticationProviders[{i}].authenticationType"


@resource_policy(
    "appsync-api-no-api-key-auth", GRAPHQL_API,
    description="AppSync GraphQL APIs must not authorize callers by API key, a shared static secret every client "
                "carries and that names no caller; use IAM, Cognito user pools, OpenID Connect or a Lambda authorizer.",
    severity=Severity.HIGH, config=EXEMPT_APIS,
    anchors=("Security Hub AppSync.5", "Config appsync-authorization-check"),
)
def no_api_key_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """neither `authenticationType` nor an `additionalAuthenticationProviders` entry's is API_KEY (knob `exemptApis`,
    by the API's name or resource name, for a public application, as AppSync.5 allows); unknown types are not
    judged"""
    modes = list(_api_key_modes(args.props))
    if not modes or knob_names(args, "exemptApis", peek(args.props, "name")):
        return
    for where in modes:
        yield (f"{where} is API_KEY: anyone holding the API's key (sent as x-api-key, shipped in every client) may "
               "call it, and no call names its caller; use AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or "
               "AWS_LAMBDA, or name an API that serves a public application in exemptApis")
