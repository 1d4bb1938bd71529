"""CodeBuild guardrails: a build project keeps no credential in its source URLs or its plain environment variables,
logs its builds, lets CodeBuild encrypt the logs and artifacts it writes to S3, and runs its own Docker daemon
(privileged mode) only where it builds images."""

PROJECT = "aws:codebuild/project:Project"
