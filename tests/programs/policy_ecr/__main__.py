"""Raw ECR repositories: scanned on push by their own setting or the registry's rules, immutable, expiring old
images, shared within the organization only; and ones without any of it, or open to every account. Pull-through cache
rules whose repositories get such settings from a creation template, or do not. Registry policies that let one
account replicate into the registry, or every account."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
EXPIRE_UNTAGGED = json.dumps({"rules": [{
    "rulePriority": 1, "description": "untagged images go after a week",
    "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
    "action": {"type": "expire"}}]})


def pull_policy(condition=None, sid="OrgPulls"):
    statement = {"Sid": sid, "Effect": "Allow", "Principal": "*",
                 "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, **({"Condition": condition} if condition
                                                                                else {})}]})


def repository(name, *, scan=True, lifecycle=True, opts=None, **settings):
    made = aws.ecr.Repository(name, name=name, image_tag_mutability=settings.pop("image_tag_mutability", "IMMUTABLE"),
                              image_scanning_configuration={"scan_on_push": True} if scan else None, tags=TAGS,
                              opts=opts, **settings)
    if lifecycle:
        aws.ecr.LifecyclePolicy(f"{name}-lifecycle", repository=made.name, policy=EXPIRE_UNTAGGED, opts=opts)
    return made


orders = repository("orders")
aws.ecr.RepositoryPolicy("orders-policy", repository=orders.name,
                         policy=pull_policy({"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}))
repository("bare", scan=False, lifecycle=False, image_tag_mutability=None)
repository("mutable", image_tag_mutability="MUTABLE")
# In eu-west-1 the registry's scanning configuration decides: its rule scans team-* repositories, and ECR ignores
# another repository's own scanOnPush there.
in_ireland = pulumi.ResourceOptions(provider=aws.Provider("ireland", region="eu-west-1"))
aws.ecr.RegistryScanningConfiguration("registry-scanning", scan_type="ENHANCED", rules=[{
    "scan_frequency": "SCAN_ON_PUSH", "repository_filters": [{"filter": "team-*", "filter_type": "WILDCARD"}]}],
    opts=in_ireland)
repository("team-api", scan=False, opts=in_ireland)
repository("other-api", opts=in_ireland)
shared = repository("shared")
aws.ecr.RepositoryPolicy("shared-policy", repository=shared.name, policy=pull_policy())

# Pull-through cache rules and the creation templates ECR makes their repositories from: one whose template expires
# images and admits the organization only; one whose template of its prefix serves replication only (ECR's defaults);
# one whose template (its prefix with a trailing `/`) keeps every image and lets every account pull; and in eu-west-1,
# one taken by the region's ROOT template, which serves replication too with mutable tags.
KEEP_A_MONTH = json.dumps({"rules": [{
    "rulePriority": 1, "description": "images no one pulled for a month go",
    "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30},
    "action": {"type": "expire"}}]})


def cache(name, prefix, upstream, opts=None):
    return aws.ecr.PullThroughCacheRule(name, ecr_repository_prefix=prefix, upstream_registry_url=upstream, opts=opts)


aws.ecr.RepositoryCreationTemplate(
    "ecr-public-template", prefix="ecr-public", applied_fors=["PULL_THROUGH_CACHE"], lifecycle_policy=KEEP_A_MONTH,
    repository_policy=pull_policy({"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}))
cache("ecr-public-cache", "ecr-public", "public.ecr.aws")
aws.ecr.RepositoryCreationTemplate("quay-template", prefix="quay", applied_fors=["REPLICATION"],
                                   image_tag_mutability="IMMUTABLE", lifecycle_policy=KEEP_A_MONTH)
cache("quay-cache", "quay", "quay.io")
aws.ecr.RepositoryCreationTemplate("k8s-template", prefix="k8s/", applied_fors=["PULL_THROUGH_CACHE"],
                                   repository_policy=pull_policy(sid="Public"))
cache("k8s-cache", "k8s", "registry.k8s.io")
aws.ecr.RepositoryCreationTemplate("ireland-root", prefix="ROOT", applied_fors=["PULL_THROUGH_CACHE", "REPLICATION"],
                                   lifecycle_policy=KEEP_A_MONTH, opts=in_ireland)
cache("ireland-cache", "ecr-public", "public.ecr.aws", opts=in_ireland)
# The repositories ECR creates when a push names one that does not exist: ECR's defaults (mutable tags).
aws.ecr.RepositoryCreationTemplate("push-template", prefix="team", applied_fors=["CREATE_ON_PUSH"])

# The registry's policy lets one account replicate into the registry; Ireland's lets every account.


def registry_policy(name, principal, opts=None):
    return aws.ecr.RegistryPolicy(name, opts=opts, policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "Replication", "Effect": "Allow", "Principal": {"AWS": principal},
        "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"], "Resource": "*"}]}))


registry_policy("registry-policy", "arn:aws:iam::111122223333:root")
registry_policy("ireland-registry-policy", "*", opts=in_ireland)
