"""CodeBuild projects, judged by what pulumi-aws sends (terraform-provider-aws `aws_codebuild_project`) and what
CreateProject does with what it leaves out (botocore's codebuild model). BatchGetProjects returns a project's
sources and environment variables, in plain text, to anyone allowed to read the project."""
from __future__ import annotations

from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import has_text, is_map, peek, peek_items
from ..core.registry import resource_policy
from ..core.secret_names import secret_kinds
from . import PROJECT


def _sources(props: Any) -> Iterator[tuple[str, Any]]:
    """(label, block) for the primary `source` and each `secondarySources[]` entry (a CodeBuild project has up to 12);
    an entry unknown until the update is left out."""
    yield "source", peek(props, "source")
    for i, source in enumerate(peek_items(props, "secondarySources")):
        if is_map(source):
            name = peek(source, "sourceIdentifier")
            yield f"secondarySources[{i}]" + (f" ('{name}')" if has_text(name) else ""), source


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
    unknown location is not judged"""
    for label, source in _sources(args.props):
        held = _credential(peek(source, "location"))
        if held:
            yield (f"{label}.location holds {held} in its URL, which BatchGetProjects returns to anyone allowed to "
                   "read the project; remove it and connect the source through `auth` (CODECONNECTIONS, OAUTH or "
                   "SECRETS_MANAGER) or the account's source credential, and revoke the leaked one")
