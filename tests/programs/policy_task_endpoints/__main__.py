"""Raw VPC endpoints and ECS task definitions: tasks that call an API the endpoints do not serve (Secrets
Manager, ECS Exec's channel, another region's CloudWatch Logs), one that pulls from ECR Public, served tasks (one
through a cross-Region endpoint), and one whose container definitions are only known after the update."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/task"
LOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "/test", "awslogs-region": "us-east-1",
                                             "awslogs-stream-prefix": "test"}}
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.0.0"

# This account's principals only (AWS's data-perimeter endpoint policy).
ENDPOINT_POLICY = json.dumps({"Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
    "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}}]})
for service in ("ecr.api", "ecr.dkr", "logs"):
    aws.ec2.VpcEndpoint(f"endpoint-{service}", vpc_id="vpc-0abc", vpc_endpoint_type="Interface",
                        service_name=f"com.amazonaws.us-east-1.{service}", private_dns_enabled=True,
                        subnet_ids=["subnet-0a", "subnet-0b"], policy=ENDPOINT_POLICY, tags=TAGS)
# A cross-Region interface endpoint (pulumi-aws 7's service_region): it answers us-west-2's CloudWatch Logs names only.
aws.ec2.VpcEndpoint("endpoint-logs-us-west-2", vpc_id="vpc-0abc", vpc_endpoint_type="Interface",
                    service_name="com.amazonaws.us-west-2.logs", service_region="us-west-2", private_dns_enabled=True,
                    subnet_ids=["subnet-0a", "subnet-0b"], policy=ENDPOINT_POLICY, tags=TAGS)
aws.ec2.VpcEndpoint("endpoint-s3", vpc_id="vpc-0abc", vpc_endpoint_type="Gateway", policy=ENDPOINT_POLICY,
                    service_name="com.amazonaws.us-east-1.s3", route_table_ids=["rtb-0a"], tags=TAGS)


# Every app container checks itself (ecs-service-container-health-check: no load balancer checks these).
HEALTH = {"command": ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"], "interval": 30,
          "timeout": 5, "retries": 3}


def container(name, **overrides):
    base = {"name": name, "image": IMAGE, "essential": True, "user": "1000", "readonlyRootFilesystem": True,
            "memory": 256, "logConfiguration": LOGS, "healthCheck": HEALTH}
    base.update(overrides)
    return base


def task(name, containers):
    definitions = containers if isinstance(containers, pulumi.Output) else json.dumps(containers)
    return aws.ecs.TaskDefinition(name, family=name, network_mode="awsvpc", cpu="512", memory="1024",
                                  requires_compatibilities=["FARGATE"], execution_role_arn=ROLE, tags=TAGS,
                                  container_definitions=definitions)


served = task("served-task", [container("api")])
task("secrets-task", [container("api", secrets=[
    {"name": "KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:key-AbCdEf"}])])
# A private registry's login, which the agent reads from Secrets Manager (here by the secret's name).
task("registry-task", [container("api", image="docker.io/acme/api:1.0",
                                 repositoryCredentials={"credentialsParameter": "dockerhub-login"})])
task("public-image-task", [container("api", image="public.ecr.aws/docker/library/busybox:1.37.0")])
# Logs sent to another region's CloudWatch Logs: to us-west-2's through its endpoint, to eu-west-1's through NAT.
task("cross-region-logs-task", [container("api", logConfiguration={**LOGS, "options": {
    **LOGS["options"], "awslogs-region": "us-west-2"}})])
task("other-region-logs-task", [container("api", logConfiguration={**LOGS, "options": {
    **LOGS["options"], "awslogs-region": "eu-west-1"}})])
exec_task = task("exec-task", [container("api")])
aws.ecs.Service("exec-service", cluster="arn:aws:ecs:us-east-1:123456789012:cluster/test",
                task_definition=exec_task.arn, launch_type="FARGATE", platform_version="LATEST",
                desired_count=1, enable_execute_command=True, propagate_tags="SERVICE",
                network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                    subnets=["subnet-0a"], security_groups=["sg-0a"], assign_public_ip=False),
                deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
                tags=TAGS)
# Known only after the update: a first preview cannot tell, and says nothing.
task("later-task", served.arn.apply(lambda _: json.dumps([container("api", secrets=[
    {"name": "KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:key-AbCdEf"}])])))

# ECS Express services: the primary container's calls (its ECR image, the awslogs driver ECS gives it, its secrets),
# from subnets made elsewhere (any VPC's endpoints may serve them), or from the region's default VPC, which the stack
# does not adopt: no endpoint of the stack's can be its, and it is not judged.
EXPRESS_ROLE = "arn:aws:iam::123456789012:role/express-infrastructure"


def express(name, network=True, **container):
    return aws.ecs.ExpressGatewayService(
        name, service_name=name, cluster="test", execution_role_arn=ROLE, infrastructure_role_arn=EXPRESS_ROLE,
        tags=TAGS, primary_container={"image": IMAGE, "container_port": 8000, **container},
        network_configurations=[{"subnets": ["subnet-0a", "subnet-0b"], "security_groups": ["sg-0a"]}]
        if network else None)


SECRETS = [{"name": "KEY", "value_from": "arn:aws:secretsmanager:us-east-1:111122223333:secret:key-AbCdEf"}]
express("served-express")
express("secrets-express", secrets=SECRETS)
express("default-vpc-express", network=False, secrets=SECRETS)
