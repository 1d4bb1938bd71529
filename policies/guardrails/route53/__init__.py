"""Route 53 guardrails (Resolver DNS Firewall, hosted zones' query logging)."""
from ..core.stack import register_native_companion

FIREWALL_ASSOCIATION = "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation"
register_native_companion(FIREWALL_ASSOCIATION, "aws-native:route53resolver:FirewallRuleGroupAssociation", "vpcId")
FIREWALL_RULE_GROUP = "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup"
FIREWALL_RULE = "aws:route53/resolverFirewallRule:ResolverFirewallRule"
FIREWALL_DOMAIN_LIST = "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList"
# A VPC's DNS Firewall failure mode (UpdateFirewallConfig): whether queries it cannot evaluate are let through.
FIREWALL_CONFIG = "aws:route53/resolverFirewallConfig:ResolverFirewallConfig"
# A hosted zone: public unless `vpcs` makes it private (a zone cannot change kind after creation).
ZONE = "aws:route53/zone:Zone"
# A public zone's query logging configuration (CreateQueryLoggingConfig), to a CloudWatch Logs group in us-east-1.
QUERY_LOG = "aws:route53/queryLog:QueryLog"
# A health check, which may follow a CloudWatch alarm's state (`cloudwatchAlarmName`).
HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck"
