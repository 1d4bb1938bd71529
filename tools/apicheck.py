"""What the real provider and AWS would reject, found offline: the preview's API errors.

Mocks accept any value. This module looks at the inputs the program registered the way the AWS provider
and AWS itself would:

- **Auto-naming.** A resource with an optional `name` that the program leaves out is named by pulumi-aws
  `<resource name>-<7 random characters>`; that name (or the one given) must pass AWS's own length and
  character rules for the type (`NAMES`).
- **AWS's API model as the oracle.** Payloads that reach AWS nearly verbatim (container definitions and task
  sizes, an ECS service's Service Connect / deployment / network settings, App Mesh specs, Cloud Map DNS and
  health-check settings, API Gateway method settings, ELB target groups and listeners, WAF rules and body
  inspection limits, CloudWatch alarms, log groups and EventBridge rules, SNS topic names, KMS keys, Lambda
  functions, API Gateway v2 routes, integrations, authorizers and stages, DNS Firewall rules, REST APIs, methods,
  integrations, stages, usage plans, API keys and domain names, Cognito user pools and clients, HTTP and WebSocket
  APIs, scaling targets and policies, flow logs, VPC endpoints, Network Firewall rule groups' names, types and
  capacities, firewalls, policies and logging, saved Logs Insights queries, DynamoDB tables, S3 default encryption,
  listener rules and default actions, WAF IP sets, KMS aliases, ECR pull-through cache rules and repository creation
  templates, Lambda permissions, EventBridge targets, dashboards, trails, ECS clusters, HTTP namespaces, gateway
  responses, REST authorizers, HTTP and WebSocket API domains, private CAs and their certificates, DNS Firewall domain
  lists, rule groups, query logging and fail-open settings) are validated against botocore's service models: members,
  required members, enums (map keys too), ranges, lengths, patterns. Where pulumi-aws names a member differently,
  `RENAMES` (one table) maps it; where a rule is only in AWS's documentation, `DOCUMENTED` adds it (a test keeps each
  tied to the text botocore ships).
- **Provider rules mocks skip** (`PROVIDER_RULES`): empty blocks the provider drops, `*/*` method
  settings that switch on per-method behaviour, method-setting paths AWS would not match, WAF body
  inspection blocks the provider never sends, a KMS-encrypted Kinesis stream or a Firehose stream under a
  customer managed key that names no key, a RolePolicy naming its role by ARN; and the few rules AWS states only
  in its errors (a multi-Region trail without global service events) or limits (Fargate task sizes, container
  reservations within task memory, a managed policy, a task definition's size).
- **Quotas across resources, and the account's** (`check_across`): IAM's on an identity's inline policies together,
  the role's own `inlinePolicies` and every RolePolicy (UserPolicy, GroupPolicy) naming it, found by name as IAM
  finds it, one policy per name as IAM keeps them; and on a role's trust policy, the account's quota as the stack's
  config declares it raised (`declared_quotas`: the project's `quotas.roleTrustPolicyChars`). The policy worker
  checks one resource at a time without the stack's config, so the preview's process adds these to its errors
  (`with_errors_across`).

Each finding is an `ApiError(urn, type, name, path, message)`; a preview with any exits 1.
"""
from __future__ import annotations

import functools
import json
import re
from datetime import datetime, timezone
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence

from .awsprovider import alb_aliases, name_autoname
from .mockrun import CapturedResource, mock_id, struct_to_plain


@dataclass(frozen=True)
class ApiError:
    urn: str
    type: str
    name: str
    path: str
    message: str

    def to_json(self) -> dict:
        return {"urn": self.urn, "type": self.type, "name": self.name, "path": self.path, "message": self.message}


# --------------------------------------------------------------------------------------------------
# botocore models
# --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def session():
    """The one botocore session (its loader caches the models); tests read models through it too. Its loader reads
    the models botocore ships and nothing else: a default session's reads the AWS config file (and the profile that
    AWS_PROFILE names) for a `data_path`, so a missing profile or a malformed file failed the offline preview, which
    needs no credentials and no profile; nor may a user's extra models (~/.aws/models, AWS_DATA_PATH) stand in for
    the pinned ones."""
    import botocore.loaders  # on first use: a preview whose policy worker runs the check never loads it
    import botocore.session

    shipped = botocore.session.Session()
    shipped.register_component("data_loader", botocore.loaders.Loader(
        extra_search_paths=[botocore.loaders.Loader.BUILTIN_DATA_PATH], include_default_search_paths=False))
    return shipped


@functools.lru_cache(maxsize=None)
def service_model(service: str):
    return session().get_service_model(service)


@functools.lru_cache(maxsize=None)
def shape(service: str, name: str):
    """One object per named shape: botocore builds a new one on every lookup, and each resolves its members
    again (they are cached per object), about a fifth of the check's time when not kept."""
    return service_model(service).shape_for(name)


def member_shape(service: str, operation_or_shape: str, member: str):
    """A member of an operation's input (`CreateTargetGroup`) or of a named shape (`HealthCheck`)."""
    model = service_model(service)
    parent = (model.operation_model(operation_or_shape).input_shape
              if operation_or_shape in model.operation_names else shape(service, operation_or_shape))
    return parent.members[member]


@dataclass(frozen=True)
class Documented:
    """A rule AWS states only in its documentation; `phrase` must appear in the member's documentation in
    the pinned botocore (tests/test_apicheck.py), so the rule moves with AWS's own text."""
    phrase: str
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    max_length: Optional[int] = None
    pattern: Optional[str] = None
    what: str = ""
    # The part of the member's enum AWS takes here (reported only for a value the enum itself admits).
    allowed: tuple[str, ...] = ()


_ELB_NAME = r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$"
_ECS_NAME = r"^[A-Za-z0-9_-]+$"
# ECS's rule for a cluster's, service's and task family's name.
_ECS_NAME_RULE = Documented("Up to 255 letters", max_length=255, pattern=_ECS_NAME,
                            what="letters, numbers, underscores and hyphens")
# Service Connect's names: lower case, and never starting with a hyphen (a client alias may also have periods).
_SC_NAME = r"^[a-z0-9_][a-z0-9_-]*$"
_SC_NAME_WHAT = "lowercase letters, numbers, underscores and hyphens, not starting with a hyphen"




def _ec2_characters(ampersand: bool = True) -> str:
    """The punctuation EC2 allows in security group names and descriptions (some members leave out &)."""
    return "._-:/()#,@[]+=" + ("&" if ampersand else "") + ";{}!$*"


def _ec2_text(ampersand: bool) -> "Documented":
    """EC2's rule for a security group's or rule's description."""
    characters = _ec2_characters(ampersand)
    return Documented("Up to 255 characters", max_length=255, pattern=f"^[A-Za-z0-9 {re.escape(characters)}]*$",
                      what=f"the characters EC2 allows (a-z, A-Z, 0-9, spaces and {characters})")


