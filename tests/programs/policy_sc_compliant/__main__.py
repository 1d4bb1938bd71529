"""A compliant Service Connect platform in raw pulumi_aws resources, no components: TLS from a tagged, short-lived
Private CA with a customer-managed key, JSON access logs, aliases and timeouts, a security group per service that
admits only its callers, a network ACL closed to SSH and RDP, VPC endpoints, DNS Firewall and a Network Firewall
allow-list for the one external host, task roles denied `ecs-sc!*` that ECS assumes for this account's tasks only,
and ingress REST API -> VPC link V2 -> internal ALB (TLS 1.3)."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team", "CostCenter": "cc-1"}
REGION = "us-east-1"
SUBNETS = ["subnet-a", "subnet-b"]
NAMESPACE = "shop.internal"
SERVICES = {"orders": {"port": 8080, "calls": ["payments"]}, "payments": {"port": 8443, "calls": []}}
EXTERNAL_CALLERS = ["payments"]  # payments reaches api.stripe.com


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(service, **condition):
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return policy({**statement, "Condition": condition} if condition else statement)


# ECS assumes the task roles only for this account's tasks (confused deputy), as AWS recommends.
ECS_TASKS_TRUST = trust("ecs-tasks.amazonaws.com", StringEquals={"aws:SourceAccount": "123456789012"},
                        ArnLike={"aws:SourceArn": f"arn:aws:ecs:{REGION}:123456789012:*"})


# --- network and egress ----------------------------------------------------------------------------------
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", enable_dns_hostnames=True, enable_dns_support=True, tags=TAGS)
# EC2's default group of the VPC, adopted and emptied: what names no group gets no network paths.
aws.ec2.DefaultSecurityGroup("vpc-default-sg", vpc_id=vpc.id, ingress=[], egress=[], tags=TAGS)
# A subnet that gives nothing a public address unless it asks for one.
aws.ec2.Subnet("private-subnet", vpc_id=vpc.id, cidr_block="10.0.1.0/24", map_public_ip_on_launch=False, tags=TAGS)
# The private subnets' network ACL: HTTPS from inside the VPC, and the return traffic of connections they open (a
# stateless filter), with the administration ports denied from everywhere before that range.
def acl_entry(rule_no, action, ports, cidr):
    return {"rule_no": rule_no, "action": action, "protocol": "tcp", "from_port": ports[0], "to_port": ports[1],
            "cidr_block": cidr}


aws.ec2.NetworkAcl("private-acl", vpc_id=vpc.id, tags=TAGS, egress=[acl_entry(100, "allow", (443, 443), "0.0.0.0/0")],
                   ingress=[acl_entry(100, "allow", (443, 443), "10.0.0.0/16"),
                            acl_entry(190, "deny", (3389, 3389), "0.0.0.0/0"),
                            acl_entry(200, "allow", (1024, 65535), "0.0.0.0/0")])
aws.ec2.FlowLog("vpc-flow-logs", vpc_id=vpc.id, traffic_type="ALL", log_destination_type="s3",
                log_destination="arn:aws:s3:::shop-flow-logs", tags=TAGS)
endpoints_group = aws.ec2.SecurityGroup("endpoints-sg", name="endpoints", vpc_id=vpc.id, description="VPC endpoints",
                                        tags=TAGS)
# This account's principals only (AWS's data-perimeter endpoint policy).
ENDPOINT_POLICY = json.dumps({"Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
    "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}}]})
for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager"):
    aws.ec2.VpcEndpoint(f"endpoint-{service}", vpc_id=vpc.id, service_name=f"com.amazonaws.{REGION}.{service}",
                        vpc_endpoint_type="Interface", private_dns_enabled=True, subnet_ids=SUBNETS,
                        security_group_ids=[endpoints_group.id], policy=ENDPOINT_POLICY, tags=TAGS)
aws.ec2.VpcEndpoint("endpoint-s3", vpc_id=vpc.id, service_name=f"com.amazonaws.{REGION}.s3", policy=ENDPOINT_POLICY,
                    vpc_endpoint_type="Gateway", route_table_ids=["rtb-a"], tags=TAGS)
dns_rules = aws.route53.ResolverFirewallRuleGroup("dns-rules", name="egress", tags=TAGS)
for action, priority, domains in (("ALLOW", 100, ["api.stripe.com."]), ("BLOCK", 200, ["*."])):
    listed = aws.route53.ResolverFirewallDomainList(f"dns-{action.lower()}", name=f"egress-{action.lower()}",
                                                    domains=domains, tags=TAGS)
    aws.route53.ResolverFirewallRule(f"dns-{action.lower()}", name=action.lower(), action=action, priority=priority,
                                     firewall_rule_group_id=dns_rules.id, firewall_domain_list_id=listed.id,
                                     **({"block_response": "NXDOMAIN"} if action == "BLOCK" else {}))
aws.route53.ResolverFirewallRuleGroupAssociation("dns-firewall", name="egress", firewall_rule_group_id=dns_rules.id,
                                                 vpc_id=vpc.id, priority=101, tags=TAGS)
aws.route53.ResolverFirewallConfig("dns-fail-closed", resource_id=vpc.id, firewall_fail_open="DISABLED")
externals = aws.networkfirewall.RuleGroup(
    "externals", name="externals", type="STATEFUL", capacity=100, tags=TAGS, rule_group={
        "rules_source": {"rules_source_list": {"generated_rules_type": "ALLOWLIST", "targets": ["api.stripe.com"],
                                               "target_types": ["TLS_SNI", "HTTP_HOST"]}}})
egress_policy = aws.networkfirewall.FirewallPolicy("egress-policy", name="egress", tags=TAGS, firewall_policy={
    "stateless_default_actions": ["aws:forward_to_sfe"], "stateless_fragment_default_actions": ["aws:forward_to_sfe"],
    "stateful_default_actions": ["aws:drop_established", "aws:alert_established"],
    "stateful_engine_options": {"rule_order": "STRICT_ORDER"},
    "stateful_rule_group_references": [{"resource_arn": externals.arn, "priority": 100}]})
# Neither deleted nor moved off its subnets by mistake.
firewall = aws.networkfirewall.Firewall("egress-firewall", name="egress", vpc_id=vpc.id, tags=TAGS,
                                        firewall_policy_arn=egress_policy.arn, delete_protection=True,
                                        subnet_change_protection=True,
                                        subnet_mappings=[{"subnet_id": subnet} for subnet in SUBNETS])
# What the firewall alerted on and what flowed through it.
aws.networkfirewall.LoggingConfiguration("egress-firewall-logging", firewall_arn=firewall.arn, logging_configuration={
    "log_destination_configs": [{"log_type": kind, "log_destination_type": "CloudWatchLogs",
                                 "log_destination": {"logGroup": f"/shop/network-firewall/{kind.lower()}"}}
                                for kind in ("ALERT", "FLOW")]})

# --- Service Connect: namespace, CA, key, TLS role, cluster -------------------------------------------------
namespace = aws.servicediscovery.HttpNamespace("namespace", name=NAMESPACE, tags=TAGS)
key = aws.kms.Key("sc-key", description="Service Connect TLS keys", enable_key_rotation=True, tags=TAGS)
ca = aws.acmpca.CertificateAuthority("sc-ca", type="ROOT", usage_mode="SHORT_LIVED_CERTIFICATE",
                                     tags={**TAGS, "AmazonECSManaged": "true"}, certificate_authority_configuration={
                                         "key_algorithm": "EC_prime256v1", "signing_algorithm": "SHA256WITHECDSA",
                                         "subject": {"common_name": NAMESPACE}})
tls_role = aws.iam.Role("sc-tls-role", name="sc-tls", assume_role_policy=trust("ecs.amazonaws.com"), tags=TAGS)
cluster = aws.ecs.Cluster("cluster", name="shop", service_connect_defaults={"namespace": namespace.arn}, tags=TAGS,
                          settings=[{"name": "containerInsights", "value": "enabled"}])

# --- security groups: one per service, plus the ALB's and the VPC link's --------------------------------------
groups = {name: aws.ec2.SecurityGroup(f"{name}-sg", name=name, vpc_id=vpc.id, description=f"{name} tasks", tags=TAGS)
          for name in SERVICES}
alb_group = aws.ec2.SecurityGroup("alb-sg", name="alb", vpc_id=vpc.id, description="internal ALB", tags=TAGS)
link_group = aws.ec2.SecurityGroup("vpc-link-sg", name="vpc-link", vpc_id=vpc.id, description="VPC link", tags=TAGS)


def rule(kind, name, group, port, **peer):
    resource = aws.vpc.SecurityGroupIngressRule if kind == "in" else aws.vpc.SecurityGroupEgressRule
    return resource(name, security_group_id=group.id, ip_protocol="tcp", from_port=port, to_port=port, tags=TAGS,
                    **peer)


rule("in", "alb-from-link", alb_group, 443, referenced_security_group_id=link_group.id)
rule("out", "link-to-alb", link_group, 443, referenced_security_group_id=alb_group.id)
rule("out", "alb-to-orders", alb_group, 8080, referenced_security_group_id=groups["orders"].id)
rule("in", "orders-from-alb", groups["orders"], 8080, referenced_security_group_id=alb_group.id)
for name, spec in SERVICES.items():
    rule("out", f"{name}-to-endpoints", groups[name], 443, referenced_security_group_id=endpoints_group.id)
    rule("in", f"endpoints-from-{name}", endpoints_group, 443, referenced_security_group_id=groups[name].id)
    for callee in spec["calls"]:
        port = SERVICES[callee]["port"]
        rule("out", f"{name}-to-{callee}", groups[name], port, referenced_security_group_id=groups[callee].id)
        rule("in", f"{callee}-from-{name}", groups[callee], port, referenced_security_group_id=groups[name].id)
for name in EXTERNAL_CALLERS:
    rule("out", f"{name}-to-internet", groups[name], 443, cidr_ipv4="0.0.0.0/0")

# --- services ------------------------------------------------------------------------------------------------
for name, spec in SERVICES.items():
    role = aws.iam.Role(f"{name}-task-role", name=f"{name}-task", assume_role_policy=ECS_TASKS_TRUST,
                        tags=TAGS, inline_policies=[{"name": "app", "policy": policy(
                            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                             "Resource": f"arn:aws:secretsmanager:{REGION}:123456789012:secret:{name}-db-*"},
                            {"Effect": "Deny", "Action": "secretsmanager:GetSecretValue",
                             "Resource": "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"})}])
    container = {"name": "app", "image": f"123456789012.dkr.ecr.{REGION}.amazonaws.com/{name}:1.4.2",
                 "essential": True, "user": "1000", "readonlyRootFilesystem": True, "memory": 512,
                 "portMappings": [{"name": "http", "containerPort": spec["port"], "appProtocol": "http"}],
                 "healthCheck": {"command": ["CMD-SHELL", f"curl -fsS http://localhost:{spec['port']}/health || exit 1"],
                                 "interval": 30, "timeout": 5, "retries": 3},
                 "logConfiguration": {"logDriver": "awslogs", "options": {
                     "awslogs-group": f"/shop/{name}", "awslogs-region": REGION, "awslogs-stream-prefix": "app"}}}
    task = aws.ecs.TaskDefinition(f"{name}-task", family=f"{name}-sc", network_mode="awsvpc", cpu="512",
                                  memory="1024", requires_compatibilities=["FARGATE"], task_role_arn=role.arn,
                                  execution_role_arn="arn:aws:iam::123456789012:role/execution",
                                  container_definitions=json.dumps([container]), tags=TAGS)
    aws.ecs.Service(name, name=f"{name}-sc", cluster=cluster.arn, task_definition=task.arn, desired_count=2,
                    launch_type="FARGATE", platform_version="LATEST", tags=TAGS,
                    deployment_circuit_breaker={"enable": True, "rollback": True},
                    network_configuration={"subnets": SUBNETS, "security_groups": [groups[name].id],
                                           "assign_public_ip": False},
                    service_connect_configuration={
                        "enabled": True, "namespace": namespace.arn,
                        "log_configuration": {"log_driver": "awslogs", "options": {
                            "awslogs-group": f"/shop/{name}/proxy", "awslogs-region": REGION,
                            "awslogs-stream-prefix": "sc"}},
                        "access_log_configuration": {"format": "JSON", "include_query_parameters": "DISABLED"},
                        "services": [{
                            "port_name": "http", "discovery_name": name,
                            "client_alias": [{"port": spec["port"], "dns_name": f"{name}.{NAMESPACE}"}],
                            "timeout": {"per_request_timeout_seconds": 15, "idle_timeout_seconds": 300},
                            "tls": {"issuer_cert_authority": {"aws_pca_authority_arn": ca.arn},
                                    "role_arn": tls_role.arn, "kms_key": key.arn}}]})

# --- ingress: REST API -> VPC link V2 -> internal ALB ----------------------------------------------------------
alb = aws.lb.LoadBalancer("alb", name="shop-ingress", internal=True, load_balancer_type="application",
                          security_groups=[alb_group.id], subnets=SUBNETS, drop_invalid_header_fields=True, tags=TAGS,
                          enable_deletion_protection=True,
                          access_logs={"enabled": True, "bucket": "shop-lb-logs", "prefix": "ingress"})
aws.lb.Listener("https", load_balancer_arn=alb.arn, protocol="HTTPS", port=443,
                ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06", tags=TAGS,
                certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/0b3c2a4e-1111-2222-3333-444455556666",
                default_actions=[{"type": "fixed-response", "fixed_response": {
                    "content_type": "text/plain", "status_code": "404"}}])
http = aws.lb.Listener("http", load_balancer_arn=alb.arn, protocol="HTTP", port=80, tags=TAGS, default_actions=[
    {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}])
aws.lb.ListenerRule("http-moved", listener_arn=http.arn, priority=10, tags=TAGS,
                    conditions=[{"path_pattern": {"values": ["/v1/*"]}}],
                    actions=[{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "path": "/v2/#{path}",
                                                               "status_code": "HTTP_301"}}])
link = aws.apigatewayv2.VpcLink("vpc-link", name="shop", subnet_ids=SUBNETS, security_group_ids=[link_group.id],
                                tags=TAGS)
api = aws.apigateway.RestApi("api", name="shop", endpoint_configuration={"types": "REGIONAL"}, tags=TAGS,
                             security_policy="TLS_1_2")
validator = aws.apigateway.RequestValidator("validator", rest_api=api.id, name="all", validate_request_body=True,
                                            validate_request_parameters=True)
method = aws.apigateway.Method("get-orders", rest_api=api.id, resource_id=api.root_resource_id, http_method="GET",
                               authorization="AWS_IAM", api_key_required=True, request_validator_id=validator.id)
aws.apigateway.Integration("get-orders-integration", rest_api=api.id, resource_id=api.root_resource_id,
                           http_method=method.http_method, type="HTTP_PROXY", integration_http_method="GET",
                           connection_type="VPC_LINK", connection_id=link.id, integration_target=alb.arn,
                           uri="https://orders.shop.example.com/orders")
