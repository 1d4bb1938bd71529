"""ECR guardrails: private repositories whose images are scanned, whose tags do not move, whose old images expire,
and whose policies admit no one by default."""

REPOSITORY = "aws:ecr/repository:Repository"
# A repository's policy, which replaces whatever it had (SetRepositoryPolicy).
REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy"
LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
# The registry's scanning configuration (one per account and region): its rules' filters pick the repositories
# scanned on push or continuously, whatever a repository's own setting says.
REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
