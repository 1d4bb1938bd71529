"""API Gateway access logs as JSON lines, one shape for the REST, HTTP and WebSocket APIs."""
from __future__ import annotations

from typing import Mapping, Sequence

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
