"""AWS WAF (v2) guardrails: every web ACL logs what it blocks."""

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
LOGGING_CONFIGURATION = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
