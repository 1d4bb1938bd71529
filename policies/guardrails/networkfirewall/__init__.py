"""AWS Network Firewall guardrails."""

RULE_GROUP = "aws:networkfirewall/ruleGroup:RuleGroup"
