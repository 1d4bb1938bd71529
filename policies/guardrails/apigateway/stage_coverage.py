"""Stack policies: what each REST stage gets from other resources (method settings, usage plans, WAF).

ARNs and IDs are unknown during a first preview, so a resource is matched to its stage through the property
dependency of the field that names the stage first (a `depends_on` only orders, and a parent only groups) and by
stage name (and REST API, when known) second; a field that lists stages (a usage plan's `apiStages`) depends on
every stage any entry comes from, so its link settles only those, and the other stages go by name. A match that
depends on an unknown value is "maybe", and a stage is reported only when nothing might cover it.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, Callable, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, any_of, dig, is_set, is_true, number, peek, peek_items, unless_unknown
from ..core.registry import ADVISORY, config_list, stack_policy, string_list
from ..core.stack import covering, link_state, linked_of_type, of_type, prop, referenced, same_value
from ..wafv2 import NATIVE_WEB_ACL_ASSOCIATION, WEB_ACL_ASSOCIATION
from . import INTEGRATION, METHOD, METHOD_SETTINGS, NATIVE_USAGE_PLAN, REST_API, REST_API_PUT, STAGE, USAGE_PLAN
from .api import openapi_document, puts_naming, requires_api_key
from .integration import HTTP_TYPES as HTTP_INTEGRATION_TYPES, body_integrations
from .usage_plan import throttle_problems

EXECUTION_LOG_LEVELS = ("ERROR", "INFO")
EXEMPT_STAGES = {"exemptStages": string_list("Stage names (or resource names) this rule does not apply to.")}


# --- matching a resource to a stage ---------------------------------------------------------------------


def _api_match(api: Any, holder: Any, stage: Any, *, surely: bool = False) -> Optional[bool]:
    """Whether `api` (the REST API id that `holder` names) is the stage's: by their known ids, else by dependency
    links; None when neither tells (an id unknown or missing, and nothing to link). `surely` counts only the two
    `restApi` fields' own links (`_field_links`; a `depends_on` only orders, and a parent only groups), and answers
    False where they tell nothing."""
    stage_api = peek(stage.props, "restApi")
    if isinstance(api, str) and isinstance(stage_api, str):
        return api == stage_api
    if api is UNKNOWN and len(_field_links(holder, "restApi")) > 1:
        return None  # an id picked among several APIs': which one, the update tells
    if surely:
        return bool(_field_links(holder, "restApi") & _field_links(stage, "restApi"))
    links_holder, links_stage = linked_of_type(holder, REST_API), linked_of_type(stage, REST_API)
    if links_holder and links_stage:
        return bool(links_holder & links_stage)
    return None


def _same_api(api: Any, holder: Any, stage: Any, *, surely: bool = False) -> bool:
    """`_api_match`, with "yes" when nothing tells them apart (the stage name already matched); `surely`, only
    where it is surely the stage's."""
    answer = _api_match(api, holder, stage, surely=surely)
    return answer is True if surely else answer is not False


def _by_link(resource: Any, stage: Any, field: str, *, listed: bool = False) -> Optional[bool]:
    """True/False when the value of `resource`'s `field` (the one that names its stage) comes from stages, as far as
    the value says (`link_state`: a value picked among several stages' names the one it holds; an unknown one may be
    any of them: None); None when it comes from none. A `listed` field names several stages, and its dependencies are
    the whole list's: a link to another stage rules out none of its other entries, so it answers True or None."""
    stages = {d.urn for d in resource.property_dependencies.get(field, []) if d.resource_type == STAGE}
    if listed:
        return True if stage.urn in stages else None
    return link_state(resource, stage, field, keys=("arn", "stageName")) if stages else None


# The fields through which a resource passes a REST API's id on (a Deployment's, a Stage's, a RestApiPut's...).
_API_ID_FIELDS = ("restApi", "restApiId")


