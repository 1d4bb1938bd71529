"""CodeBuild guardrails: a build project keeps no credential in its source URLs or its plain environment variables,
logs its builds, and runs its own Docker daemon (privileged mode) only where it builds images."""

PROJECT = "aws:codebuild/project:Project"
