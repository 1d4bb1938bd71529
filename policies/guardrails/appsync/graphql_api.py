"""AppSync GraphQL APIs, judged by what pulumi-aws sends (terraform-provider-aws `aws_appsync_graphql_api`: `logConfig`
and `additionalAuthenticationProviders` are sent only when set) and what CreateGraphqlApi does without them (botocore's
appsync model: no LogConfig, no field-level logs); and Event APIs (`aws:appsync/api:Api`), whose `eventConfig` holds
the same settings in their own shape (botocore's EventConfig; terraform-provider-aws `aws_appsync_api`, whose
`event_config` and its `log_config` pulumi-aws 7 flattens to objects), with their channel namespaces
(`aws:appsync/channelNamespace:ChannelNamespace`), whose auth modes override the API's.

API caches (`aws:appsync/apiCache:ApiCache`) are not judged: CreateApiCache's `atRestEncryptionEnabled` and
`transitEncryptionEnabled` are deprecated since 2025-05-15, "Encryption at rest is always enabled" and "Encryption in
transit is always enabled" (botocore's appsync model), and Security Hub retired AppSync.1 and AppSync.6 on
2026-03-09."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, peek, peek_items
from ..core.registry import ADVISORY, knob_names, resource_policy, resource_policy_by_type, string_list
from . import CHANNEL_NAMESPACE, EVENT_API, GRAPHQL_API

# Field log levels that log resolver errors (botocore's FieldLogLevel: NONE, ERROR, ALL, INFO, DEBUG; INFO and DEBUG
# log errors too, AWS CDK's FieldLogLevel says).
_FIELD_LOGGING = ("ERROR", "INFO", "DEBUG", "ALL")


def _logs_errors(props, config: tuple[str, ...], level_key: str, log: str, what: str) -> Iterator[str]:
    """The finding where the log level at `config` + `level_key` (known) logs no error: NONE, unset, or the whole
    configuration left out (`log`, `what`: the log AppSync then skips and whose failures it would record)."""
    level = peek(props, *config, level_key)
    if level is UNKNOWN or level in _FIELD_LOGGING:
        return
    path = ".".join(config)
    if peek(props, *config) is None:
        where = f"{path} is left out"
    else:
        where = f"{path}.{level_key} is {level if has_text(level) else 'unset'}"
    yield (f"{where}: AppSync writes no {log}, so a failing or abused {what} leaves no record; set "
           f"{path}.{level_key} ERROR (or ALL) with a cloudwatchLogsRoleArn")


resource_policy_by_type(
    "appsync-api-field-logging", {
        GRAPHQL_API: lambda props: _logs_errors(props, ("logConfig",), "fieldLogLevel", "field-level log", "resolver"),
        # CreateApi's EventConfig.logConfig is optional; left out, AppSync Events writes no CloudWatch log.
        EVENT_API: lambda props: _logs_errors(props, ("eventConfig", "logConfig"), "logLevel", "handler log",
                                              "event handler"),
    },
    description="AppSync GraphQL and Event APIs must log errors (field-level logging: a GraphQL API's resolvers', an "
                "Event API's handlers') to CloudWatch Logs, so a failing or abused resolver or handler leaves a "
                "record.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub AppSync.2", "Config appsync-logging-enabled"),
    anchor_note="both judge GraphQL APIs only, the pack Event APIs too; Security Hub's default passes ERROR and ALL; "
                "INFO and DEBUG, which log errors too, pass it when named in its fieldLoggingLevel parameter",
    checks="""
    a GraphQL API's `logConfig.fieldLogLevel`, and an Event API's `eventConfig.logConfig.logLevel`, is ERROR, INFO,
    DEBUG or ALL (NONE, or the log configuration left out, logs no field: CreateGraphqlApi's and CreateApi's
    `logConfig` is optional; botocore's EventLogLevel takes the same five levels, and AppSync Events' "None - No handler
    logs are captured"); an unknown level is not judged""",
)


