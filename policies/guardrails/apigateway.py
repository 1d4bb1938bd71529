"""API Gateway guardrails: logging, tracing, auth, validation, usage plans, TLS and WAF.

Stage-level settings that live on other resources (MethodSettings, UsagePlan, WebAclAssociation) are
checked by stack policies. ARNs and IDs are unknown during a first preview, so a resource is matched
to its stage through dependency links first (property dependencies, dependencies, parent) and by
stage name (and REST API, when known) second.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional
from urllib.parse import urlsplit

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationArgs, Severity, StackValidationArgs

from ._props import (
    UNKNOWN,
    as_list,
    covering,
    config_list,
    dig,
    glob_match,
    is_map,
    is_set,
    is_true,
    linked_of_type,
    of_type,
    peek,
    prop,
    resource_policy,
    same_value,
    stack_policy,
    string_list_schema,
    unless_unknown,
)

REST_API = "aws:apigateway/restApi:RestApi"
STAGE = "aws:apigateway/stage:Stage"
STAGE_V2 = "aws:apigatewayv2/stage:Stage"
METHOD = "aws:apigateway/method:Method"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
INTEGRATION = "aws:apigateway/integration:Integration"
USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan"
DOMAIN_NAME = "aws:apigateway/domainName:DomainName"
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"

EXECUTION_LOG_LEVELS = ("ERROR", "INFO")
# Every securityPolicy API Gateway accepts except TLS_1_0 has a TLS 1.2 (or 1.3) floor.
DEFAULT_TLS_POLICIES = [
    "TLS_1_2",
    "SecurityPolicy_TLS13_1_3_2025_09",
    "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
    "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_2021_06",
    "SecurityPolicy_TLS13_2025_EDGE",
    "SecurityPolicy_TLS12_PFS_2025_EDGE",
    "SecurityPolicy_TLS12_2018_EDGE",
]


# --- resource policies -------------------------------------------------------------------------------


def _access_logging(args: ResourceValidationArgs) -> Iterator[str]:
    settings = args.props.get("accessLogSettings")
    if not is_map(settings):
        yield "accessLogSettings is not set; access logs must go to a destination in a (JSON) format"
        return
    for key in ("destinationArn", "format"):
        if not is_set(settings, key):
            yield f"accessLogSettings.{key} is not set"


def _xray(args: ResourceValidationArgs) -> Iterator[str]:
    if not is_true(args.props.get("xrayTracingEnabled")):
        yield "xrayTracingEnabled is not true"


def _client_certificate(args: ResourceValidationArgs) -> Iterator[str]:
    if not is_set(args.props, "clientCertificateId"):
        yield "clientCertificateId is not set, so the backend cannot authenticate API Gateway"


def _data_trace_off(args: ResourceValidationArgs) -> Iterator[str]:
    if is_true(dig(args.props, "settings", "dataTraceEnabled")):
        yield (f"settings.dataTraceEnabled is true for {args.props.get('methodPath')}; full request and "
               "response bodies (tokens, personal data) would be logged")


def _cache_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    settings = args.props.get("settings")
    if is_true(dig(settings, "cachingEnabled")) and not is_true(dig(settings, "cacheDataEncrypted")):
        yield f"caching is enabled for {args.props.get('methodPath')} but settings.cacheDataEncrypted is not true"


def _is_options(args: ResourceValidationArgs) -> bool:
    return str(args.props.get("httpMethod") or "").upper() == "OPTIONS"


def _method_authorization(args: ResourceValidationArgs) -> Iterator[str]:
    if _is_options(args):
        args.not_applicable("CORS preflight (OPTIONS) methods are exempt")
    authorization = args.props.get("authorization") or "NONE"
    if authorization == "NONE" and not is_true(args.props.get("apiKeyRequired")):
        yield f"{args.props.get('httpMethod')} has authorization NONE and apiKeyRequired is not true"


def _method_request_validator(args: ResourceValidationArgs) -> Iterator[str]:
    if _is_options(args):
        args.not_applicable("CORS preflight (OPTIONS) methods are exempt")
    if not is_set(args.props, "requestValidatorId"):
        yield f"{args.props.get('httpMethod')} has no requestValidatorId"


def _usage_plan_limits(plan: Any) -> list[str]:
    problems = []
    throttle, quota = dig(plan, "throttleSettings"), dig(plan, "quotaSettings")
    if not (is_set(throttle, "rateLimit") and is_set(throttle, "burstLimit")):
        problems.append("throttleSettings needs rateLimit and burstLimit")
    if not (is_set(quota, "limit") and is_set(quota, "period")):
        problems.append("quotaSettings needs limit and period")
    return problems


def _usage_plan_throttle_quota(args: ResourceValidationArgs) -> Iterator[str]:
    yield from _usage_plan_limits(args.props)


def _domain_tls(args: ResourceValidationArgs) -> Iterator[str]:
    allowed = config_list(args, "allowedSecurityPolicies", DEFAULT_TLS_POLICIES)
    policy = args.props.get("securityPolicy")
    if policy is None:
        yield "securityPolicy is not set; set TLS_1_2 or a SecurityPolicy_TLS13_* policy explicitly"
    elif policy not in allowed:
        yield (f"securityPolicy is {policy}; it must have a TLS 1.2+ floor "
               "(e.g. TLS_1_2 or SecurityPolicy_TLS13_1_2_2021_06)")


def _uri_host(uri: Any) -> Optional[str]:
    return urlsplit(uri).hostname if isinstance(uri, str) else None


def _integration_tls(args: ResourceValidationArgs) -> Iterator[str]:
    if not is_true(dig(args.props, "tlsConfig", "insecureSkipVerification")):
        return
    private = args.props.get("connectionType") == "VPC_LINK"
    host = _uri_host(args.props.get("uri"))
    if private and host and glob_match(host, config_list(args, "privateCaHosts", [])):
        return  # an approved VPC-link backend whose certificate chains to a private CA
    via = " (through a VPC link)" if private else ""
    yield (f"tlsConfig.insecureSkipVerification is true for {host or 'the backend'}{via}: API Gateway would accept "
           "a certificate from any issuer; list the host in privateCaHosts only if it is a private-CA backend")


# --- stack policies: matching stages ------------------------------------------------------------------------


def _same_api(api: Any, holder: Any, stage: Any) -> bool:
    """Whether `api` (the REST API id that `holder` names) is the stage's; unknown or missing ids fall back
    to dependency links, and to "yes" when nothing tells them apart (the stage name already matched)."""
    stage_api = peek(stage.props, "restApi")
    if api not in (None, UNKNOWN) and stage_api not in (None, UNKNOWN):
        return api == stage_api
    links_holder, links_stage = linked_of_type(holder, REST_API), linked_of_type(stage, REST_API)
    if links_holder and links_stage:
        return bool(links_holder & links_stage)
    return True


def _by_link(resource: Any, stage: Any) -> Optional[bool]:
    """True/False when `resource` links to stages explicitly; None when it links to none."""
    stages = linked_of_type(resource, STAGE)
    return stage.urn in stages if stages else None


def _names_stage(name: Any, api: Any, holder: Any, stage: Any) -> Optional[bool]:
    """Whether (`name`, `api`) as `holder` states them name this stage; None when a name is unknown."""
    stage_name = peek(stage.props, "stageName")
    if name is UNKNOWN or stage_name is UNKNOWN:
        return None
    return same_value(name, stage_name) and _same_api(api, holder, stage)


def _settings_target(settings: Any, stage: Any) -> Optional[bool]:
    linked = _by_link(settings, stage)
    if linked is not None:
        return linked
    return _names_stage(peek(settings.props, "stageName"), peek(settings.props, "restApi"), settings, stage)


def _plan_target(plan: Any, stage: Any) -> Optional[bool]:
    linked = _by_link(plan, stage)
    if linked is not None:
        return linked
    # A usage plan names its APIs per entry (apiStages[].apiId); it has no restApi of its own.
    answers = [_names_stage(peek(entry, "stage"), peek(entry, "apiId"), plan, stage)
               for entry in as_list(peek(plan.props, "apiStages"))]
    return True if any(answers) else (None if None in answers else False)


def _association_target(association: Any, stage: Any) -> Optional[bool]:
    linked = _by_link(association, stage)
    if linked is not None:
        return linked
    arn = peek(association.props, "resourceArn")
    name, api = peek(stage.props, "stageName"), peek(stage.props, "restApi")
    if UNKNOWN in (arn, name):
        return None
    return (isinstance(arn, str) and bool(name) and arn.endswith(f"/stages/{name}")
            and (api in (None, UNKNOWN) or f"/restapis/{api}/" in arn))


def _stage_label(stage: Any) -> str:
    return f"stage '{prop(stage, 'stageName') or stage.name}'"


def _stages(args: StackValidationArgs) -> list:
    exempt = set(config_list(args, "exemptStages", []))
    return [s for s in of_type(args.resources, STAGE) if prop(s, "stageName") not in exempt and s.name not in exempt]


def _all_methods_settings(stage: Any, resources: list) -> tuple[list, bool]:
    """The stage's `*/*` MethodSettings, and whether an unknown stage name might add one."""
    candidates = [m for m in of_type(resources, METHOD_SETTINGS) if prop(m, "methodPath") == "*/*"]
    return covering(candidates, stage, _settings_target)


