"""The stack config: raw `Pulumi.<stack>.yaml` values in, typed and validated objects out.

Everything a component needs comes from here, and every malformed input stops the program here,
before any resource is declared, with one line naming the stack file and the key path:

    Pulumi.dev.yaml: services[2].port: 70000 is not a port (1-65535)

`model` holds the typed config and what each data plane can express; `values` what a value may be; `node` reads
raw values with their key paths, and holds the readers more than one section uses; `services`, `api`,
`operations` and `devices` read the sections; `checks` holds the checks across sections. `parse_config` runs
them in order; components import what they need from here.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Collection, Mapping, Optional, Sequence

import pulumi
import yaml

from .. import naming
from .api import _api, _dns, _ingress, in_zone, not_in_zone, resolve_waf, zone_hosts
from .checks import (_check_capacity, _check_plane_limits, _check_role_names, check_region, check_tags,
                     check_trail_tags, provider_default_tags)
from .devices import _device_edge, _with_platform_environment
from .model import (
    ALB_IDLE_TIMEOUT_SECONDS, APP_MESH, CHOSEN_PLANE, CONNECTIONS_TABLE_VARIABLE, DATA_PLANES, DEFAULT_MAX_TOKEN_HOURS,
    DEFAULT_RUNBOOK_BASE_URL, MAX_FIREWALL_EXTERNALS, PLANES, PROJECT, SERVICE_CONNECT, AlarmsConfig, ApiConfig,
    AuditConfig, AuthConfig, Autoscaling, CanaryRollout, ConfigError, ConnectionPool, ContainerHealthCheck, DnsConfig,
    DomainConfig, EmailSender, ExternalConfig, HttpApiConfig, HttpRouteConfig, MeshConfig, NetworkConfig, PlaneTraits,
    PlatformConfig, Quotas, ServiceConfig, ServiceTimeouts, ServiceVersion, Sizing, TenantConfig, TierConfig,
    TlsConfig, WebsocketApiConfig, WebsocketDomainConfig)
from .model import WAF_BODY_INSPECTION_KB, WAF_MANAGED_BODY_KB, WAF_RATE_WINDOW_SECONDS
from .node import ConfigNode
from .operations import _alarms, _audit
from .services import (_check_canaries, _check_derived_names, _check_execution_role_policies, _check_pulled_images,
                       _check_references, _check_secret_regions, _externals, _mesh, _network, _optional_health_check,
                       _services, _sizing)
from .values import (APIGATEWAY_REGIONAL_ZONE_IDS, API_METHODS, API_NAME_RE, ENV_RE, FARGATE_MEMORY, HOST_RE,
                     HOST_WHAT, HOSTED_ZONE_ID_RE, MANAGED_POLICY_ARN_RE, MANAGED_POLICY_ARN_WHAT, PROXY_PART,
                     REGION_RE, RESERVED_ENVIRONMENTS, RUNBOOK_URL_RE, RUNBOOK_URL_WHAT, certificate_name_problem,
                     partition_problem, route53_region_enum, route_resource_paths)

# The config's public names: what components and tests import from `components.config`.
__all__ = [
    "ALB_IDLE_TIMEOUT_SECONDS", "APIGATEWAY_REGIONAL_ZONE_IDS", "API_METHODS", "API_NAME_RE", "APP_MESH",
    "CHOSEN_PLANE", "CONNECTIONS_TABLE_VARIABLE", "DATA_PLANES",
    "DEFAULT_MAX_TOKEN_HOURS", "DEFAULT_RUNBOOK_BASE_URL", "ENV_RE", "FARGATE_MEMORY", "HOST_RE", "HOST_WHAT",
    "HOSTED_ZONE_ID_RE", "MAX_FIREWALL_EXTERNALS", "PLANES", "PROJECT", "PROXY_PART", "REGION_RE", "RUNBOOK_URL_RE",
    "RUNBOOK_URL_WHAT",
    "SERVICE_CONNECT", "WAF_BODY_INSPECTION_KB", "WAF_MANAGED_BODY_KB", "WAF_RATE_WINDOW_SECONDS",
    "AlarmsConfig", "ApiConfig", "AuditConfig", "AuthConfig", "Autoscaling", "CanaryRollout", "ConfigError", "ConfigNode",
    "ConnectionPool", "ContainerHealthCheck", "DnsConfig", "DomainConfig", "EmailSender", "ExternalConfig",
    "HttpApiConfig", "HttpRouteConfig", "MeshConfig", "NetworkConfig", "PlaneTraits", "PlatformConfig", "Quotas",
    "ServiceConfig", "ServiceTimeouts", "ServiceVersion", "Sizing", "TenantConfig", "TierConfig", "TlsConfig",
    "WebsocketApiConfig", "WebsocketDomainConfig", "certificate_name_problem", "check_region", "check_tags",
    "config_value", "fail_in", "in_zone", "load_config", "not_in_zone", "partition_problem", "parse_config",
    "plain_text_paths", "zone_hosts",
    "refuse_plain_credentials", "secure_paths",
    "provider_default_tags", "read_project_config", "route53_region_enum", "route_resource_paths", "stack_file_path",
]


def fail_in(stack_file: str) -> Callable[..., ConfigError]:
    """How every config error reads: the stack file, the key's path and the problem, on one line (and the other keys
    the problem is made of, `ConfigError.related`, and whether it is about the value's secrecy)."""
    def fail(path: str, problem: str, related: Sequence[str] = (), about_secrecy: bool = False) -> ConfigError:
        return ConfigError(f"{stack_file}: {path}: {problem}", related, about_secrecy)
    return fail


