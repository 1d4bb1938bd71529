"""Raw egress controls: a VPC missing endpoints for the APIs its tasks use (and one without private DNS), a VPC
with no DNS Firewall (and set to fail open) and two whose DNS Firewall Advanced rules block no name outright, a
deny-list and an allow-list of unapproved domains, rule groups whose pass rules (stateless, Suricata text, 5-tuple)
let traffic reach any host, a firewall without delete or subnet change protection; plus a fully covered VPC, an
approved allow-list, rule groups that pass only pinned or internal traffic and protected firewalls."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
REGION = "us-east-1"
LOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "/test", "awslogs-region": REGION,
                                             "awslogs-stream-prefix": "test"}}

# A task that pulls from ECR, logs to CloudWatch and reads a Secrets Manager secret: it needs ecr.api, ecr.dkr,
# s3 (image layers), logs and secretsmanager.
aws.ecs.TaskDefinition("egress-task", family="egress-task", network_mode="awsvpc", cpu="256", memory="512",
                       requires_compatibilities=["FARGATE"], execution_role_arn="arn:aws:iam::123456789012:role/x",
                       tags=TAGS, container_definitions=json.dumps([{
                           "name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1.0.0",
                           "essential": True, "user": "1000", "readonlyRootFilesystem": True, "memory": 256,
                           "logConfiguration": LOGS, "secrets": [{"name": "DB_URL", "valueFrom":
                               "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}]}]))


def vpc(name):
    return aws.ec2.Vpc(name, cidr_block="10.0.0.0/16", enable_dns_hostnames=True, enable_dns_support=True, tags=TAGS)


# This account's principals only (AWS's data-perimeter endpoint policy).
SCOPED = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
    "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}}]})
OPEN = json.dumps({"Statement": [{"Sid": "All", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})


def endpoint(name, network, service, kind="Interface", private_dns=True, policy=SCOPED):
    args = {"private_dns_enabled": private_dns, "subnet_ids": ["subnet-a"], "security_group_ids": ["sg-endpoints"]} \
        if kind == "Interface" else {"route_table_ids": ["rtb-a"]}
    return aws.ec2.VpcEndpoint(name, vpc_id=network.id, service_name=f"com.amazonaws.{REGION}.{service}",
                               vpc_endpoint_type=kind, tags=TAGS, policy=policy, **args)


APPROVED_THEN_THE_REST = (("ALLOW", 100, ["api.stripe.com."]), ("BLOCK", 200, ["*."]))


def dns_firewall(name, network, rules=APPROVED_THEN_THE_REST, threats=()):
    """Rules on domain lists, (action, priority, domains): by default the approved names, then a block of every other
    (DNS Firewall stores domains with the trailing dot); and DNS Firewall Advanced rules, (priority, threat), which
    block only the queries their threat detection flags."""
    group = aws.route53.ResolverFirewallRuleGroup(f"{name}-rules", name=name, tags=TAGS)
    for action, priority, domains in rules:
        listed = aws.route53.ResolverFirewallDomainList(f"{name}-{action.lower()}", name=f"{name}-{action.lower()}",
                                                        domains=domains, tags=TAGS)
        aws.route53.ResolverFirewallRule(f"{name}-{action.lower()}", name=action.lower(), action=action,
                                         priority=priority, firewall_rule_group_id=group.id,
                                         firewall_domain_list_id=listed.id,
                                         **({"block_response": "NXDOMAIN"} if action == "BLOCK" else {}))
    for priority, threat in threats:
        aws.route53.ResolverFirewallRule(f"{name}-{threat.lower()}", name=threat.lower(), action="BLOCK",
                                         priority=priority, firewall_rule_group_id=group.id, block_response="NXDOMAIN",
                                         dns_threat_protection=threat, confidence_threshold="HIGH")
    return aws.route53.ResolverFirewallRuleGroupAssociation(name, name=name, firewall_rule_group_id=group.id,
                                                            vpc_id=network.id, priority=101, tags=TAGS)


def kept_vpc(prefix, kept_rules=None):
    """A VPC with the endpoints the stack's tasks need, a flow log and its default security group adopted bare, or
    with `kept_rules` (ids) given to a VpcSecurityGroupRulesExclusive, which revokes every other rule."""
    network = vpc(f"{prefix}-vpc")
    for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager"):
        endpoint(f"{prefix}-{service}", network, service)
    endpoint(f"{prefix}-s3", network, "s3", kind="Gateway")
    # Rejected and accepted traffic recorded (bare-vpc and the default VPC keep no flow log).
    aws.ec2.FlowLog(f"{prefix}-flow-logs", vpc_id=network.id, traffic_type="ALL", log_destination_type="s3",
                    log_destination="arn:aws:s3:::policy-tests-flow-logs", tags=TAGS)
    # Its default security group adopted, without rules (the default VPC's is not adopted at all).
    if kept_rules is None:
        aws.ec2.DefaultSecurityGroup(f"{prefix}-default-sg", vpc_id=network.id, ingress=[], egress=[], tags=TAGS)
    else:
        aws.ec2.VpcSecurityGroupRulesExclusive(f"{prefix}-default-rules",
                                               security_group_id=network.default_security_group_id,
                                               ingress_rule_ids=kept_rules, egress_rule_ids=[])
    return network


covered = kept_vpc("covered")
dns_firewall("covered-dns", covered)
# A query DNS Firewall cannot evaluate gets no answer (AWS's default, written out) rather than an unfiltered one.
aws.route53.ResolverFirewallConfig("covered-dns-config", resource_id=covered.id, firewall_fail_open="DISABLED")
# DNS Firewall Advanced rules (threat detection, no domain list) never match every name: an ALLOW of every name
# before the block still lets every name resolve, and a group of Advanced rules alone blocks no name outright.
dns_firewall("threat-open-dns", kept_vpc("threat-open"), rules=(("ALLOW", 100, ["*."]), ("BLOCK", 200, ["*."])),
             threats=((150, "DGA"),))
dns_firewall("threat-only-dns", kept_vpc("threat-only"), rules=(), threats=((100, "DGA"), (110, "DNS_TUNNELING")))
dns_firewall("threat-covered-dns", kept_vpc("threat-covered"), threats=((150, "DGA"),))
# The default group emptied by exclusive rule lists that list nothing; or made to keep a rule made elsewhere.
dns_firewall("emptied-dns", kept_vpc("emptied", kept_rules=[]))
dns_firewall("kept-rules-dns", kept_vpc("kept-rules", kept_rules=["sgr-0123456789abcdef0"]))

# Missing logs and secretsmanager; ecr.dkr has private DNS turned off and ecr.api leaves it out (the provider then
# sends false); no DNS Firewall.
bare = vpc("bare-vpc")
endpoint("bare-ecr-api", bare, "ecr.api", private_dns=None)
endpoint("bare-ecr-dkr", bare, "ecr.dkr", private_dns=False)
endpoint("bare-s3", bare, "s3", kind="Gateway")
# Set to fail open: once a rule group is associated, a query DNS Firewall cannot evaluate resolves unfiltered.
aws.route53.ResolverFirewallConfig("bare-dns-config", resource_id=bare.id, firewall_fail_open="ENABLED")
# Any account's credentials: AWS's default, and a policy that restates it.
endpoint("bare-sts", bare, "sts", policy=None)
endpoint("bare-sqs", bare, "sqs", policy=OPEN)
# Services without endpoint policies are not judged; named resources are scoped enough.
endpoint("bare-ssmmessages", bare, "ssmmessages", policy=None)
# Step Functions takes an endpoint policy; execute-api's unsigned callers are anonymous, which no policy can name.
endpoint("bare-states", bare, "states", policy=None)
endpoint("bare-execute-api", bare, "execute-api", policy=None)
endpoint("bare-dynamodb", bare, "dynamodb", kind="Gateway", policy=json.dumps({"Statement": [{
    "Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem",
    "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/orders"}]}))

# Its default security group adopted with the rule EC2 gave it, and one more from a standalone rule.
bare_default = aws.ec2.DefaultSecurityGroup("bare-default-sg", vpc_id=bare.id, tags=TAGS, ingress=[
    {"protocol": "-1", "from_port": 0, "to_port": 0, "self": True}])
aws.vpc.SecurityGroupEgressRule("bare-default-egress", security_group_id=bare_default.id, ip_protocol="tcp",
                                from_port=443, to_port=443, cidr_ipv4="10.0.0.0/16", tags=TAGS)
# And one through the VPC's own output, the usual way to reach its default group.
aws.vpc.SecurityGroupIngressRule("bare-vpc-default-https", security_group_id=bare.default_security_group_id,
                                 ip_protocol="tcp", from_port=443, to_port=443, cidr_ipv4="10.0.0.0/16", tags=TAGS)
# Halves of the internet on 5432, one through the VPC's output and one through the adopter's id: one group's rules.
aws.vpc.SecurityGroupEgressRule("bare-vpc-default-half-lo", security_group_id=bare.default_security_group_id,
                                ip_protocol="tcp", from_port=5432, to_port=5432, cidr_ipv4="0.0.0.0/1", tags=TAGS)
aws.vpc.SecurityGroupEgressRule("bare-default-half-hi", security_group_id=bare_default.id, ip_protocol="tcp",
                                from_port=5432, to_port=5432, cidr_ipv4="128.0.0.0/1", tags=TAGS)

# The region's default VPC, adopted: the same needs, and nothing for them.
default = aws.ec2.DefaultVpc("default-vpc", tags=TAGS)
endpoint("default-ecr-api", default, "ecr.api")
endpoint("default-ecr-dkr", default, "ecr.dkr")
endpoint("default-s3", default, "s3", kind="Gateway")


def domain_list(name, kind, targets):
    return aws.networkfirewall.RuleGroup(name, name=name, type="STATEFUL", capacity=100, tags=TAGS, rule_group={
        "rules_source": {"rules_source_list": {"generated_rules_type": kind, "target_types": ["TLS_SNI", "HTTP_HOST"],
                                               "targets": targets}}})


approved = domain_list("approved-allowlist", "ALLOWLIST", ["api.stripe.com"])
domain_list("wide-allowlist", "ALLOWLIST", ["api.stripe.com", ".amazonaws.com", "pastebin.com"])
domain_list("denylist", "DENYLIST", ["evil.example"])


# Stateless pass rules skip the stateful engine: to the whole internet, and to any destination (none given).
def stateless(name, rules):
    return aws.networkfirewall.RuleGroup(name, name=name, type="STATELESS", capacity=100, tags=TAGS, rule_group={
        "rules_source": {"stateless_rules_and_custom_actions": {"stateless_rules": [
            {"priority": i + 1, "rule_definition": {"actions": actions, "match_attributes": {
                **({"destinations": [{"address_definition": d} for d in dests]} if dests is not None else {}),
                "sources": [{"address_definition": "10.0.0.0/16"}]}}}
            for i, (actions, dests) in enumerate(rules)]}}})


stateless("stateless-pass-all", [(["aws:pass"], ["10.1.0.0/16", "0.0.0.0/0"]), (["aws:pass"], None)])
# Internal traffic may pass; what goes to the internet is forwarded to the stateful rules.
stateless("stateless-forward", [(["aws:pass"], ["10.1.0.0/16"]), (["aws:forward_to_sfe"], ["0.0.0.0/0", "::/0"]),
                                (["aws:drop"], None)])
# A stateless group without rules (AWS creates it empty).
aws.networkfirewall.RuleGroup("stateless-empty", name="stateless-empty", type="STATELESS", capacity=10, tags=TAGS)


def suricata(name, rules, variables=None):
    return aws.networkfirewall.RuleGroup(name, name=name, type="STATEFUL", capacity=100, tags=TAGS, rule_group={
        "rules_source": {"rules_string": rules},
        **({"rule_variables": {"ip_sets": [{"key": k, "ip_set": {"definitions": v}} for k, v in variables.items()]}}
           if variables else {})})


# Passing every TLS flow, and everything but the VPC's ranges; the pinned, internal, drop and alert rules are fine.
suricata("suricata-pass-tls", "\n".join([
    'pass tls $HOME_NET any -> $EXTERNAL_NET any (msg:"all tls"; sid:1; rev:1;)',
    'pass tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"api.stripe.com"; endswith; sid:2;)',
    'pass tcp $HOME_NET any -> ![10.0.0.0/8, 192.168.0.0/16] 443 (flow:to_server; sid:3;)',
    'drop ip $HOME_NET any -> any any (sid:4;)',
    'pass tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"pastebin.com"; depth:12; isdataat:!1,relative; '
    'sid:5;)']))
suricata("suricata-pinned", "\n".join([
    '# pass ip any any -> any any (sid:9;)',
    'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:"api.stripe.com"; startswith; endswith; sid:1;)',
    'pass http $HOME_NET any -> any 80 (http.host; content:"api.stripe.com"; startswith; endswith; sid:2;)',
    'pass tcp $HOME_NET any -> [10.0.0.0/8, 172.16.0.0/12] any (sid:3;)',
    'pass tcp $HOME_NET any -> $PARTNERS 443 (sid:4;)',
    'alert ip any any -> any any (sid:5;)',
    'reject tcp $HOME_NET any -> $EXTERNAL_NET any (sid:6;)',
    'drop ip $HOME_NET any -> any any (sid:7;)',
    'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; pcre:"/^API\\.Stripe\\.com$/i"; sid:8;)',
    'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:"api.stripe.com"; startswith; isdataat:!1,relative; '
    'sid:9;)',
    'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (aws_route_53_resolved_domain:"api.stripe.com"; sid:10;)']),
         {"PARTNERS": ["203.0.113.0/24"]})
# A pcre on the SNI held at both ends: any name through an alternation, and one literal name not approved.
suricata("suricata-pcre", "\n".join([
    'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; pcre:"/^(api\\.stripe\\.com|.+)$/"; sid:1;)',
    'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; pcre:"/^evil\\.example$/"; sid:2;)']))


def five_tuple(name, rules):
    return aws.networkfirewall.RuleGroup(name, name=name, type="STATEFUL", capacity=100, tags=TAGS, rule_group={
        "rules_source": {"stateful_rules": [{"action": action, "header": {
            "protocol": protocol, "source": "ANY", "source_port": "ANY", "direction": "FORWARD",
            "destination": destination, "destination_port": port}, "rule_options": [
                *options, {"keyword": "sid", "settings": [str(i + 1)]}]}
            for i, (action, protocol, destination, port, options) in enumerate(rules)]}})


five_tuple("five-tuple-pass", [
    ("PASS", "TCP", "ANY", "443", []),
    # To the addresses Route 53 Resolver gave for either domain: one of them not approved.
    ("PASS", "TLS", "ANY", "443", [{"keyword": "aws_route_53_resolved_domain",
                                    "settings": ['"api.stripe.com,evil.example"']}])])
five_tuple("five-tuple-pinned", [
    ("PASS", "TLS", "ANY", "443", [{"keyword": "tls.sni"}, {"keyword": "content", "settings": ['"api.stripe.com"']},
                                   {"keyword": "startswith"}, {"keyword": "endswith"}]),
    ("PASS", "TCP", "10.0.0.0/8", "ANY", []), ("DROP", "IP", "ANY", "ANY", [])])


def firewall_policy(name, stateless, stateful=None, order=None, groups=()):
    return aws.networkfirewall.FirewallPolicy(name, name=name, tags=TAGS, firewall_policy={
        "stateless_default_actions": stateless, "stateless_fragment_default_actions": stateless,
        **({"stateful_default_actions": stateful} if stateful else {}),
        **({"stateful_engine_options": {"rule_order": order}} if order else {}),
        **({"stateful_rule_group_references": [{"resource_arn": g.arn, "priority": 100 + i}
                                               for i, g in enumerate(groups)]} if groups else {})})


# Forwarding to the stateful rules, which drop what no rule allows (it has no rule group yet, so it drops all);
# passing everything; strict order, no drop (neither has a rule group, so their defaults let everything through).
strict = firewall_policy("strict-policy", ["aws:forward_to_sfe"], ["aws:drop_established", "aws:alert_established"],
                         "STRICT_ORDER")
firewall_policy("passing-policy", ["aws:pass"])
firewall_policy("open-strict-policy", ["aws:forward_to_sfe"], ["aws:alert_established"], "STRICT_ORDER")
# Dropping at the application layer, towards the server: AWS's strict-order best practice, with the allow-list.
firewall_policy("app-layer-policy", ["aws:forward_to_sfe"],
                ["aws:drop_established_app_layer_to_server", "aws:alert_established_app_layer_to_server"],
                "STRICT_ORDER", groups=[approved])



def firewall(name, logged=True, **args):
    """A firewall on the strict policy, logged unless said (the configuration names it by its ARN)."""
    made = aws.networkfirewall.Firewall(name, name=name, firewall_policy_arn=strict.arn, tags=TAGS, **args)
    if logged:
        aws.networkfirewall.LoggingConfiguration(f"{name}-logging", firewall_arn=made.arn, logging_configuration={
            "log_destination_configs": [{"log_type": kind, "log_destination_type": "S3",
                                         "log_destination": {"bucketName": "firewall-logs", "prefix": kind.lower()}}
                                        for kind in ("ALERT", "FLOW")]})
    return made


# Firewalls in a VPC, in two zones' subnets: one whose alerts and flows are logged, protected from deletion and
# subnet changes; one that logs nothing; one left deletable, its subnet change protection left out, in one zone;
# one protected through another resource's output (unknown in a first preview). And one attached to a transit
# gateway, which has Availability Zones instead of subnets and is protected from changes to them.
IN_VPC = {"vpc_id": covered.id, "subnet_mappings": [{"subnet_id": "subnet-fw-a"}, {"subnet_id": "subnet-fw-b"}]}
PROTECTED = {"delete_protection": True, "subnet_change_protection": True}
logged = firewall("logged-firewall", **IN_VPC, **PROTECTED)
firewall("silent-firewall", logged=False, **IN_VPC, **PROTECTED)
firewall("deletable-firewall", vpc_id=covered.id, subnet_mappings=[{"subnet_id": "subnet-fw-a"}],
         delete_protection=False)
fed = logged.id.apply
firewall("fed-firewall", **IN_VPC, delete_protection=fed(lambda _: True), subnet_change_protection=fed(lambda _: True))
firewall("tgw-firewall", transit_gateway_id="tgw-0123456789abcdef0", delete_protection=True,
         availability_zone_mappings=[{"availability_zone_id": "use1-az1"}, {"availability_zone_id": "use1-az2"}],
         availability_zone_change_protection=True)

# Subnets: a private one (no public addresses, the default), one that hands every launch a public IPv4 address,
# and an adopted default subnet left as AWS made it (public addresses on).
aws.ec2.Subnet("private-subnet", vpc_id=covered.id, cidr_block="10.0.1.0/24", tags=TAGS)
aws.ec2.Subnet("public-ip-subnet", vpc_id=covered.id, cidr_block="10.0.2.0/24", map_public_ip_on_launch=True,
               tags=TAGS)
aws.ec2.DefaultSubnet("default-subnet", availability_zone="us-east-1a", tags=TAGS)
