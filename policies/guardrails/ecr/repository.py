"""ECR private repositories, judged by what pulumi-aws sends and ECR's defaults for what it leaves out (MUTABLE tags,
no scanning unless the repository or the registry asks, no lifecycle policy, no repository policy); and the
repositories ECR creates itself, which take the settings of the creation template of their prefix, ECR's defaults
without one."""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.companions import unreferred
from ..core.props import UNKNOWN, all_of, any_of, has_text, in_words, is_map, is_true, peek, peek_items
from ..core.registry import ADVISORY, config_list, resource_policy_by_type, stack_policy, string_list
from ..core.stack import links_to, of_type, same_place
from ..iam.documents import Statement, accounts_that, public_grant, public_resource_policies, public_statements
from . import (CREATION_TEMPLATE, LIFECYCLE_POLICY, PULL_THROUGH_CACHE_RULE, REGISTRY_POLICY, REGISTRY_SCANNING,
               REPOSITORY, REPOSITORY_POLICY)

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
                    if (applies := all_of([same_place(c, repository), _decides(c)]))
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


# The scenarios a creation template may serve (CreateRepositoryCreationTemplate's appliedFor): a cache's is this one.
_CACHE_SCENARIO = "PULL_THROUGH_CACHE"
# The scenarios (a creation template's appliedFors) in which ECR creates repositories this family judges as a
# program's own: a push to a repository that does not exist yet, and replication into the registry. A pull-through
# cache's (PULL_THROUGH_CACHE) are ecr-pull-through-cache-lifecycle-policy's.
_CREATED_ON = {"CREATE_ON_PUSH": "on push", "REPLICATION": "by replication"}


def _created_on(template_props: Any) -> Optional[str]:
    """How ECR creates repositories from a template in _CREATED_ON's scenarios, as a message says it (`on push and by
    replication`): "" for none, None while a scenario is unknown (it may add to the words, or be a cache's)."""
    scenarios = peek_items(template_props, "appliedFors")
    found = [words for scenario, words in _CREATED_ON.items() if scenario in scenarios]
    return None if UNKNOWN in scenarios else in_words(found)


def _mutable(mutability: Any) -> Optional[str]:
    """`imageTagMutability` as a finding names it where tags may move (left out, ECR's default is MUTABLE); None
    where they may not, or it is unknown."""
    if mutability is UNKNOWN or mutability in ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"):
        return None
    return mutability if has_text(mutability) else "unset (MUTABLE)"


_TAGS_MOVE = "a push may move a tag to another image, and tasks that start later run it"
_IMMUTABLE_FIX = "set IMMUTABLE (and pin images by digest)"


def _repository_tags(props: Any) -> Iterator[str]:
    mutability = _mutable(peek(props, "imageTagMutability"))
    if mutability:
        yield f"imageTagMutability is {mutability}: {_TAGS_MOVE}; {_IMMUTABLE_FIX}"


def _template_tags(props: Any) -> Iterator[str]:
    created_on, mutability = _created_on(props), _mutable(peek(props, "imageTagMutability"))
    if not (created_on and mutability):
        return
    # ECR's pull-through cache guide: with immutable tags it may not refresh the cached images.
    cache = (f" (ECR may then not refresh the images of the pull-through caches it also serves: serve "
             f"{_CACHE_SCENARIO} from a template of its own)" if _CACHE_SCENARIO in peek_items(props, "appliedFors")
             else "")
    yield (f"imageTagMutability is {mutability}, which ECR gives the repositories it creates from this template "
           f"{created_on}: {_TAGS_MOVE}; {_IMMUTABLE_FIX}{cache}")


resource_policy_by_type(
    "ecr-repository-tag-immutability", {REPOSITORY: _repository_tags, CREATION_TEMPLATE: _template_tags},
    description="ECR repositories, and those ECR creates on push or by replication from a creation template, should "
                "keep image tags immutable, so a tag a task definition names always means the image it was tested "
                "as.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub ECR.2", "CKV_AWS_51"),
    checks="""
    a repository's `imageTagMutability`, and that of a RepositoryCreationTemplate whose `appliedFors` include
    CREATE_ON_PUSH or REPLICATION, is IMMUTABLE or IMMUTABLE_WITH_EXCLUSION (left out, ECR's default is MUTABLE, for
    a template too: botocore's CreateRepositoryCreationTemplate); a template for pull-through caches only is not
    judged (ECR's pull-through cache guide: with immutable tags it may not refresh the cached images); unknown values
    or scenarios are not judged""",
)