# (service, shape, member) -> the documented rule.
DOCUMENTED: dict[tuple[str, str, str], Documented] = {
    ("ecs", "HealthCheck", "interval"): Documented("between 5 and 300 seconds", minimum=5, maximum=300),
    ("ecs", "HealthCheck", "timeout"): Documented("between 2 and 60 seconds", minimum=2, maximum=60),
    ("ecs", "HealthCheck", "retries"): Documented("between 1 and 10 retries", minimum=1, maximum=10),
    ("ecs", "HealthCheck", "startPeriod"): Documented("between 0 and 300 seconds", minimum=0, maximum=300),
    ("ecs", "RegisterTaskDefinitionRequest", "family"): _ECS_NAME_RULE,
    ("ecs", "CreateServiceRequest", "serviceName"): _ECS_NAME_RULE,
    ("elbv2", "CreateTargetGroupInput", "Name"): Documented(
        "maximum of 32 characters", max_length=32, pattern=_ELB_NAME,
        what="alphanumerics and hyphens, not starting or ending with a hyphen"),
    ("elbv2", "CreateLoadBalancerInput", "Name"): Documented(
        "maximum of 32 characters", max_length=32, pattern=r"^(?!internal-)" + _ELB_NAME[1:],
        what="alphanumerics and hyphens, not starting or ending with a hyphen nor with internal-"),
    ("ec2", "CreateSecurityGroupRequest", "GroupName"): Documented(
        "Up to 255 characters", max_length=255, pattern=f"^(?!sg-)[A-Za-z0-9 {re.escape(_ec2_characters())}]+$",
        what="the characters EC2 allows, not starting with sg-"),
    # The model's bounds are an ARN's; a bare name (what the provider sends) has its own.
    ("lambda", "CreateFunctionRequest", "FunctionName"): Documented(
        "If you specify only the function name, it is limited to 64 characters", max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$", what="letters, numbers, hyphens and underscores"),
    ("sns", "CreateTopicInput", "Name"): Documented(
        "must be between 1 and 256 characters long", max_length=256, pattern=r"^[A-Za-z0-9_-]+(\.fifo)?$",
        what="ASCII letters, numbers, underscores and hyphens (and a .fifo suffix)"),
    ("ecs", "CreateClusterRequest", "clusterName"): _ECS_NAME_RULE,
    ("ecs", "PortMapping", "name"): Documented(
        "The name can include up to 64 characters", max_length=64, pattern=_SC_NAME, what=_SC_NAME_WHAT),
    ("ecs", "ServiceConnectService", "discoveryName"): Documented(
        "The name can contain up to 64 characters", max_length=64, pattern=_SC_NAME, what=_SC_NAME_WHAT),
    ("ecs", "ServiceConnectClientAlias", "dnsName"): Documented(
        "The name can include up to 127 characters", max_length=127, pattern=r"^[a-z0-9_.][a-z0-9_.-]*$",
        what="lowercase letters, numbers, underscores, hyphens and periods, not starting with a hyphen"),
    ("kms", "CreateAliasRequest", "AliasName"): Documented(
        "The alias name cannot begin with", pattern=r"^alias/(?!aws/).+",
        what="alias/ and a name, not alias/aws/ (AWS managed keys' prefix)"),
    ("cloudwatch", "PutDashboardInput", "DashboardName"): Documented(
        "The maximum length is 255", max_length=255, pattern=r"^[A-Za-z0-9_-]+$",
        what="A-Z, a-z, 0-9, hyphens and underscores"),
    ("cloudtrail", "CreateTrailRequest", "Name"): Documented(
        "Be between 3 and 128 characters", max_length=128,
        pattern=r"^(?!\d+\.\d+\.\d+\.\d+$)(?=.{3,})[A-Za-z0-9](?:[._-]?[A-Za-z0-9])*$",
        what="3 or more ASCII letters, numbers, periods, underscores and hyphens, starting and ending with a letter or "
             "number, no two punctuation marks together, not an IP address"),
    # A requested certificate's key: RSA_1024 and the enum's other algorithms are for imported certificates only.
    ("acm", "RequestCertificateRequest", "KeyAlgorithm"): Documented(
        "Other listed algorithms are for imported certificates only",
        allowed=("RSA_2048", "EC_prime256v1", "EC_secp384r1"), what="the algorithms ACM issues a certificate with"),
    # Descriptions are ASCII from a short list: no apostrophe (and, for a rule on a group or prefix list, no &).
    **{("ec2", parent, "Description"): _ec2_text(ampersand) for parent, ampersand in (
        ("CreateSecurityGroupRequest", True), ("IpRange", True), ("UserIdGroupPair", False),
        ("PrefixListId", False))},
}


def _documented(service: str, parent: str, member: str) -> Optional[Documented]:
    return DOCUMENTED.get((service, parent, member))


# --------------------------------------------------------------------------------------------------
# pulumi-aws names -> API names (the one table)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rename:
    api: str
    # Turns the pulumi value into the API's (a map into key/value pairs, a one-item list into its item).
    convert: Optional[Callable[[Any], Any]] = None


def _single(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _listed(value: Any) -> Any:
    """A single value as the API's one-item list (a list, nothing, or an unknown value as it is)."""
    value = _plain(value)
    return value if value is None or isinstance(value, list) or _unknown(value) else [value]


def _pairs(value: Any) -> Any:
    return [{"key": k, "value": v} for k, v in value.items()] if isinstance(value, dict) else value


# The texts Go's strconv.ParseBool takes.
_GO_BOOLEANS = {**dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
                **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False)}


def _boolean_text(value: Any) -> Any:
    return _GO_BOOLEANS.get(value, value) if isinstance(value, str) else value


def _rule_variables(value: Any) -> Any:
    """Each `{key, ipSet}` as the API's map entry, the IP set itself (`_keyed_by`)."""
    variables = _keyed_by("key")(value)
    return {k: v.get("ipSet") for k, v in variables.items()} if isinstance(variables, dict) else variables


# Go's time.RFC3339 layout, as time.Parse reads it (fractional seconds allowed).
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _validity(value: Any) -> Any:
    """A certificate's validity as the provider sends it (acmpca ExpandValidityValue): the value, text in pulumi-aws,
    as a number; an END_DATE's RFC 3339 date as YYYYMMDDHHMMSS. While the type is unknown, so is the value."""
    validity = _plain(value)
    if not isinstance(validity, dict) or not isinstance(validity.get("value"), str):
        return validity
    kind, text = validity.get("type"), validity["value"]
    if not isinstance(kind, str):
        return {**validity, "value": UNKNOWN_VALUE}
    if kind == "END_DATE":
        try:
            date = datetime.fromisoformat(text) if _RFC3339.fullmatch(text) else None
        except ValueError:  # the form, but no such date (a 13th month)
            date = None
        if date is None:
            return validity  # the provider's parse fails: judged as the text it is
        text = date.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
    return {**validity, "value": _integer(text)}


# The block of a load balancer action the provider sends for each type (expandListenerAction sends no other; a
# forward sends its target group ARN and its `forward` block alike).
# Type -> (the block in pulumi-aws, the API's member).
_ACTION_BLOCKS = {"forward": ("forward", "ForwardConfig"), "fixed-response": ("fixedResponse", "FixedResponseConfig"),
                  "redirect": ("redirect", "RedirectConfig"),
                  "authenticate-oidc": ("authenticateOidc", "AuthenticateOidcConfig"),
                  "authenticate-cognito": ("authenticateCognito", "AuthenticateCognitoConfig"),
                  "jwt-validation": ("jwtValidation", "JwtValidationConfig")}
_BLOCK_NAMES = {block for block, _ in _ACTION_BLOCKS.values()}


def _sent_actions(value: Any) -> Any:
    actions = _plain(value)
    if not isinstance(actions, list):
        return actions
    sent = []
    for action in actions:
        action = _plain(action)
        if not isinstance(action, dict) or not isinstance(action.get("type"), str):
            sent.append(action)  # unknown, or of a type not known yet: every block may be the one sent
            continue
        block, _ = _ACTION_BLOCKS.get(action["type"], (None, None))
        sent.append({k: v for k, v in action.items() if k not in _BLOCK_NAMES or k == block})
    return sent


def _integer(value: Any) -> Any:
    """Text the provider parses as a number (strconv), as that number."""
    return int(value) if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value) else value


def _enabled(value: Any) -> Any:
    return {True: "ENABLED", False: "DISABLED"}.get(value, value) if isinstance(value, bool) else value


# The members of pulumi-aws's `requestBodies` block, by the AssociatedResourceType each one sets (the provider looks
# each type up by its lower-cased name, which pulumi-aws writes in camelCase).
REQUEST_BODY_TYPES = {"apiGateway": "API_GATEWAY", "appRunnerService": "APP_RUNNER_SERVICE",
                      "cloudfront": "CLOUDFRONT", "cognitoUserPool": "COGNITO_USER_POOL",
                      "verifiedAccessInstance": "VERIFIED_ACCESS_INSTANCE"}


def _sent_request_body(bodies: list) -> Any:
    """The one `requestBodies` block the provider sends AWS, its first (expandAssociationConfig reads
    request_body[0]), as plain data; None when there is none."""
    return _plain(bodies[0]) if bodies else None


def _request_body(value: Any) -> Any:
    """pulumi-aws's `requestBodies` as the API's `RequestBody` map (AssociatedResourceType -> its config), from the
    first block's members: the provider sends that block only, and only those (`_waf_request_bodies`)."""
    value = _plain(value)
    if not isinstance(value, list):
        return value
    first = _sent_request_body(value)
    if first is None:
        return {}
    if not isinstance(first, dict) or _unknown(first):
        return first
    return {REQUEST_BODY_TYPES[kind]: config for kind, config in first.items() if kind in REQUEST_BODY_TYPES}


# (service, API shape) -> {pulumi member: API member}. Members not listed match the API's name,
# compared without case (pulumi writes camelCase where some APIs write PascalCase: `ttl` vs `TTL`).
RENAMES: dict[tuple[str, str], dict[str, Rename]] = {
    ("ecs", "ServiceConnectService"): {"clientAlias": Rename("clientAliases", _listed)},
    ("ecs", "ServiceConnectClientAlias"): {"testTrafficRules": Rename("testTrafficRules", _single)},
    ("ecs", "ServiceConnectTlsConfiguration"): {"issuerCertAuthority": Rename("issuerCertificateAuthority")},
    ("ecs", "DeploymentConfiguration"): {"bakeTimeInMinutes": Rename("bakeTimeInMinutes", _integer)},
    ("ecs", "CanaryConfiguration"): {"canaryBakeTimeInMinutes": Rename("canaryBakeTimeInMinutes", _integer)},
    ("ecs", "LinearConfiguration"): {"stepBakeTimeInMinutes": Rename("stepBakeTimeInMinutes", _integer)},
    ("ecs", "AwsVpcConfiguration"): {"assignPublicIp": Rename("assignPublicIp", _enabled)},
    # App Mesh: pulumi-aws writes single objects as one-item lists with plural names, and maps as maps.
    ("appmesh", "VirtualNodeConnectionPool"): {"https": Rename("http", _single), "http2s": Rename("http2", _single),
                                               "tcps": Rename("tcp", _single), "grpcs": Rename("grpc", _single)},
    ("appmesh", "LoggingFormat"): {"jsons": Rename("json")},
    ("appmesh", "SubjectAlternativeNameMatchers"): {"exacts": Rename("exact")},
    ("appmesh", "AwsCloudMapServiceDiscovery"): {"attributes": Rename("attributes", _pairs)},
    ("logs", "MetricTransformation"): {"name": Rename("metricName"), "namespace": Rename("metricNamespace"),
                                       "value": Rename("metricValue")},
    ("wafv2", "AssociationConfig"): {"requestBodies": Rename("RequestBody", _request_body)},
    ("apigatewayv2", "JWTConfiguration"): {"audiences": Rename("Audience")},
    ("cognito-idp", "EmailConfigurationType"): {"fromEmailAddress": Rename("From")},
    ("cognito-idp", "UserAttributeUpdateSettingsType"): {
        "attributesRequireVerificationBeforeUpdates": Rename("AttributesRequireVerificationBeforeUpdate")},
    # A default encryption rule's blocked types are the API's BlockedEncryptionTypes.EncryptionType list.
    ("s3", "ServerSideEncryptionRule"): {"blockedEncryptionTypes": Rename(
        "BlockedEncryptionTypes", lambda v: {"EncryptionType": v})},
    # pulumi-aws 7 takes one endpoint type; the provider sends it as the API's one-item list.
    ("apigateway", "EndpointConfiguration"): {"types": Rename("types", _listed)},
    # A load balancer action's and rule's blocks, under the API's names (a rewrite is the API's one-item list).
    ("elbv2", "Action"): {block: Rename(api) for block, api in _ACTION_BLOCKS.values()},
    ("elbv2", "ForwardActionConfig"): {"stickiness": Rename("TargetGroupStickinessConfig")},
    ("elbv2", "TargetGroupTuple"): {"arn": Rename("TargetGroupArn")},
    ("elbv2", "TargetGroupStickinessConfig"): {"duration": Rename("DurationSeconds")},
    ("elbv2", "RuleCondition"): {"pathPattern": Rename("PathPatternConfig"), "hostHeader": Rename("HostHeaderConfig"),
                                 "httpHeader": Rename("HttpHeaderConfig"),
                                 "httpRequestMethod": Rename("HttpRequestMethodConfig"),
                                 "queryStrings": Rename("QueryStringConfig", lambda v: {"Values": v}),
                                 "sourceIp": Rename("SourceIpConfig")},
    ("elbv2", "RuleTransform"): {"urlRewriteConfig": Rename("UrlRewriteConfig"),
                                 "hostHeaderRewriteConfig": Rename("HostHeaderRewriteConfig")},
    ("elbv2", "UrlRewriteConfig"): {"rewrite": Rename("Rewrites", _listed)},
    ("elbv2", "HostHeaderRewriteConfig"): {"rewrite": Rename("Rewrites", _listed)},
    ("events", "Target"): {"targetId": Rename("Id")},
    ("events", "InputTransformer"): {"inputPaths": Rename("InputPathsMap")},
    ("ecs", "ExecuteCommandLogConfiguration"): {"s3BucketEncryptionEnabled": Rename("s3EncryptionEnabled")},
    # A policy's variables are a list naming each key in pulumi-aws, the API's map by key; a flag is text.
    ("network-firewall", "PolicyVariables"): {"ruleVariables": Rename("RuleVariables", _rule_variables)},
    ("network-firewall", "IPSet"): {"definitions": Rename("Definition")},
    ("network-firewall", "StatefulRuleGroupReference"): {
        "deepThreatInspection": Rename("DeepThreatInspection", _boolean_text)},
}


