"""Raw CloudFront distributions: HTTPS to viewers and origins, a current TLS policy, a web ACL; and ones that take
plain HTTP from viewers, reach their origin in plain HTTP or offer it SSLv3, keep TLS 1.0 on their own certificate,
or have no web ACL; tenants that turn the web ACL off or override it; and multi-tenant distributions, right and
wrong in all these ways at once (access logs through a CloudWatch delivery, or none), which pulumi-aws spells
otherwise (`cache_behaviors`, an origin's `id` and its list of `custom_origin_configs`). S3 origins reached through an
origin access control, and ones reached unsigned, through a legacy origin access identity, as a custom origin, or
through an origin access control that never signs. Access logs in a bucket or through a CloudWatch log delivery (in
us-east-1, or elsewhere), and none. S3 origins without a default root object. A certificate served from dedicated IP
addresses."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/12345678-1234-1234-1234-123456789012"
# Standard logging (legacy) into a log bucket: on when the block names a bucket.
LOGS = {"bucket": "policy-tests-edge-logs.s3.amazonaws.com", "prefix": "edge/"}


def behavior(viewer="redirect-to-https", **more):
    return {"allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"], "target_origin_id": "shop",
            "viewer_protocol_policy": viewer, "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6", **more}


def distribution(name, *, viewer="redirect-to-https", origin="https-only", protocols=("TLSv1.2",),
                 tls="TLSv1.2_2021", certificate=CERTIFICATE, web_acl=WEB_ACL, ordered=(), shop=None, logs=LOGS,
                 root="index.html", ssl="sni-only"):
    viewer_certificate = ({"cloudfront_default_certificate": True} if certificate is None else
                          {"acm_certificate_arn": certificate, "ssl_support_method": ssl,
                           **({"minimum_protocol_version": tls} if tls else {})})
    return aws.cloudfront.Distribution(
        name, enabled=True, aliases=None if certificate is None else [f"{name}.shop.example.com"],
        origins=[{"origin_id": "shop", **(shop or {
            "domain_name": "shop-origin.example.com", "custom_origin_config": {
                "http_port": 80, "https_port": 443, "origin_protocol_policy": origin,
                "origin_ssl_protocols": list(protocols)}})}],
        default_cache_behavior=behavior(viewer), ordered_cache_behaviors=list(ordered),
        restrictions={"geo_restriction": {"restriction_type": "none"}}, viewer_certificate=viewer_certificate,
        web_acl_id=web_acl, logging_config=logs, default_root_object=root, tags=TAGS)


distribution("storefront")
distribution("plain-viewers", viewer="allow-all", ordered=[behavior("allow-all", path_pattern="/static/*")])
distribution("plain-origin", origin="http-only")
distribution("old-origin", protocols=("SSLv3", "TLSv1.2"))
distribution("old-tls", tls=None)
# On CloudFront's own certificate the policy is TLSv1 and cannot change: not judged.
distribution("default-certificate", certificate=None)
distribution("no-waf", web_acl=None)
# A certificate served from dedicated IP addresses (billed per certificate) rather than with SNI.
distribution("dedicated-ip", ssl="vip")
# Access logs: none; a block without a bucket (only v2's include_cookies), which turns legacy logging on nowhere;
# standard logging v2 through a CloudWatch delivery source and its delivery; a source that no delivery sends; and a
# source with its delivery in eu-west-1, where CloudFront does not take them (standard logging v2: us-east-1 only).
distribution("no-logs", logs=None)
distribution("cookies-only-logs", logs={"include_cookies": True})
edge_logs = aws.cloudwatch.LogDeliveryDestination(
    "edge-logs", name="edge-logs", tags=TAGS,
    delivery_destination_configuration={"destination_resource_arn": "arn:aws:s3:::policy-tests-edge-logs"})


def delivered_logs(name, target, *, delivered=True, region=None):
    """A CloudWatch delivery source of `target`'s access logs, and unless not `delivered` its delivery, both in
    `region` (the stack's when None)."""
    where = {"region": region} if region else {}
    source = aws.cloudwatch.LogDeliverySource(f"{name}-access", name=f"{name}-access", log_type="ACCESS_LOGS",
                                              resource_arn=target.arn, tags=TAGS, **where)
    if delivered:
        destination = edge_logs if region is None else aws.cloudwatch.LogDeliveryDestination(
            f"{name}-logs", name=f"{name}-logs", tags=TAGS, delivery_destination_configuration={
                "destination_resource_arn": "arn:aws:s3:::policy-tests-edge-logs"}, **where)
        aws.cloudwatch.LogDelivery(f"{name}-delivery", delivery_source_name=source.name,
                                   delivery_destination_arn=destination.arn, tags=TAGS, **where)


delivered_logs("logs-v2", distribution("logs-v2", logs=None))
delivered_logs("logs-v2-undelivered", distribution("logs-v2-undelivered", logs=None), delivered=False)
delivered_logs("logs-v2-elsewhere", distribution("logs-v2-elsewhere", logs=None), region="eu-west-1")

# S3 origins, whose bucket's REST endpoint (`bucket_regional_domain_name`) a first preview does not know: what the
# origin is shows in `s3_origin_config`, or in its having no custom origin settings.
signs = aws.cloudfront.OriginAccessControl("assets-oac", name="assets", origin_access_control_origin_type="s3",
                                           signing_behavior="always", signing_protocol="sigv4")
aws.cloudfront.OriginAccessControl("never-signs", name="never-signs", origin_access_control_origin_type="s3",
                                   signing_behavior="never", signing_protocol="sigv4")
NO_IDENTITY = {"origin_access_identity": ""}
# An output standing for a bucket's: an S3 bucket here would bring the S3 policies' findings.
ASSETS = signs.id.apply(lambda _: "shop-assets.s3.us-east-1.amazonaws.com")
distribution("s3-private", shop={"domain_name": ASSETS,
                                 "origin_access_control_id": signs.id, "s3_origin_config": NO_IDENTITY})
distribution("s3-public", shop={"domain_name": ASSETS, "s3_origin_config": NO_IDENTITY})
distribution("s3-legacy", shop={"domain_name": "shop-assets.s3.us-east-1.amazonaws.com", "s3_origin_config": {
    "origin_access_identity": "origin-access-identity/cloudfront/E2QWRUHAPOMQZL"}})
# The identity as programs name it: the path its resource gives.
legacy = aws.cloudfront.OriginAccessIdentity("legacy", comment="shop assets")
distribution("s3-legacy-output", shop={"domain_name": ASSETS, "s3_origin_config": {
    "origin_access_identity": legacy.cloudfront_access_identity_path}})
distribution("s3-as-custom", shop={"domain_name": "shop-assets.s3.us-east-1.amazonaws.com", "custom_origin_config": {
    "http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}})
# An S3 origin without a default root object: the root URL reaches the bucket itself. A custom origin's is its own.
distribution("s3-no-root", root=None, shop={"domain_name": ASSETS, "origin_access_control_id": signs.id,
                                            "s3_origin_config": NO_IDENTITY})
distribution("custom-no-root", root=None)
# A website endpoint is a custom origin, which no origin access control signs for; it has no HTTPS either (nor does
# CloudFront.1 apply: the endpoint serves the bucket's index document).
distribution("s3-website", root=None, shop={"domain_name": "shop-assets.s3-website-us-east-1.amazonaws.com",
                                 "custom_origin_config": {"http_port": 80, "https_port": 443,
                                                          "origin_protocol_policy": "http-only",
                                                          "origin_ssl_protocols": ["TLSv1.2"]}})


def tenant_behavior(viewer, **more):
    # A multi-tenant behavior's methods are one block; it has no cached_methods of its own.
    return {"allowed_methods": {"items": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]},
            "target_origin_id": "shop", "viewer_protocol_policy": viewer,
            "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6", **more}


def multitenant(name, *, viewer="redirect-to-https", origin="https-only", protocols=("TLSv1.2",), tls="TLSv1.2_2021",
                web_acl=WEB_ACL, shop=None, root="index.html", ssl="sni-only", logged=True):
    # Its access logs only through a CloudWatch log delivery: a multi-tenant distribution has no logging_config.
    made = aws.cloudfront.MultitenantDistribution(
        name, comment=name, enabled=True,
        tenant_config={"parameter_definitions": [{"name": "tenant",
                                                  "definitions": [{"string_schemas": [{"required": True}]}]}]},
        origins=[{"id": "shop", **(shop or {"domain_name": "shop-origin.example.com", "custom_origin_configs": [{
            "http_port": 80, "https_port": 443, "origin_protocol_policy": origin,
            "origin_ssl_protocols": list(protocols)}]})}],
        default_cache_behavior=tenant_behavior(viewer),
        cache_behaviors=[tenant_behavior(viewer, path_pattern="/static/*")],
        viewer_certificate={"acm_certificate_arn": CERTIFICATE, "ssl_support_method": ssl,
                            **({"minimum_protocol_version": tls} if tls else {})},
        web_acl_id=web_acl, default_root_object=root, tags=TAGS)
    if logged:
        delivered_logs(name, made)
    return made


storefront = multitenant("tenant-storefront")
multitenant("tenant-plain", viewer="allow-all", origin="http-only", protocols=("SSLv3", "TLSv1.2"), tls=None,
            web_acl=None, logged=False)
# A multi-tenant distribution's S3 origin has neither custom nor VPC origin settings (and no identity to give).
multitenant("tenant-s3-private", shop={"domain_name": ASSETS,
                                       "origin_access_control_id": signs.id})
multitenant("tenant-s3-public", shop={"domain_name": ASSETS})
multitenant("tenant-dedicated-ip", ssl="vip")
multitenant("tenant-s3-no-root", root=None, shop={"domain_name": ASSETS, "origin_access_control_id": signs.id})


# Tenants of a multi-tenant distribution: one turns its web ACL off (no WAF for its domains, not even the
# distribution's), one overrides it with its own.
def tenant(name, web_acl):
    return aws.cloudfront.DistributionTenant(
        name, name=name, distribution_id=storefront.id, enabled=True, domains=[{"domain": f"{name}.example.com"}],
        parameters=[{"name": "tenant", "value": name}], customizations={"web_acl": web_acl}, tags=TAGS)


tenant("tenant-no-waf", {"action": "disable"})
tenant("tenant-own-waf", {"action": "override", "arn": WEB_ACL})
