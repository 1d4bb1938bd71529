"""AWS WAF (v2) guardrails: every web ACL has rules, counts what they match and logs what it blocks."""
from ..core.stack import register_native_companion

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
LOGGING_CONFIGURATION = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
register_native_companion(LOGGING_CONFIGURATION, "aws-native:wafv2:LoggingConfiguration", "resourceArn")
RULE_GROUP = "aws:wafv2/ruleGroup:RuleGroup"
# A web ACL's rules and rule groups, each added as its own resource (naming the web ACL by `webAclArn`) instead of
# in the web ACL's `rules`.
WEB_ACL_RULE = "aws:wafv2/webAclRule:WebAclRule"
WEB_ACL_RULE_GROUP_ASSOCIATION = "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation"
WEB_ACL_RULE_HOLDERS = (WEB_ACL_RULE, WEB_ACL_RULE_GROUP_ASSOCIATION)
# Puts a web ACL in front of a REST API stage or a load balancer (`resourceArn`).
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
# aws-native's names it alike, in `resourceArn`.
NATIVE_WEB_ACL_ASSOCIATION = "aws-native:wafv2:WebAclAssociation"
register_native_companion(WEB_ACL_ASSOCIATION, NATIVE_WEB_ACL_ASSOCIATION, "resourceArn")
