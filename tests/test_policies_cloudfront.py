"""CloudFront guardrails against tests/programs/policy_cloudfront (raw distributions, standard and multi-tenant)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze,
                                         findings, policies_found, program_fixtures)

PROGRAM = "policy_cloudfront"
M, A = "mandatory", "advisory"
VIEWER, ORIGIN = "cloudfront-distribution-viewer-https", "cloudfront-distribution-origin-https"
TLS, WAF = "cloudfront-distribution-tls-policy", "cloudfront-distribution-waf"

FAILING = [
    Finding(VIEWER, "plain-viewers", M, "defaultCacheBehavior: viewerProtocolPolicy is allow-all, so viewers may send "
                                        "and get it over plain HTTP"),
    Finding(VIEWER, "plain-viewers", M, "orderedCacheBehaviors[0] (/static/*): viewerProtocolPolicy is allow-all"),
    Finding(ORIGIN, "plain-origin", M, "origins[0] (shop).customOriginConfig: originProtocolPolicy is http-only"),
    Finding(ORIGIN, "old-origin", M, "origins[0] (shop).customOriginConfig: originSslProtocols lists SSLv3"),
    Finding(TLS, "old-tls", M, "viewerCertificate.minimumProtocolVersion is unset (TLSv1): viewers may connect with "
                               "TLS 1.0 or 1.1"),
    Finding(WAF, "no-waf", A, "webAclId is not set"),
    # A multi-tenant distribution, read by its own names.
    Finding(VIEWER, "tenant-plain", M, "defaultCacheBehavior: viewerProtocolPolicy is allow-all"),
    Finding(VIEWER, "tenant-plain", M, "cacheBehaviors[0] (/static/*): viewerProtocolPolicy is allow-all"),
    Finding(ORIGIN, "tenant-plain", M, "origins[0] (shop).customOriginConfigs[0]: originProtocolPolicy is http-only"),
    Finding(ORIGIN, "tenant-plain", M, "origins[0] (shop).customOriginConfigs[0]: originSslProtocols lists SSLv3"),
    Finding(TLS, "tenant-plain", M, "viewerCertificate.minimumProtocolVersion is unset (TLSv1)"),
    Finding(WAF, "tenant-plain", A, "webAclId is not set"),
    Finding(WAF, "tenant-no-waf", A, "customizations.webAcl.action is disable: the tenant's domains get no web ACL"),
]
PASSING = [
    *((policy, name) for policy in (VIEWER, ORIGIN, TLS, WAF) for name in ("storefront", "tenant-storefront")),
    # CloudFront's own certificate keeps TLSv1, which no setting changes.
    (TLS, "default-certificate"),
    # A tenant with a web ACL of its own (action override).
    (WAF, "tenant-own-waf"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("version, reported", [
    ("TLSv1.2_2021", False), ("TLSv1.3_2025", False), ("TLSv1.2_2019", True), ("TLSv1", True), (UNKNOWN, False)])
def test_a_distribution_s_own_certificate_takes_a_current_tls_policy(version, reported):
    distribution = Res("aws:cloudfront/distribution:Distribution", "edge", {
        "enabled": True, "webAclId": "acl", "tags": DEFAULT_TAGS,
        "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only", "targetOriginId": "o"},
        "origins": [{"originId": "o", "domainName": "o.example.com"}],
        "viewerCertificate": {"acmCertificateArn": UNKNOWN, "minimumProtocolVersion": version}})
    assert (policies_found([distribution]) == {TLS}) == reported


@pytest.mark.parametrize("version, allows", [
    ("TLSv1", "viewers may connect with TLS 1.0 or 1.1 and old ciphers"),
    ("TLSv1.1_2016", "viewers may connect with TLS 1.1 and old ciphers"),
    # A TLS 1.2 floor already, but with ciphers TLSv1.2_2021 dropped: no TLS 1.0 or 1.1 to speak of.
    ("TLSv1.2_2018", "TLS 1.2 is the floor, but viewers may still use CBC ciphers, and RSA key exchange without "
                     "forward secrecy"),
    ("TLSv1.2_2019", "TLS 1.2 is the floor, but viewers may still use CBC (SHA-256 and SHA-384) ciphers")])
def test_an_old_tls_policy_is_told_by_what_it_lets_viewers_do(version, allows):
    distribution = Res("aws:cloudfront/distribution:Distribution", "edge", {
        "enabled": True, "webAclId": "acl", "tags": DEFAULT_TAGS,
        "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only", "targetOriginId": "o"},
        "origins": [{"originId": "o", "domainName": "o.example.com"}],
        "viewerCertificate": {"acmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/c",
                              "minimumProtocolVersion": version}})
    assert {(p, m) for p, _, m in findings(analyze([distribution], {"all": "mandatory"})) if p == TLS} == {
        (TLS, f"viewerCertificate.minimumProtocolVersion is {version}: {allows}; set TLSv1.2_2021 or later")}