def _api_member(service: str, parent, pulumi_name: str) -> tuple[Optional[str], Optional[Callable]]:
    rename = RENAMES.get((service, parent.name), {}).get(pulumi_name)
    if rename is not None:
        return rename.api, rename.convert
    if pulumi_name in parent.members:
        return pulumi_name, None
    lower = {m.lower(): m for m in parent.members}
    return lower.get(pulumi_name.lower()), None


# --------------------------------------------------------------------------------------------------
# Validating a value against a shape
# --------------------------------------------------------------------------------------------------


# How an unknown value reaches the check (the preview's plain form of the SDK's unknown).
UNKNOWN_VALUE = {"unknown": True}


def _unknown(value: Any) -> bool:
    return isinstance(value, dict) and value == UNKNOWN_VALUE


def _plain(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"secret"}:
        return _plain(value["secret"])
    return value


def _java_pattern(pattern: str) -> Optional[re.Pattern]:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def validate(value: Any, model_shape, path: str, service: str, *, parent: str = "", member: str = "") -> Iterator[
        tuple[str, str]]:
    """(path, problem) for every way `value` breaks `model_shape`. Unknown values are not checked."""
    value = _plain(value)
    if value is None or _unknown(value):
        return
    check = _BY_KIND.get(model_shape.type_name)
    if check is not None:
        yield from check(value, model_shape, path, service, parent, member)


def _structure(value: Any, model_shape, path: str, service: str, parent: str, member: str) -> Iterator[tuple[str, str]]:
    if not isinstance(value, dict):
        yield path, f"expected an object ({model_shape.name}), got {type(value).__name__}"
        return
    seen = set()
    for key, item in value.items():
        api, convert = _api_member(service, model_shape, key)
        where = f"{path}.{key}" if path else key
        if api is None or api not in model_shape.members:
            yield where, (f"{model_shape.name} has no member {key!r} in the {service} API, so AWS never sees it "
                          f"(if pulumi-aws names it differently, map it in tools/apicheck.RENAMES)")
            continue
        seen.add(api)
        yield from validate(convert(item) if convert else item, model_shape.members[api], where, service,
                            parent=model_shape.name, member=api)
    for required in model_shape.required_members:
        if required not in seen:
            yield path or model_shape.name, f"{model_shape.name} requires {required!r}"
    if model_shape.metadata.get("union") and len(seen) > 1:
        yield path, f"{model_shape.name} takes exactly one of {', '.join(model_shape.members)}; got {sorted(seen)}"


def _list(value: Any, model_shape, path: str, service: str, parent: str, member: str) -> Iterator[tuple[str, str]]:
    if not isinstance(value, list):
        yield path, f"expected a list, got {type(value).__name__}"
        return
    yield from _bounds(len(value), model_shape.metadata, path, "items")
    for i, item in enumerate(value):
        yield from validate(item, model_shape.member, f"{path}[{i}]", service, parent=parent, member=member)


def _map(value: Any, model_shape, path: str, service: str, parent: str, member: str) -> Iterator[tuple[str, str]]:
    if not isinstance(value, dict):
        yield path, f"expected a map, got {type(value).__name__}"
        return
    for key, item in value.items():
        if model_shape.key.enum and key not in model_shape.key.enum:
            yield f"{path}.{key}", f"{key!r} is not one of {', '.join(model_shape.key.enum)} ({model_shape.key.name})"
            continue
        yield from validate(item, model_shape.value, f"{path}.{key}", service)


def _string(value: Any, model_shape, path: str, service: str, parent: str, member: str) -> Iterator[tuple[str, str]]:
    if not isinstance(value, str):
        yield path, f"expected a string, got {json.dumps(value)}"
        return
    documented = _documented(service, parent, member)
    if model_shape.enum and value not in model_shape.enum:
        yield path, f"{value!r} is not one of {', '.join(model_shape.enum)} ({model_shape.name})"
    elif documented is not None and documented.allowed and value not in documented.allowed:
        yield path, f"{value!r} is not one of {', '.join(documented.allowed)}, {documented.what}"
    yield from _bounds(len(value), _string_bounds(model_shape), path, "characters")
    pattern = model_shape.metadata.get("pattern")
    compiled = _java_pattern(pattern) if pattern else None
    if compiled is not None and not compiled.search(value):
        yield path, f"{value!r} does not match {model_shape.name}'s pattern {pattern}"
    if documented is not None:
        if documented.max_length is not None and len(value) > documented.max_length:
            yield path, f"{value!r} is {len(value)} characters; AWS allows {documented.max_length}"
        if documented.pattern is not None and not re.search(documented.pattern, value):
            yield path, f"{value!r} may only contain {documented.what}"


