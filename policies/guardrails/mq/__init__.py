"""Amazon MQ guardrails: a broker has no public endpoint, takes new engine versions and spans Availability Zones,
and an ActiveMQ broker streams its audit log."""
from __future__ import annotations

from typing import Any

from ..core.props import peek, upper_text

BROKER = "aws:mq/broker:Broker"


def engine(props: Any) -> Any:
    """The broker's `engineType` as the API names it, ACTIVEMQ or RABBITMQ (terraform-provider-aws takes it in any
    case); UNKNOWN until the update, None where it is no text."""
    return upper_text(peek(props, "engineType"))
