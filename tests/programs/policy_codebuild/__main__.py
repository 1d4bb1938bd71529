"""Raw CodeBuild projects building from GitHub and Bitbucket: sources connected through CodeConnections or the
account's source credential, and ones that keep a password or a token in a source URL (primary or secondary);
variables taken from Secrets Manager and Parameter Store, and AWS keys, a password and a token passed as PLAINTEXT;
privileged builds, one of them an image build the config exempts; builds logged to S3, encrypted or not, and to
nowhere; output artifacts encrypted or not, in S3 or, for a pipeline's build, in the pipeline's artifact store;
public builds, one of them an open source project's the config names. A location, a secondary source's identifier, a
variable's type, privileged mode, a log or artifact setting or the visibility another resource gives, known only after
the update, is not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/codebuild-service"
CONNECTION = "arn:aws:codeconnections:us-east-1:123456789012:connection/12345678-1234-1234-1234-123456789012"
GITHUB = {"type": "GITHUB", "location": "https://github.com/shop/orders.git",
          "auth": {"type": "CODECONNECTIONS", "resource": CONNECTION}}
ENVIRONMENT = {"compute_type": "BUILD_GENERAL1_SMALL", "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
               "type": "LINUX_CONTAINER", "environment_variables": [
                   {"name": "STAGE", "value": "test"},
                   {"name": "NPM_TOKEN", "value": "shop/ci/npm-token", "type": "SECRETS_MANAGER"},
                   {"name": "DB_PASSWORD", "value": "/shop/ci/db-password", "type": "PARAMETER_STORE"}]}


def environment(*variables, **settings):
    return {**ENVIRONMENT, "environment_variables": list(variables), **settings}


def project(name, **settings):
    return aws.codebuild.Project(name, name=name, service_role=ROLE, tags=TAGS, **{
        "artifacts": {"type": "NO_ARTIFACTS"}, "source": GITHUB, "environment": ENVIRONMENT, **settings})


project("orders-build")
# Bitbucket's clone URL names the user, and the account's source credential authenticates it.
project("billing-build", source={"type": "BITBUCKET", "location": "https://shop-ci@bitbucket.org/shop/billing.git"})
# A password, or a token as the user name, in the URL.
project("leaky-build", source={"type": "BITBUCKET",
                               "location": "https://shop-ci:" + "app-password-1234@bitbucket.org/shop/billing.git"})
project("token-build", source=GITHUB, secondary_sources=[
    {"type": "GITHUB", "source_identifier": "tools",
     "location": "https://ghp_" + "x7Kq2LmN9pR4sT6vW8yZa1B3c5D7e9F0g2H4@github.com/shop/tools.git"}])
# AWS keys and a password as PLAINTEXT (the default), and a token under an innocuous name.
project("plain-secrets-build", environment=environment(
    {"name": "AWS_ACCESS_KEY_ID", "value": "AKIA" + "IOSFODNN7EXAMPLE"},
    {"name": "AWS_SECRET_ACCESS_KEY", "value": "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY", "type": "PLAINTEXT"},
    {"name": "dbPassword", "value": "hunter2"},
    {"name": "BUILD_INFO", "value": "ghp_" + "x7Kq2LmN9pR4sT6vW8yZa1B3c5D7e9F0g2H4"}))
# Docker-in-Docker: for the image build the stack config names, and for a test run that needs none.
project("orders-image-build", environment={**ENVIRONMENT, "privileged_mode": True})
project("tests-build", environment={**ENVIRONMENT, "privileged_mode": True})
# Logs in S3 instead of CloudWatch Logs, and no logs at all.
LOGS_BUCKET = "shop-build-logs/orders"
project("archived-build", logs_config={"cloudwatch_logs": {"status": "DISABLED"},
                                       "s3_logs": {"status": "ENABLED", "location": LOGS_BUCKET}})
project("silent-build", logs_config={"cloudwatch_logs": {"status": "DISABLED"}})
# S3 logs CodeBuild does not encrypt, and the same switch on S3 logs that are off.
project("unencrypted-logs-build", logs_config={"s3_logs": {"status": "ENABLED", "location": LOGS_BUCKET,
                                                           "encryption_disabled": True}})
project("unlogged-build", logs_config={"s3_logs": {"status": "DISABLED", "encryption_disabled": True}})
# Output artifacts CodeBuild does not encrypt (primary and secondary), ones it does, and the switch on no artifacts.
ARTIFACTS_BUCKET = "shop-build-artifacts"
project("unencrypted-artifacts-build",
        artifacts={"type": "S3", "location": ARTIFACTS_BUCKET, "encryption_disabled": True},
        secondary_artifacts=[{"type": "S3", "artifact_identifier": "reports", "location": ARTIFACTS_BUCKET,
                              "encryption_disabled": True}])
project("packaged-build", artifacts={"type": "S3", "location": ARTIFACTS_BUCKET, "packaging": "ZIP"},
        secondary_artifacts=[{"type": "S3", "artifact_identifier": "reports", "location": ARTIFACTS_BUCKET,
                              "encryption_disabled": False}])
project("scratch-build", artifacts={"type": "NO_ARTIFACTS", "encryption_disabled": True})
# A pipeline's build whose output CodeBuild is asked to leave unencrypted in the pipeline's artifact store.
project("pipeline-build", source={"type": "CODEPIPELINE"},
        artifacts={"type": "CODEPIPELINE", "encryption_disabled": True})
# Builds shown to anyone: an open source project's, which the config names, and one that is not.
project("oss-sdk-build", project_visibility="PUBLIC_READ")
project("public-build", project_visibility="PUBLIC_READ")
# A location known only after the update.
connection = aws.codestarconnections.Connection("shop-github", name="shop-github", provider_type="GitHub", tags=TAGS)
project("later-build", source={"type": "GITHUB", "auth": {"type": "CODECONNECTIONS", "resource": connection.arn},
                               "location": connection.arn.apply(lambda _: "https://github.com/shop/later.git")},
        # A variable's type, a switch, a log setting, an artifact type and the visibility known only after the update.
        project_visibility=connection.arn.apply(lambda _: "PRIVATE"),
        artifacts={"type": connection.arn.apply(lambda _: "S3"), "location": ARTIFACTS_BUCKET,
                   "encryption_disabled": connection.arn.apply(lambda _: False)},
        logs_config={"cloudwatch_logs": {"status": "DISABLED"},
                     "s3_logs": {"status": connection.arn.apply(lambda _: "ENABLED"), "location": LOGS_BUCKET,
                                 "encryption_disabled": connection.arn.apply(lambda _: False)}},
        environment=environment({"name": "DB_PASSWORD", "value": "/shop/ci/db-password",
                                 "type": connection.arn.apply(lambda _: "PARAMETER_STORE")},
                                privileged_mode=connection.arn.apply(lambda _: False)))
# A password in a secondary source whose identifier, which a finding names, is known only after the update.
project("later-tools-build", secondary_sources=[
    {"type": "BITBUCKET", "source_identifier": connection.arn.apply(lambda _: "tools"),
     "location": "https://shop-ci:" + "app-password-1234@bitbucket.org/shop/tools.git"}])
