"""CloudFront distributions, standard and multi-tenant, judged by what pulumi-aws sends (a cache behavior's
`viewerProtocolPolicy` and a custom origin's `originProtocolPolicy` and `originSslProtocols` are required;
`minimumProtocolVersion` defaults to TLSv1), each type read by its own names (`NAMES`)."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, is_map, is_seq, is_true, peek, peek_items
from ..core.registry import ADVISORY, resource_policy, resource_policy_by_type
from . import DISTRIBUTION_TENANT, DISTRIBUTIONS, NAMES

# Security policies at least as strict as AWS's recommended one for viewers (TLS 1.2, 2021 ciphers; botocore's
# cloudfront MinimumProtocolVersion lists the rest).
_CURRENT_TLS_POLICIES = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
# What an older policy lets viewers do (CloudFront's "Supported protocols and ciphers between viewers and
# CloudFront" table): the protocols below TLS 1.2 it still accepts, or, from TLSv1.2_2018 on, the ciphers
# TLSv1.2_2021 dropped.
_OLD_TLS_POLICIES = {
    "SSLv3": "viewers may connect with SSL 3.0, TLS 1.0 or 1.1 and old ciphers",
    "TLSv1": "viewers may connect with TLS 1.0 or 1.1 and old ciphers",
    "TLSv1_2016": "viewers may connect with TLS 1.0 or 1.1 and old ciphers",
    "TLSv1.1_2016": "viewers may connect with TLS 1.1 and old ciphers",
    "TLSv1.2_2018": "TLS 1.2 is the floor, but viewers may still use CBC ciphers, and RSA key exchange without forward "
                     "secrecy",
    "TLSv1.2_2019": "TLS 1.2 is the floor, but viewers may still use CBC (SHA-256 and SHA-384) ciphers",
}


def _behaviors(args: ResourceValidationArgs) -> Iterator[tuple[str, Any]]:
    yield "defaultCacheBehavior", peek(args.props, "defaultCacheBehavior")
    ordered = NAMES[args.resource_type].ordered_behaviors
    for i, behavior in enumerate(peek_items(args.props, ordered)):
        yield f"{ordered}[{i}]", behavior


def _custom_origins(args: ResourceValidationArgs) -> Iterator[tuple[str, Any]]:
    """Each origin's custom origin settings, with where they are (`origins[0] (shop).customOriginConfig`)."""
    names = NAMES[args.resource_type]
    for i, origin in enumerate(peek_items(args.props, "origins")):
        if not is_map(origin):
            continue
        name = peek(origin, names.origin_id)
        where = f"origins[{i}]{f' ({name})' if isinstance(name, str) else ''}.{names.custom_origin}"
        configs = peek(origin, names.custom_origin)
        for j, config in enumerate(peek_items(origin, names.custom_origin)):
            yield (f"{where}[{j}]" if is_seq(configs) else where), config


@resource_policy(
    "cloudfront-distribution-viewer-https", DISTRIBUTIONS,
    description="CloudFront distributions must take viewers' requests over HTTPS only (https-only, or "
                "redirect-to-https), so no cookie, token or page crosses the internet in plain text.",
    severity=Severity.HIGH,
    anchors=("Security Hub CloudFront.3", "CKV_AWS_34"),
)
def viewer_https(args: ResourceValidationArgs) -> Iterator[str]:
    """no cache behavior (`defaultCacheBehavior`, `orderedCacheBehaviors[]`, a multi-tenant distribution's
    `cacheBehaviors[]`) has `viewerProtocolPolicy` allow-all; an unknown one is not judged"""
    for where, behavior in _behaviors(args):
        if is_map(behavior) and peek(behavior, "viewerProtocolPolicy") == "allow-all":
            path = peek(behavior, "pathPattern") if where != "defaultCacheBehavior" else None
            yield (f"{where}{f' ({path})' if isinstance(path, str) else ''}: viewerProtocolPolicy is allow-all, so "
                   "viewers may send and get it over plain HTTP; set redirect-to-https or https-only")