def _field_links(resource: Any, field: str, depth: int = 4) -> set[str]:
    """The RestApis whose id `resource`'s `field` is made from: directly, or through another resource's field that
    passes one on (`stage.rest_api`, `put.rest_api_id`), a few steps deep."""
    found: set[str] = set()
    for d in resource.property_dependencies.get(field, []):
        if d.resource_type == REST_API:
            found.add(d.urn)
        elif depth > 0:
            found |= {urn for f in _API_ID_FIELDS for urn in _field_links(d, f, depth - 1)}
    return found


def _names_stage(name: Any, api: Any, holder: Any, stage: Any, *, surely: bool = False) -> Optional[bool]:
    """Whether (`name`, `api`) as `holder` states them name this stage, on its API as `_same_api` takes it; None
    when a name is unknown."""
    stage_name = peek(stage.props, "stageName")
    if name is UNKNOWN or stage_name is UNKNOWN:
        return None
    return same_value(name, stage_name) and _same_api(api, holder, stage, surely=surely)


def _settings_target(settings: Any, stage: Any, *, surely: bool = False) -> Optional[bool]:
    """Whether MethodSettings are the stage's: by their `stageName`'s link, else by name; and on its API, as
    `_same_api` takes it."""
    linked = _by_link(settings, stage, "stageName")
    api = peek(settings.props, "restApi")
    if linked is not None:
        return linked and _same_api(api, settings, stage, surely=surely)
    return _names_stage(peek(settings.props, "stageName"), api, settings, stage, surely=surely)


def _plan_target(plan: Any, stage: Any) -> Optional[bool]:
    # `apiStages` is a list: one entry may come from another stage (`stage_a.stage_name`) while the next names this
    # one by value (`"live"`), so only a link to this stage decides; else each entry's name and API do.
    if _by_link(plan, stage, "apiStages", listed=True):
        return True
    # A usage plan names its APIs per entry (apiStages[].apiId); it has no restApi of its own. An unknown list
    # (`api_stages=api.id.apply(...)`) or entry might name this stage.
    return any_of(None if entry is UNKNOWN else _names_stage(peek(entry, "stage"), peek(entry, "apiId"), plan, stage)
                  for entry in peek_items(plan.props, "apiStages"))


def _association_target(association: Any, stage: Any) -> Optional[bool]:
    linked = _by_link(association, stage, "resourceArn")
    if linked is not None:
        return linked
    arn = peek(association.props, "resourceArn")
    name, api = peek(stage.props, "stageName"), peek(stage.props, "restApi")
    if UNKNOWN in (arn, name):
        return None
    return (isinstance(arn, str) and bool(name) and arn.endswith(f"/stages/{name}")
            and (api in (None, UNKNOWN) or f"/restapis/{api}/" in arn))


def _of_the_stages_api(method: Any, stage: Any) -> Optional[bool]:
    """Whether a Method belongs to the stage's REST API (`_api_match`)."""
    return _api_match(peek(method.props, "restApi"), method, stage)


def _bodies(stage: Any, resources: list) -> tuple[list, bool]:
    """The OpenAPI bodies of the stage's REST API, its own and its RestApiPuts' (UNKNOWN where one might be), and
    whether an API we cannot match yet might be the stage's."""
    apis, maybe = referenced(stage, "restApi", [peek(stage.props, "restApi")], of_type(resources, REST_API),
                             keys=("id",))
    puts = of_type(resources, REST_API_PUT)
    bodies = []
    for api in apis:
        found, put_maybe = puts_naming(api, puts)
        bodies += [peek(api.props, "body"), *(peek(put.props, "body") for put in found)]
        bodies += [UNKNOWN] if put_maybe else []
    return [body for body in bodies if body is not None], maybe


def _keys_required(stage: Any, resources: list) -> Optional[bool]:
    """Whether some method of the stage's REST API requires an API key: a Method with `apiKeyRequired`, or the API's
    OpenAPI body, its own or a RestApiPut's (`requires_api_key`). True, False, or None when an unknown value might
    tell either way."""
    answers: list[Optional[bool]] = []
    for method in of_type(resources, METHOD):
        ours = _of_the_stages_api(method, stage)
        required = peek(method.props, "apiKeyRequired")
        if ours is False or required is None or (required is not UNKNOWN and not is_true(required)):
            continue
        answers.append(True if ours and required is not UNKNOWN else None)
    bodies, maybe = _bodies(stage, resources)
    answers += [None if body is UNKNOWN else requires_api_key(openapi_document(body)) for body in bodies]
    return any_of(answers + ([None] if maybe else []))


