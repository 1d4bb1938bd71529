"""Private CAs that Service Connect issues its TLS certificates from.

A CA serves Service Connect when a Service Connect service's `tls.issuerCertAuthority.awsPcaAuthorityArn` refers
to it (a property dependency or its ARN), or when it carries the `AmazonECSManaged` tag.
"""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, is_map, peek
from ..core.registry import ADVISORY, stack_policy
from ..core.stack import of_type, prop, refers_to
from ..ecs import SERVICE
from ..ecs.service_connect import SC, is_enabled, sc_services
from ..tags import provider_default_tags
from . import CERTIFICATE_AUTHORITY

ECS_MANAGED_TAG = "AmazonECSManaged"


def _key_in(tags: Any, key: str) -> Any:
    """The key of `tags` that IAM's `aws:ResourceTag/<key>` matches: `key` itself, else one that differs only in
    case (IAM compares the tag key ignoring case, its value with case); None without one."""
    keys = [k for k in tags if isinstance(k, str)]
    return key if key in keys else next((k for k in keys if k.lower() == key.lower()), None)


def _tag(ca: Any, key: str) -> Any:
    """The CA's tag `key` (in any case, as IAM matches it): its value, None without it, UNKNOWN while it may be
    there. The computed `tagsAll` (its `tags` over its provider's default tags) is the answer where known; it is
    unknown in every first preview, and wherever one tag value is: then its own `tags` (which win), else the
    provider's default tags, tell."""
    every = peek(ca.props, "tagsAll")
    if is_map(every):
        found = _key_in(every, key)
        return peek(every, found) if found is not None else None
    for tags in (peek(ca.props, "tags"), provider_default_tags(ca)):
        if tags is UNKNOWN:
            return UNKNOWN
        if is_map(tags) and (found := _key_in(tags, key)) is not None:
            return peek(tags, found)
    return None


def _pca_arns(service: Any) -> list:
    return [peek(entry, "tls", "issuerCertAuthority", "awsPcaAuthorityArn")
            for _, entry in sc_services(prop(service, SC))]


def service_connect_cas(args: StackValidationArgs) -> list[Any]:
    """The CAs in the stack that Service Connect services issue from, or that are tagged for it."""
    services = [s for s in of_type(args.resources, SERVICE) if is_enabled(s)]
    found = []
    for ca in of_type(args.resources, CERTIFICATE_AUTHORITY):
        used = any(refers_to(s, SC, [a for a in _pca_arns(s) if a is not None], ca, keys=("arn",))
                   for s in services)
        if used or _tag(ca, ECS_MANAGED_TAG) not in (None, UNKNOWN):
            found.append(ca)
    return found


@stack_policy(
    "acmpca-ca-service-connect-tag", CERTIFICATE_AUTHORITY,
    description="Private CAs used by Service Connect must be tagged AmazonECSManaged=true, or ECS cannot use them.",
    severity=Severity.HIGH,
)
def ecs_managed_tag(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a CA a Service Connect service issues from carries the tag `AmazonECSManaged` = `true`, in lower case: ECS's
    managed TLS policy grants its PCA calls on that tag by StringEquals, which compares the value's case (IAM matches
    the tag key in any case)"""
    for ca in service_connect_cas(args):
        value = _tag(ca, ECS_MANAGED_TAG)
        if value is not UNKNOWN and value != "true":
            shown = "is missing" if value is None else f"is {value!r}"
            yield (f"certificate authority {ca.name}: tag {ECS_MANAGED_TAG} {shown}; Service Connect uses only CAs "
                   f"tagged {ECS_MANAGED_TAG}=true"), ca.urn


@stack_policy(
    "acmpca-ca-short-lived", CERTIFICATE_AUTHORITY,
    description="Private CAs for Service Connect should issue short-lived certificates (cheaper, no revocation needed).",
    severity=Severity.LOW, level=ADVISORY,
)
def short_lived(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a CA for Service Connect has `usageMode` SHORT_LIVED_CERTIFICATE (ECS rotates every 5 days)"""
    for ca in service_connect_cas(args):
        mode = peek(ca.props, "usageMode")
        if mode is UNKNOWN or mode == "SHORT_LIVED_CERTIFICATE":
            continue
        yield (f"certificate authority {ca.name}: usageMode is {mode or 'unset (GENERAL_PURPOSE)'}; use "
               "SHORT_LIVED_CERTIFICATE (certificates live at most 7 days; ECS rotates them every 5)"), ca.urn
