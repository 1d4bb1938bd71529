"""CodeBuild projects, judged by what pulumi-aws sends (terraform-provider-aws `aws_codebuild_project`) and what
CreateProject does with what it leaves out (botocore's codebuild model). BatchGetProjects returns a project's
sources and environment variables, in plain text, to anyone allowed to read the project."""
from __future__ import annotations

from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, is_map, is_true, peek, peek_items
from ..core.registry import ADVISORY, knob_names, resource_policy, string_list
from ..core.secret_names import SECRET_NAME_KNOBS, normalised, plainly, secret_kinds, secret_variables
from . import PROJECT


def _blocks(props: Any, primary: str, secondary: str, identifier: str) -> Iterator[tuple[str, Any]]:
    """(label, block) for a primary block (`source`, `artifacts`) and each entry of its secondary list (a CodeBuild
    project has up to 12), labelled by its identifier; an entry unknown until the update is left out, and so is one
    whose identifier, which its label names, is: a first preview must not word a finding otherwise."""
    yield primary, peek(props, primary)
    for i, block in enumerate(peek_items(props, secondary)):
        name = peek(block, identifier)
        if is_map(block) and name is not UNKNOWN:
            yield f"{secondary}[{i}]" + (f" ('{name}')" if has_text(name) else ""), block


def _credential(location: Any) -> Optional[str]:
    """What a source location's URL holds before its host, if a credential: "a password" after a user name
    (`https://user:app-password@bitbucket.org/...`, Bitbucket's `x-token-auth:<token>@`), or "a token" where the
    user name alone is one by its shape (`https://ghp_...@github.com/...`); None for a location without either (an S3
    path, `https://alice@bitbucket.org/...`, which Bitbucket shows for cloning, an unknown value)."""
    if not isinstance(location, str) or "@" not in location:
        return None
    try:
        url = urlsplit(location.strip())
        user, password = url.username, url.password
    except ValueError:
        return None
    if password:
        return "a password"
    return "a token" if user and secret_kinds([user])[0] else None


@resource_policy(
    "codebuild-project-source-no-credentials", PROJECT,
    description="CodeBuild projects must not keep a password or token in a source repository's URL; connect the "
                "source through CodeConnections, OAuth or Secrets Manager (`auth`) or the account's source "
                "credential.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub CodeBuild.1", "Config codebuild-project-source-repo-url-check", "CT.CODEBUILD.PR.1"),
    anchor_note="CodeBuild.1 reads Bitbucket sources only; a credential in any source's URL is one",
)
def source_no_credentials(args: ResourceValidationArgs) -> Iterator[str]:
    """no `location` of `source` or of a `secondarySources[]` entry is a URL whose user info holds a password
    (`https://user:secret@host/...`) or a token by its shape alone (`https://ghp_...@github.com/...`), whatever the
    source type; a user name alone passes (Bitbucket's clone URL has one); the credential is never echoed, and an
    unknown location, or secondary source identifier, is not judged"""
    for label, source in _blocks(args.props, "source", "secondarySources", "sourceIdentifier"):
        held = _credential(peek(source, "location"))
        if held:
            yield (f"{label}.location holds {held} in its URL, which BatchGetProjects returns to anyone allowed to "
                   "read the project; remove it and connect the source through `auth` (CODECONNECTIONS, OAUTH or "
                   "SECRETS_MANAGER) or the account's source credential, and revoke the leaked one")


# The keys AWS's CodeBuild.2 looks for, in any spelling the name patterns read as them (`aws_access_key_id`): a
# build has the service role's credentials without them.
_AWS_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def _plain_variables(props: Any) -> Iterator[tuple[Any, Any]]:
    """(name, value) for each `environment.environmentVariables[]` entry of type PLAINTEXT, the API's and the
    provider's default when `type` is left out; an entry or a type unknown until the update is left out."""
    for variable in peek_items(props, "environment", "environmentVariables"):
        kind = peek(variable, "type") if is_map(variable) else UNKNOWN
        if kind is None or kind == "PLAINTEXT":
            yield peek(variable, "name"), peek(variable, "value")


