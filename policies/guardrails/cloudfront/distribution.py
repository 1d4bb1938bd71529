"""CloudFront distributions, standard and multi-tenant, judged by what pulumi-aws sends (a cache behavior's
`viewerProtocolPolicy` and a custom origin's `originProtocolPolicy` and `originSslProtocols` are required;
`minimumProtocolVersion` defaults to TLSv1), each type read by its own names (`NAMES`)."""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, has_text, is_map, is_seq, is_set, is_true, peek, peek_items
from ..core.registry import ADVISORY, resource_policy, resource_policy_by_type, stack_policy
from ..core.stack import of_type
from ..cloudwatch import delivery_may_send, telemetry_may_log
from . import DISTRIBUTION_TENANT, DISTRIBUTIONS, MULTITENANT_DISTRIBUTION, NAMES, ORIGIN_ACCESS_CONTROL, Names

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


def _origins(props: Any, names: Names) -> Iterator[tuple[str, Any]]:
    """Each origin, with where it is (`origins[0] (shop)`)."""
    for i, origin in enumerate(peek_items(props, "origins")):
        if is_map(origin):
            name = peek(origin, names.origin_id)
            yield f"origins[{i}]{f' ({name})' if isinstance(name, str) else ''}", origin


def _custom_origins(args: ResourceValidationArgs) -> Iterator[tuple[str, Any]]:
    """Each origin's custom origin settings, with where they are (`origins[0] (shop).customOriginConfig`)."""
    names = NAMES[args.resource_type]
    for where, origin in _origins(args.props, names):
        configs, path = peek(origin, names.custom_origin), f"{where}.{names.custom_origin}"
        for j, config in enumerate(peek_items(origin, names.custom_origin)):
            yield (f"{path}[{j}]" if is_seq(configs) else path), config


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


def _own_certificate(args: ResourceValidationArgs) -> Any:
    """`viewerCertificate` where it serves a certificate of the distribution's own (ACM's or IAM's, known or not), not
    CloudFront's default one; else None."""
    certificate = peek(args.props, "viewerCertificate")
    if not is_map(certificate) or is_true(peek(certificate, "cloudfrontDefaultCertificate")):
        return None
    if not any(has_text(peek(certificate, key)) or peek(certificate, key) is UNKNOWN
               for key in NAMES[args.resource_type].certificates):
        return None
    return certificate


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
    certificate = _own_certificate(args)
    if certificate is None:
        return
    version = peek(certificate, "minimumProtocolVersion")
    if version is UNKNOWN or version in _CURRENT_TLS_POLICIES:
        return
    allows = _OLD_TLS_POLICIES.get(version if has_text(version) else "TLSv1",
                                   "viewers may connect with old protocols or ciphers")
    yield (f"viewerCertificate.minimumProtocolVersion is {version if has_text(version) else 'unset (TLSv1)'}: "
           f"{allows}; set TLSv1.2_2021 or later")


@resource_policy(
    "cloudfront-distribution-sni", DISTRIBUTIONS,
    description="CloudFront distributions with their own certificate should serve HTTPS with SNI, not from dedicated "
                "IP addresses, which AWS bills per certificate for viewers too old to send SNI.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub CloudFront.8", "Config cloudfront-sni-enabled"),
)
def sni(args: ResourceValidationArgs) -> Iterator[str]:
    """with `viewerCertificate.acmCertificateArn` or `iamCertificateId`, `sslSupportMethod` is not vip (botocore's
    ViewerCertificate: "not recommended, and results in additional monthly charges"; static-ip, which CloudFront
    enables on request, is not judged); a distribution on CloudFront's default certificate, or an unknown method, is
    not judged. Advisory: a cost ($600 a month per certificate, pro-rated by the hour: AWS's pricing whitepaper),
    not a weakness"""
    certificate = _own_certificate(args)
    if certificate is not None and peek(certificate, "sslSupportMethod") == "vip":
        yield ("viewerCertificate.sslSupportMethod is vip: CloudFront serves the certificate from dedicated IP "
               "addresses at every edge location, billed $600 a month per certificate, only for viewers that send "
               "no SNI (browsers before 2010); set sni-only")


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


# An S3 bucket's REST endpoint, the domain of an S3 origin: `<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>...`,
# the legacy `<bucket>.s3-<region>...`, dual-stack, China's `.amazonaws.com.cn`. Not a website endpoint
# (`s3-website-<region>`, `s3-website.<region>`): CloudFront takes that as a custom origin, which no origin access
# control signs for.
_S3_REST_ENDPOINT = re.compile(r".\.s3(\.dualstack)?([.-][a-z]{2}(-[a-z]+)+-\d+)?\.amazonaws\.com(\.cn)?\.?$")
# What S3 does with a request no one signed: it answers it as it would anyone's.
_PUBLIC = "only a bucket anyone may read serves them"


