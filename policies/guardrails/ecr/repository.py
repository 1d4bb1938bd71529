"""ECR private repositories, judged by what pulumi-aws sends and ECR's defaults for what it leaves out (MUTABLE tags,
no scanning unless the repository or the registry asks, no lifecycle policy, no repository policy)."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, all_of, any_of, has_text, is_map, is_true, peek, peek_items
from ..core.registry import ADVISORY, resource_policy, stack_policy
from ..core.stack import of_type, referring, region_of, same_region
from ..iam.documents import grantee, public_resource_policies
from . import LIFECYCLE_POLICY, REGISTRY_SCANNING, REPOSITORY, REPOSITORY_POLICY

# A registry scanning rule's frequencies that scan an image when it is pushed.
_SCANNING_ON_PUSH = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")


def _filter_matches(pattern: str, name: str) -> bool:
    """An ECR scanning filter (filterType WILDCARD): `*` any run of characters, all else literal; a filter without
    `*` matches every name that contains it (the ECR guide, "Filters for image scanning")."""
    if "*" not in pattern:
        return pattern in name
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), name) is not None


def _registry_scans(configuration: Any, repository: Any) -> Optional[bool]:
    """Whether a registry scanning configuration scans the repository's images on push: True, False, None (can't
    tell until the update)."""
    name = peek(repository.props, "name")
    answers = []
    for rule in peek_items(configuration.props, "rules"):
        frequency = peek(rule, "scanFrequency") if is_map(rule) else UNKNOWN
        if frequency is not UNKNOWN and frequency not in _SCANNING_ON_PUSH:
            continue
        for item in peek_items(rule, "repositoryFilters") if is_map(rule) else [UNKNOWN]:
            pattern = peek(item, "filter") if is_map(item) else UNKNOWN
            matched = _filter_matches(pattern, name) if isinstance(pattern, str) and isinstance(name, str) else None
            answers.append(matched if matched is False or frequency is not UNKNOWN else None)
    return any_of(answers)


def _decides(configuration: Any) -> Optional[bool]:
    """Whether a registry scanning configuration overrides its repositories' own settings: one with rules, or
    enhanced scanning; basic scanning without rules is the account's default, which leaves them to each
    repository."""
    rules, kind = peek_items(configuration.props, "rules"), peek(configuration.props, "scanType")
    if rules or kind == "ENHANCED":
        return True
    return None if kind is UNKNOWN else False


@stack_policy(
    "ecr-repository-scan-on-push", (REPOSITORY, REGISTRY_SCANNING),
    description="ECR repositories must scan each image for known vulnerabilities when it is pushed: by the "
                "repository's scanOnPush, or by a rule of the registry's scanning configuration.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ECR.1", "CKV_AWS_163"),
)
def scan_on_push(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """where the stack has a RegistryScanningConfiguration of the repository's region with rules (or enhanced
    scanning, which scans no repository without one), one of its SCAN_ON_PUSH or CONTINUOUS_SCAN rules has a filter
    matching the repository's name (`*` wildcards; a filter without one matches names containing it): ECR then
    ignores the repository's own setting (a repository no rule matches is scanned manually with basic scanning, never
    with enhanced); else the repository has `imageScanningConfiguration.scanOnPush` true; unknown settings, filters,
    names or regions are not judged"""
    registries = of_type(args.resources, REGISTRY_SCANNING)
    for repository in of_type(args.resources, REPOSITORY):
        applying = [(c, applies) for c in registries
                    if (applies := all_of([same_region(region_of(c), region_of(repository)), _decides(c)]))
                    is not False]
        if applying:
            if any_of(_registry_scans(c, repository) for c, _ in applying) is not False:
                continue
            if all(applies for _, applies in applying):
                yield (f"repository {repository.name} scans no image on push: no rule of the registry's scanning "
                       "configuration matches it, and ECR then ignores its own scanOnPush; add a rule that matches "
                       "it"), repository.urn
                continue
            # A configuration that may not apply: where it does not, the repository's own setting decides.
        own = peek(repository.props, "imageScanningConfiguration", "scanOnPush")
        if own is not UNKNOWN and not is_true(own):
            yield (f"repository {repository.name} scans no image on push: set imageScanningConfiguration.scanOnPush, "
                   "or add a rule matching it to the registry's scanning configuration"), repository.urn


@resource_policy(
    "ecr-repository-tag-immutability", REPOSITORY,
    description="ECR repositories should keep image tags immutable, so a tag a task definition names always means "
                "the image it was tested as.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub ECR.2", "CKV_AWS_51"),
)
def tag_immutability(args: ResourceValidationArgs) -> Iterator[str]:
    """`imageTagMutability` is IMMUTABLE or IMMUTABLE_WITH_EXCLUSION (left out, ECR's default is MUTABLE); an
    unknown value is not judged"""
    mutability = peek(args.props, "imageTagMutability")
    if mutability is UNKNOWN or mutability in ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"):
        return
    yield (f"imageTagMutability is {mutability if has_text(mutability) else 'unset (MUTABLE)'}: a push may move a "
           "tag to another image, and tasks that start later run it; set IMMUTABLE (and pin images by digest)")


@stack_policy(
    "ecr-repository-lifecycle-policy", (REPOSITORY, LIFECYCLE_POLICY),
    description="ECR repositories should have a lifecycle policy, so untagged and old images expire instead of "
                "being stored, and scanned, forever.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub ECR.3",),
)
def lifecycle_policy(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a LifecyclePolicy in the stack names each repository (its `repository`, by the repository's name); one that
    may name it once known counts"""
    for repository in of_type(args.resources, REPOSITORY):
        found, maybe = referring(args.resources, (LIFECYCLE_POLICY,), "repository", repository, keys=("name",),
                                 regional=True)
        if not found and not maybe:
            yield (f"repository {repository.name} has no lifecycle policy: its images are kept forever; add an "
                   "aws.ecr.LifecyclePolicy that expires untagged images and keeps the last few releases"), \
                repository.urn


@stack_policy(
    "ecr-repository-policy-not-public", (REPOSITORY, REPOSITORY_POLICY),
    description="No ECR repository policy may let every AWS account pull or push the repository's images.",
    severity=Severity.CRITICAL,
    anchors=("CKV_AWS_32",),
)
def repository_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a RepositoryPolicy (for a repository in the stack or outside it) has Principal `*` (or
    `{"AWS": "*"}`) or a NotPrincipal unless its condition names the callers by fixed values of
    `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`, ... (as for SQS and SNS); unknown documents
    or conditions are not judged"""
    for urn, statement in public_resource_policies(args.resources, (REPOSITORY,), REPOSITORY_POLICY, "repository",
                                                   ("name",), "repository", regional=True):
        yield (f"{statement.label} allows {grantee(statement)} with no condition naming an account or organization: "
               "any AWS account's principals may use the repository's images; name the accounts that pull, or add "
               "a condition such as StringEquals aws:PrincipalOrgID <your organization>"), urn