@resource_policy(
    "codebuild-project-no-secret-env", PROJECT,
    description="CodeBuild projects must not pass secrets, AWS access keys among them, as PLAINTEXT environment "
                "variables; use type SECRETS_MANAGER or PARAMETER_STORE, and the service role for AWS calls.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub CodeBuild.2", "Config codebuild-project-envvar-awscred-check", "CT.CODEBUILD.PR.2"),
    anchor_note="CodeBuild.2 looks for AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; the policy for the names and "
                "values ecs-taskdef-no-secret-env (Security Hub ECS.8) looks for, those two among them",
    config=SECRET_NAME_KNOBS,
)
def no_secret_env(args: ResourceValidationArgs) -> Iterator[str]:
    """no `environment.environmentVariables[]` entry of type PLAINTEXT (the default) is named like a secret (AWS's
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and the names ECS containers are held to; knobs
    `secretKeyPatterns`, `allowedKeys`), nor does its value hold a secret detect-secrets knows by its shape; entries
    of type SECRETS_MANAGER or PARAMETER_STORE name their secret and pass; the value is never echoed, and an unknown
    entry or type is not judged"""
    for name, kind in secret_variables(args, _plain_variables(args.props)):
        fix = ("drop it: a build calls AWS with the project's service role" if normalised(name) in _AWS_KEYS else
               "keep it in Secrets Manager or Parameter Store and give the variable type SECRETS_MANAGER or "
               "PARAMETER_STORE, its value the secret's or parameter's name")
        yield (f"environment.environmentVariables passes {plainly(name, kind, 'variable')}, which "
               f"BatchGetProjects returns to anyone allowed to read the project; {fix}")


@resource_policy(
    "codebuild-project-privileged-mode", PROJECT,
    description="CodeBuild projects should not run privileged (their own Docker daemon, root on it) unless they "
                "build container images.",
    severity=Severity.HIGH, level=ADVISORY,
    anchors=("Security Hub CodeBuild.5", "Config codebuild-project-environment-privileged-check", "CT.CODEBUILD.PR.4"),
    config={"exemptProjects": string_list(
        "Project names (or resource names; shell-style wildcards) that build container images and so need "
        "privileged mode, as the Config rule's exemptedProjects; say why next to the config.")},
)
def privileged_mode(args: ResourceValidationArgs) -> Iterator[str]:
    """`environment.privilegedMode` is not true (left out, false) unless knob `exemptProjects` names the project
    (by its `name` or resource name); an unknown switch is not judged, and a name is read only for a finding"""
    if not is_true(peek(args.props, "environment", "privilegedMode")):
        return
    if knob_names(args, "exemptProjects", peek(args.props, "name")):
        return
    yield ("environment.privilegedMode is true: every build runs its own Docker daemon with access to all devices, "
           "so buildspec commands and the code they fetch act as root on it; turn it off unless the project builds "
           "images, and then name the project in exemptProjects")


