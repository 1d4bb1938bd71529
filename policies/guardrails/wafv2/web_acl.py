"""WAF web ACLs and rule groups: rules to inspect requests with, metrics that count what they match, and a record
of the requests each web ACL blocks or counts."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..cloudwatch import telemetry_may_log
from ..core.props import UNKNOWN, has_text, is_false, is_map, is_seq, json_object, member, peek, peek_items
from ..core.registry import resource_policy, stack_policy
from ..core.stack import of_type, referring
from . import LOGGING_CONFIGURATION, RULE_GROUP, WEB_ACL, WEB_ACL_RULE_HOLDERS


@stack_policy(
    "wafv2-web-acl-logging", WEB_ACL,
    description="WAF web ACLs must log the requests they inspect: the metrics say how many were blocked, only the "
                "log says which, for incident response and for telling an attack from a rule that blocks customers.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub WAF.11", "Config wafv2-logging-enabled"),
)
def web_acl_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a `WebAclLoggingConfiguration` whose `resourceArn` names the web ACL (PutLoggingConfiguration: WAF logging is
    never part of the web ACL itself); one whose `resourceArn` is unknown and might name it counts. With a CloudWatch
    telemetry rule for web ACLs' logs in the stack (`TelemetryRule` or `TelemetryRuleForOrganization`, `rule`
    `resourceType` AWS::WAFv2::WebACL and `telemetryType` Logs, or either unknown), which web ACLs it selects (its
    selection criteria, scope and regions) is not read here: no web ACL is judged"""
    if telemetry_may_log(args.resources, "AWS::WAFv2::WebACL"):  # WAF keeps the logging configuration it makes
        return
    for acl in of_type(args.resources, WEB_ACL):
        found, maybe = referring(args.resources, (LOGGING_CONFIGURATION,), "resourceArn", acl, keys=("arn",))
        if not found and not maybe:
            yield (f"web ACL {acl.name} has no WebAclLoggingConfiguration: nothing records which requests it blocks "
                   "or counts; log them to a CloudWatch Logs group, S3 bucket or Firehose named aws-waf-logs-*"), \
                acl.urn


@stack_policy(
    "wafv2-web-acl-not-empty", WEB_ACL,
    description="WAF web ACLs must hold at least one rule or rule group: an empty one applies its default action "
                "to every request, and inspects nothing.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub WAF.10", "Config wafv2-webacl-not-empty"),
)
def web_acl_not_empty(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """the web ACL's `rules` or `ruleJson` holds a rule, or an `aws:wafv2/webAclRule:WebAclRule` or
    `aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation` names it by `webAclArn`; `rules`, `ruleJson`
    or a `webAclArn` unknown during preview leaves it unjudged"""
    for acl in of_type(args.resources, WEB_ACL):
        inline = _has_inline_rules(acl)
        if inline is not False:
            continue
        found, maybe = referring(args.resources, WEB_ACL_RULE_HOLDERS, "webAclArn", acl, keys=("arn",))
        if not found and not maybe:
            yield (f"web ACL {acl.name} has no rules: every request gets its default action uninspected; add rules "
                   "(e.g. the AWS managed AWSManagedRulesCommonRuleSet and a rate-based rule) in rules, or as "
                   "aws.wafv2.WebAclRule / WebAclRuleGroupAssociation resources"), acl.urn


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
