"""WAF web ACLs: a record of the requests each one blocks or counts."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.registry import stack_policy
from ..core.stack import of_type, referring
from . import LOGGING_CONFIGURATION, WEB_ACL


@stack_policy(
    "wafv2-web-acl-logging", WEB_ACL,
    description="WAF web ACLs must log the requests they inspect: the metrics say how many were blocked, only the "
                "log says which, for incident response and for telling an attack from a rule that blocks customers.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub WAF.11", "Config wafv2-logging-enabled"),
)
def web_acl_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `WebAclLoggingConfiguration` whose `resourceArn` names the web ACL (PutLoggingConfiguration: WAF logging is
    never part of the web ACL itself); one whose `resourceArn` is unknown and might name it counts"""
    for acl in of_type(args.resources, WEB_ACL):
        found, maybe = referring(args.resources, (LOGGING_CONFIGURATION,), "resourceArn", acl, keys=("arn",))
        if not found and not maybe:
            yield (f"web ACL {acl.name} has no WebAclLoggingConfiguration: nothing records which requests it blocks "
                   "or counts; log them to a CloudWatch Logs group, S3 bucket or Firehose named aws-waf-logs-*"), \
                acl.urn