def _no_http_backend(stage: Any, resources: list) -> Optional[bool]:
    """Whether the stage's REST API calls no HTTP backend, as far as the stack shows: True when the stack shows
    integrations of the API (Integration resources, operations of its OpenAPI body) and each is known to be of
    another type than HTTP and HTTP_PROXY (AWS, AWS_PROXY, MOCK; in any case, as a body writes them); False when one
    is HTTP or HTTP_PROXY, or the stack shows none (the API's integrations are made elsewhere); None when an unknown
    value might tell either way."""
    answers: list[Optional[bool]] = []
    for integration in of_type(resources, INTEGRATION):
        ours = _api_match(peek(integration.props, "restApi"), integration, stage)
        kind = peek(integration.props, "type")
        if ours is not False:
            answers.append(None if ours is None or kind is UNKNOWN else str(kind).upper() in HTTP_INTEGRATION_TYPES)
    bodies, maybe = _bodies(stage, resources)
    for body in bodies:
        answers += [None] if body is UNKNOWN else [str(peek(integration, "type")).upper() in HTTP_INTEGRATION_TYPES
                                                  for _, integration in body_integrations(openapi_document(body))]
    if True in answers or not answers:
        return False
    return None if maybe or None in answers else True


def _stage_label(stage: Any) -> str:
    return f"stage '{prop(stage, 'stageName') or stage.name}'"


def _all_methods_settings(stage: Any, resources: list) -> tuple[list, bool]:
    """The `*/*` MethodSettings surely the stage's, and whether another might be (its stage name, API or method path
    unknown): the checks judge only the first kind, since another API's settings of the same stage name must not
    decide this stage's verdict while the API ids are unknown."""
    sure, maybe = [], False
    for candidate in of_type(resources, METHOD_SETTINGS):
        path = peek(candidate.props, "methodPath")
        if path == "*/*" and _settings_target(candidate, stage, surely=True):
            sure.append(candidate)
        elif path in ("*/*", UNKNOWN) and _settings_target(candidate, stage) is not False:
            maybe = True
    return sure, maybe