def parse_config(raw: Mapping[str, Any], stack_file: str, region: Optional[str],
                 default_tags: Optional[str] = None, plain_paths: Collection[str] = (),
                 secure_paths: Collection[str] = ()) -> PlatformConfig:
    """Turn the project's config values (keys without the project prefix) into a PlatformConfig; `region` and
    `default_tags` are the aws provider's (`aws:region`, `aws:defaultTags` as JSON text); `plain_paths` and
    `secure_paths` the paths whose values the stack file holds in plain text and as `secure:` (`plain_text_paths`,
    `secure_paths`)."""
    fail = fail_in(stack_file)
    root = ConfigNode(fail, "", raw, frozenset(plain_paths), frozenset(secure_paths))
    with root.misspellings_first():
        return _parse_config(root, fail, stack_file, region, default_tags)


def _parse_config(root: ConfigNode, fail: Callable[[str, str], ConfigError], stack_file: str,
                  region: Optional[str], default_tags: Optional[str]) -> PlatformConfig:
    # Read and checked in the order a stack file's errors are to be met: its first error is the one reported.
    region = check_region(region, fail)
    environment = _environment(root)
    tags = root.string_map("tags")
    provider_tags = provider_default_tags(default_tags, fail)
    check_tags(tags, fail, provider_defaults=provider_tags)
    network = _network(root.node("network", required=True))
    mesh = _mesh(root.node("mesh", required=True), region)
    plane = PLANES[mesh.data_plane]
    sizing = _sizing(root.node("sizing", required=True))
    health_check = _optional_health_check(root, None)
    externals = _externals(root, naming.service_namespace(environment, mesh.domain))
    if network.firewall and len(externals) > MAX_FIREWALL_EXTERNALS:
        raise fail("externals", f"{len(externals)} hosts are more than the Network Firewall's allow-list holds "
                                f"({MAX_FIREWALL_EXTERNALS}; network.firewall is on)", ["network.firewall"])
    service_nodes, services = _services(root, sizing, plane, health_check, fail)
    _check_references(service_nodes, services, externals, plane, fail)
    _check_canaries(service_nodes, services, plane)
    _check_secret_regions(service_nodes, services, network, region)
    _check_execution_role_policies(service_nodes, services, environment, region, plane)
    _check_pulled_images(service_nodes, services, mesh, environment, region, fail)
    _check_role_names(service_nodes, services, environment, plane)
    dns = _dns(root)
    # Without public services there is no REST API (ApiConfig.built): its settings all have defaults.
    api_node = _rest_api_node(root, service_nodes, services) or ConfigNode(fail, "api", {})
    api = _api(api_node, services, environment, region, dns)
    edge = _device_edge(root, services, api, dns, environment, region, plane, fail)
    _check_derived_names(service_nodes, services, externals, plane, environment, api.name if api.built else None,
                         naming.device_api_kinds(edge.http_api, edge.websocket_api), fail)
    config = PlatformConfig(
        stack_file=stack_file,
        environment=environment,
        region=region,
        tags=tags,
        provider_tags=provider_tags,
        network=network,
        mesh=mesh,
        sizing=sizing,
        protect=root.bool("protect", False),
        enable_execute_command=root.bool("enableExecuteCommand", False),
        services=_with_platform_environment(services, edge.websocket_api, environment),
        externals=tuple(externals),
        api=api,
        alarms=_alarms(root),
        audit=_audit(root.node("audit")),
        dns=dns,
        ingress=_ingress(root, dns, region),
        permissions_boundary=_permissions_boundary(root),
        **edge._asdict(),
    )
    _check_rest_api_settings(config, fail)
    _check_plane_limits(config, plane, fail)
    check_trail_tags(config, fail)
    config = replace(config, api=replace(config.api, waf=resolve_waf(config, fail)))
    root.done()
    _check_capacity(config, fail)
    return config


