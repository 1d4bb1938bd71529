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

from ..core.props import UNKNOWN, has_text, peek
from ..core.registry import ADVISORY, resource_policy
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