@resource_policy(
    "cloudfront-distribution-origin-https", DISTRIBUTIONS,
    description="CloudFront distributions must reach custom origins over HTTPS, with no SSLv3: the hop from the edge "
                "to the origin crosses the internet too.",
    severity=Severity.HIGH,
    anchors=("Security Hub CloudFront.9", "Security Hub CloudFront.10"),
)
def origin_https(args: ResourceValidationArgs) -> Iterator[str]:
    """each `origins[].customOriginConfig` (a multi-tenant distribution's `origins[].customOriginConfigs[]`) has
    `originProtocolPolicy` https-only or match-viewer (which is HTTPS where viewers are held to it,
    `cloudfront-distribution-viewer-https`), and no SSLv3 in `originSslProtocols`; unknown values are not judged. A
    VPC origin (`vpcOriginConfig`, `vpcOriginConfigs[]`, its protocol set on an `aws:cloudfront/vpcOrigin:VpcOrigin`)
    is not judged: CloudFront reaches it over a private connection into the VPC"""
    for where, config in _custom_origins(args):
        if not is_map(config):
            continue
        if peek(config, "originProtocolPolicy") == "http-only":
            yield (f"{where}: originProtocolPolicy is http-only; set https-only, with a certificate on the origin (an "
                   "S3 website endpoint has no HTTPS: use the bucket's REST endpoint with origin access control)")
        if "SSLv3" in [p for p in peek_items(config, "originSslProtocols") if p is not UNKNOWN]:
            yield f"{where}: originSslProtocols lists SSLv3, which is broken (POODLE); list TLSv1.2 alone"


@resource_policy(
    "cloudfront-distribution-tls-policy", DISTRIBUTIONS,
    description="CloudFront distributions with their own certificate must take TLS 1.2 or newer from viewers, with "
                "a current cipher list (TLSv1.2_2021 or later).",
    severity=Severity.MEDIUM,
    anchors=("CKV_AWS_174",), anchor_note="CKV_AWS_174 takes TLSv1.2_2018 and later; this asks for the 2021 ciphers",
)
def tls_policy(args: ResourceValidationArgs) -> Iterator[str]:
    """with `viewerCertificate.acmCertificateArn` or `iamCertificateId` (none on a multi-tenant distribution),
    `minimumProtocolVersion` is TLSv1.2_2021, TLSv1.2_2025 or TLSv1.3_2025 (left out, TLSv1: the provider sends it for
    a distribution, and pulumi-aws documents it as a multi-tenant one's default); a distribution on CloudFront's
    default certificate, whose policy is TLSv1 and cannot change, is not judged; unknown values are not judged"""
    certificate = peek(args.props, "viewerCertificate")
    if not is_map(certificate) or is_true(peek(certificate, "cloudfrontDefaultCertificate")):
        return
    if not any(has_text(peek(certificate, key)) or peek(certificate, key) is UNKNOWN
               for key in NAMES[args.resource_type].certificates):
        return
    version = peek(certificate, "minimumProtocolVersion")
    if version is UNKNOWN or version in _CURRENT_TLS_POLICIES:
        return
    allows = _OLD_TLS_POLICIES.get(version if has_text(version) else "TLSv1",
                                   "viewers may connect with old protocols or ciphers")
    yield (f"viewerCertificate.minimumProtocolVersion is {version if has_text(version) else 'unset (TLSv1)'}: "
           f"{allows}; set TLSv1.2_2021 or later")


def _distribution_waf(props: Any) -> Iterator[str]:
    if peek(props, "webAclId") in (None, ""):
        yield "webAclId is not set: no web ACL filters requests before they reach the cache and the origins"


def _tenant_waf(props: Any) -> Iterator[str]:
    # pulumi-aws sends each of these blocks as one object (a list of one in the provider's schema): read either.
    for customizations in peek_items(props, "customizations"):
        for web_acl in peek_items(customizations, "webAcl"):
            if peek(web_acl, "action") == "disable":
                yield ("customizations.webAcl.action is disable: the tenant's domains get no web ACL, not even the "
                       "multi-tenant distribution's; drop the webAcl customization, or override with a web ACL")


resource_policy_by_type(
    "cloudfront-distribution-waf",
    {**dict.fromkeys(DISTRIBUTIONS, _distribution_waf), DISTRIBUTION_TENANT: _tenant_waf},
    description="CloudFront distributions should be behind an AWS WAF web ACL, which filters requests at the edge.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub CloudFront.6",),
    checks="""
    `webAclId` is set, known or not; a multi-tenant distribution's tenant (which takes its web ACL) does not set
    `customizations.webAcl.action` disable, which leaves the tenant's domains with none""",
)