def _unsigned_s3_origin(where: str, legacy_identity: str) -> str:
    """The finding on an S3 origin without an origin access control; where its type has a legacy identity (a
    multi-tenant distribution's origin has none), it names that case too."""
    signed, unset = "", ""
    if legacy_identity:
        signed = (f", or signed by a legacy origin access identity ({legacy_identity}), which serves SSE-KMS buckets, "
                  "PUT and DELETE, and Regions opened since December 2022 only with workarounds or not at all")
        unset = f", {legacy_identity.rsplit('.', 1)[-1]} \"\""
    return (f"{where}: an S3 origin with no origin access control (originAccessControlId), so CloudFront's requests "
            f"reach the bucket unsigned{',' if signed else ''} and {_PUBLIC}{signed}; give it an origin access control "
            f"for s3 that signs them (signingBehavior always{unset}), and let the bucket policy admit this "
            "distribution alone")


def _s3_origins(props: Any, names: Names) -> Iterator[tuple[str, Any, bool]]:
    """Each S3 origin, with where it is and whether it is reached as a custom origin: one with neither custom nor
    VPC origin settings (`s3OriginConfig`, or the empty one the provider sends for such an origin), or with custom
    origin settings on a bucket's REST endpoint. An origin whose settings or domain are unknown is none."""
    for where, origin in _origins(props, names):
        custom, vpc = peek(origin, names.custom_origin), peek(origin, names.vpc_origin)
        domain = peek(origin, "domainName")
        if custom is None and vpc is None:
            yield where, origin, False
        elif (is_map(custom) or is_seq(custom)) and isinstance(domain, str) \
                and _S3_REST_ENDPOINT.search(domain.lower()):
            yield where, origin, True


def _unsigned_s3_origins(names: Names) -> Callable[[Any], Iterator[str]]:
    """The check of the S3 origins of one distribution type, read by its names."""

    def check(props: Any) -> Iterator[str]:
        for where, origin, as_custom in _s3_origins(props, names):
            if is_set(origin, "originAccessControlId"):
                continue
            if not as_custom:
                # A legacy identity, if any, is not read: one message serves both.
                yield _unsigned_s3_origin(where, names.legacy_identity)
            else:
                yield (
                    f"{where}.{names.custom_origin}: {peek(origin, 'domainName')} is an S3 bucket's REST endpoint, "
                    f"reached as a custom origin, so CloudFront's requests reach the bucket unsigned and {_PUBLIC}; "
                    f"make it an S3 origin (drop {names.custom_origin}) with an origin access control")

    return check


def _origin_access_control(props: Any) -> Iterator[str]:
    if peek(props, "originAccessControlOriginType") == "s3" and peek(props, "signingBehavior") == "never":
        yield (f"signingBehavior is never: CloudFront signs no request to the S3 origins that use it, so {_PUBLIC}; "
               "set always")


resource_policy_by_type(
    "cloudfront-distribution-s3-origin-access-control",
    {**{type_: _unsigned_s3_origins(names) for type_, names in NAMES.items()},
     ORIGIN_ACCESS_CONTROL: _origin_access_control},
    description="CloudFront distributions must reach S3 buckets through an origin access control that signs their "
                "requests, so each bucket can admit its distribution alone and no one else.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub CloudFront.13", "Config cloudfront-s3-origin-access-control-enabled"),
    checks="""
    each S3 origin sets `originAccessControlId` (known or not): an origin with `s3OriginConfig`, or with neither
    custom nor VPC origin settings (the provider then sends an empty `s3OriginConfig`; a multi-tenant distribution's
    S3 origins are these), or with custom origin settings on a bucket's REST endpoint
    (`<bucket>.s3[.<region>].amazonaws.com`, which CloudFront's API says is an S3 origin). A legacy origin access
    identity (`s3OriginConfig.originAccessIdentity`) does not count: CloudFront.13 fails it. A website endpoint
    (`s3-website`), a custom origin that no origin access control signs for, is not judged, nor an origin whose
    settings or domain are unknown; whether an origin without one has an identity is not read. An
    `aws:cloudfront/originAccessControl:OriginAccessControl` for s3 does not set `signingBehavior` never, which signs
    no request (botocore's OriginAccessControlConfig)""",
)


