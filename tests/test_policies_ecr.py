"""ECR guardrails against tests/programs/policy_ecr (raw repositories, their policies and the registry's scanning
configuration)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                        policies_found, program_fixtures)

PROGRAM = "policy_ecr"
M, A = "mandatory", "advisory"
SCAN, IMMUTABLE = "ecr-repository-scan-on-push", "ecr-repository-tag-immutability"
LIFECYCLE, PUBLIC = "ecr-repository-lifecycle-policy", "ecr-repository-policy-not-public"
CACHE = "ecr-pull-through-cache-lifecycle-policy"

FAILING = [
    Finding(SCAN, "bare", M, "repository bare scans no image on push: set imageScanningConfiguration.scanOnPush, or "
                             "add a rule matching it to the registry's scanning configuration"),
    # The registry's rule covers team-* repositories only, and ECR ignores the repository's own setting there.
    Finding(SCAN, "other-api", M, "repository other-api scans no image on push: no rule of the registry's scanning "
                                  "configuration matches it, and ECR then ignores its own scanOnPush"),
    Finding(IMMUTABLE, "bare", A, "imageTagMutability is unset (MUTABLE): a push may move a tag to another image"),
    Finding(IMMUTABLE, "mutable", A, "imageTagMutability is MUTABLE"),
    Finding(IMMUTABLE, "push-template", A, "imageTagMutability is unset (MUTABLE), which ECR gives the repositories "
                                           "it creates from this template on push: a push may move a tag to another "
                                           "image"),
    Finding(LIFECYCLE, "push-template", A, "repository creation template push-template has no lifecyclePolicy: the "
                                           "repositories ECR creates from it on push keep their images forever; add "
                                           "one that expires untagged images and keeps the last few releases"),
    # Immutable tags would keep ECR from refreshing the cache's images.
    Finding(IMMUTABLE, "ireland-root", A, "imageTagMutability is unset (MUTABLE), which ECR gives the repositories it "
                                          "creates from this template by replication: a push may move a tag to "
                                          "another image, and tasks that start later run it; set IMMUTABLE (and pin "
                                          "images by digest) (ECR may then not refresh the images of the "
                                          "pull-through caches it also serves: serve PULL_THROUGH_CACHE from a "
                                          "template of its own)"),
    Finding(LIFECYCLE, "bare", A, "repository bare has no lifecycle policy: its images are kept forever"),
    Finding(PUBLIC, "shared", M, "repository shared (policy in RepositoryPolicy shared-policy) statement OrgPulls "
                                 "allows Principal * with no condition naming an account or organization"),
    # The template of its prefix serves replication only, and no ROOT one serves its region: ECR's defaults.
    Finding(CACHE, "quay-cache", A, "pull-through cache rule quay-cache has no repository creation template for its "
                                    "prefix quay (nor a ROOT one) that applies to PULL_THROUGH_CACHE"),
    # `k8s/` is the rule's `k8s` to ECR.
    Finding(CACHE, "k8s-template", A, "repository creation template k8s-template, which ECR applies to the "
                                      "repositories pull-through cache rule k8s-cache creates, has no lifecyclePolicy"),
    Finding(PUBLIC, "k8s-template", M, "repository creation template k8s-template (repositoryPolicy) statement Public "
                                       "allows Principal * with no condition naming an account or organization: any "
                                       "AWS account's principals may use the images of every repository ECR creates "
                                       "from it"),
    Finding(PUBLIC, "ireland-registry-policy", M, "registry policy ireland-registry-policy statement Replication "
                                                  "allows Principal * with no condition naming an account or "
                                                  "organization: any AWS account's principals may replicate images "
                                                  "into and create repositories in the registry"),
]
PASSING = [
    *((policy, "orders") for policy in (SCAN, IMMUTABLE, LIFECYCLE, PUBLIC)),
    (SCAN, "team-api"), (SCAN, "mutable"), (LIFECYCLE, "mutable"), (PUBLIC, "bare"),
    # eu-west-1's cache takes its region's ROOT template, not us-east-1's of its prefix.
    (CACHE, "ecr-public-cache"), (CACHE, "ecr-public-template"), (CACHE, "ireland-cache"),
    (PUBLIC, "ecr-public-template"), (PUBLIC, "quay-template"), (PUBLIC, "registry-policy"),
    # A cache's template is left mutable (ECR refreshes cached tags from upstream); one for replication is judged.
    (IMMUTABLE, "k8s-template"), (IMMUTABLE, "quay-template"),
    # A cache's template is ecr-pull-through-cache-lifecycle-policy's; one for replication has a lifecycle policy.
    (LIFECYCLE, "k8s-template"), (LIFECYCLE, "quay-template"), (LIFECYCLE, "ireland-root"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


REPOSITORY = "aws:ecr/repository:Repository"
REGISTRY = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"


@pytest.mark.parametrize("frequency, pattern, name, reported", [
    ("SCAN_ON_PUSH", "*", "orders", False), ("CONTINUOUS_SCAN", "ord*s", "orders", False),
    ("MANUAL", "*", "orders", True), ("SCAN_ON_PUSH", "prod-*", "orders", True),
    # A filter without a wildcard matches the names that contain it.
    ("SCAN_ON_PUSH", "orders", "orders-api", False), ("SCAN_ON_PUSH", "orders", "billing", True),
    # What is known only after the update is not judged, unless the filter already cannot match.
    (UNKNOWN, "*", "orders", False), (UNKNOWN, "prod-*", "orders", True), ("SCAN_ON_PUSH", UNKNOWN, "orders", False),
    ("SCAN_ON_PUSH", "*", UNKNOWN, False)])
def test_a_registry_rule_scans_the_repositories_its_filter_matches(frequency, pattern, name, reported):
    # The repository's own scanOnPush is ignored where the registry's configuration decides.
    repository = Res(REPOSITORY, "repo", {"name": name, "imageTagMutability": "IMMUTABLE",
                                          "imageScanningConfiguration": {"scanOnPush": True}})
    registry = Res(REGISTRY, "registry", {"scanType": "ENHANCED", "rules": [
        {"scanFrequency": frequency, "repositoryFilters": [{"filter": pattern, "filterType": "WILDCARD"}]}]})
    found = policies_found([repository, registry])
    assert (SCAN in found) == reported, found


@pytest.mark.parametrize("registry, own, reported", [
    # Basic scanning without rules is the account's default: each repository's own setting decides.
    ({"scanType": "BASIC"}, True, False), ({"scanType": "BASIC", "rules": []}, False, True),
    # Enhanced scanning scans no repository no rule matches, whatever its own setting.
    ({"scanType": "ENHANCED"}, True, True), ({"scanType": UNKNOWN}, True, False), ({"scanType": UNKNOWN}, False, True)])
def test_a_registry_configuration_decides_only_with_rules_or_enhanced_scanning(registry, own, reported):
    repository = Res(REPOSITORY, "repo", {"name": "orders", "imageTagMutability": "IMMUTABLE",
                                          "imageScanningConfiguration": {"scanOnPush": own}})
    found = policies_found([repository, Res(REGISTRY, "registry", registry)])
    assert (SCAN in found) == reported, found


RULE = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule"
TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate"
KEEP = '{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "sinceImagePulled", ' \
       '"countUnit": "days", "countNumber": 30}, "action": {"type": "expire"}}]}'


def cache_findings(*templates: Res, rule: dict = {}) -> set[tuple[str, str]]:
    """(resource, message) of each ecr-pull-through-cache-lifecycle-policy finding on a rule of prefix ecr-public in
    us-east-1 and `templates`."""
    cache = Res(RULE, "cache", {"ecrRepositoryPrefix": "ecr-public", "upstreamRegistryUrl": "public.ecr.aws",
                                "region": "us-east-1", **rule})
    return {(name, message) for policy, name, message in findings(analyze([cache, *templates])) if policy == CACHE}


def template(name: str = "template", refs: dict = {}, **props) -> Res:
    return Res(TEMPLATE, name, {"prefix": "ecr-public", "appliedFors": ["PULL_THROUGH_CACHE"], "lifecyclePolicy": KEEP,
                                "region": "us-east-1", **props}, refs=refs)


@pytest.mark.parametrize("props, reported", [
    ({}, None), ({"prefix": "ecr-public/"}, None), ({"lifecyclePolicy": UNKNOWN}, None),
    # Left out, the repositories get none: findings on the template that decides.
    ({"lifecyclePolicy": None}, "template"), ({"lifecyclePolicy": ""}, "template"),
    # Another prefix, scenario or region: ECR's defaults, found on the rule.
    ({"prefix": "quay"}, "cache"), ({"appliedFors": ["REPLICATION"]}, "cache"), ({"region": "eu-west-1"}, "cache"),
    # What a first preview does not know yet is not judged.
    ({"prefix": UNKNOWN}, None), ({"appliedFors": UNKNOWN}, None), ({"appliedFors": [UNKNOWN]}, None),
    ({"region": UNKNOWN}, None), ({"prefix": UNKNOWN, "lifecyclePolicy": None}, None)])
def test_a_cache_rules_repositories_take_the_template_of_its_prefix_and_region(props, reported):
    found = cache_findings(template(**props))
    assert {name for name, _ in found} == ({reported} if reported else set()), found


def test_a_rule_without_any_template_is_found_and_an_unknown_prefix_of_its_own_changes_nothing():
    for rule in ({}, {"ecrRepositoryPrefix": UNKNOWN}):
        (found,) = cache_findings(rule=rule)
        assert found[0] == "cache" and "ECR creates its repositories with no lifecycle policy" in found[1], found


def test_a_root_template_takes_the_rules_no_template_of_its_prefix_serves():
    root = template("root", prefix="ROOT")
    assert cache_findings(root) == set()
    # One of the prefix for replication only is passed over; one for the cache decides, with or without a policy.
    assert cache_findings(root, template(appliedFors=["REPLICATION"], lifecyclePolicy=None)) == set()
    assert {name for name, _ in cache_findings(root, template(lifecyclePolicy=None))} == {"template"}
    assert {name for name, _ in cache_findings(template("root", prefix="ROOT", lifecyclePolicy=None))} == {"root"}
    # While a template's prefix is unknown it may be the rule's, which would decide instead of ROOT.
    assert cache_findings(template("root", prefix="ROOT", lifecyclePolicy=None), template(prefix=UNKNOWN)) == set()


@pytest.mark.parametrize("elsewhere, rule, reported", [
    ([], {}, True), (["ecr-public"], {}, False), (["ecr-public/"], {}, False), (["ROOT"], {}, False),
    (["quay"], {}, True), (["quay"], {"ecrRepositoryPrefix": UNKNOWN}, False)])
def test_a_rules_template_managed_outside_the_stack_is_not_asked_of_it(elsewhere, rule, reported):
    cache = Res(RULE, "cache", {"ecrRepositoryPrefix": "ecr-public", "upstreamRegistryUrl": "public.ecr.aws",
                                "region": "us-east-1", **rule})
    config = {CACHE: {"templatesManagedElsewhere": elsewhere}}
    assert (CACHE in policies_found([cache], config)) == reported
    # A template of the rule's own prefix in the stack decides before any ROOT one, wherever that is.
    if elsewhere == ["ROOT"]:
        assert CACHE in policies_found([cache, template(lifecyclePolicy=None)], config)


def test_a_template_whose_prefix_is_made_from_the_rules_takes_it_while_unknown():
    made = template(prefix=UNKNOWN, lifecyclePolicy=None, refs={"prefix": ["cache"]})
    assert {name for name, _ in cache_findings(made)} == {"template"}


@pytest.mark.parametrize("scenarios, mutability, reported", [
    (["CREATE_ON_PUSH"], None, True), (["REPLICATION"], "MUTABLE_WITH_EXCLUSION", True),
    (["CREATE_ON_PUSH", "REPLICATION"], "IMMUTABLE", False), (["REPLICATION"], "IMMUTABLE_WITH_EXCLUSION", False),
    # A cache's only: not judged.
    (["PULL_THROUGH_CACHE"], None, False),
    # What a first preview does not know yet is not judged, beside a scenario that is known too: the finding would
    # name the known one only (or leave out a cache's).
    (UNKNOWN, None, False), ([UNKNOWN], None, False), ([UNKNOWN, "CREATE_ON_PUSH"], None, False),
    (["CREATE_ON_PUSH"], UNKNOWN, False)])
def test_a_template_for_push_or_replication_keeps_tags_immutable(scenarios, mutability, reported):
    made = template(prefix="team", appliedFors=scenarios, imageTagMutability=mutability)
    assert (IMMUTABLE in policies_found([made])) == reported


@pytest.mark.parametrize("scenarios, policy, reported", [
    (["REPLICATION"], None, True), (["CREATE_ON_PUSH", "PULL_THROUGH_CACHE"], "", True),
    (["CREATE_ON_PUSH"], KEEP, False), (["PULL_THROUGH_CACHE"], None, False),
    # What a first preview does not know yet is not judged, beside a scenario that is known too (the finding would
    # name the known one only).
    ([UNKNOWN], None, False), ([UNKNOWN, "REPLICATION"], None, False), (["REPLICATION"], UNKNOWN, False)])
def test_a_template_for_push_or_replication_has_a_lifecycle_policy(scenarios, policy, reported):
    made = template(prefix="team", appliedFors=scenarios, imageTagMutability="IMMUTABLE", lifecyclePolicy=policy)
    assert (LIFECYCLE in policies_found([made])) == reported


PUBLIC_PULLS = '{"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": {"AWS": "*"}, ' \
               '"Action": "ecr:BatchGetImage"%s}]}'


@pytest.mark.parametrize("policy, reported", [
    (PUBLIC_PULLS % "", True),
    (PUBLIC_PULLS % ', "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}', False),
    (PUBLIC_PULLS % ', "Condition": {"StringLike": {"aws:PrincipalOrgID": "*"}}', True),
    (PUBLIC_PULLS % ', "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/puller"}}', True),
    # StringEquals reads `*` as itself: no organization's id is `*`, so no one is let in.
    (PUBLIC_PULLS % ', "Condition": {"StringEquals": {"aws:PrincipalOrgID": "*"}}', False),
    # The repository's own organization (an AWS data-perimeter condition), as ${aws:ResourceAccount} is its account.
    (PUBLIC_PULLS % ', "Condition": {"StringEquals": {"aws:PrincipalOrgID": "${aws:ResourceOrgID}"}}', False),
    (PUBLIC_PULLS % ', "Condition": {"StringEquals": {"aws:PrincipalOrgID": "${aws:PrincipalOrgID}"}}', True),
    # Every session of one role, by its unique id (S3's "The meaning of public"); a pattern of ids names no one.
    (PUBLIC_PULLS % ', "Condition": {"StringLike": {"aws:userid": "AROAEXAMPLEROLEID1234:*"}}', False),
    (PUBLIC_PULLS % ', "Condition": {"StringLike": {"aws:userid": "AROA*:*"}}', True),
    (PUBLIC_PULLS % ', "Condition": {"StringLike": {"aws:userid": "anonymous"}}', True),
    # Left out, the repositories get no policy; unknown, it is not judged.
    (None, False), (UNKNOWN, False)])
def test_a_creation_templates_repository_policy_is_judged_as_a_repositorys(policy, reported):
    found = {(name, message) for policy_name, name, message in findings(analyze([template(repositoryPolicy=policy)]))
             if policy_name == PUBLIC}
    assert bool(found) == reported, found
    if reported:
        (found,) = found
        assert found == ("template", "repository creation template template (repositoryPolicy) statement Anyone "
                                     "allows Principal * with no condition naming an account or organization: any "
                                     "AWS account's principals may use the images of every repository ECR creates "
                                     "from it; name the accounts that pull, or add a condition such as StringEquals "
                                     "aws:PrincipalOrgID <your organization>")


REGISTRY_POLICY = "aws:ecr/registryPolicy:RegistryPolicy"


def registry_policy(principal: str = '"*"', action: str = '"ecr:ReplicateImage"', condition: str = "") -> str:
    return ('{"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": %s, "Action": %s%s}]}'
            % (principal, action, f', "Condition": {condition}' if condition else ""))


@pytest.mark.parametrize("policy, uses", [
    (registry_policy(), "replicate images into the registry"),
    # Under the registry policy scope V2, every account's default, it grants any ECR action it names.
    (registry_policy('{"AWS": "*"}', '"ecr:*"'), "replicate images into, create repositories in, import upstream "
                                                "images into, pull images from and push images to the registry"),
    (registry_policy(action='["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]'), "pull images from the registry"),
    # An organization's accounts, or one account, named by a condition or as the principal: not public.
    (registry_policy(condition='{"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}'), None),
    (registry_policy(condition='{"StringEquals": {"aws:SourceAccount": "111122223333"}}'), None),
    (registry_policy('{"AWS": "111122223333"}'), None),
    # What a first preview does not know yet is not judged.
    (UNKNOWN, None)])
def test_a_registry_policy_lets_no_account_in_but_those_it_names(policy, uses):
    found = {(name, message) for policy_name, name, message in
             findings(analyze([Res(REGISTRY_POLICY, "registry", {"policy": policy})])) if policy_name == PUBLIC}
    assert found == ({("registry", "registry policy registry statement Anyone allows Principal * with no condition "
                                   f"naming an account or organization: any AWS account's principals may {uses}; "
                                   "name the accounts that replicate into it, or add a condition such as "
                                   "StringEquals aws:PrincipalOrgID <your organization>")} if uses else set()), found