def _execution_logging_problem(stage: Any, resources: list) -> Optional[str]:
    settings, maybe = _all_methods_settings(stage, resources)
    if not settings:
        return None if maybe else f"{_stage_label(stage)} has no MethodSettings for */* with execution logging"
    values = dig(settings[-1].props, "settings")
    level, metrics = dig(values, "loggingLevel"), dig(values, "metricsEnabled")
    if level not in EXECUTION_LOG_LEVELS:
        return f"{_stage_label(stage)} */* loggingLevel is {level or 'unset'}; it must be ERROR or INFO"
    if not is_true(metrics):
        return f"{_stage_label(stage)} */* metricsEnabled is not true"
    return None


def _default_throttling_problem(stage: Any, resources: list) -> Optional[str]:
    settings, maybe = _all_methods_settings(stage, resources)
    if not settings and maybe:
        return None
    values = dig(settings[-1].props, "settings") if settings else None
    missing = [k for k in ("throttlingRateLimit", "throttlingBurstLimit")
               if not isinstance(dig(values, k), (int, float)) or dig(values, k) < 0]
    if missing:
        return f"{_stage_label(stage)} has no default */* {' and '.join(missing)} in its MethodSettings"
    return None


def _usage_plan_problem(stage: Any, resources: list) -> Optional[str]:
    plans, maybe = covering(of_type(resources, USAGE_PLAN), stage, _plan_target)
    if not plans:
        return None if maybe else f"{_stage_label(stage)} is in no usage plan"
    if all(_usage_plan_limits(p.props) for p in plans):
        names = ", ".join(p.name for p in plans)
        return f"{_stage_label(stage)} is only in usage plans without both throttle and quota ({names})"
    return None