@resource_policy(
    "codebuild-project-logging", PROJECT,
    description="CodeBuild projects must log their builds to CloudWatch Logs or S3, so what a build ran and pushed "
                "leaves a record.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub CodeBuild.4", "Config codebuild-project-logging-enabled", "CT.CODEBUILD.PR.3"),
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`logsConfig.cloudwatchLogs.status` or `logsConfig.s3Logs.status` is ENABLED: left out, the provider sends
    CloudWatch Logs ENABLED and S3 logs DISABLED (so does a `cloudwatchLogs` block without a status), so only a
    project that turns CloudWatch Logs off without turning S3 logs on fails; unknown values are not judged"""
    cloudwatch = peek(args.props, "logsConfig", "cloudwatchLogs", "status")
    s3 = peek(args.props, "logsConfig", "s3Logs", "status")
    if cloudwatch == "DISABLED" and s3 not in ("ENABLED", UNKNOWN):
        yield (f"logsConfig.cloudwatchLogs.status is DISABLED and s3Logs.status is {s3 or 'unset (DISABLED)'}: no "
               "build's output is kept; enable either (cloudwatchLogs.status ENABLED is the default)")


@resource_policy(
    "codebuild-project-s3-logs-encrypted", PROJECT,
    description="CodeBuild projects that log to S3 must let CodeBuild encrypt the logs (`encryptionDisabled` not "
                "true).",
    severity=Severity.MEDIUM,
    anchors=("Security Hub CodeBuild.3", "Config codebuild-project-s3-logs-encrypted", "CT.CODEBUILD.PR.6"),
    anchor_note="Security Hub may report encryptionDisabled on S3 logs that are themselves DISABLED, which write "
                "nothing; the policy passes them",
)
def s3_logs_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """where `logsConfig.s3Logs.status` is ENABLED (left out, DISABLED), `logsConfig.s3Logs.encryptionDisabled` is
    not true (left out, false: S3 build logs are encrypted by default); unknown values are not judged"""
    logs = peek(args.props, "logsConfig", "s3Logs")
    if is_map(logs) and peek(logs, "status") == "ENABLED" and is_true(peek(logs, "encryptionDisabled")):
        yield ("logsConfig.s3Logs.encryptionDisabled is true: CodeBuild writes the build logs to S3 without "
               "encrypting them, leaving them to the bucket's default encryption; drop it (false is the default)")


# What encryptionDisabled true does to the output of each type terraform-provider-aws sends it for
# (expandProjectArtifacts).
_UNENCRYPTED_OUTPUT = {
    "S3": "CodeBuild writes the build output (type S3) to S3 without encrypting it, leaving it to the bucket's "
          "default encryption",
    "CODEPIPELINE": "it asks CodeBuild to leave the build output (type CODEPIPELINE) it puts in the pipeline's "
                    "artifact store unencrypted, a switch CodeBuild's API documents for S3 artifacts only "
                    "(InvalidInputException on another type)",
}


@resource_policy(
    "codebuild-project-artifacts-encrypted", PROJECT,
    description="CodeBuild projects must let CodeBuild encrypt their build output artifacts (`encryptionDisabled` "
                "not true on `artifacts` or a `secondaryArtifacts` entry).",
    severity=Severity.MEDIUM,
    anchors=("Config codebuild-project-artifact-encryption", "CT.CODEBUILD.PR.5"),
)
def artifacts_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """neither `artifacts` nor a `secondaryArtifacts[]` entry of type S3 or CODEPIPELINE (the types the provider
    sends the switch for; NO_ARTIFACTS writes nothing) has `encryptionDisabled` true (left out, false: CodeBuild
    encrypts output artifacts by default). botocore's ProjectArtifacts documents the switch for S3 only, and an
    InvalidInputException for another type, while the provider and Config's rule take CODEPIPELINE's too, as the
    policy does; an unknown type or switch is not judged"""
    for label, artifacts in _blocks(args.props, "artifacts", "secondaryArtifacts", "artifactIdentifier"):
        kind = peek(artifacts, "type")
        output = _UNENCRYPTED_OUTPUT.get(kind) if isinstance(kind, str) else None
        if output and is_true(peek(artifacts, "encryptionDisabled")):
            yield f"{label}.encryptionDisabled is true: {output}; drop it (false is the default)"


@resource_policy(
    "codebuild-project-not-public", PROJECT,
    description="CodeBuild projects must keep their builds private: a PUBLIC_READ project shows every build's "
                "results, logs and artifacts to anyone, without an AWS account.",
    severity=Severity.HIGH,
    anchors=(),
    anchor_note="UpdateProjectVisibility's warning in the CodeBuild API reference; no Security Hub, Config or "
                "Control Tower control reads `projectVisibility`",
    config={"publicProjects": string_list(
        "Project names (or resource names; shell-style wildcards) that publish their builds on purpose, an open "
        "source project's for its contributors; say why next to the config.")},
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`projectVisibility` is not PUBLIC_READ (left out, PRIVATE: the provider's default) unless knob
    `publicProjects` names the project (by its `name` or resource name); an unknown visibility is not judged, and a
    name is read only for a finding"""
    if peek(args.props, "projectVisibility") != "PUBLIC_READ":
        return
    if knob_names(args, "publicProjects", peek(args.props, "name")):
        return
    yield ("projectVisibility is PUBLIC_READ: anyone can read every build's results, logs and artifacts, those of "
           "builds run while the project was private too, and whatever a build printed or packaged; set PRIVATE "
           "(the default), or name a project that publishes its builds on purpose in publicProjects")
