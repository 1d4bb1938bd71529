"""Raw security groups: a workload open to the internet (inline and standalone rules, IPv4 and IPv6, the whole
space however written), egress to everywhere on every port or on 443 from a group nobody approved, a workload
admitting a private CIDR; plus an internet-facing load balancer's group, a caller-referencing workload, an approved
payments group and a group reaching two large but private blocks."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
VPC = "vpc-0123456789abcdef0"


def group(name, vpc_id=VPC, **args):
    return aws.ec2.SecurityGroup(name, name=name, vpc_id=vpc_id, description=f"{name} (policy tests)", tags=TAGS,
                                 **args)


def ingress(name, sg, port, **source):
    return aws.vpc.SecurityGroupIngressRule(name, security_group_id=sg.id, ip_protocol="tcp", from_port=port,
                                            to_port=port, tags=TAGS, **source)


def egress(name, sg, port, **target):
    return aws.vpc.SecurityGroupEgressRule(name, security_group_id=sg.id, ip_protocol="tcp", from_port=port,
                                           to_port=port, tags=TAGS, **target)


# An internet-facing load balancer's group may admit the internet.
alb_group = group("alb-public", ingress=[{"protocol": "tcp", "from_port": 443, "to_port": 443,
                                          "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}])
public_alb = aws.lb.LoadBalancer("public-alb", name="public-alb", internal=False, load_balancer_type="application",
                                 security_groups=[alb_group.id], subnets=["subnet-a", "subnet-b"],
                                 drop_invalid_header_fields=True, enable_deletion_protection=True,
                                 access_logs={"enabled": True, "bucket": "policy-tests-lb-logs"}, tags=TAGS)
aws.wafv2.WebAclAssociation("public-alb-waf", resource_arn=public_alb.arn,
                            web_acl_arn="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/0123abcd")


# A load balancer's group that something else puts on its interfaces takes the internet there too: an ECS task a
# rule's target, a schedule or a pipe starts, a spot or other instance or a launch template's (by id or by name), a
# VPC endpoint through an association. Two internet-facing ALBs hold the groups (five groups at most on one).
def shared_albs(name, names, vpc_id=VPC):
    groups = {n: group(n, vpc_id, ingress=[{"protocol": "tcp", "from_port": 443, "to_port": 443,
                                            "cidr_blocks": ["0.0.0.0/0"]}]) for n in names}
    alb = aws.lb.LoadBalancer(name, name=name, internal=False, load_balancer_type="application",
                              security_groups=[g.id for g in groups.values()], subnets=["subnet-a", "subnet-b"],
                              drop_invalid_header_fields=True, enable_deletion_protection=True,
                              access_logs={"enabled": True, "bucket": "policy-tests-lb-logs"}, tags=TAGS)
    aws.wafv2.WebAclAssociation(f"{name}-waf", resource_arn=alb.arn,
                                web_acl_arn="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/0123abcd")
    return groups


shared = {**shared_albs("tasks-alb", ("alb-rule-task", "alb-schedule-task", "alb-pipe-task", "alb-tasks")),
          **shared_albs("hosts-alb", ("alb-spot", "alb-spot-by-name", "alb-instance-by-name", "alb-template-by-name",
                                      "alb-endpoint"))}
TASK = "arn:aws:ecs:us-east-1:123456789012:task-definition/job:1"
CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/shop"
ROLE = "arn:aws:iam::123456789012:role/events-ecs"


def task_network(sg):
    return {"subnets": ["subnet-a"], "security_groups": [sg.id], "assign_public_ip": False}


nightly = aws.cloudwatch.EventRule("nightly", schedule_expression="rate(1 day)", tags=TAGS)
aws.cloudwatch.EventTarget("nightly-task", rule=nightly.name, arn=CLUSTER, role_arn=ROLE, ecs_target={
    "task_definition_arn": TASK, "launch_type": "FARGATE",
    "network_configuration": task_network(shared["alb-rule-task"])})
aws.scheduler.Schedule("hourly-task", flexible_time_window={"mode": "OFF"}, schedule_expression="rate(1 hour)",
                       target={"arn": CLUSTER, "role_arn": ROLE, "ecs_parameters": {
                           "task_definition_arn": TASK, "launch_type": "FARGATE",
                           "network_configuration": task_network(shared["alb-schedule-task"])}})
aws.pipes.Pipe("orders-pipe", role_arn=ROLE, source="arn:aws:sqs:us-east-1:123456789012:orders", target=CLUSTER,
               tags=TAGS, target_parameters={"ecs_task_parameters": {
                   "task_definition_arn": TASK, "launch_type": "FARGATE", "network_configuration": {
                       "aws_vpc_configuration": {"subnets": ["subnet-a"], "assign_public_ip": "DISABLED",
                                                 "security_groups": [shared["alb-pipe-task"].id]}}}})
# Workloads ECS, Batch and CodeBuild run on their groups: an Express service's tasks, the instances of an ECS Managed
# Instances capacity provider, a Batch compute environment's, a CodeBuild project's builds.
workloads = shared_albs("workloads-alb", ("alb-express", "alb-capacity", "alb-batch", "alb-codebuild",
                                          "alb-workloads"))
aws.ecs.ExpressGatewayService("express", service_name="express", cluster="shop", tags=TAGS, execution_role_arn=ROLE,
                              infrastructure_role_arn=ROLE, primary_container={
                                  "image": "nginx@sha256:" + "0" * 64, "container_port": 443},
                              network_configurations=[{"subnets": ["subnet-a", "subnet-b"],
                                                       "security_groups": [workloads["alb-express"].id]}])
aws.ecs.CapacityProvider("managed-instances", name="managed-instances", cluster="shop", tags=TAGS,
                         managed_instances_provider={"infrastructure_role_arn": ROLE, "instance_launch_template": {
                             "ec2_instance_profile_arn": "arn:aws:iam::123456789012:instance-profile/ecs",
                             "network_configuration": {"subnets": ["subnet-a"],
                                                       "security_groups": [workloads["alb-capacity"].id]}}})
aws.batch.ComputeEnvironment("batch-hosts", name="batch-hosts", type="MANAGED", tags=TAGS, compute_resources={
    "type": "FARGATE", "max_vcpus": 4, "subnets": ["subnet-a"], "security_group_ids": [workloads["alb-batch"].id]})
aws.codebuild.Project("builds", name="builds", service_role=ROLE, tags=TAGS, artifacts={"type": "NO_ARTIFACTS"},
                      environment={"compute_type": "BUILD_GENERAL1_SMALL", "image": "aws/codebuild/standard:7.0",
                                   "type": "LINUX_CONTAINER"},
                      source={"type": "NO_SOURCE", "buildspec": "version: 0.2"},
                      vpc_config={"vpc_id": VPC, "subnets": ["subnet-a"],
                                  "security_group_ids": [workloads["alb-codebuild"].id]})
# The region's account defaults: the instances below get IMDSv2 and encrypted volumes (judged in policy_ec2_instances).
aws.ebs.EncryptionByDefault("ebs-default")
aws.ec2.InstanceMetadataDefaults("imds-default", http_tokens="required")
aws.ec2.SpotInstanceRequest("spot", ami="ami-0123456789abcdef0", instance_type="t3.micro", subnet_id="subnet-a",
                            vpc_security_group_ids=[shared["alb-spot"].id], tags=TAGS)
# Those without a subnet run in the default VPC, without the public address its default subnets would give them.
aws.ec2.SpotInstanceRequest("spot-default-vpc", ami="ami-0123456789abcdef0", instance_type="t3.micro",
                            associate_public_ip_address=False, security_groups=["alb-spot-by-name"],
                            tags=TAGS)  # by name, written out
aws.ec2.Instance("bastion", ami="ami-0123456789abcdef0", instance_type="t3.micro", tags=TAGS,
                 associate_public_ip_address=False, security_groups=[shared["alb-instance-by-name"].name],
                 metadata_options={"http_tokens": "required"})
aws.ec2.LaunchTemplate("workers", image_id="ami-0123456789abcdef0", instance_type="t3.micro", tags=TAGS,
                       security_group_names=["alb-template-by-name"], metadata_options={"http_tokens": "required"})
aws.ec2.SecurityGroupAssociation("endpoint-alb-sg", vpc_endpoint_id="vpce-0123456789abcdef0",
                                 security_group_id=shared["alb-endpoint"].id)
# A name names a default VPC's group only: the instance's "alb-in-app-vpc" is not the app VPC's group of that name.
app_vpc = aws.ec2.Vpc("app-vpc", cidr_block="10.1.0.0/16", tags=TAGS)
shared_albs("app-vpc-alb", ("alb-in-app-vpc",), vpc_id=app_vpc.id)
aws.ec2.Instance("default-vpc-host", ami="ami-0123456789abcdef0", instance_type="t3.micro", tags=TAGS,
                 associate_public_ip_address=False, security_groups=["alb-in-app-vpc"],
                 metadata_options={"http_tokens": "required"})

# Inline rules: a workload open to the world, sending everything everywhere.
group("open-workload",
      ingress=[{"protocol": "tcp", "from_port": 8080, "to_port": 8080, "cidr_blocks": ["0.0.0.0/0"]}],
      egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}])

# Standalone rules on a workload group an ECS service uses.
orders = group("orders")
ingress("orders-from-alb", orders, 8080, referenced_security_group_id=alb_group.id)
ingress("orders-from-anywhere-v6", orders, 8080, cidr_ipv6="::/0")
ingress("orders-from-vpc-cidr", orders, 8080, cidr_ipv4="10.0.0.0/16")
egress("orders-to-internet", orders, 443, cidr_ipv4="0.0.0.0/0")
aws.ecs.Service("orders-service", name="orders", cluster="shop", desired_count=1, launch_type="FARGATE",
                task_definition="arn:aws:ecs:us-east-1:123456789012:task-definition/orders:1",
                deployment_circuit_breaker={"enable": True, "rollback": True}, tags=TAGS,
                network_configuration={"subnets": ["subnet-a"], "security_groups": [orders.id],
                                       "assign_public_ip": False})
# A task a rule's target starts on the workload's own group leaves the load balancer's (alb-tasks) alone.
aws.cloudwatch.EventTarget("nightly-orders", rule=nightly.name, arn=CLUSTER, role_arn=ROLE, ecs_target={
    "task_definition_arn": TASK, "launch_type": "FARGATE", "network_configuration": task_network(orders)})

# The group the policy config approves for 443 to the internet; the older rule resource opens the rest.
payments = group("payments")
egress("payments-to-provider", payments, 443, cidr_ipv4="0.0.0.0/0")
egress("payments-to-orders", payments, 8080, referenced_security_group_id=orders.id)
aws.ec2.SecurityGroupRule("payments-all-egress", type="egress", security_group_id=payments.id, protocol="tcp",
                          from_port=0, to_port=65535, cidr_blocks=["0.0.0.0/0"])
aws.ec2.SecurityGroupRule("payments-ssh", type="ingress", security_group_id=payments.id, protocol="tcp",
                          from_port=22, to_port=22, cidr_blocks=["0.0.0.0/0"])

# The whole address space, written otherwise: two halves, and IPv6's zero block spelled out.
split = group("split-halves", egress=[{"protocol": "-1", "from_port": 0, "to_port": 0,
                                       "cidr_blocks": ["0.0.0.0/1", "128.0.0.0/1"]}])
egress("split-v6-anywhere", split, 5432, cidr_ipv6="::0/0")
ingress("split-ssh-v6", split, 22, cidr_ipv6="0::0/0")
# Large blocks that stop short of the internet pass.
group("private-blocks", egress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432,
                                 "cidr_blocks": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}])
# The halves in rules of their own (the vpc rule resources take one CIDR each) or in two blocks add up the same, on
# the ports they share: SSH in one rule and every tcp port in another admit SSH from everywhere (both rules are parts
# of it). Halves on different ports do not, nor does a private block beside rules that are whole without it.
apart = group("halves-apart")
for name, cidr in (("halves-lo", "0.0.0.0/1"), ("halves-hi", "128.0.0.0/1")):
    egress(name, apart, 5432, cidr_ipv4=cidr)
group("halves-inline", egress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": [cidr]}
                               for cidr in ("0.0.0.0/1", "128.0.0.0/1")])
aws.ec2.SecurityGroupRule("halves-every-port", type="ingress", security_group_id=apart.id, protocol="tcp",
                          from_port=0, to_port=65535, cidr_blocks=["0.0.0.0/1"])
ingress("halves-ssh", apart, 22, cidr_ipv4="128.0.0.0/1")
# Ranges that only overlap: SSH and the rest of 22-1023 from everywhere.
overlap = group("halves-overlap")
aws.ec2.SecurityGroupRule("overlap-low-ports", type="ingress", security_group_id=overlap.id, protocol="tcp",
                          from_port=0, to_port=1023, cidr_blocks=["0.0.0.0/1"])
aws.ec2.SecurityGroupRule("overlap-web-ports", type="ingress", security_group_id=overlap.id, protocol="tcp",
                          from_port=22, to_port=8080, cidr_blocks=["128.0.0.0/1"])
ports_apart = group("halves-on-other-ports")
egress("halves-5432", ports_apart, 5432, cidr_ipv4="0.0.0.0/1")
egress("halves-6379", ports_apart, 6379, cidr_ipv4="128.0.0.0/1")
egress("payments-to-vpc", payments, 443, cidr_ipv4="10.0.0.0/8")

# Managed prefix lists stand for the CIDRs the stack puts in them, inline or as entry resources.
def prefix_list(name, entries=()):
    return aws.ec2.ManagedPrefixList(name, name=name, address_family="IPv4", max_entries=5, tags=TAGS,
                                     entries=[{"cidr": cidr} for cidr in entries] or None)


everyone_inline = prefix_list("everyone-inline", ["0.0.0.0/0"])
everyone_entry = prefix_list("everyone-entry")
aws.ec2.ManagedPrefixListEntry("everyone-entry-cidr", prefix_list_id=everyone_entry.id, cidr="0.0.0.0/0")
office = prefix_list("office")
aws.ec2.ManagedPrefixListEntry("office-cidr", prefix_list_id=office.id, cidr="203.0.113.0/24")
listed = group("listed", egress=[{"protocol": "-1", "from_port": 0, "to_port": 0,
                                  "prefix_list_ids": [everyone_inline.id]}])
ingress("listed-ssh", listed, 22, prefix_list_id=everyone_entry.id)
ingress("listed-office", listed, 22, prefix_list_id=office.id)


# Network ACLs: SSH and RDP open to the internet (inline, on the adopted default ACL, and as a rule resource), and
# ACLs that deny them first, admit only an office, or open them outbound only.
def acl_entry(rule_no, action, protocol, ports, cidr):
    source = {"ipv6_cidr_block": cidr} if ":" in cidr else {"cidr_block": cidr}
    return {"rule_no": rule_no, "action": action, "protocol": protocol, "from_port": ports[0], "to_port": ports[1],
            **source}


aws.ec2.NetworkAcl("open-acl", vpc_id=VPC, tags=TAGS, ingress=[
    acl_entry(100, "allow", "tcp", (22, 22), "0.0.0.0/0"), acl_entry(110, "allow", "tcp", (443, 443), "0.0.0.0/0"),
    acl_entry(120, "allow", "-1", (0, 0), "::/0")])
aws.ec2.DefaultNetworkAcl("default-acl", default_network_acl_id="acl-0123456789abcdef0", tags=TAGS,
                          ingress=[acl_entry(100, "allow", "-1", (0, 0), "0.0.0.0/0")])
# Everything but the administration ports, which lower-numbered entries deny from everywhere.
aws.ec2.NetworkAcl("guarded-acl", vpc_id=VPC, tags=TAGS, ingress=[
    acl_entry(10, "deny", "6", (22, 3389), "0.0.0.0/0"), acl_entry(11, "deny", "17", (22, 3389), "0.0.0.0/0"),
    acl_entry(100, "allow", "-1", (0, 0), "0.0.0.0/0")],
    egress=[acl_entry(100, "allow", "-1", (0, 0), "0.0.0.0/0")])
rules_acl = aws.ec2.NetworkAcl("rules-acl", vpc_id=VPC, tags=TAGS)


def acl_rule(name, rule_number, ports, cidr, egress=False):
    return aws.ec2.NetworkAclRule(name, network_acl_id=rules_acl.id, rule_number=rule_number, egress=egress,
                                  protocol="tcp", rule_action="allow", from_port=ports[0], to_port=ports[1],
                                  cidr_block=cidr)


acl_rule("rdp-from-anywhere", 100, (3380, 3390), "0.0.0.0/0")
acl_rule("ssh-from-office", 110, (22, 22), "203.0.113.0/24")
acl_rule("ssh-out", 100, (22, 22), "0.0.0.0/0", egress=True)
# Rules on a VPC's own default ACL, by its defaultNetworkAclId: the denies of another ACL of the VPC do not guard it,
# its own do.
aws.ec2.NetworkAcl("app-guard-acl", vpc_id=app_vpc.id, tags=TAGS, ingress=[
    acl_entry(10, "deny", "-1", (0, 0), "0.0.0.0/0")])
for name, number, action, port in (("default-acl-ssh", 100, "allow", 22), ("default-acl-rdp-deny", 10, "deny", 3389),
                                   ("default-acl-rdp", 110, "allow", 3389)):
    aws.ec2.NetworkAclRule(name, network_acl_id=app_vpc.default_network_acl_id, rule_number=number, egress=False,
                           protocol="tcp", rule_action=action, from_port=port, to_port=port, cidr_block="0.0.0.0/0")
