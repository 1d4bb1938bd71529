"""The REST API in front of the public services: DNS, certificates, ingress, auth, cache, WAF, domain, CORS,
usage plans and consumers."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import replace
from typing import Optional

from .. import naming
from ..iam import arn_service_region
from .model import (
    ApiConfig, AuthConfig, CacheConfig, ConsumerConfig, CorsConfig, DnsConfig, DomainConfig, EmailSender,
    IngressConfig, MethodThrottle, Quota, ServiceConfig, UsagePlanConfig, WAF_BODY_INSPECTION_KB, WAF_MANAGED_BODY_KB,
    WAF_MAX_IP_SET_ADDRESSES, WAF_MAX_RATE_LIMIT, WAF_RATE_WINDOW_SECONDS, PlatformConfig, server_rate_limit_for,
    WafConfig)
from .node import _CONTROL_RE, ConfigNode, _matches, _throttle
from .values import (
    _AUTH_TYPES, _HTTP_METHODS, _LOG_LEVELS, _NAME_RE, _QUOTA_PERIODS, API_NAME_RE, HOST_RE, HOST_WHAT,
    HOSTED_ZONE_ID_RE, UUID, certificate_name_problem, cidr_block, route_resource_paths)


# What the stack file's ids, ARNs, names and URLs in this section look like.
_ACM_CERTIFICATE_ARN_RE = re.compile(rf"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{{12}}:certificate/{UUID}$")
_USER_POOL_ARN_RE = re.compile(r"^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[0-9a-zA-Z]+$")
_LAMBDA_FUNCTION_ARN_RE = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}"
                                     r"(:[A-Za-z0-9_$-]{1,128})?$")
_HEADER_IDENTITY_SOURCE_RE = re.compile(r"^method\.request\.header\.[A-Za-z0-9-]+$")
_BASE_PATH_RE = re.compile(r"^v[0-9]+$")
_ORIGIN_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"  # a DNS label: no empty one, none starting or ending in -
_ORIGIN_RE = re.compile(rf"^https?://{_ORIGIN_LABEL}(\.{_ORIGIN_LABEL})*(:(?P<port>[1-9][0-9]{{0,4}}))?$")
_RESOURCE_PATH_RE = re.compile(r"^/\S+$")
_STAGE_NAME_RE = re.compile(r"^[a-zA-Z0-9_]{1,128}$")
_DESCRIPTION_RE = re.compile(r"^[^\x00-\x1f]{1,256}$")
# An API key's value, as the provider validates it (terraform-provider-aws, apigateway `api_key.go`).
API_KEY_VALUE_LENGTH = (20, 128)


def _dns(root: ConfigNode) -> Optional[DnsConfig]:
    node = root.node("dns")
    if node is None:
        return None
    dns = DnsConfig(
        hosted_zone_id=node.str("hostedZoneId", pattern=HOSTED_ZONE_ID_RE, what="a Route 53 hosted zone id"),
        zone_name=node.str("zoneName", pattern=HOST_RE, what="a lower-case DNS zone name"),
    )
    node.done()  # a misspelt key is named before it is reported missing
    if (dns.hosted_zone_id is None) == (dns.zone_name is None):
        raise root.error("dns", "set exactly one of hostedZoneId or zoneName")
    return dns


def _certificate(node: ConfigNode, dns: Optional[DnsConfig], region: str, user: str) -> Optional[str]:
    """`certificateArn` from the stack file, or None when the stack can issue one in the DNS zone."""
    arn = node.str("certificateArn", pattern=_ACM_CERTIFICATE_ARN_RE, what="an ACM certificate ARN")
    if arn is None:
        if dns is None:
            raise node.error("certificateArn", "is required when no DNS zone is configured "
                                               "(set dns.hostedZoneId or dns.zoneName to have the stack issue it)",
                             related=["dns"])
        return None
    node.same_partition("certificateArn", arn, f"{user} takes a certificate from its own partition")
    cert_region = arn_service_region(arn)[1]
    if cert_region != region:
        raise node.error("certificateArn", f"is in {cert_region or 'no region'}; {user} in {region} needs an ACM "
                                           f"certificate from {region}", related=["aws:region"])
    return arn


def in_zone(host: str, zone: str) -> bool:
    """Whether `host` is a name of `zone`: the zone's apex is in it too (Route 53 takes an alias there, and ACM a
    certificate for it)."""
    return host == zone or host.endswith(f".{zone}")


def not_in_zone(host: str, zone: str, given_by: str) -> str:
    """The problem of a host outside the DNS zone (`given_by`: the dns setting, and what else names the zone)."""
    return (f"{host} is not in the DNS zone {zone} ({given_by}), so the stack cannot validate its certificate or "
            "point it at the endpoint")


def zone_hosts(config: PlatformConfig) -> list[tuple[str, str]]:
    """The names the stack writes records for in its DNS zone, by key (the ingress ALB's, the REST and WebSocket
    APIs' custom domains), in the order config reads them."""
    hosts = [("ingress.hostName", config.ingress.host_name)] if config.ingress is not None else []
    if config.api.domain is not None:
        hosts.append(("api.domain.name", config.api.domain.name))
    if config.websocket_api is not None and config.websocket_api.domain is not None:
        hosts.append(("websocketApi.domain.name", config.websocket_api.domain.name))
    return hosts


def _check_in_zone(node: ConfigNode, key: str, host: str, dns: Optional[DnsConfig]) -> None:
    # A zone given by id is checked when the program has asked Route 53 its name (components/dns.py `zone_by_id`).
    if dns is not None and dns.zone_name and not in_zone(host, dns.zone_name):
        raise node.error(key, not_in_zone(host, dns.zone_name, "dns.zoneName"), related=["dns.zoneName"])


def _ingress(root: ConfigNode, dns: Optional[DnsConfig], region: str) -> Optional[IngressConfig]:
    node = root.node("ingress")
    if node is None:
        return None
    ingress = IngressConfig(
        host_name=node.str("hostName", required=True, pattern=HOST_RE, what=HOST_WHAT),
        # The ALB's listener takes an ACM certificate from its own region.
        certificate_arn=_certificate(node, dns, region, "the ingress load balancer"),
    )
    _check_in_zone(node, "hostName", ingress.host_name, dns)
    node.done()
    return ingress


# The SES regions Cognito accepts for a pool in another region (the regions it first sent from).
_COGNITO_SES_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
_SES_IDENTITY_RE = re.compile(r"^arn:aws[a-z-]*:ses:(?P<region>[a-z0-9-]+):[0-9]{12}:identity/(?P<identity>[^\s/]+)$")
# An address, alone or after a display name: `ops@example.com` or `Example Shop <ops@example.com>`.
_MAILBOX_RE = re.compile(r"^(?:[^<>@]*<(?P<bracketed>[^<>\s@]+@[^<>\s@]+)>|(?P<bare>[^<>\s@]+@[^<>\s@]+))$")


def _mailbox(node: ConfigNode, key: str, *, named: bool) -> tuple[Optional[str], Optional[str]]:
    """`key`'s value and its address: an address, or with `named` also `Name <address>`."""
    value = node.str(key)
    match = _MAILBOX_RE.match(value) if value is not None and not _CONTROL_RE.search(value) else None
    if value is not None and (match is None or (match.group("bracketed") and not named)):
        raise node.error(key, f"{value!r} is not an email address" + (" or 'Name <address>'" if named else ""))
    return value, (match.group("bracketed") or match.group("bare")) if match else None


def _email_sender(node: Optional[ConfigNode], region: str) -> Optional[EmailSender]:
    """Cognito sends through SES in the pool's region or one of the regions it has always accepted; SES sends
    only from the verified address, or from an address of the verified domain."""
    if node is None:
        return None
    identity_arn = node.str("identityArn", required=True, pattern=_SES_IDENTITY_RE,
                            what="an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)")
    node.same_partition("identityArn", identity_arn, "Cognito sends through SES in its own partition")
    parts = _SES_IDENTITY_RE.match(identity_arn)
    identity, ses_region = parts.group("identity").lower(), parts.group("region")
    if ses_region != region and ses_region not in _COGNITO_SES_REGIONS:
        others = ", ".join(r for r in _COGNITO_SES_REGIONS if r != region)
        raise node.error("identityArn", f"is in {ses_region}: Cognito sends through SES in the pool's region "
                                        f"({region}) or in {others}", related=["aws:region"])
    from_address, address = _mailbox(node, "from", named=True)
    reply_to, _ = _mailbox(node, "replyTo", named=False)
    if address is None and "@" not in identity:
        raise node.refused_by("from", f"is required with a domain identity ({identity}): the address mail comes "
                                      "from", "identityArn")
    if address is not None:
        domain = address.rsplit("@", 1)[1].lower()
        if not (address.lower() == identity if "@" in identity else domain == identity):
            raise node.refused_by("from", f"{address} is not covered by the SES identity {identity} (Cognito sends "
                                          "only from the verified address, or from an address of the verified domain "
                                          "itself)", "identityArn")
    node.done()
    return EmailSender(identity_arn=identity_arn, from_address=from_address, reply_to=reply_to)


def _check_user_pool(node: ConfigNode, arn: str) -> None:
    """A pool's id begins with its region, which its ARN names too: a pool whose two differ does not exist."""
    node.same_partition("userPoolArn", arn, "API Gateway's authorizer takes a user pool of its own partition")
    pool_region, pool_id = arn_service_region(arn)[1], arn.rsplit("/", 1)[1]
    if not pool_id.startswith(f"{pool_region}_"):
        raise node.error("userPoolArn", f"names the pool {pool_id} in {pool_region}, but a pool's id begins with its "
                                        f"own region ({pool_region}_...)")


def _auth(node: ConfigNode, region: str, built: bool) -> Optional[AuthConfig]:
    auth_node = node.node("auth", required=built)
    if auth_node is None:
        return None
    auth = AuthConfig(
        type=auth_node.str("type", required=True, choices=_AUTH_TYPES),
        user_pool_arn=auth_node.str("userPoolArn", pattern=_USER_POOL_ARN_RE,
                                    what="a Cognito user pool ARN"),
        authorizer_lambda_arn=auth_node.str("authorizerLambdaArn", pattern=_LAMBDA_FUNCTION_ARN_RE,
                                            what="a Lambda function ARN"),
        identity_source=auth_node.str("identitySource", "method.request.header.Authorization"),
        self_sign_up=auth_node.bool("selfSignUp", True),
        email_sender=_email_sender(auth_node.node("emailSender"), region),
    )
    if auth.type == "jwt" and not auth.authorizer_lambda_arn:
        raise auth_node.refused_by("authorizerLambdaArn", "is required when auth.type is jwt", "type")
    # A setting for another authorizer type would be silently ignored: say so instead.
    if auth.user_pool_arn and auth.type != "cognito":
        raise auth_node.refused_by("userPoolArn", f"only applies when auth.type is cognito (it is {auth.type})",
                                   "type")
    if auth.user_pool_arn:
        _check_user_pool(auth_node, auth.user_pool_arn)
    for key in ("selfSignUp", "emailSender"):
        if auth_node.has(key) and (auth.type != "cognito" or auth.user_pool_arn):
            raise auth_node.refused_by(key, "only applies to the user pool the stack creates (auth.type cognito "
                                            "without userPoolArn)", "type", "userPoolArn")
    if auth.authorizer_lambda_arn and auth.type != "jwt":
        raise auth_node.refused_by("authorizerLambdaArn", f"only applies when auth.type is jwt (it is {auth.type})",
                                   "type")
    auth_node.same_partition("authorizerLambdaArn", auth.authorizer_lambda_arn)
    if auth_node.has("identitySource") and auth.type == "iam":  # IAM reads the request's signature
        raise auth_node.refused_by("identitySource", "only applies to an authorizer (auth.type cognito or jwt)",
                                   "type")
    if not _matches(_HEADER_IDENTITY_SOURCE_RE, auth.identity_source):
        raise auth_node.error("identitySource", f"{auth.identity_source!r} is not a request header source "
                                                "(method.request.header.<name>)")
    auth_node.done()
    return auth


def _cache(node: ConfigNode) -> CacheConfig:
    cache_node = node.node("cache")
    cache = CacheConfig()
    if cache_node is not None:
        cache = CacheConfig(
            enabled=cache_node.bool("enabled", False),
            size_gb=cache_node.str("sizeGb", "0.5", choices=("0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")),
            ttl_seconds=cache_node.int("ttlSeconds", 60, minimum=0, maximum=3600),
        )
        for key, what in (("sizeGb", "sizes"), ("ttlSeconds", "sets how long GETs stay in")):
            if not cache.enabled and cache_node.has(key):
                raise cache_node.refused_by(key, f"{what} the stage's cache, and the cache is off in this stack: "
                                                 f"remove it or set api.cache.enabled: true", "enabled")
        cache_node.done()
    return cache


def _waf(node: ConfigNode, environment: str) -> WafConfig:
    waf_node = node.node("waf")
    # Prod's public API is always behind WAF; other stacks opt in.
    waf = WafConfig(enabled=environment == "prod")
    if waf_node is not None:
        waf = WafConfig(enabled=waf_node.bool("enabled", waf.enabled),
                        rate_limit_per_5min=waf_node.int("rateLimitPer5Min", 2000, minimum=10,
                                                         maximum=WAF_MAX_RATE_LIMIT),
                        server_addresses=_waf_addresses(waf_node, "serverAddresses"),
                        blocked_addresses=_waf_addresses(waf_node, "blockedAddresses"),
                        max_body_kb=waf_node.int(
                            "maxBodyKb", WAF_MANAGED_BODY_KB, minimum=1, maximum=WAF_BODY_INSPECTION_KB[-1],
                            what=f"a size in KB from 1 to {WAF_BODY_INSPECTION_KB[-1]} (WAF sees at most "
                                 f"{WAF_BODY_INSPECTION_KB[-1]} KB of an API Gateway request body)"))
        if environment == "prod" and not waf.enabled:
            raise waf_node.error("enabled", "must be true in prod: the public API is always behind AWS WAF there",
                                 related=["environment"])
        # Left out, the switch is the environment's.
        switch = [waf_node.key_path("enabled"), *(() if waf_node.has("enabled") else ("environment",))]
        for key, what in (("maxBodyKb", "limits bodies in"), ("rateLimitPer5Min", "sets a rate rule of"),
                          ("serverAddresses", "lists addresses for"), ("blockedAddresses", "lists addresses for")):
            if waf_node.has(key) and not waf.enabled:
                raise waf_node.error(key, f"{what} the web ACL, and WAF is off in this stack: remove it or set "
                                          f"api.waf.enabled: true", related=switch)
        # The block rule comes first: servers inside a blocked block would be refused, key or no key. Blocking one
        # address among a partner's NAT range is an incident's choice, and stays open.
        for i, blocked in enumerate(waf.blocked_addresses):
            for j, server in enumerate(waf.server_addresses):
                if ipaddress.ip_network(server).subnet_of(ipaddress.ip_network(blocked)):
                    raise waf_node.error_at(f"{waf_node.key_path('blockedAddresses')}[{i}]",
                                            f"{blocked} covers serverAddresses' {server}: WAF would refuse those "
                                            "servers' every request",
                                            related=[f"{waf_node.key_path('serverAddresses')}[{j}]"])
        waf_node.done()
    return waf


# Addresses WAF never sees as a request's source on a regional API: it matches the address the request comes
# from, a server's public (NAT) address, not the private one behind it.
_NOT_PUBLIC = tuple(ipaddress.ip_network(block) for block in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"))


def _waf_addresses(node: ConfigNode, key: str) -> tuple[str, ...]:
    """An IP set's addresses: IPv4 CIDR blocks as WAF takes them (a network address written `a.b.c.d/n`, /1 to
    /32), public ones, at most WAF's quota."""
    addresses = node.strings(key, unique=True)
    for i, value in enumerate(addresses):
        path = f"{node.key_path(key)}[{i}]"
        network = cidr_block(value)
        if network is None or network.version != 4 or network.prefixlen == 0:
            raise node.error_at(path, f"{value!r} is not an IPv4 CIDR block of /1 to /32 such as 203.0.113.0/24 "
                                      f"(its host bits zero)")
        if any(network.overlaps(block) for block in _NOT_PUBLIC):
            raise node.error_at(path, f"{value} is not a public address: WAF sees the address a request comes from, "
                                      f"a server's public (NAT) one")
    if len(addresses) > WAF_MAX_IP_SET_ADDRESSES:
        raise node.error(key, f"lists {len(addresses)} addresses; an AWS WAF IP set holds {WAF_MAX_IP_SET_ADDRESSES}")
    return addresses


def _regional_domain(node: ConfigNode, dns: Optional[DnsConfig], region: str) -> tuple[str, Optional[str]]:
    """A regional custom domain's `name` and `certificateArn` (None: the stack issues it in the DNS zone), as the
    REST API's `api.domain` and the WebSocket API's `websocketApi.domain` both take them."""
    name = node.str("name", required=True, pattern=HOST_RE, what=HOST_WHAT)
    # A regional custom domain only accepts an ACM certificate from the API's own region.
    certificate_arn = _certificate(node, dns, region, "a regional API")
    _check_in_zone(node, "name", name, dns)
    problem = certificate_name_problem(name, certificate_arn)
    if problem:
        raise node.refused_by("name", f"{problem} (or give a certificateArn)", "certificateArn")
    return name, certificate_arn


def _api_domain(node: ConfigNode, dns: Optional[DnsConfig], region: str) -> Optional[DomainConfig]:
    domain_node = node.node("domain")
    domain = None
    if domain_node is not None:
        name, certificate_arn = _regional_domain(domain_node, dns, region)
        domain = DomainConfig(
            name=name, certificate_arn=certificate_arn,
            base_paths=domain_node.strings("basePaths", pattern=_BASE_PATH_RE, what="a version like v1",
                                           unique=True) or ("v1",),
        )
        if domain_node.raw("basePaths", False) == []:
            # It became [v1] without a word: the API would be served where the stack file says it is not.
            raise domain_node.error("basePaths", "is empty: list the versions to map (leave it out for v1)")
        domain_node.done()
    return domain


def _cors(node: ConfigNode) -> Optional[CorsConfig]:
    cors_node = node.node("cors")
    cors = None
    if cors_node is not None:
        cors = CorsConfig(
            # One exact origin: the preflight is a static MOCK response, and a wildcard would let any site
            # call the API with a user's token.
            allow_origin=cors_node.str("allowOrigin", required=True,
                                       pattern=_ORIGIN_RE,
                                       what="one origin like https://shop.example.com"),
            max_age_seconds=cors_node.int("maxAgeSeconds", 600, minimum=0, maximum=86400),
        )
        port = _ORIGIN_RE.match(cors.allow_origin)["port"]
        if port is not None and int(port) > 65535:
            raise cors_node.error("allowOrigin", f"{cors.allow_origin}: port {port} is not a TCP port (1-65535)")
        cors_node.done()
    return cors


def _usage_plans(node: ConfigNode, services: list[ServiceConfig], built: bool) -> list[UsagePlanConfig]:
    # Usage-plan method throttles name one of the API's resources: a public prefix or its {proxy+} child.
    route_resources = [r for s in services if s.public_path for r in route_resource_paths(s.public_path)]
    # Every service's, those without one first: an override that removed one is the likelier cause.
    public_paths = [f"services[{i}].publicPath" for i in sorted(range(len(services)),
                                                                key=lambda i: services[i].public_path is not None)]

    plans: list[UsagePlanConfig] = []
    for plan_node in node.nodes("usagePlans", required=built):
        name = plan_node.str("name", required=True, pattern=_NAME_RE, what="a plan name")
        if any(p.name == name for p in plans):
            raise plan_node.error("name", f"duplicate usage plan {name!r}",
                                  related=[f"{node.key_path('usagePlans')}[{j}].name" for j, p in enumerate(plans)
                                           if p.name == name])
        quota_node, quota = plan_node.node("quota"), None
        if quota_node is not None:
            # API Gateway's QuotaSettings.limit is a 32-bit integer.
            quota = Quota(limit=quota_node.int("limit", required=True, minimum=1, maximum=2**31 - 1),
                          period=quota_node.str("period", required=True, choices=_QUOTA_PERIODS))
            quota_node.done()
        method_throttles: list[MethodThrottle] = []
        for mt in plan_node.nodes("methodThrottles"):
            path = mt.str("path", required=True, pattern=_RESOURCE_PATH_RE, what="a resource path")
            if path not in route_resources:
                raise mt.error("path", f"{path} is not a resource of the public API "
                                       f"(one of {', '.join(route_resources) or 'none: no service has a publicPath'})",
                               related=public_paths)
            throttle = MethodThrottle(
                path=path, method=mt.str("method", required=True, choices=_HTTP_METHODS),
                rate_limit=mt.number("rateLimit", required=True, minimum=1),
                burst_limit=mt.int("burstLimit", required=True, minimum=1, maximum=10000))
            if any(t.path == path and (t.method == throttle.method or "*" in (t.method, throttle.method))
                   for t in method_throttles):
                raise mt.error("method", f"{path} {throttle.method} overlaps another throttle on the same resource")
            method_throttles.append(throttle)
            mt.done()
        plans.append(UsagePlanConfig(name=name, throttle=_throttle(plan_node.node("throttle", required=True)),
                                     quota=quota, method_throttles=tuple(method_throttles)))
        plan_node.done()
    if not plans and built:
        raise node.error("usagePlans", "needs at least one usage plan")
    return plans


def _consumers(node: ConfigNode, plans: list[UsagePlanConfig]) -> list[ConsumerConfig]:
    consumers: list[ConsumerConfig] = []
    for consumer_node in node.nodes("consumers"):
        consumer = ConsumerConfig(
            name=consumer_node.str("name", required=True, pattern=_NAME_RE, what="a consumer name"),
            plan=consumer_node.str("plan", required=True), public=consumer_node.bool("public", False),
            key_value=consumer_node.secret_str("keyValue"))
        if consumer.key_value is not None and not API_KEY_VALUE_LENGTH[0] <= len(consumer.key_value) <= \
                API_KEY_VALUE_LENGTH[1]:
            raise consumer_node.error("keyValue", f"is {len(consumer.key_value)} characters; API Gateway takes "
                                                  f"{API_KEY_VALUE_LENGTH[0]} to {API_KEY_VALUE_LENGTH[1]}")
        if consumer.plan not in {p.name for p in plans}:
            raise consumer_node.error("plan", f"{consumer.plan!r} is not a usage plan in this stack",
                                      related=[f"{node.key_path('usagePlans')}[{j}].name" for j in range(len(plans))])
        if any(c.name == consumer.name for c in consumers):
            raise consumer_node.error("name", f"duplicate consumer {consumer.name!r}",
                                      related=[f"{node.key_path('consumers')}[{j}].name"
                                               for j, c in enumerate(consumers) if c.name == consumer.name])
        consumer_node.done()
        consumers.append(consumer)
    return consumers


def resolve_waf(config: PlatformConfig, fail) -> WafConfig:
    """The web ACL's settings with the servers' limit resolved. Its per-address limit counts every request from an
    address, and a key a server keeps (a consumer not `public`, a tenant's) is called from the few addresses of its
    NAT: unless those addresses are declared (`serverAddresses`, which get a limit of their own), the limit
    everyone else gets must let the fastest such plan through, or WAF refuses the server (403) below the throttle
    its plan sells. Public clients' keys come from many addresses, and the limit is for them."""
    waf, fastest = config.api.waf, config.fastest_server_key
    if not (config.api.built and waf.enabled):
        return waf
    # Which keys are a server's: the consumers' `public`, and the tenants.
    servers = [*(f"api.consumers[{i}].public" for i in range(len(config.api.consumers))), "tenants"]
    if fastest is None:
        if waf.server_addresses:
            raise fail("api.waf.serverAddresses", "no key here is a server's (every consumer is public, and there "
                                                  "are no tenants): remove it", servers)
        return waf
    who, index, rate = fastest
    plan = config.api.usage_plans[index].name
    needed = server_rate_limit_for(rate)
    if needed > WAF_MAX_RATE_LIMIT:
        raise fail(f"api.usagePlans[{index}].throttle.rateLimit",
                   f"{rate:.15g} requests/s needs a per-address WAF limit of {needed} for {who}'s key, which a "
                   f"server calls from its few addresses ({WAF_RATE_WINDOW_SECONDS} s, with bursts and retries); WAF "
                   f"allows at most {WAF_MAX_RATE_LIMIT}", servers)
    if waf.server_addresses:
        return replace(waf, server_rate_limit=max(needed, waf.rate_limit_per_5min))
    if waf.rate_limit_per_5min < needed:
        raise fail("api.waf.rateLimitPer5Min",
                   f"{waf.rate_limit_per_5min} requests from one address per {WAF_RATE_WINDOW_SECONDS} s would refuse "
                   f"{who}'s key, which a server calls from its few addresses, before its plan {plan}'s {rate:.15g}/s "
                   f"({needed} with bursts and retries): list the servers' public addresses in "
                   f"api.waf.serverAddresses, which get {needed} of their own, or (for every address) raise this "
                   f"to {needed}", [f"api.usagePlans[{index}].throttle.rateLimit", "api.waf.serverAddresses", *servers])
    return waf


def _check_plan_quotas(node: ConfigNode, plans: list[UsagePlanConfig], consumers: list[ConsumerConfig],
                       built: bool) -> None:
    """A quota is per key. A key a server keeps gets one, which caps what that consumer can spend. A public client's
    key is anyone's to read: whoever takes it could spend the quota in minutes and leave every user of the app with
    429s until the period ends, so its plan has none (its throttle and the WAF's per-IP limit still hold). Any
    other plan, one nobody uses yet included, has a quota, as the pack asks of every plan it is not told is a
    public client's; `built` says whether the plans are (a stack without public services has no REST API)."""
    for i, plan in enumerate(plans):
        users = [c for c in consumers if c.plan == plan.name]
        public = [c.name for c in users if c.public]
        where = f"{node.key_path('usagePlans')}[{i}].quota"
        # Made of which consumers use the plan, and which of them are public.
        related = [f"{node.key_path('consumers')}[{j}].{key}" for j, c in enumerate(consumers)
                   for key in ("plan", "public") if key == "plan" or c.plan == plan.name]
        if plan.quota is not None and public:
            raise node.error_at(where, f"{', '.join(public)}: a public client (its key ships where anyone can read "
                                       f"it), whoever reads the key could spend this quota for all its users: leave "
                                       f"the quota out of its plan (the plan's throttle still applies)", related)
        servers = [c.name for c in users if not c.public]
        if plan.quota is None and servers:
            raise node.error_at(where, f"is required: {', '.join(servers)} keeps its key on a server (not public), "
                                       f"and a quota caps what each key may spend", related)
        if plan.quota is None and not public and built:
            raise node.error_at(where, "is required: only a plan with a public consumer goes without one (and the "
                                       "pack's publicClientPlans names it)", related)


def _api(node: ConfigNode, services: list[ServiceConfig], environment: str, region: str,
         dns: Optional[DnsConfig] = None) -> ApiConfig:
    built = any(s.public_path for s in services)
    auth, cache, waf = _auth(node, region, built), _cache(node), _waf(node, environment)
    domain, cors = _api_domain(node, dns, region), _cors(node)
    plans = _usage_plans(node, services, built)
    consumers = _consumers(node, plans)
    _check_plan_quotas(node, plans, consumers, built)

    throttle_node = node.node("throttle", required=built)
    stage_name = node.str("stageName", environment, pattern=_STAGE_NAME_RE, what="a stage name")
    # Left out, the stage is named by the environment.
    stage_name_key = node.key_path("stageName") if node.has("stageName") else "environment"
    # The ingress matches a service's prefix both after the stage and bare (naming.path_patterns): a stage
    # named like a prefix would make `/<stage>/<other prefix>` that service's path too.
    for index, service in enumerate(services):
        if service.public_path != f"/{stage_name}":
            continue
        clash = f"the ingress could not tell /{stage_name}/<path> from"
        if node.has("stageName"):
            raise node.error("stageName", f"{stage_name} is also {service.name}'s publicPath: {clash} that service's "
                                          "own paths", related=[f"services[{index}].publicPath"])
        # The file names no stage: the publicPath is the key that made the clash.
        raise node.error_at(f"services[{index}].publicPath", f"/{stage_name} is also the API's stage name (the "
                                                             f"environment's): {clash} the service's own paths",
                            related=["environment"])
    api = ApiConfig(
        # Its usage plans, keys, web ACL and alarms are named from it: renaming a deployed API renames (and
        # for the web ACL and alarms, replaces) them, so dev and prod keep the default.
        name=naming.api_name(environment, node.str("name", pattern=API_NAME_RE,
                                                   what="3-64 lowercase letters, digits and hyphens")),
        description=node.str("description", f"{environment} e-commerce public API",
                             pattern=_DESCRIPTION_RE, what="one line of at most 256 characters"),
        stage_name=stage_name,
        stage_name_key=stage_name_key,
        integration_timeout_ms=node.int("integrationTimeoutMs", 29000, minimum=50, maximum=29000,
                                        what="between 50 and 29000 ms"),
        logging_level=node.str("loggingLevel", "ERROR", choices=_LOG_LEVELS),
        data_trace_enabled=node.bool("dataTraceEnabled", False),
        metrics_enabled=node.bool("metricsEnabled", True),
        built=built, throttle=_throttle(throttle_node) if throttle_node is not None else None,
        auth=auth, cache=cache, waf=waf, domain=domain,
        usage_plans=tuple(plans), consumers=tuple(consumers), cors=cors,
        cloudwatch_role=node.bool("cloudWatchRole", True),
    )
    node.done()
    return api