def _number(value: Any, model_shape, path: str, service: str, parent: str, member: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        yield path, f"expected a number, got {json.dumps(value)}"
        return
    if model_shape.type_name in ("integer", "long") and value != int(value):
        yield path, f"expected a whole number, got {value}"
    yield from _bounds(value, model_shape.metadata, path, "")
    documented = _documented(service, parent, member)
    if documented is not None:
        low, high = documented.minimum, documented.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            yield path, f"{value:g} is outside {low:g}-{high:g}, the range AWS documents for {member}"


def _boolean(value: Any, model_shape, path: str, service: str, parent: str, member: str) -> Iterator[tuple[str, str]]:
    if not isinstance(value, bool):
        yield path, f"expected true or false, got {json.dumps(value)}"


# Each kind of shape in botocore's models, and how a value is held to it (blobs and timestamps are not checked).
_BY_KIND = {"structure": _structure, "list": _list, "map": _map, "string": _string, "integer": _number,
            "long": _number, "double": _number, "float": _number, "boolean": _boolean}


# API Gateway v2's model states some strings' lengths only in their shapes' names ("A string with a length between
# [1-64]"), with no min or max.
_LENGTH_IN_NAME = re.compile(r"^StringWithLengthBetween(\d+)And(\d+)(K?)$")


def _string_bounds(model_shape) -> dict:
    named = _LENGTH_IN_NAME.match(model_shape.name)
    if named is None or "max" in model_shape.metadata:
        return model_shape.metadata
    low, high, thousands = named.groups()
    return {"min": int(low), "max": int(high) * (1024 if thousands else 1), **model_shape.metadata}


def _bounds(measure: float, metadata: dict, path: str, unit: str) -> Iterator[tuple[str, str]]:
    low, high = metadata.get("min"), metadata.get("max")
    suffix = f" {unit}" if unit else ""
    if low is not None and measure < low:
        yield path, f"{measure:g}{suffix} is below the API minimum {low}"
    if high is not None and measure > high:
        yield path, f"{measure:g}{suffix} is above the API maximum {high}"


# --------------------------------------------------------------------------------------------------
# Fargate task sizes, read from the RegisterTaskDefinition documentation botocore ships
# --------------------------------------------------------------------------------------------------


def _mib(text: str) -> int:
    number, unit = re.match(r"\s*([\d.]+)\s*(GB)?", text).groups()
    return int(float(number) * 1024) if unit else int(number)


@functools.lru_cache(maxsize=None)
def fargate_sizes() -> dict[int, tuple[int, ...]]:
    """CPU units -> the memory (MiB) AWS accepts with them on Fargate, from the `memory` member's docs."""
    doc = member_shape("ecs", "RegisterTaskDefinition", "memory").documentation
    sizes: dict[int, tuple[int, ...]] = {}
    for item in re.findall(r"<li>\s*<p>(.*?)</p>", doc, re.S):
        memory_text, _, cpu_text = item.partition(" - Available <code>cpu</code> values: ")
        cpu = int(re.match(r"\d+", cpu_text).group())
        span = re.match(r"Between ([\d.]+ ?(?:GB)?)(?: \([^)]*\))? and ([\d.]+ ?(?:GB)?)(?: \([^)]*\))? in "
                        r"(?:increments of )?([\d.]+ ?(?:GB)?)", memory_text)
        if span:
            low, high, step = (_mib(g) for g in span.groups())
            sizes[cpu] = tuple(range(low, high + 1, step))
        else:
            sizes[cpu] = tuple(_mib(v) for v in re.findall(r"(\d+) \(", memory_text))
    return sizes


# --------------------------------------------------------------------------------------------------
# What each resource type sends
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payload:
    """One value the provider sends to AWS: where it is in the inputs, and the API shape it must satisfy."""
    path: str
    service: str
    shape: str
    value: Any


def _json(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _present(inputs: dict, *keys: str) -> Iterator[tuple[str, Any]]:
    for key in keys:
        if key in inputs:
            yield key, inputs[key]


@dataclass(frozen=True)
class _Request:
    """The payloads of inputs the provider sends as one request's members. A member is the pulumi input's name where
    the API's is the same in another case (matched on use, as nested members are: `_api_member`); else (pulumi input,
    API member), with a third item where the provider changes the value first (the function that does as it does)."""
    service: str
    request: str
    members: tuple

    def __call__(self, inputs: dict) -> Iterator[Payload]:
        for member in self.members:
            key, api, *convert = (member, member) if isinstance(member, str) else member
            if key in inputs:
                value = convert[0](inputs[key]) if convert else inputs[key]
                yield Payload(key, self.service, f"{self.request}.{api}", value)


def _request(service: str, request: str, *members: Any) -> _Request:
    return _Request(service, request, members)


def _compact_json(value: Any) -> Any:
    """JSON text as the provider sends it: re-marshalled compactly (terraform-provider-aws events/rule.go
    `ruleEventPatternJSONDecoder`), which is the text AWS's length limit counts."""
    value = _plain(value)
    try:
        return json.dumps(json.loads(value), separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return value


def _ecs_task_definition(inputs: dict) -> Iterator[Payload]:
    if "family" in inputs:
        yield Payload("family", "ecs", "RegisterTaskDefinitionRequest.family", inputs["family"])
    if "containerDefinitions" in inputs:
        yield Payload("containerDefinitions", "ecs", "ContainerDefinitions", _json(inputs["containerDefinitions"]))
    for key, value in _present(inputs, "networkMode", "requiresCompatibilities", "proxyConfiguration"):
        shape_name = {"networkMode": "NetworkMode", "requiresCompatibilities": "CompatibilityList",
                      "proxyConfiguration": "ProxyConfiguration"}[key]
        if key == "proxyConfiguration" and isinstance(value, dict):
            value = {**value, "properties": [{"name": k, "value": v}
                                             for k, v in (value.get("properties") or {}).items()]}
        yield Payload(key, "ecs", shape_name, value)


def _ecs_service(inputs: dict) -> Iterator[Payload]:
    for key, shape_name in (("serviceConnectConfiguration", "ServiceConnectConfiguration"),
                            ("launchType", "LaunchType"), ("propagateTags", "PropagateTags")):
        if key in inputs:
            yield Payload(key, "ecs", shape_name, inputs[key])
    if "name" in inputs:
        yield Payload("name", "ecs", "CreateServiceRequest.serviceName", inputs["name"])
    # pulumi-aws's networkConfiguration is the API's awsvpcConfiguration.
    if "networkConfiguration" in inputs:
        yield Payload("networkConfiguration", "ecs", "AwsVpcConfiguration", inputs["networkConfiguration"])
    # The API's one DeploymentConfiguration is spread over several pulumi inputs.
    deployment = dict(_plain(inputs.get("deploymentConfiguration")) or {})
    for key, api in (("deploymentCircuitBreaker", "deploymentCircuitBreaker"), ("alarms", "alarms"),
                     ("deploymentMaximumPercent", "maximumPercent"),
                     ("deploymentMinimumHealthyPercent", "minimumHealthyPercent")):
        if key in inputs:
            deployment[api] = inputs[key]
    if deployment:
        yield Payload("deploymentConfiguration", "ecs", "DeploymentConfiguration", deployment)


def _appmesh(spec_shape: str) -> Callable[[dict], Iterator[Payload]]:
    def payloads(inputs: dict) -> Iterator[Payload]:
        if "spec" in inputs:
            yield Payload("spec", "appmesh", spec_shape, inputs["spec"])
    return payloads


def _cloud_map_service(inputs: dict) -> Iterator[Payload]:
    for key, shape_name in (("dnsConfig", "DnsConfig"), ("healthCheckCustomConfig", "HealthCheckCustomConfig")):
        if key in inputs:
            yield Payload(key, "servicediscovery", shape_name, inputs[key])


def _method_settings(inputs: dict) -> Iterator[Payload]:
    if "settings" in inputs:
        yield Payload("settings", "apigateway", "MethodSetting", inputs["settings"])


def _target_group(inputs: dict) -> Iterator[Payload]:
    # The provider flattens `healthCheck` into CreateTargetGroup's HealthCheck* members.
    flat = {"HealthCheckEnabled": "enabled", "HealthCheckIntervalSeconds": "interval",
            "HealthCheckTimeoutSeconds": "timeout", "HealthyThresholdCount": "healthyThreshold",
            "UnhealthyThresholdCount": "unhealthyThreshold", "HealthCheckProtocol": "protocol",
            "HealthCheckPath": "path", "HealthCheckPort": "port"}
    for api, key in flat.items():
        health = _plain(inputs.get("healthCheck")) or {}
        if key in health:
            value = health[key].upper() if key == "protocol" and isinstance(health[key], str) else health[key]
            yield Payload(f"healthCheck.{key}", "elbv2", f"CreateTargetGroupInput.{api}", value)
    for key, api in (("name", "Name"), ("protocol", "Protocol"), ("port", "Port"), ("targetType", "TargetType"),
                     ("protocolVersion", "ProtocolVersion")):
        if key in inputs:
            yield Payload(key, "elbv2", f"CreateTargetGroupInput.{api}", inputs[key])


def _listener(inputs: dict) -> Iterator[Payload]:
    for key, api in (("protocol", "Protocol"), ("port", "Port"), ("sslPolicy", "SslPolicy")):
        if key in inputs:
            value = inputs[key]
            # The provider takes a listener's protocol in any case and sends it upper-cased (terraform-provider-aws
            # elbv2 listener.go: enum.ValidateIgnoreCase, StateFunc strings.ToUpper).
            yield Payload(key, "elbv2", f"CreateListenerInput.{api}",
                          value.upper() if key == "protocol" and isinstance(value, str) else value)
    if "defaultActions" in inputs:
        yield Payload("defaultActions", "elbv2", "CreateListenerInput.DefaultActions",
                      _sent_actions(inputs["defaultActions"]))


def _listener_rule(inputs: dict) -> Iterator[Payload]:
    for key, api in (("priority", "Priority"), ("conditions", "Conditions"), ("transforms", "Transforms")):
        if key in inputs:
            yield Payload(key, "elbv2", f"CreateRuleInput.{api}", inputs[key])
    if "actions" in inputs:
        yield Payload("actions", "elbv2", "CreateRuleInput.Actions", _sent_actions(inputs["actions"]))


# An EventBridge target's inputs that are the API's Target (the rest name the rule, or targets we do not make).
_EVENT_TARGET = ("targetId", "arn", "roleArn", "input", "inputPath", "inputTransformer", "retryPolicy",
                 "deadLetterConfig")
# The id the provider gives a target without `targetId` (the plugin SDK's id.UniqueId: a prefix, a UTC timestamp and
# a counter), stood in for.
_GENERATED_TARGET_ID = "terraform-20261202000000000000000001"


def _event_target(inputs: dict) -> Iterator[Payload]:
    for key, api in (("rule", "Rule"), ("eventBusName", "EventBusName")):
        if key in inputs:
            yield Payload(key, "events", f"PutTargetsRequest.{api}", inputs[key])
    target = {key: inputs[key] for key in _EVENT_TARGET if key in inputs}
    yield Payload("", "events", "Target", {"targetId": _GENERATED_TARGET_ID, **target})


def _security_group_rule(inputs: dict) -> Iterator[Payload]:
    """A rule's description goes where its peer does: a group pair, a prefix list or an address range."""
    if "description" in inputs:
        peer = ("UserIdGroupPair" if "referencedSecurityGroupId" in inputs else
                "PrefixListId" if "prefixListId" in inputs else "IpRange")
        yield Payload("description", "ec2", f"{peer}.Description", inputs["description"])


def _log_metric_filter(inputs: dict) -> Iterator[Payload]:
    for key, api in (("name", "filterName"), ("pattern", "filterPattern"), ("logGroupName", "logGroupName")):
        if key in inputs:
            yield Payload(key, "logs", f"PutMetricFilterRequest.{api}", inputs[key])
    # pulumi-aws's one metricTransformation is the API's one-item metricTransformations.
    if "metricTransformation" in inputs:
        yield Payload("metricTransformation", "logs", "MetricTransformation", inputs["metricTransformation"])


def _dimensions(value: Any) -> Any:
    """pulumi-aws's map of dimensions as the API's list of Name/Value pairs."""
    value = _plain(value)
    if not isinstance(value, dict) or _unknown(value):
        return value
    return [{"Name": k, "Value": v} for k, v in value.items()]


def _metric_queries(value: Any) -> Any:
    """pulumi-aws's metric queries as the API's: each query's `metric` is a MetricStat around a Metric."""
    queries = _plain(value)
    return [_metric_query(query) for query in queries] if isinstance(queries, list) else queries


def _metric_query(query: Any) -> Any:
    query = _plain(query)
    if not isinstance(query, dict) or "metric" not in query:
        return query
    if _unknown(query["metric"]):
        return {**{k: v for k, v in query.items() if k != "metric"}, "MetricStat": query["metric"]}
    metric = dict(_plain(query["metric"]) or {})
    stat = {"Metric": {"MetricName": metric.pop("metricName", None), "Namespace": metric.pop("namespace", None),
                       "Dimensions": _dimensions(metric.pop("dimensions", None))}, **metric}
    stat["Metric"] = {k: v for k, v in stat["Metric"].items() if v is not None}
    return {**{k: v for k, v in query.items() if k != "metric"}, "MetricStat": stat}


def _keyed_by(key: str) -> Callable[[Any], Any]:
    """pulumi-aws's list of blocks, each naming its `key`, as the API's map by that key; a block whose key is not
    known yet is not judged."""
    def convert(value: Any) -> Any:
        items = _plain(value)
        if not isinstance(items, list):
            return items
        return {item[key]: {k: v for k, v in item.items() if k != key} for item in items
                if isinstance(item, dict) and isinstance(item.get(key), str)}
    return convert


def _api_stages(value: Any) -> Any:
    """A usage plan's stages, each one's method throttles keyed by path."""
    stages = _plain(value)
    if not isinstance(stages, list):
        return stages
    return [{**{k: v for k, v in stage.items() if k != "throttles"},
             **({"throttle": _keyed_by("path")(stage["throttles"])} if stage.get("throttles") else {})}
            if isinstance(stage, dict) else stage for stage in stages]


def _attribute_definitions(value: Any) -> Any:
    attributes = _plain(value)
    if not isinstance(attributes, list):
        return attributes
    return [{"AttributeName": a.get("name"), "AttributeType": a.get("type")} if isinstance(a, dict) else a
            for a in attributes]


def _key(kind: str) -> Callable[[Any], Any]:
    """A table's hash or range key as its entry in the API's key schema."""
    return lambda name: [{"AttributeName": name, "KeyType": kind}]


def _user_pool(inputs: dict) -> Iterator[Payload]:
    yield from _user_pool_members(inputs)
    if "passwordPolicy" in inputs:  # the API's Policies.PasswordPolicy
        yield Payload("passwordPolicy", "cognito-idp", "UserPoolPolicyType.PasswordPolicy", inputs["passwordPolicy"])


_user_pool_members = _request(
    "cognito-idp", "CreateUserPoolRequest", ("name", "PoolName"), ("autoVerifiedAttributes", "AutoVerifiedAttributes"),
    ("usernameAttributes", "UsernameAttributes"), ("aliasAttributes", "AliasAttributes"),
    ("mfaConfiguration", "MfaConfiguration"), ("deletionProtection", "DeletionProtection"),
    ("accountRecoverySetting", "AccountRecoverySetting"), ("adminCreateUserConfig", "AdminCreateUserConfig"),
    ("userAttributeUpdateSettings", "UserAttributeUpdateSettings"), ("emailConfiguration", "EmailConfiguration"),
    ("userPoolTier", "UserPoolTier"))


PAYLOADS: dict[str, Callable[[dict], Iterator[Payload]]] = {
    "aws:ecs/taskDefinition:TaskDefinition": _ecs_task_definition,
    "aws:ecs/service:Service": _ecs_service,
    "aws:appmesh/mesh:Mesh": _appmesh("MeshSpec"),
    "aws:appmesh/virtualNode:VirtualNode": _appmesh("VirtualNodeSpec"),
    "aws:appmesh/virtualRouter:VirtualRouter": _appmesh("VirtualRouterSpec"),
    "aws:appmesh/route:Route": _appmesh("RouteSpec"),
    "aws:appmesh/virtualService:VirtualService": _appmesh("VirtualServiceSpec"),
    "aws:appmesh/virtualGateway:VirtualGateway": _appmesh("VirtualGatewaySpec"),
    "aws:appmesh/gatewayRoute:GatewayRoute": _appmesh("GatewayRouteSpec"),
    "aws:servicediscovery/service:Service": _cloud_map_service,
    "aws:apigateway/methodSettings:MethodSettings": _method_settings,
    "aws:lb/targetGroup:TargetGroup": _target_group,
    "aws:lb/loadBalancer:LoadBalancer": _request(
        "elbv2", "CreateLoadBalancerInput", "name", ("loadBalancerType", "Type"), "ipAddressType"),
    "aws:lb/listener:Listener": _listener,
    "aws:lb/listenerRule:ListenerRule": _listener_rule,
    "aws:wafv2/webAcl:WebAcl": _request(
        "wafv2", "CreateWebACLRequest", "name", "scope", "description", "rules", "visibilityConfig", "defaultAction",
        "associationConfig"),
    "aws:wafv2/ipSet:IpSet": _request(
        "wafv2", "CreateIPSetRequest", "name", "scope", "description", "ipAddressVersion", "addresses"),
    "aws:ec2/securityGroup:SecurityGroup": _request(
        "ec2", "CreateSecurityGroupRequest", ("name", "GroupName"), "description"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _security_group_rule,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": _security_group_rule,
    "aws:iam/role:Role": _request("iam", "CreateRoleRequest", ("name", "RoleName")),
    "aws:iam/rolePolicy:RolePolicy": _request("iam", "PutRolePolicyRequest", ("name", "PolicyName")),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": _log_metric_filter,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _request(
        "cloudwatch", "PutMetricAlarmInput", ("name", "AlarmName"), "alarmDescription", "actionsEnabled",
        "alarmActions", "okActions", "insufficientDataActions", "metricName", "namespace", "statistic",
        "extendedStatistic", "period", "unit", "evaluationPeriods", "datapointsToAlarm", "threshold",
        "comparisonOperator", "treatMissingData",
        ("evaluateLowSampleCountPercentiles", "EvaluateLowSampleCountPercentile"), "thresholdMetricId",
        ("dimensions", "Dimensions", _dimensions), ("metricQueries", "Metrics", _metric_queries)),
    "aws:cloudwatch/logGroup:LogGroup": _request(
        "logs", "CreateLogGroupRequest", ("name", "logGroupName"), "kmsKeyId", "logGroupClass"),
    "aws:cloudwatch/eventRule:EventRule": _request(
        "events", "PutRuleRequest", "name", "description", ("eventPattern", "EventPattern", _compact_json),
        "scheduleExpression", "state", "eventBusName"),
    "aws:sns/topic:Topic": _request("sns", "CreateTopicInput", "name"),
    "aws:kms/key:Key": _request(
        "kms", "CreateKeyRequest", "description", "keyUsage", ("customerMasterKeySpec", "KeySpec"), "policy",
        "multiRegion"),
    "aws:lambda/function:Function": _request(
        "lambda", "CreateFunctionRequest", ("name", "FunctionName"), "runtime", "handler", "description", "timeout",
        "memorySize", "packageType", "architectures", "environment", "loggingConfig", "tracingConfig",
        "ephemeralStorage"),
    "aws:apigatewayv2/route:Route": _request(
        "apigatewayv2", "CreateRouteRequest", "routeKey", "authorizationType", "authorizationScopes",
        "apiKeyRequired", "operationName", "routeResponseSelectionExpression", "target"),
    "aws:apigatewayv2/integration:Integration": _request(
        "apigatewayv2", "CreateIntegrationRequest", "integrationType", "integrationMethod", "integrationUri",
        "integrationSubtype", "connectionType", ("timeoutMilliseconds", "TimeoutInMillis"), "payloadFormatVersion",
        "passthroughBehavior", "contentHandlingStrategy", "description", "requestParameters", "tlsConfig"),
    "aws:apigatewayv2/authorizer:Authorizer": _request(
        "apigatewayv2", "CreateAuthorizerRequest", "name", "authorizerType", ("identitySources", "IdentitySource"),
        "authorizerResultTtlInSeconds", "authorizerPayloadFormatVersion", "enableSimpleResponses",
        "jwtConfiguration"),
    # Not `accessLogSettings`: the model bounds its format at 1024 characters only in the shape's name, where AWS's
    # HTTP API quotas allow a 3 KB template.
    "aws:apigatewayv2/stage:Stage": _request(
        "apigatewayv2", "CreateStageRequest", ("name", "StageName"), "description", "autoDeploy",
        "defaultRouteSettings", ("routeSettings", "RouteSettings", _keyed_by("routeKey")), "stageVariables"),
    # Not `minimumCompressionSize`: pulumi-aws takes text ("-1" for none) that the provider parses or leaves out.
    "aws:apigateway/restApi:RestApi": _request(
        "apigateway", "CreateRestApiRequest", "name", "description", "apiKeySource", "endpointConfiguration",
        "binaryMediaTypes", "disableExecuteApiEndpoint"),
    "aws:apigateway/method:Method": _request(
        "apigateway", "PutMethodRequest", "httpMethod", ("authorization", "authorizationType"), "apiKeyRequired",
        "operationName", "requestParameters", "authorizationScopes"),
    "aws:apigateway/integration:Integration": _request(
        "apigateway", "PutIntegrationRequest", "type", "integrationHttpMethod", "uri", "connectionType",
        "passthroughBehavior", "contentHandling", "requestParameters", "cacheKeyParameters", "cacheNamespace",
        ("timeoutMilliseconds", "timeoutInMillis"), "tlsConfig"),
    "aws:apigateway/stage:Stage": _request(
        "apigateway", "CreateStageRequest", "stageName", "description", "cacheClusterEnabled", "cacheClusterSize",
        "variables", ("xrayTracingEnabled", "tracingEnabled")),
    "aws:apigateway/usagePlan:UsagePlan": _request(
        "apigateway", "CreateUsagePlanRequest", "name", "description", ("throttleSettings", "throttle"),
        ("quotaSettings", "quota"), ("apiStages", "apiStages", _api_stages)),
    "aws:apigateway/apiKey:ApiKey": _request(
        "apigateway", "CreateApiKeyRequest", "name", "description", "enabled", "customerId"),
    # Requested certificates; an imported one (certificateBody) sends none of these.
    "aws:acm/certificate:Certificate": _request(
        "acm", "RequestCertificateRequest", "domainName", "validationMethod", "subjectAlternativeNames",
        "keyAlgorithm", "certificateAuthorityArn", "options"),
    "aws:apigateway/domainName:DomainName": _request(
        "apigateway", "CreateDomainNameRequest", "domainName", "securityPolicy", "endpointConfiguration"),
    "aws:cognito/userPool:UserPool": _user_pool,
    "aws:cognito/userPoolClient:UserPoolClient": _request(
        "cognito-idp", "CreateUserPoolClientRequest", ("name", "ClientName"), "generateSecret",
        "accessTokenValidity", "idTokenValidity", "refreshTokenValidity", "tokenValidityUnits", "explicitAuthFlows",
        "preventUserExistenceErrors", "enableTokenRevocation", "allowedOauthFlows", "allowedOauthScopes",
        "callbackUrls", "supportedIdentityProviders", "authSessionValidity"),
    "aws:appautoscaling/target:Target": _request(
        "application-autoscaling", "RegisterScalableTargetRequest", "serviceNamespace", "resourceId",
        "scalableDimension", "minCapacity", "maxCapacity"),
    "aws:appautoscaling/policy:Policy": _request(
        "application-autoscaling", "PutScalingPolicyRequest", ("name", "PolicyName"), "policyType",
        "serviceNamespace", "resourceId", "scalableDimension", "targetTrackingScalingPolicyConfiguration"),
    "aws:apigatewayv2/api:Api": _request(
        "apigatewayv2", "CreateApiRequest", "name", "protocolType", "description", "routeSelectionExpression",
        "apiKeySelectionExpression", "ipAddressType", "disableExecuteApiEndpoint"),
    "aws:ec2/flowLog:FlowLog": _request(
        "ec2", "CreateFlowLogsRequest", "trafficType", "logDestinationType", "logFormat", "maxAggregationInterval"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _request(
        "ec2", "CreateVpcEndpointRequest", "vpcEndpointType", "serviceName", "ipAddressType", "privateDnsEnabled"),
    # Not `ruleGroup`: pulumi-aws writes its variables and reference sets as lists the API takes as maps.
    "aws:networkfirewall/ruleGroup:RuleGroup": _request(
        "network-firewall", "CreateRuleGroupRequest", ("name", "RuleGroupName"), "type", "capacity", "description"),
    "aws:cloudwatch/queryDefinition:QueryDefinition": _request(
        "logs", "PutQueryDefinitionRequest", "name", "queryString", "logGroupNames"),
    "aws:dynamodb/table:Table": _request(
        "dynamodb", "CreateTableInput", ("name", "TableName"), "billingMode", "tableClass",
        "deletionProtectionEnabled", ("attributes", "AttributeDefinitions", _attribute_definitions),
        ("hashKey", "KeySchema", _key("HASH")), ("rangeKey", "KeySchema", _key("RANGE"))),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _request(
        "s3", "ServerSideEncryptionConfiguration", "rules"),
    "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList": _request(
        "route53resolver", "CreateFirewallDomainListRequest", "name"),
    "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": _request(
        "route53resolver", "CreateFirewallRuleGroupRequest", "name"),
    "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": _request(
        "route53resolver", "CreateResolverQueryLogConfigRequest", "name", "destinationArn"),
    "aws:route53/resolverFirewallConfig:ResolverFirewallConfig": _request(
        "route53resolver", "UpdateFirewallConfigRequest", "firewallFailOpen"),
    "aws:networkfirewall/firewall:Firewall": _request(
        "network-firewall", "CreateFirewallRequest", ("name", "FirewallName"), "description", "deleteProtection",
        "subnetChangeProtection", "firewallPolicyChangeProtection"),
    "aws:networkfirewall/firewallPolicy:FirewallPolicy": _request(
        "network-firewall", "CreateFirewallPolicyRequest", ("name", "FirewallPolicyName"), "description",
        "firewallPolicy"),
    "aws:networkfirewall/loggingConfiguration:LoggingConfiguration": _request(
        "network-firewall", "UpdateLoggingConfigurationRequest", "loggingConfiguration"),
    "aws:kms/alias:Alias": _request("kms", "CreateAliasRequest", ("name", "AliasName")),
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": _request(
        "ecr", "CreatePullThroughCacheRuleRequest", "ecrRepositoryPrefix", "upstreamRegistryUrl",
        "upstreamRepositoryPrefix", "credentialArn", "customRoleArn"),
    # pulumi-aws's one encryption block is the API's structure; its resource tags a map, the API's Key/Value list.
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": _request(
        "ecr", "CreateRepositoryCreationTemplateRequest", "prefix", "description",
        ("encryptionConfigurations", "encryptionConfiguration", _single), ("resourceTags", "resourceTags", _pairs),
        "imageTagMutability", "imageTagMutabilityExclusionFilters", "repositoryPolicy", "lifecyclePolicy",
        ("appliedFors", "appliedFor"), "customRoleArn"),
    "aws:lambda/permission:Permission": _request(
        "lambda", "AddPermissionRequest", ("function", "FunctionName"), "statementId", "action", "principal",
        "sourceArn", "sourceAccount", "qualifier", "principalOrgId", "functionUrlAuthType"),
    "aws:cloudwatch/eventTarget:EventTarget": _event_target,
    "aws:cloudwatch/dashboard:Dashboard": _request("cloudwatch", "PutDashboardInput", "dashboardName"),
    "aws:cloudtrail/trail:Trail": _request(
        "cloudtrail", "CreateTrailRequest", "name", "s3KeyPrefix", "snsTopicName", "includeGlobalServiceEvents",
        "isMultiRegionTrail", "enableLogFileValidation", "isOrganizationTrail"),
    "aws:ecs/cluster:Cluster": _request(
        "ecs", "CreateClusterRequest", ("name", "clusterName"), "settings", "configuration"),
    "aws:servicediscovery/httpNamespace:HttpNamespace": _request(
        "servicediscovery", "CreateHttpNamespaceRequest", "name", "description"),
    "aws:apigateway/response:Response": _request(
        "apigateway", "PutGatewayResponseRequest", "responseType", "statusCode", "responseParameters",
        "responseTemplates"),
    "aws:apigateway/authorizer:Authorizer": _request(
        "apigateway", "CreateAuthorizerRequest", "name", "type", "identitySource", "identityValidationExpression",
        "authorizerResultTtlInSeconds"),
    "aws:apigatewayv2/domainName:DomainName": _request(
        "apigatewayv2", "CreateDomainNameRequest", "domainName",
        ("domainNameConfiguration", "DomainNameConfigurations", _listed)),
    "aws:acmpca/certificateAuthority:CertificateAuthority": _request(
        "acm-pca", "CreateCertificateAuthorityRequest", "certificateAuthorityConfiguration",
        ("type", "CertificateAuthorityType"), "usageMode", "keyStorageSecurityStandard"),
    "aws:acmpca/certificate:Certificate": _request(
        "acm-pca", "IssueCertificateRequest", "signingAlgorithm", ("validity", "Validity", _validity), "templateArn"),
    "aws:route53/resolverFirewallRule:ResolverFirewallRule": _request(
        "route53resolver", "CreateFirewallRuleRequest", "name", "action", "blockResponse", "priority",
        "blockOverrideDomain", "blockOverrideDnsType", "blockOverrideTtl", "firewallDomainRedirectionAction",
        "qType"),
}

# Types whose `name` the check judges when it is left out of inputs that did not go through Check (in a preview,
# Check has given it: `PreviewMocks.check`), and where that name goes in the API.
NAMES: dict[str, str] = {
    "aws:lb/targetGroup:TargetGroup": "elbv2 CreateTargetGroup Name",
    "aws:lb/loadBalancer:LoadBalancer": "elbv2 CreateLoadBalancer Name",
    "aws:ec2/securityGroup:SecurityGroup": "ec2 CreateSecurityGroup GroupName",
    "aws:iam/role:Role": "iam CreateRole RoleName",
    "aws:iam/rolePolicy:RolePolicy": "iam PutRolePolicy PolicyName",
    "aws:wafv2/webAcl:WebAcl": "wafv2 CreateWebACL Name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "cloudwatch PutMetricAlarm AlarmName",
    "aws:cloudwatch/logGroup:LogGroup": "logs CreateLogGroup logGroupName",
    "aws:cloudwatch/eventRule:EventRule": "events PutRule Name",
    "aws:sns/topic:Topic": "sns CreateTopic Name",
    "aws:lambda/function:Function": "lambda CreateFunction FunctionName",
    "aws:networkfirewall/ruleGroup:RuleGroup": "network-firewall CreateRuleGroup RuleGroupName",
    "aws:dynamodb/table:Table": "dynamodb CreateTable TableName",
    "aws:cloudwatch/queryDefinition:QueryDefinition": "logs PutQueryDefinition name",
    "aws:cognito/userPool:UserPool": "cognito-idp CreateUserPool PoolName",
    "aws:cognito/userPoolClient:UserPoolClient": "cognito-idp CreateUserPoolClient ClientName",
    "aws:apigateway/restApi:RestApi": "apigateway CreateRestApi name",
    "aws:apigatewayv2/api:Api": "apigatewayv2 CreateApi Name",
}

# The aws:alb/* aliases make the same requests (pulumi-aws's Check lets an aws:alb target group's auto-name run to
# 255 characters, so AWS's 32 is found only here).
for _lb_table in (PAYLOADS, NAMES):
    _lb_table.update(alb_aliases(_lb_table))


@functools.lru_cache(maxsize=None)
def _payload_shape(service: str, name: str) -> tuple[Any, str, str]:
    """The shape a payload names, its parent structure's name and the member name (for documented rules)."""
    if "." in name:
        parent_name, member = name.split(".", 1)
        parent = shape(service, parent_name)
        member = _api_member(service, parent, member)[0] or member
        return parent.members[member], parent_name, member
    return shape(service, name), "", ""


# --------------------------------------------------------------------------------------------------
# Provider rules mocks skip
# --------------------------------------------------------------------------------------------------


def _empty_health_check_custom_config(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    if _plain(resource.inputs.get("healthCheckCustomConfig")) == {}:
        yield "healthCheckCustomConfig", (
            "an empty block: the provider drops it on create (ECS never reports task health to Cloud Map), then "
            "plans a replacement on every update because the block is ForceNew, and the replacement collides on "
            "the name; set failureThreshold: 1 (the value AWS always uses)")


def _method_settings_rules(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    path = _plain(resource.inputs.get("methodPath"))
    settings = _plain(resource.inputs.get("settings")) or {}
    if path == "*/*" and _plain(settings.get("cachingEnabled")) is True:
        yield "settings.cachingEnabled", (
            "caching on */* overrides every method, not only GET: a POST or DELETE can be answered from another "
            "caller's cached response; enable caching on each GET method path instead")
    if isinstance(path, str) and path != "*/*":
        resource_path, _, verb = path.rpartition("/")
        if "/" in resource_path or not resource_path.startswith("~1") and resource_path != "*":
            yield "methodPath", (f"{path!r}: AWS keys method settings by the resource path with every '/' written "
                                 f"'~1' (e.g. ~1users~1{{proxy+}}/GET); the provider passes this unchanged and "
                                 f"the setting would apply to no method")
        if verb not in ("*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "ANY"):
            yield "methodPath", f"{path!r} does not end in an HTTP method"
    level = _plain(settings.get("loggingLevel"))
    if isinstance(level, str) and level not in ("OFF", "ERROR", "INFO"):
        yield "settings.loggingLevel", f"{level!r} is not one of OFF, ERROR, INFO (the provider refuses it)"


def _waf_request_bodies(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    """What of a web ACL's `requestBodies` never reaches AWS: blocks after the first (the provider's
    expandAssociationConfig reads request_body[0]) and members pulumi-aws does not have."""
    config = _plain(resource.inputs.get("associationConfig"))
    bodies = _plain(config.get("requestBodies")) if isinstance(config, dict) else None
    if not isinstance(bodies, list):
        return
    first = _sent_request_body(bodies)
    if isinstance(first, dict) and not _unknown(first):
        for kind in first:
            if kind not in REQUEST_BODY_TYPES:
                yield f"associationConfig.requestBodies[0].{kind}", (
                    f"pulumi-aws has no member {kind!r} here ({', '.join(REQUEST_BODY_TYPES)}): AWS never sees it")
    for i in range(1, len(bodies)):
        yield f"associationConfig.requestBodies[{i}]", (
            "the provider sends AWS the first requestBodies entry only (its expandAssociationConfig reads "
            "request_body[0]), so this one never applies; give every resource type's limit in the first")


def _fargate_size(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    inputs = resource.inputs
    if "FARGATE" not in (_plain(inputs.get("requiresCompatibilities")) or []):
        return
    cpu, memory = _plain(inputs.get("cpu")), _plain(inputs.get("memory"))
    if _unknown(cpu) or _unknown(memory):
        return
    sizes = fargate_sizes()
    try:
        cpu_units, memory_mib = int(cpu), int(memory)
    except (TypeError, ValueError):
        yield "cpu", f"Fargate needs cpu and memory as numbers of units and MiB (got {cpu!r}, {memory!r})"
        return
    if cpu_units not in sizes:
        yield "cpu", f"{cpu_units} is not a Fargate CPU size ({', '.join(map(str, sizes))})"
    elif memory_mib not in sizes[cpu_units]:
        yield "memory", f"{memory_mib} MiB is not a Fargate size for {cpu_units} CPU units (RegisterTaskDefinition)"


def _container_memory(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    """Container reservations must fit the task memory, or RegisterTaskDefinition fails."""
    containers = _json(resource.inputs.get("containerDefinitions"))
    memory = _plain(resource.inputs.get("memory"))
    if not isinstance(containers, list) or _unknown(memory) or memory is None:
        return
    reserved = sum(int(c.get("memoryReservation") or c.get("memory") or 0) for c in containers if isinstance(c, dict))
    if reserved > int(memory):
        yield "containerDefinitions", f"containers reserve {reserved} MiB, more than the task's {memory} MiB"


def _iam_chars(document: str) -> int:
    """A policy document's size as IAM's quotas count it: "IAM does not count white space when calculating the size of
    a policy against these quotas" (IAM and AWS STS quotas, character quotas)."""
    return len(re.sub(r"\s", "", document))


# IAM's quota "Role trust policy length" (IAM and AWS STS quotas, IAM object quotas: default 2,048 characters, maximum
# quota 4,096, raised through Service Quotas): CreateRole and UpdateAssumeRolePolicy above the account's fail with
# LimitExceeded "Cannot exceed quota for ACLSizePerRole: 2048".
ROLE_TRUST_POLICY_CHARS = 2048
ROLE_TRUST_POLICY_MAX_CHARS = 4096


def _document_chars(resource: CapturedResource, key: str) -> Optional[int]:
    """A policy document input's size as IAM counts it (`_iam_chars`), with the mocks' short ARNs and ids
    (`_with_short_ids`): a lower bound. None while the document is unknown."""
    document = _known_text(_with_short_ids(resource).get(key))
    return _iam_chars(document) if document is not None else None


# IAM's quota on a managed policy's document, not raisable ("The size of each managed policy cannot exceed 6,144
# characters", white space not counted: IAM and AWS STS quotas, character quotas); botocore's PolicyDocument allows
# 131,072, so only the quota stops it. CreatePolicy and CreatePolicyVersion above it fail with LimitExceeded "Cannot
# exceed quota for PolicySize: 6144".
MANAGED_POLICY_CHARS = 6144


def _managed_policy_size(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    size = _document_chars(resource, "policy")
    if size is not None and size > MANAGED_POLICY_CHARS:
        yield "policy", (f"{size:,} characters without white space; IAM allows a managed policy "
                         f"{MANAGED_POLICY_CHARS:,} (CreatePolicy fails with LimitExceeded, PolicySize; not raisable): "
                         f"split it in two")


# ECS refuses a task definition above 64 KiB ("Max allowed length is '65536' bytes"; the ECS guide's quotas).
TASK_DEFINITION_BYTES = 65536


# RegisterTaskDefinition's members the provider sets from the inputs of the same name, when given
# (terraform-provider-aws ecs/task_definition.go resourceTaskDefinitionCreate reads each with d.GetOk: an empty or false
# value is not sent).
_TASK_DEFINITION_MEMBERS = ("family", "cpu", "memory", "ephemeralStorage", "executionRoleArn", "taskRoleArn",
                            "inferenceAccelerators", "ipcMode", "pidMode", "networkMode", "placementConstraints",
                            "requiresCompatibilities", "runtimePlatform", "enableFaultInjection")


def task_definition_request(inputs: dict) -> dict:
    """The RegisterTaskDefinition request the provider sends for a task definition's inputs, by the API's names: the
    members given, the containers parsed, a proxy's properties as name/value pairs
    (expandTaskDefinitionProxyConfiguration), each volume as expandVolumes sends it, and the tags (`tagsAll`: the
    provider's default tags too; getTagsIn leaves out `aws:` keys) as key/value pairs. A member still unknown is left
    out: a lower bound."""
    request = {key: value for key in _TASK_DEFINITION_MEMBERS
               if (value := _plain(inputs.get(key))) not in (None, "", False, [], {}) and not _unknown(value)}
    containers = _json(inputs.get("containerDefinitions"))
    if isinstance(containers, list):
        request["containerDefinitions"] = containers
    proxy = _plain(inputs.get("proxyConfiguration"))
    if isinstance(proxy, dict) and not _unknown(proxy):
        properties = _plain(proxy.get("properties"))
        request["proxyConfiguration"] = {**proxy, "properties": [
            {"name": k, "value": v} for k, v in properties.items()]} if isinstance(properties, dict) else proxy
    volumes = _plain(inputs.get("volumes"))
    if isinstance(volumes, list) and volumes:
        request["volumes"] = [_sent_volume(v) for v in volumes]
    tags = _plain(inputs["tagsAll"] if "tagsAll" in inputs else inputs.get("tags"))
    pairs = [{"key": k, "value": v} for k, v in (tags if isinstance(tags, dict) else {}).items()
             if not k.startswith("aws:")]
    if pairs:
        request["tags"] = pairs
    return request


def _sent_volume(volume: Any) -> Any:
    """A volume as the provider's expandVolumes sends it: `hostPath` as `host.sourcePath`, and `configuredAtLaunch`
    always (the schema's false when not given)."""
    volume = _plain(volume)
    if not isinstance(volume, dict) or _unknown(volume):
        return volume
    sent = {k: v for k, v in volume.items() if k not in ("hostPath", "configureAtLaunch")}
    if volume.get("hostPath"):
        sent["host"] = {"sourcePath": volume["hostPath"]}
    return {**sent, "configuredAtLaunch": _plain(volume.get("configureAtLaunch")) is True}


def json_bytes(value: Any) -> int:
    """A value's size as ECS counts a task definition's: UTF-8 bytes of compact JSON, as the SDK sends it."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def _task_definition_size(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    """The whole request, as ECS counts a task definition ("If the total file size of your task definition is over
    [the quota], then that error will come up": the ECS guide's maintainers, awsdocs/amazon-ecs-developer-guide#43),
    with the mocks' ids short (`_with_short_ids`) and its ARNs as long as AWS's."""
    request = task_definition_request(_with_short_ids(resource))
    if not isinstance(request.get("containerDefinitions"), list):
        return
    size = json_bytes(request)
    if size > TASK_DEFINITION_BYTES:
        yield "containerDefinitions", (
            f"{size:,} bytes in the RegisterTaskDefinition request, {json_bytes(request['containerDefinitions']):,} of "
            f"them container definitions; ECS takes a task definition of at most {TASK_DEFINITION_BYTES:,} "
            f"(environment variables and secrets count)")


def _multi_region_trail_global_events(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    """CloudTrail refuses a multi-Region trail without global service events: CreateTrail and UpdateTrail fail with
    InvalidParameterCombinationException "Multi-Region trail must include global service events" (no model member
    says so; terraform-provider-aws's acceptance tests and CloudFormation deployments have met it since 2016)."""
    inputs = resource.inputs
    if _plain(inputs.get("isMultiRegionTrail")) is True and _plain(inputs.get("includeGlobalServiceEvents")) is False:
        yield "includeGlobalServiceEvents", (
            "false on a multi-Region trail: CloudTrail refuses it (InvalidParameterCombinationException: "
            "Multi-Region trail must include global service events); leave it unset or true")


def _kinesis_stream_key(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    """A KMS-encrypted stream names its key: StartStreamEncryption, which the provider calls after CreateStream,
    requires KeyId (botocore's kinesis model), and the provider refuses KMS without `kmsKeyId` before calling it
    (terraform-provider-aws kinesis/stream.go)."""
    if _plain(resource.inputs.get("encryptionType")) != "KMS":
        return
    if _plain(resource.inputs.get("kmsKeyId")) in (None, ""):
        yield "kmsKeyId", (
            "encryptionType is KMS with no kmsKeyId: the provider fails the create (\"KMS Key ID required when "
            "setting encryption_type is not set as NONE\") once CreateStream has made the stream, which is left "
            "unencrypted; give kmsKeyId (alias/aws/kinesis for the AWS managed key, or a key of your own)")


# Where Firehose states that a customer managed key needs its ARN: the KeyARN member's documentation only
# (tests/test_apicheck.py keeps the phrase tied to the text botocore ships).
FIREHOSE_KEY_ARN_RULE = ("firehose", "DeliveryStreamEncryptionConfigurationInput", "KeyARN",
                         "If you set <code>KeyType</code> to <code>CUSTOMER_MANAGED_CMK</code>, you must specify")


def _firehose_stream_key(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    """Server-side encryption under a customer managed key names the key. The provider sends `serverSideEncryption`
    (StartDeliveryStreamEncryption after CreateDeliveryStream) only when `enabled` is true, with KeyARN only when
    `keyArn` is given, and checks no more (terraform-provider-aws firehose/delivery_stream.go); Firehose requires the
    ARN for CUSTOMER_MANAGED_CMK (`FIREHOSE_KEY_ARN_RULE`)."""
    encryption = _plain(resource.inputs.get("serverSideEncryption"))
    if not isinstance(encryption, dict) or _plain(encryption.get("enabled")) is not True:
        return
    if _plain(encryption.get("keyType")) == "CUSTOMER_MANAGED_CMK" and _plain(encryption.get("keyArn")) in (None, ""):
        yield "serverSideEncryption.keyArn", (
            "keyType CUSTOMER_MANAGED_CMK with no keyArn: Firehose requires the key's ARN to encrypt with a customer "
            "managed key, and refuses the encryption the provider starts once CreateDeliveryStream has made the "
            "stream; give keyArn (or keyType AWS_OWNED_CMK)")


# An ARN as the provider's verify.ValidARN reads one: `arn:` and five more parts.
_ARN = re.compile(r"^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$")


def _role_policy_role(resource: CapturedResource) -> Iterator[tuple[str, str]]:
    """A RolePolicy's `role` is the role's name: PutRolePolicy takes a RoleName (botocore: roleNameType), and the
    provider refuses an ARN before calling it (terraform-provider-aws iam/validate.go, validRolePolicyRole)."""
    role = _known_text(resource.inputs.get("role"))
    if role is not None and _ARN.match(role):
        yield "role", (f"{role!r} is an ARN: the provider refuses it (\"must be the role's name not its ARN\"); give "
                       f"the role's name (role.name, or role.id, which is the name)")


# The provider rules of each type: a rule judges only the type that lists it, and `needs_check` reads the keys.
PROVIDER_RULES: dict[str, Sequence[Callable[[CapturedResource], Iterable[tuple[str, str]]]]] = {
    "aws:servicediscovery/service:Service": (_empty_health_check_custom_config,),
    "aws:apigateway/methodSettings:MethodSettings": (_method_settings_rules,),
    "aws:wafv2/webAcl:WebAcl": (_waf_request_bodies,),
    "aws:ecs/taskDefinition:TaskDefinition": (_fargate_size, _container_memory, _task_definition_size),
    "aws:iam/policy:Policy": (_managed_policy_size,),
    "aws:iam/rolePolicy:RolePolicy": (_role_policy_role,),
    "aws:cloudtrail/trail:Trail": (_multi_region_trail_global_events,),
    "aws:kinesis/stream:Stream": (_kinesis_stream_key,),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (_firehose_stream_key,),
}


# --------------------------------------------------------------------------------------------------
# Quotas IAM counts across resources
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InlinePolicyQuota:
    """IAM's quota on one kind of identity's inline policies together: "the total aggregate policy size (the sum size
    of all inline policies) per entity" (IAM and AWS STS quotas), however many resources put them. Above it,
    Put<Identity>Policy fails with LimitExceeded ("Maximum policy size of 10240 bytes exceeded for role ...")."""
    identity: str      # role, user, group: also the policy resource's input naming it (by name: its id)
    owner: str         # the identity's type
    policy: str        # the type of the resource that puts one inline policy on it
    chars: int


# A role's: config sizes the policies it writes against its own (components/iam.py; tests/test_config.py ties them).
ROLE_INLINE_POLICY_CHARS = 10240
INLINE_POLICY_QUOTAS = (
    InlinePolicyQuota("role", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", ROLE_INLINE_POLICY_CHARS),
    InlinePolicyQuota("user", "aws:iam/user:User", "aws:iam/userPolicy:UserPolicy", 2048),
    InlinePolicyQuota("group", "aws:iam/group:Group", "aws:iam/groupPolicy:GroupPolicy", 5120),
)


def _known_text(value: Any) -> Optional[str]:
    value = _plain(value)
    return value if isinstance(value, str) else None


def _identity_name(resource: CapturedResource) -> Optional[str]:
    """What a policy's `role` (`user`, `group`) reads when the program wires it to this identity's name or id: the
    name Check gave it, else its state's (a `namePrefix`)."""
    return _known_text(resource.inputs.get("name")) or _known_text(struct_to_plain(resource.state_struct).get("name"))


@dataclass(frozen=True)
class _Part:
    """One inline policy of an identity: where it is put, its name (None while unknown) and its size as IAM counts
    it."""
    resource: CapturedResource
    label: str
    name: Optional[str]
    chars: int


def _inline_parts(resource: CapturedResource, quota: InlinePolicyQuota) -> list[_Part]:
    """The inline policies a resource puts, sized with the mocks' ids short (`_with_short_ids`); an unknown document
    counts nothing, so a sum of them is a lower bound."""
    inputs = _with_short_ids(resource)
    if resource.type == quota.policy:
        documents = [(f"{quota.policy.rsplit(':', 1)[-1]} {resource.name!r}", inputs.get("name"), inputs.get("policy"))]
    else:
        blocks = _plain(inputs.get("inlinePolicies"))
        documents = [(f"inlinePolicies[{i}]", _plain(block).get("name"), _plain(block).get("policy"))
                     for i, block in enumerate(blocks if isinstance(blocks, list) else ())
                     if isinstance(_plain(block), dict)]
    return [_Part(resource, label, _known_text(name), _iam_chars(text)) for label, name, document in documents
            if (text := _known_text(document)) is not None]


def _kept(parts: Sequence[_Part], quota: InlinePolicyQuota) -> list[_Part]:
    """The policies IAM holds of one identity's: one per policy name, as Put<Identity>Policy "adds or updates" one
    (botocore's PutRolePolicy documentation): a name the identity already has is replaced. The identity's own
    `inlinePolicies` are put when the provider creates it, before a policy resource naming it can be, so that
    resource's document is the one kept; of two such resources, the later registered. A policy whose name is unknown
    replaces none."""
    kept: dict[str, _Part] = {}
    unnamed: list[_Part] = []
    for part in sorted(parts, key=lambda p: p.resource.type != quota.owner):  # stable: the identity's own first
        if part.name is None:
            unnamed.append(part)
        else:
            kept.pop(part.name, None)
            kept[part.name] = part
    return [*kept.values(), *unnamed]


# An IAM identity's ARN, `arn:<partition>:iam::<account>:<kind>/<path>/<name>`: its name is the last part.
_IAM_IDENTITY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(?:role|user|group)/(?:[^/]+/)*(?P<name>[^/]+)$")


def _identity_key(name: str) -> str:
    """How IAM finds an identity by what a policy names it with: its name, whatever the case (IAM's names "aren't
    distinguished by case", IAM quotas page), or, written as its ARN, that ARN's last part (the provider refuses an
    ARN: `_role_policy_role`; the sum still counts the policy where it was meant)."""
    arn = _IAM_IDENTITY_ARN.match(name)
    return (arn.group("name") if arn else name).casefold()


def _inline_policy_sizes(resources: Sequence[CapturedResource], quota: InlinePolicyQuota) -> Iterator[ApiError]:
    """Each identity whose inline policies, the identity's own and every policy resource naming it, are above the
    quota together: reported on the identity where the program declares it, else on its first policy. A policy whose
    identity is unknown (a first preview's `role=role.id`) is judged alone."""
    owners: dict[str, CapturedResource] = {}
    shown: dict[str, str] = {}  # an identity's name as the program first writes it
    # By the identity's name where known, else (an identity left unknown) by the resource alone.
    groups: dict[tuple[str, str], list[_Part]] = {}
    for resource in resources:
        if not resource.custom or resource.type not in (quota.owner, quota.policy):
            continue
        owned = resource.type == quota.owner
        name = _identity_name(resource) if owned else _known_text(resource.inputs.get(quota.identity))
        key = ("name", _identity_key(name)) if name is not None else ("urn", resource.urn)
        if name is not None:
            shown.setdefault(key[1], name)
            if owned:
                owners[key[1]], shown[key[1]] = resource, name
        groups.setdefault(key, []).extend(_inline_parts(resource, quota))
    for (kind, key), parts in groups.items():
        parts = _kept(parts, quota)
        total = sum(p.chars for p in parts)
        if total <= quota.chars:
            continue
        at = owners.get(key, parts[0].resource) if kind == "name" else parts[0].resource
        named = f"{quota.identity} {shown[key]!r}" if kind == "name" else f"its {quota.identity}"
        yield ApiError(at.urn, at.type, at.name, "inlinePolicies" if at.type == quota.owner else "policy", (
            f"{total:,} characters without white space in the inline policies of {named} "
            f"({'; '.join(f'{p.label}: {p.chars:,}' for p in parts)}); IAM allows a {quota.identity}'s inline "
            f"policies {quota.chars:,} together"))


@dataclass(frozen=True)
class AccountQuotas:
    """The account's raisable quotas the check holds resources to: AWS's defaults, or as the stack declares them
    raised (`declared_quotas`)."""
    role_trust_policy_chars: int = ROLE_TRUST_POLICY_CHARS


# Where a stack declares its account's raised quotas: the project's `quotas` config, these keys (components/config
# reads and bounds the same: tests/test_config.py ties them).
QUOTAS_CONFIG_KEY = "quotas"
TRUST_POLICY_QUOTA_KEY = "roleTrustPolicyChars"


def declared_quotas(config: Mapping[str, str], project: str) -> AccountQuotas:
    """The quotas a stack's config declares (the CLI's config, `<project>:quotas` as JSON text). A value outside
    IAM's bounds is the program's config error to report, so AWS's default stands for it here."""
    try:
        declared = json.loads(config.get(f"{project}:{QUOTAS_CONFIG_KEY}") or "{}")
    except ValueError:
        return AccountQuotas()
    chars = declared.get(TRUST_POLICY_QUOTA_KEY) if isinstance(declared, dict) else None
    if type(chars) is int and ROLE_TRUST_POLICY_CHARS <= chars <= ROLE_TRUST_POLICY_MAX_CHARS:
        return AccountQuotas(role_trust_policy_chars=chars)
    return AccountQuotas()


def _trust_policy_sizes(resources: Sequence[CapturedResource], quotas: AccountQuotas) -> Iterator[ApiError]:
    """Each role whose trust policy is above the account's quota. The page does not say whether white space counts
    here, so it is left out, as for the policy quotas."""
    limit = quotas.role_trust_policy_chars
    raised = (f"as the stack declares it raised ({QUOTAS_CONFIG_KEY}.{TRUST_POLICY_QUOTA_KEY})"
              if limit != ROLE_TRUST_POLICY_CHARS else
              f"unless the account raised it (Service Quotas, to at most {ROLE_TRUST_POLICY_MAX_CHARS:,}: then declare "
              f"{QUOTAS_CONFIG_KEY}.{TRUST_POLICY_QUOTA_KEY})")
    for role in resources:
        if not role.custom or role.type != "aws:iam/role:Role":
            continue
        size = _document_chars(role, "assumeRolePolicy")
        if size is not None and size > limit:
            yield ApiError(role.urn, role.type, role.name, "assumeRolePolicy", (
                f"{size:,} characters without white space; IAM's quota on a role's trust policy is {limit:,} {raised} "
                f"(CreateRole fails with LimitExceeded, ACLSizePerRole)"))


def check_across(resources: Sequence[CapturedResource], quotas: AccountQuotas = AccountQuotas()) -> list[ApiError]:
    """What IAM refuses of several resources together, and of one against the account's quotas as the stack declares
    them. Read in the preview's process, not the policy worker's, which sees one resource at a time and not the
    stack's config; it needs no botocore model."""
    return [*(error for quota in INLINE_POLICY_QUOTAS for error in _inline_policy_sizes(resources, quota)),
            *_trust_policy_sizes(resources, quotas)]


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def _with_short_ids(resource: CapturedResource) -> dict:
    """The inputs with the mock id (`mockrun.mock_id`) of each resource a property is made from cut to one character
    in that property's text. AWS's own ids are a few characters, the mock's carry the resource's name: an
    integration's `integrations/<id>` route target passed 128 characters only here. What is checked after is then a
    lower bound, as the mocks' short ARNs already make it: it finds what certainly fails."""
    inputs = resource.inputs
    made_from = {key: {mock_id(urn.rsplit("::", 1)[-1]) for urn in urns}
                 for key, urns in resource.property_dependencies.items() if urns and key in inputs}
    if not made_from:
        return inputs

    def shortened(value: Any, ids: set[str]) -> Any:
        if isinstance(value, str):
            return _cut_ids(value, ids) if "-id" in value else value
        if isinstance(value, dict):
            return {k: shortened(v, ids) for k, v in value.items()}
        return [shortened(v, ids) for v in value] if isinstance(value, list) else value

    return {key: shortened(value, made_from[key]) if key in made_from else value for key, value in inputs.items()}


# The end of a mock id in text: `-id` not going on as a word (`-idle`, `-identity`).
_ID_END = re.compile(r"-id(?![A-Za-z0-9])")


def _cut_ids(text: str, ids: set[str]) -> str:
    """`text` with each of `ids` in it, the longest that ends at each id end, as one character."""
    lengths = sorted({len(i) for i in ids}, reverse=True)
    out, start = [], 0
    for end in (m.end() for m in _ID_END.finditer(text)):
        length = next((n for n in lengths if end - n >= start and text[end - n:end] in ids), None)
        if length is not None:
            out.append(text[start:end - length] + "x")
            start = end
    return "".join(out) + text[start:]


def check_resource(resource: CapturedResource) -> list[ApiError]:
    found: list[tuple[str, str]] = []
    inputs = _with_short_ids(resource)
    # A `name` the program left out: pulumi-aws's Check gave it the auto-name (`PreviewMocks.check`), which the
    # inputs carry (a given name is never the one drawn from the URN in practice); inputs that did not go through
    # Check get it here. Where it breaks AWS's rules, say so.
    autonamed = name_autoname(resource.type, resource.name, inputs, resource.urn)
    auto = resource.custom and "namePrefix" not in inputs and (
        inputs.get("name") == autonamed or "name" not in inputs and resource.type in NAMES)
    if auto and "name" not in inputs:
        inputs = {**inputs, "name": autonamed}
    builder = PAYLOADS.get(resource.type)
    for payload in builder(inputs) if builder else ():
        model_shape, parent, member = _payload_shape(payload.service, payload.shape)
        for path, problem in validate(payload.value, model_shape, payload.path, payload.service,
                                      parent=parent, member=member):
            if auto and path == "name":
                problem = (f"no name is given, so pulumi-aws names it <resource name>-<7 random characters>: "
                           f"{problem}; give a short explicit name")
            found.append((path, problem))
    for rule in PROVIDER_RULES.get(resource.type, ()):
        found.extend(rule(resource))
    return [ApiError(resource.urn, resource.type, resource.name, path, message)
            for path, message in dict.fromkeys(found)]


def needs_check(resource: CapturedResource) -> bool:
    """Only the types checked here: their inputs are converted to plain data on first read."""
    return resource.custom and (resource.type in PAYLOADS or resource.type in NAMES or resource.type in PROVIDER_RULES)


def check_sorted(resource: CapturedResource) -> list[ApiError]:
    """A resource's API errors, sorted by path and message."""
    return sorted(check_resource(resource), key=lambda e: (e.path, e.message))


def with_errors_across(resources: Sequence[CapturedResource], own: Iterable[ApiError],
                       quotas: AccountQuotas = AccountQuotas()) -> list[ApiError]:
    """The resources' own errors (`check_sorted`'s, each resource's together, as the policy worker answers them) and
    `check_across`'s, in the resources' order, each resource's sorted by path and message."""
    order = {resource.urn: i for i, resource in enumerate(resources)}
    return sorted([*own, *check_across(resources, quotas)], key=lambda e: (order[e.urn], e.path, e.message))


def check_resources(resources: Iterable[CapturedResource], quotas: AccountQuotas = AccountQuotas()) -> list[ApiError]:
    """Every API error in the resources' order, each resource's errors sorted by path."""
    resources = list(resources)
    return with_errors_across(resources, [e for resource in resources if needs_check(resource)
                                          for e in check_sorted(resource)], quotas)
