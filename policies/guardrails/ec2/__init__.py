"""EC2/VPC network guardrails: security groups and their rules (inline and standalone), VPC endpoints."""

VPC = "aws:ec2/vpc:Vpc"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
# A VPC's default group, adopted by the program: the same inline ingress[]/egress[] blocks, and attachable by id.
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECURITY_GROUPS = (SECURITY_GROUP, DEFAULT_SECURITY_GROUP)
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
RULE_HOLDERS = (*SECURITY_GROUPS, SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE)
