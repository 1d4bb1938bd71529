"""CloudFront guardrails: a distribution speaks HTTPS to viewers and origins, with a current TLS policy (served with
SNI, not from dedicated IP addresses), behind a web ACL, reaches S3 buckets through an origin access control (with a
default root object, so the root URL lists no bucket), and keeps access logs."""
from __future__ import annotations

from typing import NamedTuple

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
# A multi-tenant distribution (ConnectionMode tenant-only): the same DistributionConfig in CloudFront's API, so the
# same viewer, origin, certificate and web ACL settings, but pulumi-aws spells some of its blocks otherwise.
MULTITENANT_DISTRIBUTION = "aws:cloudfront/multitenantDistribution:MultitenantDistribution"
# A tenant of a multi-tenant distribution: its domains take the distribution's settings, but `customizations` may
# override its web ACL, or turn it off (CloudFront's WebAclCustomization action `disable`).
DISTRIBUTION_TENANT = "aws:cloudfront/distributionTenant:DistributionTenant"
# What signs CloudFront's requests to an origin (an S3 bucket, a Lambda function URL...), which origins name by id.
ORIGIN_ACCESS_CONTROL = "aws:cloudfront/originAccessControl:OriginAccessControl"


class Names(NamedTuple):
    """The wire names a distribution type gives the settings the policies read where the two types differ; both
    share `defaultCacheBehavior`, `viewerProtocolPolicy`, `pathPattern`, `origins` (`domainName`,
    `originAccessControlId`), `originProtocolPolicy`, `originSslProtocols`, `viewerCertificate`
    (`cloudfrontDefaultCertificate`, `acmCertificateArn`, `minimumProtocolVersion`) and `webAclId`; only a standard
    distribution's origin has `s3OriginConfig` (a legacy origin access identity)."""

    ordered_behaviors: str           # the cache behaviors after the default one, in order
    origin_id: str                   # an origin's own id, which behaviors target
    custom_origin: str               # an origin's custom origin settings: one block, or a list of one
    vpc_origin: str                  # an origin's VPC origin settings: one block, or a list of one
    certificates: tuple[str, ...]    # viewerCertificate's own certificates (not CloudFront's default one)
    legacy_identity: str = ""        # an S3 origin's legacy origin access identity, where the type has one


NAMES = {
    DISTRIBUTION: Names("orderedCacheBehaviors", "originId", "customOriginConfig", "vpcOriginConfig",
                        ("acmCertificateArn", "iamCertificateId"), "s3OriginConfig.originAccessIdentity"),
    # pulumi-aws 7's MultitenantDistribution{CacheBehavior,Origin,ViewerCertificate}Args: an origin's blocks are
    # lists, and there is no IAM certificate (CloudFront's API takes none on a multi-tenant distribution).
    MULTITENANT_DISTRIBUTION: Names("cacheBehaviors", "id", "customOriginConfigs", "vpcOriginConfigs",
                                    ("acmCertificateArn",)),
}
DISTRIBUTIONS = tuple(NAMES)
