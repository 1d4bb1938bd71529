"""CloudFront guardrails against tests/programs/policy_cloudfront (raw distributions, standard and multi-tenant)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze,
                                         findings, policies_found, program_fixtures)

PROGRAM = "policy_cloudfront"
M, A = "mandatory", "advisory"
VIEWER, ORIGIN = "cloudfront-distribution-viewer-https", "cloudfront-distribution-origin-https"
TLS, WAF = "cloudfront-distribution-tls-policy", "cloudfront-distribution-waf"
S3 = "cloudfront-distribution-s3-origin-access-control"
LOGGING, ROOT = "cloudfront-distribution-logging", "cloudfront-distribution-default-root-object"
SNI = "cloudfront-distribution-sni"

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
    # A multi-tenant distribution, which has no loggingConfig, logs only through a CloudWatch delivery.
    Finding(LOGGING, "tenant-plain", M, "a multi-tenant distribution has no loggingConfig and no CloudWatch log "
                                        "delivery sends its access logs (a LogDeliverySource in us-east-1 of logType "
                                        "ACCESS_LOGS naming it in resourceArn, which a LogDelivery delivers): nothing "
                                        "records who requested what through the distribution; deliver its access "
                                        "logs through CloudWatch (standard logging v2)"),
    Finding(WAF, "tenant-no-waf", A, "customizations.webAcl.action is disable: the tenant's domains get no web ACL"),
    # S3 origins reached unsigned, or through a legacy origin access identity, which CloudFront.13 fails too.
    Finding(S3, "s3-public", M, "origins[0] (shop): an S3 origin with no origin access control "
                                "(originAccessControlId), so CloudFront's requests reach the bucket unsigned, and only "
                                "a bucket anyone may read serves them, or signed by a legacy origin access identity "
                                "(s3OriginConfig.originAccessIdentity), which serves SSE-KMS buckets, PUT and DELETE, "
                                "and Regions opened since December 2022 only with workarounds or not at all; give it "
                                "an origin access control for s3 that signs them (signingBehavior always, "
                                "originAccessIdentity \"\"), and let the bucket policy admit this distribution alone"),
    # A multi-tenant distribution's origin has no legacy identity (no s3OriginConfig): its message names none.
    Finding(S3, "tenant-s3-public", M, "origins[0] (shop): an S3 origin with no origin access control "
                                       "(originAccessControlId), so CloudFront's requests reach the bucket unsigned "
                                       "and only a bucket anyone may read serves them; give it an origin access "
                                       "control for s3 that signs them (signingBehavior always), and let the bucket "
                                       "policy admit this distribution alone"),
    Finding(S3, "s3-legacy", M, "origins[0] (shop): an S3 origin with no origin access control"),
    Finding(S3, "s3-legacy-output", M, "origins[0] (shop): an S3 origin with no origin access control"),
    Finding(S3, "s3-as-custom", M, "origins[0] (shop).customOriginConfig: shop-assets.s3.us-east-1.amazonaws.com is an "
                                   "S3 bucket's REST endpoint, reached as a custom origin, so CloudFront's requests "
                                   "reach the bucket unsigned and only a bucket anyone may read serves them; make it "
                                   "an S3 origin (drop customOriginConfig) with an origin access control"),
    Finding(S3, "never-signs", M, "signingBehavior is never: CloudFront signs no request to the S3 origins that use "
                                  "it, so only a bucket anyone may read serves them; set always"),
    # A website endpoint has no HTTPS; it is a custom origin, which no origin access control signs for.
    Finding(ORIGIN, "s3-website", M, "origins[0] (shop).customOriginConfig: originProtocolPolicy is http-only"),
    # No access logs: no bucket, and no CloudWatch delivery (a source alone sends nothing).
    Finding(LOGGING, "no-logs", M, "loggingConfig is not set and no CloudWatch log delivery sends its access logs (a "
                                   "LogDeliverySource in us-east-1 of logType ACCESS_LOGS naming it in resourceArn, "
                                   "which a LogDelivery delivers): nothing records who requested what through the "
                                   "distribution; set loggingConfig.bucket, or deliver its access logs through "
                                   "CloudWatch (standard logging v2)"),
    Finding(LOGGING, "cookies-only-logs", M, "loggingConfig has no bucket and no CloudWatch log delivery sends"),
    Finding(LOGGING, "logs-v2-undelivered", M, "loggingConfig is not set and no CloudWatch log delivery sends"),
    # Delivered from eu-west-1: CloudFront's standard logging v2 is set up through the CloudWatch API in us-east-1.
    Finding(LOGGING, "logs-v2-elsewhere", M, "loggingConfig is not set and no CloudWatch log delivery sends"),
    # An S3 origin, standard or multi-tenant, without a default root object.
    Finding(ROOT, "s3-no-root", M, "defaultRootObject is not set, and origins[0] (shop) is an S3 origin: a request "
                                   "for the root URL reaches the bucket itself, which lists its objects to anyone it "
                                   "lets list them, or answers with an error; set defaultRootObject (index.html, say)"),
    Finding(ROOT, "tenant-s3-no-root", M, "defaultRootObject is not set, and origins[0] (shop) is an S3 origin"),
    # Dedicated IP addresses for the distribution's own certificate (advisory: a cost, not a weakness).
    Finding(SNI, "dedicated-ip", A, "viewerCertificate.sslSupportMethod is vip: CloudFront serves the certificate "
                                    "from dedicated IP addresses at every edge location, billed $600 a month per "
                                    "certificate, only for viewers that send no SNI (browsers before 2010); set "
                                    "sni-only"),
    Finding(SNI, "tenant-dedicated-ip", A, "viewerCertificate.sslSupportMethod is vip"),
]
PASSING = [
    *((policy, name) for policy in (VIEWER, ORIGIN, TLS, WAF, S3) for name in ("storefront", "tenant-storefront")),
    # CloudFront's own certificate keeps TLSv1, which no setting changes.
    (TLS, "default-certificate"),
    # A tenant with a web ACL of its own (action override).
    (WAF, "tenant-own-waf"),
    # S3 origins behind an origin access control that signs; a website endpoint, which cannot have one.
    (S3, "s3-private"), (S3, "tenant-s3-private"), (S3, "assets-oac"), (S3, "s3-website"),
    # Access logs in a bucket, or through a CloudWatch log delivery (standard logging v2).
    (LOGGING, "storefront"), (LOGGING, "logs-v2"), (LOGGING, "tenant-storefront"),
    # A default root object on an S3 origin; none on a custom origin or a website endpoint, which CloudFront.1 spares.
    (ROOT, "s3-private"), (ROOT, "tenant-s3-private"), (ROOT, "custom-no-root"), (ROOT, "s3-website"),
    # SNI on the distribution's own certificate; CloudFront's default certificate, which takes no method.
    (SNI, "storefront"), (SNI, "tenant-storefront"), (SNI, "default-certificate"),
]


result, first_preview = program_fixtures(PROGRAM)

# A custom origin reached over TLS 1.2: the origin of the TLS policy's cases.
HTTPS_ORIGIN = {"httpPort": 80, "httpsPort": 443, "originProtocolPolicy": "https-only",
                "originSslProtocols": ["TLSv1.2"]}
# Standard logging (legacy) into a bucket.
LOGS = {"bucket": "edge-logs.s3.amazonaws.com"}
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/c"


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("version, reported", [
    ("TLSv1.2_2021", False), ("TLSv1.3_2025", False), ("TLSv1.2_2019", True), ("TLSv1", True), (UNKNOWN, False)])
def test_a_distribution_s_own_certificate_takes_a_current_tls_policy(version, reported):
    distribution = Res("aws:cloudfront/distribution:Distribution", "edge", {
        "enabled": True, "webAclId": "acl", "tags": DEFAULT_TAGS, "loggingConfig": LOGS,
        "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only", "targetOriginId": "o"},
        "origins": [{"originId": "o", "domainName": "o.example.com", "customOriginConfig": HTTPS_ORIGIN}],
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
        "enabled": True, "webAclId": "acl", "tags": DEFAULT_TAGS, "loggingConfig": LOGS,
        "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only", "targetOriginId": "o"},
        "origins": [{"originId": "o", "domainName": "o.example.com", "customOriginConfig": HTTPS_ORIGIN}],
        "viewerCertificate": {"acmCertificateArn": CERTIFICATE, "minimumProtocolVersion": version}})
    assert {(p, m) for p, _, m in findings(analyze([distribution], {"all": "mandatory"})) if p == TLS} == {
        (TLS, f"viewerCertificate.minimumProtocolVersion is {version}: {allows}; set TLSv1.2_2021 or later")}


MULTITENANT = "aws:cloudfront/multitenantDistribution:MultitenantDistribution"


def edge(origin: dict, resource_type: str = "aws:cloudfront/distribution:Distribution") -> Res:
    """A distribution, otherwise right, with this one origin (a multi-tenant one's is named by `id`)."""
    return Res(resource_type, "edge", {
        "enabled": True, "webAclId": "acl", "tags": DEFAULT_TAGS, "loggingConfig": LOGS,
        "defaultCacheBehavior": {"viewerProtocolPolicy": "https-only", "targetOriginId": "o"},
        "origins": [{"id" if resource_type == MULTITENANT else "originId": "o", **origin}],
        "viewerCertificate": {"cloudfrontDefaultCertificate": True}})


BUCKET = "shop-assets.s3.eu-west-1.amazonaws.com"


@pytest.mark.parametrize("origin, reported", [
    # S3 origins: s3OriginConfig, or no origin settings at all (the provider sends an empty s3OriginConfig).
    ({"domainName": BUCKET, "s3OriginConfig": {"originAccessIdentity": ""}}, "no origin access control"),
    ({"domainName": UNKNOWN}, "no origin access control"),
    ({"domainName": BUCKET, "originAccessControlId": ""}, "no origin access control"),
    ({"domainName": BUCKET, "originAccessControlId": UNKNOWN}, None),
    ({"domainName": BUCKET, "originAccessControlId": "E2QWRUHAPOMQZL",
      "s3OriginConfig": {"originAccessIdentity": ""}}, None),
    ({"domainName": BUCKET, "s3OriginConfig": {"originAccessIdentity": "origin-access-identity/cloudfront/E2QW"}},
     "no origin access control"),
    # An identity unknown until the update, a legacy one or none: the origin has no origin access control either way.
    ({"domainName": BUCKET, "s3OriginConfig": {"originAccessIdentity": UNKNOWN}}, "no origin access control"),
    ({"domainName": BUCKET, "s3OriginConfig": UNKNOWN}, "no origin access control"),
    # A bucket's REST endpoint in any of its forms, reached as a custom origin; not its website endpoint.
    ({"domainName": "shop-assets.s3.amazonaws.com", "customOriginConfig": HTTPS_ORIGIN}, "REST endpoint"),
    ({"domainName": "shop-assets.s3-eu-west-1.amazonaws.com", "customOriginConfig": HTTPS_ORIGIN}, "REST endpoint"),
    ({"domainName": "Shop-Assets.S3.dualstack.eu-west-1.amazonaws.com", "customOriginConfig": HTTPS_ORIGIN},
     "REST endpoint"),
    ({"domainName": "shop-assets.s3.cn-north-1.amazonaws.com.cn", "customOriginConfig": HTTPS_ORIGIN},
     "REST endpoint"),
    ({"domainName": "shop-assets.s3-website.eu-west-1.amazonaws.com", "customOriginConfig": HTTPS_ORIGIN}, None),
    ({"domainName": "shop-assets.s3-website-eu-west-1.amazonaws.com", "customOriginConfig": HTTPS_ORIGIN}, None),
    ({"domainName": "shop.example.com", "customOriginConfig": HTTPS_ORIGIN}, None),
    ({"domainName": BUCKET, "customOriginConfig": HTTPS_ORIGIN, "originAccessControlId": "E2QWRUHAPOMQZL"}, None),
    # A VPC origin is no S3 origin.
    ({"domainName": "internal.example.com", "vpcOriginConfig": {"vpcOriginId": "vo_1"}}, None),
])
def test_an_s3_origin_is_reached_through_an_origin_access_control(origin, reported):
    messages = {m for p, _, m in findings(analyze([edge(origin)], {"all": "mandatory"})) if p == S3}
    assert (reported is None and not messages) or (len(messages) == 1 and reported in messages.pop())


def test_a_multi_tenant_distribution_s_s3_origin_is_one_without_custom_or_vpc_origin_settings():
    assert S3 in policies_found([edge({"domainName": BUCKET}, MULTITENANT)])
    for settings in ({"customOriginConfigs": [HTTPS_ORIGIN]}, {"vpcOriginConfigs": [{"vpcOriginId": "vo_1"}]},
                     {"originAccessControlId": UNKNOWN}):
        assert S3 not in policies_found([edge({"domainName": "shop.example.com", **settings}, MULTITENANT)])


@pytest.mark.parametrize("origin", [
    # What the origin is is not known yet.
    {"domainName": BUCKET, "customOriginConfig": UNKNOWN},
    {"domainName": UNKNOWN, "customOriginConfig": HTTPS_ORIGIN},
])
def test_an_origin_unknown_in_a_first_preview_adds_no_finding(origin):
    assert S3 not in policies_found([edge(origin)])


@pytest.mark.parametrize("origin_type, signing, reported", [
    ("s3", "never", True), ("s3", "always", False), ("s3", "no-override", False), ("s3", UNKNOWN, False),
    # Another kind of origin's access control is not this policy's.
    ("lambda", "never", False)])
def test_an_origin_access_control_for_s3_signs(origin_type, signing, reported):
    control = Res("aws:cloudfront/originAccessControl:OriginAccessControl", "oac", {
        "name": "oac", "originAccessControlOriginType": origin_type, "signingBehavior": signing,
        "signingProtocol": "sigv4"})
    assert (S3 in policies_found([control])) == reported


SOURCE, DELIVERY = "aws:cloudwatch/logDeliverySource:LogDeliverySource", "aws:cloudwatch/logDelivery:LogDelivery"
EDGE_ARN = "arn:aws:cloudfront::123456789012:distribution/edge-id"


def logged_by(logs=None, *, log_type="ACCESS_LOGS", resource_arn=None, delivered=True, region=None,
              resource_type="aws:cloudfront/distribution:Distribution") -> list[Res]:
    """A distribution of `resource_type` with this `loggingConfig` (left out for None; a multi-tenant one has none)
    and, with `resource_arn`, a CloudWatch delivery source of `log_type` naming that ARN (the distribution's is
    EDGE_ARN), which a delivery sends unless not `delivered`; both in `region` (the default provider's, unnamed, when
    None)."""
    distribution = edge({"domainName": "shop.example.com", "customOriginConfig": HTTPS_ORIGIN}, resource_type)
    distribution.props["arn"] = EDGE_ARN
    if logs is None:
        del distribution.props["loggingConfig"]
    else:
        distribution.props["loggingConfig"] = logs
    if resource_arn is None:
        return [distribution]
    where = {} if region is None else {"region": region}
    source = Res(SOURCE, "edge-access", {"name": "edge-access", "logType": log_type, "resourceArn": resource_arn,
                                         "tags": DEFAULT_TAGS, **where})
    delivery = Res(DELIVERY, "edge-delivery", {"deliverySourceName": "edge-access", "tags": DEFAULT_TAGS, **where,
                                               "deliveryDestinationArn": "arn:aws:logs:us-east-1:123456789012:"
                                                                         "delivery-destination:edge-s3"})
    return [distribution, source, *([delivery] if delivered else [])]


@pytest.mark.parametrize("resources, reported", [
    (logged_by(LOGS), None),
    (logged_by({"bucket": UNKNOWN}), None),
    (logged_by(UNKNOWN), None),
    (logged_by(), "loggingConfig is not set and no CloudWatch log delivery"),
    (logged_by({"bucket": "", "includeCookies": False}), "loggingConfig has no bucket and no CloudWatch log delivery"),
    # Standard logging v2: a source naming it that a delivery sends; one unknown until the update may be it.
    (logged_by(resource_arn=EDGE_ARN), None),
    (logged_by(resource_arn=UNKNOWN), None),
    (logged_by(resource_arn=EDGE_ARN, delivered=False), "loggingConfig is not set"),
    (logged_by(resource_arn=EDGE_ARN, log_type="CONNECTION_LOGS"), "loggingConfig is not set"),
    (logged_by(resource_arn="arn:aws:cloudfront::123456789012:distribution/other-id"), "loggingConfig is not set"),
    # CloudFront takes its delivery sources in us-east-1 only; a region unknown until the update may be it.
    (logged_by(resource_arn=EDGE_ARN, region="us-east-1"), None),
    (logged_by(resource_arn=EDGE_ARN, region=UNKNOWN), None),
    (logged_by(resource_arn=EDGE_ARN, region="eu-west-1"), "loggingConfig is not set"),
    # A multi-tenant distribution, which has no loggingConfig, logs through a delivery only.
    (logged_by(resource_type=MULTITENANT), "a multi-tenant distribution has no loggingConfig and no CloudWatch log"),
    (logged_by(resource_arn=EDGE_ARN, delivered=False, resource_type=MULTITENANT), "a multi-tenant distribution"),
    (logged_by(resource_arn=EDGE_ARN, region="eu-west-1", resource_type=MULTITENANT), "a multi-tenant distribution"),
    (logged_by(resource_arn=EDGE_ARN, resource_type=MULTITENANT), None),
    (logged_by(resource_arn=UNKNOWN, resource_type=MULTITENANT), None),
])
def test_a_distribution_keeps_access_logs_in_a_bucket_or_through_cloudwatch(resources, reported):
    messages = {m for p, _, m in findings(analyze(resources, {"all": "mandatory"})) if p == LOGGING}
    assert (reported is None and not messages) or (len(messages) == 1 and reported in messages.pop())


@pytest.mark.parametrize("log_types, reported", [(None, False), (["ACCESS_LOGS"], False), (UNKNOWN, False),
                                                 (["CONNECTION_LOGS"], True)])
def test_a_telemetry_rule_for_distributions_may_log_them(log_types, reported):
    delivered = {} if log_types is None else {"destinationConfiguration": {"logDeliveryParameters": {
        "logTypes": log_types}}}
    rule = Res("aws:observabilityadmin/telemetryRule:TelemetryRule", "edge-logs", {"ruleName": "edge-logs", "rule": {
        "resourceType": "AWS::CloudFront::Distribution", "telemetryType": "Logs", **delivered}, "tags": DEFAULT_TAGS})
    assert (LOGGING in policies_found([*logged_by(), rule])) == reported


def multi_tenant(origin: dict) -> dict:
    """The same origin as a multi-tenant distribution spells it: a list of custom origin settings, no s3OriginConfig."""
    custom = origin.get("customOriginConfig")
    spelled = {key: value for key, value in origin.items() if key not in ("customOriginConfig", "s3OriginConfig")}
    return spelled if custom is None else {**spelled, "customOriginConfigs": custom if custom is UNKNOWN else [custom]}


@pytest.mark.parametrize("origin, root, reported", [
    # An S3 origin: s3OriginConfig, none of the settings, or a bucket's REST endpoint reached as a custom origin.
    ({"domainName": BUCKET, "s3OriginConfig": {"originAccessIdentity": ""}}, None, True),
    ({"domainName": UNKNOWN, "originAccessControlId": UNKNOWN}, "", True),
    ({"domainName": "shop-assets.s3.amazonaws.com", "customOriginConfig": HTTPS_ORIGIN}, None, True),
    ({"domainName": BUCKET}, "index.html", False),
    ({"domainName": BUCKET}, UNKNOWN, False),
    # Custom origins (a website endpoint's too), and origins unknown until the update, are not judged.
    ({"domainName": "shop.example.com", "customOriginConfig": HTTPS_ORIGIN}, None, False),
    ({"domainName": "shop-assets.s3-website.eu-west-1.amazonaws.com", "customOriginConfig": HTTPS_ORIGIN}, None,
     False),
    ({"domainName": BUCKET, "customOriginConfig": UNKNOWN}, None, False),
    ({"domainName": UNKNOWN, "customOriginConfig": HTTPS_ORIGIN}, None, False),
])
@pytest.mark.parametrize("resource_type", ["aws:cloudfront/distribution:Distribution", MULTITENANT])
def test_an_s3_origin_s_distribution_names_a_default_root_object(origin, root, reported, resource_type):
    distribution = edge(multi_tenant(origin) if resource_type == MULTITENANT else origin, resource_type)
    if root is not None:
        distribution.props["defaultRootObject"] = root
    assert (ROOT in policies_found([distribution])) == reported


@pytest.mark.parametrize("certificate, reported", [
    ({"acmCertificateArn": CERTIFICATE, "sslSupportMethod": "vip"}, True),
    ({"acmCertificateArn": UNKNOWN, "sslSupportMethod": "vip"}, True),
    ({"iamCertificateId": "ASCAEXAMPLE", "sslSupportMethod": "vip"}, True),
    ({"acmCertificateArn": CERTIFICATE, "sslSupportMethod": "sni-only"}, False),
    ({"acmCertificateArn": CERTIFICATE, "sslSupportMethod": UNKNOWN}, False),
    # static-ip, which CloudFront enables on request, is not the control's dedicated IP addresses.
    ({"acmCertificateArn": CERTIFICATE, "sslSupportMethod": "static-ip"}, False),
    ({"cloudfrontDefaultCertificate": True, "sslSupportMethod": "vip"}, False),
    (UNKNOWN, False),
])
def test_a_distribution_s_own_certificate_is_served_with_sni(certificate, reported):
    distribution = edge({"domainName": "shop.example.com", "customOriginConfig": HTTPS_ORIGIN})
    distribution.props["viewerCertificate"] = certificate
    assert (SNI in policies_found([distribution])) == reported
