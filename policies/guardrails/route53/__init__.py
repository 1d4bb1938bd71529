"""Route 53 guardrails (Resolver DNS Firewall)."""

FIREWALL_ASSOCIATION = "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation"