def _environment(root: ConfigNode) -> str:
    environment = root.str("environment", required=True, pattern=ENV_RE,
                           what="an environment name (lower-case letters and digits)")
    if environment in RESERVED_ENVIRONMENTS:
        raise root.error("environment", f"{environment} is reserved: {RESERVED_ENVIRONMENTS[environment]}")
    return environment


def _rest_api_node(root: ConfigNode, service_nodes: Sequence[ConfigNode],
                   services: Sequence[ServiceConfig]) -> Optional[ConfigNode]:
    """`api`, None where the stack file has none: required where a service is public, as the REST API in front of
    them needs its usage plans (`service_nodes` name their publicPath keys)."""
    public = [s.name for s in services if s.public_path]
    api_node = root.node("api")
    if api_node is None and public:
        raise root.error("api", f"is required: {', '.join(public)} {'has' if len(public) == 1 else 'have'} a "
                                f"publicPath, and the REST API in front of them needs its usage plans",
                         [n.key_path("publicPath") for n, s in zip(service_nodes, services) if s.public_path])
    return api_node


def _check_rest_api_settings(config: PlatformConfig, fail: Callable[..., ConfigError]) -> None:
    """Settings only the REST API uses, refused where no service is public (so there is no REST API): they would
    do nothing."""
    if config.api.built:
        return
    asked = [key for key, value in (("api.consumers", config.api.consumers), ("api.domain", config.api.domain),
                                    ("api.waf.serverAddresses", config.api.waf.server_addresses),
                                    ("api.waf.blockedAddresses", config.api.waf.blocked_addresses),
                                    ("tenants", config.tenants)) if value]
    if asked:
        raise fail("services", f"none has a publicPath, so there is no REST API for the {' and '.join(asked)} "
                               f"in the stack file: make a service public, or remove them", asked)


def _permissions_boundary(root: ConfigNode) -> Optional[str]:
    """The managed policy that bounds every role the stack creates: an organization whose SCPs allow
    iam:CreateRole only with its boundary refuses the first `up` without it."""
    arn = root.str("permissionsBoundary", pattern=MANAGED_POLICY_ARN_RE, what=MANAGED_POLICY_ARN_WHAT)
    root.same_partition("permissionsBoundary", arn, "IAM bounds a role only by a policy of its own partition")
    return arn


def load_config() -> PlatformConfig:
    """Read this stack's config through the Pulumi runtime and validate it."""
    stack_file = f"Pulumi.{pulumi.get_stack()}.yaml"
    provider = pulumi.Config("aws")
    # The project root (where Pulumi.yaml is), wherever `main` runs the program from.
    path = stack_file_path(Path(pulumi.get_root_directory() or "."), stack_file)
    refuse_plain_credentials(path, stack_file, PROJECT)
    plain, secure = _value_paths(path, PROJECT)
    return parse_config(read_project_config(PROJECT, stack_file), stack_file, provider.get("region"),
                        provider.get("defaultTags"), plain, secure)


# The aws provider's settings that are credentials, and the environment variable that gives each instead.
PROVIDER_CREDENTIALS = {"accessKey": "AWS_ACCESS_KEY_ID", "secretKey": "AWS_SECRET_ACCESS_KEY",
                        "token": "AWS_SESSION_TOKEN",
                        # An OIDC token (a CI job's) the provider trades for a role's credentials.
                        "assumeRoleWithWebIdentity.webIdentityToken": "AWS_WEB_IDENTITY_TOKEN_FILE"}


def refuse_plain_credentials(path: Path, stack_file: str, project: str) -> None:
    """The provider's credentials are no setting of ours, but a stack file is in git: one in plain text is refused
    as a plain `keyValue` is."""
    for key in sorted(_value_paths(path, project, "aws")[0] & set(PROVIDER_CREDENTIALS)):
        flags = "--secret --path" if "." in key else "--secret"
        raise ConfigError(f"{stack_file}: aws:{key}: is plain text in the stack file: set it with pulumi config set "
                          f"{flags}, or leave credentials to the environment ({PROVIDER_CREDENTIALS[key]})")


def read_project_config(project: str, stack_file: str) -> dict[str, Any]:
    """This stack's values in `project`'s namespace, without the prefix: structured values decoded from the JSON
    text they reach the program as, scalars as the strings they are."""
    prefix = f"{project}:"
    raw: dict[str, Any] = {}
    for key, value in _all_config().items():
        if not key.startswith(prefix):
            namespace = key.partition(":")[0]
            if difflib.SequenceMatcher(None, namespace, project).ratio() >= 0.8:
                # Pulumi passes any namespace through; a misspelt project would drop the section without a word.
                raise ConfigError(f"{stack_file}: {key}: {namespace} is not this project's namespace ({project})")
            continue
        raw[key[len(prefix):]] = config_value(value)
    return raw