def _waf_problem(stage: Any, resources: list) -> Optional[str]:
    associations, maybe = covering(of_type(resources, WEB_ACL_ASSOCIATION), stage, _association_target)
    if associations or maybe:
        return None
    return f"{_stage_label(stage)} has no aws:wafv2/webAclAssociation:WebAclAssociation; associate a WAFv2 web ACL"


def _per_stage(problem: Callable[[Any, list], Optional[str]]):
    """A stack check that runs `problem(stage, resources)` for each REST stage not exempted.

    A value unknown during preview skips that stage (no verdict), not the whole stack check.
    """
    def check(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
        for stage in _stages(args):
            message = unless_unknown(problem, stage, args.resources)
            if message:
                yield message, stage.urn

    return check


# --- policies ---------------------------------------------------------------------------------------

_EXEMPT_STAGES = PolicyConfigSchema(properties={
    "exemptStages": string_list_schema("Stage names (or resource names) this rule does not apply to.", []),
})

apigateway_stage_access_logging = resource_policy(
    "apigateway-stage-access-logging",
    "REST API stages must send access logs to a destination in a defined format.",
    STAGE, _access_logging, severity=Severity.HIGH)

apigatewayv2_stage_access_logging = resource_policy(
    "apigatewayv2-stage-access-logging",
    "HTTP and WebSocket API stages must send access logs to a destination in a defined format.",
    STAGE_V2, _access_logging, severity=Severity.HIGH)

apigateway_stage_xray = resource_policy(
    "apigateway-stage-xray", "REST API stages must enable X-Ray tracing.",
    STAGE, _xray, severity=Severity.LOW)

apigateway_stage_client_certificate = resource_policy(
    "apigateway-stage-client-certificate",
    "REST API stages must present a client certificate so backends can authenticate API Gateway.",
    STAGE, _client_certificate, severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY)

apigateway_methodsettings_data_trace_off = resource_policy(
    "apigateway-methodsettings-data-trace-off",
    "API Gateway method settings must not enable data tracing (full request/response logging).",
    METHOD_SETTINGS, _data_trace_off, severity=Severity.MEDIUM)

apigateway_methodsettings_cache_encrypted = resource_policy(
    "apigateway-methodsettings-cache-encrypted",
    "API Gateway method settings that enable caching must encrypt the cache.",
    METHOD_SETTINGS, _cache_encrypted, severity=Severity.MEDIUM)

apigateway_method_authorization = resource_policy(
    "apigateway-method-authorization",
    "REST API methods (except OPTIONS) must require an authorizer or an API key.",
    METHOD, _method_authorization, severity=Severity.CRITICAL)

apigateway_method_request_validator = resource_policy(
    "apigateway-method-request-validator",
    "REST API methods (except OPTIONS) must use a request validator.",
    METHOD, _method_request_validator, severity=Severity.MEDIUM)

apigateway_usageplan_throttle_quota = resource_policy(
    "apigateway-usageplan-throttle-quota",
    "Usage plans must set both throttling (rate and burst) and a quota (limit and period).",
    USAGE_PLAN, _usage_plan_throttle_quota, severity=Severity.MEDIUM)

apigateway_domainname_tls_policy = resource_policy(
    "apigateway-domainname-tls-policy",
    "API Gateway custom domains must use a TLS 1.2+ security policy (TLS_1_2 or an enhanced TLS 1.3 policy).",
    DOMAIN_NAME, _domain_tls, severity=Severity.HIGH,
    config_schema=PolicyConfigSchema(properties={
        "allowedSecurityPolicies": string_list_schema("Accepted securityPolicy values.", DEFAULT_TLS_POLICIES),
    }))

apigateway_integration_tls_verification = resource_policy(
    "apigateway-integration-tls-verification",
    "API Gateway integrations (VPC link ones in particular) must verify the backend's TLS certificate.",
    INTEGRATION, _integration_tls, severity=Severity.HIGH,
    config_schema=PolicyConfigSchema(properties={
        "privateCaHosts": string_list_schema(
            "VPC-link backend hosts (exact or *.wildcards) whose certificate chains to a private CA, which API "
            "Gateway cannot trust: they may skip the issuer check (hostname and expiry are still checked).", []),
    }))

apigateway_stage_execution_logging = stack_policy(
    "apigateway-stage-execution-logging",
    "Every REST API stage must have */* method settings with execution logging at ERROR or INFO and metrics on.",
    STAGE, _per_stage(_execution_logging_problem), severity=Severity.MEDIUM, config_schema=_EXEMPT_STAGES)

apigateway_stage_default_throttling = stack_policy(
    "apigateway-stage-default-throttling",
    "Every REST API stage must set default */* throttling (rate and burst) in its method settings.",
    STAGE, _per_stage(_default_throttling_problem),
    severity=Severity.MEDIUM, enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=_EXEMPT_STAGES)

apigateway_stage_usage_plan = stack_policy(
    "apigateway-stage-usage-plan",
    "Every REST API stage must be in a usage plan that sets both throttling and a quota.",
    STAGE, _per_stage(_usage_plan_problem), severity=Severity.HIGH, config_schema=_EXEMPT_STAGES)

apigateway_stage_waf = stack_policy(
    "apigateway-stage-waf",
    "Every REST API stage must be protected by a WAFv2 web ACL association.",
    STAGE, _per_stage(_waf_problem), severity=Severity.HIGH, config_schema=_EXEMPT_STAGES)

POLICIES = [
    apigateway_stage_access_logging,
    apigatewayv2_stage_access_logging,
    apigateway_stage_xray,
    apigateway_stage_client_certificate,
    apigateway_methodsettings_data_trace_off,
    apigateway_methodsettings_cache_encrypted,
    apigateway_method_authorization,
    apigateway_method_request_validator,
    apigateway_usageplan_throttle_quota,
    apigateway_domainname_tls_policy,
    apigateway_integration_tls_verification,
    apigateway_stage_execution_logging,
    apigateway_stage_default_throttling,
    apigateway_stage_usage_plan,
    apigateway_stage_waf,
]
