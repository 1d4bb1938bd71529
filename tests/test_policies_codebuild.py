"""CodeBuild guardrails against tests/programs/policy_codebuild (raw build projects)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (CLEAN_VALUES, DEFAULT_TAGS, SECRET_VALUES, UNKNOWN, Finding,
                                         InsecureProgramSuite, Res, analyze, findings, policies_found, program_fixtures)

PROGRAM = "policy_codebuild"
M, A = "mandatory", "advisory"
SOURCE = "codebuild-project-source-no-credentials"
SECRET_ENV = "codebuild-project-no-secret-env"
PRIVILEGED = "codebuild-project-privileged-mode"
LOGGING = "codebuild-project-logging"
S3_LOGS = "codebuild-project-s3-logs-encrypted"
ARTIFACTS = "codebuild-project-artifacts-encrypted"
PUBLIC = "codebuild-project-not-public"
CONFIG = {PRIVILEGED: {"exemptProjects": ["orders-image-*"]}, PUBLIC: {"publicProjects": ["oss-*"]}}
READABLE = "in its URL, which BatchGetProjects returns to anyone allowed to read the project"
PASSES = "environment.environmentVariables passes"
READ = "which BatchGetProjects returns to anyone allowed to read the project"
STORED = ("keep it in Secrets Manager or Parameter Store and give the variable type SECRETS_MANAGER or "
          "PARAMETER_STORE, its value the secret's or parameter's name")

FAILING = [
    Finding(SOURCE, "leaky-build", M, f"source.location holds a password {READABLE}; remove it and connect the "
                                      "source through `auth` (CODECONNECTIONS, OAUTH or SECRETS_MANAGER)"),
    Finding(SOURCE, "token-build", M, f"secondarySources[0] ('tools').location holds a token {READABLE}"),
    # Judged once its identifier, which the message names, is known (not in a first preview).
    Finding(SOURCE, "later-tools-build", M, f"secondarySources[0] ('tools').location holds a password {READABLE}"),
    Finding(SECRET_ENV, "plain-secrets-build", M, f"{PASSES} AWS_ACCESS_KEY_ID as a plain variable, {READ}; drop "
                                                  "it: a build calls AWS with the project's service role"),
    Finding(SECRET_ENV, "plain-secrets-build", M, f"{PASSES} AWS_SECRET_ACCESS_KEY as a plain variable, {READ}"),
    Finding(SECRET_ENV, "plain-secrets-build", M, f"{PASSES} dbPassword as a plain variable, {READ}; {STORED}"),
    Finding(SECRET_ENV, "plain-secrets-build", M, f"{PASSES} BUILD_INFO as a plain variable whose value holds GitHub "
                                                  f"Token (detect-secrets), {READ}; {STORED}"),
    Finding(PRIVILEGED, "tests-build", A, "environment.privilegedMode is true: every build runs its own Docker daemon "
                                          "with access to all devices, so buildspec commands and the code they fetch "
                                          "act as root on it; turn it off unless the project builds images, and then "
                                          "name the project in exemptProjects"),
    Finding(LOGGING, "silent-build", M, "logsConfig.cloudwatchLogs.status is DISABLED and s3Logs.status is unset "
                                        "(DISABLED): no build's output is kept; enable either (cloudwatchLogs.status "
                                        "ENABLED is the default)"),
    Finding(S3_LOGS, "unencrypted-logs-build", M, "logsConfig.s3Logs.encryptionDisabled is true: CodeBuild writes the "
                                                  "build logs to S3 without encrypting them, leaving them to the "
                                                  "bucket's default encryption; drop it (false is the default)"),
    Finding(ARTIFACTS, "unencrypted-artifacts-build", M, "artifacts.encryptionDisabled is true: CodeBuild writes the "
                                                         "build output (type S3) to S3 without encrypting it, leaving "
                                                         "it to the bucket's default encryption; drop it (false is "
                                                         "the default)"),
    Finding(ARTIFACTS, "unencrypted-artifacts-build", M, "secondaryArtifacts[0] ('reports').encryptionDisabled is "
                                                         "true: CodeBuild writes the build output (type S3) to S3"),
    Finding(ARTIFACTS, "pipeline-build", M, "artifacts.encryptionDisabled is true: it asks CodeBuild to leave the "
                                            "build output (type CODEPIPELINE) it puts in the pipeline's artifact "
                                            "store unencrypted, a switch CodeBuild's API documents for S3 artifacts "
                                            "only (InvalidInputException on another type); drop it (false is the "
                                            "default)"),
    Finding(PUBLIC, "public-build", M, "projectVisibility is PUBLIC_READ: anyone can read every build's results, logs "
                                       "and artifacts, those of builds run while the project was private too, and "
                                       "whatever a build printed or packaged; set PRIVATE (the default), or name a "
                                       "project that publishes its builds on purpose in publicProjects"),
]
PASSING = [
    (SOURCE, "orders-build"),
    # A user name alone: Bitbucket's clone URL.
    (SOURCE, "billing-build"),
    # A location known only after the update.
    (SOURCE, "later-build"),
    # Secrets Manager and Parameter Store variables, and a plain one that holds none.
    (SECRET_ENV, "orders-build"),
    # A variable's type known only after the update.
    (SECRET_ENV, "later-build"),
    # Left out (false); an image build the config exempts; a switch known only after the update.
    (PRIVILEGED, "orders-build"), (PRIVILEGED, "orders-image-build"), (PRIVILEGED, "later-build"),
    # logsConfig left out (CloudWatch Logs); S3 logs instead; an S3 status known only after the update.
    (LOGGING, "orders-build"), (LOGGING, "archived-build"), (LOGGING, "later-build"),
    # No S3 logs; S3 logs CodeBuild encrypts (the default); the switch on S3 logs that are off; a status and a switch
    # known only after the update.
    (S3_LOGS, "orders-build"), (S3_LOGS, "archived-build"), (S3_LOGS, "unlogged-build"), (S3_LOGS, "later-build"),
    # No artifacts; artifacts CodeBuild encrypts (left out, false); the switch on no artifacts, which the provider
    # drops; a type and a switch known only after the update.
    (ARTIFACTS, "orders-build"), (ARTIFACTS, "packaged-build"), (ARTIFACTS, "scratch-build"),
    (ARTIFACTS, "later-build"),
    # Left out (PRIVATE); an open source project the config names; a visibility known only after the update.
    (PUBLIC, "orders-build"), (PUBLIC, "oss-sdk-build"), (PUBLIC, "later-build"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


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
    # The identifier a finding names: unknown, the message would change once it is known.
    leaky = "https://u:" + "p@bitbucket.org/o/r.git"
    assert policies_found([project(secondarySources=[{"type": "BITBUCKET", "location": leaky,
                                                      "sourceIdentifier": UNKNOWN}])]) == set()


@pytest.mark.parametrize("variable, reported", [
    ({"name": "AWS_ACCESS_KEY_ID", "value": "AKIA" + "IOSFODNN7EXAMPLE"}, True),
    ({"name": "AWS_SECRET_ACCESS_KEY", "value": "k", "type": "PLAINTEXT"}, True),
    ({"name": "DB_PASSWORD", "value": "hunter2"}, True),
    ({"name": "DATABASE_URL", "value": "postgres://app:" + "hunter2@db:5432/orders"}, True),
    # The secret's or parameter's name, substituted at build time.
    ({"name": "AWS_SECRET_ACCESS_KEY", "value": "ci/aws-key", "type": "SECRETS_MANAGER"}, False),
    ({"name": "DB_PASSWORD", "value": "/ci/db-password", "type": "PARAMETER_STORE"}, False),
    ({"name": "STAGE", "value": "test"}, False), ({"name": "DATABASE_URL", "value": "postgres://app@db/orders"}, False),
    # Unknown until the update: the type, the value, the entry.
    ({"name": "DB_PASSWORD", "value": "hunter2", "type": UNKNOWN}, False),
    ({"name": "DATABASE_URL", "value": UNKNOWN}, False), (UNKNOWN, False)])
def test_a_plaintext_variable_holds_no_secret(variable, reported):
    environment = {"computeType": "BUILD_GENERAL1_SMALL", "image": "i", "type": "LINUX_CONTAINER",
                   "environmentVariables": [variable]}
    assert (policies_found([project(environment=environment)]) == {SECRET_ENV}) == reported


def test_an_allowed_key_passes_and_the_value_is_never_echoed():
    environment = {"computeType": "BUILD_GENERAL1_SMALL", "image": "i", "type": "LINUX_CONTAINER",
                   "environmentVariables": [{"name": "DB_PASSWORD", "value": "hunter2"}]}
    allowed = {SECRET_ENV: {"allowedKeys": ["DB_PASSWORD"]}}
    assert policies_found([project(environment=environment)], allowed) == set()
    report = analyze([project(environment=environment)], {"all": "mandatory"})
    assert [m for _, _, m in findings(report)] and not any("hunter2" in m for _, _, m in findings(report))


def _variable_findings(variables: dict) -> set[str]:
    environment = {"computeType": "BUILD_GENERAL1_SMALL", "image": "i", "type": "LINUX_CONTAINER",
                   "environmentVariables": [{"name": n, "value": v} for n, v in variables.items()]}
    report = analyze([project(environment=environment)], {"all": "disabled", SECRET_ENV: "mandatory"})
    return {message for _, _, message in findings(report)}


def test_aws_keys_in_any_spelling_are_dropped_not_stored():
    # The name patterns read them as words; so does the fix.
    for name in ("aws_access_key_id", "awsSecretAccessKey"):
        assert _variable_findings({name: "x"}) == {
            f"{PASSES} {name} as a plain variable, {READ}; drop it: a build calls AWS with the project's service role"}


def test_a_plaintext_value_is_read_as_the_other_families_read_theirs():
    for name, (value, kind) in SECRET_VALUES.items():
        assert _variable_findings({name: value, "STAGE": "test"}) == {
            f"{PASSES} {name} as a plain variable whose value holds {kind}, {READ}; {STORED}"}, name
    assert _variable_findings(CLEAN_VALUES) == set()


# A project whose name differs from its resource name ("build"), so a knob naming one is not read as naming the other.
NAMED = {"name": "image-builder"}


@pytest.mark.parametrize("privileged, exempt, reported", [
    (True, [], True), ("true", [], True), (False, [], False), (None, [], False), (UNKNOWN, [], False),
    # By the project's name or its resource name, with wildcards.
    (True, ["other-*"], True), (True, ["image-*"], False), (True, ["image-builder"], False), (True, ["build"], False),
    (True, ["bui*"], False)])
def test_a_project_runs_privileged_only_where_exempt(privileged, exempt, reported):
    environment = {"computeType": "BUILD_GENERAL1_SMALL", "image": "i", "type": "LINUX_CONTAINER",
                   **({} if privileged is None else {"privilegedMode": privileged})}
    config = {PRIVILEGED: {"exemptProjects": exempt}}
    assert (policies_found([project(environment=environment, **NAMED)], config) == {PRIVILEGED}) == reported


@pytest.mark.parametrize("privileged", [False, True])
def test_an_unknown_name_neither_stops_the_check_nor_adds_a_finding(privileged):
    # Read only for a finding; unknown, it may be one exemptProjects names.
    environment = {"computeType": "BUILD_GENERAL1_SMALL", "image": "i", "type": "LINUX_CONTAINER",
                   "privilegedMode": privileged}
    config = {PRIVILEGED: {"exemptProjects": ["image-*"]}}
    report = analyze([project(name=UNKNOWN, environment=environment)], {"all": "mandatory", **config})
    assert findings(report) == set() and not report.not_run


@pytest.mark.parametrize("logs, reported", [
    (None, False), ({}, False), ({"cloudwatchLogs": {}}, False), ({"cloudwatchLogs": {"status": "ENABLED"}}, False),
    ({"s3Logs": {"status": "DISABLED"}}, False),
    ({"cloudwatchLogs": {"status": "DISABLED"}, "s3Logs": {"status": "ENABLED", "location": "b/p"}}, False),
    ({"cloudwatchLogs": {"status": "DISABLED"}}, True),
    ({"cloudwatchLogs": {"status": "DISABLED"}, "s3Logs": {"status": "DISABLED"}}, True),
    ({"cloudwatchLogs": {"status": "DISABLED"}, "s3Logs": {"location": "b/p"}}, True),
    # Unknown until the update.
    (UNKNOWN, False), ({"cloudwatchLogs": {"status": UNKNOWN}}, False),
    ({"cloudwatchLogs": {"status": "DISABLED"}, "s3Logs": UNKNOWN}, False),
    ({"cloudwatchLogs": {"status": "DISABLED"}, "s3Logs": {"status": UNKNOWN}}, False)])
def test_a_project_logs_its_builds_somewhere(logs, reported):
    found = policies_found([project(**({} if logs is None else {"logsConfig": logs}))])
    assert (found == {LOGGING}) == reported


@pytest.mark.parametrize("s3_logs, reported", [
    ({"status": "ENABLED", "location": "b/p", "encryptionDisabled": True}, True),
    ({"status": "ENABLED", "location": "b/p", "encryptionDisabled": "true"}, True),
    ({"status": "ENABLED", "location": "b/p"}, False), ({"status": "ENABLED", "encryptionDisabled": False}, False),
    # S3 logs off (left out, DISABLED): nothing is written.
    ({"encryptionDisabled": True}, False), ({"status": "DISABLED", "encryptionDisabled": True}, False),
    # Unknown until the update.
    (UNKNOWN, False), ({"status": UNKNOWN, "encryptionDisabled": True}, False),
    ({"status": "ENABLED", "encryptionDisabled": UNKNOWN}, False)])
def test_s3_logs_are_encrypted_by_codebuild(s3_logs, reported):
    found = policies_found([project(logsConfig={"s3Logs": s3_logs})])
    assert (found == {S3_LOGS}) == reported


@pytest.mark.parametrize("artifacts, reported", [
    ({"type": "S3", "location": "b", "encryptionDisabled": True}, True),
    ({"type": "S3", "location": "b", "encryptionDisabled": "true"}, True),
    ({"type": "S3", "location": "b"}, False), ({"type": "S3", "location": "b", "encryptionDisabled": False}, False),
    # No output: the provider sends no switch.
    ({"type": "NO_ARTIFACTS", "encryptionDisabled": True}, False),
    # Unknown until the update.
    (UNKNOWN, False), ({"type": UNKNOWN, "encryptionDisabled": True}, False),
    ({"type": "S3", "encryptionDisabled": UNKNOWN}, False)])
def test_output_artifacts_are_encrypted_by_codebuild(artifacts, reported):
    # The primary block, and a secondary entry after one that passes.
    secondary = [{"type": "S3", "artifactIdentifier": "a", "location": "b"}, artifacts]
    assert (policies_found([project(artifacts=artifacts)]) == {ARTIFACTS}) == reported
    assert (policies_found([project(secondaryArtifacts=secondary)]) == {ARTIFACTS}) == reported


# CODEPIPELINE is the primary block's only: botocore's ProjectArtifacts.type "is not supported for secondaryArtifacts".
@pytest.mark.parametrize("artifacts, reported", [
    ({"type": "CODEPIPELINE", "encryptionDisabled": True}, True), ({"type": "CODEPIPELINE"}, False),
    ({"type": "CODEPIPELINE", "encryptionDisabled": False}, False)])
def test_a_pipeline_s_output_is_encrypted_by_codebuild(artifacts, reported):
    found = policies_found([project(source={"type": "CODEPIPELINE"}, artifacts=artifacts)])
    assert (found == {ARTIFACTS}) == reported


# A type the provider sends no switch for, and no string.
@pytest.mark.parametrize("kind", ["NO_ARTIFACTS", "s3", {"S3": True}, None])
def test_a_type_the_provider_sends_no_switch_for_is_not_judged(kind):
    assert policies_found([project(artifacts={"type": kind, "encryptionDisabled": True})]) == set()


def test_unknown_secondary_artifacts_are_not_judged():
    assert policies_found([project(secondaryArtifacts=UNKNOWN)]) == set()


@pytest.mark.parametrize("visibility, public, reported", [
    ("PUBLIC_READ", [], True), ("PRIVATE", [], False), (None, [], False), (UNKNOWN, [], False),
    # By the project's name or its resource name, with wildcards.
    ("PUBLIC_READ", ["oss-*"], True), ("PUBLIC_READ", ["image-*"], False), ("PUBLIC_READ", ["image-builder"], False),
    ("PUBLIC_READ", ["build"], False), ("PUBLIC_READ", ["bui*"], False)])
def test_a_project_is_public_only_where_named(visibility, public, reported):
    settings = {} if visibility is None else {"projectVisibility": visibility}
    config = {PUBLIC: {"publicProjects": public}}
    assert (policies_found([project(**settings, **NAMED)], config) == {PUBLIC}) == reported


@pytest.mark.parametrize("visibility", ["PRIVATE", "PUBLIC_READ"])
def test_an_unknown_name_neither_stops_the_visibility_check_nor_adds_a_finding(visibility):
    # Read only for a finding; unknown, it may be one publicProjects names.
    config = {PUBLIC: {"publicProjects": ["oss-*"]}}
    report = analyze([project(name=UNKNOWN, projectVisibility=visibility)], {"all": "mandatory", **config})
    assert findings(report) == set() and not report.not_run