@stack_policy(
    "ecr-repository-lifecycle-policy", (REPOSITORY, LIFECYCLE_POLICY, CREATION_TEMPLATE),
    description="ECR repositories, and those ECR creates on push or by replication from a creation template, should "
                "have a lifecycle policy, so untagged and old images expire instead of being stored, and scanned, "
                "forever.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub ECR.3",),
)
def lifecycle_policy(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a LifecyclePolicy in the stack names each repository (its `repository`, by the repository's name); one that
    may name it once known counts; a RepositoryCreationTemplate whose `appliedFors` include CREATE_ON_PUSH or
    REPLICATION has a `lifecyclePolicy` (a pull-through cache's is ecr-pull-through-cache-lifecycle-policy's);
    unknown scenarios or policies are not judged"""
    expiring = "that expires untagged images and keeps the last few releases"
    repositories = of_type(args.resources, REPOSITORY)
    for repository in unreferred(args.resources, repositories, (LIFECYCLE_POLICY,), "repository", ("name",),
                                 regional=True):
        yield (f"repository {repository.name} has no lifecycle policy: its images are kept forever; add an "
               f"aws.ecr.LifecyclePolicy {expiring}"), repository.urn
    for template in of_type(args.resources, CREATION_TEMPLATE):
        created_on, policy = _created_on(template.props), peek(template.props, "lifecyclePolicy")
        if created_on and policy is not UNKNOWN and not has_text(policy):
            yield (f"repository creation template {template.name} has no lifecyclePolicy: the repositories ECR "
                   f"creates from it {created_on} keep their images forever; add one {expiring}"), template.urn


# The prefix of a template that applies to the repositories no other template matches.
_ROOT = "ROOT"


def _creates_with(template: Any, rule: Any, prefix_of: Callable[[Any, Any], Optional[bool]]) -> Optional[bool]:
    """Whether ECR may create the rule's repositories from the template by its prefix (`prefix_of(template, rule)`):
    one of the rule's region that applies to PULL_THROUGH_CACHE. None: can't tell until the update."""
    scenarios = peek_items(template.props, "appliedFors")
    serves = True if _CACHE_SCENARIO in scenarios else (None if UNKNOWN in scenarios else False)
    return all_of([same_place(template, rule), serves, prefix_of(template, rule)])


def _rules_prefix(template: Any, rule: Any) -> Optional[bool]:
    """The template's prefix is the rule's (ECR reads either with a `/` after it), or is made from it."""
    if links_to(template, rule, "prefix"):
        return True
    mine, theirs = peek(template.props, "prefix"), peek(rule.props, "ecrRepositoryPrefix")
    if UNKNOWN in (mine, theirs):
        return None
    return isinstance(mine, str) and isinstance(theirs, str) and mine.rstrip("/") == theirs.rstrip("/")


def _root(template: Any, _: Any) -> Optional[bool]:
    prefix = peek(template.props, "prefix")
    return None if prefix is UNKNOWN else prefix == _ROOT


def _deciding_templates(templates: list, rule: Any, root_elsewhere: bool = False) -> Optional[list]:
    """The templates ECR creates the rule's repositories from: those of the rule's prefix, else those of ROOT; []
    for none (ECR's defaults), None when one whose region, prefix or scenarios are unknown may be it, or where the
    ROOT template is another stack's (`root_elsewhere`) and none of the rule's prefix is in this one."""
    for prefix_of in (_rules_prefix, _root):
        if prefix_of is _root and root_elsewhere:
            return None
        answers = [(template, _creates_with(template, rule, prefix_of)) for template in templates]
        found = [template for template, answer in answers if answer]
        if found:
            return found
        if any(answer is None for _, answer in answers):
            return None
    return []


@stack_policy(
    "ecr-pull-through-cache-lifecycle-policy", (PULL_THROUGH_CACHE_RULE, CREATION_TEMPLATE),
    description="The repositories an ECR pull-through cache rule creates should get a lifecycle policy from a "
                "repository creation template, so the images cached do not stay, and cost, forever.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub ECR.3",), anchor_note="ECR.3 judges repositories; these are the ones ECR creates",
    config={"templatesManagedElsewhere": string_list(
        "Prefixes (or ROOT) whose repository creation templates another stack or the console manages: a rule of such "
        "a prefix is not judged; with ROOT, a rule no template of its own prefix in this stack decides is not.")},
)
def pull_through_cache_lifecycle_policy(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """each PullThroughCacheRule has, in its account and region, a RepositoryCreationTemplate whose `appliedFors`
    include PULL_THROUGH_CACHE and whose `prefix` is the rule's `ecrRepositoryPrefix` (a trailing `/` aside), else one
    whose `prefix` is `ROOT` (applied to repositories no other template matches), and that template has a
    `lifecyclePolicy`; a rule whose prefix knob `templatesManagedElsewhere` names is not judged, nor, where it names
    ROOT, one no template of its own prefix in the stack decides; templates whose region, prefix, scenarios or
    lifecycle policy are unknown are not judged"""
    templates = of_type(args.resources, CREATION_TEMPLATE)
    elsewhere = {prefix.rstrip("/") for prefix in config_list(args, "templatesManagedElsewhere")}
    for rule in of_type(args.resources, PULL_THROUGH_CACHE_RULE):
        prefix = peek(rule.props, "ecrRepositoryPrefix")
        if (isinstance(prefix, str) and prefix.rstrip("/") in elsewhere) or (prefix is UNKNOWN and elsewhere):
            continue
        deciding = _deciding_templates(templates, rule, root_elsewhere=_ROOT in elsewhere)
        if deciding is None:
            continue
        named = f"its prefix {prefix}" if isinstance(prefix, str) else "its prefix"
        if not deciding:
            yield (f"pull-through cache rule {rule.name} has no repository creation template for {named} (nor a "
                   f"{_ROOT} one) that applies to {_CACHE_SCENARIO}: ECR creates its repositories with no lifecycle "
                   "policy, and they keep every image pulled through them; add an aws.ecr.RepositoryCreationTemplate "
                   f"of that prefix for {_CACHE_SCENARIO} with a lifecyclePolicy (one another stack manages: name the "
                   "prefix in knob templatesManagedElsewhere)"), rule.urn
            continue
        policies = [peek(template.props, "lifecyclePolicy") for template in deciding]
        if any(policy is UNKNOWN or has_text(policy) for policy in policies):
            continue
        for template in deciding:
            yield (f"repository creation template {template.name}, which ECR applies to the repositories "
                   f"pull-through cache rule {rule.name} creates, has no lifecyclePolicy: they keep every image "
                   "pulled through them; add one that expires the images tasks no longer pull (countType "
                   "sinceImagePulled)"), template.urn


def _public_use(statement: Statement, images: str) -> str:
    return public_grant(statement, f"use {images}", accounts_that("pull"))


# What a registry policy may let other accounts do in the whole registry (ECR's "Private registry permissions"):
# replicate into it and create the repositories that takes, import upstream images; and under the registry policy
# scope V2, every account's default, any other ECR action it names, pulls and pushes among them.
_REGISTRY_USES = (("replicate images into", "ecr:ReplicateImage"), ("create repositories in", "ecr:CreateRepository"),
                  ("import upstream images into", "ecr:BatchImportUpstreamImage"),
                  ("pull images from", "ecr:BatchGetImage"), ("push images to", "ecr:PutImage"))


def _public_registry_use(statement: Statement) -> str:
    """The finding on a public statement of a registry policy, by the uses it covers."""
    return public_grant(statement, f"{statement.granted(_REGISTRY_USES)} the registry",
                        accounts_that("replicate into it"))


@stack_policy(
    "ecr-repository-policy-not-public", (REPOSITORY, REPOSITORY_POLICY, CREATION_TEMPLATE, REGISTRY_POLICY),
    description="No ECR repository policy, nor one a repository creation template gives the repositories ECR creates, "
                "may let every AWS account pull or push their images; nor may the registry's policy let every account "
                "replicate images into the registry or create repositories in it.",
    severity=Severity.CRITICAL,
    anchors=("CKV_AWS_32",),
)
def repository_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a RepositoryPolicy (for a repository in the stack or outside it), of a
    RepositoryCreationTemplate's `repositoryPolicy`, or of a RegistryPolicy (which, under the default registry policy
    scope V2, grants every ECR action it names across the registry), has Principal `*` (or `{"AWS": "*"}`) or a
    NotPrincipal unless its condition names the callers by fixed values of `aws:PrincipalOrgID`,
    `aws:PrincipalAccount`, `aws:SourceAccount`, ... (as for SQS and SNS); unknown documents or conditions are not
    judged"""
    for owner, statement in public_resource_policies(args.resources, (REPOSITORY,), REPOSITORY_POLICY, "repository",
                                                   ("name",), "repository", regional=True):
        yield _public_use(statement, "the repository's images"), owner.urn
    for template in of_type(args.resources, CREATION_TEMPLATE):
        source = f"repository creation template {template.name} (repositoryPolicy)"
        for statement in public_statements(peek(template.props, "repositoryPolicy"), source):
            yield _public_use(statement, "the images of every repository ECR creates from it"), template.urn
    for registry in of_type(args.resources, REGISTRY_POLICY):
        for statement in public_statements(peek(registry.props, "policy"), f"registry policy {registry.name}"):
            yield _public_registry_use(statement), registry.urn
