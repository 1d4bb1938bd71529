"""Raw Batch job definitions with secrets in plain container variables, in each place a job definition describes
containers: `containerProperties`, `ecsProperties` and `nodeProperties` (JSON strings, any case) and `eksProperties`
(the provider's blocks), and in parameter defaults; a correct one of each kind; and one whose properties are only
known after the update."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/job:1.0.0"
RESOURCES = [{"type": "VCPU", "value": "0.25"}, {"type": "MEMORY", "value": "512"}]
DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf"


def env(*names):
    return [{"name": n, "value": "hunter2"} for n in names]


def container(*names):
    return {"image": IMAGE, "resourceRequirements": RESOURCES, "environment": env(*names),
            "secrets": [{"name": "DB_PASSWORD_FROM_SECRET", "valueFrom": DB_SECRET}]}


def job(name, **properties):
    return aws.batch.JobDefinition(name, type="multinode" if "node_properties" in properties else "container",
                                   tags=TAGS, **properties)


# containerProperties: a password and an AWS key; the good one passes a log level and names its password in secrets.
job("container-job", platform_capabilities=["FARGATE"],
    container_properties=json.dumps(container("DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "LOG_LEVEL")))
job("good-container-job", platform_capabilities=["FARGATE"],
    parameters={"log_level": "info", "db_secret_arn": DB_SECRET},
    container_properties=json.dumps(container("LOG_LEVEL", "DB_SECRET_ARN")))
# Parameter defaults, substituted for Ref::<name> in the command: a password by its name, a token by its shape.
job("param-job", platform_capabilities=["FARGATE"],
    parameters={"db_password": "hunter2", "build_info": "ghp_" + "x7Kq2LmN9pR4sT6vW8yZa1B3c5D7e9F0g2H4",
                "log_level": "info"},
    container_properties=json.dumps({**container("LOG_LEVEL"), "command": ["etl", "Ref::db_password"]}))
# ecsProperties: containers by name.
job("ecs-job", platform_capabilities=["FARGATE"], ecs_properties=json.dumps({"taskProperties": [{"containers": [
    {"name": "main", "image": IMAGE, "environment": env("API_TOKEN")},
    {"name": "sidecar", "image": IMAGE, "environment": env("LOG_LEVEL")}]}]}))
job("good-ecs-job", platform_capabilities=["FARGATE"], ecs_properties=json.dumps({"taskProperties": [{"containers": [
    {"name": "main", "image": IMAGE, "environment": env("LOG_LEVEL")}]}]}))
# nodeProperties: a range's container, in PascalCase (the provider decodes it ignoring case), and a range's ECS task.
job("node-job", node_properties=json.dumps({"mainNode": 0, "numNodes": 2, "nodeRangeProperties": [
    {"targetNodes": "0:0", "Container": {"Image": IMAGE, "Environment": [{"Name": "DB_PASSWORD", "Value": "x"}]}},
    {"targetNodes": "1:", "ecsProperties": {"taskProperties": [{"containers": [
        {"name": "worker", "image": IMAGE, "environment": env("JWT_SIGNING_KEY")}]}]}}]}))
job("good-node-job", node_properties=json.dumps({"mainNode": 0, "numNodes": 2, "nodeRangeProperties": [
    {"targetNodes": "0:", "container": container("LOG_LEVEL")}]}))
# eksProperties: a container's and an init container's env.
job("eks-job", eks_properties={"pod_properties": {
    "containers": [{"name": "main", "image": IMAGE, "envs": env("DB_PASSWORD", "LOG_LEVEL")}],
    "init_containers": [{"name": "init", "image": IMAGE, "envs": env("AWS_SECRET_ACCESS_KEY")}]}})
job("good-eks-job", eks_properties={"pod_properties": {
    "containers": [{"name": "main", "image": IMAGE, "envs": env("LOG_LEVEL")}]}})
# The container properties embed another resource's output: unknown in a first preview, a finding once known.
queue = aws.sqs.Queue("jobs", tags=TAGS)
job("later-job", platform_capabilities=["FARGATE"],
    container_properties=queue.arn.apply(lambda arn: json.dumps({**container("DB_PASSWORD"), "command": [arn]})))
