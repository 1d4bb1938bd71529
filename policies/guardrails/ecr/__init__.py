"""ECR guardrails: private repositories whose images are scanned, whose tags do not move, whose old images expire,
and whose policies, and the registry's, admit no one by default, whether a program makes them or ECR does from a
creation template."""

REPOSITORY = "aws:ecr/repository:Repository"
# A repository's policy, which replaces whatever it had (SetRepositoryPolicy).
REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy"
# The registry's policy (one per account and region, PutRegistryPolicy): what other accounts may do in the whole
# registry, replicating images into it and creating repositories first.
REGISTRY_POLICY = "aws:ecr/registryPolicy:RegistryPolicy"
LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
# The registry's scanning configuration (one per account and region): its rules' filters pick the repositories
# scanned on push or continuously, whatever a repository's own setting says.
REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
# A pull-through cache rule: ECR creates a repository under its prefix on the first pull of each upstream image.
PULL_THROUGH_CACHE_RULE = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule"
# The settings ECR gives the repositories it creates under a prefix (a cache's, replication's, create on push).
CREATION_TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate"
