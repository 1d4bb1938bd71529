"""Raw ECS task definitions, services and clusters: privileged/root containers, secrets in the environment,
Service Connect's TLS key injected as a secret, host namespaces, miswired Envoy sidecars, public IPs, old Fargate platforms; plus correct ones, and a task
whose container definitions are only known after the update. And the EventBridge rules, schedules and pipes that
start tasks: public IPs and secrets in their container overrides."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/task"
LOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "/test", "awslogs-region": "us-east-1",
                                             "awslogs-stream-prefix": "test"}}
NODE_ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/shop/virtualNode/orders-v1"
ENVOY_IMAGE = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod"
DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf"
HEALTH = {"command": ["CMD-SHELL", "curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"],
          "startPeriod": 10, "interval": 5, "timeout": 2, "retries": 3}
PROXY_PROPERTIES = {"IgnoredUID": "1337", "ProxyIngressPort": "15000", "ProxyEgressPort": "15001",
                    "AppPorts": "8000", "EgressIgnoredIPs": "169.254.170.2,169.254.169.254"}


def container(name, **overrides):
    """A container that passes every rule unless `overrides` says otherwise (None removes a key)."""
    base = {"name": name, "image": f"111122223333.dkr.ecr.us-east-1.amazonaws.com/{name}:1.0.0", "essential": True,
            "user": "1000", "readonlyRootFilesystem": True, "memory": 256, "logConfiguration": LOGS}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def envoy(**overrides):
    settings = {"image": ENVOY_IMAGE, "user": "1337", "healthCheck": HEALTH,
                "environment": [{"name": "APPMESH_RESOURCE_ARN", "value": NODE_ARN}]}
    return container("envoy", **{**settings, **overrides})


def app(**overrides):
    return container("app", **{"dependsOn": [{"containerName": "envoy", "condition": "HEALTHY"}], **overrides})


def task(name, containers, network_mode="awsvpc", proxy=None, **extra):
    definitions = containers if isinstance(containers, pulumi.Output) else json.dumps(containers)
    return aws.ecs.TaskDefinition(name, family=name, network_mode=network_mode, cpu="512", memory="1024",
                                  requires_compatibilities=["FARGATE"], execution_role_arn=ROLE, tags=TAGS,
                                  proxy_configuration=proxy, container_definitions=definitions, **extra)


# --- task definition hardening -------------------------------------------------------------------
task("hardening-task", [
    container("web", image="nginx", privileged=True, user="root", readonlyRootFilesystem=False,
              logConfiguration=None, memory=None,
              environment=[{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "LOG_LEVEL", "value": "info"}]),
    container("worker", image="111122223333.dkr.ecr.us-east-1.amazonaws.com/worker:latest", user="0:0",
              environment=[{"name": "AWS_SECRET_ACCESS_KEY", "value": "abc"}]),
    container("sidecar", user=None),
# An EFS volume mounted in plain NFS (ECS's default), and a scratch volume, which has no transit to encrypt.
], volumes=[{"name": "shared", "efs_volume_configuration": {"file_system_id": "fs-0123456789abcdef0"}},
            {"name": "scratch"}])
# Isolation undone one piece at a time, in an otherwise hardened task: capabilities beyond the baseline (beside one
# inside it), a host device, seccomp off, and the Docker socket; a host log directory is fine.
task("escape-task", [container("agent", linuxParameters={
    "capabilities": {"add": ["NET_BIND_SERVICE", "SYS_ADMIN", "CAP_SYS_PTRACE"]},
    "devices": [{"hostPath": "/dev/mem"}]}, dockerSecurityOptions=["seccomp=unconfined", "no-new-privileges"],
    mountPoints=[{"sourceVolume": "docker", "containerPath": "/var/run/docker.sock"},
                 {"sourceVolume": "logs", "containerPath": "/logs"}])],
    volumes=[{"name": "docker", "host_path": "/var/run/docker.sock"}, {"name": "logs", "host_path": "/var/log/agent"}])
# The provider decodes container definitions ignoring key case (Go's encoding/json), as CloudFormation writes them.
def pascal(value):
    """`value` with each ECS member name in PascalCase (log driver options and labels are data, left as written)."""
    if isinstance(value, list):
        return [pascal(v) for v in value]
    if not isinstance(value, dict):
        return value
    return {k[0].upper() + k[1:]: (v if k in ("options", "dockerLabels") else pascal(v)) for k, v in value.items()}


task("pascal-task", pascal([container("legacy", privileged=True, environment=[{"name": "DB_PASSWORD", "value": "x"}],
                                      secrets=[{"name": "TLS_KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:"
                                                "123456789012:secret:ecs-sc!orders-AbCdEf"}])]))
task("pascal-good-task", pascal([container("ported")]))
# The awslogs driver makes its own group at first write.
task("self-logging-task", [container("chatty", logConfiguration={
    "logDriver": "awslogs", "options": {**LOGS["options"], "awslogs-create-group": "true"}})])
# So does FireLens's CloudWatch output with auto_create_group (in any case); not with it off, nor another output's.
FLUENT_BIT = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"
LOG_ROUTER = container("log_router", image=FLUENT_BIT, firelensConfiguration={"type": "fluentbit"})


def firelens(name, **options):
    return container(name, logConfiguration={"logDriver": "awsfirelens", "options": {
        "region": "us-east-1", "log_group_name": f"/test/{name}", "log_stream_prefix": name, **options}})


task("firelens-self-logging-task", [LOG_ROUTER, firelens("app", Name="cloudwatch_logs", auto_create_group="True")])
task("firelens-declared-task", [LOG_ROUTER, firelens("app", Name="cloudwatch_logs", auto_create_group="false"),
                                firelens("audit", Name="kinesis_firehose", delivery_stream="audit",
                                         auto_create_group="true")])
task("host-task", [container("agent")], network_mode="host", pid_mode="host", ipc_mode="host")
task("bridge-task", [container("legacy")], network_mode=None)
# Key material by name (the precise default patterns), next to keys that are not secrets (good-task).
task("keys-task", [container("signer", environment=[
    {"name": n, "value": "x"} for n in ("JWT_SIGNING_KEY", "DATA_ENCRYPTION_KEY", "WEBHOOK_HMAC_KEY",
                                         "TLS_PRIVATE_KEY_PEM")])])
APP_HEALTH = {"command": ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"], "interval": 30,
              "timeout": 5, "retries": 3}
good_task = task("good-task", [container("api", healthCheck=APP_HEALTH, environment=[
    {"name": n, "value": "1"} for n in ("TOKEN_TTL_SECONDS", "S3_KEY_PREFIX", "CACHE_KEY_TTL", "KMS_ENCRYPTION_KEY_ARN",
                                         "DB_SECRET_ARN", "SIGNING_KEY_ID")],
                                         secrets=[{"name": "API_KEY", "valueFrom": "arn:aws:ssm:us-east-1:1:parameter/k"},
                                                  {"name": "DB_URL", "valueFrom": DB_SECRET}])],
                 volumes=[{"name": "shared", "efs_volume_configuration": {
                     "file_system_id": "fs-0123456789abcdef0", "transit_encryption": "ENABLED",
                     "authorization_config": {"iam": "ENABLED"}}}])
# A daemon's task definition (one task per ECS Managed Instance) writes its containers as the provider's blocks, in
# the provider's names (`environments`, `linux_parameters.capabilities.adds`), and its host volumes in `host`.
DAEMON_LOGS = {"log_driver": "awslogs", "options": LOGS["options"]}
aws.ecs.DaemonTaskDefinition("bad-daemon-task", family="bad-daemon", execution_role_arn=ROLE, tags=TAGS,
                             container_definitions=[{
    "name": "agent", "image": "public.ecr.aws/acme/agent:latest", "privileged": True, "user": "root",
    "readonly_root_filesystem": False, "environments": [{"name": "DB_PASSWORD", "value": "hunter2"}],
    "secrets": [{"name": "TLS_KEY", "value_from": "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                                                  "ecs-sc!orders-AbCdEf"}],
    "linux_parameters": {"capabilities": {"adds": ["SYS_ADMIN"]}},
    "mount_points": [{"source_volume": "docker", "container_path": "/var/run/docker.sock"}]}],
    volumes=[{"name": "docker", "hosts": [{"source_path": "/var/run/docker.sock"}]}])
# A log agent reading the host's log directory is fine.
aws.ecs.DaemonTaskDefinition("good-daemon-task", family="good-daemon", execution_role_arn=ROLE, tags=TAGS,
                             container_definitions=[{
    "name": "collector", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/collector:2.1.0", "user": "1000",
    "readonly_root_filesystem": True, "memory": 128, "log_configuration": DAEMON_LOGS,
    "environments": [{"name": "LOG_LEVEL", "value": "info"}], "secrets": [{"name": "DB_URL", "value_from": DB_SECRET}],
    "linux_parameters": {"capabilities": {"adds": ["NET_BIND_SERVICE"], "drops": ["ALL"]}},
    "mount_points": [{"source_volume": "logs", "container_path": "/host/logs", "read_only": True}]}],
    volumes=[{"name": "logs", "hosts": [{"source_path": "/var/log"}]}])
# Service Connect's TLS key (an ecs-sc! secret ECS manages) handed to the application through `secrets`.
task("sc-key-task", [container("app", secrets=[
    {"name": "DB_URL", "valueFrom": DB_SECRET},
    {"name": "TLS_KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-sc!orders-AbCdEf"},
    {"name": "TLS_KEY_JSON", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                                          "ecs-sc!orders-AbCdEf:privateKey::"}])])

# --- App Mesh sidecar wiring ---------------------------------------------------------------------
task("miswired-mesh-task", [
    envoy(image="public.ecr.aws/appmesh/aws-appmesh-envoy:latest", user="1000", essential=False, healthCheck=None,
          environment=[{"name": "APPMESH_VIRTUAL_NODE_NAME", "value": "mesh/shop/virtualNode/orders-v1"}]),
    app(dependsOn=[{"containerName": "envoy", "condition": "START"}]),
    container("xray", image="public.ecr.aws/xray/aws-xray-daemon:3.3.14", user="1337"),
], proxy={"type": "APPMESH", "container_name": "envoy",
          "properties": {"IgnoredUID": "1337", "ProxyIngressPort": "15000", "EgressIgnoredIPs": "169.254.170.2"}})
task("envoyless-mesh-task", [app()], proxy={"container_name": "proxy", "properties": {
    "ProxyIngressPort": "15000", "ProxyEgressPort": "15001", "AppPorts": "8000",
    "EgressIgnoredIPs": "169.254.170.2,169.254.169.254"}})
# A virtual gateway runs Envoy alone (no proxy configuration).
task("gateway-task", [envoy(image="public.ecr.aws/appmesh/aws-appmesh-envoy", environment=[])])
# Envoy leaves `essential` out: ECS defaults it to true.
task("good-mesh-task", [
    envoy(essential=None), app(),
    container("cert-init", essential=False, user="1337"),
], proxy={"type": "APPMESH", "container_name": "envoy", "properties": PROXY_PROPERTIES})
# The container definitions embed another resource's output: unknown in a first preview, privileged once known.
task("later-task", good_task.arn.apply(lambda arn: json.dumps([container("late", privileged=True)])))

# --- services and clusters -----------------------------------------------------------------------
GROUPS = ["sg-0123456789abcdef0"]
NETWORK = {"subnets": ["subnet-a"], "assign_public_ip": False, "security_groups": GROUPS}
BREAKER = {"enable": True, "rollback": True}


def service(name, **args):
    defaults = {"launch_type": "FARGATE", "network_configuration": NETWORK, "deployment_circuit_breaker": BREAKER,
                "enable_execute_command": False, "task_definition": "good-task"}
    defaults.update(args)
    return aws.ecs.Service(name, name=name, cluster="shop", desired_count=1, tags=TAGS,
                           **{k: v for k, v in defaults.items() if v is not None})


service("public-service", network_configuration={"subnets": ["subnet-a"], "assign_public_ip": True,
                                                 "security_groups": GROUPS},
        platform_version="1.3.0", deployment_circuit_breaker=None, enable_execute_command=True)
service("spot-service", launch_type=None, platform_version="1.2.0",
        capacity_provider_strategies=[{"capacity_provider": "FARGATE_SPOT", "weight": 1}],
        deployment_circuit_breaker={"enable": True, "rollback": False})
service("codedeploy-service", deployment_controller={"type": "CODE_DEPLOY"}, deployment_circuit_breaker=None,
        platform_version="LATEST")
service("ec2-service", launch_type="EC2", platform_version=None)
service("good-service", platform_version="1.4.0")
# No security group: ECS puts the VPC's default group on the tasks.
service("default-group-service", network_configuration={"subnets": ["subnet-a"], "assign_public_ip": False})
# No launch type and no strategy: the cluster's default capacity provider strategy decides, maybe Fargate.
service("default-strategy-service", launch_type=None, platform_version="1.3.0")
# Non-rolling strategies roll back on alarms, not on the circuit breaker.
ALARMS = {"alarm_names": ["orders-5xx"], "enable": True, "rollback": True}
service("canary-service", deployment_circuit_breaker=None,
        deployment_configuration={"strategy": "CANARY", "canary_configuration": {"canary_percent": 10.0}})
service("blue-green-service", deployment_circuit_breaker=None, deployment_configuration={"strategy": "BLUE_GREEN"},
        alarms={**ALARMS, "rollback": False})
service("linear-service", deployment_circuit_breaker=None, alarms=ALARMS,
        deployment_configuration={"strategy": "LINEAR", "linear_configuration": {"step_percent": 25.0}})
# Health: a task definition whose only check is the essential Envoy's, run by a service no load balancer checks
# (nothing would replace a hung app) and by one a target group checks.
unchecked_task = task("unchecked-task", [container("app"), envoy()])
service("unchecked-service", task_definition=unchecked_task.arn)
service("balanced-service", task_definition=unchecked_task.arn,
        load_balancers=[{"target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/1",
                         "container_name": "app", "container_port": 8000}])
# Only the sidecars check their health (a FireLens log router, the X-Ray daemon): the app's hang goes unseen. A task of
# an agent alone is its own app, and its check is the task's.
sidecar_checked_task = task("sidecar-checked-task", [
    container("log_router", image=FLUENT_BIT, firelensConfiguration={"type": "fluentbit"}, healthCheck=APP_HEALTH),
    container("xray", image="public.ecr.aws/xray/aws-xray-daemon:3.3.14", healthCheck=APP_HEALTH),
    container("app")])
service("sidecar-checked-service", task_definition=sidecar_checked_task.arn)
CLOUDWATCH_AGENT = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300051.0b992"
agent_task = task("agent-task", [container("agent", image=CLOUDWATCH_AGENT, healthCheck=APP_HEALTH)])
service("agent-service", task_definition=agent_task.arn)

# Cloud Map discovery: peers call a registered service's tasks directly, in plaintext unless a mesh encrypts it.
REGISTRY = {"registry_arn": "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-orders"}
service("registered-service", platform_version="1.4.0", service_registries=REGISTRY)
# (A target group checks these two: Envoy's own health check says nothing of the app.)
CHECKED = [{"target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/1",
            "container_name": "app", "container_port": 8000}]
service("meshed-registered-service", platform_version="1.4.0", service_registries=REGISTRY,
        task_definition="good-mesh-task", load_balancers=CHECKED)
service("gateway-registered-service", platform_version="1.4.0", service_registries=REGISTRY,
        task_definition="gateway-task", load_balancers=CHECKED)

# Task sets (an EXTERNAL deployment controller's tasks) carry the same network and platform settings.
aws.ecs.TaskSet("public-task-set", service="orders", cluster="shop", task_definition="good-task", launch_type="FARGATE",
                platform_version="1.3.0", network_configuration={**NETWORK, "assign_public_ip": True})
aws.ecs.TaskSet("good-task-set", service="orders", cluster="shop", task_definition="good-task", launch_type="FARGATE",
                platform_version="LATEST", network_configuration=NETWORK)
# A task set registers its tasks in Cloud Map as a service does (it takes no Service Connect): from an App Mesh task,
# or from one no mesh encrypts.
aws.ecs.TaskSet("registered-task-set", service="orders", cluster="shop", task_definition="good-task",
                launch_type="FARGATE", network_configuration=NETWORK, service_registries=REGISTRY)
aws.ecs.TaskSet("meshed-registered-task-set", service="orders", cluster="shop", task_definition="good-mesh-task",
                launch_type="FARGATE", network_configuration=NETWORK, service_registries=REGISTRY,
                load_balancers=CHECKED)

aws.ecs.Cluster("dark-cluster", name="dark", tags=TAGS)
aws.ecs.Cluster("disabled-insights-cluster", name="disabled", tags=TAGS,
                settings=[{"name": "containerInsights", "value": "disabled"}])
aws.ecs.Cluster("good-cluster", name="good", tags=TAGS, settings=[{"name": "containerInsights", "value": "enabled"}])

# EC2 capacity providers: one whose Auto Scaling group ECS may scale in under running tasks (termination protection
# left out, so DISABLED), one protected; and one of ECS Managed Instances, which has no group.
GROUP_ARN = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/"
aws.ecs.CapacityProvider("unprotected-capacity", tags=TAGS, auto_scaling_group_provider={
    "auto_scaling_group_arn": GROUP_ARN + "unprotected", "managed_scaling": {"status": "ENABLED"}})
aws.ecs.CapacityProvider("protected-capacity", tags=TAGS, auto_scaling_group_provider={
    "auto_scaling_group_arn": GROUP_ARN + "protected", "managed_scaling": {"status": "ENABLED"},
    "managed_termination_protection": "ENABLED"})

# What else starts tasks (RunTask): an EventBridge rule's target, a Scheduler schedule and a pipe, each with its own
# network configuration and container overrides. A rule's input and a schedule's target input are JSON of the task's
# overrides (of the whole RunTask request for a schedule's universal target); a pipe's overrides are the provider's own
# blocks.
CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/shop"
TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/good-task:1"
LAUNCHER_ROLE = "arn:aws:iam::123456789012:role/launcher"


def overrides(*names, key="environment"):
    return {"containerOverrides": [{"name": "app", key: [{"name": n, "value": "hunter2"} for n in names]}]}


def task_network(public, groups):
    """A launcher's awsvpc network configuration: its tasks' subnet, public IP and security groups (None: none)."""
    return {"subnets": ["subnet-a"], "assign_public_ip": public,
            **({"security_groups": groups} if groups is not None else {})}


def launch(shell, platform, launch_type="FARGATE"):
    """A launcher's RunTask settings in the provider's names: launch type, ECS Exec and platform version."""
    return {"launch_type": launch_type, "enable_execute_command": shell,
            **({"platform_version": platform} if platform else {})}


def rule_target(name, public, env, shell=False, groups=GROUPS, platform=None, **extra):
    rule = aws.cloudwatch.EventRule(f"{name}-rule", schedule_expression="rate(1 day)", tags=TAGS)
    extra.setdefault("input", json.dumps(overrides(*env)))
    return aws.cloudwatch.EventTarget(
        name, rule=rule.name, arn=CLUSTER_ARN, role_arn=LAUNCHER_ROLE,
        ecs_target={"task_definition_arn": TASK_ARN, **launch(shell, platform),
                    "network_configuration": task_network(public, groups)}, **extra)


def schedule(name, public, env, shell=False, groups=GROUPS, platform=None, launch_type="FARGATE"):
    return aws.scheduler.Schedule(name, schedule_expression="rate(1 day)", flexible_time_window={"mode": "OFF"},
                                  target={"arn": CLUSTER_ARN, "role_arn": LAUNCHER_ROLE, "input": json.dumps(env),
                                          "ecs_parameters": {"task_definition_arn": TASK_ARN,
                                                             **launch(shell, platform, launch_type),
                                                             "network_configuration": task_network(public, groups)}})


def pipe(name, public, env, shell=False, groups=GROUPS, platform=None):
    container_overrides = overrides(*env, key="environments")["containerOverrides"]
    return aws.pipes.Pipe(name, role_arn=LAUNCHER_ROLE, source="arn:aws:sqs:us-east-1:123456789012:jobs",
                          target=CLUSTER_ARN, tags=TAGS, target_parameters={"ecs_task_parameters": {
                              "task_definition_arn": TASK_ARN, **launch(shell, platform),
                              "network_configuration": {"aws_vpc_configuration": task_network(public, groups)},
                              "overrides": {"container_overrides": container_overrides}}})


def request_settings(shell, groups, platform, public):
    """A RunTask request's launch type, ECS Exec, platform version and network configuration, in the API's names."""
    network = {"Subnets": ["subnet-a"], "AssignPublicIp": public, **({"SecurityGroups": groups} if groups else {})}
    return {"LaunchType": "FARGATE", "EnableExecuteCommand": shell, "NetworkConfiguration": {
        "AwsvpcConfiguration": network}, **({"PlatformVersion": platform} if platform else {})}


def universal_schedule(name, public, env, shell=False, groups=GROUPS, platform=None):
    """The same RunTask call through Scheduler's universal target: `input` is the request, in the API's names."""
    request = {"Cluster": CLUSTER_ARN, "TaskDefinition": TASK_ARN, **request_settings(shell, groups, platform, public),
               "Overrides": {"ContainerOverrides": [
                   {"Name": "app", "Environment": [{"Name": n, "Value": "hunter2"} for n in env]}]}}
    return aws.scheduler.Schedule(name, schedule_expression="rate(1 day)", flexible_time_window={"mode": "OFF"},
                                  target={"arn": "arn:aws:scheduler:::aws-sdk:ecs:runTask", "role_arn": LAUNCHER_ROLE,
                                          "input": json.dumps(request)})


rule_target("public-rule-task", True, ["DB_PASSWORD", "LOG_LEVEL"])
rule_target("good-rule-task", False, ["LOG_LEVEL", "DB_SECRET_ARN"])
# An input transformer's template carries the overrides too; the rule's target here is no ECS task at all.
rule_target("templated-rule-task", False, [], input=None, input_transformer={
    "input_paths": {"id": "$.id"}, "input_template": json.dumps(overrides("API_TOKEN"))})
# A placeholder out of quotes is valid in a template (EventBridge's InputTransformer), not in JSON.
rule_target("unquoted-template-rule-task", False, [], input=None, input_transformer={
    "input_paths": {"size": "$.detail.size"}, "input_template": (
        '{"containerOverrides": [{"name": "app", "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}, '
        '{"name": "SIZE", "value": <size>}, {"name": "RULE", "value": "<aws.events.rule-arn>"}]}]}')})
rule = aws.cloudwatch.EventRule("lambda-rule", schedule_expression="rate(1 day)", tags=TAGS)
aws.cloudwatch.EventTarget("lambda-rule-target", rule=rule.name, input=json.dumps(overrides("DB_PASSWORD")),
                           arn="arn:aws:lambda:us-east-1:123456789012:function:nightly")
# PascalCase in the input (ECS reads the overrides in any case), under `overrides` as a RunTask request has them.
schedule("public-schedule", True, {"overrides": {"ContainerOverrides": [
    {"Name": "app", "Environment": [{"Name": "AWS_SECRET_ACCESS_KEY", "Value": "hunter2"}]}]}})
schedule("good-schedule", False, overrides("LOG_LEVEL"))
universal_schedule("public-universal-schedule", "ENABLED", ["DB_PASSWORD"])
universal_schedule("good-universal-schedule", "DISABLED", ["LOG_LEVEL"])
pipe("public-pipe", "ENABLED", ["DB_PASSWORD"])
pipe("good-pipe", "DISABLED", ["LOG_LEVEL"])
# ECS Exec on the tasks a launcher starts: a shell into each.
rule_target("shell-rule-task", False, [], shell=True)
schedule("shell-schedule", False, {}, shell=True)
pipe("shell-pipe", "DISABLED", [], shell=True)
universal_schedule("shell-universal-schedule", "DISABLED", [], shell=True)
# No security group: ECS puts the VPC's default group on the tasks. A group made in the program (its id unknown in a
# first preview) is one all the same.
rule_target("open-rule-task", False, [], groups=None)
schedule("open-schedule", False, {}, groups=[])
pipe("open-pipe", "DISABLED", [], groups=None)
universal_schedule("open-universal-schedule", "DISABLED", [], groups=None)
LATER_GROUP = good_task.arn.apply(lambda _: "sg-0fedcba9876543210")
rule_target("later-group-rule-task", False, [], groups=[LATER_GROUP])
pipe("later-group-pipe", "DISABLED", [], groups=[LATER_GROUP])
# Fargate platform versions before 1.4.0 (no EFS, no task ENI for image pulls), and recent or Fargate-free ones.
rule_target("old-rule-task", False, [], platform="1.3.0")
schedule("old-schedule", False, {}, platform="1.2.0")
pipe("old-pipe", "DISABLED", [], platform="1.3.0")
universal_schedule("old-universal-schedule", "DISABLED", [], platform="1.3.0")
rule_target("recent-rule-task", False, [], platform="1.4.0")
pipe("latest-pipe", "DISABLED", [], platform="LATEST")
schedule("ec2-schedule", False, {}, platform="1.3.0", launch_type="EC2")


def state_machine(name, public, env, shell=False, groups=GROUPS, platform=None, action="ecs:runTask.sync"):
    """The same RunTask call from a Step Functions Task state, inside a Parallel branch; a value the state fills at
    run time (`Value.$`) is not read as one. StartTask (`aws-sdk:ecs:startTask`) takes container instances instead
    of a launch type."""
    settings = request_settings(shell, groups, platform, public)
    if action.endswith("startTask"):
        settings = {"ContainerInstances": ["ci-1"], **settings}
        del settings["LaunchType"]
    run = {"Type": "Task", "Resource": f"arn:aws:states:::{action}", "End": True, "Parameters": {
        "Cluster": CLUSTER_ARN, "TaskDefinition": TASK_ARN, **settings,
        "Overrides": {"ContainerOverrides": [{"Name": "app", "Environment": [
            *({"Name": n, "Value": "hunter2"} for n in env), {"Name": "ORDER_ID", "Value.$": "$.orderId"}]}]}}}
    return aws.sfn.StateMachine(name, role_arn=LAUNCHER_ROLE, tags=TAGS, definition=json.dumps({
        "StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "End": True,
                                             "Branches": [{"StartAt": "Run", "States": {"Run": run}}]}}}),
        logging_configuration={"level": "ERROR",
                               "log_destination": f"arn:aws:logs:us-east-1:123456789012:log-group:/shop/{name}:*"})


state_machine("public-state-machine", "ENABLED", ["DB_PASSWORD"])
state_machine("good-state-machine", "DISABLED", ["LOG_LEVEL"])
state_machine("shell-state-machine", "DISABLED", [], shell=True)
state_machine("open-state-machine", "DISABLED", [], groups=None)
state_machine("old-state-machine", "DISABLED", [], platform="1.3.0")
# StartTask through the SDK integration: ECS Exec and network configuration as RunTask's.
state_machine("shell-start-state-machine", "DISABLED", [], shell=True, groups=None, action="aws-sdk:ecs:startTask")
state_machine("good-start-state-machine", "DISABLED", ["LOG_LEVEL"], action="aws-sdk:ecs:startTask")
# A rule whose input embeds another resource's ARN: unknown in a first preview, a finding once known.
aws.cloudwatch.EventTarget("later-rule-task", rule=rule.name, arn=CLUSTER_ARN, role_arn=LAUNCHER_ROLE,
                           input=good_task.arn.apply(lambda arn: json.dumps({**overrides("DB_PASSWORD"), "x": arn})),
                           ecs_target={"task_definition_arn": good_task.arn})
# A daemon with ECS Exec, and one without; an Express Mode service, whose one primary container ECS wraps in a task
# definition of its own making: only its image, environment and secrets are the program's.
MANAGED = ["arn:aws:ecs:us-east-1:123456789012:capacity-provider/managed"]
for name, shell in (("exec-daemon", True), ("good-daemon", False)):
    aws.ecs.Daemon(name, name=name, cluster_arn="arn:aws:ecs:us-east-1:123456789012:cluster/shop", tags=TAGS,
                   daemon_task_definition_arn="arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/good-daemon:1",
                   capacity_provider_arns=MANAGED, enable_execute_command=shell)
for name, image, environment, secret in (
        ("bad-express", "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop:latest", "DB_PASSWORD",
         "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-sc!shop-AbCdEf"),
        ("good-express", "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop:3.2.1", "LOG_LEVEL", DB_SECRET)):
    aws.ecs.ExpressGatewayService(name, service_name=name, cluster="shop", execution_role_arn=ROLE,
                                  infrastructure_role_arn=ROLE, tags=TAGS, primary_container={
                                      "image": image, "container_port": 8080,
                                      "environments": [{"name": environment, "value": "x"}],
                                      "secrets": [{"name": "DB_URL", "value_from": secret}]})
# Its image and one secret made from another resource's ARN: unknown in a first preview, which judges the rest.
SC_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-sc!shop-AbCdEf"
for name, tag, secrets in (("later-express", "latest", [SC_SECRET]), ("later-good-express", "3.2.1", [])):
    aws.ecs.ExpressGatewayService(name, service_name=name, cluster="shop", execution_role_arn=ROLE,
                                  infrastructure_role_arn=ROLE, tags=TAGS, primary_container={
                                      "image": good_task.arn.apply(lambda _, tag=tag: f"111122223333.dkr.ecr.us-east-1."
                                                                                      f"amazonaws.com/shop:{tag}"),
                                      "container_port": 8080,
                                      "secrets": [{"name": "DB_URL", "value_from": good_task.arn.apply(
                                          lambda _: DB_SECRET)},
                                                  *({"name": "TLS_KEY", "value_from": s} for s in secrets)]})
