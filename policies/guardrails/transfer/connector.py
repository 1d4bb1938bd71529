"""Transfer Family connectors (AS2 and SFTP), which send files to a partner's server."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_set
from ..core.registry import ADVISORY, resource_policy
from . import CONNECTOR


@resource_policy(
    "transfer-connector-logging", CONNECTOR,
    description="Transfer Family connectors should log to CloudWatch Logs, so every file sent to or received from "
                "a partner, and every failed transfer, is on record.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub Transfer.3", "Config transfer-connector-logging-enabled"),
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`loggingRole` is set (left out, CreateConnector gets no LoggingRole and the connector writes no CloudWatch
    log); a role known only after the update counts as set"""
    if not is_set(args.props, "loggingRole"):
        yield ("loggingRole is unset: the connector writes no CloudWatch log of the files it sends or of failed "
               "transfers; set loggingRole to a role that lets Transfer Family write to CloudWatch Logs")
