"""Raw ECS Service Connect: services without TLS, logs, aliases or timeouts, in no namespace (a public one will do),
serving ports their task definitions do not name, still wired to App Mesh; Private CAs ECS cannot use; task
roles that can read Service Connect's private keys, and one ECS may assume for any account's tasks. Plus a correct
service of each kind."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
EXECUTION_ROLE = "arn:aws:iam::123456789012:role/execution"
LOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "/test", "awslogs-region": "us-east-1",
                                             "awslogs-stream-prefix": "test"}}
ENVOY_IMAGE = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod"
SC_SECRETS = "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"
ACCOUNT, SOURCE_ARN = "123456789012", "arn:aws:ecs:us-east-1:123456789012:*"


# Every app container checks itself (ecs-service-container-health-check: no load balancer checks these).
HEALTH = {"command": ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"], "interval": 30,
          "timeout": 5, "retries": 3}


def container(name, **overrides):
    base = {"name": name, "image": f"111122223333.dkr.ecr.us-east-1.amazonaws.com/{name}:1.0.0", "essential": True,
            "user": "1000", "readonlyRootFilesystem": True, "memory": 256, "logConfiguration": LOGS,
            "healthCheck": HEALTH}
    return {**base, **overrides}


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def ecs_tasks_trust(condition=None, service="ecs-tasks.amazonaws.com"):
    """ECS tasks' trust; by default only for this account's tasks, as AWS recommends (confused deputy)."""
    if condition is None:
        condition = {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": SOURCE_ARN}}
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return policy({**statement, "Condition": condition} if condition else statement)


def task_role(name, *statements, trust=None):
    inline = [{"name": "app", "policy": policy(*statements)}] if statements else []
    return aws.iam.Role(name, name=name, assume_role_policy=trust or ecs_tasks_trust(), inline_policies=inline,
                        tags=TAGS)


def task(name, port_mappings, role, extra=(), app=None, **args):
    definitions = [container("app", portMappings=port_mappings, **(app or {})), *extra]
    return aws.ecs.TaskDefinition(name, family=name, network_mode="awsvpc", cpu="512", memory="1024",
                                  requires_compatibilities=["FARGATE"], execution_role_arn=EXECUTION_ROLE,
                                  task_role_arn=role.arn, container_definitions=json.dumps(definitions), tags=TAGS,
                                  **args)


# --- namespaces, clusters, the CA and the TLS role -----------------------------------------------------
namespace = aws.servicediscovery.HttpNamespace("sc-namespace", name="shop.internal", tags=TAGS)
public_namespace = aws.servicediscovery.PublicDnsNamespace("public-namespace", name="shop.example.com", tags=TAGS)
cluster = aws.ecs.Cluster("sc-cluster", name="sc", tags=TAGS, service_connect_defaults={"namespace": namespace.arn},
                          settings=[{"name": "containerInsights", "value": "enabled"}])
bare_cluster = aws.ecs.Cluster("bare-cluster", name="bare", tags=TAGS,
                               settings=[{"name": "containerInsights", "value": "enabled"}])
key = aws.kms.Key("sc-key", description="Service Connect TLS keys", enable_key_rotation=True, tags=TAGS)
tls_role = aws.iam.Role("sc-tls-role", name="sc-tls", tags=TAGS, assume_role_policy=policy(
    {"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}))
CA_CONFIG = {"key_algorithm": "EC_prime256v1", "signing_algorithm": "SHA256WITHECDSA",
             "subject": {"common_name": "shop.internal"}}
ca = aws.acmpca.CertificateAuthority("sc-ca", type="ROOT", usage_mode="SHORT_LIVED_CERTIFICATE",
                                     certificate_authority_configuration=CA_CONFIG,
                                     tags={**TAGS, "AmazonECSManaged": "true"})
untagged_ca = aws.acmpca.CertificateAuthority("untagged-ca", type="ROOT", certificate_authority_configuration=CA_CONFIG,
                                              tags=TAGS)
# Tagged with the key in another case, which IAM's aws:ResourceTag matches (its value's case counts): the first one
# a service issues from, the second one tagged for Service Connect with the value in the wrong case.
lower_key_ca = aws.acmpca.CertificateAuthority("lower-key-ca", type="ROOT", usage_mode="SHORT_LIVED_CERTIFICATE",
                                               certificate_authority_configuration=CA_CONFIG,
                                               tags={**TAGS, "amazonecsmanaged": "true"})
aws.acmpca.CertificateAuthority("lower-key-wrong-ca", type="ROOT", usage_mode="SHORT_LIVED_CERTIFICATE",
                                certificate_authority_configuration=CA_CONFIG,
                                tags={**TAGS, "amazonecsmanaged": "True"})
# A CA nothing in Service Connect uses: neither rule applies to it.
aws.acmpca.CertificateAuthority("general-ca", type="ROOT", certificate_authority_configuration=CA_CONFIG, tags=TAGS)

# --- task roles ------------------------------------------------------------------------------------------
good_role = task_role("good-task-role",
                      {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                       "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-*"},
                      {"Sid": "NoServiceConnectKeys", "Effect": "Deny", "Action": "secretsmanager:GetSecretValue",
                       "Resource": SC_SECRETS})
broad_role = task_role("broad-task-role", {"Sid": "ReadAll", "Effect": "Allow",
                                           "Action": "secretsmanager:Get*", "Resource": "*"})
managed_role = task_role("managed-task-role")
aws.iam.RolePolicyAttachment("managed-task-role-secrets", role=managed_role.name,
                             policy_arn="arn:aws:iam::aws:policy/SecretsManagerReadWrite")
# ECS's own policy for the Service Connect TLS role (it rotates the ecs-sc! secrets), given to a task role.
tls_policy_role = task_role("tls-policy-task-role")
aws.iam.RolePolicyAttachment("tls-policy-task-role-tls", role=tls_policy_role.name, policy_arn=(
    "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity"))
# Every secret of the account the role is in (aws:ResourceAccount written out), ECS's keys among them; and of another.
own_account_role = task_role("own-account-task-role", {"Sid": "OwnAccount", "Effect": "Allow",
                                                       "Action": "secretsmanager:GetSecretValue", "Resource": "*",
                                                       "Condition": {"StringEquals": {"aws:ResourceAccount": ACCOUNT}}})
other_account_role = task_role("other-account-task-role", {
    "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
    "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}}})
# Allowed iam:PutRolePolicy on itself, the Deny of the keys in an attached policy: the role may write itself
# iam:DetachRolePolicy and take that policy off; and if the policy also denies every way to take it off, write itself
# iam:CreateRole and sts:AssumeRole and read the keys as a role of its own, which the Deny does not bind.
NO_SC_KEYS = {"Effect": "Deny", "Action": "secretsmanager:GetSecretValue", "Resource": SC_SECRETS}


def self_granting_role(name, *guard_statements):
    role = task_role(name, {"Sid": "SelfGrant", "Effect": "Allow", "Action": "iam:PutRolePolicy",
                            "Resource": f"arn:aws:iam::*:role/{name}"})
    guard = aws.iam.Policy(f"{name}-guard", name=f"{name}-guard", policy=policy(NO_SC_KEYS, *guard_statements),
                           tags=TAGS)
    aws.iam.RolePolicyAttachment(f"{name}-guard", role=role.name, policy_arn=guard.arn)
    return role


self_granting = self_granting_role("self-granting-task-role")
locked = self_granting_role("locked-task-role", {"Effect": "Deny", "Resource": "*",
                                                 "Action": ["iam:DetachRolePolicy", "iam:CreatePolicyVersion"]})
# Not a task role: what it may read is not this rule's business.
task_role("pipeline-role", {"Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"})
# Trusts for ECS tasks: an execution role's, checked only when ECS sends the keys (IfExists), and one that lets ECS
# assume the role for any account's tasks (the service given as a list beside another).
task_role("execution-trust-role", trust=ecs_tasks_trust({"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT},
                                                         "ArnLikeIfExists": {"aws:SourceArn": SOURCE_ARN}}))
task_role("open-trust-role", trust=ecs_tasks_trust({}, service=["ecs.amazonaws.com", "ecs-tasks.amazonaws.com"]))
# Trusts for tasks of one organization's OU (aws:SourceOrgPaths, multivalued), and of any organization's OU of that id.
ORG_PATH = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"
task_role("org-path-trust-role", trust=ecs_tasks_trust({"ForAnyValue:StringLike": {"aws:SourceOrgPaths": ORG_PATH}}))
task_role("any-org-path-trust-role", trust=ecs_tasks_trust(
    {"ForAnyValue:StringLike": {"aws:SourceOrgPaths": "o-*/r-ab12/ou-ab12-11111111/*"}}))

# --- task definitions --------------------------------------------------------------------------------------
HTTP = [{"name": "http", "containerPort": 8080, "appProtocol": "http"}]
good_task = task("good-sc-task", HTTP, good_role)
api_task = task("api-task", [{"name": "api", "containerPort": 9000, "appProtocol": "http"}], broad_role)
ENVOY = container("envoy", image=ENVOY_IMAGE, user="1337", portMappings=[],
                  healthCheck={"command": ["CMD-SHELL", "curl -s http://localhost:9901/ready"], "retries": 3},
                  environment=[{"name": "APPMESH_RESOURCE_ARN",
                                "value": "arn:aws:appmesh:us-east-1:123456789012:mesh/shop/virtualNode/orders"}])
task("own-account-task", HTTP, own_account_role)
task("other-account-task", HTTP, other_account_role)
task("self-granting-task", HTTP, self_granting)
task("locked-task", HTTP, locked)
mesh_task = task("mesh-task", HTTP, managed_role, extra=[ENVOY],
                 app={"dependsOn": [{"containerName": "envoy", "condition": "HEALTHY"}]}, proxy_configuration={
    "type": "APPMESH", "container_name": "envoy",
    "properties": {"IgnoredUID": "1337", "ProxyIngressPort": "15000", "ProxyEgressPort": "15001", "AppPorts": "8080",
                   "EgressIgnoredIPs": "169.254.170.2,169.254.169.254"}})

# --- services ------------------------------------------------------------------------------------------------
TLS = {"issuer_cert_authority": {"aws_pca_authority_arn": ca.arn}, "role_arn": tls_role.arn, "kms_key": key.arn}
ACCESS_LOGS = {"format": "JSON", "include_query_parameters": "DISABLED"}


def endpoint(port_name="http", **overrides):
    entry = {"port_name": port_name, "discovery_name": port_name, "tls": TLS,
             "client_alias": [{"port": 8080, "dns_name": f"{port_name}.shop.internal"}],
             "timeout": {"per_request_timeout_seconds": 15, "idle_timeout_seconds": 300}}
    entry.update(overrides)
    return {k: v for k, v in entry.items() if v is not None}


def connect(services, **overrides):
    config = {"enabled": True, "namespace": namespace.arn, "log_configuration": {"log_driver": "awslogs", "options": {
        "awslogs-group": "/test/sc", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "proxy"}},
        "access_log_configuration": ACCESS_LOGS, "services": services}
    config.update(overrides)
    return {k: v for k, v in config.items() if v is not None}


def service(name, task_definition, sc, target_cluster=cluster, target_groups=()):
    """`target_groups`: (target group, container port) pairs the service registers its tasks in."""
    balanced = {"load_balancers": [{"target_group_arn": group.arn, "container_name": "app", "container_port": port}
                                   for group, port in target_groups]} if target_groups else {}
    return aws.ecs.Service(name, name=name, cluster=target_cluster.arn, task_definition=task_definition.arn,
                           desired_count=1, launch_type="FARGATE", tags=TAGS, service_connect_configuration=sc,
                           network_configuration={"subnets": ["subnet-a"], "assign_public_ip": False,
                                                  "security_groups": ["sg-0123456789abcdef0"]},
                           deployment_circuit_breaker={"enable": True, "rollback": True}, **balanced)


# --- load balancers in front of Service Connect TLS ports (8080, the 'http' mapping) -----------------------------
alb = aws.lb.LoadBalancer("sc-alb", name="sc-alb", internal=True, load_balancer_type="application", tags=TAGS,
                          security_groups=["sg-alb"], subnets=["subnet-a", "subnet-b"], drop_invalid_header_fields=True,
                          enable_deletion_protection=True,
                          access_logs={"enabled": True, "bucket": "policy-tests-lb-logs", "prefix": "sc"})
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b3c2a4e-1111-2222-3333-444455556666"
HTTPS_CHECK = {"protocol": "HTTPS", "path": "/health", "matcher": "200-399"}


def target_group(name, protocol="HTTPS", health_check=HTTPS_CHECK, port=8080):
    extra = {"health_check": health_check} if health_check is not None else {}
    return aws.lb.TargetGroup(name, name=name, target_type="ip", protocol=protocol, port=port, vpc_id="vpc-1",
                              tags=TAGS, **extra)


def listener(name, port, ssl_policy, target=None, protocol="HTTPS", balancer=alb):
    actions = [{"type": "forward", "target_group_arn": target.arn}] if target is not None else [
        {"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "status_code": "404"}}]
    return aws.lb.Listener(name, load_balancer_arn=balancer.arn, protocol=protocol, port=port,
                           certificate_arn=CERTIFICATE, ssl_policy=ssl_policy, default_actions=actions, tags=TAGS)


TLS13, TLS12 = "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS-1-2-2017-01"
groups = {
    "tls13": target_group("tls13-targets"),
    "tls12": target_group("tls12-targets"),
    "tls12-default": target_group("tls12-default-targets"),
    "plain": target_group("plain-targets", protocol="HTTP", health_check={"protocol": "HTTP", "path": "/health"}),
    "unchecked": target_group("unchecked-targets", health_check=None),
    # The provider takes a health check's protocol in any case.
    "http-check": target_group("http-check-targets", health_check={"protocol": "http", "path": "/health"}),
    # Checks a port of its own (the app's, bypassing the proxy) over HTTP: not a TLS port.
    "own-port": target_group("own-port-targets", health_check={"protocol": "HTTP", "port": "9090"}),
}
listener("tls13-listener", 443, TLS13, groups["tls13"])
# A TLS 1.2 floor (elb-listener-tls-policy accepts it), forwarding through a rule, and by default (its protocol in
# lower case, as the provider takes it): ELB then speaks TLS 1.2 to targets.
tls12 = listener("tls12-listener", 8443, TLS12)
aws.lb.ListenerRule("tls12-rule", listener_arn=tls12.arn, priority=10, tags=TAGS,
                    conditions=[{"path_pattern": {"values": ["/api/*"]}}],
                    actions=[{"type": "forward", "forward": {"target_groups": [{"arn": groups["tls12"].arn}]}}])
listener("tls12-default-listener", 8444, TLS12, groups["tls12-default"], protocol="https")

# An NLB: a TLS listener ends TLS in front of a TCP group; TLS groups whose health checks are HTTP (the provider's
# default when the block leaves the protocol out) or TCP; and TCP passed through to the proxy.
nlb = aws.lb.LoadBalancer("sc-nlb", name="sc-nlb", internal=True, load_balancer_type="network", tags=TAGS,
                          subnets=["subnet-a", "subnet-b"], enable_deletion_protection=True,
                          access_logs={"enabled": True, "bucket": "policy-tests-lb-logs", "prefix": "sc-nlb"})
groups.update({
    "nlb-tcp": target_group("nlb-tcp-targets", protocol="TCP", health_check={"protocol": "TCP"}),
    "nlb-path-check": target_group("nlb-path-check-targets", protocol="TLS", health_check={"path": "/health"}),
    "nlb-tls": target_group("nlb-tls-targets", protocol="TLS", health_check={"protocol": "TCP"}),
    "nlb-passthrough": target_group("nlb-passthrough-targets", protocol="TCP", health_check={"protocol": "TCP"}),
    # TCP passed through, but checked over HTTP (plaintext to a TLS port), or with no block (the API's TCP).
    "nlb-passthrough-http-check": target_group("nlb-passthrough-http-check-targets", protocol="TCP",
                                               health_check={"protocol": "HTTP", "path": "/health"}),
    "nlb-passthrough-unchecked": target_group("nlb-passthrough-unchecked-targets", protocol="TCP", health_check=None),
})
for name, port, protocol in (("nlb-tcp", 9443, "TLS"), ("nlb-path-check", 9444, "TLS"), ("nlb-tls", 9445, "TLS")):
    listener(f"{name}-listener", port, TLS13, groups[name], protocol=protocol, balancer=nlb)
aws.lb.Listener("nlb-passthrough-listener", load_balancer_arn=nlb.arn, protocol="TCP", port=9446, tags=TAGS,
                default_actions=[{"type": "forward", "target_group_arn": groups["nlb-passthrough"].arn}])
for name, port in (("nlb-passthrough-http-check", 9447), ("nlb-passthrough-unchecked", 9448)):
    aws.lb.Listener(f"{name}-listener", load_balancer_arn=nlb.arn, protocol="TCP", port=port, tags=TAGS,
                    default_actions=[{"type": "forward", "target_group_arn": groups[name].arn}])

service("good-sc-service", good_task, connect([endpoint()]), target_groups=[(groups["tls13"], 8080)])
for name, group in groups.items():
    if name != "tls13":
        service(f"{name}-sc-service", good_task, connect([endpoint()]), target_groups=[(group, 8080)])
service("lower-key-sc-service", good_task,
        connect([endpoint(tls={**TLS, "issuer_cert_authority": {"aws_pca_authority_arn": lower_key_ca.arn}})]))
# The proxy listens on 15000 instead, so the load balancer's HTTP reaches the app on 8080 directly.
bypass_targets = target_group("bypass-targets", protocol="HTTP", health_check={"protocol": "HTTP", "path": "/health"})
service("bypass-sc-service", good_task, connect([endpoint(ingress_port_override=15000)]),
        target_groups=[(bypass_targets, 8080)])
# Two TLS ports, each in a group of its own: only the plain one on 8443 is wrong (a first preview, its ARNs unknown,
# cannot tell which entry names which group, and judges neither).
two_port_task = task("two-port-task", [*HTTP, {"name": "admin", "containerPort": 8443, "appProtocol": "http"}],
                     good_role)
service("two-port-sc-service", two_port_task, connect([endpoint(), endpoint("admin")]), target_groups=[
    (target_group("two-port-targets"), 8080),
    (target_group("two-port-plain-targets", protocol="HTTP", port=8443,
                  health_check={"protocol": "HTTP", "path": "/health"}), 8443)])
# No namespace of its own: the cluster's serviceConnectDefaults provide one.
service("defaults-sc-service", good_task, connect([endpoint()], namespace=None))
service("plaintext-service", api_task, connect([endpoint("web", tls=None, client_alias=None, timeout=None)],
                                               namespace=public_namespace.arn, log_configuration=None,
                                               access_log_configuration=None))
service("leaky-service", api_task, connect(
    [endpoint("api", tls={"issuer_cert_authority": {"aws_pca_authority_arn": untagged_ca.arn},
                          "kms_key": "alias/aws/secretsmanager"},
              client_alias=[{"dns_name": "api.shop.internal"}],
              timeout={"per_request_timeout_seconds": 120, "idle_timeout_seconds": 0})],
    namespace=None, access_log_configuration={"format": "TEXT", "include_query_parameters": "ENABLED"}),
    target_cluster=bare_cluster)
service("mesh-sc-service", mesh_task, connect([endpoint()]))
# No timeout on its HTTP port: ECS's defaults, 15 s per request and 300 s idle, are within the default bounds.
service("default-timeout-sc-service", good_task, connect([endpoint(timeout=None)]))
# Server-sent events: no per-request timeout (0), which only a service named in streamingServices may have.
service("streaming-sc-service", good_task, connect([endpoint(
    timeout={"per_request_timeout_seconds": 0, "idle_timeout_seconds": 300})]))
service("tls-policy-sc-service", task("tls-policy-task", HTTP, tls_policy_role), connect([endpoint()]))
# A namespace by name, as ECS takes it too: the public one.
service("named-public-service", good_task, connect([endpoint()], namespace="shop.example.com"))