@resource_policy(
    "cloudfront-distribution-default-root-object", DISTRIBUTIONS,
    description="CloudFront distributions with an S3 origin must name a default root object, so that a request for "
                "the root URL returns that object and not the bucket's listing.",
    severity=Severity.HIGH,
    anchors=("Security Hub CloudFront.1", "Config cloudfront-default-root-object-configured"),
)
def default_root_object(args: ResourceValidationArgs) -> Iterator[str]:
    """with an S3 origin (as `cloudfront-distribution-s3-origin-access-control` tells one: neither custom nor VPC
    origin settings, or custom settings on a bucket's REST endpoint), `defaultRootObject` is set; CloudFront.1 does
    not apply to a distribution with custom origins only (a website endpoint's serves its own index document), nor is
    an origin whose settings or domain are unknown, or an unknown `defaultRootObject`, judged. Without one, CloudFront
    passes a request for the root to the origin: a bucket lists its objects to whoever may list them (CloudFront's
    guide, "How CloudFront works if you don't define a root object")"""
    root = peek(args.props, "defaultRootObject")
    if root is UNKNOWN or has_text(root):
        return
    s3_origin = next(_s3_origins(args.props, NAMES[args.resource_type]), None)
    if s3_origin is not None:
        yield (f"defaultRootObject is not set, and {s3_origin[0]} is an S3 origin: a request for the root URL reaches "
               "the bucket itself, which lists its objects to anyone it lets list them, or answers with an error; "
               "set defaultRootObject (index.html, say)")


# Standard logging v2: the log type a vended log delivery sends a distribution's access logs as (logs'
# PutDeliverySource: "For CloudFront, the valid value is ACCESS_LOGS"), the type a telemetry rule names
# distributions by (observabilityadmin's ResourceType), and the one region CloudFront's delivery sources live in
# (CloudFront's "Configure standard logging (v2)": "you must specify the US East (N. Virginia) Region (us-east-1)").
_ACCESS_LOGS = "ACCESS_LOGS"
_TELEMETRY_TYPE = "AWS::CloudFront::Distribution"
_DELIVERY_REGION = "us-east-1"


@stack_policy(
    "cloudfront-distribution-logging", DISTRIBUTIONS,
    description="CloudFront distributions must keep access logs, the record of every viewer request: standard logging "
                "to an S3 bucket, or a CloudWatch log delivery (standard logging v2).",
    severity=Severity.MEDIUM,
    anchors=("Security Hub CloudFront.5", "Config cloudfront-accesslogs-enabled", "CKV_AWS_86"),
    anchor_note="CloudFront.5 reads the legacy loggingConfig only",
)
def distribution_logging(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """`loggingConfig.bucket` is set (pulumi-aws: legacy logging is on when it is), or a CloudWatch vended log delivery
    sends the access logs (standard logging v2): a `LogDeliverySource` in us-east-1 (the only region CloudFront's
    guide lets the CloudWatch API enable it from; one in another region does not count) of `logType` ACCESS_LOGS whose
    `resourceArn` names the distribution, named by a `LogDelivery`'s `deliverySourceName`, or a telemetry rule for
    AWS::CloudFront::Distribution logs, as for `elb-loadbalancer-access-logs`; a bucket, source, region or delivery
    unknown during preview that may be it counts. A multi-tenant distribution has no `loggingConfig` in pulumi-aws, so
    only a delivery or a telemetry rule logs it (CloudFront's standard logging reference gives access logs a
    `distribution-tenant-id` field). Security Hub CloudFront.5 runs Config's `cloudfront-accesslogs-enabled`, which
    reads legacy logging only, and would report a distribution logged through CloudWatch only"""
    for distribution in of_type(args.resources, *DISTRIBUTIONS):
        bucket = peek(distribution.props, "loggingConfig", "bucket")
        if bucket is UNKNOWN or has_text(bucket):
            continue
        if telemetry_may_log(args.resources, _TELEMETRY_TYPE, (_ACCESS_LOGS,)) \
                or delivery_may_send(args.resources, distribution, _ACCESS_LOGS, _DELIVERY_REGION):
            continue
        if distribution.resource_type == MULTITENANT_DISTRIBUTION:  # pulumi-aws gives it no loggingConfig
            missing, fix = "a multi-tenant distribution has no loggingConfig", ""
        else:
            missing = ("loggingConfig is not set" if peek(distribution.props, "loggingConfig") is None
                       else "loggingConfig has no bucket")
            fix = "set loggingConfig.bucket, or "
        yield (f"{missing} and no CloudWatch log delivery sends its access logs (a LogDeliverySource in "
               f"{_DELIVERY_REGION} of logType {_ACCESS_LOGS} naming it in resourceArn, which a LogDelivery "
               f"delivers): nothing records who requested what through the distribution; {fix}deliver its access "
               "logs through CloudWatch (standard logging v2)"), distribution.urn
