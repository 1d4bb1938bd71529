"""App Runner services: no secrets in plain runtime environment variables."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_map, peek, peek_entries
from ..core.registry import resource_policy
from ..core.secret_names import SECRET_NAME_KNOBS, secret_env_findings
from . import SERVICE

# Where a service's runtime variables sit: an image's configuration, or a source repository's configuration values
# (a repository that keeps its configuration in apprunner.yaml, configurationSource REPOSITORY, is not in the stack).
_VARIABLES = (("imageRepository", "imageConfiguration"), ("codeRepository", "codeConfiguration",
                                                          "codeConfigurationValues"))


@resource_policy(
    "apprunner-service-no-secret-env", SERVICE,
    description="App Runner services must not pass secrets as plain runtime environment variables; use "
                "`runtimeEnvironmentSecrets`.",
    severity=Severity.CRITICAL,
    anchor_note="the names and values ecs-taskdef-no-secret-env (Security Hub ECS.8) looks for, in a service's "
                "runtime variables",
    config=SECRET_NAME_KNOBS,
)
def no_secret_env(args: ResourceValidationArgs) -> Iterator[str]:
    """no `runtimeEnvironmentVariables` name of `sourceConfiguration.imageRepository.imageConfiguration` or
    `sourceConfiguration.codeRepository.codeConfiguration.codeConfigurationValues` looks like a secret (knobs
    `secretKeyPatterns`, `allowedKeys`), nor does a value hold a secret detect-secrets knows by its shape, as for ECS
    containers; the value is never echoed. apprunner:DescribeService returns the variables to anyone allowed to
    describe the service"""
    for path in _VARIABLES:
        variables = peek(args.props, "sourceConfiguration", *path, "runtimeEnvironmentVariables")
        if not is_map(variables):
            continue
        where = ".".join(("sourceConfiguration", *path, "runtimeEnvironmentVariables"))
        yield from secret_env_findings(args, peek_entries(variables), f"{where} passes",
                                       "keep it in Secrets Manager or SSM and name it in runtimeEnvironmentSecrets",
                                       plain="variable")