def per_stage(problem: Callable[[Any, list], Optional[str]]):
    """A stack check that runs `problem(stage, resources)` for each REST stage not exempted.

    A value unknown during preview skips that stage (no verdict), not the whole stack check, as does a stageName
    that is not text.
    """
    @functools.wraps(problem)
    def check(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
        exempt = set(config_list(args, "exemptStages"))
        for stage in of_type(args.resources, STAGE):
            name = prop(stage, "stageName")  # None also while unknown
            # A stageName that is not text (a map would not hash) names no stage its settings could name: not judged.
            if not isinstance(name, (str, type(None))) or name in exempt or stage.name in exempt:
                continue
            message = unless_unknown(problem, stage, args.resources)
            if message:
                yield message, stage.urn

    return check


# --- policies ---------------------------------------------------------------------------------------------


@stack_policy(
    "apigateway-stage-execution-logging", STAGE,
    description="Every REST API stage must have */* method settings with execution logging at ERROR or INFO and metrics on.",
    severity=Severity.MEDIUM, config=EXEMPT_STAGES,
    anchors=("Security Hub APIGateway.1", "Config api-gw-execution-logging-enabled", "cdk-nag APIG6", "CKV2_AWS_4"),
)
@per_stage
def execution_logging(stage: Any, resources: list) -> Optional[str]:
    """the stage has `*/*` MethodSettings with `loggingLevel` ERROR or INFO and `metricsEnabled`, and every
    MethodSettings of the stage for one method sets `loggingLevel` ERROR or INFO too (a method's own settings
    replace `*/*` for it in full, and a level left out is OFF); a method's settings that may be another stage's or
    API's (an API id unknown and not linked), or whose path or level is unknown during preview, are not judged"""
    settings, maybe = _all_methods_settings(stage, resources)
    if settings:
        values = dig(settings[-1].props, "settings")
        level, metrics = dig(values, "loggingLevel"), dig(values, "metricsEnabled")
        if level not in EXECUTION_LOG_LEVELS:
            return f"{_stage_label(stage)} */* loggingLevel is {level or 'unset'}; it must be ERROR or INFO"
        if not is_true(metrics):
            return f"{_stage_label(stage)} */* metricsEnabled is not true"
    elif not maybe:
        return f"{_stage_label(stage)} has no MethodSettings for */* with execution logging"
    # A method's own settings surely the stage's are judged whichever */* settings are its.
    for method in of_type(resources, METHOD_SETTINGS):
        path, level = peek(method.props, "methodPath"), peek(method.props, "settings", "loggingLevel")
        if path not in ("*/*", UNKNOWN) and level not in (UNKNOWN, *EXECUTION_LOG_LEVELS) \
                and _settings_target(method, stage, surely=True):
            return (f"{_stage_label(stage)}: MethodSettings {method.name} for {path} set loggingLevel "
                    f"{level or 'unset (OFF)'}, and a method's settings replace */* for it; set ERROR or INFO")
    return None


@stack_policy(
    "apigateway-methodsettings-unique", METHOD_SETTINGS,
    description="Two MethodSettings must not set one method path of one REST API stage: both write that path's "
                "settings, so it holds whichever values were written last, a refresh shows the other changed, and "
                "deleting either removes the path's settings for both.",
    severity=Severity.MEDIUM,
    anchor_note="UpdateStage, through which the provider's MethodSettings write a path's settings and, on delete, "
                "remove the path",
)
def method_settings_unique(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no two MethodSettings surely of one stage in the stack (linked to it, or naming it on an API both state or
    link, as `apigateway-stage-execution-logging` reads a method's settings) have one `methodPath`; every member of
    such a group is reported; a stage outside the stack, settings that may be another's, and a path unknown during
    preview are not judged"""
    settings, reported = of_type(args.resources, METHOD_SETTINGS), set()
    for stage in of_type(args.resources, STAGE):
        by_path: dict[str, list] = defaultdict(list)
        for candidate in settings:
            path = peek(candidate.props, "methodPath")
            if isinstance(path, str) and _settings_target(candidate, stage, surely=True):
                by_path[path].append(candidate)
        for path, members in by_path.items():
            if len(members) < 2:
                continue
            message = (f"MethodSettings {', '.join(m.name for m in members)} each set {path} on {_stage_label(stage)}: "
                       "the path holds whichever values were written last, and deleting one removes its settings for "
                       "the others; keep one")
            # Once each, should two Stage resources (one read with Stage.get) be the same stage.
            for member in [m for m in members if (m.urn, path) not in reported]:
                reported.add((member.urn, path))
                yield message, member.urn


@stack_policy(
    "apigateway-stage-default-throttling", STAGE,
    description="Every REST API stage must set default */* throttling (rate and burst) in its method settings.",
    severity=Severity.MEDIUM, level=ADVISORY, config=EXEMPT_STAGES,
    anchor_note='rule family "API Gateway default throttling"; no rule id we can confirm',
)
@per_stage
def default_throttling(stage: Any, resources: list) -> Optional[str]:
    """the stage's `*/*` MethodSettings set `throttlingRateLimit` and `throttlingBurstLimit`"""
    settings, maybe = _all_methods_settings(stage, resources)
    if not settings and maybe:
        return None
    values = dig(settings[-1].props, "settings") if settings else None
    missing, not_numbers = [], []
    for key in ("throttlingRateLimit", "throttlingBurstLimit"):
        given = dig(values, key)
        limit = number(given)  # a config string ("100") is judged as its number
        if limit is None and given is not None:
            not_numbers.append(f"{key} is {given!r}")
        elif limit is None or limit < 0:
            missing.append(key)
    problems = [f"has no default */* {' and '.join(missing)} in its MethodSettings"] if missing else []
    if not_numbers:
        problems.append(f"*/* {' and '.join(not_numbers)}, not "
                        f"{'numbers' if len(not_numbers) > 1 else 'a number'} of requests")
    return f"{_stage_label(stage)} {'; '.join(problems)}" if problems else None


# With a stage's cache on, API Gateway caches its GET methods by default ("Cache settings for REST APIs": "only GET
# methods have caching enabled by default"), and cacheDataEncrypted defaults to false: the */* settings decide for
# every method without settings of its own (those are apigateway-methodsettings-cache-encrypted's).
@stack_policy(
    "apigateway-stage-cache-encrypted", STAGE,
    description="REST API stages with a cache cluster must encrypt the cache: API Gateway caches their GET methods by "
                "default, so their */* method settings must set cacheDataEncrypted (or turn caching off).",
    severity=Severity.MEDIUM, config=EXEMPT_STAGES,
    anchors=("Security Hub APIGateway.5", "Config api-gw-cache-enabled-and-encrypted", "CKV_AWS_308"),
)
@per_stage
def cache_encrypted(stage: Any, resources: list) -> Optional[str]:
    """where `cacheClusterEnabled` is true, the stage has `*/*` MethodSettings surely its own (as
    `apigateway-stage-execution-logging` reads them), and each sets `cacheDataEncrypted` true or `cachingEnabled`
    (false; true is `apigateway-methodsettings-cache-encrypted`'s to judge) (knob `exemptStages`); not judged: a
    `cacheClusterEnabled`, stage name or cache value unknown during preview, and a stage some of whose `*/*` settings
    may be its own (an API id unknown and not linked, a path unknown)"""
    if not is_true(peek(stage.props, "cacheClusterEnabled")) or peek(stage.props, "stageName") is UNKNOWN:
        return None  # no cache, or not known yet; an unknown name would change the message's label
    settings, maybe = _all_methods_settings(stage, resources)
    if not settings:
        return None if maybe else (
            f"{_stage_label(stage)} has a cache cluster (cacheClusterEnabled) but no */* MethodSettings: API Gateway "
            "caches its GET methods by default, unencrypted (cacheDataEncrypted defaults to false); add */* "
            "MethodSettings with cacheDataEncrypted true")
    values = [(s, peek(s.props, "settings", "cacheDataEncrypted"), peek(s.props, "settings", "cachingEnabled"))
              for s in settings]
    if any(UNKNOWN in (encrypted, caching) for _, encrypted, caching in values):
        return None  # which way an unknown one goes, and so the message, waits for the update
    # Any of them may be the one written last (apigateway-methodsettings-unique reports two). Settings that turn
    # caching on themselves are apigateway-methodsettings-cache-encrypted's to report.
    plain = [(s, encrypted) for s, encrypted, caching in values if not is_true(encrypted) and caching is None]
    if not plain or maybe:
        return None  # settings that may be the stage's */* too would join the message's list
    named = ", ".join(f"{s.name} (cacheDataEncrypted {'unset (false)' if encrypted is None else 'false'})"
                      for s, encrypted in plain)
    return (f"{_stage_label(stage)} has a cache cluster (cacheClusterEnabled), and its */* MethodSettings {named} "
            "leave the cache unencrypted: API Gateway caches the stage's GET methods by default; set "
            "cacheDataEncrypted true in the */* settings (or cachingEnabled false)")


# A usage plan's throttle and quota apply to requests with an API key only ("Usage plans and API keys for REST APIs":
# "Throttling and quota limits apply to requests for individual API keys"), so a stage whose methods take no key
# gains nothing from one; apigateway-stage-default-throttling covers those stages' throttling.
@stack_policy(
    "apigateway-stage-usage-plan", STAGE,
    description="Every REST API stage whose methods require an API key must be in a usage plan that sets "
                "throttling (a plan's limits apply only to requests with an API key; "
                "apigateway-usageplan-throttle-quota asks each plan for its quota).",
    severity=Severity.HIGH, config=EXEMPT_STAGES,
)
@per_stage
def usage_plan(stage: Any, resources: list) -> Optional[str]:
    """where some method of the stage's API requires an API key (a Method's `apiKeyRequired`, or an operation of an
    OpenAPI body requiring its API key scheme): some usage plan lists the stage and sets a throttle (knob
    `exemptStages`; a stage without keys is `apigateway-stage-default-throttling`'s; a plan's quota is
    `apigateway-usageplan-throttle-quota`'s); an aws-native plan, which lists stages alike in `apiStages` but whose
    throttle is not read, leaves a stage it lists or may list unjudged"""
    plans, maybe = covering(of_type(resources, USAGE_PLAN, NATIVE_USAGE_PLAN), stage, _plan_target)
    if (maybe and not plans) or any(p.resource_type == NATIVE_USAGE_PLAN for p in plans) or not all(
            throttle_problems(p.props) for p in plans):
        return None  # covered, or a plan we cannot match yet (or read: aws-native's) might cover it
    if _keys_required(stage, resources) is not True:
        return None
    if not plans:
        return (f"{_stage_label(stage)} is in no usage plan, yet methods of its API require an API key; add the "
                f"stage to a usage plan's apiStages with a throttle, the limits API Gateway applies per key")
    names = ", ".join(p.name for p in plans)
    return f"{_stage_label(stage)} is only in usage plans without a throttle ({names})"


@stack_policy(
    "apigateway-stage-waf", STAGE,
    description="Every REST API stage must be protected by a WAFv2 web ACL association.",
    severity=Severity.HIGH, config=EXEMPT_STAGES,
    anchors=("Security Hub APIGateway.4", "Config api-gw-associated-with-waf", "cdk-nag APIG3", "CKV2_AWS_29"),
)
@per_stage
def waf(stage: Any, resources: list) -> Optional[str]:
    """a `aws:wafv2/webAclAssociation:WebAclAssociation` (or aws-native's, which names it alike in `resourceArn`)
    targets the stage (knob `exemptStages`)"""
    associations, maybe = covering(of_type(resources, WEB_ACL_ASSOCIATION, NATIVE_WEB_ACL_ASSOCIATION), stage,
                                   _association_target)
    if associations or maybe:
        return None
    return f"{_stage_label(stage)} has no aws:wafv2/webAclAssociation:WebAclAssociation; associate a WAFv2 web ACL"


# A client certificate is what API Gateway presents to an HTTP backend: the backend checks it "to verify that HTTP
# requests to your backend system are from API Gateway" (Developer Guide, "Generate and configure an SSL certificate
# for backend authentication"). A Lambda (AWS_PROXY), AWS service or MOCK integration never sees one; IAM (the
# function's resource policy, the integration's role) already says who may call those. So a stage is not reported
# when the stack shows its API's integrations and none is HTTP; it is when one is, or when the stack shows none.
@stack_policy(
    "apigateway-stage-client-certificate", STAGE,
    description="REST API stages must present a client certificate so HTTP backends can authenticate API Gateway; "
                "a stage whose API has only Lambda, AWS service or MOCK integrations (as the stack shows) needs none.",
    severity=Severity.MEDIUM, level=ADVISORY, config=EXEMPT_STAGES,
    anchors=("Security Hub APIGateway.2", "Config api-gw-ssl-enabled", "CKV2_AWS_51"),
    anchor_note="those rules ask every stage, whatever its integrations",
)
@per_stage
def client_certificate(stage: Any, resources: list) -> Optional[str]:
    """`clientCertificateId` is set, unless the stack shows the stage's API's integrations (Integration resources,
    or its OpenAPI body's) and none is of type `HTTP` or `HTTP_PROXY` (knob `exemptStages`)"""
    if is_set(stage.props, "clientCertificateId") or _no_http_backend(stage, resources) is not False:
        return None
    return (f"{_stage_label(stage)}: clientCertificateId is not set, so an HTTP backend of its API cannot "
            f"authenticate API Gateway")
