"""SNS subscriptions: what a topic delivers to, and how (Subscribe's Protocol: http, https, email, sqs, lambda, ...)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek
from ..core.registry import resource_policy
from . import SUBSCRIPTION


@resource_policy(
    "sns-subscription-https", SUBSCRIPTION,
    description="SNS subscriptions that deliver to a web endpoint must use HTTPS, so the messages (alarms, device "
                "data) and the subscription's confirmation do not cross the internet in plain text.",
    severity=Severity.MEDIUM,
)
def https(args: ResourceValidationArgs) -> Iterator[str]:
    """`protocol` is not `http` (SNS posts to an `https` endpoint over TLS, verifying its certificate); an unknown
    protocol is not judged"""
    protocol = peek(args.props, "protocol")
    if isinstance(protocol, str) and protocol.strip().lower() == "http":
        # The endpoint is not named: one unknown until the update would change the text, and a secret endpoint's
        # host may carry a token.
        yield ("protocol is http: SNS posts every message, and the subscription's confirmation, to its endpoint in "
               "plain text, which anyone on the way can read or change; use https")
