"""ECR guardrails against tests/programs/policy_ecr (raw repositories, their policies and the registry's scanning
configuration)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found, program_fixtures

PROGRAM = "policy_ecr"
M, A = "mandatory", "advisory"
SCAN, IMMUTABLE = "ecr-repository-scan-on-push", "ecr-repository-tag-immutability"
LIFECYCLE, PUBLIC = "ecr-repository-lifecycle-policy", "ecr-repository-policy-not-public"

FAILING = [
    Finding(SCAN, "bare", M, "repository bare scans no image on push: set imageScanningConfiguration.scanOnPush, or "
                             "add a rule matching it to the registry's scanning configuration"),
    # The registry's rule covers team-* repositories only, and ECR ignores the repository's own setting there.
    Finding(SCAN, "other-api", M, "repository other-api scans no image on push: no rule of the registry's scanning "
                                  "configuration matches it, and ECR then ignores its own scanOnPush"),
    Finding(IMMUTABLE, "bare", A, "imageTagMutability is unset (MUTABLE): a push may move a tag to another image"),
    Finding(IMMUTABLE, "mutable", A, "imageTagMutability is MUTABLE"),
    Finding(LIFECYCLE, "bare", A, "repository bare has no lifecycle policy: its images are kept forever"),
    Finding(PUBLIC, "shared", M, "repository shared (policy in RepositoryPolicy shared-policy) statement OrgPulls "
                                 "allows Principal * with no condition naming an account or organization"),
]
PASSING = [
    *((policy, "orders") for policy in (SCAN, IMMUTABLE, LIFECYCLE, PUBLIC)),
    (SCAN, "team-api"), (SCAN, "mutable"), (LIFECYCLE, "mutable"), (PUBLIC, "bare"),
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
