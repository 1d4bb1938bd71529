"""WAF web ACLs and rule groups: rules to inspect requests with, metrics that count what they match, and a record
of the requests each web ACL blocks or counts."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..cloudwatch import telemetry_may_log
from ..core.companions import companion_policy
from ..core.props import UNKNOWN, has_text, is_false, is_map, is_seq, json_object, member, peek, peek_items
from ..core.registry import resource_policy
from ..core.stack import of_type
from . import LOGGING_CONFIGURATION, RULE_GROUP, WEB_ACL, WEB_ACL_RULE_HOLDERS


def _unlogged_by_telemetry(resources: list) -> list:
    """The web ACLs of the stack, or none where a CloudWatch telemetry rule may log them (WAF keeps the logging
    configuration it makes)."""
    return [] if telemetry_may_log(resources, "AWS::WAFv2::WebACL") else of_type(resources, WEB_ACL)


companion_policy(
    "wafv2-web-acl-logging", WEB_ACL, (LOGGING_CONFIGURATION,), "resourceArn", ("arn",),
    lambda acl: (f"web ACL {acl.name} has no WebAclLoggingConfiguration: nothing records which requests it blocks "
                 "or counts; log them to a CloudWatch Logs group, S3 bucket or Firehose named aws-waf-logs-*"),
    judged=_unlogged_by_telemetry,
    description="WAF web ACLs must log the requests they inspect: the metrics say how many were blocked, only the "
                "log says which, for incident response and for telling an attack from a rule that blocks customers.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub WAF.11", "Config wafv2-logging-enabled"),
    checks="""
    a `WebAclLoggingConfiguration` whose `resourceArn` names the web ACL (PutLoggingConfiguration: WAF logging is
    never part of the web ACL itself); one whose `resourceArn` is unknown and might name it counts. With a CloudWatch
    telemetry rule for web ACLs' logs in the stack (`TelemetryRule` or `TelemetryRuleForOrganization`, `rule`
    `resourceType` AWS::WAFv2::WebACL and `telemetryType` Logs, or either unknown), which web ACLs it selects (its
    selection criteria, scope and regions) is not read here: no web ACL is judged""",
)


companion_policy(
    "wafv2-web-acl-not-empty", WEB_ACL, WEB_ACL_RULE_HOLDERS, "webAclArn", ("arn",),
    lambda acl: (f"web ACL {acl.name} has no rules: every request gets its default action uninspected; add rules "
                 "(e.g. the AWS managed AWSManagedRulesCommonRuleSet and a rate-based rule) in rules, or as "
                 "aws.wafv2.WebAclRule / WebAclRuleGroupAssociation resources"),
    judged=lambda resources: [acl for acl in of_type(resources, WEB_ACL) if _has_inline_rules(acl) is False],
    description="WAF web ACLs must hold at least one rule or rule group: an empty one applies its default action "
                "to every request, and inspects nothing.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub WAF.10", "Config wafv2-webacl-not-empty"),
    checks="""
    the web ACL's `rules` or `ruleJson` holds a rule, or an `aws:wafv2/webAclRule:WebAclRule` or
    `aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation` names it by `webAclArn`; `rules`, `ruleJson`
    or a `webAclArn` unknown during preview leaves it unjudged""",
)


def _has_inline_rules(acl: Any) -> Optional[bool]:
    """Whether the web ACL's own `rules` or `ruleJson` hold a rule; None when one is unknown or undecodable."""
    rules = peek_items(acl.props, "rules")
    if rules:
        return True if any(r is not UNKNOWN for r in rules) else None
    text = peek(acl.props, "ruleJson")
    if text is UNKNOWN:
        return None
    if not has_text(text):
        return False
    decoded = json_object(text)
    return bool(decoded) if is_seq(decoded) else None


# Where a rule's metric switch sits: the resources that carry rules, and the prop that holds them (inline blocks,
# and the JSON text the provider also takes).
_RULE_LISTS = {WEB_ACL: ("rules", "ruleJson"), RULE_GROUP: ("rules", "rulesJson")}


@resource_policy(
    "wafv2-cloudwatch-metrics", (WEB_ACL, RULE_GROUP, *WEB_ACL_RULE_HOLDERS),
    description="WAF web ACLs, rule groups and their rules must send CloudWatch metrics: without them no alarm "
                "sees an attack start or a rule begin to block customers.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub WAF.12", "Config wafv2-rulegroup-logging-enabled"),
    anchor_note="the control reads rule groups; the pack reads web ACLs and their rules too",
)
def cloudwatch_metrics(args: ResourceValidationArgs) -> Iterator[str]:
    """`visibilityConfig.cloudwatchMetricsEnabled` is not false on the web ACL, rule group, `WebAclRule` or
    `WebAclRuleGroupAssociation`, nor on any rule in its `rules` (or `ruleJson` / `rulesJson`); values unknown
    during preview are not judged"""
    if is_false(peek(args.props, "visibilityConfig", "cloudwatchMetricsEnabled")):
        yield ("visibilityConfig.cloudwatchMetricsEnabled is false; set it true so CloudWatch counts the requests "
               "this allows and blocks")
    inline, text = _RULE_LISTS.get(args.resource_type, (None, None))
    if inline is None:
        return
    for rule in peek_items(args.props, inline):
        if is_map(rule) and is_false(peek(rule, "visibilityConfig", "cloudwatchMetricsEnabled")):
            yield (f"rule {peek(rule, 'name')!r} sets visibilityConfig.cloudwatchMetricsEnabled false; set it true "
                   "so CloudWatch counts the requests it matches")
    decoded = json_object(peek(args.props, text))
    for rule in decoded if is_seq(decoded) else ():
        if is_false(member(member(rule, "VisibilityConfig"), "CloudWatchMetricsEnabled")):
            yield (f"{text} rule {member(rule, 'Name')!r} sets VisibilityConfig.CloudWatchMetricsEnabled false; set "
                   "it true so CloudWatch counts the requests it matches")
