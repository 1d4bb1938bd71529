"""AWS Network Firewall guardrails: rule groups and policies that pass only the approved hosts, logging, and
firewalls protected from deletion and from subnet changes."""
from ..core.stack import register_native_companion

RULE_GROUP = "aws:networkfirewall/ruleGroup:RuleGroup"
FIREWALL_POLICY = "aws:networkfirewall/firewallPolicy:FirewallPolicy"
FIREWALL = "aws:networkfirewall/firewall:Firewall"
# Where a firewall's alert, flow and TLS logs go (UpdateLoggingConfiguration: never part of the firewall itself).
LOGGING_CONFIGURATION = "aws:networkfirewall/loggingConfiguration:LoggingConfiguration"
register_native_companion(LOGGING_CONFIGURATION, "aws-native:networkfirewall:LoggingConfiguration", "firewallArn")