# An API key is AppSync's authorization for a public application (Security Hub AppSync.5): a program serving one names
# the API, or the Event API's channel namespace, here.
EXEMPT_APIS = {
    "exemptApis": string_list("GraphQL or Event APIs (name or resource name; shell-style wildcards) that serve a "
                              "public application and may take an API key."),
    "exemptNamespaces": string_list("Event API channel namespaces (name or resource name; shell-style wildcards) that "
                                    "serve a public application and may take an API key in their own publish or "
                                    "subscribe modes: an Event API in exemptApis does not exempt its namespaces'."),
}


def _graphql_key_modes(props) -> Iterator[str]:
    """Where a GraphQL API takes API keys: its own `authenticationType` or an additional provider's (AppSync takes
    API_KEY once, as the default mode or as an additional one: the developer guide's "Authorization types")."""
    if peek(props, "authenticationType") == "API_KEY":
        yield "authenticationType"
    for i, provider in enumerate(peek_items(props, "additionalAuthenticationProviders")):
        if peek(provider, "authenticationType") == "API_KEY":
            yield f"additionalAuthenticationProviders[{i}].authenticationType"


def _key_modes(props, within: tuple[str, ...], lists: tuple[str, ...]) -> Iterator[str]:
    """Where the Event API auth mode lists `lists` (`{authType}` entries, at `within`) take API keys."""
    for key in lists:
        for i, mode in enumerate(peek_items(props, *within, key)):
            if peek(mode, "authType") == "API_KEY":
                yield ".".join((*within, f"{key}[{i}].authType"))


# Where each type takes API keys, and the knob that exempts it (and what it names). An Event API's callers connect,
# publish and subscribe by its default modes (botocore's EventConfig), or by a channel namespace's publish and subscribe
# modes, which override the API's (CreateChannelNamespace); its authProviders only make a type available to them, and
# admit no caller of their own.
_API_KEY_MODES = {
    GRAPHQL_API: (_graphql_key_modes, "exemptApis", "an API"),
    EVENT_API: (lambda props: _key_modes(props, ("eventConfig",), (
        "connectionAuthModes", "defaultPublishAuthModes", "defaultSubscribeAuthModes")), "exemptApis", "an API"),
    CHANNEL_NAMESPACE: (lambda props: _key_modes(props, (), ("publishAuthModes", "subscribeAuthModes")),
                        "exemptNamespaces", "a namespace"),
}


@resource_policy(
    "appsync-api-no-api-key-auth", tuple(_API_KEY_MODES),
    description="AppSync GraphQL and Event APIs, and Event API channel namespaces, must not authorize callers by API "
                "key, a shared static secret every client carries and that names no caller; use IAM, Cognito user "
                "pools, OpenID Connect or a Lambda authorizer.",
    severity=Severity.HIGH, config=EXEMPT_APIS,
    anchors=("Security Hub AppSync.5", "Config appsync-authorization-check"),
    anchor_note="both judge GraphQL APIs only, the pack Event APIs and their channel namespaces too",
)
def no_api_key_auth(args: ResourceValidationArgs) -> Iterator[str]:
    """no auth mode is API_KEY: a GraphQL API's `authenticationType` or an `additionalAuthenticationProviders`
    entry's, an Event API's `eventConfig` `connectionAuthModes`, `defaultPublishAuthModes` or
    `defaultSubscribeAuthModes` entry's `authType` (its `authProviders` admit no caller by themselves), a channel
    namespace's `publishAuthModes` or `subscribeAuthModes` entry's (left out, the API's apply) (knob `exemptApis`, by
    the API's name or resource name, and `exemptNamespaces`, by the namespace's, for a public application, as AppSync.5
    allows); unknown types are not judged"""
    key_modes, knob, named = _API_KEY_MODES[args.resource_type]
    modes = list(key_modes(args.props))
    if not modes or knob_names(args, knob, peek(args.props, "name")):
        return
    for where in modes:
        yield (f"{where} is API_KEY: anyone holding the API's key (sent as x-api-key, shipped in every client) may "
               "call it, and no call names its caller; use AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or "
               f"AWS_LAMBDA, or name {named} that serves a public application in {knob}")
