"""Raw App Runner services with secrets in plain runtime variables: an image's and a source repository's; correct
ones that name their secrets in runtimeEnvironmentSecrets; and one whose values are only known after the update
(its names are judged all the same)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf"


def image_service(name, variables, secrets=None):
    configuration = {"port": "8080", "runtime_environment_variables": variables}
    if secrets:
        configuration["runtime_environment_secrets"] = secrets
    return aws.apprunner.Service(name, service_name=name, tags=TAGS, source_configuration={
        "auto_deployments_enabled": False,
        "image_repository": {"image_identifier": "public.ecr.aws/nginx/nginx:1.27",
                             "image_repository_type": "ECR_PUBLIC", "image_configuration": configuration}})


def code_service(name, variables):
    return aws.apprunner.Service(name, service_name=name, tags=TAGS, source_configuration={
        "auto_deployments_enabled": False,
        "code_repository": {"repository_url": "https://github.com/example/orders",
                            "source_code_version": {"type": "BRANCH", "value": "main"},
                            "code_configuration": {"configuration_source": "API", "code_configuration_values": {
                                "runtime": "PYTHON_3", "runtime_environment_variables": variables}}}})


image_service("image-service", {"DB_PASSWORD": "hunter2", "STRIPE_API_KEY": "sk_live_x", "LOG_LEVEL": "info"})
image_service("good-image-service", {"LOG_LEVEL": "info", "DB_SECRET_ARN": DB_SECRET}, {"DB_PASSWORD": DB_SECRET})
code_service("code-service", {"SESSION_SECRET": "hunter2"})
code_service("good-code-service", {"LOG_LEVEL": "info"})
# Values from another resource's outputs: unknown in a first preview, where the names are known and judged.
queue = aws.sqs.Queue("jobs", tags=TAGS)
image_service("later-service", {"QUEUE_URL": queue.id, "API_TOKEN": queue.arn})
