"""AWS Network Firewall guardrails."""

RULE_GROUP = "aws:networkfirewall/ruleGroup:RuleGroup"
FIREWALL_POLICY = "aws:networkfirewall/firewallPolicy:FirewallPolicy"
