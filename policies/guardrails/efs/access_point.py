"""EFS access points: an access point confines an NFS client to a directory and to one POSIX identity only when it
says which (botocore's efs model: the root directory defaults to `/`, and without `PosixUser` the client's own IDs
are used)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, number, peek
from ..core.registry import resource_policy
from . import ACCESS_POINT


@resource_policy(
    "efs-access-point-root-directory", ACCESS_POINT,
    description="EFS access points must confine their clients to a directory below the file system's root, so one "
                "application cannot read or change another's files.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EFS.3", "Config efs-access-point-enforce-root-directory"),
)
def root_directory(args: ResourceValidationArgs) -> Iterator[str]:
    """`rootDirectory.path` is set and is not `/` (left out, EFS exposes the whole file system); an unknown value is
    not judged"""
    path = peek(args.props, "rootDirectory", "path")
    if path is UNKNOWN or (has_text(path) and path.strip().rstrip("/") != ""):
        return
    state = "/" if has_text(path) else "unset (/)"
    yield (f"rootDirectory.path is {state}: clients of the access point see the whole file system; set a directory "
           "of this application's own (with creationInfo, so EFS makes it)")


@resource_policy(
    "efs-access-point-user-identity", ACCESS_POINT,
    description="EFS access points must enforce a POSIX user, so every file operation through them runs as that "
                "user and group whatever IDs the client claims.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EFS.4", "Config efs-access-point-enforce-user-identity"),
)
def user_identity(args: ResourceValidationArgs) -> Iterator[str]:
    """`posixUser` is set (known or not), with a `uid` other than 0: without it a client's own user and group IDs,
    root's too, are used, and with uid 0 every client acts as root (EFS's "Enforcing a user identity using an access
    point": given ClientRootAccess, which a file system without a policy grants everyone); an unknown uid is not
    judged"""
    user = peek(args.props, "posixUser")
    if user is None:
        yield ("posixUser is not set: clients act with whatever user and group IDs they send, root's included; set "
               "posixUser's uid and gid")
    elif user is not UNKNOWN and number(peek(user, "uid")) == 0:
        yield ("posixUser.uid is 0: every client of the access point acts as root, whatever IDs it sends, wherever "
               "the file system policy grants elasticfilesystem:ClientRootAccess (a file system without a policy "
               "grants it to every client); set the application's own non-root uid")