def config_value(text: Any) -> Any:
    """A value as the program reads it from the text the CLI passes: JSON decoded where it is JSON (a structured
    value, a number, a boolean), else the string itself."""
    try:
        return json.loads(text) if isinstance(text, str) else text
    except json.JSONDecodeError:
        return text


def plain_text_paths(stack_file: Path, project: str) -> set[str]:
    """The paths of the values the stack file holds in plain text in `project`'s namespace, as config errors name
    them (`api.consumers[0].keyValue`): the program gets every value decrypted, and the CLI marks only a whole
    top-level key secret, so the file itself says which were `secure:`. An empty set where there is no such file to
    read (config from an ESC environment or the Automation API). (`pulumi up --config-file` reads another file than
    the stack's own, which this does not see.)"""
    return _value_paths(stack_file, project)[0]


def secure_paths(stack_file: Path, project: str) -> set[str]:
    """The paths of the values the stack file holds as `secure:` in `project`'s namespace (`plain_text_paths`' other
    half): a setting the program writes to AWS as it is must not be one of them."""
    return _value_paths(stack_file, project)[1]


def _value_paths(stack_file: Path, project: str, namespace: Optional[str] = None) -> tuple[set[str], set[str]]:
    """(plain, secure): the paths of the values the stack file holds in `namespace` (the project's by default), in
    plain text and as `secure:`."""
    document = _yaml_text(stack_file)
    config = document.get("config") if isinstance(document, dict) else None
    plain: set[str] = set()
    secure: set[str] = set()

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict) and set(value) == {"secure"}:
            secure.add(path)
        elif isinstance(value, dict):
            for key, item in _merged(value).items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        else:
            plain.add(path)

    for key, value in _merged(config).items() if isinstance(config, dict) else ():
        owner, _, name = _config_key(key, project).partition(":")
        if owner == (namespace or project):
            walk(value, name)
    return plain, secure


def _config_key(key: Any, project: str) -> str:
    """A stack file's config key as the CLI reads it: `<namespace>:<name>`, the project's where it has no namespace,
    and the old `<namespace>:config:<name>` as `<namespace>:<name>`."""
    parts = str(key).split(":")
    if len(parts) == 1:
        return f"{project}:{key}"
    return f"{parts[0]}:{parts[2]}" if len(parts) == 3 and parts[1] == "config" else str(key)


# The repository's root, from which people and `./dev` run the projects (the global layer's is in global/).
REPOSITORY = Path(__file__).resolve().parents[2]


def shown_stack_file(stack_file: str) -> str:
    """A stack file as errors name it: from the repository's root (`global/Pulumi.prod.yaml`, not the regional
    `Pulumi.prod.yaml`), or as named where the project is elsewhere."""
    path = (Path(pulumi.get_root_directory() or ".") / stack_file).resolve()
    return str(path.relative_to(REPOSITORY)) if path.is_relative_to(REPOSITORY) else stack_file


def stack_file_path(root: Path, stack_file: str) -> Path:
    """Where the CLI reads a stack file: beside Pulumi.yaml, or in its `stackConfigDir` (or the old `config: <dir>`),
    always under the project's directory, as Go's filepath.Join puts an absolute one."""
    project = _yaml_text(root / "Pulumi.yaml")
    project = project if isinstance(project, dict) else {}
    directory = project.get("stackConfigDir") or project.get("config")
    if not isinstance(directory, str) or directory in ("~", "null", "Null", "NULL"):  # YAML's null, read as text
        return root / stack_file
    return root / directory.lstrip("/") / stack_file


def _yaml_text(path: Path) -> Any:
    """A YAML file with every scalar as text (only where values sit matters here, and YAML 1.1's guessing fails on
    some, `0x_`), its encoding found from its bytes as the CLI finds it (UTF-16 with a byte-order mark too); None
    where it cannot be read."""
    try:
        return yaml.load(path.read_bytes(), Loader=yaml.BaseLoader)
    except (OSError, RecursionError, UnicodeError, yaml.YAMLError):
        return None


def _merged(mapping: dict) -> dict:
    """A mapping with its YAML merge keys (`<<: *anchor`, or a list of them) applied as the CLI's YAML library
    applies them: the mapping's own keys first, then each merged one's in order, the first holding a key winning."""
    sources = mapping.get("<<")
    merged = {key: value for key, value in mapping.items() if key != "<<"}
    for source in sources if isinstance(sources, list) else [sources]:
        if isinstance(source, dict):
            for key, value in _merged(source).items():
                merged.setdefault(key, value)
    return merged


def _all_config() -> Mapping[str, Any]:
    from pulumi.runtime import config as runtime_config

    return runtime_config.CONFIG.get() or runtime_config.get_config_env()
