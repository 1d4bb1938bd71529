"""CodeBuild guardrails against tests/programs/policy_codebuild (raw build projects)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_codebuild"
M = "mandatory"
SOURCE = "codebuild-project-source-no-credentials"
READABLE = "in its URL, which BatchGetProjects returns to anyone allowed to read the project"

FAILING = [
    Finding(SOURCE, "leaky-build", M, f"source.location holds a password {READABLE}; remove it and connect the "
                                      "source through `auth` (CODECONNECTIONS, OAUTH or SECRETS_MANAGER)"),
    Finding(SOURCE, "token-build", M, f"secondarySources[0] ('tools').location holds a token {READABLE}"),
]
PASSING = [
    (SOURCE, "orders-build"),
    # A user name alone: Bitbucket's clone URL.
    (SOURCE, "billing-build"),
    # A location known only after the update.
    (SOURCE, "later-build"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def project(**settings):
    return Res("aws:codebuild/project:Project", "build", {
        "name": "build", "serviceRole": "arn:aws:iam::123456789012:role/b", "tags": DEFAULT_TAGS,
        "artifacts": {"type": "NO_ARTIFACTS"}, "source": {"type": "GITHUB", "location": "https://github.com/o/r"},
        "environment": {"computeType": "BUILD_GENERAL1_SMALL", "image": "aws/codebuild/standard:7.0",
                        "type": "LINUX_CONTAINER"}, **settings})


@pytest.mark.parametrize("location, reported", [
    ("https://github.com/o/r.git", False), ("https://alice@bitbucket.org/o/r.git", False), ("o-bucket/src.zip", False),
    ("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r", False), (UNKNOWN, False), ("https://u:@h/r", False),
    # A password after any user name (Bitbucket's x-token-auth, GitLab's oauth2), in any source type.
    ("https://alice:" + "app-password@bitbucket.org/o/r.git", True),
    ("https://x-token-auth:" + "abc123@bitbucket.org/o/r", True),
    ("https://oauth2:glpat-" + "abcdefghijklmnopqrst@gitlab.com/o/r.git", True),
    ("https://u:" + "p@git-codecommit.us-east-1.amazonaws.com/v1/repos/r", True),
    # A token as the user name, known by its shape.
    ("https://glpat-" + "abcdefghijklmnopqrst@gitlab.com/o/r.git", True)])
def test_a_source_url_holds_no_credential(location, reported):
    primary = project(source={"type": "GITHUB", "location": location})
    secondary = project(secondarySources=[{"type": "GITHUB", "sourceIdentifier": "s", "location": location}])
    assert (policies_found([primary]) == {SOURCE}) == reported
    assert (policies_found([secondary]) == {SOURCE}) == reported


def test_unknown_secondary_sources_are_not_judged():
    assert policies_found([project(secondarySources=UNKNOWN)]) == set()
    assert policies_found([project(secondarySources=[UNKNOWN])]) == set()
