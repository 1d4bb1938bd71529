"""API Gateway logs, one shape for the REST, HTTP and WebSocket APIs: access logs as JSON lines, and the group a
stage's execution logs go to (an access log's group is a plain `logkey.log_group`)."""
from __future__ import annotations

from typing import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .logkey import log_group

# Already a quoted JSON string (API Gateway quotes `$context.error.message` itself), so it stands unquoted:
# quoting the plain message ourselves breaks the line whenever the message holds a quote.
ERROR_MESSAGE = "$context.error.messageString"


def json_format(fields: Mapping[str, str]) -> str:
    """One JSON object per request or event: each field's `$context` variable quoted, then `errorMessage`."""
    return "{" + ",".join([f'"{key}":"{variable}"' for key, variable in fields.items()]
                          + [f'"errorMessage":{ERROR_MESSAGE}']) + "}"


def any_equal_pattern(field: str, values: Sequence[str]) -> str:
    """A CloudWatch Logs filter pattern matching the JSON lines whose `field` is exactly one of `values`.

    Exact quoted values only: AWS documents quoting values with non-alphanumeric characters, and `||`
    between conditions, but not where a wildcard may stand inside a quoted value."""
    return "{ " + " || ".join(f'($.{field} = "{value}")' for value in values) + " }"


def execution_log_group(name: str, parent: pulumi.Resource, *, api_id: pulumi.Output[str], stage: str,
                        retention_days: int, key_arn: pulumi.Input[str], protect: bool) -> aws.cloudwatch.LogGroup:
    """The group API Gateway writes a REST or WebSocket stage's execution logs to, created first so that it has a
    retention and the log key instead of keeping logs forever. Named after the stage: a renamed stage replaces
    it, which protect would refuse, so a protected stack keeps its logs instead."""
    return log_group(name, parent, log_name=api_id.apply(lambda i: naming.api_execution_log_group(i, stage)),
                     retention_days=retention_days, key_arn=key_arn, protect=protect, removable=True)
